"""Compare: the content words two clauses or sentences are matched on, plurals folded."""

from __future__ import annotations

import pytest

from parallax.compare.facts.words import content_words


@pytest.mark.parametrize(
    ("word", "kept"),
    [
        ("class", "class"),
        ("news", "news"),
        ("bus", "bus"),
        ("crisis", "crisis"),
        ("status", "status"),
        ("famous", "famous"),
        ("series", "series"),
        ("press", "press"),
    ],
)
def test_words_keep_a_final_s_that_is_no_plural(word: str, kept: str) -> None:
    assert content_words(word) == [kept]
    assert content_words(word.capitalize()) == [kept]


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("letters", "letter"),
        ("warships", "warship"),
        ("policies", "policy"),
        ("classes", "class"),
        ("buses", "bus"),
        ("churches", "church"),
        ("taxes", "tax"),
        ("causes", "cause"),
        ("houses", "house"),
        ("headaches", "headache"),
        ("movies", "movie"),
        ("embargoes", "embargo"),
        ("crises", "crisis"),
        ("women", "woman"),
    ],
)
def test_words_fold_real_plurals_to_their_singular(plural: str, singular: str) -> None:
    assert content_words(plural) == content_words(singular) == [singular]


def test_words_of_two_clauses_meet_on_singular_and_plural() -> None:
    one = set(content_words("The ministry sent seven warships and two letters to the class"))
    other = set(content_words("A warship carried the letter for the classes on the bus"))
    assert one & other == {"warship", "letter", "class"}
    assert "bu" not in content_words("the bus and the news")
    assert "new" not in content_words("the news")


def test_words_fold_a_possessive_and_drop_stop_words() -> None:
    words = content_words("Orsland's navy and Orsland’s ports")
    assert words == ["orsland", "navy", "orsland", "port"]
    assert content_words("it's said that this is so") == []
