"""The shared text module: folding, slugs, words, sentences, numbers, timestamps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.text import (
    MONTHS,
    fold,
    moment,
    number_word,
    parse_timestamp,
    sentence_spans,
    slug,
    words,
)
from parallax.text.outlets import known_outlet, outlet_key, outlet_table


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Grenell met Maduro on Sept. 6. The envoy left.",
            ["Mr. Grenell met Maduro on Sept. 6.", "The envoy left."],
        ),
        (
            "The U.S. envoy spoke. Nicolás M. Maduro answered.",
            ["The U.S. envoy spoke.", "Nicolás M. Maduro answered."],
        ),
        ("He said: “We will win.” Then he left.", ["He said: “We will win.”", "Then he left."]),
        ("“Is it over?” he asked. Nobody knew.", ["“Is it over?” he asked.", "Nobody knew."]),
        (
            "Headline without a stop\nThe body begins.",
            ["Headline without a stop", "The body begins."],
        ),
        ("It costs $5.5 million. Prices rose.", ["It costs $5.5 million.", "Prices rose."]),
        ("No. 5 was sunk. Wait... Then more.", ["No. 5 was sunk.", "Wait...", "Then more."]),
    ],
)
def test_sentence_spans_know_abbreviations_initials_and_quotes(
    text: str, expected: list[str]
) -> None:
    assert sentences(text) == expected


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n“”\"'M…")), max_size=300))
def test_sentence_spans_are_ordered_trimmed_and_cover_every_word(text: str) -> None:
    spans = sentence_spans(text)
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous = end
    covered = "".join(text[start:end] for start, end in spans)
    assert "".join(text.split()) == "".join(covered.split())


def test_sentence_spans_linear_on_pathological_runs() -> None:
    """Long runs of stops, quotes and spaces: each candidate end is looked at once (this
    would take minutes with a backtracking pattern; here it must simply finish)."""
    for chunk in (".", "!?", "”", " ", "\n", ". "):
        text = "Start " + chunk * 400_000 + " end."
        assert sentence_spans(text)[0][0] == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Nicolás Maduro", "nicolas-maduro"),
        ("Łukasz Wałęsa", "lukasz-walesa"),
        ("Novak Đoković", "novak-dokovic"),
        ("Владимир Путин", "vladimir-putin"),
        ("Αλέξης Τσίπρας", "alexis-tsipras"),
        ("O’Brien", "o-brien"),
        ("", "actor"),
    ],
)
def test_slug_transliterates_every_script(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_fold_keeps_other_scripts_and_drops_accents() -> None:
    assert fold("Nicolás") == fold("NICOLAS") == "nicolas"
    assert fold("Путин") == "путин"
    assert fold("Lukashenko’s") == "lukashenko's"


def test_words_keep_inner_apostrophes_and_hyphens() -> None:
    assert words("Lukashenko’s co-operate don't, 2025!") == [
        "Lukashenko’s",
        "co-operate",
        "don't",
        "2025",
    ]


@pytest.mark.parametrize(
    ("word", "value"),
    [("seven", 7), ("Forty", 40), ("twenty-four", 24), ("twenty-zero", None), ("dozen", None)],
)
def test_number_word(word: str, value: int | None) -> None:
    assert number_word(word) == value


def test_months_know_abbreviations() -> None:
    assert MONTHS["sept"] == MONTHS["september"] == 9
    assert MONTHS["may"] == 5


def test_parse_timestamp_reads_naive_as_utc_and_refuses_non_iso() -> None:
    assert parse_timestamp("2025-09-22") == datetime(2025, 9, 22, tzinfo=UTC)
    assert parse_timestamp("2025-09-22T08:30:00Z") == datetime(2025, 9, 22, 8, 30, tzinfo=UTC)
    assert moment("2025-09-22T10:30:00+02:00") == moment("2025-09-22T08:30")
    assert parse_timestamp("22 September") is None
    assert parse_timestamp(None) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Meridian Wire", "meridianwire.example"),
        ("www.meridianwire.example", "Meridian Wire"),
        ("Meridian Wire News", "Meridian Wire"),
        ("Kestrel News Online", "kestrelnews.example"),
        ("nytimes.com", "The New York Times"),
        ("NYT", "New York Times"),
        ("https://www.bbc.co.uk", "BBC News"),
        ("BBC", "bbc.com"),
        ("AP", "apnews.com"),
        ("The Associated Press", "Associated Press"),
        ("WSJ", "The Wall Street Journal"),
        ("Mail Online", "dailymail.co.uk"),
    ],
)
def test_text_outlet_key_is_one_identity_for_every_spelling(a: str, b: str) -> None:
    assert outlet_key(a) == outlet_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Times", "The Times of India"),
        ("Fox News", "Fox Business"),
        ("ABC News", "ABC Australia"),
        ("CNBC", "NBC News"),
        ("Daily News", "Daily"),
        ("Kestrel News", "Kestrel"),
    ],
)
def test_text_outlet_key_keeps_different_outlets_apart(a: str, b: str) -> None:
    assert outlet_key(a) != outlet_key(b)


def test_text_outlet_table_names_parents_and_every_domain_once() -> None:
    table = outlet_table()
    assert len(table) >= 50
    domains = [d for outlet in table for d in outlet.domains]
    assert len(domains) == len(set(domains))
    found = known_outlet("wsj.com")
    assert found is not None and found.name == "The Wall Street Journal"
    assert found.parent == known_outlet("New York Post").parent == "News Corp"  # type: ignore[union-attr]
    assert known_outlet("Harbor Daily Post") is None
