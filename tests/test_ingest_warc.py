"""Web archives: WARC and ARC records in, article pages out; the rest counted; damage
quarantined with its offset; a rerun resumes where the committed records end."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from parallax.errors import CATALOGUE
from parallax.ingest import ArchiveItem, RunSummary, ingest_into, kind_of, read_warc
from parallax.ingest import run as run_module
from parallax.model import Metadata
from parallax.settings import Settings
from parallax.store import Store

from .conftest import article_text

SETTINGS = Settings.from_env({})
DATE = "2025-01-01T12:34:56Z"


def page(seed: str, *, title: str | None = None, published: str | None = None) -> str:
    """An article page whose text trafilatura finds: three paragraphs of generated news."""
    words = article_text(150, seed).split(". ")
    third = len(words) // 3
    paragraphs = [". ".join(words[:third]), ". ".join(words[third : 2 * third]), ". ".join(words)]
    stamp = f'<meta property="article:published_time" content="{published}">' if published else ""
    body = "\n".join(f"<p>{p}.</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{title or seed}</title>{stamp}</head>"
        f"<body><article><h1>{title or seed}</h1>{body}</article></body></html>"
    )


@dataclass(frozen=True)
class Rec:
    """One record to write: a response unless ``kind`` says otherwise."""

    url: str
    body: bytes = b""
    kind: str = "response"
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"
    date: str = DATE


def html(url: str, seed: str, **page_args: str) -> Rec:
    return Rec(url, page(seed, **page_args).encode("utf-8"))


def write_warc(path: Path, records: list[Rec], *, gz: bool = True, info: bool = True) -> Path:
    """An archive built with warcio's writer (one gzip member per record when ``gz``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        if info:
            writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for rec in records:
            writer.write_record(_record(writer, rec))
    return path


def _record(writer: WARCWriter, rec: Rec) -> object:
    headers = {"WARC-Date": rec.date}
    if rec.kind == "request":
        http = StatusAndHeaders(
            "GET / HTTP/1.1", [("Host", "example.com")], protocol="", is_http_request=True
        )
        return writer.create_warc_record(
            rec.url, "request", payload=io.BytesIO(b""), length=0, http_headers=http,
            warc_headers_dict=headers,
        )  # fmt: skip
    if rec.kind == "revisit":
        http = StatusAndHeaders("200 OK", [("Content-Type", rec.content_type)], protocol="HTTP/1.1")
        return writer.create_revisit_record(
            rec.url, "sha1:AAAA", rec.url, DATE, http_headers=http, warc_headers_dict=headers
        )
    if rec.kind == "metadata":
        return writer.create_warc_record(
            rec.url, "metadata", payload=io.BytesIO(b"via: x\r\n"), length=8,
            warc_content_type="application/warc-fields", warc_headers_dict=headers,
        )  # fmt: skip
    http = StatusAndHeaders(rec.status, [("Content-Type", rec.content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(
        rec.url, "response", payload=io.BytesIO(rec.body), length=len(rec.body), http_headers=http,
        warc_headers_dict=headers,
    )  # fmt: skip


def write_arc(path: Path, records: list[Rec]) -> Path:
    """An ARC file written by hand (warcio reads ARC but writes only WARC): a filedesc
    header, then one ``url ip date type length`` line and its HTTP response per record;
    gzip members per record when the name ends in ``.gz``."""
    version = b"1 0 Parallax\nURL IP-address Archive-date Content-type Archive-length\n"
    parts = [
        b"filedesc://" + path.name.encode() + b" 0.0.0.0 20250101000000 text/plain "
        + str(len(version)).encode() + b"\n" + version + b"\n"
    ]  # fmt: skip
    for rec in records:
        http = f"HTTP/1.1 {rec.status}\r\nContent-Type: {rec.content_type}\r\n\r\n".encode()
        content = http + rec.body
        line = f"{rec.url} 192.0.2.1 20250101123456 text/html {len(content)}\n".encode()
        parts.append(line + content + b"\n")
    data = b"".join(gzip.compress(p) for p in parts) if path.suffix == ".gz" else b"".join(parts)
    path.write_bytes(data)
    return path


def ingest(store: Store, *paths: Path, user: Metadata | None = None) -> RunSummary:
    return ingest_into(store, list(paths), user or Metadata(), {}, SETTINGS)


def offsets(path: Path) -> list[tuple[int, int, str]]:
    """``(offset, end, url or kind)`` of every record, as the reader sees them."""
    found = []
    for item in read_warc(path, SETTINGS):
        result = item.result
        found.append((item.offset, item.end, getattr(result, "meta", result)))
    return [(o, e, getattr(r, "url", None) or type(r).__name__) for o, e, r in found]


def urls(store: Store) -> list[str | None]:
    return sorted(article.url for article in store.articles())


def quarantine(store: Store) -> list[tuple[str, int | None, str, str, int]]:
    return [(q.source, q.record, q.code, q.reason, q.attempts) for q in store.quarantined()]


def progress_row(db: Path, path: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT offset, complete, articles FROM input_progress WHERE source = ?",
            (str(path.resolve()),),
        ).fetchone()
    return (int(row[0]), int(row[1]), int(row[2]))


MIXED = [
    html("https://news.example/a", "alpha", title="Alpha", published="2024-12-31T08:00:00+01:00"),
    Rec("https://news.example/a", kind="request"),
    Rec("https://news.example/missing", b"<html><body>gone</body></html>", status="404 Not Found"),
    Rec("https://news.example/a", kind="revisit"),
    Rec("https://news.example/report.pdf", b"%PDF-1.4 binary", content_type="application/pdf"),
    Rec("https://news.example/a", kind="metadata"),
    html("https://news.example/b", "beta", title="Beta"),
]


@pytest.mark.parametrize(
    "name", ["crawl.warc.gz", "crawl.warc", "CC-NEWS-20250101123456-00001.warc.gz"]
)
def test_ingest_warc_html_responses_become_articles_with_url_and_fetched_at(
    tmp_path: Path, store: Store, name: str
) -> None:
    path = write_warc(tmp_path / name, MIXED, gz=name.endswith(".gz"))
    summary = ingest(store, path)
    assert summary.ingested == 2 and summary.quarantined == 0
    alpha, beta = sorted(store.articles(), key=lambda a: a.url or "")
    assert (alpha.url, beta.url) == ("https://news.example/a", "https://news.example/b")
    assert alpha.title == "Alpha" and alpha.outlet == "news.example"
    assert alpha.extra["fetched_at"] == DATE == beta.extra["fetched_at"]
    assert alpha.published_at == "2024-12-31T08:00:00+01:00"  # from the page
    assert beta.published_at is None  # the crawl time is never the publication time
    assert alpha.source == str(path)
    first = offsets(path)[1]  # after the warcinfo record
    assert alpha.extra["record"] == first[0] > 0


def test_ingest_warc_other_records_are_counted_and_skipped(tmp_path: Path, store: Store) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", MIXED)
    summary = ingest(store, path)
    counts = summary.archives
    assert counts.records == 8 and counts.pages == 2
    assert dict(counts.skipped) == {
        "warcinfo": 1,
        "request": 1,
        "not_200": 1,
        "revisit": 1,
        "not_html": 1,
        "metadata": 1,
    }
    assert counts.files_complete == 1 and counts.files_damaged == 0
    stored = json.loads(json.dumps(summary.to_json()))
    assert stored["archives"]["skipped"]["not_200"] == 1


def test_ingest_warc_same_url_twice_is_one_article_and_a_changed_text_is_counted(
    tmp_path: Path, store: Store
) -> None:
    url = "https://news.example/story"
    path = write_warc(
        tmp_path / "crawl.warc.gz",
        [html(url, "first"), html(url, "first"), html(url, "edited", title="first")],
    )
    summary = ingest(store, path)
    (article,) = store.articles()
    assert summary.ingested == 1
    assert summary.already_stored == 2  # the copy and the edit: neither is a second article
    assert summary.changed == 1  # the edit is counted, not dropped silently
    assert summary.to_json()["changed"] == 1
    # the edit, crawled after the first copy, is the article's current text; both are kept
    assert article.text.startswith(article_text(150, "edited")[:40])
    revisions = store.revisions(article.id)
    assert [r.text[:40] for r in revisions] == [
        article_text(150, "first")[:40],
        article_text(150, "edited")[:40],
    ]


def test_ingest_warc_arc_files_are_read(tmp_path: Path, store: Store) -> None:
    records = [
        html("http://old.example/one", "arc one"),
        Rec("http://old.example/img.png", b"\x89PNG", content_type="image/png"),
        html("http://old.example/two", "arc two"),
    ]
    plain = write_arc(tmp_path / "old.arc", records)
    packed = write_arc(tmp_path / "older.arc.gz", [replace(records[0], url="http://old.example/3")])
    assert kind_of(plain) == kind_of(packed) == "warc"
    summary = ingest(store, plain, packed)
    assert summary.quarantined == 0
    assert urls(store) == [
        "http://old.example/3",
        "http://old.example/one",
        "http://old.example/two",
    ]
    assert {a.extra["fetched_at"] for a in store.articles()} == {"2025-01-01T12:34:56Z"}
    assert summary.archives.skipped == {"warcinfo": 2, "not_html": 1}


def test_ingest_warc_bad_records_are_quarantined_and_the_file_goes_on(
    tmp_path: Path, db_path: Path
) -> None:
    records = [
        Rec("https://news.example/huge", b"<html><body>" + b"x" * 3000 + b"</body></html>"),
        Rec("https://news.example/binary", b"<html>\x00\x01\x02\x00" * 50),
        Rec("https://news.example/empty", b"<html><body><div></div></body></html>"),
        html("https://news.example/fine", "fine"),
    ]
    path = write_warc(tmp_path / "crawl.warc.gz", records)
    starts = [offset for offset, _, _ in offsets(path)]
    settings = replace(SETTINGS, max_article_bytes=2500)
    with Store.open(db_path) as store:
        summary = ingest_into(store, [path], Metadata(), {}, settings)
        entries = {(q.source, q.record, q.code) for q in store.quarantined()}
        assert urls(store) == ["https://news.example/fine"]
    assert summary.ingested == 1 and summary.quarantined == 3
    assert entries == {
        (str(path), starts[1], "E003"),
        (str(path), starts[2], "E002"),
        (str(path), starts[3], "E005"),
    }
    assert summary.archives.files_complete == 1  # bad records are no damage to the file


def test_ingest_warc_charset_from_the_http_headers(tmp_path: Path, store: Store) -> None:
    text = page("latin").replace("<p>", "<p>Caf\u00e9 cr\u00e8me \u2013 ", 1)
    body = text.encode("cp1252")
    path = write_warc(
        tmp_path / "crawl.warc",
        [Rec("https://news.example/cafe", body, content_type="text/html; charset=ISO-8859-1")],
        gz=False,
    )
    assert ingest(store, path).ingested == 1
    (article,) = store.articles()
    assert "Café crème – " in article.text  # latin-1 is read as windows-1252, as browsers do


def _truncated(tmp_path: Path, gz: bool) -> tuple[Path, list[tuple[int, int, str]]]:
    full = write_warc(
        tmp_path / ("full.warc.gz" if gz else "full.warc"),
        [html(f"https://news.example/{n}", f"page {n}") for n in range(6)],
        gz=gz,
    )
    records = offsets(full)
    cut_offset, cut_end, _ = records[4]
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(full.read_bytes()[: (cut_offset + cut_end) // 2])
    return path, records


@pytest.mark.parametrize("gz", [True, False], ids=["gzip", "plain"])
def test_ingest_warc_truncated_file_keeps_every_record_before_the_cut(
    tmp_path: Path, db_path: Path, gz: bool
) -> None:
    path, records = _truncated(tmp_path, gz)
    damage = records[4][0]
    with Store.open(db_path) as store:
        summary = ingest(store, path)
        assert urls(store) == [f"https://news.example/{n}" for n in range(3)]
        ((source, record, code, reason, attempts),) = quarantine(store)
    assert summary.ingested == 3 and summary.quarantined == 1
    assert summary.archives.files_damaged == 1 and summary.archives.files_complete == 0
    assert (source, record, code, attempts) == (str(path), damage, "E015", 1)
    assert reason.startswith(f"{path} at offset {damage}: the archive is damaged")
    assert progress_row(db_path, path) == (damage, 0, 3)  # never marked complete

    with Store.open(db_path) as store:
        again = ingest(store, path)
        assert len(urls(store)) == 3
        (entry,) = quarantine(store)
    assert again.ingested == 0 and again.archives.records == 0  # resumed at the damage
    assert again.archives.resumed_from == {str(path): damage}
    assert entry[:3] == (str(path), damage, "E015") and entry[4] == 2
    assert progress_row(db_path, path)[1] == 0


def test_ingest_warc_corrupt_bytes_quarantine_the_damage_and_a_repaired_file_completes(
    tmp_path: Path, db_path: Path
) -> None:
    records = [html(f"https://news.example/{n}", f"page {n}") for n in range(4)]
    good = write_warc(tmp_path / "good.warc.gz", records)
    damage = offsets(good)[2][0]
    data = bytearray(good.read_bytes())
    data[damage + 60 : damage + 90] = b"\xff" * 30
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(bytes(data))
    with Store.open(db_path) as store:
        summary = ingest(store, path)
        assert [q.code for q in store.quarantined()] == ["E015"]
        assert store.quarantined()[0].record == damage
    assert summary.ingested == 1  # the warcinfo and the first page come before the damage

    path.write_bytes(good.read_bytes())  # fetched again: another version of the file
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    with Store.open(db_path) as store:
        fixed = ingest(store, path)
        assert store.quarantined() == []  # read to its end: the damage leaves the quarantine
        assert len(urls(store)) == 4
    assert fixed.archives.resumed_from == {}  # a changed file is read from its start
    assert (fixed.ingested, fixed.already_stored) == (3, 1)
    assert progress_row(db_path, path)[1:] == (1, 4)


def test_ingest_warc_one_gzip_stream_is_quarantined(tmp_path: Path, store: Store) -> None:
    plain = write_warc(
        tmp_path / "p.warc", [html(f"https://x.example/{n}", f"p{n}") for n in (1, 2)], gz=False
    )
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    summary = ingest(store, path)
    assert [q.code for q in store.quarantined()] == ["E016"]
    assert summary.archives.files_complete == 0
    assert "warcio recompress" in CATALOGUE["E016"].hint


def test_ingest_warc_completed_unchanged_file_is_skipped_on_rerun(
    tmp_path: Path, db_path: Path
) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", MIXED)
    with Store.open(db_path) as store:
        first = ingest(store, path)
    assert first.ingested == 2 and progress_row(db_path, path)[1] == 1
    with Store.open(db_path) as store:
        second = ingest(store, path)
    assert second.archives.records == 0 and second.archives.files_unchanged == 1
    assert (second.ingested, second.already_stored) == (0, 2)


def _fail_after(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    """Make the archive reader fail after ``limit`` records: a crash stand-in."""
    real = run_module.read_warc

    def failing(path: Path, settings: Settings, start: int = 0) -> Iterator[ArchiveItem]:
        for number, item in enumerate(real(path, settings, start), start=1):
            if number > limit:
                raise RuntimeError("crash")
            yield item

    monkeypatch.setattr(run_module, "read_warc", failing)


def test_ingest_warc_resume_after_a_crash_reads_from_the_stored_offset(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = [html(f"https://news.example/{n}", f"resume {n}") for n in range(12)]
    path = write_warc(tmp_path / "crawl.warc.gz", pages)
    records = offsets(path)
    settings = replace(SETTINGS, commit_every=4)
    with monkeypatch.context() as patch:
        _fail_after(patch, 10)
        with Store.open(db_path) as store, pytest.raises(RuntimeError):
            ingest_into(store, [path], Metadata(), {}, settings)
    committed, complete, _ = progress_row(db_path, path)
    with Store.open(db_path) as store:
        assert store.count_articles() == 7  # warcinfo + 7 pages in two commits of 4
    assert committed == records[8][0] and complete == 0

    with Store.open(db_path) as store:
        summary = ingest_into(store, [path], Metadata(), {}, settings)
        assert urls(store) == sorted(f"https://news.example/{n}" for n in range(12))
    assert summary.archives.resumed_from == {str(path): committed}
    assert summary.archives.records == 13 - 8  # only what was not committed is read again
    assert (summary.ingested, summary.already_stored) == (5, 0)
    assert progress_row(db_path, path)[1:] == (1, 12)


RECORDS = 400


def _kill_corpus(folder: Path) -> Path:
    records: list[Rec] = []
    for n in range(RECORDS):
        records.append(html(f"https://crawl.example/{n}", f"kill {n}"))
        if n % 4 == 0:
            records.append(Rec(f"https://crawl.example/{n}", kind="request"))
    return write_warc(folder / "CC-NEWS-20250101000000-00000.warc.gz", records)


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _start_cli(folder: Path, db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PARALLAX_COMMIT_EVERY": "10"}
    return subprocess.Popen(
        [sys.executable, "-m", "parallax", "ingest", str(folder), "--db", str(db),
         "--no-annotate", "--no-cluster"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_ingest_warc_kill_9_then_rerun_stores_every_article_once(tmp_path: Path) -> None:
    path = _kill_corpus(tmp_path / "crawl")
    db = tmp_path / "kill.db"
    process = _start_cli(tmp_path / "crawl", db)
    deadline = time.monotonic() + 60
    while _stored(db) < RECORDS // 4 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = _stored(db)
    assert 0 < killed_at < RECORDS, "the ingest finished before it could be killed"
    committed = progress_row(db, path)[0]

    assert _start_cli(tmp_path / "crawl", db).wait(timeout=120) == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [row[0] for row in conn.execute("SELECT id FROM articles")]
        (summary,) = conn.execute("SELECT summary FROM runs WHERE summary IS NOT NULL").fetchone()
    assert len(ids) == len(set(ids)) == RECORDS
    archives = json.loads(summary)["archives"]
    assert archives["resumed_from"] == {str(path): committed}
    assert json.loads(summary)["already_stored"] == 0  # nothing stored was read again
    assert archives["pages"] == RECORDS - killed_at
