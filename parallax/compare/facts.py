"""Facts and conflicts: what the articles of a story assert, lined up across outlets.

Two routes lead to a fact, both from what annotation left behind (no parse here):

* **Values.** Each date and quantity fills a *slot*: what it is the value of (the
  predicate it hangs on and the thing it counts or dates, see
  :mod:`parallax.annotate.statements`). Values of two articles in the same slot either
  agree (:mod:`parallax.compare.values`: "70%" and "more than 70 percent") and make one
  fact, or disagree and make a **conflict**: the letter "dated Sept. 6" against the
  letter "dated September 5". Slots match only on a specific predicate or counted
  thing with the same context, never on "said on Tuesday"; values stated for different
  days ("38 ships on Tuesday", "64 ships by Thursday") are never compared. An article
  that gives two different values to one slot is left out of that slot's conflict: it
  is describing two things, and Parallax cannot tell which is which.
* **Sentences.** The remaining checkable sentences (naming an actor or giving a value)
  are aligned by meaning: TF-IDF over content lemmas and story actors within the story,
  cosine similarity from a sparse product, then greedy average-link grouping in which a
  fact holds at most one sentence per article.

A fact is ``corroborated`` when independence groups of two or more outlets carry it
(wire copies and relays count once), ``single_source`` otherwise, ``disputed`` when a
conflict sits on it. Each piece of evidence says whether its article asserts it or
attributes it to a speaker; a fact asserted by one outlet and attributed by another is
flagged as attribution drift.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from parallax.compare.context import StoryContext
from parallax.compare.values import Interval, date_parts, dates_agree, interval, show_quantity
from parallax.model import DateItem, MentionItem, SlotItem
from parallax.text import GENERIC_PREDICATES

PRONOUNS = frozenset("it this that they he she which who what one".split())
_PERIOD_START = re.compile(
    r"\b(?:since|from|until|till|through|throughout)\b[\s\w-]{0,8}$", re.IGNORECASE
)
_CREDITS = re.compile(
    r"\W*(?:Reporting|Writing|Editing|Additional reporting|Compiled) by\b", re.IGNORECASE
)
_IDENTIFIER = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]+\s+$")
_RATE = re.compile(
    r"\s*(?:a|an|per|each|every)\s+(second|minute|hour|day|night|week|month|quarter|year)\b"
    r"|\s*(daily|weekly|monthly|yearly|annually|a\s+year|a\s+day)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_STOP = frozenset(
    "a an the of in on at to for by with from and or but as is are was were be been being "
    "has have had it its this that these those he she they his her their which who whom "
    "will would can could should may might not no so than then there here also about into "
    "over after before while when where what said says".split()
)

SENTENCE_PAIR_MIN = 0.28
"""Cosine at which two sentences of different articles are proposed as one fact."""
SENTENCE_LINK_MIN = 0.25
"""Mean cosine between two groups of sentences for them to become one fact."""
CLAUSE_OVERLAP_MIN = 0.2
"""Word overlap (Jaccard) between two clauses for values with different predicates to
share a slot."""
MIN_CLAUSE_WORDS = 3
SHARED_WORDS_MIN = 3
"""Words two clauses with different predicates must share for their counts to be of one
thing ("kept seven warships, a submarine and patrol aircraft in the Gulf" / "massed nine
warships, a submarine and patrol aircraft in the Gulf")."""
MIN_TERMS = 4
"""A sentence with fewer content words is not a checkable statement."""
CONTENT_MIN = 0.2
"""Content-word cosine a pair of sentences needs whatever actors they share."""
SHARED_CONTENT_MIN = 2
"""Content words (not names) two sentences must share: one word and a name ("Holder said
they were starting a dialogue" / "Holder urged him to be quiet after his cousin started
mouthing off") is not one claim."""
CONTENT_WEIGHT = 0.75
"""Share of content words (vs actors) in the similarity of two sentences."""


@dataclass
class Slot:
    """One value in one article, with what it is the value of."""

    article_id: str
    kind: str  # date | quantity
    span: tuple[int, int]
    clause: tuple[int, int]
    head: str | None
    thing: str | None
    value: str  # ISO date, or the number as a string
    number: float | None
    qualifier: str | None
    unit: str | None
    shown: str
    sentence: tuple[int, int]
    words: frozenset[str]
    dates: frozenset[str]
    """Calendar dates the clause ties the value to ("on Tuesday", "in 1987"), not the
    start of a period ("since mid-September")."""
    published: str | None = None
    bounds: Interval | None = None
    """The values a quantity as written allows (see :func:`values.interval`)."""
    rate: str | None = None
    """The period of a rate written after the value ("a day", "per year"), if any."""


@dataclass
class Fact:
    """A group of statements from different articles that assert the same thing."""

    evidence: list[dict[str, Any]]
    kind: str  # value | sentence | quote
    conflicts: list[str] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)

    @property
    def id(self) -> str:
        return "F" + _digest(
            f"{e['article_id']}:{e['span'][0]}:{e['span'][1]}" for e in self.evidence
        )


def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha1("|".join(sorted(parts)).encode()).hexdigest()[:10]


# ---------------------------------------------------------------- value slots


def slots_of(context: StoryContext) -> list[Slot]:
    """Every date and quantity slot of the story's articles (annotation ``slots``)."""
    found: list[Slot] = []
    for source in context.sources:
        article = source.article
        annotations = article.annotations
        values: dict[tuple[str, int, int], Mapping[str, Any]] = {}
        for date in annotations["dates"]:
            values[("date", date["span"][0], date["span"][1])] = date
        for quantity in annotations["quantities"]:
            values[("quantity", quantity["span"][0], quantity["span"][1])] = quantity
        day_dates = _day_dates(annotations["dates"])
        for raw in annotations.get("slots", []):
            kind, start, end = raw.get("kind", ""), raw["span"][0], raw["span"][1]
            if kind == "quantity" and ("date", start, end) in values:
                continue  # "1965" is a year, not a count
            item = values.get((kind, start, end))
            if item is None:
                continue
            slot = _slot(context, article.id, raw, item, day_dates)
            if slot is not None:
                found.append(slot)
    return found


def _day_dates(dates: Sequence[DateItem]) -> list[tuple[int, str]]:
    """Calendar dates (day, month or year) with where they start."""
    return [
        (d["span"][0], d["value"])
        for d in dates
        if d["type"] == "date" and d["value"] is not None and date_parts(d["value"]) is not None
    ]


def _slot(
    context: StoryContext,
    article_id: str,
    raw: SlotItem,
    item: Mapping[str, Any],
    day_dates: list[tuple[int, str]],
) -> Slot | None:
    text = context.article(article_id).text
    published = context.article(article_id).published_at
    span = (raw["span"][0], raw["span"][1])
    clause = (raw["clause"][0], raw["clause"][1])
    sentence = context.sentence_at(article_id, *span)
    same_clause = frozenset(
        value
        for at, value in day_dates
        if clause[0] <= at < clause[1]
        and at != span[0]
        and not _PERIOD_START.search(text, max(0, at - 16), at)
    )
    words = frozenset(_words(text[clause[0] : clause[1]])) - _words_set(text[span[0] : span[1]])
    if raw["kind"] == "date":
        value = item.get("value")
        if date_parts(value) is None or not _explicit_date(item.get("text", "")):
            return None
        return Slot(
            article_id,
            "date",
            span,
            clause,
            raw.get("head"),
            raw.get("thing"),
            value=str(value),
            number=None,
            qualifier=None,
            unit=None,
            shown=str(value),
            sentence=sentence,
            words=words,
            dates=same_clause,
            published=published,
        )
    number = item.get("value")
    rate = _RATE.match(text, span[1])
    if _IDENTIFIER.search(text, max(0, span[0] - 40), span[0]) and not item.get("unit"):
        return None  # "Terminal 3", "Flight 17": a name, not a count
    if number is None or (item.get("qualifier") in ("at least",) and item.get("unit") is None):
        return None
    unit = item.get("unit")
    return Slot(
        article_id,
        "quantity",
        span,
        clause,
        raw.get("head"),
        raw.get("thing"),
        value=f"{float(number):g}",
        number=float(number),
        qualifier=item.get("qualifier"),
        unit=unit,
        shown=show_quantity(float(number), item.get("qualifier"), unit),
        sentence=sentence,
        words=words,
        dates=same_clause,
        published=published,
        bounds=interval(float(number), item.get("qualifier")),
        rate=(rate.group(1) or rate.group(2)).lower() if rate else None,
    )


def _explicit_date(text: str) -> bool:
    """A date written with a month or digits ("Sept. 6", "2025-09-05"), not "on Sunday":
    relative dates depend on when each outlet published, too weak to accuse anyone."""
    return bool(re.search(r"\d", text)) and not re.fullmatch(r"\W*\d{1,2}\W*", text)


def _words(text: str) -> list[str]:
    """Content words, lower case, plurals folded to their singular."""
    found = []
    for word in _WORD.findall(text):
        word = word.lower()
        if word not in _STOP:
            singular = _singular(word)
            if singular not in _STOP:
                found.append(singular)
    return found


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


def _singular(word: str) -> str:
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


def _words_set(text: str) -> frozenset[str]:
    return frozenset(_words(text))


def same_slot(a: Slot, b: Slot) -> bool:
    """Whether two values (of different articles) are values of one thing."""
    if a.kind != b.kind:
        return False
    if a.kind == "quantity" and not _same_unit(a, b):
        return False
    if a.kind == "quantity" and not _same_time(a, b):
        return False  # counts for different days may both be right: they changed
    if a.rate != b.rate:
        return False  # "13 million a day" is not "140 million"
    overlap = _jaccard(a.words, b.words)
    things = _thing(a), _thing(b)
    heads = _head(a), _head(b)
    if a.kind == "date":
        if heads[0] is None or heads[0] != heads[1]:
            return (
                things[0] is not None
                and things[0] == things[1]
                and a.head is None
                and b.head is None
                and overlap >= CLAUSE_OVERLAP_MIN
            )
        return things[0] is None or things[1] is None or things[0] == things[1]
    if things[0] is not None and things[0] == things[1]:
        if heads[0] is not None and heads[0] == heads[1]:
            return True
        if heads[0] is not None and heads[1] is not None:
            # two predicates ("challenging" / "have enacted"): the clauses must say more
            # in common than a topic word or two
            return overlap >= CLAUSE_OVERLAP_MIN and len(a.words & b.words) >= SHARED_WORDS_MIN
        return overlap >= CLAUSE_OVERLAP_MIN
    if None in things and heads[0] is not None and heads[0] == heads[1]:
        return overlap >= CLAUSE_OVERLAP_MIN
    return False


def _same_time(a: Slot, b: Slot) -> bool:
    """Whether two values can be about the same moment: the dates their clauses give
    agree, or one gives none and the other's date is its publication day (give or take
    a day)."""
    if a.dates and b.dates:
        return any(dates_agree(x, y) for x in a.dates for y in b.dates)
    dated, other = (a, b) if a.dates else (b, a)
    if not dated.dates:
        return True
    return any(_near(value, other.published) for value in dated.dates)


def _near(value: str, published: str | None, days: int = 1) -> bool:
    if not published:
        return False
    from datetime import date

    parts = date_parts(value)
    day = date_parts(published[:10])
    if parts is None or day is None or len(day) < 3:
        return False
    if len(parts) < 3:
        return dates_agree(value, published[:10])
    gap = date(*map(int, parts)) - date(*map(int, day))
    return abs(gap.days) <= days


def _same_unit(a: Slot, b: Slot) -> bool:
    ua, ub = (a.unit or "").lower(), (b.unit or "").lower()
    return ua == ub or {ua, ub} <= {"percent", "%"}


def _thing(slot: Slot) -> str | None:
    thing = slot.thing
    return None if thing is None or thing in PRONOUNS else thing


def _head(slot: Slot) -> str | None:
    head = slot.head
    return None if head is None or head in GENERIC_PREDICATES else head


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Word overlap of two clauses; 0 when either is too short to say anything."""
    if min(len(a), len(b)) < MIN_CLAUSE_WORDS:
        return 0.0
    return len(a & b) / len(a | b)


def agree(a: Slot, b: Slot) -> bool:
    if a.kind == "date":
        return dates_agree(a.value, b.value)
    assert a.bounds is not None and b.bounds is not None
    return a.bounds.overlaps(b.bounds)


@dataclass
class ValueResult:
    facts: list[Fact]
    conflicts: list[dict[str, Any]]
    fact_sentence_sets: set[frozenset[tuple[str, tuple[int, int]]]]
    """For each value fact, the sentences its values are in: a sentence fact made of
    exactly these sentences says nothing more."""


def value_facts(context: StoryContext, slots: list[Slot]) -> ValueResult:
    """Facts from values that agree across articles, conflicts from values that do not."""
    parent = list(range(len(slots)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # Slots alike in every respect (wire copies, a repeated figure) are decided once.
    representative: dict[tuple[Any, ...], int] = {}
    for i, slot in enumerate(slots):
        rep = representative.setdefault(_signature(slot), i)
        if rep != i:
            parent[find(i)] = find(rep)
    agree_pairs: list[tuple[int, int]] = []
    clash_pairs: list[tuple[int, int]] = []
    for i, j in _slot_candidates(slots, sorted(representative.values())):
        a, b = slots[i], slots[j]
        if not same_slot(a, b):
            continue
        (agree_pairs if agree(a, b) else clash_pairs).append((i, j))
    for i, j in agree_pairs:
        parent[find(i)] = find(j)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(slots)):
        members[find(i)].append(i)
    clashing = {find(i) for pair in clash_pairs for i in pair}
    facts: dict[int, Fact] = {}
    for root, indexes in members.items():
        if len({slots[i].article_id for i in indexes}) > 1 or root in clashing:
            facts[root] = _value_fact(context, [slots[i] for i in indexes])
    conflicts = _conflicts(context, slots, clash_pairs, find, facts)
    sentences = {
        frozenset((s.article_id, s.sentence) for s in fact.slots) for fact in facts.values()
    }
    return ValueResult(list(facts.values()), conflicts, sentences)


def _signature(slot: Slot) -> tuple[Any, ...]:
    published = (slot.published or "")[:10] if slot.dates else None
    return (
        slot.kind,
        (slot.unit or "").lower(),
        slot.thing,
        slot.head,
        slot.value,
        slot.qualifier,
        slot.rate,
        slot.dates,
        slot.words,
        published,
    )


def _slot_candidates(slots: list[Slot], which: list[int]) -> Iterable[tuple[int, int]]:
    """Pairs of slots sharing a thing or a specific predicate (never all pairs)."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in which:
        slot = slots[i]
        for key in {_thing(slot), _head(slot)} - {None}:
            index[(slot.kind, str(key))].append(i)
    seen: set[tuple[int, int]] = set()
    for bucket in index.values():
        for x in range(len(bucket)):
            for y in range(x + 1, len(bucket)):
                pair = (bucket[x], bucket[y])
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def _value_fact(context: StoryContext, slots: list[Slot]) -> Fact:
    slots = sorted(slots, key=lambda s: (_order(context, s.article_id), s.span))
    first_per_article: dict[str, Slot] = {}
    for slot in slots:
        first_per_article.setdefault(slot.article_id, slot)
    evidence = [context.evidence(s.article_id, *s.clause) for s in first_per_article.values()]
    return Fact(evidence, "value", slots=list(first_per_article.values()))


def _order(context: StoryContext, article_id: str) -> int:
    return context.position[article_id]


def _conflicts(
    context: StoryContext,
    slots: list[Slot],
    clash_pairs: list[tuple[int, int]],
    find: Any,
    facts: dict[int, Fact],
) -> list[dict[str, Any]]:
    """Conflicts: sets of value groups joined by disagreeing pairs."""
    parent: dict[int, int] = {}

    def top(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for i, j in clash_pairs:
        parent[top(find(i))] = top(find(j))
    components: dict[int, set[int]] = defaultdict(set)
    for i, j in clash_pairs:
        components[top(find(i))].update((find(i), find(j)))
    found: list[dict[str, Any]] = []
    for groups in components.values():
        conflict = _conflict(
            context, [[s for k, s in enumerate(slots) if find(k) == g] for g in sorted(groups)]
        )
        if conflict is None:
            continue
        found.append(conflict)
        for g in groups:
            if g in facts:
                facts[g].conflicts.append(conflict["id"])
    return found


def _conflict(context: StoryContext, sides: list[list[Slot]]) -> dict[str, Any] | None:
    """One conflict from value groups that disagree; None when it does not hold up: an
    article on two sides, or all sides from one independence group."""
    article_sides: Counter[str] = Counter()
    for side in sides:
        for article_id in {s.article_id for s in side}:
            article_sides[article_id] += 1
    ambiguous = {a for a, n in article_sides.items() if n > 1}
    sides = [[s for s in side if s.article_id not in ambiguous] for side in sides]
    sides = [side for side in sides if side]
    if len(sides) < 2:
        return None
    groups = [{context.group(s.article_id) for s in side} for side in sides]
    if len(set().union(*groups)) < 2:
        return None
    values: list[dict[str, Any]] = []
    seen: set[str] = set()
    for side in sides:
        for slot in sorted(side, key=lambda s: _order(context, s.article_id)):
            if slot.article_id in seen:
                continue
            seen.add(slot.article_id)
            item = context.evidence(slot.article_id, *slot.clause)
            values.append({"value": slot.shown, **item, "value_span": list(slot.span)})
    first = sides[0][0]
    kind = "date" if first.kind == "date" else "number"
    return {
        "id": "C" + _digest(f"{v['article_id']}:{v['span'][0]}" for v in values),
        "about": _about(context, first),
        "kind": kind,
        "values": values,
    }


def _about(context: StoryContext, slot: Slot) -> str:
    """What a conflict is about, in the article's own words where possible."""
    text = context.article(slot.article_id).text
    clause = text[slot.clause[0] : slot.clause[1]]
    head_word = _surface(clause, slot.head)
    thing_word = _surface(clause, slot.thing)
    if slot.kind == "date":
        if thing_word and head_word:
            return f"the date the {thing_word} was {head_word}"
        return f"the date of the {thing_word or head_word or 'event'}"
    if slot.unit in ("percent", "%"):
        subject = f" of {thing_word}" if thing_word else ""
        verb = f" ({head_word})" if head_word else ""
        return f"the percentage{subject}{verb}"
    if slot.unit and slot.unit.isupper():
        return f"the amount in {slot.unit} ({thing_word or head_word or 'value'})"
    return f"the number of {thing_word or slot.unit or head_word or 'items'}"


def _surface(text: str, lemma: str | None) -> str | None:
    """The word of ``text`` that a lemma came from ("dated" for "date")."""
    if not lemma:
        return None
    for word in _WORD.findall(text):
        if word.lower().startswith(lemma[: max(3, len(lemma) - 2)].lower()):
            return str(word.lower() if not word[0].isupper() or word.isupper() else word)
    return lemma


# ---------------------------------------------------------------- sentences


@dataclass
class Statement:
    article_id: str
    span: tuple[int, int]
    tokens: Counter[str]


def statements_of(context: StoryContext) -> list[Statement]:
    """Checkable sentences: they name a story actor or carry a value, and say enough."""
    found: list[Statement] = []
    names = _name_words(context)
    synonyms = load_synonyms()
    for source in context.sources:
        article = source.article
        annotations = article.annotations
        mentions = sorted(
            (m["span"][0], context.story_actor(article.id, m.get("actor")))
            for m in annotations.get("mentions", [])
        )
        valued = sorted(s["span"][0] for s in annotations.get("slots", []))
        sentences = annotations.get("sentences") or [
            {"span": list(span), "terms": _words(article.text[span[0] : span[1]])}
            for span in context.sentences(article.id)
        ]
        for sentence in sentences:
            span = (sentence["span"][0], sentence["span"][1])
            if len(sentence["terms"]) < MIN_TERMS:
                continue
            if _CREDITS.match(article.text, span[0]):
                continue
            actors = [a for at, a in mentions if span[0] <= at < span[1] and a]
            has_value = any(span[0] <= at < span[1] for at in valued)
            if not actors and not has_value:
                continue
            tokens: Counter[str] = Counter(
                synonyms.get(t, t) for t in sentence["terms"] if t not in names
            )
            for actor in actors:
                tokens["@" + actor] += 1
            found.append(Statement(article.id, span, tokens))
    return found


@functools.cache
def load_synonyms(path: Path | None = None) -> dict[str, str]:
    """word -> the term of its group, from ``data/synonyms.tsv`` (see the file)."""
    source = path or Path(__file__).with_name("data") / "synonyms.tsv"
    table: dict[str, str] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, _, others = line.partition("\t")
        for word in others.split(","):
            if word.strip():
                table.setdefault(word.strip(), term.strip())
    return table


def _name_words(context: StoryContext) -> frozenset[str]:
    """Words of the story actors' names: a shared name is counted once, as the actor."""
    words: set[str] = set()
    for actor in context.actors:
        for alias in actor.aliases:
            words.update(w.lower() for w in _WORD.findall(alias))
    return frozenset(words)


def sentence_facts(context: StoryContext, statements: list[Statement]) -> list[Fact]:
    """Group statements of different articles that say the same thing.

    Statements with the same words (wire copies, a reused paragraph) are one node from
    the start, so a story of many copies costs what its distinct sentences cost.
    """
    if not statements:
        return []
    nodes = _nodes(statements)
    reps = [statements[node[0]] for node in nodes]
    similarity = _similarities(reps, [len(node) for node in nodes])
    order = sorted(
        (-score, i, j) for (i, j), score in similarity.items() if score >= SENTENCE_PAIR_MIN
    )
    cluster = list(range(len(nodes)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(nodes))}
    articles: dict[int, set[str]] = {
        i: {statements[k].article_id for k in node} for i, node in enumerate(nodes)
    }
    for _, i, j in order:
        ci, cj = cluster[i], cluster[j]
        if ci == cj or articles[ci] & articles[cj]:
            continue
        links = [
            similarity.get((min(x, y), max(x, y)), 0.0) for x in members[ci] for y in members[cj]
        ]
        if sum(links) / len(links) < SENTENCE_LINK_MIN:
            continue
        for x in members[cj]:
            cluster[x] = ci
        members[ci].extend(members.pop(cj))
        articles[ci] |= articles.pop(cj)
    facts: list[Fact] = []
    for node_indexes in members.values():
        indexes = [k for n in node_indexes for k in nodes[n]]
        chosen = sorted(
            indexes, key=lambda k: (_order(context, statements[k].article_id), statements[k].span)
        )
        evidence = [context.evidence(statements[k].article_id, *statements[k].span) for k in chosen]
        facts.append(Fact(evidence, "sentence"))
    return facts


def _nodes(statements: list[Statement]) -> list[list[int]]:
    """Statements with identical words grouped, at most one per article in a group."""
    by_words: dict[tuple[tuple[str, int], ...], list[list[int]]] = {}
    for k, statement in enumerate(statements):
        key = tuple(sorted(statement.tokens.items()))
        groups = by_words.setdefault(key, [])
        for group in groups:
            if all(statements[m].article_id != statement.article_id for m in group):
                group.append(k)
                break
        else:
            groups.append([k])
    return [group for groups in by_words.values() for group in groups]


def _similarities(statements: list[Statement], weights: list[int]) -> dict[tuple[int, int], float]:
    """Similarity of pairs of statements: the cosine of their content words (TF-IDF
    within the story, each statement counted ``weights`` times) and, with less weight,
    of their actors; a pair must share content, not only the people it names ("Marr
    said ..." and "Marr told reporters ..." are two statements)."""
    content = _tfidf(statements, weights, lambda token: not token.startswith("@"))
    actors = _tfidf(statements, weights, lambda token: token.startswith("@"))
    pairs = sparse.triu(content @ content.T, k=1).tocoo()
    keep = pairs.data >= CONTENT_MIN
    rows, cols, scores = pairs.row[keep], pairs.col[keep], pairs.data[keep]
    if not len(rows):
        return {}
    present = (content > 0).astype(np.float64)
    shared_words = np.asarray(present[rows].multiply(present[cols]).sum(axis=1)).ravel()
    keep = shared_words >= SHARED_CONTENT_MIN
    rows, cols, scores = rows[keep], cols[keep], scores[keep]
    if not len(rows):
        return {}
    shared_actors = np.asarray(actors[rows].multiply(actors[cols]).sum(axis=1)).ravel()
    combined = CONTENT_WEIGHT * scores + (1 - CONTENT_WEIGHT) * shared_actors
    floor = min(SENTENCE_LINK_MIN, SENTENCE_PAIR_MIN) / 2
    keep = combined >= floor
    return dict(
        zip(
            zip(rows[keep].tolist(), cols[keep].tolist(), strict=True),
            combined[keep].tolist(),
            strict=True,
        )
    )


def _tfidf(statements: list[Statement], weights: list[int], keep: Any) -> sparse.csr_matrix:
    df: Counter[str] = Counter()
    for statement, weight in zip(statements, weights, strict=True):
        for token in statement.tokens:
            if keep(token):
                df[token] += weight
    n = sum(weights)
    too_common = max(8, int(0.5 * n))
    vocabulary: dict[str, int] = {}
    rows, cols, data = [], [], []
    for r, statement in enumerate(statements):
        for token, count in statement.tokens.items():
            if not keep(token) or df[token] > too_common:
                continue
            rows.append(r)
            cols.append(vocabulary.setdefault(token, len(vocabulary)))
            data.append((1.0 + math.log(count)) * (math.log((n + 1) / (df[token] + 1)) + 1.0))
    matrix = sparse.csr_matrix(
        (data, (rows, cols)), shape=(n, max(1, len(vocabulary))), dtype=np.float64
    )
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


# ---------------------------------------------------------------- names in roles


@dataclass
class Role:
    article_id: str
    verb: str
    action: str  # the verb's synonym group
    thing: str
    actor: str
    span: tuple[int, int]
    clause: tuple[int, int]


def role_conflicts(context: StoryContext) -> list[dict[str, Any]]:
    """``name`` conflicts: independent outlets name different people as the one who did
    the same thing to the same thing ("Foreign Minister Calderoa published the letter" vs
    "the letter was released by Vice President Oyarzo"). Speech verbs are left out (who
    said what is an attribution), and so is an article naming two people for one role."""
    synonyms = load_synonyms()
    by_role: dict[tuple[str, str], list[Role]] = defaultdict(list)
    for source in context.sources:
        article = source.article
        mentions = article.annotations["mentions"]
        for slot in article.annotations["slots"]:
            head, thing = slot["head"], slot["thing"]
            if slot["kind"] != "role" or not thing or not head:
                continue
            if head in GENERIC_PREDICATES or synonyms.get(head) == "say":
                continue
            actor = _person_at(context, article.id, mentions, slot["span"])
            if actor is None:
                continue
            action = synonyms.get(head, head)
            role = Role(
                article.id,
                head,
                action,
                thing,
                actor,
                (slot["span"][0], slot["span"][1]),
                (slot["clause"][0], slot["clause"][1]),
            )
            by_role[(action, synonyms.get(thing, thing))].append(role)
    conflicts = []
    for roles in by_role.values():
        conflict = _role_conflict(context, roles)
        if conflict is not None:
            conflicts.append(conflict)
    return conflicts


def _person_at(
    context: StoryContext, article_id: str, mentions: Sequence[MentionItem], span: Sequence[int]
) -> str | None:
    for mention in mentions:
        start, end = mention["span"]
        if start < span[1] and span[0] < end:
            actor = context.story_actor(article_id, mention.get("actor"))
            if actor is not None and context.actor_kinds.get(actor) == "person":
                return actor
    return None


def _role_conflict(context: StoryContext, roles: list[Role]) -> dict[str, Any] | None:
    per_article: dict[str, set[str]] = defaultdict(set)
    for role in roles:
        per_article[role.article_id].add(role.actor)
    roles = [r for r in roles if len(per_article[r.article_id]) == 1]
    actors = {r.actor for r in roles}
    if len(actors) < 2:
        return None
    groups_of = {a: {context.group(r.article_id) for r in roles if r.actor == a} for a in actors}
    if len(set().union(*groups_of.values())) < 2:
        return None
    seen: set[str] = set()
    values = []
    for role in sorted(roles, key=lambda r: (r.actor, context.position[r.article_id])):
        if role.article_id in seen:
            continue
        seen.add(role.article_id)
        item = context.evidence(role.article_id, *role.clause)
        values.append(
            {
                "value": context.actor_names.get(role.actor, role.actor),
                **item,
                "value_span": list(role.span),
            }
        )
    common = Counter(r.verb for r in roles).most_common(1)[0][0]
    first = next(r for r in roles if r.verb == common)
    clause = context.article(first.article_id).text[first.clause[0] : first.clause[1]]
    verb = _surface(clause, first.verb) or first.verb
    return {
        "id": "C" + _digest(f"{v['article_id']}:{v['span'][0]}" for v in values),
        "about": f"who {verb} the {_surface(clause, first.thing) or first.thing}",
        "kind": "name",
        "values": values,
    }
