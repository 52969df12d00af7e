"""``parallax check [--repair]``: a clean store passes; each kind of damage to derived data
is found by exactly its check, repaired, and the articles stay byte-identical."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from parallax.cli import app
from parallax.errors import ExitCode
from parallax.pipeline import (
    IngestOptions,
    annotate_store,
    check_store,
    cluster_store,
    ingest,
    refresh_reports,
)
from parallax.store import CHECKS, Store
from parallax.store.schema import MIGRATIONS

from .conftest import EXAMPLES

Corruption = Callable[[sqlite3.Connection], None]
REPAIRABLE_FIELDS = {"duplicate_of", "wire_of", "annotations", "annotator", "story"}
"""What repair may change in an exported article: copy pointers, annotations (and the
language detected from them), its story; never its text or metadata."""
ARTICLE_COLUMNS = (
    "seq, id, outlet, url, title, author, published_at, language, source, record, text,"
    " content_hash, similarity, extra, signature, ingested_at, run"
)


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example corpus ingested, annotated, folded into stories and compared, once."""
    db = tmp_path_factory.mktemp("check") / "corpus.db"
    with Store.open(db) as store:
        ingest([EXAMPLES / "corpus"], store, IngestOptions(manifest=EXAMPLES / "manifest.csv"))
        annotate_store(store)
        cluster_store(store)
        refresh_reports(store)
    return db


@pytest.fixture
def db(corpus_db: Path, tmp_path: Path) -> Path:
    """A private copy of the corpus store (SQLite's backup: the WAL is included)."""
    copy = tmp_path / "copy.db"
    with sqlite3.connect(corpus_db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    target.close()
    return copy


def run(db: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(
        app, ["check", *args, "--format", "json", "--db", str(db)], catch_exceptions=False
    )
    return result.exit_code, json.loads(result.stdout)


def failed(document: dict[str, Any], key: str = "checks") -> set[str]:
    return {check["name"] for check in document[key] if not check["ok"]}


def exported(db: Path, drop: set[str]) -> list[dict[str, Any]]:
    result = CliRunner().invoke(app, ["export", "--format", "jsonl", "--db", str(db)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    return [{k: v for k, v in record.items() if k not in drop} for record in records]


def stored_articles(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as connection:
        rows = connection.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY seq")
        found = rows.fetchall()
    connection.close()
    return found


def corrupt(db: Path, damage: Corruption) -> None:
    connection = sqlite3.connect(db, isolation_level=None)
    try:
        damage(connection)
    finally:
        connection.close()


def file_digests(db: Path) -> dict[str, str]:
    """Digests of the store and its write-ahead log (absent: empty, as any WAL reader may
    create it empty)."""
    files = [db, db.with_name(db.name + "-wal")]
    return {
        p.name: hashlib.sha256(p.read_bytes() if p.exists() else b"").hexdigest() for p in files
    }


# -- the damage ----------------------------------------------------------------------


def _one(connection: sqlite3.Connection, sql: str) -> Any:
    return connection.execute(sql).fetchone()


def delete_fts_row(connection: sqlite3.Connection) -> None:
    seq, title, text = _one(connection, "SELECT seq, title, text FROM articles LIMIT 1 OFFSET 2")
    connection.execute(
        "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
        (seq, title, text),
    )


def add_fts_row_of_no_article(connection: sqlite3.Connection) -> None:
    connection.execute(
        "INSERT INTO articles_fts (rowid, title, text) VALUES (999999, 'ghost', 'no such text')"
    )


def delete_band_rows(connection: sqlite3.Connection) -> None:
    seq = _one(connection, "SELECT seq FROM articles LIMIT 1 OFFSET 4")[0]
    connection.execute("DELETE FROM lsh_bands WHERE article = ? AND band < 3", (seq,))


def add_band_rows_of_no_article(connection: sqlite3.Connection) -> None:
    connection.execute("INSERT INTO lsh_bands (band, key, article) VALUES (0, 12345, 999999)")


def member_of_missing_article(connection: sqlite3.Connection) -> None:
    article = _one(connection, "SELECT article FROM story_articles LIMIT 1 OFFSET 1")[0]
    connection.execute(
        "UPDATE story_articles SET article = 'no-such-article' WHERE article = ?", (article,)
    )


def wire_of_missing_article(connection: sqlite3.Connection) -> None:
    connection.execute(
        "UPDATE articles SET wire_of = 'no-such-article' WHERE seq = (SELECT min(seq)"
        " FROM articles WHERE wire_of IS NULL AND duplicate_of IS NULL)"
    )


def break_annotation_span(connection: sqlite3.Connection) -> None:
    article_id, payload = _one(
        connection,
        "SELECT id, annotations FROM articles WHERE annotations LIKE '%\"mentions\": [{%' LIMIT 1",
    )
    annotations = json.loads(payload)
    start, end = annotations["mentions"][0]["span"]
    annotations["mentions"][0]["span"] = [start + 1, end + 1]
    connection.execute(
        "UPDATE articles SET annotations = ? WHERE id = ?", (json.dumps(annotations), article_id)
    )


def drop_trigger(connection: sqlite3.Connection) -> None:
    connection.execute("DROP TRIGGER story_revision_join")


def drop_index(connection: sqlite3.Connection) -> None:
    connection.execute("DROP INDEX articles_wire_of")


def earlier_edition_of_a_trigger(connection: sqlite3.Connection) -> None:
    """What stores made before migration 5's outlet trigger was rewritten hold."""
    connection.execute("DROP TRIGGER story_revision_outlet_name")
    connection.execute(
        "CREATE TRIGGER store_outlets_insert AFTER INSERT ON articles"
        " WHEN new.outlet IS NOT NULL AND NOT EXISTS (SELECT 1 FROM articles"
        " WHERE outlet = new.outlet AND seq != new.seq) BEGIN"
        " INSERT INTO store_meta (key, value) VALUES ('outlets_revision', '1')"
        " ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1; END"
    )


def change_article_count(connection: sqlite3.Connection) -> None:
    connection.execute("UPDATE stories SET article_count = article_count + 3 WHERE seq = 1")


def report_of_missing_story(connection: sqlite3.Connection) -> None:
    connection.execute(
        "INSERT INTO story_reports (story, version, conflicts, facts, corroborated, report,"
        " computed) VALUES ('s-gone', '3:0.1.0+abc', 0, 0, 0, '{}', '2026-01-01T00:00:00')"
    )


def bad_input_progress(connection: sqlite3.Connection) -> None:
    connection.execute(
        "INSERT INTO input_progress (source, size, mtime_ns, offset, complete, articles,"
        " updated) VALUES ('/gone/crawl.warc.gz', 100, 1, 500, 0, 3, '2026-01-01T00:00:00')"
    )


DAMAGE: dict[str, tuple[Corruption, str]] = {
    "fts_row_deleted": (delete_fts_row, "fts"),
    "fts_row_of_no_article": (add_fts_row_of_no_article, "fts"),
    "band_rows_deleted": (delete_band_rows, "lsh_bands"),
    "band_rows_of_no_article": (add_band_rows_of_no_article, "lsh_bands"),
    "member_of_missing_article": (member_of_missing_article, "story_members"),
    "wire_of_missing_article": (wire_of_missing_article, "copy_families"),
    "annotation_span_broken": (break_annotation_span, "annotations"),
    "trigger_dropped": (drop_trigger, "schema_objects"),
    "index_dropped": (drop_index, "schema_objects"),
    "trigger_of_an_earlier_edition": (earlier_edition_of_a_trigger, "schema_objects"),
    "article_count_changed": (change_article_count, "story_counts"),
    "report_of_missing_story": (report_of_missing_story, "story_reports"),
    "input_progress_past_its_file": (bad_input_progress, "input_progress"),
}


# -- tests ---------------------------------------------------------------------------


def test_check_clean_corpus_store_passes_every_check(db: Path) -> None:
    code, document = run(db)
    assert code == ExitCode.OK
    assert document["schema"] == "parallax.check/1" and document["ok"] is True
    assert [check["name"] for check in document["checks"]] == list(CHECKS)
    assert failed(document) == set()


@pytest.mark.parametrize("damage", DAMAGE, ids=str)
def test_check_finds_exactly_the_damage_and_repair_fixes_it(db: Path, damage: str) -> None:
    corruption, name = DAMAGE[damage]
    drop = REPAIRABLE_FIELDS | ({"language"} if name == "annotations" else set())
    articles, records = stored_articles(db), exported(db, drop)
    corrupt(db, corruption)

    code, found = run(db)
    assert code == ExitCode.INPUT_FAILED
    assert failed(found) == {name}
    problem = next(check for check in found["checks"] if check["name"] == name)
    assert problem["count"] >= 1 and problem["examples"] and problem["repairable"]

    code, repaired = run(db, "--repair")
    assert code == ExitCode.OK, repaired
    assert failed(repaired, "before") == {name}
    assert [done["name"] for done in repaired["repaired"]] == [name]
    assert failed(repaired) == set()

    assert run(db) == (ExitCode.OK, {**found, "ok": True, "checks": repaired["checks"]})
    assert stored_articles(db) == articles
    assert exported(db, drop) == records


def test_check_repair_clears_broken_annotations_for_annotate_to_redo(db: Path) -> None:
    corrupt(db, break_annotation_span)
    run(db, "--repair")
    with Store.open_readonly(db) as store:
        assert store.count_unannotated(None) == 1


def test_check_never_writes_the_store(db: Path) -> None:
    corrupt(db, delete_band_rows)
    before = file_digests(db)
    assert run(db)[0] == ExitCode.INPUT_FAILED
    assert run(db, "--quick")[0] == ExitCode.INPUT_FAILED
    assert file_digests(db) == before


def test_check_repair_leaves_what_it_cannot_fix_and_says_so(db: Path) -> None:
    """A revision table that disagrees with the article is stored data: reported, kept."""
    corrupt(
        db,
        lambda connection: connection.execute(
            "INSERT INTO article_revisions (article, number, content_hash, text, seen_at,"
            " source) SELECT id, 1, 'other', 'another text', ingested_at, source FROM articles"
            " LIMIT 1"
        ),
    )
    result = CliRunner().invoke(app, ["check", "--repair", "--db", str(db)])
    assert result.exit_code == ExitCode.INPUT_FAILED
    assert "E038" in result.stderr and "article_revisions" in result.stderr
    assert "article_revisions" in result.stdout


def test_check_text_table_names_each_check_and_the_error(db: Path) -> None:
    corrupt(db, drop_trigger)
    result = CliRunner().invoke(app, ["check", "--db", str(db)])
    assert result.exit_code == ExitCode.INPUT_FAILED
    assert all(name in result.stdout for name in CHECKS)
    assert "story_revision_join" in result.stdout
    assert "E036" in result.stderr


def test_check_reports_progress_for_every_article(db: Path) -> None:
    seen: list[int] = []
    with Store.open_readonly(db) as store:
        findings = check_store(store, progress=seen.append)
        assert sum(seen) == store.count_articles() > 0
    assert all(finding.ok for finding in findings)


def test_check_a_missing_store_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == ExitCode.USAGE
    assert not (tmp_path / "none.db").exists()


def test_check_an_older_schema_is_migrated_by_repair(tmp_path: Path) -> None:
    """A store a migration behind: only ``schema_version`` fails (the objects of its own
    version are all there), and --repair, which opens it for writing, migrates it."""
    db = tmp_path / "old.db"
    connection = sqlite3.connect(db, isolation_level=None)
    for version, statements in MIGRATIONS[:-1]:
        for statement in statements:
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {version}")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.close()
    code, found = run(db)
    assert code == ExitCode.INPUT_FAILED and failed(found) == {"schema_version"}
    code, repaired = run(db, "--repair")
    assert code == ExitCode.OK and failed(repaired) == set()
