"""Who said it: speaker spans and the actors they resolve to (annotator version 7).

Each case is a sentence shape that PolNeAR dev gave a wrong speaker before (see
docs/quality/quotes.md, *Who said what*); mentions are written by hand, as the actor
stage would give them, so that the resolved actor can be checked too.
"""

from __future__ import annotations

import re

import pytest

from parallax.annotate.nlp import load_nlp
from parallax.annotate.quotes import extract_quotes
from parallax.model import MentionItem, QuoteItem

ACTORS: dict[str, tuple[str, ...]] = {
    "yahoo-news": ("Yahoo News",),
    "jesse-lehrich": ("Jesse Lehrich",),
    "tom-clarke": ("Tom Clarke", "Mr. Clarke"),
    "david-kamin": ("David Kamin", "Mr. Kamin"),
    "pamela-padilla": ("Pamela Padilla",),
    "ryan-ellis": ("Ryan Ellis", "Ellis"),
    "barack-obama": ("President Barack Obama", "Barack Obama", "Obama"),
    "vladimir-putin": ("Vladimir Putin",),
    "ivanka-trump": ("Ivanka Trump",),
    "jason-miller": ("Jason Miller",),
    "mitch-mcconnell": ("Mitch McConnell",),
    "joe-biden": ("Joe Biden",),
    "mike-pence": ("Mike Pence",),
    "hillary-clinton": ("Hillary Clinton", "Clinton"),
    "indiana": ("Indiana",),
    "ministry": ("the ministry",),
}
KINDS = {actor: "person" for actor in ACTORS} | {
    "yahoo-news": "org",
    "indiana": "place",
    "ministry": "org",
}


def mentions(text: str) -> list[MentionItem]:
    """Every occurrence of a known name form, longest forms first, without overlaps."""
    forms = sorted(
        ((form, actor) for actor, names in ACTORS.items() for form in names),
        key=lambda pair: -len(pair[0]),
    )
    taken = bytearray(len(text))
    found: list[MentionItem] = []
    for form, actor in forms:
        for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            if any(taken[match.start() : match.end()]):
                continue
            taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
            found.append({"actor": actor, "text": form, "span": [match.start(), match.end()]})
    return sorted(found, key=lambda mention: mention["span"][0])


def quotes(text: str) -> list[QuoteItem]:
    items = extract_quotes(load_nlp()(text), mentions(text), KINDS)
    for item in items:  # the contract: every text field is the text at its span
        if item["speaker_span"] is not None:
            start, end = item["speaker_span"]
            assert item["speaker_name"] == text[start:end]
        if item["cue_span"] is not None:
            start, end = item["cue_span"]
            assert item["cue"] == text[start:end]
    return items


def with_cue(items: list[QuoteItem], cue: str) -> QuoteItem:
    [item] = [item for item in items if item["cue"] == cue]
    return item


def test_quotes_speakers_according_to_gives_the_source_of_a_report_inside_it() -> None:
    text = (
        "According to Yahoo News, Clinton spokesman Jesse Lehrich said Friday that she "
        "would sign the bill if it came to her desk."
    )
    item = with_cue(quotes(text), "said")
    assert (item["speaker_name"], item["speaker"]) == ("Yahoo News", "yahoo-news")


def test_quotes_speakers_a_parenthetical_reporter_speaks_for_the_clause() -> None:
    text = (
        "Back in Virginia, Mr. Clarke said, he decided to take aim at the coal industry's "
        "contribution to carbon emissions."
    )
    item = with_cue(quotes(text), "decided")
    assert (item["speaker_name"], item["speaker"]) == ("Mr. Clarke", "tom-clarke")


def test_quotes_speakers_a_relative_pronoun_is_the_span_and_its_antecedent_the_actor() -> None:
    text = (
        "The plan is complex, said Mr. Kamin, who emphasized that her proposals would "
        "simplify returns for small businesses."
    )
    item = with_cue(quotes(text), "emphasized")
    assert (item["speaker_name"], item["speaker"]) == ("who", "david-kamin")


def test_quotes_speakers_a_dash_glued_to_the_closing_mark_is_the_cue() -> None:
    """Regression: the cue was the speaker's first name (*Pamela*), not the dash."""
    text = (
        "“He is ignorant of our culture and lives. He makes simple blanket statements "
        "about people.”― Pamela Padilla"
    )
    [item] = quotes(text)
    assert (item["cue"], item["speaker_name"]) == ("―", "Pamela Padilla")
    assert item["speaker"] == "pamela-padilla"


def test_quotes_speakers_said_before_the_name_keeps_the_frame_in_its_sentence() -> None:
    text = (
        "Experts say her plans would make the code more complicated. Said Ellis: "
        "“I don’t get the sense she’s the least bit interested in tax reform.”"
    )
    item = with_cue(quotes(text), "Said")
    assert (item["speaker_name"], item["speaker"]) == ("Ellis", "ryan-ellis")


def test_quotes_speakers_a_pronoun_between_two_quotes_keeps_the_named_speaker() -> None:
    text = (
        '"We have had problems in the past," Obama said after meeting with Vladimir Putin. '
        'He did not suggest retaliation. "Our goal is to start instituting some norms so '
        'that everybody is acting responsibly."'
    )
    direct = [item for item in quotes(text) if item["direct"]]
    assert [(item["speaker_name"], item["speaker"]) for item in direct] == [
        ("Obama", "barack-obama"),
        ("Obama", "barack-obama"),
    ]


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        # she is not the man named last (given names say who is who)
        (
            "Ivanka Trump noted the rule in an interview. Jason Miller, a campaign aide, "
            "told reporters the plan was generous. She said fathers would not be eligible.",
            "ivanka-trump",
        ),
        # he is not the woman named last
        (
            "Jason Miller spoke on Monday. Ivanka Trump praised the plan in an interview. "
            "He said the campaign would publish the details.",
            "jason-miller",
        ),
    ],
)
def test_quotes_speakers_pronouns_skip_people_of_the_other_gender(text: str, actor: str) -> None:
    item = with_cue(quotes(text), "said")
    assert item["speaker"] == actor


def test_quotes_speakers_the_president_is_who_the_article_called_president() -> None:
    text = (
        "President Barack Obama spoke at the museum. Mitch McConnell praised the building. "
        "The president said the museum would tell an American story."
    )
    item = with_cue(quotes(text), "said")
    assert (item["speaker_name"], item["speaker"]) == ("The president", "barack-obama")


def test_quotes_speakers_a_vice_president_is_not_the_president() -> None:
    text = (
        "President Barack Obama spoke first. Vice President Joe Biden spoke after him. "
        "The president said the talks would go on."
    )
    assert with_cue(quotes(text), "said")["speaker"] == "barack-obama"


def test_quotes_speakers_a_place_beside_a_role_is_not_the_speaker() -> None:
    text = (
        "Mike Pence spoke in Fort Wayne on Friday. "
        "The Indiana governor said Democrats and the media are to blame."
    )
    item = with_cue(quotes(text), "said")
    assert (item["speaker_name"], item["speaker"]) == ("The Indiana governor", "mike-pence")


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        # a spokesman's words are not the candidate's own
        ("A Clinton spokesman said the campaign would release more records.", None),
        # an organisation speaks through its spokesperson
        ("A spokesperson for the ministry said the talks had stalled.", "ministry"),
    ],
)
def test_quotes_speakers_a_role_held_for_someone(text: str, actor: str | None) -> None:
    assert with_cue(quotes(text), "said")["speaker"] == actor
