"""The annotator on fuzzed text (few examples: spaCy is slow): every span it stores
round-trips, the text at it is what the item says, as ``parallax check`` requires."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.annotate import Failed, annotate_texts
from parallax.ingest.decode import clean_text
from parallax.store.check import span_problem

from .conftest import fuzz, within
from .strategies import NAMES, WORDS, shaped_text

pytestmark = pytest.mark.fuzz

sentences = st.lists(
    st.one_of(
        st.sampled_from(WORDS), st.sampled_from(NAMES), shaped_text(40),
        st.sampled_from(('"', "“", "”", "'", "said", "on Monday", "$4 million", "70%", "Sept. 6")),
    ),
    min_size=1, max_size=40,
).map(" ".join)  # fmt: skip


@fuzz(examples=8)
@given(
    st.lists(sentences, min_size=1, max_size=3),
    st.one_of(st.none(), st.sampled_from(("2025-09-22", "2025-09-22T08:30:00+02:00"))),
)
def test_annotate_spans_round_trip(texts: list[str], published: str | None) -> None:
    cleaned = [clean_text(text) or "Empty." for text in texts]
    with within(60):  # the first call loads spaCy
        results = annotate_texts([(text, published, None) for text in cleaned])
    assert len(results) == len(cleaned)
    for text, result in zip(cleaned, results, strict=True):
        assert not isinstance(result, Failed), result
        assert span_problem(text, json.dumps(result)) is None
