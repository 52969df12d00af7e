"""Tone: how loaded the outlet's own words are, as one number in [-1, 1].

Counting loaded words would call a long article harsher than a short one with the same
wording, and the words of people it quotes are theirs: tone is the polarity of the kept
loaded terms per 100 words of the outlet's own text, squashed into [-1, 1].
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from parallax.compare.framing.context import Context, Text

TONE_MIN_WORDS = 100
"""Shorter texts count as this long, so one word in a headline is not a verdict."""
TONE_HALF = 1.5
"""Polarity per 100 words at which tone reaches ±0.5."""


def tone_of(polarities: Iterable[float], words: int) -> float:
    """Tone in [-1, 1] from the polarities of the outlet's loaded terms and its word count.

    ``d = 100 * sum(polarities) / max(words, TONE_MIN_WORDS)`` is the polarity per 100
    words; tone is ``d / (|d| + TONE_HALF)``: 0 for neutral text, ±0.5 at ``TONE_HALF``
    per 100 words, approaching ±1 for text dense with loaded words of one sign. Density,
    not a count, so a long neutral article with one strong word stays near 0."""
    density = 100 * sum(polarities) / max(words, TONE_MIN_WORDS)
    return round(density / (abs(density) + TONE_HALF), 4)


def own_words(doc: Text, context: Context) -> int:
    """Words outside long quotations: the outlet's own text, which tone is measured on.

    Quotations may overlap (a marked one and the annotated direct quote it is), so each
    counts only the words past the furthest end reached so far."""
    starts = [t.start for t in doc.tokens]
    quoted = 0
    reached = 0
    for quotation in sorted(context.speech, key=lambda q: q.start):
        first = bisect_left(starts, max(quotation.start, reached))
        quoted += max(0, bisect_left(starts, quotation.end) - first)
        reached = max(reached, quotation.end)
    return len(doc.tokens) - quoted
