"""Span indexes: whether a span lies inside, overlaps or is near others, in a binary search.

Every loaded term asks whether it sits in a quotation, a name or a label, and which mention
is nearest: asked of a plain list, that is one pass over the annotations per match, which
an article of many megabytes made take minutes. These indexes answer each question by
looking only at the spans that start near the one asked about.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate

_Candidate = tuple[int, int, str | None]
"""Distance, rank and value of the nearest span found so far."""


class Cover:
    """Spans ``[start, end)`` sorted by start, with the furthest end reached so far: whether
    some span holds or overlaps a span is one binary search, however many there are."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.reach = list(accumulate((end for _, end in ordered), max))

    def holds(self, start: int, end: int) -> bool:
        """Some span holds ``[start, end)``."""
        at = bisect_right(self.starts, start)
        return at > 0 and self.reach[at - 1] >= end

    def overlaps(self, start: int, end: int) -> bool:
        """Some span shares a character with ``[start, end)``."""
        at = bisect_left(self.starts, end)
        return at > 0 and self.reach[at - 1] > start


class Spans:
    """Spans with a value each, in a given order (their rank), indexed by start.

    A query looks only at the spans that start near it: no span is longer than
    ``longest``, so one that holds or lies within a distance of ``[start, end)`` starts
    within ``longest`` of it. Annotation spans are short (a name, a label, a quotation),
    so that is a few spans whatever the length of the article."""

    def __init__(self, spans: Sequence[tuple[int, int, str | None]]) -> None:
        order = sorted(range(len(spans)), key=lambda rank: spans[rank][0])
        self.starts = [spans[rank][0] for rank in order]
        self.items = [(spans[rank][1], rank, spans[rank][2]) for rank in order]
        self.reach = list(accumulate((end for end, _, _ in self.items), max))
        self.longest = max((end - start for start, end, _ in spans), default=0)

    def first_holding(self, start: int, end: int) -> str | None:
        """The value of the first span (by rank) that holds ``[start, end)``."""
        best: tuple[int, str | None] | None = None
        at = bisect_right(self.starts, start) - 1
        while at >= 0 and self.starts[at] >= end - self.longest and self.reach[at] >= end:
            span_end, rank, value = self.items[at]
            if span_end >= end and (best is None or rank < best[0]):
                best = (rank, value)
            at -= 1
        return best[1] if best else None

    def nearest(self, start: int, end: int, low: int, high: int) -> str | None:
        """The value of the span inside ``[low, high)`` nearest to ``[start, end)`` (0 when
        they overlap), the first by rank among equally near ones.

        The spans after ``end`` are read forwards and those before it backwards, each walk
        stopping once no span further on can be nearer than the best found."""
        split = bisect_left(self.starts, end)
        best = self._nearest_after(split, end, low, high, None)
        best = self._nearest_before(split, start, low, high, best)
        return best[2] if best else None

    def _nearest_after(
        self, at: int, end: int, low: int, high: int, best: _Candidate | None
    ) -> _Candidate | None:
        """The nearest of the spans starting at or after ``end`` (index ``at`` on)."""
        while at < len(self.starts) and self.starts[at] < high:
            distance = self.starts[at] - end
            if best is not None and distance > best[0]:
                break
            span_end, rank, value = self.items[at]
            if span_end <= high and self.starts[at] >= low:
                best = min(best or (distance, rank, value), (distance, rank, value))
            at += 1
        return best

    def _nearest_before(
        self, split: int, start: int, low: int, high: int, best: _Candidate | None
    ) -> _Candidate | None:
        """The nearest of the spans starting before ``end`` (indices below ``split``)."""
        at = split - 1
        while at >= 0 and self.starts[at] >= low:
            if best is not None and start - self.starts[at] - self.longest > best[0]:
                break
            span_end, rank, value = self.items[at]
            if span_end <= high:
                distance = max(0, start - span_end)
                best = min(best or (distance, rank, value), (distance, rank, value))
            at -= 1
        return best
