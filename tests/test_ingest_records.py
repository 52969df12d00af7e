"""JSON and JSONL records in the field names of common crawlers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.pipeline import ingest
from parallax.store import Store

from .conftest import article_text, write

NEWS_PLEASE = {
    "url": "https://harbourpost.example/2026/09/21/strike",
    "title": "Dockers strike in Port Arlen",
    "maintext": article_text(80, "dockers"),
    "date_publish": "2026-09-21 10:00:00",
    "source_domain": "harbourpost.example",
    "authors": ["Mira Tal", "Jon Ekke"],
    "language": "en",
    "image_url": "https://harbourpost.example/img.jpg",
}
NEWSPAPER = {
    "url": "https://dailyvane.example/strike",
    "title": "Port Arlen strike enters second day",
    "text": article_text(80, "arlen"),
    "publish_date": "2026-09-22T07:15:00+00:00",
    "authors": ["Kas Brin"],
    "source_url": "https://dailyvane.example",
    "keywords": ["strike", "port"],
}
NEWSAPI = {
    "source": {"id": None, "name": "The Lantern"},
    "author": "Oda Sell",
    "title": "Strike talks stall",
    "url": "https://lantern.example/talks",
    "publishedAt": "2026-09-23T05:00:00Z",
    "content": article_text(80, "talks"),
}


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            NEWS_PLEASE,
            {
                "outlet": "harbourpost.example",
                "author": "Mira Tal, Jon Ekke",
                "published_at": "2026-09-21T10:00:00",
                "language": "en",
                "title": "Dockers strike in Port Arlen",
            },
        ),
        (
            NEWSPAPER,
            {
                "outlet": "dailyvane.example",
                "author": "Kas Brin",
                "published_at": "2026-09-22T07:15:00+00:00",
            },
        ),
        (
            NEWSAPI,
            {
                "outlet": "The Lantern",
                "author": "Oda Sell",
                "published_at": "2026-09-23T05:00:00+00:00",
            },
        ),
    ],
)
def test_records_crawler_fields(
    tmp_path: Path, record: dict[str, object], expected: dict[str, str]
) -> None:
    path = write(tmp_path / "one.jsonl", json.dumps(record) + "\n")
    with Store.open(tmp_path / "s.db") as store:
        ingest([path], store)
        (article,) = store.articles()
    for field, value in expected.items():
        assert getattr(article, field) == value, field
    assert article.url == record["url"]
    assert article.text


def test_records_unmapped_fields_are_kept_in_extra(tmp_path: Path) -> None:
    path = write(tmp_path / "one.jsonl", json.dumps(NEWS_PLEASE) + "\n" + json.dumps(NEWSPAPER))
    with Store.open(tmp_path / "s.db") as store:
        ingest([path], store)
        first, second = store.articles()
    assert first.extra["image_url"] == NEWS_PLEASE["image_url"]
    assert first.extra["record"] == 1
    assert second.extra["keywords"] == ["strike", "port"]
    assert second.extra["source_url"] == "https://dailyvane.example"


def test_records_json_array_and_wrapped_list(tmp_path: Path) -> None:
    write(tmp_path / "array.json", json.dumps([NEWS_PLEASE, NEWSPAPER]))
    write(tmp_path / "wrapped.json", json.dumps({"status": "ok", "articles": [NEWSAPI]}))
    write(
        tmp_path / "single.json",
        json.dumps(
            {**NEWSAPI, "url": "https://lantern.example/b", "content": article_text(60, "single")}
        ),
    )
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([tmp_path], store)
    assert summary.ingested == 4
    assert summary.quarantined == 0


def test_records_unreadable_date_is_kept_not_guessed(tmp_path: Path) -> None:
    record = {**NEWSAPI, "publishedAt": "sometime last week"}
    path = write(tmp_path / "one.jsonl", json.dumps(record))
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([path], store)
        (article,) = store.articles()
    assert summary.quarantined == 0
    assert article.published_at is None
    assert article.extra["unparsed_published_at"] == "sometime last week"


def test_records_feb_30_date_is_stored_with_raw_value_not_e099(tmp_path: Path) -> None:
    record = {**NEWSAPI, "publishedAt": "2025-02-30"}
    path = write(tmp_path / "one.jsonl", json.dumps(record))
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([path], store)
        (article,) = store.articles()
        assert store.quarantined() == []
    assert summary.ingested == 1 and summary.quarantined == 0
    assert article.published_at is None
    assert article.extra["unparsed_published_at"] == "2025-02-30"


@pytest.mark.parametrize(
    "stamp",
    [
        pytest.param(1726000000000, id="int-ms"),
        pytest.param("1726000000000", id="string-ms"),
        pytest.param(1726000000, id="int-seconds"),
    ],
)
def test_records_millisecond_epoch_is_read_not_e099(tmp_path: Path, stamp: object) -> None:
    path = write(tmp_path / "one.json", json.dumps({**NEWS_PLEASE, "date_publish": stamp}))
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([path], store)
        (article,) = store.articles()
    assert summary.quarantined == 0
    assert article.published_at == "2024-09-10T20:26:40+00:00"
    assert "unparsed_published_at" not in article.extra
