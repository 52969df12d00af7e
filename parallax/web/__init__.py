"""``parallax serve``: stories, articles, outlets and actors in a browser, and as JSON.

A thin layer over the Python API (:mod:`parallax.pipeline`, :mod:`parallax.profiles`,
:mod:`parallax.render`): it reads the store through read-only connections while an ingest
writes to it, keeps each story's comparison per story version instead of recomputing it
per request, and treats everything that comes from an article as hostile.
"""

from parallax.web.app import create_app
from parallax.web.server import serve

__all__ = ["create_app", "serve"]
