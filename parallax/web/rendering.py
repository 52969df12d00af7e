"""Templates and static files of the server.

The server's templates extend the report's (one environment holds both, the server's
first), so a story looks the same in a report file and in the browser. Static files are
served with a content hash in their URL, so they can be cached for good and still change
with a new release.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader

from parallax.model import VERSION
from parallax.render import FOLD_AFTER, distinct_summary, environment, story_pages, stylesheet

MEDIA = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\"'<>\\]+\Z", re.IGNORECASE)


@cache
def _files() -> dict[str, bytes]:
    own = resources.files("parallax.web").joinpath("static")
    found = {
        item.name: item.read_bytes() for item in own.iterdir() if item.name[-3:] in ("css", ".js")
    }
    found["report.css"] = stylesheet().encode("utf-8")
    return found


def static_file(name: str) -> tuple[bytes, str] | None:
    """A static file's bytes and media type; None for any other name."""
    body = _files().get(name)
    if body is None:
        return None
    return body, MEDIA.get(name[name.rfind(".") :], "application/octet-stream")


def static_url(name: str) -> str:
    digest = hashlib.sha256(_files()[name]).hexdigest()[:10]
    return f"/static/{name}?v={digest}"


def safe_url(value: object) -> str | None:
    """An article's url when it is plain http(s), else None: ``javascript:`` and other
    schemes never become links."""
    if isinstance(value, str) and _SAFE_URL.match(value.strip()):
        return value.strip()
    return None


def path_part(value: object) -> str:
    """A value made safe as one segment of a URL path (ids, outlet names)."""
    return quote(str(value), safe="")


@cache
def _environment() -> Environment:
    env = environment(PackageLoader("parallax.web", "templates"))
    env.globals.update(
        static_url=static_url,
        safe_url=safe_url,
        version=VERSION,
        story_pages=story_pages,
        distinct_summary=distinct_summary,
        fold=FOLD_AFTER,
    )
    env.filters["path"] = path_part
    return env


def render(template: str, **values: Any) -> str:
    return _environment().get_template(template).render(**values)
