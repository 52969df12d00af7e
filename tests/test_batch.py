"""Batches on Dask: shards made where the data is, loaded by one writer, and a store that
equals a plain ``parallax ingest`` of the same inputs, whatever was killed on the way."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

import itertools

from parallax.batch import plan, run_batch
from parallax.cli import app
from parallax.model import Metadata
from parallax.pipeline import read_input
from parallax.settings import Settings

from .conftest import EXAMPLES, article_text, write

CORPUS = [str(EXAMPLES / "corpus"), "--manifest", str(EXAMPLES / "manifest.csv")]
SMALL = ["--partition-mb", "0.004"]  # 4 KB: many shards, JSONL files cut at line starts
WHEN = {"ingested_at", "created", "updated", "first_seen", "last_seen", "seq", "computed"}
"""Columns that record when something was stored (or the order of a rowid): not results."""
TABLES = ("articles", "lsh_bands", "story_articles", "stories", "quarantine", "story_reports")


def contents(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the result tables, without the columns that say when."""
    found = {}
    with sqlite3.connect(db) as conn:
        for table in TABLES:
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            kept = [c for c in columns if c not in WHEN]
            rows = conn.execute(f"SELECT {', '.join(kept)} FROM {table}").fetchall()
            found[table] = sorted(rows, key=repr)
    return found


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Any, ...]]]:
    db = tmp_path_factory.mktemp("plain") / "plain.db"
    invoke("ingest", *CORPUS, "--db", str(db))
    return contents(db)


def test_batch_local_2_gives_exactly_the_store_of_a_plain_ingest(
    tmp_path: Path, plain: dict[str, list[tuple[Any, ...]]]
) -> None:
    shards, db = tmp_path / "shards", tmp_path / "batch.db"
    result = invoke("batch", *CORPUS, *SMALL, "--out", str(shards), "--local", "2",
                    "--db", str(db))  # fmt: skip
    assert "15 shard(s)" in result.output
    found = contents(db)
    assert found["articles"] and all(row for row in found["articles"])
    for table in TABLES:
        assert found[table] == plain[table], table
    # the annotations were made by the tasks, not by the load
    assert "0 annotated here" in result.output

    again = invoke("batch", *CORPUS, *SMALL, "--out", str(shards), "--local", "1", "--db", str(db))
    assert "0 made" in again.output and "15 already whole" in again.output
    assert "0 new article(s)" in again.output and "20 already stored" in again.output
    assert contents(db) == found  # nothing stored twice


def test_a_truncated_shard_is_detected_and_made_again(
    tmp_path: Path, plain: dict[str, list[tuple[Any, ...]]]
) -> None:
    shards = tmp_path / "shards"
    invoke("batch", *CORPUS, *SMALL, "--out", str(shards))
    parts = sorted(shards.glob("part-*.parquet"))
    cut, kept = parts[3], parts[4]
    kept_time = kept.stat().st_mtime_ns
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])  # as a kill mid-write leaves it
    load = CliRunner().invoke(app, ["load", str(shards), "--db", str(tmp_path / "early.db")])
    assert load.exit_code == 1 and "E089" in load.output and cut.name in load.output

    again = invoke("batch", *CORPUS, *SMALL, "--out", str(shards), "--format", "json")
    summary = json.loads(again.stdout)
    assert (summary["shards_made"], summary["shards_kept"]) == (1, 14)
    assert kept.stat().st_mtime_ns == kept_time  # whole shards are not made again
    invoke("load", str(shards), "--db", str(tmp_path / "store.db"))
    assert contents(tmp_path / "store.db") == plain


def test_a_killed_worker_then_a_rerun_gives_the_same_store_with_no_duplicate(
    tmp_path: Path, plain: dict[str, list[tuple[Any, ...]]]
) -> None:
    from distributed import Client, LocalCluster

    from parallax.ingest import load_manifest

    shards = tmp_path / "shards"
    manifest = load_manifest(EXAMPLES / "manifest.csv")
    settings = Settings.from_env()
    killed: list[int] = []
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                     host="127.0.0.1") as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        pids = list(client.run(os.getpid).values())

        def kill_once(result: object) -> None:
            if not killed:
                killed.append(pids[0])
                os.kill(pids[0], signal.SIGKILL)  # its nanny starts another; tasks move on

        try:
            run_batch([str(EXAMPLES / "corpus")], str(shards), settings=settings,
                      manifest=manifest, partition_bytes=4096, client=client,
                      progress=kill_once)  # fmt: skip
        except Exception as error:  # a task lost with the worker: the rerun makes it
            assert "E087" in str(error)
    assert killed
    summary = run_batch([str(EXAMPLES / "corpus")], str(shards), settings=settings,
                        manifest=manifest, partition_bytes=4096, local=1)  # fmt: skip
    assert summary.shards_made + summary.shards_kept == summary.partitions == 15
    db = tmp_path / "store.db"
    invoke("load", str(shards), "--db", str(db))
    assert contents(db) == plain


def test_jsonl_cut_at_line_starts_reads_every_record_once_with_its_number(
    tmp_path: Path,
) -> None:
    lines = [
        json.dumps({"outlet": "Wire", "text": article_text(40, f"cut-{i}")}) for i in range(60)
    ]
    lines.insert(10, "")
    lines.insert(20, "{broken")
    path = write(tmp_path / "big.jsonl", "\n".join(lines) + "\n")
    settings = Settings.from_env()
    partitions, _ = plan([str(path)], user=Metadata(), manifest={}, shaping={},
                         partition_bytes=3000)  # fmt: skip
    pieces = [piece for partition in partitions for piece in partition.pieces]
    assert len(pieces) > 3
    assert pieces[0].start == 0 and pieces[-1].end == path.stat().st_size
    assert all(a.end == b.start for a, b in itertools.pairwise(pieces))
    from parallax.pipeline import read_part

    cut = [
        (r.source, r.record, getattr(r, "text", None) or getattr(r, "code", None))
        for piece in pieces
        for r in read_part(path, settings, start=piece.start, end=piece.end, first=piece.first)
    ]
    whole = [
        (r.source, r.record, getattr(r, "text", None) or getattr(r, "code", None))
        for r in read_input(path, settings)
    ]
    assert cut == whole and len(whole) == 61


def test_a_shard_is_parquet_a_warehouse_and_ingest_read_as_they_are(
    tmp_path: Path, plain: dict[str, list[tuple[Any, ...]]]
) -> None:
    import pyarrow.parquet as pq

    shards = tmp_path / "shards"
    invoke("batch", *CORPUS, "--out", str(shards))
    (part,) = shards.glob("part-*.parquet")
    table = pq.read_table(part)
    assert {"id", "outlet", "url", "title", "published_at", "text", "annotations"} <= set(
        table.column_names
    )
    assert table.num_rows == 20
    # a shard as the input of a plain ingest: the same articles
    db = tmp_path / "from-parquet.db"
    invoke("ingest", str(part), "--no-annotate", "--no-cluster", "--db", str(db))
    with sqlite3.connect(db) as conn:
        ids = sorted(row[0] for row in conn.execute("SELECT id FROM articles"))
    assert ids == sorted(row[0] for row in plain["articles"])


def test_batch_task_quarantines_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """Regression: a file whose name is not UTF-8 failed its whole task (E087: pyarrow
    cannot hold the name); it is a rejected row (E014) and the partition's shard is made."""
    import pyarrow.parquet as pq

    from parallax.batch import run_task

    folder = tmp_path / "in"
    write(folder / "good.txt", "Storm\n\n" + article_text(60, "storm"))
    bad = Path(os.fsdecode(os.fsencode(folder) + b"/bad\xff.txt"))
    bad.write_text("Flood\n\n" + article_text(60, "flood"), encoding="utf-8")
    partitions, _ = plan([str(folder)], user=Metadata(), manifest={}, shaping={})
    [partition] = partitions
    (tmp_path / "shards").mkdir()  # as run_batch makes it
    done = run_task(partition, str(tmp_path / "shards"), Settings.from_env())
    assert (done.articles, done.rejected, done.made) == (1, 1, True)
    rows = pq.read_table(tmp_path / "shards" / partition.shard).to_pylist()
    [rejected] = [row for row in rows if row["kind"] == "rejected"]
    assert rejected["code"] == "E014" and rejected["source"].endswith("bad\\xff.txt")
