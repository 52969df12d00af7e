"""One batch task: read a partition, give ids, annotate, write its shard.

A pure function of the partition and the settings, run on a Dask worker (or anywhere):
a task run twice leaves the same shard, and a task whose shard is already whole does
nothing, so a rerun after any kill redoes only what is missing.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from parallax.batch.plan import Partition, Piece
from parallax.batch.shards import filesystem, shard_ok, write_shard
from parallax.model import Draft, Rejected
from parallax.pipeline import Prepared, prepare, read_part
from parallax.settings import Settings


@dataclass(frozen=True)
class TaskResult:
    number: int
    shard: str
    articles: int
    rejected: int
    made: bool
    """False when the shard was already whole (nothing was redone)."""


def run_task(partition: Partition, out: str, settings: Settings) -> TaskResult:
    """Make the partition's shard in ``out`` unless it is already there whole."""
    fs, folder = filesystem(out)
    if shard_ok(fs, folder, partition):
        return TaskResult(partition.number, partition.shard, 0, 0, made=False)
    items: list[Prepared] = []
    for piece in partition.pieces:
        items.extend(prepare(_read(piece, settings), piece.meta))
    write_shard(fs, folder, partition, items)
    rejected = sum(isinstance(item.result, Rejected) for item in items)
    return TaskResult(partition.number, partition.shard, len(items) - rejected, rejected, True)


def _read(piece: Piece, settings: Settings) -> Iterator[Draft | Rejected]:
    """The articles of a piece; a remote file (or its byte range) is copied to a
    temporary local file first, and its results named by its url."""
    if not piece.remote:
        yield from read_part(
            Path(piece.path), settings, start=piece.start, end=piece.end,
            first=piece.first, row_groups=piece.row_groups,
        )  # fmt: skip
        return
    fs, path = filesystem(piece.path)
    suffix = "".join(Path(path).suffixes[-2:])
    with tempfile.TemporaryDirectory(prefix="parallax-task-") as folder:
        local = Path(folder) / f"input{suffix}"
        with fs.open(path, "rb") as source, local.open("wb") as target:
            if piece.end is not None:
                source.seek(piece.start)
                target.write(source.read(piece.end - piece.start))
            else:
                shutil.copyfileobj(source, target)
        end = None if piece.end is None else piece.end - piece.start
        yield from read_part(
            local, settings, start=0, end=end,
            first=piece.first, row_groups=piece.row_groups, source=piece.path,
        )  # fmt: skip
