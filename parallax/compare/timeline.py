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
from typing import Any

from parallax.compare.context import StoryContext
from parallax.compare.values import date_parts, precision


def timeline(
    context: StoryContext, conflict_of: Mapping[tuple[str, int], str]
) -> list[dict[str, Any]]:
    """Timeline entries sorted by date; ``conflict_of`` maps (article id, value start) to
    the id of a date conflict that value is part of."""
    heads: dict[tuple[str, int], str] = {}
    for source in context.sources:
        for slot in source.article.annotations.get("slots", []):
            if slot.get("kind") == "date":
                key = slot.get("head") or slot.get("thing") or ""
                heads[(source.article.id, slot["span"][0])] = key
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for source in context.sources:
        article = source.article
        for item in article.annotations.get("dates", []):
            value = item.get("value")
            if item.get("type") != "date" or date_parts(value) is None:
                continue
            assert value is not None
            if len(value) == 4 and not re.search(r"\d{4}", item.get("text", "")):
                continue
            start = item["span"][0]
            happening = heads.get((article.id, start), "")
            sentence = context.sentence_at(article.id, start, item["span"][1])
            entry_key = (value, happening or f"{article.id}:{sentence[0]}")
            outlet = context.outlet(article.id)
            conflict = conflict_of.get((article.id, start))
            known = entries.get(entry_key)
            if known is not None:
                if outlet not in known["outlets"]:
                    known["outlets"].append(outlet)
                known["conflict"] = known["conflict"] or conflict
                extra = context.evidence(article.id, *sentence)
                known["also"].append(
                    {k: extra[k] for k in ("article_id", "text", "span", "outlet")}
                )
                continue
            evidence = context.evidence(article.id, *sentence)
            entries[entry_key] = {
                "date": value,
                "precision": precision(value),
                "text": evidence["text"],
                "article_id": article.id,
                "span": evidence["span"],
                "outlet": outlet,
                "outlets": [outlet],
                "conflict": conflict,
                "date_text": item.get("text"),
                "date_span": list(item["span"]),
                "context": evidence["context"],
                "also": [],
            }
    return sorted(
        entries.values(),
        key=lambda e: (e["date"], -len(e["outlets"]), e["article_id"], e["span"][0]),
    )
