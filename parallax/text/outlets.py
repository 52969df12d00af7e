"""Outlet names as articles and inputs spell them: one comparison key for "The Meridian
Wire", "meridianwire.example" and "Meridian Wire", news agencies by their canonical name,
and when two outlets count as one (copies between them are duplicates, not wire copies).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

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
    folded = re.sub(r"^(?:https?://)?(?:www\.)?", "", folded)
    folded = _DOMAIN_TAIL.sub("", folded) if " " not in folded else folded
    folded = re.sub(r"^the\s+", "", folded)
    words = folded.split()
    while len(words) >= 3 and words[-1] in _TRAILING:
        words.pop()
    folded = " ".join(words)
    folded = fold(AGENCIES.get(folded, folded))
    return _NON_ALNUM.sub("", folded)


@lru_cache(maxsize=1)
def outlet_table() -> tuple[Outlet, ...]:
    """The outlets Parallax knows by every name (``text/data/outlets.tsv``)."""
    rows = []
    data = resources.files("parallax.text").joinpath("data/outlets.tsv").read_text("utf-8")
    for line in data.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = (line.split("\t") + [""] * 6)[:6]
        name, domains, aliases, parent, country, language = (c.strip() for c in cells)
        rows.append(
            Outlet(
                name=name,
                domains=tuple(d for d in domains.split("|") if d),
                aliases=tuple(a for a in aliases.split("|") if a),
                parent=parent or None,
                country=country or None,
                language=language or None,
            )
        )
    return tuple(rows)


@lru_cache(maxsize=1)
def _by_key() -> dict[str, Outlet]:
    found: dict[str, Outlet] = {}
    for outlet in outlet_table():
        for spelling in (outlet.name, *outlet.aliases, *outlet.domains):
            found.setdefault(_raw_key(spelling), outlet)
    return found


def known_outlet(name: str | None) -> Outlet | None:
    """The table's outlet a name or domain stands for, if it is one the table knows."""
    return _by_key().get(_raw_key(name)) if name else None


def outlet_names(names: Iterable[str]) -> list[str]:
    """One name per outlet among ``names`` (spellings of stored outlets), in the order of
    their first spelling: the table's name for an outlet it knows, else the first
    spelling that is not a domain, else the first. So a story list shows "The New York
    Times" once, not beside "nytimes.com" and "NYT"."""
    chosen: dict[str, str] = {}
    for name in names:
        key = outlet_key(name)
        known = known_outlet(name)
        if known is not None:
            chosen[key] = known.name
        elif key not in chosen or ("." in chosen[key] and "." not in name):
            chosen[key] = name
    return list(chosen.values())


@lru_cache(maxsize=1 << 16)
def outlet_key(name: str | None) -> str:
    """A comparison key for outlet names: "The Meridian Wire", "meridianwire.example",
    "Meridian Wire", "Meridian Wire News" -> "meridianwire"; agencies by their canonical
    name; an outlet of the table by its table name ("nytimes.com", "NYT" and "The New
    York Times" are one). Cached: the same few thousand names are compared for every
    article."""
    if not name:
        return ""
    raw = _raw_key(name)
    outlet = _by_key().get(raw)
    return _raw_key(outlet.name) if outlet else raw


def same_outlet(a: str | None, b: str | None) -> bool:
    """Unknown outlets are not assumed independent: a copy among them is a duplicate."""
    return a is None or b is None or a.casefold() == b.casefold()
