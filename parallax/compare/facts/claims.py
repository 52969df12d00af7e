"""Whether two aligned sentences make one claim, from what annotation stored about them.

Sentence alignment scores words in common, and two sentences about one event share
many: an actor, a day, the story's topic ("The Wal-Mart case dwarfs those rulings in
importance" / "That potential ruling would get Wal-Mart off the hook"). What makes them
one claim is the predicate and what it says, so a pair is kept only when one of these
holds:

* the same wording: a run of :data:`SAME_WORDING_RUN` words in the same order (one outlet
  quotes what the other quotes, trimmed or run into another sentence);
* the same predicate: a verb annotation stored for both (its who-did-what-to-whom events
  and the predicates its value and role slots hang on), synonyms folded, or a verb stored
  for one that the other also uses;
* a word in common inside the quotation marks of both;
* more than :data:`TOPIC_WORDS` claim words in common: content words that are neither
  names (story actors, words capitalised inside the sentence) nor calendar words nor
  speech verbs.

Nothing is parsed here: the words come from the stored text and terms, the predicates
from the stored events and slots.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from parallax.compare.facts.words import content_words
from parallax.model import Annotations
from parallax.text import GENERIC_PREDICATES, MONTHS, SMALL_NUMBERS, WEEKDAYS, WORD, singular

SAME_WORDING_RUN = 5
"""Words in the same order that make two sentences one wording (a quote both carry)."""
TOPIC_WORDS = 1
"""Claim words two sentences may share without a common predicate and still be two
claims: one topic word ("ruling", "interview", "lawsuit") says what they are about, not
what they say."""
TIME_WORDS = (
    frozenset(MONTHS)
    | frozenset(WEEKDAYS)
    | frozenset(
        "today yesterday tonight tomorrow week month year day night morning afternoon evening "
        "weekend".split()
    )
)
"""Calendar words: two sentences of one day share them whatever they say."""
_LIGHT_VERBS = frozenset({"be", "have", "do"})


@dataclass(frozen=True)
class Claim:
    """What decides whether a sentence makes the same claim as another: its claim words
    (synonyms folded), its stored predicates, the claim words inside its quotation marks
    and its runs of :data:`SAME_WORDING_RUN` words."""

    words: frozenset[str]
    predicates: frozenset[str]
    quoted: frozenset[str]
    runs: frozenset[tuple[str, ...]]


@dataclass(frozen=True)
class Vocabulary:
    """The words a story's claims are read with, built once per story: the synonym
    table, the words of the story actors' names (each part of a hyphenated one too, as
    the stored terms split "Wal-Mart") and the speech verbs."""

    synonyms: Mapping[str, str]
    names: frozenset[str]
    speech: frozenset[str]


def vocabulary(synonyms: Mapping[str, str], names: Iterable[str]) -> Vocabulary:
    say = synonyms.get("say", "say")
    speech = frozenset({say, *(word for word, term in synonyms.items() if term == say)})
    parts = {part for name in names for part in (name, *name.split("-")) if part}
    return Vocabulary(synonyms, frozenset(parts), speech)


class ArticleClaims:
    """The claims of one article's sentences, each read when a pair first asks for it
    (most pairs of a story never do): the stored verbs and quotes sorted by where they
    stand, so a sentence finds its own by bisection."""

    def __init__(self, text: str, annotations: Annotations, words: Vocabulary) -> None:
        self.text = text
        self.words = words
        self.verbs = sorted(_stored_verbs(annotations))
        self.quotes = sorted((q["span"][0], q["text"]) for q in annotations.get("quotes", []))
        self.read: dict[tuple[int, int], Claim] = {}

    def claim(self, span: tuple[int, int], terms: Iterable[str]) -> Claim:
        """The claim of the sentence at ``span`` (``terms``: its stored content lemmas)."""
        if span in self.read:
            return self.read[span]
        synonyms = self.words.synonyms
        predicates = {synonyms.get(v, v) for _, v in _within(self.verbs, span)}
        quoted = {
            synonyms.get(w, w)
            for _, text in _within(self.quotes, span)
            for w in content_words(text)
        }
        found = _claim(self.text[span[0] : span[1]], terms, predicates, quoted, self.words)
        self.read[span] = found
        return found


def _claim(
    sentence: str, terms: Iterable[str], predicates: set[str], quoted: set[str], words: Vocabulary
) -> Claim:
    not_claim = _capitalised(sentence) | words.speech | TIME_WORDS | words.names
    claim_words = {_folded(t, words.synonyms) for t in terms if t not in not_claim}
    lowered = [w.lower() for w in WORD.findall(sentence)]
    runs = {
        tuple(lowered[i : i + SAME_WORDING_RUN]) for i in range(len(lowered) - SAME_WORDING_RUN + 1)
    }
    return Claim(
        words=frozenset(claim_words - not_claim),
        predicates=frozenset(predicates - words.speech - _LIGHT_VERBS),
        quoted=frozenset(quoted - words.speech),
        runs=frozenset(runs),
    )


def one_claim(a: Claim, b: Claim) -> bool:
    """Whether two sentences aligned on their words say the same thing (see the module)."""
    shared = a.words & b.words
    if len(shared) > TOPIC_WORDS or a.predicates & b.predicates:
        return True
    if shared & ((a.predicates | b.predicates) - GENERIC_PREDICATES):
        return True
    return bool(a.quoted & b.quoted or a.runs & b.runs)


def _folded(term: str, synonyms: Mapping[str, str]) -> str:
    """A claim word as both outlets would write it: a number word as its digits ("eleven"
    and "11"), a synonym as its group's term, also when that term is itself a synonym of
    another group ("stoppage" -> strike -> attack, as "strike" is folded)."""
    if term in SMALL_NUMBERS:
        return str(SMALL_NUMBERS[term])
    once = synonyms.get(term, term)
    return synonyms.get(once, once)


def _stored_verbs(annotations: Annotations) -> Iterable[tuple[int, str]]:
    """(where, verb) of the predicates annotation stored: event actions and the verbs of
    value and role slots."""
    for event in annotations.get("events", []):
        yield event["span"][0], event["action"]
    for slot in annotations.get("slots", []):
        if slot["head"]:
            yield slot["span"][0], slot["head"]


def _within(items: Sequence[tuple[int, str]], span: tuple[int, int]) -> Sequence[tuple[int, str]]:
    """The items (sorted by position) that start inside ``span``."""
    return items[
        bisect.bisect_left(items, (span[0], "")) : bisect.bisect_left(items, (span[1], ""))
    ]


def _capitalised(sentence: str) -> set[str]:
    """Words written with a capital inside the sentence (not its first word): names the
    story's actors do not hold ("Wal-Mart", "Facebook", "Fifth Amendment"), each part of
    a hyphenated one too, as the stored terms split them."""
    found: set[str] = set()
    for word in WORD.findall(sentence)[1:]:
        if word[:1].isupper():
            lowered = word.lower()
            found.add(singular(lowered))
            found.update(singular(part) for part in lowered.split("-") if part)
    return found
