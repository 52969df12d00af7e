"""Plain-text articles: header metadata is recognised, page furniture dropped, text untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.ingest.text import parse_text
from parallax.pipeline import IngestOptions, ingest
from parallax.store import Store

from .conftest import write


@pytest.mark.parametrize(
    ("raw", "title", "published", "author", "text_start"),
    [
        (
            "Harbour reopens\nSeptember 22, 2025\nBy Ana Lind\n\nThe harbour reopened.",
            "Harbour reopens",
            "2025-09-22",
            "Ana Lind",
            "The harbour reopened.",
        ),
        (
            "Harbour reopens\n13- 21.09.2025, 9:11\n- 23,048\nThe harbour reopened.",
            "Harbour reopens",
            "2025-09-21T09:11",
            None,
            "The harbour reopened.",
        ),
        (
            " date 2025-09-22 The harbour reopened on Monday.\n\nMore text.",
            None,
            "2025-09-22",
            None,
            "The harbour reopened on Monday.",
        ),
        (
            "Published: 2026-09-22 14:05\n\nThe harbour reopened.",
            None,
            "2026-09-22T14:05",
            None,
            "The harbour reopened.",
        ),
        (
            "Title: Harbour reopens\nThe harbour reopened on 22 September 2025 after a storm.",
            "Harbour reopens",
            None,
            None,
            "The harbour reopened on 22 September 2025",
        ),
        (
            "The harbour reopened after a storm, officials said.\nIt had been shut for a week.",
            None,
            None,
            None,
            "The harbour reopened after a storm",
        ),
    ],
)
def test_text_header_metadata(
    raw: str, title: str | None, published: str | None, author: str | None, text_start: str
) -> None:
    parsed = parse_text(raw)
    assert parsed.meta.title == title
    assert parsed.meta.published_at == published
    assert parsed.meta.author == author
    assert parsed.text.startswith(text_start)


def test_text_date_in_body_is_not_metadata() -> None:
    parsed = parse_text("Storm\nThe storm of September 22, 2025 closed the harbour.\nMore.")
    assert parsed.meta.published_at is None
    assert "September 22, 2025" in parsed.text


def test_text_furniture_is_kept_out_of_the_text_but_recorded() -> None:
    parsed = parse_text("Storm hits\nSeptember 22, 2025\n- 1,204\n37 comments\n\nThe storm hit.")
    assert parsed.text == "The storm hit."
    assert parsed.furniture == ("- 1,204", "37 comments")


def test_text_real_articles_metadata(maduro: Path, tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([maduro], store)
        articles = {Path(a.source).name: a for a in store.articles()}
    assert summary.ingested == 2
    first = articles["000_ea71f3918ac95882.txt"]
    assert first.title == 'Trump "nailed Lukashenko\'s Friend" To The Wall'
    assert first.published_at == "2025-09-21T09:11"
    assert first.text.startswith('Maduro panicked and offered the U.S. an "honest dialog."')
    assert "23,048" not in first.text and "21.09.2025" not in first.text
    second = articles["003_ad23dd94d5af61bf.txt"]
    assert second.published_at == "2025-09-22"
    assert second.title is None  # the file has none: nothing is invented
    assert second.text.startswith("Socialist dictator of Venezuela Nicolás Maduro sent a letter")
    assert second.text.endswith("You can follow him on Twitter here.")
    for article in (first, second):
        assert article.outlet is None and article.url is None and article.author is None


def test_text_user_metadata_wins(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Storm hits\nSeptember 22, 2025\n\nThe storm hit the coast.")
    options = IngestOptions(outlet="Coast Courier", published_at="2025-09-23T08:00:00+02:00")
    with Store.open(tmp_path / "s.db") as store:
        ingest([path], store, options)
        (article,) = store.articles()
    assert article.outlet == "Coast Courier"
    assert article.published_at == "2025-09-23T08:00:00+02:00"
    assert article.title == "Storm hits"


def test_text_manifest_supplies_metadata(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", "The storm hit the coast on Sunday, officials said.")
    write(tmp_path / "in" / "b.txt", "The river rose overnight, officials said.")
    manifest = write(
        tmp_path / "manifest.csv",
        "path,outlet,url,title,published_at\n"
        "in/a.txt,Coast Courier,https://courier.example/storm,Storm,2025-09-22\n",
    )
    with Store.open(tmp_path / "s.db") as store:
        ingest([tmp_path / "in"], store, IngestOptions(outlet="Fallback", manifest=manifest))
        articles = {Path(a.source).name: a for a in store.articles()}
    assert articles["a.txt"].outlet == "Coast Courier"
    assert articles["a.txt"].url == "https://courier.example/storm"
    assert articles["a.txt"].published_at == "2025-09-22"
    assert articles["b.txt"].outlet == "Fallback"
    assert articles["b.txt"].published_at is None
