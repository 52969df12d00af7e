"""Quantities: value, unit and qualifier read so that equal amounts compare equal."""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from parallax.annotate.nlp import load_nlp
from parallax.annotate.quantities import extract_quantities

from .conftest import MADURO


@lru_cache(maxsize=1)
def nlp() -> Language:
    return load_nlp()


def found(text: str) -> list[tuple[str, float | None, str | None, str | None]]:
    return [
        (q["text"], q["value"], q["unit"], q["qualifier"]) for q in extract_quantities(nlp()(text))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He noted that only 5% of drugs pass.", ("only 5%", 5.0, "percent", "only")),
        ("He said “only 5 percent” of drugs pass.", ("only 5 percent", 5.0, "percent", "only")),
        ("They said five per cent of it.", ("five per cent", 5.0, "percent", None)),
        (
            "It claimed “more than 70 percent” were seized.",
            ("more than 70 percent", 70.0, "percent", "more than"),
        ),
        ("The navy sent seven warships.", ("seven warships", 7.0, "warship", None)),
        ("He has a $50 million bounty.", ("$50 million", 50_000_000.0, "USD", None)),
        ("Twenty-five people died.", ("Twenty-five people", 25.0, "people", None)),
        ("About 1,200 residents fled.", ("About 1,200 residents", 1200.0, "resident", "about")),
        ("Thousands of peasants are ready.", ("Thousands", 1000.0, None, "at least")),
        ("It cost 3.5 billion euros.", ("3.5 billion euros", 3.5e9, "EUR", None)),
    ],
)
def test_quantities_value_unit_qualifier(
    text: str, expected: tuple[str, float, str | None, str | None]
) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "The letter is dated September 5, 2025.",
        "It happened on 21.09.2025 at 9:11.",
        "He was the first to arrive.",
    ],
)
def test_quantities_dates_times_and_ordinals_are_not_quantities(text: str) -> None:
    assert found(text) == []


def test_quantities_equal_amounts_compare_equal() -> None:
    (a,) = extract_quantities(nlp()("Only 5% of it passes."))
    (b,) = extract_quantities(nlp()("Only five percent of it passes."))
    assert (a["value"], a["unit"]) == (b["value"], b["unit"])


@pytest.mark.shared
def test_quantities_real_article_figures() -> None:
    if not MADURO.is_dir():
        pytest.skip(f"the real example articles are not at {MADURO}")
    text = (MADURO / "000_ea71f3918ac95882.txt").read_text(encoding="utf-8")
    items = {(q["text"], q["value"], q["unit"]) for q in extract_quantities(nlp()(text))}
    assert ("only 5%", 5.0, "percent") in items
    assert ("70%", 70.0, "percent") in items
    assert ("seven warships", 7.0, "warship") in items


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(["5%", "seven", "ships", "more than", "1,200", "$3", "the", "."]),
        max_size=30,
    ).map(" ".join)
)
def test_quantities_spans_round_trip(text: str) -> None:
    doc = nlp()(text)
    for item in extract_quantities(doc):
        start, end = item["span"]
        assert doc.text[start:end] == item["text"]
