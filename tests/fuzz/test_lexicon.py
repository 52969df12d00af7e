"""User framing lexicons (``compare/framing/lexicon.py``, loaded through the ``lexicon``
setting): any file gives a lexicon or error E060 naming it, and a lexicon that loads finds
its terms in any text in bounded time, each match a span of that text."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.compare import Lexicon, configured_lexicon
from parallax.errors import ParallaxError

from .conftest import assert_catalogued, fuzz, within
from .strategies import WORDS, hostile_bytes, hostile_text

pytestmark = pytest.mark.fuzz
_NAMES = itertools.count()
"""Lexicons are read once per set of paths: each example writes a file of a new name."""

terms = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(("*", "**", "=", "|", "’", "Obama-")),
              st.text(max_size=6)),
    max_size=6,
).map(" ".join)  # fmt: skip
categories = st.one_of(
    st.sampled_from(("loaded", "neutral", "hedge", "unsupported", "disputed", "NEUTRAL", "")),
    st.text(max_size=8),
)
polarities = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(("-1", "1", "0.5", "x", "", "1e309", "-0")),
)
rows = st.builds(
    lambda term, category, polarity, notes, cut: "\t".join([term, category, polarity, notes][:cut]),
    terms,
    categories,
    polarities,
    hostile_text(20),
    st.integers(1, 4),
)
files = st.one_of(
    st.lists(st.one_of(rows, st.sampled_from(("", "# comment", "term\tcategory"))), max_size=8)
    .map("\n".join)
    .map(str.encode),
    hostile_bytes(300),
)
texts = st.one_of(st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join), hostile_text(300))


def _lexicon(folder: str, data: bytes) -> Lexicon | None:
    path = Path(folder) / f"user-{next(_NAMES)}.tsv"
    path.write_bytes(data)
    try:
        return configured_lexicon(str(path))
    except ParallaxError as error:
        assert_catalogued(error.code, str(path))
        assert error.code == "E060"
        assert str(path) in str(error)
        return None


@fuzz(examples=60)
@given(files, texts)
def test_lexicon_file_loads_or_is_refused(data: bytes, text: str) -> None:
    """Any file: a lexicon (the built-in one plus the file's rows) or E060; the lexicon's
    matches in any text are spans of it, in order, not overlapping."""
    with tempfile.TemporaryDirectory() as folder, within():
        lexicon = _lexicon(folder, data)
        if lexicon is None:
            return
        for kind in ("loaded", "hedge", "neutral"):
            found = lexicon.find(text, kind)
            ends = 0
            for match in found:
                assert ends <= match.start < match.end <= len(text)
                ends = match.end


@fuzz(examples=12)
@given(st.lists(st.sampled_from(WORDS[:4]), min_size=1, max_size=4), st.integers(1, 12))
def test_lexicon_gaps_are_bounded(words: list[str], gaps: int) -> None:
    """A term with many ``**`` gaps, on a text of the same few words over and over: the
    ways a gap can stretch multiply, and matching must still end in time."""
    term = f" {' '.join(['**'] * gaps)} ".join([words[0], words[-1]])
    text = " ".join(words * 80)
    with tempfile.TemporaryDirectory() as folder, within():
        lexicon = _lexicon(folder, f"{term}\tloaded\t-0.5\n".encode())
        assert lexicon is not None
        lexicon.find(text)
