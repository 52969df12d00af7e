"""What the words around a value say about what it is the value of, read from the stored
text (nothing is parsed again): what a count counts ("11 million undocumented
immigrants"), the kind of money an amount is ("$750,000 in campaign funds"), the subgroup a
share is of ("among Tea Party supporters"), a year that names the thing counted rather
than dating it ("the 2012 GOP primary field"), the noun a date's predicate modifies ("a
special election set for June 28"), the thing a copula gives an amount to ("The cost of
the ad campaign was $1 million") and the verb written right before a value ("accused of
spending $750,000"). :mod:`parallax.compare.facts.slots` builds its slots with them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from parallax.compare.facts.words import content_or_stop, content_words
from parallax.text import GENERIC_PREDICATES, WORD


def copula_thing(text: str, start: int, end: int, noun: str) -> str | None:
    """For an amount a copula gives a noun ("The cost of the ad campaign was $1 million"),
    what the amount is of: the last word of the noun's "of" complement (campaign). The
    noun is then the predicate, as "the ad campaign cost $1 million" would have it."""
    of = re.search(rf"\b{re.escape(noun)}\w*\s+of\s+([^,;:()]*)$", text[start:end], re.I)
    if of is None:
        return None
    nouns = [w for w in content_words(of.group(1)) if w not in _COPULA_VERBS]
    return nouns[-1] if nouns else None


_COPULA_VERBS = frozenset("is was are were be been will would going expected set likely".split())


_AMONG = re.compile(r"\bamong\s+([^.,;:!?()\n]{1,60})", re.IGNORECASE)
_AMONG_AFTER = re.compile(r"\s*among\s+([^.,;:!?()\n]{1,60})", re.IGNORECASE)
_NOT_A_GROUP = frozenset("them us other others those these all".split())


def among(text: str, span: tuple[int, int], sentence: tuple[int, int]) -> frozenset[str]:
    """The subgroup a share is of (see :attr:`.slots.Slot.among`): the "among" phrase
    just after the value, else the last one before it in its sentence."""
    found = _AMONG_AFTER.match(text, span[1])
    if found is None:
        before = list(_AMONG.finditer(text, sentence[0], span[0]))
        found = before[-1] if before else None
    if found is None:
        return frozenset()
    words = _content_parts(" ".join(_phrase_words(found.group(1))))
    return frozenset(w for w in words if not w[0].isdigit() and w not in _NOT_A_GROUP)


_YEAR_MODIFIER_BEFORE = re.compile(
    r"\b(?:the|a|an|this|next|his|her|its|their|our)\s+$|['’]s\s+$", re.IGNORECASE
)
_YEAR_MODIFIER_AFTER = re.compile(r"\s+[A-Za-z]")


def named_years(
    text: str,
    dates: frozenset[str],
    day_dates: Sequence[tuple[int, str]],
    clause: tuple[int, int],
    published: str | None,
) -> frozenset[str]:
    """The clause's dates that are years after publication written before a noun ("the
    2012 GOP primary field", "his 2016 campaign"): what is counted, not when."""
    year = (published or "")[:4]
    if not year.isdigit():
        return frozenset()
    found = set()
    for at, value in day_dates:
        if value not in dates or not clause[0] <= at < clause[1]:
            continue
        if len(value) != 4 or value <= year or text[at : at + 4] != value:
            continue
        before = text[max(0, at - 8) : at]
        if _YEAR_MODIFIER_BEFORE.search(before) and _YEAR_MODIFIER_AFTER.match(text, at + 4):
            found.add(value)
    return frozenset(found)


def word_before(text: str, at: int) -> str | None:
    """The word written just before ``at``, lower case, if it is right before it."""
    found = _WORD_BEFORE.search(text, max(0, at - 30), at)
    return found.group(1).lower() if found else None


_WORD_BEFORE = re.compile(r"([A-Za-z]+)\s+$")


def modified_noun(text: str, clause: tuple[int, int], head: str | None) -> str | None:
    """The noun written just before a clause's predicate ("election | set for June 28"),
    or None when a word that is not a content word or nothing stands there."""
    if not head or head in GENERIC_PREDICATES:
        return None
    previous: str | None = None
    for word in WORD.finditer(text, clause[0], clause[1]):
        lower = word.group().lower()
        if lower == head or inflects(lower, head):
            return previous
        folded = content_or_stop(lower)
        previous = folded[0] if folded else None
    return None


def thing_phrase_before(text: str, start: int, thing: str | None) -> frozenset[str]:
    """The words of the dated thing's noun phrase when it stands just before the clause
    ("the general election | slated for June 28" -> general, election): a clause that
    only modifies its thing leaves the thing's own words out."""
    if not thing:
        return frozenset()
    before = content_or_stop(text[max(0, start - 80) : start])
    if not before or before[-1] != thing:
        return frozenset()
    found = [thing]
    for word in reversed(before[:-1][-_NOUNS_AFTER:]):
        if word is None:
            break
        found.append(word)
    return frozenset(found)


_OF_PHRASE = re.compile(
    r"\s+of\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+)?([^.,;:!?()\n]{1,40})"
)
_IN_PHRASE = re.compile(
    r"""\s+in\s+
    ((?!(?:the|a|an|his|her|its|their|our|this|that)\b)[a-z][a-z-]*   # no article
    (?:\s+(?!(?:on|for|to|from|by|at|in|of|and|or|that|which|who|as|than)\b)[a-z][a-z-]*){0,2}
    )\b""",
    re.VERBOSE,
)
"""The kind of money an amount is, written after it in lower case without an article:
"$750,000 in campaign funds" (not "$5 million in Iowa", "in the first quarter")."""
_TIME_WORDS = frozenset(
    "second minute hour day night week month quarter year decade century time recent past "
    "last next".split()
)
_NOUNS_AFTER = 3
"""Words after a currency or percent value that may still name what it is of ("$447
billion jobs package")."""


def counted_words(text: str, span: tuple[int, int], thing: str | None) -> frozenset[str]:
    """The words of what a value counts (see :attr:`.slots.Slot.counted`): the value's
    own words but the number, its "of" complement, and the words up to the counted thing
    when that follows the value closely. Hyphenated words count by their parts
    ("job-creation")."""
    words = _content_parts(text[span[0] : span[1]])
    following = text[span[1] : span[1] + 60]
    of = _OF_PHRASE.match(following)
    if of:
        words |= _content_parts(" ".join(_phrase_words(of.group(1))))
    elif thing:
        after = content_words(following)[:_NOUNS_AFTER]
        if thing in after:
            words |= _content_parts(" ".join(after[: after.index(thing) + 1]))
    return frozenset(w for w in words if not w[0].isdigit() and w not in _MAGNITUDES)


_PHRASE_ENDS = frozenset("and or but while as than who which that".split())


def money_kind(text: str, span: tuple[int, int]) -> frozenset[str]:
    """The words of the kind of money an amount is (see :attr:`.slots.Slot.money`)."""
    found = _IN_PHRASE.match(text, span[1])
    if found is None:
        return frozenset()
    words = _content_parts(found.group(1))
    return frozenset() if words & _TIME_WORDS else frozenset(words)


def _phrase_words(text: str, most: int = 4) -> list[str]:
    """The first words of an "of" complement, up to a word that starts another phrase
    ("of likely voters and Tomás Ruvalle ..." -> likely voters)."""
    found: list[str] = []
    for word in text.split()[:most]:
        if word.lower() in _PHRASE_ENDS:
            break
        found.append(word)
    return found


_MAGNITUDES = frozenset("hundred thousand million billion trillion percent per cent".split())


def _content_parts(text: str) -> set[str]:
    return {part for word in content_words(text) for part in word.split("-") if part}


def inflects(word: str | None, lemma: str) -> bool:
    """Whether ``word`` is ``lemma`` or a regular form of it ("spending", "costs",
    "planned", "tried")."""
    if not word or len(lemma) < 3 or not word.startswith(lemma[:-1]):
        return False
    stem = lemma[:-1] if lemma[-1] in "ey" else lemma
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    forms |= {stem + "ing", stem + "ied", stem + "ies", lemma + lemma[-1] + "ing"}
    forms.add(lemma + lemma[-1] + "ed")
    return word in forms
