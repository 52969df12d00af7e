"""What the fork server of the annotation workers imports before it forks any of them.

Importing this module loads spaCy and the English pipeline once, in that server, so
every worker forked from it starts with the pipeline (and what the first article would
load) in memory: no import or load of its own (seconds of CPU a worker), and the
model's arrays shared between the workers, page by page, until one writes to them (which
annotation does not). Nothing else imports it.
"""

from __future__ import annotations

import contextlib
import gc

from parallax.annotate.run import annotate_texts

WARM_UP = (
    "The minister said on Sunday that 12 people had been arrested in the capital, and the "
    "police confirmed the figure in a statement released four days after the protest."
)
"""Long enough for the language detector: annotating it loads what the first article
would load in each worker (the detector's model, the date grammar), here once."""

with contextlib.suppress(Exception):  # no model: each worker fails to load it, and says why
    annotate_texts([(WARM_UP, "2020-01-05", None)])

# objects made so far are never collected: the collector then does not write to their
# pages in every worker, which would copy them (Python's own advice for forking servers)
gc.freeze()
