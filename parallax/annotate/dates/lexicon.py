"""The words temporal expressions are made of, and what each one means on the calendar.

Month names, weekday names and the number words below a hundred are the shared tables of
:mod:`parallax.text`, so that every stage reads "Sept." or "forty" alike; what is here is
only what dates need: ordinals, calendar units, parts of the day, seasons, references to
the present, past and future, set adverbs and holidays.
"""

from __future__ import annotations

from parallax.text import SMALL_NUMBERS, TENS

BIG_NUMBERS = ("hundred", "thousand", "dozen")
"""Number words that multiply what comes before them ("two hundred") or stand for a count
on their own ("a dozen")."""

NUMBER_WORDS: dict[str, int] = {
    **SMALL_NUMBERS,
    **TENS,
    "hundred": 100,
    "thousand": 1000,
    "dozen": 12,
}
"""Spelled-out numbers → value. The scales stay local, as integers and only up to a
thousand: :data:`parallax.text.SCALES` holds floats up to a trillion, and no temporal
expression counts in millions, while "dozen" (not a scale there) is one here."""

ORDINAL_WORDS: dict[str, int] = {
    name: index + 1
    for index, name in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
        "twentieth".split()
    )
} | {"thirtieth": 30}
"""Ordinal words up to the twentieth, and the thirtieth: with "twenty-first" read as two
tokens, these spell every day of a month."""

DECADE_WORDS: dict[str, int] = {tens[:-1] + "ies": value for tens, value in TENS.items()}
"""The twenties → 20 ... the nineties → 90: the plural of each tens word."""

_UNIT_SPELLINGS = (
    ("seconds sec secs", "S", True),
    ("minute minutes min mins", "M", True),
    ("hour hours hr hrs", "H", True),
    ("day days", "D", False),
    ("week weeks", "W", False),
    ("fortnight fortnights", "F", False),
    ("month months", "M", False),
    ("quarter quarters", "Q", False),
    ("year years", "Y", False),
    ("decade decades", "E", False),
    ("century centuries", "C", False),
    ("millennium millennia millenniums", "L", False),
)
UNITS: dict[str, tuple[str, bool]] = {
    name: (letter, is_time) for names, letter, is_time in _UNIT_SPELLINGS for name in names.split()
}
"""unit word → (TimeML letter, is a time-of-day unit: written after ``T``). The singular
"second" is not among them: it is read as the ordinal."""

PART_OF_DAY = {
    "morning": "MO",
    "mornings": "MO",
    "afternoon": "AF",
    "afternoons": "AF",
    "evening": "EV",
    "evenings": "EV",
    "night": "NI",
    "nights": "NI",
}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
SEASON_ORDER = ("WI", "SP", "SU", "FA")
"""The seasons in the order of the year, indexed by ``(month % 12) // 3``: winter first,
December's winter being the next year's."""

REFS = {
    "now": "PRESENT_REF",
    "currently": "PRESENT_REF",
    "presently": "PRESENT_REF",
    "nowadays": "PRESENT_REF",
    "current": "PRESENT_REF",
    "recently": "PAST_REF",
    "lately": "PAST_REF",
    "recent": "PAST_REF",
    "soon": "FUTURE_REF",
    "future": "FUTURE_REF",
    "past": "PAST_REF",
}
"""Words that refer to the present, past or future as a whole (TimeML ``*_REF`` values).

"previously" and "formerly" are left out on purpose: they qualify events ("a previously
announced plan") far more often than they place them, and TimeBank rarely marks them."""

SET_ADVERBS = {
    "daily": "P1D",
    "nightly": "P1D",
    "weekly": "P1W",
    "biweekly": "P2W",
    "monthly": "P1M",
    "annually": "P1Y",
    "yearly": "P1Y",
    "hourly": "PT1H",
}
HOLIDAYS: dict[str, tuple[int, int] | str] = {
    "christmas": (12, 25),
    "halloween": (10, 31),
    "thanksgiving": "thanksgiving",
    "easter": "easter",
    "election": "election",
}
"""Holiday → its fixed (month, day), or the name of the rule that computes its date."""

TIME_ZONES = tuple("EST EDT CST CDT MST MDT PST PDT GMT UTC BST CET CEST ET PT".split())
"""Zone abbreviations that may follow a clock time ("9 a.m. EDT"); read, not converted."""
