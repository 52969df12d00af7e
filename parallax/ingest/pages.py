"""One web page's bytes, as served, into a draft article: what an archive record and a
fetched url have in common (an ``.html`` file on disk has no url or crawl time of its own).
"""

from __future__ import annotations

from dataclasses import replace

from parallax.errors import ParallaxError
from parallax.ingest.decode import check_size, clean_text, decode_text
from parallax.ingest.html import declared_charset, parse_html
from parallax.model import Draft


def page_draft(
    body: bytes,
    *,
    source: str,
    url: str | None,
    charset: str | None,
    fetched_at: str | None,
    limit: int,
    record: int | None = None,
) -> Draft:
    """The article of a page served at ``url`` (None: the page's own url): the charset
    the server named wins over the page's own declaration; the page's canonical url, when
    another, is kept in
    ``extra.canonical_url`` and the serving time in ``extra.fetched_at`` (never used as
    the publication time). Raises a catalogued :class:`ParallaxError` for a page with no
    article (too big, binary, undecodable, no text)."""
    check_size(body, limit, source, record=record)
    raw = decode_text(body, source, charset or declared_charset(body), record=record)
    try:
        text, meta, extra = parse_html(raw, source)
    except ParallaxError as error:
        raise ParallaxError(error.code, source, error.detail, record=record) from error
    if url and meta.url and meta.url != url:
        extra["canonical_url"] = meta.url
    if fetched_at:
        extra["fetched_at"] = fetched_at
    cleaned = clean_text(text)
    if not cleaned:
        raise ParallaxError("E001", source, record=record)
    return Draft(cleaned, replace(meta, url=url or meta.url), source, record, extra)
