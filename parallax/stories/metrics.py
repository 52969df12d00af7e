"""B-cubed precision, recall and F1 of a clustering against the truth (Bagga & Baldwin, 1998).

For each item: precision is the share of its predicted cluster that shares its true
cluster, recall the share of its true cluster that shares its predicted one; both are
averaged over items. It punishes a merge of two stories and a split of one in proportion
to how many articles each affects, which is what a reader of stories feels.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 0.0 if total == 0 else 2 * self.precision * self.recall / total

    def to_json(self) -> dict[str, float]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def bcubed(predicted: Mapping[str, Hashable], truth: Mapping[str, Hashable]) -> BCubed:
    """Scores over the items in ``truth`` (each must be in ``predicted``)."""
    items = list(truth)
    if not items:
        return BCubed(1.0, 1.0)
    both = Counter((predicted[item], truth[item]) for item in items)
    predicted_sizes = Counter(predicted[item] for item in items)
    truth_sizes = Counter(truth[item] for item in items)
    precision = recall = 0.0
    for item in items:
        shared = both[(predicted[item], truth[item])]
        precision += shared / predicted_sizes[predicted[item]]
        recall += shared / truth_sizes[truth[item]]
    return BCubed(precision / len(items), recall / len(items))
