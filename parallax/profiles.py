"""One outlet, or one actor, across many stories: what a media researcher reads.

A story report compares outlets within one event. These functions fold many reports into
the view across events: how one outlet labels each actor (beside how the others label the
same actor), which loaded terms and hedges it uses, how often it is the only source of a
fact and on which side of which conflict it stands; or how one actor is labelled by each
outlet over time and what it is quoted as saying. They are pure functions of reports, so
the web server, exports and notebooks all get the same numbers, and every item keeps its
evidence (article id and span) from the report it came from.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from parallax.model import StoryReport
from parallax.text import fold
from parallax.text.outlets import outlet_key

EXAMPLES = 3
"""Evidence items kept per counted item: enough to check it, few enough to read."""
MOST = 50
"""Items kept per list (single-source facts, conflicts, quotes): the newest stories first."""

OUTLET_SCHEMA = "parallax.outlet/1"
ACTOR_SCHEMA = "parallax.actor/1"


def outlet_profile(outlet: str, reports: Iterable[StoryReport]) -> dict[str, Any]:
    """How ``outlet`` reports across ``reports`` (newest story first): JSON-ready.

    An outlet is matched by its key (case, ``www.`` and punctuation ignored), so "BBC
    News" and "bbc.co.uk" stay apart but "Reuters" and "reuters" do not."""
    key = outlet_key(outlet)
    profile = _OutletFold(key)
    for story in reports:
        profile.add(story)
    return profile.result(outlet)


def actor_profile(actor_id: str, reports: Iterable[StoryReport]) -> dict[str, Any] | None:
    """How ``actor_id`` (a story actor id, the slug of its canonical name) is labelled
    and quoted across ``reports``; None when no report has it."""
    profile = _ActorFold(actor_id)
    for story in reports:
        profile.add(story)
    return profile.result()


def _outlets_of(story: Mapping[str, Any]) -> dict[str, str]:
    """Article id to the outlet name readers see."""
    return {
        a["id"]: a.get("outlet_name") or a.get("outlet") or "unknown outlet"
        for a in story.get("articles", ())
    }


def _evidence(story_id: str, item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "story_id": story_id,
        "article_id": item["article_id"],
        "text": item["text"],
        "span": list(item["span"]),
    }


class _OutletFold:
    def __init__(self, key: str) -> None:
        self.key = key
        self.names: Counter[str] = Counter()
        self.stories: list[dict[str, Any]] = []
        self.labels: dict[str, dict[str, Any]] = {}
        self.terms: dict[str, dict[str, list[dict[str, Any]]]] = {
            "loaded_terms": defaultdict(list),
            "hedges": defaultdict(list),
            "scare_quotes": defaultdict(list),
        }
        self.tones: list[float] = []
        self.facts: Counter[str] = Counter()
        self.single: list[dict[str, Any]] = []
        self.conflicts: list[dict[str, Any]] = []

    def mine(self, name: str | None) -> bool:
        return bool(name) and outlet_key(name or "") == self.key

    def add(self, story: Mapping[str, Any]) -> None:
        outlets = _outlets_of(story)
        own = {a for a, name in outlets.items() if self.mine(name)}
        if not own:
            return
        self.names.update(outlets[a] for a in own)
        sid = story["id"]
        self._labels(sid, story, outlets, own)
        self._framing(sid, story, own)
        self._facts(sid, story, own)
        sides = self._conflicts(sid, story, outlets, own)
        self.stories.append(
            {"id": sid, "title": story.get("title"), "articles": len(own), "conflicts": sides}
        )

    def _labels(
        self, sid: str, story: Mapping[str, Any], outlets: Mapping[str, str], own: set[str]
    ) -> None:
        for actor in story.get("actors", ()):
            row = self.labels.setdefault(
                actor["id"],
                {"id": actor["id"], "name": actor["name"], "own": {}, "others": {}},
            )
            for label in actor.get("labels", ()):
                if label["article_id"] in own:
                    table = row["own"]
                else:
                    other = outlets.get(label["article_id"], "unknown outlet")
                    table = row["others"].setdefault(other, {})
                _count(table, sid, label)

    def _framing(self, sid: str, story: Mapping[str, Any], own: set[str]) -> None:
        for framing in story.get("framing", ()):
            if framing["article_id"] not in own:
                continue
            if framing.get("tone") is not None:
                self.tones.append(float(framing["tone"]))
            for kind, found in self.terms.items():
                for item in framing.get(kind, ()):
                    entry = {**item, "article_id": framing["article_id"]}
                    found[fold(item["text"])].append(_evidence(sid, entry))

    def _facts(self, sid: str, story: Mapping[str, Any], own: set[str]) -> None:
        for fact in story.get("facts", ()):
            mine = [e for e in fact.get("evidence", ()) if e["article_id"] in own]
            if not mine:
                continue
            self.facts[fact["status"]] += 1
            self.facts["carried"] += 1
            if fact["status"] == "single_source" and len(self.single) < MOST:
                self.single.append(
                    {
                        "story_id": sid,
                        "fact_id": fact["id"],
                        "text": fact["text"],
                        "evidence": [_evidence(sid, e) for e in mine[:EXAMPLES]],
                    }
                )

    def _conflicts(
        self, sid: str, story: Mapping[str, Any], outlets: Mapping[str, str], own: set[str]
    ) -> int:
        sides = 0
        for conflict in story.get("conflicts", ()):
            values = conflict.get("values", ())
            mine = [v for v in values if v["article_id"] in own]
            if not mine:
                continue
            sides += 1
            if len(self.conflicts) >= MOST:
                continue
            others = [
                {"outlet": outlets.get(v["article_id"], "unknown outlet"), "value": v["value"]}
                for v in values
                if v["article_id"] not in own
            ]
            self.conflicts.append(
                {
                    "story_id": sid,
                    "conflict_id": conflict["id"],
                    "about": conflict["about"],
                    "kind": conflict["kind"],
                    "value": mine[0]["value"],
                    "others": others,
                    "evidence": [_evidence(sid, v) for v in mine[:EXAMPLES]],
                }
            )
        return sides

    def result(self, asked: str) -> dict[str, Any]:
        name = self.names.most_common(1)[0][0] if self.names else asked
        labels = []
        for row in self.labels.values():
            if not row["own"]:
                continue
            own = _by_count(row["own"])
            others = [
                {"outlet": outlet, "labels": _by_count(found)}
                for outlet, found in sorted(row["others"].items())
            ]
            labels.append({"id": row["id"], "name": row["name"], "labels": own, "others": others})
        labels.sort(key=lambda r: (-sum(x["count"] for x in r["labels"]), r["name"]))
        profile: dict[str, Any] = {
            "schema": OUTLET_SCHEMA,
            "outlet": name,
            "stories": self.stories,
            "articles": sum(s["articles"] for s in self.stories),
            "tone": round(sum(self.tones) / len(self.tones), 3) if self.tones else None,
            "labels": labels,
            "facts": {
                k: self.facts[k] for k in ("carried", "corroborated", "single_source", "disputed")
            },
            "single_source": self.single,
            "conflicts": self.conflicts,
            "conflict_sides": sum(s["conflicts"] for s in self.stories),
        }
        for kind, found in self.terms.items():
            profile[kind] = sorted(
                (
                    {"text": ev[0]["text"], "count": len(ev), "evidence": ev[:EXAMPLES]}
                    for ev in found.values()
                ),
                key=lambda x: (-x["count"], x["text"]),
            )
        return profile


def _count(table: dict[str, dict[str, Any]], sid: str, label: Mapping[str, Any]) -> None:
    """Count one label under its text, keeping its first few evidence items."""
    found = table.setdefault(label["text"], {"text": label["text"], "count": 0, "evidence": []})
    found["count"] += 1
    if len(found["evidence"]) < EXAMPLES:
        found["evidence"].append(_evidence(sid, label))


def _by_count(table: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Counted labels, most used first, each with its count and evidence."""
    return sorted(table.values(), key=lambda x: (-x["count"], x["text"]))


class _ActorFold:
    def __init__(self, actor_id: str) -> None:
        self.id = actor_id
        self.names: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.aliases: set[str] = set()
        self.stories: list[dict[str, Any]] = []
        self.labels: list[dict[str, Any]] = []
        self.quotes_by: list[dict[str, Any]] = []
        self.quotes_about: list[dict[str, Any]] = []

    def add(self, story: Mapping[str, Any]) -> None:
        actor = next((a for a in story.get("actors", ()) if a["id"] == self.id), None)
        if actor is None:
            return
        sid = story["id"]
        outlets = _outlets_of(story)
        published = {a["id"]: a.get("published_at") for a in story.get("articles", ())}
        self.names[actor["name"]] += 1
        self.kinds[actor.get("kind") or "other"] += 1
        self.aliases.update(actor.get("aliases", ()))
        self.stories.append(
            {"id": sid, "title": story.get("title"), "labels": len(actor.get("labels", ()))}
        )
        for label in actor.get("labels", ()):
            self.labels.append(
                {
                    **_evidence(sid, label),
                    "outlet": outlets.get(label["article_id"], "unknown outlet"),
                    "published_at": published.get(label["article_id"]),
                }
            )
        pattern = _names_pattern({actor["name"], *actor.get("aliases", ())})
        for quote in story.get("quotes", ()):
            item = {
                **_evidence(sid, quote),
                "outlet": outlets.get(quote["article_id"], "unknown outlet"),
                "speaker": quote.get("speaker"),
                "speaker_name": quote.get("speaker_name"),
                "direct": bool(quote.get("direct")),
            }
            if quote.get("speaker") == self.id:
                if len(self.quotes_by) < MOST:
                    self.quotes_by.append(item)
            elif pattern and pattern.search(quote["text"]) and len(self.quotes_about) < MOST:
                self.quotes_about.append(item)

    def result(self) -> dict[str, Any] | None:
        if not self.stories:
            return None
        by_outlet: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for label in self.labels:
            _count(by_outlet[label["outlet"]], label["story_id"], label)
        self.labels.sort(key=lambda x: (x["published_at"] or "", x["outlet"]))
        return {
            "schema": ACTOR_SCHEMA,
            "id": self.id,
            "name": self.names.most_common(1)[0][0],
            "kind": self.kinds.most_common(1)[0][0],
            "aliases": sorted(self.aliases, key=str.casefold),
            "stories": self.stories,
            "labels": self.labels,
            "labels_by_outlet": [
                {"outlet": outlet, "labels": _by_count(found)}
                for outlet, found in sorted(by_outlet.items(), key=lambda x: x[0].casefold())
            ],
            "quotes_by": self.quotes_by,
            "quotes_about": self.quotes_about,
        }


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Whole-word matcher of an actor's names (three letters or more: "US" is too loose)."""
    usable = sorted({n for n in names if len(n) >= 3}, key=len, reverse=True)
    if not usable:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, usable)) + r")\b", re.IGNORECASE)
