"""Story actors: the actors of a story's articles, the same one across articles made one.

Annotation gives each article its own actors (ids are slugs of the name the article
uses). Across articles, one person is often named differently: "Rick Grenell" in one
outlet, "Richard Grenell" and the typo "Grenella" in another. Two article actors are
one story actor when they have the same id, or share a name or alias, or (people) have
the same surname with compatible given names ("Rick"/"Richard", "R."/"Richard", or one
side without a given name), or a surname one edit away from a known one (typos, six
letters or more). Each article's mentions are kept, by article.

The name-matching helpers are annotation's (:mod:`parallax.annotate.names`), so a story
merges names the way an article does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from parallax.annotate.names import (
    NAME_SUFFIXES,
    fold,
    given_names_match,
    is_short_given_form,
    levenshtein,
    slug,
)

TYPO_MIN_LENGTH = 6


@dataclass
class StoryActor:
    """One actor of a story, with the aliases and mentions of every article that names it."""

    id: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    article_ids: dict[str, str] = field(default_factory=dict)
    """article id -> the actor's id within that article."""
    mentions: list[dict[str, Any]] = field(default_factory=list)
    """``{"article_id", "text", "span"}`` for every mention, in article order."""
    _names: Counter[str] = field(default_factory=Counter)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "aliases": self.aliases,
            "articles": list(self.article_ids),
            "article_actor_ids": self.article_ids,
            "mentions": self.mentions,
        }


def story_actors(articles: Iterable[tuple[str, Mapping[str, list[Any]]]]) -> list[StoryActor]:
    """The story's actors from ``(article id, annotations)`` pairs, in story order.

    Deterministic: actors are matched in article order, then in each article's order;
    the result is sorted by number of articles (most first), then by name.
    """
    merged: list[StoryActor] = []
    for article_id, found in articles:
        mentions_of: dict[str, list[dict[str, Any]]] = {}
        for mention in found.get("mentions", []):
            mentions_of.setdefault(mention.get("actor", ""), []).append(mention)
        for actor in found.get("actors", []):
            target = _match(actor, merged)
            if target is None:
                target = StoryActor(actor["id"], actor["name"], actor.get("kind", "other"))
                merged.append(target)
            _absorb(target, actor, article_id, mentions_of.get(actor["id"], []))
    for actor in merged:
        actor.name = _canonical(actor._names)
        actor.id = slug(actor.name)
    return sorted(merged, key=lambda a: (-len(a.article_ids), fold(a.name)))


def _absorb(
    target: StoryActor, actor: Mapping[str, Any], article_id: str, mentions: list[dict[str, Any]]
) -> None:
    target.article_ids.setdefault(article_id, actor["id"])
    names = [actor["name"], *actor.get("aliases", [])]
    for name in names:
        if name not in target.aliases:
            target.aliases.append(name)
    target._names[actor["name"]] += 1
    if target.kind == "other":
        target.kind = actor.get("kind", "other")
    target.mentions.extend(
        {"article_id": article_id, "text": m.get("text"), "span": m.get("span")} for m in mentions
    )


def _match(actor: Mapping[str, Any], merged: list[StoryActor]) -> StoryActor | None:
    for known in merged:
        if same_actor(actor, known):
            return known
    return None


def same_actor(actor: Mapping[str, Any], known: StoryActor) -> bool:
    """Whether an article's actor is the story actor ``known`` (see the module docstring)."""
    kind = actor.get("kind", "other")
    if kind != known.kind and "other" not in (kind, known.kind):
        return False
    if actor["id"] in known.article_ids.values() or actor["id"] == known.id:
        return True
    names = {fold(n) for n in [actor["name"], *actor.get("aliases", [])]}
    if names & {fold(n) for n in known.aliases}:
        return True
    if kind != "person" and known.kind != "person":
        return False
    return any(
        _same_person(_tokens(a), _tokens(b)) for a in names for b in known.aliases if " " in a + b
    ) or any(_typo_of(_tokens(a), _tokens(b)) for a in names for b in known.aliases)


def _tokens(name: str) -> list[str]:
    words = [w for w in fold(name).replace(".", ". ").split() if w]
    while len(words) > 1 and words[-1].rstrip(".,") in NAME_SUFFIXES:
        words.pop()
    return words


def _same_person(a: list[str], b: list[str]) -> bool:
    """Same surname, and given names compatible or missing on one side."""
    if not a or not b or a[-1] != b[-1] or len(a[-1]) < 3:
        return False
    if len(a) == 1 or len(b) == 1:
        return True
    return given_names_match(a[0], b[0])


def _typo_of(a: list[str], b: list[str]) -> bool:
    """A surname one edit away from the other's, long enough not to be another name."""
    if not a or not b or a[-1] == b[-1]:
        return False
    sa, sb = a[-1], b[-1]
    if min(len(sa), len(sb)) < TYPO_MIN_LENGTH or sa[0] != sb[0]:
        return False
    if len(a) > 1 and len(b) > 1 and not given_names_match(a[0], b[0]):
        return False
    return levenshtein(sa, sb, limit=2) <= 1


def _canonical(names: Counter[str]) -> str:
    """The fullest name: most words, formal over familiar given names, most used, accented."""

    def rank(name: str) -> tuple[int, int, int, int, str]:
        words = name.split()
        formal = 0 if words and is_short_given_form(words[0]) else 1
        accented = int(fold(name) != name.lower())
        return (len(words), formal, names[name], accented, name)

    return max(names, key=rank)
