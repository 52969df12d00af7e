"""The article as the rules read it: its words and sentences, its quotations, and the spans
of the annotations that tell speech, names and targets apart.

Cut once per article and shared by every rule, so that matching the lexicon, reading each
match and finding scare quotes never scan the text again. Words, sentences and quotation
marks come from :mod:`parallax.text`, so framing reads a text as the other stages do.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, NamedTuple

from parallax.compare.framing.spans import Cover, Spans
from parallax.model import Annotations
from parallax.text import WORD, sentence_spans, words
from parallax.text.quotes import quotations

LONG_QUOTATION = 4
"""A quotation of more than this many words is speech: its words are the speaker's."""
SMALL_WORDS = frozenset("of the a an and in on for to at by with or from".split())
"""Words a name or a title leaves in lower case ("Party of the Left")."""

_POSSESSIVE = re.compile(r"'s?$")
_Item = Mapping[str, Any]
"""One annotation item (a quote, a mention, a label), read defensively."""


class Token(NamedTuple):
    """A word of the text: hyphens and apostrophes inside it belong to it (``far-left``).

    A named tuple, not a dataclass: an article has thousands and a story hundreds of
    articles, and a tuple is made several times faster."""

    start: int
    end: int
    word: str
    """The word with curly apostrophes straightened and a possessive ``'s`` removed."""
    key: str
    """``word`` in lower case: what case-insensitive terms match."""


def tokens(text: str) -> Iterator[Token]:
    """The words of ``text`` as the lexicon matches them: "Orsland’s" is ``Orsland``."""
    for found in WORD.finditer(text):
        word = found.group()
        if "'" in word or "’" in word:
            word = _POSSESSIVE.sub("", word.replace("’", "'")) or word
        yield Token(found.start(), found.end(), word, word.lower())


def count_words(text: str) -> int:
    """How many words ``text`` has: what tells a scare quote from speech."""
    return len(words(text))


def sentence_starts(text: str) -> tuple[int, ...]:
    """Where the sentences of ``text`` start, the first at 0 (leading spaces included)."""
    return (0, *(start for start, _ in sentence_spans(text)[1:]))


@dataclass(frozen=True)
class Text:
    """The text cut once into words and sentences, shared by every rule."""

    text: str
    tokens: tuple[Token, ...]
    joined: tuple[bool, ...]
    """``joined[i]``: only spaces between token ``i`` and ``i + 1`` (terms do not cross
    punctuation)."""
    sentence_starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Text:
        found = tuple(tokens(text))
        joined = tuple(not text[a.end : b.start].strip() for a, b in pairwise(found))
        return cls(text, found, joined, sentence_starts(text))

    def follows(self, index: int) -> bool:
        """Token ``index`` exists and only spaces separate it from the one before."""
        return 0 < index < len(self.tokens) and self.joined[index - 1]

    def sentence(self, position: int) -> tuple[int, int]:
        """The sentence around a character position, as ``[start, end)``."""
        starts = self.sentence_starts
        at = bisect_right(starts, position) - 1
        end = starts[at + 1] if at + 1 < len(starts) else len(self.text)
        return starts[at], end

    def token_before(self, position: int) -> Token | None:
        """The last word that ends at or before ``position``."""
        index = bisect_right(self.tokens, position, key=lambda t: t.end) - 1
        return self.tokens[index] if index >= 0 else None

    def token_after(self, position: int) -> Token | None:
        """The first word that starts at or after ``position``."""
        index = bisect_left(self.tokens, position, key=lambda t: t.start)
        return self.tokens[index] if index < len(self.tokens) else None


@dataclass(frozen=True)
class Quoted:
    """Text in quotation marks, or an annotated direct quote: ``[start, end)`` with the
    marks, ``inner`` without, and how many words it holds."""

    start: int
    end: int
    inner: tuple[int, int]
    words: int


def quoted_spans(text: str) -> Iterator[Quoted]:
    """The quotations of ``text`` (:func:`parallax.text.quotes.quotations`), with their
    word counts: empty pairs (``""``) count no words, so no rule reads them."""
    for quotation in quotations(text):
        start, end = quotation.inner
        yield Quoted(quotation.start, quotation.end, quotation.inner, count_words(text[start:end]))


@dataclass(frozen=True)
class Context:
    """What the rules need of an article besides its words."""

    quotations: tuple[Quoted, ...]
    speech: tuple[Quoted, ...]
    """Quotations of more than ``LONG_QUOTATION`` words, marked or annotated as direct."""
    spoken: Cover
    """``speech``, indexed."""
    named: Cover
    """The capitalised mentions, indexed."""
    mentioned: Spans
    """The mentions with their actor, indexed."""
    labelled: Spans
    """The labels with their actor, indexed."""
    spoken_by: Spans
    """The annotated quotes (direct ones first) with their speaking actor, indexed."""

    @classmethod
    def of(cls, doc: Text, annotations: Annotations) -> Context:
        speakers = _speakers(doc.text, annotations.get("quotes", ()))
        direct = (
            Quoted(s, e, (s, e), count_words(doc.text[s:e]))
            for s, e, _, is_direct in speakers
            if is_direct
        )
        quotations = tuple(quoted_spans(doc.text))
        speech = tuple(q for q in (*quotations, *direct) if q.words > LONG_QUOTATION)
        mentions = _with_actor(doc.text, annotations.get("mentions", ()))
        return cls(
            quotations,
            speech,
            Cover((q.start, q.end) for q in speech),
            Cover((s, e) for s, e, _ in mentions if doc.text[s : s + 1].isupper()),
            Spans(mentions),
            Spans(_with_actor(doc.text, annotations.get("labels", ()))),
            Spans([(s, e, actor) for s, e, actor, _ in speakers]),
        )

    def in_speech(self, start: int, end: int) -> bool:
        """``[start, end)`` lies inside a long quotation: the speaker's words."""
        return self.spoken.holds(start, end)

    def speaker(self, start: int, end: int) -> str | None:
        """The actor of the annotated quote around ``[start, end)``, a direct one first."""
        return self.spoken_by.first_holding(start, end)


def _speakers(text: str, quotes: Iterable[object]) -> list[tuple[int, int, str | None, bool]]:
    """The annotated quotes as span, speaking actor and whether direct, direct ones first
    (a direct quote is the better answer to who said a word)."""
    found = [
        (s, e, str(item["speaker"]) if item.get("speaker") else None, bool(item.get("direct")))
        for item, (s, e) in _items(text, quotes)
    ]
    return sorted(found, key=lambda quote: not quote[3])


def _with_actor(text: str, items: Iterable[object]) -> list[tuple[int, int, str | None]]:
    """Mentions or labels that name an actor, as span and actor id."""
    return [
        (s, e, str(item.get("actor"))) for item, (s, e) in _items(text, items) if item.get("actor")
    ]


def _items(text: str, items: Iterable[object]) -> Iterator[tuple[_Item, tuple[int, int]]]:
    """Annotation items with a valid span into ``text`` (others are skipped, not trusted:
    annotations may come from a store written by another version, or by hand)."""
    for item in items:
        if not isinstance(item, Mapping):
            continue
        span = item.get("span")
        if (
            isinstance(span, Sequence)
            and len(span) == 2
            and all(isinstance(x, int) for x in span)
            and 0 <= span[0] < span[1] <= len(text)
        ):
            yield item, (span[0], span[1])
