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


@pytest.mark.parametrize(
    "raw", ["2025-02-30", "2025-02-30T10:00:00+00:00", "2025-13-45", "30.02.2025", "Feb 30, 2025"]
)
def test_parse_published_feb_30_is_unknown_not_a_crash(raw: str) -> None:
    assert parse_published(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(1726000000000, "2024-09-10T20:26:40+00:00", id="int-ms"),
        pytest.param("1726000000000", "2024-09-10T20:26:40+00:00", id="13-digit-string"),
        pytest.param(1726000000123, "2024-09-10T20:26:40.123000+00:00", id="int-ms-exact"),
        pytest.param(1726000000000.0, "2024-09-10T20:26:40+00:00", id="float-ms"),
        pytest.param(-1726000000000, "1915-04-23T03:33:20+00:00", id="negative-ms"),
        pytest.param("1726000000", "2024-09-10T20:26:40+00:00", id="10-digit-string"),
        pytest.param(1726000000, "2024-09-10T20:26:40+00:00", id="int-seconds"),
    ],
)
def test_parse_published_millisecond_epoch_is_read_as_milliseconds(
    raw: object, expected: str
) -> None:
    assert parse_published(raw) == expected


@pytest.mark.parametrize(
    "raw", [float("nan"), float("inf"), float("-inf"), "NaN", "nan", "inf", "-Infinity"]
)
def test_parse_published_nan_and_inf_are_unknown_not_a_crash(raw: object) -> None:
    assert parse_published(raw) is None


@pytest.mark.parametrize(
    "raw",
    [1e20, -1e20, pytest.param(10**400, id="10**400"), 1726000000000000, "99999999999999"],
)
def test_parse_published_out_of_range_epoch_is_unknown_not_a_crash(raw: object) -> None:
    assert parse_published(raw) is None


@pytest.mark.parametrize("raw", ["12345", "172600000", "17260000000", "2025"])
def test_parse_published_digit_strings_of_other_lengths_are_not_epochs(raw: str) -> None:
    assert parse_published(raw) is None
