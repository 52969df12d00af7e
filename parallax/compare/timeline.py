"""One calendar for a story: every outlet's resolved dates, what happened then, who says so.

Dates come from annotation, already resolved against each article's publication date
("on Sunday" -> 2025-09-21). Only calendar dates go on the timeline (day, month or year
precision; "recent weeks" or "the weekend" do not), and a year only when the article
writes it ("in 2024", not "this year"). Entries for the same date and the same happening
(the predicate the date hangs on: "dated", "delivered") are one entry, listing every
outlet that gives it; a date that is one side of a date conflict says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from parallax.compare.context import StoryContext
from parallax.compare.values import date_parts, precision
from parallax.model import DateItem, TimelineAlso, TimelineEntry


def timeline(
    context: StoryContext, conflict_of: Mapping[tuple[str, int], str]
) -> list[TimelineEntry]:
    """Timeline entries sorted by date; ``conflict_of`` maps (article id, value start) to
    the id of a date conflict that value is part of."""
    heads = _happenings(context)
    entries: dict[tuple[str, str], TimelineEntry] = {}
    for source in context.sources:
        article = source.article
        for item in article.annotations.get("dates", []):
            value = _calendar_value(item)
            if value is None:
                continue
            start = item["span"][0]
            sentence = context.sentence_at(article.id, start, item["span"][1])
            happening = heads.get((article.id, start), "")
            entry_key = (value, happening or f"{article.id}:{sentence[0]}")
            conflict = conflict_of.get((article.id, start))
            known = entries.get(entry_key)
            if known is None:
                entries[entry_key] = _entry(context, article.id, item, value, sentence, conflict)
            else:
                _also(context, known, article.id, sentence, conflict)
    return sorted(
        entries.values(),
        key=lambda e: (e["date"], -len(e["outlets"]), e["article_id"], e["span"][0]),
    )


def _happenings(context: StoryContext) -> dict[tuple[str, int], str]:
    """(article id, date start) -> what happened then: the predicate the date hangs on,
    else the thing it dates, so that two outlets' dates of one happening meet."""
    heads: dict[tuple[str, int], str] = {}
    for source in context.sources:
        for slot in source.article.annotations.get("slots", []):
            if slot.get("kind") == "date":
                key = slot.get("head") or slot.get("thing") or ""
                heads[(source.article.id, slot["span"][0])] = key
    return heads


def _calendar_value(item: DateItem) -> str | None:
    """The date's value when it goes on the calendar: a calendar date, and a year only
    when the article writes it ("in 2024", not "this year", which depends on when the
    outlet published)."""
    value = item.get("value")
    if item.get("type") != "date" or value is None or date_parts(value) is None:
        return None
    if len(value) == 4 and not re.search(r"\d{4}", item.get("text", "")):
        return None
    return value


def _entry(
    context: StoryContext,
    article_id: str,
    item: DateItem,
    value: str,
    sentence: tuple[int, int],
    conflict: str | None,
) -> TimelineEntry:
    """A new entry: the first outlet's sentence giving the date."""
    evidence = context.evidence(article_id, *sentence)
    outlet = context.outlet(article_id)
    return TimelineEntry(
        date=value,
        precision=precision(value),
        text=evidence["text"],
        article_id=article_id,
        span=evidence["span"],
        outlet=outlet,
        outlets=[outlet],
        conflict=conflict,
        date_text=item.get("text"),
        date_span=list(item["span"]),
        context=evidence["context"],
        also=[],
    )


def _also(
    context: StoryContext,
    entry: TimelineEntry,
    article_id: str,
    sentence: tuple[int, int],
    conflict: str | None,
) -> None:
    """Another outlet's sentence for a known entry: its outlet joins the entry's."""
    outlet = context.outlet(article_id)
    if outlet not in entry["outlets"]:
        entry["outlets"].append(outlet)
    entry["conflict"] = entry["conflict"] or conflict
    extra = context.evidence(article_id, *sentence)
    entry["also"].append(
        TimelineAlso(
            article_id=extra["article_id"],
            text=extra["text"],
            span=extra["span"],
            outlet=extra["outlet"],
        )
    )
