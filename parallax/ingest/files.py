"""Readers: paths in, :class:`Draft` articles or :class:`Rejected` inputs out.

A reader never raises for a bad input: it yields a ``Rejected`` with the
catalogue code and goes on, so one bad file or line never stops a batch.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parallax.errors import ParallaxError
from parallax.ingest.decode import (
    check_size,
    clean_text,
    decode_text,
    open_maybe_gzip,
    read_limited,
)
from parallax.ingest.html import declared_charset, parse_html
from parallax.ingest.records import parse_record
from parallax.ingest.text import parse_text
from parallax.ingest.warc import Skipped, read_warc
from parallax.model import Draft, Metadata, Rejected
from parallax.settings import Settings

READERS = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".arc": "warc",
    ".parquet": "parquet",
}
_CHUNK = 1 << 16
TOO_DEEP = "arrays or objects nested too deeply to read"
"""Why a JSON document past the parser's nesting limit (about 1,000 levels) is refused."""


@dataclass(frozen=True)
class InputFile:
    path: Path
    explicit: bool
    """Named on the command line (an unsupported type is then an error, not a skip)."""


def kind_of(path: Path) -> str | None:
    """The reader for a path by its suffix, looking through a final ``.gz``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return READERS.get(suffixes[-1]) if suffixes else None


def discover(paths: Iterable[Path]) -> Iterator[InputFile]:
    """Files under the given paths, directories walked recursively in a stable order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if _entry(child) and not hidden:
                    yield InputFile(child, explicit=False)
        else:
            yield InputFile(path, explicit=True)


def _entry(child: Path) -> bool:
    """A file to read, or a symlink that leads nowhere (a loop, a missing target): that
    one is read too, so that it is quarantined (E010) instead of vanishing unseen."""
    return child.is_file() or (child.is_symlink() and not child.exists())


def read_input(path: Path, settings: Settings) -> Iterator[Draft | Rejected]:
    """Every article in one file, or the reason it has none."""
    source = str(path)
    kind = kind_of(path)
    try:
        if path.exists() and not path.is_file():
            # a FIFO or a device named on the command line would block or never end
            raise ParallaxError("E010", source, "not a regular file")
        if kind is None:
            raise ParallaxError("E009", source, f"suffix {''.join(path.suffixes) or 'none'}")
        if kind == "jsonl":
            yield from _read_jsonl(path, settings)
            return
        if kind == "json":
            yield from _read_json(path, settings)
            return
        if kind == "parquet":
            yield from read_parquet(path, settings)
            return
        if kind == "warc":
            # records that are no article page are left out here; ingest_into reads
            # archives itself, with their offsets, to count those and to resume
            for item in read_warc(path, settings):
                if not isinstance(item.result, Skipped):
                    yield item.result
            return
        data = read_limited(path, settings.max_article_bytes)
        yield _read_single(kind, data, source)
    except ParallaxError as error:
        yield _rejected(error)
    except Exception as exc:  # a library bug on one input must not stop the batch
        yield _rejected(ParallaxError("E099", source, f"{type(exc).__name__}: {exc}"))


def _read_single(kind: str, data: bytes, source: str) -> Draft:
    raw = decode_text(data, source, declared_charset(data) if kind == "html" else None)
    if kind == "html":
        text, meta, extra = parse_html(raw, source)
        return _draft(text, meta, source, None, extra)
    parsed = parse_text(clean_text(raw))
    extra = {"furniture": list(parsed.furniture)} if parsed.furniture else {}
    return _draft(parsed.text, parsed.meta, source, None, extra)


def _read_json(path: Path, settings: Settings) -> Iterator[Draft | Rejected]:
    source = str(path)
    raw = decode_text(read_limited(path, settings.max_file_bytes), source)
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ParallaxError("E006", source, f"{exc.msg} at line {exc.lineno}") from exc
    except RecursionError:
        raise ParallaxError("E006", source, TOO_DEEP) from None
    if isinstance(value, dict):
        listed = next((value[k] for k in ("articles", "items", "data") if k in value), None)
        value = listed if isinstance(listed, list) else value
    if not isinstance(value, list):
        yield _from_record(value, source, None)
        return
    for index, record in enumerate(value, start=1):
        yield _from_record(record, source, index)


def read_jsonl_range(
    path: Path, settings: Settings, start: int, end: int, first: int, source: str | None = None
) -> Iterator[Draft | Rejected]:
    """The records of an uncompressed JSONL file whose lines begin in bytes ``[start,
    end)``, ``start`` being the beginning of line number ``first``: how a batch splits a
    large file into tasks and still numbers each record as a reading of the whole file."""
    try:
        yield from _read_jsonl(path, settings, start=start, end=end, first=first, source=source)
    except ParallaxError as error:
        yield _rejected(error)


def _read_jsonl(
    path: Path,
    settings: Settings,
    *,
    start: int = 0,
    end: int | None = None,
    first: int = 1,
    source: str | None = None,
) -> Iterator[Draft | Rejected]:
    """Stream a JSONL file line by line; each line is judged on its own."""
    source = source or str(path)
    limit = settings.max_article_bytes
    try:
        with open_maybe_gzip(path) as handle:
            if start:
                handle.seek(start)
            number = first - 1
            while True:
                if end is not None and handle.tell() >= end:
                    return
                line = handle.readline(limit + 1)
                if not line:
                    return
                number += 1
                if len(line) > limit and not line.endswith(b"\n"):
                    _skip_rest_of_line(handle)
                elif not line.strip():
                    continue  # blank lines separate nothing in JSONL; they are not records
                yield _from_line(line, source, number, limit)
    except OSError as exc:
        raise ParallaxError(
            "E010" if isinstance(exc, FileNotFoundError) else "E011", source, str(exc)
        ) from exc
    except (EOFError, zlib.error) as exc:  # a .gz cut short: the lines before it are kept
        raise ParallaxError("E011", source, str(exc) or type(exc).__name__) from exc


PARQUET_DERIVED = frozenset(
    {"schema", "id", "source", "record", "duplicate_of", "wire_of", "chars", "annotations",
     "annotator", "annotation_error", "content_key", "kind", "code", "reason", "row",
     "outlet_name"}
)  # fmt: skip
"""Columns of Parallax's own Parquet files (exports, batch shards) that Parallax derives
from an article and does not read back as the input's fields."""


def read_parquet(
    path: Path, settings: Settings, row_groups: Sequence[int] | None = None
) -> Iterator[Draft | Rejected]:
    """Each row of a Parquet file as one record (the JSONL field names apply; row n is
    record n), streamed by row group: a warehouse table, an export or a batch shard.
    A Parallax ``extra`` column (JSON) is merged back into the record's extra fields."""
    source = str(path)
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ParallaxError("E035", source, "pyarrow is not installed") from exc
    try:
        handle = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise ParallaxError("E011", source, str(exc)) from exc
    groups = range(handle.num_row_groups) if row_groups is None else row_groups
    number = sum(handle.metadata.row_group(g).num_rows for g in range(min(groups, default=0)))
    with handle:
        for group in groups:
            for row in _row_group(handle, group, source):
                number += 1
                yield _from_parquet_row(row, source, number, settings.max_article_bytes)


def _row_group(handle: Any, group: int, source: str) -> list[dict[str, Any]]:
    """The rows of one row group. Damage inside it (a corrupt page, broken compression)
    shows only when it is read: E011 for the file, after the rows of the groups before."""
    try:
        return list(handle.read_row_group(group).to_pylist())
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise ParallaxError("E011", source, f"row group {group}: {exc}") from exc


def _from_parquet_row(
    row: dict[str, Any], source: str, number: int, limit: int
) -> Draft | Rejected:
    extra = row.pop("extra", None)
    record = {key: value for key, value in row.items() if key not in PARQUET_DERIVED}
    if isinstance(extra, str):
        try:
            loaded = json.loads(extra)
        except json.JSONDecodeError:
            loaded = None
        if isinstance(loaded, dict):
            record = {**loaded, **record}
    text = next((record.get(key) for key in ("text", "maintext", "content") if record.get(key)), "")
    if isinstance(text, str) and len(text.encode("utf-8", "surrogatepass")) > limit:
        error = ParallaxError("E003", source, f"over {limit} bytes", record=number, limit=limit)
        return _rejected(error)
    return _from_record(record, source, number)


def _skip_rest_of_line(handle: Any) -> None:
    while True:
        chunk = handle.readline(_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def _from_line(line: bytes, source: str, number: int, limit: int) -> Draft | Rejected:
    try:
        check_size(line, limit, source, record=number)
        text = decode_text(line, source, record=number)
        record = json.loads(text)
    except ParallaxError as error:
        return _rejected(error)
    except json.JSONDecodeError as exc:
        return _rejected(ParallaxError("E006", source, exc.msg, record=number))
    except RecursionError:  # one line nested too deep; the lines after it are read
        return _rejected(ParallaxError("E006", source, TOO_DEEP, record=number))
    return _from_record(record, source, number)


def _from_record(record: Any, source: str, number: int | None) -> Draft | Rejected:
    try:
        text, meta, extra = parse_record(record, source, number)
        return _draft(text, meta, source, number, extra)
    except ParallaxError as error:
        return _rejected(error)
    except Exception as exc:  # a bug on one record must not stop the file
        detail = f"{type(exc).__name__}: {exc}"
        return _rejected(ParallaxError("E099", source, detail, record=number))


def _draft(
    text: str, meta: Metadata, source: str, record: int | None, extra: dict[str, Any]
) -> Draft:
    cleaned = clean_text(text)
    if not cleaned:
        raise ParallaxError("E001", source, record=record)
    return Draft(cleaned, meta, source, record, extra)


def _rejected(error: ParallaxError) -> Rejected:
    """The quarantine entry of an error: its source and record as the error holds them."""
    return Rejected(error.source, error.record, error.code, error.reason)
