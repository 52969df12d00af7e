"""Dates written on the calendar: Sept. 6, 2025-09-22, November 2024, 1989, the 1990s.

Most of these resolve without the publication date. Where the text leaves the year out
("Sept. 6", "last November") the anchor supplies it: the year that puts the date nearest
to publication, on the side the tense of the clause points to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from parallax.annotate.dates.amounts import number
from parallax.annotate.dates.calendar import (
    days_in_month,
    iso_week,
    month_day_year,
    month_year,
    quarter,
    ym,
    ymd,
)
from parallax.annotate.dates.grammar import Hit, Match, relation, rule
from parallax.annotate.dates.lexicon import DECADE_WORDS, ORDINAL_WORDS
from parallax.annotate.dates.tokens import SYM
from parallax.text import MONTHS, TENS, WEEKDAYS

# -- reading the parts of a date -----------------------------------------------------------


def day_number(words: Sequence[str]) -> int | None:
    """The day of the month as written: "6", "6th", "sixth", "twenty-first"."""
    joined = "".join(w.lower() for w in words if w not in ("-", "–"))
    digits = re.match(r"\d+", joined)
    if digits:
        return int(digits.group())
    if joined in ORDINAL_WORDS:
        return ORDINAL_WORDS[joined]
    for tens in ("twenty", "thirty"):
        if joined.startswith(tens) and joined[len(tens) :] in ORDINAL_WORDS:
            return TENS[tens] + ORDINAL_WORDS[joined[len(tens) :]]
    return None


def _year_of(m: Match, group: str) -> int | None:
    """The year of a group: four digits as they are; two ("'89") are 20xx up to ten past
    the last two digits of the publication year (up to 50 without one), 19xx beyond."""
    word = m.word(group).lstrip("'’")
    if not word.isdigit():
        return None
    year = int(word)
    if len(word) == 2:
        anchor = m.ctx.anchor
        pivot = (anchor.day.year % 100 + 10) if anchor else 50
        year += 2000 if year <= pivot else 1900
    return year


_SPELLED_HEAD = {"nineteen": 19, "eighteen": 18, "twenty": 20}


def spelled_year(words: Sequence[str]) -> int | None:
    """nineteen ninety-six → 1996, two thousand → 2000."""
    parts = [w.lower() for w in words if w not in ("-", "–")]
    if parts[:2] == ["two", "thousand"]:
        rest = number(parts[2:]) if len(parts) > 2 else 0.0
        return None if rest is None else 2000 + int(rest)
    if len(parts) < 2 or parts[0] not in _SPELLED_HEAD:
        return None
    tail = number(parts[1:])
    if tail is None or not 10 <= tail < 100 or parts[1] in ("hundred", "thousand"):
        return None
    return _SPELLED_HEAD[parts[0]] * 100 + int(tail)


def explicit_year(m: Match) -> int | None:
    """The year written in group ``y`` (digits) or ``y2`` (digits or spelled out), if any."""
    if m.has("y"):
        return int(m.words("y")[0])
    if m.has("y2"):
        words = m.words("y2")
        return int(words[0]) if words[0].isdigit() else spelled_year(words)
    return None


def date_of_month_day(m: Match, month: int, day: int) -> Hit | None:
    """A month and day, with the year written in group ``y``, or else the year a weekday
    written with it (group ``wd``) fits, or else the nearest one the tense allows."""
    if not 1 <= day <= 31:
        return None
    year = _year_of(m, "y") if m.has("y") else None
    if year is not None:
        try:
            return Hit("date", ymd(date(year, month, day)))
        except ValueError:
            return None
    if day > days_in_month(month):
        return None
    anchor = m.ctx.anchor
    if anchor is None:
        return Hit("date", None)
    if m.has("wd"):
        on_weekday = _on_weekday(anchor.day, month, day, WEEKDAYS[m.word("wd")])
        if on_weekday is not None:
            return Hit("date", ymd(on_weekday))
    resolved = month_day_year(anchor.day, month, day, m.tense())
    return Hit("date", ymd(resolved) if resolved else None)


def _on_weekday(anchor: date, month: int, day: int, weekday: int) -> date | None:
    """The month/day of this year, the next or the last that falls on the given weekday:
    "Thursday, April 6" says which year it is."""
    for year in (anchor.year, anchor.year + 1, anchor.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate.weekday() == weekday:
            return candidate
    return None


# -- days ----------------------------------------------------------------------------------


@rule(
    "<QUAL>?(?:(?:<REL>)?(?P<wd><weekday>)<comma>?)?(?P<m><MON>)(?P<d><DAYN>)"
    "(?:<comma>?(?P<y><YR>))?",
    "<QUAL>?(?:(?P<wd><weekday>)<comma>?)?(?:<the>)?(?P<d><day>|<ordday>)(?:<of>)?(?P<m><MON>)"
    "(?:<comma>?(?P<y><year>))?",
    "<the>(?P<wk><unit>)<of>(?P<m><MON>)(?P<d><DAYN>)(?:<comma>?(?P<y><YR>))?",
)
def month_day(m: Match) -> Hit | None:
    """Sept. 6 · Nov. 12, 1989 · Thursday, April 6 · 6 September 2025 · the week of March 6."""
    day = day_number(m.words("d"))
    if day is None:
        return None
    hit = date_of_month_day(m, MONTHS[m.word("m")], day)
    if hit is None or not m.has("wk"):
        return hit
    if m.word("wk") != "week":
        return None
    return Hit("date", None if hit.value is None else iso_week(date.fromisoformat(hit.value)))


_NUMERIC_DATE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?:T(?P<t>\d\d:\d\d)(?::\d\d)?)?"
    r"|(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})[./](?P<y2>\d{4})"
)


@rule("(?P<d><iso>)")
def numeric_date(m: Match) -> Hit | None:
    """2025-09-22 · 21.09.2025 (day first with dots) · 12/31/1999 (month first with slashes)."""
    found = _NUMERIC_DATE.fullmatch(m.words("d")[0])
    if found is None:
        return None
    if found.group("y"):
        year, month, day = int(found.group("y")), int(found.group("m")), int(found.group("d"))
    else:
        a, b, year = int(found.group("a")), int(found.group("b")), int(found.group("y2"))
        day_first = found.group("sep") == "." or a > 12
        day, month = (a, b) if day_first else (b, a)
    try:
        value = ymd(date(year, month, day))
    except ValueError:
        return None
    if found.group("t"):
        return Hit("time", f"{value}T{found.group('t')}")
    return Hit("date", value)


@rule("(?<=(?:<month>|<monthamb>)<day>(?:<and>|<or>|<to>))(?P<d><day>)")
def second_day(m: Match) -> Hit | None:
    """ "April 24 and 25": the second day shares the month written before the first."""
    month = MONTHS[m.ctx.tokens.texts[m.first - 3].lower().rstrip(".")]
    return date_of_month_day(m, month, int(m.words("d")[0]))


# -- months --------------------------------------------------------------------------------


@rule(
    "<PM>?(?P<m><MON>)(?:<comma>|<of>)?(?P<y><YR>)",
    "<PM>?(?P<m><MON>)(?:<comma>|<of>)?(?P<y2><SPELLED>)",
)
def month_with_year(m: Match) -> Hit | None:
    """November 2024 · early July 1999 · June of 1999 · January nineteen ninety-seven."""
    year = _year_of(m, "y") if m.has("y") else explicit_year(m)
    return None if year is None else Hit("date", ym(year, MONTHS[m.word("m")]))


_DAY_SYMBOLS = frozenset(SYM[name] for name in ("day", "ordday", "ordword"))


@rule(
    "(?:<PM>|(?P<rel><REL>))?(?P<m><month>)",
    "(?:<PM>|(?P<rel><REL>))(?P<m><monthamb>)",
    "(?<=<prep>|<the>)(?P<m><monthamb>)",
    "(?P<m><MON>)(?P<rel2><last>|<this>|<next>)(?P<u><unit>)",
)
def month_alone(m: Match) -> Hit | None:
    """January · last November · early December · this September · July last year."""
    if not m.has("rel2") and m.symbol_after() in _DAY_SYMBOLS:
        return None  # "last Oct. 23": the month-and-day rule reads it
    month = MONTHS[m.word("m")]
    anchor = m.ctx.anchor
    if anchor is None:
        return Hit("date", None)
    if m.has("rel2"):
        if m.word("u") != "year":
            return None
        shift = {"last": -1, "this": 0, "next": 1}.get(m.word("rel2"), 0)
        return Hit("date", ym(anchor.day.year + shift, month))
    rel = relation(m.words("rel")) if m.has("rel") else None
    if rel == 0:
        return Hit("date", ym(anchor.day.year, month))
    if rel is not None:
        return Hit("date", ym(month_year(anchor.day, month, rel, strict=True), month))
    return Hit("date", ym(month_year(anchor.day, month, m.tense()), month))


# -- years and longer ----------------------------------------------------------------------

_YEAR_BLOCKERS = frozenset(
    SYM[name] for name in ("dollar", "int", "year", "day", "comma", "hyph", "period")
)
"""Symbols before a four-digit number that make it an amount or part of one ("$1989")."""
_YEAR_BLOCKERS_AFTER = frozenset(
    SYM[name] for name in ("percent", "int", "hyph", "frac", "unit", "year")
)
"""Symbols after one that do the same ("1989 %", "1989-90", "2000 years")."""
_AMOUNT_ENTITIES = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"})


def _is_amount(m: Match, group: str) -> bool:
    """Whether the statistical model reads the number as an amount ("2000 troops")."""
    doc = m.ctx.doc
    if doc is None:
        return False
    start, end = m.m.span(group)
    span = doc.char_span(m.ctx.tokens.starts[start], m.ctx.tokens.ends[end - 1])
    return span is not None and span[0].ent_type_ in _AMOUNT_ENTITIES


@rule(
    "<PM>?(?:<fiscal>)?(?P<y><year>)",
    "<the><unit>(?P<y><year>)",
    "<the>(?P<y><year>)(?P<q><unit>|<period_>)",
)
def year_alone(m: Match) -> Hit | None:
    """1989 · fiscal 1990 · the end of 1990 · the year 2000; not $1989, 1,989 or 1989-90."""
    year = int(m.words("y")[0])
    if m.symbol_before() in _YEAR_BLOCKERS and not m.low().startswith(("the", "fiscal")):
        return None
    if m.symbol_after() in _YEAR_BLOCKERS_AFTER:
        return None
    if not 1600 <= year <= 2099 or _is_amount(m, "y"):
        return None
    if m.has("q"):
        return _year_period(m, year)
    return Hit("date", f"{year:04d}")


def _year_period(m: Match, year: int) -> Hit | None:
    """ "the 1989 quarter": the quarter before the publication's, in that year (the year
    alone in a first quarter or without an anchor); "the 1989 period" or "year": the year;
    any other unit names no date."""
    period = m.word("q")
    if period == "quarter":
        anchor = m.ctx.anchor
        last_quarter = quarter(anchor.day) - 1 if anchor else 0
        return Hit("date", f"{year:04d}-Q{last_quarter}" if last_quarter > 0 else f"{year:04d}")
    if period not in ("period", "year"):
        return None
    return Hit("date", f"{year:04d}")


@rule("(?:<the><unit>)?(?P<s><SPELLED>)")
def spelled_out_year(m: Match) -> Hit | None:
    """Spoken transcripts: nineteen ninety-six · the year two thousand."""
    year = spelled_year(m.words("s"))
    words = m.low().split()
    if year is None or (words[0] == "the" and words[1] != "year"):
        return None
    return Hit("date", str(year))


@rule("(?:<the>)?<PM>?(?P<s><decade>)", "<the><last><half><of>(?:<the>)?(?P<s><decade>)")
def decade(m: Match) -> Hit | None:
    """the 1990s → 199 · the mid-1980s · the '90s · the nineties."""
    word = m.word("s").lstrip("'’")
    if word in DECADE_WORDS:
        if not m.low().startswith("the"):
            return None
        return Hit("date", f"19{DECADE_WORDS[word] // 10}")
    digits = word.rstrip("s")
    if len(digits) == 4:
        return Hit("date", digits[:3])
    if len(digits) == 2:
        return _short_decade(m, digits)
    return None


def _short_decade(m: Match, digits: str) -> Hit | None:
    """ "the '90s": the latest such decade that starts no later than the publication year
    (read as 1930 without one); without "the" or the apostrophe it is an age ("in his 90s")."""
    if not (m.low().startswith("the") or m.word("s")[0] in "'’"):
        return None
    anchor = m.ctx.anchor
    century = (anchor.day.year // 100) if anchor else 19
    if int(digits) > (anchor.day.year % 100 if anchor else 30):
        century -= 1
    return Hit("date", f"{century:02d}{digits[0]}")


@rule("(?:<the>)?<PM>?(?P<c><ordday>|(?:<numword><hyph>?)?<ordword>)(?P<u><unit>)")
def ordinal_century(m: Match) -> Hit | None:
    """the 20th century → 19 · the twenty-first century → 20."""
    if not m.word("u").startswith("centur"):
        return None
    ordinal = day_number(m.words("c"))
    if ordinal is None or not 1 <= ordinal <= 30:
        return None
    return Hit("date", f"{ordinal - 1:02d}")
