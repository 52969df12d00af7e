"""Faults: kill -9 at seeded random moments of ingest, annotation, clustering and watch
(bench/faults.py), a full disk and a read-only store. After each, the store passes
`parallax check`, and a rerun once the fault is gone ends where an uninterrupted run ends.

The full disk is a small tmpfs mounted on the store's folder when this process may mount
(root with CAP_SYS_ADMIN, as in the project's containers), so SQLite meets a real ENOSPC;
RLIMIT_FSIZE in the child is the substitute that runs anywhere (a write past the limit
fails with EFBIG, which SQLite reports as an I/O error rather than "disk full"). A
read-only store is a read-only bind mount of its folder, or ``chattr +i`` on the file, for
root (who ignores permission bits); chmod for anyone else.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest

from parallax.errors import CATALOGUE, ExitCode, ParallaxError
from parallax.store import Store, write_failure
from tests.quality.conftest import load_bench

faults = load_bench("faults")
ROOT_USER = os.geteuid() == 0


# -- kill -9 ---------------------------------------------------------------------------------


def assert_sound(results: dict[str, Any], scenarios: list[str], least_faults: int) -> None:
    for name in scenarios:
        figures = results[name]
        assert figures.problems == [], name
        assert (figures.lost, figures.duplicated) == (0, 0), name
        assert (figures.check_failures, figures.differing_stores) == (0, 0), name
    assert sum(results[name].faults for name in scenarios) >= least_faults


def test_faults_kill_9_of_each_stage_then_rerun_ends_as_an_uninterrupted_run() -> None:
    scenarios = ["ingest", "annotate", "cluster", "watch"]
    results = faults.campaign(scenarios, trials=1, kills=2, articles=60, seed=13, workers=1)
    assert_sound(results, scenarios, least_faults=len(scenarios) - 1)


def test_faults_snapshot_tells_a_lost_and_a_doubled_article(tmp_path: Path) -> None:
    """The campaign's own measure must be able to fail: a store with one article removed
    counts it lost, and one with an article stored under a second id counts it doubled."""
    inputs = faults.corpus(tmp_path / "corpus", 6, 3)
    db = tmp_path / "store.db"
    assert parallax(["ingest", "--no-annotate", *inputs], db).returncode == 0
    expected = faults.snapshot(db)
    assert faults.compare(expected, faults.snapshot(db)).lost == 0
    victim = sorted(expected["articles"])[0]
    found = faults.snapshot(db)
    doubled = found["articles"][victim]
    del found["articles"][victim]
    assert faults.compare(expected, found).lost == 1
    found["articles"][victim] = doubled
    found["articles"]["f" * 16] = doubled
    damage = faults.compare(expected, found)
    assert (damage.lost, damage.duplicated) == (0, 2)  # a new id, and its url twice


# -- the store's own handling of write failures ----------------------------------------------


def full_store(path: Path) -> Store:
    """A store whose file may not grow past its current size plus a few pages."""
    store = Store.open(path)
    pages = store._connection.execute("PRAGMA page_count").fetchone()[0]
    store._connection.execute(f"PRAGMA max_page_count = {pages + 2}")
    return store


def fill(store: Store, rows: int) -> None:
    store._connection.execute("CREATE TABLE IF NOT EXISTS filler (blob BLOB)")
    for _ in range(rows):
        store._connection.execute("INSERT INTO filler VALUES (?)", (os.urandom(4096),))


def test_store_batch_on_a_full_disk_raises_the_disk_error_not_a_rollback_error(
    tmp_path: Path,
) -> None:
    """Regression: SQLITE_FULL ends the transaction itself, and the ROLLBACK that followed
    raised "cannot rollback - no transaction is active", hiding why the write failed."""
    store = full_store(tmp_path / "s.db")
    try:
        with (
            pytest.raises(sqlite3.OperationalError, match="full") as caught,
            store.batch(every=1000) as batch,
        ):
            batch.begin()
            fill(store, 50)
            batch.step()
        assert not store._connection.in_transaction
        with pytest.raises(sqlite3.OperationalError, match="full"), store.transaction():
            fill(store, 50)
        assert not store._connection.in_transaction
    finally:
        store.close()
    error = write_failure(tmp_path / "s.db", caught.value)
    assert error is not None and error.code == "E039"
    assert "the disk is full" in error.reason and str(tmp_path / "s.db") in error.reason


def test_store_write_failure_is_none_for_other_sqlite_errors(tmp_path: Path) -> None:
    with (
        pytest.raises(sqlite3.OperationalError) as caught,
        closing(sqlite3.connect(":memory:")) as conn,
    ):
        conn.execute("SELECT * FROM nowhere")
    assert write_failure(tmp_path / "s.db", caught.value) is None


def test_store_opened_for_reading_when_empty_is_e031(tmp_path: Path) -> None:
    """Regression: a writer killed after creating the file and before its schema left an
    empty file, and every reader then failed with a traceback (no such table)."""
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(ParallaxError) as caught:
        Store.open_readonly(empty)
    assert caught.value.code == "E031" and "empty" in caught.value.reason
    done = parallax(["stories"], empty)
    assert done.returncode == ExitCode.USAGE and "E031" in done.stderr
    assert "Traceback" not in done.stderr


def test_errors_e039_is_catalogued_with_its_exit_code() -> None:
    assert CATALOGUE["E039"].exit is ExitCode.UNAVAILABLE
    assert "cannot be written" in CATALOGUE["E039"].message


# -- a full disk -----------------------------------------------------------------------------


def parallax(
    args: list[str], db: Path, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**faults.environment(1), "COLUMNS": "400"}
    command = [sys.executable, "-m", "parallax", *args, "--db", str(db)]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, preexec_fn=preexec
    )


def can_mount() -> bool:
    probe = Path(f"/tmp/parallax-mount-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)], capture_output=True
        )
        if done.returncode == 0:
            subprocess.run(["umount", str(probe)], check=True)
        return done.returncode == 0
    except OSError:
        return False
    finally:
        probe.rmdir()


MOUNTS = ROOT_USER and shutil.which("mount") is not None and can_mount()
needs_mount = pytest.mark.skipif(not MOUNTS, reason="this process may not mount a tmpfs")


@contextmanager
def tmpfs(folder: Path, size: int) -> Iterator[Callable[[int], None]]:
    """A tmpfs of ``size`` bytes on ``folder``; yields a function that resizes it."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)

    def resize(new: int) -> None:
        subprocess.run(["mount", "-o", f"remount,size={new}", str(folder)], check=True)

    try:
        yield resize
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], dict[str, Any], int]:
    """The inputs, the store an uninterrupted `parallax ingest` makes of them, its size."""
    folder = tmp_path_factory.mktemp("faults-corpus")
    inputs = faults.corpus(folder / "corpus", 30, 5)
    db = folder / "expected.db"
    assert parallax(["ingest", *inputs], db).returncode == 0
    return inputs, faults.snapshot(db), db.stat().st_size


def assert_refused(done: subprocess.CompletedProcess[str], db: Path, reason: str) -> None:
    assert done.returncode == ExitCode.UNAVAILABLE == 3, done.stderr
    assert f"[E039] {db}: the store cannot be written ({reason}" in done.stderr
    assert "Traceback" not in done.stderr


def assert_checks(db: Path) -> None:
    done = parallax(["check", "--format", "json"], db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["ok"] is True


@needs_mount
@pytest.mark.parametrize("share", [0.3, 0.6, 0.9])
def test_faults_disk_full_is_e039_then_the_store_checks_and_a_rerun_completes(
    tmp_path: Path, corpus: tuple[list[str], dict[str, Any], int], share: float
) -> None:
    """A disk that fills during ingest (small share), annotation or clustering (larger)."""
    inputs, expected, size = corpus
    folder = tmp_path / "disk"
    db = folder / "store.db"
    with tmpfs(folder, int(size * share)) as resize:
        assert_refused(parallax(["ingest", *inputs], db), db, "the disk is full")
        assert_checks(db)
        assert parallax(["stories"], db).returncode == 0
        resize(64 * 2**20)
        assert parallax(["ingest", *inputs], db).returncode == 0
        assert_checks(db)
        assert faults.compare(expected, faults.snapshot(db)) == faults.Damage()


@needs_mount
def test_faults_disk_full_before_the_schema_leaves_no_store(
    tmp_path: Path, corpus: tuple[list[str], dict[str, Any], int]
) -> None:
    """Regression: a disk too small for the schema left an empty file that every later
    command refused as "not a Parallax store"; the new store is removed instead."""
    inputs, expected, _ = corpus
    folder = tmp_path / "disk"
    db = folder / "store.db"
    with tmpfs(folder, 48 * 1024) as resize:
        assert_refused(parallax(["ingest", *inputs], db), db, "the disk is full")
        assert sorted(folder.iterdir()) == []
        resize(64 * 2**20)
        assert parallax(["ingest", *inputs], db).returncode == 0
        assert faults.compare(expected, faults.snapshot(db)) == faults.Damage()


def file_size_limit(limit: int) -> Callable[[], None]:
    def limit_writes() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past it fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_writes


def test_faults_file_size_limit_is_e039_then_a_rerun_completes(
    tmp_path: Path, corpus: tuple[list[str], dict[str, Any], int]
) -> None:
    """The substitute for a full disk that needs no mount: RLIMIT_FSIZE in the child."""
    inputs, expected, size = corpus
    db = tmp_path / "store.db"
    done = parallax(["ingest", *inputs], db, preexec=file_size_limit(size // 4))
    assert_refused(done, db, "the disk failed to write")
    assert_checks(db)
    assert parallax(["ingest", *inputs], db).returncode == 0
    assert faults.compare(expected, faults.snapshot(db)) == faults.Damage()


# -- a read-only store -----------------------------------------------------------------------


@contextmanager
def read_only_file(path: Path) -> Iterator[None]:
    if ROOT_USER:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        path.chmod(0o444)
    try:
        yield
    finally:
        if ROOT_USER:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o644)


@contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    if ROOT_USER:
        subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        yield
    finally:
        if ROOT_USER:
            subprocess.run(["umount", str(folder)], check=True)
        folder.chmod(0o755)


def reason_for(kind: str, folder: Path) -> str:
    if kind == "file":
        return "the file is read-only"
    if ROOT_USER:
        return f"the file system of {folder} is mounted read-only"
    return f"its folder {folder} is read-only"


@pytest.mark.skipif(ROOT_USER and not MOUNTS, reason="root needs a read-only bind mount here")
@pytest.mark.parametrize("kind", ["file", "folder"])
def test_faults_read_only_store_is_e039_readers_work_and_a_rerun_completes(
    tmp_path: Path, corpus: tuple[list[str], dict[str, Any], int], kind: str
) -> None:
    inputs, expected, _ = corpus
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "store.db"
    assert parallax(["ingest", *inputs, "--no-annotate", "--no-cluster"], db).returncode == 0
    before = faults.snapshot(db)
    guard = read_only_file(db) if kind == "file" else read_only_folder(folder)
    with guard:
        for command in (["annotate"], ["ingest", *inputs]):
            assert_refused(parallax(command, db), db, reason_for(kind, folder))
        assert_checks(db)
        assert parallax(["articles", "--limit", "1"], db).returncode == 0
        assert faults.snapshot(db) == before
    assert parallax(["ingest", *inputs], db).returncode == 0
    assert faults.compare(expected, faults.snapshot(db)) == faults.Damage()


def test_faults_new_store_in_a_read_only_folder_is_e039(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "keep").write_text("x")
    db = folder / "new.db"
    if ROOT_USER and not MOUNTS:
        pytest.skip("root needs a read-only bind mount here")
    with read_only_folder(folder):
        done = parallax(["ingest", str(folder / "keep")], db)
    assert_refused(done, db, reason_for("folder", folder))
    assert not db.exists()
