"""The feed watcher: polls watched feeds when they are due and ingests each new entry's page.

Every poll is a conditional GET (the feed's ETag and Last-Modified are kept in the store).
What a poll lists is written with the feed's new validators in one transaction, and each
entry's outcome in the transaction that stores its article, so ``kill -9`` at any moment
followed by a restart fetches exactly the entries without an outcome: none is lost, none is
stored twice. An entry the feed lists again with another title or ``updated`` time (a
headline edited after publication) waits for its page again, so a changed page becomes a
revision of its article and an unchanged one stays as stored. An entry's page is read
like ``parallax ingest URL`` reads it, and what the page does not say (title, date,
author) is taken from the feed and marked as such (``extra.feed``). New articles are
annotated and placed in their stories by one :class:`~parallax.pipeline.StoryRun` kept
open across polls, a few entries at a time, so an article lands in its story seconds after
the feed lists it. A feed that fails is tried again later and later (the interval doubled
per failure, capped).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from parallax.errors import ParallaxError, UsageError
from parallax.model import Draft, Rejected
from parallax.pipeline import (
    IngestOptions,
    StoryRun,
    annotate_store,
    cluster_store,
    ingest_drafts,
    refresh_reports,
)
from parallax.sources.feeds import FEED_TYPES, parse_feed, read_opml
from parallax.sources.fetch import Fetcher
from parallax.sources.pages import fetch_pages, is_url
from parallax.store import FeedEntry, FeedRecord, FeedStore, Store, StoryStore

ItemHook = Callable[[str, int, int], None]
"""Called after each entry's page with the feed's url, entries done and entries to do."""


@dataclass(frozen=True)
class WatchOptions:
    """How the watcher polls. ``item_attempts`` and ``max_backoff`` default to the
    settings (``watch_item_attempts``, ``watch_max_backoff``) when None."""

    interval: float = 300.0
    """Seconds between two polls of a feed that works."""
    annotate: bool = True
    cluster: bool = True
    chunk: int = 8
    """Entries fetched and stored before they are annotated and placed in stories."""
    compare_every: float = 5.0
    """Seconds between two comparisons of the changed stories while a poll goes on (the
    poll's end always compares): new articles are in their stories at once, their
    stories' reports current within this time."""
    item_attempts: int | None = None
    max_backoff: float | None = None


@dataclass
class PollResult:
    """What one poll of one feed did: the quiet log line of a watcher."""

    feed: str
    status: int | None = None
    """200, 304 (not modified), or None when the poll failed."""
    listed: int = 0
    """Entries the feed lists now (0 for a 304)."""
    new: int = 0
    """Of these, entries never listed before."""
    changed: int = 0
    """Of these, entries listed before with another title or ``updated`` time: their pages
    are fetched again."""
    stored: int = 0
    """Entries whose article was stored in this poll (new, an earlier try's, or one
    fetched again)."""
    revised: int = 0
    """Of those, pages fetched again whose text had changed: a new revision of their
    article (an unchanged page is its stored article, nothing more)."""
    failed: int = 0
    """Entries whose page failed (quarantined, tried again on a later poll)."""
    given_up: int = 0
    """Of those, entries given up now (failed on every allowed poll)."""
    error: str | None = None
    next_poll: float = 0.0
    seconds: float = 0.0
    stopped: bool = False
    """Stopped before every entry was fetched (they wait for the next run)."""

    @property
    def ok(self) -> bool:
        return self.error is None and self.failed == 0

    def line(self) -> str:
        if self.error:
            answer = f"failed: {self.error}"
        elif self.status == 304:
            answer = "not modified"
        else:
            answer = f"{self.listed} listed, {self.new} new"
            answer += f", {self.changed} changed" if self.changed else ""
        parts = [f"{self.feed}: {answer}"]
        if self.stored or self.failed:
            parts.append(f"{self.stored} stored, {self.failed} failed")
        if self.revised:
            parts.append(f"{self.revised} revised")
        if self.given_up:
            parts.append(f"{self.given_up} given up")
        if self.stopped:
            parts.append("stopped")
        return "; ".join(parts) + f" ({self.seconds:.1f} s)"

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "ok": self.ok}


class Watcher:
    """Polls the feeds of one store with one fetcher. ``clock`` gives POSIX seconds (tests
    move it); ``stop`` set from another thread (a signal handler) ends the work between
    two entries, leaving the rest for the next run."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        options: IngestOptions | None = None,
        watch: WatchOptions | None = None,
        *,
        clock: Callable[[], float] = time.time,
        stop: threading.Event | None = None,
        on_item: ItemHook | None = None,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        options = options or IngestOptions()
        # one entry a transaction: the write lock is never held while a page downloads
        self.options = replace(options, settings=replace(options.settings, commit_every=1))
        settings = options.settings
        watch = watch or WatchOptions()
        self.watch = replace(
            watch,
            item_attempts=watch.item_attempts or settings.watch_item_attempts,
            max_backoff=watch.max_backoff or settings.watch_max_backoff,
        )
        self.feeds = FeedStore(store)
        self._compared = time.monotonic()
        self.clock = clock
        self.stop = stop or threading.Event()
        self.on_item = on_item
        self._run: StoryRun | None = None

    # -- the loop -------------------------------------------------------------------

    def poll_due(self, urls: Sequence[str] | None = None) -> list[PollResult]:
        """Poll every feed due now (``urls``: only these), most overdue first."""
        results = []
        for url in self.feeds.due(self.clock(), urls):
            if self.stop.is_set():
                break
            results.append(self.poll(url))
        return results

    def run(
        self,
        urls: Sequence[str] | None = None,
        *,
        on_poll: Callable[[PollResult], None] | None = None,
        longest_sleep: float = 60.0,
    ) -> None:
        """Poll due feeds until stopped, sleeping until the next is due (waking at least
        every ``longest_sleep`` seconds, to see feeds added meanwhile)."""
        while not self.stop.is_set():
            for result in self.poll_due(urls):
                if on_poll:
                    on_poll(result)
            upcoming = self.feeds.next_due(urls)
            wait = longest_sleep if upcoming is None else upcoming - self.clock()
            self.stop.wait(min(max(wait, 0.05), longest_sleep))

    # -- one feed -------------------------------------------------------------------

    def poll(self, url: str) -> PollResult:
        """Poll one feed (conditional GET), list its new entries, then fetch and ingest the
        page of every entry waiting for one (new, or failed on earlier polls)."""
        started = time.monotonic()
        record = self.feeds.feed(url)
        if record is None:
            raise ParallaxError("E085", url)
        result = PollResult(url)
        try:
            result.status = self._read_feed(record, result)
        except ParallaxError as error:
            result.error = f"[{error.code}] {error.reason}"
        self._entries(url, result)
        failures = 0 if result.error is None else record.failures + 1
        # stopped half-way: due at once, so that a restart fetches the rest without waiting
        result.next_poll = self.clock() + (0.0 if result.stopped else self._wait(failures))
        with self.store.transaction():
            self.feeds.record_poll(
                url,
                failures=failures,
                error=result.error,
                next_poll=result.next_poll,
                status=result.status,
            )
        result.seconds = time.monotonic() - started
        return result

    def _wait(self, failures: int) -> float:
        """The interval, doubled for each failure in a row, capped at ``max_backoff``."""
        cap = float(self.watch.max_backoff or self.watch.interval)
        return min(self.watch.interval * 2.0**failures, max(cap, self.watch.interval))

    def _read_feed(self, record: FeedRecord, result: PollResult) -> int:
        fetched = self.fetcher.fetch(
            record.url, accept=FEED_TYPES, etag=record.etag, last_modified=record.last_modified
        )
        if fetched.not_modified:
            with self.store.transaction():
                self.feeds.record_answer(
                    record.url, status=304, etag=fetched.etag, last_modified=fetched.last_modified
                )
            return 304
        feed = parse_feed(
            fetched.body,
            source=record.url,
            content_type=fetched.content_type,
            charset=fetched.charset,
        )
        with self.store.transaction():
            listing = self.feeds.record_answer(
                record.url,
                status=fetched.status,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
                kind=feed.kind,
                title=feed.title,
                entries=feed.items,
            )
        result.listed, result.new, result.changed = len(feed.items), *listing
        return fetched.status

    # -- entries --------------------------------------------------------------------

    def _entries(self, url: str, result: PollResult) -> None:
        waiting = self.feeds.pending(url)
        linked = [entry for entry in waiting if entry.url]
        self._give_up_unlinked(url, [entry for entry in waiting if not entry.url], result)
        done = 0

        def step() -> None:
            nonlocal done
            done += 1
            if self.on_item:
                self.on_item(url, done, len(linked))

        stale = False
        for start in range(0, len(linked), self.watch.chunk):
            if self.stop.is_set():
                break
            stored = self._ingest(url, linked[start : start + self.watch.chunk], result, step)
            stale = self._fold(stored) or stale
            if stale and time.monotonic() - self._compared >= self.watch.compare_every:
                stale = self._compare()
        if stale:
            self._compare()
        result.stopped = done < len(linked)

    def _give_up_unlinked(self, url: str, entries: list[FeedEntry], result: PollResult) -> None:
        """An entry without a link has no page to fetch: given up at once."""
        if not entries:
            return
        with self.store.transaction():
            for entry in entries:
                self.feeds.mark_failed(url, entry.key, "the entry has no link", attempts=1)
        result.given_up += len(entries)

    def _ingest(
        self, url: str, chunk: list[FeedEntry], result: PollResult, step: Callable[[], None]
    ) -> list[str]:
        """Fetch and store the pages of ``chunk``; each entry's outcome is written in the
        transaction of its article (or quarantine entry). The ids stored, in order."""
        stored: list[str] = []
        current: list[FeedEntry] = []

        def drafts() -> Iterator[Draft | Rejected]:
            for entry in chunk:
                if self.stop.is_set():
                    return
                current[:] = [entry]
                yield self._draft(url, entry)

        def written(outcome: Draft | Rejected, article_id: str | None) -> None:
            entry = current[0]
            if article_id is not None:
                self.feeds.mark_stored(url, entry.key, article_id)
                stored.append(article_id)
                result.stored += 1
            elif isinstance(outcome, Rejected):
                reason = f"[{outcome.code}] {outcome.reason}"
                attempts = int(self.watch.item_attempts or 1)
                result.failed += 1
                result.given_up += self.feeds.mark_failed(url, entry.key, reason, attempts=attempts)
            step()

        summary = ingest_drafts(drafts(), self.store, self.options, written=written)
        result.revised += summary.changed
        return stored

    def _draft(self, feed_url: str, entry: FeedEntry) -> Draft | Rejected:
        assert entry.url is not None
        page = next(fetch_pages([entry.url], self.fetcher, self.options.settings))
        return page if isinstance(page, Rejected) else filled_from_feed(page, entry, feed_url)

    def _fold(self, article_ids: list[str]) -> bool:
        """Annotate what is new and place it in its story; True when stories changed (their
        reports are then compared again, see :meth:`_compare`)."""
        if not article_ids:
            return False
        if self.watch.annotate:
            annotate_store(self.store)
        if not self.watch.cluster:
            return False
        self.story_run().place(article_ids)
        return True

    def _compare(self) -> bool:
        """Keep the reports of the stories that changed. A backlog of entries is compared
        every ``compare_every`` seconds and at the end of the poll, not after every chunk:
        a story growing by 60 entries is then compared a few times, not 60 times."""
        refresh_reports(self.store, self.options.settings)
        self._compared = time.monotonic()
        return False

    def story_run(self) -> StoryRun:
        """The one clusterer of this watcher, built on first use (articles stored earlier
        and in no story are placed first, as ``parallax ingest`` would)."""
        if self._run is None:
            if StoryStore(self.store).count_unclustered():
                cluster_store(self.store)
            self._run = StoryRun(self.store, None)
        return self._run


def add_sources(store: Store, sources: Sequence[str]) -> list[str]:
    """Watch each source: a feed or news sitemap url, or an OPML file (each feed it lists);
    the feed urls named, in order. Feeds watched already stay as they are. Anything else is
    a usage error (E086), before anything is added."""
    urls: list[str] = []
    for source in sources:
        if is_url(source):
            urls.append(source.strip())
            continue
        path = Path(source)
        if not path.is_file():
            raise UsageError("E086", source, "no such file" if not path.exists() else "a folder")
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise UsageError("E086", source, exc.strerror or str(exc)) from None
        urls += [s.url for s in read_opml(body, source)]
    feeds = FeedStore(store)
    with store.transaction():
        for url in urls:
            feeds.add(url)
    return list(dict.fromkeys(urls))


def filled_from_feed(draft: Draft, entry: FeedEntry, feed_url: str) -> Draft:
    """The page's article with what only the feed says: title, publication time and
    author, where the page gives none (the page always wins); the feed's view of the entry
    is kept in ``extra.feed``, with ``filled`` naming the fields taken from it."""
    meta = draft.meta
    fill = {
        "title": entry.title if not meta.title else None,
        "published_at": entry.published if not meta.published_at else None,
        "author": entry.author if not meta.author else None,
    }
    taken = {name: value for name, value in fill.items() if value}
    feed = {
        "url": feed_url,
        "id": entry.key,
        "title": entry.title,
        "published": entry.published,
        "updated": entry.updated,
        "summary": entry.summary,
        "author": entry.author,
        "publication": entry.publication,
        "filled": sorted(taken),
    }
    extra = {**draft.extra, "feed": {k: v for k, v in feed.items() if v is not None}}
    return replace(draft, meta=replace(meta, **taken), extra=extra)
