"""Temporal expressions: find them, type them and put them on the calendar (TimeML values).

Why a rule grammar and not the statistical model: spaCy's DATE/TIME entities miss most
durations, sets and relative references and give no value at all, and a library such as
dateparser is both slow and blind to TimeML conventions (``P4D``, ``2025-W38``,
``PAST_REF``). This is a HeidelTime-style grammar, but run over *token classes*: the text
is cut into tokens by one precompiled regex, every token becomes one symbol ("month",
"weekday", "number word", "unit", ...), and the grammar rules are regexes over that short
symbol string. That keeps the cost at a few percent of a parse while the rules stay
readable (``<the>?<last><NUM><unit>``). The spaCy parse is used only where the grammar
cannot decide: the tense of the verb that governs "Friday" or "Sept. 6" says whether the
day lies before or after the publication date.

Anchoring follows the TempEval/TimeML conventions because the quality gate scores against
them: weekday names are the nearest such day before the publication date unless the verb
is future or the text says "next"/"this coming"; a month and day without a year take the
year that puts them nearest to the publication date, before it when the verb is past and
after it when it is future; "last week" is the previous ISO week, "recent weeks" is
``PAST_REF``. Without a publication date relative expressions keep their type and get
the value ``None``; absolute ones ("November 2024") still resolve.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate, pairwise

from spacy.tokens import Doc, Token

from parallax.model import DateItem

__all__ = ["extract_dates", "parse_anchor"]

# -- tokens ----------------------------------------------------------------------------

_TOKEN = re.compile(
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
that no expression runs across a line break)."""

# Class names become one symbol character each; the grammar is written with <name>.
_CLASS_NAMES = (
    "month monthamb weekday weekdaypl year shortyear day ordday int iso clock frac decade "
    "numword ordword a vague unit weekend partday season dayrel ref recent future past "
    "now the this last next early earlier bound of ago every setadv qual more than at "
    "least up to no half and or fiscal poss its hyph comma period dollar percent prep "
    "ampm tz noon holiday dayword eve new near term period_ same full right these "
    "additional freq per other old long so adjunit ended bignum that while time as possible "
    "nl word punct"
).split()
_SYM: dict[str, str] = {
    name: chr(0x100 + index) for index, name in enumerate(_CLASS_NAMES)
}  # chars above Latin-1 are never special in a regex, so no escaping is needed

_MONTHS: dict[str, int] = {}
for _month_number, _names in enumerate(
    (
        "january jan",
        "february feb",
        "march mar",
        "april apr",
        "may",
        "june jun",
        "july jul",
        "august aug",
        "september sept sep",
        "october oct",
        "november nov",
        "december dec",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _month_number
_WEEKDAYS = {
    name: index
    for index, name in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())
}
_NUMBER_WORDS: dict[str, int] = {
    name: value
    for value, name in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_NUMBER_WORDS.update(
    {
        name: 10 * (index + 2)
        for index, name in enumerate(
            "twenty thirty forty fifty sixty seventy eighty ninety".split()
        )
    }
)
_NUMBER_WORDS.update({"hundred": 100, "thousand": 1000, "dozen": 12})
_BIG_NUMBERS = ("hundred", "thousand", "dozen")
_ORDINAL_WORDS: dict[str, int] = {
    name: index + 1
    for index, name in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
        "twentieth".split()
    )
}
_ORDINAL_WORDS.update({"thirtieth": 30})
_DECADE_WORDS = {
    name: 10 * (index + 2)
    for index, name in enumerate(
        "twenties thirties forties fifties sixties seventies eighties nineties".split()
    )
}
_UNITS: dict[str, tuple[str, bool]] = {}
"""unit word → (TimeML letter, is a time-of-day unit: written after ``T``)."""
for _names, _letter, _is_time in (
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
):
    for _name in _names.split():
        _UNITS[_name] = (_letter, _is_time)
_PART_OF_DAY = {
    "morning": "MO",
    "mornings": "MO",
    "afternoon": "AF",
    "afternoons": "AF",
    "evening": "EV",
    "evenings": "EV",
    "night": "NI",
    "nights": "NI",
}
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_ORDER = ("WI", "SP", "SU", "FA")
_REFS = {
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
_SET_ADVERBS = {
    "daily": "P1D",
    "nightly": "P1D",
    "weekly": "P1W",
    "biweekly": "P2W",
    "monthly": "P1M",
    "annually": "P1Y",
    "yearly": "P1Y",
    "hourly": "PT1H",
}
_HOLIDAYS: dict[str, tuple[int, int] | str] = {
    "christmas": (12, 25),
    "halloween": (10, 31),
    "thanksgiving": "thanksgiving",
    "easter": "easter",
    "election": "election",
}

_LOWER_CLASSES: dict[str, str] = {}


def _lower(names: str, cls: str) -> None:
    for name in names.split():
        _LOWER_CLASSES[name] = _SYM[cls]


_lower(" ".join(n for n in _NUMBER_WORDS if n not in _BIG_NUMBERS), "numword")
_lower(" ".join(_BIG_NUMBERS), "bignum")
_lower(" ".join(_ORDINAL_WORDS), "ordword")
_lower(" ".join(_UNITS), "unit")
_lower(" ".join(_PART_OF_DAY), "partday")
_lower(" ".join(_SEASONS), "season")
_lower(" ".join(_SET_ADVERBS), "setadv")
_lower(" ".join(k for k in _REFS if k not in ("recent", "future", "past", "now", "current")), "ref")
_lower("today yesterday tomorrow tonight", "dayrel")
_lower("recent", "recent")
_lower("future", "future")
_lower("past", "past")
_lower("now", "now")
_lower("a an", "a")
_lower("several few couple many", "vague")
_lower("weekend weekends", "weekend")
_lower("the", "the")
_lower("this current", "this")
_lower("last previous preceding latest prior", "last")
_lower("next coming following upcoming ensuing", "next")
_lower("early late mid post pre", "early")
_lower("that", "that")
_lower("while", "while")
_lower("time", "time")
_lower("as", "as")
_lower("possible", "possible")
_lower("earlier later", "earlier")
_lower("beginning end start close middle", "bound")
_lower("of", "of")
_lower("ago", "ago")
_lower("every each", "every")
_lower("per", "per")
_lower("around nearly roughly approximately some sometime", "qual")
_lower("more less fewer", "more")
_lower("than", "than")
_lower("at", "at")
_lower("least most", "least")
_lower("up", "up")
_lower("to", "to")
_lower("no", "no")
_lower("half", "half")
_lower("and", "and")
_lower("or", "or")
_lower("fiscal", "fiscal")
_lower("its their", "its")
_lower("in on since until till by through throughout during from for before after", "prep")
_lower("am pm a.m. p.m. a.m p.m o'clock o’clock", "ampm")
_lower("noon midnight midday", "noon")
_lower("eve", "eve")
_lower("near short immediate foreseeable distant", "near")
_lower("long", "long")
_lower("trading business working calendar school consecutive straight", "adjunit")
_lower("ended ending", "ended")
_lower("term run", "term")
_lower("period", "period_")
_lower("same comparable corresponding", "same")
_lower("full whole entire", "full")
_lower("right", "right")
_lower("these", "these")
_lower("additional another extra", "additional")
_lower("twice thrice", "freq")
_lower("other", "other")
_lower("old", "old")
_lower("so", "so")
_lower("'s ’s", "poss")

_EXACT_CLASSES: dict[str, str] = {
    "-": _SYM["hyph"],
    "–": _SYM["hyph"],
    "‐": _SYM["hyph"],
    ",": _SYM["comma"],
    ".": _SYM["period"],
    "$": _SYM["dollar"],
    "%": _SYM["percent"],
    "\n": _SYM["nl"],
    "Day": _SYM["dayword"],
    "New": _SYM["new"],
}
for _name in _MONTHS:
    _cls = "monthamb" if _name in ("may", "march", "mar") else "month"
    if len(_name) == 3 or _name == "sept":  # abbreviations need their dot ("Mar." is safe)
        for _form in (_name.capitalize() + ".", _name.upper() + "."):
            _EXACT_CLASSES[_form] = _SYM["month"]
        if _name == "may":
            _EXACT_CLASSES["May"] = _SYM["monthamb"]
            _EXACT_CLASSES["MAY"] = _SYM["monthamb"]
        continue
    for _form in (_name.capitalize(), _name.upper()):
        _EXACT_CLASSES[_form] = _SYM[_cls]
for _name in _WEEKDAYS:
    for _form in (_name.capitalize(), _name.upper()):
        _EXACT_CLASSES[_form] = _SYM["weekday"]
        _EXACT_CLASSES[_form + "s"] = _SYM["weekdaypl"]
for _name in _HOLIDAYS:
    _EXACT_CLASSES[_name.capitalize()] = _SYM["holiday"]
for _name in "EST EDT CST CDT MST MDT PST PDT GMT UTC BST CET CEST ET PT".split():
    _EXACT_CLASSES[_name] = _SYM["tz"]
for _name in _DECADE_WORDS:
    _LOWER_CLASSES[_name] = _SYM["decade"]

_DIGIT_CLASSES = (
    (re.compile(r"\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d)?)?|\d{1,2}[./]\d{1,2}[./]\d{4}"), "iso"),
    (re.compile(r"\d{1,2}:\d\d(?::\d\d)?(?:am|pm)?|\d{1,2}(?:am|pm)", re.I), "clock"),
    (re.compile(r"1[0-9]{3}|20[0-9]{2}"), "year"),
    (re.compile(r"0?[1-9]|[12][0-9]|3[01]"), "day"),
    (re.compile(r"\d+(?:st|nd|rd|th)"), "ordday"),
    (re.compile(r"(?:1[0-9]|20)?[0-9]0s"), "decade"),
    (re.compile(r"\d/\d\d?"), "frac"),
)


def _classify(token: str) -> str:
    """The symbol of one token: exact forms first (case matters for May, March, weekdays)."""
    symbol = _EXACT_CLASSES.get(token)
    if symbol is not None:
        return symbol
    first = token[0]
    if first.isdigit():
        for pattern, name in _DIGIT_CLASSES:
            if pattern.fullmatch(token):
                return _SYM[name]
        return _SYM["int"]
    if first in "'’" and len(token) > 2 and token[1].isdigit():
        return _SYM["decade"] if token.endswith("s") else _SYM["shortyear"]
    symbol = _LOWER_CLASSES.get(token.lower())
    if symbol is not None:
        return symbol
    return _SYM["word"] if first.isalpha() else _SYM["punct"]


@dataclass(frozen=True)
class _Tokens:
    texts: list[str]
    starts: list[int]
    ends: list[int]
    symbols: str


_SPLIT = re.compile(f"({_TOKEN.pattern})")
_symbol = lru_cache(maxsize=1 << 16)(_classify)
"""Token → symbol, memoised: news reuses a small vocabulary, and a cache hit is C-fast."""


def _tokenize(text: str) -> _Tokens:
    """Tokens, their offsets and their symbols, with no Python-level loop over matches.

    ``split`` with one capturing group gives [gap, token, gap, token, ..., gap]; running
    sums of the piece lengths are then exactly the token offsets.
    """
    pieces = _SPLIT.split(text)
    offsets = list(accumulate(map(len, pieces)))
    texts = pieces[1::2]
    return _Tokens(texts, offsets[0:-1:2], offsets[1::2], "".join(map(_symbol, texts)))


# -- the anchor ------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """The publication date (local to the article) and, when known, its time of day."""

    day: date
    time: str | None = None


_ANCHOR_YEARS = (1000, 9000)
_ANCHOR_PREFIX = re.compile(r"(\d{4})-?(\d\d)-?(\d\d)(?:[T ](\d\d):(\d\d))?")


def parse_anchor(published_at: str | None) -> Anchor | None:
    """``2025-09-22``, ``2025-09-21T09:11``, ``2025-09-22T08:30:00+02:00`` → its local date.

    The date as written is the article's own calendar day, so no time zone conversion.
    """
    if not published_at:
        return None
    match = _ANCHOR_PREFIX.match(published_at.strip())
    if match is None:
        try:
            parsed = datetime.fromisoformat(published_at.strip())
        except ValueError:
            return None
        if not _ANCHOR_YEARS[0] <= parsed.year <= _ANCHOR_YEARS[1]:
            return None
        return Anchor(parsed.date(), parsed.strftime("%H:%M"))
    year, month, day, hour, minute = match.groups()
    if not _ANCHOR_YEARS[0] <= int(year) <= _ANCHOR_YEARS[1]:
        return None  # calendar arithmetic around it would leave datetime's range
    try:
        day_ = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return Anchor(day_, f"{hour}:{minute}" if hour is not None else None)


# -- calendar helpers ------------------------------------------------------------------


def _ymd(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _add_quarters(year: int, quarter: int, delta: int) -> tuple[int, int]:
    index = year * 4 + (quarter - 1) + delta
    return index // 4, index % 4 + 1


def _season(day: date) -> tuple[int, str]:
    """The season the day falls in, TimeML-style: December belongs to next year's winter."""
    if day.month == 12:
        return day.year + 1, "WI"
    return day.year, _SEASON_ORDER[(day.month % 12) // 3]


def _weekday_near(anchor: date, weekday: int, direction: int, strict: bool) -> date:
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


def _month_day_year(anchor: date, month: int, day: int, tense: int) -> date | None:
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


def _month_year(anchor: date, month: int, tense: int, strict: bool = False) -> int:
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


def _holiday(name: str, year: int) -> date:
    rule = _HOLIDAYS[name]
    if isinstance(rule, tuple):
        return date(year, *rule)
    if rule == "easter":
        return _easter(year)
    first = date(year, 11, 1)
    if rule == "election":  # US: the Tuesday after the first Monday of November
        return first + timedelta(days=(0 - first.weekday()) % 7 + 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)  # fourth Thursday


# -- numbers ---------------------------------------------------------------------------

_FRACTION = re.compile(r"(\d+)/(\d+)")


def _number(words: Sequence[str]) -> float | None:
    """ "twenty-four" → 24, "2 1/2" → 2.5, "a" → 1; ``None`` for vague ("several", "a few")."""
    total = 0.0
    current = 0.0
    seen = False
    for raw in words:
        word = raw.lower()
        if word in ("-", "–", "‐", "of", "and"):
            continue
        if word in ("a", "an"):
            current = current or 1.0
            seen = True
            continue
        if word in ("several", "few", "many", "couple"):
            if word == "couple":
                current, seen = 2.0, True
                continue
            return None
        fraction = _FRACTION.fullmatch(word)
        if fraction:
            denominator = int(fraction.group(2))
            if denominator == 0:
                return None
            current += int(fraction.group(1)) / denominator
            seen = True
            continue
        if word[0].isdigit():
            try:
                current += float(word.replace(",", ""))
            except ValueError:
                return None
            seen = True
            continue
        value = _NUMBER_WORDS.get(word)
        if value is None:
            return None
        seen = True
        if value in (100, 1000):
            current = (current or 1.0) * value
            if value == 1000:
                total += current
                current = 0.0
        else:
            current += value
    return total + current if seen else None


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


def _duration(number: float | None, unit: str) -> str | None:
    info = _UNITS.get(unit.lower())
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


# -- tense -----------------------------------------------------------------------------

_FUTURE_AUX = frozenset({"will", "'ll", "’ll", "shall", "wo", "would", "going"})
_FUTURE_LEMMAS = frozenset({"expect", "schedule", "plan", "slate", "intend", "aim", "hope", "want"})
_PRESENT_BE = frozenset({"is", "are", "am", "'s", "'re", "’s", "’re"})
_PERFECT = frozenset({"has", "have", "'ve", "’ve"})
_FORWARD = frozenset({"until", "till", "to", "through", "by", "pending"})
"""Prepositions that point ahead whatever the tense: "extended to Nov. 16" is still to come."""
_FUTURE_HEADS = _FUTURE_LEMMAS | {"set", "due", "likely", "about", "go"}
"""Heads of a to-infinitive that put it in the future: "set to resume trading Monday"."""


def _verb_tense(verb: Token, depth: int = 0) -> int:
    """-1 past, +1 future, 0 present or unknown, from the verb and its auxiliaries."""
    auxes = {c.lower_: c for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if verb.lower_ in _FUTURE_AUX or _FUTURE_AUX.intersection(auxes):
        return 1
    if verb.lemma_ in _FUTURE_LEMMAS and (verb.tag_ != "VBN" or auxes):
        return 1  # "has scheduled a news conference Thursday" is about Thursday to come
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes.values()):
        return -1
    if _PERFECT.intersection(auxes):
        return -1
    if verb.tag_ == "VBG" and _PRESENT_BE.intersection(auxes):
        return 1  # "is meeting Friday"
    head = verb.head
    if verb.tag_ == "VB" and depth < 2 and head is not verb and verb.dep_ in ("xcomp", "ccomp"):
        if head.lemma_ in _FUTURE_HEADS or (head.lemma_ == "be" and head.tag_ in ("VBZ", "VBP")):
            return 1  # "plans to meet Friday", "is to resume trading Tuesday"
        return max(0, _verb_tense(head, depth + 1))
    return 0


def _tense(doc: Doc | None, start: int, end: int) -> int:
    """The tense of the verb that governs the characters ``start:end`` of the doc, or 0.

    Only prepositions, conjunctions and appositions are climbed: a noun or adjective in
    between ("the Jan. 14 deadline", "payable Dec. 15") cuts the expression off from the
    clause's tense, which then says nothing about it.
    """
    if doc is None:
        return 0
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return 0
    token = span.root
    for _ in range(6):
        head = token.head
        if head is token:
            return _verb_tense(token) if token.pos_ in ("VERB", "AUX") else 0
        if head.pos_ == "ADP":
            if head.lower_ in _FORWARD:
                return 1
            if head.lower_ == "as" and head.i > 0 and head.nbor(-1).lower_ in ("soon", "early"):
                return 1  # "as soon as Tuesday"
        elif head.pos_ in ("VERB", "AUX"):
            return _verb_tense(head)
        elif token.dep_ not in ("conj", "appos"):
            return 0
        token = head
    return 0


# -- the grammar -----------------------------------------------------------------------

_MACROS = {
    "NUMW": "(?:<numword>(?:<hyph>?(?:<numword>|<bignum>))*)",
    "NUM": "(?:(?:<int>|<day>|<year>)<frac>?|<frac>|<NUMW>|<a><bignum>|<a>(?:<vague><of>?)?"
    "|<vague><of>?)",
    "QUAL": "(?:<qual>|<more><than>|<at><least>|<up><to>|<no><more><than>)",
    "PM": "(?:<early><hyph>?|(?:<the>)?<bound><of>(?:<the>)?)",
    "MON": "(?:<month>|<monthamb>)",
    "LAST": "(?:<last>|<past>)",
    "REL": "(?:<LAST>|<next>|<this>(?:<next>|<LAST>)?|<the>(?:<LAST>|<next>|<this>))",
    "DAYN": "(?:<day>|<ordday>|<ordword>|<numword><hyph>?<ordword>)",
    "YR": "(?:<year>|<shortyear>)",
    "SPELLED": "(?:<numword>(?:<numword>|<bignum>)(?:<hyph>?<numword>)?)",
}
_PLACEHOLDER = re.compile(r"(?<!\?P)<(\w+)>")


def _expand(pattern: str) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _MACROS:
            return _expand(_MACROS[name])
        return _SYM[name]

    return _PLACEHOLDER.sub(one, pattern)


@dataclass(frozen=True)
class _Hit:
    type: str
    value: str | None


class _Match:
    """A grammar match seen as tokens: group texts, character offsets, the tense around it."""

    def __init__(self, ctx: _Context, match: re.Match[str]) -> None:
        self.ctx = ctx
        self.m = match
        self.first, self.last = match.span()

    def has(self, group: str) -> bool:
        return group in self.m.re.groupindex and self.m.start(group) >= 0

    def words(self, group: str | int = 0) -> list[str]:
        if isinstance(group, str) and group not in self.m.re.groupindex:
            return []
        start, end = self.m.span(group)
        return self.ctx.tokens.texts[start:end] if start >= 0 else []

    def low(self, group: str | int = 0) -> str:
        return " ".join(self.words(group)).lower()

    def word(self, group: str | int) -> str:
        """The group's last token, lowercased and without a trailing dot."""
        words = self.words(group)
        return words[-1].lower().rstrip(".") if words else ""

    def tense(self) -> int:
        tokens = self.ctx.tokens
        start, end = tokens.starts[self.first], tokens.ends[self.last - 1]
        return _tense(self.ctx.doc, start, end)

    def symbol_before(self, distance: int = 1) -> str:
        index = self.first - distance
        return self.ctx.tokens.symbols[index] if index >= 0 else ""

    def symbol_after(self, distance: int = 0) -> str:
        index = self.last + distance
        symbols = self.ctx.tokens.symbols
        return symbols[index] if index < len(symbols) else ""

    def word_before(self, distance: int = 1) -> str:
        index = self.first - distance
        return self.ctx.tokens.texts[index].lower() if index >= 0 else ""


@dataclass
class _Context:
    tokens: _Tokens
    anchor: Anchor | None
    doc: Doc | None
    last_date: str | None = None
    """The latest calendar date found so far: what "that year" or "the next day" refer to."""


Handler = Callable[[_Match], _Hit | None]


@dataclass(frozen=True)
class _Rule:
    name: str
    regex: re.Pattern[str]
    handler: Handler


_RULES: list[_Rule] = []


def _rule(*patterns: str) -> Callable[[Handler], Handler]:
    """Register a handler for one or more grammar patterns (earlier rules win ties)."""

    def register(handler: Handler) -> Handler:
        for pattern in patterns:
            _RULES.append(_Rule(handler.__name__, re.compile(_expand(pattern)), handler))
        return handler

    return register


def _direction(m: _Match, default: int) -> int:
    """The tense around the match, or ``default`` where the parse says nothing."""
    tense = m.tense()
    return tense if tense else default


DEFAULT_WEEKDAY = -1
"""Direction of a weekday name when the tense says nothing: news is mostly about the past."""


def _day_number(words: Sequence[str]) -> int | None:
    joined = "".join(w.lower() for w in words if w not in ("-", "–"))
    digits = re.match(r"\d+", joined)
    if digits:
        return int(digits.group())
    if joined in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[joined]
    for tens, value in (("twenty", 20), ("thirty", 30)):
        if joined.startswith(tens) and joined[len(tens) :] in _ORDINAL_WORDS:
            return value + _ORDINAL_WORDS[joined[len(tens) :]]
    return None


def _year_of(m: _Match, group: str) -> int | None:
    word = m.word(group).lstrip("'’")
    if not word.isdigit():
        return None
    year = int(word)
    if len(word) == 2:
        anchor = m.ctx.anchor
        pivot = (anchor.day.year % 100 + 10) if anchor else 50
        year += 2000 if year <= pivot else 1900
    return year


def _date_of_month_day(m: _Match, month: int, day: int) -> _Hit | None:
    if not 1 <= day <= 31:
        return None
    year = _year_of(m, "y") if m.has("y") else None
    if year is not None:
        try:
            return _Hit("date", _ymd(date(year, month, day)))
        except ValueError:
            return None
    if day > calendar.monthrange(2000, month)[1]:
        return None
    anchor = m.ctx.anchor
    if anchor is None:
        return _Hit("date", None)
    if m.has("wd"):
        weekday = _WEEKDAYS[m.word("wd")]
        for year_ in (anchor.day.year, anchor.day.year + 1, anchor.day.year - 1):
            try:
                if date(year_, month, day).weekday() == weekday:
                    return _Hit("date", _ymd(date(year_, month, day)))
            except ValueError:
                continue
    resolved = _month_day_year(anchor.day, month, day, m.tense())
    return _Hit("date", _ymd(resolved) if resolved else None)


@_rule(
    "<QUAL>?(?:(?:<REL>)?(?P<wd><weekday>)<comma>?)?(?P<m><MON>)(?P<d><DAYN>)"
    "(?:<comma>?(?P<y><YR>))?",
    "<QUAL>?(?:(?P<wd><weekday>)<comma>?)?(?:<the>)?(?P<d><day>|<ordday>)(?:<of>)?(?P<m><MON>)"
    "(?:<comma>?(?P<y><year>))?",
    "<the>(?P<wk><unit>)<of>(?P<m><MON>)(?P<d><DAYN>)(?:<comma>?(?P<y><YR>))?",
)
def _month_day(m: _Match) -> _Hit | None:
    """Sept. 6 · Nov. 12, 1989 · Thursday, April 6 · 6 September 2025 · the week of March 6."""
    day = _day_number(m.words("d"))
    if day is None:
        return None
    hit = _date_of_month_day(m, _MONTHS[m.word("m")], day)
    if hit is None or not m.has("wk"):
        return hit
    if m.word("wk") != "week":
        return None
    return _Hit("date", None if hit.value is None else _iso_week(date.fromisoformat(hit.value)))


_NUMERIC_DATE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?:T(?P<t>\d\d:\d\d)(?::\d\d)?)?"
    r"|(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})[./](?P<y2>\d{4})"
)


@_rule("(?P<d><iso>)")
def _numeric(m: _Match) -> _Hit | None:
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
        value = _ymd(date(year, month, day))
    except ValueError:
        return None
    if found.group("t"):
        return _Hit("time", f"{value}T{found.group('t')}")
    return _Hit("date", value)


@_rule(
    "<PM>?(?P<m><MON>)(?:<comma>|<of>)?(?P<y><YR>)",
    "<PM>?(?P<m><MON>)(?:<comma>|<of>)?(?P<y2><SPELLED>)",
)
def _month_year_rule(m: _Match) -> _Hit | None:
    """November 2024 · early July 1999 · June of 1999 · January nineteen ninety-seven."""
    year = _year_of(m, "y") if m.has("y") else _explicit_year(m)
    return None if year is None else _Hit("date", _ym(year, _MONTHS[m.word("m")]))


@_rule(
    "(?:<PM>|(?P<rel><REL>))?(?P<m><month>)",
    "(?:<PM>|(?P<rel><REL>))(?P<m><monthamb>)",
    "(?<=<prep>|<the>)(?P<m><monthamb>)",
    "(?P<m><MON>)(?P<rel2><last>|<this>|<next>)(?P<u><unit>)",
)
def _month_alone(m: _Match) -> _Hit | None:
    """January · last November · early December · this September · July last year."""
    if not m.has("rel2") and m.symbol_after() in _DAY_SYMBOLS:
        return None  # "last Oct. 23": the month-and-day rule reads it
    month = _MONTHS[m.word("m")]
    anchor = m.ctx.anchor
    if anchor is None:
        return _Hit("date", None)
    if m.has("rel2"):
        if m.word("u") != "year":
            return None
        shift = {"last": -1, "this": 0, "next": 1}.get(m.word("rel2"), 0)
        return _Hit("date", _ym(anchor.day.year + shift, month))
    rel = _relation(m.words("rel")) if m.has("rel") else None
    if rel == 0:
        return _Hit("date", _ym(anchor.day.year, month))
    if rel is not None:
        return _Hit("date", _ym(_month_year(anchor.day, month, rel, strict=True), month))
    year = _month_year(anchor.day, month, m.tense())
    return _Hit("date", _ym(year, month))


_DAY_SYMBOLS = frozenset(_SYM[name] for name in ("day", "ordday", "ordword"))


def _relation(words: Sequence[str]) -> int | None:
    """last/past/previous → -1, next/coming/following → +1, this/current → 0."""
    relation: int | None = None
    for word in words:
        symbol = _classify(word)
        if symbol in (_SYM["last"], _SYM["past"]):
            relation = -1
        elif symbol == _SYM["next"]:
            relation = 1
        elif symbol == _SYM["this"] and relation is None:
            relation = 0
    return relation


_YEAR_BLOCKERS = frozenset(
    _SYM[name] for name in ("dollar", "int", "year", "day", "comma", "hyph", "period")
)
_YEAR_BLOCKERS_AFTER = frozenset(
    _SYM[name] for name in ("percent", "int", "hyph", "frac", "unit", "year")
)


_AMOUNT_ENTITIES = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"})


def _is_amount(m: _Match, group: str) -> bool:
    """Whether the statistical model reads the number as an amount ("2000 troops")."""
    doc = m.ctx.doc
    if doc is None:
        return False
    start, end = m.m.span(group)
    span = doc.char_span(m.ctx.tokens.starts[start], m.ctx.tokens.ends[end - 1])
    return span is not None and span[0].ent_type_ in _AMOUNT_ENTITIES


@_rule(
    "<PM>?(?:<fiscal>)?(?P<y><year>)",
    "<the><unit>(?P<y><year>)",
    "<the>(?P<y><year>)(?P<q><unit>|<period_>)",
)
def _year(m: _Match) -> _Hit | None:
    """1989 · fiscal 1990 · the end of 1990 · the year 2000; not $1989, 1,989 or 1989-90."""
    year = int(m.words("y")[0])
    if m.symbol_before() in _YEAR_BLOCKERS and not m.low().startswith(("the", "fiscal")):
        return None
    if m.symbol_after() in _YEAR_BLOCKERS_AFTER:
        return None
    if not 1600 <= year <= 2099 or _is_amount(m, "y"):
        return None
    if m.has("q"):
        period = m.word("q")
        if period == "quarter":
            anchor = m.ctx.anchor
            quarter = _quarter(anchor.day) - 1 if anchor else 0
            return _Hit("date", f"{year:04d}-Q{quarter}" if quarter > 0 else f"{year:04d}")
        if period not in ("period", "year"):
            return None
    return _Hit("date", f"{year:04d}")


_SPELLED_HEAD = {"nineteen": 19, "eighteen": 18, "twenty": 20}


def _spelled_year(words: Sequence[str]) -> int | None:
    """nineteen ninety-six → 1996, two thousand → 2000."""
    parts = [w.lower() for w in words if w not in ("-", "–")]
    if parts[:2] == ["two", "thousand"]:
        rest = _number(parts[2:]) if len(parts) > 2 else 0.0
        return None if rest is None else 2000 + int(rest)
    if len(parts) < 2 or parts[0] not in _SPELLED_HEAD:
        return None
    tail = _number(parts[1:])
    if tail is None or not 10 <= tail < 100 or parts[1] in ("hundred", "thousand"):
        return None
    return _SPELLED_HEAD[parts[0]] * 100 + int(tail)


@_rule("(?:<the><unit>)?(?P<s><SPELLED>)")
def _spelled(m: _Match) -> _Hit | None:
    """Spoken transcripts: nineteen ninety-six · the year two thousand."""
    year = _spelled_year(m.words("s"))
    words = m.low().split()
    if year is None or (words[0] == "the" and words[1] != "year"):
        return None
    return _Hit("date", str(year))


@_rule("(?:<the>)?<PM>?(?P<s><decade>)", "<the><last><half><of>(?:<the>)?(?P<s><decade>)")
def _decade(m: _Match) -> _Hit | None:
    """the 1990s → 199 · the mid-1980s · the '90s · the nineties."""
    word = m.word("s").lstrip("'’")
    if word in _DECADE_WORDS:
        if not m.low().startswith("the"):
            return None
        return _Hit("date", f"19{_DECADE_WORDS[word] // 10}")
    digits = word.rstrip("s")
    if len(digits) == 4:
        return _Hit("date", digits[:3])
    if len(digits) == 2:
        if not (m.low().startswith("the") or m.word("s")[0] in "'’"):
            return None  # "in his 90s" is an age
        anchor = m.ctx.anchor
        century = (anchor.day.year // 100) if anchor else 19
        if int(digits) > (anchor.day.year % 100 if anchor else 30):
            century -= 1
        return _Hit("date", f"{century:02d}{digits[0]}")
    return None


@_rule("(?:<the>)?<PM>?(?P<c><ordday>|(?:<numword><hyph>?)?<ordword>)(?P<u><unit>)")
def _century(m: _Match) -> _Hit | None:
    """the 20th century → 19 · the twenty-first century → 20."""
    if not m.word("u").startswith("centur"):
        return None
    number = _day_number(m.words("c"))
    if number is None or not 1 <= number <= 30:
        return None
    return _Hit("date", f"{number - 1:02d}")


@_rule(
    "(?:<early>|<earlier>)?(?P<r><dayrel>)(?P<p><partday>)?",
    "<early>?<hyph>?(?P<p><partday>)(?P<r><dayrel>)",
)
def _day_relative(m: _Match) -> _Hit | None:
    """today · yesterday morning · late yesterday · tonight · mid-afternoon yesterday."""
    word = m.word("r")
    anchor = m.ctx.anchor
    part = _PART_OF_DAY.get(m.word("p")) if m.has("p") else None
    if word == "tonight":
        part = "NI"
    if anchor is None:
        return _Hit("time" if part else "date", None)
    shift = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
    value = _ymd(anchor.day + timedelta(days=shift))
    if part:
        return _Hit("time", f"{value}T{part}")
    return _Hit("date", value)


@_rule(
    "(?P<rel><REL>)?(?P<w><weekday>)(?P<p><partday>)?",
    "(?P<every><every>)(?P<w><weekday>)(?P<p><partday>)?",
    "(?P<w><weekdaypl>)(?P<p><partday>)?",
)
def _weekday(m: _Match) -> _Hit | None:
    """Sunday · last Friday · this coming Sunday · Friday morning · each Thursday · Mondays."""
    word = m.word("w")
    plural = word.endswith("s") and word not in _WEEKDAYS
    weekday = _WEEKDAYS[word[:-1] if plural else word]
    part = _PART_OF_DAY.get(m.word("p")) if m.has("p") else None
    if plural or m.has("every") or (m.has("p") and m.word("p").endswith("s")):
        suffix = f"T{part}" if part else ""
        return _Hit("set", f"XXXX-WXX-{weekday + 1}{suffix}")
    anchor = m.ctx.anchor
    if anchor is None:
        return _Hit("time" if part else "date", None)
    rel = _relation(m.words("rel")) if m.has("rel") else None
    if rel is None:
        day = _weekday_near(anchor.day, weekday, _direction(m, DEFAULT_WEEKDAY), strict=False)
    elif rel == 0:
        day = _weekday_near(anchor.day, weekday, 1 if m.tense() >= 0 else -1, strict=False)
    else:
        day = _weekday_near(anchor.day, weekday, rel, strict=True)
    if part:
        return _Hit("time", f"{_ymd(day)}T{part}")
    return _Hit("date", _ymd(day))


@_rule("(?:<earlier>)?(?P<rel><this>|<last>)(?P<p><partday>)")
def _part_of_day(m: _Match) -> _Hit | None:
    """this morning · last night · this evening."""
    part = _PART_OF_DAY[m.word("p")]
    anchor = m.ctx.anchor
    if anchor is None:
        return _Hit("time", None)
    day = anchor.day - timedelta(days=1 if m.word("rel") == "last" else 0)
    return _Hit("time", f"{_ymd(day)}T{part}")


def _relative_unit(anchor: date, unit: str, rel: int) -> str | None:
    """last week → 2025-W38 · this year → 2025 · next month · the current quarter."""
    if unit in ("day", "days"):
        return _ymd(anchor + timedelta(days=rel))
    if unit == "week":
        return _iso_week(anchor + timedelta(weeks=rel))
    if unit == "month":
        return _ym(*_add_months(anchor.year, anchor.month, rel))
    if unit == "quarter":
        year, quarter = _add_quarters(anchor.year, _quarter(anchor), rel)
        return f"{year:04d}-Q{quarter}"
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
    return f"{_iso_week(day)}-WE"


def _season_value(anchor: date, season: str, rel: int | None) -> str:
    year, current = _season(anchor)
    index, here = _SEASON_ORDER.index(season), _SEASON_ORDER.index(current)
    if rel is None or rel == 0:
        return f"{year}-{season}"
    if rel < 0:
        return f"{year if index < here else year - 1}-{season}"
    return f"{year if index > here else year + 1}-{season}"


@_rule(
    "<QUAL>?<PM>?(?:<earlier>)?(?P<rel><REL>)(?:<fiscal>)?(?P<u><unit>|<weekend>|<season>)"
    "(?:<or><so>)?",
)
def _relative(m: _Match) -> _Hit | None:
    """last week · this year · next month · early next year · earlier this month · last fall."""
    unit = m.word("u")
    rel = _relation(m.words("rel"))
    anchor = m.ctx.anchor
    if rel is None:
        return None
    if unit.endswith("s"):
        return None  # "the next years", "the last days": not one calendar unit
    if unit in _SEASONS:
        if anchor is None:
            return _Hit("date", None)
        return _Hit("date", _season_value(anchor.day, _SEASONS[unit], rel))
    if unit in ("day", "days", "hour", "minute", "second"):
        return None
    if unit in ("decade", "century") and rel < 0 and "past" in m.low():
        return _Hit("duration", _duration(1.0, unit))  # "the past decade": the last ten years
    if anchor is None:
        return _Hit("date", None)
    value = _relative_unit(anchor.day, unit, rel)
    return None if value is None else _Hit("date", value)


@_rule(
    "(?:<PM>|<earlier><prep>)?<the>(?:<full>|<same>)?(?:<fiscal>)?(?P<u><unit>|<weekend>)",
    "<the>(?P<last><last>)(?P<u><period_>)",
)
def _the_unit(m: _Match) -> _Hit | None:
    """the year · the weekend · the quarter (the one just reported) · the latest period."""
    unit = m.word("u")
    anchor = m.ctx.anchor
    if unit in ("weekend", "weekends"):
        if anchor is None:
            return _Hit("date", None)
        direction = _direction(m, -1)
        return _Hit("date", _weekend(anchor.day, direction))
    if unit not in ("year", "quarter", "period", "month", "week"):
        return None
    if _hyphen_after(m) or (unit == "quarter" and m.symbol_after() == _SYM["of"]):
        return None  # "a quarter of the market", "the year-ago results"
    if unit == "year" and m.symbol_after() == _SYM["ended"]:
        return _Hit("duration", "P1Y")  # "the fiscal year ended June 30": a span of a year
    if anchor is None:
        return _Hit("date", None)
    if unit in ("quarter", "period"):
        year, quarter = _add_quarters(anchor.day.year, _quarter(anchor.day), -1)
        return _Hit("date", f"{year:04d}-Q{quarter}")
    value = _relative_unit(anchor.day, unit, 0)
    return None if value is None else _Hit("date", value)


_QUARTER_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}


@_rule(
    "(?:<the>|(?P<rel><last>|<this>|<next>)(?P<ru><unit>)<poss>)?(?P<y><year>)?"
    "(?:<fiscal><hyph>?)?(?P<o><ordword>|<last>)(?P<q><unit>|<half>)"
    "(?:<of>(?:<the>)?(?P<y2><year>|<SPELLED>))?",
    "(?:<fiscal><hyph>?)?(?P<o><ordword>)<hyph>(?P<q><unit>|<half>)",
)
def _quarter_rule(m: _Match) -> _Hit | None:
    """the third quarter · third-quarter · fiscal 1990 second quarter · the first half of 1999."""
    which = m.word("q")
    ordinal = _QUARTER_ORDINALS.get(m.word("o"))
    if ordinal is None:
        return None
    if which == "half":
        if ordinal > 2 and m.word("o") != "last":
            return None
        ordinal, letter = (2 if m.word("o") == "last" else ordinal), "H"
    elif which == "quarter":
        letter = "Q"
        if m.word("o") == "last":
            return None
    else:
        return None
    year = _explicit_year(m)
    anchor = m.ctx.anchor
    if year is None:
        if anchor is None:
            return _Hit("date", None)
        year = anchor.day.year
        if m.has("rel"):
            if m.word("ru") != "year":
                return None
            year += _relation(m.words("rel")) or 0
    return _Hit("date", f"{year:04d}-{letter}{ordinal}")


def _explicit_year(m: _Match) -> int | None:
    if m.has("y"):
        return int(m.words("y")[0])
    if m.has("y2"):
        words = m.words("y2")
        return int(words[0]) if words[0].isdigit() else _spelled_year(words)
    return None


@_rule(
    "(?:<the>)?(?:<same>)?(?P<u><unit>)<hyph>(?P<r><earlier>|<ago>)"
    "(?:(?P<o><ordword>)<hyph>?)?(?P<q><unit>|<period_>)",
    "(?P<u><unit>)<hyph>(?P<r><earlier>|<ago>)",
    "(?:<the>)?(?P<same><same>)(?P<q><unit>|<period_>)(?P<rel><last>)(?P<u><unit>)",
    "(?:<the>)?(?P<q><unit>|<period_>)<a>(?P<u><unit>)(?P<r><ago>|<earlier>)",
    "(?P<rel><last>)(?P<u><unit>)<poss>(?P<q><unit>|<period_>)",
)
def _year_ago(m: _Match) -> _Hit | None:
    """year-earlier · the year-ago quarter · the corresponding period last year."""
    if m.word("u") != "year":
        return None
    anchor = m.ctx.anchor
    if anchor is None:
        return _Hit("date", None)
    period = m.word("q") if m.has("q") else ""
    if m.has("r") and m.word("r") == "later":
        return None
    if period in ("quarter", "period") or _mentions_quarter(m):
        ordinal = _QUARTER_ORDINALS.get(m.word("o")) if m.has("o") else None
        return _Hit("date", _year_ago_quarter(anchor.day, ordinal))
    if period in ("year", ""):
        return _Hit("date", f"{anchor.day.year - 1:04d}")
    return None


def _year_ago_quarter(anchor: date, ordinal: int | None = None) -> str:
    """The quarter a year before the last completed one: what results are compared with."""
    year, quarter = _add_quarters(anchor.year, _quarter(anchor), -1)
    return f"{year - 1:04d}-Q{ordinal or quarter}"


def _mentions_quarter(m: _Match) -> bool:
    """Whether the sentence around a bare "year-earlier" talks about a quarter."""
    tokens = m.ctx.tokens
    start, end = max(0, m.first - 150), min(len(tokens.texts), m.last + 20)
    return any(t.lower() == "quarter" for t in tokens.texts[start:end])


def _shift(anchor: date, number: float, letter: str, is_time: bool) -> str | None:
    """The anchor moved back by ``number`` units, written at the unit's granularity."""
    count = round(number)
    if is_time:
        return _ymd(anchor) if letter == "H" else None
    if letter == "Y":
        return f"{anchor.year - count:04d}"
    if letter == "M":
        return _ym(*_add_months(anchor.year, anchor.month, -count))
    if letter == "W":
        return _iso_week(anchor - timedelta(weeks=count))
    if letter == "D":
        return _ymd(anchor - timedelta(days=count))
    if letter == "Q":
        year, quarter = _add_quarters(anchor.year, _quarter(anchor), -count)
        return f"{year:04d}-Q{quarter}"
    if letter == "E":
        return f"{anchor.year - 10 * count:04d}"
    if letter == "C":
        return f"{(anchor.year - 100 * count) // 100:02d}"
    return None


@_rule("<QUAL>?(?P<n><NUM>)?(?P<u><unit>)(?:<or><so>)?(?P<ago><ago>)")
def _ago(m: _Match) -> _Hit | None:
    """two years ago → 2023 · a week ago → 2025-W38 · several years ago → PAST_REF."""
    info = _UNITS.get(m.word("u"))
    if info is None:
        return None
    anchor = m.ctx.anchor
    number = _number(m.words("n")) if m.has("n") else None
    if number is None:
        return _Hit("date", "PAST_REF")
    if anchor is None or number > _MAX_AGO:
        return _Hit("date", None)
    if number == 1 and info[0] == "Y" and _mentions_quarter(m):
        return _Hit("date", _year_ago_quarter(anchor.day))
    return _Hit("date", _shift(anchor.day, number, *info))


_MAX_AGO = 500
"""Beyond this many units back ("10,000 years ago") a calendar value means nothing."""


@_rule("<QUAL>?(?P<n><NUM>)(?P<u><unit>)(?P<r><earlier>)")
def _earlier_later(m: _Match) -> _Hit | None:
    """a year earlier → last year (results compared year on year); two days later → P2D."""
    number = _number(m.words("n"))
    unit = m.word("u")
    anchor = m.ctx.anchor
    if number == 1 and unit == "year" and m.word("r") == "earlier":
        if anchor is None:
            return _Hit("date", None)
        if _mentions_quarter(m):
            return _Hit("date", _year_ago_quarter(anchor.day))
        return _Hit("date", f"{anchor.day.year - 1:04d}")
    value = _duration(number, unit)
    return None if value is None else _Hit("duration", value)


@_rule(
    "<QUAL>?(?:<the>)?(?:<LAST>|<next>|<ordword>|<this>|<early>|<same>|<fiscal>"
    "|<unit><hyph>(?:<earlier>|<ago>))*"
    "(?P<n><NUM>)(?:<more>|<additional>|<adjunit>)?(?P<u><unit>)(?:<and><a><half>)?"
    "(?:<or><so>)?",
    "<QUAL>?(?:<the>)?(?:<LAST>|<next>)?(?P<n><NUM>)(?P<range><to>|<or>)<NUM>(?P<u><unit>)",
    "<QUAL>?(?P<half><half>)(?:<a>|<NUMW>)(?P<u><unit>)",
    "<QUAL>?(?:<a>|<additional>)(?:<additional>)?(?P<u><unit>)",
)
def _duration_rule(m: _Match) -> _Hit | None:
    """four days · the past two months · the first nine months · 2 1/2 years · half an hour."""
    unit = m.word("u")
    if unit not in _UNITS or m.symbol_after() == _SYM["old"] or _hyphen_after(m):
        return None  # "52 years old" is an age
    if unit == "quarter" and _fraction_of_quarter(m):
        return None
    if m.has("range"):
        return _Hit("duration", _duration(None, unit))
    if m.has("half"):
        number: float | None = 0.5
    elif m.has("n"):
        number = _number(m.words("n"))
        if number is None and m.words("n")[0].isdigit():
            return None
        if m.low().endswith("a half") and number is not None:
            number += 0.5
    else:
        number = 1.0
    if number is not None and (number > 10_000 or (number >= 1000 and unit in _SINGULAR)):
        return None  # "the 1988 quarter" names a year
    if _is_rate(m):
        value = _duration(1.0, unit)
        return None if value is None else _Hit("set", value)
    value = _duration(number, unit)
    return None if value is None else _Hit("duration", value)


def _hyphen_after(m: _Match) -> bool:
    """Whether the match is glued by a hyphen to the next word ("quarter-century")."""
    tokens = m.ctx.tokens
    after = m.last
    if after + 1 >= len(tokens.texts) or tokens.symbols[after] != _SYM["hyph"]:
        return False
    return (
        tokens.ends[after - 1] == tokens.starts[after]
        and tokens.ends[after] == tokens.starts[after + 1]
    )


def _fraction_of_quarter(m: _Match) -> bool:
    """ "a quarter of the market", "three-quarters", "its quarter-century low"."""
    return m.symbol_after() == _SYM["of"] or _hyphen_after(m)


_SINGULAR = frozenset({"second", "minute", "hour", "day", "week", "month", "quarter", "year"})
_RATE_SYMBOLS = frozenset(_SYM[name] for name in ("int", "day", "percent", "freq", "numword"))


def _is_rate(m: _Match) -> bool:
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


@_rule(
    "(?P<n><NUM>)<hyph>(?P<u><unit>)(?P<old><hyph><old>)?",
    "<a>(?P<n><NUM>)<hyph>(?P<u><unit>)<period_>",
    "(?P<u><unit>)<hyph><long>",
)
def _adjectival(m: _Match) -> _Hit | None:
    """a two-year contract · a 30-day period · a three-year period · a day-long strike.

    Ages ("a 6-year-old boy") are not temporal expressions: they place nothing in time.
    """
    unit = m.word("u")
    if m.has("old") or (m.has("n") and unit not in _SINGULAR):
        return None
    number = _number(m.words("n")) if m.has("n") else (None if unit.endswith("s") else 1.0)
    if m.has("n") and number is None and m.words("n")[-1].lower() not in ("several", "few"):
        return None
    value = _duration(number, unit)
    return None if value is None else _Hit("duration", value)


@_rule("(?:<the>?<early>|<the><ordword>)?(?P<u><unit>)(?:<or><unit>)?")
def _plural_unit(m: _Match) -> _Hit | None:
    """years · months · weeks or months: an unspecified duration (PXY)."""
    unit = m.word("u")
    if unit not in _UNITS or not unit.endswith(("s", "ies", "ia")) or unit in ("hrs", "mins"):
        return None
    if unit in ("seconds", "quarters") or m.symbol_after() == _SYM["old"] or _hyphen_after(m):
        return None  # living quarters; "years-old"
    value = _duration(None, unit)
    return None if value is None else _Hit("duration", value)


@_rule(
    "(?P<e><every>|<per>)(?:(?P<other><other>)|(?P<n><NUM>))?(?P<u><unit>|<weekend>|<partday>)",
    "(?P<e><every>)(?P<m><MON>)",
    "(?P<s><setadv>)",
)
def _set(m: _Match) -> _Hit | None:
    """every week → P1W · each year · every two weeks → P2W · daily · each July → XXXX-07."""
    if m.has("s"):
        return _Hit("set", _SET_ADVERBS[m.word("s")])
    if m.has("m"):
        return _Hit("set", f"XXXX-{_MONTHS[m.word('m')]:02d}")
    unit = m.word("u")
    if unit in ("weekend", "weekends"):
        return _Hit("set", "XXXX-WXX-WE")
    if unit in _PART_OF_DAY:
        return _Hit("set", f"XXXX-XX-XXT{_PART_OF_DAY[unit]}")
    number = 2.0 if m.has("other") else (_number(m.words("n")) if m.has("n") else 1.0)
    value = _duration(number, unit)
    return None if value is None else _Hit("set", value)


@_rule(
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
def _reference(m: _Match) -> _Hit | None:
    """now · currently · recently · recent weeks → PAST_REF · soon · the near future.

    Only as adverbs or nouns: "a recent sale", "future earnings" and "the current system"
    describe things, they do not place them in time.
    """
    if m.has("term"):
        return _Hit("date", "FUTURE_REF") if m.word("near") in ("near", "short") else None
    if not m.has("r"):
        return _Hit("date", "PRESENT_REF") if m.word("u") == "days" else None
    word = m.word("r")
    if m.has("u"):
        return _reference_unit(m, word)
    if word == "this" or (word == "future" and not m.has("the")):
        return None
    if word in ("current", "recent") and m.symbol_after() not in _CLAUSE_END:
        return None
    if word == "soon" and (
        m.word_before() == "as"
        or m.ctx.tokens.texts[m.last : m.last + 1] in (["after"], ["before"])
        or m.tense() < 0
    ):
        return None  # "soon after", "he was soon released": not the future
    value = _REFS.get(word)
    return None if value is None else _Hit("date", value)


_CLAUSE_END = frozenset({_SYM["comma"], _SYM["period"], _SYM["nl"], _SYM["punct"], ""})


def _reference_unit(m: _Match, word: str) -> _Hit | None:
    """recent weeks → PAST_REF · coming months → FUTURE_REF · future quarters."""
    unit = m.word("u")
    if unit not in _UNITS or not unit.endswith("s"):
        return None
    if word in ("recent", "past", "last", "previous", "latest"):
        return _Hit("date", "PAST_REF")
    if word in ("future", "next", "coming", "upcoming"):
        return _Hit("date", "FUTURE_REF")
    return None


_CLOCK = re.compile(r"(\d{1,2})(?::(\d\d))?(?::\d\d)?\s*(am|pm)?", re.I)


def _clock(words: Sequence[str], ampm: str) -> tuple[int, int] | None:
    joined = "".join(words)
    found = _CLOCK.fullmatch(joined)
    if found is None:
        number = _number(words)
        if number is None or number != int(number):
            return None
        hour, minute = int(number), 0
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


@_rule(
    "<QUAL>?(?P<t><clock>|<day>|<int>|<NUMW>)(?P<ap><ampm>)(?P<tz><tz>)?"
    "(?:(?P<w><weekday>)|(?P<r><dayrel>)|<comma>?(?P<m><MON>)(?P<d><DAYN>))?",
    "<QUAL>?(?P<t><clock>)(?P<tz><tz>)?(?:(?P<w><weekday>)|(?P<r><dayrel>))?",
    "<QUAL>?(?P<z><noon>)(?:(?P<w><weekday>)|(?P<r><dayrel>))?",
)
def _time(m: _Match) -> _Hit | None:
    """9:11 · at 10 a.m. → 2025-09-22T10:00 · 9 a.m. Tuesday · noon Thursday · midnight."""
    if m.has("z"):
        clock = {"noon": (12, 0), "midday": (12, 0), "midnight": (24, 0)}[m.word("z")]
    else:
        words = m.words("t")
        ampm = m.word("ap") if m.has("ap") else ""
        parsed = _clock(words, ampm)
        if parsed is None:
            return None
        if not m.has("ap") and ":" not in words[0] and not words[0][-1].isalpha():
            return None
        clock = parsed
    day = _time_day(m)
    if day is None:
        return _Hit("time", None)
    return _Hit("time", f"{day}T{clock[0]:02d}:{clock[1]:02d}")


def _time_day(m: _Match) -> str | None:
    """The calendar day of a clock time: the weekday or date next to it, else publication."""
    anchor = m.ctx.anchor
    if m.has("m"):
        day = _day_number(m.words("d"))
        hit = _date_of_month_day(m, _MONTHS[m.word("m")], day) if day else None
        return hit.value if hit else None
    if anchor is None:
        return None
    if m.has("w"):
        weekday = _WEEKDAYS[m.word("w")]
        return _ymd(_weekday_near(anchor.day, weekday, _direction(m, DEFAULT_WEEKDAY), False))
    if m.has("r"):
        shift = {"yesterday": -1, "tomorrow": 1}.get(m.word("r"), 0)
        return _ymd(anchor.day + timedelta(days=shift))
    return _ymd(anchor.day)


@_rule(
    "(?:(?P<rel><last>|<this>|<next>))?(?P<h><holiday>)(?:<dayword>|<eve>)?"
    "(?:<comma>?(?P<y><year>))?",
    "(?:(?P<rel><last>|<this>|<next>))?<new>(?P<u><unit>)<poss>(?:<dayword>|<eve>)?",
)
def _holiday_rule(m: _Match) -> _Hit | None:
    """Christmas · last Thanksgiving · New Year's Day · Christmas Eve."""
    if m.has("u") and m.word("u") != "year":
        return None
    name = "newyear" if m.has("u") else m.word("h")
    if name == "election" and not m.low().endswith(" day"):
        return None
    eve = 1 if m.low().endswith("eve") else 0
    anchor = m.ctx.anchor
    if m.has("y"):
        return _Hit("date", _ymd(_holiday_day(name, int(m.words("y")[0])) - timedelta(eve)))
    if anchor is None:
        return _Hit("date", None)
    days = [_holiday_day(name, anchor.day.year + shift) - timedelta(eve) for shift in (-1, 0, 1)]
    rel = _relation(m.words("rel")) if m.has("rel") else None
    direction = rel if rel else _direction(m, 0)
    return _Hit("date", _ymd(_pick(days, anchor.day, direction)))


def _holiday_day(name: str, year: int) -> date:
    return date(year, 1, 1) if name == "newyear" else _holiday(name, year)


def _pick(days: Sequence[date], anchor: date, direction: int) -> date:
    if direction < 0:
        before = [d for d in days if d < anchor]
        if before:
            return max(before)
    if direction > 0:
        after = [d for d in days if d > anchor]
        if after:
            return min(after)
    return min(days, key=lambda d: abs((d - anchor).days))


@_rule(
    "(?:<the>)?<PM>?(?P<rel><REL>)?(?P<e><season>)(?:(?:<of>)?(?P<y2><year>|<SPELLED>))?",
)
def _season_rule(m: _Match) -> _Hit | None:
    """last fall · this summer · the summer · summer of 1999 · the winter of 1994."""
    season = _SEASONS[m.word("e")]
    year = _explicit_year(m)
    if year is not None:
        return _Hit("date", f"{year:04d}-{season}")
    words = m.words()
    context = len(words) > 1 or m.symbol_before() == _SYM["prep"]
    if not context:
        return None
    anchor = m.ctx.anchor
    if anchor is None:
        return _Hit("date", None)
    rel = _relation(m.words("rel")) if m.has("rel") else None
    return _Hit("date", _season_value(anchor.day, season, rel))


_ANAPHORIC_SHIFT = {"following": 1, "next": 1, "previous": -1, "preceding": -1}


@_rule(
    "(?:<earlier>)?<that>(?:<same>)?(?P<u><unit>)",
    "(?:<earlier>)?<the><same>(?P<u><unit>)",
    "<the>(?P<fol><next>|<last>)(?P<u><unit>|<partday>)",
)
def _anaphoric(m: _Match) -> _Hit | None:
    """that year · later that day · the same day · the following year · the next morning.

    These refer to the date the story was last talking about, not to the publication:
    the latest calendar date found before them in the text.
    """
    unit = m.word("u")
    shift = _ANAPHORIC_SHIFT.get(m.word("fol"), 0) if m.has("fol") else 0
    anaphoric = m.word("fol") in ("following", "preceding") or unit == "day"
    if m.has("fol") and not anaphoric and unit not in _PART_OF_DAY:
        return None  # "the next year" is deictic: the relative rule reads it
    words = m.low().split()
    if unit == "day" and words[0] == "that" and "same" not in words:
        return None  # a bare "that day" is mostly a manner of speaking ("trades made that day")
    part = _PART_OF_DAY.get(unit)
    kind = "time" if part else "date"
    if unit not in ("year", "month", "day") and part is None:
        return None
    return _Hit(kind, _anaphoric_value(m.ctx.last_date, unit, shift, part))


def _anaphoric_value(last: str | None, unit: str, shift: int, part: str | None) -> str | None:
    if last is None:
        return None
    if unit == "year":
        return f"{int(last[:4]) + shift:04d}"
    if unit == "month":
        return None if len(last) < 7 else _ym(*_add_months(int(last[:4]), int(last[5:7]), shift))
    if len(last) < 10:
        return None
    day = date.fromisoformat(last) + timedelta(days=shift if not part else max(shift, 0))
    return f"{_ymd(day)}T{part}" if part else _ymd(day)


@_rule("<QUAL>?(?P<u><unit>)(?:<hyph>|<poss>)?(?P<b><bound>)")
def _year_end(m: _Match) -> _Hit | None:
    """year-end · year end · year's end: the end of the current year."""
    if m.word("u") != "year" or m.word("b") != "end":
        return None
    anchor = m.ctx.anchor
    if anchor is None:
        return _Hit("date", None)
    back = m.word_before() == "since" or m.tense() < 0
    return _Hit("date", f"{anchor.day.year - (1 if back else 0):04d}")


@_rule("(?<=(?:<month>|<monthamb>)<day>(?:<and>|<or>|<to>))(?P<d><day>)")
def _second_day(m: _Match) -> _Hit | None:
    """ "April 24 and 25": the second day shares the month written before the first."""
    month = _MONTHS[m.ctx.tokens.texts[m.first - 3].lower().rstrip(".")]
    return _date_of_month_day(m, month, int(m.words("d")[0]))


@_rule("<a>(?P<w><while>)", "(?P<some><qual>)(?P<w><time>)", "<as>(?P<r><ref>)<as><possible>")
def _vague(m: _Match) -> _Hit | None:
    """a while · some time: a length of unknown size; as soon as possible: the future."""
    if m.has("r"):
        return _Hit("date", "FUTURE_REF") if m.word("r") == "soon" else None
    if m.has("some") and m.word("some") != "some":
        return None
    return _Hit("duration", "PXX")


@_rule("<early><hyph>?(?P<p><partday>)")
def _early_part_of_day(m: _Match) -> _Hit | None:
    """mid-afternoon · early morning: that part of the publication day."""
    part = _PART_OF_DAY[m.word("p")]
    anchor = m.ctx.anchor
    return _Hit("time", None if anchor is None else f"{_ymd(anchor.day)}T{part}")


# -- resolution ------------------------------------------------------------------------


_LEFT, _RIGHT = 8, 6
"""How far an expression reaches around its trigger, in tokens: "at least the past 20
years" has five tokens before "years"; "a year and a half" three after "year"."""
_GAP = _SYM["nl"]
"""Joins the windows: no rule crosses a line break, so none crosses a window seam."""


def _windows(symbols: str) -> tuple[str, list[tuple[int, int]]]:
    """The parts of the symbol string near a trigger, joined, and where each part starts.

    Rules are run over this short string instead of the whole text: most tokens of an
    article are nowhere near a temporal expression, and a regex scan costs per position.
    """
    spans: list[tuple[int, int]] = []
    size = len(symbols)
    for match in _TRIGGERS.finditer(symbols):
        low, high = max(0, match.start() - _LEFT), min(size, match.end() + _RIGHT)
        if spans and low <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], high))
        else:
            spans.append((low, high))
    pieces, starts, position = [], [], 0
    for low, high in spans:
        starts.append((position, low))
        pieces.append(symbols[low:high])
        position += high - low + 1
    return _GAP.join(pieces), starts


def _candidates(symbols: str) -> list[tuple[int, int, int, re.Match[str]]]:
    """Every rule match near a trigger, leftmost first, longest first, earliest rule first."""
    compact, starts = _windows(symbols)
    found: list[tuple[int, int, int, re.Match[str]]] = []
    for index, rule in enumerate(_RULES):
        for match in rule.regex.finditer(compact):
            if match.end() == match.start():
                continue
            where = bisect_right(starts, (match.start(), len(symbols))) - 1
            start = match.start() - starts[where][0] + starts[where][1]
            again = rule.regex.match(symbols, start)  # the same match, in text coordinates
            if again is not None and again.end() > start:
                found.append((start, again.end(), index, again))
    found.sort(key=lambda c: (c[0], c[0] - c[1], c[2]))
    return found


_TRIGGERS = re.compile(
    "["
    + "".join(
        _SYM[name]
        for name in (
            "month monthamb weekday weekdaypl year shortyear iso clock decade unit weekend "
            "partday season dayrel ref recent future past now setadv noon holiday dayword "
            "ampm term while time possible period_ half"
        ).split()
    )
    + "]+|"
    + _expand("<numword>(?:<numword>|<bignum>)")
)
"""Symbols without which no rule can match; spelled years ("nineteen ninety") have none of
them, so two number words in a row count too."""


def _precision(kind: str, value: str | None) -> str | None:
    """What a value pins down, for the timeline: day, month, year, week, time, ..."""
    if value is None or kind in ("duration", "set") or value.endswith("_REF"):
        return None
    for pattern, name in _PRECISIONS:
        if pattern.fullmatch(value):
            return name
    return None


_PRECISIONS = (
    (re.compile(r"\d{4}-\d\d-\d\dT.*"), "time"),
    (re.compile(r"\d{4}-\d\d-\d\d"), "day"),
    (re.compile(r"\d{4}-\d\d"), "month"),
    (re.compile(r"\d{4}-W\d\d(?:-WE)?"), "week"),
    (re.compile(r"\d{4}-Q\d"), "quarter"),
    (re.compile(r"\d{4}-H\d"), "half"),
    (re.compile(r"\d{4}-(?:SP|SU|FA|WI)"), "season"),
    (re.compile(r"\d{4}"), "year"),
    (re.compile(r"\d{3}"), "decade"),
    (re.compile(r"\d{2}"), "century"),
)


def _item(text: str, start: int, end: int, hit: _Hit) -> DateItem:
    return {
        "text": text[start:end],
        "span": [start, end],
        "type": hit.type,
        "value": hit.value,
        "precision": _precision(hit.type, hit.value),
    }


_DATE_THEN_TIME = re.compile(r",?\s*(?:at\s+)?")


def _link_times(text: str, items: list[DateItem]) -> None:
    """ "21.09.2025, 9:11": the clock time takes the date written just before it."""
    for before, after in pairwise(items):
        if before["precision"] != "day" or after["type"] != "time" or after["value"] is None:
            continue
        gap = text[before["span"][1] : after["span"][0]]
        if _DATE_THEN_TIME.fullmatch(gap) and re.fullmatch(r"[\d:.\sapmAPM]+", after["text"]):
            value = before["value"]
            assert value is not None
            after["value"] = value + after["value"][10:]


_CALENDAR_DATE = re.compile(r"\d{4}(?:-\d\d){0,2}")


def extract_dates(doc: Doc, published_at: str | None) -> list[DateItem]:
    """Every temporal expression in ``doc.text``, typed and resolved against ``published_at``.

    ``text == doc.text[start:end]`` holds for every item; items are in text order and do
    not overlap.
    """
    text = doc.text
    tokens = _tokenize(text)
    if not _TRIGGERS.search(tokens.symbols):
        return []
    ctx = _Context(tokens, parse_anchor(published_at), doc)
    taken = [False] * len(tokens.texts)
    items: list[DateItem] = []
    for start, end, index, match in _candidates(tokens.symbols):
        if any(taken[start:end]):
            continue
        hit = _RULES[index].handler(_Match(ctx, match))
        if hit is None:
            continue
        taken[start:end] = [True] * (end - start)
        items.append(_item(text, tokens.starts[start], tokens.ends[end - 1], hit))
        if hit.type == "date" and hit.value and _CALENDAR_DATE.fullmatch(hit.value):
            ctx.last_date = hit.value
    items.sort(key=lambda item: item["span"][0])
    _link_times(text, items)
    return items
