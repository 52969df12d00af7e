"""When two values given for one slot agree: quantities as intervals, dates by precision.

A fact-checker is misled by a false conflict more than by a missed one, so values are
read generously before they are called incompatible: "70%" and "more than 70 percent"
agree (one outlet dropped the qualifier), "about 140" and "142" agree, "at least three"
and "four" agree; "seven warships" and "nine warships" do not. Dates agree when one
contains the other ("October 2026" and "October 3, 2026").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

APPROXIMATE = frozenset(
    "about around roughly some approximately approx. approx circa c. an estimated estimated "
    "nearly almost close to just under just over more or less".split()
)
_LOWER_BOUND = (
    "more than",
    "over",
    "above",
    "at least",
    "upwards of",
    "no fewer than",
    "no less than",
)
_UPPER_BOUND = ("less than", "fewer than", "under", "below", "at most", "up to", "no more than")
_BELOW = ("nearly", "almost", "just under", "close to")
APPROXIMATION = 0.15
"""How far an approximate value ("about 600") may be from an exact one and still agree."""
EXACT_TOLERANCE = 0.005
"""Rounding between exact values that still agree (4,200 and 4,210 do not; 4.2m and
4,200,000 do)."""

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Interval:
    """The values a quantity as written allows."""

    low: float
    high: float

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high and other.low <= self.high


def interval(value: float, qualifier: str | None) -> Interval:
    """The interval a value with its qualifier ("more than", "about", "only") allows."""
    q = (qualifier or "").lower().strip()
    if any(q.startswith(word) for word in _LOWER_BOUND):
        return Interval(value, math.inf)
    if any(q.startswith(word) for word in _UPPER_BOUND):
        return Interval(-math.inf, value)
    if any(q.startswith(word) for word in _BELOW):
        return Interval(value * (1 - APPROXIMATION), value)
    if q and any(word in APPROXIMATE for word in (q, q.split()[0])):
        return Interval(value * (1 - APPROXIMATION), value * (1 + APPROXIMATION))
    slack = abs(value) * EXACT_TOLERANCE
    return Interval(value - slack, value + slack)


def quantities_agree(a: tuple[float, str | None], b: tuple[float, str | None]) -> bool:
    """Two ``(value, qualifier)`` pairs of the same unit can describe the same amount."""
    return interval(*a).overlaps(interval(*b))


def date_parts(value: str | None) -> tuple[str, ...] | None:
    """``("2025", "09", "06")`` for a calendar date; None for anything else (durations,
    weeks, seasons, references like PAST_REF)."""
    match = _ISO_DATE.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    return tuple(part for part in match.groups() if part)


def precision(value: str) -> str | None:
    """``day``, ``month`` or ``year`` for a calendar date value, else None."""
    parts = date_parts(value)
    return None if parts is None else ("year", "month", "day")[len(parts) - 1]


def dates_agree(a: str, b: str) -> bool:
    """Calendar dates agree when the coarser is a prefix of the finer."""
    pa, pb = date_parts(a), date_parts(b)
    if pa is None or pb is None:
        return True
    n = min(len(pa), len(pb))
    return pa[:n] == pb[:n]


def show_quantity(value: float, qualifier: str | None, unit: str | None) -> str:
    """A value as a reader writes it: ``> 70%``, ``~600 homes``, ``7 warships``."""
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"
    q = (qualifier or "").lower()
    prefix = ""
    if any(q.startswith(word) for word in _LOWER_BOUND):
        prefix = ">= " if q.startswith(("at least", "no fewer", "no less")) else "> "
    elif any(q.startswith(word) for word in _UPPER_BOUND):
        prefix = "<= " if q.startswith(("at most", "up to", "no more")) else "< "
    elif q and (q in APPROXIMATE or q.split()[0] in APPROXIMATE):
        prefix = "~"
    if unit in ("percent", "%"):
        return f"{prefix}{number}%"
    if unit in (None, ""):
        return f"{prefix}{number}"
    if unit.isupper() or value == 1 or not unit.isalpha():
        return f"{prefix}{number} {unit}"
    return f"{prefix}{number} {plural(unit)}"


def plural(noun: str) -> str:
    """A counted noun's plural, the regular way ("warship" -> "warships")."""
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"
