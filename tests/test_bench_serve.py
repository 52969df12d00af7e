"""bench/serve.py's background articles: text the real clusterer folds into their stories."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from parallax.pipeline import cluster_store, ingest
from parallax.store import Store, StoryStore
from tests.quality.conftest import load_bench


def test_words_are_distinct_and_not_plural() -> None:
    bench = load_bench("serve")
    words = [bench.spelt(n) for n in range(20_000)]
    assert len(set(words)) == len(words)
    assert not any(word.endswith("s") for word in words)
    assert bench.token(430_000)[0].isupper()  # the first name
    assert bench.token(930_001).isdigit()  # a number


def test_background_articles_cluster_into_their_stories(tmp_path: Path) -> None:
    bench = load_bench("serve")
    stories = load_bench("stories")
    size = 400
    records = list(bench.background(size, 3))
    assert len({r["url"] for r in records}) == size
    assert all(r["published_at"].startswith("2026-10-") for r in records)
    file = tmp_path / "background.jsonl"
    file.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    with Store.open(tmp_path / "s.db") as store:
        assert ingest([file], store).ingested == size
        cluster_store(store)
        story_of = StoryStore(store).story_of
        by_url = {a.url: story_of(a.id) for a in store.articles()}
    found = [by_url[r["url"]] for r in records]
    codes = {story: n for n, story in enumerate(dict.fromkeys(found))}
    truth = stories.plan(size, 10_000, 3).stories
    scores = stories.bcubed_arrays(np.array([codes[s] for s in found]), truth)
    assert scores.f1 > 0.95
