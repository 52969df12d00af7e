"""Conflicts on real news (BASIL dev): planted conflicts found, and false conflicts on the
same stories unplanted (see bench/quality_planted.py for the method).

FLOORS are the reached figures minus a little; lowering one needs a note in
docs/compare.md. The false-conflict ceiling is the precision guard: a wrong conflict
costs a fact-checker more than a missed one.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import DATA, load_bench

RECALL_FLOOR = 0.7
"""Share of planted count and date conflicts reported with both sentences, planted in the
later outlet of each pair (reached 11/15; 7/15 before poll shares, subgroups, amounts
hung on another verb and dates of one election worded two ways were matched; 2/15 before
counts were matched on what they count)."""
BOTH_WAYS_RECALL_FLOOR = 0.78
"""The same with each pair planted in the earlier outlet too (reached 21/26; 13/26
before)."""
NAME_RECALL_FLOOR = 0.78
"""Share of planted names (one outlet's doer of an action or speaker of a quote given
another person's surname in that sentence) reported as a name or attribution conflict
against another outlet giving the person replaced (reached 32/38, 26/38 against the
witness sentence itself; 8/38 before quotes framed by their own sentence were trusted
with the real speaker named close by, see docs/compare.md)."""
FALSE_PER_STORY_CEILING = 0.02
"""False conflicts per unplanted multi-outlet story (reached 0 on 50 stories)."""

pytestmark = pytest.mark.quality


@pytest.fixture(scope="module")
def planted() -> dict[str, Any]:
    if not (DATA / "basil-dev").is_dir():
        pytest.skip(f"BASIL dev is not at {DATA / 'basil-dev'}")
    bench = load_bench("quality_planted")
    figures: dict[str, Any] = bench.evaluate(bench.load_articles(), both_ways=True)
    return figures


def test_compare_planted_conflicts_are_found(planted: dict[str, Any]) -> None:
    later = planted["in_later"]
    assert later["planted"] >= 10, planted
    assert later["recall"] >= RECALL_FLOOR, planted["missed"]


def test_compare_conflicts_planted_both_ways_are_found(planted: dict[str, Any]) -> None:
    assert planted["planted"] >= 20, planted
    assert planted["recall"] >= BOTH_WAYS_RECALL_FLOOR, planted["missed"]


def test_compare_unplanted_stories_report_few_false_conflicts(planted: dict[str, Any]) -> None:
    assert planted["false_per_story"] <= FALSE_PER_STORY_CEILING, planted["false"]


def test_compare_planted_names_are_found(planted: dict[str, Any]) -> None:
    names = planted["names"]
    assert names["planted"] >= 30, names
    assert names["recall"] >= NAME_RECALL_FLOOR, planted["names_missed"]
