"""Stories in the store: stories, their articles, merges, and the clusterer's counters.

Clustering writes through :class:`StoryStore` inside the caller's transactions (one per
batch), so a crash leaves every batch either wholly stored or not at all; what is
stored is enough to rebuild the working set and go on (see ``pipeline.cluster_store``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from parallax.errors import UsageError
from parallax.model import Article
from parallax.store.db import Store
from parallax.store.learned import learn_from, stored_spellings
from parallax.text.outlets import outlet_names, shown_outlet


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def learn_outlets(store: Store) -> None:
    """Teach the outlet table what the store's articles say (see
    :func:`parallax.store.learned.learn_from`): every story read starts with it."""
    learn_from(store._connection, str(store.path))


@dataclass(frozen=True)
class StoryRecord:
    """A story as listed: what ``parallax stories`` shows."""

    id: str
    title: str | None
    summary: str | None
    state: str
    merged_into: str | None
    article_count: int
    first_published: str | None
    last_published: str | None
    created: str
    updated: str
    outlets: list[str] = field(default_factory=list)
    groups: int = 0
    """Independence groups: how many independent reports the story has."""
    revision: int = 0
    """Bumped by the store whenever anything the story's comparison reads changes."""
    conflicts: int | None = None
    """Conflicts in the story's kept report (None: no report kept yet); the kept report
    may be of an earlier revision."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "state": self.state,
            "merged_into": self.merged_into,
            "articles": self.article_count,
            "independent_groups": self.groups,
            "outlets": self.outlets,
            "first_published": self.first_published,
            "last_published": self.last_published,
            "created": self.created,
            "updated": self.updated,
            "revision": self.revision,
            "conflicts": self.conflicts,
        }


@dataclass(frozen=True)
class StoryMember:
    """An article of a story with what clustering recorded about it."""

    article: Article
    position: int
    group: str
    score: float | None
    relays: str | None

    def to_json(self) -> dict[str, Any]:
        """The member as ``parallax story --format json`` lists it."""
        article = self.article
        return {
            "id": article.id,
            "outlet": article.outlet,
            "outlet_name": shown_outlet(article.outlet) if article.outlet else None,
            "title": article.title,
            "url": article.url,
            "published_at": article.published_at,
            "source": article.source,
            "group": self.group,
            "score": None if self.score is None else round(self.score, 4),
            "relays": self.relays,
            "wire_of": article.wire_of,
            "duplicate_of": article.duplicate_of,
        }


def groups_json(members: Sequence[StoryMember]) -> list[dict[str, Any]]:
    """Independence groups, in order of their earliest article."""
    groups: dict[str, dict[str, Any]] = {}
    for member in members:
        group = groups.setdefault(member.group, {"id": member.group, "articles": [], "outlets": []})
        group["articles"].append(member.article.id)
        shown = shown_outlet(member.article.outlet) if member.article.outlet else None
        if shown and shown not in group["outlets"]:
            group["outlets"].append(shown)
    return list(groups.values())


@dataclass(frozen=True)
class MergeRecord:
    source: str
    target: str
    article: str
    score: float
    at: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


_LIST_COLUMNS = (
    "s.id, s.title, s.summary, s.state, s.merged_into, s.article_count, s.first_published,"
    " s.last_published, s.created, s.updated, s.revision,"
    " (SELECT r.conflicts FROM story_reports r WHERE r.story = s.id)"
)

ORDERS = {
    "recent": "s.last_at IS NULL, s.last_at DESC, s.seq DESC",
    "updated": "s.updated DESC, s.seq DESC",
    "articles": "s.article_count DESC, s.seq DESC",
    "sources": "(SELECT count(DISTINCT g.grp) FROM story_articles g WHERE g.story = s.id) DESC,"
    " s.article_count DESC, s.seq DESC",
}
"""The orders a story list may be asked for, by name: a request names one of these keys,
never a column."""


class StoryStore:
    """Story tables of one open :class:`Store`; writes join the store's open transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store._connection
        learn_outlets(store)

    # -- clusterer state ------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        rows = self.db.execute("SELECT key, value FROM story_state").fetchall()
        return {key: json.loads(value) for key, value in rows}

    def save_state(self, **values: Any) -> None:
        self.db.executemany(
            "INSERT INTO story_state (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(key, json.dumps(value)) for key, value in values.items()],
        )

    def load_df(self, df: npt.NDArray[np.uint32]) -> None:
        """Add the stored document frequencies into ``df`` (folded if its size changed)."""
        mask = len(df) - 1
        for bucket, count in self.db.execute("SELECT bucket, df FROM story_df"):
            df[bucket & mask] += count

    def save_df(self, buckets: Iterable[int], df: npt.NDArray[np.uint32]) -> None:
        self.db.executemany(
            "INSERT INTO story_df (bucket, df) VALUES (?, ?)"
            " ON CONFLICT (bucket) DO UPDATE SET df = excluded.df",
            [(int(b), int(df[b])) for b in sorted(set(buckets))],
        )

    # -- what to cluster ------------------------------------------------------------

    def unclustered(self) -> list[tuple[int, str, str | None]]:
        """``(seq, id, published_at)`` of stored articles in no story yet, by ``seq``."""
        rows = self.db.execute(
            "SELECT a.seq, a.id, a.published_at FROM articles a"
            " WHERE NOT EXISTS (SELECT 1 FROM story_articles sa WHERE sa.article = a.id)"
            " ORDER BY a.seq"
        ).fetchall()
        return [(int(r[0]), r[1], r[2]) for r in rows]

    def count_unclustered(self) -> int:
        row = self.db.execute(
            "SELECT count(*) FROM articles a"
            " WHERE NOT EXISTS (SELECT 1 FROM story_articles sa WHERE sa.article = a.id)"
        ).fetchone()
        return int(row[0])

    def hot_stories(self) -> list[tuple[int, str]]:
        """``(seq, id)`` of the stories in the working set, in founding order."""
        rows = self.db.execute(
            "SELECT seq, id FROM stories WHERE state = 'hot' ORDER BY seq"
        ).fetchall()
        return [(int(r[0]), r[1]) for r in rows]

    def cold_stories_around(self, start: float, end: float) -> list[tuple[int, str]]:
        """``(seq, id)`` of cold, unmerged stories whose publication range meets [start, end]:
        the stories a late article (a backfill) may belong to."""
        rows = self.db.execute(
            "SELECT seq, id FROM stories WHERE state = 'cold' AND merged_into IS NULL"
            " AND last_at >= ? AND first_at <= ? ORDER BY seq",
            (start, end),
        ).fetchall()
        return [(int(r[0]), r[1]) for r in rows]

    def member_ids(self, story_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT article FROM story_articles WHERE story = ? ORDER BY position", (story_id,)
        )
        return [row[0] for row in rows]

    def outlets(self) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet"
        )
        return [row[0] for row in rows]

    def spellings(self, outlet: str) -> list[str]:
        """Every stored spelling of the outlet ``outlet`` names ("nytimes.com", "NYT" and
        "The New York Times" are one outlet), itself included: what an outlet filter
        matches."""
        return [outlet, *stored_spellings(self.db, outlet)]

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute(
            "SELECT story FROM story_articles WHERE article = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    # -- writing (inside the caller's transaction) ------------------------------------

    def found(self, story_id: str) -> None:
        now = _now()
        self.db.execute(
            "INSERT INTO stories (id, created, updated) VALUES (?, ?, ?)", (story_id, now, now)
        )

    def add_member(
        self, article: str, story: str, position: int, score: float | None, relays: str | None
    ) -> None:
        """File an article under a story; its independence group is itself until regrouped."""
        self.db.execute(
            "INSERT INTO story_articles (article, story, position, grp, score, relays)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (article, story, position, article, score, relays),
        )

    def merge(self, source: str, target: str, article: str, score: float) -> None:
        """Move ``source``'s articles to ``target``, mark it merged, log the merge."""
        now = _now()
        self.db.execute("UPDATE story_articles SET story = ? WHERE story = ?", (target, source))
        self.db.execute(
            "UPDATE stories SET state = 'cold', merged_into = ?, article_count = 0, updated = ?"
            " WHERE id = ?",
            (target, now, source),
        )
        self.db.execute(
            "UPDATE stories SET merged_into = ? WHERE merged_into = ?", (target, source)
        )
        self.db.execute(
            "INSERT INTO story_merges (source, target, article, score, at) VALUES (?,?,?,?,?)",
            (source, target, article, score, now),
        )

    def move(self, article_ids: Sequence[str], story: str) -> None:
        """Refile articles under another story: the clusterer split the one they were in."""
        self.db.executemany(
            "UPDATE story_articles SET story = ? WHERE article = ?",
            [(story, article) for article in article_ids],
        )

    def set_state(self, story_ids: Sequence[str], state: str) -> None:
        """Mark stories ``hot`` (in the working set) or ``cold``."""
        self.db.executemany(
            "UPDATE stories SET state = ? WHERE id = ?", [(state, s) for s in story_ids]
        )

    def update(
        self,
        story_id: str,
        *,
        title: str | None,
        summary: str | None,
        title_article: str,
        published: tuple[tuple[float, str] | None, tuple[float, str] | None],
    ) -> None:
        """Refresh a story's title, summary, publication range and article count."""
        first, last = published
        self.db.execute(
            "UPDATE stories SET title = ?, summary = ?, title_article = ?, updated = ?,"
            " first_at = ?, first_published = ?, last_at = ?, last_published = ?,"
            " article_count = (SELECT count(*) FROM story_articles WHERE story = ?)"
            " WHERE id = ?",
            (
                title,
                summary,
                title_article,
                _now(),
                first[0] if first else None,
                first[1] if first else None,
                last[0] if last else None,
                last[1] if last else None,
                story_id,
                story_id,
            ),
        )

    def set_groups(self, groups: dict[str, str]) -> None:
        self.db.executemany(
            "UPDATE story_articles SET grp = ? WHERE article = ? AND grp IS NOT ?",
            [(group, article, group) for article, group in groups.items()],
        )

    # -- reading --------------------------------------------------------------------

    def resolve(self, story_id: str) -> str | None:
        """The live story an id names: itself, or the story it was merged into."""
        row = self.db.execute(
            "SELECT id, merged_into FROM stories WHERE id = ?", (story_id,)
        ).fetchone()
        if row is None:
            return None
        return str(row[1] or row[0])

    def live(self, story_id: str) -> tuple[StoryRecord, list[StoryMember]] | None:
        """The live story an id names (an id merged away gives the story it went into),
        with its members; None when no story has the id."""
        live = self.resolve(story_id)
        record = self.story(live) if live else None
        if live is None or record is None:
            return None
        return record, self.members(live)

    def story(self, story_id: str) -> StoryRecord | None:
        found = self.stories(ids=[story_id])
        return found[0] if found else None

    def stories(
        self,
        *,
        outlet: str | None = None,
        since: float | None = None,
        until: float | None = None,
        ids: Sequence[str] | None = None,
        annotated: str | None = None,
        search: str | None = None,
        min_groups: int | None = None,
        has_conflicts: bool | None = None,
        order: str = "recent",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StoryRecord]:
        """Live (not merged) stories, newest first (or in another of :data:`ORDERS`);
        filters combine with AND.

        ``outlet``: has an article from it; ``since``/``until`` (POSIX seconds): its
        publication range overlaps them (stories without known times are then left out);
        ``annotated``: some article's annotations contain this text (a cheap pre-filter);
        ``search``: an FTS5 query, already made safe by the caller, that some article's
        title or text matches; ``min_groups``: at least this many independence groups;
        ``has_conflicts``: its kept report has conflicts (True) or has none (False;
        stories without a kept report are left out of both).
        """
        where = ["s.merged_into IS NULL"]
        params: list[object] = []
        if ids is not None:
            where = [f"s.id IN ({','.join('?' * len(ids))})"]
            params.extend(ids)
        if outlet is not None:
            spellings = self.spellings(outlet)
            marks = ", ".join(["lower(?)"] * len(spellings))
            where.append(
                "EXISTS (SELECT 1 FROM story_articles x JOIN articles y ON y.id = x.article"
                f" WHERE x.story = s.id AND lower(y.outlet) IN ({marks}))"
            )
            params.extend(spellings)
        if annotated:
            where.append(
                "EXISTS (SELECT 1 FROM story_articles x JOIN articles y ON y.id = x.article"
                " WHERE x.story = s.id AND y.annotations LIKE ? ESCAPE '\\')"
            )
            escaped = annotated.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%{escaped}%")
        if search:
            where.append(
                "s.id IN (SELECT x.story FROM articles_fts f JOIN articles y ON y.seq = f.rowid"
                " JOIN story_articles x ON x.article = y.id WHERE articles_fts MATCH ?)"
            )
            params.append(search)
        if min_groups is not None and min_groups > 1:
            where.append(
                "(SELECT count(DISTINCT g.grp) FROM story_articles g WHERE g.story = s.id) >= ?"
            )
            params.append(min_groups)
        if has_conflicts is not None:
            where.append(
                f"EXISTS (SELECT 1 FROM story_reports r WHERE r.story = s.id"
                f" AND r.conflicts {'>' if has_conflicts else '='} 0)"
            )
        if since is not None:
            where.append("s.last_at >= ?")
            params.append(since)
        if until is not None:
            where.append("s.first_at <= ?")
            params.append(until)
        sql = (
            f"SELECT {_LIST_COLUMNS} FROM stories s WHERE {' AND '.join(where)}"
            f" ORDER BY {ORDERS[order]} LIMIT ? OFFSET ?"
        )
        params.extend((-1 if limit is None else limit, max(offset, 0)))
        try:
            rows = self.db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if search and "fts5" in str(exc):
                raise UsageError("E041", search, str(exc)) from exc
            raise
        counts = self._outlets_and_groups([row[0] for row in rows])
        return [_record(row, *counts.get(row[0], ([], 0))) for row in rows]

    # -- kept reports ---------------------------------------------------------------

    def revision(self, story_id: str) -> int | None:
        row = self.db.execute("SELECT revision FROM stories WHERE id = ?", (story_id,))
        found = row.fetchone()
        return None if found is None else int(found[0])

    def kept_report(self, story_id: str) -> tuple[str, str] | None:
        """The kept report of a story, as ``(version, JSON text)``; None when none is kept."""
        row = self.db.execute(
            "SELECT version, report FROM story_reports WHERE story = ?", (story_id,)
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def keep_report(
        self, story_id: str, version: str, report_json: str, counts: tuple[int, int, int]
    ) -> None:
        """Keep a story's report made at ``version``; ``counts``: its conflicts, facts and
        corroborated facts, kept beside it so lists can filter and show them."""
        conflicts, facts, corroborated = counts
        self.db.execute(
            "INSERT INTO story_reports (story, version, conflicts, facts, corroborated, report,"
            " computed) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (story) DO UPDATE SET"
            " version = excluded.version, conflicts = excluded.conflicts,"
            " facts = excluded.facts, corroborated = excluded.corroborated,"
            " report = excluded.report, computed = excluded.computed",
            (story_id, version, conflicts, facts, corroborated, report_json, _now()),
        )

    def stale_reports(self, suffix: str) -> list[str]:
        """Live stories of two or more articles whose kept report is missing or was made
        at another version than ``{revision}:{suffix}``, most recently published first."""
        rows = self.db.execute(
            "SELECT s.id FROM stories s LEFT JOIN story_reports r ON r.story = s.id"
            " WHERE s.merged_into IS NULL AND s.article_count >= 2"
            " AND (r.version IS NULL OR r.version != s.revision || ':' || ?)"
            f" ORDER BY {ORDERS['recent']}",
            (suffix,),
        ).fetchall()
        return [str(row[0]) for row in rows]

    def stories_of_outlet(self, outlet: str, limit: int) -> list[str]:
        """Live stories with an article from ``outlet`` under any of its spellings,
        newest first."""
        spellings = sorted({name.casefold() for name in self.spellings(outlet)})
        marks = ",".join("?" * len(spellings))
        rows = self.db.execute(
            "SELECT s.id FROM stories s WHERE s.merged_into IS NULL AND EXISTS (SELECT 1"
            " FROM story_articles x JOIN articles y ON y.id = x.article WHERE x.story = s.id"
            f" AND lower(y.outlet) IN ({marks})) ORDER BY {ORDERS['recent']} LIMIT ?",
            (*spellings, limit),
        ).fetchall()
        return [str(row[0]) for row in rows]

    def _outlets_and_groups(self, story_ids: Sequence[str]) -> dict[str, tuple[list[str], int]]:
        """Outlets and number of independence groups of each story, in one grouped query
        (a story list of any length costs one query, not one per story)."""
        found: dict[str, tuple[list[str], int]] = {}
        for start in range(0, len(story_ids), 500):  # SQLite's bound-parameter limit
            chunk = story_ids[start : start + 500]
            rows = self.db.execute(
                "SELECT sa.story, json_group_array(DISTINCT a.outlet), count(DISTINCT sa.grp)"
                " FROM story_articles sa JOIN articles a ON a.id = sa.article"
                f" WHERE sa.story IN ({','.join('?' * len(chunk))}) GROUP BY sa.story",
                list(chunk),
            ).fetchall()
            for story_id, outlets, groups in rows:
                names = sorted({name for name in json.loads(outlets) if name}, key=str.casefold)
                found[story_id] = (sorted(outlet_names(names), key=str.casefold), int(groups))
        return found

    def independence_rows(
        self, story_id: str
    ) -> list[tuple[str, str | None, str | None, str | None, str | None, int]]:
        """What independence grouping reads of each article of a story: ``(article, outlet,
        published_at, origin, relays, position)``; ``origin`` is what it copies, if any."""
        rows = self.db.execute(
            "SELECT sa.article, a.outlet, a.published_at, coalesce(a.wire_of, a.duplicate_of),"
            " sa.relays, sa.position FROM story_articles sa JOIN articles a ON a.id = sa.article"
            " WHERE sa.story = ?",
            (story_id,),
        ).fetchall()
        return [(r[0], r[1], r[2], r[3], r[4], int(r[5])) for r in rows]

    def members(self, story_id: str) -> list[StoryMember]:
        """The story's articles in assignment order."""
        rows = self.db.execute(
            "SELECT article, position, grp, score, relays FROM story_articles"
            " WHERE story = ? ORDER BY position",
            (story_id,),
        ).fetchall()
        members = []
        for article_id, position, group, score, relays in rows:
            article = self.store.article(article_id)
            if article is not None:
                members.append(StoryMember(article, int(position), group, score, relays))
        return members

    def merges(self, story_id: str) -> list[MergeRecord]:
        rows = self.db.execute(
            "SELECT source, target, article, score, at FROM story_merges"
            " WHERE target = ? OR source = ? ORDER BY id",
            (story_id, story_id),
        ).fetchall()
        return [MergeRecord(*row) for row in rows]

    def count_stories(self) -> int:
        row = self.db.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL")
        return int(row.fetchone()[0])


def _record(row: Sequence[Any], outlets: list[str], groups: int) -> StoryRecord:
    return StoryRecord(
        id=row[0],
        title=row[1],
        summary=row[2],
        state=row[3],
        merged_into=row[4],
        article_count=int(row[5]),
        first_published=row[6],
        last_published=row[7],
        created=row[8],
        updated=row[9],
        outlets=outlets,
        groups=groups,
        revision=int(row[10]),
        conflicts=None if row[11] is None else int(row[11]),
    )
