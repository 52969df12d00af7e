"""Parallax: multi-outlet news intelligence.

The public Python API is what ``__all__`` lists; everything else is internal and
may change. The CLI (``parallax``) is a thin layer over these functions. Every type in
a public signature is exported too, so callers can annotate their own code.
"""

from parallax.compare import Lexicon, TermMatch
from parallax.errors import ExitCode, ParallaxError
from parallax.model import (
    VERSION,
    Annotations,
    Article,
    Family,
    IngestSummary,
    Metadata,
    Rejected,
    Report,
    StoryReport,
)
from parallax.pipeline import (
    AnnotateHook,
    ClusterHook,
    ClusterSummary,
    IngestOptions,
    ProgressHook,
    RunSummary,
    analyze,
    annotate_store,
    build_report,
    cluster_store,
    find_stories,
    ingest,
    kept_story_report,
    refresh_reports,
    story_report,
)
from parallax.settings import Settings
from parallax.store import Batch, InputProgress, QuarantineEntry, Revision, Store, StoryRecord
from parallax.stories import StoryOptions

__version__ = VERSION

__all__ = [
    "AnnotateHook",
    "Annotations",
    "Article",
    "Batch",
    "ClusterHook",
    "ClusterSummary",
    "ExitCode",
    "Family",
    "IngestOptions",
    "IngestSummary",
    "InputProgress",
    "Lexicon",
    "Metadata",
    "ParallaxError",
    "ProgressHook",
    "QuarantineEntry",
    "Rejected",
    "Report",
    "Revision",
    "RunSummary",
    "Settings",
    "Store",
    "StoryOptions",
    "StoryRecord",
    "StoryReport",
    "TermMatch",
    "__version__",
    "analyze",
    "annotate_store",
    "build_report",
    "cluster_store",
    "find_stories",
    "ingest",
    "kept_story_report",
    "refresh_reports",
    "story_report",
]
