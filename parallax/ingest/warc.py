"""Web archives: WARC and ARC files (plain or gzip, the CC-NEWS layout included), read
record by record with warcio.

An HTTP 200 ``response`` record with an HTML content type is an article page, read like an
``.html`` file (trafilatura, through :func:`~parallax.ingest.html.parse_html`): its url is
the record's ``WARC-Target-URI`` and its crawl time (``WARC-Date``) is kept as
``extra["fetched_at"]``, never as the publication time. Every other record (requests,
revisits, metadata, other statuses, other types) is counted by kind and skipped.

Each record comes with its offset in the file and the offset where the next one starts,
which is where a later read can resume: warcio reads a ``.warc.gz`` from any gzip member
boundary and a plain ``.warc`` from any record start. Memory stays flat: records are
streamed, and a body is read up to the per-article limit only.

A damaged file (cut short, corrupt bytes, a record longer than what is left) ends the
read with one damage item at the offset of the first record that could not be read;
everything before it has been yielded. Like the other readers, this one never raises.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.bufferedreaders import DecompressingBufferedReader  # type: ignore[import-untyped]

from parallax.errors import ParallaxError
from parallax.ingest.html import declared_charset
from parallax.ingest.pages import page_draft
from parallax.model import Draft, Rejected
from parallax.settings import Settings

HTML_TYPES = ("text/html", "application/xhtml+xml")
NOT_200 = "not_200"
NOT_HTML = "not_html"
NOT_HTTP = "not_http"
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.IGNORECASE)
_ONE_STREAM = "a gzip member holds more than one record"
_DETAIL = 160
"""How much of a library's message about damage is kept in the quarantine reason."""
LINE_CAP = 1 << 16
"""The longest header line read from an archive: longer ones are cut (and then fail to
parse, as damage) rather than read whole."""


class _CappedLines(DecompressingBufferedReader):  # type: ignore[misc]
    """warcio's reader with every line cut at :data:`LINE_CAP` bytes. warcio reads header
    lines and the blank lines between records without a length, growing one bytes
    object a block at a time: a zero-filled tail (a crawler killed after allocating its
    file) or a gzip bomb without line breaks cost quadratic time and the whole file in
    memory, so that a 1 GiB file of zeros never finished."""

    def readline(self, length: int | None = None) -> bytes:
        capped = LINE_CAP if length is None or length < 0 else min(length, LINE_CAP)
        return bytes(super().readline(capped))


@dataclass(frozen=True)
class Skipped:
    """A record that is no article page: ``kind`` is its WARC type (``request``,
    ``revisit``, ``metadata``, ``warcinfo``...) or, for a response, ``not_200``,
    ``not_html`` or ``not_http`` (a ``dns:`` record, say)."""

    kind: str


@dataclass(frozen=True)
class ArchiveItem:
    """One record of an archive, or the damage that ended the read.

    ``offset`` is where the record starts in the file; ``end`` where the next one starts,
    the point to resume from once this record's result is stored. A damage item has
    ``damaged`` set, a :class:`Rejected` result, and ``end == offset``: nothing at or
    after it was read.
    """

    offset: int
    end: int
    result: Draft | Rejected | Skipped
    damaged: bool = False


def read_warc(path: Path, settings: Settings, start: int = 0) -> Iterator[ArchiveItem]:
    """Every record of the archive at ``path`` from offset ``start`` (a record start, or
    a gzip member start for a ``.gz``), each with its result, in file order."""
    source = str(path)
    try:
        handle: BinaryIO = path.open("rb")
    except OSError as exc:
        error = ParallaxError("E010", source, exc.strerror or str(exc))
        yield ArchiveItem(start, start, _rejected(error), damaged=True)
        return
    with handle:
        size = os.fstat(handle.fileno()).st_size
        handle.seek(start)
        yield from _records(handle, source, size, start, settings.max_article_bytes)


def _records(
    handle: BinaryIO, source: str, size: int, start: int, limit: int
) -> Iterator[ArchiveItem]:
    gzipped = source.lower().endswith(".gz")
    offset = start
    try:
        archive = ArchiveIterator(handle, arc2warc=True, check_digests=True)
        archive.reader = _CappedLines(handle)
        records = iter(archive)
        while offset < size:
            offset = archive.offset
            try:
                record = next(records)
            except StopIteration:
                break
            errors = archive.err_count
            body, failure = _body(record, limit, source, offset)
            archive.read_to_end()
            end = archive.offset
            broken = _broken(archive, record, errors)
            if broken is not None:
                yield _damage("E015", source, offset, broken)
                return
            if not offset < end <= size:
                if gzipped:
                    yield _damage("E016", source, offset, _ONE_STREAM)
                else:
                    yield _damage("E015", source, offset, f"a record ends at offset {end}")
                return
            if failure is None and record.digest_checker.passed is False:
                detail = "; ".join(record.digest_checker.problems)
                failure = _rejected(ParallaxError("E017", source, detail, record=offset))
            yield ArchiveItem(offset, end, _result(record, body, failure, source, offset, limit))
            offset = end
    except Exception as exc:  # warcio and zlib raise many types on damaged bytes
        yield _damage(_damage_code(exc, gzipped), source, offset, _describe(exc))
        return
    if offset < size:
        detail = f"{size - offset} bytes after the last whole record cannot be read"
        yield _damage("E015", source, offset, detail)


def _broken(archive: Any, record: Any, errors: int) -> str | None:
    """What is wrong with a record just read to its end, or ``None``. warcio reports
    neither a gzip member that stops decompressing (it logs and returns no more bytes) nor
    a record shorter than its ``Content-Length``, so both are checked here."""
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        return f"the record lacks its last {missing} bytes"
    decompressor = archive.reader.decompressor
    if decompressor is not None and not getattr(decompressor, "eof", True):
        return "a gzip member cannot be decompressed to its end"
    if archive.err_count > errors:
        return "the record does not end where its Content-Length says"
    return None


def _body(record: Any, limit: int, source: str, offset: int) -> tuple[bytes, Rejected | None]:
    """The decoded payload of an article-page record (up to ``limit + 1`` bytes), or the
    reason it cannot be read; ``b""`` for records that are no article page."""
    if _skip_kind(record) is not None:
        return b"", None
    try:
        return record.content_stream().read(limit + 1), None
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        # the HTTP content encoding (gzip, deflate, br) is broken: this record only; damage
        # in the archive itself shows when the rest of the record is read
        detail = f"content encoding: {_describe(exc)}"
        return b"", _rejected(ParallaxError("E011", source, detail, record=offset))


def _skip_kind(record: Any) -> str | None:
    if record.rec_type != "response":
        return str(record.rec_type or "unknown")
    http = record.http_headers
    if http is None:
        return NOT_HTTP
    if http.get_statuscode() != "200":
        return NOT_200
    content_type = http.get_header("Content-Type") or ""
    if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        return NOT_HTML
    return None


def _result(
    record: Any, body: bytes, failure: Rejected | None, source: str, offset: int, limit: int
) -> Draft | Rejected | Skipped:
    kind = _skip_kind(record)
    if kind is not None:
        return Skipped(kind)
    if failure is not None:
        return failure
    try:
        return _page(record, body, source, offset, limit)
    except ParallaxError as error:
        return _rejected(error)
    except Exception as exc:  # a library bug on one record must not stop the file
        detail = f"{type(exc).__name__}: {exc}"
        return _rejected(ParallaxError("E099", source, detail, record=offset))


def _page(record: Any, body: bytes, source: str, offset: int, limit: int) -> Draft:
    declared = _http_charset(record.http_headers.get_header("Content-Type") or "")
    headers = record.rec_headers
    return page_draft(
        body,
        source=source,
        url=headers.get_header("WARC-Target-URI"),
        charset=declared,
        fetched_at=headers.get_header("WARC-Date"),
        limit=limit,
        record=offset,
    )


def _http_charset(content_type: str) -> str | None:
    """The codec of the charset named in an HTTP ``Content-Type``, read the way a page's
    own declaration is read (latin-1 means windows-1252; an unknown label is ``None``)."""
    found = _CHARSET.search(content_type)
    if found is None:
        return None
    return declared_charset(f'<meta charset="{found.group(1)}">'.encode("ascii"))


def _damage(code: str, source: str, offset: int, detail: str) -> ArchiveItem:
    error = ParallaxError(code, source, detail, offset=offset)
    return ArchiveItem(offset, offset, Rejected(source, offset, code, error.reason), damaged=True)


def _damage_code(exc: Exception, gzipped: bool) -> str:
    return "E016" if gzipped and "non-chunked gzip" in str(exc) else "E015"


def _describe(exc: BaseException) -> str:
    """A short, printable account of a library's exception (warcio quotes raw bytes)."""
    lines = str(exc).strip().splitlines()
    first = next((line.strip() for line in lines if line.strip()), type(exc).__name__)
    if "non-chunked gzip" in str(exc):
        first = _ONE_STREAM
    elif "first line" in first:
        first = first.partition(", first line")[0] + ": no record starts here"
    printable = "".join(ch if ch.isprintable() else "?" for ch in first)
    return printable if len(printable) <= _DETAIL else printable[: _DETAIL - 1] + "…"


def _rejected(error: ParallaxError) -> Rejected:
    return Rejected(error.source, error.record, error.code, error.reason)
