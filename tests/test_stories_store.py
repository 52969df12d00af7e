"""Stories in the store: the example corpus against its truth, resuming, idempotence, crash
safety, the migration, and the `stories` / `story` commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import parallax.pipeline as pipeline
import parallax.stories.run as run
from parallax.errors import ExitCode
from parallax.pipeline import IngestOptions, annotate_store, cluster_store, ingest
from parallax.store import Store, StoryStore
from parallax.store.schema import LATEST

from .conftest import EXAMPLES, Cli

TRUTH = json.loads((EXAMPLES / "truth.json").read_text(encoding="utf-8"))
MANIFEST = EXAMPLES / "manifest.csv"


def keyed_ids(store: Store) -> dict[str, str]:
    """Truth key -> stored article id."""
    place = {(Path(a.source).name, a.extra.get("record")): a.id for a in store.articles()}
    return {t["key"]: place[(Path(t["file"]).name, t["record"])] for t in TRUTH["articles"]}


def partition(store: Store) -> set[frozenset[str]]:
    """The stories as sets of truth keys."""
    stories = StoryStore(store)
    found: dict[str, set[str]] = {}
    for key, article_id in keyed_ids(store).items():
        found.setdefault(stories.story_of(article_id) or "", set()).add(key)
    return {frozenset(keys) for keys in found.values()}


TRUE_PARTITION = {frozenset(story["articles"]) for story in TRUTH["stories"]}


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("stories") / "examples.db"
    with Store.open(db) as store:
        ingest([EXAMPLES / "corpus"], store, IngestOptions(manifest=MANIFEST))
        cluster_store(store)
    return db


def test_stories_example_corpus_matches_truth(examples_db: Path) -> None:
    with Store.open_readonly(examples_db) as store:
        assert partition(store) == TRUE_PARTITION


def test_stories_look_alike_earthquakes_stay_apart(examples_db: Path) -> None:
    with Store.open_readonly(examples_db) as store:
        ids = keyed_ids(store)
        stories = StoryStore(store)
        oskeln = {stories.story_of(ids[k]) for k in ("greyhaven-oskeln", "echo-oskeln")}
        veyra = {stories.story_of(ids[k]) for k in ("echo-veyra", "greyhaven-veyra")}
    assert len(oskeln) == len(veyra) == 1
    assert oskeln != veyra


def test_stories_wire_copy_and_relay_are_grouped_with_their_origin(examples_db: Path) -> None:
    with Store.open_readonly(examples_db) as store:
        ids = keyed_ids(store)
        stories = StoryStore(store)
        story = stories.story_of(ids["meridian-letter"])
        assert story is not None
        groups = {m.article.id: m.group for m in stories.members(story)}
        record = stories.story(story)
    origin = ids["meridian-letter"]
    assert groups[ids["harbor-letter"]] == origin  # wire copy
    assert groups[ids["kestrel-letter"]] == origin  # "This is reported by Meridian Wire."
    others = [
        k for k in TRUTH["stories"][0]["articles"] if k not in ("harbor-letter", "kestrel-letter")
    ]
    assert len({groups[ids[k]] for k in others}) == len(others)
    assert record is not None and record.groups == len(others) == 6


def test_stories_titles_are_headlines_of_their_articles(examples_db: Path) -> None:
    titles = {t["title"] for t in TRUTH["articles"]}
    with Store.open_readonly(examples_db) as store:
        records = StoryStore(store).stories()
    assert len(records) == 4
    assert all(record.title in titles for record in records)


def test_stories_clustering_is_idempotent(examples_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    with Store.open_readonly(examples_db) as source, Store.open(copy) as target:
        source._connection.backup(target._connection)
    with Store.open(copy) as store:
        before = partition(store)
        summary = cluster_store(store)
        assert summary.clustered == 0
        assert partition(store) == before


def split_files() -> tuple[list[Path], list[Path]]:
    files = sorted((EXAMPLES / "corpus").iterdir())
    return files[::2], files[1::2]


def test_stories_a_second_run_resumes_from_the_store(tmp_path: Path) -> None:
    """Ingest and cluster half the corpus, then the rest in a new run: the same stories."""
    first, second = split_files()
    with Store.open(tmp_path / "two.db") as store:
        ingest(first, store, IngestOptions(manifest=MANIFEST))
        cluster_store(store)
    with Store.open(tmp_path / "two.db") as store:
        ingest(second, store, IngestOptions(manifest=MANIFEST))
        cluster_store(store)
        assert partition(store) == TRUE_PARTITION


def test_stories_same_result_whatever_the_batch_size(tmp_path: Path) -> None:
    results = []
    for size in (1, 3, 256):
        with Store.open(tmp_path / f"b{size}.db") as store:
            ingest([EXAMPLES / "corpus"], store, IngestOptions(manifest=MANIFEST))
            cluster_store(store, batch_size=size)
            stories = StoryStore(store)
            results.append({a: stories.story_of(i) for a, i in keyed_ids(store).items()})
    assert results[0] == results[1] == results[2]


def test_stories_a_crash_loses_one_batch_and_a_rerun_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = run.assign
    calls = {"n": 0}

    def failing(*args: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 7:
            raise RuntimeError("simulated crash")
        return real(*args)

    with Store.open(tmp_path / "crash.db") as store:
        ingest([EXAMPLES / "corpus"], store, IngestOptions(manifest=MANIFEST))
        monkeypatch.setattr(run, "assign", failing)
        with pytest.raises(RuntimeError):
            cluster_store(store, batch_size=4)
        monkeypatch.setattr(run, "assign", real)
        stories = StoryStore(store)
        assert stories.count_unclustered() == 20 - 4  # the first batch is stored, whole
        cluster_store(store, batch_size=4)
        assert stories.count_unclustered() == 0
        assert partition(store) == TRUE_PARTITION


def test_stories_migration_adds_the_story_tables(store: Store) -> None:
    assert store.schema_version == LATEST >= 3
    tables = {
        row[0]
        for row in store._connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert {"stories", "story_articles", "story_merges", "story_df", "story_state"} <= tables


def test_stories_merge_is_recorded_and_old_id_resolves(store: Store) -> None:
    stories = StoryStore(store)
    with store.transaction():
        stories.found("s-old")
        stories.found("s-new")
        stories.add_member("a1", "s-old", 1, None, None)
        stories.add_member("a2", "s-new", 2, None, None)
        stories.merge("s-new", "s-old", "a3", 0.5)
    assert stories.resolve("s-new") == "s-old"
    assert stories.member_ids("s-old") == ["a1", "a2"]
    assert [(m.source, m.target) for m in stories.merges("s-old")] == [("s-new", "s-old")]
    assert [r.id for r in stories.stories()] == ["s-old"]


# -- the command line ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def examples_cli(examples_db: Path) -> Cli:
    return Cli(examples_db)


def test_stories_command_lists_stories_as_json(examples_cli: Cli) -> None:
    listed = examples_cli.json("stories")
    assert len(listed) == 4
    for story in listed:
        assert set(story) >= {"id", "title", "outlets", "articles", "first_published"}
    assert sorted(s["articles"] for s in listed) == [4, 4, 4, 8]
    assert [s["first_published"][:10] for s in listed] == [
        "2026-10-05",
        "2026-09-21",
        "2026-09-17",
        "2026-09-14",
    ]


@pytest.mark.parametrize(
    ("options", "count"),
    [
        (["--outlet", "Lowmarch Tribune"], 1),
        (["--outlet", "karsh valley echo"], 2),
        (["--since", "2026-09-20"], 2),
        (["--until", "2026-09-14"], 1),
        (["--since", "2026-09-15", "--until", "2026-09-17"], 2),
        (["--limit", "1"], 1),
    ],
)
def test_stories_command_filters(examples_cli: Cli, options: list[str], count: int) -> None:
    assert len(examples_cli.json("stories", *options)) == count


def test_stories_command_rejects_a_bad_date(examples_cli: Cli) -> None:
    result = examples_cli("stories", "--since", "someday")
    assert result.exit_code == ExitCode.USAGE


def test_stories_command_text_output(examples_cli: Cli) -> None:
    result = examples_cli("stories")
    assert result.exit_code == 0
    assert "4 stories" in result.output


def test_story_command_shows_articles_groups_and_outlets(examples_cli: Cli) -> None:
    listed = examples_cli.json("stories", "--outlet", "Kestrel News Online")
    detail = examples_cli.json("story", listed[0]["id"])
    assert len(detail["articles"]) == 8
    assert detail["independent_groups"] == len(detail["groups"]) == 6
    kestrel = next(a for a in detail["articles"] if a["outlet"] == "Kestrel News Online")
    assert kestrel["relays"] == "Meridian Wire"
    assert any(a["wire_of"] for a in detail["articles"])
    text = examples_cli("story", listed[0]["id"])
    assert text.exit_code == 0 and "relays" in text.output


def test_story_command_unknown_id_exits_1(examples_cli: Cli) -> None:
    result = examples_cli("story", "s-nope")
    assert result.exit_code == ExitCode.INPUT_FAILED


def test_ingest_clusters_unless_told_not_to(tmp_path: Path, cli: Cli) -> None:
    first, second = split_files()
    args = ["--manifest", str(MANIFEST), "--no-annotate"]
    assert cli("ingest", *map(str, first), *args, "--no-cluster").exit_code == 0
    assert cli.json("stories") == []
    assert cli("ingest", *map(str, second), *args).exit_code == 0
    with Store.open_readonly(cli.db) as store:
        assert partition(store) == TRUE_PARTITION


# -- the real articles, annotated ----------------------------------------------------------


def test_stories_maduro_letters_are_one_story_with_one_grenell_and_one_maduro(
    maduro: Path, tmp_path: Path
) -> None:
    with Store.open(tmp_path / "maduro.db") as store:
        for n, path in enumerate(sorted(maduro.glob("*.txt"))):
            ingest([path], store, IngestOptions(outlet=f"Outlet {n}"))
        annotate_store(store)
        cluster_store(store)
        listed = pipeline.find_stories(store)
        assert len(listed) == 1 and listed[0].article_count == 2
        detail = pipeline.story_detail(store, listed[0].id)
        assert [s.id for s in pipeline.find_stories(store, actor="Grenell")] == [listed[0].id]
        assert pipeline.find_stories(store, actor="Lukashenko nobody") == []
    assert detail is not None
    people = [a for a in detail["actors"] if a["kind"] == "person"]
    grenell = [a for a in people if "grenell" in a["id"]]
    maduro_actors = [a for a in people if "maduro" in a["id"]]
    assert len(grenell) == 1 and len(grenell[0]["articles"]) == 2
    assert len(maduro_actors) == 1 and len(maduro_actors[0]["articles"]) == 2
    assert {m["article_id"] for m in grenell[0]["mentions"]} == set(grenell[0]["articles"])
