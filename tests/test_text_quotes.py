"""The shared quotation-mark scanner: which marks pair up, and what they enclose."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.text.quotes import MARK_CHARS, Quotation, paragraphs, quotations


def enclosed(text: str) -> list[str]:
    return [text[q.inner[0] : q.inner[1]] for q in quotations(text)]


def marks(text: str, quotation: Quotation) -> tuple[str, str]:
    return text[slice(*quotation.opening)], text[slice(*quotation.closing)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “We will win” and left.", ["We will win"]),
        ('He said "We will win" and left.', ["We will win"]),
        ("``We will win,'' he said.", ["We will win,"]),
        ("«Nous gagnerons», a-t-il dit.", ["Nous gagnerons"]),
        ("He called it ‘a farce’ on Monday.", ["a farce"]),
        ("He called it 'a farce' on Monday.", ["a farce"]),
        ("The “so-called” invasion and the “blockade”.", ["so-called", "blockade"]),
    ],
)
def test_quotations_typographic_and_straight_marks(text: str, expected: list[str]) -> None:
    assert enclosed(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“He told me ‘never’ twice,” she said.", ["He told me ‘never’ twice,"]),
        ("\"He told me 'never' twice,\" she said.", ["He told me 'never' twice,"]),
        ('“Straight "inner" marks,” she said.', ['Straight "inner" marks,']),
    ],
)
def test_quotations_nested_quotes_are_part_of_the_outer_one(text: str, expected: list[str]) -> None:
    assert enclosed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Lukashenko's forces met Lukashenko’s envoy.",
        "He loves rock 'n' roll, and rock ’n’ roll loves him.",
        "They don't know, and they didn’t care.",
        "Back in the '90s, and in the ‘80s.",
        "The players' union met the teachers’ union.",
    ],
)
def test_quotations_apostrophes_are_no_quotation_marks(text: str) -> None:
    assert quotations(text) == []


def test_quotations_mark_spans_around_the_enclosed_text() -> None:
    text = "``We will win,'' he said, “and soon.”"
    found = quotations(text)
    assert [marks(text, q) for q in found] == [("``", "''"), ("“", "”")]
    assert all(q.closed and q.start < q.inner[0] <= q.inner[1] < q.end for q in found)


def test_quotations_unclosed_double_quote_runs_to_the_paragraph_end() -> None:
    text = "He said “We will never give up\nThe next paragraph."
    (quotation,) = quotations(text)
    assert not quotation.closed
    assert quotation.end == quotation.inner[1] == text.index("\n")
    assert text[quotation.inner[0] : quotation.inner[1]] == "We will never give up"
    assert marks(text, quotation) == ("“", "")


def test_quotations_unclosed_single_quote_is_no_quote() -> None:
    assert quotations("He said 'unclosed at the end\nNext paragraph.") == []


def test_quotations_quote_goes_on_in_a_paragraph_opening_with_a_mark() -> None:
    text = "“First paragraph of the quote.\n\n“Second one,” he said."
    first, second = quotations(text)
    assert (first.paragraph, first.closed, first.continued) == (0, False, False)
    assert (second.paragraph, second.closed, second.continued) == (1, True, True)
    assert enclosed(text) == ["First paragraph of the quote.", "Second one,"]


@pytest.mark.parametrize(
    "text",
    [
        "“First paragraph.\nHe went on.",  # no opening mark: the quote just stops
        '“First paragraph.\n"Straight now," he said.',  # another family: a new quote
    ],
)
def test_quotations_quote_does_not_go_on_otherwise(text: str) -> None:
    assert not any(q.continued for q in quotations(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "”Fear. I am truly afraid that he will win.” ― Edwin G. Monroy",
            ["Fear. I am truly afraid that he will win."],
        ),
        ("She wrote ”never again” on the wall.", ["never again"]),
        ("“We will win,” he said. ”The rest” is noise.", ["We will win,", "The rest"]),
    ],
)
def test_quotations_closing_mark_before_a_word_opens(text: str, expected: list[str]) -> None:
    """A misprinted ” where no quote can end (a paragraph's start, after a space, with a
    word right after it) opens the quote: HuffPost's reader quotes print it so."""
    assert enclosed(text) == expected


def test_paragraphs_are_the_non_empty_lines() -> None:
    assert paragraphs("One.\n\nTwo.\n") == [(0, 4), (6, 10)]
    assert paragraphs("") == []


@given(st.text(alphabet=st.sampled_from(list("ab ,.\n“”\"'‘’«»`(")), max_size=200))
def test_quotations_are_ordered_disjoint_and_framed_by_marks(text: str) -> None:
    previous = 0
    spans = paragraphs(text)
    for quotation in quotations(text):
        p_start, p_end = spans[quotation.paragraph]
        assert max(previous, p_start) <= quotation.start < quotation.inner[0]
        assert quotation.inner[0] <= quotation.inner[1] <= quotation.end <= p_end
        opening, closing = marks(text, quotation)
        assert all(ch in MARK_CHARS for ch in opening + closing)
        assert quotation.closed == bool(closing)
        previous = quotation.end
