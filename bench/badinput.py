"""Bad-input benchmark: Parallax on a generated corpus of hostile and broken inputs.

Usage::

    python bench/badinput.py [--quick] [--no-annotate] [--workers N] [--keep DIR] [--json]

The corpus of ``tests/badinput/generate.py`` (the full one: with a 512 MiB ``.json`` gzip
bomb, a 1 GiB sparse JSONL line and bombs inflating to 4 GiB; ``--quick``: the one the
test suite runs) is written to a temporary folder and run as a user runs Parallax, each
command a ``python -m parallax`` subprocess: ``ingest`` of the folder with its manifest
(annotating and folding into stories, as by default), ``watch --once`` of the feeds and
sitemaps served on 127.0.0.1, ``watch FILE`` of the OPML lists, ``ingest --manifest`` of a
bad manifest, then ``check``. Reported: inputs tried, good articles stored (must be all),
bad inputs quarantined or refused with their codes (must be all; each listed), tracebacks
(must be none), the peak RSS of any child process, wall times, and the slowest inputs
(from a second, timed pass of ``ingest_into`` over the same files, in its own process,
without annotation). Exit code 1 when a case went otherwise than expected.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.badinput.generate import generate  # noqa: E402
from tests.badinput.runner import Outcome, run_corpus  # noqa: E402


def child(root: Path, db: Path) -> dict[str, Any]:
    """The timed pass, in this (fresh) process: each input of ``inputs/`` and the named
    files, read and stored one after another, with the seconds each took."""
    from parallax.ingest import ingest_into, load_manifest
    from parallax.model import Metadata
    from parallax.settings import Settings
    from parallax.store import Store

    cases = json.loads((root / "cases.json").read_text(encoding="utf-8"))["cases"]
    paths = [root / "inputs"] + [root / c["path"] for c in cases if c["how"] == "explicit"]
    seconds: dict[str, float] = {}
    last = time.perf_counter()

    def timed(path: Path, count: int) -> None:
        nonlocal last
        now = time.perf_counter()
        seconds[str(path.relative_to(root))] = now - last
        last = now

    with Store.open(db) as store:
        manifest = load_manifest(root / "manifest.csv")
        last = time.perf_counter()
        ingest_into(store, paths, Metadata(), manifest, Settings.from_env(), timed)
    slowest = sorted(seconds.items(), key=lambda item: -item[1])
    return {"inputs": len(seconds), "slowest": [[p, round(s, 2)] for p, s in slowest[:8]]}


def timed_pass(root: Path, db: Path) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(root), str(db)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(output))


def figures(outcome: Outcome, timing: dict[str, Any], wall: float, full: bool) -> dict[str, Any]:
    verdicts = outcome.verdicts
    good = [v for v in verdicts if v.case.stored]
    bad = [v for v in verdicts if v.case.bad]
    return {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        "load_average": [round(v, 1) for v in os.getloadavg()],
        "corpus": "full" if full else "quick",
        "inputs": len(verdicts),
        "good_articles_expected": sum(v.case.stored for v in good),
        "good_articles_stored": sum(min(v.stored, v.case.stored) for v in good),
        "bad_inputs": len(bad),
        "bad_inputs_as_expected": sum(1 for v in bad if v.ok),
        "cases_failed": {v.case.name: v.problems for v in outcome.failures},
        "tracebacks": outcome.tracebacks,
        "peak_rss_mib": max(step.peak_rss_mib for step in outcome.steps),
        "steps": {
            s.name: {"exit": s.returncode, "seconds": round(s.seconds, 1)} for s in outcome.steps
        },
        "wall_s": round(wall, 1),
        "slowest_inputs": timing["slowest"],
        "bad": [
            {"input": v.case.path, "codes": v.codes, "how": v.case.how, "stored": v.stored}
            for v in bad
        ],
    }


def report(result: dict[str, Any]) -> None:
    print(result["machine"], "load", " ".join(map(str, result["load_average"])))
    print(
        f"{result['corpus']} corpus: {result['inputs']} inputs; good articles stored "
        f"{result['good_articles_stored']}/{result['good_articles_expected']}; bad inputs "
        f"quarantined or refused as expected {result['bad_inputs_as_expected']}/"
        f"{result['bad_inputs']}; tracebacks {len(result['tracebacks'])}; peak RSS "
        f"{result['peak_rss_mib']} MiB; wall {result['wall_s']} s"
    )
    for name, step in result["steps"].items():
        print(f"  {name}: exit {step['exit']}, {step['seconds']} s")
    print("slowest inputs (timed pass, no annotation):")
    for path, seconds in result["slowest_inputs"]:
        print(f"  {seconds:6.2f} s  {path!r}")
    print("bad inputs:")
    for item in result["bad"]:
        kept = f" (and {item['stored']} good stored)" if item["stored"] else ""
        print(f"  {item['input']!r} -> {', '.join(item['codes']) or 'nothing'}{kept}")
    for name, problems in result["cases_failed"].items():
        print(f"FAILED {name}: {'; '.join(problems)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the test suite's corpus")
    parser.add_argument("--no-annotate", action="store_true", help="ingest and watch only")
    parser.add_argument("--workers", type=int, help="annotation processes (default: per core)")
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        root = args.keep or Path(folder) / "corpus"
        started = time.perf_counter()
        generate(root, full=not args.quick)
        outcome = run_corpus(
            root, Path(folder) / "store.db", annotate=not args.no_annotate, workers=args.workers
        )
        wall = time.perf_counter() - started
        timing = timed_pass(root, Path(folder) / "timed.db")
    result = figures(outcome, timing, wall, not args.quick)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        report(result)
    return 1 if result["cases_failed"] or result["tracebacks"] else 0


if __name__ == "__main__":
    sys.exit(main())
