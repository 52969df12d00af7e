"""Value facts and value conflicts: values of one slot across the story's articles either
agree (:mod:`parallax.compare.values`: "70%" and "more than 70 percent") and make one
fact, or disagree and make a conflict (the letter "dated Sept. 6" against the letter
"dated September 5").

An article that gives two different values to one slot is left out of that slot's
conflict: it is describing two things, and Parallax cannot tell which is which.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from parallax.compare.context import StoryContext
from parallax.compare.facts.grouping import bucket_pairs, groups
from parallax.compare.facts.records import Fact, conflict, conflict_value
from parallax.compare.facts.slots import Slot, agree, same_slot, specific_head, specific_thing
from parallax.compare.facts.words import surface
from parallax.model import ConflictValue, ReportConflict
from parallax.text.groups import disjoint_set


@dataclass
class ValueResult:
    facts: list[Fact]
    conflicts: list[ReportConflict]
    fact_sentence_sets: set[frozenset[tuple[str, tuple[int, int]]]]
    """For each value fact, the sentences its values are in: a sentence fact made of
    exactly these sentences says nothing more."""


def value_facts(context: StoryContext, slots: list[Slot]) -> ValueResult:
    """Facts from values that agree across articles, conflicts from values that do not."""
    joined = groups(len(slots))
    find = joined.__getitem__
    # Slots alike in every respect (wire copies, a repeated figure) are decided once.
    representative: dict[tuple[Any, ...], int] = {}
    for i, slot in enumerate(slots):
        rep = representative.setdefault(_signature(slot), i)
        if rep != i:
            joined.merge(i, rep)
    agree_pairs, clash_pairs = _judged_pairs(slots, sorted(representative.values()))
    for i, j in agree_pairs:
        joined.merge(i, j)
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


def _judged_pairs(
    slots: list[Slot], which: list[int]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(pairs that agree, pairs that clash) among the candidate pairs of one slot."""
    agree_pairs: list[tuple[int, int]] = []
    clash_pairs: list[tuple[int, int]] = []
    for i, j in _slot_candidates(slots, which):
        a, b = slots[i], slots[j]
        if not same_slot(a, b):
            continue
        (agree_pairs if agree(a, b) else clash_pairs).append((i, j))
    return agree_pairs, clash_pairs


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
    """Pairs of slots sharing a thing, a specific predicate, a word of the kind of money
    they are or, for shares, whose share they are (never all pairs)."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in which:
        slot = slots[i]
        keys = {specific_thing(slot), specific_head(slot), slot.modified} - {None}
        for key in keys:
            index[(slot.kind, str(key))].append(i)
        for word in slot.money:
            index[("money", word)].append(i)
        if slot.owner is not None:
            index[("owner", slot.owner)].append(i)
    return bucket_pairs(index.values())


def _value_fact(context: StoryContext, slots: list[Slot]) -> Fact:
    slots = sorted(slots, key=lambda s: (context.position[s.article_id], s.span))
    first_per_article: dict[str, Slot] = {}
    for slot in slots:
        first_per_article.setdefault(slot.article_id, slot)
    evidence = [context.evidence(s.article_id, *s.clause) for s in first_per_article.values()]
    return Fact(evidence, "value", slots=list(first_per_article.values()))


def _conflicts(
    context: StoryContext,
    slots: list[Slot],
    clash_pairs: list[tuple[int, int]],
    find: Callable[[int], int],
    facts: dict[int, Fact],
) -> list[ReportConflict]:
    """Conflicts: sets of value groups joined by disagreeing pairs."""
    clashing = disjoint_set()
    for i, j in clash_pairs:
        clashing.add(find(i))
        clashing.add(find(j))
        clashing.merge(find(i), find(j))
    components: dict[int, set[int]] = defaultdict(set)
    for i, j in clash_pairs:
        components[clashing[find(i)]].update((find(i), find(j)))
    found: list[ReportConflict] = []
    for sides in components.values():
        members = sorted([k for k in range(len(slots)) if find(k) == g] for g in sides)
        found_one = _conflict(context, [[slots[k] for k in side] for side in members])
        if found_one is None:
            continue
        found.append(found_one)
        for g in sides:
            if g in facts:
                facts[g].conflicts.append(found_one["id"])
    return found


def _conflict(context: StoryContext, sides: list[list[Slot]]) -> ReportConflict | None:
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
    first = sides[0][0]
    kind = "date" if first.kind == "date" else "number"
    described = next((s for side in sides for s in side if s.thing and s.head), first)
    return conflict(_about(context, described), kind, _side_values(context, sides))


def _side_values(context: StoryContext, sides: list[list[Slot]]) -> list[ConflictValue]:
    """Each article's value, side by side, in story order within a side."""
    values: list[ConflictValue] = []
    seen: set[str] = set()
    for side in sides:
        for slot in sorted(side, key=lambda s: context.position[s.article_id]):
            if slot.article_id in seen:
                continue
            seen.add(slot.article_id)
            values.append(
                conflict_value(context, slot.article_id, slot.clause, slot.shown, slot.span)
            )
    return values


def _about(context: StoryContext, slot: Slot) -> str:
    """What a conflict is about, in the article's own words where possible."""
    text = context.article(slot.article_id).text
    clause = text[slot.clause[0] : slot.clause[1]]
    head_word = surface(clause, slot.head)
    thing_word = surface(clause, slot.thing)
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
