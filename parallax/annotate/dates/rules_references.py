"""References rather than dates: now, recently, the near future, recent weeks; and the
anaphoric ones that point back into the story: that year, the next day.

TimeML gives the first kind the values ``PRESENT_REF``, ``PAST_REF`` and ``FUTURE_REF``;
the second kind takes its value from the latest calendar date found before it in the text.
"""

from __future__ import annotations

from datetime import date, timedelta

from parallax.annotate.dates.calendar import add_months, ym, ymd
from parallax.annotate.dates.grammar import Hit, Match, rule
from parallax.annotate.dates.lexicon import PART_OF_DAY, REFS, UNITS
from parallax.annotate.dates.tokens import SYM

_CLAUSE_END = frozenset({SYM["comma"], SYM["period"], SYM["nl"], SYM["punct"], ""})


@rule(
    "(?:<right>)?(?P<r><now>)",
    "(?P<the><the>)(?:<near>)?(?P<r><future>)",
    "(?P<r><future>)(?P<u><unit>)",
    "(?P<r><ref>|<this>)",
    "(?P<r><recent>)(?P<u><unit>)(?:<and><unit>)?",
    "(?P<r><recent>)",
    "<the>(?P<r><past>)",
    "<the>(?P<near><near>|<long>)(?P<term><term>)",
    "<these>(?P<u><unit>)",
    "(?P<r><next>|<LAST>)(?P<u><unit>)",
)
def reference(m: Match) -> Hit | None:
    """now · currently · recently · recent weeks → PAST_REF · soon · the near future.

    Only as adverbs or nouns: "a recent sale", "future earnings" and "the current system"
    describe things, they do not place them in time.
    """
    if m.has("term"):
        return Hit("date", "FUTURE_REF") if m.word("near") in ("near", "short") else None
    if not m.has("r"):
        return Hit("date", "PRESENT_REF") if m.word("u") == "days" else None
    word = m.word("r")
    if m.has("u"):
        return _reference_unit(m, word)
    if word == "this" or (word == "future" and not m.has("the")):
        return None
    if word in ("current", "recent") and m.symbol_after() not in _CLAUSE_END:
        return None
    if word == "soon" and _soon_is_not_ahead(m):
        return None
    value = REFS.get(word)
    return None if value is None else Hit("date", value)


def _soon_is_not_ahead(m: Match) -> bool:
    """ "as soon as", "soon after", "he was soon released": "soon" that is not the future."""
    return (
        m.word_before() == "as"
        or m.ctx.tokens.texts[m.last : m.last + 1] in (["after"], ["before"])
        or m.tense() < 0
    )


def _reference_unit(m: Match, word: str) -> Hit | None:
    """recent weeks → PAST_REF · coming months → FUTURE_REF · future quarters."""
    unit = m.word("u")
    if unit not in UNITS or not unit.endswith("s"):
        return None
    if word in ("recent", "past", "last", "previous", "latest"):
        return Hit("date", "PAST_REF")
    if word in ("future", "next", "coming", "upcoming"):
        return Hit("date", "FUTURE_REF")
    return None


_ANAPHORIC_SHIFT = {"following": 1, "next": 1, "previous": -1, "preceding": -1}


@rule(
    "(?:<earlier>)?<that>(?:<same>)?(?P<u><unit>)",
    "(?:<earlier>)?<the><same>(?P<u><unit>)",
    "<the>(?P<fol><next>|<last>)(?P<u><unit>|<partday>)",
)
def anaphoric(m: Match) -> Hit | None:
    """that year · later that day · the same day · the following year · the next morning.

    These refer to the date the story was last talking about, not to the publication:
    the latest calendar date found before them in the text.
    """
    unit = m.word("u")
    shift = _ANAPHORIC_SHIFT.get(m.word("fol"), 0) if m.has("fol") else 0
    anaphora = m.word("fol") in ("following", "preceding") or unit == "day"
    if m.has("fol") and not anaphora and unit not in PART_OF_DAY:
        return None  # "the next year" is deictic: the relative rule reads it
    words = m.low().split()
    if unit == "day" and words[0] == "that" and "same" not in words:
        return None  # a bare "that day" is mostly a manner of speaking ("trades made that day")
    part = PART_OF_DAY.get(unit)
    kind = "time" if part else "date"
    if unit not in ("year", "month", "day") and part is None:
        return None
    return Hit(kind, _anaphoric_value(m.ctx.last_date, unit, shift, part))


def _anaphoric_value(last: str | None, unit: str, shift: int, part: str | None) -> str | None:
    """The last date found, moved by ``shift`` units, at the unit's granularity; ``None``
    when it is too coarse for the unit ("the next day" after "in 1990")."""
    if last is None:
        return None
    if unit == "year":
        return f"{int(last[:4]) + shift:04d}"
    if unit == "month":
        return None if len(last) < 7 else ym(*add_months(int(last[:4]), int(last[5:7]), shift))
    if len(last) < 10:
        return None
    day = date.fromisoformat(last) + timedelta(days=shift if not part else max(shift, 0))
    return f"{ymd(day)}T{part}" if part else ymd(day)
