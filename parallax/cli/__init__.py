"""The ``parallax`` command: parse arguments, call the pipeline or the store, render.

Nothing here decides anything the Python API could not; commands are thin so that tests
and other programs can do the same through :mod:`parallax.pipeline`. One module per
command family; importing them registers their commands on the one :data:`app`.
"""

from parallax.cli import articles, batch, check, reports, serve, sources, stories
from parallax.cli.common import app, main

__all__ = ["app", "articles", "batch", "check", "main", "reports", "serve", "sources", "stories"]
