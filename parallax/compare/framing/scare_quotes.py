"""Scare quotes: a word the outlet puts in quotation marks to keep its distance from it.

The so-called “peacekeepers”: the marks say the outlet does not call them that. Most
quotation marks are speech, titles or nicknames instead, so a quoted phrase is a scare
quote only when it has one to four words and is not speech (not inside a longer
quotation, not a sentence of its own, not after "said"), not a title or a nickname, holds
no figure, and, at three or four words, reads as a name for something (after "a", "the",
"so-called", "call it"...) rather than a clipped quotation.
"""

from __future__ import annotations

from parallax.compare.framing.context import (
    LONG_QUOTATION,
    SMALL_WORDS,
    Context,
    Quoted,
    Text,
    tokens,
)
from parallax.model import ScareQuote

_TRAILING = " \t,.;:!?…"
_SPEECH = frozenset(
    "said says say told asked replied added wrote tweeted declared shouted answered "
    "responded insisted".split()
)
_NOMINAL = frozenset(
    "a an the this that these those its his her their our your my so-called as "
    "call calls called dubbed termed labelled labeled branded named".split()
)
_PLAIN = frozenset(
    "a an the this that these those it its for of in on at to by with from and or but not no "
    "now then today tonight tomorrow yesterday soon later here there yet still again ever "
    "week weekend month year day days weeks months years morning evening night time".split()
)
"""Quoted words that say nothing of their own ("for now", "this week"): clipped quotations."""
_TITLE_CUES = frozenset(
    "book film movie song album show series titled entitled column novel play poem program "
    "programme documentary magazine headline essay report".split()
)


def scare_quotes(doc: Text, context: Context) -> list[ScareQuote]:
    """The scare quotes of the text, in text order: the quoted phrase, without its marks."""
    found: list[ScareQuote] = []
    for quotation in context.quotations:
        span = _scare_phrase(doc, context, quotation)
        if span is not None:
            found.append({"text": doc.text[span[0] : span[1]], "span": [span[0], span[1]]})
    return found


def _scare_phrase(doc: Text, context: Context, quotation: Quoted) -> tuple[int, int] | None:
    """The quoted phrase when the quotation marks distance the outlet from a word."""
    if not 1 <= quotation.words <= LONG_QUOTATION:
        return None
    start, end = quotation.inner
    phrase = doc.text[start:end]
    start += len(phrase) - len(phrase.lstrip())
    end -= len(phrase) - len(phrase.rstrip(_TRAILING))
    words = [t.key for t in tokens(doc.text[start:end])]
    if not words or all(w in _PLAIN for w in words) or any(c.isdigit() for c in phrase):
        return None
    if context.in_speech(quotation.start, quotation.end):
        return None  # inside a longer quotation (speech is longer than this one)
    if _is_utterance(doc, quotation) or _is_title(doc, quotation, doc.text[start:end]):
        return None
    if quotation.words > 2 and not _named_thing(doc, quotation):
        return None
    return start, end


def _is_utterance(doc: Text, quotation: Quoted) -> bool:
    """A quotation that is a sentence of its own ("“No,” he said."), or follows a colon or a
    speech verb ("he said “no”")."""
    sentence_start = doc.sentence(quotation.start)[0]
    if _lead_is(doc.text, sentence_start, quotation.start, " \"“‘'(") or (
        _char_before(doc.text, sentence_start, quotation.start) == ":"
    ):
        return True
    previous = doc.token_before(quotation.start)
    if previous is None or previous.key not in _SPEECH:
        return False
    return not doc.text[previous.end : quotation.start].strip(" ,:")


def _lead_is(text: str, start: int, end: int, chars: str) -> bool:
    """``text[start:end]`` is made of ``chars`` only (read backwards from ``end``, so a long
    sentence before a quotation is not copied)."""
    while end > start and text[end - 1] in chars:
        end -= 1
    return end == start


def _char_before(text: str, start: int, end: int) -> str:
    """The last character of ``text[start:end]`` that is not a space ("" if none)."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return text[end - 1] if end > start else ""


def _is_title(doc: Text, quotation: Quoted, phrase: str) -> bool:
    """A title or a name in quotation marks: every content word capitalised, and more than
    one word, or a title cue before it ("the book “Hope”"), or a nickname between two parts
    of a name (Michael “Mike” Smith)."""
    words = [w for w in phrase.split() if w.lower() not in SMALL_WORDS]
    if not words or not all(w[:1].isupper() for w in words):
        return False
    if len(words) > 1:
        return True
    before = doc.token_before(quotation.start)
    after = doc.token_after(quotation.end)
    if before is None or after is None:
        return before is not None and before.key in _TITLE_CUES
    nickname = before.word[:1].isupper() and after.word[:1].isupper()
    return nickname or before.key in _TITLE_CUES


def _named_thing(doc: Text, quotation: Quoted) -> bool:
    """Three or four quoted words read as a name for something after "a", "the", "its",
    "so-called", "call it"...; otherwise they are a clipped quotation of someone's words."""
    previous = doc.token_before(quotation.start)
    return previous is not None and previous.key in _NOMINAL
