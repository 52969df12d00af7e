"""Bytes to text without surprises: size limits after decompression, binary sniffing, decoding.

Every failure raises a catalogued :class:`ParallaxError`, so the caller can
quarantine the input with its reason and go on with the batch.
"""

from __future__ import annotations

import gzip
import os
import unicodedata
import zlib
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from parallax.errors import ParallaxError

_SNIFF_BYTES = 8192
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_MAX_CHAOS = 0.1
"""Highest mess ratio (charset-normalizer's 'chaos') we accept from a guessed encoding."""
_MIN_COHERENCE = 0.1
"""Lowest language coherence we accept from a guess: mojibake decodes, but into no language."""


def open_maybe_gzip(path: Path) -> BinaryIO:
    """Open a file for reading bytes, transparently decompressing ``.gz``."""
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_limited(path: Path, limit: int) -> bytes:
    """Read a whole file, failing with E003 as soon as it exceeds ``limit`` bytes.

    The limit applies to the decompressed size, so a small ``.gz`` bomb is caught
    after reading ``limit + 1`` bytes, not after filling memory. An uncompressed file is
    measured before it is read: a 1 GiB file costs no read (a .json's limit is 512 MiB).
    """
    source = str(path)
    try:
        with open_maybe_gzip(path) as handle:
            size = None if isinstance(handle, gzip.GzipFile) else os.fstat(handle.fileno()).st_size
            if size is not None and size > limit:
                raise ParallaxError("E003", source, f"{size} bytes", limit=limit)
            data = handle.read(limit + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise ParallaxError("E011", source, str(exc) or type(exc).__name__) from exc
    except OSError as exc:
        raise ParallaxError("E010", source, exc.strerror or str(exc)) from exc
    check_size(data, limit, source)
    return data


def check_size(data: bytes, limit: int, source: str, *, record: int | None = None) -> None:
    """E003 over ``limit`` bytes, E001 when there is nothing but whitespace."""
    if len(data) > limit:
        raise ParallaxError("E003", source, f"over {limit} bytes", record=record, limit=limit)
    if not data.strip():
        raise ParallaxError("E001", source, record=record)


def sniff_binary(data: bytes, source: str, *, record: int | None = None) -> None:
    """Reject bytes that are not text: NUL bytes or many control characters.

    UTF-16/32 with a byte order mark contain NULs legitimately and are let through.
    """
    head = data[:_SNIFF_BYTES]
    if any(head.startswith(bom) for bom, name in _BOMS if name != "utf-8-sig"):
        return
    if b"\x00" in head:
        raise ParallaxError("E002", source, "contains NUL bytes", record=record)
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > len(head) * 0.05:
        detail = f"{controls} control bytes in the first {len(head)}"
        raise ParallaxError("E002", source, detail, record=record)


def decode_text(
    data: bytes, source: str, declared: str | None = None, *, record: int | None = None
) -> str:
    """Decode: byte order mark, then strict UTF-8, then a declared charset, then a guess.

    ``declared`` is the charset the input names for itself (an HTML page's ``<meta>``);
    it is tried only on bytes that are not UTF-8, so a wrong declaration cannot spoil
    UTF-8 text. A guess is accepted only when charset-normalizer finds the result
    coherent; otherwise the input is quarantined rather than stored as mojibake.
    """
    sniff_binary(data, source, record=record)
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode_or_fail(data, name, source, record)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeError):
            pass
    best = from_bytes(data).best()
    if best is None or best.chaos > _MAX_CHAOS or best.coherence < _MIN_COHERENCE:
        detail = f"not UTF-8: {utf8_error.reason} at byte {utf8_error.start}"
        raise ParallaxError("E004", source, detail, record=record)
    return str(best)


def _decode_or_fail(data: bytes, encoding: str, source: str, record: int | None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        detail = f"{encoding}: {exc.reason} at byte {exc.start}"
        raise ParallaxError("E004", source, detail, record=record) from exc


def clean_text(text: str) -> str:
    """The canonical stored form: NFC, Unix newlines, no NULs, no outer whitespace.

    Every later span refers to this form, so it is applied once, here.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.strip()
