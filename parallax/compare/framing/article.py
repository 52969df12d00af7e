"""The framing of one article: what the outlet itself says, with evidence spans.

Everything returned carries a span with ``text == article_text[start:end]``.
"""

from __future__ import annotations

from typing import Any, TypedDict

from parallax.compare.framing.context import Context, Text
from parallax.compare.framing.hedges import hedges
from parallax.compare.framing.lexicon import Lexicon, default_lexicon
from parallax.compare.framing.rules import REPORTED, TermReading, plain_senses, read_matches
from parallax.compare.framing.scare_quotes import scare_quotes
from parallax.compare.framing.tone import own_words, tone_of
from parallax.model import Annotations, Hedge, LoadedTerm, ScareQuote


class Framing(TypedDict):
    """One article's framing: :class:`parallax.model.ArticleFraming` without the article
    id and the outlet, which the story adds."""

    tone: float
    loaded_terms: list[LoadedTerm]
    hedges: list[Hedge]
    scare_quotes: list[ScareQuote]
    reported_terms: list[dict[str, Any]]


def frame_article(text: str, annotations: Annotations, lexicon: Lexicon | None = None) -> Framing:
    """The framing of one article in the outlet's own voice (``framing`` in docs/report.md).

    ``annotations`` is the article's ``parallax.article/1`` annotation dict: direct quotes
    mark the speaker's words, labels and mentions give each loaded term its target, and
    mentions tell names apart. Items whose spans do not fit ``text`` are ignored.

    Besides the contract's items, ``reported_terms`` lists the loaded terms the outlet
    reports as somebody else's (``reason`` ``quoted`` or ``attributed``), with the
    ``speaker`` of the annotated quote around them: not the outlet's words, but it chose to
    carry them, which a researcher comparing outlets may want to count separately."""
    lexicon = lexicon or default_lexicon()
    doc = Text.of(text)
    context = Context.of(doc, annotations)
    plain = plain_senses(doc, lexicon)
    readings = read_matches(doc, context, lexicon, plain)
    terms = [r for r in readings if r.reason is None]
    return {
        "loaded_terms": [_term_item(r) for r in terms],
        "hedges": hedges(doc, context, lexicon, plain),
        "scare_quotes": scare_quotes(doc, context),
        "tone": tone_of((r.match.entry.polarity for r in terms), own_words(doc, context)),
        "reported_terms": [_reported_item(r, context) for r in readings if r.reason in REPORTED],
    }


def _term_item(reading: TermReading) -> LoadedTerm:
    return {
        "text": reading.text,
        "span": [reading.match.start, reading.match.end],
        "category": reading.match.entry.category,
        "target": reading.target,
    }


def _reported_item(reading: TermReading, context: Context) -> dict[str, Any]:
    """A loaded term carried as somebody else's: why, and who said it if a quote says."""
    return {
        **_term_item(reading),
        "reason": reading.reason,
        "speaker": context.speaker(reading.match.start, reading.match.end),
    }
