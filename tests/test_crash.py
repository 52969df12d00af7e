"""Crash safety: kill -9 during a large ingest, rerun, and every article is there exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parallax.ingest.dedup import article_id
from parallax.settings import Settings

from .conftest import article_text, write

ARTICLES = 3000
FILES = 6


def make_corpus(folder: Path) -> set[str]:
    """JSONL files and text files; returns the ids the store must end up holding."""
    ids = set()
    per_file = ARTICLES // FILES
    for number in range(FILES):
        lines = []
        for index in range(per_file):
            text = article_text(200, f"crash-{number}-{index}")
            outlet = f"Outlet {index % 7}"
            lines.append(json.dumps({"outlet": outlet, "text": text}))
            ids.add(article_id(None, outlet, text))
        write(folder / f"part{number}.jsonl", "\n".join(lines) + "\n")
    return ids


def start(folder: Path, db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PARALLAX_COMMIT_EVERY": "25"}
    return subprocess.Popen(
        [sys.executable, "-m", "parallax", "ingest", str(folder), "--db", str(db), "--no-annotate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # not created yet


def kill_when(process: subprocess.Popen[bytes], db: Path, at_least: int) -> int:
    """SIGKILL the ingest once the store holds ``at_least`` articles (0: right away)."""
    deadline = time.monotonic() + 120
    while stored(db) < at_least and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return stored(db)


@pytest.mark.slow
def test_crash_kill_9_then_rerun_stores_every_article_exactly_once(tmp_path: Path) -> None:
    expected = make_corpus(tmp_path / "corpus")
    db = tmp_path / "crash.db"
    progress = []
    for at_least in (0, 1, ARTICLES // 3, (2 * ARTICLES) // 3):
        progress.append(kill_when(start(tmp_path / "corpus", db), db, at_least))
    assert progress[-1] < ARTICLES, "the ingest finished before it could be killed"
    assert progress == sorted(progress)  # no kill lost committed work

    finished = start(tmp_path / "corpus", db)
    assert finished.wait(timeout=300) == 0

    bands = Settings.from_env().minhash_bands
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [row[0] for row in conn.execute("SELECT id FROM articles")]
        fts = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        band_rows = conn.execute("SELECT count(*) FROM lsh_bands").fetchone()[0]
        quarantined = conn.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    assert len(ids) == len(set(ids)) == ARTICLES
    assert set(ids) == expected
    assert fts == ARTICLES
    assert band_rows == ARTICLES * bands
    assert quarantined == 0
