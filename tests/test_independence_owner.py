"""Independence by owner: outlets of one parent company count as one source on request."""

from __future__ import annotations

import json
from pathlib import Path

from parallax.pipeline import annotate_store, cluster_store, ingest, main_stories, story_report
from parallax.store import Store
from parallax.stories import owner_groups
from tests.conftest import article_text, write

SHARED = (
    "The harbour council voted on Monday to close the north ferry pier for six weeks of "
    "repairs, Mayor Ilsa Marten said. The repairs will cost $4 million, she said."
)


def test_independence_owner_merges_groups_of_one_parent_only() -> None:
    groups = {"a": "a", "b": "b", "c": "c", "d": "d"}
    outlets = {"a": "wsj.com", "b": "New York Post", "c": "Reuters", "d": "Harbor Daily Post"}
    merged = owner_groups(groups, outlets, ["b", "a", "c", "d"])
    assert merged == {"a": "b", "b": "b", "c": "c", "d": "d"}


def test_independence_owner_changes_what_a_report_counts(tmp_path: Path, store: Store) -> None:
    rows = [
        {"outlet": outlet, "url": f"https://{domain}/pier", "published_at": "2026-05-04",
         "title": "Council closes ferry pier",
         "text": SHARED + " " + article_text(70, f"owner-{domain}")}
        for outlet, domain in (("The Wall Street Journal", "wsj.com"),
                               ("New York Post", "nypost.com"), ("Reuters", "reuters.com"))
    ]  # fmt: skip
    ingest([write(tmp_path / "a.jsonl", "\n".join(json.dumps(r) for r in rows))], store)
    annotate_store(store)
    cluster_store(store)
    [story_id] = main_stories(store)
    by_outlet = story_report(store, story_id, independence="outlet")
    by_owner = story_report(store, story_id, independence="owner")
    assert by_outlet is not None and by_owner is not None
    assert len(by_outlet["groups"]) == 3  # type: ignore[typeddict-item]
    assert len(by_owner["groups"]) == 2  # type: ignore[typeddict-item]
    most = max(f["independent_outlets"] for f in by_outlet["facts"])  # type: ignore[typeddict-item]
    fewer = max(f["independent_outlets"] for f in by_owner["facts"])  # type: ignore[typeddict-item]
    assert (most, fewer) == (3, 2)
