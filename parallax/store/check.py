"""``parallax check``: is a store what Parallax wrote, and can what it derived be rebuilt?

SQLite's own integrity check says whether the file is sound; the checks here say whether
Parallax's invariants hold: every article once, a full-text row and near-duplicate keys
for each, copy families and story members that point at stored rows, kept reports of live
stories, annotation spans that round-trip, the schema the migrations make. Each check is
a small function returning one :class:`Finding`; the per-article ones share one streaming
pass over the articles, so a store of any size is read in flat memory.

Repairs rebuild only data derived from the stored articles (the full-text index, the
near-duplicate keys, story rows, kept reports, annotations, schema indexes and triggers),
each in its own transaction; an article's text and metadata are never written.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import numpy as np

from parallax.model import ANNOTATION_KEYS
from parallax.settings import Settings
from parallax.store.db import Store
from parallax.store.schema import LATEST, MIGRATIONS

BandKeys = Callable[[np.ndarray, int], Sequence[int]]
"""How an article's near-duplicate index keys are made from its signature (ingest's
``band_keys``); passed in, since the store does not know how ingest hashes."""

Advance = Callable[[int], None]
"""Told how many more articles the per-article checks have read (a progress bar)."""

EXAMPLES = 5
"""Example ids kept per check: enough to look at, few enough to print."""

SPAN_KEYS = ("span", "speaker_span", "cue_span", "clause")
_PASS_ROWS = 200
"""Articles read per step of the per-article pass: bounds memory and query parameters."""
_REPORT_VERSION = re.compile(r"^\d+:\S+$")
_CHECK_FTS = "parallax_check_fts"
_CHECK_BANDS = "parallax_check_bands"


@dataclass(frozen=True)
class Finding:
    """What one check found: ``count`` problems (0: the invariant holds), a few example
    ids, and whether :func:`repair_derived` can fix them (``repair`` says how, or why not)."""

    name: str
    about: str
    count: int = 0
    examples: tuple[str, ...] = ()
    repairable: bool = False
    repair: str = ""

    @property
    def ok(self) -> bool:
        return self.count == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "count": self.count,
            "examples": list(self.examples),
            "repairable": self.repairable and not self.ok,
            "about": self.about,
            "repair": self.repair,
        }


@dataclass(frozen=True)
class Repair:
    """What one repair did: ``count`` rows rebuilt, removed or cleared."""

    name: str
    count: int
    done: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Tally:
    count: int = 0
    examples: list[str] = field(default_factory=list)
    matched: int = 0
    """Rows found as expected (the near-duplicate keys: what is left over is extra)."""

    def add(self, example: str, count: int = 1) -> None:
        self.count += count
        if len(self.examples) < EXAMPLES:
            self.examples.append(example)


@dataclass(frozen=True)
class _Spec:
    name: str
    about: str
    repair: str
    repairable: bool


_SPECS = {
    spec.name: spec
    for spec in [
        _Spec(
            "integrity",
            "SQLite's integrity check of the file (pages, b-trees, indexes)",
            "not repaired: the file itself is damaged; restore a backup or recover with "
            "`sqlite3 FILE .recover`",
            False,
        ),
        _Spec(
            "schema_version",
            f"the schema version is {LATEST}, the latest this Parallax knows",
            "opening the store for writing applies the missing migrations",
            True,
        ),
        _Spec(
            "schema_objects",
            "every table, index and trigger the migrations create exists, as they make it, "
            "and no other trigger",
            "missing or changed indexes and triggers are created again, other triggers "
            "dropped; tables are not",
            True,
        ),
        _Spec(
            "articles_unique",
            "every article id is stored once",
            "not repaired: articles are never changed by repair",
            False,
        ),
        _Spec(
            "fts",
            "one full-text row per article, with the article's title and text",
            "the full-text index is rebuilt from the articles",
            True,
        ),
        _Spec(
            "lsh_bands",
            "each article's near-duplicate index rows are the keys of its stored signature",
            "the near-duplicate index is rebuilt from the stored signatures",
            True,
        ),
        _Spec(
            "annotations",
            "annotations are JSON and every span lies in the text and holds the item's text",
            "the article's annotations are cleared (derived data): `parallax annotate` redoes them",
            True,
        ),
        _Spec(
            "copy_families",
            "duplicate_of and wire_of point at another stored article",
            "dangling pointers are cleared (the article becomes its own origin)",
            True,
        ),
        _Spec(
            "story_members",
            "every story_articles row names a stored article and a stored story",
            "the rows are removed; an article left in no story joins one at the next "
            "`parallax ingest` (which clusters every article not yet in a story)",
            True,
        ),
        _Spec(
            "story_counts",
            "each story's article_count equals its members",
            "the counts are recomputed from the members",
            True,
        ),
        _Spec(
            "story_merges",
            "a merged story points at a stored story that is live (not merged itself)",
            "not repaired: the merge log is history; re-cluster into a new store",
            False,
        ),
        _Spec(
            "story_reports",
            "a kept report belongs to a stored story, is JSON and has a version REVISION:CODE",
            "the kept report is dropped; it is recomputed when next read",
            True,
        ),
        _Spec(
            "article_revisions",
            "an article's revisions are numbered 1..n, belong to a stored article, and its "
            "current text is one of them",
            "not repaired: revisions are stored texts, never changed by repair",
            False,
        ),
        _Spec(
            "input_progress",
            "archive read positions are within their files (0 <= offset <= size, counts >= 0)",
            "the row is removed: the next ingest reads the file from its start and recognises "
            "the articles already stored",
            True,
        ),
    ]
}

CHECKS = tuple(_SPECS)
"""The names of the checks, in the order they run and are reported."""


def _finding(name: str, tally: _Tally | None = None) -> Finding:
    spec = _SPECS[name]
    tally = tally or _Tally()
    return Finding(
        name, spec.about, tally.count, tuple(tally.examples), spec.repairable, spec.repair
    )


def _failed(name: str, exc: sqlite3.DatabaseError) -> Finding:
    """A check that could not run (a table missing, a damaged page) is a problem too."""
    spec = _SPECS[name]
    return Finding(name, spec.about, 1, (f"could not run: {exc}",), False, spec.repair)


# -- running ------------------------------------------------------------------------------


def check_invariants(
    store: Store,
    band_keys: BandKeys,
    *,
    quick: bool = False,
    progress: Advance | None = None,
) -> list[Finding]:
    """Every check, in :data:`CHECKS` order, on one consistent snapshot of the store (a
    single read transaction: a concurrent ingest is not seen half-way). ``quick``: SQLite's
    ``quick_check`` instead of the full ``integrity_check`` (no index-content check).
    Only temporary tables are written, so a read-only store stays byte-identical."""
    db = store._connection
    db.execute("BEGIN")
    try:
        found = {"integrity": _guard("integrity", partial(_integrity, db, quick))}
        for name, check in _TABLE_CHECKS.items():
            found[name] = _guard(name, partial(check, db))
        found.update(_article_pass(db, band_keys, progress))
    finally:
        db.execute("COMMIT")
    return [found[name] for name in CHECKS]


def _guard(name: str, check: Callable[[], Finding]) -> Finding:
    try:
        return check()
    except sqlite3.DatabaseError as exc:
        return _failed(name, exc)


def _integrity(db: sqlite3.Connection, quick: bool) -> Finding:
    pragma = "quick_check" if quick else "integrity_check"
    rows = [str(row[0]) for row in db.execute(f"PRAGMA {pragma}(100)")]
    tally = _Tally()
    for row in rows:
        if row != "ok":
            tally.add(row)
    return _finding("integrity", tally)


# -- the schema -----------------------------------------------------------------------


def expected_schema(version: int = LATEST) -> dict[tuple[str, str], str]:
    """``(type, name) -> SQL`` of every object the migrations up to ``version`` create, as
    SQLite keeps it (the migrations applied to an empty database in memory)."""
    db = sqlite3.connect(":memory:")
    try:
        for target, statements in MIGRATIONS:
            if target > version:
                break
            for statement in statements:
                db.execute(statement)
        return _schema(db)
    finally:
        db.close()


def _schema(db: sqlite3.Connection) -> dict[tuple[str, str], str]:
    rows = db.execute("SELECT type, name, sql FROM main.sqlite_master").fetchall()
    return {(kind, name): sql or "" for kind, name, sql in rows}


def _schema_differences(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """Objects the migrations up to the store's version make that it lacks or holds with
    other SQL (whitespace aside), and triggers they do not make (an earlier edition's,
    which would still fire); later migrations are ``schema_version``'s business. Extra
    indexes and tables (``sqlite_stat1``, a user's own index) change nothing and pass."""
    present = {key: " ".join(sql.split()) for key, sql in _schema(db).items()}
    expected = {k: " ".join(sql.split()) for k, sql in expected_schema(_store_version(db)).items()}
    differ = [key for key, sql in expected.items() if present.get(key) != sql]
    stray = [key for key in present if key[0] == "trigger" and key not in expected]
    return sorted(differ + stray)


def _store_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _check_schema_version(db: sqlite3.Connection) -> Finding:
    version = _store_version(db)
    tally = _Tally()
    if version != LATEST:
        tally.add(f"version {version}, expected {LATEST}")
    return _finding("schema_version", tally)


def _check_schema_objects(db: sqlite3.Connection) -> Finding:
    tally = _Tally()
    differences = _schema_differences(db)
    for kind, name in differences:
        tally.add(f"{kind} {name}", 1)
    fixable = all(kind in ("index", "trigger") for kind, _ in differences)
    return replace(_finding("schema_objects", tally), repairable=fixable)


# -- tables ---------------------------------------------------------------------------


def _rows(db: sqlite3.Connection, sql: str, params: Sequence[object] = ()) -> _Tally:
    """A tally of what ``sql`` selects: one problem per row, its first column the example."""
    tally = _Tally()
    for row in db.execute(sql, params):
        tally.add(str(row[0]))
    return tally


def _check_articles_unique(db: sqlite3.Connection) -> Finding:
    # NOT INDEXED: read the table itself, not the unique index that should guarantee it
    tally = _Tally()
    for article_id, copies in db.execute(
        "SELECT id, count(*) FROM articles NOT INDEXED GROUP BY id HAVING count(*) > 1"
    ):
        tally.add(f"{article_id} ({copies} rows)", copies - 1)
    return _finding("articles_unique", tally)


def _check_copy_families(db: sqlite3.Connection) -> Finding:
    return _finding("copy_families", _rows(db, _DANGLING_COPIES))


_DANGLING_COPIES = " UNION ALL ".join(
    f"SELECT id || ' {column} ' || {column} FROM articles a WHERE {column} IS NOT NULL"
    f" AND ({column} = id OR NOT EXISTS (SELECT 1 FROM articles o WHERE o.id = a.{column}))"
    for column in ("duplicate_of", "wire_of")
)


def _check_story_members(db: sqlite3.Connection) -> Finding:
    return _finding(
        "story_members",
        _rows(
            db,
            "SELECT sa.article || ' in ' || sa.story FROM story_articles sa"
            " WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = sa.article)"
            " OR NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = sa.story)",
        ),
    )


def _check_story_counts(db: sqlite3.Connection) -> Finding:
    tally = _Tally()
    for story, stored, members in db.execute(_COUNTS):
        tally.add(f"{story} ({stored}, members {members})")
    return _finding("story_counts", tally)


_COUNTS = (
    "SELECT s.id, s.article_count, coalesce(m.n, 0) FROM stories s LEFT JOIN (SELECT story,"
    " count(*) AS n FROM story_articles GROUP BY story) m ON m.story = s.id"
    " WHERE s.article_count != coalesce(m.n, 0)"
)


def _check_story_merges(db: sqlite3.Connection) -> Finding:
    return _finding(
        "story_merges",
        _rows(
            db,
            "SELECT s.id || ' -> ' || s.merged_into FROM stories s"
            " LEFT JOIN stories t ON t.id = s.merged_into WHERE s.merged_into IS NOT NULL"
            " AND (t.id IS NULL OR t.merged_into IS NOT NULL OR t.id = s.id)",
        ),
    )


def _check_story_reports(db: sqlite3.Connection) -> Finding:
    tally = _Tally()
    for story, version, gone, valid in db.execute(_REPORTS):
        if gone or not valid or not _REPORT_VERSION.match(str(version)):
            tally.add(f"{story} ({'story gone' if gone else 'malformed'})")
    return _finding("story_reports", tally)


_REPORTS = (
    "SELECT r.story, r.version, NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = r.story),"
    " json_valid(r.report) FROM story_reports r"
)


def _check_article_revisions(db: sqlite3.Connection) -> Finding:
    tally = _rows(
        db,
        "SELECT a.id || ' (current text in no revision)' FROM articles a"
        " WHERE EXISTS (SELECT 1 FROM article_revisions r WHERE r.article = a.id)"
        " AND NOT EXISTS (SELECT 1 FROM article_revisions r WHERE r.article = a.id"
        " AND r.content_hash = a.content_hash)",
    )
    for article, problem in db.execute(
        "SELECT article, CASE WHEN NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = article)"
        " THEN 'article gone' ELSE 'numbers ' || group_concat(number) END"
        " FROM article_revisions NOT INDEXED GROUP BY article"
        " HAVING min(number) != 1 OR max(number) != count(*)"
        " OR count(DISTINCT number) != count(*)"
        " OR NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = article)"
    ):
        tally.add(f"{article} ({problem})")
    return _finding("article_revisions", tally)


def _check_input_progress(db: sqlite3.Connection) -> Finding:
    return _finding(
        "input_progress", _rows(db, f"SELECT source FROM input_progress {_BAD_PROGRESS}")
    )


_BAD_PROGRESS = (
    "WHERE size < 0 OR offset < 0 OR offset > size OR articles < 0 OR complete NOT IN (0, 1)"
    " OR (complete = 1 AND offset != size)"
)

_TABLE_CHECKS: dict[str, Callable[[sqlite3.Connection], Finding]] = {
    "schema_version": _check_schema_version,
    "schema_objects": _check_schema_objects,
    "articles_unique": _check_articles_unique,
    "copy_families": _check_copy_families,
    "story_members": _check_story_members,
    "story_counts": _check_story_counts,
    "story_merges": _check_story_merges,
    "story_reports": _check_story_reports,
    "article_revisions": _check_article_revisions,
    "input_progress": _check_input_progress,
}


# -- the per-article pass -----------------------------------------------------------------


def _article_rows(db: sqlite3.Connection, columns: str) -> Iterator[list[tuple[Any, ...]]]:
    """The articles in ``seq`` order, :data:`_PASS_ROWS` at a time (keyset paging: each
    step is its own short query, so nothing holds the whole table)."""
    after = -1
    while True:
        rows = db.execute(
            f"SELECT seq, {columns} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
            (after, _PASS_ROWS),
        ).fetchall()
        if not rows:
            return
        yield rows
        after = int(rows[-1][0])


def _article_pass(
    db: sqlite3.Connection, band_keys: BandKeys, progress: Advance | None
) -> dict[str, Finding]:
    """The checks that read every article (full-text rows, near-duplicate keys,
    annotation spans), in one pass."""
    tallies = {"fts": _Tally(), "lsh_bands": _Tally(), "annotations": _Tally()}
    failed: dict[str, Finding] = {}
    try:
        _fts_orphans(db, tallies["fts"])
        _create_check_fts(db)
    except sqlite3.DatabaseError as exc:
        failed["fts"] = _failed("fts", exc)
    try:
        bands = _band_count(db)
        db.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_CHECK_BANDS}"
            " (band INTEGER, key INTEGER, article INTEGER)"
        )
        for rows in _article_rows(db, "id, title, text, signature, annotations"):
            if "fts" not in failed:
                _fts_rows(db, rows, tallies["fts"])
            _band_rows(db, rows, band_keys, bands, tallies["lsh_bands"])
            for row in rows:
                _span_problem(row[1], row[3], row[5], tallies["annotations"])
            if progress:
                progress(len(rows))
        _band_leftovers(db, bands, tallies["lsh_bands"])
    except sqlite3.DatabaseError as exc:
        return {name: _failed(name, exc) for name in tallies}
    finally:
        db.execute(f"DROP TABLE IF EXISTS temp.{_CHECK_FTS}")
        db.execute(f"DROP TABLE IF EXISTS temp.{_CHECK_BANDS}")
    return {name: failed.get(name) or _finding(name, tally) for name, tally in tallies.items()}


def _band_count(db: sqlite3.Connection) -> int:
    """The LSH bands the stored keys were made with (recorded by ingest), else the setting."""
    row = db.execute("SELECT value FROM store_meta WHERE key = 'minhash_bands'").fetchone()
    return int(row[0]) if row else Settings.from_env().minhash_bands


def _fts_orphans(db: sqlite3.Connection, tally: _Tally) -> None:
    """Full-text rows of no article (an article's missing row is found per article)."""
    for (rowid,) in db.execute(
        "SELECT d.id FROM articles_fts_docsize d"
        " WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.seq = d.id)"
    ):
        tally.add(f"row {rowid} (no article)")


def _create_check_fts(db: sqlite3.Connection) -> None:
    """A temporary full-text table with the store's tokenizer but no content table: the
    articles are indexed into it step by step and each document's token counts compared
    with the store's (a row that went stale when the text changed without its trigger)."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]
    options = re.sub(r"content(_rowid)?\s*=\s*'[^']*'\s*,\s*", "", sql.split("(", 1)[1])
    db.execute(f"DROP TABLE IF EXISTS temp.{_CHECK_FTS}")
    db.execute(f"CREATE VIRTUAL TABLE temp.{_CHECK_FTS} USING fts5({options}")


def _fts_rows(db: sqlite3.Connection, rows: list[tuple[Any, ...]], tally: _Tally) -> None:
    db.execute(f"DELETE FROM temp.{_CHECK_FTS}")
    db.executemany(
        f"INSERT INTO temp.{_CHECK_FTS} (rowid, title, text) VALUES (?, ?, ?)",
        [(row[0], row[2], row[3]) for row in rows],
    )
    marks = ",".join("?" * len(rows))
    stored = dict(
        db.execute(
            f"SELECT id, sz FROM articles_fts_docsize WHERE id IN ({marks})",
            [row[0] for row in rows],
        ).fetchall()
    )
    made = dict(db.execute(f"SELECT id, sz FROM temp.{_CHECK_FTS}_docsize").fetchall())
    for row in rows:
        if row[0] not in stored:
            tally.add(f"{row[1]} (no row)")
        elif stored[row[0]] != made.get(row[0]):
            tally.add(f"{row[1]} (stale row)")


def _band_rows(
    db: sqlite3.Connection,
    rows: list[tuple[Any, ...]],
    band_keys: BandKeys,
    bands: int,
    tally: _Tally,
) -> None:
    """Count the articles of ``rows`` whose expected keys are not all stored."""
    expected = {
        row[0]: [(band, int(key)) for band, key in enumerate(band_keys(_signature(row[4]), bands))]
        for row in rows
    }
    db.execute(f"DELETE FROM temp.{_CHECK_BANDS}")
    db.executemany(
        f"INSERT INTO temp.{_CHECK_BANDS} (band, key, article) VALUES (?, ?, ?)",
        [(band, key, seq) for seq, keys in expected.items() for band, key in keys],
    )
    # one seek of the primary key per expected row (a row-value IN list is scanned)
    found = set(
        db.execute(
            f"SELECT e.band, e.key, e.article FROM temp.{_CHECK_BANDS} e"
            " JOIN lsh_bands b ON b.band = e.band AND b.key = e.key AND b.article = e.article"
        ).fetchall()
    )
    tally.matched += len(found)
    for row in rows:
        missing = sum((band, key, row[0]) not in found for band, key in expected[row[0]])
        if missing:
            tally.add(f"{row[1]} ({missing} of {bands} keys missing)")


def _signature(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.uint32)


def _band_leftovers(db: sqlite3.Connection, bands: int, tally: _Tally) -> None:
    """Rows beyond the expected ones: keys of no article, or stale keys of an article."""
    total = int(db.execute("SELECT count(*) FROM lsh_bands").fetchone()[0])
    extra = total - tally.matched
    if extra <= 0:
        return
    for seq, count in db.execute(
        "SELECT b.article, count(*) FROM lsh_bands b GROUP BY b.article HAVING count(*) > ?"
        " OR NOT EXISTS (SELECT 1 FROM articles a WHERE a.seq = b.article) LIMIT ?",
        (bands, EXAMPLES),
    ):
        tally.add(f"article seq {seq} ({count} rows)", 0)
    tally.count += extra


def _span_problem(article_id: str, text: str, payload: str | None, tally: _Tally) -> None:
    if payload is None:
        return
    problem = span_problem(text, payload)
    if problem:
        tally.add(f"{article_id} ({problem})")


def span_problem(text: str, payload: str) -> str | None:
    """Why stored annotations do not round-trip against ``text`` (None: they do)."""
    try:
        annotations = json.loads(payload)
    except ValueError:
        return "not JSON"
    if not isinstance(annotations, dict):
        return "not an object"
    for key in ANNOTATION_KEYS:
        items = annotations.get(key, [])
        if not isinstance(items, list):
            return f"{key} is not a list"
        for index, item in enumerate(items):
            problem = _item_problem(text, item)
            if problem:
                return f"{key}[{index}] {problem}"
    return None


def _item_problem(text: str, item: object) -> str | None:
    if not isinstance(item, dict):
        return "is not an object"
    for key in SPAN_KEYS:
        span = item.get(key)
        if span is None:
            continue
        if not _is_span(span, len(text)):
            return f"{key} {span!r} is outside the text"
    span = item.get("span")
    if span is not None and "text" in item and text[span[0] : span[1]] != item["text"]:
        return f"text {item['text']!r} is not the text at {span}"
    return None


def _is_span(span: object, length: int) -> bool:
    return (
        isinstance(span, list)
        and len(span) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in span)
        and 0 <= span[0] <= span[1] <= length
    )


# -- repairs --------------------------------------------------------------------------


def repair_derived(
    store: Store,
    findings: Sequence[Finding],
    band_keys: BandKeys,
    *,
    progress: Advance | None = None,
) -> list[Repair]:
    """Rebuild the derived data the failed, repairable ``findings`` are about, each repair
    in its own transaction, in dependency order (schema objects first, so the triggers
    that keep the rest current exist). ``store`` must be open for writing (opening it
    applied any missing migration). Articles' text, metadata and revisions are never
    written; repairs of checks that passed are not run."""
    failed = {f.name for f in findings if not f.ok and f.repairable}
    done = []
    for name, repair in _REPAIRS.items():
        if name in failed:
            with store.transaction():
                done.append(repair(store._connection, band_keys, progress))
    return done


def _repair_schema_version(db: sqlite3.Connection, *_: object) -> Repair:
    version = _store_version(db)
    return Repair("schema_version", 0, f"the store is at schema version {version}")


def _repair_schema_objects(db: sqlite3.Connection, *_: object) -> Repair:
    expected = expected_schema(_store_version(db))
    made, dropped = [], []
    for kind, name in _schema_differences(db):
        if kind in ("index", "trigger"):
            db.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
            if (kind, name) in expected:
                db.execute(expected[(kind, name)])
                made.append(f"{kind} {name}")
            else:
                dropped.append(f"{kind} {name}")
    done = [f"created again: {', '.join(made)}"] if made else []
    done += [f"dropped (no migration makes it): {', '.join(dropped)}"] if dropped else []
    return Repair("schema_objects", len(made) + len(dropped), "; ".join(done))


def _repair_fts(db: sqlite3.Connection, *_: object) -> Repair:
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
    count = int(db.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0])
    return Repair("fts", count, f"full-text index rebuilt: {count} articles")


def _repair_lsh_bands(
    db: sqlite3.Connection, band_keys: BandKeys, progress: Advance | None
) -> Repair:
    bands = _band_count(db)
    db.execute("DELETE FROM lsh_bands")
    count = 0
    for rows in _article_rows(db, "signature"):
        db.executemany(
            "INSERT OR IGNORE INTO lsh_bands (band, key, article) VALUES (?, ?, ?)",
            [
                (band, int(key), row[0])
                for row in rows
                for band, key in enumerate(band_keys(_signature(row[1]), bands))
            ],
        )
        count += len(rows)
        if progress:
            progress(len(rows))
    return Repair("lsh_bands", count, f"near-duplicate keys rebuilt: {count} articles")


def _repair_annotations(db: sqlite3.Connection, *_: object) -> Repair:
    cleared = []
    for rows in _article_rows(db, "id, text, annotations"):
        cleared += [r[1] for r in rows if r[3] is not None and span_problem(r[2], r[3])]
    db.executemany(
        "UPDATE articles SET annotations = NULL, annotator = NULL, annotation_error = NULL"
        " WHERE id = ?",
        [(article_id,) for article_id in cleared],
    )
    return Repair(
        "annotations",
        len(cleared),
        f"annotations cleared of {len(cleared)} articles: run `parallax annotate`",
    )


def _repair_copy_families(db: sqlite3.Connection, *_: object) -> Repair:
    count = 0
    for column in ("duplicate_of", "wire_of"):
        count += db.execute(
            f"UPDATE articles SET {column} = NULL WHERE {column} IS NOT NULL AND ({column} = id"
            f" OR NOT EXISTS (SELECT 1 FROM articles o WHERE o.id = articles.{column}))"
        ).rowcount
    return Repair("copy_families", count, f"dangling copy pointers cleared: {count}")


def _repair_story_members(db: sqlite3.Connection, *_: object) -> Repair:
    count = db.execute(
        "DELETE FROM story_articles WHERE NOT EXISTS (SELECT 1 FROM articles a"
        " WHERE a.id = story_articles.article) OR NOT EXISTS (SELECT 1 FROM stories s"
        " WHERE s.id = story_articles.story)"
    ).rowcount
    recount = _recount(db)
    return Repair(
        "story_members",
        count,
        f"story rows of missing articles or stories removed: {count}"
        f" (article counts of {recount} stories recomputed)",
    )


def _recount(db: sqlite3.Connection) -> int:
    return db.execute(
        "UPDATE stories SET article_count = (SELECT count(*) FROM story_articles sa"
        " WHERE sa.story = stories.id) WHERE article_count != (SELECT count(*)"
        " FROM story_articles sa WHERE sa.story = stories.id)"
    ).rowcount


def _repair_story_counts(db: sqlite3.Connection, *_: object) -> Repair:
    count = _recount(db)
    return Repair("story_counts", count, f"article counts recomputed: {count} stories")


def _repair_story_reports(db: sqlite3.Connection, *_: object) -> Repair:
    bad = [
        story
        for story, version, gone, valid in db.execute(_REPORTS).fetchall()
        if gone or not valid or not _REPORT_VERSION.match(str(version))
    ]
    db.executemany("DELETE FROM story_reports WHERE story = ?", [(s,) for s in bad])
    return Repair("story_reports", len(bad), f"kept reports dropped: {len(bad)}")


def _repair_input_progress(db: sqlite3.Connection, *_: object) -> Repair:
    count = db.execute(f"DELETE FROM input_progress {_BAD_PROGRESS}").rowcount
    return Repair("input_progress", count, f"archive read positions forgotten: {count}")


_REPAIRS: dict[str, Callable[[sqlite3.Connection, BandKeys, Advance | None], Repair]] = {
    "schema_version": _repair_schema_version,
    "schema_objects": _repair_schema_objects,
    "fts": _repair_fts,
    "lsh_bands": _repair_lsh_bands,
    "copy_families": _repair_copy_families,
    "story_members": _repair_story_members,
    "story_counts": _repair_story_counts,
    "story_reports": _repair_story_reports,
    "annotations": _repair_annotations,
    "input_progress": _repair_input_progress,
}
