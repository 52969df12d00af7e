"""Story actors on annotated stories: the example corpus scored against its truth, the
errors that scoring found pinned one by one, and the two real articles as one story.

The score is B-cubed over the truth's aliases, per story. An item is a story actor
together with one of the truth's aliases that the story actor carries (as an alias or as
the text of a mention), and its truth is the truth actor of that alias. Precision falls
when one story actor holds the aliases of two truth actors ("Anna Feldt" inside "Jonah
Feldt"); recall falls when one truth actor's aliases are spread over several story
actors ("Red Current" as an organisation and again as a group). Coverage is the share
of the truth's aliases found at all; the truth lists forms annotation never gives as a
name ("Mr. Feldt", "the union"), so it stays below 1.

Print the figures with ``python -m tests.test_stories_actors``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from parallax import pipeline
from parallax.pipeline import IngestOptions, annotate_store, cluster_store, ingest
from parallax.store import Store, StoryStore
from parallax.stories import bcubed, story_actors
from parallax.text import fold

from .conftest import EXAMPLES, Cli
from .test_stories_store import MANIFEST, TRUTH, keyed_ids

# Reached: precision 1.000, recall 0.899, coverage 0.863 (docs/stories.md says what the
# remaining splits are). Lowering a floor needs a note there saying which change lost
# what, and why that is acceptable.
FLOORS = {"precision": 0.99, "recall": 0.89, "coverage": 0.85}


def alias_key(text: str) -> str:
    """Folded, spaces collapsed, a leading "the" dropped: "the Red Current" = "Red Current"."""
    key = " ".join(fold(text).split())
    return key.removeprefix("the ")


@dataclass(frozen=True)
class ActorScore:
    precision: float
    recall: float
    coverage: float
    errors: tuple[str, ...]

    def figures(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "coverage": self.coverage}


def forms(actor: dict[str, Any]) -> list[str]:
    """A story actor's aliases and the texts of its mentions, as alias keys."""
    texts = [*actor["aliases"], *(m["text"] for m in actor["mentions"])]
    return list(dict.fromkeys(alias_key(t) for t in texts))


def score(stories: dict[str, list[dict[str, Any]]]) -> ActorScore:
    """All stories scored together; ``stories`` maps truth story id -> story actors.

    Items are "story/actor number/alias key": their found cluster is the story actor,
    their true cluster the truth actor that lists the alias.
    """
    found: dict[str, str] = {}
    truth: dict[str, str] = {}
    expected: set[str] = set()
    seen: set[str] = set()
    for story, actors in stories.items():
        owner = {
            alias_key(alias): f"{story}/{actor['name']}"
            for actor in TRUTH["actors"]
            if actor["story"] == story
            for alias in actor["aliases"]
        }
        expected |= {f"{story}/{key}" for key in owner}
        for number, actor in enumerate(actors):
            for key in forms(actor):
                if key in owner:
                    found[f"{story}/{number}/{key}"] = f"{story}/{actor['name']}#{number}"
                    truth[f"{story}/{number}/{key}"] = owner[key]
                    seen.add(f"{story}/{key}")
    scores = bcubed(found, truth)
    return ActorScore(
        scores.precision, scores.recall, len(seen) / len(expected), _errors(found, truth)
    )


def _errors(found: dict[str, str], truth: dict[str, str]) -> tuple[str, ...]:
    """Story actors holding two truth actors, and truth actors spread over two."""
    truths_of: dict[str, set[str]] = {}
    actors_of: dict[str, set[str]] = {}
    for item, actor in found.items():
        truths_of.setdefault(actor, set()).add(truth[item])
        actors_of.setdefault(truth[item], set()).add(actor)
    mixed = [f"{a} holds {sorted(t)}" for a, t in truths_of.items() if len(t) > 1]
    split = [f"{t} is split: {sorted(a)}" for t, a in actors_of.items() if len(a) > 1]
    return tuple(mixed + split)


# -- the example corpus, annotated -------------------------------------------------------------


def example_story_actors(db: Path) -> dict[str, list[dict[str, Any]]]:
    """Truth story id -> the story actors of the story its articles are in, the corpus
    ingested, annotated and clustered into ``db`` as ``parallax ingest`` does."""
    found: dict[str, list[dict[str, Any]]] = {}
    with Store.open(db) as store:
        ingest([EXAMPLES / "corpus"], store, IngestOptions(manifest=MANIFEST))
        annotate_store(store)
        cluster_store(store)
        ids = keyed_ids(store)
        stories = StoryStore(store)
        for story in TRUTH["stories"]:
            placed = {stories.story_of(ids[key]) for key in story["articles"]}
            assert len(placed) == 1, story["id"]
            detail = pipeline.story_detail(store, placed.pop() or "")
            assert detail is not None
            found[story["id"]] = detail["actors"]
    return found


@pytest.fixture(scope="module")
def story_actors_of(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    return example_story_actors(tmp_path_factory.mktemp("story-actors") / "examples.db")


def actors_named(found: list[dict[str, Any]], alias: str) -> list[dict[str, Any]]:
    return [a for a in found if alias_key(alias) in {alias_key(x) for x in a["aliases"]}]


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_story_actors_example_corpus_meets_floor(
    story_actors_of: dict[str, list[dict[str, Any]]], measure: str
) -> None:
    result = score(story_actors_of)
    assert result.figures()[measure] >= FLOORS[measure], (result.figures(), result.errors)


def test_story_actors_anna_feldt_is_not_jonah_feldt(
    story_actors_of: dict[str, list[dict[str, Any]]],
) -> None:
    anna = actors_named(story_actors_of["A"], "Anna Feldt")
    jonah = actors_named(story_actors_of["A"], "Jonah Feldt")
    assert len(anna) == len(jonah) == 1
    assert anna[0]["id"] != jonah[0]["id"]
    assert "Feldt" in jonah[0]["aliases"] and "Feldt" not in anna[0]["aliases"]


def test_story_actors_the_boat_marisol_is_a_thing(
    story_actors_of: dict[str, list[dict[str, Any]]],
) -> None:
    [marisol] = actors_named(story_actors_of["A"], "Marisol")
    assert marisol["kind"] == "other"
    assert len(marisol["articles"]) == 8


def test_story_actors_a_kind_split_is_one_actor(
    story_actors_of: dict[str, list[dict[str, Any]]],
) -> None:
    """The articles call the Red Current an organisation, a group and a place."""
    [red] = actors_named(story_actors_of["A"], "Red Current")
    assert len(red["articles"]) == 6


def test_story_actors_no_common_noun_is_an_actor(
    story_actors_of: dict[str, list[dict[str, Any]]],
) -> None:
    """ "the gulf" (tagged LOC by the model) is a mention of the Gulf of Caldera."""
    names = [a["name"] for found in story_actors_of.values() for a in found]
    assert [n for n in names if not any(c.isupper() for c in n)] == []
    [gulf] = actors_named(story_actors_of["A"], "Gulf of Caldera")
    assert "gulf" in {m["text"] for m in gulf["mentions"]}
    assert gulf["aliases"] == ["Gulf of Caldera"]


# -- the real articles ------------------------------------------------------------------------


def test_story_actors_real_letters_through_the_cli(maduro: Path, cli: Cli) -> None:
    """``parallax ingest`` (annotation and clustering on) of the two real articles: one
    story, one Grenell and one Maduro, each named in both articles."""
    for n, path in enumerate(sorted(maduro.glob("*.txt"))):
        assert cli("ingest", str(path), "--outlet", f"Outlet {n}").exit_code == 0
    listed = cli.json("stories")
    assert [s["articles"] for s in listed] == [2]
    actors = cli.json("story", listed[0]["id"])["actors"]
    for surname in ("grenell", "maduro"):
        holders = [a for a in actors if any(surname in fold(x) for x in [a["name"], *a["aliases"]])]
        assert len(holders) == 1, (surname, holders)
        assert holders[0]["kind"] == "person" and len(holders[0]["articles"]) == 2
    names = {a["name"] for a in actors}
    assert {"Richard Grenell", "Nicolás Maduro"} <= names


# -- ids ----------------------------------------------------------------------------------------


def article(*actors: tuple[str, str, str]) -> dict[str, Any]:
    """An article's annotations: ``(id, name, kind)`` actors, each mentioned once by name,
    one after another."""
    found: dict[str, Any] = {"actors": [], "mentions": []}
    offset = 0
    for actor_id, name, kind in actors:
        found["actors"].append({"id": actor_id, "name": name, "kind": kind, "aliases": [name]})
        found["mentions"].append(
            {"actor": actor_id, "text": name, "span": [offset, offset + len(name)]}
        )
        offset += len(name) + 1
    return found


def test_story_actors_names_in_another_script_are_not_one_actor() -> None:
    """Regression: every Cyrillic name was the slug "actor", so Lavrov in one article joined
    Putin of another; the same name in two scripts is now one actor."""
    merged = story_actors(
        [
            (
                "a1",
                article(
                    ("vladimir-putin", "Владимир Путин", "person"),
                    ("sergey-lavrov", "Сергей Лавров", "person"),
                ),
            ),
            ("a2", article(("vladimir-putin", "Vladimir Putin", "person"))),
            ("a3", article(("sergey-lavrov", "Сергей Лавров", "person"))),
        ]
    )
    assert sorted((a.id, sorted(a.article_ids)) for a in merged) == [
        ("sergey-lavrov", ["a1", "a3"]),
        ("vladimir-putin", ["a1", "a2"]),
    ]


def test_story_actors_ids_stay_unique_however_many_actors_share_a_slug() -> None:
    """Regression: a colliding actor's suffixed id could take the slug of another actor
    ("Oskeln" the organisation took "oskeln-org", so "Oskeln Org" became
    "oskeln-org-org"). Ids are unique, each actor whose name is the only one with its slug
    keeps it, and every story actor keeps its own article actor and mentions."""
    actors = [
        ("oskeln", "Oskeln", "place"),
        ("oskeln-2", "Oskeln", "org"),
        ("oskeln-org", "Oskeln Org", "org"),
        ("anna-lee-smith", "Anna Lee-Smith", "person"),
        ("anna-lee-smith-2", "Anna Lee Smith", "person"),
        ("anna-lee-smith-3", "Anna-Lee Smith", "person"),
        ("anna-lee-smith-4", "Anna Lee–Smith", "person"),
    ]
    found = article(*actors)
    merged = story_actors([("a1", found)])
    assert [(a.name, a.kind, a.id) for a in merged] == [
        ("Anna Lee Smith", "person", "anna-lee-smith"),
        ("Anna Lee-Smith", "person", "anna-lee-smith-person"),
        ("Anna Lee–Smith", "person", "anna-lee-smith-2"),
        ("Anna-Lee Smith", "person", "anna-lee-smith-3"),
        ("Oskeln", "place", "oskeln"),
        ("Oskeln", "org", "oskeln-2"),
        ("Oskeln Org", "org", "oskeln-org"),
    ]
    article_ids = {(a.name, a.kind): a.article_ids["a1"] for a in merged}
    assert article_ids == {(name, kind): actor_id for actor_id, name, kind in actors}
    spans = {m["actor"]: m["span"] for m in found["mentions"]}
    for story_actor in merged:
        [mention] = story_actor.mentions
        assert mention["text"] == story_actor.name
        assert mention["span"] == spans[story_actor.article_ids["a1"]]
    assert [a.id for a in story_actors([("a1", found)])] == [a.id for a in merged]


if __name__ == "__main__":  # the figures docs/stories.md reports
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        result = score(example_story_actors(Path(folder) / "examples.db"))
    print(result.figures(), *result.errors, sep="\n")
