"""Latency of ``parallax serve`` on a store of 100,000 articles, quiet and under ingest.

Usage::

    .venv/bin/python bench/serve.py [--store out/bench-serve.db] [--articles 100000]
        [--requests 200] [--batch 100] [--json FILE]

**Store.** Built once and kept at ``--store`` (reused when it exists; ``--rebuild``
builds it again), through the real pipeline: ``parallax.pipeline.ingest`` of JSONL files
(ids, MinHash, wire copies, full-text index), ``cluster_store`` and ``refresh_reports``
(every story of two or more articles gets its kept report). The background articles
follow the stream of ``bench/stories.py`` (its ``plan`` and ``Generator``: 10,000 articles
a day from 2,000 outlets of Zipf popularity, stories of heavy-tailed size in bursts,
look-alike stories of one topic, Zipf background words, famous names), drawn with a
vocabulary of word numbers that are then spelt as invented words, names capitalised and
numbers as digits, so the real clusterer reads text, not features. Annotating 100,000
texts with spaCy would take hours, and these invented words would give it nothing to
find, so the background articles are stored with empty annotations under the current
annotator version. One story is real: the 200-article story of ``bench/compare.py``
(sentences of the example corpus's letter story, annotated by the real annotator), so its
page has facts, conflicts and quotes; the bench requests that story and its articles.

**Measure.** Each route gets a fresh ``parallax serve`` subprocess (so the server's CPU is
apart from the client's, as in real use, and its caches start empty): the first request
is the cold one (a story's report is read from the store and parsed, its page drawn),
then ``--requests`` sequential requests with httpx over one keep-alive connection give
p50, p95 and max. The measure runs twice: on a quiet machine, then while a second process
ingests new articles of the same stream into the same store in batches of ``--batch``
(ingest, annotation with spaCy, clustering, reports), without pausing, from before the
first request to after the last. The server reads a copy of the kept store, so every run
starts from the same store. Target: p95 < 50 ms on every route.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import compare as compare_bench  # noqa: E402
import stories as stories_bench  # noqa: E402

from parallax.model import empty_annotations  # noqa: E402
from parallax.pipeline import (  # noqa: E402
    annotate_store,
    cluster_store,
    ingest,
    refresh_reports,
)
from parallax.store import Store, StoryStore  # noqa: E402

START = 1_790_812_800.0  # 2026-10-01T00:00:00Z: the letter story runs 5 to 8 October
STORY = 200
TARGET_MS = 50.0
RESERVE = 50_000
"""Articles of the stream after the store's own, for the writer to ingest."""
POOLS = ("background", "specific", "topical", "names", "numbers")
SIZES = (30_000, 300_000, 100_000, 500_000, 20_000)
"""The pools of :class:`stories_bench.Vocabulary`, in its order and sizes."""
_CONSONANTS, _VOWELS = "bdfgklmnprtvz", "aeiou"


# -- the background stream -----------------------------------------------------------------


def _bounds() -> list[tuple[str, int, int]]:
    out, first = [], 0
    for name, size in zip(POOLS, SIZES, strict=True):
        out.append((name, first, first + size))
        first += size
    return out


def spelt(number: int) -> str:
    """An invented word for a number: two or more consonant-vowel syllables."""
    base = len(_CONSONANTS) * len(_VOWELS)
    syllables: list[str] = []
    while number or len(syllables) < 2:
        number, digit = divmod(number, base)
        syllables.append(_CONSONANTS[digit // len(_VOWELS)] + _VOWELS[digit % len(_VOWELS)])
    return "".join(syllables)


def token(word_id: int) -> str:
    for name, first, last in _bounds():
        if first <= word_id < last:
            local = word_id - first
            if name == "names":
                return spelt(local).capitalize() + "n"
            if name == "numbers":
                return str(10 + 37 * local)
            return spelt(word_id)
    raise ValueError(word_id)


def vocabulary() -> stories_bench.Vocabulary:
    """The bench/stories.py vocabulary with word numbers in place of feature keys."""
    pools = {name: np.arange(first, last, dtype=np.int64) for name, first, last in _bounds()}
    return stories_bench.Vocabulary(**pools)


def background(total: int, seed: int) -> Iterator[dict[str, Any]]:
    """JSONL records of the stream of ``total`` articles, in publication order."""
    corpus = stories_bench.plan(total, 10_000, seed)
    generator = stories_bench.Generator(vocabulary(), corpus, seed)
    specific = _bounds()[1][1:]
    for n in range(total):
        features = generator.article(
            n, int(corpus.stories[n]), float(corpus.times[n]), int(corpus.outlets[n])
        )
        counts = np.rint(np.exp(features.weights / 10 - 1)).astype(np.int64)
        ids = np.repeat(features.keys, counts)
        rng = np.random.default_rng(seed * 1_000_003 + n)
        rng.shuffle(ids)
        words = [token(int(i)) for i in ids]
        sentences, at = [], 0
        while at < len(words):
            size = int(rng.integers(8, 17))
            part = words[at : at + size]
            sentences.append(" ".join([part[0].capitalize(), *part[1:]]) + ".")
            at += size
        paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        keyed = [int(k) for k in features.keys if specific[0] <= k < specific[1]]
        title = " ".join(token(k) for k in keyed[:6]).capitalize()
        outlet = f"outlet{int(corpus.outlets[n])}.example"
        when = time.gmtime(START + float(corpus.times[n]))
        yield {
            "url": f"https://{outlet}/news/{n}",
            "outlet": outlet,
            "title": title,
            "published_at": time.strftime("%Y-%m-%dT%H:%M:%S", when),
            "text": "\n\n".join(paragraphs),
        }


def write_jsonl(records: Iterator[dict[str, Any]], path: Path) -> list[str]:
    urls = []
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            urls.append(record["url"])
    return urls


# -- building --------------------------------------------------------------------------------


def story_url(key: str) -> str:
    return f"https://letter.example/{key}"


def build(path: Path, articles: int, seed: int) -> dict[str, Any]:
    """The store at ``path`` and what the bench needs of it; timings in seconds."""
    from parallax.annotate.annotator import version

    timings: dict[str, float] = {}
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp, Store.open(partial) as store:
        folder = Path(tmp)
        step = time.perf_counter()
        stream = background(articles + RESERVE, seed)
        files = []
        for chunk in range(math.ceil(articles / 10_000)):
            count = min(10_000, articles - chunk * 10_000)
            files.append(folder / f"background-{chunk:02d}.jsonl")
            write_jsonl((next(stream) for _ in range(count)), files[-1])
        timings["generate_background"] = time.perf_counter() - step
        step = time.perf_counter()
        pool = compare_bench.story_sentences()
        sources = compare_bench.generate(STORY, pool, seed)
        records = [
            {
                "url": story_url(s.article.id),
                "outlet": s.article.outlet,
                "title": s.article.text.split(". ")[0][:120],
                "published_at": s.article.published_at,
                "text": s.article.text,
            }
            for s in sources
        ]
        files.append(folder / "letter.jsonl")
        write_jsonl(iter(records), files[-1])
        timings["generate_and_annotate_story"] = time.perf_counter() - step
        log(f"generated {articles:,} background articles and the {STORY}-article story")

        step = time.perf_counter()
        summary = ingest(files, store)
        timings["ingest"] = time.perf_counter() - step
        log(f"ingested in {timings['ingest']:.0f} s: {summary.to_json()}")

        step = time.perf_counter()
        annotator = version()
        by_url = {story_url(s.article.id): s for s in sources}
        reused = 0
        with store.transaction():
            for article in store.articles():
                source = by_url.get(article.url or "")
                if source is None:
                    store.save_annotations(article.id, empty_annotations(), annotator)
                elif source.article.text == article.text:
                    store.save_annotations(article.id, source.article.annotations, annotator)
                    reused += 1
        annotate_store(store)  # whatever of the story the store holds in another form
        timings["annotations"] = time.perf_counter() - step
        log(f"annotations saved ({reused} of the story's as annotated, the rest annotated now)")

        step = time.perf_counter()
        clustered = cluster_store(store)
        timings["cluster"] = time.perf_counter() - step
        log(f"clustered in {timings['cluster']:.0f} s: {clustered}")

        step = time.perf_counter()
        compared = refresh_reports(store)
        timings["reports"] = time.perf_counter() - step
        log(f"{compared:,} reports kept in {timings['reports']:.0f} s")
    os.replace(partial, path)
    timings["total"] = time.perf_counter() - started
    info = {
        "articles": articles,
        "seed": seed,
        "build_seconds": {k: round(v, 1) for k, v in timings.items()},
    }
    info.update(inspect(path))
    sidecar(path).write_text(json.dumps(info, indent=2) + "\n")
    return info


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".bench.json")


def inspect(path: Path) -> dict[str, Any]:
    """Sizes of the store, the letter story and the article the bench requests."""
    with Store.open_readonly(path) as store:
        db = store._connection
        stories = StoryStore(store)
        rows = db.execute(
            "SELECT sa.story, count(*) FROM story_articles sa JOIN articles a"
            " ON a.id = sa.article WHERE a.url LIKE 'https://letter.example/%'"
            " GROUP BY sa.story ORDER BY count(*) DESC"
        ).fetchall()
        story = stories.resolve(rows[0][0])
        assert story is not None
        members = stories.member_ids(story)
        kept = stories.kept_report(story)
        report = json.loads(kept[1]) if kept else {}
        article = max(
            (a for a in (store.article(m) for m in members) if a is not None),
            key=lambda a: (len(a.annotations.get("quotes", [])), a.id),
        )
        live = db.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()
        return {
            "stored_articles": store.count_articles(),
            "stories": int(live[0]),
            "stories_of_two_or_more": int(
                db.execute("SELECT count(*) FROM story_reports").fetchone()[0]
            ),
            "store_mib": round(path.stat().st_size / 2**20, 1),
            "letter_story": {
                "id": story,
                "articles": len(members),
                "letter_articles_in_it": int(rows[0][1]),
                "letter_stories": len(rows),
                "facts": len(report.get("facts", [])),
                "conflicts": len(report.get("conflicts", [])),
                "quotes": len(report.get("quotes", [])),
                "report_mib": round(len(kept[1].encode()) / 2**20, 2) if kept else None,
            },
            "article": {"id": article.id, "characters": len(article.text)},
        }


# -- the writer beside the server ----------------------------------------------------------


def writer(path: Path, articles: int, seed: int, batch: int, stop: Path) -> None:
    """Ingest the stream after the store's articles in batches until ``stop`` exists; one
    JSON line per batch on stdout."""
    from parallax.stories import StoryRun

    started = time.perf_counter()
    with Store.open(path) as store, tempfile.TemporaryDirectory(prefix="bench-writer-") as tmp:
        run = StoryRun(store, None)  # the working set, built once, as a feed watcher does
        emit({"event": "ready", "seconds": round(time.perf_counter() - started, 2)})
        stream = background(articles + RESERVE, seed)
        for _ in range(articles):
            next(stream)
        done = 0
        while not stop.exists() and done + batch <= RESERVE:
            step = time.perf_counter()
            file = Path(tmp) / f"batch-{done}.jsonl"
            write_jsonl((next(stream) for _ in range(batch)), file)
            last = store._connection.execute("SELECT max(seq) FROM articles").fetchone()[0]
            summary = ingest([file], store)
            annotated = annotate_store(store)
            new = store._connection.execute("SELECT id FROM articles WHERE seq > ?", (last,))
            ids = [row[0] for row in new.fetchall()]
            run.place(ids)
            compared = refresh_reports(store)
            done += batch
            emit(
                {
                    "event": "batch",
                    "at": time.time(),
                    "seconds": round(time.perf_counter() - step, 2),
                    "ingested": summary.ingested,
                    "annotated": annotated,
                    "reports": compared,
                    "outlets": len(StoryStore(store).outlets()),
                }
            )


def emit(value: dict[str, Any]) -> None:
    print(json.dumps(value), flush=True)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- measuring -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Served:
    """``parallax serve`` in a subprocess on a free loopback port. Its log goes to
    ``log_file`` when given: under a long load nobody reads a pipe, which would fill and
    stop the server."""

    def __init__(self, db: Path, log_file: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_file = log_file
        command = [str(Path(sys.executable).with_name("parallax")), "serve"]
        command += ["--port", str(self.port), "--db", str(db)]
        if log_file is None:
            self.process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
            )
        else:
            with log_file.open("w") as sink:
                self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=sink)

    def _log(self) -> str:
        if self.log_file is not None:
            return self.log_file.read_text()
        return self.process.stderr.read() if self.process.stderr else ""

    def __enter__(self) -> Served:
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self._log()}")
            try:
                httpx.get(f"{self.url}/static/no-such-file", timeout=1)  # a cheap 404
                return self
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("the server did not start")

    def __exit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def routes(info: dict[str, Any], query: str) -> dict[str, str]:
    story, article = info["letter_story"]["id"], info["article"]["id"]
    return {
        "/": "/",
        f"/?q={query}": f"/?q={query}",
        "/stories/{id}": f"/stories/{story}",
        "/articles/{id}": f"/articles/{article}",
        "/api/stories/{id}": f"/api/stories/{story}",
        "/api/stories": "/api/stories",
    }


def measure_route(db: Path, target: str, requests: int) -> dict[str, Any]:
    import httpx

    with Served(db) as served, httpx.Client(base_url=served.url, timeout=60) as client:
        times, size = [], 0
        for n in range(requests + 1):
            started = time.perf_counter()
            response = client.get(target)
            body = response.content
            times.append(1000 * (time.perf_counter() - started))
            if response.status_code != 200:
                raise RuntimeError(f"{target}: HTTP {response.status_code}")
            size = len(body) if n == 0 else size
    warm = np.array(times[1:])
    return {
        "cold_ms": round(times[0], 1),
        "p50_ms": round(float(np.percentile(warm, 50)), 1),
        "p95_ms": round(float(np.percentile(warm, 95)), 1),
        "max_ms": round(float(warm.max()), 1),
        "mean_ms": round(float(warm.mean()), 1),
        "bytes": size,
    }


def measure(db: Path, info: dict[str, Any], query: str, requests: int) -> dict[str, Any]:
    out = {}
    for name, target in routes(info, query).items():
        out[name] = measure_route(db, target, requests)
        log(f"  {name:18} {json.dumps(out[name])}")
    return out


def under_ingest(
    db: Path, info: dict[str, Any], args: argparse.Namespace
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The measure while the writer ingests beside it; the writer's own figures."""
    stop = db.with_name("stop-writer")
    command = [sys.executable, __file__, "--writer", "--store", str(db)]
    command += ["--articles", str(args.articles), "--seed", str(args.seed)]
    command += ["--batch", str(args.batch), "--stop-file", str(stop)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    lines: list[dict[str, Any]] = []
    ready = json.loads(process.stdout.readline())
    lines.append(json.loads(process.stdout.readline()))  # one batch in: it is writing
    log(f"writer ready after {ready['seconds']} s, first batch {lines[0]['seconds']} s")
    window = [time.time()]
    try:
        figures = measure(db, info, args.query, args.requests)
    finally:
        window.append(time.time())
        stop.touch()
        lines += [json.loads(line) for line in process.stdout]
        process.wait()
    batches = [b for b in lines if b["event"] == "batch"]
    inside = [b for b in batches if window[0] <= b["at"]]
    ends = [window[0]] + [b["at"] for b in inside]
    ends.append(max(window[1], ends[-1]))
    written = {
        "writer_start_seconds": ready["seconds"],
        "batch": args.batch,
        "batches_during": len(inside),
        "articles_during": sum(b["ingested"] for b in inside),
        "reports_during": sum(b["reports"] for b in inside),
        "new_outlet_names_during": (inside[-1]["outlets"] - lines[0]["outlets"] if inside else 0),
        "batches_with_new_outlet_names": sum(
            b["outlets"] != a["outlets"] for a, b in itertools.pairwise([lines[0], *inside])
        ),
        "seconds_per_batch": [b["seconds"] for b in inside],
        "longest_gap_seconds": round(float(max(np.diff(ends))), 2),
        "last_batch_after_end_seconds": round(inside[-1]["at"] - window[1], 2) if inside else None,
        "measure_seconds": round(window[1] - window[0], 1),
    }
    return figures, written


def table(results: dict[str, Any]) -> str:
    lines = [
        "| route | phase | cold ms | p50 ms | p95 ms | max ms | bytes |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name in results["quiet"]:
        for phase in ("quiet", "under ingest"):
            if phase not in results:
                continue
            row = results[phase][name]
            flag = " **miss**" if row["p95_ms"] >= TARGET_MS else ""
            lines.append(
                f"| `{name}` | {phase} | {row['cold_ms']} | {row['p50_ms']} | "
                f"{row['p95_ms']}{flag} | {row['max_ms']} | {row['bytes']:,} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=ROOT / "out" / "bench-serve.db")
    parser.add_argument("--rebuild", action="store_true", help="build the store again")
    parser.add_argument("--articles", type=int, default=100_000, help="background articles")
    parser.add_argument("--requests", type=int, default=200, help="warm requests per route")
    parser.add_argument("--batch", type=int, default=100, help="articles per writer batch")
    parser.add_argument("--query", default="letter", help="the word of /?q=")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quiet-only", action="store_true", help="skip the run under ingest")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--writer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--stop-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        writer(args.store, args.articles, args.seed, args.batch, args.stop_file)
        return
    if args.rebuild or not args.store.exists() or not sidecar(args.store).exists():
        log(f"building {args.store} ...")
        info = build(args.store, args.articles, args.seed)
        log(f"built in {info['build_seconds']['total']:.0f} s: {info['build_seconds']}")
    else:
        info = json.loads(sidecar(args.store).read_text())
        if info["articles"] != args.articles or info["seed"] != args.seed:
            parser.error(f"{args.store} holds another corpus: pass --rebuild")
        log(f"reusing {args.store} (built in {info['build_seconds']['total']:.0f} s)")
    cores = os.cpu_count()
    log(
        f"{stories_bench.machine()}: the server, this client and (second run) the writer "
        f"share these {cores} cores; the writer competes with the server for them"
    )
    results: dict[str, Any] = {"machine": stories_bench.machine(), "cores": cores, "store": info}
    with tempfile.TemporaryDirectory(prefix="bench-serve-", dir=args.store.parent) as tmp:
        for phase in ("quiet", "under ingest"):
            if phase != "quiet" and args.quiet_only:
                continue
            copy = Path(tmp) / "served.db"
            shutil.copyfile(args.store, copy)
            log(f"{phase}:")
            load = os.getloadavg()[0]
            if phase == "quiet":
                results[phase] = measure(copy, info, args.query, args.requests)
            else:
                results[phase], results["writer"] = under_ingest(copy, info, args)
                log(f"  writer: {json.dumps(results['writer'])}")
            results[f"load_before_{phase.replace(' ', '_')}"] = round(load, 2)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
    results["requests"] = args.requests
    results["target_p95_ms"] = TARGET_MS
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
