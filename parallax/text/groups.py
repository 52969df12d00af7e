"""Groups joined pair by pair: scipy's union-find, loaded on first use.

Stories group wire copies with their origin, compare groups values and quotes alike.
``scipy.cluster.hierarchy`` (where ``DisjointSet`` lives) imports about a quarter of a
second of scipy modules; imported at the top, every command (``parallax --version``
included) would pay for it at start-up, so it is imported when a group is first made.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scipy.cluster.hierarchy import DisjointSet


def disjoint_set(items: Iterable[Hashable] = ()) -> DisjointSet:
    """A union-find over ``items``: ``merge(a, b)``, ``ds[a]`` (a's representative),
    ``subsets()``, ``add(x)``."""
    from scipy.cluster.hierarchy import DisjointSet  # first use only: see the module doc

    return DisjointSet(items)
