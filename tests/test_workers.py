"""Annotation in worker processes: the store ends the same as with one process, a kill -9
of the writer leaves no worker behind and loses nothing, a killed worker is a clear error."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parallax import pipeline
from parallax.annotate import annotate_store
from parallax.annotate.run import (
    PRELOAD,
    WorkerPool,
    _annotate_batches,
    _split_tail,
    annotator_version,
)
from parallax.cli import app
from parallax.errors import ParallaxError, UsageError
from parallax.settings import Settings
from parallax.store import Store
from parallax.stories import cluster_store

from .conftest import EXAMPLES, article_text, write


def annotations_of(db: Path) -> list[tuple[str, str | None, str | None]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, annotator, annotations FROM articles ORDER BY id")
        return [(row[0], row[1], row[2]) for row in rows]


def stories_of(db: Path) -> list[tuple[str, str, int, str]]:
    """Every story membership: the article, its story, its position and its group."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT article, story, position, grp FROM story_articles ORDER BY article"
        )
        return [(row[0], row[1], row[2], row[3]) for row in rows]


def make_corpus(folder: Path, articles: int) -> None:
    lines = [
        json.dumps(
            {
                "outlet": f"Outlet {index % 5}",
                "published_at": f"2024-03-{1 + index % 20:02d}T08:00:00Z",
                "text": article_text(60, f"workers-{index}"),
            }
        )
        for index in range(articles)
    ]
    write(folder / "part.jsonl", "\n".join(lines) + "\n")


def test_workers_annotate_the_example_corpus_exactly_as_one_process(tmp_path: Path) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    for db in (one, two):
        result = CliRunner().invoke(
            app,
            ["ingest", str(EXAMPLES / "corpus"), "--manifest", str(EXAMPLES / "manifest.csv"),
             "--no-annotate", "--no-cluster", "--db", str(db)],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    for db, workers in ((one, 1), (two, 2)):
        with Store.open(db) as store:
            # small batches, so that both workers get several and finish out of order
            assert annotate_store(store, batch_size=3, workers=workers) == 20
    first = annotations_of(one)
    assert all(annotator and annotations for _, annotator, annotations in first)
    assert annotations_of(two) == first


def reports_of(db: Path) -> list[tuple[str, str, int, int, int, str]]:
    """Every kept story report: its story, version, counts and JSON text."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT story, version, conflicts, facts, corroborated, report FROM story_reports"
            " ORDER BY story"
        )
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


def test_ingest_with_two_workers_equals_one_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_corpus(tmp_path / "corpus", 140)  # more than two batches: the pool is used
    stored_at_start: dict[str, int] = {}
    start = WorkerPool.start

    def counted(pool: WorkerPool) -> WorkerPool:
        stored_at_start.setdefault(name, stored_count(db))
        return start(pool)

    monkeypatch.setattr(WorkerPool, "start", counted)
    results = {}
    # 2: the pool started by annotation, after the inputs are stored; 2-first: started
    # with the ingest (any input size), so it also compares the stories
    for name, workers, first_from in (("1", 1, 0), ("2", 2, 1 << 40), ("2-first", 2, 0)):
        monkeypatch.setattr(pipeline, "POOL_FROM_BYTES", first_from)
        db = tmp_path / f"w{name}.db"
        result = CliRunner().invoke(
            app, ["ingest", str(tmp_path / "corpus"), "--workers", str(workers), "--db", str(db)]
        )
        assert result.exit_code == 0, result.output
        assert "140 annotated" in result.output
        results[name] = (annotations_of(db), stories_of(db), reports_of(db))
    assert stored_at_start == {"2": 140, "2-first": 0}  # one process starts none
    assert results["2"] == results["1"]
    assert results["2-first"] == results["1"]
    assert len(results["1"][0]) == 140
    assert len(results["1"][1]) == 140  # every article is in a story
    assert results["1"][2], "no story of two articles: the comparison in workers is untested"


def test_input_bytes_count_what_ingest_reads_up_to_the_threshold(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", "x" * 1000)
    write(tmp_path / "b.txt", "x" * 500)
    write(tmp_path / "big.jsonl", "x" * 5000)  # over the cap below: refused unread
    write(tmp_path / "notes.bin", "x" * 700)  # a type ingest skips in a folder
    assert pipeline._input_bytes([tmp_path], cap=4000) == 1500
    assert pipeline._input_bytes([tmp_path / "notes.bin"], cap=4000) == 700  # named: read
    assert pipeline._input_bytes([tmp_path], cap=10_000) >= 6500


def test_ingest_workers_start_only_for_large_inputs_and_more_than_one(tmp_path: Path) -> None:
    write(tmp_path / "small.jsonl", "{}\n")
    settings = Settings.from_env()
    with pipeline.ingest_workers([tmp_path], 2, settings) as pool:
        assert pool is None  # a few bytes: annotation decides when it knows the count
    write(tmp_path / "large.jsonl", "x" * pipeline.POOL_FROM_BYTES)
    with pipeline.ingest_workers([tmp_path], 1, settings) as pool:
        assert pool is None


def test_a_killed_worker_is_a_clear_error_and_keeps_the_batches_before(tmp_path: Path) -> None:
    make_corpus(tmp_path / "corpus", 12)
    db = tmp_path / "store.db"
    args = ["ingest", str(tmp_path / "corpus"), "--no-annotate", "--no-cluster", "--db", str(db)]
    assert CliRunner().invoke(app, args).exit_code == 0
    with Store.open(db) as store, WorkerPool(1) as pool:
        pool.version()  # the worker is up
        written = []

        def kill_after_first(count: int) -> None:
            written.append(count)
            for process in list(pool._executor._processes.values()):
                os.kill(process.pid, signal.SIGKILL)
            time.sleep(0.5)

        with pytest.raises(ParallaxError) as caught:
            # one batch in flight at a time: the first is written, the second finds the
            # worker dead
            pool.size = 1
            _annotate_batches(store, False, 4, kill_after_first, pool)
        assert caught.value.code == "E052"
        assert "annotation worker" in str(caught.value)
    annotated = [row for row in annotations_of(db) if row[1]]
    assert len(annotated) >= sum(written) >= 4
    with Store.open(db) as store:
        assert annotate_store(store) == 12 - len(annotated)
    assert all(row[1] for row in annotations_of(db))


@pytest.mark.parametrize(
    "error",
    [ParallaxError("E060", "framing.tsv", "line 3"), UsageError("E012", "--since", "'soon'")],
)
def test_a_parallax_error_raised_in_a_worker_reaches_the_writer_as_itself(
    error: ParallaxError,
) -> None:
    # a worker's exception crosses to the writer pickled; it was rebuilt from its message
    # alone, which failed, and the writer saw a broken pool (E052) instead of the error
    arrived = pickle.loads(pickle.dumps(error))
    assert type(arrived) is type(error)
    assert (arrived.code, arrived.source, arrived.reason, arrived.exit_code, str(arrived)) == (
        error.code,
        error.source,
        error.reason,
        error.exit_code,
        str(error),
    )


def children_of(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (from /proc), the fork server's children included."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def stored_count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def annotated_count(db: Path) -> int:
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5) as conn:
            row = conn.execute("SELECT count(*) FROM articles WHERE annotator IS NOT NULL")
            return int(row.fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_kill_9_of_ingest_with_workers_leaves_no_worker_and_the_rerun_completes(
    tmp_path: Path,
) -> None:
    make_corpus(tmp_path / "corpus", 400)  # over POOL_FROM_BYTES: workers start first
    assert (tmp_path / "corpus" / "part.jsonl").stat().st_size > pipeline.POOL_FROM_BYTES
    db = tmp_path / "store.db"
    command = [sys.executable, "-m", "parallax", "ingest", str(tmp_path / "corpus"),
               "--workers", "2", "--no-cluster", "--db", str(db)]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while annotated_count(db) < 64 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = children_of(process.pid)
    assert workers, "the ingest had no worker processes"
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = annotated_count(db)
    assert 0 < killed_at < 400, "the ingest finished before it could be killed"
    deadline = time.monotonic() + 30
    while {p for p in workers if _alive(p)} and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not {p for p in workers if _alive(p)}, "workers outlived the killed ingest"

    rerun = subprocess.run(command, capture_output=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    rows = annotations_of(db)
    assert len(rows) == len({row[0] for row in rows}) == 400
    assert all(annotator for _, annotator, _ in rows)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_stories_placed_while_workers_annotate_equal_those_placed_after(tmp_path: Path) -> None:
    """An ingest with workers places each batch of its stories as soon as the workers have
    annotated it: the store ends as if annotation and clustering had run one after the
    other (publication order differs from ingest order here: dates cycle)."""
    make_corpus(tmp_path / "corpus", 140)
    dbs = {name: tmp_path / f"{name}.db" for name in ("after", "beside")}
    for db in dbs.values():
        result = CliRunner().invoke(
            app, ["ingest", str(tmp_path / "corpus"), "--no-annotate", "--no-cluster",
                  "--db", str(db)],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    with Store.open(dbs["after"]) as store:
        assert annotate_store(store, workers=1) == 140
        assert cluster_store(store, batch_size=32).clustered == 140
    annotated_when_placed: list[int] = []
    with Store.open(dbs["beside"]) as store, WorkerPool(2) as pool:
        done = [0]

        def annotated(count: int) -> None:
            done[0] += count

        made, summary = pipeline.annotate_and_cluster_in(
            pool.start(), store, annotated=annotated,
            clustered=lambda count: annotated_when_placed.append(done[0]), cluster_batch=32,
        )  # fmt: skip
    assert (made, summary.clustered) == (140, 140)
    assert annotated_when_placed[0] < 140, "the first batch waited for all annotation"
    assert annotations_of(dbs["beside"]) == annotations_of(dbs["after"])
    assert stories_of(dbs["beside"]) == stories_of(dbs["after"])


def spacy_loaded() -> bool:
    """Run in a worker: whether that process has loaded spaCy."""
    return "spacy" in sys.modules


def test_a_pool_that_only_compares_never_loads_spacy_and_keeps_the_same_reports(
    tmp_path: Path,
) -> None:
    """``parallax load`` compares its stories in such a pool: the shards are annotated."""
    make_corpus(tmp_path / "corpus", 80)
    dbs = [tmp_path / "here.db", tmp_path / "pool.db"]
    for db in dbs:
        result = CliRunner().invoke(
            app, ["ingest", str(tmp_path / "corpus"), "--workers", "1", "--db", str(db)]
        )
        assert result.exit_code == 0, result.output
        with Store.open(db) as store:  # compare again, in this process or in the pool
            store._connection.execute("DELETE FROM story_reports")
    with Store.open(dbs[0]) as store:
        assert pipeline.refresh_reports(store) > 0
    with Store.open(dbs[1]) as store, WorkerPool(2, annotates=False) as pool:
        assert pipeline.refresh_reports_in(pool.start(), store) > 0
        assert [pool.call(spacy_loaded).result() for _ in range(4)] == [False] * 4
        with pytest.raises(ValueError, match="do not annotate"):
            pool.submit([("text", None, None)])
    assert reports_of(dbs[1]) == reports_of(dbs[0])


def test_comparison_workers_start_only_for_enough_stories(tmp_path: Path) -> None:
    make_corpus(tmp_path / "corpus", pipeline.COMPARE_POOL_FROM)
    db = tmp_path / "s.db"
    result = CliRunner().invoke(
        app, ["ingest", str(tmp_path / "corpus"), "--no-annotate", "--no-cluster", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        with pipeline.comparison_workers(store, 1) as pool:
            assert pool is None
        with pipeline.comparison_workers(store, 2) as pool:
            assert pool is not None and not pool.annotates
        cluster_store(store)
        with pipeline.comparison_workers(store, 2) as pool:
            assert pool is None  # nothing left to place


def _pid_parent_and_pipeline() -> tuple[int, int, bool]:
    """Run in a worker: its pid, its parent, and whether the fork server loaded spaCy."""
    return os.getpid(), os.getppid(), PRELOAD in sys.modules


@pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods(),
    reason="no fork server on this platform: workers are spawned",
)
def test_annotation_workers_fork_from_one_server_that_loaded_spacy() -> None:
    with WorkerPool(2) as pool:
        pool.start()
        version = pool.version()
        answers = {pool.call(_pid_parent_and_pipeline).result() for _ in range(8)}
    assert version == annotator_version()
    parents = {parent for _, parent, _ in answers}
    assert len(parents) == 1 and os.getpid() not in parents  # the server's children
    assert all(preloaded for _, _, preloaded in answers)


def test_the_tail_of_a_pooled_run_is_sent_in_small_batches_with_nothing_lost() -> None:
    rows = [(seq, f"a{seq}", "text", None, None) for seq in range(100)]
    batches = iter([rows[start : start + 16] for start in range(0, 100, 16)])
    sent = list(_split_tail(batches, 100, 32, 4))
    assert [row for batch in sent for row in batch] == rows
    sizes = [len(batch) for batch in sent]
    assert sizes == [16, 16, 16, 16] + [4] * 9  # the last 36: a batch cut, then the rest
    # counted short (a failed article read twice): the tail comes early, nothing is lost
    batches = iter([rows[start : start + 16] for start in range(0, 100, 16)])
    assert [row for batch in _split_tail(batches, 40, 32, 4) for row in batch] == rows
