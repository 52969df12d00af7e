"""Tables for pandas and R: `parallax export --format csv|parquet` against the example
corpus and its JSON report. Read back with csv and pyarrow only (pandas is not a
dependency)."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from parallax import tables
from parallax.cli import app
from parallax.errors import ExitCode
from parallax.model import Report
from parallax.pipeline import (
    IngestOptions,
    annotate_store,
    build_report,
    cluster_store,
    find_stories,
    ingest,
)
from parallax.store import Store

from .conftest import EXAMPLES
from .test_layout import PACKAGE, imports

FILES = ("articles", "stories", *tables.REPORT_TABLES)
EVIDENCE_TABLES = ("facts", "conflicts", "labels", "quotes", "timeline", "framing")


def export(db: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["export", *args, "--db", str(db)], catch_exceptions=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The example corpus stored, annotated and folded into stories; its JSON report, the
    stored texts and both exports."""
    folder = tmp_path_factory.mktemp("tables")
    db = folder / "examples.db"
    with Store.open(db) as store:
        summary = ingest(
            [EXAMPLES / "corpus"], store, IngestOptions(manifest=EXAMPLES / "manifest.csv")
        )
        assert summary.ingested > 0 and summary.quarantined == 0
        annotate_store(store)
        cluster_store(store)
        ids = [story.id for story in find_stories(store)]
        report = build_report(store, ids)
        texts = {article.id: article.text for article in store.articles()}
    result = export(db, "--format", "csv", "--output", str(folder / "csv"))
    assert result.exit_code == 0, result.output
    return {"db": db, "folder": folder, "report": report, "texts": texts, "ids": ids}


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def csv_tables(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Every table of a csv export, each with its header checked; spans as ints."""
    found = {}
    for name in FILES:
        header, rows = read_csv(folder / f"{name}.csv")
        assert tuple(header) == tables.TABLE_COLUMNS[name], name
        for row in rows:
            if "start" in row:
                row["start"], row["end"] = int(row["start"]), int(row["end"])
        found[name] = rows
    return found


def parquet_tables(folder: Path) -> dict[str, list[dict[str, Any]]]:
    pq = pytest.importorskip("pyarrow.parquet")
    found = {}
    for name in FILES:
        table = pq.read_table(folder / f"{name}.parquet")
        assert tuple(table.column_names) == tables.TABLE_COLUMNS[name], name
        found[name] = table.to_pylist()
    return found


@pytest.fixture(scope="module", params=["csv", "parquet"])
def exported(request: pytest.FixtureRequest, corpus: dict[str, Any]) -> dict[str, Any]:
    fmt = request.param
    folder = corpus["folder"] / fmt
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
        result = export(corpus["db"], "--format", "parquet", "-o", str(folder))
        assert result.exit_code == 0, result.output
        return parquet_tables(folder)
    return csv_tables(folder)


def expected_counts(report: Report) -> dict[str, int]:
    """How many rows each table holds, counted in the JSON report itself."""
    stories = report["stories"]
    return {
        "story_articles": sum(len(s["articles"]) for s in stories),
        "facts": sum(len(f["evidence"]) for s in stories for f in s["facts"]),
        "conflicts": sum(len(c["values"]) for s in stories for c in s["conflicts"]),
        "labels": sum(len(a["labels"]) for s in stories for a in s["actors"]),
        "quotes": sum(len(s["quotes"]) for s in stories),
        "timeline": sum(len(s["timeline"]) for s in stories),
        "framing": sum(
            len(f["loaded_terms"]) + len(f["hedges"]) for s in stories for f in s["framing"]
        ),
    }


def test_tables_row_counts_equal_the_json_report(
    exported: dict[str, Any], corpus: dict[str, Any]
) -> None:
    counts = expected_counts(corpus["report"])
    assert all(counts[name] > 0 for name in counts), counts  # the corpus fills every table
    assert {name: len(exported[name]) for name in counts} == counts
    assert len(exported["articles"]) == len(corpus["texts"])
    assert [row["id"] for row in exported["stories"]] == corpus["ids"]


def test_tables_every_evidence_text_is_the_stored_span(
    exported: dict[str, Any], corpus: dict[str, Any]
) -> None:
    texts = corpus["texts"]
    for name in EVIDENCE_TABLES:
        for row in exported[name]:
            assert row["story_id"] in corpus["ids"], name
            assert row["outlet"], (name, row)
            assert row["text"] == texts[row["article_id"]][row["start"] : row["end"]], (name, row)


def test_tables_conflicts_come_in_groups_of_two_values_or_more(exported: dict[str, Any]) -> None:
    values = Counter(row["conflict_id"] for row in exported["conflicts"])
    assert values and min(values.values()) >= 2, values


def test_tables_rows_carry_the_report_items(
    exported: dict[str, Any], corpus: dict[str, Any]
) -> None:
    story = corpus["report"]["stories"][0]
    fact = story["facts"][0]
    row = next(r for r in exported["facts"] if r["fact_id"] == fact["id"])
    assert row["fact_text"] == fact["text"] and row["status"] == fact["status"]
    assert row["outlets"] == "; ".join(fact["outlets"])
    shown = {
        (s["id"], a["id"]): a["outlet_name"]
        for s in corpus["report"]["stories"]
        for a in s["articles"]
    }
    for name in ("story_articles", *EVIDENCE_TABLES):
        for r in exported[name]:
            assert r["outlet"] == shown[r["story_id"], r["article_id"]], (name, r)
    kinds = {row["kind"] for row in exported["framing"]}
    assert kinds <= {"loaded_term", "hedge"} and kinds


def test_parquet_keeps_types_and_nulls(corpus: dict[str, Any]) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    folder = corpus["folder"] / "parquet-types"
    assert export(corpus["db"], "--format", "parquet", "-o", str(folder)).exit_code == 0
    quotes = pq.read_schema(folder / "quotes.parquet")
    assert quotes.field("start").type == pa.int64() and quotes.field("direct").type == pa.bool_()
    assert pq.read_schema(folder / "framing.parquet").field("tone").type == pa.float64()
    articles = pq.read_table(folder / "articles.parquet").to_pylist()
    assert any(row["language"] is None for row in articles)  # unknown stays null, not ""
    assert all(isinstance(row["chars"], int) for row in articles)


def test_parquet_articles_export_ingests_back_without_derived_columns(
    corpus: dict[str, Any], tmp_path: Path
) -> None:
    """A warehouse round trip: the articles table ingested again gives the same texts and
    outlets, and the columns Parallax derived (the shown outlet name, the length) are not
    taken for fields the input carried."""
    pytest.importorskip("pyarrow")
    folder = tmp_path / "parquet"
    assert (
        export(corpus["db"], "--format", "parquet", "-o", str(folder), "--with-text").exit_code == 0
    )
    with Store.open(tmp_path / "again.db") as store:
        summary = ingest([folder / "articles.parquet"], store)
        again = list(store.articles())
    assert summary.ingested == len(corpus["texts"])
    assert sorted(a.text for a in again) == sorted(corpus["texts"].values())
    assert not any({"outlet_name", "chars"} & set(a.extra) for a in again)


def test_export_of_an_empty_store_writes_every_table_with_its_header(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    Store.open(db).close()
    result = export(db, "--format", "csv", "--output", str(tmp_path / "out" / "csv"))
    assert result.exit_code == 0, result.output
    for name in FILES:
        header, rows = read_csv(tmp_path / "out" / "csv" / f"{name}.csv")
        assert tuple(header) == tables.TABLE_COLUMNS[name] and rows == []
    pq = pytest.importorskip("pyarrow.parquet")
    assert export(db, "--format", "parquet", "-o", str(tmp_path / "pq")).exit_code == 0
    for name in FILES:
        table = pq.read_table(tmp_path / "pq" / f"{name}.parquet")
        assert tuple(table.column_names) == tables.TABLE_COLUMNS[name] and table.num_rows == 0
        if "start" in table.column_names:
            assert str(table.schema.field("start").type) == "int64"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_tables_without_output_is_a_usage_error(tmp_path: Path, fmt: str) -> None:
    db = tmp_path / "empty.db"
    Store.open(db).close()
    result = export(db, "--format", fmt)
    assert result.exit_code == ExitCode.USAGE
    assert "--output" in result.stderr and result.stdout == ""


def test_parquet_without_pyarrow_is_error_e035_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "empty.db"
    Store.open(db).close()
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now fails
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    result = export(db, "--format", "parquet", "-o", str(tmp_path / "pq"))
    assert result.exit_code == ExitCode.USAGE, result.output
    message = " ".join(result.stderr.split())
    assert "E035" in message and "pip install 'parallax-news[parquet]'" in message  # no markup
    assert list((tmp_path / "pq").iterdir()) == []


def test_csv_cells_round_trip(tmp_path: Path) -> None:
    """Commas, quotes, newlines and non-ASCII text come back as written; None is empty."""
    rows: list[dict[str, object]] = [
        {"a": 'He said, "no"\nthen left', "b": None, "c": 3},
        {"a": "Nicolás – «ja»", "b": True, "c": 1.5},
    ]
    tables.write_csv(rows, ("a", "b", "c"), tmp_path / "t.csv")
    header, back = read_csv(tmp_path / "t.csv")
    assert header == ["a", "b", "c"]
    assert back == [
        {"a": 'He said, "no"\nthen left', "b": "", "c": "3"},
        {"a": "Nicolás – «ja»", "b": "True", "c": "1.5"},
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]  # no temporary file left


def test_tables_module_imports_only_the_shared_leaves() -> None:
    """Tables are a view of records: they read no store and no stage."""
    allowed = ("parallax.model", "parallax.errors", "parallax.text")
    found = [name for name, _ in imports(PACKAGE / "tables.py")]
    assert found and all(any(n == a or n.startswith(a + ".") for a in allowed) for n in found)
