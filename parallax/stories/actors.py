"""Story actors: the actors of a story's articles, the same one across articles made one.

Annotation gives each article its own actors (ids are slugs of the name the article
uses). Across articles, one person is often named differently: "Rick Grenell" in one
outlet, "Richard Grenell" and the typo "Grenella" in another. The rules, in the order
they are applied:

* **Names.** Two article actors are one story actor when they share a name or alias
  (compared as slugs, so "Dockworkers' Union" is "Dockworkers’ Union"), whatever kind
  each article gave them: the model tags one boat a person in one article and a place in
  the next, and the story actor takes the kind most of its articles give it.
* **Full names of people.** The same surname (or one a single edit away, six letters or
  more: "Ruvale" / "Ruvalle") with compatible given names: the same, a familiar form
  ("Rick" / "Richard") or an initial ("R." / "Richard"). Every full name already in the
  story actor must agree, so "Chris Smith" cannot bridge "Christopher" and "Christine".
  Different given names never merge: "Anna Feldt" is not "Jonah Feldt".
* **Bare surnames** ("Feldt", from an article that never gives the full name) are placed
  last: with the one person of the story with that surname (or a typo of it), and when
  the story has several ("Jonah Feldt", "Anna Feldt"), with none of them. A surname an
  article already attached to one of its people stays with that person; it never links
  two people.
* **One article, several actors.** An article's annotation says its actors are different
  people and things, so two actors of one article are never one story actor.

The name-matching helpers are annotation's (:mod:`parallax.annotate.names`), so a story
merges names the way an article does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from parallax.model import ActorItem, Annotations, MentionItem, StoryActor
from parallax.text import fold
from parallax.text.names import (
    NAME_SUFFIXES,
    given_names_match,
    is_short_given_form,
    levenshtein,
    slug,
    unique_ids,
)

TYPO_MIN_LENGTH = 6
SURNAME_MIN_LENGTH = 3
"""A bare word shorter than this ("Li" aside, mostly initials and noise) joins no person."""
KIND_ORDER = ("person", "org", "place", "group", "other")
"""Tie-break of the kind vote, as in annotation: a name that half the articles call a
person and half an organisation is a person; "other" (a thing) loses every tie."""

Tokens = tuple[str, ...]


@dataclass
class _Actor(StoryActor):
    """A story actor being built: what matching needs besides the finished record."""

    _names: Counter[str] = field(default_factory=Counter)
    _kinds: Counter[str] = field(default_factory=Counter)
    _people: set[Tokens] = field(default_factory=set)
    """Full names (two words or more) that articles gave the actor as a person."""


@dataclass(frozen=True)
class _Entry:
    """One article's actor, with what matching needs of it."""

    article_id: str
    actor: ActorItem
    mentions: list[MentionItem]

    @property
    def kind(self) -> str:
        return str(self.actor.get("kind") or "other")

    @property
    def names(self) -> list[str]:
        return [self.actor["name"], *self.actor.get("aliases", [])]

    @cached_property
    def full_names(self) -> list[Tokens]:
        """The person's names with a given name; none for other kinds."""
        if self.kind != "person":
            return []
        return [t for t in map(name_tokens, self.names) if len(t) >= 2]

    @cached_property
    def bare(self) -> str | None:
        """The one word a person is called by, when the article never gives more."""
        words = name_tokens(self.actor["name"])
        if self.kind != "person" or len(words) != 1 or self.full_names:
            return None
        return words[0]


def story_actors(articles: Iterable[tuple[str, Annotations]]) -> list[StoryActor]:
    """The story's actors from ``(article id, annotations)`` pairs, in story order.

    Deterministic: named actors are matched in article order, then in each article's
    order, and bare surnames after all of them; the result is sorted by number of
    articles (most first), then by name, and ids are made unique.
    """
    entries = list(_entries(articles))
    index = _Index()
    for entry in [e for e in entries if e.bare is None] + [e for e in entries if e.bare]:
        target = index.match(entry)
        index.absorb(index.found(entry) if target is None else target, entry)
    return _finish(index.actors)


def _entries(articles: Iterable[tuple[str, Annotations]]) -> Iterable[_Entry]:
    for article_id, found in articles:
        mentions_of: dict[str, list[MentionItem]] = {}
        for mention in found.get("mentions", []):
            mentions_of.setdefault(mention["actor"], []).append(mention)
        for actor in found.get("actors", []):
            yield _Entry(article_id, actor, mentions_of.get(actor["id"], []))


class _Index:
    """The story actors so far (by position), found by name slug and by their people's
    surnames. Positions, not the actors, fill the tables: order is creation order."""

    def __init__(self) -> None:
        self.actors: list[_Actor] = []
        self.by_key: dict[str, list[int]] = {}
        self.by_surname: dict[str, list[int]] = {}
        self.by_initial: dict[str, set[str]] = {}
        """First letter -> surnames: a typo keeps the first letter (see ``_typo_of``)."""

    def found(self, entry: _Entry) -> int:
        self.actors.append(_Actor(entry.actor["id"], entry.actor["name"], entry.kind))
        return len(self.actors) - 1

    def absorb(self, position: int, entry: _Entry) -> None:
        target = self.actors[position]
        target.article_ids[entry.article_id] = entry.actor["id"]
        for name in entry.names:
            if name not in target.aliases:
                target.aliases.append(name)
        target._names[entry.actor["name"]] += 1
        target._kinds[entry.kind] += 1
        target.mentions.extend(
            {"article_id": entry.article_id, "text": m.get("text"), "span": m.get("span")}
            for m in entry.mentions
        )
        for person in entry.full_names:
            target._people.add(person)
            _add(self.by_surname, person[-1], position)
            self.by_initial.setdefault(person[-1][0], set()).add(person[-1])
        for key in _keys(entry):
            _add(self.by_key, key, position)

    def match(self, entry: _Entry) -> int | None:
        """The first story actor (in order of creation) that ``entry`` is, if any."""
        found = self._by_bare(entry) if entry.bare else self._by_name(entry)
        return min(
            (i for i in found if entry.article_id not in self.actors[i].article_ids), default=None
        )

    def _by_name(self, entry: _Entry) -> list[int]:
        people = entry.full_names
        named = {i for key in _keys(entry) for i in self.by_key.get(key, [])}
        alike = {i for p in people for i in self._surname_holders(p[-1])}
        return [
            i
            for i in named | alike
            if not _conflict(people, self.actors[i]._people)
            and (i in named or _same_person(people, self.actors[i]._people))
        ]

    def _by_bare(self, entry: _Entry) -> list[int]:
        word = entry.bare or ""
        free = [
            i
            for i in self._surname_holders(word)
            if entry.article_id not in self.actors[i].article_ids
        ]
        exact = [i for i in free if any(p[-1] == word for p in self.actors[i]._people)]
        if len(exact) > 1 or (not exact and len(free) > 1):  # ambiguous: other bare ones only
            return [i for i in self.by_key.get(word, []) if not self.actors[i]._people]
        return exact or free or self.by_key.get(word, [])

    def _surname_holders(self, surname: str) -> list[int]:
        """Story actors with a person of that surname, or of one a typo away."""
        if len(surname) < SURNAME_MIN_LENGTH:
            return []
        found = list(self.by_surname.get(surname, []))
        for other in self.by_initial.get(surname[0], ()):
            if other != surname and _typo_of(surname, other):
                found.extend(i for i in self.by_surname[other] if i not in found)
        return found


def _add(table: dict[str, list[int]], key: str, position: int) -> None:
    bucket = table.setdefault(key, [])
    if position not in bucket:
        bucket.append(position)


def _keys(entry: _Entry) -> list[str]:
    """The slugs an actor is found by: every name, except a person's one-word aliases
    (a surname names several people of a story; see ``_by_bare``)."""
    names = entry.names
    if entry.kind == "person" and not entry.bare:
        names = [n for n in names if len(name_tokens(n)) >= 2]
    return [slug(n) for n in dict.fromkeys(names)]


def name_tokens(name: str) -> Tokens:
    """Folded words of a name, suffixes dropped: "Martin Luther King Jr." -> (..., "king")."""
    words = [w for w in fold(name).replace(".", ". ").split() if w]
    while len(words) > 1 and words[-1].rstrip(".,") in NAME_SUFFIXES:
        words.pop()
    return tuple(words)


def _surnames_alike(a: str, b: str) -> bool:
    return a == b or _typo_of(a, b)


def _typo_of(a: str, b: str) -> bool:
    """A surname one edit away from the other's, long enough not to be another name."""
    if a == b or min(len(a), len(b)) < TYPO_MIN_LENGTH or a[0] != b[0]:
        return False
    return levenshtein(a, b, limit=2) <= 1


def _conflict(people: list[Tokens], known: set[Tokens]) -> bool:
    """Two full names with one surname and given names that cannot be one person's."""
    return any(
        _surnames_alike(a[-1], b[-1]) and not given_names_match(a[0], b[0])
        for a in people
        for b in known
    )


def _same_person(people: list[Tokens], known: set[Tokens]) -> bool:
    return any(
        _surnames_alike(a[-1], b[-1]) and given_names_match(a[0], b[0])
        for a in people
        for b in known
    )


def _finish(actors: list[_Actor]) -> list[StoryActor]:
    """Canonical name, majority kind and a unique id for each; the story's order."""
    for actor in actors:
        actor.name = _canonical(actor._names)
        actor.kind = _majority(actor._kinds)
    ordered = sorted(actors, key=lambda a: (-len(a.article_ids), fold(a.name)))
    ids = unique_ids([slug(a.name) for a in ordered], [a.kind for a in ordered])
    return [
        StoryActor(actor_id, a.name, a.kind, a.aliases, a.article_ids, a.mentions)
        for a, actor_id in zip(ordered, ids, strict=True)
    ]


def _majority(kinds: Counter[str]) -> str:
    """The kind most of the actor's articles give it; ties by KIND_ORDER, then by name."""

    def rank(kind: str) -> tuple[int, int, str]:
        order = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
        return (kinds[kind], -order, kind)

    return max(kinds, key=rank)


def _canonical(names: Counter[str]) -> str:
    """The fullest name: most words, formal over familiar given names, most used, accented."""

    def rank(name: str) -> tuple[int, int, int, int, str]:
        words = name.split()
        formal = 0 if words and is_short_given_form(words[0]) else 1
        accented = int(fold(name) != name.lower())
        return (len(words), formal, names[name], accented, name)

    return max(names, key=rank)
