"""Shards: one Parquet file per partition, written whole or not at all.

A shard holds every result of its partition in order: each article with the
``parallax.article/1`` fields as columns (``duplicate_of`` and ``wire_of`` are decided
when shards are loaded, across all of them), its annotations as JSON, and each rejection
with its code and reason. It is written under a temporary name and renamed, and carries
its partition's fingerprint in the file's metadata, so a shard that a kill cut short, or
one made from other inputs or settings, is recognised and made again.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from parallax.batch.plan import Partition
from parallax.model import Article, Draft, Metadata, Rejected
from parallax.pipeline import Failed, Prepared

FINGERPRINT_KEY = b"parallax.partition"
ROWS_KEY = b"parallax.rows"
COLUMNS = (
    "row", "kind", "source", "record", "id", "outlet", "url", "title", "author",
    "published_at", "language", "text", "extra", "content_key", "annotations", "annotator",
    "annotation_error", "code", "reason",
)  # fmt: skip


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of a folder (a local path or a url) and its root."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    return fs, str(root).rstrip("/") or "/"


def write_shard(fs: Any, folder: str, partition: Partition, items: Sequence[Prepared]) -> None:
    """Write the shard atomically: a temporary name in the same folder, then a rename."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [_row(number, item) for number, item in enumerate(items)]
    table = pa.Table.from_pylist(rows, schema=_schema(pa))
    table = table.replace_schema_metadata(
        {FINGERPRINT_KEY: partition.fingerprint.encode(), ROWS_KEY: str(len(rows)).encode()}
    )
    final = f"{folder}/{partition.shard}"
    temporary = f"{folder}/.{partition.shard}.{uuid.uuid4().hex}.tmp"
    try:
        with fs.open(temporary, "wb") as handle:
            pq.write_table(table, handle, compression="zstd")
        fs.mv(temporary, final)
    finally:
        if fs.exists(temporary):
            fs.rm(temporary)


def shard_ok(fs: Any, folder: str, partition: Partition) -> bool:
    """Whether the partition's shard is there whole: its footer reads, it was made for
    this partition and holds the rows it says. Anything else is made again."""
    import pyarrow.parquet as pq

    path = f"{folder}/{partition.shard}"
    try:
        if not fs.exists(path):
            return False
        with fs.open(path, "rb") as handle:
            metadata = pq.read_metadata(handle)
    except (OSError, ValueError):  # pyarrow's ArrowInvalid is a ValueError
        return False
    found = metadata.metadata or {}
    return bool(
        found.get(FINGERPRINT_KEY) == partition.fingerprint.encode()
        and found.get(ROWS_KEY) == str(metadata.num_rows).encode()
    )


def read_shard(fs: Any, folder: str, partition: Partition) -> Iterator[Prepared]:
    """The prepared results of a shard, in their order."""
    import pyarrow.parquet as pq

    with fs.open(f"{folder}/{partition.shard}", "rb") as handle:
        table = pq.read_table(handle)
    for row in sorted(table.to_pylist(), key=lambda r: r["row"]):
        yield _prepared(row)


def _schema(pa: Any) -> Any:
    text, number = pa.string(), pa.int64()
    types = {"row": number, "record": number}
    return pa.schema([(name, types.get(name, text)) for name in COLUMNS])


def _row(number: int, item: Prepared) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row["row"] = number
    result = item.result
    row["source"], row["record"] = result.source, result.record
    if isinstance(result, Rejected):
        row.update(kind="rejected", code=result.code, reason=result.reason)
        return row
    article = item.article
    assert article is not None
    row.update(
        kind="article",
        id=article.id,
        outlet=article.outlet,
        url=article.url,
        title=article.title,
        author=article.author,
        published_at=article.published_at,
        language=article.language,
        text=article.text,
        extra=json.dumps(article.extra, ensure_ascii=False),
        content_key=item.content_key,
        annotator=item.annotator,
    )
    if isinstance(item.annotations, Failed):
        row["annotation_error"] = item.annotations.error
    elif item.annotations is not None:
        row["annotations"] = json.dumps(item.annotations, ensure_ascii=False)
    return row


def _prepared(row: dict[str, Any]) -> Prepared:
    if row["kind"] == "rejected":
        return Prepared(Rejected(row["source"], row["record"], row["code"], row["reason"]))
    meta = Metadata(
        outlet=row["outlet"],
        url=row["url"],
        title=row["title"],
        author=row["author"],
        published_at=row["published_at"],
        language=row["language"],
    )
    extra = json.loads(row["extra"]) if row["extra"] else {}
    article = Article(
        id=row["id"],
        text=row["text"],
        source=row["source"],
        outlet=meta.outlet,
        url=meta.url,
        title=meta.title,
        author=meta.author,
        published_at=meta.published_at,
        language=meta.language,
        extra=extra,
    )
    draft = Draft(row["text"], meta, row["source"], row["record"], extra)
    annotations: Any = None
    if row["annotation_error"] is not None:
        annotations = Failed(row["annotation_error"])
    elif row["annotations"] is not None:
        annotations = json.loads(row["annotations"])
    return Prepared(draft, article, row["content_key"], annotations, row["annotator"])
