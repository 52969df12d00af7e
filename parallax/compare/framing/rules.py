"""Whether a lexicon match is the outlet's framing: the rules that read it in context.

A word list finds "regime" anywhere, also in the mouth of a minister the article quotes,
in "the tax regime" and in "the Radical Party". A match of a loaded term is dropped, with
the reason kept, when it is

- ``neutral``: inside a plain-sense phrase ("tax regime", "charged with murder");
- ``quoted``: inside a quotation of more than four words: the speaker's word;
- ``name``: part of a name ("the Radical Party", "Louise M. Slaughter"): a capitalised
  match that overlaps a capitalised mention, or has a capitalised neighbour;
- ``negated``: "not", "never", "no" or "-n't" up to three words before it, with only
  articles and copulas between ("not a dictator", not "not to reward hostage diplomacy");
- ``attributed``: a naming or accusing verb up to six words before it in the same clause
  ("officials call it a blockade", "accused Orsland of ..."): somebody else's word,
  reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from parallax.compare.framing.context import SMALL_WORDS, Context, Text
from parallax.compare.framing.lexicon import (
    NEUTRAL,
    Lexicon,
    TermMatch,
    default_lexicon,
    matches_in,
)
from parallax.compare.framing.spans import Cover
from parallax.model import Annotations

REPORTED = ("quoted", "attributed")
"""Reasons that make a loaded term somebody else's word the outlet carries."""

NEGATION_WINDOW = 3
ATTRIBUTION_WINDOW = 6
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\[\]—–]")
_NEGATORS = frozenset({"not", "never", "no", "nor", "hardly", "cannot"})
_NEGATION_FILLERS = frozenset(
    "a an the be been being is was were really truly exactly quite so that".split()
)
_NAMING = frozenset(
    "call calls called calling dub dubs dubbed dubbing labelled labeled branded termed "
    "describe describes described describing characterize characterizes characterized "
    "characterise characterises characterised accuse accuses accused accusing".split()
)
_NOT_NAMING_AFTER = frozenset("for on off up to from in out".split())
"""``called for a crackdown``, ``calls on``, ``called off``: the verb names nothing."""


@dataclass(frozen=True)
class TermReading:
    """A loaded-term match as read in context: kept when ``reason`` is ``None``."""

    match: TermMatch
    text: str
    reason: str | None
    target: str | None


def read_terms(
    text: str, annotations: Annotations, lexicon: Lexicon | None = None
) -> list[TermReading]:
    """Every loaded-term match with the reason it is not the outlet's (``None``: it is).

    :func:`~parallax.compare.framing.frame_article` keeps the readings without a reason;
    the rest is here so a user (and the benchmark) can see what each rule removed."""
    doc = Text.of(text)
    lexicon = lexicon or default_lexicon()
    return read_matches(doc, Context.of(doc, annotations), lexicon, plain_senses(doc, lexicon))


def read_matches(doc: Text, context: Context, lexicon: Lexicon, plain: Cover) -> list[TermReading]:
    """:func:`read_terms` on a text and context already built (framing builds them once)."""
    readings = []
    for match in matches_in(lexicon, doc, "loaded"):
        reason = plain_sense(match, plain) or _reason(doc, context, match)
        text = doc.text[match.start : match.end]
        readings.append(TermReading(match, text, reason, _target(doc, context, match)))
    return readings


def plain_senses(doc: Text, lexicon: Lexicon) -> Cover:
    """The plain-sense phrases of the text, indexed: loaded terms and hedges both skip
    what lies inside one."""
    return Cover((p.start, p.end) for p in matches_in(lexicon, doc, NEUTRAL))


def plain_sense(match: TermMatch, plain: Cover) -> str | None:
    """``neutral`` when the match lies inside a plain-sense phrase."""
    return NEUTRAL if plain.holds(match.start, match.end) else None


def _reason(doc: Text, context: Context, match: TermMatch) -> str | None:
    if context.in_speech(match.start, match.end):
        return "quoted"
    if _in_name(doc, context, match):
        return "name"
    if _negated(doc, match):
        return "negated"
    if _attributed(doc, match):
        return "attributed"
    return None


def _in_name(doc: Text, context: Context, match: TermMatch) -> bool:
    """A capitalised match that is part of a name: inside a capitalised mention, every word
    capitalised in mid-sentence ("Big Government" the website), or next to another
    capitalised word in mid-sentence ("Democratic Republic", "Louise M. Slaughter")."""
    if not doc.text[match.start].isupper() or match.case_sensitive:
        return False
    if context.named.overlaps(match.start, match.end):
        return True
    sentence_start = doc.sentence(match.start)[0]
    if doc.tokens[match.first].start == sentence_start:
        return _capitalised(doc, match.last + 1, match.last)
    words = doc.tokens[match.first : match.last + 1]
    if len(words) > 1 and all(t.word[:1].isupper() or t.key in SMALL_WORDS for t in words):
        return True
    return _capitalised(doc, match.first - 1, match.first - 1) or _capitalised(
        doc, match.last + 1, match.last
    )


def _capitalised(doc: Text, index: int, gap: int) -> bool:
    """Token ``index`` exists, is capitalised, and the gap after token ``gap`` holds only
    spaces and the dot of an initial."""
    if not 0 <= index < len(doc.tokens) or not 0 <= gap < len(doc.tokens) - 1:
        return False
    between = doc.text[doc.tokens[gap].end : doc.tokens[gap + 1].start]
    return doc.tokens[index].word[:1].isupper() and not between.strip(" .")


def _negated(doc: Text, match: TermMatch) -> bool:
    """ "not a dictator", "did not cave", "was never a massacre": a negator with nothing but
    articles, copulas and softeners between it and the term ("not to reward hostage
    diplomacy" negates the verb, not the term; "not only brutal" is no negation)."""
    for index in _words_before(doc, match.first, NEGATION_WINDOW):
        key = doc.tokens[index].key
        if key in _NEGATORS or key.endswith("n't"):
            following = doc.tokens[index + 1 : match.first]
            return all(t.key in _NEGATION_FILLERS for t in following)
    return False


def _attributed(doc: Text, match: TermMatch) -> bool:
    """A naming or accusing verb shortly before, in the same clause: "calls it a blockade",
    "described the deployment as a blockade", "accused Orsland of murder", also with the
    word in quotation marks ("calls the deployment a “blockade”", a scare quote then)."""
    return any(
        doc.tokens[i].key in _NAMING and doc.tokens[i + 1].key not in _NOT_NAMING_AFTER
        for i in _words_before(doc, match.first, ATTRIBUTION_WINDOW)
    )


def _words_before(doc: Text, first: int, window: int) -> Iterator[int]:
    """Token indices before ``first``, nearest first, in the same clause (no punctuation
    between, quotation marks aside): a verb across a comma is another clause's."""
    index = first - 1
    while index >= 0 and first - index <= window:
        between = doc.text[doc.tokens[index].end : doc.tokens[index + 1].start]
        if _CLAUSE_BREAK.search(between):
            return
        yield index
        index -= 1


def _target(doc: Text, context: Context, match: TermMatch) -> str | None:
    """The actor the term is about: the label it sits in, else the nearest mention in its
    sentence."""
    labelled = context.labelled.first_holding(match.start, match.end)
    if labelled is not None:
        return labelled
    sentence_start, sentence_end = doc.sentence(match.start)
    return context.mentioned.nearest(match.start, match.end, sentence_start, sentence_end)
