"""What the fact finders hand to the report: facts, and conflicts in the report's shape.

Facts and conflicts are named by a digest of where their evidence starts, so the same
store gives the same ids every time a report is built, whatever order the work ran in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from parallax.compare.context import StoryContext
from parallax.compare.facts.slots import Slot
from parallax.model import ConflictValue, ReportConflict


@dataclass
class Fact:
    """A group of statements from different articles that assert the same thing."""

    evidence: list[dict[str, Any]]
    kind: str  # value | sentence | quote
    conflicts: list[str] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)

    @property
    def id(self) -> str:
        return "F" + digest(
            f"{e['article_id']}:{e['span'][0]}:{e['span'][1]}" for e in self.evidence
        )


def digest(parts: Iterable[str]) -> str:
    """A short stable name for a set of places (their order does not count)."""
    return hashlib.sha1("|".join(sorted(parts)).encode()).hexdigest()[:10]


def conflict_value(
    context: StoryContext,
    article_id: str,
    clause: Sequence[int],
    value: str,
    value_span: Sequence[int],
) -> ConflictValue:
    """One side of a conflict: the value as shown, with the clause that states it cut
    from the stored text and where the value itself stands."""
    item = context.evidence(article_id, clause[0], clause[1])
    return ConflictValue(
        value=value,
        article_id=item["article_id"],
        text=item["text"],
        span=item["span"],
        outlet=item["outlet"],
        context=item["context"],
        value_span=list(value_span),
    )


def conflict(about: str, kind: str, values: list[ConflictValue]) -> ReportConflict:
    """A conflict of values named by where they stand; the fact it sits on is set when
    the story's facts are known."""
    return ReportConflict(
        id="C" + digest(f"{v['article_id']}:{v['span'][0]}" for v in values),
        about=about,
        kind=kind,
        values=values,
        fact=None,
    )
