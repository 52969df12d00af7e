"""Recurring times (TimeML sets): every week, each July, every other year, daily.

Weekday sets ("Mondays", "each Thursday") are read with the weekday names, in
:mod:`~parallax.annotate.dates.rules_days`, and rates ("twice a day") with durations.
"""

from __future__ import annotations

from parallax.annotate.dates.amounts import duration, number
from parallax.annotate.dates.grammar import Hit, Match, rule
from parallax.annotate.dates.lexicon import PART_OF_DAY, SET_ADVERBS
from parallax.text import MONTHS


@rule(
    "(?P<e><every>|<per>)(?:(?P<other><other>)|(?P<n><NUM>))?(?P<u><unit>|<weekend>|<partday>)",
    "(?P<e><every>)(?P<m><MON>)",
    "(?P<s><setadv>)",
)
def recurrence(m: Match) -> Hit | None:
    """every week → P1W · each year · every two weeks → P2W · daily · each July → XXXX-07."""
    if m.has("s"):
        return Hit("set", SET_ADVERBS[m.word("s")])
    if m.has("m"):
        return Hit("set", f"XXXX-{MONTHS[m.word('m')]:02d}")
    unit = m.word("u")
    if unit in ("weekend", "weekends"):
        return Hit("set", "XXXX-WXX-WE")
    if unit in PART_OF_DAY:
        return Hit("set", f"XXXX-XX-XXT{PART_OF_DAY[unit]}")
    count = 2.0 if m.has("other") else (number(m.words("n")) if m.has("n") else 1.0)
    value = duration(count, unit)
    return None if value is None else Hit("set", value)
