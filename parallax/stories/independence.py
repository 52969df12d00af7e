"""Which reports of a story are independent: wire copies and relays grouped with their origin.

An outlet that reprints another's text (a wire copy, found by ingest as ``wire_of`` /
``duplicate_of``) or says that it passes on another's report ("This is reported by
Reuters", "according to the AP", "first published by Meridian Wire") confirms nothing
by itself. Each article of a story gets an independence group: the id of the earliest
article of its group. Corroboration counts groups, not articles.

A relay is only recognised when the credited name is an outlet: one Parallax has stored,
or a news agency (:data:`AGENCIES`). "according to experts" is not a relay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from parallax.text.groups import disjoint_set
from parallax.text.outlets import AGENCIES, known_outlet, outlet_key, outlets_generation

_NAME = r"(?P<name>(?:[Tt]he\s+)?[A-Z][\w&.'’-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w&.'’-]*){0,4})"
RELAY_CUES = (
    # "This is reported by Reuters", "The story was first reported by the AP"
    rf"\b(?:is|was|were|been|being|as|first|originally)\s+(?:first\s+|originally\s+)?"
    rf"(?:reported|published|written|produced|broadcast)\s+by\s+{_NAME}",
    # "first published in X", "originally appeared on X"
    rf"\b(?:first|originally)\s+(?:published|appeared|ran|reported)\s+(?:in|on|at|by)\s+{_NAME}",
    # "according to the AP", "according to a Reuters report"
    rf"\baccording\s+to\s+(?:a\s+|an\s+)?{_NAME}",
    # "Reuters reported", "the AP reports"
    rf"{_NAME}\s+(?:reported|reports|first\s+reported)\b",
    # "(Reuters) -", "(AP) —": a wire dateline
    rf"\(\s*{_NAME}\s*\)\s*[-–—]",
    # "With reporting by Reuters", "Source: AFP", "Credit: Meridian Wire"
    rf"(?:[Rr]eporting\s+by|[Ss]ource:|[Cc]redit:|[Vv]ia)\s+{_NAME}",
)
_CUES = [re.compile(pattern) for pattern in RELAY_CUES]


def relay_source(text: str, outlets: Iterable[str], own: str | None = None) -> str | None:
    """The outlet an article says it relays, as written in the text; None when there is none.

    ``outlets`` are the outlet names known to the store; agencies are always known. The
    article's own outlet (``own``) crediting itself is not a relay.
    """
    known = _known_keys(tuple(outlets), outlets_generation())
    mine = outlet_key(own)
    for cue in _CUES:
        for match in cue.finditer(text):
            name = _known_prefix(match.group("name"), known)
            if name and outlet_key(name) != mine:
                return name
    return None


@lru_cache(maxsize=8)
def _known_keys(outlets: tuple[str, ...], generation: int) -> frozenset[str]:
    """Keys of the known outlets and the agencies: the same list for every article of a
    clustering run, so it is made once, not once per article (``generation``: of the
    outlet table, whose changes change the keys)."""
    return frozenset({outlet_key(name) for name in outlets} | {outlet_key(a) for a in AGENCIES}) - {
        ""
    }


def _known_prefix(phrase: str, known: frozenset[str]) -> str | None:
    """The longest run of words of ``phrase`` that names a known outlet (leftmost first):
    "On Monday Reuters" -> "Reuters", "Meridian Wire on" -> "Meridian Wire"."""
    words = phrase.split()
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            candidate = " ".join(words[start : start + size]).rstrip(".,;:'’")
            if outlet_key(candidate) in known:
                return candidate
    return None


@dataclass(frozen=True)
class Member:
    """What independence needs of a story's article."""

    article: str
    outlet: str | None
    order: tuple[float, int]
    """(publication time or +inf, assignment position): "earliest" means smallest."""
    origin: str | None = None
    """``wire_of`` or ``duplicate_of``."""
    relays: str | None = None


def independence_groups(members: Sequence[Member]) -> dict[str, str]:
    """article id -> group id (the earliest article of its group) for one story.

    Copies join their origin; a relay joins the earliest article of the outlet it credits,
    or, when that outlet has no article in the story, the other relays of the same outlet.
    """
    by_id = {m.article: m for m in members}
    families = disjoint_set(by_id)
    ordered = sorted(members, key=lambda m: (m.order, m.article))
    earliest_of: dict[str, str] = {}
    for member in ordered:
        earliest_of.setdefault(outlet_key(member.outlet), member.article)
    relayed_absent: dict[str, str] = {}
    for member in ordered:
        if member.origin in by_id:
            families.merge(member.article, member.origin)
        if member.relays:
            key = outlet_key(member.relays)
            origin = earliest_of.get(key)
            if origin is None:
                origin = relayed_absent.setdefault(key, member.article)
            families.merge(member.article, origin)
    group_of: dict[str, str] = {}
    for family in families.subsets():
        first = min(family, key=lambda article: (by_id[article].order, article))
        group_of.update((article, first) for article in family)
    return group_of


def owner_groups(
    groups: Mapping[str, str], outlets: Mapping[str, str | None], order: Sequence[str]
) -> dict[str, str]:
    """Independence groups when outlets of one parent company count once: groups whose
    outlets the outlet table gives one parent are merged into the group met first in
    ``order`` (article ids, earliest first). Outlets the table does not know keep their
    groups."""
    first_of_parent: dict[str, str] = {}
    remap: dict[str, str] = {}
    for article in order:
        group = groups[article]
        known = known_outlet(outlets.get(article))
        if known is None or known.parent is None or group in remap:
            continue
        remap[group] = first_of_parent.setdefault(known.parent, group)
    return {article: remap.get(group, group) for article, group in groups.items()}
