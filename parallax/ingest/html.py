"""HTML pages: trafilatura finds the main text and the metadata.

trafilatura's own date is day precision; when the page states a full timestamp in
its meta tags (``article:published_time``, ``datePublished``), that one is kept,
time zone included.
"""

from __future__ import annotations

import re
from typing import Any

import trafilatura
from lxml import html as lxml_html
from trafilatura.settings import Document

from parallax.errors import ParallaxError
from parallax.ingest.metadata import outlet_from_url, parse_published
from parallax.model import Metadata

_TIMESTAMP_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @property='og:published_time' or @itemprop='datePublished'"
    " or @name='pubdate' or @name='publishdate' or @name='date']/@content"
    " | //time[@itemprop='datePublished' or @pubdate]/@datetime"
)
_HAS_TAG = re.compile(r"<\s*[a-zA-Z!]")


def parse_html(markup: str, source: str) -> tuple[str, Metadata, dict[str, Any]]:
    """Main text, metadata and extra fields (description, tags) of one HTML page."""
    if not _HAS_TAG.search(markup[:4096]):
        raise ParallaxError("E005", source, "no HTML tags at the start")
    try:
        tree = lxml_html.document_fromstring(markup)
    except Exception as exc:  # lxml raises several unrelated types on hopeless input
        raise ParallaxError("E005", source, f"unparseable: {exc}") from exc
    stamp, lang = _timestamp(tree), _lang(tree)  # read before trafilatura prunes the tree
    document = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, include_tables=False
    )
    if not isinstance(document, Document) or not (text := document.text or "").strip():
        raise ParallaxError("E005", source, "no main text found")
    text = _without_headline(text, document.title)
    url = document.url or None
    meta = Metadata(
        outlet=document.sitename or outlet_from_url(url) or document.hostname or None,
        url=url,
        title=document.title or None,
        author=document.author or None,
        published_at=stamp or parse_published(document.date),
        language=document.language or lang,
    )
    extra = {
        key: value
        for key, value in (
            ("description", document.description),
            ("tags", document.tags or None),
            ("categories", document.categories or None),
        )
        if value
    }
    return text, meta, extra


def _without_headline(text: str, title: str | None) -> str:
    """The body without a leading copy of the headline, which trafilatura keeps when the
    page repeats it in an ``<h1>`` inside the article: the same article read from a feed
    and from its page should give the same text (and the same near-duplicate signature)."""
    first, _, rest = text.lstrip().partition("\n")
    if title and rest.strip() and first.strip() == title.strip():
        return rest
    return text


def _timestamp(tree: Any) -> str | None:
    """A full publication timestamp from the page's meta tags, if it states one."""
    for value in tree.xpath(_TIMESTAMP_XPATH):
        parsed = parse_published(value)
        if parsed and "T" in parsed:
            return parsed
    return None


def _lang(tree: Any) -> str | None:
    value = tree.get("lang") or None
    return value.split("-")[0].lower() if value else None
