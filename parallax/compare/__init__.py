"""Compare the articles of a story: facts, conflicts, quotes, labels, framing, timeline.

The stage function is :func:`compare`: a story's sources (articles with their
independence groups) in, one ``parallax.report/1`` story out. :func:`report` wraps
stories into the document. See docs/report.md for the fields and docs/compare.md for
how facts and conflicts are found.
"""

from parallax.compare.context import Source, outlet_name, story_order
from parallax.compare.edits import Edited, mark_edits
from parallax.compare.framing import Lexicon, TermMatch
from parallax.compare.story import compare, configured_lexicon, report
from parallax.model import REPORT_SCHEMA

__all__ = [
    "REPORT_SCHEMA",
    "Edited",
    "Lexicon",
    "Source",
    "TermMatch",
    "compare",
    "configured_lexicon",
    "mark_edits",
    "outlet_name",
    "report",
    "story_order",
]
