"""Framing of one article: the loaded terms, hedges and scare quotes in the outlet's own voice.

A media researcher wants to know which outlet calls a head of state a "strongman", which
hedges a claim with "allegedly", and which puts "invasion" in quotation marks. A word list
finds those words anywhere, also in the mouths of the people an article quotes and inside
names; this package reads every match in its context and keeps what the outlet itself says.

- :mod:`~parallax.compare.framing.lexicon`: the tab-separated files in ``compare/lexicon/``
  (loaded terms, hedges, plain senses) and any a user adds (:func:`load_lexicon`); the
  format is in docs/framing.md. :meth:`Lexicon.find` is the plain matching, the baseline.
- :mod:`~parallax.compare.framing.context`: the text cut once into words, sentences and
  quotations, and the annotations' spans the rules consult.
- :mod:`~parallax.compare.framing.rules`: whether a loaded term is the outlet's
  (:func:`read_terms`): plain senses, quotations, names, negation, attribution.
- :mod:`~parallax.compare.framing.hedges`, :mod:`~parallax.compare.framing.scare_quotes`
  and :mod:`~parallax.compare.framing.tone` (:func:`tone_of`): the other framing items.
- :mod:`~parallax.compare.framing.article`: :func:`frame_article`, all of it for one
  article, as a :class:`Framing`.
"""

from parallax.compare.framing.article import Framing, frame_article
from parallax.compare.framing.lexicon import (
    HEDGE_KINDS,
    LEXICON_DIR,
    NEUTRAL,
    Lexicon,
    LexiconError,
    TermMatch,
    default_lexicon,
    load_lexicon,
)
from parallax.compare.framing.rules import TermReading, read_terms
from parallax.compare.framing.tone import tone_of

__all__ = [
    "HEDGE_KINDS",
    "LEXICON_DIR",
    "NEUTRAL",
    "Framing",
    "Lexicon",
    "LexiconError",
    "TermMatch",
    "TermReading",
    "default_lexicon",
    "frame_article",
    "load_lexicon",
    "read_terms",
    "tone_of",
]
