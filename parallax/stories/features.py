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
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from parallax.model import Annotations, empty_annotations
from parallax.stories.options import StoryOptions
from parallax.text import (
    MONTH_PATTERN,
    MONTHS,
    STOP_WORDS,
    WORD,
    moment,
    sentence_spans,
    singular,
)

Keys = npt.NDArray[np.int64]
Weights = npt.NDArray[np.float64]


class Channel(IntEnum):
    TEXT = 0
    NAMES = 1
    FACTS = 2


CHANNELS = len(Channel)

_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?")
_MONTH_DAY = re.compile(
    rf"\b(?:({MONTH_PATTERN})\.?\s+(\d{{1,2}})\b|(\d{{1,2}})\s+({MONTH_PATTERN})\b)",
    re.IGNORECASE,
)


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
    annotations: Annotations | None = None,
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
    for channel, term in annotated_terms(annotations or empty_annotations()):
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
    for match in WORD.finditer(text):
        word = _fold(match.group())
        if len(word) > 2 and word[0].isalpha() and word not in STOP_WORDS:
            found.append(singular(word))
    return found


def names(text: str) -> list[str]:
    """Capitalised words that do not start a sentence: a cheap stand-in for named entities."""
    found = []
    for start, end in sentence_spans(text):
        for match in list(WORD.finditer(text, start, end))[1:]:
            token = match.group()
            if token[0].isupper() and len(token) > 1:
                word = _fold(token)
                if word not in STOP_WORDS:
                    found.append(singular(word))
    return found


def facts(text: str) -> list[str]:
    """Numbers (thousands separators dropped) and month-day mentions ("Sept. 14" -> 09-14)."""
    found = ["#" + match.group().replace(",", "") for match in _NUMBER.finditer(text)]
    for match in _MONTH_DAY.finditer(text):
        month = match.group(1) or match.group(4)
        day = int(match.group(2) or match.group(3))
        if 1 <= day <= 31:
            found.append(f"md:{MONTHS[month.lower()]:02d}-{day:02d}")
    return found


def annotated_terms(annotations: Annotations) -> Iterable[tuple[Channel, str]]:
    """Actor ids and resolved day dates from ``parallax.article/1``.

    An actor id counts once, however often the article names the actor: the names
    channel already counts each capitalised mention, and counting the id per mention
    too doubled the weight of an article's main actor, so two stories about one person
    (a senator's remarks, the same senator's re-election bid) looked like one. Once, the
    id still joins spellings ("Grenell", "Richard Grenell") that the words keep apart.
    """
    for actor in annotations.get("actors", []):
        actor_id = actor.get("id")
        if isinstance(actor_id, str):
            yield Channel.NAMES, "@" + actor_id
    for date in annotations.get("dates", []):
        value = date.get("value")
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            yield Channel.FACTS, f"md:{value[5:]}"


def lead_sentence(text: str, limit: int = 300) -> str:
    """The first sentence (or line) of a text, cut at ``limit`` characters: a source's own
    words, used where an article has no title."""
    spans = sentence_spans(text)
    first = text[spans[0][0] : spans[0][1]] if spans else ""
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _fold(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word.strip("'-")


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
