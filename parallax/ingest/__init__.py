"""Ingest: files in, typed :class:`~parallax.model.Draft` articles out (or rejections),
then an id, metadata and the copy decision for each (near-duplicates and wire copies)."""

from parallax.ingest.dedup import (
    article_from_draft,
    band_keys,
    content_hash,
    copy_decision,
    signature,
)
from parallax.ingest.files import discover, kind_of, read_input
from parallax.ingest.manifest import load_manifest
from parallax.ingest.metadata import parse_published
from parallax.ingest.run import ProgressHook, ingest_into

__all__ = [
    "ProgressHook",
    "article_from_draft",
    "band_keys",
    "content_hash",
    "copy_decision",
    "discover",
    "ingest_into",
    "kind_of",
    "load_manifest",
    "parse_published",
    "read_input",
    "signature",
]
