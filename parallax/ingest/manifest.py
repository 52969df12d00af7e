"""Manifests: metadata the user supplies for files that carry none.

A manifest is CSV with a header row, or a JSON list of objects, with a ``path``
column and any of ``outlet``, ``url``, ``title``, ``author``, ``published_at``,
``language``. Relative paths are read from the manifest's own folder.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from parallax.errors import ParallaxError
from parallax.ingest.metadata import parse_published
from parallax.model import Metadata

COLUMNS = ("outlet", "url", "title", "author", "published_at", "language")


def load_manifest(path: Path) -> dict[Path, Metadata]:
    """Metadata by resolved file path."""
    source = str(path)
    try:
        # bytes, then text: a line break inside a quoted cell is the cell's own, which
        # read_text's newline translation would turn \r into \n (csv wants newline="")
        raw = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParallaxError("E020", source, str(exc)) from exc
    rows = _json_rows(raw, source) if path.suffix.lower() == ".json" else _csv_rows(raw, source)
    entries: dict[Path, Metadata] = {}
    for number, row in enumerate(rows, start=1):
        file = str(row.get("path") or "").strip()
        if not file:
            raise ParallaxError("E020", source, f"row {number} has no path")
        try:
            resolved = (path.parent / file).resolve()
        except (OSError, RuntimeError, ValueError) as exc:  # a NUL byte, a symlink loop
            raise ParallaxError("E020", source, f"row {number}: path {file!r}: {exc}") from exc
        entries[resolved] = _metadata(row, f"{source} row {number}")
    return entries


def _csv_rows(raw: str, source: str) -> list[dict[str, Any]]:
    try:  # newline="": line ends of every kind end rows, and a quoted cell keeps its own
        return list(csv.DictReader(io.StringIO(raw, newline="")))
    except csv.Error as exc:  # a cell past the csv module's size limit, say
        raise ParallaxError("E020", source, f"not CSV: {exc}") from exc


def _json_rows(raw: str, source: str) -> list[dict[str, Any]]:
    try:
        rows = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ParallaxError("E020", source, f"{exc.msg} at line {exc.lineno}") from exc
    except RecursionError:
        raise ParallaxError("E020", source, "arrays or objects nested too deeply") from None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ParallaxError("E020", source, "expected a list of objects")
    return rows


def _metadata(row: dict[str, Any], where: str) -> Metadata:
    for key in COLUMNS:
        if isinstance(row.get(key), (list, dict)):
            # str() would store "['a', 'b']" as the outlet or the title
            kind = type(row[key]).__name__
            raise ParallaxError("E020", where, f"{key} must be text or a number, not a {kind}")
    values = {key: (str(row[key]).strip() or None) if row.get(key) else None for key in COLUMNS}
    if values["published_at"]:
        parsed = parse_published(values["published_at"])
        if parsed is None:
            raise ParallaxError("E012", where, f"published_at {values['published_at']!r}")
        values["published_at"] = parsed
    return Metadata(**values)
