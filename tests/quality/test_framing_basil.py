"""Quality gate for loaded terms: BASIL dev phrase spans marked ``bias: lex``.

The scoring lives in ``bench/quality_framing.py`` (``.venv/bin/python
bench/quality_framing.py --errors 20`` prints the same figures with the false positives and
the hits the in-context reader gave up); this test loads it from the repository root and
asserts each figure against a pinned floor.

Floors are what the reader reached, less one to two points. BASIL's annotators marked the
wording they judged biased, not every loaded word, so the absolute precision is low for any
word list; what the gate protects is the level and the gain of reading in context over
plain matching. Lowering a floor needs a note in docs/framing.md saying which figure
dropped, by how much and why the change is still worth it: a floor is never lowered
silently. A lexicon change moves these figures: re-run the benchmark, never copy BASIL's
spans into the lexicon (a held-out part of BASIL is kept elsewhere).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import load_bench

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"
DATA = SHARED_DATA / "basil-dev"

# All 240 lex spans (BASIL counts loaded words an outlet chose to quote as its bias too).
PRECISION_FLOOR = 0.15  # reached 0.161
RECALL_FLOOR = 0.08  # reached 0.087
F1_FLOOR = 0.10  # reached 0.113
PRECISION_GAIN_FLOOR = 0.02
"""In-context precision minus plain-lexicon precision: reached 0.027."""
RECALL_KEPT_FLOOR = 0.64
"""In-context recall / plain-lexicon recall: reached 0.68. What is given up is words the
outlet reports as somebody else's, which BASIL counts as its bias: see the next floor."""
WITH_REPORTED_PRECISION_FLOOR = 0.13  # reached 0.141
WITH_REPORTED_RECALL_FLOOR = 0.12  # reached 0.129, all of the plain lexicon's recall

# The 191 lex spans in the outlet's own voice (BASIL ``quote: no``).
OWN_PRECISION_FLOOR = 0.11  # reached 0.124
OWN_RECALL_FLOOR = 0.08  # reached 0.089
OWN_F1_FLOOR = 0.09  # reached 0.104
OWN_RECALL_KEPT_FLOOR = 0.80
"""In-context recall / plain-lexicon recall in the outlet's own voice: reached 0.85."""

SCARE_QUOTES_RECALL_FLOOR = 0.16
"""Loaded terms plus scare quotes: reached 0.171 (BASIL marks quoted words as lex too)."""

pytestmark = pytest.mark.quality


def _bench() -> ModuleType:
    return load_bench("quality_framing")


@pytest.fixture(scope="module")
def scores() -> dict[str, Any]:
    if not SHARED_DATA.is_dir() or not DATA.is_dir():
        pytest.skip(f"BASIL dev not found at {DATA} (the quality gate needs ../shared/data)")
    figures, _ = _bench().evaluate(DATA)
    result: dict[str, Any] = figures
    return result


def test_framing_basil_the_whole_dev_split_is_scored(scores: dict[str, Any]) -> None:
    assert scores["articles"] == 150
    assert scores["lex_spans"] == 240
    assert scores["lex_spans_in_quotes"] == 49
    assert scores["annotated"] is True


def test_framing_basil_in_context_loaded_terms(scores: dict[str, Any]) -> None:
    found = scores["in_context"]
    assert found["precision"] >= PRECISION_FLOOR, found
    assert found["recall"] >= RECALL_FLOOR, found
    assert found["f1"] >= F1_FLOOR, found


def test_framing_basil_context_beats_plain_matching_on_precision(scores: dict[str, Any]) -> None:
    plain, read = scores["baseline"], scores["in_context"]
    assert read["precision"] - plain["precision"] >= PRECISION_GAIN_FLOOR, (plain, read)
    assert read["recall"] / plain["recall"] >= RECALL_KEPT_FLOOR, (plain, read)


def test_framing_basil_reported_terms_keep_what_context_sets_aside(
    scores: dict[str, Any],
) -> None:
    plain, both = scores["baseline"], scores["with_reported"]
    assert both["precision"] >= WITH_REPORTED_PRECISION_FLOOR, both
    assert both["recall"] >= WITH_REPORTED_RECALL_FLOOR, both
    assert both["precision"] > plain["precision"], (plain, both)


def test_framing_basil_outlets_own_voice(scores: dict[str, Any]) -> None:
    plain, read = scores["own_voice/baseline"], scores["own_voice/in_context"]
    assert read["precision"] >= OWN_PRECISION_FLOOR, read
    assert read["recall"] >= OWN_RECALL_FLOOR, read
    assert read["f1"] >= OWN_F1_FLOOR, read
    assert read["f1"] > plain["f1"], (plain, read)
    assert read["recall"] / plain["recall"] >= OWN_RECALL_KEPT_FLOOR, (plain, read)


RULES_FOR_PRECISION = ("neutral", "quoted", "name", "negated")
"""Rules that must each raise precision. ``attributed`` is not one: it serves the product's
definition (a word reported as somebody's naming, "officials call it a blockade", is
theirs, not the outlet's) where BASIL's annotators count such words as the outlet's bias
(Tim Miller called Biden “unhinged”): it lowers precision on BASIL from 0.177 to 0.161."""


def test_framing_basil_each_rule_raises_precision(scores: dict[str, Any]) -> None:
    read = scores["in_context"]
    for rule in RULES_FOR_PRECISION:
        without = scores[f"without_{rule}"]
        assert read["precision"] >= without["precision"], (rule, without, read)


def test_framing_basil_scare_quotes_add_what_the_lexicon_misses(scores: dict[str, Any]) -> None:
    assert scores["with_scare_quotes"]["recall"] >= SCARE_QUOTES_RECALL_FLOOR, scores
