"""The stories core: features, candidates, assignment, merges, the cold window, independence,
story actors, B-cubed and determinism. Pure functions over records: no store here."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from parallax.stories import (
    Member,
    StoryIndex,
    StoryOptions,
    assign,
    bcubed,
    features_of,
    independence_groups,
    relay_source,
    story_actors,
    story_id_for,
)
from parallax.stories.cluster import central_member, story_similarity
from parallax.stories.features import Channel, TermStats, facts, feature_key, names, words
from parallax.stories.index import Saturated
from parallax.text.outlets import outlet_key

DAY = 86400.0

QUAKE = (
    "A magnitude 6.1 earthquake struck near Oskeln in the Karsh Highlands on Monday, "
    "killing 23 people. Rescue teams from Dravenia searched collapsed buildings in Oskeln "
    "through the night, and Governor Ilsa Varn said 400 homes were destroyed."
)
QUAKE_2 = (
    "Rescuers in Oskeln pulled two survivors from the rubble after the magnitude 6.1 "
    "earthquake that killed 23. Governor Ilsa Varn said the Karsh Highlands town lost "
    "400 homes, and Dravenia sent army engineers to Oskeln."
)
STRIKE = (
    "Dockworkers at the Port of Salvenne walked off the job over pay. The union leader "
    "Marta Ilic said 4,200 workers joined the strike, and ships queued outside Salvenne."
)
FERRY = (
    "A ferry capsized on Lake Morvane with 80 passengers aboard. The coast guard of Tellis "
    "rescued 61 people, and captain Oren Dale was questioned by police in Morvane."
)


def feats(
    article: str,
    text: str,
    *,
    title: str | None = None,
    day: float | None = 0.0,
    origin: str | None = None,
    annotations: dict[str, Any] | None = None,
) -> Any:
    features = features_of(
        article, title=title, text=text, annotations=annotations, origin=origin, published_at=None
    )
    return replace(features, published=None if day is None else 1.8e9 + day * DAY)


# -- features ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The earthquakes destroyed the cities", ["earthquake", "destroyed", "city"]),
        ("Officials said the churches’ bells rang", ["official", "church", "bell", "rang"]),
        ("He was told about it by them", []),
        ("Veltrana's president", ["veltrana", "president"]),
    ],
)
def test_stories_words_fold_case_plurals_and_stop_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_stories_names_are_capitalised_words_inside_sentences() -> None:
    found = names("The Governor of Karsh met Ilsa Varn. Rescue teams reached Oskeln.")
    assert found == ["governor", "karsh", "ilsa", "varn", "oskeln"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a magnitude 6.1 quake killed 23", ["#6.1", "#23"]),
        ("4,200 workers struck", ["#4200"]),
        ("the letter dated Sept. 6 and 14 September", ["#6", "#14", "md:09-06", "md:09-14"]),
    ],
)
def test_stories_facts_are_numbers_and_month_days(text: str, expected: list[str]) -> None:
    assert sorted(facts(text)) == sorted(expected)


def test_stories_feature_keys_are_stable_and_carry_the_channel() -> None:
    key = feature_key(Channel.NAMES, "oskeln")
    assert key == feature_key(Channel.NAMES, "oskeln")
    assert key >> 32 == Channel.NAMES
    assert feature_key(Channel.TEXT, "oskeln") != key


def test_stories_features_weights_are_integers_and_title_words_count_more() -> None:
    plain = features_of("a", title=None, text="Harbour storm. Storm damage in the harbour town.")
    titled = features_of("a", title="Harbour storm", text="Storm damage in the harbour town.")
    assert np.all(plain.weights == np.round(plain.weights))
    storm = feature_key(Channel.TEXT, "storm")
    town = feature_key(Channel.TEXT, "town")

    def weight(f: Any, key: int) -> float:
        return float(f.weights[list(f.keys).index(key)])

    assert weight(titled, storm) > weight(titled, town)
    assert list(plain.keys) == sorted(plain.keys)


def test_stories_annotations_add_actor_ids_and_resolved_dates() -> None:
    annotations = {
        "actors": [{"id": "ilsa-varn", "name": "Ilsa Varn", "kind": "person", "aliases": []}],
        "mentions": [{"actor": "ilsa-varn", "text": "Varn", "span": [0, 4]}],
        "dates": [{"text": "Monday", "span": [5, 11], "type": "date", "value": "2026-09-14"}],
    }
    found = features_of("a", title=None, text="quake", annotations=annotations)
    assert feature_key(Channel.NAMES, "@ilsa-varn") in found.keys
    assert feature_key(Channel.FACTS, "md:09-14") in found.keys


def test_stories_idf_falls_as_document_frequency_grows() -> None:
    stats = TermStats(1 << 10)
    common, rare = feature_key(Channel.TEXT, "common"), feature_key(Channel.TEXT, "rare")
    for n in range(10):
        keys = [common, rare] if n == 0 else [common]
        stats.add(np.array(sorted(keys), dtype=np.int64))
    idf = stats.idf(np.array([common, rare], dtype=np.int64))
    assert stats.documents == 10
    assert idf[0] < idf[1]


# -- assignment ------------------------------------------------------------------------------


def test_stories_similar_articles_join_and_different_ones_found_stories() -> None:
    index = StoryIndex()
    first = assign(feats("q1", QUAKE), index)
    assert first.founded and first.story == story_id_for("q1")
    assert assign(feats("s1", STRIKE), index).founded
    second = assign(feats("q2", QUAKE_2, day=0.5), index)
    assert not second.founded
    assert second.story == first.story
    assert second.score is not None and second.score >= StoryOptions().threshold


def test_stories_candidates_come_from_the_index_not_every_story() -> None:
    index = StoryIndex()
    for n, text in enumerate([QUAKE, STRIKE, FERRY]):
        assign(feats(f"a{n}", text), index)
    candidates = index.candidates(feats("q2", QUAKE_2))
    assert [story.id for story in candidates][:1] == [story_id_for("a0")]
    assert story_id_for("a2") not in {story.id for story in candidates}


def test_stories_wire_copy_joins_its_origins_story_directly() -> None:
    index = StoryIndex()
    origin = assign(feats("o", QUAKE), index)
    assign(feats("x", FERRY), index)
    copy = assign(feats("c", "Completely different words here.", origin="o"), index)
    assert copy.story == origin.story and copy.score == 1.0


def test_stories_far_apart_in_time_do_not_join() -> None:
    index = StoryIndex(StoryOptions(cold_after_days=1000))
    first = assign(feats("q1", QUAKE, day=0), index)
    later = assign(feats("q2", QUAKE_2, day=60), index)
    assert later.founded and later.story != first.story


def test_stories_cold_stories_leave_the_working_set() -> None:
    index = StoryIndex(StoryOptions(cold_after_days=3))
    quake = assign(feats("q1", QUAKE, day=0), index)
    assign(feats("s1", STRIKE, day=1), index)
    placed = assign(feats("f1", FERRY, day=3.5), index)
    assert placed.cooled == (quake.story,)
    assert [story.id for story in index.stories.values()] == ["ss1", "sf1"]
    assert "q1" not in index.story_of
    hot: set[int] = set()
    for posting in index.postings.values():
        hot |= (
            {posting}
            if isinstance(posting, int)
            else posting
            if isinstance(posting, set)
            else set()
        )
    assert hot == set(index.stories)
    again = assign(feats("q2", QUAKE_2, day=3.6), index)
    assert again.founded  # the quake story is out of reach now


def test_stories_features_in_too_many_stories_are_dropped_from_the_index() -> None:
    index = StoryIndex(StoryOptions(max_posting=2, cold_after_days=3))
    for n, text in enumerate([QUAKE, STRIKE, FERRY]):
        assign(feats(f"a{n}", text + " Officials reported progress."), index)
    key = feature_key(Channel.TEXT, "progress")
    assert isinstance(index.postings[key], Saturated)
    assert all(story.id != "sa0" for story in index.candidates(feats("x", "Progress.")))
    assign(feats("late", "Progress at the harbour.", day=10), index)
    assert index.postings[key] == index.story_of["late"]  # a cold window later: afresh


def test_stories_merge_when_an_article_binds_two_alike_stories() -> None:
    options = StoryOptions(threshold=0.9, merge_article_score=0.2, merge_story_score=0.2)
    index = StoryIndex(options)
    first = assign(feats("q1", QUAKE), index)
    second = assign(feats("q2", QUAKE_2), index)
    assert second.founded  # the threshold is too high to join...
    index_options = replace(options, threshold=0.2)
    index.options = index_options
    bridge = assign(feats("q3", QUAKE + " " + QUAKE_2), index)
    assert [(m.source, m.target) for m in bridge.merges] == [(second.story, first.story)]
    assert bridge.story == first.story
    assert len(index.stories) == 1
    story = next(iter(index.stories.values()))
    assert story.article_ids == ["q1", "q3", "q2"]
    assert {index.story_of[a] for a in ("q1", "q2", "q3")} == {story.seq}


def test_stories_do_not_merge_on_one_article_when_the_stories_differ() -> None:
    options = StoryOptions(merge_article_score=0.05, merge_story_score=0.9)
    index = StoryIndex(options)
    assign(feats("q1", QUAKE), index)
    assign(feats("s1", STRIKE), index)
    both = assign(feats("b", QUAKE + " " + STRIKE), index)
    assert both.merges == ()
    assert len(index.stories) == 2


def test_stories_same_input_in_same_order_gives_same_stories() -> None:
    texts = [QUAKE, QUAKE_2, STRIKE, FERRY, QUAKE + " Aftershocks followed.", STRIKE + " Talks."]
    docs = [feats(f"a{n}", text, day=n * 0.3) for n, text in enumerate(texts * 3)]

    def run() -> list[tuple[str, float | None]]:
        index = StoryIndex()
        return [(a.story, a.score) for a in (assign(f, index) for f in docs)]

    assert run() == run()


def test_stories_story_title_is_the_most_central_member() -> None:
    index = StoryIndex()
    for n, text in enumerate([QUAKE, QUAKE_2, QUAKE + " " + QUAKE_2]):
        assign(feats(f"q{n}", text), index)
    story = next(iter(index.stories.values()))
    assert central_member(story, index.stats, index.options).article == "q2"


def test_stories_story_similarity_is_symmetric() -> None:
    index = StoryIndex(StoryOptions(threshold=0.99))
    assign(feats("q1", QUAKE), index)
    assign(feats("q2", QUAKE_2), index)
    first, second = index.stories.values()
    forward = story_similarity(first, second, index.stats, index.options)
    assert forward == pytest.approx(story_similarity(second, first, index.stats, index.options))
    assert forward > 0.2


# -- independence ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "outlets", "own", "expected"),
    [
        ("Maduro offered talks. This is reported by Reuters.", [], None, "Reuters"),
        ("The figure is disputed, according to the AP.", [], None, "the AP"),
        (
            "This article was first published by Meridian Wire.",
            ["meridianwire.example"],
            None,
            "Meridian Wire",
        ),
        ("On Monday Reuters reported that talks had failed.", [], None, "Reuters"),
        ("KYIV (Reuters) - Shelling resumed.", [], None, "Reuters"),
        ("KYIV (Reuters) - Shelling resumed.", [], "Reuters", None),
        ("The plan failed, according to experts.", [], None, None),
        ("According to Governor Varn, 400 homes fell.", [], None, None),
        (
            "The Lowmarch Tribune reported it first.",
            ["Lowmarch Tribune"],
            None,
            "The Lowmarch Tribune",
        ),
    ],
)
def test_stories_relay_source(
    text: str, outlets: list[str], own: str | None, expected: str | None
) -> None:
    assert relay_source(text, outlets, own=own) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Meridian Wire", "meridianwire.example"),
        ("The Ashford Ledger", "ashfordledger.example"),
        ("AP", "The Associated Press"),
        ("https://www.reuters.com", "Reuters"),
    ],
)
def test_stories_outlet_key_matches_names_and_domains(a: str, b: str) -> None:
    assert outlet_key(a) == outlet_key(b)


def member(
    article: str, outlet: str, t: float, origin: str | None = None, relays: str | None = None
) -> Member:
    return Member(article, outlet, (t, 0), origin, relays)


def test_stories_wire_copies_and_relays_join_their_origins_group() -> None:
    members = [
        member("kestrel", "Kestrel News", 3, relays="Meridian Wire"),
        member("meridian", "meridianwire.example", 1),
        member("harbor", "Harbor Daily Post", 2, origin="meridian"),
        member("ashford", "The Ashford Ledger", 0),
    ]
    groups = independence_groups(members)
    assert groups == {
        "kestrel": "meridian",
        "meridian": "meridian",
        "harbor": "meridian",
        "ashford": "ashford",
    }
    shuffled = list(members)
    random.Random(3).shuffle(shuffled)
    assert independence_groups(shuffled) == groups


def test_stories_relays_of_an_absent_outlet_are_one_group() -> None:
    groups = independence_groups(
        [
            member("a", "One", 1, relays="Reuters"),
            member("b", "Two", 2, relays="reuters"),
            member("c", "Three", 3),
        ]
    )
    assert groups == {"a": "a", "b": "a", "c": "c"}


# -- story actors ----------------------------------------------------------------------------


def actor(actor_id: str, name: str, kind: str = "person", *aliases: str) -> dict[str, Any]:
    return {"id": actor_id, "name": name, "kind": kind, "aliases": [name, *aliases]}


def annotated(*actors: dict[str, Any]) -> dict[str, Any]:
    mentions = [{"actor": a["id"], "text": a["name"], "span": [0, len(a["name"])]} for a in actors]
    return {"actors": list(actors), "mentions": mentions}


def test_stories_actors_merge_name_variants_across_articles() -> None:
    merged = story_actors(
        [
            ("a1", annotated(actor("rick-grenell", "Rick Grenell", "person", "Grenell"))),
            ("a2", annotated(actor("richard-grenell", "Richard Grenell"))),
            ("a3", annotated(actor("grenella", "Grenella"))),
            ("a4", annotated(actor("nicolas-maduro", "Nicolás Maduro", "person", "Maduro"))),
            ("a5", annotated(actor("nicolas-maduro", "Nicolas Maduro"))),
            ("a6", annotated(actor("venezuela", "Venezuela", "place"))),
        ]
    )
    by_name = {a.name: a for a in merged}
    assert set(by_name) == {"Richard Grenell", "Nicolás Maduro", "Venezuela"}
    grenell = by_name["Richard Grenell"]
    assert grenell.id == "richard-grenell"
    assert list(grenell.article_ids) == ["a1", "a2", "a3"]
    assert {m["article_id"] for m in grenell.mentions} == {"a1", "a2", "a3"}
    assert set(grenell.aliases) >= {"Rick Grenell", "Richard Grenell", "Grenella"}
    assert list(by_name["Nicolás Maduro"].article_ids) == ["a4", "a5"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (actor("barack-obama", "Barack Obama"), actor("michelle-obama", "Michelle Obama")),
        (actor("jordan", "Jordan", "place"), actor("michael-jordan", "Michael Jordan")),
        (actor("john-bell", "John Bell"), actor("john-bill", "John Bill")),
    ],
)
def test_stories_actors_keep_different_people_apart(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    assert len(story_actors([("a1", annotated(first)), ("a2", annotated(second))])) == 2


def names_of(merged: list[Any]) -> list[list[str]]:
    return sorted(sorted(a.aliases) for a in merged)


def test_stories_actors_a_bare_surname_never_links_two_people() -> None:
    """Regression: "Anna Feldt" joined "Jonah Feldt" through the alias "Feldt"."""
    merged = story_actors(
        [
            ("a1", annotated(actor("jonah-feldt", "Jonah Feldt", "person", "Feldt"))),
            (
                "a2",
                annotated(actor("jonah-feldt", "Jonah Feldt"), actor("anna-feldt", "Anna Feldt")),
            ),
            ("a3", annotated(actor("anna-feldt", "Anna Feldt", "person", "Feldt"))),
        ]
    )
    assert names_of(merged) == [["Anna Feldt", "Feldt"], ["Feldt", "Jonah Feldt"]]


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        (["Jonah Feldt", "Feldt"], [["Feldt", "Jonah Feldt"]]),
        (["Feldt", "Jonah Feldt"], [["Feldt", "Jonah Feldt"]]),
        (["Jonah Feldt", "Anna Feldt", "Feldt"], [["Anna Feldt"], ["Feldt"], ["Jonah Feldt"]]),
        (
            ["Feldt", "Anna Feldt", "J. Feldt", "Jonah Feldt"],
            [["Anna Feldt"], ["Feldt"], ["J. Feldt", "Jonah Feldt"]],
        ),
        (
            ["Chris Smith", "Christopher Smith", "Christine Smith"],
            [["Chris Smith", "Christopher Smith"], ["Christine Smith"]],
        ),
        (
            ["Tomás Ruvalle", "Tomas Ruvale", "Ruvale"],
            [["Ruvale", "Tomas Ruvale", "Tomás Ruvalle"]],
        ),
    ],
)
def test_stories_actors_bare_surnames_join_only_the_one_person_of_that_name(
    people: list[str], expected: list[list[str]]
) -> None:
    """One article per name: a bare surname joins the story's one person with that
    surname (or a typo of it), none when there are several; given names never clash."""
    merged = story_actors(
        (f"a{n}", annotated(actor(f"p{n}", name))) for n, name in enumerate(people)
    )
    assert names_of(merged) == expected


def test_stories_actors_two_actors_of_one_article_stay_two() -> None:
    merged = story_actors(
        [
            ("a1", annotated(actor("grenell", "Grenell"), actor("grenella", "Grenella"))),
            ("a2", annotated(actor("richard-grenell", "Richard Grenell"))),
        ]
    )
    assert names_of(merged) == [["Grenell", "Richard Grenell"], ["Grenella"]]


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["org", "org", "group", "place"], "org"),
        (["group", "place", "group", "org"], "group"),
        (["group", "org"], "org"),
        (["org", "group"], "org"),
        (["other", "person", "other"], "other"),
        (["person", "other"], "person"),
    ],
)
def test_stories_actors_a_kind_split_is_one_actor_of_the_majority_kind(
    kinds: list[str], expected: str
) -> None:
    """Regression: "Red Current" was one story actor per kind the articles gave it."""
    merged = story_actors(
        (f"a{n}", annotated(actor("red-current", "Red Current", kind)))
        for n, kind in enumerate(kinds)
    )
    assert [(a.name, a.kind, len(a.article_ids)) for a in merged] == [
        ("Red Current", expected, len(kinds))
    ]


def test_stories_actors_ids_are_unique() -> None:
    """Two actors of one article with one name stay two story actors with two ids."""
    merged = story_actors(
        [
            (
                "a1",
                annotated(actor("oskeln", "Oskeln", "place"), actor("oskeln-org", "Oskeln", "org")),
            )
        ]
    )
    assert sorted(a.id for a in merged) == ["oskeln", "oskeln-org"]


# -- metrics ---------------------------------------------------------------------------------


def test_stories_bcubed_of_a_perfect_a_merged_and_a_split_clustering() -> None:
    truth = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert bcubed({"a": "x", "b": "x", "c": "y", "d": "y"}, truth).f1 == 1.0
    merged = bcubed({k: "x" for k in truth}, truth)
    assert (merged.precision, merged.recall) == (0.5, 1.0)
    split = bcubed({"a": "1", "b": "2", "c": "3", "d": "4"}, truth)
    assert (split.precision, split.recall) == (1.0, 0.5)


# -- docs ------------------------------------------------------------------------------------


def test_stories_docs_list_every_option_with_its_default() -> None:
    from dataclasses import fields
    from pathlib import Path

    page = (Path(__file__).resolve().parent.parent / "docs" / "stories.md").read_text("utf-8")
    for option in fields(StoryOptions):
        assert f"| `{option.name}` | {option.default} |" in page, option.name
