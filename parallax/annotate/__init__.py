"""Annotate: actors, labels, quotes, dates, quantities and events per article, each item
with its span; :func:`annotate_store` runs it over a store (spaCy loads on first use)."""

from parallax.annotate.run import (
    AnnotateHook,
    Failed,
    Result,
    WorkerPool,
    annotate_in,
    annotate_store,
    annotate_texts,
    annotation_status,
    annotator_version,
    count_pending_annotations,
    default_workers,
    save_annotation_result,
    worker_result,
)
from parallax.annotate.version import ANNOTATOR_VERSION

__all__ = [
    "ANNOTATOR_VERSION",
    "AnnotateHook",
    "Failed",
    "Result",
    "WorkerPool",
    "annotate_in",
    "annotate_store",
    "annotate_texts",
    "annotation_status",
    "annotator_version",
    "count_pending_annotations",
    "default_workers",
    "save_annotation_result",
    "worker_result",
]
