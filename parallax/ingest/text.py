"""Plain-text articles: find the metadata a file carries at its top, keep the rest as text.

Copied articles typically start with a headline, a date line (``21.09.2025, 9:11``,
``date 2025-09-22``, ``September 22, 2025``), perhaps a byline, and page furniture
such as view and comment counters. Only the top of the file is read this way, and
only lines that are clearly metadata are taken out; the first line that is not
ends the header and everything from it on is the article text, untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parallax.ingest.metadata import find_date
from parallax.model import Metadata

HEADER_LINES = 8
"""How many non-empty lines at the top may hold metadata."""

_DATE_KEYWORD = r"(?:date|dated|published|posted|updated|last updated|on)"
# Possessive quantifiers (``*+``) where two adjacent ones take the same characters: a
# header line is untrusted and may be megabytes of spaces or dashes, on which backtracking
# between them is quadratic or worse. Each gives up nothing a later part could match.
_DATE_REST = re.compile(r"^[\W\d_]*+(?:" + _DATE_KEYWORD + r"\b)?[\W\d_]*+$", re.IGNORECASE)
_DATE_PREFIX = re.compile(r"^\s*+(?:" + _DATE_KEYWORD + r")\s*+:?\s*+$", re.IGNORECASE)
_COUNTER = re.compile(
    r"^(?:[-–—•|·:,.\s]*+\d[\d,.\s]*+[kKmM]?[-–—•|·:,.\s]*+"
    r"(?:views?|comments?|shares?|likes?|reads?|min(?:ute)?s? read)?)\s*$",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"^\s*(?:share|print|comments?|advertisement|listen to this article|\d+\s+min read)\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\s*(?:by|author:|written by)\s++(?P<name>[^\d,|\s][^\d,|]{1,79}?)\s*(?:[,|].*)?$", re.I
)
_LABELLED_TITLE = re.compile(r"^\s*(?:title|headline)\s*:\s*+(?P<title>.*\S)\s*$", re.IGNORECASE)
_MAX_TITLE_WORDS = 30


@dataclass(frozen=True)
class ParsedText:
    text: str
    meta: Metadata
    furniture: tuple[str, ...]


def parse_text(raw: str) -> ParsedText:
    """Split a plain-text article into header metadata and body text."""
    title = author = published = None
    furniture: list[str] = []
    body_start = len(raw)
    offset = 0
    seen = 0
    for line in raw.splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > HEADER_LINES:
            body_start = start
            break
        if title is None and seen == 1 and (labelled := _LABELLED_TITLE.match(stripped)):
            title = labelled.group("title")
            continue
        dated = _date_line(stripped)
        if dated is not None and published is None:
            published, remainder = dated
            if remainder:
                body_start = start + line.index(remainder)
                break
            continue
        if _COUNTER.match(stripped) or _FURNITURE.match(stripped):
            furniture.append(stripped)
            continue
        if author is None and (byline := _BYLINE.match(stripped)):
            author = byline.group("name").strip()
            continue
        if title is None and seen == 1 and _looks_like_title(stripped, raw[offset:]):
            title = stripped
            continue
        body_start = start
        break
    meta = Metadata(title=title, author=author, published_at=published)
    return ParsedText(raw[body_start:].strip(), meta, tuple(furniture))


def _date_line(line: str) -> tuple[str, str] | None:
    """A line that is a date (around counters and a keyword), or starts with ``date <date>``.

    Returns the ISO value and the text that follows a prefix date ("" for a pure date line).
    """
    found = find_date(line)
    if found is None:
        return None
    match, value = found
    before, after = line[: match.start()], line[match.end() :]
    if _DATE_REST.match(before + " " + after):
        return value, ""
    if _DATE_PREFIX.match(before) and after.strip():
        return value, after.strip()
    return None


def _looks_like_title(line: str, rest: str) -> bool:
    """A headline: short, not a sentence ending in a full stop, and followed by more text."""
    if not rest.strip() or len(line.split()) > _MAX_TITLE_WORDS:
        return False
    return not line.endswith((".", ",", ";", ":")) or line.endswith("...")
