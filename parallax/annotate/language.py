"""Which language an article is in, and whether the English annotators should read it.

The annotators (spaCy's English pipeline, the date grammar, the quote cues, the framing
lexicon) are English. Run on Spanish or Russian text they invent actors from capitalised
words and quotes from punctuation; a serious tool says "not annotated: this is Spanish"
instead. The detector is py3langid (the langid.py model, 97 languages, offline, about a
millisecond an article); a language the input states wins over it. Short or mixed texts
get no verdict and are annotated as English: a wrong skip loses a whole article, a wrong
run costs a few odd annotations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from parallax.model import LanguageItem
from parallax.text import WORD

ENGLISH = "en"
MIN_WORDS = 20
"""Below this many words the detector guesses ("Maduro wrote to Trump." comes out Shona)."""
MIN_CONFIDENCE = 0.9
"""The normalised probability a detected language needs before the annotators skip it."""


@dataclass(frozen=True)
class Language:
    """An article's language: the code (ISO 639-1, or what the input stated), where it came
    from (``input`` or ``detected``), the detector's confidence, and whether the English
    annotators read it."""

    code: str | None
    source: str
    confidence: float | None
    annotate: bool

    def to_json(self) -> LanguageItem:
        return LanguageItem(
            code=self.code,
            source=self.source,
            confidence=None if self.confidence is None else round(self.confidence, 3),
            annotated=self.annotate,
        )

    @property
    def reason(self) -> str | None:
        """Why the annotators did not read the article (None when they did)."""
        if self.annotate:
            return None
        how = "stated by the input" if self.source == "input" else "detected"
        return f"language {self.code} ({how}): the annotators read English only"


def language_of(text: str, stated: str | None = None) -> Language:
    """The language of ``text``; ``stated``: what the input said (``en-GB``, ``es``)."""
    if stated and stated.strip():
        code = stated.strip().lower().replace("_", "-").split("-")[0]
        return Language(code, "input", None, code == ENGLISH)
    if len(WORD.findall(text[:20_000])) < MIN_WORDS:
        return Language(None, "detected", None, True)
    code, confidence = _identifier().classify(text[:20_000])
    sure = float(confidence) >= MIN_CONFIDENCE
    if not sure:
        return Language(None, "detected", float(confidence), True)
    return Language(str(code), "detected", float(confidence), code == ENGLISH)


@cache
def _identifier() -> Any:
    """The langid model, loaded once (about half a second) on first use."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
