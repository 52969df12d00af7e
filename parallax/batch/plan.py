"""The plan of a batch: its inputs cut into partitions, one task and one shard each.

Inputs are local paths or fsspec urls (``s3://bucket/crawl/``, ``gs://``, ``file://``).
Small files are grouped until a partition holds about ``partition_bytes``; a large
uncompressed JSONL file is cut at line starts and a large Parquet file at row groups, so a
month of crawl becomes many tasks of similar size. Web archives and compressed files are
one partition each: they cannot be entered in the middle. The plan keeps the order of a
plain ``parallax ingest`` of the same inputs (folders walked in sorted order, records in
file order), which is the order the shards are loaded in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from parallax.model import VERSION, Metadata
from parallax.pipeline import discover, kind_of

PLAN_SCHEMA = "parallax.batch/1"
DEFAULT_PARTITION_BYTES = 64 * 1024 * 1024
_SCAN = 1 << 20


@dataclass(frozen=True)
class Piece:
    """A part of one input file: the whole file, the lines of a JSONL file that begin in
    bytes ``[start, end)`` (``first``: the number of the first), or some row groups."""

    path: str
    kind: str | None
    size: int
    mtime_ns: int | None = None
    start: int = 0
    end: int | None = None
    first: int = 1
    row_groups: tuple[int, ...] | None = None
    meta: Metadata = field(default_factory=Metadata)
    """The user's and the manifest's metadata for this file: they win over the input's."""

    @property
    def remote(self) -> bool:
        return "://" in self.path


@dataclass(frozen=True)
class Partition:
    """One task: pieces read in order into one shard."""

    number: int
    pieces: tuple[Piece, ...]
    fingerprint: str
    """What the shard depends on (the pieces, their files' sizes and times, the settings
    that shape articles, the Parallax version): a shard made for another is redone."""

    @property
    def shard(self) -> str:
        return f"part-{self.number:05d}-{self.fingerprint[:12]}.parquet"

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "shard": self.shard,
            "fingerprint": self.fingerprint,
            "pieces": [_piece_json(piece) for piece in self.pieces],
        }


def plan(
    inputs: Sequence[str],
    *,
    user: Metadata,
    manifest: Mapping[Path, Metadata],
    shaping: Mapping[str, object],
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
) -> tuple[list[Partition], list[str]]:
    """The partitions of ``inputs`` and the files left out (not of a type Parallax reads,
    found in a folder); ``shaping``: the settings an article depends on."""
    pieces: list[Piece] = []
    skipped: list[str] = []
    for path, size, mtime, explicit in _files(inputs):
        kind = kind_of(Path(path))
        if kind is None and not explicit:
            skipped.append(path)
            continue
        local = None if "://" in path else Path(path).resolve()
        meta = user.overridden_by(manifest.get(local, Metadata())) if local else user
        whole = Piece(path, kind, size, mtime, meta=meta)
        pieces.extend(_split(whole, partition_bytes))
    return _group(pieces, partition_bytes, shaping), skipped


def _files(inputs: Sequence[str]) -> Iterator[tuple[str, int, int | None, bool]]:
    """(path or url, size, mtime in ns, named on the command line) of every input file."""
    for item in inputs:
        if "://" not in item:
            for found in discover([Path(item)]):
                try:
                    stat = found.path.stat()
                except OSError:  # read_input names the reason in the shard
                    yield str(found.path), 0, None, found.explicit
                    continue
                yield str(found.path), stat.st_size, stat.st_mtime_ns, found.explicit
            continue
        fs, root = _filesystem(item)
        if fs.isdir(root):
            for name in sorted(fs.find(root)):
                relative = name[len(root) :].lstrip("/")
                if not any(part.startswith(".") for part in relative.split("/")):
                    yield _remote(fs, item, name, explicit=False)
        else:
            yield _remote(fs, item, root, explicit=True)


def _remote(fs: Any, url: str, name: str, *, explicit: bool) -> tuple[str, int, int | None, bool]:
    info = fs.info(name)
    protocol = url.split("://", 1)[0]
    full = name if "://" in name else f"{protocol}://{name}"
    return full, int(info.get("size") or 0), None, explicit


def _filesystem(url: str) -> tuple[Any, str]:
    import fsspec  # the batch extra: only for urls

    fs, root = fsspec.core.url_to_fs(url)
    return fs, str(root).rstrip("/")


def _split(piece: Piece, partition_bytes: int) -> list[Piece]:
    """A large JSONL file cut at line starts, a large Parquet file by row groups."""
    if piece.size <= partition_bytes or piece.remote:
        return [piece]
    if piece.kind == "jsonl" and not piece.path.endswith(".gz"):
        return _split_lines(piece, partition_bytes)
    if piece.kind == "parquet":
        return _split_row_groups(piece, partition_bytes)
    return [piece]


def _split_lines(piece: Piece, partition_bytes: int) -> list[Piece]:
    """Cut points at the first line start after each multiple of ``partition_bytes``, and
    the number of the line there (newlines counted in one pass, about 1 GB/s)."""
    cuts: list[tuple[int, int]] = [(0, 1)]
    lines = 0
    position = 0
    target = partition_bytes
    with open(piece.path, "rb") as handle:
        while chunk := handle.read(_SCAN):
            offset = 0
            while position + len(chunk) > target:
                at = chunk.find(b"\n", max(offset, target - position))
                if at < 0:
                    break
                lines += chunk.count(b"\n", offset, at + 1)
                offset = at + 1
                cuts.append((position + offset, lines + 1))
                target = position + offset + partition_bytes
            lines += chunk.count(b"\n", offset)
            position += len(chunk)
    cuts = [cut for cut in cuts if cut[0] < piece.size]
    ends = [start for start, _ in cuts[1:]] + [piece.size]
    return [
        Piece(
            piece.path, piece.kind, piece.size, piece.mtime_ns, start, end, first, None, piece.meta
        )
        for (start, first), end in zip(cuts, ends, strict=True)
    ]


def _split_row_groups(piece: Piece, partition_bytes: int) -> list[Piece]:
    try:
        import pyarrow.parquet as pq

        metadata = pq.read_metadata(piece.path)
    except (ImportError, OSError, ValueError):
        return [piece]  # the task reports what is wrong with it
    groups: list[list[int]] = [[]]
    size = 0
    for number in range(metadata.num_row_groups):
        group_bytes = metadata.row_group(number).total_byte_size
        if groups[-1] and size + group_bytes > partition_bytes:
            groups.append([])
            size = 0
        groups[-1].append(number)
        size += group_bytes
    return [
        Piece(
            piece.path, piece.kind, piece.size, piece.mtime_ns, row_groups=tuple(g), meta=piece.meta
        )
        for g in groups
    ]


def _group(
    pieces: list[Piece], partition_bytes: int, shaping: Mapping[str, object]
) -> list[Partition]:
    """Consecutive pieces into partitions of about ``partition_bytes`` (order kept)."""
    groups: list[list[Piece]] = []
    size = partition_bytes
    for piece in pieces:
        length = (piece.end if piece.end is not None else piece.size) - piece.start
        if size + length > partition_bytes or piece.row_groups is not None or piece.end is not None:
            groups.append([])
            size = 0
        groups[-1].append(piece)
        size += length
    return [
        Partition(number, tuple(group), _fingerprint(group, shaping))
        for number, group in enumerate(groups)
    ]


def _fingerprint(pieces: list[Piece], shaping: Mapping[str, object]) -> str:
    described = {
        "version": VERSION,
        "settings": dict(sorted(shaping.items())),
        "pieces": [_piece_json(piece) for piece in pieces],
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def _piece_json(piece: Piece) -> dict[str, Any]:
    found = asdict(piece)
    found["meta"] = {k: v for k, v in asdict(piece.meta).items() if v is not None}
    return found


def plan_json(partitions: Sequence[Partition], inputs: Sequence[str]) -> dict[str, Any]:
    """What ``_plan.json`` holds: the inputs and every partition with its shard's name."""
    return {
        "schema": PLAN_SCHEMA,
        "parallax": VERSION,
        "inputs": list(inputs),
        "partitions": [partition.to_json() for partition in partitions],
    }


def partitions_from_json(document: Mapping[str, Any]) -> list[Partition]:
    """The partitions of a stored plan (what ``parallax load`` reads)."""
    partitions = []
    for entry in document["partitions"]:
        pieces = []
        for raw in entry["pieces"]:
            values = dict(raw)
            values["meta"] = Metadata(**values.get("meta", {}))
            groups = values.get("row_groups")
            values["row_groups"] = None if groups is None else tuple(groups)
            pieces.append(Piece(**values))
        partitions.append(Partition(entry["number"], tuple(pieces), entry["fingerprint"]))
    return partitions
