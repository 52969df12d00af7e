"""Outlet names as articles and inputs spell them: one comparison key for "The Meridian
Wire", "meridianwire.example" and "Meridian Wire", news agencies by their canonical name,
and when two outlets count as one (copies between them are duplicates, not wire copies).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

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


@lru_cache(maxsize=1 << 16)
def outlet_key(name: str | None) -> str:
    """A comparison key for outlet names: "The Meridian Wire", "meridianwire.example",
    "Meridian Wire" -> "meridianwire"; agencies by their canonical name. Cached: the
    same few thousand outlet names are compared for every article."""
    if not name:
        return ""
    folded = fold(name).strip()
    folded = re.sub(r"^(?:https?://)?(?:www\.)?", "", folded)
    folded = _DOMAIN_TAIL.sub("", folded) if " " not in folded else folded
    folded = re.sub(r"^the\s+", "", folded)
    folded = fold(AGENCIES.get(folded, folded))
    return _NON_ALNUM.sub("", folded)


def same_outlet(a: str | None, b: str | None) -> bool:
    """Unknown outlets are not assumed independent: a copy among them is a duplicate."""
    return a is None or b is None or a.casefold() == b.casefold()
