"""Manifests (``ingest/manifest.py``), CSV and JSON: any content gives metadata by path or
a catalogued usage error naming the manifest, and a manifest written by a spreadsheet or
a script is read back value for value."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.errors import ParallaxError
from parallax.ingest import load_manifest
from parallax.ingest.manifest import COLUMNS

from .conftest import assert_catalogued, assert_metadata, fuzz, within
from .strategies import hostile_bytes, hostile_text, runs, urls

pytestmark = pytest.mark.fuzz

cells = st.one_of(hostile_text(40), urls(), runs(), st.sampled_from(("2025-09-22", " ", "")))
columns = st.sampled_from(("path", *COLUMNS, "extra", "", "path "))
json_values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), cells, st.lists(cells, max_size=2)
)


def _load(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            with within():
                entries = load_manifest(path)
        except ParallaxError as error:
            assert_catalogued(error.code, name)
            assert str(path) in str(error)
            return
    for file, meta in entries.items():
        assert file.is_absolute()
        assert_metadata(meta, str(file))


@fuzz(examples=60)
@given(st.lists(columns, min_size=1, max_size=5), st.lists(st.lists(cells, max_size=6), max_size=5))
def test_manifest_csv_any_table(header: list[str], rows: list[list[str]]) -> None:
    """A CSV table of any header and cells (ragged rows, quotes, line breaks in cells)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    _load("manifest.csv", buffer.getvalue().encode("utf-8", "surrogatepass"))


@fuzz(examples=60)
@given(
    st.one_of(
        st.lists(st.dictionaries(columns, json_values, max_size=7), max_size=5),
        json_values,
        st.dictionaries(columns, json_values),
    )
)
def test_manifest_json_any_document(document: Any) -> None:
    """A JSON manifest of any shape and value types."""
    _load("manifest.json", json.dumps(document).encode())


@fuzz(examples=40)
@given(hostile_bytes(600), st.sampled_from(("manifest.csv", "manifest.json", "manifest.txt")))
def test_manifest_any_bytes(data: bytes, name: str) -> None:
    _load(name, data)


@fuzz(examples=40)
@given(
    st.lists(
        st.fixed_dictionaries(
            {"path": st.text(st.characters(categories=("L", "N")), min_size=1, max_size=12)},
            optional={key: st.text(min_size=1, max_size=30) for key in COLUMNS[:4]},
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda row: row["path"],
    )
)
def test_manifest_csv_round_trips(rows: list[dict[str, str]]) -> None:
    """What a spreadsheet writes is read back: each row's values, stripped, by its path."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["path", *COLUMNS[:4]])
    writer.writeheader()
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "manifest.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        entries = load_manifest(path)
        for row in rows:
            meta = entries[(Path(folder) / row["path"]).resolve()]
            for key in COLUMNS[:4]:
                assert getattr(meta, key) == (row.get(key, "").strip() or None)
