"""Flat tables from Parallax's records, for pandas, R and spreadsheets.

A ``parallax.report/1`` document nests items under stories and evidence under items;
data-frame tools want one row per item with everything needed to filter and join on it.
Every report table carries ``story_id`` and its evidence (``article_id``, ``outlet``,
``start``, ``end``, ``text``, with ``text == article_text[start:end]``), so a row can be
checked against the stored article without the rest of the report. The functions here
are pure (records in, rows out) and the writers are atomic (a temporary file beside the
target, then a rename), so an export never leaves half a file.
"""

from __future__ import annotations

import csv
import importlib
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from parallax.errors import ParallaxError, UsageError
from parallax.model import Article, Report, StoryReport
from parallax.text.outlets import base_outlets, learned_outlets

Row = dict[str, object]

_EVIDENCE = ("article_id", "outlet", "start", "end", "text")

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": (
        "id",
        "outlet",
        "url",
        "title",
        "author",
        "published_at",
        "language",
        "source",
        "duplicate_of",
        "wire_of",
        "chars",
        "outlet_name",
    ),
    "stories": (
        "id",
        "title",
        "articles",
        "independent_groups",
        "outlets",
        "first_published",
        "last_published",
    ),
    "story_articles": ("story_id", "article_id", "outlet", "group", "title", "url", "published_at"),
    "facts": ("story_id", "fact_id", "fact_text", "status", "outlets", "attributed_to", *_EVIDENCE),
    "conflicts": ("story_id", "conflict_id", "about", "kind", "value", *_EVIDENCE),
    "labels": ("story_id", "actor_id", "actor_name", "actor_kind", *_EVIDENCE),
    "quotes": ("story_id", "speaker", "speaker_name", "direct", *_EVIDENCE),
    "timeline": ("story_id", "date", "precision", *_EVIDENCE),
    "framing": ("story_id", "kind", "category", "tone", *_EVIDENCE),
}
"""Every table's columns, in the order they are written. The column order is part of
the output: scripts may read columns by position. ``articles`` gains a last column
``text`` with ``article_rows(..., with_text=True)``; its ``outlet`` is the outlet as
stored, ``outlet_name`` the name every report and page shows for it."""

REPORT_TABLES = ("story_articles", "facts", "conflicts", "labels", "quotes", "timeline", "framing")
"""The tables :func:`report_tables` returns, in the order an export writes them."""

COLUMN_TYPES: dict[str, str] = {
    "chars": "int",
    "articles": "int",
    "independent_groups": "int",
    "start": "int",
    "end": "int",
    "direct": "bool",
    "tone": "float",
}
"""Columns that are not strings. A Parquet file gets the same schema every time, even
when a table is empty or a column holds only nulls, so exports concatenate."""

JOIN = "; "
"""How a list (a fact's outlets, a story's outlets) is written into one cell."""


def report_tables(report: Report) -> dict[str, list[Row]]:
    """The tables of a ``parallax.report/1`` document (see :data:`REPORT_TABLES`): one
    row per item, every table present even when empty."""
    tables: dict[str, list[Row]] = {name: [] for name in REPORT_TABLES}
    for story in report["stories"]:
        for name, rows in story_tables(story).items():
            tables[name] += rows
    return tables


def story_tables(story: StoryReport) -> dict[str, list[Row]]:
    """The tables of one story. The outlet of an evidence row is the outlet as the
    story's article list shows it (never null), so rows join on it across tables."""
    sid = story["id"]
    shown = {article["id"]: article["outlet_name"] for article in story["articles"]}

    def evidence(article_id: str, span: Sequence[int], text: str, outlet: str | None) -> Row:
        return {
            "article_id": article_id,
            "outlet": shown.get(article_id, outlet),
            "start": span[0],
            "end": span[1],
            "text": text,
        }

    tables: dict[str, list[Row]] = {name: [] for name in REPORT_TABLES}
    for article in story["articles"]:
        tables["story_articles"].append(
            {
                "story_id": sid,
                "article_id": article["id"],
                "outlet": article["outlet_name"],
                "group": article["group"],
                "title": article["title"],
                "url": article["url"],
                "published_at": article["published_at"],
            }
        )
    for fact in story["facts"]:
        head: Row = {
            "story_id": sid,
            "fact_id": fact["id"],
            "fact_text": fact["text"],
            "status": fact["status"],
            "outlets": JOIN.join(fact["outlets"]),
            "attributed_to": fact["attributed_to"],
        }
        for item in fact["evidence"]:
            tables["facts"].append(
                head | evidence(item["article_id"], item["span"], item["text"], item["outlet"])
            )
    for conflict in story["conflicts"]:
        head = {
            "story_id": sid,
            "conflict_id": conflict["id"],
            "about": conflict["about"],
            "kind": conflict["kind"],
        }
        for value in conflict["values"]:
            tables["conflicts"].append(
                head
                | {"value": value["value"]}
                | evidence(value["article_id"], value["span"], value["text"], value["outlet"])
            )
    for actor in story["actors"]:
        head = {
            "story_id": sid,
            "actor_id": actor["id"],
            "actor_name": actor["name"],
            "actor_kind": actor["kind"],
        }
        for label in actor["labels"]:
            tables["labels"].append(
                head | evidence(label["article_id"], label["span"], label["text"], label["outlet"])
            )
    for quote in story["quotes"]:
        tables["quotes"].append(
            {
                "story_id": sid,
                "speaker": quote["speaker"],
                "speaker_name": quote["speaker_name"],
                "direct": quote["direct"],
            }
            | evidence(quote["article_id"], quote["span"], quote["text"], quote["outlet"])
        )
    for entry in story["timeline"]:
        tables["timeline"].append(
            {"story_id": sid, "date": entry["date"], "precision": entry["precision"]}
            | evidence(entry["article_id"], entry["span"], entry["text"], entry["outlet"])
        )
    for framing in story["framing"]:
        terms = [
            ("loaded_term", t["category"], t["text"], t["span"]) for t in framing["loaded_terms"]
        ]
        terms += [("hedge", h["kind"], h["text"], h["span"]) for h in framing["hedges"]]
        for kind, category, text, span in terms:
            tables["framing"].append(
                {"story_id": sid, "kind": kind, "category": category, "tone": framing["tone"]}
                | evidence(framing["article_id"], span, text, framing["outlet"])
            )
    return tables


def article_rows(articles: Iterable[Article], *, with_text: bool = False) -> list[Row]:
    """The ``articles`` table: the metadata of each article and its length in characters
    (the text itself only ``with_text``: it dwarfs everything else)."""
    rows: list[Row] = []
    spellings: dict[str, int] = {}
    pages: set[tuple[str, str]] = set()
    for article in articles:
        host = _host(article.url)
        if article.outlet:
            spellings.setdefault(article.outlet, len(rows))
            if host:
                pages.add((article.outlet, host))
        row: Row = {
            "id": article.id,
            "outlet": article.outlet,
            "url": article.url,
            "title": article.title,
            "author": article.author,
            "published_at": article.published_at,
            "language": article.language,
            "source": article.source,
            "duplicate_of": article.duplicate_of,
            "wire_of": article.wire_of,
            "chars": len(article.text),
            "outlet_name": article.outlet or host,
        }
        if with_text:
            row["text"] = article.text
        rows.append(row)
    table = base_outlets().with_learned(learned_outlets(spellings, sorted(pages)))
    for row in rows:
        row["outlet_name"] = table.shown(str(row["outlet_name"])) if row["outlet_name"] else None
    return rows


def _host(url: str | None) -> str | None:
    """The host of an article's url without ``www.`` (what the report shows for an
    article without an outlet), or None."""
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:  # a url the input gave that cannot be split
        host = None
    return host.removeprefix("www.") if host else None


def article_columns(*, with_text: bool = False) -> tuple[str, ...]:
    """The columns of :func:`article_rows`."""
    return TABLE_COLUMNS["articles"] + (("text",) if with_text else ())


def story_rows(stories: Iterable[Mapping[str, Any]]) -> list[Row]:
    """The ``stories`` table, from story listings as ``parallax stories --format json``
    prints them (``articles`` is a count there, ``outlets`` a list)."""
    return [
        {
            "id": story["id"],
            "title": story["title"],
            "articles": story["articles"],
            "independent_groups": story["independent_groups"],
            "outlets": JOIN.join(story["outlets"]),
            "first_published": story["first_published"],
            "last_published": story["last_published"],
        }
        for story in stories
    ]


# -- writers -------------------------------------------------------------------------------


def write_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str], path: Path) -> None:
    """A CSV file (UTF-8, RFC 4180 quoting, header always, even with no rows); None is an
    empty cell, a bool ``True``/``False`` (both pandas and R read those as logical)."""

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            csv_rows(rows, columns, handle)

    _replace(path, write)


def csv_rows(rows: Iterable[Mapping[str, object]], columns: Sequence[str], handle: TextIO) -> None:
    """Write a header and ``rows`` as CSV to an open text stream (a file, a response)."""
    writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)


def write_parquet(rows: Iterable[Mapping[str, object]], columns: Sequence[str], path: Path) -> None:
    """A Parquet file: strings, ints, floats and bools as they are, None as null. pyarrow
    is optional and loaded here only, so Parallax runs without it; missing, it is a usage
    error (E035) before anything is written."""
    try:
        pa = importlib.import_module("pyarrow")
        pq = importlib.import_module("pyarrow.parquet")
    except ImportError as exc:
        raise UsageError("E035", "--format parquet", str(exc)) from exc
    rows = list(rows)
    arrow = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "str": pa.string()}
    schema = pa.schema([(column, arrow[_column_type(column, rows)]) for column in columns])
    table = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows], schema=schema)
    _replace(path, lambda temporary: pq.write_table(table, str(temporary)))


def _column_type(column: str, rows: Sequence[Mapping[str, object]]) -> str:
    """The declared type (:data:`COLUMN_TYPES`), else what the values are (a column of
    only nulls is a string column)."""
    if column in COLUMN_TYPES:
        return COLUMN_TYPES[column]
    kinds = {type(row.get(column)) for row in rows} - {type(None)}
    if kinds == {bool}:
        return "bool"
    if kinds == {int}:
        return "int"
    if kinds and kinds <= {int, float}:
        return "float"
    return "str"


def _replace(path: Path, write: Callable[[Path], object]) -> None:
    """Write to a temporary file beside ``path``, then rename: readers never see half a
    file, and a failure leaves the old one. The file gets the permissions a plain open
    would give it (the temporary file is private until then)."""
    try:
        fd, name = tempfile.mkstemp(dir=path.resolve().parent, prefix=f".{path.name}.")
        os.close(fd)
    except OSError as exc:
        raise ParallaxError("E034", str(path), exc.strerror or str(exc)) from exc
    temporary = Path(name)
    try:
        write(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ParallaxError("E034", str(path), exc.strerror or str(exc)) from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
