"""Quotes as attribution sees them: runs of segments, one segment per paragraph.

:func:`parallax.text.quotes.quotations` pairs the marks; here a quote of several
paragraphs becomes one *run* (one speaker for all its paragraphs, one item per
paragraph), and what the marks enclose is kept only when it can be somebody's words.
"""

from __future__ import annotations

from dataclasses import dataclass

from parallax.text.quotes import Quotation, quotations


@dataclass(frozen=True, slots=True)
class Segment:
    """One paragraph's piece of a quote: content ``[start, end)`` between the marks."""

    start: int
    end: int
    open_start: int
    close_end: int
    paragraph: int


def find_runs(text: str) -> list[list[Segment]]:
    """The quotes of ``text`` as runs, in text order; a run is one quote over paragraphs.

    Enclosed text that is only space or punctuation, and stage directions, are left out;
    a run keeps the segments that are left."""
    runs: list[list[Segment]] = []
    run: list[Segment] | None = None
    for quotation in quotations(text):
        if not quotation.continued:
            run = None
        segment = _segment(text, quotation)
        if segment is None:
            continue
        if run is None:
            run = []
            runs.append(run)
        run.append(segment)
    return runs


def _segment(text: str, quotation: Quotation) -> Segment | None:
    """The content between the marks, whitespace trimmed; None when there is none."""
    start, end = quotation.inner
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start or not any(ch.isalnum() for ch in text[start:end]):
        return None
    if text[start] in "([" and text[end - 1 if text[end - 1] not in ".," else end - 2] in ")]":
        return None  # (CROSSTALK.), [inaudible]: stage directions
    return Segment(start, end, quotation.start, quotation.end, quotation.paragraph)
