"""Kept reports: a story's revision moves with everything its comparison reads, so a
kept report is served exactly while it is current, and recomputed once after a change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import parallax.pipeline
from parallax.pipeline import (
    IngestOptions,
    annotate_store,
    build_report,
    cluster_store,
    count_stale_reports,
    ingest,
    kept_story_report,
    main_stories,
    refresh_reports,
    story_report,
    story_version,
)
from parallax.store import Store, StoryStore
from parallax.text.outlets import outlet_key
from tests.conftest import write

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
MANIFEST = ROOT / "examples" / "manifest.csv"


@pytest.fixture
def stored(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "kept.db")
    ingest([CORPUS], store, IngestOptions(manifest=MANIFEST))
    annotate_store(store)
    cluster_store(store)
    return store


def test_store_reports_refresh_keeps_every_story_and_then_nothing_is_stale(stored: Store) -> None:
    stale = count_stale_reports(stored)
    assert stale == len(main_stories(stored)) >= 4
    assert refresh_reports(stored) == stale
    assert count_stale_reports(stored) == 0
    assert refresh_reports(stored) == 0


def test_store_reports_kept_report_is_the_fresh_comparison(stored: Store) -> None:
    refresh_reports(stored)
    for story_id in main_stories(stored):
        kept = kept_story_report(stored, story_id)
        assert kept is not None
        fresh = story_report(stored, story_id)
        assert json.dumps(kept[0], sort_keys=True) == json.dumps(fresh, sort_keys=True)
    document = build_report(stored)
    assert [s["id"] for s in document["stories"]] == main_stories(stored)


def test_store_reports_revision_moves_with_members_annotations_and_title(stored: Store) -> None:
    stories = StoryStore(stored)
    first, second = main_stories(stored)[:2]
    before = {s: stories.revision(s) for s in (first, second)}
    article = stories.member_ids(first)[0]
    found = stored.article(article)
    assert found is not None
    with stored.transaction():
        stored.save_annotations(article, found.annotations, "test")
    assert stories.revision(first) == before[first] + 1
    assert stories.revision(second) == before[second], "another story is untouched"
    with stored.transaction():
        stored._connection.execute("UPDATE stories SET title = 'x' WHERE id = ?", (second,))
    assert stories.revision(second) == before[second] + 1


def test_store_reports_a_changed_story_is_computed_once(
    stored: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refresh_reports(stored)
    story_id = main_stories(stored)[0]
    calls: list[str] = []
    real = parallax.pipeline.story_report

    def counted(store: Store, sid: str, **kwargs: object) -> object:
        calls.append(sid)
        return real(store, sid, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parallax.pipeline, "story_report", counted)
    kept_story_report(stored, story_id)
    assert calls == []
    article = StoryStore(stored).member_ids(story_id)[0]
    found = stored.article(article)
    assert found is not None
    with stored.transaction():
        stored.save_annotations(article, found.annotations, "test")
    assert count_stale_reports(stored) == 1
    kept_story_report(stored, story_id)
    kept_story_report(stored, story_id)
    assert calls == [story_id], "the writer keeps what it computed"


def test_store_reports_a_new_spelling_of_an_outlet_makes_only_its_stories_stale(
    stored: Store, tmp_path: Path
) -> None:
    refresh_reports(stored)
    stories = StoryStore(stored)
    spelled = {
        story_id: {a.outlet for a in (stored.article(i) for i in stories.member_ids(story_id)) if a}
        for story_id in main_stories(stored)
    }
    domain = next(o for names in spelled.values() for o in names if o and o.endswith(".example"))
    key = outlet_key(domain)
    renamed = {s for s, names in spelled.items() if any(outlet_key(o) == key for o in names)}
    assert renamed and len(renamed) < len(spelled)
    before = {s: story_version(stored, s) for s in spelled}
    text = "The harbour council met on Tuesday to discuss the ferry strike. " * 4
    ingest([write(tmp_path / "new.txt", text)], stored, IngestOptions(outlet=domain.upper()))
    changed = {s for s in spelled if story_version(stored, s) != before[s]}
    assert changed == renamed, "a new spelling of an outlet renames only its stories"
    assert count_stale_reports(stored) == len(renamed)
    refresh_reports(stored)
    again = IngestOptions(outlet=domain.upper())
    ingest([write(tmp_path / "again.txt", text + " More.")], stored, again)
    unrelated = IngestOptions(outlet="Brand New Outlet")
    ingest([write(tmp_path / "brand.txt", text + " Brand.")], stored, unrelated)
    assert count_stale_reports(stored) == 0, "a known spelling or another outlet changes nothing"
