"""The working set of hot stories and an inverted index that finds candidates for an article.

Why an inverted index (and not LSH or an ANN library): articles are sparse bags of
rare words, names and numbers, and two reports of one event share a handful of
*rare* features (a place, a name, a figure) long before their whole vectors look
alike. Posting lists from feature to hot story, looked up only for an article's
rarest features, find those stories in time proportional to the postings read, with no
tuning of hash families, no extra dependency and exact, deterministic results. Common
features (in more than ``max_posting`` hot stories) are neither looked up nor kept, and
stories leave the index when they go cold, so both the index and each lookup stay
bounded as the store grows.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from parallax.stories.features import CHANNELS, Features, Keys, TermStats, Weights
from parallax.stories.options import StoryOptions


@dataclass(frozen=True)
class Saturated:
    """A feature in more than ``max_posting`` hot stories: too common to find candidates
    with, so its posting is dropped (bounding memory) until ``until`` (publication time,
    one cold window after it filled), when it starts afresh."""

    until: float | None


Posting = int | set[int] | Saturated
"""A story seq while one hot story has the feature (most features: a name or a rare word
of one story), a set from the second on, :class:`Saturated` past ``max_posting``."""


@dataclass
class StoryState:
    """A hot story: the sum of its articles' feature weights, its members and time range.

    The profile is two aligned arrays, keys sorted: compact (16 bytes a feature) and
    merged with a new article in one vectorised step.
    """

    id: str
    seq: int
    keys: Keys = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    weights: Weights = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    members: list[Features] = field(default_factory=list)
    first: float | None = None
    last: float | None = None
    _scored: tuple[Keys, Weights] | None = None

    def add(self, features: Features) -> Keys:
        """Add an article's weights; returns the keys that are new to the story."""
        new = self._merge(features.keys, features.weights)
        self.members.append(features)
        when = features.published
        if when is not None:
            self.first = when if self.first is None else min(self.first, when)
            self.last = when if self.last is None else max(self.last, when)
        return new

    def absorb(self, other: StoryState) -> Keys:
        """Take in every article of ``other`` (a merge); returns the keys new to this story."""
        new = self._merge(other.keys, other.weights)
        self.members.extend(other.members)
        times = [t for t in (self.first, self.last, other.first, other.last) if t is not None]
        if times:
            self.first, self.last = min(times), max(times)
        return new

    def _merge(self, keys: Keys, weights: Weights) -> Keys:
        position = np.searchsorted(self.keys, keys)
        found = position < len(self.keys)
        found[found] = self.keys[position[found]] == keys[found]
        merged = self.weights.copy()
        merged[position[found]] += weights[found]
        fresh = ~found
        self.keys = np.insert(self.keys, position[fresh], keys[fresh])
        self.weights = np.insert(merged, position[fresh], weights[fresh])
        self._scored = None
        new: Keys = keys[fresh]
        return new

    def arrays(self, per_channel: int) -> tuple[Keys, Weights]:
        """The profile cut to the ``per_channel`` heaviest keys of each channel.

        The cut bounds the cost of scoring a large story; it depends only on the summed
        weights (ties by key), so it is the same however the story was built. Keys are
        sorted, and the channel is their high bits, so each channel is one run.
        """
        if self._scored is None:
            self._scored = (self.keys, self.weights)
            if len(self.keys) > per_channel:
                starts = np.searchsorted(self.keys >> 32, np.arange(CHANNELS + 1))
                keep = []
                for start, end in itertools.pairwise(starts.tolist()):
                    if end - start <= per_channel:
                        keep.append(np.arange(start, end))
                    else:
                        keep.append(_heaviest(self.weights[start:end], per_channel) + start)
                chosen = np.concatenate(keep)
                self._scored = (self.keys[chosen], self.weights[chosen])
        return self._scored

    @property
    def article_ids(self) -> list[str]:
        return [member.article for member in self.members]


def _heaviest(weights: Weights, count: int) -> npt.NDArray[np.int64]:
    """Positions (sorted) of the ``count`` largest weights, ties to the earliest position
    (the smallest key: keys are sorted). Linear time: a story's cut is recomputed often."""
    kth = np.partition(weights, len(weights) - count)[len(weights) - count]
    above = np.flatnonzero(weights > kth)
    equal = np.flatnonzero(weights == kth)[: count - len(above)]
    chosen: npt.NDArray[np.int64] = np.sort(np.concatenate([above, equal]))
    return chosen


class StoryIndex:
    """Hot stories, document frequencies, postings from feature key to hot stories."""

    def __init__(self, options: StoryOptions | None = None) -> None:
        self.options = options or StoryOptions()
        self.stats = TermStats(self.options.df_buckets)
        self.stories: dict[int, StoryState] = {}
        self.postings: dict[int, Posting] = {}
        """Feature key -> the hot stories that have it."""
        self.story_of: dict[str, int] = {}
        """Hot article id -> story seq (wire copies join their origin's story directly)."""
        self.clock: float | None = None
        """The latest publication time seen: the working set's "now"."""
        self.next_seq = 1
        self._expiry: list[tuple[float, int]] = []
        self.taken: Callable[[str], bool] = lambda story_id: False
        """Whether a story id is already used outside the working set (the driver asks the
        store), so that a story split off never takes a cold or merged story's id."""

    def unique_id(self, story_id: str) -> str:
        """``story_id``, or with ``.2``, ``.3``... when a story already has it."""
        hot = {story.id for story in self.stories.values()}
        candidate, number = story_id, 1
        while candidate in hot or self.taken(candidate):
            number += 1
            candidate = f"{story_id}.{number}"
        return candidate

    # -- candidates -----------------------------------------------------------------

    def candidates(self, features: Features) -> list[StoryState]:
        """Hot stories sharing the article's rarest indexed features, best first.

        Each feature looked up adds its ``weight * idf`` to the stories it is posted to;
        features are taken in a fixed order, so the sums (and the ranking) are the same
        whatever order the posting sets iterate in.
        """
        options = self.options
        if not self.stories:
            return []
        importance = features.weights * self.stats.idf(features.keys)
        order = np.lexsort((features.keys, -importance))
        totals: dict[int, float] = {}
        used = 0
        keys = features.keys.tolist()
        values = importance.tolist()
        for position in order.tolist():
            posting = self.postings.get(keys[position])
            if posting is None:
                continue
            value = values[position]
            if isinstance(posting, int):
                totals[posting] = totals.get(posting, 0.0) + value
            elif isinstance(posting, set):
                for seq in posting:
                    totals[seq] = totals.get(seq, 0.0) + value
            else:
                continue
            used += 1
            if used >= options.query_terms:
                break
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
        return [self.stories[seq] for seq, _ in ranked[: options.candidates]]

    # -- changes --------------------------------------------------------------------

    def found(self, story_id: str, features: Features) -> StoryState:
        story = StoryState(story_id, self.next_seq)
        self.next_seq += 1
        self.stories[story.seq] = story
        self.join(story, features)
        return story

    def restore(self, story_id: str, seq: int, members: list[Features]) -> StoryState:
        """Put a stored hot story back (a new run): its members, without counting them again."""
        story = StoryState(story_id, seq)
        self.stories[seq] = story
        for features in members:
            self.join(story, features)
        self.next_seq = max(self.next_seq, seq + 1)
        return story

    def split(
        self, story: StoryState, moved: set[str], new_id: str
    ) -> tuple[StoryState, StoryState]:
        """Move the ``moved`` articles of ``story`` to a new story ``new_id``; the rest stay
        under the story's id and seq. Both are rebuilt from their members, so profiles,
        postings and time ranges are exactly those of stories built that way from the
        start. Returns (the story kept, the new one)."""
        keep = [member for member in story.members if member.article not in moved]
        move = [member for member in story.members if member.article in moved]
        self.remove(story)
        kept = self.restore(story.id, story.seq, keep)
        new = StoryState(new_id, self.next_seq)
        self.next_seq += 1
        self.stories[new.seq] = new
        for features in move:
            self.join(new, features)
        return kept, new

    def join(self, story: StoryState, features: Features) -> None:
        self._post(story.add(features), story.seq)
        self.story_of[features.article] = story.seq
        self._schedule(story)

    def _post(self, keys: Keys, seq: int) -> None:
        postings, limit, clock = self.postings, self.options.max_posting, self.clock
        for key in keys.tolist():
            posting = postings.get(key)
            if posting is None:
                postings[key] = seq
            elif isinstance(posting, int):
                if posting != seq:
                    postings[key] = {posting, seq}
            elif isinstance(posting, set):
                posting.add(seq)
                if len(posting) > limit:
                    postings[key] = self._saturated()
            elif posting.until is not None and clock is not None and clock >= posting.until:
                postings[key] = seq

    def _saturated(self) -> Saturated:
        window = self.options.cold_after_days * 86400.0
        return Saturated(None if self.clock is None else self.clock + window)

    def count(self, features: Features) -> None:
        """Count the article's features in the document frequencies (after it is placed)."""
        self.stats.add(features.keys)

    def merge(self, source: StoryState, target: StoryState) -> None:
        """Fold ``source`` into ``target``; ``source`` leaves the index."""
        self.remove(source)
        self._post(target.absorb(source), target.seq)
        for member in source.members:
            self.story_of[member.article] = target.seq
        self._schedule(target)

    def remove(self, story: StoryState) -> None:
        """Take a story out of the working set (it went cold, or was merged)."""
        self.stories.pop(story.seq, None)
        postings = self.postings
        for key in story.keys.tolist():
            posting = postings.get(key)
            if posting is None:
                continue
            if isinstance(posting, int):
                if posting == story.seq:
                    del postings[key]
            elif isinstance(posting, set):
                posting.discard(story.seq)
                if len(posting) == 1:
                    postings[key] = next(iter(posting))
        for member in story.members:
            if self.story_of.get(member.article) == story.seq:
                del self.story_of[member.article]

    def advance(self, published: float | None) -> list[StoryState]:
        """Move the clock to ``published`` and return the stories that went cold (removed)."""
        if published is None or (self.clock is not None and published <= self.clock):
            return []
        self.clock = published
        horizon = published - self.options.cold_after_days * 86400.0
        cooled = []
        while self._expiry and self._expiry[0][0] < horizon:
            last, seq = heapq.heappop(self._expiry)
            story = self.stories.get(seq)
            if story is not None and story.last == last:
                self.remove(story)
                cooled.append(story)
        return cooled

    def _schedule(self, story: StoryState) -> None:
        if story.last is not None:
            heapq.heappush(self._expiry, (story.last, story.seq))
