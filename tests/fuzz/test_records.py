"""JSON and JSONL records (``ingest/records.py``, ``files.py``) in every shape a file may
hold them: one object, a list, ``{"articles"|"items"|"data": [...]}``, one record a line;
field values of any JSON type under the names of every crawler the reader knows."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.ingest import read_input
from parallax.ingest.decode import clean_text
from parallax.ingest.records import FIELDS, TEXT_FIELDS
from parallax.model import Draft
from parallax.settings import Settings

from .conftest import assert_ingested, assert_read, fuzz, within
from .strategies import hostile_bytes, hostile_text, shaped_text, urls

pytestmark = pytest.mark.fuzz
SETTINGS = Settings.from_env({})
KNOWN = sorted({*TEXT_FIELDS, *(k for keys in FIELDS.values() for k in keys), "source_url"})

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text(80),
    st.sampled_from(("2025-09-22", "1758499200", "1758499200000", "2025-02-30", "http://[::1")),
    st.sampled_from(([], {})),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4),
        st.dictionaries(st.sampled_from(("name", "id", "url", "text")), inner, min_size=1),
    ),
    max_leaves=8,
)
URL_KEYS = (*FIELDS["url"], "source_url", "site_url")
records = st.builds(
    lambda fields, linked, text: {**fields, **linked, **text},
    st.dictionaries(st.one_of(st.sampled_from(KNOWN), st.text(max_size=8)), values),
    st.dictionaries(st.sampled_from(URL_KEYS), urls(), max_size=2),
    st.dictionaries(st.sampled_from(TEXT_FIELDS[:3]), shaped_text(80), max_size=1),
)
documents = st.one_of(values, records, st.lists(st.one_of(records, values), max_size=5))


def _shape(document: Any, wrapper: str) -> Any:
    return {wrapper: document} if wrapper else document


def _write(folder: str, name: str, data: bytes) -> Path:
    path = Path(folder) / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


@fuzz(examples=50)
@given(documents, st.sampled_from(("", "articles", "items", "data")), st.booleans())
def test_records_json_file_gives_one_result_per_record(
    document: Any, wrapper: str, gzipped: bool
) -> None:
    """A ``.json`` file: one result for each record its shape holds, each an article in
    the stored form or a catalogued rejection naming the file and the record."""
    shaped = _shape(document, wrapper)
    data = json.dumps(shaped).encode()
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "in.json.gz" if gzipped else "in.json", data)
        with within():
            results = assert_read(read_input(path, SETTINGS), str(path))
    listed = shaped.get(wrapper) if isinstance(shaped, dict) and wrapper else shaped
    if isinstance(listed, list):
        assert len(results) == max(len(listed), 0) or (not listed and not results)
        assert [r.record for r in results] == list(range(1, len(listed) + 1))
    else:
        assert len(results) == 1


@fuzz(examples=40)
@given(
    st.lists(
        st.one_of(
            records.map(json.dumps),
            values.map(json.dumps),
            shaped_text(60),
            st.just(""),
        ),
        max_size=8,
    ),
    st.sampled_from(("\n", "\r\n")),
    st.booleans(),
)
def test_records_jsonl_line_by_line(lines: list[str], newline: str, gzipped: bool) -> None:
    """A ``.jsonl`` file: every line that holds anything is one result, numbered by its
    line, and a bad line costs only itself."""
    text = newline.join(line.replace("\n", " ").replace("\r", " ") for line in lines)
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "in.jsonl.gz" if gzipped else "in.jsonl", text.encode())
        with within():
            results = assert_read(read_input(path, SETTINGS), str(path))
    lines_read = text.encode().split(b"\n")  # JSON's whitespace, not Unicode's, is blank
    filled = [number for number, line in enumerate(lines_read, 1) if line.strip()]
    assert [r.record for r in results] == filled


@fuzz(examples=60)
@given(
    st.sampled_from(TEXT_FIELDS),
    hostile_text(300),
    st.dictionaries(st.sampled_from(KNOWN), hostile_text(40), max_size=6),
    st.dictionaries(st.text(min_size=1, max_size=8).filter(lambda k: k not in KNOWN), scalars),
)
def test_records_text_and_unmapped_fields_are_kept(
    text_key: str, body: str, known: dict[str, str], unmapped: dict[str, Any]
) -> None:
    """The text of a record is stored as written (in the canonical form), and a field the
    reader does not map is kept in ``extra``: nothing the input carried is lost."""
    record = {**known, **unmapped, text_key: body}
    for key in TEXT_FIELDS[: TEXT_FIELDS.index(text_key)]:
        record.pop(key, None)  # an earlier text field would be read first
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "in.json", json.dumps(record).encode())
        with within():
            [result] = assert_read(read_input(path, SETTINGS), str(path))
    if not body.strip() or not clean_text(body):
        return  # a record without text is rejected (E007 or E001), checked above
    assert isinstance(result, Draft)
    assert result.text == clean_text(body)
    for key, value in unmapped.items():
        if value not in (None, "", [], {}):
            assert json.dumps(result.extra[key]) == json.dumps(value)  # NaN is not NaN


@fuzz(examples=40)
@given(hostile_bytes(600), st.sampled_from(("in.json", "in.jsonl", "in.ndjson", "in.json.gz")))
def test_records_any_bytes(data: bytes, name: str) -> None:
    """Bytes that are no JSON at all, or JSON in another encoding: catalogued rejections."""
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, name, data)
        with within():
            assert_read(read_input(path, SETTINGS), str(path))


@fuzz(examples=15)
@given(st.lists(st.one_of(records, values), min_size=1, max_size=6))
def test_records_ingest_into_a_sound_store(items: list[Any]) -> None:
    """Through ``parallax ingest``: every line stored or quarantined (the same url twice
    is one article, with a revision when its text changed), and the store sound."""
    with tempfile.TemporaryDirectory() as folder:
        text = "\n".join(json.dumps(item) for item in items)
        path = _write(folder, "in.jsonl", text.encode())
        assert_ingested([path], expected=len(items))
