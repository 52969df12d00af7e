"""Attribution and name conflicts: one quote given to two people, or one act to two
doers, by independent outlets, and the guards that keep a misread speaker or a split
person from becoming one (annotated for real)."""

from __future__ import annotations

import pytest

from parallax.model import ReportConflict
from tests.test_compare import build, compared

ONE = ("Meridian Wire", "2026-10-05T10:00:00")
TWO = ("Northgate Sentinel", "2026-10-05T11:00:00")


def attribution(one: str, two: str) -> list[ReportConflict]:
    """The attribution conflicts of a story of two outlets' texts."""
    texts = {"one": (*ONE, one), "two": (*TWO, two)}
    report = compared("a", build(texts))
    return [c for c in report["conflicts"] if c["kind"] == "attribution"]


def speakers(conflict: ReportConflict) -> set[str]:
    """The speakers' surnames (annotation may name one "Marr", another "Helena Marr")."""
    return {v["value"].split()[-1] for v in conflict["values"]}


def test_a_quote_each_outlet_frames_for_another_person_conflicts_though_both_are_named() -> None:
    """Each sentence names its speaker; the other person is named in the article, but
    not in the quote's sentence (the 400-character guard missed this)."""
    (conflict,) = attribution(
        "Helena Marr met Tomás Ruvalle in Orsholm on Monday. Ruvalle arrived late. "
        '"We will not back down from this fight, whatever it costs us," Marr said.',
        "Helena Marr met Tomás Ruvalle in Orsholm on Monday. "
        '"We will not back down from this fight, whatever it costs us," Ruvalle said.',
    )
    assert speakers(conflict) == {"Marr", "Ruvalle"}


def test_a_spokesman_named_with_his_principal_in_the_sentence_is_no_conflict() -> None:
    assert not attribution(
        'Senator Helena Marr spoke on Monday. "The First Amendment protects freedom of '
        'religion," said Jim Kestner, a top adviser to Ms. Marr.',
        'Senator Helena Marr spoke on Monday. "The First Amendment protects freedom of '
        'religion," Marr said.',
    )


@pytest.mark.parametrize(
    ("between", "conflicts"),
    [
        (" Marr said on Monday. ", 1),  # the frame covers both halves of one statement
        (" Marr said, answering Tomás Ruvalle. ", 0),  # another person between: not sure
    ],
)
def test_a_quote_continuing_a_framed_one_keeps_its_frame(between: str, conflicts: int) -> None:
    found = attribution(
        f'Helena Marr spoke after Tomás Ruvalle. "We will not back down,"{between}'
        '"This fight is about the future of our children and our jobs."',
        'Helena Marr spoke first. "This fight is about the future of our children and '
        'our jobs," Ruvalle said.',
    )
    assert len(found) == conflicts


@pytest.mark.parametrize("quote", ["I never supported the tax", "We will see what happens"])
def test_a_short_quote_is_no_attribution_conflict_even_framed_by_both(quote: str) -> None:
    """Under six words: slogans and stock answers are said by many (measured: trusting
    short framed quotes found no more planted names on BASIL dev)."""
    assert not attribution(
        f'Helena Marr spoke in Orsholm. "{quote}," Marr said.',
        f'Tomás Ruvalle spoke in Orsholm. "{quote}," Ruvalle said.',
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (  # a small word more in one outlet
            "I am not ashamed to admit I am a believer in this town",
            "I am not ashamed to admit that I am a believer in this town",
        ),
        (  # the same run of words, its last ones worded differently
            "The fact is that every day that passes, Orsland gets closer and closer to "
            "nuclear arms",
            "The fact is that every day that passes, Orsland gets closer and closer to a "
            "nuclear bomb",
        ),
    ],
)
def test_one_quote_worded_a_little_differently_is_still_one_quote(first: str, second: str) -> None:
    (conflict,) = attribution(
        f'Helena Marr spoke in Orsholm. "{first}," Marr said.',
        f'Tomás Ruvalle spoke in Orsholm. "{second}," Ruvalle said.',
    )
    assert speakers(conflict) == {"Marr", "Ruvalle"}


def test_the_same_surname_with_a_suffix_is_one_person() -> None:
    """ "Mark Felt Jr." and "W. Mark Felt" share the surname Felt (the suffix is not it)."""
    assert not attribution(
        '"I am the guy they used to call Deep Throat," said Mark Felt Jr. on Tuesday.',
        '"I am the guy they used to call Deep Throat," W. Mark Felt said on Tuesday.',
    )


def test_the_other_speaker_named_only_in_words_still_makes_the_attribution_doubtful() -> None:
    """Broken quotation marks put "Salazar said" inside the quote, where no mention is
    linked, and the speaker comes from the sentence before (ECB+ 9): the surname
    written near the quote is enough to hold the conflict back."""
    assert not attribution(
        "Secretary of Commerce Gary Locke and Secretary of the Interior Ken Salazar, who "
        "head the two agencies, said their decision is based on sound science.\n"
        '"By rolling back this 11th hour regulation, we are ensuring that threatened and '
        'endangered species continue to receive the full protection of the law, " Salazar '
        "said.",
        "Interior Secretary Ken Salazar spoke on Tuesday. "
        '"By rolling back this eleventh-hour regulation, we are ensuring that threatened '
        'and endangered species continue to receive the full protection of the law," said '
        "Salazar.",
    )


def test_three_speakers_for_one_quote_is_a_parse_gone_wrong_not_a_conflict() -> None:
    quote = "We will not back down from this fight, whatever it costs us"
    texts = {
        key: (outlet, published, f'{name} spoke in Orsholm on Monday. "{quote}," {surname} said.')
        for key, outlet, published, name, surname in (
            ("one", *ONE, "President Helena Marr", "Marr"),
            ("two", *TWO, "President Tomás Ruvalle", "Ruvalle"),
            ("three", "Kestrel News", "2026-10-05T12:00:00", "Minister Inés Calderoa", "Calderoa"),
        )
    }
    report = compared("t", build(texts))
    assert not [c for c in report["conflicts"] if c["kind"] == "attribution"]


def test_two_names_of_one_surname_doing_one_thing_are_no_name_conflict() -> None:
    """ "Ms Palin" and "Sarah Palin", not linked as one actor (ECB+ 13), are one doer."""
    texts = {
        "one": (*ONE, "Ms Palin visited the church on Saturday."),
        "two": (*TWO, "Governor Sarah Palin visited the church on Saturday."),
    }
    report = compared("n", build(texts))
    assert not [c for c in report["conflicts"] if c["kind"] == "name"]
