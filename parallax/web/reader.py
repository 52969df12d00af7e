"""What the server reads, and what it keeps in memory between requests.

Each worker thread has its own read-only connection (SQLite connections are not shared
across threads); in WAL mode every statement sees the last committed state, so a story
changed by a running ``parallax ingest`` shows its new state on the next request. A
story's report is looked up by its version (one cheap row): the report kept in the store
when it is current, else computed once and held in memory until the story changes.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from parallax.compare import Lexicon, configured_lexicon
from parallax.model import StoryReport
from parallax.pipeline import kept_story_report, report_version, story_version
from parallax.settings import Settings
from parallax.store import Store

_V = TypeVar("_V")


class LRU(Generic[_V]):
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, _V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> _V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: _V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass
class Reader:
    """The store as the server reads it: connections, versions, kept reports."""

    path: Path
    settings: Settings = field(default_factory=Settings.from_env)
    reload_interval: float = 2.0
    """Seconds a listing (outlets, profiles) may be served from memory before it is
    read again; story and article pages check the store on every request."""
    _local: threading.local = field(default_factory=threading.local)
    reports: LRU[tuple[str, StoryReport]] = field(default_factory=lambda: LRU(512))
    pages: LRU[tuple[str, bytes]] = field(default_factory=lambda: LRU(512))
    _timed: LRU[tuple[float, Any]] = field(default_factory=lambda: LRU(256))

    def __post_init__(self) -> None:
        self.version = report_version(self.settings)
        self.lexicon: Lexicon = configured_lexicon(self.settings.lexicon)
        Store.open_readonly(self.path).close()  # a missing or foreign file fails at start

    @property
    def store(self) -> Store:
        """This thread's read-only connection, opened on first use."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store.open_readonly(self.path)
            self._local.store = store
        return store

    def story(self, story_id: str) -> tuple[str, str, StoryReport] | None:
        """``(live id, version, report)`` of the story an id names; None when unknown."""
        found = story_version(self.store, story_id, self.version)
        if found is None:
            return None
        live, version = found
        held = self.reports.get(live)
        if held is not None and held[0] == version:
            return live, version, held[1]
        made = kept_story_report(
            self.store,
            live,
            version=self.version,
            lexicon=self.lexicon,
            independence=self.settings.independence,
        )
        if made is None:
            return None
        report, version = made
        self.reports.put(live, (version, report))
        return live, version, report

    def page(self, key: tuple[str, str], render: Callable[[], str]) -> bytes:
        """A rendered page (or document) kept under ``key`` (its story id and version),
        encoded once: a big story's page is megabytes."""
        held = self.pages.get(key[0])
        if held is not None and held[0] == key[1]:
            return held[1]
        body = render().encode("utf-8")
        self.pages.put(key[0], (key[1], body))
        return body

    def timed(self, key: Hashable, make: Callable[[], _V]) -> _V:
        """A value kept for :attr:`reload_interval` seconds."""
        now = time.monotonic()
        held = self._timed.get(key)
        if held is not None and now - held[0] < self.reload_interval:
            value: _V = held[1]
            return value
        value = make()
        self._timed.put(key, (now, value))
        return value
