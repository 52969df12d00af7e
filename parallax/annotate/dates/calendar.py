"""The publication date as an anchor, and the calendar arithmetic values are written in.

Values are TimeML strings at the granularity of what the text says (``2025-09-22``,
``2025-09``, ``2025-W38``, ``2025-Q3``), so the helpers here compute on years, months,
quarters and ISO weeks and format them, and choose between the candidate years of an
expression that leaves its year out.
"""

from __future__ import annotations

import re
from calendar import monthrange  # the standard library's: imports are absolute
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from parallax.annotate.dates.lexicon import HOLIDAYS, SEASON_ORDER

# -- the anchor ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """The publication date (local to the article) and, when known, its time of day."""

    day: date
    time: str | None = None


_ANCHOR_YEARS = (1000, 9000)
"""Years an anchor may have: calendar arithmetic around others would leave datetime's range."""
_ANCHOR_PREFIX = re.compile(r"(\d{4})-?(\d\d)-?(\d\d)(?:[T ](\d\d):(\d\d))?")


def parse_anchor(published_at: str | None) -> Anchor | None:
    """``2025-09-22``, ``2025-09-21T09:11``, ``2025-09-22T08:30:00+02:00`` → its local date.

    The date as written is the article's own calendar day, so no time zone conversion.
    """
    if not published_at:
        return None
    match = _ANCHOR_PREFIX.match(published_at.strip())
    if match is None:
        return _anchor_from_iso(published_at.strip())
    year, month, day, hour, minute = match.groups()
    if not _ANCHOR_YEARS[0] <= int(year) <= _ANCHOR_YEARS[1]:
        return None
    try:
        day_ = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return Anchor(day_, f"{hour}:{minute}" if hour is not None else None)


def _anchor_from_iso(text: str) -> Anchor | None:
    """Any other ISO form ``datetime`` reads; its date and time of day as written."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not _ANCHOR_YEARS[0] <= parsed.year <= _ANCHOR_YEARS[1]:
        return None
    return Anchor(parsed.date(), parsed.strftime("%H:%M"))


# -- values --------------------------------------------------------------------------------


def ymd(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


def add_quarters(year: int, quarter: int, delta: int) -> tuple[int, int]:
    index = year * 4 + (quarter - 1) + delta
    return index // 4, index % 4 + 1


def season(day: date) -> tuple[int, str]:
    """The season the day falls in, TimeML-style: December belongs to next year's winter."""
    if day.month == 12:
        return day.year + 1, "WI"
    return day.year, SEASON_ORDER[(day.month % 12) // 3]


def days_in_month(month: int) -> int:
    """The most days the month can have (a leap year's): a day past it is no date at all."""
    return monthrange(2000, month)[1]


def weekday_near(anchor: date, weekday: int, direction: int, strict: bool) -> date:
    """The given weekday nearest the anchor: before it (direction < 0) or after it."""
    if direction < 0:
        back = (anchor.weekday() - weekday) % 7
        if back == 0 and strict:
            back = 7
        return anchor - timedelta(days=back)
    ahead = (weekday - anchor.weekday()) % 7
    if ahead == 0 and strict:
        ahead = 7
    return anchor + timedelta(days=ahead)


# -- choosing the year ---------------------------------------------------------------------

_DAY_WEIGHTS = {-1: (1, 25), 1: (25, 1), 0: (1, 2)}
"""(past, future) weights on the distance in days to the anchor, by tense: the side the
tense points to wins unless the other is 25 times nearer ("has set Nov. 10 as the
deadline" in a paper of Nov. 2 is the coming Nov. 10); with no tense the past is
preferred, news being mostly about what happened."""
_MONTH_WEIGHTS = {-1: (1, 8), 1: (8, 1), 0: (1, 2)}
"""The same for a month alone, with distances in months."""


def _nearest(
    anchor: int, options: Sequence[int], tense: int, weights: dict[int, tuple[int, int]]
) -> int:
    """The option nearest the anchor after weighting each side of it by the tense."""
    past, future = weights[tense]
    return min(options, key=lambda o: (o - anchor) * future if o > anchor else (anchor - o) * past)


def month_day_year(anchor: date, month: int, day: int, tense: int) -> date | None:
    """The year that puts month/day nearest the anchor, on the side the tense asks for."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    chosen = _nearest(anchor.toordinal(), [c.toordinal() for c in candidates], tense, _DAY_WEIGHTS)
    return date.fromordinal(chosen)


def month_year(anchor: date, month: int, tense: int, strict: bool = False) -> int:
    """The year of the named month: the tense-weighted nearest, or strictly before/after."""
    here = anchor.year * 12 + anchor.month - 1
    options = [(anchor.year + d) * 12 + month - 1 for d in (-1, 0, 1)]
    if strict and tense < 0:
        chosen = max(o for o in options if o < here)
    elif strict and tense > 0:
        chosen = min(o for o in options if o > here)
    else:
        chosen = _nearest(here, options, tense, _MONTH_WEIGHTS)
    return chosen // 12


# -- holidays ------------------------------------------------------------------------------


def _easter(year: int) -> date:
    """Anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def holiday(name: str, year: int) -> date:
    """The date of a holiday of :data:`~parallax.annotate.dates.lexicon.HOLIDAYS` in a year."""
    rule = HOLIDAYS[name]
    if isinstance(rule, tuple):
        return date(year, *rule)
    if rule == "easter":
        return _easter(year)
    first = date(year, 11, 1)
    if rule == "election":  # US: the Tuesday after the first Monday of November
        return first + timedelta(days=(0 - first.weekday()) % 7 + 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)  # fourth Thursday
