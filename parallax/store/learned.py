"""The outlet table a store's articles teach, and the stored spellings of one outlet.

Both the article reader (:meth:`parallax.store.db.Store.articles`) and the story reader
(:class:`parallax.store.stories.StoryStore`) need them, so they live below both: this
module reads a SQLite connection and imports nothing else of the store.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from parallax.text.outlets import Outlet, learned_outlets, outlet_key, use_learned

_URL_PREFIX = (
    "CASE WHEN instr(substr(url, 9), '/') > 0 THEN substr(url, 1, 8 + instr(substr(url, 9), '/'))"
    " ELSE url END"
)
"""A url up to the end of its host (``https://host/``), cut in SQL so that the pages of
one host and outlet reach Python as one row, not one per article."""


@dataclass
class _Taught:
    """What one store's articles taught, up to article ``seq``."""

    seq: int = 0
    first: dict[str, int] = field(default_factory=dict)
    pages: set[tuple[str, str]] = field(default_factory=set)
    rows: tuple[Outlet, ...] = ()


_TAUGHT: dict[str, _Taught] = {}
_TAUGHT_LOCK = threading.Lock()


def learn_from(db: sqlite3.Connection, path: str) -> None:
    """Teach the outlet table what the articles of the store at ``path`` say: domain =
    name pairs of pages that name their outlet, and one name for the spellings of one
    outlet (see :func:`parallax.text.outlets.learned_outlets`). Derived at read time from
    the articles, no table of its own; only articles stored since the last call are read
    (one cheap ``max(seq)`` when none are), so every read can afford it."""
    top = int(db.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0])
    with _TAUGHT_LOCK:
        taught = _TAUGHT.get(path)
        if taught is None or top < taught.seq:  # a new store file under an old path
            taught = _TAUGHT[path] = _Taught()
        if top > taught.seq:
            _read_taught(db, taught, top)
        rows = taught.rows
    use_learned(rows)


def _read_taught(db: sqlite3.Connection, taught: _Taught, top: int) -> None:
    found = db.execute(
        f"SELECT outlet, min(seq), {_URL_PREFIX} AS prefix FROM articles"
        " WHERE seq > ? AND seq <= ? AND outlet IS NOT NULL GROUP BY outlet, prefix",
        (taught.seq, top),
    ).fetchall()
    for outlet, first, prefix in found:
        taught.first[outlet] = min(first, taught.first.get(outlet, first))
        host = _host(prefix)
        if host:
            taught.pages.add((outlet, host))
    taught.seq = top
    taught.rows = learned_outlets(taught.first, sorted(taught.pages))


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:  # a url the input gave that cannot be split
        return None


def stored_spellings(db: sqlite3.Connection, outlet: str) -> list[str]:
    """Every stored spelling of the outlet ``outlet`` names ("nytimes.com", "NYT" and
    "The New York Times" are one outlet; a domain the store taught is its name), read
    from the outlet index, not the articles: what an outlet filter matches. A name with
    no key (punctuation only) matches its own spelling, case ignored, not every other
    name without one."""
    key = outlet_key(outlet)
    names = (
        str(row[0])
        for row in db.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")
    )
    if not key:
        return [name for name in names if name.casefold() == outlet.casefold()]
    return [name for name in names if outlet_key(name) == key]
