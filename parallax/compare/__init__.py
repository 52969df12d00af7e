"""Compare the articles of a story: facts, conflicts, quotes, labels, framing, timeline.

The stage function is :func:`compare`: a story's sources (articles with their
independence groups) in, one ``parallax.report/1`` story out. :func:`report` wraps
stories into the document. See docs/report.md for the fields and docs/compare.md for
how facts and conflicts are found.
"""

from parallax.compare.context import Source, outlet_name
from parallax.compare.story import REPORT_SCHEMA, compare, report

__all__ = ["REPORT_SCHEMA", "Source", "compare", "outlet_name", "report"]
