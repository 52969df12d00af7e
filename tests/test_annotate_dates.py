"""Temporal expressions: anchoring against the publication date, TimeML values, exact spans."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

from parallax.annotate.dates import extract_dates, parse_anchor
from parallax.annotate.nlp import blank_model, load_nlp
from parallax.model import DateItem

TYPES = {"date", "time", "duration", "set"}
PRECISIONS = {None, "day", "month", "year", "week", "time", "decade", "century"}
PRECISIONS |= {"quarter", "half", "season"}


@lru_cache(maxsize=1)
def nlp() -> Language:
    return load_nlp()


@lru_cache(maxsize=256)
def parsed(text: str) -> Doc:
    return nlp()(text)


def dates(text: str, published: str | None = "2025-09-22") -> list[DateItem]:
    return extract_dates(parsed(text), published)


def find(items: list[DateItem], text: str) -> DateItem:
    for item in items:
        if item["text"] == text:
            return item
    raise AssertionError(f"{text!r} not among {[i['text'] for i in items]}")


def assert_well_formed(text: str, items: list[DateItem]) -> None:
    """The contract every item keeps: exact span, known type and precision, in order."""
    end = 0
    for item in items:
        start, stop = item["span"]
        assert text[start:stop] == item["text"]
        assert start >= end, "items overlap or are out of order"
        assert item["type"] in TYPES
        assert item["precision"] in PRECISIONS
        assert item["value"] is None or isinstance(item["value"], str)
        end = stop


# -- anchoring (publication date: Monday 2025-09-22) ----------------------------------

ANCHORED = [
    # weekday names: the nearest such day before publication, unless the tense says future
    ("Vice President Rodríguez revealed on Sunday.", "Sunday", "date", "2025-09-21", "day"),
    ("The ministers will meet on Sunday.", "Sunday", "date", "2025-09-28", "day"),
    ("The vote is set for next Sunday.", "next Sunday", "date", "2025-09-28", "day"),
    ("It happens this coming Sunday.", "this coming Sunday", "date", "2025-09-28", "day"),
    ("On Thursday, Maduro ordered a drill.", "Thursday", "date", "2025-09-18", "day"),
    ("He spoke last Monday.", "last Monday", "date", "2025-09-15", "day"),
    ("Troops arrived Friday morning.", "Friday morning", "time", "2025-09-19TMO", "time"),
    # month and day without a year: nearest before publication, unless future tense
    ("The letter was dated Sept. 6.", "Sept. 6", "date", "2025-09-06", "day"),
    ("The talks will resume on Sept. 6.", "Sept. 6", "date", "2026-09-06", "day"),
    ("The dividend is payable Oct. 3.", "Oct. 3", "date", "2025-10-03", "day"),
    ("It opened on Nov. 12, 1989.", "Nov. 12, 1989", "date", "1989-11-12", "day"),
    ("He was born 6 September 1961.", "6 September 1961", "date", "1961-09-06", "day"),
    # months, years, decades, centuries
    ("He had been there since November 2024.", "November 2024", "date", "2024-11", "month"),
    ("Prices rose in January.", "January", "date", "2025-01", "month"),
    ("He lived there in 1998.", "1998", "date", "1998", "year"),
    ("It was built in the 1990s.", "the 1990s", "date", "199", "decade"),
    ("A relic of the 20th century.", "the 20th century", "date", "19", "century"),
    ("Spoken in nineteen ninety-six.", "nineteen ninety-six", "date", "1996", "year"),
    # deictic words and units
    ("He left yesterday.", "yesterday", "date", "2025-09-21", "day"),
    ("She arrives today.", "today", "date", "2025-09-22", "day"),
    ("They decide tomorrow.", "tomorrow", "date", "2025-09-23", "day"),
    ("It was announced last week.", "last week", "date", "2025-W38", "week"),
    ("Sales fell this year.", "this year", "date", "2025", "year"),
    ("Sales fell last month.", "last month", "date", "2025-08", "month"),
    ("It is due next year.", "next year", "date", "2026", "year"),
    ("It rained over the weekend.", "the weekend", "date", "2025-W38-WE", "week"),
    ("It ended two years ago.", "two years ago", "date", "2023", "year"),
    ("Profit rose in the third quarter.", "the third quarter", "date", "2025-Q3", "quarter"),
    (
        "Sales fell in the first quarter of 2024.",
        "the first quarter of 2024",
        "date",
        "2024-Q1",
        "quarter",
    ),
    ("It was hot last summer.", "last summer", "date", "2025-SU", "season"),
    # TimeML references
    ("In recent weeks, the claims dominated.", "recent weeks", "date", "PAST_REF", None),
    ("He is now in Caracas.", "now", "date", "PRESENT_REF", None),
    ("It will be fixed in the near future.", "the near future", "date", "FUTURE_REF", None),
    # durations: anchoring to an event is out of scope, the length stays
    ("Talks lasted four days.", "four days", "duration", "P4D", None),
    ("Sept. 6, four days after the first U.S. strike.", "four days", "duration", "P4D", None),
    ("Two days later, he left.", "Two days later", "duration", "P2D", None),
    ("For years, officials accused him.", "years", "duration", "PXY", None),
    ("It took 2 1/2 hours.", "2 1/2 hours", "duration", "PT2H30M", None),
    ("Over the past two months prices fell.", "the past two months", "duration", "P2M", None),
    ("He signed a two-year contract.", "two-year", "duration", "P2Y", None),
    # sets
    ("We meet every week.", "every week", "set", "P1W", None),
    ("The paper appears daily.", "daily", "set", "P1D", None),
    ("The club meets each Thursday.", "each Thursday", "set", "XXXX-WXX-4", None),
    # numeric dates and clock times
    ("Published 21.09.2025 in Minsk.", "21.09.2025", "date", "2025-09-21", "day"),
    ("Published 2025-09-22 in Miami.", "2025-09-22", "date", "2025-09-22", "day"),
    ("The session opens at 10 a.m. sharp.", "10 a.m.", "time", "2025-09-22T10:00", "time"),
    ("The session opened at 9:11.", "9:11", "time", "2025-09-22T09:11", "time"),
    ("The ceasefire starts at noon Thursday.", "noon Thursday", "time", "2025-09-18T12:00", "time"),
]


@pytest.mark.parametrize(("sentence", "expression", "kind", "value", "precision"), ANCHORED)
def test_anchoring(
    sentence: str, expression: str, kind: str, value: str, precision: str | None
) -> None:
    items = dates(sentence)
    assert_well_formed(sentence, items)
    item = find(items, expression)
    assert (item["type"], item["value"], item["precision"]) == (kind, value, precision)


def test_a_date_written_before_a_clock_time_gives_the_time_its_day() -> None:
    text = "13- 21.09.2025, 9:11\n- 23,048"
    items = dates(text, "2025-09-21T09:11")
    assert find(items, "21.09.2025")["value"] == "2025-09-21"
    assert find(items, "9:11")["value"] == "2025-09-21T09:11"
    assert [i["text"] for i in items] == ["21.09.2025", "9:11"]


def test_without_a_publication_date_relative_values_are_null_and_absolute_ones_resolve() -> None:
    items = dates("He spoke on Sunday about November 2024 and the 1990s for four days.", None)
    assert find(items, "Sunday")["value"] is None
    assert find(items, "Sunday")["type"] == "date"
    assert find(items, "November 2024")["value"] == "2024-11"
    assert find(items, "the 1990s")["value"] == "199"
    assert find(items, "four days")["value"] == "P4D"


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2025-09-22", "2025-09-21"),
        ("2025-09-22T08:30:00+02:00", "2025-09-21"),
        ("2025-09-21T09:11", "2025-09-20"),
        ("garbage", None),
    ],
)
def test_publication_date_forms(published: str, expected: str | None) -> None:
    assert find(dates("He left yesterday.", published), "yesterday")["value"] == expected


def test_parse_anchor_keeps_the_local_day_and_time() -> None:
    anchor = parse_anchor("2025-09-22T00:30:00+02:00")
    assert anchor is not None
    assert (anchor.day.isoformat(), anchor.time) == ("2025-09-22", "00:30")
    assert parse_anchor(None) is None
    assert parse_anchor("") is None


@pytest.mark.parametrize(
    "sentence",
    [
        "A 6-year-old boy and his 52-year-old uncle.",  # ages place nothing in time
        "The company cut its quarterly dividend.",
        "Iraq imports about three-quarters of its food.",
        "They sold 2000 shares and paid $1989 in fees.",
        "Prices may fall; the march went on.",  # modal "may", the noun "march"
        "A recent sale and future earnings.",  # adjectives, not placements in time
    ],
)
def test_things_that_are_not_temporal_expressions(sentence: str) -> None:
    assert dates(sentence) == []


def test_anaphoric_expressions_follow_the_story() -> None:
    text = "He moved to Florida in June 1998 and returned to Cuba later that year."
    assert find(dates(text), "later that year")["value"] == "1998"


def test_works_on_a_doc_without_a_parser() -> None:
    doc = blank_model()("The ministers met on Sunday, four days after Sept. 6.")
    items = extract_dates(doc, "2025-09-22")
    assert [(i["text"], i["value"]) for i in items] == [
        ("Sunday", "2025-09-21"),
        ("four days", "P4D"),
        ("Sept. 6", "2025-09-06"),
    ]


def test_empty_and_date_free_texts() -> None:
    assert dates("") == []
    assert dates("The council approved the budget.") == []


# -- the real articles -----------------------------------------------------------------

ARTICLE_1 = ("000_ea71f3918ac95882.txt", "2025-09-21T09:11")
ARTICLE_2 = ("003_ad23dd94d5af61bf.txt", "2025-09-22")

REAL = [
    (ARTICLE_2, "on Sunday", "Sunday", "date", "2025-09-21"),
    (ARTICLE_2, "dated September 5", "September 5", "date", "2025-09-05"),
    (ARTICLE_2, "on September 6", "September 6", "date", "2025-09-06"),
    (ARTICLE_2, "On Thursday", "Thursday", "date", "2025-09-18"),
    (ARTICLE_2, "On Saturday", "Saturday", "date", "2025-09-20"),
    (ARTICLE_2, "this year", "this year", "date", "2025"),
    (ARTICLE_2, "For years", "years", "duration", "PXY"),
    (ARTICLE_2, "In recent weeks", "recent weeks", "date", "PAST_REF"),
    (ARTICLE_1, "dated Sept. 6", "Sept. 6", "date", "2025-09-06"),
    (ARTICLE_1, "four days after", "four days", "duration", "P4D"),
    (ARTICLE_1, "since November 2024", "November 2024", "date", "2024-11"),
]


def real_article(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("article", "context", "expression", "kind", "value"), REAL)
def test_real_articles(
    maduro: Path,
    article: tuple[str, str],
    context: str,
    expression: str,
    kind: str,
    value: str,
) -> None:
    name, published = article
    text = real_article(maduro, name)
    items = dates(text, published)
    assert_well_formed(text, items)
    where = text.index(context) + context.index(expression)
    matching = [i for i in items if i["span"] == [where, where + len(expression)]]
    assert matching, f"{expression!r} at {where} not found: {[i['text'] for i in items]}"
    assert (matching[0]["type"], matching[0]["value"]) == (kind, value)


# -- spans, whatever the text ----------------------------------------------------------

PIECES = [
    "on Sunday",
    "Sept. 6",
    "November 2024",
    "four days",
    "last week",
    "the 1990s",
    "every week",
    "21.09.2025",
    "9:11",
    "at 10 a.m.",
    "recent weeks",
    "two days later",
    "the third quarter",
    "year-earlier",
    "the mid-1980s",
    "nineteen ninety-six",
    "2 1/2 years",
    "May",
    "march",
    "a 6-year-old",
    "Election Day",
    "\n\n",
    "—",
    "“quoted”",
    "Caracas",
    "said",
    ",",
    ".",
    "$50 million",
    "5%",
    "Nicolás Maduro",
    "'90s",
    "o'clock",
    "9 p.m. EST, Nov. 6",
]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.text(max_size=12)),
        min_size=1,
        max_size=14,
    ),
    st.sampled_from(["2025-09-22", "2025-09-21T09:11", "2025-09-22T08:30:00+02:00", None]),
)
def test_spans_are_exact_for_any_text(pieces: list[str], published: str | None) -> None:
    text = " ".join(pieces)
    doc = nlp()(text)
    assert_well_formed(text, extract_dates(doc, published))


def test_spans_are_exact_on_the_real_articles(maduro: Path) -> None:
    for name, published in (ARTICLE_1, ARTICLE_2):
        text = real_article(maduro, name)
        items = dates(text, published)
        assert_well_formed(text, items)
        assert len(items) >= 5
