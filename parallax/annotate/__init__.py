"""Annotate: actors, labels, quotes, dates, quantities and events per article, each item
with its span; :func:`annotate_store` runs it over a store (spaCy loads on first use)."""

from parallax.annotate.run import (
    AnnotateHook,
    annotate_store,
    annotation_status,
    count_pending_annotations,
)
from parallax.annotate.version import ANNOTATOR_VERSION

__all__ = [
    "ANNOTATOR_VERSION",
    "AnnotateHook",
    "annotate_store",
    "annotation_status",
    "count_pending_annotations",
]
