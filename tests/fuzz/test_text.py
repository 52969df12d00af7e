"""Plain-text articles (``ingest/text.py``, ``decode.py``): any bytes in a ``.txt`` file
become an article or a catalogued quarantine entry, and the header metadata a copied
article carries is found again exactly as it was written."""

from __future__ import annotations

import gzip
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.errors import ParallaxError
from parallax.ingest import read_input
from parallax.ingest.decode import clean_text, decode_text
from parallax.ingest.text import parse_text
from parallax.settings import Settings

from .conftest import (
    assert_catalogued,
    assert_ingested,
    assert_metadata,
    assert_read,
    fuzz,
    within,
)
from .strategies import MONTHS, NAMES, WORDS, hostile_bytes, hostile_text

pytestmark = pytest.mark.fuzz
SETTINGS = Settings.from_env({})


@fuzz(examples=60)
@given(hostile_text(600))
def test_text_header_fields_come_from_the_input(raw: str) -> None:
    """Whatever the text, the header fields and the body are pieces of it, never made up,
    and a date found is one the store can order."""
    cleaned = clean_text(raw)
    with within():
        parsed = parse_text(cleaned)
    assert parsed.text in cleaned
    for value in (parsed.meta.title, parsed.meta.author, *parsed.furniture):
        assert value is None or value in cleaned
    assert_metadata(parsed.meta, "input.txt")


def _date_line(day: date, shape: int) -> str:
    month = MONTHS.split()[day.month - 1]
    return [
        f"date {day.isoformat()}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{month} {day.day}, {day.year}",
        f"Published: {day.day} {month} {day.year}",
    ][shape]


headlines = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(
    lambda words: " ".join(words).capitalize()
)
authors = st.lists(st.sampled_from(NAMES), min_size=1, max_size=3).map(" ".join)
bodies = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=3, max_size=15).map(
        lambda words: " ".join(words).capitalize() + "."
    ),
    min_size=1,
    max_size=8,
).map(" ".join)


@fuzz(examples=60)
@given(
    headlines,
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(0, 3),
    st.one_of(st.none(), authors),
    st.sampled_from(("", "1,204 views\n", "Share\n", "12 comments\n3 min read\n")),
    bodies,
    st.sampled_from(("\n", "\r\n", "\n\n")),
)
def test_text_header_round_trips(
    title: str,
    day: date,
    shape: int,
    author: str | None,
    furniture: str,
    body: str,
    newline: str,
) -> None:
    """A header written the way copied articles carry it is read back field for field, and
    the body is the text that follows it, untouched."""
    lines = [title, _date_line(day, shape), *([f"By {author}"] if author else [])]
    raw = newline.join(lines) + newline + furniture + newline + body + newline
    parsed = parse_text(clean_text(raw))
    assert parsed.meta.title == title
    assert parsed.meta.published_at == day.isoformat()
    assert parsed.meta.author == author
    assert parsed.text == body
    assert list(parsed.furniture) == [line for line in furniture.split("\n") if line]


@fuzz(examples=80)
@given(hostile_bytes(800))
def test_text_bytes_decode_or_fail_with_a_code(data: bytes) -> None:
    """Any bytes decode to text or fail with a catalogued code, never another exception."""
    try:
        with within():
            text = decode_text(data, "input.txt")
    except ParallaxError as error:
        assert_catalogued(error.code, "input.txt")
        return
    assert isinstance(text, str)


@fuzz(examples=60)
@given(hostile_bytes(800), st.booleans())
def test_text_file_is_an_article_or_quarantined(data: bytes, gzipped: bool) -> None:
    """``read_input`` on a ``.txt`` (or ``.txt.gz``) file of any bytes: one result, an
    article in its stored form or a catalogued rejection of that file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("input.txt.gz" if gzipped else "input.txt")
        path.write_bytes(gzip.compress(data) if gzipped else data)
        with within():
            results = assert_read(read_input(path, SETTINGS), str(path))
    assert len(results) == 1


@fuzz(examples=15)
@given(st.lists(hostile_bytes(400), min_size=1, max_size=4))
def test_text_files_ingest_into_a_sound_store(contents: list[bytes]) -> None:
    """The whole of ``parallax ingest`` on a folder of such files: each is stored or
    quarantined, and ``parallax check`` finds the store sound."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, data in enumerate(contents):
            path = Path(folder) / f"in{number}.txt"
            path.write_bytes(data)
            paths.append(path)
        assert_ingested(paths, expected=len(paths))
