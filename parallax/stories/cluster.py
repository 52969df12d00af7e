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

Everything is a function of the input order: ties break on story sequence and keys.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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
class Assignment:
    """Where an article went: its story, its score against it (None when it founded it)."""

    article: str
    story: str
    score: float | None
    merges: tuple[Merge, ...] = ()
    cooled: tuple[str, ...] = ()
    """Stories that left the working set before this article was placed."""

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
    if story is None:
        story = index.found(story_id_for(features.article), features)
    else:
        index.join(story, features)
        story, merges = _merge_runners(story, runners, features.article, index)
    index.count(features)
    return Assignment(features.article, story.id, score, tuple(merges), cooled)


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
    count = len(stories)
    query = weights * stats.idf(keys)
    query_norms = np.bincount(keys >> 32, query * query, minlength=CHANNELS)
    lengths = np.array([len(k) for k, _ in stories], dtype=np.int64)
    story_keys = np.concatenate([k for k, _ in stories]) if count else np.zeros(0, np.int64)
    story_vec = np.concatenate([w for _, w in stories]) * stats.idf(story_keys)
    cell = np.repeat(np.arange(count), lengths) * CHANNELS + (story_keys >> 32)
    story_norms = np.bincount(cell, story_vec * story_vec, minlength=count * CHANNELS)
    position = np.minimum(np.searchsorted(keys, story_keys), max(len(keys) - 1, 0))
    hit = keys[position] == story_keys if len(keys) else np.zeros(len(story_keys), bool)
    dots = np.bincount(cell[hit], story_vec[hit] * query[position[hit]], minlength=count * CHANNELS)
    story_norms = story_norms.reshape(count, CHANNELS)
    available = (story_norms > 0) & (query_norms > 0)[None, :]
    denominator = np.sqrt(story_norms * query_norms[None, :])
    cosines = np.divide(
        dots.reshape(count, CHANNELS),
        denominator,
        out=np.zeros((count, CHANNELS)),
        where=available,
    )
    return cosines, available


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
