"""Quotes and attributed statements: the real articles, the patterns, and span round trips.

Mentions are written by hand here (the actor stage builds them in the pipeline): every
occurrence of a known name form becomes a mention of that actor.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from parallax.annotate.nlp import blank_model, load_nlp
from parallax.annotate.quotes import CUE_LEXICON, extract_quotes
from parallax.model import MentionItem, QuoteItem

MADURO = Path(__file__).resolve().parent.parent.parent / "shared" / "examples" / "maduro-letter"
FIRST = "000_ea71f3918ac95882.txt"
SECOND = "003_ad23dd94d5af61bf.txt"
QUOTE_MARKS = "\"“”‘’'`«»"

ACTORS: dict[str, tuple[str, ...]] = {
    "nicolas-maduro": ("Nicolas Maduro", "Nicolás Maduro", "Maduro"),
    "donald-trump": ("President Donald Trump", "Donald Trump", "Trump"),
    "richard-grenell": ("Richard Grenell", "Rick Grenell", "Grenella", "Grenell"),
    "delcy-rodriguez": ("Delcy Rodríguez", "Rodríguez"),
    "juan-carlos-loyo": ("Juan Carlos Loyo",),
    "alexander-lukashenko": ("Lukashenko",),
    "emmanuel-rincon": ("Emmanuel Rincón",),
    "venezuela": ("Venezuela",),
    "united-states": ("United States", "U.S.", "US"),
    "reuters": ("Reuters",),
}
KINDS = {
    actor: "person" if "-" in actor and actor not in ("united-states",) else "place"
    for actor in ACTORS
}
KINDS["reuters"] = "org"


def hand_mentions(text: str) -> list[MentionItem]:
    """Every occurrence of a known name form, longest forms first, without overlaps."""
    forms = sorted(
        ((form, actor) for actor, names in ACTORS.items() for form in names),
        key=lambda pair: -len(pair[0]),
    )
    taken = bytearray(len(text))
    mentions: list[MentionItem] = []
    for form, actor in forms:
        for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            if any(taken[match.start() : match.end()]):
                continue
            taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
            mentions.append({"actor": actor, "text": form, "span": [match.start(), match.end()]})
    return sorted(mentions, key=lambda mention: mention["span"][0])


@cache
def article(name: str) -> tuple[str, tuple[QuoteItem, ...]]:
    """One real article's text and quote items, parsed once per test session."""
    path = MADURO / name
    if not path.is_file():
        pytest.skip(f"the real example articles are not at {MADURO}")
    text = path.read_text(encoding="utf-8")
    doc = load_nlp()(text)
    return text, tuple(extract_quotes(doc, hand_mentions(text), KINDS))


def quotes_of(text: str, kinds: dict[str, str] | None = None) -> list[QuoteItem]:
    doc = load_nlp()(text)
    return extract_quotes(doc, hand_mentions(text), kinds if kinds is not None else KINDS)


def find(items: tuple[QuoteItem, ...] | list[QuoteItem], words: str) -> QuoteItem:
    """The item whose text contains ``words`` (the smallest one when several do)."""
    found = [item for item in items if words in item["text"]]
    assert found, f"no quote item contains {words!r}: {[i['text'][:60] for i in items]}"
    return min(found, key=lambda item: len(item["text"]))


def assert_round_trip(text: str, item: QuoteItem) -> None:
    start, end = item["span"]
    assert item["text"] == text[start:end]
    if item["speaker_span"] is not None:
        s, e = item["speaker_span"]
        assert item["speaker_name"] == text[s:e]
    else:
        assert item["speaker_name"] is None
    if item["cue_span"] is not None:
        s, e = item["cue_span"]
        assert item["cue"] == text[s:e]
    else:
        assert item["cue"] is None


# --------------------------------------------------------------------------------------
# The real articles
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "cue", "speaker_name"),
    [
        ("In recent weeks, the false accusations", "read", "the letter"),
        ("I had a lengthy discussion with Special Envoy Rick Grenell", "continued", "the text"),
        ("President, I hope that together we can defeat the falsehoods", "wrote", "Maduro"),
        ("I trust the Ezequiel Zamora National Peasant Union", "said", "Maduro"),
    ],
)
@pytest.mark.shared
def test_letter_quotes_are_maduros(words: str, cue: str, speaker_name: str) -> None:
    text, items = article(SECOND)
    item = find(items, words)
    assert item["direct"]
    assert item["cue"] == cue
    assert item["speaker_name"] == speaker_name
    assert item["speaker"] == "nicolas-maduro"  # the letter's author: "Maduro sent a letter"
    assert text[item["span"][0] - 1] == "“"
    assert not item["text"].endswith(",")  # the comma before the closing ,” is the frame's


@pytest.mark.shared
def test_multi_sentence_letter_quote_is_one_item() -> None:
    _, items = article(SECOND)
    item = find(items, "I had a lengthy discussion")
    assert item["text"].endswith("by our police and military forces")


@pytest.mark.shared
def test_only_five_percent_is_claimed_by_the_venezuelan_dictator() -> None:
    text, items = article(SECOND)
    phrase = text.index("only 5 percent")
    item = next(i for i in items if i["cue"] == "claimed" and i["span"][0] < phrase < i["span"][1])
    assert not item["direct"]  # a quoted phrase inside reported speech is part of it
    assert item["speaker_name"] == "The Venezuelan dictator"
    assert item["speaker"] == "nicolas-maduro"
    assert item["text"].startswith("that “only 5 percent” of the drugs produced in Colombia")
    assert not [i for i in items if i["text"] == "only 5 percent"]


@pytest.mark.shared
def test_rodriguez_further_claimed() -> None:
    _, items = article(SECOND)
    item = find(items, "the irrefutable truth of Venezuela")
    assert item["cue"] == "claimed"
    assert item["speaker"] == "delcy-rodriguez"
    assert not item["direct"]


@pytest.mark.shared
def test_according_to_the_letter() -> None:
    _, items = article(SECOND)
    item = find(items, "open for a direct and frank conversation")
    assert item["cue"] == "According to"
    assert item["speaker_name"] == "the letter"
    assert item["speaker"] == "nicolas-maduro"


@pytest.mark.shared
def test_scare_quotes_are_not_quotes() -> None:
    _, items = article(SECOND)
    texts = {item["text"] for item in items}
    assert not texts & {"invasion", "invade", "show of strength", "preparations", "threat"}


@pytest.mark.shared
def test_he_noted_is_maduro() -> None:
    _, items = article(FIRST)
    item = find(items, "only 5% of drugs from Colombia pass through Venezuela")
    assert item["cue"] == "noted"
    assert not item["direct"]
    assert item["speaker_name"] == "He"
    assert item["speaker"] == "nicolas-maduro"
    assert item["text"].startswith("that only 5% of drugs from Colombia pass through Venezuela")


@pytest.mark.shared
def test_maduro_denied_the_allegation() -> None:
    _, items = article(FIRST)
    item = find(items, "the US allegation of Venezuela's role")
    assert item["cue"] == "denied"
    assert item["speaker"] == "nicolas-maduro"
    assert item["speaker_name"] == "Maduro"  # not the heading "Denying ties ..." above it
    assert not item["direct"]


@pytest.mark.shared
def test_media_noise_is_inside_maduros_emphasised_statement() -> None:
    text, items = article(FIRST)
    phrase = text.index("media noise and fake news")
    item = next(i for i in items if i["span"][0] < phrase < i["span"][1])
    assert item["cue"] == "emphasized"
    assert item["speaker"] == "nicolas-maduro"
    assert not item["direct"]
    assert "media noise and fake news" in item["text"]
    assert not [i for i in items if i["text"].startswith("media noise")]


@pytest.mark.shared
def test_trump_claimed_the_ship_carried_traffickers() -> None:
    _, items = article(FIRST)
    item = find(items, "was carrying drug traffickers")
    assert item["cue"] == "claimed"
    assert item["speaker"] == "donald-trump"
    assert item["speaker_name"] == "Trump"


@pytest.mark.shared
def test_unattributed_headline_quotes_are_dropped() -> None:
    _, items = article(FIRST)
    texts = {item["text"] for item in items}
    assert "nailed Lukashenko's Friend" not in texts
    assert not [t for t in texts if t.startswith("honest dialog")]


@pytest.mark.shared
@pytest.mark.parametrize("name", [FIRST, SECOND])
def test_real_article_spans_round_trip(name: str) -> None:
    text, items = article(name)
    assert items
    for item in items:
        assert_round_trip(text, item)
        if item["direct"]:
            assert item["text"][0] not in QUOTE_MARKS
            assert item["text"][-1] not in QUOTE_MARKS


@pytest.mark.shared
@pytest.mark.parametrize("name", [FIRST, SECOND])
def test_items_are_in_text_order(name: str) -> None:
    _, items = article(name)
    starts = [item["span"][0] for item in items]
    assert starts == sorted(starts)


# --------------------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------------------


def test_quote_then_speaker_and_verb() -> None:
    items = quotes_of("“We will not back down,” Maduro said on Sunday.")
    [item] = items
    assert (item["text"], item["speaker"], item["cue"], item["direct"]) == (
        "We will not back down",
        "nicolas-maduro",
        "said",
        True,
    )


def test_quote_then_verb_and_speaker() -> None:
    [item] = quotes_of('"The talks are over," said Delcy Rodríguez, the vice president.')
    assert item["speaker"] == "delcy-rodriguez"
    assert item["speaker_name"] == "Delcy Rodríguez"
    assert item["text"] == "The talks are over"


def test_speaker_colon_quote() -> None:
    [item] = quotes_of("Trump told reporters: “Venezuela will pay a big price.”")
    assert item["direct"]
    assert item["speaker"] == "donald-trump"
    assert item["cue"] == "told"
    assert item["text"] == "Venezuela will pay a big price."


def test_according_to_speaker_quote() -> None:
    [item] = quotes_of("According to Rodríguez, “the letter was delivered on time.”")
    assert item["speaker"] == "delcy-rodriguez"
    assert item["cue"] == "According to"


def test_interrupted_quote_shares_its_speaker() -> None:
    items = quotes_of("“We want peace,” Maduro said, “but we are ready to defend ourselves.”")
    assert [item["text"] for item in items] == [
        "We want peace",
        "but we are ready to defend ourselves.",
    ]
    assert {item["speaker"] for item in items} == {"nicolas-maduro"}


def test_standalone_quote_continues_the_last_speaker() -> None:
    text = (
        "“We want peace,” Maduro said on Sunday.\n\n"
        "“Venezuela has never attacked anyone. We never will.”\n\n"
        "The White House did not reply."
    )
    items = quotes_of(text)
    carried = find(items, "Venezuela has never attacked anyone")
    assert carried["direct"]
    assert carried["speaker"] == "nicolas-maduro"
    assert carried["cue"] is None
    assert carried["speaker_span"] == find(items, "We want peace")["speaker_span"]


def test_multi_paragraph_quote() -> None:
    text = (
        "Maduro wrote:\n\n"
        "“The accusations are false. They are a pretext.\n\n"
        "“We are sending you the data, which shows the truth.”\n\n"
        "Trump did not answer."
    )
    items = [item for item in quotes_of(text) if item["direct"]]
    assert [item["text"] for item in items] == [
        "The accusations are false. They are a pretext.",
        "We are sending you the data, which shows the truth.",
    ]
    assert {item["speaker"] for item in items} == {"nicolas-maduro"}


def test_pronoun_speaker_resolves_to_the_last_person_subject() -> None:
    text = "Maduro spoke to farmers on Saturday. He said that the army would defend the country."
    item = find(quotes_of(text), "the army would defend the country")
    assert item["speaker_name"] == "He"
    assert item["speaker"] == "nicolas-maduro"
    assert not item["direct"]


def test_pronouns_resolve_to_people_only() -> None:
    text = "Venezuela sent a letter. Maduro met Reuters. He said the talks had failed."
    item = find(quotes_of(text), "the talks had failed")
    assert item["speaker"] == "nicolas-maduro"


def test_person_kinds_default_to_the_entity_tagger() -> None:
    text = "Donald Trump spoke on Friday. He said that the strike had worked."
    item = find(quotes_of(text, kinds={}), "the strike had worked")
    assert item["speaker_name"] == "He"
    # without kinds, PERSON entities make people: the tagger knows "Donald Trump"
    doc = load_nlp()(text)
    assert find(extract_quotes(doc, hand_mentions(text)), "strike")["speaker"] == "donald-trump"


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "Venezuela’s ruler said the country’s army and the farmers’ militias are ready."
    items = quotes_of(text)
    assert all(not item["direct"] for item in items)
    item = find(items, "the country’s army")
    assert item["speaker_name"] == "Venezuela’s ruler"
    assert item["speaker"] == "venezuela"  # a possessive names the side that speaks


def test_single_quotes_in_headlines() -> None:
    [item] = quotes_of("Maduro says 'we are ready for dialogue' as tensions rise")
    assert item["speaker"] == "nicolas-maduro"
    assert "we are ready for dialogue" in item["text"]


def test_doubled_apostrophes_quote_like_the_nyt() -> None:
    [item] = quotes_of("''This is a historic day,'' Mr. Maduro said.")
    assert item["text"] == "This is a historic day"
    assert item["speaker"] == "nicolas-maduro"


def test_nested_quotes_stay_inside() -> None:
    [item] = quotes_of("“They call it ‘diplomacy,’ but it is a threat,” Rodríguez said.")
    assert item["text"] == "They call it ‘diplomacy,’ but it is a threat"
    assert item["speaker"] == "delcy-rodriguez"


def test_transcript_labels_name_their_speakers() -> None:
    text = (
        "Partial transcript as follows:\n\n"
        '"WALLACE: Will the letter be answered?\n\n'
        '"GRENELL: We are reading it carefully."'
    )
    items = [item for item in quotes_of(text) if item["direct"]]
    assert [(item["speaker_name"], item["text"]) for item in items] == [
        ("WALLACE", "Will the letter be answered?"),
        ("GRENELL", "We are reading it carefully."),
    ]


def test_titles_in_quotation_marks_are_not_quotes() -> None:
    items = quotes_of("Maduro said he read “One Hundred Years of Solitude” twice.")
    assert not [item for item in items if item["direct"]]


def test_short_phrase_object_is_part_of_the_attribution() -> None:
    [item] = quotes_of("Trump called the drug cartels “terrorists” on Friday.")
    assert not item["direct"]
    assert item["cue"] == "called"
    assert item["text"].startswith("the drug cartels “terrorists”")


def test_accused_of() -> None:
    text = "U.S. authorities accused Maduro of running a drug cartel."
    item = find(quotes_of(text), "running a drug cartel")
    assert item["text"] == "Maduro of running a drug cartel"
    assert item["speaker_name"] == "U.S. authorities"
    assert item["speaker"] == "united-states"


def test_trailing_reporting_clause() -> None:
    item = find(quotes_of("The ship carried drugs, Trump said."), "The ship carried drugs")
    assert item["speaker"] == "donald-trump"
    assert not item["direct"]


def test_nothing_to_attribute() -> None:
    assert quotes_of("") == []
    assert quotes_of("The ship left the port at dawn.") == []


def test_without_a_parse_there_is_nothing() -> None:
    doc = blank_model()("“Hello,” he said.")
    assert extract_quotes(doc, []) == []


def test_lexicon_entries_name_their_content() -> None:
    assert {"say", "tell", "claim", "deny", "note", "add", "argue", "insist", "warn"} <= set(
        CUE_LEXICON
    )
    assert all(kinds for kinds in CUE_LEXICON.values())


# --------------------------------------------------------------------------------------
# Property: every span round-trips, whatever the text
# --------------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "Maduro said",
        "said Trump",
        "“We will win,”",
        '"It is over,"',
        "‘never’",
        "'maybe'",
        "''Quoted,''",
        "he told reporters",
        "according to Rodríguez,",
        "Venezuela’s",
        "the farmers’",
        "claimed that",
        "Trump’s claim that",
        "the charge that",
        "questioned whether",
        "blasted Maduro as",
        "Poll:",
        "denied the report",
        "the letter read.",
        "“Unclosed quote",
        "”",
        "“",
        ":",
        ",",
        ".",
        "\n",
        "\n\n",
        "WALLACE:",
        "(CROSSTALK.)",
        "the",
        "ship",
        "carried drugs",
        "—",
        " ",
    ]
)


@cache
def _parse(text: str) -> Doc:
    return load_nlp()(text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, min_size=1, max_size=25))
def test_every_span_round_trips(fragments: list[str]) -> None:
    text = " ".join(fragments)
    doc = _parse(text)
    items = extract_quotes(doc, hand_mentions(text), KINDS)
    for item in items:
        assert_round_trip(text, item)
        start, end = item["span"]
        assert 0 <= start < end <= len(text)
        if item["direct"]:
            assert item["text"].strip() == item["text"]


def test_the_documented_lexicon_is_the_lexicon() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "quality" / "quotes.md").read_text(
        encoding="utf-8"
    )
    section = doc.split("### Cue lexicon", 1)[1].split("## Known weaknesses", 1)[0]
    documented = set(re.findall(r"[a-z]+", section))
    missing = sorted(set(CUE_LEXICON) - documented)
    assert not missing, f"docs/quality/quotes.md does not list {missing}"


# --------------------------------------------------------------------------------------
# Reported speech beyond the verb and its clause
# --------------------------------------------------------------------------------------


def entity_mentions_of(doc: Doc) -> list[MentionItem]:
    """Mentions from the entity tagger, for names the hand lists do not know."""
    return [
        {"actor": ent.text.lower(), "text": ent.text, "span": [ent.start_char, ent.end_char]}
        for ent in doc.ents
        if ent.label_ in ("PERSON", "ORG", "NORP", "GPE")
    ]


def reported(text: str) -> list[QuoteItem]:
    doc = _parse(text)
    items = extract_quotes(doc, entity_mentions_of(doc))
    for item in items:
        assert_round_trip(text, item)
    return items


def by_cue(items: list[QuoteItem], cue: str) -> list[QuoteItem]:
    return [item for item in items if item["cue"] == cue]


@pytest.mark.parametrize(
    ("text", "cue", "content", "speaker_name"),
    [
        (
            "Politifact checked Donald Trump’s claim that there have been thousands of "
            "shootings in Chicago.",
            "claim",
            "that there have been thousands of shootings in Chicago",
            "Donald Trump",
        ),
        (
            "His assertion that the economy is failing drew criticism.",
            "assertion",
            "that the economy is failing",
            "His",
        ),
        (
            "The charge that the city hid the report was denied.",
            "charge",
            "that the city hid the report",
            None,
        ),
        (
            "A New York Times report that Trump lost $916 million in 1995 set off a storm.",
            "report",
            "that Trump lost $916 million in 1995",
            "New York Times",
        ),
        (
            "Trump charges that countries donated millions of dollars to the foundation.",
            "charges",
            "that countries donated millions of dollars to the foundation",
            "Trump",
        ),
    ],
)
def test_nouns_of_saying_report_their_that_clause(
    text: str, cue: str, content: str, speaker_name: str | None
) -> None:
    [item] = by_cue(reported(text), cue)
    assert item["text"] == content
    assert item["speaker_name"] == speaker_name
    assert not item["direct"]


@pytest.mark.parametrize(
    "text",
    [
        "The claim that he made was false.",  # a relative clause, not what was claimed
        "The fact that the ship sailed is well known.",  # no noun of saying
        "The report on the ship was late.",  # no clause
    ],
)
def test_nouns_without_a_reported_clause_are_no_items(text: str) -> None:
    assert reported(text) == []


@pytest.mark.parametrize(
    ("text", "cue", "content", "speaker_name"),
    [
        (
            "Clinton questioned whether Trump was prepared to face emergencies.",
            "questioned",
            "whether Trump was prepared to face emergencies",
            "Clinton",
        ),
        (
            "Her campaign disclosed that she has pneumonia.",
            "disclosed",
            "that she has pneumonia",
            "Her campaign",
        ),
        ("Christie blasted Clinton as a disgrace.", "blasted", "Clinton as a disgrace", "Christie"),
        (
            "Democrats blasted the committee for failing to release the report.",
            "blasted",
            "the committee for failing to release the report",
            "Democrats",
        ),
        (
            "Trump likened the press to a rigged system.",
            "likened",
            "the press to a rigged system",
            "Trump",
        ),
        (
            "He proposes doing away with the mandate.",
            "proposes",
            "doing away with the mandate",
            "He",
        ),
    ],
)
def test_more_verbs_of_saying(text: str, cue: str, content: str, speaker_name: str) -> None:
    [item] = by_cue(reported(text), cue)
    assert (item["text"], item["speaker_name"]) == (content, speaker_name)


def test_compared_to_a_figure_is_no_speech() -> None:
    assert reported("The tax rose 32 percent, compared to 11 percent a year ago.") == []


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Trump said after the convention he would not accept the endorsement.",
            "he would not accept the endorsement",
        ),
        ("Trump said he would go if he won.", "he would go if he won"),
    ],
)
def test_said_without_that(text: str, content: str) -> None:
    [item] = by_cue(reported(text), "said")
    assert item["text"].endswith(content)
    assert item["speaker_name"] == "Trump"


def test_said_with_an_object_reports_no_adverbial_clause() -> None:
    assert reported("Trump said nothing when he arrived.") == []


def test_according_to_parsed_as_the_root() -> None:
    text = (
        "According to conservative talk radio host Rush Limbaugh, the move reeks of fear "
        "and desperation."
    )
    [item] = by_cue(reported(text), "According to")
    assert item["text"] == "the move reeks of fear and desperation"
    assert item["speaker_name"] is not None and "Rush Limbaugh" in item["speaker_name"]


@pytest.mark.parametrize(
    ("text", "speaker_name", "content"),
    [
        (
            "Pence: Gennifer Flowers Won’t Be at Debate\n\nRepublican vice-presidential nominee "
            "Mike Pence said on Sunday that she would not attend.",
            "Pence",
            "Gennifer Flowers Won’t Be at Debate",
        ),
        (
            "Poll: Clinton and Trump in dead heat\n\nThe race is tied, a new poll found.",
            "Poll",
            "Clinton and Trump in dead heat",
        ),
    ],
)
def test_headline_labels_name_their_speaker(text: str, speaker_name: str, content: str) -> None:
    [item] = by_cue(reported(text), ":")
    assert (item["speaker_name"], item["text"]) == (speaker_name, content)


@pytest.mark.parametrize(
    "text",
    [
        "Stealth Over Health: A Hidden Crisis\n\nDoctors said the clinics were closing.",
        "Wealth Gap Widens: New Figures\n\nThe gap widened last year, the bureau said.",
    ],
)
def test_headline_labels_that_name_nobody(text: str) -> None:
    assert by_cue(reported(text), ":") == []


# --------------------------------------------------------------------------------------
# Issue 15: reported speech without "that", more cues, speakers inside reports
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue", "content", "speaker_name"),
    [
        ("Smith said on Monday the plan would fail.", "said", "the plan would fail", "Smith"),
        (
            "The minister warned the deal could collapse.",
            "warned",
            "the deal could collapse",
            "The minister",
        ),
        ("Jones argued the tax was unfair.", "argued", "the tax was unfair", "Jones"),
        ("She insisted the vote was rigged.", "insisted", "the vote was rigged", "She"),
        (
            "The mayor acknowledged the city had made mistakes.",
            "acknowledged",
            "the city had made mistakes",
            "The mayor",
        ),
        ("Brown conceded the bill would not pass.", "conceded", "the bill would not pass", "Brown"),
        (
            "Officials said the bridge would reopen next week.",
            "said",
            "the bridge would reopen next week",
            "Officials",
        ),
        (
            "A spokesperson for the ministry said the talks had stalled.",
            "said",
            "the talks had stalled",
            "A spokesperson for the ministry",
        ),
        (
            "The bill will pass, Senate leaders said Tuesday.",
            "said",
            "The bill will pass",
            "Senate leaders",
        ),
        (
            "The senator conceded in a statement that the bill was dead.",
            "conceded",
            "that the bill was dead",
            "The senator",
        ),
    ],
)
def test_reported_speech_without_that_and_by_role(
    text: str, cue: str, content: str, speaker_name: str
) -> None:
    [item] = by_cue(reported(text), cue)
    assert (item["text"], item["speaker_name"]) == (content, speaker_name)
    assert not item["direct"]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("According to the report, the army lost 300 tanks.", "the army lost 300 tanks"),
        ("The army lost 300 tanks, according to the report.", "The army lost 300 tanks"),
        (
            "The army, according to the report, lost 300 tanks.",
            "The army, according to the report, lost 300 tanks",
        ),
    ],
)
def test_according_to_in_every_position(text: str, content: str) -> None:
    [item] = by_cue(reported(text), "according to") or by_cue(reported(text), "According to")
    assert (item["text"], item["speaker_name"]) == (content, "the report")


@pytest.mark.parametrize(
    ("text", "cue", "content", "speaker_name"),
    [
        (
            "Roberts spoke of the legacy of racism in the country.",
            "spoke",
            "of the legacy of racism in the country",
            "Roberts",
        ),
        (
            "Trump has also commented on the death of Crutcher.",
            "commented",
            "on the death of Crutcher",
            "Trump",
        ),
        (
            "Critics see the program as an easy way to gain citizenship.",
            "see",
            "the program as an easy way to gain citizenship",
            "Critics",
        ),
        (
            "They felt the FBI was not being forthcoming.",
            "felt",
            "the FBI was not being forthcoming",
            "They",
        ),
        (
            "Pence echoed the statements of Trump on policing.",
            "echoed",
            "the statements of Trump on policing",
            "Pence",
        ),
        (
            "Polls show a close contest in the state.",
            "show",
            "a close contest in the state",
            "Polls",
        ),
        (
            "Mr. Clarke hoped electric utilities would count his credits.",
            "hoped",
            "electric utilities would count his credits",
            "Mr. Clarke",
        ),
        (
            "Trump threatened Venezuela with “countless consequences” on Monday.",
            "threatened",
            "Venezuela with “countless consequences”",
            "Trump",
        ),
    ],
)
def test_cues_beyond_the_common_verbs(text: str, cue: str, content: str, speaker_name: str) -> None:
    [item] = by_cue(reported(text), cue)
    assert (item["text"], item["speaker_name"]) == (content, speaker_name)


def test_showing_restraint_is_no_finding() -> None:
    """*show* with an object reports a finding only when a poll, study or record shows."""
    assert reported("The president showed restraint on Monday.") == []


def test_partial_quote_in_a_named_sentence_closes_its_marks() -> None:
    [item] = reported("Maduro called the sanctions “an act of war” in a speech.")
    assert item["text"] == "the sanctions “an act of war”"
    assert item["speaker_name"] == "Maduro"
    [item] = reported("He called a former Miss Universe “disgusting.”")
    assert item["text"] == "a former Miss Universe “disgusting.”"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "The governor added: It’s typical of Hillary Clinton. She knows nothing.",
            "It’s typical of Hillary Clinton. She knows nothing",
        ),
        (
            "Limbaugh added:\n\nAnd from a supposed front-runner, this reeks of fear.",
            "And from a supposed front-runner, this reeks of fear",
        ),
    ],
)
def test_a_cue_and_colon_introduce_the_rest(text: str, content: str) -> None:
    [item] = by_cue(reported(text), "added")
    assert item["text"] == content


def test_a_colon_before_a_quotation_leaves_it_direct() -> None:
    items = reported("Trump said: “We will win.” The crowd cheered.")
    assert [(item["text"], item["direct"]) for item in items] == [("We will win.", True)]


@pytest.mark.parametrize(
    ("text", "cue", "speaker_name"),
    [
        ("Stein said she plans to join her supporters at the protest.", "plans", "Stein"),
        (
            "His aides say it is too early to discuss strategies for a Senate run.",
            "discuss",
            "His aides",
        ),
        ("Mr. Clarke said he expected to sell the coal for $50 a ton.", "expected", "Mr. Clarke"),
    ],
)
def test_a_pronoun_inside_a_report_speaks_for_the_reporter(
    text: str, cue: str, speaker_name: str
) -> None:
    [item] = by_cue(reported(text), cue)
    assert item["speaker_name"] == speaker_name


@pytest.mark.parametrize(
    ("text", "cue", "speaker_name"),
    [
        # the article has only the reporter's word for each of these (PolNeAR's gold
        # gives all three sentences to the reporter): a passive, ...
        (
            "Loretta E. Lynch said she was asked to give a presentation to a client.",
            "asked",
            "Loretta E. Lynch",
        ),
        # ... a pronoun that is not the reporter ("it" is the tweets) ...
        (
            "Donald Trump is defending his tweets, saying it shows he would be awake for a "
            "3 a.m. call.",
            "shows",
            "Donald Trump",
        ),
        # ... and a named subject: Machado's promise, as Merrill tells it
        ("Merrill says Machado promised to continue supporting Clinton.", "promised", "Merrill"),
    ],
)
def test_the_reporter_speaks_for_whatever_the_report_holds(
    text: str, cue: str, speaker_name: str | None
) -> None:
    [item] = by_cue(reported(text), cue)
    assert item["speaker_name"] == speaker_name


def test_a_pronoun_in_a_direct_quote_frame_inside_a_report() -> None:
    text = (
        "Clinton says she appreciated Machado’s courage through what she calls a “war of "
        "some pretty unpleasant words.”"
    )
    [item] = [item for item in reported(text) if item["direct"]]
    assert (item["cue"], item["speaker_name"]) == ("calls", "Clinton")


def test_an_adjective_passes_its_subject_to_the_infinitive() -> None:
    [item] = by_cue(reported("He was able to consistently tout his polling strength."), "tout")
    assert (item["text"], item["speaker_name"]) == ("his polling strength", "He")


def test_a_cueless_quote_after_someone_acted_on_goes_on_with_the_last_speaker() -> None:
    """A lawyer quoted after *Bowdich fired him* is not Bowdich."""
    text = (
        "Aitan Goelman, Strzok’s lawyer, said the firing was political. Deputy Director "
        "David Bowdich fired him despite the recommendation of the disciplinary office. "
        '"This isn’t the normal process in any way, shape or form."'
    )
    [item] = [item for item in reported(text) if item["direct"]]
    assert item["speaker_name"] == "Aitan Goelman"


def test_a_cueless_quote_after_a_named_subject_is_still_theirs() -> None:
    text = (
        "Grenell said the talks were over. Maduro identified the blockade as the problem.\n"
        "“The blockade is an act of war.”"
    )
    [item] = [item for item in quotes_of(text) if item["direct"]]
    assert item["speaker"] == "nicolas-maduro"


def test_a_misprinted_opening_mark_still_makes_a_quote() -> None:
    text = "”Fear. I am truly afraid that Donald Trump will win.” ― Edwin G. Monroy"
    [item] = reported(text)
    assert item["direct"]
    assert item["text"] == "Fear. I am truly afraid that Donald Trump will win."
    assert item["speaker_name"] == "Edwin G. Monroy"


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "Trump is raising questions about his microphone problems.",
            "raising",
            "questions about his microphone problems",
        ),
        (
            "The mayor issued a warning about the storm on Monday.",
            "issued",
            "a warning about the storm",
        ),
    ],
)
def test_light_verbs_deliver_what_was_said(text: str, cue: str, content: str) -> None:
    [item] = by_cue(reported(text), cue)
    assert item["text"] == content


def test_a_light_verb_referring_back_reports_nothing() -> None:
    assert reported("Trump made the comments on Friday.") == []


def test_a_finite_verb_whose_subject_the_parse_lost() -> None:
    text = (
        "When terrorists are revealed as part of the second front of the radical Islamic "
        'terror war, Obama and Clinton call them "lone wolves" and describe their actions '
        "as crimes rather than acts of terror."
    )
    items = reported(text)
    assert by_cue(items, "call")[0]["speaker_name"] == "Clinton"
    assert by_cue(items, "describe")[0]["speaker_name"] == "Clinton"


def test_a_participle_takes_the_subject_of_a_passive() -> None:
    text = "After saying her right foot was swollen, she was whisked off to the hospital."
    [item] = by_cue(reported(text), "saying")
    assert (item["text"], item["speaker_name"]) == ("her right foot was swollen", "she")


def test_a_quote_followed_by_and_said_is_not_framed_by_it() -> None:
    text = (
        'Cruz exhorted Republicans to "vote your conscience" and said he was standing on '
        "truth and principle."
    )
    items = reported(text)
    assert not [item for item in items if item["direct"]]
    [item] = by_cue(items, "said")
    assert item["text"] == "he was standing on truth and principle"


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "In Honolulu last week, he told a meeting of Pacific Island leaders that few "
            "people understood the stakes better than they did.",
            "told",
            "that few people understood the stakes better than they did",
        ),
        (
            "Lawmakers have not said when they would take up the reauthorization.",
            "said",
            "when they would take up the reauthorization",
        ),
    ],
)
def test_clauses_the_parse_hung_elsewhere(text: str, cue: str, content: str) -> None:
    [item] = by_cue(reported(text), cue)
    assert item["text"] == content


def test_a_subject_from_the_paragraph_before_gives_way_to_the_one_in_the_cues() -> None:
    """The parser runs on over a paragraph break and gives the verb two subjects (here
    written out by hand: the shape of a PolNeAR dev article); the one in the cue's
    paragraph speaks."""
    rows = [  # word, space after, head, dep, pos, tag, lemma
        ("Update", False, 3, "nsubj", "NOUN", "NN", "update"),
        ("\n\n", False, 0, "dep", "SPACE", "_SP", "\n\n"),
        ("Dean", True, 3, "nsubj", "PROPN", "NNP", "Dean"),
        ("appeared", True, 3, "ROOT", "VERB", "VBD", "appear"),
        ("and", True, 3, "cc", "CCONJ", "CC", "and"),
        ("began", True, 3, "conj", "VERB", "VBD", "begin"),
        ("by", True, 5, "prep", "ADP", "IN", "by"),
        ("saying", True, 6, "pcomp", "VERB", "VBG", "say"),
        ("he", True, 10, "nsubj", "PRON", "PRP", "he"),
        ("would", True, 10, "aux", "AUX", "MD", "would"),
        ("resign", False, 7, "ccomp", "VERB", "VB", "resign"),
        (".", False, 3, "punct", "PUNCT", ".", "."),
    ]
    words, spaces, heads, deps, pos, tags, lemmas = (
        list(column) for column in zip(*rows, strict=True)
    )
    doc = Doc(
        load_nlp().vocab,
        words=words,
        spaces=spaces,
        heads=heads,
        deps=deps,
        pos=pos,
        tags=tags,
        lemmas=lemmas,
    )
    [item] = extract_quotes(doc, [])
    assert (item["cue"], item["text"], item["speaker_name"]) == (
        "saying",
        "he would resign",
        "Dean",
    )


def test_a_chanted_quote_is_direct() -> None:
    [item] = reported('Protesters chanted "What curfew?" as they marched past the police.')
    assert (item["direct"], item["text"], item["cue"]) == (True, "What curfew?", "chanted")
    assert item["speaker_name"] == "Protesters"


@pytest.mark.parametrize(
    ("text", "speaker_name"),
    [
        ("Trump was criticized by Democrats and said the attacks were unfair.", "Trump"),
        ("He was praised by the mayor and said the city had improved.", "He"),
    ],
)
def test_a_verb_joined_to_a_passive_is_said_by_its_subject_not_its_agent(
    text: str, speaker_name: str
) -> None:
    """Regression: the agent of the passive (*Democrats*) was given the words."""
    [item] = by_cue(reported(text), "said")
    assert item["speaker_name"] == speaker_name
