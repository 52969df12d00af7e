"""Watch benchmark: feed entries per second through ``parallax watch --once``.

Usage::

    python bench/watch.py [--feeds 10] [--items 50] [--modes store,cluster,annotate] [--json]

A local HTTP server on 127.0.0.1 (a thread of this process) serves ``--feeds`` RSS 2.0
feeds of ``--items`` entries each, with an ETag, and one article page per entry (seeded
HTML of 300-900 words with a head, navigation and a footer; each feed another outlet, its
entries on 12 topics, each with names of its own, so that stories form). For each mode, ``parallax
watch --once --allow-private`` runs in a freshly spawned interpreter against an empty
store, with ``PARALLAX_FETCH_DELAY=0`` (no politeness delay: one local server):

* ``store``: ``--no-annotate --no-cluster``: poll, fetch each page, extract, deduplicate,
  store (one transaction per entry, its feed entry marked in it);
* ``cluster``: ``--no-annotate``: the same, and every few entries folded into stories by
  the one clusterer the watcher keeps open, and the changed stories' reports kept;
* ``annotate``: the default: the same with annotation (spaCy) on.

Then every feed is made due again and polled once more (``--once``): each answers 304 Not
Modified to the conditional GET and no page is fetched. Wall time includes the start of
the interpreter (and the loading of the English pipeline in ``annotate`` mode).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SEED = 2026
TOPICS = 12
WORDS = (
    "the of and to in a that for on is was with as by at it from his her their said has have"
    " be are were an this which after but not its they he she who will would also more than"
    " government minister police officers report election vote president parliament court"
    " judge ruling company market shares prices inflation economy budget tax spending health"
    " hospital school workers union strike protest crowd city council mayor governor border"
    " trade deal agency statement spokesman residents families storm flood rescue bridge"
).split()


def _sentence(rng: random.Random, topic: list[str]) -> str:
    words = [rng.choice(topic if rng.random() < 0.4 else WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + "."


def _names(topic: int) -> list[str]:
    """Made-up names (places, people, bodies) of one topic, shared by no other topic."""
    rng = random.Random(topic)
    syllables = "ka lo ren dis mar vel to sun bri ash hal per cor ni vus den".split()
    return ["".join(rng.sample(syllables, 3)).capitalize() for _ in range(10)]


def _page(rng: random.Random, feed: int, item: int) -> bytes:
    topic = _names(item % TOPICS)
    paragraphs, count = [], 0
    while count < rng.randint(300, 900):
        paragraph = " ".join(_sentence(rng, topic) for _ in range(rng.randint(2, 5)))
        paragraphs.append(f"<p>{paragraph}</p>")
        count += len(paragraph.split())
    title = _sentence(rng, topic)[:-1]
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title} | Outlet {feed}</title>"
        f"<meta property='og:site_name' content='Outlet {feed}'>"
        f"<meta property='article:published_time' content='2026-05-{1 + item % 28:02d}T08:00:00Z'>"
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{''.join(paragraphs)}</article>"
        "<footer>© Outlet. All rights reserved.</footer></body></html>"
    ).encode()


def _feed(port: int, feed: int, items: int) -> bytes:
    entries = "".join(
        f"<item><guid>urn:bench:{feed}:{item}</guid>"
        f"<link>http://127.0.0.1:{port}/f{feed}/a{item}</link><title>Entry {item}</title>"
        f"<pubDate>Mon, 04 May 2026 08:00:00 GMT</pubDate></item>"
        for item in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet {feed}</title>'
        f"{entries}</channel></rss>"
    ).encode()


class Site:
    """The fixture server: every feed and page made up front, requests counted."""

    def __init__(self, feeds: int, items: int) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        port = self.server.server_address[1]
        rng = random.Random(SEED)
        self.routes: dict[str, tuple[bytes, str]] = {}
        for feed in range(feeds):
            self.routes[f"/f{feed}.xml"] = (_feed(port, feed, items), "application/rss+xml")
            for item in range(items):
                self.routes[f"/f{feed}/a{item}"] = (_page(rng, feed, item), "text/html")
        self.counts = {"feed": 0, "not_modified": 0, "page": 0}
        self.port = port

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 1 << 16  # head and body in one write: no Nagle/delayed-ACK stall

            def do_GET(self) -> None:
                found = site.routes.get(self.path)
                if found is None:
                    self._send(404, b"", "text/plain")
                    return
                body, kind = found
                if self.path.endswith(".xml"):
                    site.counts["feed"] += 1
                    if self.headers.get("If-None-Match") == '"v1"':
                        site.counts["not_modified"] += 1
                        self._send(304, b"", kind)
                        return
                else:
                    site.counts["page"] += 1
                self._send(200, body, kind)

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("ETag", '"v1"')
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> Site:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


MODES = {
    "store": ["--no-annotate", "--no-cluster"],
    "cluster": ["--no-annotate"],
    "annotate": [],
}


def _watch(db: Path, feeds: list[str], flags: list[str]) -> tuple[float, float, list[Any]]:
    """One ``watch --once`` in a new interpreter: wall s, child CPU s, its poll lines."""
    env = {**os.environ, "PARALLAX_FETCH_DELAY": "0"}
    command = [sys.executable, "-m", "parallax", "watch", *feeds, "--once", "--allow-private",
               "--format", "json", "--db", str(db), *flags]  # fmt: skip
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = os.times()
    if done.returncode not in (0, 1):
        raise SystemExit(f"watch failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu, [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def run_mode(site: Site, mode: str, folder: Path) -> dict[str, Any]:
    db = folder / f"{mode}.db"
    feeds = [f"http://127.0.0.1:{site.port}{path}" for path in site.routes if path.endswith(".xml")]
    pages_before = site.counts["page"]
    wall, cpu, polls = _watch(db, feeds, MODES[mode])
    stored = sum(p["stored"] for p in polls)
    with sqlite3.connect(db) as conn:
        stories = conn.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()
        reports = conn.execute("SELECT count(*) FROM story_reports").fetchone()
        conn.execute("UPDATE feeds SET next_poll = 0")
    pages = site.counts["page"] - pages_before
    not_modified_before = site.counts["not_modified"]
    again_wall, _, again = _watch(db, feeds, MODES[mode])
    return {
        "mode": mode,
        "flags": " ".join(MODES[mode]) or "(defaults)",
        "items": stored,
        "pages_fetched": pages,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "items_per_s": round(stored / wall, 1),
        "stories": stories[0],
        "reports_kept": reports[0],
        "again_wall_s": round(again_wall, 2),
        "again_not_modified": site.counts["not_modified"] - not_modified_before,
        "again_stored": sum(p["stored"] for p in again),
        "store_mib": round(db.stat().st_size / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--items", type=int, default=50, help="entries per feed")
    parser.add_argument("--modes", default="store,cluster,annotate")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    with Site(args.feeds, args.items) as site, tempfile.TemporaryDirectory() as folder:
        for mode in args.modes.split(","):
            results.append(run_mode(site, mode.strip(), Path(folder)))
    report = {
        "feeds": args.feeds,
        "items_per_feed": args.items,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "load": os.getloadavg()[0],
        },
        "results": results,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{args.feeds} feeds x {args.items} entries, load {report['machine']['load']:.1f}")
    for r in results:
        print(
            f"{r['mode']:>8}: {r['items']} entries in {r['wall_s']} s ({r['items_per_s']}/s, "
            f"CPU {r['cpu_s']} s), {r['stories']} stories, {r['reports_kept']} reports; "
            f"again: {r['again_not_modified']} x 304, {r['again_stored']} stored, "
            f"{r['again_wall_s']} s"
        )


if __name__ == "__main__":
    main()
