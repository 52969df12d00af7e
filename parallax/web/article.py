"""An article's stored text cut into pieces for the page that highlights its annotations.

Annotations overlap (a label inside a quote, a date inside a statement), so the text is
cut at every boundary and each piece carries the layers it lies in; an anchor sits where
each annotated or cited span starts, so ``#span-START-END`` scrolls to it without any
script, and the page's small script highlights the exact range. The pieces are plain
data: the template escapes every character of the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

LAYERS = ("actor", "label", "quote", "date", "quantity")


@dataclass(frozen=True)
class Piece:
    """A stretch of text and the layers it lies in (``notes``: what each one says)."""

    start: int
    end: int
    text: str
    layers: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()
    """Ids of the spans that start here (``span-START-END``)."""


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    layer: str
    note: str


def _mark(span: Sequence[int], layer: str, note: str) -> Mark:
    return Mark(int(span[0]), int(span[1]), layer, note)


def span_id(start: int, end: int) -> str:
    return f"span-{start}-{end}"


def marks(annotations: Mapping[str, Any]) -> list[Mark]:
    """The highlighted spans of an article's annotations, with what each one says."""
    names = {a["id"]: a["name"] for a in annotations.get("actors", ())}
    kinds = {a["id"]: a.get("kind") or "" for a in annotations.get("actors", ())}
    found: list[Mark] = []
    for item in annotations.get("mentions", ()):
        actor = item.get("actor")
        note = f"{names.get(actor, actor)} ({kinds.get(actor, '')})".replace(" ()", "")
        found.append(_mark(item["span"], "actor", note))
    for item in annotations.get("labels", ()):
        found.append(_mark(item["span"], "label", f"label of {names.get(item.get('actor'), '?')}"))
    for item in annotations.get("quotes", ()):
        speaker = names.get(item.get("speaker")) or item.get("speaker_name") or "unknown speaker"
        kind = "quote" if item.get("direct") else "paraphrase"
        found.append(_mark(item["span"], "quote", f"{kind} of {speaker}"))
    for item in annotations.get("dates", ()):
        value = item.get("value") or "unresolved"
        found.append(_mark(item["span"], "date", f"{item.get('type', 'date')} → {value}"))
    for item in annotations.get("quantities", ()):
        value = item.get("value")
        shown = "?" if value is None else f"{value:g}"
        unit = f" {item['unit']}" if item.get("unit") else ""
        found.append(_mark(item["span"], "quantity", f"quantity {shown}{unit}"))
    return [m for m in found if 0 <= m.start < m.end]


def pieces(text: str, found: Sequence[Mark], cited: Iterable[tuple[int, int]] = ()) -> list[Piece]:
    """Cut ``text`` at every mark's boundary; anchors for marks and ``cited`` spans."""
    size = len(text)
    spans = {(m.start, min(m.end, size)) for m in found} | {
        (s, min(e, size)) for s, e in cited if 0 <= s < e
    }
    anchors: dict[int, list[str]] = {}
    for start, end in sorted(spans):
        if start < size:
            anchors.setdefault(start, []).append(span_id(start, end))
    ends = {end for _, end in spans}
    cuts = sorted({0, size, *(m.start for m in found if m.start < size), *anchors, *ends})
    by_start = sorted((m for m in found if m.start < size), key=lambda m: m.start)
    active: list[Mark] = []
    result = []
    following = 0
    for start, end in pairwise(cuts):
        active = [m for m in active if m.end > start]
        while following < len(by_start) and by_start[following].start <= start:
            active.append(by_start[following])
            following += 1
        layers = tuple(dict.fromkeys(m.layer for m in active))
        notes = tuple(dict.fromkeys(m.note for m in active))
        here = tuple(anchors.get(start, ()))
        result.append(Piece(start, end, text[start:end], layers, notes, here))
    return result


def cited_spans(report: Mapping[str, Any] | None, article_id: str) -> list[tuple[int, int]]:
    """Every span of this article that a story's report cites as evidence (framing terms
    included: the story page links each one), so each has an anchor to land on."""
    if not report:
        return []
    found = []
    items: list[Mapping[str, Any]] = [*report.get("quotes", ()), *report.get("timeline", ())]
    for fact in report.get("facts", ()):
        items += fact.get("evidence", ())
    for conflict in report.get("conflicts", ()):
        items += conflict.get("values", ())
    for actor in report.get("actors", ()):
        items += actor.get("labels", ())
    for framing in report.get("framing", ()):
        if framing.get("article_id") == article_id:
            for kind in ("loaded_terms", "hedges", "scare_quotes"):
                items += [{**term, "article_id": article_id} for term in framing.get(kind, ())]
    for item in items:
        span = item.get("span")
        if item.get("article_id") == article_id and isinstance(span, list) and len(span) == 2:
            found.append((int(span[0]), int(span[1])))
    return found


def story_actor_ids(
    report: Mapping[str, Any] | None, article_id: str, actors: Iterable[Mapping[str, Any]]
) -> dict[str, str]:
    """Each of an article's actors (by its id in the article) to the id of the story actor
    it is part of, which is what ``/actors/{id}`` knows: an article calls Bill Haverty
    ``bill-haverty``, its story (which also read "William Haverty") ``william-haverty``.
    An actor the story does not hold (an article in no story yet) is left out."""
    if report is None:
        return {}
    held = [a for a in report.get("actors", ()) if article_id in a.get("articles", ())]
    by_id = {a["id"]: a["id"] for a in held}
    by_alias = {alias: a["id"] for a in held for alias in a.get("aliases", ())}
    found: dict[str, str] = {}
    for actor in actors:
        names = [actor.get("name"), *actor.get("aliases", ())]
        story_id = by_id.get(actor["id"]) or next(
            (by_alias[name] for name in names if name in by_alias), None
        )
        if story_id is not None:
            found[actor["id"]] = story_id
    return found
