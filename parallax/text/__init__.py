"""The words every stage reads text with: one leaf module, importing nothing of Parallax.

Folding and transliteration, actor slugs, one word pattern, one sentence splitter that
knows abbreviations, month names, number words, stop words and one ISO timestamp parser.
Stages that need any of these take them from here, so "what is a word", "where does a
sentence end" and "when was this published" have one answer across ingest, annotation,
stories and comparison.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache

from anyascii import anyascii

# -- folding -------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Accents dropped, lower-cased, curly apostrophes straightened: the comparison key.

    "Nicolás" and "Nicolas" fold alike. Letters of other scripts are kept (lower-cased),
    so Cyrillic or Greek names still compare with themselves.
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def transliterate(text: str) -> str:
    """Latin letters for any script ("Łukasz" → "Lukasz", "Путин" → "Putin")."""
    return anyascii(text)


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)
def slug(name: str) -> str:
    """An actor id: "Nicolás Maduro" → "nicolas-maduro", the same in every article.

    Every letter is transliterated (accents dropped, other scripts romanised), so every
    name gives a readable id: "Łukasz Wałęsa" → "lukasz-walesa", "Владимир Путин" →
    "vladimir-putin". Only a name with no letter or digit at all is ``actor`` (callers
    make ids unique within an article or a story).
    """
    return _NON_ALNUM.sub("-", transliterate(name).lower()).strip("-") or "actor"


# -- words ---------------------------------------------------------------------------------

WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
"""A word: letters and digits, joined by inner apostrophes or hyphens ("don't",
"Lukashenko's", "co-operate", "2025"). Stages that want only alphabetic words filter
on ``word[0].isalpha()``."""


def words(text: str) -> list[str]:
    """The words of ``text``, in order."""
    return WORD.findall(text)


# -- plurals ------------------------------------------------------------------------------

_IRREGULAR_PLURALS = {
    "men": "man",
    "women": "woman",
    "children": "child",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "geese": "goose",
    "wives": "wife",
    "knives": "knife",
    "halves": "half",
    "wolves": "wolf",
    "thieves": "thief",
    "shelves": "shelf",
    "crises": "crisis",
    "analyses": "analysis",
    "theses": "thesis",
    "diagnoses": "diagnosis",
    "hypotheses": "hypothesis",
}
_NOT_PLURAL = frozenset(
    "news series species means whereas perhaps always sometimes besides towards afterwards "
    "overseas politics economics physics ethics gas bias alias atlas canvas lens chaos "
    "ethos kudos pathos cosmos".split()
)
"""Words whose final "s" is no plural ending (besides those in -ss, -us, -is)."""
_PLURAL_ADDS_S = frozenset(
    "ache headache cache niche cliche psyche avalanche moustache mustache quiche axe "
    "shoe toe foe canoe oboe hoe woe tiptoe horseshoe movie calorie cookie rookie zombie "
    "selfie goalie prairie hippie".split()
)
"""Nouns in -e whose plural only adds "s" where the rules below would cut "es" or "ies"."""
_US_NOUNS = frozenset(
    "bus bonus virus campus census status focus circus caucus chorus genius surplus "
    "consensus prospectus syllabus fetus cactus sinus apparatus abacus octopus walrus "
    "hiatus nexus onus minus plus lotus exodus".split()
)
"""Nouns in -us whose plural is -uses (most words in -uses are plurals of -use)."""


def singular(word: str) -> str:
    """A lower-case word's singular when it is a plural (letters -> letter, policies ->
    policy, churches -> church, buses -> bus, "Orsland's" -> orsland), else the word
    (class, news, bus, crisis, famous): what matches a plural with its singular."""
    if word.endswith(("'s", "’s")):
        return word[:-2]
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if (
        len(word) <= 3
        or not word.endswith("s")
        or word.endswith(("ss", "us", "is"))
        or word in _NOT_PLURAL
    ):
        return word
    if word[:-1] in _PLURAL_ADDS_S:
        return word[:-1]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "oes")):
        return word[:-2]
    if word.endswith("uses") and word[:-2] in _US_NOUNS:
        return word[:-2]
    return word[:-1]


STOP_WORDS = frozenset(
    """
    a about above after again against ago all almost also although always am among an and
    another any anyone anything are aren't around as at away back be became because become
    been before behind being below beside besides between beyond both but by can cannot
    could couldn't did didn't do does doesn't doing don't done down during each either
    else enough even ever every few for from further get gets getting give given go goes
    going gone got had hadn't has hasn't have haven't having he he'd he'll he's her here
    hers herself him himself his how however i i'd i'll i'm i've if in including inside
    instead into is isn't it it's its itself just last least less let like made make makes
    many may maybe me might mine more most mostly much must my myself near nearly neither
    never new next no nor not nothing now of off often on once one only onto or other
    others otherwise our ours ourselves out outside over own per perhaps put rather really
    said same say saying says see seen several shall she she'd she'll she's should
    shouldn't since so some someone something still such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've
    thing things this those though three through throughout thus till to told too took
    toward towards two under until up upon us use used very via was wasn't way we we'd
    we'll we're we've well were weren't what what's whatever when where whether which
    while who who's whole whom whose why will with within without won't would wouldn't yet
    you you'd you'll you're you've your yours yourself yourselves year years week weeks day
    days time times mr mrs ms dr according reported report reports news told tell tells
    says added adding including monday tuesday wednesday thursday friday saturday sunday
    today yesterday tomorrow
    """.split()
)
"""Function words and reporting furniture: frequent in every story, evidence of none."""

# -- predicates ----------------------------------------------------------------------------

GENERIC_PREDICATES = frozenset(
    "be have do say tell add state report note write claim make take get go come include "
    "remain become seem show put give keep accord use know think see want need try call "
    "hold lead leave find feel let mean begin start continue increase".split()
)
"""Verbs too general to name a slot or a role on their own ("said on Tuesday", "is in
2024", "Smith has a letter"): annotation records no role for them, and comparison
matches no values on them."""

# -- calendar words ------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        ),
        start=1,
    )
    for name in names.split()
}
"""Month names and their usual abbreviations, lower case → 1..12."""

MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
"""An alternation of :data:`MONTHS`, longest first (for regular expressions)."""

WEEKDAYS: dict[str, int] = {
    name: index
    for index, name in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())
}
"""Weekday names → 0 (Monday) .. 6, as ``date.weekday()`` counts."""

# -- number words --------------------------------------------------------------------------

SMALL_NUMBERS: dict[str, int] = {
    word: number
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
TENS: dict[str, int] = {
    word: 10 * (index + 2)
    for index, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
SCALES: dict[str, float] = {
    "hundred": 100.0,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}


def number_word(word: str) -> int | None:
    """The value of one spelled-out number below a hundred: "seven" → 7, "forty" → 40,
    "twenty-four" → 24; ``None`` for anything else (scales are :data:`SCALES`)."""
    word = word.lower()
    if word in SMALL_NUMBERS:
        return SMALL_NUMBERS[word]
    if word in TENS:
        return TENS[word]
    tens, dash, unit = word.partition("-")
    if dash and tens in TENS and SMALL_NUMBERS.get(unit, 10) < 10 and unit != "zero":
        return TENS[tens] + SMALL_NUMBERS[unit]
    return None


# -- sentences -----------------------------------------------------------------------------

ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev st mt ft jr sr sen
    inc ltd co corp bros dept univ est approx vs etc no nos vol fig
    jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.k u.n e.u d.c a.m p.m i.e e.g
    """.split()
)
"""Words that end in a full stop without ending a sentence ("Mr. Grenell", "Sept. 6",
"the U.S. envoy"), lower case, without their final stop."""

_END = re.compile(r"(?<![.!?…])[.!?…]++[\"”’'»)\]]*+(?=\s)|\n\s*")
_BEFORE_STOP = re.compile(r"(\S+)$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, trimmed of surrounding space.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (and closing quotes or brackets) before
    white space, or at a line break; not after an abbreviation, an initial ("Nicolás
    M. Maduro") or a number's stop ("No. 5"), and not when the next word begins in lower
    case. Linear in the length of the text: every candidate end is looked at once.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for end in _ends(text):
        span = trim_span(text, start, end)
        if span[0] < span[1]:
            spans.append(span)
        start = end
    span = trim_span(text, start, len(text))
    if span[0] < span[1]:
        spans.append(span)
    return spans


def _ends(text: str) -> Iterator[int]:
    for match in _END.finditer(text):
        if match.group()[0] in "\r\n " or _ends_sentence(text, match):
            yield match.end()


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    following = text[match.end() : match.end() + 40].lstrip()
    if following[:1].islower():
        return False
    if not match.group().startswith(".") or match.group().startswith(".."):
        return True
    word = _BEFORE_STOP.search(text, max(0, match.start() - 20), match.start())
    before = word.group(1).lower().lstrip("(\"“‘'") if word else ""
    if len(before) == 1 and before.isalpha():
        return False  # an initial
    return before not in ABBREVIATIONS


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` narrowed to leave out white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# -- timestamps ----------------------------------------------------------------------------


def parse_timestamp(value: str | None) -> datetime | None:
    """An ISO 8601 date or time as stored (``2025-09-22``, ``2025-09-21T09:11``,
    ``…+02:00``, ``…Z``); naive values are read as UTC. ``None`` when absent or not ISO."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def moment(value: str | None) -> float | None:
    """POSIX seconds of a stored timestamp (a date alone is its midnight UTC), or None."""
    parsed = parse_timestamp(value)
    return None if parsed is None else parsed.timestamp()
