"""Value slots: each date and quantity of a story's articles, with what it is the value of,
and when two values of different articles are values of one thing.

The slot comes from annotation (the predicate a value hangs on, the thing it counts or
dates, the clause stating it: :mod:`parallax.annotate.statements`). Slots match only on a
specific predicate or counted thing with the same context, never on "said on Tuesday",
and counts stated for different days ("38 ships on Tuesday", "64 ships by Thursday") are
never one slot: both may be right.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from parallax.compare.context import StoryContext
from parallax.compare.facts.phrases import (
    among,
    copula_thing,
    counted_words,
    inflects,
    modified_noun,
    money_kind,
    named_years,
    thing_phrase_before,
    word_before,
)
from parallax.compare.facts.words import content_words
from parallax.compare.values import Interval, date_parts, dates_agree, interval, show_quantity
from parallax.model import Article, DateItem, SlotItem
from parallax.text import GENERIC_PREDICATES

PRONOUNS = frozenset("it this that they he she which who what one".split())
_PERIOD_START = re.compile(
    r"\b(?:since|from|until|till|through|throughout)\b[\s\w-]{0,8}$", re.IGNORECASE
)
_IDENTIFIER = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]+\s+$")
_RATE = re.compile(
    r"\s*(?:a|an|per|each|every)\s+(second|minute|hour|day|night|week|month|quarter|year)\b"
    r"|\s*(daily|weekly|monthly|yearly|annually|a\s+year|a\s+day)\b",
    re.IGNORECASE,
)

CLAUSE_OVERLAP_MIN = 0.2
"""Word overlap (Jaccard) between two clauses for values with different predicates to
share a slot."""
MIN_CLAUSE_WORDS = 3
SHARED_WORDS_MIN = 3
"""Words two clauses with different predicates must share for their counts to be of one
thing ("kept seven warships, a submarine and patrol aircraft in the Gulf" / "massed nine
warships, a submarine and patrol aircraft in the Gulf")."""


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
    people: frozenset[str] = frozenset()
    """The story's people named in the value's clause (story actor ids): "Clinton's eight
    years" and "Bush's 33 years" are two counts, not one."""
    owner: str | None = None
    """For a percentage, the person it is the share of: the story person named last before
    it in its clause, close by ("Romney (26 percent)", "Trump tied for second at 17
    percent"); poll shares of different people are different slots."""
    counted: frozenset[str] = frozenset()
    """What a count counts, in words: the noun phrase written with the value and its "of"
    complement ("11 million undocumented immigrants" -> undocumented, immigrant; "63
    members of the Republican caucus" -> member, republican, caucus; "$447 billion jobs
    package" -> job, package). Empty for dates."""
    money: frozenset[str] = frozenset()
    """For money, the kind of money it is, in words, from its "in" complement ("$750,000
    in campaign funds" -> campaign, fund; not "in Iowa", "in the first quarter"): two
    amounts of one kind are one slot only when they are spent, raised or cut alike."""
    among: frozenset[str] = frozenset()
    """For a percentage, the part of the population it is a share of, in words ("first
    among Tea Party supporters (at 20 percent), followed by Romney (17 percent)" -> tea,
    party, supporter): a share of a subgroup is not a share of everyone."""
    named_years: frozenset[str] = frozenset()
    """Years after the article's publication that the clause writes as a modifier ("in
    the 2012 GOP primary field"): they name the upcoming thing counted, not the moment of
    the count, so they are not among :attr:`dates`."""
    near_years: frozenset[str] = frozenset()
    """The years of every calendar date written in the value's sentence or the one
    before ("a poll of potential 2012 Republican candidates. In the poll, ...")."""
    names: frozenset[str] = frozenset()
    """The words of the story's people's names as the clause writes them ("Mitt Romney
    leads the pack" -> mitt, romney)."""
    modified: str | None = None
    """For a date whose parse found no thing, the noun written just before its predicate
    ("a special election set for June 28" -> election): what the predicate modifies."""
    verb: str | None = None
    """The word written just before the value, lower case ("accused of spending
    $750,000" -> spending): the value's own verb when the parse hung it on another."""
    year_written: bool = True
    """Whether a date's year is written ("June 25, 2013") rather than inferred from the
    publication date and the tense ("June 25")."""


@dataclass(frozen=True)
class _Reading:
    """What a value says, apart from where it stands: the part of a slot in which a date
    and a quantity differ."""

    value: str
    shown: str
    number: float | None = None
    qualifier: str | None = None
    unit: str | None = None
    bounds: Interval | None = None
    rate: str | None = None


def slots_of(context: StoryContext) -> list[Slot]:
    """Every date and quantity slot of the story's articles (annotation ``slots``)."""
    return [slot for source in context.sources for slot in _article_slots(context, source.article)]


def _article_slots(context: StoryContext, article: Article) -> list[Slot]:
    """The slots of one article whose value annotation knows (a year is not a count)."""
    annotations = article.annotations
    values: dict[tuple[str, int, int], Mapping[str, Any]] = {}
    for date in annotations["dates"]:
        values[("date", date["span"][0], date["span"][1])] = date
    for quantity in annotations["quantities"]:
        values[("quantity", quantity["span"][0], quantity["span"][1])] = quantity
    day_dates = _day_dates(annotations["dates"])
    persons = _persons(context, article)
    found: list[Slot] = []
    for raw in annotations.get("slots", []):
        kind, start, end = raw.get("kind", ""), raw["span"][0], raw["span"][1]
        if kind == "quantity" and ("date", start, end) in values:
            continue  # "1965" is a year, not a count
        item = values.get((kind, start, end))
        if item is None:
            continue
        slot = _slot(context, article, raw, item, day_dates, persons)
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
    article: Article,
    raw: SlotItem,
    item: Mapping[str, Any],
    day_dates: list[tuple[int, str]],
    persons: Sequence[_Person],
) -> Slot | None:
    """The slot of one value, or None when the value is too weak to set against another
    outlet's (see :func:`_date_reading`, :func:`_quantity_reading`)."""
    text = article.text
    span = (raw["span"][0], raw["span"][1])
    is_date = raw["kind"] == "date"
    reading = _date_reading(item) if is_date else _quantity_reading(text, span, item)
    if reading is None:
        return None
    clause = (raw["clause"][0], raw["clause"][1])
    head, thing = raw.get("head"), raw.get("thing")
    if head == "be" and thing and (reading.unit or "").isupper():
        head, thing = thing, copula_thing(text, clause[0], span[0], thing)
    words = frozenset(content_words(text[clause[0] : clause[1]]))
    if is_date:
        words |= thing_phrase_before(text, clause[0], thing)
    sentence = context.sentence_at(article.id, *span)
    dates = _clause_dates(text, span, clause, day_dates)
    named = named_years(text, dates, day_dates, clause, article.published_at)
    share = reading.unit == "percent"
    return Slot(
        article.id,
        raw["kind"],
        span,
        clause,
        head,
        thing,
        value=reading.value,
        number=reading.number,
        qualifier=reading.qualifier,
        unit=reading.unit,
        shown=reading.shown,
        sentence=sentence,
        words=words - frozenset(content_words(text[span[0] : span[1]])),
        dates=dates - named,
        published=article.published_at,
        bounds=reading.bounds,
        rate=reading.rate,
        people=_people_in(persons, clause),
        names=_names_in(text, persons, clause),
        owner=_owner(persons, span, clause) if share else None,
        counted=frozenset() if is_date else counted_words(text, span, thing),
        money=money_kind(text, span) if (reading.unit or "").isupper() else frozenset(),
        among=among(text, span, sentence) if share else frozenset(),
        named_years=frozenset(value[:4] for value in named),
        near_years=_near_years(context, article.id, sentence, day_dates),
        verb=word_before(text, span[0]),
        modified=modified_noun(text, clause, head) if is_date and not thing else None,
        year_written=bool(_YEAR_WRITTEN.search(text[span[0] : span[1]])),
    )


OWNER_CHARS = 80
"""How close before a percentage its person must be named to be whose share it is."""


_Person = tuple[int, int, str]
"""Where an article names one of the story's people: start, end, story actor id."""


def _persons(context: StoryContext, article: Article) -> list[_Person]:
    """The article's mentions of the story's people, resolved once, in text order."""
    found = []
    for mention in article.annotations["mentions"]:
        actor = context.story_actor(article.id, mention["actor"])
        if actor is not None and context.actor_kinds.get(actor) == "person":
            found.append((mention["span"][0], mention["span"][1], actor))
    return sorted(found)


def _people_in(persons: Sequence[_Person], clause: tuple[int, int]) -> frozenset[str]:
    """The story's people that the clause mentions."""
    inside = persons[bisect.bisect_left(persons, (clause[0],)) : _before(persons, clause[1])]
    return frozenset(actor for _, end, actor in inside if end <= clause[1])


def _names_in(text: str, persons: Sequence[_Person], clause: tuple[int, int]) -> frozenset[str]:
    """The words of the story's people's names that the clause writes."""
    inside = persons[bisect.bisect_left(persons, (clause[0],)) : _before(persons, clause[1])]
    return frozenset(
        word
        for start, end, _ in inside
        if end <= clause[1]
        for word in content_words(text[start:end])
    )


def _owner(
    persons: Sequence[_Person], span: tuple[int, int], clause: tuple[int, int]
) -> str | None:
    """The story person named last before a value, in its clause and close by."""
    start = max(clause[0], span[0] - OWNER_CHARS)
    near = persons[bisect.bisect_left(persons, (start,)) : _before(persons, span[0])]
    before = [actor for _, end, actor in near if end <= span[0]]
    return before[-1] if before else None


def _before(persons: Sequence[_Person], at: int) -> int:
    """The index of the first person named at ``at`` or later."""
    return bisect.bisect_left(persons, (at,))


def _near_years(
    context: StoryContext,
    article_id: str,
    sentence: tuple[int, int],
    day_dates: Sequence[tuple[int, str]],
) -> frozenset[str]:
    """The years of the dates written in the value's sentence and the one before it."""
    spans = context.sentences(article_id)
    i = bisect.bisect_right(spans, (sentence[0], 1 << 60)) - 1
    start = spans[i - 1][0] if i > 0 else sentence[0]
    return frozenset(value[:4] for at, value in day_dates if start <= at < sentence[1])


def _clause_dates(
    text: str, span: tuple[int, int], clause: tuple[int, int], day_dates: list[tuple[int, str]]
) -> frozenset[str]:
    """The calendar dates of a value's clause other than the value, leaving out where a
    period starts ("since mid-September"): the moment the value is stated for."""
    return frozenset(
        value
        for at, value in day_dates
        if clause[0] <= at < clause[1]
        and at != span[0]
        and not _PERIOD_START.search(text, max(0, at - 16), at)
    )


def _date_reading(item: Mapping[str, Any]) -> _Reading | None:
    value = item.get("value")
    if date_parts(value) is None or not _explicit_date(item.get("text", "")):
        return None
    return _Reading(value=str(value), shown=str(value))


def _quantity_reading(text: str, span: tuple[int, int], item: Mapping[str, Any]) -> _Reading | None:
    """A count as written, or None for a name ("Terminal 3", "Flight 17") and a bare
    lower bound ("at least three"), which no other figure contradicts."""
    number, qualifier, unit = item.get("value"), item.get("qualifier"), item.get("unit")
    if _IDENTIFIER.search(text, max(0, span[0] - 40), span[0]) and not unit:
        return None
    if number is None or (qualifier in ("at least",) and unit is None):
        return None
    rate = _RATE.match(text, span[1])
    return _Reading(
        value=f"{float(number):g}",
        shown=show_quantity(float(number), qualifier, unit),
        number=float(number),
        qualifier=qualifier,
        unit=unit,
        bounds=interval(float(number), qualifier),
        rate=(rate.group(1) or rate.group(2)).lower() if rate else None,
    )


def _explicit_date(text: str) -> bool:
    """A date written with a month or digits ("Sept. 6", "2025-09-05"), not "on Sunday":
    relative dates depend on when each outlet published, too weak to accuse anyone."""
    return bool(re.search(r"\d", text)) and not re.fullmatch(r"\W*\d{1,2}\W*", text)


def same_slot(a: Slot, b: Slot) -> bool:
    """Whether two values (of different articles) are values of one thing."""
    if a.kind != b.kind:
        return False
    if a.kind == "quantity" and not _same_unit(a, b):
        return False
    if a.kind == "quantity" and not _same_time(a, b):
        return False  # counts for different days may both be right: they changed
    if a.among != b.among and not _same_population(a, b):
        return False  # a share of Tea Party supporters is not a share of all voters
    if a.rate != b.rate:
        return False  # "13 million a day" is not "140 million"
    if a.kind == "date":
        return _same_dated(a, b)
    return _same_counted(a, b)


def _same_dated(a: Slot, b: Slot) -> bool:
    """Dates of one happening: the same specific predicate and no two different things
    ("the sentencing was set for" / "the judge set the sentencing for": the other's thing
    is in the clause), or the same dated thing where one predicate is unknown ("the June
    25 special election" / "the election slated for June 28")."""
    if a.people and b.people and a.people.isdisjoint(b.people):
        return False  # different people's dates ("Smith's hearing", "Jones's hearing")
    things = _dated_thing(a, b), _dated_thing(b, a)
    heads = specific_head(a), specific_head(b)
    if heads[0] is not None and heads[0] == heads[1]:
        if None in things or things[0] == things[1]:
            return True
        return things[0] in b.words or things[1] in a.words
    if things[0] is None or things[0] != things[1] or None not in heads:
        return False
    return bool((a.words & b.words) - {things[0]})  # "the special election", not any election


def _dated_thing(a: Slot, b: Slot) -> str | None:
    """What a date dates, or, when the parse found no thing, the noun its predicate
    modifies if that is the other's thing ("a special election set for June 28" against
    "the June 25 special election"; not "his win in a special election in 2010")."""
    thing = specific_thing(a)
    if thing is None and a.modified is not None and a.modified == specific_thing(b):
        return a.modified
    return thing


def _same_population(a: Slot, b: Slot) -> bool:
    """Whether two shares, one at least of a subgroup ("among Tea Party supporters"), are
    of one population: the other's subgroup or "of" complement says it too."""
    unit = {(a.unit or "").lower(), (b.unit or "").lower()}
    return bool(((a.among or a.counted) & (b.among or b.counted)) - unit)


def _same_counted(a: Slot, b: Slot) -> bool:
    """Counts of one thing: the same counted noun phrase, or the same thing with the same
    predicate, or with clauses that say enough in common."""
    if a.people and b.people and a.people.isdisjoint(b.people):
        return False  # whose count it is differs: two counts
    if a.owner is not None and b.owner is not None:
        return a.owner == b.owner and not _apart(_share_of(a), _share_of(b))  # poll shares
    if _same_phrase(a, b):
        return True
    heads = _heads(a, b)
    if a.money & b.money and heads[0] is not None and heads[0] == heads[1]:
        return True  # "spent $1.1 million in campaign cash" / "spending $750,000 in campaign funds"
    overlap = _jaccard(a.words, b.words)
    things = specific_thing(a), specific_thing(b)
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


def _share_of(slot: Slot) -> frozenset[str]:
    """What a person's share is a share of, in words: what it counts and the thing it is
    given to unless that is a name ("Obama's approval rating is 45 percent" -> rating;
    "Obama won 51 percent of the vote" -> vote; "Romney leads with 21 percent" ->
    nothing said)."""
    thing = specific_thing(slot)
    if thing is None or thing in slot.names:
        return slot.counted
    return slot.counted | {thing}


def _apart(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two descriptions of what is counted that have nothing in common."""
    return bool(a) and bool(b) and a.isdisjoint(b)


def _same_phrase(a: Slot, b: Slot) -> bool:
    """The same counted noun phrase ("undocumented immigrants", "members of the ...
    caucus", "jobs package" / "job-creation plan"): a word in common besides the unit,
    and, for money and percentages (which count no noun), predicates that do not
    differ."""
    unit = (a.unit or "").lower()
    shared = (a.counted & b.counted) - {unit}
    if not shared:
        return False
    if (a.unit or "").isupper() or unit in ("percent", "%"):
        heads = _heads(a, b)
        return None in heads or heads[0] == heads[1]
    return True


def _heads(a: Slot, b: Slot) -> tuple[str | None, str | None]:
    """The specific predicates of two values, one read as the other's when it is the
    verb written right before the other's value: "he spent $1.1 million" and "was
    accused of spending $750,000" (parsed as hanging on "accused") both spend."""
    heads = specific_head(a), specific_head(b)
    if heads[0] is None or heads[1] is None or heads[0] == heads[1]:
        return heads
    if inflects(b.verb, heads[0]) or inflects(a.verb, heads[1]):
        return heads[0], heads[0]
    return heads


def _same_time(a: Slot, b: Slot) -> bool:
    """Whether two values can be about the same moment: the dates their clauses give
    agree, or one gives none and the other's date is its publication day (give or take
    a day); an upcoming thing named by its year ("the 2012 GOP primary field") is the
    same in both, the other giving that year close by."""
    if not (_years_named(a, b) and _years_named(b, a)):
        return False
    if a.dates and b.dates:
        return any(dates_agree(x, y) for x in a.dates for y in b.dates)
    dated, other = (a, b) if a.dates else (b, a)
    if not dated.dates:
        return True
    return any(_near(value, other.published) for value in dated.dates)


def _years_named(a: Slot, b: Slot) -> bool:
    """Whether every year ``a`` names its thing by is in ``b``'s clause or near it."""
    return a.named_years <= (b.named_years | b.near_years)


def _near(value: str, published: str | None, days: int = 1) -> bool:
    if not published:
        return False
    parts = date_parts(value)
    day = date_parts(published[:10])
    if parts is None or day is None or len(day) < 3:
        return False
    if len(parts) < 3:
        return dates_agree(value, published[:10])
    gap = datetime.date(*map(int, parts)) - datetime.date(*map(int, day))
    return abs(gap.days) <= days


def _same_unit(a: Slot, b: Slot) -> bool:
    ua, ub = (a.unit or "").lower(), (b.unit or "").lower()
    return ua == ub or {ua, ub} <= {"percent", "%"}


def specific_thing(slot: Slot) -> str | None:
    """The thing a value counts or dates, unless a pronoun stands for it."""
    thing = slot.thing
    return None if thing is None or thing in PRONOUNS else thing


def _a_year_apart(a: str, b: str) -> bool:
    pa, pb = date_parts(a), date_parts(b)
    if pa is None or pb is None or len(pa) < 2 or pa[1:] != pb[1:]:
        return False
    return abs(int(pa[0]) - int(pb[0])) == 1


def specific_head(slot: Slot) -> str | None:
    """The predicate a value hangs on, unless it is one that says nothing ("said")."""
    head = slot.head
    return None if head is None or head in GENERIC_PREDICATES else head


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Word overlap of two clauses; 0 when either is too short to say anything."""
    if min(len(a), len(b)) < MIN_CLAUSE_WORDS:
        return 0.0
    return len(a & b) / len(a | b)


_YEAR_WRITTEN = re.compile(r"\b(?:1[6-9]|2[01])\d\d\b|'\d\d\b")


def agree(a: Slot, b: Slot) -> bool:
    """Whether two values of one slot can both be right (see :mod:`values`). Two dates a
    year apart on the same day, one of whose years is inferred, are not set against each
    other: the year was guessed from the tense, and two outlets' tenses may differ."""
    if a.kind == "date":
        if not (a.year_written and b.year_written) and _a_year_apart(a.value, b.value):
            return True
        return dates_agree(a.value, b.value)
    assert a.bounds is not None and b.bounds is not None
    return a.bounds.overlaps(b.bounds)
