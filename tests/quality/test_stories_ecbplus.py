"""Quality gate: story clustering on ECB+ dev at sub-topic level (look-alike events).

Each ECB+ topic holds two different events that share most of their vocabulary (two
patches of one browser, two offers to one player); the truth is the sub-topic
(``T_Necb`` vs ``T_Necbplus``). The documents carry no publication dates, so text is
the only signal, and the ingest order is shuffled for real. Scores are B-cubed over the
natural order and four shuffled orders, from text alone (no annotation). Reproduce with

    .venv/bin/python bench/quality_stories.py --corpus ecbplus

FLOORS are the reached figures minus a little. Lowering one needs a note in
docs/stories.md saying which change lost what, and why that is acceptable.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import StoryGate

pytestmark = pytest.mark.quality

# Reached (no annotation, natural order + 4 shuffles): F1 natural 0.912, mean 0.898,
# min 0.887, max 0.912; precision min 0.831; recall min 0.930. The recall floor was 0.95
# before stories could split (recall min 0.962 then) and 0.935 before merges asked an
# article to score 0.4 (recall min 0.937 then): docs/stories.md says why it moved.
FLOORS = {"f1_mean": 0.89, "f1_min": 0.88, "precision_min": 0.82, "recall_min": 0.925}
GATE = StoryGate("ecbplus", "ecbplus-dev", "ECB+ dev", FLOORS)


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_stories_ecbplus_bcubed_floor(story_gate_result: dict[str, Any], measure: str) -> None:
    assert story_gate_result[measure] >= FLOORS[measure], story_gate_result
