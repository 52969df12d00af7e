"""Feeds read from their bytes (RSS, Atom, JSON Feed, news sitemaps, OPML), entity bombs
refused before any parser sees them, and `parallax feeds` (list, add, remove)."""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from parallax.errors import ParallaxError
from parallax.sources import parse_feed, read_opml
from tests.conftest import Cli

# -- feed builders (test_watch.py serves them) ------------------------------------------


def rss(items: list[dict[str, str]], title: str = "Harbour Times") -> bytes:
    """RSS 2.0; each item's keys: guid, link, title, date (RFC 822), updated (ISO 8601, as
    ``atom:updated``), summary."""
    parts = []
    for item in items:
        fields = "".join(
            f"<{tag}>{item[key]}</{tag}>"
            for key, tag in (("guid", "guid"), ("link", "link"), ("title", "title"),
                             ("date", "pubDate"), ("updated", "atom:updated"),
                             ("summary", "description"))
            if key in item
        )  # fmt: skip
        parts.append(f"<item>{fields}</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f"<title>{title}</title><link>https://harbourtimes.example/</link>"
        f"{''.join(parts)}</channel></rss>"
    ).encode()


def atom(items: list[dict[str, str]]) -> bytes:
    """Atom; each entry's ``updated`` is the item's date, ``published`` its published."""
    entries = "".join(
        f'<entry><id>{item["guid"]}</id><link href="{item["link"]}"/>'
        f"<title>{item['title']}</title><updated>{item['date']}</updated>"
        + (f"<published>{item['published']}</published>" if "published" in item else "")
        + f"<summary>{item.get('summary', '')}</summary></entry>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Port Ledger</title><id>urn:ledger</id><updated>2026-05-04T10:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


def json_feed(items: list[dict[str, str]]) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "River Post",
            "items": [
                {
                    "id": item["guid"],
                    "url": item["link"],
                    "title": item["title"],
                    "date_published": item["date"],
                    "content_text": item.get("summary", ""),
                    **({"date_modified": item["updated"]} if "updated" in item else {}),
                }
                for item in items
            ],
        }
    ).encode()


def news_sitemap(items: list[dict[str, str]]) -> bytes:
    """A news sitemap; an item's updated is its ``<lastmod>``."""
    urls = "".join(
        f"<url><loc>{item['link']}</loc>"
        + (f"<lastmod>{item['updated']}</lastmod>" if "updated" in item else "")
        + "<news:news><news:publication><news:name>Bay News"
        f"</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{item['date']}</news:publication_date>"
        f"<news:title>{item['title']}</news:title></news:news></url>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>https://baynews.example/about</loc></url>{urls}</urlset>"
    ).encode()


def opml(urls: list[str]) -> bytes:
    outlines = "".join(f'<outline type="rss" text="feed {i}" xmlUrl="{u}"/>'
                       for i, u in enumerate(urls))  # fmt: skip
    return (
        '<?xml version="1.0"?><opml version="2.0"><head><title>subs</title></head><body>'
        f'<outline text="news">{outlines}</outline></body></opml>'
    ).encode()


def bomb(levels: int = 10) -> bytes:
    """A "billion laughs": 10^levels copies of "lol" from a few hundred bytes."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [{"".join(entities)}]><rss version="2.0">'
        f"<channel><title>&lol{levels - 1};</title><item><title>x</title>"
        "<link>https://a.example/x</link></item></channel></rss>"
    ).encode()


def hidden_bombs() -> dict[str, bytes]:
    """The bomb with its declarations where a scan for the end of the DOCTYPE, or for the
    bytes ``<!ENTITY``, would miss them but a parser does not."""
    declared = b'<?xml version="1.0"?>'

    def encoded(codec: str) -> bytes:
        named = f'<?xml version="1.0" encoding="{codec}"?>'.encode()
        return bomb().replace(declared, named, 1)

    return {
        "comment": bomb().replace(b"[<!ENTITY", b"[<!-- ]> --><!ENTITY", 1),
        "instruction": bomb().replace(b"[<!ENTITY", b"[<?note ]> ?><!ENTITY", 1),
        "decoy-doctype": bomb().replace(b"<!DOCTYPE", b"<!-- <!DOCTYPE x ]> --><!DOCTYPE", 1),
        "ebcdic": encoded("cp037").decode().encode("cp037"),
        "utf-7": encoded("utf-7").replace(b"<!", b"+ADw-!"),
    }


ITEMS = [
    {"guid": "urn:1", "link": "https://harbourtimes.example/a", "title": "Pier closes",
     "date": "Mon, 04 May 2026 08:30:00 +0200", "summary": "<p>The <b>pier</b> shuts.</p>"},
    {"guid": "urn:2", "link": "https://harbourtimes.example/b", "title": "Ferry strike",
     "date": "Tue, 05 May 2026 09:00:00 GMT"},
]  # fmt: skip
SOURCE = "https://feeds.example/feed"


# -- parsing -------------------------------------------------------------------------


def test_feeds_rss2_entries_with_keys_dates_and_plain_summaries() -> None:
    feed = parse_feed(rss(ITEMS), source=SOURCE, content_type="application/rss+xml")
    assert (feed.kind, feed.title) == ("rss", "Harbour Times")
    first, second = feed.items
    assert (first.key, first.url, first.title) == ("urn:1", ITEMS[0]["link"], "Pier closes")
    assert first.published == "2026-05-04T08:30:00+02:00", "the feed's time zone is kept"
    assert first.summary == "The pier shuts."
    assert second.published == "2026-05-05T09:00:00+00:00" and second.summary is None


def test_feeds_an_entry_without_guid_is_keyed_by_its_link() -> None:
    items = [{"link": "https://harbourtimes.example/c", "title": "No guid"}]
    [entry] = parse_feed(rss(items), source=SOURCE).items
    assert entry.key == entry.url == "https://harbourtimes.example/c"


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>One</title></channel>'
        b'<item rdf:about="https://a.example/1"><title>T</title>'
        b"<link>https://a.example/1</link></item></rdf:RDF>",
        b'<?xml version="1.0"?><rss version="0.91"><channel><title>One</title>'
        b"<item><title>T</title><link>https://a.example/1</link></item></channel></rss>",
    ],
    ids=["rss1.0", "rss0.91"],
)
def test_feeds_older_rss_versions(body: bytes) -> None:
    feed = parse_feed(body, source=SOURCE)
    assert feed.kind == "rss" and [e.url for e in feed.items] == ["https://a.example/1"]


def test_feeds_atom_entries() -> None:
    items = [{**ITEMS[0], "date": "2026-05-04T08:30:00+02:00"}]
    feed = parse_feed(atom(items), source=SOURCE, content_type="application/atom+xml")
    assert (feed.kind, feed.title) == ("atom", "Port Ledger")
    [entry] = feed.items
    assert (entry.key, entry.url, entry.published) == (
        "urn:1", ITEMS[0]["link"], "2026-05-04T08:30:00+02:00")  # fmt: skip


def test_feeds_json_feed_entries() -> None:
    items = [{**ITEMS[0], "date": "2026-05-04T08:30:00+02:00", "summary": "The pier shuts."}]
    feed = parse_feed(json_feed(items), source=SOURCE, content_type="application/feed+json")
    assert (feed.kind, feed.title) == ("json", "River Post")
    [entry] = feed.items
    assert (entry.key, entry.url, entry.title) == ("urn:1", ITEMS[0]["link"], "Pier closes")
    assert (entry.published, entry.summary) == ("2026-05-04T08:30:00+02:00", "The pier shuts.")


def test_feeds_news_sitemap_entries_are_the_urls_with_news() -> None:
    items = [{**ITEMS[0], "date": "2026-05-04T08:30:00+02:00"}]
    feed = parse_feed(news_sitemap(items), source=SOURCE, content_type="application/xml")
    assert feed.kind == "sitemap"
    [entry] = feed.items  # the <url> without <news:news> is not an entry
    assert (entry.key, entry.title, entry.publication) == (ITEMS[0]["link"], "Pier closes",
                                                           "Bay News")  # fmt: skip
    assert entry.published == "2026-05-04T08:30:00+02:00"


EDITED = "2026-05-05T14:10:00+00:00"
ISO = {**ITEMS[0], "date": "2026-05-04T08:30:00+02:00"}


@pytest.mark.parametrize(
    ("build", "item"),
    [
        (rss, ITEMS[0]),
        (atom, {**ISO, "date": EDITED, "published": ISO["date"]}),
        (json_feed, ISO),
        (news_sitemap, ISO),
    ],
    ids=["rss2", "atom", "jsonfeed", "news-sitemap"],
)
def test_feeds_an_entry_keeps_when_it_was_updated_apart_from_when_published(
    build: Callable[[list[dict[str, str]]], bytes], item: dict[str, str]
) -> None:
    """What tells a watcher of an edit (RSS ``atom:updated``, Atom ``updated``, JSON Feed
    ``date_modified``, a sitemap's ``lastmod``) is kept beside the publication time."""
    [entry] = parse_feed(build([{**item, "updated": EDITED}]), source=SOURCE).items
    assert (entry.published, entry.updated) == ("2026-05-04T08:30:00+02:00", EDITED)
    if build is not atom:  # an Atom entry always has one
        [plain] = parse_feed(build([item]), source=SOURCE).items
        assert plain.updated is None and plain.published == entry.published


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://a.example/</loc></url></urlset>",
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://a.example/news.xml</loc></sitemap></sitemapindex>",
    ],
    ids=["plain", "index"],
)
def test_feeds_sitemaps_without_news_are_refused(body: bytes) -> None:
    with pytest.raises(ParallaxError) as caught:
        parse_feed(body, source=SOURCE)
    assert caught.value.code == "E083"


@pytest.mark.parametrize(
    "body",
    [b"<!doctype html><html><body><p>Home page</p></body></html>", b"/etc/passwd", b""],
    ids=["html", "a-path", "empty"],
)
def test_feeds_what_is_not_a_feed_is_refused_and_no_file_is_opened(body: bytes) -> None:
    with pytest.raises(ParallaxError) as caught:
        parse_feed(body, source=SOURCE)
    assert caught.value.code == "E081"
    assert "root:" not in caught.value.reason


def test_feeds_opml_lists_nested_feeds_once() -> None:
    urls = ["https://a.example/rss", "https://b.example/atom", "https://a.example/rss"]
    assert [s.url for s in read_opml(opml(urls), "subs.opml")] == urls[:2]
    with pytest.raises(ParallaxError) as caught:
        read_opml(rss(ITEMS), "subs.opml")
    assert caught.value.code == "E082"


# -- entity bombs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        bomb(),
        bomb().decode().encode("utf-16"),
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><title>&xxe;</title></channel></rss>',
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>',
        *hidden_bombs().values(),
    ],
    ids=["billion-laughs", "utf-16", "external", "sitemap", *hidden_bombs()],
)
def test_feeds_entity_declarations_are_refused_fast_in_little_memory(body: bytes) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ParallaxError) as caught:
            parse_feed(body, source=SOURCE)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.code == "E080"
    assert time.perf_counter() - started < 0.5
    assert peak < 2 * 1024 * 1024


def test_feeds_a_plain_doctype_is_not_an_entity_bomb() -> None:
    body = rss(ITEMS).replace(
        b"<rss", b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss', 1)  # fmt: skip
    assert len(parse_feed(body, source=SOURCE).items) == 2


def test_feeds_an_opml_with_entities_is_refused() -> None:
    with pytest.raises(ParallaxError) as caught:
        read_opml(bomb().replace(b"rss", b"opml"), "subs.opml")
    assert caught.value.code == "E082" and "entities" in caught.value.reason


# -- parallax feeds ----------------------------------------------------------------------


def test_feeds_add_list_and_remove(cli: Cli, tmp_path: Path) -> None:
    subs = tmp_path / "subs.opml"
    subs.write_bytes(opml(["https://b.example/atom", "https://c.example/feed.json"]))
    added = cli("feeds", "add", "https://a.example/rss", "--opml", str(subs))
    assert added.exit_code == 0, added.output
    assert "3 new feed(s)" in added.stdout
    again = cli("feeds", "add", "https://a.example/rss")
    assert "0 new feed(s); 1 watched already" in again.stdout
    listed = cli.json("feeds")
    assert [f["url"] for f in listed] == [
        "https://a.example/rss",
        "https://b.example/atom",
        "https://c.example/feed.json",
    ]
    assert listed[0]["next_poll"] is None and listed[0]["failures"] == 0
    removed = cli("feeds", "remove", "https://b.example/atom", "https://nope.example/x")
    assert removed.exit_code == 1 and "E085" in removed.output
    assert [f["url"] for f in cli.json("feeds")] == [
        "https://a.example/rss", "https://c.example/feed.json"]  # fmt: skip
    assert "a.example/rss" in cli("feeds").stdout


def test_feeds_add_refuses_what_is_not_a_feed_url(cli: Cli, tmp_path: Path) -> None:
    assert cli("feeds", "add", "ftp://a.example/x").exit_code == 2
    assert cli("feeds", "add", "--opml", str(tmp_path / "missing.opml")).exit_code == 2
    bad = tmp_path / "bad.opml"
    bad.write_text("<html/>", encoding="utf-8")
    result = cli("feeds", "add", "--opml", str(bad))
    assert result.exit_code == 2 and "E082" in result.output


def test_feeds_an_empty_store_lists_no_feed(cli: Cli, tmp_path: Path) -> None:
    cli("feeds", "add", "https://a.example/rss")
    cli("feeds", "remove", "https://a.example/rss")
    assert cli.json("feeds") == []
    assert "no feed is watched" in cli("feeds").stdout
