"""Concurrency under load: ``parallax serve`` under many clients while one writer ingests.

Usage::

    .venv/bin/python bench/load.py [--store out/bench-load.db] [--rebuild]
        [--background 500] [--clients 50] [--seconds 60] [--batch 20]
        [--watch-every 2]
        [--min-batches 0] [--ingest-args=--no-annotate] [--quiet] [--json FILE]

**Store.** Built once and kept at ``--store`` (``--rebuild`` builds it again) through the
real command line: ``parallax ingest`` of the example corpus with its manifest, then of
``--background`` generated articles (the stream of ``bench/serve.py``), annotated and
folded into stories. Each run works on a copy, so every run starts from the same store.

**Load.** ``parallax serve`` runs as a subprocess on 127.0.0.1. ``--clients`` asyncio
clients (httpx, one connection each) loop over the pages and the JSON API for
``--seconds``: ``/``, ``/?q=``, the main story's page, one of its articles, the story list
and the story's document under ``/api/``, and ``/api/search`` for a batch marker. Beside
them, one writer writes into the same store without pausing: ``parallax ingest`` of
``--batch`` new articles at a time (one JSONL file each, one transaction: a batch is under
``commit_every``), and every ``--watch-every`` batches ``parallax watch --once`` of an RSS
feed served on 127.0.0.1 (with the allow-private setting) that has gained new entries.
One CLI reader runs ``parallax articles --search`` and ``parallax stories`` in a loop.

**Checks.** Failed requests (not 2xx after redirects, or a connection error), "database
is locked" (or E033, Parallax's word for it) in any response, server log, writer or
reader output, and torn reads. Every article of writer batch *k* carries the word
``loadmarkK`` and the word ``loadbatch``; every ``/api/search`` answer for a marker
(the clients ask for the batch being written and the one before) and every CLI listing
of ``loadbatch`` must hold, per marker, 0 or ``--batch`` articles. Finally the store is
read once more (every batch written holds all its articles) and ``parallax check``
runs on it. ``--quiet`` runs the clients alone, to tell the server's own figures from
what the writer's share of the cores costs them.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import serve as serve_bench  # noqa: E402
import stories as stories_bench  # noqa: E402

PARALLAX = str(Path(sys.executable).with_name("parallax"))
SEED = 7
QUERY = "Ruvalle"
"""The word of ``/?q=``: a name of the example corpus's main story."""
MARK = "loadmark"
ALL_BATCHES = "loadbatch"
RESERVE = 20_000
"""Articles of the writer's stream: batches enough for far longer than a run."""
LOCKED = ("database is locked", "E033")
"""SQLite's words for a lock it gave up on, and Parallax's code for it (ids are lower-case
hex, so they never hold the code). Plain substring counts: a regular expression over
every page of megabytes made the clients, not the server, the bottleneck."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """One ``parallax`` command, its output captured (``env`` adds to the environment)."""
    environ = {**os.environ, **env}
    return subprocess.run([PARALLAX, *command], capture_output=True, text=True, env=environ)


def marker(batch: int) -> str:
    return f"{MARK}{batch:05d}"


# -- the store -----------------------------------------------------------------------------


def build(path: Path, background: int, extra: list[str]) -> dict[str, Any]:
    """The store at ``path`` through ``parallax ingest`` (``extra``: more of its options);
    what the bench requests of it."""
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        examples = ROOT / "examples"
        steps = [
            [str(examples / "corpus"), "--manifest", str(examples / "manifest.csv")],
        ]
        if background:
            file = Path(tmp) / "background.jsonl"
            serve_bench.write_jsonl(serve_bench.background(background, SEED), file)
            steps.append([str(file)])
        for step in steps:
            done = run(["ingest", *step, "--db", str(partial), "--workers", "1", *extra])
            if done.returncode != 0:
                raise RuntimeError(f"ingest {step}: {done.stderr}")
            log(done.stdout.strip().splitlines()[-1])
    os.replace(partial, path)
    info = {
        "background": background,
        "ingest_args": extra,
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    info.update(targets(path))
    serve_bench.sidecar(path).write_text(json.dumps(info, indent=2) + "\n")
    return info


def targets(path: Path) -> dict[str, Any]:
    """The story with the most articles, its first article, and the store's size."""
    from parallax.store import Store, StoryStore

    with Store.open_readonly(path) as store:
        stories = StoryStore(store)
        db = store._connection
        row = db.execute(
            "SELECT story, count(*) FROM story_articles GROUP BY story ORDER BY count(*) DESC"
        ).fetchone()
        story = stories.resolve(row[0])
        assert story is not None
        members = sorted(stories.member_ids(story))
        live = db.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()
        return {
            "stored_articles": store.count_articles(),
            "stories": int(live[0]),
            "story": {"id": story, "articles": len(members)},
            "article": members[0],
        }


def writer_stream() -> Iterator[dict[str, Any]]:
    """The articles the writer adds: a stream of its own, at urls the store does not hold."""
    for n, record in enumerate(serve_bench.background(RESERVE, SEED + 1)):
        record["url"] = f"https://{record['outlet']}/later/{n}"
        yield record


def batch_records(stream: Iterator[dict[str, Any]], batch: int, count: int) -> list[dict[str, Any]]:
    """Writer batch ``batch``: the next ``count`` articles of ``stream``, each carrying the
    batch's marker and the word shared by every batch."""
    records = []
    words = f"{marker(batch)} {ALL_BATCHES}"
    for record in itertools.islice(stream, count):
        record["title"] = f"{record['title']} {words}"
        record["text"] = f"{record['text']}\n\nFiled as {words}."
        records.append(record)
    if len(records) < count:
        raise RuntimeError(f"the writer's stream of {RESERVE} articles is used up")
    return records


# -- a feed on 127.0.0.1 -------------------------------------------------------------------


class Feed:
    """An RSS feed and its entries' pages, served on a loopback port; entries are added
    while it runs, so each ``parallax watch --once`` finds new ones."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body, kind = feed.answer(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", kind)
                data = body or b"not here"
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, title: str, text: str) -> None:
        with self.lock:
            self.entries.append((title, text))

    def answer(self, path: str) -> tuple[bytes | None, str]:
        with self.lock:
            entries = list(self.entries)
        if path == "/feed.xml":
            items = "".join(
                f"<item><title>{title}</title><link>{self.url}/entry/{n}.html</link>"
                f"<guid>{self.url}/entry/{n}.html</guid>"
                f"<pubDate>Mon, 05 Oct 2026 {n // 60 % 24:02d}:{n % 60:02d}:00 GMT</pubDate></item>"
                for n, (title, _) in enumerate(entries)
            )
            rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>Load feed</title>'
            rss += f"<link>{self.url}/</link>{items}</channel></rss>"
            return rss.encode(), "application/rss+xml"
        found = re.fullmatch(r"/entry/(\d+)\.html", path)
        if found and int(found.group(1)) < len(entries):
            title, text = entries[int(found.group(1))]
            paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
            page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            page += f"{paragraphs}</article></body></html>"
            return page.encode(), "text/html; charset=utf-8"
        return None, "text/plain"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- the writer and the CLI reader ---------------------------------------------------------


@dataclass
class Shared:
    """What the threads and the clients share: the batch being written, the stop flag,
    and what each saw."""

    batch: int
    seconds: float = 0.0
    min_batches: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.monotonic)
    writing: int = 0
    """The batch the writer is writing now (the clients ask for it and the one before)."""
    committed: list[float] = field(default_factory=list)
    """When each batch's ingest ended, in order."""
    batch_seconds: list[float] = field(default_factory=list)
    watch_rounds: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    locked: Counter[str] = field(default_factory=Counter)
    torn: list[str] = field(default_factory=list)
    cli_runs: Counter[str] = field(default_factory=Counter)
    cli_checks: int = 0
    wal_bytes: int = 0
    """The largest the store's write-ahead log was seen: readers that kept a snapshot open
    would stop checkpoints and let it grow."""

    def finished(self) -> bool:
        """The run is over: ``seconds`` passed and the writer has ended ``min_batches``
        batches (a short run on a slow machine must still see writes), or two minutes more
        passed. The writer starts nothing new after it, so a run ends soon after."""
        if self.stop.is_set():
            return True
        passed = time.monotonic() - self.started
        written = len(self.committed) >= self.min_batches
        return passed >= self.seconds + 120 or (passed >= self.seconds and written)

    def scan(self, where: str, text: str) -> None:
        found = sum(text.count(words) for words in LOCKED)
        if found:
            self.locked[where] += found


def writer(shared: Shared, db: Path, folder: Path, feed: Feed, args: argparse.Namespace) -> None:
    """Ingest batches until told to stop; every ``args.watch_every`` batches a watch round,
    the first after batch 0 (``args.ingest_args`` go to both commands)."""
    env = {"PARALLAX_ALLOW_PRIVATE": "1", "PARALLAX_FETCH_DELAY": "0", "PARALLAX_WORKERS": "1"}
    batch = 0
    stream = writer_stream()
    while not shared.finished():
        if args.watch_every and batch % args.watch_every == min(1, args.watch_every - 1):
            watch_round(shared, db, feed, batch, env, args.ingest_args.split())
        shared.writing = batch
        records = batch_records(stream, batch, shared.batch)
        file = folder / f"batch-{batch:05d}.jsonl"
        serve_bench.write_jsonl(iter(records), file)
        command = ["ingest", str(file), "--db", str(db), "--workers", "1", "--format", "json"]
        started = time.perf_counter()
        done = run([*command, *args.ingest_args.split()])
        shared.batch_seconds.append(round(time.perf_counter() - started, 1))
        shared.scan("writer", done.stdout + done.stderr)
        if done.returncode != 0:
            detail = f"exit {done.returncode}: {done.stderr[-300:]}"
            shared.failures.append(f"ingest of batch {batch}: {detail}")
        shared.committed.append(time.time())
        batch += 1


def watch_round(
    shared: Shared, db: Path, feed: Feed, batch: int, env: dict[str, str], extra: list[str]
) -> None:
    """Two new feed entries, then ``parallax watch --once`` of the feed."""
    for n in range(2):
        record = next(serve_bench.background(1, SEED * 1000 + batch * 2 + n))
        feed.add(f"{record['title']} feedentry{batch:05d}{n}", record["text"])
    command = ["watch", f"{feed.url}/feed.xml", "--once", "--only", "--interval", "1"]
    command += ["--db", str(db), "--format", "json", *extra]
    started = time.perf_counter()
    done = run(command, **env)
    seconds = round(time.perf_counter() - started, 1)
    shared.scan("watch", done.stdout + done.stderr)
    if done.returncode != 0:
        detail = f"exit {done.returncode}: {done.stderr[-300:]}"
        shared.failures.append(f"watch round before batch {batch}: {detail}")
    shared.watch_rounds.append({"seconds": seconds, "exit": done.returncode})


def cli_reader(shared: Shared, db: Path) -> None:
    """``parallax articles --search loadbatch`` and ``parallax stories`` in turn; every
    listing of the batches' articles is checked for torn batches."""
    turn = 0
    while not shared.finished():
        if turn % 2 == 0:
            command = ["articles", "--search", ALL_BATCHES, "--format", "json", "--db", str(db)]
        else:
            command = ["stories", "--format", "json", "--limit", "50", "--db", str(db)]
        done = run(command)
        wal = Path(f"{db}-wal")
        shared.wal_bytes = max(shared.wal_bytes, wal.stat().st_size if wal.exists() else 0)
        name = command[0]
        shared.cli_runs[name] += 1
        shared.scan(f"cli {name}", done.stdout + done.stderr)
        if done.returncode != 0:
            shared.failures.append(f"parallax {name}: exit {done.returncode}: {done.stderr[-300:]}")
        elif name == "articles":
            check_listing(shared, [a["title"] or "" for a in json.loads(done.stdout)], name)
        turn += 1


def check_listing(shared: Shared, titles: list[str], where: str) -> None:
    """Each batch marker in ``titles`` must come ``shared.batch`` times (or not at all)."""
    counts = Counter(m for title in titles for m in re.findall(MARK + r"\d{5}", title))
    shared.cli_checks += 1
    for mark, count in counts.items():
        if count != shared.batch:
            shared.torn.append(f"{where}: {mark} {count} of {shared.batch}")


# -- the clients ---------------------------------------------------------------------------


def routes(info: dict[str, Any]) -> dict[str, str]:
    story, article = info["story"]["id"], info["article"]
    return {
        "/": "/",
        "/?q=": f"/?q={QUERY}",
        "/stories/{id}": f"/stories/{story}",
        "/articles/{id}": f"/articles/{article}",
        "/api/stories": "/api/stories",
        "/api/stories/{id}": f"/api/stories/{story}",
        "/api/search?q=MARK": "",
    }


@dataclass
class Measured:
    times: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    redirected: int = 0
    slow: list[tuple[float, float, str]] = field(default_factory=list)
    """``(ms, seconds into the run, route)`` of every request over a second: when the
    slowest came tells a stall of the whole server from one slow route."""
    failed: list[str] = field(default_factory=list)
    answered: Counter[int] = field(default_factory=Counter)
    """Answers per second of the run: a stall shows as seconds with none."""
    searches: int = 0
    seen: Counter[int] = field(default_factory=Counter)
    """Search answers per article count found for the marker asked."""


async def client(
    number: int, http: httpx.AsyncClient, paths: dict[str, str], shared: Shared, out: Measured
) -> None:
    """One client: a request, its checks, the next, until the run is finished."""
    names = list(paths)
    turn = number
    answered = time.monotonic()
    while not shared.finished():
        name = names[turn % len(names)]
        turn += 1
        target = paths[name]
        asked = None
        if not target:
            asked = max(0, shared.writing - turn % 2)
            target = f"/api/search?q={marker(asked)}&limit=50"
        started = time.perf_counter()
        idle = time.monotonic() - answered
        try:
            response = await http.get(target)
        except httpx.HTTPError as exc:
            elapsed = time.perf_counter() - started
            out.failed.append(
                f"{target}: {type(exc).__name__}: {exc} (after {elapsed:.1f} s; this "
                f"client's previous answer came {idle:.1f} s before)"
            )
            answered = time.monotonic()
            continue
        answered = time.monotonic()
        took = 1000 * (time.perf_counter() - started)
        checked(response, name, took, asked, shared, out)


def checked(
    response: httpx.Response,
    name: str,
    took: float,
    asked: int | None,
    shared: Shared,
    out: Measured,
) -> None:
    """One answer timed, scanned for lock errors and, for a marker search, for a torn
    batch."""
    at = time.monotonic() - shared.started
    out.answered[int(at)] += 1
    out.times[name].append(took)
    if took > 1000:
        out.slow.append((round(took), round(at, 1), name))
    out.statuses[response.status_code] += 1
    out.redirected += bool(response.history)
    shared.scan("responses", response.text)
    if not 200 <= response.status_code < 300:
        out.failed.append(f"{response.url.path}: HTTP {response.status_code}")
    elif asked is not None:
        found = response.json()["articles"]
        out.searches += 1
        out.seen[len(found)] += 1
        check_search(shared, asked, [a["title"] or "" for a in found])


def check_search(shared: Shared, asked: int, titles: list[str]) -> None:
    count = sum(marker(asked) in title for title in titles)
    if count not in (0, shared.batch):
        shared.torn.append(f"/api/search: {marker(asked)} {count} of {shared.batch}")


async def load(
    base: str, paths: dict[str, str], shared: Shared, args: argparse.Namespace
) -> Measured:
    """``args.clients`` clients at once, until the run is :meth:`Shared.finished`, each
    with its own connection. The clients are made before the clock starts, over one TLS
    context: an httpx client builds one of its own by default (tens of milliseconds of
    CPU), and fifty made at once stalled the first seconds of the run on the clients'
    side."""
    out = Measured()
    context = ssl.create_default_context()
    https = [
        httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=True, verify=context)
        for _ in range(args.clients)
    ]
    shared.started = time.monotonic()
    try:
        await asyncio.gather(*(client(n, http, paths, shared, out) for n, http in enumerate(https)))
    finally:
        for http in https:
            await http.aclose()
    return out


# -- one run ---------------------------------------------------------------------------------


def measure(db: Path, info: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """The load on ``db`` beside the writer and the CLI reader; every figure of the run."""
    shared = Shared(batch=args.batch, seconds=args.seconds, min_batches=args.min_batches)
    feed = Feed()
    with tempfile.TemporaryDirectory(prefix="bench-load-run-") as tmp:
        folder = Path(tmp)
        threads = [
            threading.Thread(target=writer, args=(shared, db, folder, feed, args)),
            threading.Thread(target=cli_reader, args=(shared, db)),
        ]
        if args.quiet:
            threads = []
        try:
            with serve_bench.Served(db, folder / "server.log") as server:
                for thread in threads:
                    thread.start()
                window = [time.time()]
                out = asyncio.run(load(server.url, routes(info), shared, args))
                window.append(time.time())
                shared.stop.set()
                for thread in threads:
                    thread.join()
        finally:
            shared.stop.set()
            feed.close()
        server_log = (folder / "server.log").read_text()
        shared.scan("server log", server_log)
        if args.server_log:
            args.server_log.write_text(server_log)
    return report(shared, out, args, (window[0], window[1]), db)


def report(
    shared: Shared, out: Measured, args: argparse.Namespace, window: tuple[float, float], db: Path
) -> dict[str, Any]:
    written = len(shared.committed)
    final = final_check(shared, db, written)
    during = sum(window[0] <= at <= window[1] for at in shared.committed)
    requests = sum(len(times) for times in out.times.values()) + len(out.failed)
    return {
        "clients": args.clients,
        "seconds": args.seconds,
        "batch": args.batch,
        "requests": requests,
        "requests_per_second": round(requests / (window[1] - window[0]), 1),
        "failed_requests": len(out.failed),
        "failed_examples": out.failed[:5],
        "statuses": {str(k): v for k, v in sorted(out.statuses.items())},
        "redirected": out.redirected,
        "database_locked": sum(shared.locked.values()),
        "locked_where": dict(shared.locked),
        "writer_batches": written,
        "writer_batches_during_measure": during,
        "writer_articles": written * args.batch,
        "writer_batch_seconds": shared.batch_seconds,
        "watch_rounds": len(shared.watch_rounds),
        "watch_round_seconds": [r["seconds"] for r in shared.watch_rounds],
        "watch_entries": final["watch_entries"],
        "writer_failures": shared.failures,
        "cli_runs": dict(shared.cli_runs),
        "cli_listings_checked": shared.cli_checks,
        "largest_wal_mib": round(shared.wal_bytes / 2**20, 1),
        "searches_checked": out.searches,
        "search_answers_by_count": {str(k): v for k, v in sorted(out.seen.items())},
        "torn_reads": len(shared.torn),
        "torn_examples": shared.torn[:5],
        "final": final,
        "routes": {name: percentiles(times) for name, times in out.times.items()},
        "over_a_second": len(out.slow),
        "answers_per_second": [out.answered[n] for n in range(max(out.answered, default=0) + 1)],
        "slowest": sorted(out.slow, reverse=True)[:10],
    }


def percentiles(times: list[float]) -> dict[str, Any]:
    values = np.array(times)
    return {
        "requests": len(times),
        "p50_ms": round(float(np.percentile(values, 50)), 1),
        "p95_ms": round(float(np.percentile(values, 95)), 1),
        "max_ms": round(float(values.max()), 1),
    }


def final_check(shared: Shared, db: Path, written: int) -> dict[str, Any]:
    """After the run: every batch written holds all its articles, and the store checks."""
    from parallax.store import Store

    with Store.open_readonly(db) as store:
        titles = [a.title or "" for a in store.articles(search=ALL_BATCHES)]
        entries = sum(1 for _ in store.articles(search="feedentry*"))
    before = len(shared.torn)
    check_listing(shared, titles, "final read")
    shared.cli_checks -= 1
    marks = {m for title in titles for m in re.findall(MARK + r"\d{5}", title)}
    checked = run(["check", "--quick", "--db", str(db)])
    shared.scan("check", checked.stdout + checked.stderr)
    return {
        "batches_stored": len(marks),
        "batches_complete": len(marks) == written and len(shared.torn) == before,
        "watch_entries": entries,
        "check_exit": checked.returncode,
    }


# -- the report ------------------------------------------------------------------------------


def table(results: dict[str, Any]) -> str:
    lines = [
        "| route | requests | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in results["routes"].items():
        lines.append(
            f"| `{name}` | {row['requests']:,} | {row['p50_ms']} | {row['p95_ms']} "
            f"| {row['max_ms']} |"
        )
    return "\n".join(lines)


def summary(results: dict[str, Any]) -> str:
    final = results["final"]
    return "\n".join(
        [
            f"requests: {results['requests']:,} ({results['requests_per_second']}/s), "
            f"failed: {results['failed_requests']}, redirected: {results['redirected']}",
            f"database is locked: {results['database_locked']} {results['locked_where'] or ''}",
            f"writer: {results['writer_batches']} batches of {results['batch']} "
            f"({results['writer_batches_during_measure']} ended during the measure), "
            f"{results['watch_rounds']} watch rounds, {final['watch_entries']} feed entries "
            f"stored, failures: {len(results['writer_failures'])}",
            f"CLI reader: {results['cli_runs']}, listings checked: "
            f"{results['cli_listings_checked']}; searches checked: {results['searches_checked']} "
            f"(answers by articles found: {results['search_answers_by_count']})",
            f"largest write-ahead log seen: {results['largest_wal_mib']} MiB",
            f"torn reads: {results['torn_reads']}; final: {final['batches_stored']} batches "
            f"stored, complete: {final['batches_complete']}, parallax check exit "
            f"{final['check_exit']}",
        ]
    )


def ok(results: dict[str, Any]) -> bool:
    """The run's promises: nothing failed, nothing locked, nothing torn, the store sound."""
    final = results["final"]
    return (
        results["failed_requests"] == 0
        and results["database_locked"] == 0
        and results["torn_reads"] == 0
        and not results["writer_failures"]
        and final["batches_complete"]
        and final["check_exit"] == 0
    )


def prepared(store: Path, background: int, rebuild: bool, extra: list[str]) -> dict[str, Any]:
    sidecar = serve_bench.sidecar(store)
    if not rebuild and store.exists() and sidecar.exists():
        info: dict[str, Any] = json.loads(sidecar.read_text())
        if info["background"] == background and info.get("ingest_args") == extra:
            log(f"reusing {store} (built in {info['build_seconds']} s)")
            return info
    log(f"building {store} ...")
    info = build(store, background, extra)
    log(f"built in {info['build_seconds']} s: {info['stored_articles']} articles")
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=ROOT / "out" / "bench-load.db")
    parser.add_argument("--rebuild", action="store_true", help="build the store again")
    parser.add_argument("--background", type=int, default=500, help="generated articles")
    parser.add_argument("--clients", type=int, default=50, help="concurrent HTTP clients")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load")
    parser.add_argument("--batch", type=int, default=20, help="articles per writer batch")
    parser.add_argument(
        "--ingest-args",
        default="",
        help="more options of every ingest (the store's and the writer's) and watch",
    )
    parser.add_argument("--watch-every", type=int, default=2, help="batches per watch round")
    parser.add_argument(
        "--min-batches", type=int, default=0, help="go on until the writer ended this many"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="the clients alone: no writer, no CLI reader"
    )
    parser.add_argument("--server-log", type=Path, help="keep the server's log here")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    info = prepared(args.store, args.background, args.rebuild, args.ingest_args.split())
    log(f"{stories_bench.machine()}: server, clients, writer and reader share the cores")
    load_before = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory(prefix="bench-load-", dir=args.store.parent) as tmp:
        db = Path(tmp) / "served.db"
        shutil.copyfile(args.store, db)
        results = measure(db, info, args)
    results["machine"] = stories_bench.machine()
    results["load_average_before"] = load_before
    results["store"] = info
    print(table(results))
    print(summary(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if ok(results) else 1


if __name__ == "__main__":
    sys.exit(main())
