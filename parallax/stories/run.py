"""The clusterer over a store: places stored articles into stories, batch by batch.

The core (:mod:`features`, :mod:`index`, :mod:`cluster`, :mod:`independence`) is pure;
this module is the one part of the stage that reads and writes the store, through
:class:`~parallax.store.StoryStore`, so a crash leaves every batch wholly stored or not
at all and a rerun rebuilds the working set of hot stories and goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from parallax.model import Article
from parallax.store import Store, StoryStore
from parallax.stories.cluster import Assignment, assign, central_member
from parallax.stories.features import Features, features_of, lead_sentence
from parallax.stories.independence import Member, independence_groups, relay_source
from parallax.stories.index import StoryIndex, StoryState
from parallax.stories.options import StoryOptions
from parallax.text import moment

ClusterHook = Callable[[int], None]
"""Called after each clustering batch with the number of articles placed in it."""


@dataclass
class ClusterSummary:
    """What one clustering run did."""

    clustered: int = 0
    founded: int = 0
    joined: int = 0
    merges: int = 0
    splits: int = 0
    cooled: int = 0

    def to_json(self) -> dict[str, int]:
        return dict(self.__dict__)


def cluster_store(
    store: Store,
    *,
    options: StoryOptions | None = None,
    batch_size: int = 256,
    progress: ClusterHook | None = None,
) -> ClusterSummary:
    """Place every stored article that is in no story yet: in publication order (unknown
    times last), ingest order breaking ties. Idempotent: placed articles are skipped.
    Each batch is one transaction, so a crash loses at most one batch; the next run
    rebuilds the working set of hot stories and goes on.
    """
    placement = OrderedPlacement(store, options=options, batch_size=batch_size, progress=progress)
    return placement.finish()


class OrderedPlacement:
    """:func:`cluster_store` for articles that are still being annotated: the order is
    fixed when it starts (the articles in no story, in publication order), and each batch
    of it is placed as soon as none of its articles is ``waiting`` any more. The batches,
    their order and so the stories are those of :func:`cluster_store` run after the
    annotation: an ingest with annotation workers places its stories while they annotate,
    instead of after them, and ends with the same store.
    """

    def __init__(
        self,
        store: Store,
        *,
        options: StoryOptions | None = None,
        batch_size: int = 256,
        progress: ClusterHook | None = None,
    ) -> None:
        self.run = StoryRun(store, options)
        pending = sorted(
            self.run.stories.unclustered(),
            key=lambda row: (moment(row[2]) is None, moment(row[2]) or 0.0, row[0]),
        )
        self.order = [article_id for _, article_id, _ in pending]
        self.batch_size = batch_size
        self.progress = progress
        self.waiting: set[str] = set()
        self.placed = 0
        self.ready_to = 0

    def wait_for(self, article_ids: set[str]) -> None:
        """Hold back the batches holding these articles until :meth:`ready` names them."""
        self.waiting |= article_ids

    def ready(self, article_ids: list[str]) -> None:
        """These articles are annotated (or failed): place every batch now complete."""
        self.waiting.difference_update(article_ids)
        while self.ready_to < len(self.order) and self.order[self.ready_to] not in self.waiting:
            self.ready_to += 1
        while self.ready_to - self.placed >= self.batch_size:
            self._place(self.placed + self.batch_size)

    def finish(self) -> ClusterSummary:
        """Place what is left, waiting or not (the caller has nothing more to give)."""
        while self.placed < len(self.order):
            self._place(min(self.placed + self.batch_size, len(self.order)))
        return self.run.summary

    def _place(self, end: int) -> None:
        batch = self.order[self.placed : end]
        self.run.place(batch)
        self.placed = end
        if self.progress:
            self.progress(len(batch))


class StoryRun:
    """The clusterer over a store: the working set, rebuilt from the store when opened, and
    the writes of each batch. A long-running process (a feed watcher) keeps one open and
    calls :meth:`place` with each batch of new articles, so the working set is built once.
    """

    def __init__(self, store: Store, options: StoryOptions | None) -> None:
        self.store = store
        self.stories = StoryStore(store)
        self.options = options or StoryOptions()
        self.index = StoryIndex(self.options)
        self.index.taken = lambda story_id: self.stories.resolve(story_id) is not None
        self.summary = ClusterSummary()
        state = self.stories.state()
        self.index.stats.documents = int(state.get("documents", 0))
        self.index.clock = state.get("clock")
        self.position = int(state.get("position", 0))
        self.stories.load_df(self.index.stats.df)
        for seq, story_id in self.stories.hot_stories():
            self._restore(seq, story_id)
        self.outlets: list[str] = []

    def _restore(self, seq: int, story_id: str) -> None:
        members = [self._features(a) for a in self._articles(self.stories.member_ids(story_id))]
        self.index.restore(story_id, seq, members)

    def _reheat(self, published: float | None) -> None:
        """A late article (published before the working set's window) may belong to a story
        that went cold: put the cold stories around its time back into the working set.
        They go cold again when the clock next moves on."""
        clock, window = self.index.clock, self.options.cold_after_days * 86400.0
        if published is None or clock is None or published >= clock - window:
            return
        hot = {story.id for story in self.index.stories.values()}
        found = self.stories.cold_stories_around(published - window, published + window)
        back = [(seq, story_id) for seq, story_id in found if story_id not in hot]
        for seq, story_id in back:
            self._restore(seq, story_id)
        self.stories.set_state([story_id for _, story_id in back], "hot")

    def place(self, article_ids: list[str]) -> None:
        """Assign a batch of stored articles (in the order given; those already in a story
        are skipped) and write what changed, in one transaction."""
        with self.store.transaction():
            self.outlets = self.stories.outlets()
            self._place(article_ids)

    def _place(self, article_ids: list[str]) -> None:
        touched: dict[str, StoryState] = {}
        buckets: list[np.ndarray] = []
        fresh = [a for a in article_ids if self.stories.story_of(a) is None]
        for article in self._articles(fresh):
            features = self._features(article)
            self._reheat(features.published)
            placed = assign(features, self.index)
            buckets.append(self.index.stats.buckets(features.keys))
            if placed.founded:
                self.stories.found(placed.story)
            for merge in placed.merges:
                self.stories.merge(merge.source, merge.target, merge.article, merge.score)
                touched.pop(merge.source, None)
            for split in placed.splits:
                self.stories.found(split.story)
                self.stories.move(split.articles, split.story)
                for story_id in (split.source, split.story):
                    touched[story_id] = self._hot(story_id)
            self.stories.set_state(placed.cooled, "cold")
            self.position += 1
            relays = relay_source(article.text, self.outlets, own=article.outlet)
            self.stories.add_member(article.id, placed.story, self.position, placed.score, relays)
            touched[placed.story] = self.index.stories[self.index.story_of[article.id]]
            self._count(placed)
        for story in touched.values():
            self._refresh(story)
        self._save_counters(buckets)

    def _hot(self, story_id: str) -> StoryState:
        """The hot story of that id (after a split, its state is a new object)."""
        return next(story for story in self.index.stories.values() if story.id == story_id)

    def _count(self, placed: Assignment) -> None:
        self.summary.clustered += 1
        self.summary.founded += placed.founded
        self.summary.joined += not placed.founded
        self.summary.merges += len(placed.merges)
        self.summary.splits += len(placed.splits)
        self.summary.cooled += len(placed.cooled)

    def _refresh(self, story: StoryState) -> None:
        """Title, summary line, publication range and independence groups of a story."""
        centre = self.store.article(central_member(story, self.index.stats, self.options).article)
        assert centre is not None
        members, first, last = self._members(story.id)
        self.stories.update(
            story.id,
            title=centre.title or lead_sentence(centre.text),
            summary=lead_sentence(centre.text),
            title_article=centre.id,
            published=(first, last),
        )
        self.stories.set_groups(independence_groups(members))

    def _members(
        self, story_id: str
    ) -> tuple[list[Member], tuple[float, str] | None, tuple[float, str] | None]:
        """Independence members of a story, and its earliest and latest publication."""
        rows = self.stories.independence_rows(story_id)
        members: list[Member] = []
        times: list[tuple[float, str]] = []
        for member_id, outlet, published, origin, relays, position in rows:
            when = moment(published)
            if when is not None and published is not None:
                times.append((when, published))
            order = (when if when is not None else float("inf"), int(position))
            members.append(Member(member_id, outlet, order, origin, relays))
        return members, min(times, default=None), max(times, default=None)

    def _save_counters(self, buckets: list[np.ndarray]) -> None:
        if buckets:
            self.stories.save_df(np.unique(np.concatenate(buckets)).tolist(), self.index.stats.df)
        self.stories.save_state(
            documents=self.index.stats.documents, clock=self.index.clock, position=self.position
        )

    def _articles(self, article_ids: list[str]) -> list[Article]:
        found = (self.store.article(article_id) for article_id in article_ids)
        return [article for article in found if article is not None]

    def _features(self, article: Article) -> Features:
        return features_of(
            article.id,
            title=article.title,
            text=article.text,
            annotations=article.annotations,
            published_at=article.published_at,
            outlet=article.outlet,
            origin=article.wire_of or article.duplicate_of,
            options=self.options,
        )
