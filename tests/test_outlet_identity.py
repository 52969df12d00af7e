"""One outlet, one identity on every surface: every spelling of an outlet (its name, "The "
prefix, bare domain, www. domain, a url, a "... News" suffix, other case) is one outlet in
the story list and filter, a story, the report (JSON, Markdown, HTML), the export (JSONL,
CSV) and the web server; the outlet table is editable (``PARALLAX_OUTLETS``) and learns
domain = name pairs from the stored pages."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from parallax.cli import app
from parallax.errors import ExitCode, UsageError
from parallax.pipeline import (
    cluster_store,
    find_stories,
    ingest,
    kept_story_report,
    report_version,
)
from parallax.settings import Settings
from parallax.store import Store
from parallax.text.outlets import (
    configure_outlets,
    learned_outlets,
    outlet_key,
    read_outlets_file,
    shown_outlet,
    use_learned,
)
from parallax.web import create_app

from .conftest import Cli

SENTENCES = (
    "The ferry Marisol capsized off Port Salvenne on Tuesday with 212 passengers aboard.",
    "Coast guard crews pulled {n} survivors from the cold water before dawn.",
    "Captain Ilse Varga told reporters that the port engine failed in the storm.",
    "The harbour master of Port Salvenne said rescue boats arrived within an hour.",
    "Relatives gathered at the ferry terminal waiting for news of the missing.",
    "Divers searched the hull of the Marisol late into the night, officials said.",
)
MERIDIAN = "The Meridian Wire"
SPELLINGS: list[dict[str, str]] = [
    {"outlet": "The Meridian Wire"},  # the name, first stored: the name shown
    {"outlet": "Meridian Wire"},  # without "The "
    {"outlet": "meridianwire.example"},  # bare domain
    {"outlet": "www.meridianwire.example"},  # www. domain
    {"url": "https://www.meridianwire.example/news/ferry"},  # a url only
    {"outlet": "Meridian Wire News"},  # "... News" suffix
    {"outlet": "MERIDIAN WIRE"},  # case
    {"outlet": "Harbor Daily Post", "url": "https://hdp.example/ferry-a"},  # teaches
    {"url": "https://hdp.example/ferry-b"},  # only the domain: shown as the name
    {"outlet": "NYT"},
    {"outlet": "nytimes.com"},
]
SHOWN = {"The Meridian Wire", "Harbor Daily Post", "The New York Times"}
FORMS = [
    "The Meridian Wire",
    "meridian wire",
    "meridianwire.example",
    "www.meridianwire.example",
    "https://www.meridianwire.example/anything",
    "Meridian Wire News",
    "MERIDIAN WIRE NEWS",
    "hdp.example",
    "www.hdp.example",
    "Harbor Daily Post",
    "New York Times",
]


def _record(n: int, given: dict[str, str]) -> dict[str, str]:
    """A report of the one event in words of its own (no copy of another: each outlet is
    its own independence group unless the outlet table says otherwise)."""
    words = " ".join(SENTENCES).format(n=180 + n).split()
    marker = ("indeed", "reportedly", "again", "also", "still", "then")[n % 6] + f" {n}"
    text = " ".join(w if i % 4 else f"{marker} {w}" for i, w in enumerate(words))
    return {
        **given,
        "title": f"Ferry capsizes off Port Salvenne ({n})",
        "text": text,
        "published_at": "2026-03-03",
    }


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("identity")
    path = folder / "ferry.jsonl"
    lines = [json.dumps(_record(n, given)) for n, given in enumerate(SPELLINGS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store.open(folder / "s.db") as store:
        ingest([path], store)
        cluster_store(store)
    yield folder / "s.db"
    use_learned(())


@pytest.fixture(scope="module")
def story_id(served: Path) -> str:
    with Store.open_readonly(served) as store:
        (story,) = find_stories(store)
    return story.id


@pytest.mark.parametrize("form", FORMS)
def test_outlet_identity_stories_filter_matches_every_form(served: Path, form: str) -> None:
    with Store.open_readonly(served) as store:
        assert len(find_stories(store, outlet=form)) == 1


def test_outlet_identity_story_list_and_story_show_one_name(served: Path, story_id: str) -> None:
    cli = Cli(served)
    (listed,) = cli.json("stories")
    assert set(listed["outlets"]) == SHOWN
    story = cli.json("story", story_id)
    assert {a["outlet_name"] for a in story["articles"]} == SHOWN
    assert {o for g in story["groups"] for o in g["outlets"]} == SHOWN
    text = cli("story", story_id).output
    assert "MERIDIAN WIRE" not in text and "hdp.example" not in text


def test_outlet_identity_report_json_markdown_html(served: Path, story_id: str) -> None:
    cli = Cli(served)
    (story,) = cli.json("report", story_id)["stories"]
    assert {a["outlet_name"] for a in story["articles"]} == SHOWN
    by_given = {a["outlet"]: a["outlet_name"] for a in story["articles"]}
    assert by_given["hdp.example"] == "Harbor Daily Post"
    assert by_given["www.meridianwire.example"] == by_given["MERIDIAN WIRE"] == MERIDIAN
    for fmt in ("markdown", "html"):
        shown = cli("report", story_id, "--format", fmt).output
        assert MERIDIAN in shown and "Harbor Daily Post" in shown
        for other in ("MERIDIAN WIRE", "Meridian Wire News", ">hdp.example<", "| hdp.example"):
            assert other not in shown, (fmt, other)


def test_outlet_identity_owner_independence_from_a_user_table(
    served: Path, story_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = tmp_path / "outlets.tsv"
    table.write_text(
        "# name\tdomains\taliases\tparent\n"
        "Harbor Daily Post\thdp.example\tHDP\tHarbor Holdings\n"
        "The Meridian Wire\tmeridianwire.example\t\tHarbor Holdings\n",
        encoding="utf-8",
    )
    cli = Cli(served)
    (alone,) = cli.json("report", story_id)["stories"]
    monkeypatch.setenv("PARALLAX_OUTLETS", str(table))
    configure_outlets(None)
    (owned,) = cli.json("report", story_id, "--independence", "owner")["stories"]
    groups = [set(g["outlets"]) for g in owned["groups"]]
    assert {"The Meridian Wire", "Harbor Daily Post"} in groups
    assert len(owned["groups"]) < len(alone["groups"])


def test_outlet_identity_export_tables_and_jsonl(served: Path, tmp_path: Path) -> None:
    cli = Cli(served)
    result = cli("export", "--format", "csv", "-o", str(tmp_path / "t"))
    assert result.exit_code == 0, result.output
    with (tmp_path / "t" / "articles.csv").open(encoding="utf-8") as handle:
        articles = list(csv.DictReader(handle))
    assert {row["outlet_name"] for row in articles} == SHOWN
    assert {r["outlet_name"] for r in articles if "hdp.example" in r["url"]} == {
        "Harbor Daily Post"
    }
    for name in ("story_articles", "stories"):
        with (tmp_path / "t" / f"{name}.csv").open(encoding="utf-8") as handle:
            column = "outlet" if name == "story_articles" else "outlets"
            cells = {c for row in csv.DictReader(handle) for c in row[column].split("; ")}
        assert cells == SHOWN
    lines = cli("export", "--format", "jsonl").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert {r["outlet"] for r in records} >= {"MERIDIAN WIRE", "hdp.example"}
    assert {r["id"]: r["outlet_name"] for r in records} == {
        row["id"]: row["outlet_name"] for row in articles
    }


def test_outlet_identity_jsonl_export_adds_the_shown_name_beside_the_stored_outlet(
    served: Path, tmp_path: Path
) -> None:
    """``outlet`` stays as stored (the contract's field), ``outlet_name`` is beside it."""
    result = Cli(served)("export", "--format", "jsonl", "-o", str(tmp_path / "a.jsonl"))
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [list(r)[:4] for r in records] == [["schema", "id", "outlet", "outlet_name"]] * 11
    stored = [given.get("outlet", "hdp.example") for given in SPELLINGS]
    stored[4] = "meridianwire.example"  # a url only: its domain, as ingest stores it
    assert sorted(r["outlet"] for r in records) == sorted(stored)
    by_url = {r["url"]: r["outlet_name"] for r in records if r["url"]}
    assert by_url["https://hdp.example/ferry-b"] == "Harbor Daily Post"
    assert by_url["https://www.meridianwire.example/news/ferry"] == MERIDIAN
    assert {r["outlet_name"] for r in records} == SHOWN


def test_outlet_identity_jsonl_first_record_knows_what_later_pages_taught(
    tmp_path: Path,
) -> None:
    """The first stored article is known only by its domain; a later page on that domain
    names the outlet. The export learns before writing any record, so the first one is
    already shown by the name (it was the domain when learning waited for the story
    lookup of the first record)."""
    source = tmp_path / "gull.jsonl"
    pages = [
        {"url": "https://gull.example/a"},
        {"outlet": "Gull Coast Courier", "url": "https://www.gull.example/b"},
    ]
    source.write_text(
        "".join(json.dumps(_record(n, page)) + "\n" for n, page in enumerate(pages)),
        encoding="utf-8",
    )
    with Store.open(tmp_path / "s.db") as store:
        ingest([source], store)
    use_learned(())  # a new process: nothing learned but what the store holds
    lines = Cli(tmp_path / "s.db")("export", "--format", "jsonl").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["outlet"], r["outlet_name"]) for r in records] == [
        ("gull.example", "Gull Coast Courier"),
        ("Gull Coast Courier", "Gull Coast Courier"),
    ]


ARTICLE_FORMS = [
    ("The Meridian Wire", 7),  # the name
    ("Meridian Wire", 7),  # without "The "
    ("meridianwire.example", 7),  # bare domain
    ("www.meridianwire.example", 7),  # www. domain
    ("https://www.meridianwire.example/anything", 7),  # a url on the domain
    ("Meridian Wire News", 7),  # "... News" suffix
    ("meridian wire news", 7),  # case
    ("MERIDIAN WIRE", 7),
    ("Harbor Daily Post", 2),  # and its domain-only article, which the store taught
    ("www.hdp.example", 2),
    ("New York Times", 2),  # "NYT" and "nytimes.com" by the shipped table
    ("Kestrel Times", 0),
    ("!!!", 0),
]


@pytest.mark.parametrize(("form", "count"), ARTICLE_FORMS)
def test_outlet_identity_articles_filter_matches_every_form(
    served: Path, form: str, count: int
) -> None:
    cli = Cli(served)
    listed = cli.json("articles", "--outlet", form)
    assert len(listed) == count
    assert len({a["outlet_name"] for a in listed}) == min(count, 1)
    if count:
        assert {a["outlet_name"] for a in listed} <= SHOWN
    shown = cli("articles", "--outlet", form).output
    assert f"{count} article(s)" in shown


def test_outlet_identity_articles_filter_keeps_the_stored_spelling_shown(served: Path) -> None:
    """The filter widens the match, not the listing: each article keeps its own outlet."""
    listed = Cli(served).json("articles", "--outlet", "meridian wire")
    assert {a["outlet"] for a in listed} == {
        "The Meridian Wire",
        "Meridian Wire",
        "meridianwire.example",
        "www.meridianwire.example",
        "Meridian Wire News",
        "MERIDIAN WIRE",
    }
    assert {a["outlet_name"] for a in listed} == {MERIDIAN}


def test_outlet_identity_domain_only_copy_of_a_taught_outlet_is_a_duplicate(
    tmp_path: Path,
) -> None:
    """Regression: a page of hdp.example naming Harbor Daily Post is stored; a later copy
    of it known only by its url on hdp.example was a wire copy (another outlet) because
    ingest compared outlets without what the stored pages taught. It is a duplicate; a
    copy from another outlet is still a wire copy."""
    text = _record(0, {})["text"]
    first = tmp_path / "first.jsonl"
    first.write_text(
        json.dumps({"outlet": "Harbor Daily Post", "url": "https://hdp.example/a", "text": text})
        + "\n",
        encoding="utf-8",
    )
    copies = tmp_path / "copies.jsonl"
    copies.write_text(
        json.dumps({"url": "https://www.hdp.example/b", "text": text})
        + "\n"
        + json.dumps({"outlet": "Kestrel Times", "url": "https://kestrel.example/c", "text": text})
        + "\n",
        encoding="utf-8",
    )
    with Store.open(tmp_path / "s.db") as store:
        ingest([first], store)
        use_learned(())  # a new process: nothing learned but what the store holds
        summary = ingest([copies], store)
        origin, bare, other = list(store.articles())
    assert bare.outlet == "hdp.example" and bare.duplicate_of == origin.id
    assert bare.wire_of is None
    assert other.wire_of == origin.id and other.duplicate_of is None
    assert (summary.duplicates, summary.wire_copies) == (1, 1)


def test_outlet_identity_web_pages_and_api(served: Path, story_id: str) -> None:
    with TestClient(create_app(served)) as client:
        assert set(client.get("/api/outlets").json()["outlets"]) == SHOWN
        for form in FORMS:
            profile = client.get("/api/outlets/" + quote(form, safe=""))
            assert profile.status_code == 200, form
            assert profile.json()["outlet"] in SHOWN
            page = client.get("/outlets/" + quote(form, safe=""))
            assert page.status_code == 200 and story_id in page.text
            assert story_id in client.get("/", params={"outlet": form}).text
        meridian = client.get("/api/outlets/" + quote("www.meridianwire.example", safe=""))
        assert meridian.json()["outlet"] == MERIDIAN and meridian.json()["articles"] == 7
        hdp = client.get("/api/outlets/hdp.example").json()
        assert hdp["outlet"] == "Harbor Daily Post" and hdp["articles"] == 2
        page = client.get(f"/stories/{story_id}").text
        assert "MERIDIAN WIRE" not in page and "Meridian Wire News" not in page


def test_outlet_identity_a_test_after_a_store_read_sees_the_shipped_table_only(
    served: Path,
) -> None:
    """The tests above read the store (its pages taught hdp.example = Harbor Daily Post);
    the conftest fixture hands each test the shipped table, so this one does not see it
    until it reads the store itself."""
    assert shown_outlet("hdp.example") == "hdp.example"
    with Store.open_readonly(served) as store:
        assert len(list(store.articles(outlet="Harbor Daily Post"))) == 2
    assert shown_outlet("hdp.example") == "Harbor Daily Post"


def test_outlet_identity_taught_name_reaches_a_kept_report_of_another_story(
    tmp_path: Path,
) -> None:
    """A domain-only article's story is kept reported; a later page naming the domain's
    outlet lands in another story: the first story's report moves to the name."""
    bare = tmp_path / "bare.jsonl"
    bare.write_text(json.dumps(_record(1, {"url": "https://gull.example/a"})) + "\n")
    named = tmp_path / "named.jsonl"
    other = {
        "outlet": "Gull Coast Courier",
        "url": "https://www.gull.example/b",
        "title": "Council approves the new tram line",
        "text": "The city council approved the tram line to the airport on Friday, by 31"
        " votes to 9, after a debate of six hours about its cost of 400 million.",
        "published_at": "2026-05-20",
    }
    named.write_text(json.dumps(other) + "\n")
    with Store.open(tmp_path / "s.db") as store:
        ingest([bare], store)
        cluster_store(store)
        (story,) = find_stories(store)
        first = kept_story_report(store, story.id, version="v")
        assert first is not None and first[0]["articles"][0]["outlet_name"] == "gull.example"
        ingest([named], store)
        cluster_store(store)
        assert len(find_stories(store)) == 2
        again = kept_story_report(store, story.id, version="v")
    assert again is not None and again[1] != first[1]
    assert again[0]["articles"][0]["outlet_name"] == "Gull Coast Courier"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.meridianwire.example/news/1", "The Meridian Wire"),
        ("http://meridianwire.example", "MERIDIAN WIRE NEWS"),
        ("https://www.nytimes.com/2026/03/03/world/ferry.html", "NYT"),
        ("bbc.co.uk/news", "BBC News"),
    ],
)
def test_outlet_identity_url_is_its_outlet(a: str, b: str) -> None:
    assert outlet_key(a) == outlet_key(b)


def test_outlet_identity_learns_a_domain_only_from_one_name() -> None:
    pages = [
        ("Harbor Daily Post", "hdp.example"),
        ("Harbor Daily Post", "www.hdp.example"),
        ("Harbor Daily Post", "feeds.example"),
        ("Kestrel Times", "feeds.example"),  # two outlets on one host: an aggregator
        ("The New York Times", "nyti.ms"),
        ("Reuters", "nytimes.com"),  # a domain the table knows is not taught
    ]
    spellings = {"Harbor Daily Post": 1, "hdp.example": 2, "feeds.example": 3}
    use_learned(learned_outlets(spellings, pages))
    assert shown_outlet("hdp.example") == shown_outlet("www.hdp.example") == "Harbor Daily Post"
    assert outlet_key("https://hdp.example/x") == outlet_key("Harbor Daily Post")
    assert outlet_key("nyti.ms") == outlet_key("The New York Times")
    assert shown_outlet("feeds.example") == "feeds.example"
    assert shown_outlet("nytimes.com") == "The New York Times"
    assert outlet_key("HDP") != outlet_key("Harbor Daily Post")  # a domain, not a name


def test_outlet_identity_user_table_adds_and_overrides(tmp_path: Path) -> None:
    table = tmp_path / "outlets.tsv"
    table.write_text(
        "Harbor Daily Post\thdp.example\tHDP|The Harbor Post\tHarbor Holdings\tUS\ten\n"
        "The Guardian\ttheguardian.com\tGuardian\tScott Trust\tGB\ten\n",
        encoding="utf-8",
    )
    configure_outlets(table)
    assert outlet_key("HDP") == outlet_key("hdp.example") == outlet_key("Harbor Daily Post")
    assert shown_outlet("The Harbor Post") == "Harbor Daily Post"
    assert read_outlets_file(table)[1].parent == "Scott Trust"
    assert shown_outlet("guardian") == "The Guardian"
    configure_outlets("")
    assert outlet_key("HDP") != outlet_key("Harbor Daily Post")


@pytest.mark.parametrize(
    ("content", "where", "reason"),
    [
        ("Harbor Daily Post\thdp.example\n\t\tno name\n", ":2", "no outlet name"),
        ("# a comment\nA\tb\tc\td\te\tf\tg\n", ":2", "7 columns"),
        (b"Caf\xe9 News\n", "", "not UTF-8"),
    ],
)
def test_outlet_identity_broken_user_table_is_a_usage_error(
    tmp_path: Path, content: str | bytes, where: str, reason: str
) -> None:
    table = tmp_path / "outlets.tsv"
    if isinstance(content, bytes):
        table.write_bytes(content)
    else:
        table.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        Settings.from_env({"PARALLAX_OUTLETS": str(table)})
    assert raised.value.code == "E061"
    assert f"{table}{where}" in raised.value.reason and reason in raised.value.reason
    assert raised.value.exit_code == ExitCode.USAGE


def test_outlet_identity_missing_user_table_stops_ingest_before_any_work(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The ferry Marisol capsized off Port Salvenne on Tuesday.\n")
    result = Cli(tmp_path / "s.db").runner.invoke(
        app,
        ["ingest", str(article), "--db", str(tmp_path / "s.db")],
        env={"PARALLAX_OUTLETS": str(tmp_path / "nowhere.tsv")},
    )
    assert result.exit_code == ExitCode.USAGE
    assert "E061" in result.output and "nowhere.tsv" in result.output
    assert not (tmp_path / "s.db").exists()


def test_outlet_identity_editing_the_user_table_makes_kept_reports_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row added to the user's table can rename or join outlets of a story that did
    not change, so the table is part of a kept report's version."""
    table = tmp_path / "outlets.tsv"
    table.write_text("Harbor Daily Post\thdp.example\tHDP\t\tUS\ten\n", encoding="utf-8")
    monkeypatch.setenv("PARALLAX_OUTLETS", str(table))
    before = report_version(Settings.from_env())
    assert report_version(Settings.from_env()) == before
    table.write_text(
        "Harbor Daily Post\thdp.example\tHDP|The Harbor Post\t\tUS\ten\n", encoding="utf-8"
    )
    assert report_version(Settings.from_env()) != before
    monkeypatch.delenv("PARALLAX_OUTLETS")
    assert report_version(Settings.from_env()) != before


def test_outlet_identity_article_json_shows_a_taught_name_in_a_fresh_process(
    served: Path,
) -> None:
    """``parallax article ID --format json`` learns the store's pairs before it builds
    the record: the domain-only page shows as the outlet its sibling page named."""
    with Store.open_readonly(served) as store:
        (article,) = [a for a in store.articles() if a.url == "https://hdp.example/ferry-b"]
    use_learned(())
    result = Cli(served)("article", article.id, "--format", "json")
    assert json.loads(result.stdout)["outlet_name"] == "Harbor Daily Post"
