"""Run Parallax on a generated bad-input corpus as a user would, and judge every case.

Each step is a ``python -m parallax`` subprocess: one ``ingest`` of ``inputs/`` (and the
files of ``explicit/`` named on the command line) with the corpus's manifest; one
``watch --once`` of the feeds, served from the corpus on 127.0.0.1 (``--allow-private``);
one ``watch FILE`` per OPML list and one ``ingest --manifest`` of the bad manifest; then
``check``. What the store holds afterwards (``export``, ``quarantine``, ``feeds``) is
compared with what each case says must happen.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from parallax.store import FeedStore, Store
from tests.badinput.generate import FORBIDDEN, HOST, Case, load_cases

TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".html": "text/html; charset=utf-8",
}
_CODE = re.compile(r"\[(E\d{3})\]")


@dataclass
class Step:
    """One command run: its arguments, exit code, output and wall time."""

    name: str
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mib: float
    """The largest resident set of any child so far (ru_maxrss of RUSAGE_CHILDREN)."""

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stderr


@dataclass
class Verdict:
    case: Case
    source: str
    stored: int
    codes: list[str]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Outcome:
    """Everything one run of the corpus gave."""

    steps: list[Step]
    verdicts: list[Verdict]
    summary: dict[str, Any]
    """The ingest command's JSON summary."""

    @property
    def failures(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.ok]

    @property
    def tracebacks(self) -> list[str]:
        return [step.name for step in self.steps if step.traceback]


def parallax(name: str, *args: str, env: dict[str, str] | None = None) -> Step:
    """Run ``python -m parallax ARGS`` (``env``: settings added to the environment)."""
    command = [sys.executable, "-m", "parallax", *args]
    started = time.perf_counter()
    environment = {**os.environ, **(env or {})}
    done = subprocess.run(
        command, capture_output=True, text=True, errors="replace", env=environment
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return Step(
        name,
        args=list(args),
        returncode=done.returncode,
        stdout=done.stdout,
        stderr=done.stderr,
        seconds=seconds,
        peak_rss_mib=round(peak),
    )


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """The corpus's files over HTTP on 127.0.0.1 (the feeds' ``http://{host}`` filled in
    with the server's address); yields the base url."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = (root / self.path.lstrip("/")).resolve()
            if root.resolve() not in path.parents or not path.is_file():
                self.send_error(404)
                return
            body = path.read_bytes().replace(HOST.encode(), base.encode())
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(path.suffix, "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def run_corpus(
    root: Path, db: Path, *, annotate: bool = True, workers: int | None = None
) -> Outcome:
    """Every step on the corpus at ``root`` into the store ``db``, then every verdict.
    ``annotate``: annotate and fold into stories, as ingest and watch do by default;
    ``workers``: their annotation processes (default: one per core)."""
    cases = load_cases(root)
    explicit = [str(root / c.path) for c in cases if c.how == "explicit"]
    flags = [] if annotate else ["--no-annotate", "--no-cluster"]
    store = ["--db", str(db)]
    chosen = [] if workers is None else ["--workers", str(workers)]
    ingest = parallax(
        "ingest",
        "ingest",
        str(root / "inputs"),
        *explicit,
        "--manifest",
        str(root / "manifest.csv"),
        *chosen,
        *flags,
        "--format",
        "json",
        *store,
    )
    steps = [ingest]
    with serve(root) as base:
        feeds = [f"{base}/{c.path}" for c in cases if c.how == "feed"]
        # the server is this process's own: no politeness delay between its requests
        steps.append(
            parallax(
                "watch",
                "watch",
                *feeds,
                "--once",
                "--only",
                "--allow-private",
                *flags,
                "--format",
                "json",
                *store,
                env={"PARALLAX_FETCH_DELAY": "0"},
            )
        )
    for case in cases:
        if case.how == "opml":
            steps.append(parallax(case.path, "watch", str(root / case.path), "--once", *store))
        elif case.how == "manifest":
            steps.append(
                parallax(
                    case.path,
                    "ingest",
                    str(root / "inputs/good/plain.txt"),
                    "--manifest",
                    str(root / case.path),
                    *flags,
                    *store,
                )
            )
    steps.append(parallax("check", "check", *store))
    state = _state(db)
    summary = _json_or_empty(ingest.stdout)
    verdicts = [_judge(root, case, state, summary, steps, base) for case in cases]
    return Outcome(steps, verdicts, summary)


def _json_or_empty(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass
class _State:
    articles: list[dict[str, Any]]
    quarantine: list[dict[str, Any]]
    feeds: dict[str, dict[str, Any]]


def _state(db: Path) -> _State:
    """What the store holds, read-only (what `export`, `quarantine` and `feeds` print)."""
    with Store.open_readonly(db) as store:
        articles = [{"source": a.source, "text": a.text} for a in store.articles()]
        quarantine = [entry.to_json() for entry in store.quarantined()]
        feeds = {feed.url: feed.to_json() for feed in FeedStore(store).feeds()}
    return _State(articles, quarantine, feeds)


def _judge(
    root: Path, case: Case, state: _State, summary: dict[str, Any], steps: list[Step], base: str
) -> Verdict:
    if case.how == "feed":
        return _judge_feed(case, state, f"{base}/{case.path}")
    if case.how in ("opml", "manifest"):
        return _judge_command(case, next(s for s in steps if s.name == case.path))
    source = case.source or str(root / case.path)
    texts = [a.get("text") or "" for a in state.articles if a.get("source") == source]
    entries = [q for q in state.quarantine if q["source"] == source]
    verdict = Verdict(case, source, len(texts), sorted(q["code"] for q in entries))
    if verdict.stored != case.stored:
        verdict.problems.append(f"stored {verdict.stored} article(s), expected {case.stored}")
    if verdict.codes != sorted(case.codes):
        verdict.problems.append(f"quarantined {verdict.codes}, expected {sorted(case.codes)}")
    if any(source not in q["reason"] for q in entries):
        verdict.problems.append("a quarantine reason does not name the input")
    if case.skipped and source not in summary.get("skipped", []):
        verdict.problems.append("not listed as skipped")
    if any(marker in text for text in texts for marker in FORBIDDEN):
        verdict.problems.append("a stored text holds an expanded entity")
    if not (case.stored or case.codes or case.skipped):
        inside = [
            a
            for a in state.articles + state.quarantine
            if str(a.get("source", "")).startswith(source + "/")
        ]
        if inside:
            verdict.problems.append(f"{len(inside)} input(s) read through it")
    return verdict


def _judge_feed(case: Case, state: _State, url: str) -> Verdict:
    feed = state.feeds.get(url, {})
    error = feed.get("last_error") or ""
    verdict = Verdict(case, url, int(feed.get("items_stored") or 0), _CODE.findall(error)[:1])
    if not feed:
        verdict.problems.append("not among the watched feeds")
    if verdict.stored != case.stored:
        verdict.problems.append(f"stored {verdict.stored} entries, expected {case.stored}")
    if verdict.codes != case.codes:
        verdict.problems.append(f"refused with {verdict.codes}, expected {case.codes}")
    if error and url not in error:
        verdict.problems.append("the error does not name the feed")
    return verdict


def _judge_command(case: Case, step: Step) -> Verdict:
    """A list or manifest refused as a usage error: exit 2, the code and the file named."""
    output = step.stdout + step.stderr
    verdict = Verdict(case, case.path, 0, _CODE.findall(output)[:1])
    if step.returncode != 2:
        verdict.problems.append(f"exit code {step.returncode}, expected 2")
    if verdict.codes != case.codes:
        verdict.problems.append(f"refused with {verdict.codes}, expected {case.codes}")
    if Path(case.path).name not in output:
        verdict.problems.append("the message does not name the file")
    return verdict
