"""HTML pages (``ingest/html.py``, ``pages.py``): tag soup around hostile text, meta tags
with any charset, date, language and canonical url, and raw bytes, through the ``.html``
reader and through ``page_draft`` (what archives and fetched urls share)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.errors import ParallaxError
from parallax.ingest import page_draft, read_input
from parallax.ingest.decode import clean_text
from parallax.settings import Settings

from .conftest import assert_catalogued, assert_ingested, assert_metadata, assert_read, fuzz, within
from .strategies import WORDS, encoded, hostile_bytes, hostile_text, urls

pytestmark = [pytest.mark.fuzz, pytest.mark.usefixtures("warm_date_parser")]
SETTINGS = Settings.from_env({})

CHARSETS = ("utf-8", "latin-1", "iso-8859-1", "windows-1251", "utf-16", "utf-7", "ascii",
            "gb2312", "shift_jis", "x-unknown", "idna", "rot13", "", "'>", "utf8'")  # fmt: skip
DATES = ("2025-09-22T08:30:00+02:00", "2025-02-30", "", "yesterday", "1758499200",
         "9999-12-31T23:59:59-23:59", "0000-01-01", "2025-09-22T25:61")  # fmt: skip


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;")


def _head(charset: str, stamp: str, canonical: str, title: str, lang: str) -> str:
    return (
        f'<html lang="{_attr(lang)}"><head><meta charset="{_attr(charset)}">'
        f"<title>{title}</title>"
        f'<meta property="article:published_time" content="{_attr(stamp)}">'
        f'<link rel="canonical" href="{_attr(canonical)}">'
        f'<meta property="og:site_name" content="{_attr(title[:20])}"></head>'
    )


paragraphs = st.lists(
    st.one_of(
        st.lists(st.sampled_from(WORDS), min_size=5, max_size=30).map(" ".join),
        hostile_text(200),
    ),
    max_size=6,
)
tags = st.sampled_from(("p", "div", "article", "h1", "script", "style", "li", "td", "pre", "x"))


@st.composite
def pages(draw: st.DrawFn) -> str:
    head = _head(
        draw(st.sampled_from(CHARSETS)),
        draw(st.one_of(st.sampled_from(DATES), hostile_text(30))),
        draw(urls()),
        draw(hostile_text(40)),
        draw(st.sampled_from(("en", "en-GB", "", "x" * 50, "de_DE", "-"))),
    )
    body = "".join(f"<{draw(tags)}>{text}</{draw(tags)}>" for text in draw(paragraphs))
    cut = draw(st.integers(0, 3))  # some pages end early: unclosed, cut inside a tag
    page = head + f"<body><article>{body}</article></body></html>"
    return page[: len(page) - draw(st.integers(0, 40))] if cut == 0 else page


documents = st.one_of(pages().map(str.encode), encoded(pages()), hostile_bytes(600))


@fuzz(examples=60)
@given(documents)
def test_html_file_is_an_article_or_quarantined(data: bytes) -> None:
    """An ``.html`` file of any content: one result, an article in its stored form with
    well-formed metadata, or a catalogued rejection."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_bytes(data)
        with within():
            results = assert_read(read_input(path, SETTINGS), str(path))
    assert len(results) == 1


@fuzz(examples=60)
@given(
    documents,
    st.one_of(st.none(), urls()),
    st.one_of(st.none(), st.sampled_from(CHARSETS)),
    st.one_of(st.none(), hostile_text(30)),
)
def test_html_page_draft_served_page(
    data: bytes, url: str | None, charset: str | None, fetched_at: str | None
) -> None:
    """A page as a server or an archive hands it over (url, charset, crawl time): an
    article whose url is the one served and whose crawl time is kept aside, or a
    catalogued error; nothing else escapes."""
    try:
        with within():
            draft = page_draft(
                data,
                source="https://example.org/page",
                url=url,
                charset=charset,
                fetched_at=fetched_at,
                limit=SETTINGS.max_article_bytes,
                record=7,
            )
    except ParallaxError as error:
        assert_catalogued(error.code, "page")
        assert error.record == 7
        return
    assert draft.text and clean_text(draft.text) == draft.text
    assert_metadata(draft.meta, "page")
    if url:
        assert draft.meta.url == url
    if fetched_at:
        assert draft.extra["fetched_at"] == fetched_at


@fuzz(examples=10)
@given(st.lists(documents, min_size=1, max_size=3))
def test_html_files_ingest_into_a_sound_store(contents: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, data in enumerate(contents):
            path = Path(folder) / f"page{number}.html"
            path.write_bytes(data)
            paths.append(path)
        assert_ingested(paths, expected=len(paths))
