"""How many: spelled and written numbers, and TimeML durations of so many units.

Durations are written with integer amounts (``P2Y6M``, not ``P2.5Y``) and an unknown
amount is ``X`` ("several years" → ``PXY``), so a number that cannot be read is ``None``
rather than a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from parallax.annotate.dates.lexicon import NUMBER_WORDS, UNITS

_FRACTION = re.compile(r"(\d+)/(\d+)")
_JOINERS = frozenset({"-", "–", "‐", "of", "and"})
"""Words inside a number that add nothing to it ("twenty-four", "a couple of")."""
_VAGUE = frozenset({"several", "few", "many"})


def number(words: Sequence[str]) -> float | None:
    """ "twenty-four" → 24, "2 1/2" → 2.5, "a" → 1; ``None`` for vague ("several", "a few")."""
    total = 0.0
    current = 0.0
    seen = False
    for raw in words:
        word = raw.lower()
        if word in _JOINERS:
            continue
        if word in _VAGUE:
            return None
        seen = True
        if word in ("a", "an"):
            current = current or 1.0
        elif word == "couple":
            current = 2.0
        elif word[0].isdigit():
            value = _numeral(word)
            if value is None:
                return None
            current += value
        else:
            word_value = NUMBER_WORDS.get(word)
            if word_value is None:
                return None
            total, current = _add_number_word(total, current, word_value)
    return total + current if seen else None


def _numeral(word: str) -> float | None:
    """A number written in digits: "1,500", "2.5" or a fraction "1/2"."""
    fraction = _FRACTION.fullmatch(word)
    if fraction:
        denominator = int(fraction.group(2))
        if denominator == 0:
            return None
        return int(fraction.group(1)) / denominator
    try:
        return float(word.replace(",", ""))
    except ValueError:
        return None


def _add_number_word(total: float, current: float, value: int) -> tuple[float, float]:
    """The running (total, current) after one number word: a hundred multiplies what comes
    before it, a thousand also closes it into the total ("two thousand five hundred")."""
    if value not in (100, 1000):
        return total, current + value
    current = (current or 1.0) * value
    if value == 1000:
        return total + current, 0.0
    return total, current


_SUBUNITS = {"Y": ("M", 12), "Q": ("M", 3), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24)}
_TIME_SUBUNITS = {"H": ("M", 60), "M": ("S", 60)}


def _amount(number: float, letter: str, is_time: bool) -> str:
    """``2.5`` years → ``2Y6M``: TimeML durations have integer amounts."""
    whole = int(number)
    rest = number - whole
    table = _TIME_SUBUNITS if is_time else _SUBUNITS
    if rest < 1e-9 or letter not in table:
        return f"{round(number)}{letter}"
    sub, factor = table[letter]
    head = f"{whole}{letter}" if whole else ""
    sub_is_time = is_time or (letter == "D")
    if sub_is_time and not is_time:
        return f"{head}T{round(rest * factor)}{sub}"
    return f"{head}{round(rest * factor)}{sub}"


def duration(number: float | None, unit: str) -> str | None:
    """So many units as a TimeML duration (``P4D``, ``PT2H``, ``PXY``); ``None`` if no unit.

    Fortnights have no TimeML letter: they are written in weeks; counted decades are
    written in years, as TimeBank does.
    """
    info = UNITS.get(unit.lower())
    if info is None:
        return None
    letter, is_time = info
    if letter == "F":
        letter = "W"
        number = None if number is None else number * 2
    prefix = "PT" if is_time else "P"
    if letter == "E" and number is not None:
        letter, number = "Y", number * 10  # "two decades" → P20Y, as TimeBank writes it
    if number is None:
        return f"{prefix}X{letter}"
    return prefix + _amount(number, letter, is_time)
