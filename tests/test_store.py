"""The store: schema versions, refusing what it does not know, readers beside a writer, search."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from parallax.errors import ParallaxError
from parallax.pipeline import ingest
from parallax.store import Store
from parallax.store.schema import LATEST

from .conftest import article_text, write


def test_store_new_file_gets_the_latest_schema_in_wal_mode(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.schema_version == LATEST
        mode = store._connection.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_store_reopening_does_not_migrate_twice(db_path: Path) -> None:
    Store.open(db_path).close()
    with Store.open(db_path) as store:
        assert store.schema_version == LATEST


def test_store_refuses_a_newer_schema(db_path: Path) -> None:
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(ParallaxError) as caught:
        Store.open(db_path)
    assert caught.value.code == "E030"


def test_store_refuses_a_foreign_database(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE accounts (id INTEGER)")
    with pytest.raises(ParallaxError) as caught:
        Store.open(db_path)
    assert caught.value.code == "E031"


def test_store_refuses_a_file_that_is_not_sqlite(db_path: Path) -> None:
    db_path.write_bytes(b"this is not a database file at all" * 100)
    with pytest.raises(ParallaxError) as caught:
        Store.open(db_path)
    assert caught.value.code == "E031"


def test_store_reader_does_not_create_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParallaxError) as caught:
        Store.open_readonly(tmp_path / "missing.db")
    assert caught.value.code == "E031"
    assert not (tmp_path / "missing.db").exists()


def test_store_reader_sees_committed_articles_while_a_writer_holds_the_lock(
    tmp_path: Path, db_path: Path
) -> None:
    write(tmp_path / "a.txt", article_text(100, "first"))
    with Store.open(db_path) as writer:
        ingest([tmp_path / "a.txt"], writer)
        with Store.open_readonly(db_path) as reader, writer.transaction():
            writer._connection.execute("UPDATE articles SET title = 'changing'")
            (article,) = reader.articles()
            assert article.title is None
            with pytest.raises(sqlite3.OperationalError):
                reader._connection.execute("DELETE FROM articles")


def test_store_full_text_search_on_title_and_text(tmp_path: Path, db_path: Path) -> None:
    write(tmp_path / "a.txt", "Ferry capsizes\n\nA ferry capsized near Ostra harbour.")
    write(tmp_path / "b.txt", "Budget vote\n\nParliament approved the budget in Velmora.")
    with Store.open(db_path) as store:
        ingest([tmp_path], store)
        assert [a.title for a in store.articles(search="ferry")] == ["Ferry capsizes"]
        assert [a.title for a in store.articles(search="velmora")] == ["Budget vote"]
        assert [a.title for a in store.articles(search="vélmora")] == ["Budget vote"]
        assert list(store.articles(search="earthquake")) == []


def test_store_records_each_run(tmp_path: Path, db_path: Path) -> None:
    write(tmp_path / "a.txt", article_text(100, "run"))
    with Store.open(db_path) as store:
        ingest([tmp_path], store)
        ingest([tmp_path], store)
        rows = store._connection.execute("SELECT finished_at, summary FROM runs").fetchall()
    assert len(rows) == 2 and all(finished for finished, _ in rows)
    assert '"already_stored": 1' in rows[1][1]


def test_store_migrates_a_version_1_file_and_keeps_its_articles(db_path: Path) -> None:
    from parallax.store.schema import MIGRATIONS

    conn = sqlite3.connect(db_path)
    for statement in MIGRATIONS[0][1]:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO articles (id, source, text, content_hash, signature, ingested_at)"
        " VALUES ('old', 'a.txt', 'An old article.', 'h', x'00', '2026-01-01')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store.open(db_path) as store:
        assert store.schema_version == LATEST >= 2
        article = store.article("old")
    assert article is not None
    assert article.text == "An old article." and article.annotator is None
