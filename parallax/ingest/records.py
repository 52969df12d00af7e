"""JSON and JSONL records from crawlers: map their field names onto the article fields.

news-please (``maintext``, ``date_publish``, ``source_domain``, ``authors``),
newspaper (``text``, ``publish_date``, ``source_url``), NewsAPI-style
(``content``, ``publishedAt``, ``source: {name}``) and plain records all work.
Every field not mapped is kept in ``extra``: nothing the input carried is lost.
"""

from __future__ import annotations

from typing import Any

from parallax.errors import ParallaxError
from parallax.ingest.metadata import outlet_from_url, parse_published
from parallax.model import Metadata

TEXT_FIELDS = ("text", "maintext", "content", "body", "article_text", "full_text", "articleBody")
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "url": ("url", "link", "canonical_url", "canonical_link", "webUrl"),
    "outlet": ("outlet", "source_domain", "site_name", "sitename", "publisher", "source", "domain"),
    "author": ("author", "authors", "byline", "creator"),
    "published_at": (
        "published_at",
        "date_publish",
        "publish_date",
        "published",
        "publishedAt",
        "datePublished",
        "pubDate",
        "publication_date",
        "date",
    ),
    "language": ("language", "lang", "meta_lang"),
}
_SITE_URL_FIELDS = ("source_url", "site_url")


def parse_record(
    record: object, source: str, number: int | None = None
) -> tuple[str, Metadata, dict[str, Any]]:
    """Text, metadata and extra fields of one crawler record, the ``number``-th of
    ``source`` (``None`` for a file holding one record)."""
    if not isinstance(record, dict):
        raise ParallaxError("E008", source, f"got {type(record).__name__}", record=number)
    used: set[str] = set()
    text_key = next((k for k in TEXT_FIELDS if _text(record.get(k))), None)
    if text_key is None:
        fields = ", ".join(sorted(record)) or "none"
        raise ParallaxError("E007", source, f"fields present: {fields}", record=number)
    used.add(text_key)
    found = {name: _first(record, keys, used) for name, keys in FIELDS.items()}
    published_raw = found["published_at"]
    published = parse_published(published_raw)
    url = _text(found["url"])
    site = next((_text(record[k]) for k in _SITE_URL_FIELDS if _text(record.get(k))), None)
    meta = Metadata(
        outlet=_outlet(found["outlet"]) or outlet_from_url(site) or outlet_from_url(url),
        url=url,
        title=_text(found["title"]),
        author=_author(found["author"]),
        published_at=published,
        language=_text(found["language"]),
    )
    extra = {k: v for k, v in record.items() if k not in used and v not in (None, "", [], {})}
    if published_raw is not None and published is None:
        extra["unparsed_published_at"] = published_raw  # kept, never guessed
    return str(record[text_key]), meta, extra


def _first(record: dict[str, Any], keys: tuple[str, ...], used: set[str]) -> Any:
    for key in keys:
        if record.get(key) not in (None, "", [], {}):
            used.add(key)
            return record[key]
    return None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _outlet(value: Any) -> str | None:
    """An outlet name, also from NewsAPI's ``{"id": ..., "name": ...}`` objects."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("id")
    return _text(value)


def _author(value: Any) -> str | None:
    """Authors joined with commas; crawlers give a string or a list."""
    if isinstance(value, list):
        names = [name.strip() for name in value if isinstance(name, str) and name.strip()]
        return ", ".join(names) or None
    return _text(value)
