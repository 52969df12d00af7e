"""Feeds, sitemaps and OPML (``sources/feeds.py``): RSS, Atom, JSON Feed and news sitemaps
built around hostile values, entity declarations, and raw bytes. Each gives a feed whose
entries have keys, or a catalogued error (E080-E083); OPML gives subscriptions or E082."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.errors import ParallaxError
from parallax.sources import FEED_TYPES, parse_feed, read_opml

from .conftest import assert_catalogued, fuzz, within
from .strategies import hostile_bytes, hostile_text, urls

pytestmark = pytest.mark.fuzz
SOURCE = "https://example.org/feed"

values = st.one_of(
    hostile_text(60), urls(), st.sampled_from(("Mon, 22 Sep 2025 08:30:00 +0200", "2025-09-22", ""))
)


def _xml_text(value: str) -> str:
    """Text an XML document can hold: escaped, without the characters XML forbids."""
    allowed = "".join(c for c in value if c in "\t\n\r" or " " <= c <= "\ud7ff" or c >= "\ue000")
    return escape(allowed.replace("\ufffe", "").replace("\uffff", ""))


@st.composite
def rss(draw: st.DrawFn) -> bytes:
    items = "".join(
        f"<item><title>{_xml_text(draw(values))}</title><link>{_xml_text(draw(urls()))}</link>"
        f"<guid>{_xml_text(draw(values))}</guid><pubDate>{_xml_text(draw(values))}</pubDate>"
        f"<description>{_xml_text(draw(values))}</description></item>"
        for _ in range(draw(st.integers(0, 4)))
    )
    doc = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )
    return doc.encode()


@st.composite
def atom(draw: st.DrawFn) -> bytes:
    entries = "".join(
        f"<entry><id>{_xml_text(draw(values))}</id><title>{_xml_text(draw(values))}</title>"
        f'<link href="{_xml_text(draw(urls()))}"/><updated>{_xml_text(draw(values))}</updated>'
        f'<summary type="html">{_xml_text(draw(values))}</summary></entry>'
        for _ in range(draw(st.integers(0, 4)))
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{entries}</feed>'.encode()


@st.composite
def sitemap(draw: st.DrawFn) -> bytes:
    news = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    urls_ = "".join(
        f"<url><loc>{_xml_text(draw(urls()))}</loc>"
        + (
            f"<news:news><news:title>{_xml_text(draw(values))}</news:title>"
            f"<news:publication_date>{_xml_text(draw(values))}</news:publication_date></news:news>"
            if draw(st.booleans())
            else ""
        )
        + "</url>"
        for _ in range(draw(st.integers(0, 4)))
    )
    root = draw(st.sampled_from(("urlset", "sitemapindex")))
    space = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    return f"<{root} {space} {news}>{urls_}</{root}>".encode()


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), values),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3),
        st.dictionaries(st.sampled_from(("name", "url")), inner, min_size=1),
    ),
    max_leaves=6,
)
json_item = st.dictionaries(
    st.sampled_from(("id", "url", "external_url", "title", "summary", "content_text",
                     "date_published", "date_modified", "authors", "author")),
    json_values,
)  # fmt: skip


@st.composite
def json_feed(draw: st.DrawFn) -> bytes:
    document: Any = {
        "version": draw(st.sampled_from(("https://jsonfeed.org/version/1.1", "1", None))),
        "title": draw(json_values),
        "items": draw(
            st.one_of(st.lists(st.one_of(json_item, json_values), max_size=4), json_values)
        ),
    }
    return json.dumps(document).encode()


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b"<rss><channel>&lol2;</channel></rss>"
)


def _spliced(document: bytes, cut: int, junk: bytes) -> bytes:
    return document[:cut] + junk + document[cut:]


feeds = st.one_of(rss(), atom(), sitemap(), json_feed(), st.just(BOMB), hostile_bytes(400))
damaged = st.builds(_spliced, feeds, st.integers(0, 400), st.binary(max_size=8))


@fuzz(examples=80)
@given(
    st.one_of(feeds, damaged), st.one_of(st.none(), st.sampled_from(FEED_TYPES), hostile_text(20))
)
def test_feeds_parse_or_refuse(body: bytes, content_type: str | None) -> None:
    """Any body, served as any type: a feed whose every entry has a key, or E080-E083."""
    try:
        with within():
            feed = parse_feed(body, source=SOURCE, content_type=content_type)
    except ParallaxError as error:
        assert_catalogued(error.code, SOURCE)
        assert error.code in ("E080", "E081", "E083"), error
        return
    assert feed.kind in ("rss", "atom", "json", "sitemap")
    for item in feed.items:
        assert isinstance(item.key, str) and item.key


@st.composite
def opml(draw: st.DrawFn) -> bytes:
    outlines = "".join(
        f'<outline text="{_xml_text(draw(values))}" xmlUrl="{_xml_text(draw(urls()))}">'
        f'<outline xmlUrl="{_xml_text(draw(urls()))}"/></outline>'
        for _ in range(draw(st.integers(0, 4)))
    )
    return f'<opml version="2.0"><head/><body>{outlines}</body></opml>'.encode()


@fuzz(examples=60)
@given(
    st.one_of(
        opml(), st.builds(_spliced, opml(), st.integers(0, 200), st.binary(max_size=6)), feeds
    )
)
def test_feeds_opml_lists_or_refuses(body: bytes) -> None:
    """Any OPML-ish file: the feeds it lists, each once, or E082."""
    try:
        with within():
            found = read_opml(body, "subs.opml")
    except ParallaxError as error:
        assert error.code == "E082", error
        return
    listed = [subscription.url for subscription in found]
    assert len(listed) == len(set(listed)) and all(listed)
