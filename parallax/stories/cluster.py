"""Assign an article to a story: score the candidate stories, join the best or found one.

The score of an article against a story combines one cosine per channel (text, names,
facts; article TF-IDF against the story's summed profile, both weighted by the current
IDF), weighted by :class:`StoryOptions` and renormalised over the channels both sides
have, then multiplied by a time factor: 1 within ``grace_days`` of the story's time
range, decaying exponentially beyond. An article at or above ``threshold`` joins the
best story; a wire copy or duplicate joins its origin's story directly.

Two stories merge when one article scores high against both *and* the stories' own
profiles are alike: one article alone never glues two events together. The older story
(lower sequence) absorbs the younger, and the merge is returned to be recorded.

A story that grew to hold two events is split: after a join (every join while it is
small, then ``split_checks`` times per doubling of its size) its members are divided into
the two groups that fit them best (two-means, see :func:`two_groups` for its starts and
weightings); when both groups have ``split_min_group`` articles or more and their
profiles score below ``split_score`` against each other, the group without the founding
article leaves for a new story. This undoes the one error a join cannot take back: the
first article of a look-alike event that joined the neighbour's story and drew the next
ones after it.

Everything is a function of the input order: ties break on story sequence and keys.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from parallax.stories.features import CHANNELS, Features, Keys, TermStats, Weights
from parallax.stories.index import StoryIndex, StoryState
from parallax.stories.options import StoryOptions

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Merge:
    """Story ``source`` was folded into ``target`` when ``article`` arrived."""

    source: str
    target: str
    article: str
    score: float


@dataclass(frozen=True)
class Split:
    """Story ``source`` held two events: ``articles`` left it for the new story ``story``."""

    source: str
    story: str
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Assignment:
    """Where an article went: its story, its score against it (None when it founded it)."""

    article: str
    story: str
    score: float | None
    merges: tuple[Merge, ...] = ()
    cooled: tuple[str, ...] = ()
    """Stories that left the working set before this article was placed."""
    splits: tuple[Split, ...] = ()

    @property
    def founded(self) -> bool:
        return self.score is None


def story_id_for(article_id: str) -> str:
    """A story's id comes from the article that founded it: stable for the same input."""
    return "s" + article_id


def assign(features: Features, index: StoryIndex) -> Assignment:
    """Place one article in the index: join the best hot story, or found a new one."""
    cooled = tuple(story.id for story in index.advance(features.published))
    story, score, runners = _best(features, index)
    merges: list[Merge] = []
    splits: tuple[Split, ...] = ()
    if story is None:
        story = index.found(story_id_for(features.article), features)
    else:
        index.join(story, features)
        story, merges = _merge_runners(story, runners, features.article, index)
        story, splits = _split(story, features.article, index)
    index.count(features)
    return Assignment(features.article, story.id, score, tuple(merges), cooled, splits)


def _best(
    features: Features, index: StoryIndex
) -> tuple[StoryState | None, float | None, list[tuple[StoryState, float]]]:
    """The story to join (or None), its score, and the other stories scoring high enough
    to be merge evidence."""
    origin = index.story_of.get(features.origin) if features.origin else None
    if origin is not None:
        return index.stories[origin], 1.0, []
    candidates = index.candidates(features)
    if not candidates:
        return None, None, []
    scores = score_stories(features, candidates, index.stats, index.options)
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], candidates[i].seq))
    best = order[0]
    if scores[best] < index.options.threshold:
        return None, None, []
    runners = [
        (candidates[i], float(scores[i]))
        for i in order[1:]
        if scores[i] >= index.options.merge_article_score
    ]
    return candidates[best], float(scores[best]), runners


def _merge_runners(
    story: StoryState,
    runners: list[tuple[StoryState, float]],
    article: str,
    index: StoryIndex,
) -> tuple[StoryState, list[Merge]]:
    merges = []
    for other, score in runners:
        if other.seq not in index.stories or other is story:
            continue
        if story_similarity(story, other, index.stats, index.options) < (
            index.options.merge_story_score
        ):
            continue
        target, source = (story, other) if story.seq < other.seq else (other, story)
        index.merge(source, target)
        merges.append(Merge(source.id, target.id, article, score))
        story = target
    return story, merges


class Profiles:
    """Many profiles as one side of :func:`channel_cosines`: concatenated, weighted by
    IDF, with their norms per channel. Built once when the same profiles are scored
    against several queries (a split check scores a story's members against each group)."""

    def __init__(self, profiles: list[tuple[Keys, Weights]], stats: TermStats) -> None:
        self.count = count = len(profiles)
        lengths = np.array([len(k) for k, _ in profiles], dtype=np.int64)
        self.owner = np.repeat(np.arange(count), lengths)
        self.keys = np.concatenate([k for k, _ in profiles]) if count else np.zeros(0, np.int64)
        self.weights = np.concatenate([w for _, w in profiles]) if count else np.zeros(0)
        self.vec = self.weights * stats.idf(self.keys)
        self.cell = self.owner * CHANNELS + (self.keys >> 32)
        norms = np.bincount(self.cell, self.vec * self.vec, minlength=count * CHANNELS)
        self.norms = norms.reshape(count, CHANNELS)

    def cosines(
        self, keys: Keys, weights: Weights, stats: TermStats
    ) -> tuple[Matrix, npt.NDArray[np.bool_]]:
        """Per profile and channel, the cosine with the query ``keys``/``weights``."""
        count = self.count
        query = weights * stats.idf(keys)
        query_norms = np.bincount(keys >> 32, query * query, minlength=CHANNELS)
        position = np.minimum(np.searchsorted(keys, self.keys), max(len(keys) - 1, 0))
        hit = keys[position] == self.keys if len(keys) else np.zeros(len(self.keys), bool)
        dots = np.bincount(
            self.cell[hit], self.vec[hit] * query[position[hit]], minlength=count * CHANNELS
        )
        available = (self.norms > 0) & (query_norms > 0)[None, :]
        denominator = np.sqrt(self.norms * query_norms[None, :])
        cosines = np.divide(
            dots.reshape(count, CHANNELS),
            denominator,
            out=np.zeros((count, CHANNELS)),
            where=available,
        )
        return cosines, available


def _split(
    story: StoryState, article: str, index: StoryIndex
) -> tuple[StoryState, tuple[Split, ...]]:
    """Split ``story`` when it is due a check and holds two events; returns the story
    ``article`` is in afterwards, and the split made (if any)."""
    if not _split_due(len(story.members), index.options):
        return story, ()
    groups = two_groups(story, index.stats, index.options)
    if groups is None:
        return story, ()
    moved = [member.article for member in groups[1]]
    kept, new = index.split(story, set(moved), index.unique_id(story_id_for(moved[0])))
    return (new if article in moved else kept), (Split(story.id, new.id, tuple(moved)),)


def _split_due(size: int, options: StoryOptions) -> bool:
    """``split_checks`` times per doubling of the story (every join while it is small): a
    check costs the story's size, and comes once in a number of joins proportional to
    it, so the work per article is bounded whatever the story's size."""
    if size < 2 * options.split_min_group:
        return False
    step = max(1, (1 << (size.bit_length() - 1)) // options.split_checks)
    return size % step == 0


def two_groups(
    story: StoryState, stats: TermStats, options: StoryOptions
) -> tuple[list[Features], list[Features]] | None:
    """The story's members in two groups of two events, the founder's first; None when
    they are one event (a group too small, or the groups alike).

    Two-means over the members' combined scores against each group's summed profile,
    from two starts: the earlier and the later half of the members (two events one
    after the other), and the founder against the member least like it (two events
    reported side by side on the same days, where halves in time mix them). The second
    start finds some division in any story, one event's too, so its groups must be
    less alike (``split_far_score``) than those of the first (``split_score``); of the
    starts that clear their bar, the one clearing it by most wins. The result depends
    only on the members and their order.

    The division is tried with names weighed as in a join, then weighed less
    (``split_names_weight``): two events in one story are either about different people
    (two boxers' title defences), which names tell apart, or about the same people (a
    senator's remarks and the same senator's re-election bid, two offers to one
    player), where what sets them apart is what happened: the words and the figures.
    """
    side = _Members(story.members, stats)
    for names in (options.names_weight, options.split_names_weight):
        found = _divide(story.members, side, stats, replace(options, names_weight=names))
        if found is not None:
            return found
    return None


def _divide(
    members: list[Features], side: _Members, stats: TermStats, options: StoryOptions
) -> tuple[list[Features], list[Features]] | None:
    """:func:`two_groups` with one weighting of the channels."""
    starts = (
        (np.arange(len(members)) >= len(members) // 2, options.split_score),
        (_far_start(side, stats, options), options.split_far_score),
    )
    best: tuple[float, npt.NDArray[np.bool_]] | None = None
    for start, bar in starts:
        labels = _two_means(side, start, stats, options)
        if labels is None:
            continue
        similarity = story_similarity(side.group(~labels), side.group(labels), stats, options)
        margin = similarity - bar
        if margin < 0 and (best is None or margin < best[0]):
            best = (margin, labels)
    if best is None:
        return None
    labels = ~best[1] if best[1][0] else best[1]
    chosen = labels.tolist()
    return (
        [m for m, moved in zip(members, chosen, strict=True) if not moved],
        [m for m, moved in zip(members, chosen, strict=True) if moved],
    )


def _far_start(side: _Members, stats: TermStats, options: StoryOptions) -> npt.NDArray[np.bool_]:
    """Members closer to the one least like the founder than to the founder."""
    alone = np.zeros(side.count, dtype=bool)
    alone[0] = True
    founder = side.scores(side.group(alone), stats, options)
    far = np.zeros(side.count, dtype=bool)
    far[int(np.argmin(founder))] = True
    labels: npt.NDArray[np.bool_] = side.scores(side.group(far), stats, options) > founder
    return labels


def _two_means(
    side: _Members, labels: npt.NDArray[np.bool_], stats: TermStats, options: StoryOptions
) -> npt.NDArray[np.bool_] | None:
    """Two-means from ``labels`` (four rounds at most); None when a group gets too small."""
    for _ in range(4):
        first, second = side.group(~labels), side.group(labels)
        fresh = side.scores(second, stats, options) > side.scores(first, stats, options)
        if min(int(fresh.sum()), int((~fresh).sum())) < options.split_min_group:
            return None
        if (fresh == labels).all():
            break
        labels = fresh
    return labels


class _Members(Profiles):
    """A story's members, concatenated once per split check: each round sums a group's
    profile from them and scores them all against it."""

    def __init__(self, members: list[Features], stats: TermStats) -> None:
        super().__init__([(m.keys, m.weights) for m in members], stats)
        self.unique, self.inverse = np.unique(self.keys, return_inverse=True)
        self.times = np.array([np.nan if m.published is None else m.published for m in members])

    def group(self, chosen: npt.NDArray[np.bool_]) -> StoryState:
        """The summed profile and time range of the chosen members (no postings, no
        members): what scoring a group, and two groups against each other, needs."""
        mask = chosen[self.owner]
        summed: Weights = np.bincount(
            self.inverse[mask], self.weights[mask], minlength=len(self.unique)
        ).astype(np.float64)
        present = summed > 0
        times = self.times[chosen]
        times = times[~np.isnan(times)]
        first = float(times.min()) if len(times) else None
        last = float(times.max()) if len(times) else None
        return StoryState("", 0, self.unique[present], summed[present], [], first, last)

    def scores(
        self, group: StoryState, stats: TermStats, options: StoryOptions
    ) -> npt.NDArray[np.float64]:
        keys, weights = group.arrays(options.profile_terms)
        if len(keys) == 0:
            return np.zeros(self.count)
        cosines, available = self.cosines(keys, weights, stats)
        return combine(cosines, available, options)


def score_stories(
    features: Features, stories: list[StoryState], stats: TermStats, options: StoryOptions
) -> npt.NDArray[np.float64]:
    """The combined score of an article against each story (same order)."""
    arrays = [story.arrays(options.profile_terms) for story in stories]
    cosines, available = channel_cosines(features.keys, features.weights, arrays, stats)
    scores: npt.NDArray[np.float64] = combine(cosines, available, options) * time_factors(
        features.published, stories, options
    )
    return scores


def time_factors(
    published: float | None, stories: list[StoryState], options: StoryOptions
) -> npt.NDArray[np.float64]:
    """:func:`time_factor` of each story, vectorised."""
    if published is None:
        return np.ones(len(stories))
    first = np.array([published if s.first is None else s.first for s in stories])
    last = np.array([published if s.last is None else s.last for s in stories])
    gap = np.maximum(0.0, np.maximum(first - published, published - last)) / 86400.0
    factors: npt.NDArray[np.float64] = np.exp(
        -np.maximum(0.0, gap - options.grace_days) / options.decay_days
    )
    return factors


def story_similarity(
    first: StoryState, second: StoryState, stats: TermStats, options: StoryOptions
) -> float:
    """The combined score of two stories' profiles, with the time factor of their ranges."""
    keys, weights = first.arrays(options.profile_terms)
    cosines, available = channel_cosines(
        keys, weights, [second.arrays(options.profile_terms)], stats
    )
    gap = _range_gap(first.first, first.last, second.first, second.last)
    return float(combine(cosines, available, options)[0]) * _decay(gap, options)


def channel_cosines(
    keys: Keys, weights: Weights, stories: list[tuple[Keys, Weights]], stats: TermStats
) -> tuple[Matrix, npt.NDArray[np.bool_]]:
    """Per story and channel, the cosine of the TF-IDF vectors, and whether both sides
    have that channel at all. One pass over the concatenated profiles, no Python loop."""
    return Profiles(stories, stats).cosines(keys, weights, stats)


def combine(
    cosines: Matrix, available: npt.NDArray[np.bool_], options: StoryOptions
) -> npt.NDArray[np.float64]:
    """Weighted mean of the channel cosines over the channels available on both sides."""
    weights = np.array([options.text_weight, options.names_weight, options.facts_weight])
    present = available * weights[None, :]
    totals = present.sum(axis=1)
    combined: npt.NDArray[np.float64] = np.divide(
        (cosines * present).sum(axis=1), totals, out=np.zeros(len(totals)), where=totals > 0
    )
    return combined


def time_factor(published: float | None, story: StoryState, options: StoryOptions) -> float:
    return _decay(_range_gap(published, published, story.first, story.last), options)


def _range_gap(a0: float | None, a1: float | None, b0: float | None, b1: float | None) -> float:
    """Days between two time ranges (0 when they overlap or either is unknown)."""
    if a0 is None or a1 is None or b0 is None or b1 is None:
        return 0.0
    return max(0.0, b0 - a1, a0 - b1) / 86400.0


def _decay(gap_days: float, options: StoryOptions) -> float:
    if gap_days <= options.grace_days:
        return 1.0
    return math.exp(-(gap_days - options.grace_days) / options.decay_days)


def member_centrality(story: StoryState, stats: TermStats, options: StoryOptions) -> list[float]:
    """Each member's combined score against its story's profile (the story's centre).

    The cosine is symmetric, so the centre is the query and the members the "stories":
    one vectorised pass however large the story.
    """
    keys, weights = story.arrays(options.profile_terms)
    members = [(member.keys, member.weights) for member in story.members]
    cosines, available = channel_cosines(keys, weights, members, stats)
    return [float(score) for score in combine(cosines, available, options)]


def central_member(story: StoryState, stats: TermStats, options: StoryOptions) -> Features:
    """The most central member (the earliest among equals): its headline titles the story."""
    scores = member_centrality(story, stats, options)
    best = max(range(len(scores)), key=lambda i: (round(scores[i], 9), -i))
    return story.members[best]
