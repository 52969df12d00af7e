"""What clustering knows of an article: hashed, weighted features in three channels.

* **text**: words of the title and body (stop words out, plurals folded), a title word
  counting ``title_boost`` times;
* **names**: capitalised words inside sentences, plus actor ids when annotated;
* **facts**: numbers in the text, month-day mentions, and resolved dates when annotated.

A feature is a 64-bit key: the channel in the high 32 bits, the CRC-32 of the term in
the low ones. Keys are stable across processes (unlike ``hash()``), so a store can be
clustered in several runs. Weights are small integers (``10 * (1 + ln tf)``, rounded),
so a story's profile, a sum of its articles' weights, is exact whatever the order.

Document frequencies live in :class:`TermStats`, a hashed table counted as articles
arrive: IDF is always read from the current counts, never refitted over the corpus.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from parallax.stories.options import StoryOptions

Keys = npt.NDArray[np.int64]
Weights = npt.NDArray[np.float64]


class Channel(IntEnum):
    TEXT = 0
    NAMES = 1
    FACTS = 2


CHANNELS = len(Channel)

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

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_DAY = re.compile(
    rf"\b(?:({_MONTH})\.?\s+(\d{{1,2}})\b|(\d{{1,2}})\s+({_MONTH})\b)", re.IGNORECASE
)
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+|\n+")
"""Where a sentence ends, for code that splits text without a parse."""


@dataclass(frozen=True)
class Features:
    """One article as clustering sees it. ``keys`` are sorted and unique."""

    article: str
    keys: Keys
    weights: Weights
    published: float | None = None
    """Publication time, POSIX seconds (a date alone is its midnight UTC); None when unknown."""
    outlet: str | None = None
    origin: str | None = None
    """The article this one copies (``wire_of`` / ``duplicate_of``), if any."""

    @property
    def channels(self) -> npt.NDArray[np.int64]:
        return self.keys >> 32


def feature_key(channel: Channel, term: str) -> int:
    return (int(channel) << 32) | zlib.crc32(term.encode("utf-8"))


def features_of(
    article_id: str,
    *,
    title: str | None,
    text: str,
    annotations: Mapping[str, list[Any]] | None = None,
    published_at: str | None = None,
    outlet: str | None = None,
    origin: str | None = None,
    options: StoryOptions | None = None,
) -> Features:
    """The features of one article from its text, metadata and (optional) annotations."""
    options = options or StoryOptions()
    counts: Counter[int] = Counter()
    boost = options.title_boost
    if not title:
        title, boost = lead_sentence(text), boost - 1
    for word in words(title or ""):
        counts[feature_key(Channel.TEXT, word)] += boost
    for word in words(text):
        counts[feature_key(Channel.TEXT, word)] += 1
    for name in names(text):
        counts[feature_key(Channel.NAMES, name)] += 1
    for fact in facts(text):
        counts[feature_key(Channel.FACTS, fact)] += 1
    for channel, term in annotated_terms(annotations or {}):
        counts[feature_key(channel, term)] += 1
    keys, weights = weighted(counts)
    return Features(article_id, keys, weights, moment(published_at), outlet, origin)


def weighted(counts: Mapping[int, int]) -> tuple[Keys, Weights]:
    """Sorted keys and their sublinear weights ``round(10 * (1 + ln count))``."""
    keys = np.array(sorted(counts), dtype=np.int64)
    weights = np.array(
        [float(round(10 * (1 + math.log(counts[key])))) for key in keys.tolist()],
        dtype=np.float64,
    )
    return keys, weights


def words(text: str) -> list[str]:
    """Content words: folded to lower case, stop words out, plurals and possessives folded."""
    found = []
    for match in _WORD.finditer(text):
        word = _fold(match.group())
        if len(word) > 2 and word not in STOP_WORDS:
            found.append(_stem(word))
    return found


def names(text: str) -> list[str]:
    """Capitalised words that do not start a sentence: a cheap stand-in for named entities."""
    found = []
    for sentence in SENTENCE_END.split(text):
        for match in list(_WORD.finditer(sentence))[1:]:
            token = match.group()
            if token[0].isupper() and len(token) > 1:
                word = _fold(token)
                if word not in STOP_WORDS:
                    found.append(_stem(word))
    return found


def facts(text: str) -> list[str]:
    """Numbers (thousands separators dropped) and month-day mentions ("Sept. 14" -> 09-14)."""
    found = ["#" + match.group().replace(",", "") for match in _NUMBER.finditer(text)]
    for match in _MONTH_DAY.finditer(text):
        month = match.group(1) or match.group(4)
        day = int(match.group(2) or match.group(3))
        if 1 <= day <= 31:
            found.append(f"md:{_MONTHS[month.lower()]:02d}-{day:02d}")
    return found


def annotated_terms(annotations: Mapping[str, list[Any]]) -> Iterable[tuple[Channel, str]]:
    """Actor ids (one per mention) and resolved day dates from ``parallax.article/1``."""
    mentions = Counter(m.get("actor") for m in annotations.get("mentions", []))
    for actor in annotations.get("actors", []):
        actor_id = actor.get("id")
        if isinstance(actor_id, str):
            for _ in range(max(1, mentions.get(actor_id, 0))):
                yield Channel.NAMES, "@" + actor_id
    for date in annotations.get("dates", []):
        value = date.get("value")
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            yield Channel.FACTS, f"md:{value[5:]}"


def moment(value: str | None) -> float | None:
    """POSIX seconds of an ISO 8601 time (naive read as UTC), or None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def lead_sentence(text: str, limit: int = 300) -> str:
    """The first sentence (or line) of a text, cut at ``limit`` characters: a source's own
    words, used where an article has no title."""
    first = SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _fold(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word.strip("'-")


def _stem(word: str) -> str:
    """Plural folding only: "quakes" -> "quake", "cities" -> "city"; enough for matching."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class TermStats:
    """Document frequencies in a hashed table of counters, kept up to date as articles arrive.

    Buckets are the low bits of a feature key; two terms sharing a bucket share a count,
    which costs a little precision and bounds memory whatever the vocabulary.
    """

    def __init__(self, buckets: int, documents: int = 0) -> None:
        self.mask = buckets - 1
        self.df = np.zeros(buckets, dtype=np.uint32)
        self.documents = documents

    def buckets(self, keys: Keys) -> npt.NDArray[np.int64]:
        return keys & self.mask

    def idf(self, keys: Keys) -> Weights:
        """``ln((N + 1) / (df + 1)) + 1``: the smoothed IDF of scikit-learn."""
        df = self.df[keys & self.mask].astype(np.float64)
        idf: Weights = np.log((self.documents + 1.0) / (df + 1.0)) + 1.0
        return idf

    def add(self, keys: Keys) -> None:
        np.add.at(self.df, keys & self.mask, 1)
        self.documents += 1
