"""The article store: one SQLite file in WAL mode, one writer, many readers.

The writer takes the write lock up front (``BEGIN IMMEDIATE``) for each batch, so
a concurrent writer waits instead of failing half-way; readers open the file
read-only and see the last committed state while ingest goes on. Every article
is written with its LSH band keys in the same transaction, so a crash at any
moment leaves either both or neither, and a rerun completes the work.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from parallax.errors import ParallaxError, UsageError
from parallax.model import Annotations, Article, Family, Rejected, empty_annotations
from parallax.store.learned import learn_from, stored_spellings
from parallax.store.schema import LATEST, MIGRATIONS
from parallax.text.outlets import outlet_key, same_outlet

BUSY_TIMEOUT_MS = 30_000
_ARTICLE_COLUMNS = (
    "id, outlet, url, title, author, published_at, language, source, text, "
    "duplicate_of, wire_of, extra, annotations, annotator"
)


@dataclass(frozen=True)
class QuarantineEntry:
    source: str
    record: int | None
    code: str
    reason: str
    first_seen: str
    last_seen: str
    attempts: int

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class InputProgress:
    """How far ingest has read one archive file (see :meth:`Store.input_progress`)."""

    source: str
    size: int
    mtime_ns: int
    offset: int
    complete: bool
    articles: int
    updated: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Revision:
    """One text an article has had (see ``article_revisions`` in the schema)."""

    number: int
    content_hash: str
    title: str | None
    text: str
    fetched_at: str | None
    seen_at: str
    source: str

    @property
    def when(self) -> str:
        """When the outlet served it, else when it was read: what orders revisions."""
        return self.fetched_at or self.seen_at

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Store:
    """Access to one store file. Open with :meth:`open` (writer) or :meth:`open_readonly`."""

    def __init__(self, connection: sqlite3.Connection, path: Path, readonly: bool) -> None:
        self._connection = connection
        self.path = path
        self.readonly = readonly

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open for writing, creating the file and applying migrations as needed."""
        path = Path(path)
        created = not path.exists()
        refused = _readonly_reason(path)
        if refused is not None:
            # before any work: SQLite would open the file read-only without a word and
            # fail only at the first write, after the command had annotated a batch
            raise ParallaxError("E039", str(path), refused)
        try:
            connection = _connect(str(path), uri=False)
        except sqlite3.OperationalError as exc:
            raise write_failure(path, exc) or ParallaxError("E031", str(path), str(exc)) from exc
        try:
            connection.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as exc:
            connection.close()
            failed = write_failure(path, exc) or _locked(path, exc)
            raise failed or ParallaxError("E031", str(path), str(exc)) from exc
        connection.execute("PRAGMA synchronous=NORMAL")
        # the schema's triggers compare outlet spellings with Parallax's own key
        connection.create_function("outlet_key", 1, outlet_key, deterministic=True)
        store = cls(connection, path, readonly=False)
        try:
            store._migrate()
        except BaseException:
            connection.close()
            if created:
                _remove_unborn(path)
            raise
        return store

    @classmethod
    def open_readonly(cls, path: str | Path) -> Store:
        """Open an existing store for reading; never creates or changes the file."""
        path = Path(path)
        if not path.is_file():
            raise ParallaxError("E031", str(path), "no such file; ingest something first")
        connection = _connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        store = cls(connection, path, readonly=True)
        try:
            if store._check_version() == 0:
                # a writer stopped (kill -9) after creating the file, before its schema
                raise ParallaxError("E031", str(path), "it is empty; ingest something first")
        except BaseException:
            connection.close()
            raise
        return store

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------

    def _version(self) -> int:
        try:
            version = self._connection.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise ParallaxError("E031", str(self.path), str(exc)) from exc
        return int(version)

    def _check_version(self) -> int:
        version = self._version()
        if version > LATEST:
            raise ParallaxError("E030", str(self.path), str(version))
        if version == 0 and self._has_foreign_tables():
            raise ParallaxError("E031", str(self.path), "it holds tables Parallax did not make")
        return version

    def _has_foreign_tables(self) -> bool:
        row = self._connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return bool(row[0])

    def _migrate(self) -> None:
        """Apply the missing migrations in one transaction: a store is created, or brought
        to the latest version, whole or not at all (a full disk or a kill half-way through
        left a store at an intermediate version that readers could not read)."""
        version = self._check_version()
        pending = [(target, sql) for target, sql in MIGRATIONS if target > version]
        if not pending:
            return
        with self.transaction():
            if self._check_version() != version:
                return  # another writer migrated it meanwhile
            for target, statements in pending:
                for statement in statements:
                    self._connection.execute(statement)
                self._connection.execute(f"PRAGMA user_version = {int(target)}")

    @property
    def schema_version(self) -> int:
        return self._version()

    # -- writing --------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction holding the lock from the start (``BEGIN IMMEDIATE``)."""
        self._begin()
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        try:
            self._connection.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        """Roll back the open transaction, if SQLite has not already: a failed COMMIT
        (the disk full) or a write that failed with SQLITE_FULL or an I/O error ends the
        transaction itself, and a second ROLLBACK would hide that error behind "cannot
        rollback - no transaction is active"."""
        if self._connection.in_transaction:
            self._connection.execute("ROLLBACK")

    @contextmanager
    def batch(self, every: int) -> Iterator[Batch]:
        """Writes committed ``every`` items at a time (call :meth:`Batch.step` after each).

        Committing in batches keeps ingest fast; it stays crash-safe because ids are
        deterministic: after a kill, a rerun skips what was committed and redoes the rest.
        An exception (a failing disk, Ctrl-C) rolls back the open batch only.
        """
        batch = Batch(self, every)
        try:
            yield batch
        except BaseException:
            batch.rollback()
            raise
        batch.commit()

    def _begin(self) -> None:
        """Take the write lock; a writer that keeps it past the busy timeout is E033."""
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            locked = _locked(self.path, exc)
            if locked is None:
                raise
            raise locked from exc

    def require_parameters(self, parameters: dict[str, str]) -> None:
        """Record what stored data depends on (the MinHash parameters) the first time, and
        refuse other values later (E032): stored signatures and band keys made with other
        parameters would silently never match new ones. A store from before this record
        existed takes the values it is first opened with."""
        with self.transaction():
            stored = dict(self._connection.execute("SELECT key, value FROM store_meta").fetchall())
            differ = {k: v for k, v in parameters.items() if k in stored and stored[k] != v}
            if differ:
                detail = ", ".join(f"{k}: store {stored[k]}, now {v}" for k, v in differ.items())
                raise ParallaxError("E032", str(self.path), detail)
            self._connection.executemany(
                "INSERT OR IGNORE INTO store_meta (key, value) VALUES (?, ?)",
                sorted(parameters.items()),
            )

    def has_article(self, article_id: str) -> bool:
        row = self._connection.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,))
        return row.fetchone() is not None

    def add_article(
        self,
        article: Article,
        *,
        record: int | None,
        content_key: str,
        signature: np.ndarray,
        bands: Sequence[int],
        similarity: float | None = None,
        run: int | None = None,
    ) -> bool:
        """Insert an article with its band keys; ``False`` when its id is already stored."""
        cursor = self._connection.execute(
            "INSERT OR IGNORE INTO articles (id, outlet, url, title, author, published_at,"
            " language, source, record, text, content_hash, duplicate_of, wire_of, similarity,"
            " extra, signature, ingested_at, run) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id,
                article.outlet,
                article.url,
                article.title,
                article.author,
                article.published_at,
                article.language,
                article.source,
                record,
                article.text,
                content_key,
                article.duplicate_of,
                article.wire_of,
                similarity,
                json.dumps(article.extra, ensure_ascii=False, default=str),
                signature.astype(np.uint32).tobytes(),
                _now(),
                run,
            ),
        )
        if cursor.rowcount == 0:
            return False
        seq = cursor.lastrowid
        self._connection.executemany(
            "INSERT OR IGNORE INTO lsh_bands (band, key, article) VALUES (?, ?, ?)",
            [(band, key, seq) for band, key in enumerate(bands)],
        )
        return True

    def candidates(self, bands: Sequence[int]) -> list[Family]:
        """Families of stored articles sharing at least one LSH band key, oldest member
        first, each with its origin's outlet and publication time (one query)."""
        clause = " OR ".join("(b.band = ? AND b.key = ?)" for _ in bands)
        params = [value for pair in enumerate(bands) for value in pair]
        rows = self._connection.execute(
            "SELECT m.seq, m.signature, o.id, o.outlet, o.published_at FROM"
            f" (SELECT DISTINCT a.seq, a.signature, coalesce(a.wire_of, a.duplicate_of, a.id)"
            f" AS origin FROM lsh_bands b JOIN articles a ON a.seq = b.article WHERE {clause})"
            " m JOIN articles o ON o.id = m.origin ORDER BY m.seq",
            params,
        ).fetchall()
        return [
            Family(np.frombuffer(row[1], dtype=np.uint32), row[2], row[3], row[4]) for row in rows
        ]

    def repoint_family(self, old_origin: str, new_origin: str, outlet: str | None) -> int:
        """Make ``new_origin`` the origin of ``old_origin``'s copies and of itself.

        Each member becomes a duplicate (same outlet as the new origin) or a wire copy
        (another outlet). Returns how many stored articles were re-pointed.
        """
        members = self._connection.execute(
            "SELECT seq, outlet FROM articles WHERE id = ? OR duplicate_of = ? OR wire_of = ?",
            (old_origin, old_origin, old_origin),
        ).fetchall()
        for seq, member_outlet in members:
            same = same_outlet(member_outlet, outlet)
            self._connection.execute(
                "UPDATE articles SET duplicate_of = ?, wire_of = ? WHERE seq = ?",
                (new_origin if same else None, None if same else new_origin, seq),
            )
        return len(members)

    def unannotated(
        self, version: str | None, after: int = 0, limit: int = 64
    ) -> list[tuple[int, str, str, str | None, str | None]]:
        """Articles without annotations (never annotated, or the last try failed; given
        ``version``, also those made by another version), by ``seq``.

        Returns ``(seq, id, text, published_at, language)`` (the language the input
        stated); pass the last ``seq`` as ``after`` to page on, so an article that fails
        is not fetched again in the same pass.
        """
        condition = "annotator IS NULL" if version is None else "annotator IS NOT ?"
        params: list[object] = [] if version is None else [version]
        rows = self._connection.execute(
            f"SELECT seq, id, text, published_at, language FROM articles WHERE {condition}"
            " AND seq > ? ORDER BY seq LIMIT ?",
            [*params, after, limit],
        ).fetchall()
        return [(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows]

    def annotation_rows(
        self, article_ids: Sequence[str], version: str | None
    ) -> list[tuple[int, str, str, str | None, str | None]]:
        """:meth:`unannotated` for these articles, in the order given (those annotated
        already, by ``version`` when given, are left out)."""
        condition = "annotator IS NULL" if version is None else "annotator IS NOT ?"
        params: list[object] = [] if version is None else [version]
        marks = ",".join("?" * len(article_ids))
        rows = self._connection.execute(
            f"SELECT seq, id, text, published_at, language FROM articles WHERE {condition}"
            f" AND id IN ({marks})",
            [*params, *article_ids],
        ).fetchall()
        found = {r[1]: (int(r[0]), r[1], r[2], r[3], r[4]) for r in rows}
        return [found[article_id] for article_id in article_ids if article_id in found]

    def unannotated_ids(self) -> set[str]:
        """The ids of the articles with no annotations (never annotated, or failed)."""
        rows = self._connection.execute("SELECT id FROM articles WHERE annotator IS NULL")
        return {row[0] for row in rows}

    def count_unannotated(self, version: str | None) -> int:
        condition = "annotator IS NULL" if version is None else "annotator IS NOT ?"
        params = [] if version is None else [version]
        row = self._connection.execute(
            f"SELECT count(*) FROM articles WHERE {condition}", params
        ).fetchone()
        return int(row[0])

    def count_annotated_by_other(self, major: str) -> int:
        """Articles annotated by another annotator version than ``major`` (``"2"``)."""
        row = self._connection.execute(
            "SELECT count(*) FROM articles WHERE annotator IS NOT NULL AND annotator NOT LIKE ?",
            [f"{major}+%"],
        ).fetchone()
        return int(row[0])

    def save_annotations(self, article_id: str, annotations: Annotations, annotator: str) -> None:
        """Store an article's annotations and the annotator version that made them; an
        earlier failure is forgotten (``annotation_error`` cleared)."""
        payload = json.dumps(annotations, ensure_ascii=False)
        self._connection.execute(
            "UPDATE articles SET annotations = ?, annotator = ?, annotation_error = NULL"
            " WHERE id = ?",
            (payload, annotator, article_id),
        )

    def save_annotation_failure(self, article_id: str, error: str) -> None:
        """Record that annotating an article failed (``error``: the exception's type and
        message). It keeps no annotations and no annotator, so it stays among the
        :meth:`unannotated` ones and every later run retries it."""
        self._connection.execute(
            "UPDATE articles SET annotations = NULL, annotator = NULL, annotation_error = ?"
            " WHERE id = ?",
            (error, article_id),
        )

    def quarantine(self, rejected: Rejected) -> None:
        """Record a bad input; seeing it again bumps its attempt count instead of adding a row."""
        now = _now()
        self._connection.execute(
            "INSERT INTO quarantine (source, record, code, reason, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, record, code) DO UPDATE SET"
            " reason = excluded.reason, last_seen = excluded.last_seen, attempts = attempts + 1",
            (rejected.source, rejected.record or 0, rejected.code, rejected.reason, now, now),
        )

    def release(self, source: str, record: int | None) -> None:
        """Forget quarantine entries of an input that has now been ingested."""
        self._connection.execute(
            "DELETE FROM quarantine WHERE source = ? AND record = ?", (source, record or 0)
        )

    def release_codes(self, source: str, codes: Sequence[str]) -> None:
        """Forget every quarantine entry of ``source`` with one of ``codes``, whatever its
        record (the damage of an archive, once the whole file has been read)."""
        marks = ", ".join("?" for _ in codes)
        self._connection.execute(
            f"DELETE FROM quarantine WHERE source = ? AND code IN ({marks})", (source, *codes)
        )

    def title_of(self, article_id: str) -> str | None:
        """A stored article's current title (None: it has none, or no such article)."""
        row = self._connection.execute(
            "SELECT title FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else row[0]

    def revisions(self, article_id: str) -> list[Revision]:
        """The texts an article has had, oldest first (by when the outlet served them,
        else when they were read); empty for an article never seen changed."""
        rows = self._connection.execute(
            "SELECT number, content_hash, title, text, fetched_at, seen_at, source"
            " FROM article_revisions WHERE article = ?",
            (article_id,),
        ).fetchall()
        found = [Revision(*row) for row in rows]
        return sorted(found, key=lambda r: (r.when, r.number))

    def revised(self, article_ids: Sequence[str]) -> set[str]:
        """Which of these articles have revisions (were seen changed), in one query a
        500 ids."""
        found: set[str] = set()
        for start in range(0, len(article_ids), 500):
            chunk = list(article_ids[start : start + 500])
            rows = self._connection.execute(
                "SELECT DISTINCT article FROM article_revisions"
                f" WHERE article IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            found.update(str(row[0]) for row in rows)
        return found

    def add_revision(self, article_id: str, revision: Revision) -> None:
        """Record a text of an article; the first call also records the text it had
        (revision 1, from the article row), so the list always starts at the original."""
        if not self._connection.execute(
            "SELECT 1 FROM article_revisions WHERE article = ? LIMIT 1", (article_id,)
        ).fetchone():
            self._connection.execute(
                "INSERT INTO article_revisions (article, number, content_hash, title, text,"
                " fetched_at, seen_at, source) SELECT id, 1, content_hash, title, text,"
                " json_extract(extra, '$.fetched_at'), ingested_at, source FROM articles"
                " WHERE id = ?",
                (article_id,),
            )
        number = self._connection.execute(
            "SELECT coalesce(max(number), 0) + 1 FROM article_revisions WHERE article = ?",
            (article_id,),
        ).fetchone()[0]
        # what a report says about edits reads the revisions: the story's revision moves
        self._connection.execute(
            "UPDATE stories SET revision = revision + 1"
            " WHERE id = (SELECT story FROM story_articles WHERE article = ?)",
            (article_id,),
        )
        self._connection.execute(
            "INSERT INTO article_revisions (article, number, content_hash, title, text,"
            " fetched_at, seen_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                number,
                revision.content_hash,
                revision.title,
                revision.text,
                revision.fetched_at,
                revision.seen_at,
                revision.source,
            ),
        )

    def replace_text(
        self,
        article_id: str,
        *,
        title: str | None,
        text: str,
        content_key: str,
        signature: np.ndarray,
        bands: Sequence[int],
        old_bands: Sequence[int],
    ) -> None:
        """Make a revision the article's current text: its near-duplicate keys follow
        (``old_bands``: the keys of the text it replaces, removed by primary key),
        and its annotations are dropped so that the next annotate run reads the new text
        (the full-text index and the story's revision follow by trigger)."""
        self._connection.execute(
            "UPDATE articles SET title = coalesce(?, title), text = ?, content_hash = ?,"
            " signature = ?, annotations = NULL, annotator = NULL, annotation_error = NULL"
            " WHERE id = ?",
            (title, text, content_key, signature.astype(np.uint32).tobytes(), article_id),
        )
        seq = self._connection.execute(
            "SELECT seq FROM articles WHERE id = ?", (article_id,)
        ).fetchone()[0]
        self._connection.executemany(
            "DELETE FROM lsh_bands WHERE band = ? AND key = ? AND article = ?",
            [(band, key, seq) for band, key in enumerate(old_bands)],
        )
        self._connection.executemany(
            "INSERT OR IGNORE INTO lsh_bands (band, key, article) VALUES (?, ?, ?)",
            [(band, key, seq) for band, key in enumerate(bands)],
        )

    def signature_of(self, article_id: str) -> np.ndarray | None:
        """The MinHash signature stored with an article."""
        row = self._connection.execute(
            "SELECT signature FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else np.frombuffer(row[0], dtype=np.uint32)

    def annotator_of(self, article_id: str) -> str | None:
        """The annotator version that made an article's annotations (None: not annotated)."""
        row = self._connection.execute(
            "SELECT annotator FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else row[0]

    def content_key(self, article_id: str) -> str | None:
        """The content hash stored with an article (``None``: no such article), to tell
        whether a text seen again under a stored id has changed."""
        row = self._connection.execute(
            "SELECT content_hash FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def input_progress(self, source: str) -> InputProgress | None:
        """How far ingest has read the archive file ``source`` (its resolved path)."""
        row = self._connection.execute(
            "SELECT source, size, mtime_ns, offset, complete, articles, updated"
            " FROM input_progress WHERE source = ?",
            (source,),
        ).fetchone()
        if row is None:
            return None
        return InputProgress(row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6])

    def save_input_progress(
        self,
        source: str,
        *,
        size: int,
        mtime_ns: int,
        offset: int,
        complete: bool,
        articles: int,
    ) -> None:
        """Record how far an archive file has been read. Called inside the transaction
        that stores the articles before ``offset``, so both are committed or neither."""
        self._connection.execute(
            "INSERT INTO input_progress (source, size, mtime_ns, offset, complete, articles,"
            " updated) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET"
            " size = excluded.size, mtime_ns = excluded.mtime_ns, offset = excluded.offset,"
            " complete = excluded.complete, articles = excluded.articles,"
            " updated = excluded.updated",
            (source, size, mtime_ns, offset, int(complete), articles, _now()),
        )

    def start_run(self) -> int:
        with self.transaction():
            cursor = self._connection.execute("INSERT INTO runs (started_at) VALUES (?)", (_now(),))
        return int(cursor.lastrowid or 0)

    def copies_in_run(self, run: int) -> tuple[int, int]:
        """How many of the articles a run stored are now duplicates and wire copies."""
        row = self._connection.execute(
            "SELECT count(duplicate_of), count(wire_of) FROM articles WHERE run = ?", (run,)
        ).fetchone()
        return int(row[0]), int(row[1])

    def finish_run(self, run: int, summary: dict[str, Any]) -> None:
        with self.transaction():
            self._connection.execute(
                "UPDATE runs SET finished_at = ?, summary = ? WHERE id = ?",
                (_now(), json.dumps(summary), run),
            )

    # -- reading --------------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        row = self._connection.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return _article(row) if row else None

    def articles(
        self,
        *,
        outlet: str | None = None,
        search: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Article]:
        """Articles in ingest order, optionally filtered by outlet (under any of its
        spellings: "The Meridian Wire", "meridianwire.example", a url on its domain, "MERIDIAN
        WIRE NEWS") or a full-text query. What the store's pages teach about outlets is
        learned first, so ``outlet_name`` and the filter know a domain-only article's name."""
        learn_from(self._connection, str(self.path))
        where: list[str] = []
        params: list[object] = []
        if outlet is not None:
            spellings = stored_spellings(self._connection, outlet)
            where.append(f"a.outlet IN ({','.join('?' * len(spellings))})")
            params.extend(spellings)
        if search:
            where.append("a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(search)
        sql = f"SELECT {_qualified()} FROM articles a"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.seq LIMIT ? OFFSET ?"
        params.extend([-1 if limit is None else limit, offset])
        try:
            rows = self._connection.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if search and "fts5" in str(exc):
                raise UsageError("E041", search, str(exc)) from exc
            raise
        for row in rows:
            yield _article(row)

    def count_articles(self) -> int:
        return int(self._connection.execute("SELECT count(*) FROM articles").fetchone()[0])

    def quarantined(self) -> list[QuarantineEntry]:
        rows = self._connection.execute(
            "SELECT source, record, code, reason, first_seen, last_seen, attempts"
            " FROM quarantine ORDER BY source, record"
        ).fetchall()
        return [QuarantineEntry(r[0], r[1] or None, *r[2:]) for r in rows]


class Batch:
    """The open batch of :meth:`Store.batch`: a transaction begun at the first item and
    committed every ``every`` items."""

    def __init__(self, store: Store, every: int) -> None:
        self.store = store
        self.every = every
        self.pending = 0

    def begin(self) -> None:
        """Before an item's writes: take the lock if no transaction is open."""
        if self.pending == 0:
            self.store._begin()

    def step(self) -> None:
        """After an item's writes: commit when the batch is full."""
        self.pending += 1
        if self.pending >= self.every:
            self.commit()

    def commit(self) -> None:
        if self.pending:
            self.pending = 0  # committed or, when COMMIT fails, rolled back: none left open
            self.store._connection.execute("COMMIT")

    def rollback(self) -> None:
        self.pending = 0
        self.store._rollback()


_WRITE_FAILURES = {
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_IOERR: "the disk failed to write",
    sqlite3.SQLITE_READONLY: "the store is read-only",
    sqlite3.SQLITE_CANTOPEN: "the store cannot be opened for writing",
}


def write_failure(path: Path, exc: sqlite3.Error) -> ParallaxError | None:
    """E039 when SQLite could not write the store (disk full, an I/O error, a read-only
    file or folder), naming the store and the reason; None for any other error."""
    primary = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    reason = _WRITE_FAILURES.get(primary)
    if reason is None:
        return None
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
        reason = _readonly_reason(path) or reason
    return ParallaxError("E039", str(path), f"{reason}: {exc}")


def _remove_unborn(path: Path) -> None:
    """Remove a store this process created and could not give a schema (the disk filled
    during the first migration): an empty file would only make every later reader stop
    on E031. A file another writer has given a schema meanwhile is left alone."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as probe:
            version = probe.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error:
        version = 0
    if version == 0:
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            name.unlink(missing_ok=True)


def _readonly_reason(path: Path) -> str | None:
    """Which of the file, its folder and their file system cannot be written, when one
    cannot."""
    folder = path.resolve().parent
    if folder.is_dir() and os.statvfs(folder).f_flag & os.ST_RDONLY:
        return f"the file system of {folder} is mounted read-only"
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    if folder.is_dir() and not os.access(folder, os.W_OK):
        return f"its folder {folder} is read-only"
    return None


def _locked(path: Path, exc: sqlite3.DatabaseError) -> ParallaxError | None:
    """E033 when SQLite gave up waiting for another writer's lock, else None."""
    if "locked" not in str(exc) and "busy" not in str(exc):
        return None
    return ParallaxError("E033", str(path), f"waited {BUSY_TIMEOUT_MS // 1000} s: {exc}")


def _connect(target: str, uri: bool) -> sqlite3.Connection:
    connection = sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return connection


def _qualified() -> str:
    return ", ".join("a." + name.strip() for name in _ARTICLE_COLUMNS.split(","))


def _article(row: Sequence[Any]) -> Article:
    annotations = json.loads(row[12]) if row[12] else empty_annotations()
    return Article(
        id=row[0],
        outlet=row[1],
        url=row[2],
        title=row[3],
        author=row[4],
        published_at=row[5],
        language=row[6],
        source=row[7],
        text=row[8],
        duplicate_of=row[9],
        wire_of=row[10],
        extra=json.loads(row[11]),
        annotations=annotations,
        annotator=row[13],
    )
