"""Reading stories back from a store: lists with filters, one story in detail, the main
stories. These need the story actors (linked across articles), so they live with the
stage that links them; the SQL is the store's.
"""

from __future__ import annotations

import itertools
from typing import Any

from parallax.store import Store, StoryRecord, StoryStore, groups_json
from parallax.stories.actors import story_actors
from parallax.text import fold


def find_stories(
    store: Store,
    *,
    outlet: str | None = None,
    actor: str | None = None,
    since: float | None = None,
    until: float | None = None,
    search: str | None = None,
    min_groups: int | None = None,
    has_conflicts: bool | None = None,
    order: str = "recent",
    limit: int | None = None,
    offset: int = 0,
) -> list[StoryRecord]:
    """Live stories, newest first. ``actor`` matches a story actor's id, name or alias
    (case and accents ignored, part of a name is enough); ``since``/``until`` (POSIX
    seconds) keep the stories whose publication range overlaps them; the other filters
    are :meth:`StoryStore.stories`'s. With ``actor``, the stories the store's cheap
    pre-filter keeps are linked one by one, so that filter costs more than the others."""
    stories = StoryStore(store)
    surname = fold(actor).split()[-1] if actor and actor.strip() else None
    found = stories.stories(
        outlet=outlet,
        annotated=surname if surname and surname.isascii() else None,
        since=since,
        until=until,
        search=search,
        min_groups=min_groups,
        has_conflicts=has_conflicts,
        order=order,
        limit=None if actor else limit,
        offset=0 if actor else offset,
    )
    if actor:
        matches = (s for s in found if _has_actor(stories, s.id, actor))
        end = None if limit is None else offset + limit
        found = list(itertools.islice(matches, offset, end))
    return found


def story_detail(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story with its articles, independence groups, actors and merges (JSON-ready);
    an id that was merged away gives the story it went into. None when unknown."""
    stories = StoryStore(store)
    found = stories.live(story_id)
    if found is None:
        return None
    record, members = found
    detail = record.to_json()
    detail["requested"] = story_id
    detail["articles"] = [member.to_json() for member in members]
    detail["groups"] = groups_json(members)
    actors = story_actors((m.article.id, m.article.annotations) for m in members)
    detail["actors"] = [a.to_json() for a in actors]
    detail["merges"] = [m.to_json() for m in stories.merges(record.id)]
    return detail


def main_stories(store: Store, *, limit: int | None = None, min_articles: int = 2) -> list[str]:
    """Ids of the stories most worth a report: most independent reports first, then most
    articles, then newest; stories of fewer than ``min_articles`` articles left out."""
    found = [s for s in StoryStore(store).stories() if s.article_count >= min_articles]
    found.sort(key=lambda s: (-s.groups, -s.article_count, s.id))
    return [s.id for s in found[:limit]]


def _has_actor(stories: StoryStore, story_id: str, query: str) -> bool:
    wanted = fold(query).strip()
    members = stories.members(story_id)
    for actor in story_actors((m.article.id, m.article.annotations) for m in members):
        names = [actor.id, actor.name, *actor.aliases]
        if any(wanted in fold(name) for name in names):
            return True
    return False
