"""One outlet, one identity in the story list: the ``--outlet`` filter matches every
spelling of an outlet, and a story lists each outlet once (the table's name when the
outlet table knows it)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from parallax.pipeline import cluster_store, find_stories, ingest
from parallax.store import Store
from parallax.text.outlets import outlet_names, use_learned

EVENT = (
    "The ferry Marisol capsized off Port Salvenne on Tuesday with 212 passengers aboard,"
    " and coast guard crews pulled {n} survivors from the water, officials said."
)
MERIDIAN = [
    "The Meridian Wire",
    "meridianwire.example",
    "www.meridianwire.example",
    "Meridian Wire News",
]
TIMES = ["nytimes.com", "NYT", "The New York Times"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("outlets")
    path = folder / "ferry.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for n, outlet in enumerate(MERIDIAN + TIMES):
            record = {
                "title": f"Ferry capsizes off Port Salvenne, report {n}",
                "text": EVENT.format(n=180 + n),
                "published_at": "2026-03-03",
                "outlet": outlet,
            }
            handle.write(json.dumps(record) + "\n")
    with Store.open(folder / "s.db") as opened:
        ingest([path], opened)
        cluster_store(opened)
        yield opened


def test_stories_outlets_list_one_name_per_outlet(store: Store) -> None:
    (story,) = find_stories(store)
    assert story.article_count == len(MERIDIAN) + len(TIMES)
    # the first name stored of an outlet the table does not know, as in its report
    assert story.outlets == ["The Meridian Wire", "The New York Times"]


@pytest.mark.parametrize("spelling", [*MERIDIAN, *TIMES, "the meridian wire", "New York Times"])
def test_stories_outlet_filter_matches_every_spelling(store: Store, spelling: str) -> None:
    assert len(find_stories(store, outlet=spelling)) == 1


def test_stories_outlet_filter_keeps_other_outlets_out(store: Store) -> None:
    assert find_stories(store, outlet="Harbour Gazette") == []


def test_outlet_names_prefers_the_table_name_then_a_name_over_a_domain() -> None:
    use_learned(())  # the store of this module taught a name for Meridian Wire: forget it
    assert outlet_names(["nytimes.com", "meridianwire.example", "Meridian Wire"]) == [
        "The New York Times",
        "Meridian Wire",
    ]
