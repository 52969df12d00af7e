"""Expressions that name one day or a time on it: today, last Friday, this morning, 9 a.m.,
Christmas.

Weekday names follow TimeML: the nearest such day before publication unless the verb is
future or the text says "next" or "this coming"; news being mostly about what happened,
the past is also the side taken when the parse says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from parallax.annotate.dates.amounts import number
from parallax.annotate.dates.calendar import Anchor, holiday, weekday_near, ymd
from parallax.annotate.dates.grammar import Hit, Match, direction, relation, rule
from parallax.annotate.dates.lexicon import PART_OF_DAY
from parallax.annotate.dates.rules_absolute import date_of_month_day, day_number
from parallax.text import MONTHS, WEEKDAYS

DEFAULT_WEEKDAY = -1
"""Direction of a weekday name when the tense says nothing: news is mostly about the past."""

_DAY_SHIFT = {"yesterday": -1, "tomorrow": 1}
"""Days from publication of the relative day words; today and tonight are 0."""


@rule(
    "(?:<early>|<earlier>)?(?P<r><dayrel>)(?P<p><partday>)?",
    "<early>?<hyph>?(?P<p><partday>)(?P<r><dayrel>)",
)
def day_relative(m: Match) -> Hit | None:
    """today · yesterday morning · late yesterday · tonight · mid-afternoon yesterday."""
    word = m.word("r")
    anchor = m.ctx.anchor
    part = PART_OF_DAY.get(m.word("p")) if m.has("p") else None
    if word == "tonight":
        part = "NI"
    if anchor is None:
        return Hit("time" if part else "date", None)
    value = ymd(anchor.day + timedelta(days=_DAY_SHIFT.get(word, 0)))
    if part:
        return Hit("time", f"{value}T{part}")
    return Hit("date", value)


@rule(
    "(?P<rel><REL>)?(?P<w><weekday>)(?P<p><partday>)?",
    "(?P<every><every>)(?P<w><weekday>)(?P<p><partday>)?",
    "(?P<w><weekdaypl>)(?P<p><partday>)?",
)
def weekday_name(m: Match) -> Hit | None:
    """Sunday · last Friday · this coming Sunday · Friday morning · each Thursday · Mondays."""
    word = m.word("w")
    plural = word.endswith("s") and word not in WEEKDAYS
    weekday = WEEKDAYS[word[:-1] if plural else word]
    part = PART_OF_DAY.get(m.word("p")) if m.has("p") else None
    if plural or m.has("every") or (m.has("p") and m.word("p").endswith("s")):
        suffix = f"T{part}" if part else ""
        return Hit("set", f"XXXX-WXX-{weekday + 1}{suffix}")
    anchor = m.ctx.anchor
    if anchor is None:
        return Hit("time" if part else "date", None)
    day = _weekday_day(m, anchor, weekday)
    if part:
        return Hit("time", f"{ymd(day)}T{part}")
    return Hit("date", ymd(day))


def _weekday_day(m: Match, anchor: Anchor, weekday: int) -> date:
    """The day a weekday name stands for: "last"/"next" never mean the publication day
    itself, "this" looks ahead unless the clause is past, a bare name follows the tense."""
    rel = relation(m.words("rel")) if m.has("rel") else None
    if rel is None:
        return weekday_near(anchor.day, weekday, direction(m, DEFAULT_WEEKDAY), strict=False)
    if rel == 0:
        return weekday_near(anchor.day, weekday, 1 if m.tense() >= 0 else -1, strict=False)
    return weekday_near(anchor.day, weekday, rel, strict=True)


@rule("(?:<earlier>)?(?P<rel><this>|<last>)(?P<p><partday>)")
def part_of_day(m: Match) -> Hit | None:
    """this morning · last night · this evening."""
    part = PART_OF_DAY[m.word("p")]
    anchor = m.ctx.anchor
    if anchor is None:
        return Hit("time", None)
    day = anchor.day - timedelta(days=1 if m.word("rel") == "last" else 0)
    return Hit("time", f"{ymd(day)}T{part}")


@rule("<early><hyph>?(?P<p><partday>)")
def early_part_of_day(m: Match) -> Hit | None:
    """mid-afternoon · early morning: that part of the publication day."""
    part = PART_OF_DAY[m.word("p")]
    anchor = m.ctx.anchor
    return Hit("time", None if anchor is None else f"{ymd(anchor.day)}T{part}")


# -- clock times ---------------------------------------------------------------------------

_CLOCK = re.compile(r"(\d{1,2})(?::(\d\d))?(?::\d\d)?\s*(am|pm)?", re.I)
_NOON = {"noon": (12, 0), "midday": (12, 0), "midnight": (24, 0)}


def _clock(words: Sequence[str], ampm: str) -> tuple[int, int] | None:
    """(hour, minute) on the 24-hour clock of "9:11", "10 a.m.", "ten pm"; midnight is 24."""
    found = _CLOCK.fullmatch("".join(words))
    if found is None:
        spelled = number(words)
        if spelled is None or spelled != int(spelled):
            return None
        hour, minute = int(spelled), 0
    else:
        hour, minute = int(found.group(1)), int(found.group(2) or 0)
        ampm = ampm or (found.group(3) or "")
    ampm = ampm.lower().replace(".", "")
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    return hour, minute


@rule(
    "<QUAL>?(?P<t><clock>|<day>|<int>|<NUMW>)(?P<ap><ampm>)(?P<tz><tz>)?"
    "(?:(?P<w><weekday>)|(?P<r><dayrel>)|<comma>?(?P<m><MON>)(?P<d><DAYN>))?",
    "<QUAL>?(?P<t><clock>)(?P<tz><tz>)?(?:(?P<w><weekday>)|(?P<r><dayrel>))?",
    "<QUAL>?(?P<z><noon>)(?:(?P<w><weekday>)|(?P<r><dayrel>))?",
)
def clock_time(m: Match) -> Hit | None:
    """9:11 · at 10 a.m. → 2025-09-22T10:00 · 9 a.m. Tuesday · noon Thursday · midnight."""
    if m.has("z"):
        clock = _NOON[m.word("z")]
    else:
        words = m.words("t")
        parsed = _clock(words, m.word("ap") if m.has("ap") else "")
        if parsed is None:
            return None
        if not m.has("ap") and ":" not in words[0] and not words[0][-1].isalpha():
            return None  # a bare number is a clock time only with a.m./p.m. ("5pm", "5 p.m.")
        clock = parsed
    day = _time_day(m)
    if day is None:
        return Hit("time", None)
    return Hit("time", f"{day}T{clock[0]:02d}:{clock[1]:02d}")


def _time_day(m: Match) -> str | None:
    """The calendar day of a clock time: the weekday or date next to it, else publication."""
    anchor = m.ctx.anchor
    if m.has("m"):
        day = day_number(m.words("d"))
        hit = date_of_month_day(m, MONTHS[m.word("m")], day) if day else None
        return hit.value if hit else None
    if anchor is None:
        return None
    if m.has("w"):
        weekday = WEEKDAYS[m.word("w")]
        return ymd(weekday_near(anchor.day, weekday, direction(m, DEFAULT_WEEKDAY), False))
    if m.has("r"):
        return ymd(anchor.day + timedelta(days=_DAY_SHIFT.get(m.word("r"), 0)))
    return ymd(anchor.day)


# -- holidays ------------------------------------------------------------------------------


@rule(
    "(?:(?P<rel><last>|<this>|<next>))?(?P<h><holiday>)(?:<dayword>|<eve>)?"
    "(?:<comma>?(?P<y><year>))?",
    "(?:(?P<rel><last>|<this>|<next>))?<new>(?P<u><unit>)<poss>(?:<dayword>|<eve>)?",
)
def holiday_name(m: Match) -> Hit | None:
    """Christmas · last Thanksgiving · New Year's Day · Christmas Eve."""
    if m.has("u") and m.word("u") != "year":
        return None
    name = "newyear" if m.has("u") else m.word("h")
    if name == "election" and not m.low().endswith(" day"):
        return None
    eve = 1 if m.low().endswith("eve") else 0
    anchor = m.ctx.anchor
    if m.has("y"):
        return Hit("date", ymd(_holiday_day(name, int(m.words("y")[0])) - timedelta(eve)))
    if anchor is None:
        return Hit("date", None)
    days = [_holiday_day(name, anchor.day.year + shift) - timedelta(eve) for shift in (-1, 0, 1)]
    rel = relation(m.words("rel")) if m.has("rel") else None
    toward = rel if rel else direction(m, 0)
    return Hit("date", ymd(_pick(days, anchor.day, toward)))


def _holiday_day(name: str, year: int) -> date:
    """New Year's Day is read from "New" + "year" + "'s", so it has no entry in HOLIDAYS."""
    return date(year, 1, 1) if name == "newyear" else holiday(name, year)


def _pick(days: Sequence[date], anchor: date, toward: int) -> date:
    """The latest day before the anchor (toward < 0), the first after it (> 0), or else
    the nearest: "last Christmas", "next Easter", "at Christmas"."""
    if toward < 0:
        before = [d for d in days if d < anchor]
        if before:
            return max(before)
    if toward > 0:
        after = [d for d in days if d > anchor]
        if after:
            return min(after)
    return min(days, key=lambda d: abs((d - anchor).days))
