"""Calendar units counted from the publication date: last week, this year, the third
quarter, a year ago, year-end, last fall.

TimeML's conventions decide the values: "last week" is the previous ISO week, "the
quarter" in a results story is the last completed one, and "year-earlier" figures are
those of the same period a year before.
"""

from __future__ import annotations

from datetime import date, timedelta

from parallax.annotate.dates.amounts import duration, number
from parallax.annotate.dates.calendar import (
    add_months,
    add_quarters,
    iso_week,
    quarter,
    season,
    ym,
    ymd,
)
from parallax.annotate.dates.grammar import Hit, Match, direction, relation, rule
from parallax.annotate.dates.lexicon import SEASON_ORDER, SEASONS, UNITS
from parallax.annotate.dates.rules_absolute import explicit_year
from parallax.annotate.dates.tokens import SYM

# -- values --------------------------------------------------------------------------------


def _relative_unit(anchor: date, unit: str, rel: int) -> str | None:
    """last week → 2025-W38 · this year → 2025 · next month · the current quarter."""
    if unit in ("day", "days"):
        return ymd(anchor + timedelta(days=rel))
    if unit == "week":
        return iso_week(anchor + timedelta(weeks=rel))
    if unit == "month":
        return ym(*add_months(anchor.year, anchor.month, rel))
    if unit == "quarter":
        year, quarter_ = add_quarters(anchor.year, quarter(anchor), rel)
        return f"{year:04d}-Q{quarter_}"
    if unit == "year":
        return f"{anchor.year + rel:04d}"
    if unit == "decade":
        return f"{anchor.year // 10 + rel:03d}"
    if unit == "century":
        return f"{anchor.year // 100 + rel:02d}"
    if unit in ("weekend", "weekends"):
        return _weekend(anchor, rel, strict=True)
    return None


def _weekend(anchor: date, rel: int, strict: bool = False) -> str:
    """The weekend before (rel < 0), of (0) or after (> 0) the anchor's ISO week.

    On a Saturday or Sunday "the weekend" is the one under way; "last weekend" never is.
    """
    on_weekend = anchor.weekday() >= 5
    if rel < 0:
        day = anchor if on_weekend and not strict else anchor - timedelta(weeks=1)
    elif rel > 0:
        day = anchor + timedelta(weeks=1) if on_weekend else anchor
    else:
        day = anchor
    return f"{iso_week(day)}-WE"


def _season_value(anchor: date, name: str, rel: int | None) -> str:
    """The season of that name in, before (rel < 0) or after (> 0) the anchor's season."""
    year, current = season(anchor)
    index, here = SEASON_ORDER.index(name), SEASON_ORDER.index(current)
    if rel is None or rel == 0:
        return f"{year}-{name}"
    if rel < 0:
        return f"{year if index < here else year - 1}-{name}"
    return f"{year if index > here else year + 1}-{name}"


def _year_ago_quarter(anchor: date, ordinal: int | None = None) -> str:
    """The quarter a year before the last completed one: what results are compared with."""
    year, last = add_quarters(anchor.year, quarter(anchor), -1)
    return f"{year - 1:04d}-Q{ordinal or last}"


def _mentions_quarter(m: Match) -> bool:
    """Whether the sentence around a bare "year-earlier" talks about a quarter."""
    tokens = m.ctx.tokens
    start, end = max(0, m.first - 150), min(len(tokens.texts), m.last + 20)
    return any(t.lower() == "quarter" for t in tokens.texts[start:end])


# -- last week, this year ------------------------------------------------------------------


@rule(
    "<QUAL>?<PM>?(?:<earlier>)?(?P<rel><REL>)(?:<fiscal>)?(?P<u><unit>|<weekend>|<season>)"
    "(?:<or><so>)?",
)
def relative(m: Match) -> Hit | None:
    """last week · this year · next month · early next year · earlier this month · last fall."""
    unit = m.word("u")
    rel = relation(m.words("rel"))
    anchor = m.ctx.anchor
    if rel is None:
        return None
    if unit.endswith("s"):
        return None  # "the next years", "the last days": not one calendar unit
    if unit in SEASONS:
        if anchor is None:
            return Hit("date", None)
        return Hit("date", _season_value(anchor.day, SEASONS[unit], rel))
    if unit in ("day", "days", "hour", "minute", "second"):
        return None
    if unit in ("decade", "century") and rel < 0 and "past" in m.low():
        return Hit("duration", duration(1.0, unit))  # "the past decade": the last ten years
    if anchor is None:
        return Hit("date", None)
    value = _relative_unit(anchor.day, unit, rel)
    return None if value is None else Hit("date", value)


@rule(
    "(?:<PM>|<earlier><prep>)?<the>(?:<full>|<same>)?(?:<fiscal>)?(?P<u><unit>|<weekend>)",
    "<the>(?P<last><last>)(?P<u><period_>)",
)
def the_unit(m: Match) -> Hit | None:
    """the year · the weekend · the quarter (the one just reported) · the latest period."""
    unit = m.word("u")
    anchor = m.ctx.anchor
    if unit in ("weekend", "weekends"):
        if anchor is None:
            return Hit("date", None)
        return Hit("date", _weekend(anchor.day, direction(m, -1)))
    if unit not in ("year", "quarter", "period", "month", "week"):
        return None
    if m.hyphen_after() or (unit == "quarter" and m.symbol_after() == SYM["of"]):
        return None  # "a quarter of the market", "the year-ago results"
    if unit == "year" and m.symbol_after() == SYM["ended"]:
        return Hit("duration", "P1Y")  # "the fiscal year ended June 30": a span of a year
    if anchor is None:
        return Hit("date", None)
    if unit in ("quarter", "period"):
        year, last = add_quarters(anchor.day.year, quarter(anchor.day), -1)
        return Hit("date", f"{year:04d}-Q{last}")
    value = _relative_unit(anchor.day, unit, 0)
    return None if value is None else Hit("date", value)


@rule("<QUAL>?(?P<u><unit>)(?:<hyph>|<poss>)?(?P<b><bound>)")
def year_end(m: Match) -> Hit | None:
    """year-end · year end · year's end: the end of the current year."""
    if m.word("u") != "year" or m.word("b") != "end":
        return None
    anchor = m.ctx.anchor
    if anchor is None:
        return Hit("date", None)
    back = m.word_before() == "since" or m.tense() < 0
    return Hit("date", f"{anchor.day.year - (1 if back else 0):04d}")


@rule(
    "(?:<the>)?<PM>?(?P<rel><REL>)?(?P<e><season>)(?:(?:<of>)?(?P<y2><year>|<SPELLED>))?",
)
def season_name(m: Match) -> Hit | None:
    """last fall · this summer · the summer · summer of 1999 · the winter of 1994."""
    name = SEASONS[m.word("e")]
    year = explicit_year(m)
    if year is not None:
        return Hit("date", f"{year:04d}-{name}")
    words = m.words()
    context = len(words) > 1 or m.symbol_before() == SYM["prep"]
    if not context:
        return None
    anchor = m.ctx.anchor
    if anchor is None:
        return Hit("date", None)
    rel = relation(m.words("rel")) if m.has("rel") else None
    return Hit("date", _season_value(anchor.day, name, rel))


# -- quarters and halves -------------------------------------------------------------------

_QUARTER_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}


@rule(
    "(?:<the>|(?P<rel><last>|<this>|<next>)(?P<ru><unit>)<poss>)?(?P<y><year>)?"
    "(?:<fiscal><hyph>?)?(?P<o><ordword>|<last>)(?P<q><unit>|<half>)"
    "(?:<of>(?:<the>)?(?P<y2><year>|<SPELLED>))?",
    "(?:<fiscal><hyph>?)?(?P<o><ordword>)<hyph>(?P<q><unit>|<half>)",
)
def quarter_or_half(m: Match) -> Hit | None:
    """the third quarter · third-quarter · fiscal 1990 second quarter · the first half of 1999."""
    part = _part_of_year(m)
    if part is None:
        return None
    letter, ordinal = part
    year = explicit_year(m)
    if year is None:
        anchor = m.ctx.anchor
        if anchor is None:
            return Hit("date", None)
        year = anchor.day.year
        if m.has("rel"):
            if m.word("ru") != "year":
                return None
            year += relation(m.words("rel")) or 0
    return Hit("date", f"{year:04d}-{letter}{ordinal}")


def _part_of_year(m: Match) -> tuple[str, int] | None:
    """("Q", 3) for "third quarter", ("H", 2) for "last half"; ``None`` for a third half or
    for "last quarter", the previous quarter, which the relative rule reads."""
    word = m.word("o")
    ordinal = _QUARTER_ORDINALS.get(word)
    if ordinal is None:
        return None
    which = m.word("q")
    if which == "half":
        if ordinal > 2 and word != "last":
            return None
        return "H", 2 if word == "last" else ordinal
    if which == "quarter" and word != "last":
        return "Q", ordinal
    return None


# -- a year ago ----------------------------------------------------------------------------


@rule(
    "(?:<the>)?(?:<same>)?(?P<u><unit>)<hyph>(?P<r><earlier>|<ago>)"
    "(?:(?P<o><ordword>)<hyph>?)?(?P<q><unit>|<period_>)",
    "(?P<u><unit>)<hyph>(?P<r><earlier>|<ago>)",
    "(?:<the>)?(?P<same><same>)(?P<q><unit>|<period_>)(?P<rel><last>)(?P<u><unit>)",
    "(?:<the>)?(?P<q><unit>|<period_>)<a>(?P<u><unit>)(?P<r><ago>|<earlier>)",
    "(?P<rel><last>)(?P<u><unit>)<poss>(?P<q><unit>|<period_>)",
)
def year_ago(m: Match) -> Hit | None:
    """year-earlier · the year-ago quarter · the corresponding period last year."""
    if m.word("u") != "year":
        return None
    anchor = m.ctx.anchor
    if anchor is None:
        return Hit("date", None)
    period = m.word("q") if m.has("q") else ""
    if m.has("r") and m.word("r") == "later":
        return None
    if period in ("quarter", "period") or _mentions_quarter(m):
        ordinal = _QUARTER_ORDINALS.get(m.word("o")) if m.has("o") else None
        return Hit("date", _year_ago_quarter(anchor.day, ordinal))
    if period in ("year", ""):
        return Hit("date", f"{anchor.day.year - 1:04d}")
    return None


def _shift(anchor: date, count: float, letter: str, is_time: bool) -> str | None:
    """The anchor moved back by ``count`` units, written at the unit's granularity."""
    units = round(count)
    if is_time:
        return ymd(anchor) if letter == "H" else None
    if letter == "Y":
        return f"{anchor.year - units:04d}"
    if letter == "M":
        return ym(*add_months(anchor.year, anchor.month, -units))
    if letter == "W":
        return iso_week(anchor - timedelta(weeks=units))
    if letter == "D":
        return ymd(anchor - timedelta(days=units))
    if letter == "Q":
        year, quarter_ = add_quarters(anchor.year, quarter(anchor), -units)
        return f"{year:04d}-Q{quarter_}"
    if letter == "E":
        return f"{anchor.year - 10 * units:04d}"
    if letter == "C":
        return f"{(anchor.year - 100 * units) // 100:02d}"
    return None


_MAX_AGO = 500
"""Beyond this many units back ("10,000 years ago") a calendar value means nothing."""


@rule("<QUAL>?(?P<n><NUM>)?(?P<u><unit>)(?:<or><so>)?(?P<ago><ago>)")
def units_ago(m: Match) -> Hit | None:
    """two years ago → 2023 · a week ago → 2025-W38 · several years ago → PAST_REF."""
    info = UNITS.get(m.word("u"))
    if info is None:
        return None
    anchor = m.ctx.anchor
    count = number(m.words("n")) if m.has("n") else None
    if count is None:
        return Hit("date", "PAST_REF")
    if anchor is None or count > _MAX_AGO:
        return Hit("date", None)
    if count == 1 and info[0] == "Y" and _mentions_quarter(m):
        return Hit("date", _year_ago_quarter(anchor.day))
    return Hit("date", _shift(anchor.day, count, *info))


@rule("<QUAL>?(?P<n><NUM>)(?P<u><unit>)(?P<r><earlier>)")
def earlier_later(m: Match) -> Hit | None:
    """a year earlier → last year (results compared year on year); two days later → P2D."""
    count = number(m.words("n"))
    unit = m.word("u")
    anchor = m.ctx.anchor
    if count == 1 and unit == "year" and m.word("r") == "earlier":
        if anchor is None:
            return Hit("date", None)
        if _mentions_quarter(m):
            return Hit("date", _year_ago_quarter(anchor.day))
        return Hit("date", f"{anchor.day.year - 1:04d}")
    value = duration(count, unit)
    return None if value is None else Hit("duration", value)
