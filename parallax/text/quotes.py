"""Quotation marks in plain text: which marks pair up, and the text they enclose.

Quote attribution and framing both need to know what a text puts in quotation marks, and
a regular expression per stage gives two answers ("Venezuela’s" is an apostrophe to one
and an opening mark to the other). This leaf module is the one answer; it reads only the
characters, so any stage can use it without a parse.

The rules, per paragraph (a line of text, :func:`paragraphs`):

* **Double marks** are typographic “ ” (and „ « »), straight ``"``, and the doubled
  apostrophes ```` `` ```` / ``''`` some newspapers print. A quote closes with a mark of
  the family that opened it; a mark of the other family inside is a nested quote, part of
  the enclosed text (writers mix “ with ``"``).
* **Single marks** ‘ ’ and ``'`` count only outside double quotes and only where the
  context says "quotation mark": never the apostrophe of *Lukashenko's*, *don’t* or
  *rock 'n' roll*. A single quote left open at the end of its paragraph is no quote.
* **Paragraphs**: a double quote left open at the end of a paragraph is reported up to
  that end (unclosed). When the next paragraph opens with a mark of the same family, the
  quote goes on there (the newspaper convention for quotes of several paragraphs): that
  quotation is *continued*.

Nested quotes are not reported on their own: their marks are part of the enclosed text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARK_CHARS = "\"“”‘’'`«»„"
"""Every character that is, or is part of, a quotation mark."""

_MARK = re.compile(r"``|''|[\"“”«»„‘’']")
_CURLY_OPENING = ("“", "«", "„")
_CURLY_CLOSING = ("”", "»")
_STRAIGHT = ('"', "''")
_OPEN_BEFORE = " \t\n([{—–―-/“‘«"
"""Characters after which a mark starts something (a quote) rather than ends a word."""
_ELISIONS = re.compile(r"'(?:n'|n |til|em|cause|bout|tis|twas|s |\d)", re.IGNORECASE)
"""Words that begin with an apostrophe ('n', 'til, 'em, '90s): not an opening mark."""
_PARAGRAPH_BREAK = re.compile(r"\n")


@dataclass(frozen=True, slots=True)
class Quotation:
    """One quote: ``[start, end)`` from the opening mark to the end of the closing mark.

    ``inner`` is the text between the marks, as it is (spaces included). An unclosed
    quote ends at the end of its paragraph, where ``inner`` ends too. ``paragraph`` is the
    index of the quote's paragraph in :func:`paragraphs`; ``continued`` says the quote
    goes on from the unclosed one of the paragraph before.
    """

    start: int
    end: int
    inner: tuple[int, int]
    paragraph: int
    closed: bool
    continued: bool

    @property
    def opening(self) -> tuple[int, int]:
        """The span of the opening mark."""
        return self.start, self.inner[0]

    @property
    def closing(self) -> tuple[int, int]:
        """The span of the closing mark (empty at the paragraph's end when unclosed)."""
        return self.inner[1], self.end


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the non-empty lines of ``text``: news text puts one paragraph on a line
    (or leaves a blank line between two), and quotation marks pair within one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def quotations(text: str) -> list[Quotation]:
    """The quotes of ``text`` in text order, outermost ones only (see the module's rules).

    Linear in the length of the text: every mark is looked at once.
    """
    found: list[Quotation] = []
    carry: _Open | None = None
    for number, (start, end) in enumerate(paragraphs(text)):
        carry = _scan(text, _Paragraph(number, start, end), carry, found)
    return found


# -- pairing -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Paragraph:
    number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Mark:
    """A mark and what it can do here: open a quote, close one, or both (a straight
    ``"`` between two words)."""

    start: int
    end: int
    family: str  # curly (“ ” « »), straight (" '' ``) or single (‘ ’ ')
    opens: bool
    closes: bool


@dataclass(slots=True)
class _Open:
    """A quote opened and not yet closed: its family, mark start, content start."""

    family: str
    mark: int
    content: int
    paragraph: int
    continued: bool = False
    nested: int = 0  # quotes of the other double family opened inside this one

    def close(self, close_start: int, close_end: int) -> Quotation:
        """The quotation, closed by a mark at ``[close_start, close_end)`` (an empty
        span at the paragraph's end when no mark closes it)."""
        inner = (self.content, close_start)
        closed = close_end > close_start
        return Quotation(self.mark, close_end, inner, self.paragraph, closed, self.continued)


def _scan(
    text: str, paragraph: _Paragraph, carry: _Open | None, found: list[Quotation]
) -> _Open | None:
    """Pair the marks of one paragraph into ``found``; returns the double quote still
    open at its end (single quotes never cross a paragraph)."""
    double = _continued(text, paragraph, carry)
    single: _Open | None = None
    for match in _MARK.finditer(text, paragraph.start, paragraph.end):
        if double is not None and match.start() < double.content:
            continue  # the opening mark of a continued quote
        mark = _classify(text, match, paragraph)
        if mark is None:
            continue
        if mark.family != "single":
            single = None
            double = _double(double, mark, paragraph, found)
        elif double is None:
            single = _single(single, mark, paragraph, found)
    if double is not None:
        found.append(double.close(paragraph.end, paragraph.end))
    return double


def _double(
    opened: _Open | None, mark: _Mark, paragraph: _Paragraph, found: list[Quotation]
) -> _Open | None:
    """A double mark opens a quote when none is open, else may close the open one."""
    if opened is None:
        return _Open(mark.family, mark.start, mark.end, paragraph.number) if mark.opens else None
    if _closes(opened, mark):
        found.append(opened.close(mark.start, mark.end))
        return None
    return opened


def _single(
    opened: _Open | None, mark: _Mark, paragraph: _Paragraph, found: list[Quotation]
) -> _Open | None:
    """A single mark (outside double quotes) opens a quote or closes the open one."""
    if opened is None:
        return _Open("single", mark.start, mark.end, paragraph.number) if mark.opens else None
    if mark.closes:
        found.append(opened.close(mark.start, mark.end))
        return None
    return opened


def _closes(double: _Open, mark: _Mark) -> bool:
    """Whether ``mark`` closes the open quote: a mark of its family that can close; one
    of the other family only when no quote of that family is open inside (writers mix
    “ with \", and a straight quote inside curly ones is a nested quote)."""
    if mark.family == double.family:
        return mark.closes
    if mark.opens and not mark.closes:
        double.nested += 1
    elif mark.closes and not mark.opens:
        if double.nested == 0:
            return True
        double.nested -= 1
    elif double.nested:
        double.nested -= 1
    else:
        double.nested += 1
    return False


def _continued(text: str, paragraph: _Paragraph, carry: _Open | None) -> _Open | None:
    """A quote left open at the end of the last paragraph goes on here when this one
    starts with an opening mark of its family (the multi-paragraph convention)."""
    if carry is None:
        return None
    raw = text[paragraph.start : paragraph.end]
    match = _MARK.match(text, paragraph.start + len(raw) - len(raw.lstrip()))
    if match is None:
        return None
    mark = _classify(text, match, paragraph)
    if mark is None or not mark.opens or mark.family != carry.family:
        return None
    return _Open(carry.family, mark.start, mark.end, paragraph.number, continued=True)


# -- marks ---------------------------------------------------------------------------------


def _classify(text: str, match: re.Match[str], paragraph: _Paragraph) -> _Mark | None:
    """Whether a quotation-mark character can open or close a quote here (or is neither)."""
    mark, start, end = match.group(), match.start(), match.end()
    before = text[start - 1] if start > paragraph.start else " "
    after = text[end] if end < paragraph.end else " "
    space_after = after.isspace() or (not after.isalnum() and after not in "$£€#@")
    # a mark right after another mark opens if a word follows ('"Hello) and closes if
    # not (bit,'" he said)
    space_before = before in _OPEN_BEFORE or (before in MARK_CHARS and not space_after)
    if mark in _CURLY_OPENING:
        return _Mark(start, end, "curly", True, False)
    if mark in _CURLY_CLOSING:
        # ”Fear. I am truly afraid ...”: a closing mark where no quote can end (at the
        # paragraph's start or after a space, a word right after it) is a misprinted opener
        opens = before in _OPEN_BEFORE and after.isalnum()
        return _Mark(start, end, "curly", opens, not opens)
    if mark == "``":
        return _Mark(start, end, "straight", True, False)
    if mark in _STRAIGHT:
        return _Mark(start, end, "straight", space_before or not space_after, not space_before)
    return _single_mark(text, match, before, after, space_before)


def _single_mark(
    text: str, match: re.Match[str], before: str, after: str, space_before: bool
) -> _Mark | None:
    """‘ ’ and ``'``: a quotation mark only where an apostrophe cannot be (*Venezuela’s*,
    *don’t*, *‘90s*, *rock 'n' roll* are words)."""
    mark, start, end = match.group(), match.start(), match.end()
    if mark == "‘":
        return None if after.isdigit() else _Mark(start, end, "single", space_before, False)
    if mark == "’":
        closes = not before.isspace()
        return None if after.isalnum() else _Mark(start, end, "single", False, closes)
    # straight single quote: an apostrophe unless the context is unmistakably a quote
    if _ELISIONS.match(text, start) and space_before:
        return None
    opens = space_before and after.isalnum()
    closes = not before.isspace() and not after.isalnum() and not opens
    return _Mark(start, end, "single", opens, closes) if opens or closes else None
