"""From a parsed text to its temporal expressions: run the rules, settle overlaps, write
the items.

Rules run only over windows of the symbol string around trigger symbols; candidates are
taken leftmost first, longest first, in rule order, and a candidate whose tokens are
already taken is dropped, so items never overlap.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import pairwise

from spacy.tokens import Doc

from parallax.annotate.dates.calendar import parse_anchor
from parallax.annotate.dates.grammar import Context, Hit, Match, expand
from parallax.annotate.dates.rules import PATTERNS
from parallax.annotate.dates.tokens import SYM, tokenize
from parallax.model import DateItem

Candidate = tuple[int, int, int, re.Match[str]]
"""(first token, end token, index in :data:`~parallax.annotate.dates.rules.PATTERNS`, the
match in text coordinates)."""

_TRIGGERS = re.compile(
    "["
    + "".join(
        SYM[name]
        for name in (
            "month monthamb weekday weekdaypl year shortyear iso clock decade unit weekend "
            "partday season dayrel ref recent future past now setadv noon holiday dayword "
            "ampm term while time possible period_ half"
        ).split()
    )
    + "]+|"
    + expand("<numword>(?:<numword>|<bignum>)")
)
"""Symbols without which no rule can match; spelled years ("nineteen ninety") have none of
them, so two number words in a row count too."""

_LEFT, _RIGHT = 8, 6
"""How far an expression reaches around its trigger, in tokens: "at least the past 20
years" has five tokens before "years"; "a year and a half" three after "year"."""
_GAP = SYM["nl"]
"""Joins the windows: no rule crosses a line break, so none crosses a window seam."""


def _trigger_spans(symbols: str) -> list[tuple[int, int]]:
    """The token ranges around every trigger, overlapping ranges merged."""
    spans: list[tuple[int, int]] = []
    size = len(symbols)
    for match in _TRIGGERS.finditer(symbols):
        low, high = max(0, match.start() - _LEFT), min(size, match.end() + _RIGHT)
        if spans and low <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], high))
        else:
            spans.append((low, high))
    return spans


def _windows(symbols: str) -> tuple[str, list[tuple[int, int]]]:
    """The parts of the symbol string near a trigger, joined, and where each part starts
    (in the joined string, in the whole one).

    Rules are run over this short string instead of the whole text: most tokens of an
    article are nowhere near a temporal expression, and a regex scan costs per position.
    """
    pieces, starts, position = [], [], 0
    for low, high in _trigger_spans(symbols):
        starts.append((position, low))
        pieces.append(symbols[low:high])
        position += high - low + 1
    return _GAP.join(pieces), starts


def _candidates(symbols: str) -> list[Candidate]:
    """Every rule match near a trigger, leftmost first, longest first, earliest rule first."""
    compact, starts = _windows(symbols)
    found: list[Candidate] = []
    for index, (regex, _) in enumerate(PATTERNS):
        for match in regex.finditer(compact):
            if match.end() == match.start():
                continue
            where = bisect_right(starts, (match.start(), len(symbols))) - 1
            start = match.start() - starts[where][0] + starts[where][1]
            again = regex.match(symbols, start)  # the same match, in text coordinates
            if again is not None and again.end() > start:
                found.append((start, again.end(), index, again))
    found.sort(key=lambda c: (c[0], c[0] - c[1], c[2]))
    return found


# -- items ---------------------------------------------------------------------------------

_PRECISIONS = (
    (re.compile(r"\d{4}-\d\d-\d\dT.*"), "time"),
    (re.compile(r"\d{4}-\d\d-\d\d"), "day"),
    (re.compile(r"\d{4}-\d\d"), "month"),
    (re.compile(r"\d{4}-W\d\d(?:-WE)?"), "week"),
    (re.compile(r"\d{4}-Q\d"), "quarter"),
    (re.compile(r"\d{4}-H\d"), "half"),
    (re.compile(r"\d{4}-(?:SP|SU|FA|WI)"), "season"),
    (re.compile(r"\d{4}"), "year"),
    (re.compile(r"\d{3}"), "decade"),
    (re.compile(r"\d{2}"), "century"),
)


def _precision(kind: str, value: str | None) -> str | None:
    """What a value pins down, for the timeline: day, month, year, week, time, ..."""
    if value is None or kind in ("duration", "set") or value.endswith("_REF"):
        return None
    for pattern, name in _PRECISIONS:
        if pattern.fullmatch(value):
            return name
    return None


def _item(text: str, start: int, end: int, hit: Hit) -> DateItem:
    return {
        "text": text[start:end],
        "span": [start, end],
        "type": hit.type,
        "value": hit.value,
        "precision": _precision(hit.type, hit.value),
    }


_DATE_THEN_TIME = re.compile(r",?\s*(?:at\s+)?")


def _link_times(text: str, items: list[DateItem]) -> None:
    """ "21.09.2025, 9:11": the clock time takes the date written just before it."""
    for before, after in pairwise(items):
        if before["precision"] != "day" or after["type"] != "time" or after["value"] is None:
            continue
        gap = text[before["span"][1] : after["span"][0]]
        if _DATE_THEN_TIME.fullmatch(gap) and re.fullmatch(r"[\d:.\sapmAPM]+", after["text"]):
            value = before["value"]
            assert value is not None
            after["value"] = value + after["value"][10:]


_CALENDAR_DATE = re.compile(r"\d{4}(?:-\d\d){0,2}")
"""Values anaphora can point back to: a year, a month or a day."""


def extract_dates(doc: Doc, published_at: str | None) -> list[DateItem]:
    """Every temporal expression in ``doc.text``, typed and resolved against ``published_at``.

    ``text == doc.text[start:end]`` holds for every item; items are in text order and do
    not overlap.
    """
    text = doc.text
    tokens = tokenize(text)
    if not _TRIGGERS.search(tokens.symbols):
        return []
    ctx = Context(tokens, parse_anchor(published_at), doc)
    items = _resolve(ctx, text)
    items.sort(key=lambda item: item["span"][0])
    _link_times(text, items)
    return items


def _resolve(ctx: Context, text: str) -> list[DateItem]:
    """Ask each candidate's handler in turn; a hit takes its tokens from later candidates."""
    tokens = ctx.tokens
    taken = [False] * len(tokens.texts)
    items: list[DateItem] = []
    for start, end, index, match in _candidates(tokens.symbols):
        if any(taken[start:end]):
            continue
        hit = PATTERNS[index][1](Match(ctx, match))
        if hit is None:
            continue
        taken[start:end] = [True] * (end - start)
        items.append(_item(text, tokens.starts[start], tokens.ends[end - 1], hit))
        if hit.type == "date" and hit.value and _CALENDAR_DATE.fullmatch(hit.value):
            ctx.last_date = hit.value
    return items
