"""Faults: ``kill -9`` at seeded random moments of ingest, annotation, clustering,
``parallax watch`` and ``parallax batch``, then a rerun; the store must pass ``parallax
check`` after every kill and, once rerun to the end, hold what an uninterrupted run holds.

Usage::

    .venv/bin/python bench/faults.py [--trials 8] [--kills 3] [--articles 400]
        [--seed 1] [--scenario NAME ...] [--json FILE]

**Corpus.** The example corpus (``examples/corpus`` with its manifest) and ``--articles``
articles of the stream of ``bench/serve.py`` (invented words the real clusterer folds into
stories of heavy-tailed size, wire copies among them), in JSONL files. The watch scenario
serves the same stream as HTML pages and one RSS feed from 127.0.0.1 (``--allow-private``).

**Scenarios.** Each runs one ``parallax`` command in a subprocess on a copy of a prepared
store: ``ingest`` (``ingest --no-annotate --no-cluster`` into an empty store), ``annotate``
(``parallax annotate`` on the ingested store, in worker processes), ``cluster`` (``parallax
ingest`` again on the ingested and annotated store: every input already stored, so the run
is the clustering and the kept reports), ``all`` (``parallax ingest`` with every stage, from
empty), ``watch`` (``parallax watch FEED --once``, with annotation and clustering, from
empty) and ``batch`` (``parallax batch --local 2 --db``: shards, then load; a kill takes
the client's whole process group, its LocalCluster with it, and the shards made before it
stay for the rerun). The uninterrupted run of each gives the expected store and how long the command
takes; a trial then starts the command ``--kills`` times on its copy, each time sending
SIGKILL after a delay drawn (seeded) between 0.3 s and that duration, runs
``parallax check`` after each kill, and finally reruns the command to its end.

**Figures.** Faults injected (kills that landed while the command ran), articles lost
(expected ids missing), duplicated (ids not expected, and urls or feed entries stored
twice), check failures (after a kill or at the end), and stores that differ from the
uninterrupted run (articles with their metadata, copy pointers and annotations; stories
with their members and groups; kept reports; feed entries; quarantine). Every one but
the first must be 0; the command exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import serve as serve_bench  # noqa: E402
import stories as stories_bench  # noqa: E402

EXAMPLES = ROOT / "examples"
QUIET_FETCHER = {"PARALLAX_FETCH_DELAY": "0", "PARALLAX_FETCH_RETRIES": "0"}
SCENARIOS = ("ingest", "annotate", "cluster", "all", "watch", "batch")
SHORTEST_KILL = 0.3


# -- the corpus and the feed -------------------------------------------------------------


def corpus(folder: Path, articles: int, seed: int) -> list[str]:
    """The inputs of ``parallax ingest`` (paths and the manifest option)."""
    folder.mkdir(parents=True, exist_ok=True)
    stream = serve_bench.background(articles, seed)
    per_file = max(1, -(-articles // 4))
    for number in range(-(-articles // per_file)):
        count = min(per_file, articles - number * per_file)
        serve_bench.write_jsonl((next(stream) for _ in range(count)), folder / f"{number}.jsonl")
    return [str(folder), str(EXAMPLES / "corpus"), "--manifest", str(EXAMPLES / "manifest.csv")]


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{published}">
<meta property="og:site_name" content="{outlet}"></head>
<body><article>{paragraphs}</article></body></html>"""


class Site(ThreadingHTTPServer):
    """Feed and article pages on 127.0.0.1: ``routes`` maps a path to (type, body)."""

    daemon_threads = True

    def __init__(self) -> None:
        self.routes: dict[str, tuple[str, bytes]] = {}
        super().__init__(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a watcher killed mid-download hangs up: what this bench does on purpose


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Site

    def do_GET(self) -> None:
        kind, body = self.server.routes.get(self.path, ("text/plain", b""))
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def site(articles: int, seed: int) -> Iterator[str]:
    """Serve ``articles`` pages of the stream and one RSS feed of them; yields the feed url."""
    server = Site()
    items = []
    for number, record in enumerate(serve_bench.background(articles, seed + 1)):
        path = f"/news/{number}"
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in record["text"].split("\n\n"))
        page = PAGE.format(
            title=escape(record["title"]),
            published=record["published_at"] + "Z",
            outlet=escape(record["outlet"]),
            paragraphs=paragraphs,
        )
        server.routes[path] = ("text/html; charset=utf-8", page.encode())
        link = escape(server.url + path)
        items.append(f"<item><guid>urn:fault:{number}</guid><link>{link}</link></item>")
    feed = f'<rss version="2.0"><channel><title>f</title>{"".join(items)}</channel></rss>'
    server.routes["/feed.xml"] = ("application/rss+xml", feed.encode())
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.url + "/feed.xml"
    finally:
        server.shutdown()
        server.server_close()


# -- running parallax ------------------------------------------------------------------------


def environment(workers: int) -> dict[str, str]:
    return {**os.environ, **QUIET_FETCHER, "PARALLAX_WORKERS": str(workers)}


def start(args: list[str], db: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The command in a process group of its own, so that a kill can take its helpers
    too (a batch's LocalCluster: the machine going down, not one process)."""
    return subprocess.Popen(
        [sys.executable, "-m", "parallax", *args, "--db", str(db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def kill(process: subprocess.Popen[bytes], group: bool) -> None:
    """SIGKILL to the command, or to its whole process group."""
    if group:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    else:
        process.send_signal(signal.SIGKILL)


def run(args: list[str], db: Path, env: dict[str, str], timeout: float = 600) -> int:
    process = start(args, db, env)
    _, stderr = process.communicate(timeout=timeout)
    if process.returncode not in (0, 1):
        raise RuntimeError(f"parallax {' '.join(args)}: exit {process.returncode}: {stderr!r}")
    return process.returncode


def check(db: Path, env: dict[str, str]) -> list[str]:
    """The names of the checks ``parallax check`` failed (empty: the store is sound)."""
    command = [sys.executable, "-m", "parallax", "check", "--format", "json", "--db", str(db)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return [f"exit {done.returncode}: {done.stderr.strip()[-300:]}"]
    failed = [c["name"] for c in report["checks"] if not c["ok"]]
    return failed or ([] if done.returncode == 0 else [f"exit {done.returncode}"])


def has_schema(db: Path) -> bool:
    """False when a kill came before the store had its schema (no file, or an empty one):
    there is nothing to check yet, and readers say so (E031)."""
    if not db.exists():
        return False
    with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return bool(conn.execute("PRAGMA user_version").fetchone()[0])


def clear(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def remove_store(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def copy_store(source: Path, target: Path) -> None:
    remove_store(target)
    if source.exists():
        shutil.copyfile(source, target)


# -- what a store holds ----------------------------------------------------------------------


def snapshot(db: Path) -> dict[str, Any]:
    """What must equal an uninterrupted run's store: everything but times, run numbers
    and row numbers."""
    with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        articles = {}
        for row in conn.execute(
            "SELECT id, outlet, url, title, author, published_at, language, source, text,"
            " duplicate_of, wire_of, extra, annotations, annotator, annotation_error"
            " FROM articles"
        ):
            extra = json.loads(row[11])
            extra.pop("fetched_at", None)  # when the page was served: differs per fetch
            articles[row[0]] = [*row[1:11], extra, _digest(row[12]), *row[13:]]
        stories: dict[str, list[tuple[str, str]]] = {}
        for story, article, group in conn.execute(
            "SELECT story, article, grp FROM story_articles ORDER BY story, article"
        ):
            stories.setdefault(story, []).append((article, group))
        reports = {
            story: _digest(report)
            for story, report in conn.execute("SELECT story, report FROM story_reports")
        }
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        feed_items = (
            sorted(
                conn.execute(
                    "SELECT feed, item_key, url, article, seen IS NOT NULL, attempts"
                    " FROM feed_items"
                )
            )
            if "feed_items" in tables
            else []
        )
        quarantine = sorted(conn.execute("SELECT source, record, code FROM quarantine"))
        live = conn.execute("SELECT id FROM stories WHERE merged_into IS NULL").fetchall()
    return {
        "articles": articles,
        "stories": {k: v for k, v in stories.items()},
        "live_stories": sorted(row[0] for row in live),
        "reports": reports,
        "feed_items": [list(row) for row in feed_items],
        "quarantine": [list(row) for row in quarantine],
    }


def _digest(value: str | None) -> str | None:
    return None if value is None else hashlib.sha256(value.encode()).hexdigest()[:16]


@dataclass
class Damage:
    lost: int = 0
    duplicated: int = 0
    differences: list[str] = field(default_factory=list)


def compare(expected: dict[str, Any], found: dict[str, Any]) -> Damage:
    """Articles lost and duplicated, and which parts of the store differ."""
    want, have = expected["articles"], found["articles"]
    damage = Damage(lost=len(want.keys() - have.keys()))
    urls = [a[1] for a in have.values() if a[1]]
    entries = [(item[0], item[1]) for item in found["feed_items"] if item[3]]
    linked = [item[3] for item in found["feed_items"] if item[3]]
    damage.duplicated = (
        len(have.keys() - want.keys())
        + (len(urls) - len(set(urls)))
        + (len(entries) - len(set(entries)))
        + (len(linked) - len(set(linked)))
    )
    for part in expected:
        if part == "articles":
            changed = [k for k in want.keys() & have.keys() if want[k] != have[k]]
            if changed:
                damage.differences.append(f"articles: {len(changed)} differ, e.g. {changed[0]}")
        elif expected[part] != found[part]:
            damage.differences.append(part)
    return damage


# -- scenarios -------------------------------------------------------------------------------


@dataclass
class Scenario:
    """One command to kill, and the store it starts from (a file under ``work``)."""

    name: str
    command: list[str]
    base: Path | None
    expected: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    scratch: Path | None = None
    """A folder the command writes beside the store (batch shards): emptied before the
    uninterrupted run and before each trial, kept between the kills of one trial."""
    group: bool = False
    """Kill the command's whole process group (its LocalCluster with it)."""


@dataclass
class Figures:
    runs: int = 0
    faults: int = 0
    finished_before_kill: int = 0
    before_schema: int = 0
    """Kills that came before the store had its schema (nothing to check)."""
    lost: int = 0
    duplicated: int = 0
    check_failures: int = 0
    differing_stores: int = 0
    problems: list[str] = field(default_factory=list)
    uninterrupted_seconds: float = 0.0

    def add(self, other: Figures) -> None:
        counts = ("runs", "faults", "finished_before_kill", "before_schema", "lost", "duplicated")
        for name in counts:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.check_failures += other.check_failures
        self.differing_stores += other.differing_stores
        self.problems += other.problems

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.check_failures or self.differing_stores)

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "ok": self.ok}


def prepare(
    work: Path, names: list[str], inputs: list[str], feed: str | None, workers: int
) -> list[Scenario]:
    """The scenarios asked for, each with its base store and its expected store."""
    env = environment(workers)
    ingested, annotated = work / "base-ingested.db", work / "base-annotated.db"
    if {"annotate", "cluster"} & set(names):
        run(["ingest", *inputs, "--no-annotate", "--no-cluster"], ingested, env)
    if "cluster" in names:
        copy_store(ingested, annotated)
        run(["annotate"], annotated, env)
    commands = {
        "ingest": (["ingest", *inputs, "--no-annotate", "--no-cluster"], None),
        "annotate": (["annotate"], ingested),
        "cluster": (["ingest", *inputs], annotated),
        "all": (["ingest", *inputs], None),
        "watch": (["watch", str(feed), "--once", "--allow-private"], None),
        "batch": (["batch", *inputs, "--out", str(work / "shards"), "--local", "2"], None),
    }
    scenarios = []
    for name in names:
        command, base = commands[name]
        scenario = Scenario(name, command, base)
        if name == "batch":
            scenario.scratch, scenario.group = work / "shards", True
        db = work / f"expected-{name}.db"
        copy_store(base, db) if base else remove_store(db)
        clear(scenario.scratch)
        started = time.perf_counter()
        run(command, db, env)
        scenario.seconds = time.perf_counter() - started
        scenario.expected = snapshot(db)
        problems = check(db, env)
        if problems:
            raise RuntimeError(f"{name}: the uninterrupted run fails parallax check: {problems}")
        scenarios.append(scenario)
    return scenarios


def trial(scenario: Scenario, work: Path, rng: random.Random, kills: int, workers: int) -> Figures:
    """Kill the command ``kills`` times on one copy of its base, then let it finish."""
    env = environment(workers)
    figures = Figures()
    db = work / f"trial-{scenario.name}.db"
    copy_store(scenario.base, db) if scenario.base else remove_store(db)
    clear(scenario.scratch)
    for _ in range(kills):
        delay = rng.uniform(SHORTEST_KILL, max(SHORTEST_KILL, scenario.seconds))
        process = start(scenario.command, db, env)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            kill(process, scenario.group)
            figures.faults += 1
        else:
            figures.finished_before_kill += 1
        process.communicate()
        figures.runs += 1
        if not has_schema(db):
            figures.before_schema += 1
            continue
        failed = check(db, env)
        if failed:
            figures.check_failures += 1
            figures.problems.append(f"{scenario.name} after a kill at {delay:.2f} s: {failed}")
        if process.returncode in (0, 1):
            break  # finished before the kill: the next run would only repeat it
    run(scenario.command, db, env)
    figures.runs += 1
    failed = check(db, env)
    if failed:
        figures.check_failures += 1
        figures.problems.append(f"{scenario.name} after the rerun: {failed}")
    damage = compare(scenario.expected, snapshot(db))
    figures.lost, figures.duplicated = damage.lost, damage.duplicated
    if damage.differences:
        figures.differing_stores += 1
        figures.problems.append(f"{scenario.name}: differs from the uninterrupted run: "
                                f"{damage.differences}")  # fmt: skip
    return figures


def campaign(
    names: list[str],
    *,
    trials: int,
    kills: int,
    articles: int,
    seed: int,
    workers: int = 2,
    on_trial: Callable[[str, int, Figures], None] | None = None,
) -> dict[str, Figures]:
    """Every scenario ``trials`` times; the figures of each."""
    rng = random.Random(seed)
    results = {name: Figures() for name in names}
    with (
        tempfile.TemporaryDirectory(prefix="parallax-faults-") as tmp,
        site(articles, seed) as feed,
    ):
        work = Path(tmp)
        inputs = corpus(work / "corpus", articles, seed)
        scenarios = prepare(work, names, inputs, feed, workers)
        for number in range(trials):
            for scenario in scenarios:
                figures = trial(scenario, work, rng, kills, workers)
                results[scenario.name].add(figures)
                if on_trial:
                    on_trial(scenario.name, number, figures)
        for scenario in scenarios:
            results[scenario.name].uninterrupted_seconds = round(scenario.seconds, 2)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=8, help="trials per scenario")
    parser.add_argument("--kills", type=int, default=3, help="kills per trial")
    parser.add_argument("--articles", type=int, default=400, help="stream articles (and pages)")
    parser.add_argument("--workers", type=int, default=2, help="annotation processes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", action="append", choices=SCENARIOS)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    names = args.scenario or list(SCENARIOS)

    def show(name: str, number: int, figures: Figures) -> None:
        print(f"{name} #{number}: {json.dumps(figures.to_json())}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    results = campaign(
        names,
        trials=args.trials,
        kills=args.kills,
        articles=args.articles,
        seed=args.seed,
        workers=args.workers,
        on_trial=show,
    )
    total = Figures()
    print("| scenario | runs | faults injected | lost | duplicated | check failures | differ |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, figures in results.items():
        total.add(figures)
        cells = [figures.runs, figures.faults, figures.lost, figures.duplicated]
        cells += [figures.check_failures, figures.differing_stores]
        print(f"| {name} | " + " | ".join(str(c) for c in cells) + " |")
    summary = {
        "machine": stories_bench.machine(),
        "seconds": round(time.perf_counter() - started, 1),
        "arguments": {k: v for k, v in vars(args).items() if k != "json"},
        "scenarios": {name: figures.to_json() for name, figures in results.items()},
        "total": total.to_json(),
    }
    print(json.dumps(summary["total"]))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, default=str) + "\n")
    sys.exit(0 if total.ok else 1)


if __name__ == "__main__":
    main()
