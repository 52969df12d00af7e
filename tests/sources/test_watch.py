"""`parallax watch`: feeds polled from a server on 127.0.0.1 with conditional GETs, each new
entry's page fetched and ingested once (what the page lacks filled from the feed), failing
feeds backed off, failing pages retried then given up, and a real kill -9 mid-poll."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from parallax.pipeline import IngestOptions
from parallax.settings import Settings
from parallax.sources import Fetcher, FetchPolicy, PollResult, Watcher, WatchOptions, add_sources
from parallax.store import FeedStore, Store
from tests.conftest import Cli, article_text
from tests.sources.conftest import Handler, Site
from tests.sources.test_feeds import atom, bomb, json_feed, news_sitemap, opml, rss

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
{title}{published}<meta property="og:site_name" content="Harbour Times"></head>
<body><article><p>{body}</p></article></body></html>"""
INTERVAL = 300.0


def page(seed: str, *, title: str | None = None, published: str | None = None) -> bytes:
    return PAGE.format(
        title=f"<title>{title}</title>" if title else "",
        published=f'<meta property="article:published_time" content="{published}">'
        if published
        else "",
        body=article_text(120, seed),
    ).encode()


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """One test server, many requests: no politeness delay, no waiting retries."""
    monkeypatch.setenv("PARALLAX_FETCH_DELAY", "0")
    monkeypatch.setenv("PARALLAX_FETCH_RETRIES", "0")


def serve_feed(site: Site, path: str, body: bytes, content_type: str, etag: str = "") -> None:
    """A feed route that honours If-None-Match when given an ETag."""

    def route(handler: Handler) -> None:
        if etag and handler.headers.get("If-None-Match") == etag:
            handler.answer(304, ETag=etag)
        elif etag:
            handler.answer(200, body, Content_Type=content_type, ETag=etag)
        else:
            handler.answer(200, body, Content_Type=content_type)

    site.routes[path] = route


def serve_pages(
    site: Site, count: int, prefix: str = "/news/", **meta: str
) -> list[dict[str, str]]:
    """``count`` article pages, and the feed items that point at them."""
    items = []
    for number in range(count):
        path = f"{prefix}{number}"
        body = page(f"{prefix}{number}", **meta)
        site.routes[path] = lambda h, body=body: h.answer(200, body)
        items.append({
            "guid": f"urn:item:{prefix}{number}",
            "link": site.url(path),
            "title": f"Feed title {number}",
            "date": f"2026-05-0{1 + number % 9}T08:00:00+02:00",
            "summary": f"Feed summary {number}",
        })  # fmt: skip
    return items


def rfc822(items: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{**i, "date": "Mon, 04 May 2026 08:30:00 +0200"} for i in items]


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def watching(db_path: Path) -> Iterator[tuple[Store, Fetcher, Clock]]:
    settings = replace(Settings.from_env(), allow_private=1)
    with Store.open(db_path) as store, Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
        yield store, fetcher, Clock()


def poll(watching: tuple[Store, Fetcher, Clock], **options: object) -> list[PollResult]:
    store, fetcher, clock = watching
    settings = replace(Settings.from_env(), allow_private=1)
    watch = WatchOptions(interval=INTERVAL, annotate=False, **options)  # type: ignore[arg-type]
    watcher = Watcher(store, fetcher, IngestOptions(settings=settings), watch, clock=clock)
    return watcher.poll_due()


def watch_once(cli: Cli, *args: str) -> object:
    return cli("watch", *args, "--once", "--allow-private", "--no-annotate")


def page_paths(site: Site, prefix: str = "/news/") -> list[str]:
    return [p for p in site.paths() if p.startswith(prefix)]


# -- a feed with items ------------------------------------------------------------------


def test_watch_feed_items_ingested_annotated_in_stories_and_filled_from_the_feed(
    site: Site, cli: Cli
) -> None:
    when = "2026-05-04T08:30:00+02:00"
    dated = serve_pages(site, 2, "/dated/", title="Page title", published=when)
    bare = serve_pages(site, 1, "/bare/")
    serve_feed(site, "/feed.xml", rss(rfc822(dated) + rfc822(bare)), "application/rss+xml")
    result = cli("watch", site.url("/feed.xml"), "--once", "--allow-private")
    assert result.exit_code == 0, result.output
    assert "3 listed, 3 new; 3 stored, 0 failed" in result.stdout
    articles = {a["url"]: a for a in cli.json("articles")}
    assert set(articles) == {i["link"] for i in dated + bare}
    own = cli.json("article", articles[dated[0]["link"]]["id"])
    assert (own["title"], own["published_at"]) == ("Page title", when)
    assert own["extra"]["feed"]["filled"] == [], "the page's own metadata wins"
    assert own["extra"]["feed"]["title"] == "Feed title 0"
    filled = cli.json("article", articles[bare[0]["link"]]["id"])
    assert (filled["title"], filled["published_at"]) == ("Feed title 0", when)
    assert filled["extra"]["feed"]["filled"] == ["published_at", "title"]
    assert filled["extra"]["feed"]["summary"] == "Feed summary 0"
    assert filled["extra"]["feed"]["url"] == site.url("/feed.xml")
    assert filled["annotations"]["mentions"] or filled["annotator"], "annotated"
    assert filled["story"] is not None and own["story"] is not None, "folded into stories"
    [feed] = cli.json("feeds")
    assert (feed["kind"], feed["title"], feed["items_stored"]) == ("rss", "Harbour Times", 3)


# -- conditional GET, only new items ------------------------------------------------------


def test_watch_updated_feed_fetches_only_new_items_and_honours_conditional_get(
    site: Site, watching: tuple[Store, Fetcher, Clock]
) -> None:
    store, _, clock = watching
    items = serve_pages(site, 3)
    serve_feed(site, "/feed.xml", rss(items[:2]), "application/rss+xml", etag='"v1"')
    add_sources(store, [site.url("/feed.xml")])
    [first] = poll(watching)
    assert (first.status, first.new, first.stored) == (200, 2, 2)
    assert page_paths(site) == ["/news/0", "/news/1"]

    clock.now += INTERVAL
    [unchanged] = poll(watching)
    assert unchanged.status == 304 and unchanged.stored == 0
    feed_requests = [s for s in site.seen if s.path == "/feed.xml"]
    assert feed_requests[-1].headers.get("If-None-Match") == '"v1"'
    assert page_paths(site) == ["/news/0", "/news/1"], "no page fetched again"

    serve_feed(site, "/feed.xml", rss(items), "application/rss+xml", etag='"v2"')
    clock.now += INTERVAL
    [updated] = poll(watching)
    assert (updated.status, updated.listed, updated.new, updated.stored) == (200, 3, 1, 1)
    assert page_paths(site) == ["/news/0", "/news/1", "/news/2"]
    assert store.count_articles() == 3
    assert poll(watching) == [], "not due again before the interval"


def test_watch_conditional_get_by_last_modified_alone(
    site: Site, watching: tuple[Store, Fetcher, Clock]
) -> None:
    """A feed that sends no ETag, only Last-Modified, is asked If-Modified-Since."""
    store, _, clock = watching
    stamp = "Mon, 04 May 2026 08:00:00 GMT"
    body = rss(serve_pages(site, 1))

    def dated(handler: Handler) -> None:
        if handler.headers.get("If-Modified-Since") == stamp:
            handler.answer(304, Last_Modified=stamp)
        else:
            handler.answer(200, body, Content_Type="application/rss+xml", Last_Modified=stamp)

    site.routes["/feed.xml"] = dated
    add_sources(store, [site.url("/feed.xml")])
    [first] = poll(watching)
    clock.now += INTERVAL
    [again] = poll(watching)
    assert (first.status, first.stored, again.status, again.stored) == (200, 1, 304, 0)
    asked = [s.headers.get("If-Modified-Since") for s in site.seen if s.path == "/feed.xml"]
    assert asked == [None, stamp]
    assert page_paths(site) == ["/news/0"]


def test_watch_runs_until_stopped_polling_each_feed_again_when_due(
    site: Site, watching: tuple[Store, Fetcher, Clock]
) -> None:
    """Without --once: the loop sleeps until a feed is due, polls it, and ends when told."""
    store, fetcher, clock = watching
    items = serve_pages(site, 3)
    serve_feed(site, "/feed.xml", rss(items[:2]), "application/rss+xml", etag='"v1"')
    add_sources(store, [site.url("/feed.xml")])
    settings = replace(Settings.from_env(), allow_private=1)
    watch = WatchOptions(interval=INTERVAL, annotate=False, cluster=False)
    watcher = Watcher(store, fetcher, IngestOptions(settings=settings), watch, clock=clock)
    polls: list[PollResult] = []

    def on_poll(result: PollResult) -> None:
        polls.append(result)
        if len(polls) == 1:  # the feed gains an entry, and an interval goes by
            serve_feed(site, "/feed.xml", rss(items), "application/rss+xml", etag='"v2"')
            clock.now += INTERVAL
        else:
            watcher.stop.set()

    guard = threading.Timer(20, watcher.stop.set)  # a loop that never polls again ends too
    guard.start()
    try:
        watcher.run(on_poll=on_poll, longest_sleep=0.05)
    finally:
        guard.cancel()
    assert [(p.status, p.new, p.stored) for p in polls] == [(200, 2, 2), (200, 1, 1)]
    assert page_paths(site) == ["/news/0", "/news/1", "/news/2"]


def test_watch_reads_a_feed_in_the_charset_its_server_names(site: Site, cli: Cli) -> None:
    """No encoding in the XML declaration, windows-1251 in the Content-Type: the feed's
    titles, which fill what the page lacks, are read in that charset."""
    [item] = serve_pages(site, 1)
    cyrillic = rss([{**item, "title": "Пожар в порту"}], title="Новости порта")
    body = cyrillic.decode("utf-8").replace(' encoding="utf-8"', "").encode("windows-1251")
    serve_feed(site, "/feed.xml", body, "application/rss+xml; charset=windows-1251")
    result = watch_once(cli, site.url("/feed.xml"), "--no-cluster")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    [row] = cli.json("articles")
    assert row["title"] == "Пожар в порту"
    assert cli.json("feeds")[0]["title"] == "Новости порта"


# -- entries listed again edited: revisions ---------------------------------------------------

EDIT = b" The council later said the pier would stay open after all.</p>"


def edited(body: bytes) -> bytes:
    """The page with one sentence added at the end of its text (an edit after publication)."""
    return body.replace(b"</p>", EDIT, 1)


def test_watch_a_headline_edited_after_publication_is_fetched_again_as_a_revision(
    site: Site, cli: Cli, watching: tuple[Store, Fetcher, Clock]
) -> None:
    """Poll 1 stores the entry; the outlet then edits the page and the feed lists the entry
    with a new title and ``updated``: poll 2 fetches the page again and the article gains a
    revision; poll 3, the feed answered in full but unchanged, fetches no page."""
    store, _, clock = watching
    first = page("/news/pier", title="Pier to close", published="2026-05-04T08:00:00+02:00")
    site.routes["/news/pier"] = lambda h: h.answer(200, first)
    item = {
        "guid": "urn:pier",
        "link": site.url("/news/pier"),
        "title": "Pier to close",
        "date": "Mon, 04 May 2026 08:00:00 +0200",
        "updated": "2026-05-04T06:00:00+00:00",
    }
    serve_feed(site, "/feed.xml", rss([item]), "application/rss+xml")  # no validators
    add_sources(store, [site.url("/feed.xml")])
    [one] = poll(watching)
    assert (one.new, one.changed, one.stored, one.revised) == (1, 0, 1, 0)

    second = edited(page("/news/pier", title="Pier to stay open",
                         published="2026-05-04T08:00:00+02:00"))  # fmt: skip
    site.routes["/news/pier"] = lambda h: h.answer(200, second)
    relisted = {**item, "title": "Pier to stay open", "updated": "2026-05-04T15:00:00+00:00"}
    serve_feed(site, "/feed.xml", rss([relisted]), "application/rss+xml")
    clock.now += INTERVAL
    [two] = poll(watching)
    assert (two.new, two.changed, two.stored, two.revised) == (0, 1, 1, 1)
    assert "1 changed" in two.line() and "1 revised" in two.line()
    assert page_paths(site) == ["/news/pier", "/news/pier"]

    [row] = cli.json("articles")
    article = cli.json("article", row["id"])
    before, after = article["revisions"]
    assert (before["title"], after["title"]) == ("Pier to close", "Pier to stay open")
    assert EDIT.decode().removesuffix("</p>").strip() in after["text"]
    assert EDIT.decode().removesuffix("</p>").strip() not in before["text"]
    assert (article["title"], article["text"]) == (after["title"], after["text"])
    listed = cli("article", row["id"], "--revisions")
    assert [line.split()[0] for line in listed.stdout.splitlines() if line[:1].isdigit()] == [
        "1", "2"]  # fmt: skip
    [feed] = cli.json("feeds")
    assert (feed["items_stored"], feed["items_pending"]) == (1, 0)

    clock.now += INTERVAL
    [three] = poll(watching)
    assert (three.status, three.new, three.changed, three.stored) == (200, 0, 0, 0)
    assert page_paths(site) == ["/news/pier", "/news/pier"], "nothing changed: no page fetched"
    assert store.count_articles() == 1
    assert len(cli.json("article", row["id"])["revisions"]) == 2


def test_watch_an_entry_updated_with_its_page_unchanged_makes_no_revision(
    site: Site, cli: Cli, watching: tuple[Store, Fetcher, Clock]
) -> None:
    """A new ``updated`` time alone sends the watcher to the page again; the same text
    there is the stored article, not a revision and not a second article."""
    store, _, clock = watching
    [item] = serve_pages(site, 1)
    atom_item = {**item, "date": "2026-05-04T06:00:00Z"}  # Atom's <updated>
    serve_feed(site, "/feed.xml", atom([atom_item]), "application/atom+xml", etag='"v1"')
    add_sources(store, [site.url("/feed.xml")])
    [one] = poll(watching)
    assert (one.new, one.stored) == (1, 1)

    serve_feed(site, "/feed.xml", atom([{**atom_item, "date": "2026-05-04T09:30:00Z"}]),
               "application/atom+xml", etag='"v2"')  # fmt: skip
    clock.now += INTERVAL
    [two] = poll(watching)
    assert (two.new, two.changed, two.stored, two.revised) == (0, 1, 1, 0)
    assert page_paths(site) == ["/news/0", "/news/0"], "the page was fetched again"
    [row] = cli.json("articles")
    assert cli.json("article", row["id"])["revisions"] == []

    clock.now += INTERVAL
    [three] = poll(watching)
    assert (three.status, three.stored) == (304, 0) and page_paths(site) == ["/news/0"] * 2
    assert store.count_articles() == 1


def test_watch_an_entry_given_up_is_tried_again_when_the_feed_edits_it(
    site: Site, watching: tuple[Store, Fetcher, Clock]
) -> None:
    """A page that failed on every try gets new tries once the feed lists its entry
    changed (a fixed link usually comes with a new ``updated``)."""
    store, _, clock = watching
    [item] = serve_pages(site, 1)
    path = item["link"].removeprefix(site.url(""))
    served = site.routes.pop(path)
    listed = {**item, "updated": "2026-05-04T06:00:00+00:00"}
    serve_feed(site, "/feed.xml", rss([listed]), "application/rss+xml")
    add_sources(store, [site.url("/feed.xml")])
    [one] = poll(watching, item_attempts=1)
    assert (one.failed, one.given_up) == (1, 1)

    site.routes[path] = served
    clock.now += INTERVAL
    assert poll(watching, item_attempts=1)[0].stored == 0, "given up, the feed unchanged"
    serve_feed(site, "/feed.xml", rss([{**listed, "updated": "2026-05-04T07:00:00+00:00"}]),
               "application/rss+xml")  # fmt: skip
    clock.now += INTERVAL
    [three] = poll(watching, item_attempts=1)
    assert (three.changed, three.stored, three.failed) == (1, 1, 0)
    assert store.count_articles() == 1
    [feed] = FeedStore(store).feeds()
    assert (feed.stored, feed.pending, feed.given_up) == (1, 0, 0)


def test_watch_an_updated_time_first_given_later_is_recorded_without_a_fetch(
    site: Site, watching: tuple[Store, Fetcher, Clock]
) -> None:
    """An entry listed without ``updated`` (or before Parallax kept it) that the feed now
    lists with one is not taken for an edit; a later, different one is."""
    store, _, clock = watching
    [item] = serve_pages(site, 1)
    serve_feed(site, "/feed.xml", rss([item]), "application/rss+xml")
    add_sources(store, [site.url("/feed.xml")])
    poll(watching)
    for updated, changed in (("2026-05-04T06:00:00+00:00", 0), ("2026-05-04T07:00:00+00:00", 1)):
        serve_feed(site, "/feed.xml", rss([{**item, "updated": updated}]), "application/rss+xml")
        clock.now += INTERVAL
        [result] = poll(watching)
        assert result.changed == changed
    assert page_paths(site) == ["/news/0", "/news/0"]


# -- every kind of source ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "content_type", "kind"),
    [
        (lambda items: rss(rfc822(items)), "application/rss+xml", "rss"),
        (atom, "application/atom+xml", "atom"),
        (json_feed, "application/feed+json", "json"),
        (news_sitemap, "application/xml", "sitemap"),
    ],
    ids=["rss2", "atom", "jsonfeed", "news-sitemap"],
)
def test_watch_reads_rss_atom_json_feed_and_news_sitemaps(
    site: Site, cli: Cli, build: object, content_type: str, kind: str
) -> None:
    items = serve_pages(site, 2)
    serve_feed(site, "/source", build(items), content_type)  # type: ignore[operator]
    result = watch_once(cli, site.url("/source"), "--no-cluster")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert {a["url"] for a in cli.json("articles")} == {i["link"] for i in items}
    assert cli.json("feeds")[0]["kind"] == kind


@pytest.mark.parametrize(
    "content_type",
    ["application/x-rss+xml", "application/x-atom+xml", "application/rdf+xml",
     "text/xml", "application/feed+json", "text/xml; charset=utf-8"],
)  # fmt: skip
def test_watch_fetches_feeds_served_under_every_media_type_feeds_use(
    site: Site, cli: Cli, content_type: str
) -> None:
    """The unregistered ``x-`` types many servers still send are feeds too, not E076;
    a text/xml feed without a charset keeps its UTF-8 titles."""
    items = [{**i, "title": f"Café {n} reopens"} for n, i in enumerate(serve_pages(site, 2))]
    build = json_feed if "json" in content_type else atom if "atom" in content_type else rss
    serve_feed(site, "/feed", build(rfc822(items) if build is rss else items), content_type)
    result = watch_once(cli, site.url("/feed"), "--no-cluster")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "E076" not in result.output  # type: ignore[attr-defined]
    titles = sorted(a["title"] for a in cli.json("articles"))
    assert titles == ["Café 0 reopens", "Café 1 reopens"]
    [asked] = [s.headers["Accept"] for s in site.seen if s.path == "/feed"]
    assert "application/x-rss+xml" in asked and "application/x-atom+xml" in asked


def test_watch_an_opml_file_expands_to_its_feeds(site: Site, cli: Cli, tmp_path: Path) -> None:
    first, second = serve_pages(site, 1, "/a/"), serve_pages(site, 1, "/b/")
    serve_feed(site, "/a.xml", rss(first), "application/rss+xml")
    serve_feed(site, "/b.json", json_feed(second), "application/json")
    subs = tmp_path / "subs.opml"
    subs.write_bytes(opml([site.url("/a.xml"), site.url("/b.json")]))
    result = watch_once(cli, str(subs), "--no-cluster", "--format", "json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    polls = [json.loads(line) for line in result.stdout.splitlines()]  # type: ignore[attr-defined]
    assert [(p["feed"], p["stored"]) for p in polls] == [(site.url("/a.xml"), 1),
                                                         (site.url("/b.json"), 1)]  # fmt: skip
    assert len(cli.json("articles")) == 2


def test_watch_only_polls_the_sources_given(site: Site, cli: Cli) -> None:
    serve_feed(site, "/a.xml", rss(serve_pages(site, 1, "/a/")), "application/rss+xml")
    serve_feed(site, "/b.xml", rss(serve_pages(site, 1, "/b/")), "application/rss+xml")
    cli("feeds", "add", site.url("/a.xml"))
    result = watch_once(cli, site.url("/b.xml"), "--only", "--no-cluster")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "/a.xml" not in site.paths() and "/b.xml" in site.paths()


def test_watch_with_no_feed_is_a_usage_error(cli: Cli) -> None:
    result = watch_once(cli)
    assert result.exit_code == 2 and "E084" in result.output  # type: ignore[attr-defined]


# -- bad feeds ------------------------------------------------------------------------------


def test_watch_a_feed_with_an_entity_bomb_is_refused(site: Site, cli: Cli) -> None:
    serve_feed(site, "/bomb.xml", bomb(), "application/rss+xml")
    started = time.perf_counter()
    result = watch_once(cli, site.url("/bomb.xml"))
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "E080" in result.stdout  # type: ignore[attr-defined]
    [feed] = cli.json("feeds")
    assert feed["failures"] == 1 and feed["last_error"].startswith("[E080]")
    assert cli.json("articles") == []


def test_watch_a_failing_feed_backs_off_shows_in_feeds_then_recovers(
    site: Site, cli: Cli, watching: tuple[Store, Fetcher, Clock]
) -> None:
    store, _, clock = watching
    items = serve_pages(site, 2)
    site.routes["/feed.xml"] = lambda h: h.answer(500, b"down")
    add_sources(store, [site.url("/feed.xml")])
    [failed] = poll(watching)
    assert failed.error is not None and failed.error.startswith("[E077]")
    assert failed.next_poll == clock.now + 2 * INTERVAL
    [shown] = cli.json("feeds")
    assert shown["failures"] == 1 and "500" in shown["last_error"]
    text = cli("feeds").stdout
    assert "1 failure(s) in a row" in text and "E077" in text

    clock.now += INTERVAL
    assert poll(watching) == [], "backing off: not due after one interval"
    clock.now += INTERVAL
    [again] = poll(watching)
    assert again.error is not None
    assert again.next_poll == clock.now + 4 * INTERVAL, "the wait doubles"

    serve_feed(site, "/feed.xml", rss(items), "application/rss+xml")
    clock.now += 4 * INTERVAL
    [recovered] = poll(watching)
    assert recovered.ok and recovered.stored == 2
    assert recovered.next_poll == clock.now + INTERVAL
    [shown] = cli.json("feeds")
    assert shown["failures"] == 0 and shown["last_error"] is None
    assert shown["items_stored"] == 2


def test_watch_backoff_is_capped(
    site: Site, watching: tuple[Store, Fetcher, Clock], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _, clock = watching
    site.routes["/feed.xml"] = lambda h: h.answer(503, b"down")
    add_sources(store, [site.url("/feed.xml")])
    for _ in range(12):
        [result] = poll(watching, max_backoff=3600.0)
        clock.now = result.next_poll
    assert result.next_poll - clock.now <= 3600.0
    assert FeedStore(store).feeds()[0].failures == 12


# -- failing pages -----------------------------------------------------------------------------


def test_watch_a_page_that_404s_is_quarantined_retried_then_given_up(
    site: Site, cli: Cli, watching: tuple[Store, Fetcher, Clock]
) -> None:
    store, _, clock = watching
    items = serve_pages(site, 2)
    late = items[1]["link"].removeprefix(site.url(""))
    site.routes.pop(late)
    missing = {"guid": "urn:gone", "link": site.url("/gone"), "title": "Gone"}
    serve_feed(site, "/feed.xml", rss([*items, missing]), "application/rss+xml", etag='"v1"')
    add_sources(store, [site.url("/feed.xml")])
    [first] = poll(watching, item_attempts=3)
    assert (first.stored, first.failed, first.given_up) == (1, 2, 0)
    assert {e["code"] for e in cli.json("quarantine")} == {"E077"}

    site.routes[late] = lambda h: h.answer(200, page("late page"))  # now online
    clock.now += INTERVAL
    [second] = poll(watching, item_attempts=3)
    assert (second.status, second.stored, second.failed) == (304, 1, 1), "retried after a 304"
    assert [e["source"] for e in cli.json("quarantine")] == [site.url("/gone")]

    clock.now += INTERVAL
    [third] = poll(watching, item_attempts=3)
    assert (third.failed, third.given_up) == (1, 1)
    clock.now += INTERVAL
    poll(watching, item_attempts=3)
    assert site.paths().count("/gone") == 3, "not tried after it was given up"
    [feed] = cli.json("feeds")
    assert (feed["items_stored"], feed["items_given_up"], feed["items_pending"]) == (2, 1, 0)
    assert feed["given_up"][0]["url"] == site.url("/gone")
    assert "404" in feed["given_up"][0]["error"] and feed["given_up"][0]["attempts"] == 3
    assert "given up" in cli("feeds").stdout


def test_watch_a_page_already_stored_is_not_stored_twice(site: Site, cli: Cli) -> None:
    items = serve_pages(site, 2)
    serve_feed(site, "/a.xml", rss(items), "application/rss+xml")
    serve_feed(site, "/b.json", json_feed(items), "application/feed+json")
    result = watch_once(cli, site.url("/a.xml"), site.url("/b.json"), "--no-cluster")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert len(cli.json("articles")) == 2
    assert [f["items_stored"] for f in cli.json("feeds")] == [2, 2]


# -- kill -9 -----------------------------------------------------------------------------------

ITEMS_KILLED = 30


def start_watch(feed: str, db: Path, *options: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PARALLAX_FETCH_DELAY": "0", "PARALLAX_FETCH_RETRIES": "0"}
    return subprocess.Popen(
        [sys.executable, "-m", "parallax", "watch", feed, "--once", "--allow-private",
         "--no-annotate", "--db", str(db), *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def stored_articles(db: Path) -> int:
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def revision_rows(db: Path) -> int:
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM article_revisions").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def serve_slowly(site: Site, items: list[dict[str, str]], edit: bool = False) -> None:
    for item in items:
        path = item["link"].removeprefix(site.url(""))
        body = edited(page(path)) if edit else page(path)

        def slow(handler: Handler, body: bytes = body) -> None:
            time.sleep(0.03)
            handler.answer(200, body)

        site.routes[path] = slow


def test_watch_kill_9_mid_poll_then_restart_stores_every_item_exactly_once(
    site: Site, tmp_path: Path
) -> None:
    items = serve_pages(site, ITEMS_KILLED)
    serve_slowly(site, items)
    serve_feed(site, "/feed.xml", rss(items), "application/rss+xml", etag='"v1"')
    db = tmp_path / "watch.db"
    process = start_watch(site.url("/feed.xml"), db)
    deadline = time.monotonic() + 60
    while stored_articles(db) < 8 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    at_kill = stored_articles(db)
    assert 0 < at_kill < ITEMS_KILLED, "the kill did not land mid-poll"

    restarted = start_watch(site.url("/feed.xml"), db)
    assert restarted.wait(timeout=120) == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
        outcomes = conn.execute(
            "SELECT count(*), count(seen), count(article) FROM feed_items"
        ).fetchone()
    assert sorted(urls) == sorted(i["link"] for i in items), "every item once, none lost"
    assert outcomes == (ITEMS_KILLED, ITEMS_KILLED, ITEMS_KILLED)
    fetched = Counter(page_paths(site))
    assert sum(fetched.values()) <= ITEMS_KILLED + 2, "stored items were not fetched again"
    assert site.paths().count("/feed.xml") == 2
    assert [s.headers.get("If-None-Match") for s in site.seen if s.path == "/feed.xml"] == [
        None, '"v1"']  # fmt: skip


def test_watch_kill_9_while_edited_entries_are_fetched_again_stores_each_edit_once(
    site: Site, tmp_path: Path
) -> None:
    """Every entry stored, then every one listed edited with its page changed: a kill -9
    while they are fetched again and a restart leave each article with exactly two
    revisions, no second article and every entry seen."""
    items = serve_pages(site, ITEMS_KILLED)
    serve_slowly(site, items)
    serve_feed(site, "/feed.xml", rss(items), "application/rss+xml", etag='"v1"')
    db = tmp_path / "watch.db"
    assert start_watch(site.url("/feed.xml"), db, "--interval", "1").wait(timeout=120) == 0
    assert stored_articles(db) == ITEMS_KILLED and revision_rows(db) == 0

    serve_slowly(site, items, edit=True)
    changed = [{**i, "updated": "2026-05-06T10:00:00+00:00", "title": f"{i['title']}, updated"}
               for i in items]  # fmt: skip
    serve_feed(site, "/feed.xml", rss(changed), "application/rss+xml", etag='"v2"')
    time.sleep(1.1)  # the feed is due again
    process = start_watch(site.url("/feed.xml"), db, "--interval", "1")
    deadline = time.monotonic() + 60
    while revision_rows(db) < 16 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < revision_rows(db) < 2 * ITEMS_KILLED, "the kill did not land mid-poll"

    assert start_watch(site.url("/feed.xml"), db).wait(timeout=120) == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
        numbers = Counter(row[0] for row in conn.execute(
            "SELECT article FROM article_revisions"))  # fmt: skip
        outcomes = conn.execute(
            "SELECT count(*), count(seen), count(article) FROM feed_items"
        ).fetchone()
        texts = {row[0] for row in conn.execute("SELECT text FROM articles")}
    assert sorted(urls) == sorted(i["link"] for i in items), "one article per entry"
    assert len(numbers) == ITEMS_KILLED and set(numbers.values()) == {2}, "each edit once"
    assert all(EDIT.decode().removesuffix("</p>").strip() in text for text in texts)
    assert outcomes == (ITEMS_KILLED, ITEMS_KILLED, ITEMS_KILLED)
    fetched = Counter(page_paths(site))
    assert sum(fetched.values()) <= 2 * ITEMS_KILLED + 2, "revised pages were not fetched again"


def test_watch_stopped_between_entries_leaves_the_rest_due(
    site: Site, watching: tuple[Store, Fetcher, Clock]
) -> None:
    store, fetcher, clock = watching
    serve_feed(site, "/feed.xml", rss(serve_pages(site, 5)), "application/rss+xml")
    add_sources(store, [site.url("/feed.xml")])
    settings = replace(Settings.from_env(), allow_private=1)
    watch = WatchOptions(interval=INTERVAL, annotate=False, cluster=False, chunk=1)
    stop = threading.Event()

    def stop_after_two(feed: str, done: int, total: int) -> None:
        if done == 2:
            stop.set()  # what Ctrl-C does

    watcher = Watcher(store, fetcher, IngestOptions(settings=settings), watch, clock=clock,
                      stop=stop, on_item=stop_after_two)  # fmt: skip
    [stopped] = watcher.poll_due()
    assert stopped.stopped and stopped.stored == 2
    assert stopped.next_poll == clock.now, "due again at once"
    [rest] = poll(watching)
    assert rest.stored == 3 and not rest.stopped
    assert store.count_articles() == 5
