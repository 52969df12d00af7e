"""Lengths of time: four days, the past two months, a two-year contract, years, a while.

A duration is written with its amount when the text gives one (``P4D``, ``P2Y6M``) and
with ``X`` when it does not ("several years", "years" → ``PXY``). Ages ("52 years old",
"a 6-year-old boy") and amounts that only look like durations ("a quarter of the
market", "$5 a year") are turned away here.
"""

from __future__ import annotations

from parallax.annotate.dates.amounts import duration, number
from parallax.annotate.dates.grammar import Hit, Match, rule
from parallax.annotate.dates.lexicon import UNITS
from parallax.annotate.dates.tokens import SYM

_SINGULAR = frozenset({"second", "minute", "hour", "day", "week", "month", "quarter", "year"})
_RATE_SYMBOLS = frozenset(SYM[name] for name in ("int", "day", "percent", "freq", "numword"))


@rule(
    "<QUAL>?(?:<the>)?(?:<LAST>|<next>|<ordword>|<this>|<early>|<same>|<fiscal>"
    "|<unit><hyph>(?:<earlier>|<ago>))*"
    "(?P<n><NUM>)(?:<more>|<additional>|<adjunit>)?(?P<u><unit>)(?:<and><a><half>)?"
    "(?:<or><so>)?",
    "<QUAL>?(?:<the>)?(?:<LAST>|<next>)?(?P<n><NUM>)(?P<range><to>|<or>)<NUM>(?P<u><unit>)",
    "<QUAL>?(?P<half><half>)(?:<a>|<NUMW>)(?P<u><unit>)",
    "<QUAL>?(?:<a>|<additional>)(?:<additional>)?(?P<u><unit>)",
)
def counted_duration(m: Match) -> Hit | None:
    """four days · the past two months · the first nine months · 2 1/2 years · half an hour."""
    unit = m.word("u")
    if unit not in UNITS or m.symbol_after() == SYM["old"] or m.hyphen_after():
        return None  # "52 years old" is an age
    if unit == "quarter" and _fraction_of_quarter(m):
        return None
    if m.has("range"):
        return Hit("duration", duration(None, unit))
    if m.has("half"):
        count: float | None = 0.5
    elif m.has("n"):
        count = number(m.words("n"))
        if count is None and m.words("n")[0].isdigit():
            return None
        if m.low().endswith("a half") and count is not None:
            count += 0.5
    else:
        count = 1.0
    return _length_or_rate(m, count, unit)


def _length_or_rate(m: Match, count: float | None, unit: str) -> Hit | None:
    """So many units as a duration, or as a set when they are a rate ("twice a day")."""
    if count is not None and (count > 10_000 or (count >= 1000 and unit in _SINGULAR)):
        return None  # "the 1988 quarter" names a year
    if _is_rate(m):
        value = duration(1.0, unit)
        return None if value is None else Hit("set", value)
    value = duration(count, unit)
    return None if value is None else Hit("duration", value)


def _fraction_of_quarter(m: Match) -> bool:
    """ "a quarter of the market", "three-quarters", "its quarter-century low"."""
    return m.symbol_after() == SYM["of"] or m.hyphen_after()


def _is_rate(m: Match) -> bool:
    """ "$5 a year", "twice a day", "flights a week": the unit is a frequency, not a length."""
    words = m.words()
    if not words or words[0].lower() not in ("a", "an", "per"):
        return False
    if m.symbol_before() in _RATE_SYMBOLS or m.word_before() in ("once", "times"):
        return True
    doc = m.ctx.doc
    if doc is None or m.first == 0:
        return False
    before = doc.char_span(
        m.ctx.tokens.starts[m.first - 1], m.ctx.tokens.ends[m.first - 1], alignment_mode="expand"
    )
    return before is not None and len(before) > 0 and before[-1].tag_ in ("NNS", "CD")


@rule(
    "(?P<n><NUM>)<hyph>(?P<u><unit>)(?P<old><hyph><old>)?",
    "<a>(?P<n><NUM>)<hyph>(?P<u><unit>)<period_>",
    "(?P<u><unit>)<hyph><long>",
)
def adjectival(m: Match) -> Hit | None:
    """a two-year contract · a 30-day period · a three-year period · a day-long strike.

    Ages ("a 6-year-old boy") are not temporal expressions: they place nothing in time.
    """
    unit = m.word("u")
    if m.has("old") or (m.has("n") and unit not in _SINGULAR):
        return None
    count = number(m.words("n")) if m.has("n") else (None if unit.endswith("s") else 1.0)
    if m.has("n") and count is None and m.words("n")[-1].lower() not in ("several", "few"):
        return None
    value = duration(count, unit)
    return None if value is None else Hit("duration", value)


@rule("(?:<the>?<early>|<the><ordword>)?(?P<u><unit>)(?:<or><unit>)?")
def plural_unit(m: Match) -> Hit | None:
    """years · months · weeks or months: an unspecified duration (PXY)."""
    unit = m.word("u")
    if unit not in UNITS or not unit.endswith(("s", "ies", "ia")) or unit in ("hrs", "mins"):
        return None
    if unit in ("seconds", "quarters") or m.symbol_after() == SYM["old"] or m.hyphen_after():
        return None  # living quarters; "years-old"
    value = duration(None, unit)
    return None if value is None else Hit("duration", value)


@rule("<a>(?P<w><while>)", "(?P<some><qual>)(?P<w><time>)", "<as>(?P<r><ref>)<as><possible>")
def vague(m: Match) -> Hit | None:
    """a while · some time: a length of unknown size; as soon as possible: the future."""
    if m.has("r"):
        return Hit("date", "FUTURE_REF") if m.word("r") == "soon" else None
    if m.has("some") and m.word("some") != "some":
        return None
    return Hit("duration", "PXX")
