"""Outlet names as articles and inputs spell them: one comparison key for "The Meridian
Wire", "meridianwire.example" and "Meridian Wire", news agencies by their canonical name,
and when two outlets count as one (copies between them are duplicates, not wire copies).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from parallax.errors import UsageError
from parallax.text import fold

AGENCIES: Mapping[str, str] = {
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "ap": "Associated Press",
    "associated press": "Associated Press",
    "the associated press": "Associated Press",
    "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse",
    "agence france presse": "Agence France-Presse",
    "bloomberg": "Bloomberg",
    "dpa": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "xinhua": "Xinhua",
    "tass": "TASS",
    "ria novosti": "RIA Novosti",
    "interfax": "Interfax",
    "upi": "UPI",
    "united press international": "UPI",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "press association": "PA Media",
    "pa media": "PA Media",
    "europa press": "Europa Press",
}
"""News agencies by the names articles credit them with (folded) -> display name."""

_DOMAIN_TAIL = re.compile(r"\.(?:[a-z]{2,12})(?:\.[a-z]{2})?$")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_URL = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)"
    r"(?::\d+)?(?:[/?#].*)?$"
)
"""A domain, or a url whose host is taken: "https://www.meridianwire.example/news/1"."""

COLUMNS = ("name", "domains", "aliases", "parent", "country", "language")
"""The columns of an outlet table, in order (tab-separated; lists separated by "|")."""


@dataclass(frozen=True)
class Outlet:
    """A row of the outlet table: one outlet with every name and domain it goes by."""

    name: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...]
    parent: str | None
    country: str | None
    language: str | None


_TRAILING = frozenset({"news", "online", "digital"})
"""Words an outlet's name may end with or not ("Meridian Wire News", "Kestrel News
Online"): dropped from names of three words or more, where what is left still names it."""


def _raw_key(name: str) -> str:
    folded = fold(name).strip()
    url = _URL.match(folded) if " " not in folded else None
    if url:
        folded = _DOMAIN_TAIL.sub("", url.group("host"))
    folded = re.sub(r"^the\s+", "", folded)
    words = folded.split()
    while len(words) >= 3 and words[-1] in _TRAILING:
        words.pop()
    folded = " ".join(words)
    folded = fold(AGENCIES.get(folded, folded))
    return _NON_ALNUM.sub("", folded)


def is_domain(name: str) -> bool:
    """Whether an outlet spelling is a domain or url rather than a name: a crawler's
    stand-in ("www.meridianwire.example"), shown only when no name is known."""
    return domain_of(name) is not None


def domain_of(name: str) -> str | None:
    """The domain a domain or url spelling names, without ``www.``; None for a name."""
    folded = fold(name).strip()
    found = _URL.match(folded) if " " not in folded else None
    return found.group("host") if found else None


class OutletTable:
    """Outlets by every spelling: the rows in order of precedence (a spelling belongs to
    the first row that has it), so a user's row overrides a shipped one and what the store
    taught never overrides either. A domain the store taught is matched as that domain
    only (its pages, bare or with ``www.``), never as a name: "hdp.example" taught as
    "Harbor Daily Post" does not make the name "HDP" that outlet."""

    def __init__(self, rows: Iterable[Outlet], learned: Iterable[Outlet] = ()) -> None:
        self.rows = tuple(rows)
        self.learned = tuple(learned)
        self.by_key: dict[str, Outlet] = {}
        self.by_domain: dict[str, Outlet] = {}
        for outlet in self.rows:
            for spelling in (outlet.name, *outlet.aliases, *outlet.domains):
                self.by_key.setdefault(_raw_key(spelling), outlet)
        for outlet in self.learned:
            for spelling in (outlet.name, *outlet.aliases):
                self.by_key.setdefault(_raw_key(spelling), outlet)
            for domain in outlet.domains:
                self.by_domain.setdefault(domain, outlet)

    def known(self, name: str | None) -> Outlet | None:
        if not name:
            return None
        domain = domain_of(name) if self.by_domain else None
        found = self.by_domain.get(domain) if domain else None
        return found or self.by_key.get(_raw_key(name))

    def key(self, name: str | None) -> str:
        if not name:
            return ""
        outlet = self.known(name)
        return _raw_key(outlet.name) if outlet else _raw_key(name)

    def shown(self, name: str) -> str:
        """The name readers see for a spelling: its row's name, else the spelling."""
        outlet = self.known(name)
        return outlet.name if outlet else name

    def with_learned(self, rows: Iterable[Outlet]) -> OutletTable:
        """This table with what a store taught after its own rows (:func:`learned_outlets`:
        they add spellings, override none)."""
        return OutletTable(self.rows, (*self.learned, *rows))


@lru_cache(maxsize=1)
def outlet_table() -> tuple[Outlet, ...]:
    """The outlets Parallax ships, known by every name (``text/data/outlets.tsv``)."""
    data = resources.files("parallax.text").joinpath("data/outlets.tsv").read_text("utf-8")
    return _parse(data, "outlets.tsv")


def read_outlets_file(path: str | Path) -> tuple[Outlet, ...]:
    """A user's outlet table (the ``PARALLAX_OUTLETS`` file: the shipped table's columns).
    Unreadable, not UTF-8, or a line without a name or with too many columns is a usage
    error (E061) naming the file and line: a wrong table would merge or split outlets
    everywhere without a word."""
    try:
        stat = Path(path).stat()
    except OSError as exc:
        raise UsageError("E061", str(path), exc.strerror or str(exc)) from exc
    return _read_outlets(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _read_outlets(path: str, size: int, mtime_ns: int) -> tuple[Outlet, ...]:
    """The file read once per version of it (size and change time), not per setting read."""
    try:
        data = Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        raise UsageError("E061", path, exc.strerror or str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise UsageError("E061", path, f"not UTF-8 at byte {exc.start}") from exc
    return _parse(data, path)


def _parse(data: str, source: str) -> tuple[Outlet, ...]:
    rows = []
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) > len(COLUMNS):
            raise UsageError(
                "E061", f"{source}:{number}", f"{len(cells)} columns, at most {len(COLUMNS)}"
            )
        cells += [""] * (len(COLUMNS) - len(cells))
        name, domains, aliases, parent, country, language = cells
        if not name or not _raw_key(name):
            raise UsageError("E061", f"{source}:{number}", "no outlet name in the first column")
        rows.append(
            Outlet(
                name=name,
                domains=tuple(d.strip() for d in domains.split("|") if d.strip()),
                aliases=tuple(a.strip() for a in aliases.split("|") if a.strip()),
                parent=parent or None,
                country=country or None,
                language=language or None,
            )
        )
    return tuple(rows)


@dataclass
class _Active:
    """The process's outlet identity: the user's table (``PARALLAX_OUTLETS``, read when
    first needed) over the shipped one, then what the open store taught. One table for
    the process because SQLite triggers, clustering and every renderer compare outlets
    through :func:`outlet_key`, and they must agree."""

    user_path: str | None = None
    """A path set by :func:`configure_outlets`; None: the ``PARALLAX_OUTLETS`` variable."""
    learned: tuple[Outlet, ...] = ()
    generation: int = 0
    base: OutletTable | None = None
    table: OutletTable | None = None


_ACTIVE = _Active()
_LOCK = threading.Lock()


def base_outlets() -> OutletTable:
    """The user's table over the shipped one, without what a store taught."""
    if _ACTIVE.base is None:
        path = _ACTIVE.user_path
        if path is None:
            path = os.environ.get("PARALLAX_OUTLETS", "")
        user = read_outlets_file(path) if path.strip() else ()
        _ACTIVE.base = OutletTable((*user, *outlet_table()))
    return _ACTIVE.base


def active_outlets() -> OutletTable:
    """The table every comparison of outlet names reads now."""
    table = _ACTIVE.table
    if table is None:
        table = base_outlets().with_learned(_ACTIVE.learned)
        _ACTIVE.table = table
    return table


def configure_outlets(path: str | Path | None) -> None:
    """Use the user outlet table at ``path`` ("": none; None: ``PARALLAX_OUTLETS`` again),
    checked now so that a broken file fails before any work."""
    if path:
        read_outlets_file(path)
    with _LOCK:
        _ACTIVE.user_path = None if path is None else str(path)
        _ACTIVE.base = None
        _changed()


def use_learned(rows: tuple[Outlet, ...]) -> None:
    """Install what a store taught (:func:`learned_outlets`); nothing happens, and no
    cache is dropped, when it is what is installed already."""
    if rows == _ACTIVE.learned:
        return
    with _LOCK:
        _ACTIVE.learned = rows
        _changed()


def outlets_generation() -> int:
    """A number that changes whenever the active table does: a key for caches of keys."""
    return _ACTIVE.generation


def _changed() -> None:
    _ACTIVE.table = None
    _ACTIVE.generation += 1
    outlet_key.cache_clear()


def learned_outlets(
    spellings: Mapping[str, int], pages: Iterable[tuple[str, str]]
) -> tuple[Outlet, ...]:
    """What a store's articles teach, as rows to put after the outlet table.

    ``spellings``: each stored outlet spelling -> when it was first stored (smaller is
    earlier); ``pages``: (outlet, url host) of stored articles. A page on domain D that
    names its outlet N teaches D = N, unless the table knows D already or D's pages name
    more than one outlet (an aggregator, a syndication host). Spellings of one outlet
    that the table does not know get one row, named by the first name stored (a domain
    only when no name is), so every surface shows the same name and it does not change
    as more articles come."""
    base = base_outlets()
    taught = _taught_domains(base, pages)
    groups: dict[str, dict[str, int]] = {}
    for name, first in spellings.items():
        domain = domain_of(name)
        key = taught[domain] if domain in taught else base.key(name)
        groups.setdefault(key, {})[name] = first
    domains: dict[str, list[str]] = {}
    for domain, key in sorted(taught.items()):
        domains.setdefault(key, []).append(domain)
        groups.setdefault(key, {})
    rows = []
    for key, names in sorted(groups.items()):
        row = _learned_row(base, key, names, tuple(domains.get(key, ())))
        if row is not None:
            rows.append(row)
    return tuple(rows)


def _taught_domains(base: OutletTable, pages: Iterable[tuple[str, str]]) -> dict[str, str]:
    """domain -> the key of the one outlet its pages name."""
    named: dict[str, set[str]] = {}
    for name, host in pages:
        domain = domain_of(host)
        if not name or not domain or is_domain(name) or base.known(domain) is not None:
            continue
        named.setdefault(domain, set()).add(base.key(name))
    return {
        domain: next(iter(keys))
        for domain, keys in named.items()
        if len(keys) == 1 and _raw_key(domain) not in keys
    }


def _learned_row(
    base: OutletTable, key: str, names: Mapping[str, int], domains: tuple[str, ...]
) -> Outlet | None:
    known = base.by_key.get(key)
    if known is not None:
        return replace(known, domains=domains, aliases=()) if domains else None
    if len(names) < 2 and not domains:
        return None
    ordered = sorted(names, key=lambda n: (is_domain(n), names[n], n))
    taught = set(domains)
    aliases = tuple(n for n in ordered[1:] if domain_of(n) not in taught)
    return Outlet(ordered[0], domains, aliases, None, None, None)


def known_outlet(name: str | None) -> Outlet | None:
    """The outlet a name, domain or url stands for, if the table (with what the store
    taught) knows it."""
    return active_outlets().known(name)


def shown_outlet(name: str) -> str:
    """The name every surface shows for an outlet spelling."""
    return active_outlets().shown(name)


def outlet_names(names: Iterable[str]) -> list[str]:
    """One name per outlet among ``names`` (spellings of stored outlets), in the order of
    their first spelling: the table's name for an outlet it knows, else the first
    spelling that is not a domain, else the first. So a story list shows "The New York
    Times" once, not beside "nytimes.com" and "NYT"."""
    table = active_outlets()
    chosen: dict[str, str] = {}
    for name in names:
        known = table.known(name)
        key = _raw_key(known.name if known else name)
        if known is not None:
            chosen[key] = known.name
        elif key not in chosen or (is_domain(chosen[key]) and not is_domain(name)):
            chosen[key] = name
    return list(chosen.values())


@lru_cache(maxsize=1 << 16)
def outlet_key(name: str | None) -> str:
    """A comparison key for outlet names: "The Meridian Wire", "meridianwire.example",
    "https://www.meridianwire.example/news/1", "Meridian Wire", "Meridian Wire News" ->
    "meridianwire"; agencies by their canonical name; an outlet of the table by its table
    name ("nytimes.com", "NYT" and "The New York Times" are one). Cached: the same few
    thousand names are compared for every article (the cache is dropped when the table
    changes)."""
    return active_outlets().key(name)


def same_outlet(a: str | None, b: str | None) -> bool:
    """Whether a copy from ``a`` of ``b``'s text is a duplicate rather than a wire copy:
    one outlet under two spellings is still one outlet. Unknown outlets are not assumed
    independent: a copy among them is a duplicate."""
    if a is None or b is None or a.casefold() == b.casefold():
        return True
    key = outlet_key(a)
    return bool(key) and key == outlet_key(b)
