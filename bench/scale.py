"""Every core, then Dask: articles a second through the whole per-article pipeline with 1
and with N local workers, as a user runs it (the CLI, a fresh store each time).

    python bench/scale.py [--copies 2] [--workers 2] [--no-batch] [--ceiling] [--pairs K] [--json]

Four runs per worker count, each on a fresh store:
- ``parallax ingest --workers N``: read, store, annotate in N processes, stories, compare;
- ``parallax batch --local N`` then ``parallax load``: shards made by a LocalCluster of N
  processes, then loaded by one writer (stories and comparison included).
Texts: the 150 BASIL development articles (real news, ~700 words) as JSONL, repeated
``--copies`` times with a marker so that each copy is a distinct article (the
near-duplicate check sees them as copies of each other, as it would see syndicated news).
Peak memory, sampled from /proc every 0.2 s: the largest resident set of any worker
process (annotation workers, their fork server, or Dask workers) and of the writer, and
the largest sum of proportional set sizes of all the command's processes (pages shared by
workers forked from one server counted once).

``--pairs K`` also runs each command with 1 and with N processes in turn, K times, a fresh
store or shard folder each time, and gives the median speedup of the pairs with its
spread: on a shared VM single runs of the same command differ by a third.

``--ceiling`` also measures what the machine itself allows: the annotator alone
(``annotate_texts``, no store, no pool) on the whole corpus in one process, then on
1/N of it in each of N processes started together. Their ratio is the speedup of
N cores on this work when nothing is shared but the machine (caches, memory bandwidth,
a hypervisor's scheduling); the ingest's speedup is to be read against it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BASIL = ROOT.parent / "shared" / "data" / "basil-dev" / "articles"
PARALLAX = [sys.executable, "-m", "parallax"]


def make_corpus(folder: Path, copies: int) -> int:
    """BASIL dev as JSONL files (one per copy); returns the number of articles."""
    import ast

    records = []
    for path in sorted(BASIL.rglob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = raw["body-paragraphs"]
        if isinstance(paragraphs, str):
            paragraphs = ast.literal_eval(paragraphs)
        text = "\n\n".join(" ".join(p) for p in paragraphs)
        records.append(
            {"title": raw["title"], "outlet": raw["source"], "published_at": raw["date"],
             "url": raw["url"], "text": text}
        )  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    for copy in range(copies):
        with (folder / f"basil-{copy}.jsonl").open("w", encoding="utf-8") as handle:
            for record in records:
                # a path of its own: a fragment is dropped from the url that names an
                # article, so "#copy1" would make every copy a revision of one article
                parts = urlsplit(record["url"])
                path = f"{parts.path.rstrip('/')}/copy{copy}"
                marked = dict(record, url=urlunsplit(parts._replace(path=path)))
                if copy:
                    marked["text"] = f"{record['text']}\n\n(Copy {copy}.)"
                handle.write(json.dumps(marked) + "\n")
    return len(records) * copies


def descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {c for c, p in parents.items() if p in frontier} - found
        found |= frontier
    return found


def rss_mb(pid: int) -> float:
    """A process's resident set size."""
    return _proc_mb(pid, "status", "VmRSS:")


def pss_mb(pid: int) -> float:
    """A process's proportional set size: its private pages, and its share of those it
    shares (workers forked from one server share the model's), so a sum over processes
    counts each page once."""
    return _proc_mb(pid, "smaps_rollup", "Pss:")


def _proc_mb(pid: int, name: str, key: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run(command: list[str]) -> dict[str, Any]:
    """Wall time of a command, the peak memory of its writer and of its largest child
    (resident), and the peak of all its processes together (proportional, see pss_mb)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    writer = child = total = 0.0
    while process.poll() is None:
        writer = max(writer, rss_mb(process.pid))
        family = descendants(process.pid)
        for pid in family:
            child = max(child, rss_mb(pid))
        total = max(total, sum(pss_mb(pid) for pid in {process.pid, *family}))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return {"seconds": round(seconds, 2), "writer_mb": round(writer), "worker_mb": round(child),
            "total_mb": round(total)}  # fmt: skip


def measure(
    corpus: Path, articles: int, workers: int, folder: Path, partition_mb: float, batch: bool
) -> dict[str, Any]:
    db = folder / f"ingest-{workers}.db"
    ingest = run([*PARALLAX, "ingest", str(corpus), "--workers", str(workers), "--db", str(db)])
    found = {"workers": workers, "ingest": {**ingest, "per_second": per_second(articles, ingest)}}
    if batch:
        found.update(measure_batch(corpus, articles, workers, folder, partition_mb))
    return found


def paired(corpus: Path, workers: int, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """``--pairs``: each command with 1 and with ``workers`` processes run in turn, a fresh
    store or shard folder each time, and the speedup taken pair by pair: on a machine
    whose speed drifts (a shared VM) a ratio of two single runs is noise."""
    kinds = ["ingest"] if args.no_batch else ["ingest", "batch"]
    found: dict[str, Any] = {}
    for kind in kinds:
        times: dict[int, list[float]] = {1: [], workers: []}
        for pair in range(args.pairs):
            for n in (1, workers):
                out = folder / f"pair-{kind}-{n}-{pair}"
                times[n].append(run(pair_command(kind, corpus, n, out, args))["seconds"])
                if out.is_dir():  # shards
                    shutil.rmtree(out)
                else:
                    out.unlink(missing_ok=True)
        ratios = [one / many for one, many in zip(times[1], times[workers], strict=True)]
        found[kind] = {
            "pairs": args.pairs,
            "seconds_1": round(statistics.median(times[1]), 2),
            f"seconds_{workers}": round(statistics.median(times[workers]), 2),
            "speedup": round(statistics.median(ratios), 2),
            "spread": [round(min(ratios), 2), round(max(ratios), 2)],
        }
    return found


def pair_command(kind: str, corpus: Path, n: int, out: Path, args: argparse.Namespace) -> list[str]:
    if kind == "ingest":
        return [*PARALLAX, "ingest", str(corpus), "--workers", str(n), "--db", str(out)]
    return [*PARALLAX, "batch", str(corpus), "--out", str(out), "--local", str(n),
            "--partition-mb", str(args.partition_mb)]  # fmt: skip


def per_second(articles: int, run: dict[str, Any]) -> float:
    return round(articles / run["seconds"], 2)


def measure_batch(
    corpus: Path, articles: int, workers: int, folder: Path, partition_mb: float
) -> dict[str, Any]:
    shards, loaded = folder / f"shards-{workers}", folder / f"batch-{workers}.db"
    batch = run([*PARALLAX, "batch", str(corpus), "--out", str(shards), "--local", str(workers),
                 "--partition-mb", str(partition_mb)])  # fmt: skip
    load = run([*PARALLAX, "load", str(shards), "--db", str(loaded)])
    total = batch["seconds"] + load["seconds"]
    return {
        "batch": {**batch, "per_second": per_second(articles, batch)},
        "load": {**load, "per_second": per_second(articles, load)},
        "batch_and_load_per_second": round(articles / total, 2),
    }


ANNOTATE_PART = """
import json, sys, time
from parallax.annotate import annotate_texts
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
part, parts = int(sys.argv[2]), int(sys.argv[3])
records = [json.loads(line) for line in lines[part::parts]]
items = [(r["text"], r["published_at"], None) for r in records]
annotate_texts(items[:1])  # spaCy loaded and warm before the clock starts
start = time.perf_counter()
for first in range(0, len(items), 16):
    annotate_texts(items[first : first + 16])
print(json.dumps({"articles": len(items), "seconds": time.perf_counter() - start}))
"""


def ceiling(corpus: Path, workers: int) -> dict[str, Any]:
    """Articles a second of the bare annotator in 1 process, and in ``workers`` processes
    started together, each on its share of the first JSONL file (see the module)."""
    source = sorted(corpus.glob("*.jsonl"))[0]
    found: dict[str, Any] = {}
    for n in (1, workers):
        processes = [
            subprocess.Popen([sys.executable, "-c", ANNOTATE_PART, str(source), str(i), str(n)],
                             stdout=subprocess.PIPE, text=True)
            for i in range(n)
        ]  # fmt: skip
        parts = [json.loads(p.communicate()[0]) for p in processes]
        seconds = max(part["seconds"] for part in parts)  # the pair ends with the slower one
        articles = sum(part["articles"] for part in parts)
        found[str(n)] = {
            "articles": articles,
            "seconds": round(seconds, 2),
            "per_second": round(articles / seconds, 2),
        }
    found["speedup"] = round(found[str(workers)]["per_second"] / found["1"]["per_second"], 2)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--partition-mb", type=float, default=0.1, help="batch task size")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--no-batch", action="store_true", help="measure `ingest --workers` only (minutes less)"
    )
    parser.add_argument(
        "--ceiling", action="store_true", help="also the bare annotator in 1 and N processes"
    )
    parser.add_argument(
        "--pairs", type=int, default=0, help="also K pairs of runs, 1 and N in turn (see paired)"
    )
    args = parser.parse_args()
    if not BASIL.is_dir():
        raise SystemExit(f"needs the BASIL development articles in {BASIL}")
    with tempfile.TemporaryDirectory(prefix="parallax-scale-") as tmp:
        folder = Path(tmp)
        articles = make_corpus(folder / "corpus", args.copies)
        batch = not args.no_batch
        runs = [
            measure(folder / "corpus", articles, n, folder, args.partition_mb, batch)
            for n in (1, args.workers)
        ]
        machine_ceiling = ceiling(folder / "corpus", args.workers) if args.ceiling else None
        pairs = paired(folder / "corpus", args.workers, folder, args) if args.pairs else None
        shards = list((folder / f"shards-{args.workers}").glob("*.parquet"))
        sizes = {
            "store_kb_per_article": round(
                (folder / f"ingest-{args.workers}.db").stat().st_size / 1024 / articles, 1
            ),
            "shard_kb_per_article": round(
                sum(p.stat().st_size for p in shards) / 1024 / articles, 1
            ),
        }
    one, many = runs
    kinds = ("ingest", "batch") if batch else ("ingest",)
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "load_average": os.getloadavg()},
        "articles": articles,
        "partition_mb": args.partition_mb,
        "sizes": sizes,
        "runs": runs,
        "speedup": {k: round(one[k]["seconds"] / many[k]["seconds"], 2) for k in kinds},
        "ceiling": machine_ceiling,
        "paired": pairs,
        "articles_per_day": {
            "ingest": round(many["ingest"]["per_second"] * 86400),
            **({"batch_and_load": round(many["batch_and_load_per_second"] * 86400)}
               if batch else {}),
        },
    }  # fmt: skip
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{articles} articles (BASIL dev x{args.copies}), {os.cpu_count()} cpus")
    for entry in runs:
        n = entry["workers"]
        for name in ("ingest", "batch", "load") if batch else ("ingest",):
            part = entry[name]
            print(f"  {name:6} workers={n}: {part['seconds']:7.1f} s  {part['per_second']:6.1f}/s"
                  f"  writer {part['writer_mb']} MB, worker {part['worker_mb']} MB,"
                  f" all {part['total_mb']} MB")  # fmt: skip
    print(f"speedup {args.workers} over 1: {result['speedup']}")
    if machine_ceiling:
        print(f"the bare annotator, 1 and {args.workers} processes: {machine_ceiling}")
    if pairs:
        print(f"paired runs, 1 and {args.workers} in turn: {pairs}")
    print(f"articles per day with {args.workers}: {result['articles_per_day']}")
    print(f"space: {sizes}")


if __name__ == "__main__":
    main()
