"""The report as the renderers see it: typed, complete, and safe to walk.

A report arrives as JSON-shaped data in the ``parallax.report/1`` contract. Only the
required fields are promised; Parallax's extra fields may be missing (an older writer, a
report from another tool) and anything may be malformed (a hand-edited file). Reading it
once here, with a default for every extra field and a fallback derived from the required
ones, keeps the three renderers free of ``.get`` chains and makes them agree on what a
story contains. Nothing here raises on odd input: a field of the wrong type reads as absent.

Display text is cleaned once, here: whitespace runs become one space (a table cell or a
terminal line cannot be broken by a newline inside a quote) and control characters are
dropped (an article must not be able to send escape sequences to a terminal, or flip the
reading direction of what follows it). Escaping for a format is the renderer's job.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

UNKNOWN_OUTLET = "unknown outlet"
CONTEXT_CHARS = 140
"""How much sentence context to keep either side of a highlighted span: enough to read the
claim in its sentence, short enough that two sides of a conflict fit next to each other.
Kept below the comparison's own cut (:data:`parallax.compare.context.CONTEXT_CHARS`, 160
characters of the stored text, taken wherever they fall, mid-word too): a context the
comparison cut is always longer than this, so it is cut again here, at a word, and the cut
is shown with "…"; a context shorter than this is a whole sentence part, shown whole."""

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACE = re.compile(r"\s+")
_UNCLEAN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[^\\S ]| {2}"
)
"""Anything :func:`_squash` would change: a control or invisible character, a space that
is not a plain one, or two spaces in a row."""
_T = TypeVar("_T")
_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f]+", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """A span of an article shown in its sentence: the unit every item is backed by."""

    article_id: str
    text: str
    outlet: str | None
    before: str = ""
    after: str = ""
    attributed_to: str | None = None
    span: tuple[int, int] | None = None
    edited: bool = False
    """Not in the article as first published: added or changed by a later edit."""

    @property
    def source(self) -> str:
        """Who carries the span, as a reader names it."""
        return self.outlet or UNKNOWN_OUTLET


@dataclass(frozen=True)
class ArticleView:
    id: str
    outlet: str | None
    title: str | None
    url: str | None
    published_at: str | None
    source: str
    group: str
    wire_of: str | None = None
    relays: str | None = None
    stored_outlet: str | None = None
    """The outlet the article was stored with (``outlet``); None when it came without one
    and ``outlet`` is a name made up for it (the url's host, ``unknown (file.txt)``)."""

    @property
    def day(self) -> str | None:
        """The publication date without the time: what a reader compares across outlets."""
        return _iso_day(self.published_at)


@dataclass(frozen=True)
class GroupView:
    """One independence group: the outlets whose articles count as one confirmation."""

    id: str
    outlets: tuple[str, ...]
    articles: tuple[ArticleView, ...]
    tone: float | None
    labels: tuple[tuple[str, tuple[str, ...]], ...]
    uses: Mapping[tuple[str, str], tuple[Evidence, ...]] = field(default_factory=dict)
    """``(actor name, label)`` to every place the group's articles use that label."""


@dataclass(frozen=True)
class ConflictRef:
    """A stable, renderer-owned handle on a conflict: report ids are untrusted text."""

    anchor: str
    number: int
    about: str


@dataclass(frozen=True)
class ConflictValue:
    value: str
    evidence: Evidence


@dataclass(frozen=True)
class ConflictView:
    ref: ConflictRef
    id: str
    about: str
    kind: str
    values: tuple[ConflictValue, ...]
    fact: str | None

    @property
    def sides(self) -> tuple[tuple[str, tuple[Evidence, ...]], ...]:
        """The values with every article that gives each: a conflict has sides, not rows."""
        found: dict[str, list[Evidence]] = {}
        for value in self.values:
            found.setdefault(value.value, []).append(value.evidence)
        return tuple((value, tuple(evidence)) for value, evidence in found.items())


@dataclass(frozen=True)
class FactView:
    id: str
    text: str
    status: str
    outlets: tuple[str, ...]
    independent_outlets: int | None
    attribution_drift: bool
    attributed_to: str | None
    evidence: tuple[Evidence, ...]
    conflicts: tuple[ConflictRef, ...]
    edited: bool = False

    @property
    def asserted_by(self) -> tuple[str, ...]:
        """Outlets that state the fact in their own voice."""
        return _unique(e.source for e in self.evidence if e.attributed_to is None)

    @property
    def attributed_by(self) -> tuple[str, ...]:
        """Outlets that put the fact in someone's mouth."""
        return _unique(e.source for e in self.evidence if e.attributed_to is not None)


@dataclass(frozen=True)
class LabelRow:
    """One row of the label table: how each outlet names one actor, and where it does."""

    actor: str
    by_outlet: Mapping[str, tuple[str, ...]]
    articles: Mapping[str, tuple[str, ...]]
    """Label text to the articles that use it, so every label can point at its evidence."""
    actor_id: str | None = None
    uses: Mapping[tuple[str, str], tuple[Evidence, ...]] = field(default_factory=dict)
    """``(outlet, label)`` to every span where that outlet gives the actor that label."""

    def evidence(self, outlet: str, label: str) -> tuple[Evidence, ...]:
        return self.uses.get((outlet, label), ())


@dataclass(frozen=True)
class QuoteVariant:
    text: str
    direct: bool
    relation: str
    """``full``, ``trimmed`` (a shorter cut of the same words) or ``reworded``."""
    evidence: Evidence


@dataclass(frozen=True)
class QuoteGroup:
    """One quotation and every article that carries it, however each one cut it."""

    id: str
    speaker: str | None
    text: str
    direct: bool
    outlets: tuple[str, ...]
    wording_differs: bool
    variants: tuple[QuoteVariant, ...]


@dataclass(frozen=True)
class TimelineEntry:
    date: str
    precision: str
    text: str
    outlets: tuple[str, ...]
    conflict: ConflictRef | None
    evidence: Evidence

    @property
    def start(self) -> dt.date | None:
        """The first day the entry can mean, to place it on one calendar."""
        return parse_partial_date(self.date)


@dataclass(frozen=True)
class LoadedTerm:
    text: str
    category: str | None
    target: str | None
    count: int
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class OutletFraming:
    """Framing summed over one outlet's articles: a researcher compares outlets, not files."""

    outlet: str
    articles: tuple[str, ...]
    tone: float | None
    loaded_terms: tuple[LoadedTerm, ...]
    hedges: tuple[tuple[str, str | None], ...]
    scare_quotes: tuple[str, ...]
    hedge_uses: Mapping[tuple[str, str | None], tuple[Evidence, ...]] = field(default_factory=dict)
    scare_uses: Mapping[str, tuple[Evidence, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class EditView:
    """One article its outlet edited after publishing: the headline then and now, and the
    sentences the first text had that the current one lacks (quoted from that revision)."""

    article_id: str
    outlet: str
    revision: int
    first_title: str | None
    title: str | None
    removed: tuple[str, ...]

    @property
    def retitled(self) -> bool:
        return bool(self.first_title) and self.first_title != self.title


@dataclass(frozen=True)
class StoryView:
    anchor: str
    id: str
    title: str
    summary: str | None
    articles: tuple[ArticleView, ...]
    outlets: tuple[str, ...]
    groups: tuple[GroupView, ...]
    conflicts: tuple[ConflictView, ...]
    facts: tuple[FactView, ...]
    labels: tuple[LabelRow, ...]
    quotes: tuple[QuoteGroup, ...]
    timeline: tuple[TimelineEntry, ...]
    framing: tuple[OutletFraming, ...]
    edits: tuple[EditView, ...] = ()
    stored_outlets: frozenset[str] = frozenset()
    """Outlet names as shown that stand for an outlet some article was stored with: the
    names an outlet's page can be found under. A name made up for an article without an
    outlet (``unknown (file.txt)``) names no outlet, and is not among them."""

    @property
    def date_range(self) -> tuple[str, str] | None:
        """First and last publication day, when any article has one."""
        days = sorted(d for d in (a.day for a in self.articles) if d)
        return (days[0], days[-1]) if days else None

    @property
    def label_outlets(self) -> tuple[str, ...]:
        """The label table's columns: outlets that name any actor, in story order."""
        used = {outlet for row in self.labels for outlet in row.by_outlet}
        return tuple(o for o in _unique((*self.outlets, *sorted(used))) if o in used)


@dataclass(frozen=True)
class ReportView:
    schema: str
    generated_by: str | None
    stories: tuple[StoryView, ...]


def read_report(report: Mapping[str, Any]) -> ReportView:
    """Read a ``parallax.report/1`` mapping into the view all renderers share."""
    stories = tuple(
        _story(raw, index) for index, raw in enumerate(_items(_get(report, "stories")), 1)
    )
    return ReportView(
        schema=_text(_get(report, "schema")) or "parallax.report/1",
        generated_by=_shown(_get(report, "generated_by")),
        stories=stories,
    )


def clean(value: object) -> str:
    """Display form of untrusted text: one line, no control characters."""
    return _squash(value).strip()


def _squash(value: object) -> str:
    """Like :func:`clean` but keeps one space at the ends: context must still read
    ``letter is dated`` and ``6, four``, joined to its span as it was in the sentence."""
    text = _text(value)
    if not _UNCLEAN.search(text):  # most strings: one scan instead of three rewrites
        return text
    return _SPACE.sub(" ", _CONTROL.sub(" ", _INVISIBLE.sub("", text)))


def outlet_name(outlet: str | None) -> str:
    """An outlet as a reader sees it: ``None`` is said out loud, not left blank."""
    return outlet or UNKNOWN_OUTLET


def parse_partial_date(value: str) -> dt.date | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` to its first day; anything else to ``None``."""
    parts = value.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return None
    numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
    try:
        return dt.date(numbers[0], numbers[1], numbers[2])
    except ValueError:
        return None


def tone_word(tone: float | None) -> str:
    """A word for a tone score, assumed on [-1, 1] like the framing stage writes it."""
    if tone is None:
        return "no tone"
    if tone <= -0.15:
        return "negative"
    if tone >= 0.15:
        return "positive"
    return "neutral"


# --- reading one story -------------------------------------------------------------------


class _Story:
    """What one story's items need from the rest of it: names of actors, outlets of articles."""

    def __init__(self, raw: Mapping[str, Any], anchor: str) -> None:
        self.raw = raw
        self.anchor = anchor
        self.articles = tuple(_article(a) for a in _items(_get(raw, "articles")))
        self.outlet_of = {a.id: a.outlet for a in self.articles}
        """Article id (cleaned, as every id is before a lookup) to its outlet."""
        self.actor_names = {
            _text(a.get("id")): clean(a.get("name")) for a in _items(_get(raw, "actors"))
        }
        self.fact_texts = {
            _text(f.get("id")): clean(f.get("text")) for f in _items(_get(raw, "facts"))
        }
        self.conflicts = _items(_get(raw, "conflicts"))
        self.conflict_numbers = [
            ConflictRef(f"{anchor}-conflict-{number}", number, clean(conflict.get("about")))
            for number, conflict in enumerate(self.conflicts, 1)
        ]
        self.conflict_refs: dict[str, ConflictRef] = {}
        """Conflict id to the first conflict with it, for facts and dates that point at one."""
        for conflict, ref in zip(self.conflicts, self.conflict_numbers, strict=True):
            self.conflict_refs.setdefault(_text(conflict.get("id")), ref)

    def actor(self, actor_id: object) -> str | None:
        """An actor's name for display; an id the story does not know is shown as given."""
        if not isinstance(actor_id, str) or not actor_id:
            return None
        return self.actor_names.get(actor_id) or clean(actor_id)

    def evidence(self, item: Mapping[str, Any]) -> Evidence:
        article_id = clean(item.get("article_id"))
        outlet = _shown(item.get("outlet")) or self.outlet_of.get(article_id)
        context = _get(item, "context")
        before = _clip_before(_squash(_get(context, "before")).lstrip())
        after = _clip_after(_squash(_get(context, "after")).rstrip())
        return Evidence(
            article_id=article_id,
            text=clean(item.get("text")),
            outlet=outlet,
            before=before,
            after=after,
            attributed_to=self.actor(item.get("attributed_to")),
            span=_span(item.get("span")),
            edited=item.get("changed_after_publication") is True,
        )


def _story(raw: Mapping[str, Any], index: int) -> StoryView:
    story = _Story(raw, f"story-{index}")
    outlets = _unique(outlet_name(a.outlet) for a in story.articles)
    conflicts = tuple(
        _conflict(story, raw_conflict, ref)
        for raw_conflict, ref in zip(story.conflicts, story.conflict_numbers, strict=True)
    )
    title = clean(raw.get("title")) or "Untitled story"
    return StoryView(
        anchor=story.anchor,
        id=clean(raw.get("id")),
        title=title,
        summary=distinct_summary(title, raw.get("summary")),
        articles=story.articles,
        outlets=outlets,
        groups=_groups(story),
        conflicts=conflicts,
        facts=tuple(_fact(story, f) for f in _items(_get(raw, "facts"))),
        labels=_labels(story),
        quotes=_quotes(story),
        timeline=_timeline(story),
        framing=_framing(story),
        edits=tuple(_edit(story, e) for e in _items(_get(raw, "edits"))),
        stored_outlets=frozenset(outlet_name(a.outlet) for a in story.articles if a.stored_outlet),
    )


def distinct_summary(title: object, summary: object) -> str | None:
    """A story's summary when it says more than its title; None when it is the title again
    (a story of articles without a headline is titled by the same first sentence that
    summarises it, and a reader must not be shown it twice)."""
    shown = clean(summary)
    return shown if shown and _summary_key(shown) != _summary_key(clean(title)) else None


def _summary_key(text: str) -> str:
    return text.casefold().rstrip(" .…")


def _edit(story: _Story, raw: Mapping[str, Any]) -> EditView:
    article_id = clean(raw.get("article_id"))
    title = _get(raw, "title")
    revision = raw.get("revision")
    return EditView(
        article_id=article_id,
        outlet=outlet_name(story.outlet_of.get(article_id)),
        revision=revision if type(revision) is int else 1,
        first_title=_shown(_get(title, "first")),
        title=_shown(_get(title, "now")),
        removed=tuple(
            clean(r.get("text")) for r in _items(raw.get("removed")) if clean(r.get("text"))
        ),
    )


def _article(raw: Mapping[str, Any]) -> ArticleView:
    article_id = clean(raw.get("id"))
    return ArticleView(
        id=article_id,
        outlet=clean(raw.get("outlet_name")) or clean(raw.get("outlet")) or None,
        title=clean(raw.get("title")) or None,
        url=_safe_url(raw.get("url")),
        published_at=clean(raw.get("published_at")) or None,
        source=clean(raw.get("source")),
        group=clean(raw.get("group")) or "",
        wire_of=clean(raw.get("wire_of")) or None,
        relays=clean(raw.get("relays")) or None,
        stored_outlet=clean(raw.get("outlet")) or None,
    )


def _groups(story: _Story) -> tuple[GroupView, ...]:
    """Independence groups from the report, else from each article's group, else by outlet."""
    by_id = {a.id: a for a in story.articles}
    members: dict[str, list[ArticleView]] = {}
    for raw in _items(_get(story.raw, "groups")):
        found = [by_id[clean(i)] for i in _strings(raw.get("articles")) if clean(i) in by_id]
        if found:
            members.setdefault(clean(raw.get("id")), []).extend(found)
    placed = {a.id for group in members.values() for a in group}
    for article in story.articles:
        if article.id not in placed:
            members.setdefault(article.group or outlet_name(article.outlet), []).append(article)
    tones = _article_tones(story)
    labels = _labels_by_article(story)
    return tuple(_group(gid, arts, tones, labels) for gid, arts in members.items())


_ArticleLabel = tuple[int, str, Evidence]
"""A label as one article gives it: the actor's position in the story, its name, and the
label's span (whose ``text`` is the label)."""


def _labels_by_article(story: _Story) -> dict[str, list[_ArticleLabel]]:
    """Each article's labels, read once for every group (a story of many groups and many
    labels is not read once per group)."""
    found: dict[str, list[_ArticleLabel]] = {}
    for position, actor in enumerate(_items(_get(story.raw, "actors"))):
        name = clean(actor.get("name"))
        for label in _items(actor.get("labels")):
            evidence = story.evidence(label)
            if evidence.text:
                found.setdefault(evidence.article_id, []).append((position, name, evidence))
    return found


def _group(
    gid: str,
    articles: list[ArticleView],
    tones: Mapping[str, float],
    labels_of: Mapping[str, list[_ArticleLabel]],
) -> GroupView:
    ids = list(dict.fromkeys(a.id for a in articles))
    mine = sorted((item for i in ids for item in labels_of.get(i, ())), key=lambda x: x[0])
    labels: dict[str, list[str]] = {}
    uses: dict[tuple[str, str], list[Evidence]] = {}
    for _, name, evidence in mine:
        labels.setdefault(name, []).append(evidence.text)
        uses.setdefault((name, evidence.text), []).append(evidence)
    scores = [tones[i] for i in ids if i in tones]
    return GroupView(
        id=gid,
        outlets=_unique(outlet_name(a.outlet) for a in articles),
        articles=tuple(articles),
        tone=sum(scores) / len(scores) if scores else None,
        labels=tuple((name, _unique(texts)) for name, texts in labels.items()),
        uses={key: tuple(found) for key, found in uses.items()},
    )


def _conflict(story: _Story, raw: Mapping[str, Any], ref: ConflictRef) -> ConflictView:
    fact_id = _opt(raw.get("fact"))
    return ConflictView(
        ref=ref,
        id=clean(raw.get("id")),
        about=clean(raw.get("about")) or "an unnamed slot",
        kind=clean(raw.get("kind")) or "other",
        values=tuple(
            ConflictValue(clean(v.get("value")), story.evidence(v))
            for v in _items(raw.get("values"))
        ),
        fact=story.fact_texts.get(fact_id) if fact_id else None,
    )


def _fact(story: _Story, raw: Mapping[str, Any]) -> FactView:
    evidence = tuple(story.evidence(e) for e in _items(raw.get("evidence")))
    outlets = _unique(clean(o) for o in _strings(raw.get("outlets"))) or _unique(
        e.source for e in evidence
    )
    independent = raw.get("independent_outlets")
    refs = [story.conflict_refs.get(c) for c in _strings(raw.get("conflicts"))]
    return FactView(
        id=clean(raw.get("id")),
        text=clean(raw.get("text")),
        status=clean(raw.get("status")) or "single_source",
        outlets=outlets,
        independent_outlets=independent if type(independent) is int else None,
        attribution_drift=raw.get("attribution_drift") is True,
        attributed_to=story.actor(raw.get("attributed_to")),
        evidence=evidence,
        conflicts=tuple(r for r in refs if r is not None),
        edited=raw.get("changed_after_publication") is True,
    )


def _labels(story: _Story) -> tuple[LabelRow, ...]:
    """The label table from the report, or rebuilt from each actor's labels."""
    actors = {_text(a.get("id")): a for a in _items(_get(story.raw, "actors"))}
    rows = [
        _label_row(story, raw, actors.get(_text(raw.get("actor")), {}))
        for raw in _items(_get(story.raw, "labels"))
    ]
    if not rows:
        rows = [_actor_label_row(story, actor) for actor in actors.values()]
    return tuple(row for row in rows if row.by_outlet)


def _label_row(story: _Story, raw: Mapping[str, Any], actor: Mapping[str, Any]) -> LabelRow:
    by_outlet = _get(raw, "by_outlet")
    table = {
        outlet_name(clean(outlet) or None): _unique(clean(t) for t in _strings(texts))
        for outlet, texts in (by_outlet.items() if isinstance(by_outlet, Mapping) else ())
    }
    name = clean(raw.get("name")) or story.actor(raw.get("actor")) or "unnamed actor"
    actor_id = clean(raw.get("actor")) or None
    by_outlet = {o: t for o, t in table.items() if t}
    return LabelRow(name, by_outlet, _label_articles(actor), actor_id, _label_uses(story, actor))


def _actor_label_row(story: _Story, actor: Mapping[str, Any]) -> LabelRow:
    table: dict[str, list[str]] = {}
    for label in _items(actor.get("labels")):
        outlet = _shown(label.get("outlet")) or story.outlet_of.get(clean(label.get("article_id")))
        if clean(label.get("text")):
            table.setdefault(outlet_name(outlet), []).append(clean(label.get("text")))
    name = clean(actor.get("name")) or "unnamed actor"
    by_outlet = {o: _unique(t) for o, t in table.items()}
    actor_id = clean(actor.get("id")) or None
    return LabelRow(name, by_outlet, _label_articles(actor), actor_id, _label_uses(story, actor))


def _label_uses(
    story: _Story, actor: Mapping[str, Any]
) -> dict[tuple[str, str], tuple[Evidence, ...]]:
    """``(outlet, label)`` to the spans of an actor's labels: a cell of the label table
    names each label once, and links to every place its outlet used it."""
    found: dict[tuple[str, str], list[Evidence]] = {}
    for label in _items(actor.get("labels")):
        evidence = story.evidence(label)
        if evidence.text:
            found.setdefault((evidence.source, evidence.text), []).append(evidence)
    return {key: tuple(uses) for key, uses in found.items()}


def _label_articles(actor: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for label in _items(actor.get("labels")):
        found.setdefault(clean(label.get("text")), []).append(clean(label.get("article_id")))
    return {text: _unique(ids) for text, ids in found.items()}


def _quotes(story: _Story) -> tuple[QuoteGroup, ...]:
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for index, raw in enumerate(_items(_get(story.raw, "quotes"))):
        grouped.setdefault(_text(raw.get("group")) or f"quote-{index}", []).append(raw)
    return tuple(_quote_group(story, gid, items) for gid, items in grouped.items())


def _quote_group(story: _Story, gid: str, items: list[Mapping[str, Any]]) -> QuoteGroup:
    texts = [clean(q.get("text")) for q in items]
    full = max(texts, key=len)
    whole = _words(full)
    variants = tuple(
        QuoteVariant(
            text=text,
            direct=q.get("direct") is True,
            relation=_relation(_words(text), whole),
            evidence=story.evidence(q),
        )
        for q, text in zip(items, texts, strict=True)
    )
    named = dict.fromkeys(o for q in items for o in _strings(q.get("carried_by")))
    carried = [clean(o) for o in named]  # every carrier repeats the list: clean each once
    outlets = _unique(carried) or _unique(v.evidence.source for v in variants)
    speaker = next(
        (clean(q.get("speaker_name")) for q in items if clean(q.get("speaker_name"))), ""
    )
    flagged = any(q.get("wording_differs") is True for q in items)
    return QuoteGroup(
        id=clean(gid),
        speaker=speaker or story.actor(next((q.get("speaker") for q in items), None)),
        text=full,
        direct=any(v.direct for v in variants),
        outlets=outlets,
        wording_differs=flagged or any(v.relation == "reworded" for v in variants),
        variants=variants,
    )


def _relation(words: str, whole: str) -> str:
    """How one carrier's cut of a quote relates to the longest cut of it (both as
    :func:`_words` gives them)."""
    if words == whole:
        return "full"
    return "trimmed" if words and words in whole else "reworded"


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _timeline(story: _Story) -> tuple[TimelineEntry, ...]:
    entries = []
    for raw in _items(_get(story.raw, "timeline")):
        evidence = story.evidence(raw)
        outlets = _unique(clean(o) for o in _strings(raw.get("outlets"))) or (evidence.source,)
        conflict_id = _opt(raw.get("conflict"))
        entries.append(
            TimelineEntry(
                date=clean(raw.get("date")) or "undated",
                precision=clean(raw.get("precision")) or "day",
                text=evidence.text,
                outlets=outlets,
                conflict=story.conflict_refs.get(conflict_id) if conflict_id else None,
                evidence=evidence,
            )
        )
    return tuple(sorted(entries, key=lambda e: (e.start or dt.date.max, e.date)))


def _framing(story: _Story) -> tuple[OutletFraming, ...]:
    by_outlet: dict[str, list[Mapping[str, Any]]] = {}
    for raw in _items(_get(story.raw, "framing")):
        outlet = _shown(raw.get("outlet")) or story.outlet_of.get(clean(raw.get("article_id")))
        by_outlet.setdefault(outlet_name(outlet), []).append(raw)
    return tuple(_outlet_framing(story, o, items) for o, items in by_outlet.items())


def _outlet_framing(story: _Story, outlet: str, items: list[Mapping[str, Any]]) -> OutletFraming:
    terms: dict[tuple[str, str | None], list[tuple[Mapping[str, Any], Evidence]]] = {}
    for item, term in _framing_items(items, "loaded_terms"):
        key = (clean(term.get("text")), story.actor(term.get("target")))
        if key[0]:
            terms.setdefault(key, []).append((term, _term_evidence(item, term, outlet)))
    hedges: dict[tuple[str, str | None], list[Evidence]] = {}
    for item, hedge in _framing_items(items, "hedges"):
        key = (clean(hedge.get("text")), clean(hedge.get("kind")) or None)
        if key[0]:
            hedges.setdefault(key, []).append(_term_evidence(item, hedge, outlet))
    scares: dict[str, list[Evidence]] = {}
    for item, scare in _framing_items(items, "scare_quotes"):
        if clean(scare.get("text")):
            scares.setdefault(clean(scare.get("text")), []).append(
                _term_evidence(item, scare, outlet)
            )
    tones = [t for t in (_number(item.get("tone")) for item in items) if t is not None]
    return OutletFraming(
        outlet=outlet,
        articles=_unique(clean(item.get("article_id")) for item in items),
        tone=sum(tones) / len(tones) if tones else None,
        loaded_terms=tuple(
            LoadedTerm(
                text,
                clean(found[0][0].get("category")) or None,
                target,
                len(found),
                tuple(evidence for _, evidence in found),
            )
            for (text, target), found in terms.items()
        ),
        hedges=tuple(hedges),
        scare_quotes=tuple(scares),
        hedge_uses={key: tuple(uses) for key, uses in hedges.items()},
        scare_uses={key: tuple(uses) for key, uses in scares.items()},
    )


def _framing_items(
    items: list[Mapping[str, Any]], kind: str
) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """Every term of one kind (``loaded_terms``, ``hedges``, ``scare_quotes``) with the
    framing item of the article it is in."""
    for item in items:
        for term in _items(item.get(kind)):
            yield item, term


def _term_evidence(item: Mapping[str, Any], term: Mapping[str, Any], outlet: str) -> Evidence:
    """A framing term's span: the term carries the span, its article's item the id."""
    return Evidence(
        article_id=clean(item.get("article_id")),
        text=clean(term.get("text")),
        outlet=outlet,
        span=_span(term.get("span")),
    )


def _article_tones(story: _Story) -> dict[str, float]:
    tones: dict[str, float] = {}
    for raw in _items(_get(story.raw, "framing")):
        tone = _number(raw.get("tone"))
        if tone is not None:
            tones[clean(raw.get("article_id"))] = tone
    return tones


# --- defensive readers -------------------------------------------------------------------


def _get(mapping: object, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, Mapping) else None


def _items(value: object) -> list[Mapping[str, Any]]:
    """The mappings of a list field; a missing field or a stray scalar reads as nothing."""
    if not isinstance(value, list | tuple):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _strings(value: object) -> list[str]:
    if not isinstance(value, list | tuple):
        return []
    return [_text(item) for item in value if isinstance(item, str)]


def _text(value: object) -> str:
    """A plain ``str`` copy: a ``str`` subclass (say ``markupsafe.Markup``) must not carry
    its own idea of being safe into a template."""
    return str.__str__(value) if isinstance(value, str) else ""


def _shown(value: object) -> str | None:
    """A display string that may be absent: cleaned, and ``None`` when nothing is left."""
    return clean(value) or None


def _opt(value: object) -> str | None:
    return _text(value) or None


def _span(value: object) -> tuple[int, int] | None:
    """A ``[start, end]`` pair of non-negative integers, or None for anything else."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    start, end = value
    ok = all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (start, end))
    return (start, end) if ok and start <= end else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _safe_url(value: object) -> str | None:
    """Only web addresses become links: ``javascript:`` or ``data:`` from a feed must not."""
    url = _text(value).strip()
    return url if _SAFE_URL.fullmatch(url) else None


def _clip_before(text: str) -> str:
    """The end of the words before a span, cut at a word so the cut is visible as one:
    a word the cut runs through is left out whole, and "…" stands where the cut is."""
    if len(text) <= CONTEXT_CHARS:
        return text
    tail = text[-CONTEXT_CHARS:]
    if not text[-CONTEXT_CHARS - 1].isspace() and " " in tail:
        tail = tail[tail.find(" ") :]
    return "…" + tail.lstrip()


def _clip_after(text: str) -> str:
    """The start of the words after a span, cut at a word like :func:`_clip_before`."""
    if len(text) <= CONTEXT_CHARS:
        return text
    head = text[:CONTEXT_CHARS]
    if not text[CONTEXT_CHARS].isspace() and " " in head:
        head = head[: head.rfind(" ")]
    return head.rstrip() + "…"


def _iso_day(value: str | None) -> str | None:
    if value and re.match(r"\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    return None


def _unique(values: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(values))
