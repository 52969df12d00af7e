"""Words as the fact finders compare them: content words with plurals folded to their
singular, the word of a clause that a lemma came from, and the news synonyms.

Clauses, sentences and conflicts are matched on these words, so "seven warships" in one
outlet meets "a warship" in another, and "sent a message" meets "wrote a letter".
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
SYNONYMS = Path(__file__).resolve().parent.parent / "data" / "synonyms.tsv"
_STOP = frozenset(
    "a an the of in on at to for by with from and or but as is are was were be been being "
    "has have had it its this that these those he she they his her their which who whom "
    "will would can could should may might not no so than then there here also about into "
    "over after before while when where what said says".split()
)
_IRREGULAR_PLURALS = {
    "men": "man",
    "women": "woman",
    "children": "child",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "geese": "goose",
    "wives": "wife",
    "knives": "knife",
    "halves": "half",
    "wolves": "wolf",
    "thieves": "thief",
    "shelves": "shelf",
    "crises": "crisis",
    "analyses": "analysis",
    "theses": "thesis",
    "diagnoses": "diagnosis",
    "hypotheses": "hypothesis",
}
_NOT_PLURAL = frozenset(
    "news series species means whereas perhaps always sometimes besides towards afterwards "
    "overseas politics economics physics ethics gas bias alias atlas canvas lens chaos "
    "ethos kudos pathos cosmos".split()
)
"""Words whose final "s" is no plural ending (besides those in -ss, -us, -is)."""
_PLURAL_ADDS_S = frozenset(
    "ache headache cache niche cliche psyche avalanche moustache mustache quiche axe "
    "shoe toe foe canoe oboe hoe woe tiptoe horseshoe movie calorie cookie rookie zombie "
    "selfie goalie prairie hippie".split()
)
"""Nouns in -e whose plural only adds "s" where the rules below would cut "es" or "ies"."""
_US_NOUNS = frozenset(
    "bus bonus virus campus census status focus circus caucus chorus genius surplus "
    "consensus prospectus syllabus fetus cactus sinus apparatus abacus octopus walrus "
    "hiatus nexus onus minus plus lotus exodus".split()
)
"""Nouns in -us whose plural is -uses (most words in -uses are plurals of -use)."""


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


def singular(word: str) -> str:
    """A lower-case word's singular when it is a plural (letters -> letter, policies ->
    policy, churches -> church, buses -> bus, "Orsland's" -> orsland), else the word
    (class, news, bus, crisis, famous): what matches a plural with its singular."""
    if word.endswith(("'s", "’s")):
        return word[:-2]
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if (
        len(word) <= 3
        or not word.endswith("s")
        or word.endswith(("ss", "us", "is"))
        or word in _NOT_PLURAL
    ):
        return word
    if word[:-1] in _PLURAL_ADDS_S:
        return word[:-1]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "oes")):
        return word[:-2]
    if word.endswith("uses") and word[:-2] in _US_NOUNS:
        return word[:-2]
    return word[:-1]


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
