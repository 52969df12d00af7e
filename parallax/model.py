"""The shared vocabulary of the pipeline: typed records that flow from stage to stage.

Stages import these records and nothing of each other, so each stage can run in a
loop, a process pool or on Dask with the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

import numpy as np

from parallax.errors import locator
from parallax.text.outlets import shown_outlet

VERSION = "0.1.0"
"""Parallax's version (``parallax.__version__``), named as the producer of its documents."""

ARTICLE_SCHEMA = "parallax.article/1"

ANNOTATION_KEYS = (
    "actors",
    "mentions",
    "labels",
    "quotes",
    "dates",
    "quantities",
    "events",
    "sentences",
    "slots",
)
"""The contract's annotation keys, then Parallax's own (``sentences``, ``slots``: what the
compare stage reads instead of parsing again)."""


Span = list[int]
"""``[start, end]`` character offsets into the article's stored text: ``text[start:end]``."""


class ActorItem(TypedDict):
    id: str  # a slug of the canonical name, e.g. "nicolas-maduro": stable across articles
    name: str  # canonical name, e.g. "Nicolás Maduro"
    kind: str  # person | org | place | group | other
    aliases: list[str]  # every surface form seen in the article


class MentionItem(TypedDict):
    actor: str
    text: str
    span: Span


class LabelItem(TypedDict):
    actor: str
    text: str
    span: Span


class QuoteItem(TypedDict):
    speaker: str | None  # actor id
    speaker_name: str | None
    speaker_span: Span | None
    cue: str | None
    cue_span: Span | None
    text: str  # without the quotation marks
    span: Span
    direct: bool


class DateItem(TypedDict):
    text: str
    span: Span
    type: str  # date | time | duration | set
    value: str | None  # TimeML style: 2025-09-21, 2025-09, P4D, 2025-09-21T09:00
    precision: str | None  # day | month | year | time | ... or None


class QuantityItem(TypedDict):
    text: str
    span: Span
    value: float | None
    unit: str | None
    qualifier: str | None


class EventItem(TypedDict):
    actor: str | None
    action: str
    category: str
    target: str | None
    date: str | None
    span: Span


class SentenceItem(TypedDict):
    span: Span
    terms: list[str]  # content lemmas, lower case, repeats kept


class SlotItem(TypedDict):
    kind: str  # date | quantity | role (who did it: ``head`` the verb, ``thing`` its object)
    span: Span  # the value's span (a date or quantity item's span)
    head: str | None  # lemma of the predicate the value hangs on ("date", "keep")
    thing: str | None  # lemma of what it counts or dates ("warship", "letter")
    clause: Span  # the clause stating the value


class LanguageItem(TypedDict):
    code: str | None
    source: str
    confidence: float | None
    annotated: bool


class Annotations(TypedDict):
    """What annotation adds to an article (the contract's ``annotations``): every item
    carries its span into the stored text. ``sentences`` and ``slots`` are what the
    comparison reads instead of parsing again."""

    actors: list[ActorItem]
    mentions: list[MentionItem]
    labels: list[LabelItem]
    quotes: list[QuoteItem]
    dates: list[DateItem]
    quantities: list[QuantityItem]
    events: list[EventItem]
    sentences: list[SentenceItem]
    slots: list[SlotItem]
    language: NotRequired[LanguageItem]
    """The article's language and whether the English annotators read it."""
    skipped: NotRequired[str | None]
    """Why the annotators did not read the article (its language); absent when they did."""


def empty_annotations() -> Annotations:
    return Annotations(
        actors=[],
        mentions=[],
        labels=[],
        quotes=[],
        dates=[],
        quantities=[],
        events=[],
        sentences=[],
        slots=[],
    )


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
        return locator(self.source, self.record)


@dataclass(frozen=True)
class Rejected:
    """An input that could not become an article, with the catalogue code and reason."""

    source: str
    record: int | None
    code: str
    reason: str

    @property
    def locator(self) -> str:
        return locator(self.source, self.record)


@dataclass(frozen=True)
class Family:
    """A stored family of near-copies that shares an LSH band with a new article: one
    stored member's signature, and the family's origin (its first published article)."""

    signature: np.ndarray
    origin: str
    origin_outlet: str | None
    origin_published: str | None


@dataclass
class StoryActor:
    """One actor of a story, merged across its articles: what the stories stage finds
    (``parallax.stories.story_actors``) and the comparison reads."""

    id: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    article_ids: dict[str, str] = field(default_factory=dict)
    """article id -> the actor's id within that article (one per article)."""
    mentions: list[dict[str, Any]] = field(default_factory=list)
    """``{"article_id", "text", "span"}`` for every mention, in article order."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "aliases": self.aliases,
            "articles": list(self.article_ids),
            "article_actor_ids": self.article_ids,
            "mentions": self.mentions,
        }


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
    annotations: Annotations = field(default_factory=empty_annotations)
    annotator: str | None = None
    """Version of the annotator that made ``annotations``; ``None`` until annotated."""

    @property
    def detected_language(self) -> str | None:
        """The language annotation found, when the input stated none."""
        language = self.annotations.get("language") if self.annotations else None
        return language.get("code") if language else None

    def to_json(self) -> dict[str, Any]:
        """The ``parallax.article/1`` record (``language``: as the input stated it, else as
        detected); ``extra`` carries what the input had beyond it. ``outlet`` is as stored,
        ``outlet_name`` the name every report and page shows for it (the outlet table's,
        with what the store taught), so a reader can group by it without a table."""
        return {
            "schema": ARTICLE_SCHEMA,
            "id": self.id,
            "outlet": self.outlet,
            "outlet_name": shown_outlet(self.outlet) if self.outlet else None,
            "title": self.title,
            "url": self.url,
            "author": self.author,
            "published_at": self.published_at,
            "language": self.language or self.detected_language,
            "source": self.source,
            "text": self.text,
            "duplicate_of": self.duplicate_of,
            "wire_of": self.wire_of,
            "extra": self.extra,
            "annotator": self.annotator,
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
    annotated: int = 0
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
            "annotated": self.annotated,
            "skipped_files": self.skipped_files,
            "rejected": [r.__dict__ for r in self.rejected],
            "skipped": self.skipped,
        }


# -- parallax.report/1 ---------------------------------------------------------------------
# The comparison's output contract (docs/report.md), as typed records so that mypy checks
# what compare builds and what the renderers read. Every item points at its evidence: an
# ``article_id`` and a ``span`` into that article's stored text.

REPORT_SCHEMA = "parallax.report/1"


class Context(TypedDict):
    """The words of the same sentence around an evidence span."""

    before: str
    after: str


class Evidence(TypedDict):
    article_id: str
    text: str
    span: Span
    outlet: str
    attributed_to: NotRequired[str | None]
    context: NotRequired[Context]


class ReportArticle(TypedDict):
    id: str
    outlet: str | None
    title: str | None
    url: str | None
    published_at: str | None
    source: str
    outlet_name: str
    group: str
    wire_of: str | None
    relays: str | None


class ReportGroup(TypedDict):
    id: str
    articles: list[str]
    outlets: list[str]


class ReportLabel(TypedDict):
    article_id: str
    text: str
    span: Span
    outlet: str


class ReportActor(TypedDict):
    id: str
    name: str
    kind: str
    aliases: list[str]
    labels: list[ReportLabel]
    articles: list[str]
    mentions: int


class LabelRow(TypedDict):
    """One row of the label table: how each outlet labels one actor."""

    actor: str
    name: str
    by_outlet: dict[str, list[str]]


class ReportFact(TypedDict):
    id: str
    text: str
    status: str  # corroborated | single_source | disputed
    outlets: list[str]
    attributed_to: str | None
    evidence: list[Evidence]
    independent_outlets: int
    attribution_drift: bool
    conflicts: list[str]
    basis: str  # value | sentence | quote


class ConflictValue(TypedDict):
    value: str
    article_id: str
    text: str
    span: Span
    outlet: str
    value_span: Span
    context: NotRequired[Context]


class ReportConflict(TypedDict):
    id: str
    about: str
    kind: str  # date | number | name | attribution
    values: list[ConflictValue]
    fact: str | None


class ReportQuote(TypedDict):
    speaker: str | None
    speaker_name: str | None
    text: str
    direct: bool
    article_id: str
    span: Span
    outlet: str
    group: str
    carried_by: list[str]
    wording_differs: bool
    partial: bool
    context: NotRequired[Context]


class TimelineAlso(TypedDict):
    article_id: str
    text: str
    span: Span
    outlet: str


class TimelineEntry(TypedDict):
    date: str
    precision: str | None
    text: str
    article_id: str
    span: Span
    outlet: str
    outlets: list[str]
    conflict: str | None
    date_text: str
    date_span: Span
    also: list[TimelineAlso]
    context: NotRequired[Context]


class LoadedTerm(TypedDict):
    text: str
    span: Span
    category: str
    target: str | None


class Hedge(TypedDict):
    text: str
    span: Span
    kind: str


class ScareQuote(TypedDict):
    text: str
    span: Span


class ArticleFraming(TypedDict):
    article_id: str
    tone: float | None
    loaded_terms: list[LoadedTerm]
    hedges: list[Hedge]
    scare_quotes: list[ScareQuote]
    reported_terms: list[dict[str, Any]]
    outlet: str


class StoryReport(TypedDict):
    id: str
    title: str | None
    summary: str | None
    articles: list[ReportArticle]
    groups: list[ReportGroup]
    actors: list[ReportActor]
    labels: list[LabelRow]
    facts: list[ReportFact]
    conflicts: list[ReportConflict]
    quotes: list[ReportQuote]
    timeline: list[TimelineEntry]
    framing: list[ArticleFraming]


class Report(TypedDict):
    schema: str
    generated_by: str
    stories: list[StoryReport]
