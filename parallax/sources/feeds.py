"""Feeds read from their bytes: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed, Google
News sitemaps and OPML subscription lists (lxml).

The bytes come from hosts nobody vouches for, so nothing here fetches anything (feedparser
is handed a stream, never a string it could take for a url or a file name) and no XML
entity is ever expanded: a document that declares entities (a "billion laughs" bomb, an
external entity pointing at a local file) is refused before any parser sees it (E080).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import feedparser
from feedparser.encodings import convert_to_utf8
from lxml import etree
from lxml import html as lxml_html

from parallax.errors import ParallaxError, UsageError
from parallax.ingest import parse_published
from parallax.store import FeedEntry

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/x-rss+xml",
    "application/x-atom+xml",
    "application/x-rdf+xml",
    "text/rss+xml",
    "text/atom+xml",
    "application/feed+json",
    "application/json",
)
"""The media types a feed is fetched as: the registered ones, and the unregistered
spellings servers still send for RSS and Atom; an html page is not a feed."""
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SUMMARY_CHARS = 2000
"""The most of an item's summary kept (as plain text) beside the article."""
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its kind (``rss``, ``atom``, ``json``, ``sitemap``), title, entries."""

    kind: str
    title: str | None
    items: tuple[FeedEntry, ...]


@dataclass(frozen=True)
class Subscription:
    """One feed an OPML file lists."""

    url: str
    title: str | None


def parse_feed(
    body: bytes, *, source: str, content_type: str | None = None, charset: str | None = None
) -> Feed:
    """The feed in ``body`` (served at ``source`` as ``content_type``, in the ``charset``
    the server named, which wins over the document's own declaration as RFC 7303 says),
    whichever of the kinds Parallax reads it is. Raises E080 (entities declared), E081
    (not a feed it can read) or E083 (a sitemap without news entries)."""
    if _looks_json(body, content_type):
        return _json_feed(body, source)
    refuse_entities(body, source)
    root = _root_name(body)
    if root in ("urlset", "sitemapindex"):
        return _news_sitemap(body, source)
    if root == "opml":
        raise ParallaxError("E081", source, "an OPML list of feeds: add it with --opml FILE")
    return _feedparser_feed(body, source, content_type, charset)


def read_opml(body: bytes, source: str) -> list[Subscription]:
    """The feeds an OPML file lists (``<outline xmlUrl=...>``, nested outlines too), in
    order, each once. A file that is not OPML is a usage error (E082)."""
    try:
        refuse_entities(body, source)
    except ParallaxError as error:
        raise UsageError("E082", source, error.detail) from None
    try:
        root = etree.fromstring(body, _safe_parser())
    except etree.XMLSyntaxError as exc:
        raise UsageError("E082", source, f"not well-formed XML: {exc}") from None
    if etree.QName(root).localname != "opml":
        raise UsageError("E082", source, f"the root element is <{etree.QName(root).localname}>")
    found: dict[str, Subscription] = {}
    for outline in root.iter("{*}outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url and url not in found:
            found[url] = Subscription(url, outline.get("title") or outline.get("text"))
    return list(found.values())


def refuse_entities(body: bytes, source: str) -> None:
    """E080 for a document whose DOCTYPE declares entities. Expat and libxml2 would
    expand internal ones (a few hundred bytes can declare gigabytes) and may read
    external ones; no feed needs either. UTF-16 and UTF-32 bytes are checked too.

    Any ``<!ENTITY`` after the first ``<!DOCTYPE`` counts: a scan for where the DOCTYPE
    ends is fooled by a ``]>`` inside a comment or processing instruction, or by a
    DOCTYPE inside a comment, where a parser is not. Outside a DOCTYPE those bytes can
    only be a comment or CDATA, which no feed needs either."""
    text = body.replace(b"\x00", b"") if b"\x00" in body[:4096] else body
    doctype = _DOCTYPE.search(text)
    if doctype is not None and _ENTITY.search(text, doctype.end()):
        raise ParallaxError("E080", source, "its DOCTYPE declares entities")


def _looks_json(body: bytes, content_type: str | None) -> bool:
    if content_type and content_type.endswith("json"):
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _root_name(body: bytes) -> str | None:
    """The local name of the document's root element, read without parsing the rest; None
    when the start is not well-formed (feedparser's lenient parser gets it)."""
    events = etree.iterparse(
        io.BytesIO(body),
        events=("start",),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
    )
    try:
        for _, element in events:
            return str(etree.QName(element).localname)
    except etree.XMLSyntaxError:
        return None
    return None


def _feedparser_feed(
    body: bytes, source: str, content_type: str | None, charset: str | None
) -> Feed:
    served = content_type or "application/xml"
    served += f"; charset={charset}" if charset else ""
    headers = {"content-type": served, "content-location": source}
    # expat reads what feedparser converted to UTF-8 from the encoding it found (EBCDIC,
    # UTF-7...), where the declarations may be bytes the check of the raw body misses
    refuse_entities(convert_to_utf8(dict(headers), body, {}), source)
    # a stream: given bytes or a str, feedparser may open a file or a url of that name
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    version = str(parsed.get("version") or "")
    if not version and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f"{type(problem).__name__}: {problem}" if problem else "no feed found"
        raise ParallaxError("E081", source, detail)
    items = tuple(item for item in map(_feedparser_item, parsed.entries) if item is not None)
    kind = "atom" if version.startswith("atom") else "rss"
    return Feed(kind, _clean(parsed.feed.get("title")), items)


def _feedparser_item(entry: Any) -> FeedEntry | None:
    link = _clean(entry.get("link"))
    key = _clean(entry.get("id")) or link
    if key is None:
        return None
    summary = entry.get("summary")
    return FeedEntry(
        key=key,
        url=link,
        title=_clean(entry.get("title")),
        published=parse_published(entry.get("published") or _updated(entry)),
        updated=parse_published(_updated(entry)),
        summary=_plain(summary) if summary else None,
        author=_clean(entry.get("author")),
    )


def _updated(entry: Any) -> Any:
    """The entry's own ``updated``: asked for by name, feedparser answers a missing one with
    ``published`` and a DeprecationWarning (that fallback is to be removed)."""
    return dict.get(entry, "updated")


def _json_feed(body: bytes, source: str) -> Feed:
    """JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), which feedparser does
    not read."""
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParallaxError("E081", source, f"not valid JSON: {exc}") from None
    version = document.get("version") if isinstance(document, dict) else None
    entries = document.get("items") if isinstance(document, dict) else None
    if not (isinstance(version, str) and "jsonfeed.org" in version) or not isinstance(
        entries, list
    ):
        raise ParallaxError("E081", source, "JSON without a JSON Feed version and items")
    items = tuple(item for item in map(_json_item, entries) if item is not None)
    return Feed("json", _text(document.get("title")), items)


def _json_item(entry: object) -> FeedEntry | None:
    if not isinstance(entry, dict):
        return None
    url = _text(entry.get("url")) or _text(entry.get("external_url"))
    raw_id = entry.get("id")
    key = (str(raw_id).strip() or None) if isinstance(raw_id, str | int) else None
    key = key or url
    if key is None:
        return None
    summary = _text(entry.get("summary")) or _text(entry.get("content_text"))
    authors = entry.get("authors") or ([entry["author"]] if entry.get("author") else [])
    listed = authors if isinstance(authors, list) else []
    names = [a.get("name") for a in listed if isinstance(a, dict)]
    return FeedEntry(
        key=key,
        url=url,
        title=_text(entry.get("title")),
        published=parse_published(entry.get("date_published") or entry.get("date_modified")),
        updated=parse_published(entry.get("date_modified")),
        summary=summary[:SUMMARY_CHARS] if summary else None,
        author=", ".join(n for n in names if isinstance(n, str) and n.strip()) or None,
    )


def _news_sitemap(body: bytes, source: str) -> Feed:
    """A Google News sitemap: each ``<url>`` with ``<news:news>`` is an entry (its
    ``<loc>`` the key and the page); plain sitemaps and sitemap indexes list whole sites
    and are refused (E083)."""
    try:
        root = etree.fromstring(body, _safe_parser())
    except etree.XMLSyntaxError as exc:
        raise ParallaxError("E081", source, f"not well-formed XML: {exc}") from None
    if etree.QName(root).localname == "sitemapindex":
        raise ParallaxError("E083", source, "a sitemap index; add its news sitemaps instead")
    items = tuple(_sitemap_items(root))
    if not items:
        raise ParallaxError("E083", source, "no <url> has a <news:news> entry")
    return Feed("sitemap", None, items)


def _sitemap_items(root: Any) -> Iterator[FeedEntry]:
    seen: set[str] = set()
    for url in root.iterfind("{*}url"):
        news = url.find(f"{NEWS}news")
        loc = _clean(url.findtext("{*}loc"))
        if news is None or loc is None or loc in seen:
            continue
        seen.add(loc)
        yield FeedEntry(
            key=loc,
            url=loc,
            title=_clean(news.findtext(f"{NEWS}title")),
            published=parse_published(_clean(news.findtext(f"{NEWS}publication_date"))),
            updated=parse_published(_clean(url.findtext("{*}lastmod"))),
            publication=_clean(news.findtext(f"{NEWS}publication/{NEWS}name")),
        )


def _plain(markup: str) -> str | None:
    """An item's summary (html, sanitised by feedparser) as plain text."""
    if "<" not in markup and "&" not in markup:
        return _clean(markup[:SUMMARY_CHARS])
    try:
        text = lxml_html.fragment_fromstring(markup, create_parent="div").text_content()
    except (etree.ParserError, ValueError):
        return _clean(re.sub(r"<[^>]*>", " ", markup)[:SUMMARY_CHARS])
    return _clean(str(text)[:SUMMARY_CHARS])


def _clean(value: object) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None


def _text(value: object) -> str | None:
    return _clean(value) if isinstance(value, str) else None
