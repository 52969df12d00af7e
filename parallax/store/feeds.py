"""Watched feeds in the store: each feed's polling state and every entry it has listed.

A watcher writes through :class:`FeedStore` inside the store's transactions: the answer to
a poll (validators, title, the entries it lists) in one, and each entry's outcome in the
transaction that stores its article, so after a kill at any moment a restart fetches
exactly the entries that have no stored outcome yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from parallax.store.db import Store


@dataclass(frozen=True)
class FeedEntry:
    """One entry a feed lists: what the feed says about an article page."""

    key: str
    """What identifies the entry within its feed: its id or guid, else its link."""
    url: str | None
    title: str | None = None
    published: str | None = None
    """ISO 8601, with the time zone the feed gives; None when it gives none it can read."""
    updated: str | None = None
    """When the feed says the entry last changed (ISO 8601, as ``published``): kept apart
    from ``published``, since a new one is what tells of an edit."""
    summary: str | None = None
    """Plain text."""
    author: str | None = None
    publication: str | None = None
    """The publication a news sitemap names for the entry."""
    attempts: int = 0
    """Fetches of its page that failed so far (entries waiting for one)."""


@dataclass(frozen=True)
class FeedRecord:
    """A watched feed as ``parallax feeds`` lists it."""

    url: str
    title: str | None
    kind: str | None
    added: str
    etag: str | None
    last_modified: str | None
    last_poll: str | None
    next_poll: float | None
    """POSIX seconds; None: due now (never polled)."""
    failures: int
    """Polls in a row that failed: the backoff's exponent."""
    last_error: str | None
    last_status: int | None
    stored: int = 0
    """Entries whose article is stored."""
    pending: int = 0
    """Entries whose page is still to be fetched (new, or failed fewer times than allowed)."""
    given_up: int = 0
    """Entries whose page failed too often: not tried again."""

    @property
    def next_poll_at(self) -> str | None:
        if self.next_poll is None:
            return None
        return datetime.fromtimestamp(self.next_poll, UTC).isoformat(timespec="seconds")

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "title": self.title,
            "kind": self.kind,
            "added": self.added,
            "items_seen": self.stored + self.given_up,
            "items_stored": self.stored,
            "items_pending": self.pending,
            "items_given_up": self.given_up,
            "last_poll": self.last_poll,
            "next_poll": self.next_poll_at,
            "failures": self.failures,
            "last_status": self.last_status,
            "last_error": self.last_error,
            "etag": self.etag,
            "last_modified": self.last_modified,
        }


class Listing(NamedTuple):
    """What a poll's entries were to the store."""

    new: int = 0
    """Entries never listed before."""
    changed: int = 0
    """Entries listed before with another title or ``updated`` time: pending again."""


@dataclass(frozen=True)
class GivenUp:
    """An entry whose page failed on every try, with the last reason."""

    feed: str
    url: str | None
    attempts: int
    error: str | None


_FEED_COLUMNS = (
    "f.url, f.title, f.kind, f.added, f.etag, f.last_modified, f.last_poll, f.next_poll,"
    " f.failures, f.last_error, f.last_status,"
    " (SELECT count(*) FROM feed_items i WHERE i.feed = f.url AND i.article IS NOT NULL),"
    " (SELECT count(*) FROM feed_items i WHERE i.feed = f.url AND i.seen IS NULL),"
    " (SELECT count(*) FROM feed_items i WHERE i.feed = f.url AND i.seen IS NOT NULL"
    " AND i.article IS NULL)"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _changed(entry: FeedEntry, title: str | None, updated: str | None) -> bool:
    """Whether a feed lists a stored entry (its stored ``title`` and ``updated``) edited:
    another title, or another ``updated`` time than the one recorded. What the feed stops
    saying is no edit, and an ``updated`` where none was recorded (the feed gave none
    before, or the entry was listed before Parallax kept it) is recorded without a
    re-fetch: it says when the entry last changed, not that it changed since."""
    if entry.title is not None and entry.title != title:
        return True
    return entry.updated is not None and updated is not None and entry.updated != updated


class FeedStore:
    """Feed tables of one open :class:`Store`; writes join the store's open transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store._connection

    # -- the list of feeds ----------------------------------------------------------

    def add(self, url: str, title: str | None = None) -> bool:
        """Watch ``url`` (due at once); False when it is watched already."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO feeds (url, title, added) VALUES (?, ?, ?)",
            (url, title, _now()),
        )
        return cursor.rowcount > 0

    def remove(self, url: str) -> bool:
        """Stop watching ``url`` and forget its entries (their articles stay); False when
        it was not watched."""
        self.db.execute("DELETE FROM feed_items WHERE feed = ?", (url,))
        return self.db.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount > 0

    def feeds(self, urls: Sequence[str] | None = None) -> list[FeedRecord]:
        """Watched feeds in the order they were added (``urls``: only these); none in a
        store opened read-only from before feeds were kept."""
        if not self._has_feeds():
            return []
        rows = self.db.execute(f"SELECT {_FEED_COLUMNS} FROM feeds f ORDER BY f.rowid").fetchall()
        found = [FeedRecord(*row) for row in rows]
        return found if urls is None else [f for f in found if f.url in set(urls)]

    def _has_feeds(self) -> bool:
        found = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'feeds'").fetchone()
        return found is not None

    def feed(self, url: str) -> FeedRecord | None:
        row = self.db.execute(
            f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.url = ?", (url,)
        ).fetchone()
        return None if row is None else FeedRecord(*row)

    def due(self, now: float, urls: Sequence[str] | None = None) -> list[str]:
        """The feeds to poll at ``now`` (never polled, or next due by then), most overdue
        first; ``urls``: only these."""
        rows = self.db.execute(
            "SELECT url FROM feeds WHERE next_poll IS NULL OR next_poll <= ?"
            " ORDER BY coalesce(next_poll, 0), rowid",
            (now,),
        ).fetchall()
        return [row[0] for row in rows if urls is None or row[0] in set(urls)]

    def next_due(self, urls: Sequence[str] | None = None) -> float | None:
        """When the next feed is due (POSIX seconds; None: no feed)."""
        rows = self.db.execute("SELECT url, coalesce(next_poll, 0) FROM feeds").fetchall()
        times = [float(when) for url, when in rows if urls is None or url in set(urls)]
        return min(times, default=None)

    # -- a poll ---------------------------------------------------------------------

    def record_answer(
        self,
        url: str,
        *,
        status: int,
        etag: str | None,
        last_modified: str | None,
        kind: str | None = None,
        title: str | None = None,
        entries: Iterable[FeedEntry] = (),
    ) -> Listing:
        """What a poll was answered (a 304 keeps the kind and title), and the entries it
        listed: those never listed before are stored, those listed before with another
        title or ``updated`` time take the feed's new values and wait for their page to be
        fetched again (seen and attempts cleared, given up or not), so an edit reaches the
        store as a revision of its article. Written in the caller's transaction with the
        feed's new validators: after a kill, either the feed is asked again with the old
        ones (and lists the edits again) or every edited entry is pending."""
        self.db.execute(
            "UPDATE feeds SET etag = ?, last_modified = ?, last_status = ?, last_poll = ?,"
            " kind = coalesce(?, kind), title = coalesce(?, title) WHERE url = ?",
            (etag, last_modified, status, _now(), kind, title, url),
        )
        entries = list(entries)
        stored = self._stored(url, [entry.key for entry in entries])
        fresh: dict[str, FeedEntry] = {}
        changed: dict[str, FeedEntry] = {}
        dated: list[tuple[str | None, str, str]] = []
        for entry in entries:
            if entry.key in fresh or entry.key in changed:
                continue  # listed twice in one answer: the first counts
            if entry.key not in stored:
                fresh[entry.key] = entry
            elif _changed(entry, *stored[entry.key]):
                changed[entry.key] = entry
            elif entry.updated is not None and stored[entry.key][1] is None:
                dated.append((entry.updated, url, entry.key))
        self._insert(url, fresh.values())
        self._relist(url, changed.values())
        self.db.executemany(
            "UPDATE feed_items SET updated = ? WHERE feed = ? AND item_key = ?", dated
        )
        return Listing(len(fresh), len(changed))

    def _stored(self, url: str, keys: list[str]) -> dict[str, tuple[str | None, str | None]]:
        """The stored title and ``updated`` of those of ``keys`` a feed listed before (only
        those: a feed followed for years has listed many more than it lists now)."""
        found: dict[str, tuple[str | None, str | None]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            rows = self.db.execute(
                "SELECT item_key, title, updated FROM feed_items WHERE feed = ?"
                f" AND item_key IN ({','.join('?' * len(chunk))})",
                (url, *chunk),
            )
            found.update((key, (title, updated)) for key, title, updated in rows)
        return found

    def _insert(self, url: str, entries: Iterable[FeedEntry]) -> None:
        listed = _now()
        self.db.executemany(
            "INSERT INTO feed_items (feed, item_key, url, title, published, updated, summary,"
            " author, publication, listed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (url, e.key, e.url, e.title, e.published, e.updated, e.summary, e.author,
                 e.publication, listed)
                for e in entries
            ],
        )  # fmt: skip

    def _relist(self, url: str, entries: Iterable[FeedEntry]) -> None:
        """Entries listed again changed: the feed's values now (what it no longer says
        stays as it was), and pending; ``article`` stays, the page's next outcome
        replaces it."""
        self.db.executemany(
            "UPDATE feed_items SET url = coalesce(?, url), title = coalesce(?, title),"
            " published = coalesce(?, published), updated = coalesce(?, updated),"
            " summary = coalesce(?, summary), author = coalesce(?, author),"
            " publication = coalesce(?, publication),"
            " seen = NULL, attempts = 0, last_error = NULL WHERE feed = ? AND item_key = ?",
            [
                (e.url, e.title, e.published, e.updated, e.summary, e.author, e.publication,
                 url, e.key)
                for e in entries
            ],
        )  # fmt: skip

    def record_poll(
        self, url: str, *, failures: int, error: str | None, next_poll: float, status: int | None
    ) -> None:
        """How a poll ended: the failures in a row (0: it worked), the error, when next."""
        self.db.execute(
            "UPDATE feeds SET failures = ?, last_error = ?, next_poll = ?,"
            " last_status = coalesce(?, last_status), last_poll = ? WHERE url = ?",
            (failures, error, next_poll, status, _now(), url),
        )

    # -- entries --------------------------------------------------------------------

    def pending(self, url: str) -> list[FeedEntry]:
        """The entries of a feed whose page is still to be fetched, oldest first (by the
        feed's date; undated ones last, in the order they were listed)."""
        rows = self.db.execute(
            "SELECT item_key, url, title, published, updated, summary, author, publication,"
            " attempts FROM feed_items WHERE feed = ? AND seen IS NULL"
            " ORDER BY published IS NULL, published, rowid",
            (url,),
        ).fetchall()
        return [FeedEntry(*row) for row in rows]

    def mark_stored(self, url: str, key: str, article_id: str) -> None:
        """The entry's article is stored: call it in the transaction that stores it."""
        self.db.execute(
            "UPDATE feed_items SET seen = ?, article = ?, last_error = NULL"
            " WHERE feed = ? AND item_key = ?",
            (_now(), article_id, url, key),
        )

    def mark_failed(self, url: str, key: str, error: str, *, attempts: int) -> bool:
        """The entry's page failed once more; after ``attempts`` failures it is given up
        (seen, without an article). True when it was given up now."""
        self.db.execute(
            "UPDATE feed_items SET attempts = attempts + 1, last_error = ?,"
            " seen = CASE WHEN attempts + 1 >= ? THEN ? ELSE NULL END"
            " WHERE feed = ? AND item_key = ?",
            (error, attempts, _now(), url, key),
        )
        row = self.db.execute(
            "SELECT seen FROM feed_items WHERE feed = ? AND item_key = ?", (url, key)
        ).fetchone()
        return row is not None and row[0] is not None

    def given_up(self, url: str | None = None) -> list[GivenUp]:
        """Entries not tried again, with why (``url``: of this feed only)."""
        if not self._has_feeds():
            return []
        rows = self.db.execute(
            "SELECT feed, url, attempts, last_error FROM feed_items"
            " WHERE seen IS NOT NULL AND article IS NULL AND (? IS NULL OR feed = ?)"
            " ORDER BY feed, rowid",
            (url, url),
        ).fetchall()
        return [GivenUp(*row) for row in rows]

    def stored_count(self) -> int:
        row = self.db.execute("SELECT count(*) FROM feed_items WHERE article IS NOT NULL")
        return int(row.fetchone()[0])
