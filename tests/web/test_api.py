"""The server over HTTP (in-process): routes, contracts, limits, errors, headers, liveness."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

import parallax.pipeline
import parallax.web.app
from parallax.pipeline import IngestOptions, annotate_store, cluster_store, ingest
from parallax.store import Store
from parallax.web import create_app
from parallax.web.security import CONTENT_SECURITY_POLICY
from tests.conftest import Cli
from tests.test_cli import check_contract as check_article
from tests.test_cli_report import check_contract as check_report
from tests.web.conftest import CORPUS, MANIFEST, build_store

REPORT_STORY_KEYS = {"id", "title", "articles", "actors", "facts", "conflicts", "quotes",
                     "timeline", "framing"}  # fmt: skip
ARTICLE_KEYS = {"schema", "id", "outlet", "title", "url", "author", "published_at", "language",
                "source", "text", "duplicate_of", "wire_of", "annotations"}  # fmt: skip


def first_story(client: TestClient) -> dict[str, Any]:
    stories = client.get("/api/stories", params={"sort": "sources"}).json()["stories"]
    return dict(stories[0])


def routes(client: TestClient) -> list[str]:
    story = first_story(client)["id"]
    report = client.get(f"/api/stories/{story}").json()["stories"][0]
    article = report["articles"][0]["id"]
    outlet = report["articles"][0]["outlet"]
    actor = report["actors"][0]["id"]
    return [
        "/", "/?q=letter", f"/stories/{story}", f"/articles/{article}", "/outlets",
        f"/outlets/{outlet}", f"/actors/{actor}", "/api/stories", f"/api/stories/{story}",
        f"/api/articles/{article}", f"/api/outlets/{outlet}", f"/api/actors/{actor}",
        "/api/search?q=letter", "/api/outlets", "/openapi.json", "/static/web.css",
        "/static/parallax.js", "/static/report.css", f"/api/stories/{story}/facts.csv",
        "/nope", "/stories/nope", "/api/stories/nope",
        "/articles/nope", "/?page=0", "/api/stories?per_page=1000",
    ]  # fmt: skip


def test_web_every_route_sends_the_security_headers(client: TestClient) -> None:
    for route in routes(client):
        response = client.get(route, follow_redirects=False)
        headers = response.headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY, route
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff", route
        assert headers["referrer-policy"] == "no-referrer", route
        assert headers["x-frame-options"] == "DENY", route


def test_web_pages_answer_and_unknown_ids_are_404_without_a_traceback(client: TestClient) -> None:
    for route in routes(client):
        response = client.get(route)
        body = response.text
        assert "Traceback" not in body and 'File "' not in body, route
        if "nope" in route:
            assert response.status_code == 404, route
            if route.startswith("/api/"):
                assert response.json()["error"]["status"] == 404
            else:
                assert "Not found" in body and response.headers["content-type"].startswith(
                    "text/html"
                )
        elif "page=0" in route or "per_page=1000" in route:
            assert response.status_code == 400, route
        else:
            assert response.status_code == 200, route


def test_web_story_json_is_a_report_with_evidence_that_is_in_the_articles(
    client: TestClient,
) -> None:
    story = first_story(client)["id"]
    document = client.get(f"/api/stories/{story}").json()
    found = check_report(document)
    assert set(found) >= REPORT_STORY_KEYS
    assert found["id"] == story and found["conflicts"], "the example story has conflicts"
    texts: dict[str, str] = {}
    for article in found["articles"]:
        texts[article["id"]] = client.get(f"/api/articles/{article['id']}").json()["text"]
    items = [v for c in found["conflicts"] for v in c["values"]]
    items += [e for f in found["facts"] for e in f["evidence"]]
    items += found["quotes"] + found["timeline"]
    for item in items:
        start, end = item["span"]
        assert texts[item["article_id"]][start:end] == item["text"]


def test_web_article_json_is_the_article_contract(client: TestClient) -> None:
    story = first_story(client)["id"]
    article = client.get(f"/api/stories/{story}").json()["stories"][0]["articles"][0]["id"]
    document = client.get(f"/api/articles/{article}").json()
    check_article(document)
    assert set(document) >= ARTICLE_KEYS
    assert document["schema"] == "parallax.article/1"
    assert document["story"] == story
    for mention in document["annotations"]["mentions"]:
        start, end = mention["span"]
        assert document["text"][start:end] == mention["text"]


def test_web_story_list_pages_filters_and_search(client: TestClient) -> None:
    everything = client.get("/api/stories", params={"per_page": 100}).json()
    assert everything["next"] is None and len(everything["stories"]) >= 4
    pages, url = [], "/api/stories?per_page=1"
    while url:
        page = client.get(url).json()
        pages += [s["id"] for s in page["stories"]]
        url = page["next"]
    assert pages == [s["id"] for s in everything["stories"]]
    with_conflicts = client.get("/api/stories", params={"conflicts": "yes"}).json()["stories"]
    assert with_conflicts and all(s["conflicts"] > 0 for s in with_conflicts)
    without = client.get("/api/stories", params={"conflicts": "no"}).json()["stories"]
    assert {s["id"] for s in without}.isdisjoint(s["id"] for s in with_conflicts)
    many = client.get("/api/stories", params={"min_sources": 5}).json()["stories"]
    assert many and all(s["independent_groups"] >= 5 for s in many)
    found = client.get("/api/stories", params={"q": "warships letter"}).json()["stories"]
    assert [s["id"] for s in found] == [s["id"] for s in with_conflicts][:1]
    outlet = with_conflicts[0]["outlets"][0]
    by_outlet = client.get("/api/stories", params={"outlet": outlet}).json()["stories"]
    assert by_outlet and all(outlet in s["outlets"] for s in by_outlet)
    by_actor = client.get("/api/stories", params={"actor": "Ruvalle"}).json()["stories"]
    assert [s["id"] for s in by_actor] == [with_conflicts[0]["id"]]
    assert client.get("/", params={"q": "warships letter"}).text.count('class="story-row"') == 1


@pytest.mark.parametrize(
    "words", ['"', "NEAR(a b)", "*", "a:b", "title:x", "'; DROP TABLE articles; --", "^", "-"]
)
def test_web_search_takes_any_words_without_fts_syntax(client: TestClient, words: str) -> None:
    response = client.get("/api/search", params={"q": words})
    assert response.status_code == 200
    assert client.get("/", params={"q": words}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [{"q": "x" * 201}, {"page": 401}, {"per_page": 0}, {"sort": "title; DROP"},
     {"conflicts": "maybe"}, {"min_sources": -1}, {"since": "not a date"}],
)  # fmt: skip
def test_web_bad_list_parameters_are_400_with_the_reason(
    client: TestClient, query: dict[str, Any]
) -> None:
    api = client.get("/api/stories", params=query)
    assert api.status_code == 400
    assert api.json()["error"]["message"]
    page = client.get("/", params=query)
    assert page.status_code == 400 and "text/html" in page.headers["content-type"]


@pytest.mark.parametrize(
    "path",
    ["/stories/{}", "/articles/{}", "/actors/{}", "/api/stories/{}", "/api/articles/{}",
     "/api/actors/{}", "/api/stories/{}/facts.csv"],
)  # fmt: skip
def test_web_path_ids_are_bounded_like_every_parameter(client: TestClient, path: str) -> None:
    """An id of 201 characters is refused before any lookup (400 with the reason), like
    a query parameter past its bound; one of 200 is looked up and not found."""
    refused = client.get(path.format("x" * 201))
    assert refused.status_code == 400 and "200" in refused.text
    assert client.get(path.format("x" * 200)).status_code == 404


def test_web_nothing_writes(client: TestClient, example_db: Path) -> None:
    before = example_db.read_bytes()
    story = first_story(client)["id"]
    for method in ("post", "put", "delete", "patch"):
        for route in ("/", f"/stories/{story}", "/api/stories", f"/api/stories/{story}"):
            response = getattr(client, method)(route)
            assert response.status_code == 405, (method, route)
    assert example_db.read_bytes() == before


def test_web_host_header_outside_the_allowed_names_is_refused(example_db: Path) -> None:
    with TestClient(create_app(example_db, allowed_hosts=["127.0.0.1"])) as client:
        assert client.get("/", headers={"host": "127.0.0.1"}).status_code == 200
        refused = client.get("/", headers={"host": "attacker.example"})
        assert refused.status_code == 400
        assert refused.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert refused.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("route", ["/", "/api/stories"])
def test_web_a_failure_inside_is_a_plain_500_with_the_security_headers(
    example_db: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    """The handler of unexpected errors answers outside the middleware stack: the headers
    must still be there, and the reason must stay in the log, not reach the reader."""

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr(parallax.web.app, "find_stories", broken)
    with TestClient(create_app(example_db), raise_server_exceptions=False) as client:
        response = client.get(route)
    assert response.status_code == 500
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "secret detail" not in response.text and "Traceback" not in response.text
    if route.startswith("/api/"):
        assert response.json()["error"]["status"] == 500
    else:
        assert response.headers["content-type"].startswith("text/html")


def test_web_openapi_lists_the_json_routes(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for route in ("/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}",
                  "/api/outlets/{outlet}", "/api/actors/{actor_id}", "/api/search"):  # fmt: skip
        assert route in schema["paths"]
    assert not any(path.startswith("/stories") for path in schema["paths"])


def test_web_story_page_links_every_evidence_item_to_its_span(client: TestClient) -> None:
    story = first_story(client)["id"]
    report = client.get(f"/api/stories/{story}").json()["stories"][0]
    page = client.get(f"/stories/{story}").text
    for value in report["conflicts"][0]["values"]:
        start, end = value["span"]
        assert f'href="/articles/{value["article_id"]}#span-{start}-{end}"' in page
        article = client.get(f"/articles/{value['article_id']}").text
        assert f'id="span-{start}-{end}"' in article


def test_web_story_merged_away_redirects_to_the_live_story(
    example_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "merged.db"
    shutil.copy(example_db, db)
    with Store.open(db) as store:
        live = parallax.pipeline.main_stories(store, limit=1)[0]
        with store.transaction():
            store._connection.execute(
                "INSERT INTO stories (id, created, updated, state, merged_into)"
                " VALUES ('sold', 'x', 'x', 'cold', ?)",
                (live,),
            )
    with TestClient(create_app(db)) as client:
        response = client.get("/stories/sold", follow_redirects=False)
        assert response.status_code == 301 and response.headers["location"] == f"/stories/{live}"
        assert client.get("/api/stories/sold").json()["stories"][0]["id"] == live


def test_web_reads_kept_reports_and_computes_a_changed_story_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = sorted(CORPUS.glob("*"))
    db = build_store(tmp_path / "live.db", corpus[:10], IngestOptions(manifest=MANIFEST))
    calls: list[str] = []
    real = parallax.pipeline.story_report

    def counted(store: Store, story_id: str, **kwargs: Any) -> Any:
        calls.append(story_id)
        return real(store, story_id, **kwargs)

    monkeypatch.setattr(parallax.pipeline, "story_report", counted)
    with TestClient(create_app(db)) as client:
        before = client.get("/api/stories", params={"per_page": 100}).json()["stories"]
        shown = [s for s in before if s["articles"] >= 2]
        for story in shown:
            assert client.get(f"/stories/{story['id']}").status_code == 200
        assert calls == [], "kept reports are read, not recomputed"
        with Store.open(db) as store:  # an ingest beside the running server
            ingest(corpus[10:], store, IngestOptions(manifest=MANIFEST))
            annotate_store(store)
            cluster_store(store)
        after = client.get("/api/stories", params={"per_page": 100}).json()["stories"]
        assert sum(s["articles"] for s in after) > sum(s["articles"] for s in before)
        revisions = {s["id"]: s["revision"] for s in before}
        grown = [s for s in after if s["articles"] >= 2 and revisions.get(s["id"]) != s["revision"]]
        assert grown
        for story in grown:
            report = client.get(f"/api/stories/{story['id']}").json()["stories"][0]
            assert len(report["articles"]) == story["articles"]
            client.get(f"/stories/{story['id']}")
        computed = len(calls)
        assert computed == len({s["id"] for s in grown})
        for story in grown:
            client.get(f"/stories/{story['id']}")
        assert len(calls) == computed, "a changed story is computed once per version"


def test_web_hostile_article_is_escaped_everywhere(hostile_db: Path) -> None:
    with TestClient(create_app(hostile_db)) as client:
        articles = [
            a for a in client.get("/api/search", params={"q": "council"}).json()["articles"]
        ]
        assert len(articles) == 2
        pages = [f"/articles/{a['id']}" for a in articles] + ["/", "/outlets", "/?q=council"]
        pages += [f"/stories/{s['id']}" for s in client.get("/api/stories").json()["stories"]]
        hostile = [o for o in client.get("/api/outlets").json()["outlets"] if "<" in o]
        pages += [f"/outlets/{quote(hostile[0], safe='')}"]
        external: list[str] = []
        for route in pages:
            response = client.get(route)
            assert response.status_code == 200, route
            body = response.text.lower()
            assert "<script>window" not in body and "<script>alert" not in body, route
            assert "<img src=x" not in body and "<svg onload" not in body, route
            assert 'href="javascript:' not in body, route
            assert "<script" not in body.replace('<script src="/static/parallax.js', ""), route
            links = re.findall(r'<a [^>]*href="https?://[^>]*>', response.text)
            external += links
            assert all('rel="noopener noreferrer nofollow"' in link for link in links), route
    assert any('href="https://example.org/a"' in link for link in external)


def test_web_story_tables_download_as_csv_with_their_evidence(client: TestClient) -> None:
    story = first_story(client)["id"]
    report = client.get(f"/api/stories/{story}").json()["stories"][0]
    texts = {
        a["id"]: client.get(f"/api/articles/{a['id']}").json()["text"] for a in report["articles"]
    }
    response = client.get(f"/api/stories/{story}/conflicts.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == sum(len(c["values"]) for c in report["conflicts"])
    for row in rows:
        assert texts[row["article_id"]][int(row["start"]) : int(row["end"])] == row["text"]
    expected = {
        "facts": sum(len(f["evidence"]) for f in report["facts"]),
        "labels": sum(len(a["labels"]) for a in report["actors"]),
        "quotes": len(report["quotes"]),
        "timeline": len(report["timeline"]),
    }
    for table, count in expected.items():
        found = client.get(f"/api/stories/{story}/{table}.csv").text
        rows = list(csv.DictReader(io.StringIO(found)))
        assert len(rows) == count > 0, table
        for row in rows:
            assert row["story_id"] == story
            assert texts[row["article_id"]][int(row["start"]) : int(row["end"])] == row["text"]
    assert client.get(f"/api/stories/{story}/secrets.csv").status_code == 400
    assert client.get("/api/stories/nope/facts.csv").status_code == 404


def test_web_outlet_and_actor_profiles_give_every_label_its_evidence(client: TestClient) -> None:
    story = first_story(client)["id"]
    report = client.get(f"/api/stories/{story}").json()["stories"][0]
    texts = {
        a["id"]: client.get(f"/api/articles/{a['id']}").json()["text"] for a in report["articles"]
    }
    outlet = client.get(f"/api/outlets/{quote(report['articles'][0]['outlet'], safe='')}").json()
    actor = client.get(f"/api/actors/{report['actors'][0]['id']}").json()
    assert outlet["schema"] == "parallax.outlet/1" and actor["schema"] == "parallax.actor/1"
    assert story in {s["id"] for s in outlet["stories"]} & {s["id"] for s in actor["stories"]}
    counted = [label for row in outlet["labels"] for label in row["labels"]]
    counted += [label for row in outlet["labels"] for o in row["others"] for label in o["labels"]]
    counted += [label for row in actor["labels_by_outlet"] for label in row["labels"]]
    assert counted
    for label in counted:
        assert 1 <= len(label["evidence"]) <= label["count"]
        for item in label["evidence"]:
            start, end = item["span"]
            if item["article_id"] not in texts:
                article = client.get(f"/api/articles/{item['article_id']}").json()
                texts[item["article_id"]] = article["text"]
            assert texts[item["article_id"]][start:end] == item["text"] == label["text"]


def test_web_since_and_until_keep_the_stories_whose_dates_overlap(client: TestClient) -> None:
    everything = client.get("/api/stories", params={"per_page": 100}).json()["stories"]
    days = sorted({s["first_published"][:10] for s in everything})
    assert len(days) >= 3, "the example corpus spans several days"
    middle = days[len(days) // 2]
    since = client.get("/api/stories", params={"since": middle, "per_page": 100}).json()
    assert [s["id"] for s in since["stories"]] == [
        s["id"] for s in everything if s["last_published"][:10] >= middle
    ]
    until = client.get("/api/stories", params={"until": middle, "per_page": 100}).json()
    assert [s["id"] for s in until["stories"]] == [
        s["id"] for s in everything if s["first_published"][:10] <= middle
    ]
    assert 0 < len(since["stories"]) < len(everything)
    page = client.get("/", params={"since": middle}).text
    assert page.count('class="story-row"') == len(since["stories"])
    assert f'value="{middle}"' in page


def test_web_story_list_is_what_the_stories_command_prints(
    client: TestClient, example_db: Path
) -> None:
    """Newest news first, each story in the shape of ``parallax stories --format json``."""
    served = client.get("/api/stories", params={"per_page": 100}).json()["stories"]
    printed = Cli(example_db).json("stories")
    assert [s["id"] for s in served] == [s["id"] for s in printed]
    for mine, theirs in zip(served, printed, strict=True):
        assert {key: mine[key] for key in theirs} == theirs
    latest = [s["last_published"] for s in served]
    assert latest == sorted(latest, reverse=True)


def test_web_article_page_shows_its_copy_family_and_its_story(client: TestClient) -> None:
    stories = client.get("/api/stories", params={"per_page": 100}).json()["stories"]
    family = []
    for story in stories:
        for article in client.get(f"/api/stories/{story['id']}").json()["stories"][0]["articles"]:
            document = client.get(f"/api/articles/{article['id']}").json()
            page = client.get(f"/articles/{article['id']}").text
            assert f'href="/stories/{document["story"]}"' in page
            for key, shown in (("wire_of", "Wire copy of"), ("duplicate_of", "Duplicate of")):
                if document[key]:
                    family.append(article["id"])
                    assert shown in page and f'href="/articles/{document[key]}"' in page
    assert family, "the example corpus holds a wire copy"


def test_web_story_page_links_every_label_and_framing_term_to_its_span(
    client: TestClient,
) -> None:
    """The label matrix, the cards of who reported it and the framing cards link each
    label and term to its span, and the article page has that span to land on."""
    story = first_story(client)["id"]
    report = client.get(f"/api/stories/{story}").json()["stories"][0]
    page = client.get(f"/stories/{story}").text
    matrix = page[page.index('class="label-table"') : page.index("</table>")]
    cards = page[page.index('class="outlets"') :]
    framing = page[page.index('class="framing"') : page.index('class="outlets"')]
    labels = [label for actor in report["actors"] for label in actor["labels"]]
    terms = [
        {**term, "article_id": item["article_id"]}
        for item in report["framing"]
        for kind in ("loaded_terms", "hedges", "scare_quotes")
        for term in item[kind]
    ]
    assert len(labels) > 20 and len(terms) > 10, "the example story is labelled and framed"
    anchors: dict[str, str] = {}
    for section, items in ((matrix, labels), (cards, labels), (framing, terms)):
        for item in items:
            start, end = item["span"]
            href = f"/articles/{item['article_id']}#span-{start}-{end}"
            assert f'href="{href}"' in section, item
            if item["article_id"] not in anchors:
                anchors[item["article_id"]] = client.get(f"/articles/{item['article_id']}").text
            assert f'id="span-{start}-{end}"' in anchors[item["article_id"]], item


def test_web_outlets_made_up_for_articles_without_one_are_not_links(maduro_db: Path) -> None:
    """The real articles are plain files: the report names their outlets ``unknown
    (file.txt)``, which no outlet page answers to; the story and actor pages show those
    names as text, and every outlet link they do hold answers."""
    with TestClient(create_app(maduro_db)) as client:
        story = client.get("/api/stories").json()["stories"][0]["id"]
        report = client.get(f"/api/stories/{story}").json()["stories"][0]
        made_up = {a["outlet_name"] for a in report["articles"] if a["outlet"] is None}
        assert made_up and all(name.startswith("unknown (") for name in made_up)
        pages = [f"/stories/{story}"] + [f"/actors/{a['id']}" for a in report["actors"]]
        shown = 0
        for route in pages:
            body = client.get(route).text
            shown += sum(html.escape(name) in body for name in made_up)
            for name in made_up:
                assert f'href="/outlets/{quote(name, safe="")}"' not in body, route
            for link in set(re.findall(r'href="(/outlets/[^"]+)"', body)):
                assert client.get(html.unescape(link)).status_code == 200, (route, link)
        assert shown > len(made_up), "the names are still shown"


def test_web_summary_that_repeats_the_title_is_shown_once(maduro_db: Path) -> None:
    """Articles without a headline title their story with the first sentence, which is
    the story's summary too: the list and the story page show it once."""
    with TestClient(create_app(maduro_db)) as client:
        listed = client.get("/api/stories").json()["stories"][0]
        report = client.get(f"/api/stories/{listed['id']}").json()["stories"][0]
        assert report["summary"] == report["title"], "the premise: a title-less story"
        sentence = html.escape(report["title"])
        index = client.get("/").text
        page = client.get(f"/stories/{listed['id']}").text
        assert index.count(sentence) == 1 and 'class="story-summary"' not in index
        start = page.index('<header class="story-head">')
        head = page[start : page.index("</header>", start)]
        assert head.count(sentence) == 1 and 'class="summary"' not in head


def test_web_article_pages_link_actors_to_the_pages_of_their_story_actors(
    client: TestClient,
) -> None:
    """An article names an actor by its own id (``bill-haverty``), the story by the one
    it merged (``william-haverty``): the article page links the story's, which answers."""
    linked = renamed = 0
    for listed in client.get("/api/stories").json()["stories"]:
        report = client.get(f"/api/stories/{listed['id']}").json()["stories"][0]
        for article in report["articles"]:
            body = client.get(f"/articles/{article['id']}").text
            own = client.get(f"/api/articles/{article['id']}").json()["annotations"]["actors"]
            links = set(re.findall(r'href="(/actors/[^"]+)"', body))
            for link in links:
                assert client.get(html.unescape(link)).status_code == 200, (article["id"], link)
            linked += len(links)
            renamed += sum(f'href="/actors/{quote(a["id"], safe="")}"' not in body for a in own)
    assert linked > 20 and renamed > 0
