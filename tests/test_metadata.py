"""Publication dates, urls and outlets: what an input says about itself, nothing invented."""

from __future__ import annotations

import pytest

from parallax.ingest.metadata import normalise_url, outlet_from_url, parse_published


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-09-22", "2025-09-22"),
        ("2025-09-22T08:30:00+02:00", "2025-09-22T08:30:00+02:00"),
        ("2025-09-22T08:30:00Z", "2025-09-22T08:30:00+00:00"),
        ("2025-09-22 13:00:00", "2025-09-22T13:00:00"),
        ("21.09.2025, 9:11", "2025-09-21T09:11"),
        ("September 22, 2025", "2025-09-22"),
        ("Sept. 22, 2025 at 9:05 pm", "2025-09-22T21:05"),
        ("22 September 2025", "2025-09-22"),
        ("Mon, 22 Sep 2025 10:00:00 +0000", "2025-09-22T10:00:00+00:00"),
        (1758535200, "2025-09-22T10:00:00+00:00"),
    ],
)
def test_metadata_parse_published_keeps_precision_and_zone(raw: object, expected: str) -> None:
    assert parse_published(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "yesterday", "September 2025", "31.02.2025", True])
def test_metadata_parse_published_unknown_stays_none(raw: object) -> None:
    assert parse_published(raw) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://Example.com/news/a/", "https://example.com/news/a"),
        ("https://example.com/a?utm_source=x&id=3#top", "https://example.com/a?id=3"),
        ("HTTPS://www.example.com:443/a", "https://www.example.com/a"),
    ],
)
def test_metadata_normalise_url_identifies_the_same_page(a: str, b: str) -> None:
    assert normalise_url(a) == normalise_url(b)


def test_metadata_normalise_url_keeps_distinct_pages_apart() -> None:
    assert normalise_url("https://example.com/a?id=3") != normalise_url(
        "https://example.com/a?id=4"
    )


def test_metadata_outlet_from_url_is_the_domain() -> None:
    assert outlet_from_url("https://www.kyivpost.com/post/1") == "kyivpost.com"
    assert outlet_from_url(None) is None
