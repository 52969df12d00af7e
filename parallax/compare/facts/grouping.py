"""Grouping by pairs: the candidate pairs an index proposes, and the groups that joined
pairs make.

Values and quotes of a story are compared pairwise only where an index puts them
together (a shared thing, a shared run of words), never all pairs, and pairs found alike
are joined into groups transitively.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from parallax.text.groups import disjoint_set

if TYPE_CHECKING:
    from scipy.cluster.hierarchy import DisjointSet


def groups(n: int) -> DisjointSet:
    """Items ``0 .. n-1`` to be joined into groups (scipy's union-find): ``merge`` two,
    ``groups[i]`` the group's representative."""
    return disjoint_set(range(n))


def bucket_pairs(
    buckets: Iterable[list[int]], most: int | None = None
) -> Iterator[tuple[int, int]]:
    """Every pair of items sharing a bucket, once, in bucket order; a bucket of more than
    ``most`` items is passed over (what so many share says nothing about a pair)."""
    seen: set[tuple[int, int]] = set()
    for bucket in buckets:
        if most is not None and len(bucket) > most:
            continue
        for x in range(len(bucket)):
            for y in range(x + 1, len(bucket)):
                pair = (bucket[x], bucket[y])
                if pair not in seen:
                    seen.add(pair)
                    yield pair
