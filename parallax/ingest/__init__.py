"""Ingest: files in (web archives included), typed :class:`~parallax.model.Draft` articles
out (or rejections), then an id, metadata and the copy decision for each (near-duplicates
and wire copies)."""

from parallax.ingest.dedup import (
    article_from_draft,
    band_keys,
    content_hash,
    copy_decision,
    signature,
)
from parallax.ingest.files import (
    discover,
    kind_of,
    read_input,
    read_jsonl_range,
    read_parquet,
)
from parallax.ingest.manifest import load_manifest
from parallax.ingest.metadata import parse_published
from parallax.ingest.pages import page_draft
from parallax.ingest.run import (
    ArchiveCounts,
    ProgressHook,
    RunSummary,
    WrittenHook,
    ingest_into,
    ingest_results,
    misnamed_input,
)
from parallax.ingest.warc import ArchiveItem, Skipped, read_warc

__all__ = [
    "ArchiveCounts",
    "ArchiveItem",
    "ProgressHook",
    "RunSummary",
    "Skipped",
    "WrittenHook",
    "article_from_draft",
    "band_keys",
    "content_hash",
    "copy_decision",
    "discover",
    "ingest_into",
    "ingest_results",
    "kind_of",
    "load_manifest",
    "misnamed_input",
    "page_draft",
    "parse_published",
    "read_input",
    "read_jsonl_range",
    "read_parquet",
    "read_warc",
    "signature",
]
