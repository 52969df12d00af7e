"""The shared vocabulary of the pipeline: typed records that flow from stage to stage.

Stages import these records and nothing of each other, so each stage can run in a
loop, a process pool or on Dask with the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ARTICLE_SCHEMA = "parallax.article/1"

ANNOTATION_KEYS = ("actors", "mentions", "labels", "quotes", "dates", "quantities", "events")


def empty_annotations() -> dict[str, list[Any]]:
    return {key: [] for key in ANNOTATION_KEYS}


@dataclass(frozen=True)
class Metadata:
    """What is known about an article besides its text. ``None`` means unknown."""

    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published_at: str | None = None
    language: str | None = None

    def overridden_by(self, other: Metadata) -> Metadata:
        """Fields of ``other`` that are known win; the rest stay as they are."""
        return Metadata(
            outlet=other.outlet or self.outlet,
            url=other.url or self.url,
            title=other.title or self.title,
            author=other.author or self.author,
            published_at=other.published_at or self.published_at,
            language=other.language or self.language,
        )


@dataclass(frozen=True)
class Draft:
    """An article as a reader produced it, before it has an id.

    ``source`` is the path or URL it came from; ``record`` the 1-based line or index
    within a multi-article file (``None`` for single-article files).
    """

    text: str
    meta: Metadata
    source: str
    record: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def locator(self) -> str:
        return self.source if self.record is None else f"{self.source}#{self.record}"


@dataclass(frozen=True)
class Rejected:
    """An input that could not become an article, with the catalogue code and reason."""

    source: str
    record: int | None
    code: str
    reason: str

    @property
    def locator(self) -> str:
        return self.source if self.record is None else f"{self.source}#{self.record}"


@dataclass(frozen=True)
class Article:
    """One stored article, in the shape of the ``parallax.article/1`` contract."""

    id: str
    text: str
    source: str
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published_at: str | None = None
    language: str | None = None
    duplicate_of: str | None = None
    wire_of: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    annotations: dict[str, list[Any]] = field(default_factory=empty_annotations)

    def to_json(self) -> dict[str, Any]:
        """The ``parallax.article/1`` record; ``extra`` carries what the input had beyond it."""
        return {
            "schema": ARTICLE_SCHEMA,
            "id": self.id,
            "outlet": self.outlet,
            "title": self.title,
            "url": self.url,
            "author": self.author,
            "published_at": self.published_at,
            "language": self.language,
            "source": self.source,
            "text": self.text,
            "duplicate_of": self.duplicate_of,
            "wire_of": self.wire_of,
            "extra": self.extra,
            "annotations": self.annotations,
        }


@dataclass
class IngestSummary:
    """What one ingest run did; printed at the end and returned by the API."""

    ingested: int = 0
    already_stored: int = 0
    duplicates: int = 0
    wire_copies: int = 0
    quarantined: int = 0
    skipped_files: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Files met while walking directories whose type Parallax does not read."""

    @property
    def ok(self) -> bool:
        return self.quarantined == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "ingested": self.ingested,
            "already_stored": self.already_stored,
            "duplicates": self.duplicates,
            "wire_copies": self.wire_copies,
            "quarantined": self.quarantined,
            "skipped_files": self.skipped_files,
            "rejected": [r.__dict__ for r in self.rejected],
            "skipped": self.skipped,
        }
