"""A story that grew to hold two events is split again (stories are never frozen).

The joins are forced with a low threshold, so every article lands in the first story, as
the first article of a look-alike event does when it scores just above the threshold;
the split check must then take the second event out, and never cut one event in two.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from parallax.pipeline import check_store, cluster_store, ingest
from parallax.store import Store, StoryStore
from parallax.stories import Features, StoryIndex, StoryOptions, assign, features_of
from parallax.stories.cluster import _split_due, two_groups

DAY = 86400.0
QUAKE = [
    "An earthquake struck Oskeln on Monday, officials said, and rescuers searched the"
    f" rubble of {n} collapsed houses near the Harbour Road while Mayor Ilse Varg asked"
    " for calm."
    for n in (12, 14, 15, 12)
]
FLOOD = [
    "Floods cut off Veltrana on Thursday, officials said, and rescuers pulled families"
    f" from {n} roofs along the Marn River while Governor Tomas Rell asked for"
    " army boats."
    for n in (40, 41, 40, 43)
]
EASY = StoryOptions(threshold=0.01, merge_article_score=2.0)
"""Everything that shares a word joins the first story, and nothing merges."""


def feats(article: str, text: str, day: float) -> Features:
    features = features_of(article, title=None, text=text)
    return replace(features, published=1.8e9 + day * DAY)


def test_stories_split_takes_the_second_event_out_of_a_story() -> None:
    index = StoryIndex(EASY)
    placed = [assign(feats(f"q{n}", text, n * 0.2), index) for n, text in enumerate(QUAKE)]
    placed += [assign(feats(f"f{n}", text, 3 + n * 0.2), index) for n, text in enumerate(FLOOD)]
    splits = [split for p in placed for split in p.splits]
    assert len(splits) == 1
    split = splits[0]
    assert split.source == "sq0" and split.story == "sf0"
    by_story = {story.id: sorted(story.article_ids) for story in index.stories.values()}
    assert by_story == {"sq0": ["q0", "q1", "q2", "q3"], "sf0": ["f0", "f1", "f2", "f3"]}
    assert placed[-1].story == "sf0"
    assert {index.story_of[f"f{n}"] for n in range(4)} == {index.story_of["f0"]}


def test_stories_split_leaves_one_event_whole() -> None:
    index = StoryIndex(EASY)
    texts = QUAKE + [text.replace("Monday", "Tuesday") for text in QUAKE]
    placed = [assign(feats(f"q{n}", text, n * 0.3), index) for n, text in enumerate(texts)]
    assert not [split for p in placed for split in p.splits]
    assert len(index.stories) == 1


def test_stories_split_needs_two_groups_of_the_minimum_size() -> None:
    index = StoryIndex(replace(EASY, split_min_group=5))
    for n, text in enumerate(QUAKE + FLOOD):
        assign(feats(f"a{n}", text, n * 0.5), index)
    story = next(iter(index.stories.values()))
    assert len(index.stories) == 1
    assert two_groups(story, index.stats, index.options) is None


def test_stories_split_gives_a_new_id_when_the_natural_one_is_taken() -> None:
    index = StoryIndex(EASY)
    index.taken = lambda story_id: story_id == "sf0"
    for n, text in enumerate(QUAKE):
        assign(feats(f"q{n}", text, n * 0.2), index)
    placed = [assign(feats(f"f{n}", text, 3 + n * 0.2), index) for n, text in enumerate(FLOOD)]
    assert [split.story for p in placed for split in p.splits] == ["sf0.2"]


def _ingest_events(folder: Path, store: Store) -> None:
    path = folder / "events.jsonl"
    rows = [(f"q{n}", text, f"2026-03-0{1 + n // 2}") for n, text in enumerate(QUAKE)]
    rows += [(f"f{n}", text, f"2026-03-0{4 + n // 2}") for n, text in enumerate(FLOOD)]
    with path.open("w", encoding="utf-8") as handle:
        for key, text, day in rows:
            record = {"title": None, "text": text, "published_at": day, "outlet": f"o-{key}"}
            handle.write(json.dumps(record) + "\n")
    ingest([path], store)


def test_stories_split_is_stored_and_the_store_stays_consistent(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        _ingest_events(tmp_path, store)
        summary = cluster_store(store, options=EASY, batch_size=3)
        assert summary.splits == 1
        stories = StoryStore(store)
        found = {}
        for article in store.articles():
            found.setdefault(stories.story_of(article.id), set()).add(article.outlet)
        assert sorted(found.values(), key=sorted) == [
            {f"o-f{n}" for n in range(4)},
            {f"o-q{n}" for n in range(4)},
        ]
        counts = {record.id: record.article_count for record in stories.stories()}
        assert sorted(counts.values()) == [4, 4]
        assert all(finding.ok for finding in check_store(store)), check_store(store)
        assert cluster_store(store, options=EASY).clustered == 0


def test_stories_split_checks_come_four_times_per_doubling() -> None:
    due = [size for size in range(1, 65) if _split_due(size, StoryOptions())]
    assert due == [6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64]
