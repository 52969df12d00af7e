"""HTML pages: trafilatura finds the main text and the metadata.

trafilatura's own date is day precision; when the page states a full timestamp in
its meta tags (``article:published_time``, ``datePublished``), that one is kept,
time zone included. When the page states only dates that cannot be read (``2025-02-30``),
the date is unknown and the first of them is kept in ``extra["unparsed_published_at"]``.

The charset a page declares in its ``<meta>`` is read from the bytes, for the decoder.
"""

from __future__ import annotations

import codecs
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
_CHARSET_ZONE = 1 << 16
"""How far into a page a charset declaration is looked for (it belongs in the head)."""
_META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE
)
_BODY = re.compile(rb"<body[\s>]", re.IGNORECASE)
_NOT_PAGE_CHARSETS = (
    "utf-16",
    "utf-32",
    "utf-7",
    "unicode-escape",
    "raw-unicode-escape",
    "idna",
    "punycode",
    "undefined",
)
"""Python codecs a page's declaration never means (UTF-16/32 are known by a byte order
mark only)."""
_CHARSET_AS = {
    # Labels that browsers decode otherwise than the codec of the same name (WHATWG
    # Encoding Standard): pages declaring latin-1 or ASCII are windows-1252 in practice,
    # with curly quotes and dashes in 0x80-0x9F.
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gbk",
}


def parse_html(markup: str, source: str) -> tuple[str, Metadata, dict[str, Any]]:
    """Main text, metadata and extra fields (description, tags) of one HTML page."""
    if not _HAS_TAG.search(markup[:4096]):
        raise ParallaxError("E005", source, "no HTML tags at the start")
    try:
        tree = lxml_html.document_fromstring(markup)
    except Exception as exc:  # lxml raises several unrelated types on hopeless input
        raise ParallaxError("E005", source, f"unparseable: {exc}") from exc
    stamp, unparsed = _stated_date(tree)  # read before trafilatura prunes the tree
    lang = _lang(tree)
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
        published_at=stamp or (None if unparsed else parse_published(document.date)),
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
    if unparsed is not None:
        extra["unparsed_published_at"] = unparsed  # kept, never guessed
    return text, meta, extra


def declared_charset(data: bytes) -> str | None:
    """The codec of the charset a page declares in its head (``<meta charset=...>`` or
    ``<meta http-equiv="Content-Type" content="...; charset=...">``), or ``None``.

    Labels are read as browsers read them: latin-1 and ASCII mean windows-1252, and a
    UTF-16 or UTF-32 declaration means nothing (only a byte order mark says so). An
    unknown label, or a Python codec that is no page charset, is ``None``.
    """
    head = data[:_CHARSET_ZONE]
    body = _BODY.search(head)
    found = _META_CHARSET.search(head, 0, body.start() if body else len(head))
    if found is None:
        return None
    try:
        name = codecs.lookup(found.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name.startswith(_NOT_PAGE_CHARSETS):
        return None
    return _CHARSET_AS.get(name, name)


def _without_headline(text: str, title: str | None) -> str:
    """The body without a leading copy of the headline, which trafilatura keeps when the
    page repeats it in an ``<h1>`` inside the article: the same article read from a feed
    and from its page should give the same text (and the same near-duplicate signature)."""
    first, _, rest = text.lstrip().partition("\n")
    if title and rest.strip() and first.strip() == title.strip():
        return rest
    return text


def _stated_date(tree: Any) -> tuple[str | None, str | None]:
    """What the page's meta tags say of its publication: a full timestamp, if one is
    stated; and, when none of the dates stated can be read, the first of them."""
    unreadable: str | None = None
    readable = False
    for value in tree.xpath(_TIMESTAMP_XPATH):
        raw = str(value).strip()
        if not raw:
            continue
        parsed = parse_published(raw)
        if parsed is None:
            unreadable = unreadable or raw
            continue
        if "T" in parsed:
            return parsed, None
        readable = True
    return None, None if readable else unreadable


def _lang(tree: Any) -> str | None:
    value = tree.get("lang") or None
    return (value.split("-")[0].strip().lower() or None) if value else None  # lang="-": unknown
