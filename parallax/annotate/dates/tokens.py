"""Text → tokens → one symbol per token: the string the grammar's regexes run over.

The text is cut into tokens by one precompiled regex and every token becomes one
character standing for its class ("month", "weekday", "number word", "unit", ...). A rule
such as ``<the>?<last><NUM><unit>`` is then an ordinary regex over that short string,
which is what keeps the grammar at a few percent of the cost of a parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from parallax.annotate.dates.lexicon import (
    BIG_NUMBERS,
    DECADE_WORDS,
    HOLIDAYS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    PART_OF_DAY,
    REFS,
    SEASONS,
    SET_ADVERBS,
    TIME_ZONES,
    UNITS,
)
from parallax.text import MONTHS, WEEKDAYS

TOKEN = re.compile(
    r"[ap]\.m\.?|[AP]\.M\.?"  # a.m. / p.m. before the word alternative eats the "a"
    r"|o['’]clock"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\."  # abbreviated months, with the dot
    r"|\d+(?:[.:/-]\d+)*(?:T\d\d:\d\d(?::\d\d)?)?(?:[a-zA-Z]{1,2}\b)?"  # numbers, dates, 1990s
    r"|['’]\d\ds?\b"  # '89, '90s
    r"|['’]s\b"
    r"|[^\W\d_]+"
    r"|\n"
    r"|[^\w\s]"
)
"""One token per match; whitespace other than newlines is skipped (a newline is a token so
that no expression runs across a line break). The abbreviated months are spelled out here
rather than taken from :data:`parallax.text.MONTH_PATTERN`: only the capitalised
abbreviations, and only with their dot, make a token of their own."""

CLASS_NAMES = (
    "month monthamb weekday weekdaypl year shortyear day ordday int iso clock frac decade "
    "numword ordword a vague unit weekend partday season dayrel ref recent future past "
    "now the this last next early earlier bound of ago every setadv qual more than at "
    "least up to no half and or fiscal poss its hyph comma period dollar percent prep "
    "ampm tz noon holiday dayword eve new near term period_ same full right these "
    "additional freq per other old long so adjunit ended bignum that while time as possible "
    "nl word punct"
).split()
SYM: dict[str, str] = {name: chr(0x100 + index) for index, name in enumerate(CLASS_NAMES)}
"""Class name → its symbol; the grammar is written with ``<name>``. Characters above
Latin-1 are never special in a regex, so no escaping is needed."""

_LOWER_WORDS = (
    (" ".join(n for n in NUMBER_WORDS if n not in BIG_NUMBERS), "numword"),
    (" ".join(BIG_NUMBERS), "bignum"),
    (" ".join(ORDINAL_WORDS), "ordword"),
    (" ".join(UNITS), "unit"),
    (" ".join(PART_OF_DAY), "partday"),
    (" ".join(SEASONS), "season"),
    (" ".join(SET_ADVERBS), "setadv"),
    (" ".join(k for k in REFS if k not in ("recent", "future", "past", "now", "current")), "ref"),
    ("today yesterday tomorrow tonight", "dayrel"),
    ("recent", "recent"),
    ("future", "future"),
    ("past", "past"),
    ("now", "now"),
    ("a an", "a"),
    ("several few couple many", "vague"),
    ("weekend weekends", "weekend"),
    ("the", "the"),
    ("this current", "this"),
    ("last previous preceding latest prior", "last"),
    ("next coming following upcoming ensuing", "next"),
    ("early late mid post pre", "early"),
    ("that", "that"),
    ("while", "while"),
    ("time", "time"),
    ("as", "as"),
    ("possible", "possible"),
    ("earlier later", "earlier"),
    ("beginning end start close middle", "bound"),
    ("of", "of"),
    ("ago", "ago"),
    ("every each", "every"),
    ("per", "per"),
    ("around nearly roughly approximately some sometime", "qual"),
    ("more less fewer", "more"),
    ("than", "than"),
    ("at", "at"),
    ("least most", "least"),
    ("up", "up"),
    ("to", "to"),
    ("no", "no"),
    ("half", "half"),
    ("and", "and"),
    ("or", "or"),
    ("fiscal", "fiscal"),
    ("its their", "its"),
    ("in on since until till by through throughout during from for before after", "prep"),
    ("am pm a.m. p.m. a.m p.m o'clock o’clock", "ampm"),
    ("noon midnight midday", "noon"),
    ("eve", "eve"),
    ("near short immediate foreseeable distant", "near"),
    ("long", "long"),
    ("trading business working calendar school consecutive straight", "adjunit"),
    ("ended ending", "ended"),
    ("term run", "term"),
    ("period", "period_"),
    ("same comparable corresponding", "same"),
    ("full whole entire", "full"),
    ("right", "right"),
    ("these", "these"),
    ("additional another extra", "additional"),
    ("twice thrice", "freq"),
    ("other", "other"),
    ("old", "old"),
    ("so", "so"),
    ("'s ’s", "poss"),
    (" ".join(DECADE_WORDS), "decade"),
)
"""Words whose class does not depend on case, with their class. No word is in two lines:
the REFS that have a class of their own are left out of "ref"."""

LOWER_CLASSES: dict[str, str] = {
    word: SYM[cls] for words, cls in _LOWER_WORDS for word in words.split()
}


def _month_forms(name: str) -> dict[str, str]:
    """The written forms of one month name and their symbol.

    Abbreviations count only with their dot ("Mar." is safe, "mar" is a verb), and the
    capitalised "May" and "March" are also a verb and a noun, so they get a class of
    their own that only some rules accept.
    """
    if len(name) == 3 or name == "sept":
        forms = {form: SYM["month"] for form in (name.capitalize() + ".", name.upper() + ".")}
        if name == "may":
            forms |= {"May": SYM["monthamb"], "MAY": SYM["monthamb"]}
        return forms
    symbol = SYM["monthamb" if name == "march" else "month"]
    return {form: symbol for form in (name.capitalize(), name.upper())}


def _exact_classes() -> dict[str, str]:
    """Forms whose class depends on the exact spelling: punctuation and capitalised names."""
    classes = {
        "-": SYM["hyph"],
        "–": SYM["hyph"],
        "‐": SYM["hyph"],
        ",": SYM["comma"],
        ".": SYM["period"],
        "$": SYM["dollar"],
        "%": SYM["percent"],
        "\n": SYM["nl"],
        "Day": SYM["dayword"],
        "New": SYM["new"],
    }
    for name in MONTHS:
        classes |= _month_forms(name)
    for name in WEEKDAYS:
        for form in (name.capitalize(), name.upper()):
            classes[form] = SYM["weekday"]
            classes[form + "s"] = SYM["weekdaypl"]
    classes |= {name.capitalize(): SYM["holiday"] for name in HOLIDAYS}
    classes |= {name: SYM["tz"] for name in TIME_ZONES}
    return classes


EXACT_CLASSES = _exact_classes()

_DIGIT_CLASSES = (
    (re.compile(r"\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d)?)?|\d{1,2}[./]\d{1,2}[./]\d{4}"), "iso"),
    (re.compile(r"\d{1,2}:\d\d(?::\d\d)?(?:am|pm)?|\d{1,2}(?:am|pm)", re.I), "clock"),
    (re.compile(r"1[0-9]{3}|20[0-9]{2}"), "year"),
    (re.compile(r"0?[1-9]|[12][0-9]|3[01]"), "day"),
    (re.compile(r"\d+(?:st|nd|rd|th)"), "ordday"),
    (re.compile(r"(?:1[0-9]|20)?[0-9]0s"), "decade"),
    (re.compile(r"\d/\d\d?"), "frac"),
)
"""Tokens that start with a digit, by shape; the first that fits wins, else "int"."""


def classify(token: str) -> str:
    """The symbol of one token: exact forms first (case matters for May, March, weekdays)."""
    symbol = EXACT_CLASSES.get(token)
    if symbol is not None:
        return symbol
    first = token[0]
    if first.isdigit():
        for pattern, name in _DIGIT_CLASSES:
            if pattern.fullmatch(token):
                return SYM[name]
        return SYM["int"]
    if first in "'’" and len(token) > 2 and token[1].isdigit():
        return SYM["decade"] if token.endswith("s") else SYM["shortyear"]
    symbol = LOWER_CLASSES.get(token.lower())
    if symbol is not None:
        return symbol
    return SYM["word"] if first.isalpha() else SYM["punct"]


@dataclass(frozen=True)
class Tokens:
    """The tokens of a text, their character offsets and their symbols, index for index."""

    texts: list[str]
    starts: list[int]
    ends: list[int]
    symbols: str


_SPLIT = re.compile(f"({TOKEN.pattern})")
_symbol = lru_cache(maxsize=1 << 16)(classify)
"""Token → symbol, memoised: news reuses a small vocabulary, and a cache hit is C-fast."""


def tokenize(text: str) -> Tokens:
    """Tokens, their offsets and their symbols, with no Python-level loop over matches.

    ``split`` with one capturing group gives [gap, token, gap, token, ..., gap]; running
    sums of the piece lengths are then exactly the token offsets.
    """
    pieces = _SPLIT.split(text)
    offsets = list(accumulate(map(len, pieces)))
    texts = pieces[1::2]
    return Tokens(texts, offsets[0:-1:2], offsets[1::2], "".join(map(_symbol, texts)))
