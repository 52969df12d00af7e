"""WARC benchmark: records per second and peak memory of ingesting a web archive.

Usage::

    python bench/warc.py [--records 100000] [--small 10000] [--cache DIR] [--json]

A seeded generator writes a CC-NEWS-like archive once into the cache folder (default
``~/.cache/parallax-bench``; it is reused while it exists): a ``warcinfo`` record, then
per capture a ``request``, a ``response`` and a ``metadata`` record, as news crawls write
them. Of the responses, 88% are HTTP 200 article pages (HTML of 300-900 words with a
head, navigation and a footer), 4% are 404 pages, 4% redirects and 4% PDF or JSON
bodies. The archive of ``--records`` records is ingested into an empty store, then again
(the file is complete and unchanged: it is skipped); the archive of ``--small`` records is
ingested once, to show that memory does not grow with the archive. Annotation is off
(``ingest_into`` only reads, deduplicates and stores; annotation has its own benchmark).

Each pass runs in its own freshly spawned interpreter, so that its peak RSS
(``ru_maxrss``, cross-checked against ``VmHWM``) is its own.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SEED = 2025
HTML_SHARE = 0.88
NOT_FOUND_SHARE = 0.04
REDIRECT_SHARE = 0.04
OUTLETS = 40
WORDS = (
    "the of and to in a that for on is was with as by at it from his her their said has have"
    " be are were an this which after but not its they he she who will would also more than"
    " government minister police officers report election vote president parliament court"
    " judge ruling company market shares prices inflation economy budget tax spending health"
    " hospital school workers union strike protest crowd city council mayor governor border"
    " trade deal agency statement spokesman residents families storm flood rescue bridge"
    " river port harbour army talks ceasefire officials sources told reporters on tuesday"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
    return " ".join(words).capitalize() + "."


def _page(rng: random.Random, number: int, outlet: int) -> bytes:
    words = rng.randint(300, 900)
    paragraphs, count = [], 0
    while count < words:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(f"<p>{paragraph}</p>")
        count += len(paragraph.split())
    title = _sentence(rng)[:-1]
    day = 1 + number % 28
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title} | Outlet {outlet}</title>"
        f"<meta property='og:site_name' content='Outlet {outlet}'>"
        f"<meta property='article:published_time' content='2025-01-{day:02d}T08:00:00+00:00'>"
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a>"
        " <a href='/sport'>Sport</a></nav><article>"
        f"<h1>{title}</h1>{''.join(paragraphs)}</article>"
        "<footer>Copyright 2025. All rights reserved.</footer></body></html>"
    ).encode()


def generate(path: Path, records: int, seed: int = SEED) -> dict[str, int]:
    """Write the archive (atomically: a temporary file, then a rename)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(seed)
    counts = {"html_200": 0, "not_found": 0, "redirect": 0, "not_html": 0}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "bench"}))
        written, capture = 1, 0
        while written < records:
            capture += 1
            outlet = rng.randrange(OUTLETS)
            url = f"https://outlet{outlet}.example/news/{capture}"
            date = f"2025-01-{1 + capture % 28:02d}T{capture % 24:02d}:00:00Z"
            warc = {"WARC-Date": date}
            request = StatusAndHeaders(
                "GET /news HTTP/1.1",
                [("Host", f"outlet{outlet}.example")],
                protocol="",
                is_http_request=True,
            )
            records_of_capture = [
                writer.create_warc_record(
                    url,
                    "request",
                    payload=io.BytesIO(b""),
                    length=0,
                    http_headers=request,
                    warc_headers_dict=warc,
                )
            ]
            draw = rng.random()
            if draw < HTML_SHARE:
                status, ctype, body = (
                    "200 OK",
                    "text/html; charset=utf-8",
                    _page(rng, capture, outlet),
                )
                counts["html_200"] += 1
            elif draw < HTML_SHARE + NOT_FOUND_SHARE:
                status, ctype, body = (
                    "404 Not Found",
                    "text/html",
                    b"<html><body>Not found</body></html>",
                )
                counts["not_found"] += 1
            elif draw < HTML_SHARE + NOT_FOUND_SHARE + REDIRECT_SHARE:
                status, ctype, body = "301 Moved Permanently", "text/html", b""
                counts["redirect"] += 1
            else:
                status, ctype = "200 OK", rng.choice(["application/pdf", "application/json"])
                body = bytes(rng.randrange(256) for _ in range(2000))
                counts["not_html"] += 1
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            records_of_capture.append(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=http,
                    warc_headers_dict=warc,
                )
            )
            fields = f"fetchTimeMs: {rng.randint(50, 900)}\r\n".encode()
            records_of_capture.append(
                writer.create_warc_record(
                    url,
                    "metadata",
                    payload=io.BytesIO(fields),
                    length=len(fields),
                    warc_content_type="application/warc-fields",
                    warc_headers_dict=warc,
                )
            )
            for record in records_of_capture[: records - written]:
                writer.write_record(record)
                written += 1
    partial.rename(path)
    return counts


def archive(cache: Path, records: int) -> Path:
    path = cache / f"CC-NEWS-bench-{records}-seed{SEED}.warc.gz"
    if not path.exists():
        started = time.perf_counter()
        generate(path, records)
        print(f"generated {path} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def child(path: Path, db: Path) -> dict[str, Any]:
    """One pass, in this (fresh) process: ingest the archive into the store at ``db``."""
    from parallax.ingest import ingest_into
    from parallax.model import Metadata
    from parallax.settings import Settings
    from parallax.store import Store

    settings = Settings.from_env()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with Store.open(db) as store:
        wall, cpu = time.perf_counter(), time.process_time()
        summary = ingest_into(store, [path], Metadata(), {}, settings)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    counts = summary.archives
    return {
        "archive": str(path),
        "archive_mib": round(path.stat().st_size / 2**20, 1),
        "records": counts.records,
        "pages": counts.pages,
        "skipped": dict(counts.skipped),
        "ingested": summary.ingested,
        "already_stored": summary.already_stored,
        "quarantined": summary.quarantined,
        "files_unchanged": counts.files_unchanged,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "records_per_s": round(counts.records / wall) if wall and counts.records else None,
        "pages_per_s": round(counts.pages / wall) if wall and counts.pages else None,
        "rss_before_mib": round(before),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "vm_hwm_mib": round(_status_kib("VmHWM") / 1024),
        "store_mib": round(db.stat().st_size / 2**20, 1),
    }


def run_pass(path: Path, db: Path) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(path), str(db)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(output))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "parallax-bench")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    large, small = archive(args.cache, args.records), archive(args.cache, args.small)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        passes = {
            f"{args.records} records, empty store": run_pass(large, work / "large.db"),
            f"{args.records} records, rerun (complete, unchanged)": run_pass(
                large, work / "large.db"
            ),
            f"{args.small} records, empty store": run_pass(small, work / "small.db"),
        }
    result = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        "load_average": os.getloadavg(),
        "passes": passes,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(result["machine"], "load", " ".join(f"{v:.1f}" for v in result["load_average"]))
    for name, figures in passes.items():
        print(
            f"{name}: {figures['records']} records ({figures['pages']} pages) in "
            f"{figures['wall_s']} s wall, {figures['cpu_s']} s CPU: "
            f"{figures['records_per_s']} records/s, {figures['pages_per_s']} pages/s; "
            f"ingested {figures['ingested']}, already stored {figures['already_stored']}, "
            f"quarantined {figures['quarantined']}; peak RSS {figures['peak_rss_mib']} MiB "
            f"(VmHWM {figures['vm_hwm_mib']}, before ingest {figures['rss_before_mib']}); "
            f"store {figures['store_mib']} MiB; skipped {figures['skipped']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
