"""Name conflicts: independent outlets naming different people as the one who did the
same thing to the same thing ("Foreign Minister Calderoa published the letter" vs "the
letter was released by Vice President Oyarzo").

Speech verbs are left out (who said what is an attribution, see
:mod:`parallax.compare.quotes`), and so is an article naming two people for one role.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from parallax.compare.context import StoryContext
from parallax.compare.facts.records import conflict, conflict_value
from parallax.compare.facts.words import load_synonyms, surface
from parallax.model import Article, ConflictValue, MentionItem, ReportConflict
from parallax.text import GENERIC_PREDICATES, WORD


@dataclass
class Role:
    article_id: str
    verb: str
    action: str  # the verb's synonym group
    thing: str
    actor: str
    span: tuple[int, int]
    clause: tuple[int, int]


def role_conflicts(context: StoryContext) -> list[ReportConflict]:
    """``name`` conflicts: for each action on a thing (synonyms folded), the people the
    independent outlets name as its doer, when they differ."""
    synonyms = load_synonyms()
    by_role: dict[tuple[str, str], list[Role]] = defaultdict(list)
    for source in context.sources:
        for role in _roles(context, source.article, synonyms):
            by_role[(role.action, synonyms.get(role.thing, role.thing))].append(role)
    conflicts = []
    for roles in by_role.values():
        found = _role_conflict(context, roles)
        if found is not None:
            conflicts.append(found)
    return conflicts


def _roles(context: StoryContext, article: Article, synonyms: dict[str, str]) -> list[Role]:
    """The article's role slots whose doer is a story person, speech left out."""
    found: list[Role] = []
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
        span = (slot["span"][0], slot["span"][1])
        clause = (slot["clause"][0], slot["clause"][1])
        found.append(Role(article.id, head, synonyms.get(head, head), thing, actor, span, clause))
    return found


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


def _role_conflict(context: StoryContext, roles: list[Role]) -> ReportConflict | None:
    """The conflict of one role, or None unless independence groups name two people."""
    per_article: dict[str, set[str]] = defaultdict(set)
    for role in roles:
        per_article[role.article_id].add(role.actor)
    roles = [r for r in roles if len(per_article[r.article_id]) == 1]
    actors = {r.actor for r in roles}
    if len({_surname(context.actor_names.get(a, a)) for a in actors}) < 2:
        return None  # "Ms Palin" and "Sarah Palin": one person the linking kept apart
    groups_of = {a: {context.group(r.article_id) for r in roles if r.actor == a} for a in actors}
    if len(set().union(*groups_of.values())) < 2:
        return None
    common = Counter(r.verb for r in roles).most_common(1)[0][0]
    first = next(r for r in roles if r.verb == common)
    clause = context.article(first.article_id).text[first.clause[0] : first.clause[1]]
    verb = surface(clause, first.verb) or first.verb
    about = f"who {verb} the {surface(clause, first.thing) or first.thing}"
    return conflict(about, "name", _role_values(context, roles))


_SUFFIXES = frozenset("jr sr ii iii iv".split())


def _surname(name: str) -> str:
    """The last word of a name, a suffix aside, lower case."""
    found = [w.lower() for w in WORD.findall(name) if w.lower() not in _SUFFIXES]
    return found[-1] if found else name


def _role_values(context: StoryContext, roles: list[Role]) -> list[ConflictValue]:
    """Each article's doer, by person then story order."""
    seen: set[str] = set()
    values: list[ConflictValue] = []
    for role in sorted(roles, key=lambda r: (r.actor, context.position[r.article_id])):
        if role.article_id in seen:
            continue
        seen.add(role.article_id)
        name = context.actor_names.get(role.actor, role.actor)
        values.append(conflict_value(context, role.article_id, role.clause, name, role.span))
    return values
