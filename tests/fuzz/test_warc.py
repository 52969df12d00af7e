"""Web archives (``ingest/warc.py``): WARC files of fuzzed records (any target url, status,
content type, charset and body, among requests and metadata), gzipped or not, then cut
short or with bytes overwritten. Every record gives a result in file order; damage ends
the read with one catalogued item at its offset, after every whole record before it."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from parallax.ingest import read_warc
from parallax.model import Draft, Rejected
from parallax.settings import Settings

from .conftest import assert_catalogued, assert_ingested, assert_read, fuzz, within
from .strategies import WORDS, hostile_bytes, hostile_text, urls

pytestmark = [pytest.mark.fuzz, pytest.mark.usefixtures("warm_date_parser")]
SETTINGS = Settings.from_env({})

pages = st.builds(
    lambda title, words: (
        f"<html><head><title>{title}</title></head><body><article><p>"
        f"{' '.join(words)}.</p></article></body></html>"
    ).encode(),
    hostile_text(30),
    st.lists(st.sampled_from(WORDS), min_size=8, max_size=60),
)
records = st.tuples(
    st.sampled_from(("response", "response", "response", "request", "metadata", "revisit")),
    urls(),
    st.sampled_from(("200 OK", "200 OK", "404 Not Found", "301 Moved", "200")),
    st.sampled_from(
        (
            "text/html",
            "text/html; charset=latin-1",
            "application/xhtml+xml",
            "text/html; charset=x-nope",
            "image/png",
            "",
        )
    ),
    st.one_of(pages, hostile_bytes(300)),
)


def _archive(items: list[tuple[str, str, str, str, bytes]], gzipped: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for kind, url, status, content_type, body in items:
        http = None
        if kind in ("response", "revisit"):
            headers = [("Content-Type", content_type)] if content_type else []
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        elif kind == "request":
            http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
        record = writer.create_warc_record(
            url, kind, payload=io.BytesIO(body), length=len(body), http_headers=http,
            warc_content_type="application/warc-fields" if kind == "metadata" else None,
        )  # fmt: skip
        writer.write_record(record)
    return buffer.getvalue()


def _damaged(data: bytes, how: int, at: int, junk: bytes) -> bytes:
    if how == 0 or not data:
        return data
    cut = at % len(data)
    return data[:cut] if how == 1 else data[:cut] + junk + data[cut + len(junk) :]


archives = st.builds(
    lambda items, gzipped, how, at, junk: (
        _damaged(_archive(items, gzipped), how, at, junk),
        gzipped,
    ),
    st.lists(records, min_size=1, max_size=4),
    st.booleans(),
    st.integers(0, 2),
    st.integers(0, 1 << 20),
    st.binary(min_size=1, max_size=8),
)


def _write(folder: str, data: bytes, gzipped: bool) -> Path:
    path = Path(folder) / ("crawl.warc.gz" if gzipped else "crawl.warc")
    path.write_bytes(data)
    return path


@fuzz(examples=60)
@given(archives)
def test_warc_records_in_order_damage_last(archive: tuple[bytes, bool]) -> None:
    data, gzipped = archive
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, data, gzipped)
        with within():
            items = list(read_warc(path, SETTINGS))
    results = [item.result for item in items if isinstance(item.result, Draft | Rejected)]
    assert_read(results, str(path))
    offset = 0
    for number, item in enumerate(items):
        assert item.offset >= offset and item.end <= len(data)
        offset = item.end
        if item.damaged:
            assert number == len(items) - 1, "damage ends the read"
            assert isinstance(item.result, Rejected)
            assert_catalogued(item.result.code, str(path))
        else:
            assert item.offset < item.end


@fuzz(examples=15)
@given(archives)
def test_warc_ingest_into_a_sound_store(archive: tuple[bytes, bool]) -> None:
    """Through ``parallax ingest``: pages stored (the same url twice is one article),
    damage quarantined, and the store sound."""
    data, gzipped = archive
    with tempfile.TemporaryDirectory() as folder:
        assert_ingested([_write(folder, data, gzipped)])
