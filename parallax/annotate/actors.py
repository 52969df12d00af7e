"""Actors: the article's named entities turned into canonical actors, with every mention.

The statistical NER is right about *where* names are far more often than about *what*
they are, and it knows nothing about the rest of the document. So this module takes
its spans, repairs them with what the whole article says, and only then groups them:

1. **Spans** (:func:`_candidates`): entity spans, cleaned (leading "the", titles,
   possessives), repaired ("Venezuela Nicolás Maduro" split into a place and a person,
   "U.S.-Venezuela" into two places, "Cartel" + "of the" + "Suns" joined), plus
   organisation names the model missed ("... National Peasant Union"). A span with no
   capital letter is no name: "the gulf" tagged LOC is a mention of the Gulf of Caldera.
2. **Cues** (:func:`_relabel`): the words around a name override the model's tag where
   they are clear ("ruler Tomas Ruvalle" is a person, "held in Veltrana" a place,
   "Meridian Wire" an organisation, "Veltranan" beside "Veltrana" makes it a place,
   "the fishing boat Marisol" a thing).
3. **People** (:func:`_person_clusters`): full names (two or more words, PERSON)
   grouped by surname and compatible given names ("Rick"/"Richard", "Nicolas"/"Nicolás").
4. **Everything else** (:func:`_assign`): a single name that is a known surname joins
   that person whatever the model tagged it ("Trump" as ORG); short forms join their
   full name ("U.S." → United States); the rest is grouped by folded name and its kind
   is voted over the whole document (five PERSON tags beat two ORG tags); platforms are
   organisations; a rare near-miss of a known surname with supporting context is a typo
   of it ("Grenella" → Grenell).
5. **Missed mentions** (:func:`_missed_mentions`): every later exact occurrence of a
   known alias or surname becomes a mention too.

Nationality adjectives ("Venezuelan") are mentions of the place when the place itself is
named in the article, but not aliases of it: an alias is a name. NORP words used as
nouns ("Republicans") are group actors. See docs/quality/actors.md for the choices.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from parallax.annotate import names
from parallax.model import ActorItem, MentionItem
from parallax.text import fold
from parallax.text.names import (
    GIVEN_NAME_GROUPS,
    NAME_SUFFIXES,
    given_names_match,
    is_short_given_form,
    levenshtein,
    slug,
    unique_ids,
)

ENTITY_KINDS = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "OTHER": "other",
}
KIND_ORDER = ("person", "org", "place", "group", "other")
"""Tie-break of the kind vote: a name tagged PERSON as often as ORG is a person."""

BLOCKING = frozenset({"PRODUCT", "WORK_OF_ART", "LAW", "EVENT", "LANGUAGE"})
"""Entities that are not actors; their tokens are never taken as missed mentions."""

POSSESSIVE = frozenset({"'s", "’s", "'", "’", "'S", "’S"})
DETERMINERS = frozenset({"the", "The", "THE"})
ADJECTIVE_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod"})
OFFICIAL_NAME = re.compile(
    r"^(?:.+ )?(?:republic|kingdom|state|commonwealth|federation|principality|emirate)"
    r" of (?:the )?(.+)$"
)
HONORIFICS = names.TITLES | frozenset({"mr.", "mrs.", "ms.", "dr.", "sen.", "rep.", "gov.", "gen."})
ORG_AND_GROUP_HEADS = names.ORG_HEADS | names.MEDIA_HEADS | names.GROUP_HEADS
TYPO_MIN_LENGTH = 6
LONG_NAME = 9


@dataclass
class Cand:
    """One candidate mention: a character span over whole or part of a token range."""

    start: int
    end: int
    label: str
    text: str
    first: int
    last: int
    """Token range ``[first, last)`` that the span lies in."""
    place: str | None = None
    """For a nationality adjective: the key of the place it names (not a name itself)."""

    @property
    def key(self) -> str:
        return fold(self.text)

    @property
    def words(self) -> list[str]:
        return self.text.split()


@dataclass
class Cluster:
    """A growing actor: its candidate mentions and, for people, the full-name key."""

    cands: list[Cand] = field(default_factory=list)
    kind: str | None = None
    """Forced kind (people, platforms, short forms); ``None`` means vote."""
    canonical: str | None = None
    """Forced canonical name (short forms: "U.S." -> "United States")."""
    given: str = ""
    surname: str = ""

    def names(self) -> list[Cand]:
        return [c for c in self.cands if c.place is None]


@dataclass
class DocFacts:
    """What the whole document says about names, gathered once before any decision."""

    places: dict[str, str]
    """Folded place name (surface or canonical) -> place key."""
    person_words: set[str]
    """Folded words of every PERSON entity."""
    full_name_words: set[str]
    """Folded words of PERSON entities of two or more words (surnames, given names)."""
    demonyms: dict[str, str]
    """Folded entity text that is a nationality adjective -> the place key it names."""
    derived: set[str]
    """Place keys some entity of the document derives a demonym from ("Veltranan")."""
    seen: set[str]
    """Folded text of every entity."""


# --------------------------------------------------------------------------- spans


def positions(doc: Doc, attr: str, keys: Iterable[str]) -> list[int]:
    """Indexes of the tokens whose ``attr`` (LOWER, ORTH, DEP ...) is one of ``keys``.

    Why: creating a Token object per token costs more than the rest of a pass; one
    ``to_array`` and a set test on plain integers find the few tokens worth a look.
    """
    wanted = _hashes(keys) if isinstance(keys, frozenset) else {get_string_id(k) for k in keys}
    return [i for i, value in enumerate(doc.to_array(attr).tolist()) if value in wanted]


@lru_cache(maxsize=64)
def _hashes(keys: frozenset[str]) -> frozenset[int]:
    return frozenset(get_string_id(k) for k in keys)


def _token_cand(doc: Doc, first: int, last: int, label: str) -> Cand:
    start = doc[first].idx
    end = doc[last - 1].idx + len(doc[last - 1].text)
    return Cand(start, end, label, doc[first:last].text, first, last)


def _is_possessive(token: Token) -> bool:
    return token.text in POSSESSIVE or token.tag_ == "POS"


def _trim(doc: Doc, first: int, last: int, label: str) -> tuple[int, int]:
    """Drop a leading "the", leading titles (PERSON only), trailing possessive/punctuation.

    Why: the actor is "Donald Trump" and the mention text "Maduro", not
    "President Donald Trump" or "Maduro's"; the title is left to labels.py.
    """
    while first < last - 1 and doc[first].text in DETERMINERS:
        first += 1
    while last > first + 1 and (_is_possessive(doc[last - 1]) or doc[last - 1].is_punct):
        last -= 1
    if label == "PERSON":
        while first < last - 1 and doc[first].lower_ in names.TITLE_WORDS:
            first += 1
    return first, last


def _join_of_phrases(
    doc: Doc, spans: list[tuple[int, int, str]], facts: DocFacts
) -> list[tuple[int, int, str]]:
    """Join "Cartel" + "of the" + "Suns" (two entities split around "of") into one ORG.

    Only for one capitalised word, never part of a full person's name, joined by
    "of the": "Tomás Ruvalle of Veltrana" and "Maduro of Venezuela" stay apart.
    """
    joined: list[tuple[int, int, str]] = []
    i = 0
    while i < len(spans):
        first, last, label = spans[i]
        if i + 1 < len(spans) and label in ("PERSON", "ORG") and spans[i + 1][0] - last == 2:
            nxt = spans[i + 1]
            between = [t.lower_ for t in doc[last : nxt[0]]]
            head = fold(doc[first:last].text)
            if (
                between == ["of", "the"]
                and nxt[2] in ("ORG", "GPE", "LOC")
                and last - first == 1
                and head not in facts.full_name_words
                and doc[first].is_title
            ):
                joined.append((first, nxt[1], "ORG"))
                i += 2
                continue
        joined.append((first, last, label))
        i += 1
    return joined


def _place_key(text: str, places: dict[str, str] | None = None) -> str:
    """The grouping key of a place or short-form name: "U.S." and "US" -> "united states"."""
    key = fold(text)
    short = names.SHORT_FORMS.get(key)
    if short is not None:
        return fold(short[0])
    match = OFFICIAL_NAME.match(key)
    if match and places is not None and match.group(1) in places:
        return places[match.group(1)]
    return key


def _doc_facts(doc: Doc, ents: Sequence[Span]) -> DocFacts:
    """The places named, the words of person names and the nationality adjectives,
    gathered from every entity before any decision."""
    places: dict[str, str] = {}
    person_words: set[str] = set()
    full_name_words: set[str] = set()
    seen: set[str] = set()
    for ent in ents:
        label = ent.label_
        if label not in ENTITY_KINDS:
            continue
        first, last = _trim(doc, ent.start, ent.end, label)
        text = doc[first:last].text
        if not _is_name(text):
            continue
        seen.add(fold(text))
        if label in ("GPE", "LOC"):
            places[fold(text)] = _place_key(text)
            short = names.SHORT_FORMS.get(fold(text))
            if short is not None:
                places[fold(short[0])] = fold(short[0])
        elif label == "PERSON":
            words = set(fold(text).split())
            person_words |= words
            if last - first >= 2:
                full_name_words |= words
    demonyms = names.derived_demonyms(seen)
    for place in demonyms.values():
        places.setdefault(place, place)
    derived = set(demonyms.values())
    return DocFacts(places, person_words, full_name_words, demonyms, derived, seen)


def _split_place_person(doc: Doc, cand: Cand, facts: DocFacts) -> list[Cand] | None:
    """Split "Venezuela Nicolás Maduro" (one ORG) into the place and the person.

    The split point is where a prefix is a place named elsewhere and the rest is
    capitalised and ends in a word of a full person's name seen elsewhere.
    """
    tokens = doc[cand.first : cand.last]
    for k in range(1, len(tokens)):
        head, rest = tokens[:k], tokens[k:]
        if fold(head.text) not in facts.places:
            continue
        if cand.label == "PERSON" and len(rest) == 1:
            return None
        if all(t.is_title for t in rest) and fold(rest[-1].text) in facts.person_words:
            place = _token_cand(doc, cand.first, cand.first + k, "GPE")
            person = _token_cand(doc, cand.first + k, cand.last, "PERSON")
            return [place, person]
    return None


def _split_possessive(doc: Doc, cand: Cand, facts: DocFacts) -> list[Cand] | None:
    """Split "United Nations’ World Drug Report" into owner and owned at the inner "’",
    when the owner is a name in its own right (a short form, or an entity elsewhere):
    "Salvenne Dockworkers’ Union" is one name."""
    for i in range(cand.first + 1, cand.last - 1):
        if not _is_possessive(doc[i]):
            continue
        owner = _token_cand(doc, cand.first, i, cand.label)
        if owner.key not in names.SHORT_FORMS and owner.key not in facts.seen:
            return None
        if not doc[i + 1].is_title:
            return None
        owned = _token_cand(doc, i + 1, cand.last, cand.label)
        short = names.SHORT_FORMS.get(owner.key)
        if short is not None:
            owner.label = "ORG" if short[1] == "org" else "GPE"
        return [owner, owned]
    return None


def _split_hyphenated(cand: Cand, facts: DocFacts) -> list[Cand] | None:
    """Split "U.S.-Venezuela" (tagged PERSON) into the two places it joins."""
    if "-" not in cand.text:
        return None
    parts = cand.text.split("-")
    if len(parts) < 2 or not all(_is_place_name(p, facts) for p in parts):
        return None
    out: list[Cand] = []
    offset = cand.start
    for part in parts:
        out.append(Cand(offset, offset + len(part), "GPE", part, cand.first, cand.last))
        offset += len(part) + 1
    return out


def _is_place_name(text: str, facts: DocFacts) -> bool:
    key = fold(text)
    short = names.SHORT_FORMS.get(key)
    return (
        key in facts.places or key in names.COUNTRIES or (short is not None and short[1] == "place")
    )


def _repair(doc: Doc, cand: Cand, facts: DocFacts) -> list[Cand]:
    """One entity span -> the candidate mentions it really holds (usually itself)."""
    for split in (
        _split_hyphenated(cand, facts),
        _split_place_person(doc, cand, facts) if cand.last - cand.first >= 2 else None,
        _split_possessive(doc, cand, facts) if cand.last - cand.first >= 3 else None,
    ):
        if split is not None:
            return split
    return [cand]


def _nationality(doc: Doc, cand: Cand, facts: DocFacts) -> Cand | None:
    """A NORP span: a group actor when used as a noun, else a mention of the place it
    names (when that place is named in the article), else nothing."""
    head = doc[cand.last - 1]
    after = doc[cand.last] if cand.last < len(doc) else None
    modifies = after is not None and after.pos_ in ("NOUN", "PROPN", "ADJ")
    adjective = head.pos_ == "ADJ" or head.dep_ in ADJECTIVE_DEPS or modifies
    if head.tag_ in ("NNS", "NNPS") or not adjective:
        cand.label = "NORP"
        return cand
    place = facts.demonyms.get(cand.key) or names.place_of_demonym(cand.text, facts.places)
    if place is None:
        return None
    cand.place = place
    return cand


def _is_name(text: str) -> bool:
    """A name has a capital letter: the model tags common nouns too ("the gulf" as LOC)."""
    return any(c.isupper() for c in text)


def _described_place(cand: Cand, facts: DocFacts) -> Cand | None:
    """A lower-case place entity ("the gulf") is a description, not a name: a mention of
    the one place the article names with those words ("Gulf of Caldera"), not an alias;
    with no such place, or several, nothing."""
    if cand.label not in ("GPE", "LOC", "FAC"):
        return None
    words = set(cand.key.split())
    places = {
        key for name, key in facts.places.items() if name != cand.key and words <= set(name.split())
    }
    if len(places) != 1:
        return None
    cand.place = places.pop()
    return cand


def _missed_organisations(doc: Doc, covered: bytearray) -> list[Cand]:
    """Capitalised runs the model missed that end in an organisation head ("the Ezequiel
    Zamora National Peasant Union", "(Meridian Wire)") or come before a group head
    ("the Red Current gang")."""
    found: list[Cand] = []
    for i in positions(doc, "LOWER", ORG_AND_GROUP_HEADS):
        token = doc[i]
        if covered[i] or i == 0:
            continue
        word = token.lower_
        if token.is_title and (word in names.ORG_HEADS or word in names.MEDIA_HEADS):
            first = _title_run_start(doc, token.i, covered)
            if token.i - first >= 1:
                found.append(_token_cand(doc, first, token.i + 1, "ORG"))
        elif token.is_lower and word in names.GROUP_HEADS:
            first = _title_run_start(doc, token.i, covered)
            if first < token.i:
                found.append(_token_cand(doc, first, token.i, "ORG"))
    return found


def _title_run_start(doc: Doc, end: int, covered: bytearray) -> int:
    """Start of the run of uncovered capitalised proper nouns just before ``end``."""
    first = end
    while first > 0 and not covered[first - 1] and doc[first - 1].is_title:
        if doc[first - 1].pos_ != "PROPN":
            break
        first -= 1
    return first


def _completes_title(doc: Doc, cand: Cand) -> bool:
    """A title's last word ("State" in "Secretary of State", tagged ORG) is no actor."""
    if cand.label != "ORG" or cand.last - cand.first != 1 or cand.first < 2:
        return False
    return doc[cand.first - 1].lower_ == "of" and doc[cand.first - 2].lower_ in names.TITLES


def _headline_trim(doc: Doc, first: int, last: int, facts: DocFacts) -> int:
    """End of an entity in a title-case headline cut back to a name the article tags on
    its own elsewhere: "Lindsay Lohan Check" -> "Lindsay Lohan"."""
    if last - first < 2:
        return last
    for end in range(last - 1, first, -1):
        if fold(doc[first:end].text) in facts.seen:
            return end if _in_headline(doc, first) else last
    return last


def _in_headline(doc: Doc, i: int) -> bool:
    """A sentence written in title case (most of its words capitalised)."""
    words = [t for t in doc[i].sent if t.is_alpha]
    capitals = sum(t.is_title or t.is_upper for t in words)
    return len(words) >= 3 and capitals >= 0.6 * len(words)


def _entity_spans(doc: Doc, ents: Sequence[Span], covered: bytearray) -> list[tuple[int, int, str]]:
    """The model's actor entities as token ranges; non-actor entities mark ``covered``.

    Two repairs: a "work of art" ending in an organisation word is an organisation
    ("The Salvenne Dockworkers’ Union"), and a possessive name takes the building after
    it ("St. Aldric’s" + "church").
    """
    spans: list[tuple[int, int, str]] = []
    for ent in ents:
        label = ent.label_
        if label in BLOCKING:
            if len(ent) >= 2 and fold(ent[-1].text) in names.ORG_HEADS | names.MEDIA_HEADS:
                label = "ORG"
            else:
                covered[ent.start : ent.end] = b"\x01" * (ent.end - ent.start)
                continue
        if label in ENTITY_KINDS:
            for first, last in _lines(ent):
                spans.append((first, _building_end(doc, last), label))
    return spans


def _lines(ent: Span) -> list[tuple[int, int]]:
    """An entity cut at line breaks: a headline's last word and the next line's first
    ("Teixeira\nBoston") are two names."""
    if "\n" not in ent.text:
        return [(ent.start, ent.end)]
    parts: list[tuple[int, int]] = []
    first = ent.start
    for token in ent:
        if "\n" in token.text or "\n" in token.whitespace_:
            last = token.i if token.is_space else token.i + 1
            if last > first:
                parts.append((first, last))
            first = token.i + 1
    if ent.end > first:
        parts.append((first, ent.end))
    return parts


def _building_end(doc: Doc, end: int) -> int:
    """End of "St. Aldric's" + "church" / "bell tower": up to three lower-case nouns
    after a possessive name, the last a building."""
    if not _is_possessive(doc[end - 1]):
        return end
    for i in range(end, min(end + 3, len(doc))):
        if not doc[i].is_lower or doc[i].pos_ != "NOUN":
            break
        if doc[i].lower_ in names.BUILDINGS:
            return i + 1
    return end


def _candidates(doc: Doc, ents: Sequence[Span], facts: DocFacts) -> tuple[list[Cand], bytearray]:
    """Every candidate mention in document order, and the tokens they (or non-actor
    entities) cover."""
    covered = bytearray(len(doc))
    cands: list[Cand] = []
    for first, last, label in _join_of_phrases(doc, _entity_spans(doc, ents, covered), facts):
        first, last = _trim(doc, first, last, label)
        last = _headline_trim(doc, first, last, facts)
        cand = _token_cand(doc, first, last, label)
        covered[first:last] = b"\x01" * (last - first)
        if not _is_name(cand.text):
            described = _described_place(cand, facts)
            if described is not None:
                cands.append(described)
            continue
        if label == "NORP" or cand.key in facts.demonyms:
            norp = _nationality(doc, cand, facts)
            if norp is not None:
                cands.append(norp)
            continue
        if not _completes_title(doc, cand):
            cands.extend(_repair(doc, cand, facts))
    cands.extend(_missed_organisations(doc, covered))
    for cand in cands:
        covered[cand.first : cand.last] = b"\x01" * (cand.last - cand.first)
    cands.sort(key=lambda c: c.start)
    return cands, covered


# --------------------------------------------------------------------------- cues


def _cue(doc: Doc, cand: Cand, facts: DocFacts) -> str | None:
    """The label the text around a span gives it, overriding the model's tag.

    The small model tags unfamiliar names at random ("Orsland" PERSON, "Tomas Ruvalle"
    GPE); the words around a name and the name's own shape are steadier evidence.
    """
    words = cand.words
    key = cand.key
    short = names.SHORT_FORMS.get(key)
    if key in names.COUNTRIES or (short is not None and short[1] == "place"):
        return "GPE"
    if _vessel_context(doc, cand):
        return "OTHER"
    if len(words) >= 2 and fold(words[-1]) in names.ORG_HEADS | names.MEDIA_HEADS:
        return "ORG"
    if len(words) >= 2 and fold(words[0]) in names.PLACE_PREFIXES:
        return "GPE"
    if key in facts.derived or _place_context(doc, cand):
        return "GPE"
    if _person_context(doc, cand):
        return "PERSON"
    if cand.label == "PERSON" and _named_thing(doc, cand):
        return "OTHER"
    if len(words) >= 2 and fold(words[0]) in GIVEN_NAME_GROUPS:
        return "PERSON"
    if len(words) == 1 and key.endswith(names.PLACE_SUFFIXES) and key not in facts.full_name_words:
        return "GPE"
    return None


def _place_context(doc: Doc, cand: Cand) -> bool:
    """Place evidence: "Orsland's navy", "the mayor of Veyra", "east of Veyra"; and for
    a name tagged PERSON, "held in Veltrana" (people are not "in" someone)."""
    i = cand.last
    if i + 1 < len(doc) and doc[i].text in POSSESSIVE and doc[i + 1].lower_ in names.PLACE_OWNED:
        return True
    of = cand.first - 1
    if of >= 1 and doc[of].lower_ == "of" and doc[of - 1].lower_ in names.PLACE_OF:
        return True
    if cand.label != "PERSON" or cand.first == 0:
        return False
    possessed = i < len(doc) and doc[i].text in POSSESSIVE
    return doc[cand.first - 1].lower_ in names.PLACE_PREPOSITIONS and not possessed


def _person_context(doc: Doc, cand: Cand) -> bool:
    """A role or honorific right before ("ruler Tomas Ruvalle", "President Maduro"), a
    regime after ("the Maduro regime"), or a person-role apposition after ("Maduro,
    the Venezuelan leader")."""
    before = doc[cand.first - 1] if cand.first > 0 else None
    if (
        before is not None
        and before.tag_ in ("NN", "NNP")
        and (before.lower_ in names.PERSON_ROLES or before.lower_ in HONORIFICS)
    ):
        return True
    i = cand.last
    if i < len(doc) and doc[i].text in POSSESSIVE:
        i += 1
    if i < len(doc) and doc[i].lower_ in names.REGIME_NOUNS:
        return True
    if i + 2 < len(doc) and doc[i].text == "," and doc[i + 1].lower_ in ("the", "a", "an"):
        for token in doc[i + 2 : i + 6]:
            if token.lower_ in names.PERSON_ROLES and token.tag_ == "NN":
                return True
            if token.pos_ not in ("ADJ", "NOUN", "PROPN"):
                break
    return False


def _vessel_context(doc: Doc, cand: Cand) -> bool:
    """A vessel's name: after a craft noun ("the fishing boat Marisol"), after "aboard"
    or "on board" ("aboard the Marisol"), or after a part of a vessel and "of the" ("the
    crew of the Marisol")."""
    i = cand.first
    if i >= 1 and doc[i - 1].lower_ in names.VESSEL_NOUNS and doc[i - 1].is_lower:
        return True
    if i >= 1 and doc[i - 1].lower_ == "the":
        i -= 1
        if i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in names.VESSEL_PARTS:
            return True
    before = [t.lower_ for t in doc[max(0, i - 2) : i]]
    return before[-1:] == ["aboard"] or before == ["on", "board"]


def _named_thing(doc: Doc, cand: Cand) -> bool:
    """A thing, not a person: a one-word name heading a "the" phrase ("the Marisol") is a thing
    (a ship, a building), not a person."""
    if len(cand.words) != 1 or cand.first == 0 or doc[cand.first - 1].lower_ != "the":
        return False
    after = doc[cand.last] if cand.last < len(doc) else None
    return after is None or after.pos_ not in ("NOUN", "PROPN", "PART")


def _relabel(doc: Doc, cands: list[Cand], facts: DocFacts) -> None:
    for cand in cands:
        if cand.place is None and cand.label != "NORP":
            cand.label = _cue(doc, cand, facts) or cand.label


# --------------------------------------------------------------------------- people


def _name_parts(cand: Cand) -> tuple[str, str]:
    """(given name, surname), folded: "Christian K. Caruzo" -> ("christian", "caruzo")."""
    words = [w for w in cand.words if fold(w) not in NAME_SUFFIXES] or cand.words
    return fold(words[0]), fold(words[-1])


def _surnames_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < TYPO_MIN_LENGTH or a[0] != b[0]:
        return False
    limit = 2 if min(len(a), len(b)) >= LONG_NAME else 1
    return levenshtein(a, b, limit + 1) <= limit


def _compatible(cluster: Cluster, given: str, surname: str) -> bool:
    """Same person: matching surnames (a one-letter slip allowed on long ones, since the
    given name also agrees) and given names that are forms of one name."""
    return _surnames_match(cluster.surname, surname) and given_names_match(cluster.given, given)


def _person_clusters(cands: list[Cand]) -> list[Cluster]:
    """Full names (PERSON, two or more words) grouped into people."""
    people: list[Cluster] = []
    for cand in cands:
        if cand.label != "PERSON" or len(cand.words) < 2 or cand.key in names.PLATFORMS:
            continue
        given, surname = _name_parts(cand)
        match = next((p for p in people if _compatible(p, given, surname)), None)
        if match is None:
            people.append(Cluster([cand], "person", None, given, surname))
        else:
            match.cands.append(cand)
    return people


def _nearest(clusters: list[Cluster], cand: Cand) -> Cluster:
    """Of several people with one surname, the one named in full most often before
    ``cand``, then the one introduced first: news names the main "Feldt" first and
    keeps the given name for the others ("his sister Anna Feldt")."""

    def rank(person: Cluster) -> tuple[int, int]:
        before = [c.start for c in person.cands if c.start < cand.start]
        return (len(before), -min(c.start for c in person.cands))

    return max(clusters, key=rank)


# --------------------------------------------------------------------------- assignment


def _short_form_cluster(cand: Cand, generic: dict[str, Cluster]) -> bool:
    """Well-known short forms and their full names go to one fixed actor."""
    short = names.SHORT_FORMS.get(cand.key)
    if short is None:
        return False
    key = fold(short[0])
    cluster = generic.setdefault(key, Cluster(kind=short[1], canonical=short[0]))
    cluster.cands.append(cand)
    return True


def _acronym_key(cand: Cand, generic: dict[str, Cluster]) -> str | None:
    """An all-capitals word that spells a longer organisation's initials joins it."""
    text = cand.text.replace(".", "")
    if len(text) < 2 or not text.isupper() or " " in text:
        return None
    for key, cluster in generic.items():
        for other in cluster.names():
            initials = "".join(w[0] for w in other.words if w[:1].isupper())
            if len(other.words) >= 2 and initials == text:
                return key
    return None


def _assign(cands: list[Cand], people: list[Cluster], facts: DocFacts) -> list[Cluster]:
    """Every candidate into a person or a generic cluster (see the module docstring)."""
    in_people = {id(c) for person in people for c in person.cands}
    by_surname: dict[str, list[Cluster]] = {}
    by_given: dict[str, list[Cluster]] = {}
    for person in people:
        by_surname.setdefault(person.surname, []).append(person)
        by_given.setdefault(person.given, []).append(person)
    generic: dict[str, Cluster] = {}
    for cand in cands:
        if id(cand) in in_people:
            continue
        if cand.place is not None:
            generic.setdefault(cand.place, Cluster(kind="place")).cands.append(cand)
            continue
        if cand.key in names.PLATFORMS:
            generic.setdefault(cand.key, Cluster(kind="org")).cands.append(cand)
            continue
        if _short_form_cluster(cand, generic):
            continue
        match = _person_for(cand, by_surname, people) or _by_given_name(cand, by_given)
        if match is not None:
            match.cands.append(cand)
            continue
        key = _acronym_key(cand, generic) or _place_key(cand.text, facts.places)
        kind = "place" if key in facts.derived else None
        generic.setdefault(key, Cluster(kind=kind)).cands.append(cand)
    _join_place_prefixed(generic, facts)
    return people + list(generic.values())


def _join_place_prefixed(generic: dict[str, Cluster], facts: DocFacts) -> None:
    """ "Red Sox" joins "Boston Red Sox": an organisation named again without the place
    that starts its full name."""
    for key in [k for k in generic if " " in k]:
        words = key.split()
        for i in range(1, len(words)):
            prefix, rest = " ".join(words[:i]), " ".join(words[i:])
            shorter = generic.get(rest)
            if prefix not in facts.places or shorter is None or shorter.kind is not None:
                continue
            if all(c.label == "ORG" for c in shorter.names()):
                generic[key].cands.extend(shorter.cands)
                del generic[rest]
                break


def _by_given_name(cand: Cand, by_given: dict[str, list[Cluster]]) -> Cluster | None:
    """A lone given name tagged PERSON ("Lindsay") is the one person of that name."""
    if cand.label != "PERSON" or len(cand.words) != 1:
        return None
    clusters = by_given.get(cand.key, [])
    return clusters[0] if len(clusters) == 1 else None


def _person_for(
    cand: Cand, by_surname: dict[str, list[Cluster]], people: list[Cluster]
) -> Cluster | None:
    """The person a non-full-name span belongs to: a bare surname whatever its tag
    ("Rodríguez" tagged ORG), or a full name the model tagged ORG."""
    if cand.label == "NORP":
        return None
    if len(cand.words) == 1:
        clusters = by_surname.get(cand.key)
        return _nearest(clusters, cand) if clusters else None
    given, surname = _name_parts(cand)
    return next((p for p in people if _compatible(p, given, surname)), None)


def _vote_kind(cluster: Cluster, doc: Doc) -> str:
    """Kind by the whole document's tags, then the group heads ("... gang", "Cartel")."""
    if cluster.kind is not None:
        return cluster.kind
    if all(c.place is not None for c in cluster.cands):
        return "place"
    counts: Counter[str] = Counter()
    for cand in cluster.names():
        counts[ENTITY_KINDS.get(cand.label, "org")] += 1
    if counts["other"] and counts["other"] >= max(counts.values()):
        return "other"  # only a thing cue says "other": evidence, where a tag is a guess
    kind = max(KIND_ORDER, key=lambda k: (counts[k], -KIND_ORDER.index(k)))
    if kind == "org" and any(_has_group_head(doc, c) for c in cluster.names()):
        return "group"
    return kind


def _has_group_head(doc: Doc, cand: Cand) -> bool:
    after = doc[cand.last].lower_ if cand.last < len(doc) else ""
    return after in names.GROUP_HEADS or any(fold(w) in names.GROUP_HEADS for w in cand.words)


# --------------------------------------------------------------------------- typos


def _content_lemmas(doc: Doc, cand: Cand) -> set[str]:
    sent = doc[cand.first].sent
    return {
        t.lemma_.lower()
        for t in sent
        if t.is_alpha and not t.is_stop and len(t.text) >= 3 and not cand.first <= t.i < cand.last
    }


def _context_supports(doc: Doc, typo: Cluster, target: Cluster) -> bool:
    """The typo's sentence shares a content word (or a co-mentioned name) with a
    sentence naming the target: "Maduro ... through Grenella" / "Maduro ... Grenell"."""
    mine: set[str] = set()
    for cand in typo.names():
        mine |= _content_lemmas(doc, cand)
    theirs: set[str] = set()
    for cand in target.names():
        theirs |= _content_lemmas(doc, cand)
    return bool(mine & theirs)


def _merge_typos(doc: Doc, clusters: list[Cluster], kinds: list[str]) -> list[int]:
    """Indexes of clusters absorbed as typos of a person's surname ("Grenella").

    A typo is a rare one-word name (at most two mentions) one letter from a known
    surname (two for long ones), which the model tagged PERSON or whose sentence shares
    a content word or name with a sentence naming the person.
    """
    absorbed: list[int] = []
    people = [i for i, k in enumerate(kinds) if k == "person"]
    for i, cluster in enumerate(clusters):
        single = cluster.names()
        if kinds[i] not in ("person", "org") or cluster.kind is not None or not single:
            continue
        if len(single) > 2 or any(len(c.words) != 1 for c in single):
            continue
        word = single[0].key
        for j in people:
            target = clusters[j]
            if j == i or (not target.surname and len(target.cands) <= len(single)):
                continue
            surname = target.surname or _name_parts(target.names()[0])[1]
            if word == surname or not _surnames_match(word, surname):
                continue
            tagged = any(c.label == "PERSON" for c in single)
            if tagged or _context_supports(doc, cluster, target):
                target.cands.extend(cluster.cands)
                absorbed.append(i)
                break
    return absorbed


# --------------------------------------------------------------------------- missed


AliasIndex = dict[str, list[tuple[tuple[str, ...], int]]]


def _alias_index(doc: Doc, clusters: list[Cluster]) -> tuple[AliasIndex, Counter[tuple[str, ...]]]:
    """First token text -> (token texts of an alias, cluster index), longest first; and
    how often each alias was tagged. People also get their bare surname as an alias."""
    index: dict[str, set[tuple[tuple[str, ...], int]]] = {}
    tagged: Counter[tuple[str, ...]] = Counter()
    for number, cluster in enumerate(clusters):
        for cand in cluster.names():
            if doc[cand.first : cand.last].text != cand.text:
                continue
            words = tuple(t.text for t in doc[cand.first : cand.last])
            tagged[words] += 1
            index.setdefault(words[0], set()).add((words, number))
            if cluster.surname and len(words) >= 2:
                index.setdefault(words[-1], set()).add(((words[-1],), number))
    ordered = {k: sorted(v, key=lambda e: (-len(e[0]), e[1])) for k, v in index.items()}
    return ordered, tagged


def _given_name_before(doc: Doc, i: int, cluster: Cluster, covered: bytearray) -> int | None:
    """Where a found surname's mention starts: the untagged given name before it joins it
    ("Richard Grenell" missed by the model), and a different given name before it
    ("Anna" before "Feldt" of Jonah Feldt) means it is someone else (``None``)."""
    if not cluster.surname or i == 0 or covered[i - 1]:
        return i
    before = doc[i - 1]
    if not before.is_title or before.pos_ != "PROPN" or before.lower_ in names.TITLE_WORDS:
        return i
    return i - 1 if given_names_match(before.text, cluster.given) else None


def _missed_mentions(doc: Doc, clusters: list[Cluster], covered: bytearray) -> None:
    """Every exact later occurrence of a known alias the model did not tag is a mention.

    A one-word alias must be a proper noun there, or a name the model tagged at least
    twice elsewhere: "Trump" as a headline's first word is tagged VERB.
    """
    index, tagged = _alias_index(doc, clusters)
    for i in positions(doc, "ORTH", index):
        if covered[i]:
            continue
        for words, number in index[doc[i].text]:
            end = i + len(words)
            if end > len(doc) or any(covered[i:end]):
                continue
            if tuple(t.text for t in doc[i:end]) != words:
                continue
            if len(words) == 1 and doc[i].pos_ != "PROPN" and tagged[words] < 2:
                continue
            start = _given_name_before(doc, i, clusters[number], covered)
            if start is None:
                continue
            clusters[number].cands.append(_token_cand(doc, start, end, "ALIAS"))
            covered[start:end] = b"\x01" * (end - start)
            break


# --------------------------------------------------------------------------- output


def _canonical(cluster: Cluster, kind: str) -> str:
    """The fullest name: most words, formal given name, accents kept; places take the
    most frequent form ("Venezuela", not "Bolivarian Republic of Venezuela")."""
    if cluster.canonical is not None:
        return cluster.canonical
    forms = cluster.names()
    if not forms:
        return cluster.cands[0].text
    counts = Counter(c.text for c in forms)
    position = {c.text: -c.start for c in reversed(forms)}
    if kind == "place":
        return max(counts, key=lambda t: (counts[t], -len(t.split()), position[t]))

    def rank(text: str) -> tuple[int, bool, bool, int, int]:
        words = text.split()
        formal = not (len(words) >= 2 and is_short_given_form(words[0]))
        return (len(words), formal, not text.isascii(), counts[text], position[text])

    return max(counts, key=rank)


def _aliases(cluster: Cluster) -> list[str]:
    seen: dict[str, None] = {}
    for cand in sorted(cluster.names(), key=lambda c: c.start):
        seen.setdefault(cand.text, None)
    return list(seen)


def _build(
    doc: Doc, clusters: list[Cluster], kinds: list[str]
) -> tuple[list[ActorItem], list[MentionItem]]:
    """Actor items in order of first mention, ids unique, and every mention.

    Actors whose names share a slug keep it in order of first mention: the first has the
    slug, the next ones "-2", "-3", ... (see :func:`unique_ids`).
    """
    order = sorted(range(len(clusters)), key=lambda i: min(c.start for c in clusters[i].cands))
    canonical = [_canonical(clusters[i], kinds[i]) for i in order]
    ids = unique_ids([slug(name) for name in canonical])
    actors: list[ActorItem] = []
    mentions: list[MentionItem] = []
    for i, name, actor_id in zip(order, canonical, ids, strict=True):
        cluster, kind = clusters[i], kinds[i]
        actors.append({"id": actor_id, "name": name, "kind": kind, "aliases": _aliases(cluster)})
        for cand in cluster.cands:
            mentions.append({"actor": actor_id, "text": cand.text, "span": [cand.start, cand.end]})
    mentions.sort(key=lambda m: (m["span"][0], m["span"][1]))
    return actors, mentions


def extract_actors(doc: Doc) -> tuple[list[ActorItem], list[MentionItem]]:
    """The article's actors (canonical, one per real-world referent) and their mentions.

    Spans are character offsets into ``doc.text``; ``mention["text"]`` is always
    ``doc.text[start:end]``.
    """
    ents = doc.ents
    facts = _doc_facts(doc, ents)
    cands, covered = _candidates(doc, ents, facts)
    _relabel(doc, cands, facts)
    people = _person_clusters(cands)
    clusters = _assign(cands, people, facts)
    kinds = [_vote_kind(c, doc) for c in clusters]
    absorbed = set(_merge_typos(doc, clusters, kinds))
    clusters = [c for i, c in enumerate(clusters) if i not in absorbed]
    kinds = [k for i, k in enumerate(kinds) if i not in absorbed]
    clusters, kinds = _drop_orphans(clusters, kinds)
    _missed_mentions(doc, clusters, covered)
    return _build(doc, clusters, kinds)


def _drop_orphans(clusters: list[Cluster], kinds: list[str]) -> tuple[list[Cluster], list[str]]:
    """A place reached only through nationality adjectives is not named: no actor."""
    keep = [i for i, c in enumerate(clusters) if c.names()]
    return [clusters[i] for i in keep], [kinds[i] for i in keep]
