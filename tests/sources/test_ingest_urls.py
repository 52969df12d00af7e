"""`parallax ingest URL`: pages fetched through the safe fetcher and stored like files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli, article_text
from tests.sources.conftest import Site

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Council closes ferry pier</title>
<link rel="canonical" href="https://harbourtimes.example/2026/05/04/pier">
<meta property="article:published_time" content="2026-05-04T08:30:00+02:00">
<meta property="og:site_name" content="Harbour Times">
</head><body><article><h1>Council closes ferry pier</h1>
<p>The harbour council voted on Monday to close the north ferry pier for repairs.</p>
<p>{body}</p></article></body></html>"""


def page(text: str) -> bytes:
    return PAGE.format(body=text).encode()


@pytest.fixture(autouse=True)
def no_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """One test server, many requests: no politeness delay between them."""
    monkeypatch.setenv("PARALLAX_FETCH_DELAY", "0")


def test_ingest_urls_fetches_pages_and_keeps_where_and_when(site: Site, cli: Cli) -> None:
    body = article_text(120, "url-a")
    site.routes["/robots.txt"] = lambda h: h.answer(404)
    site.routes["/a"] = lambda h: h.answer(301, Location=site.url("/pier"))
    site.routes["/pier"] = lambda h: h.answer(200, page(body))
    result = cli("ingest", site.url("/a"), "--allow-private", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ingested"] == 1
    [row] = cli.json("articles")
    article = cli.json("article", row["id"])
    assert article["url"] == site.url("/pier"), "the url the redirects ended at"
    assert article["extra"]["requested_url"] == site.url("/a")
    assert article["extra"]["canonical_url"] == "https://harbourtimes.example/2026/05/04/pier"
    assert article["extra"]["fetched_at"].endswith("+00:00")
    assert article["published_at"] == "2026-05-04T08:30:00+02:00", "from the page, not the fetch"
    assert article["title"] == "Council closes ferry pier"
    assert body[:60] in article["text"]


def test_ingest_urls_private_address_is_quarantined_without_the_flag(site: Site, cli: Cli) -> None:
    site.routes["/pier"] = lambda h: h.answer(200, page(article_text(80, "url-b")))
    result = cli("ingest", site.url("/pier"))
    assert result.exit_code == 1
    assert "E070" in result.stdout and "loopback" in result.stdout
    assert site.paths() == [], "nothing was asked of the server"
    [entry] = cli.json("quarantine")
    assert entry["code"] == "E070" and entry["source"] == site.url("/pier")


def test_ingest_urls_one_bad_page_does_not_stop_the_others(
    site: Site, cli: Cli, tmp_path: Path
) -> None:
    site.routes["/robots.txt"] = lambda h: h.answer(200, b"User-agent: *\nDisallow: /private\n",
                                                    Content_Type="text/plain")  # fmt: skip
    site.routes["/one"] = lambda h: h.answer(200, page(article_text(90, "url-one")))
    site.routes["/pdf"] = lambda h: h.answer(200, b"%PDF-1.4", Content_Type="application/pdf")
    site.routes["/private/x"] = lambda h: h.answer(200, page(article_text(90, "url-private")))
    site.routes["/two"] = lambda h: h.answer(200, page(article_text(90, "url-two")))
    file = tmp_path / "local.txt"
    file.write_text("Local headline\n\n" + article_text(90, "url-local"), encoding="utf-8")
    urls = [site.url(p) for p in ("/one", "/missing", "/pdf", "/private/x", "/two")]
    result = cli("ingest", str(file), *urls, "--allow-private", "--format", "json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert (summary["ingested"], summary["quarantined"]) == (3, 3)
    codes = sorted(entry["code"] for entry in cli.json("quarantine"))
    assert codes == ["E073", "E076", "E077"]
    assert "/private/x" not in site.paths(), "robots.txt is honoured"


def test_ingest_urls_a_page_fetched_again_after_an_edit_is_a_revision(site: Site, cli: Cli) -> None:
    first = article_text(100, "url-rev")
    texts = [first, first.replace("the", "a", 3)]
    site.routes["/robots.txt"] = lambda h: h.answer(404)
    site.routes["/pier"] = lambda h: h.answer(200, page(texts[0]))
    assert cli("ingest", site.url("/pier"), "--allow-private").exit_code == 0
    texts.pop(0)
    again = cli("ingest", site.url("/pier"), "--allow-private", "--format", "json")
    assert json.loads(again.stdout)["changed"] == 1
    [row] = cli.json("articles")
    article = cli.json("article", row["id"])
    before, after = article["revisions"]
    assert article["text"] == after["text"] != before["text"], "the latest text is current"
    assert before["title"] == after["title"] == "Council closes ferry pier"
    assert before["fetched_at"] <= after["fetched_at"] and after["fetched_at"].endswith("+00:00")
    found = cli.json("diff", row["id"])
    assert (found["from"], found["to"]) == (1, 2)
    removed = "".join(p["text"] for p in found["diff"] if p["op"] == "removed")
    old = "".join(p["text"] for p in found["diff"] if p["op"] != "added")
    new = "".join(p["text"] for p in found["diff"] if p["op"] != "removed")
    assert "the" in removed and (old, new) == (before["text"], after["text"])
    shown = cli("diff", row["id"])
    assert shown.exit_code == 0 and "[-" in shown.stdout and "{+" in shown.stdout


def test_ingest_urls_a_page_without_a_date_has_no_publication_time(site: Site, cli: Cli) -> None:
    """The fetch time is kept beside the article, never taken for when it was published."""
    undated = page(article_text(100, "url-undated")).decode()
    for line in ('<link rel="canonical"', '<meta property="article:published_time"'):
        undated = "\n".join(x for x in undated.splitlines() if not x.startswith(line))
    assert "published_time" not in undated and "2026" not in undated
    site.routes["/robots.txt"] = lambda h: h.answer(404)
    site.routes["/pier"] = lambda h: h.answer(200, undated.encode())
    assert cli("ingest", site.url("/pier"), "--allow-private").exit_code == 0
    [row] = cli.json("articles")
    article = cli.json("article", row["id"])
    assert article["published_at"] is None
    assert article["extra"]["fetched_at"].endswith("+00:00")


def test_ingest_urls_a_missing_path_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("ingest", str(tmp_path / "nope.txt"))
    shown = "".join(c for c in result.output if c.isalnum() or c == ".")
    assert result.exit_code == 2 and "nope.txt" in shown and "doesnotexist" in shown
