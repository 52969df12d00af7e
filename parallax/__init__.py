"""Parallax: multi-outlet news intelligence.

The public Python API is what ``__all__`` lists; everything else is internal and
may change. The CLI (``parallax``) is a thin layer over these functions.
"""

from parallax.errors import ExitCode, ParallaxError
from parallax.model import VERSION, Article, IngestSummary, Metadata
from parallax.pipeline import (
    IngestOptions,
    analyze,
    annotate_store,
    build_report,
    cluster_store,
    find_stories,
    ingest,
    story_report,
)
from parallax.settings import Settings
from parallax.store import Store

__version__ = VERSION

__all__ = [
    "Article",
    "ExitCode",
    "IngestOptions",
    "IngestSummary",
    "Metadata",
    "ParallaxError",
    "Settings",
    "Store",
    "__version__",
    "analyze",
    "annotate_store",
    "build_report",
    "cluster_store",
    "find_stories",
    "ingest",
    "story_report",
]
