"""Words as the fact finders compare them: content words with plurals folded to their
singular, the word of a clause that a lemma came from, and the news synonyms.

Clauses, sentences and conflicts are matched on these words, so "seven warships" in one
outlet meets "a warship" in another, and "sent a message" meets "wrote a letter".
"""

from __future__ import annotations

import functools
from pathlib import Path

from parallax.text import WORD, singular

SYNONYMS = Path(__file__).resolve().parent.parent / "data" / "synonyms.tsv"
_STOP = frozenset(
    "a an the of in on at to for by with from and or but as is are was were be been being "
    "has have had it its this that these those he she they his her their which who whom "
    "will would can could should may might not no so than then there here also about into "
    "over after before while when where what said says".split()
)


def content_words(text: str) -> list[str]:
    """Content words, lower case, plurals folded to their singular."""
    found = []
    for word in WORD.findall(text):
        word = word.lower()
        if word not in _STOP:
            folded = singular(word)
            if folded not in _STOP:
                found.append(folded)
    return found


def content_or_stop(text: str) -> list[str | None]:
    """Every word as :func:`content_words` reads it, a stop word as None (where a phrase
    starts or ends: "the general election" -> None, general, election)."""
    found: list[str | None] = []
    for word in WORD.findall(text):
        folded = singular(word.lower())
        found.append(None if word.lower() in _STOP or folded in _STOP else folded)
    return found


def surface(text: str, lemma: str | None) -> str | None:
    """The word of ``text`` that a lemma came from ("dated" for "date"): what a conflict
    says it is about, in the article's own words."""
    if not lemma:
        return None
    for word in WORD.findall(text):
        if word.lower().startswith(lemma[: max(3, len(lemma) - 2)].lower()):
            return str(word.lower() if not word[0].isupper() or word.isupper() else word)
    return lemma


@functools.cache
def load_synonyms(path: Path | None = None) -> dict[str, str]:
    """word -> the term of its group, from ``data/synonyms.tsv`` (see the file); read
    once, since every story's sentences and roles are folded with it."""
    source = path or SYNONYMS
    table: dict[str, str] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, _, others = line.partition("\t")
        for word in others.split(","):
            if word.strip():
                table.setdefault(word.strip(), term.strip())
    return table
