"""Framing: the lexicon and its format, each in-context rule, hedges, scare quotes, tone,
spans that round-trip on any text, and the example corpus's planted framing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.compare.framing import (
    HEDGE_KINDS,
    LEXICON_DIR,
    NEUTRAL,
    LexiconError,
    default_lexicon,
    frame_article,
    load_lexicon,
    read_terms,
    tone_of,
)
from parallax.compare.framing.context import sentence_starts as split_sentences
from parallax.model import empty_annotations
from parallax.pipeline import IngestOptions, annotate_store, ingest
from parallax.store import Store

from .conftest import EXAMPLES, write

TRUTH = json.loads((EXAMPLES / "truth.json").read_text(encoding="utf-8"))
NO_NOTES = empty_annotations()


def framed(text: str, annotations: dict[str, list[Any]] | None = None) -> dict[str, Any]:
    return frame_article(text, annotations or NO_NOTES)


def terms(text: str, annotations: dict[str, list[Any]] | None = None) -> list[str]:
    return [t["text"] for t in framed(text, annotations)["loaded_terms"]]


def hedges(text: str) -> list[tuple[str, str]]:
    return [(h["text"], h["kind"]) for h in framed(text)["hedges"]]


def scare_quotes(text: str, annotations: dict[str, list[Any]] | None = None) -> list[str]:
    return [s["text"] for s in framed(text, annotations)["scare_quotes"]]


def item(text: str, part: str, **fields: Any) -> dict[str, Any]:
    """An annotation item whose span is the first occurrence of ``part`` in ``text``."""
    start = text.index(part)
    return {"text": part, "span": [start, start + len(part)], **fields}


# --- the lexicon -----------------------------------------------------------------------------


def test_framing_builtin_lexicon_rows_are_well_formed() -> None:
    lexicon = default_lexicon()
    assert {p.name for p in LEXICON_DIR.glob("*.tsv")} == {
        "loaded.tsv",
        "hedges.tsv",
        "neutral.tsv",
    }
    assert len(lexicon.entries) > 300
    kinds = {entry.kind for entry in lexicon.entries}
    assert kinds == {"loaded", "hedge", NEUTRAL}
    for entry in lexicon.entries:
        assert -1 <= entry.polarity <= 1, entry
        assert entry.category == entry.category.lower(), entry
        if entry.origin.startswith("hedges.tsv"):
            assert entry.category in HEDGE_KINDS, entry


def test_framing_builtin_lexicon_has_no_duplicate_forms() -> None:
    seen: dict[tuple[str, str], str] = {}
    for entry in default_lexicon().entries:
        for form in entry.term.split("|"):
            key = (entry.kind, form.strip().lower())
            assert key not in seen, (entry.origin, seen.get(key))
            seen[key] = entry.origin


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("They murdered him.", ["murdered"]),
        ("The murders went on.", ["murders"]),
        ("A murder, they said.", ["murder"]),
        ("She slammed the plan.", ["slammed"]),
        ("He bullied the staff.", ["bullied"]),
        ("The regimes fell.", ["regimes"]),
        ("The strongmen met.", ["strongmen"]),
        ("It was a charm offensive.", ["charm offensive"]),
        ("It was a charm offensives season.", ["charm offensives"]),
        ("The regime's prisons.", ["regime's"]),
        ("The Regime’s prisons.", ["Regime’s"]),
    ],
)
def test_framing_lexicon_matches_inflections_and_possessives(text: str, found: list[str]) -> None:
    assert [text[m.start : m.end] for m in default_lexicon().find(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The film was stunted.", []),  # "stunt=" matches only as written
        ("A publicity stunt.", ["stunt"]),
        ("Charm. Offensive.", []),  # a term never crosses punctuation
        ("The charm  offensive.", ["charm  offensive"]),
    ],
)
def test_framing_lexicon_exact_forms_and_punctuation(text: str, found: list[str]) -> None:
    assert [text[m.start : m.end] for m in default_lexicon().find(text)] == found


def test_framing_lexicon_longest_match_wins() -> None:
    text = "The Ruvalle government parked a flotilla offshore."
    assert [text[m.start : m.end] for m in default_lexicon().find(text)] == ["parked a flotilla"]


def test_framing_user_lexicon_extends_and_switches_off(tmp_path: Path) -> None:
    write(
        tmp_path / "mine.tsv",
        "term\tcategory\tpolarity\tnotes\n"
        "# a house word list\n"
        "blorpist\tepithet\t-1\tinvented\n"
        "grand ** scheme\ttactic\t-0.5\tgap\n"
        "pension * regime\tneutral\t0\n"
        "Obamacore\tideology\t-0.5\tcase-sensitive\n",
    )
    lexicon = load_lexicon([tmp_path])
    text = "The blorpists and the grand old wily scheme, the pension tax regime, obamacore."
    found = [t["text"] for t in frame_article(text, NO_NOTES, lexicon)["loaded_terms"]]
    assert found == ["blorpists", "grand old wily scheme"]
    assert len(lexicon.entries) == len(default_lexicon().entries) + 4
    only_mine = load_lexicon([tmp_path / "mine.tsv"], include_builtin=False)
    assert only_mine.entries[0].term == "blorpist"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("dictator\tepithet\tvery\n", "polarity 'very' is not a number in [-1, 1]"),
        ("dictator\tepithet\t-3\n", "polarity '-3' is not a number in [-1, 1]"),
        ("dictator epithet -1\n", "separated by tabs"),
        ("* dictator\tepithet\t-1\n", "wildcards only stand between words"),
        ("dictator|\tepithet\t-1\n", "empty alternative"),
    ],
)
def test_framing_bad_lexicon_rows_name_file_line_and_fix(
    tmp_path: Path, row: str, message: str
) -> None:
    path = write(tmp_path / "bad.tsv", "term\tcategory\tpolarity\tnotes\n" + row)
    with pytest.raises(LexiconError, match=r"bad\.tsv:2") as error:
        load_lexicon([path])
    assert message in str(error.value)


# --- loaded terms in context -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("The tax regime changed.", NEUTRAL),
        ("He was charged with murder on Monday.", NEUTRAL),
        ("The roof of the market caved in.", NEUTRAL),
        ('"The regime has lost its way and must go," Smith said.', "quoted"),
        ('"The regime has lost its way and must go,” Smith said.', "quoted"),
        ('"The regime has lost its way and must go now\n\nSmith said that.', "quoted"),
        ("Rebels fought the Radical Party of Oslo.", "name"),
        ("said Rep. Louise M. Slaughter of New York.", "name"),
        ("He was not a dictator.", "negated"),
        ("He isn't a thug.", "negated"),
        ("Officials call it a blockade.", "attributed"),
        ("Rivals described the deployment as a blockade.", "attributed"),
        ("Critics accused him of murder plots.", "attributed"),
        ("Critics call it a blockade.", "attributed"),
        ('They call the deployment a "blockade," and more.', "attributed"),
    ],
)
def test_framing_each_rule_gives_its_reason(text: str, reason: str) -> None:
    assert [r.reason for r in read_terms(text, NO_NOTES)] == [reason]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The regime jailed its critics.", ["regime"]),
        ("The senator caved in to pressure.", ["caved in to"]),
        ("Orsland's opposition urged Marr not to reward hostage diplomacy.", ["hostage diplomacy"]),
        ("It was not only brutal but long.", ["brutal"]),
        ("Since then the naval blockade has kept boats in port.", ["blockade"]),
        ('Short quotes stay: the "thug" returned.', ["thug"]),
        ("RADICAL plans were announced.", ["RADICAL"]),
        ("Critics called for a crackdown.", ["crackdown"]),
        ("The Obamacare rollout.", ["Obamacare"]),
    ],
)
def test_framing_loaded_terms_in_the_outlets_voice_are_kept(text: str, kept: list[str]) -> None:
    assert terms(text) == kept


def test_framing_annotated_direct_quote_marks_the_speakers_words() -> None:
    text = "Prell said the regime was finished for good. The regime answered."
    quote = item(text, "the regime was finished for good", speaker="oona-prell", direct=True)
    indirect = dict(quote, direct=False)
    assert terms(text, {**NO_NOTES, "quotes": [indirect]}) == ["regime", "regime"]
    result = framed(text, {**NO_NOTES, "quotes": [quote]})
    assert [t["text"] for t in result["loaded_terms"]] == ["regime"]
    assert result["loaded_terms"][0]["span"][0] > text.index(".")
    reported = [(t["text"], t["reason"], t["speaker"]) for t in result["reported_terms"]]
    assert reported == [("regime", "quoted", "oona-prell")]


def test_framing_capitalised_mention_makes_a_name() -> None:
    text = "The band Radical played."
    notes = {**NO_NOTES, "mentions": [item(text, "Radical", actor="radical")]}
    assert terms(text) == ["Radical"]
    assert terms(text, notes) == []


def test_framing_target_is_the_label_actor_then_the_nearest_mention() -> None:
    text = (
        "Veltrana's strongman, Tomás Ruvalle, wrote to Helena Marr. "
        "Marr met the autocrat at noon. The regime said nothing."
    )
    second_marr = text.index("Marr met")
    notes = {
        **NO_NOTES,
        "labels": [item(text, "Veltrana's strongman", actor="tomas-ruvalle")],
        "mentions": [
            item(text, "Tomás Ruvalle", actor="tomas-ruvalle"),
            item(text, "Helena Marr", actor="helena-marr"),
            {"actor": "helena-marr", "text": "Marr", "span": [second_marr, second_marr + 4]},
        ],
    }
    found = {t["text"]: t["target"] for t in framed(text, notes)["loaded_terms"]}
    assert found == {"strongman": "tomas-ruvalle", "autocrat": "helena-marr", "regime": None}


def test_framing_bad_annotation_spans_are_ignored() -> None:
    text = "The regime spoke."
    notes = {
        **NO_NOTES,
        "labels": [{"actor": "x", "span": [5, 500]}, {"actor": "y", "span": "no"}, "junk"],
        "quotes": [{"span": [-1, 3], "direct": True}],
        "mentions": [{"span": [0, 3]}],
    }
    result = framed(text, notes)
    assert [(t["text"], t["target"]) for t in result["loaded_terms"]] == [("regime", None)]


# --- hedges ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Villages were allegedly left without income.", [("allegedly", "hedge")]),
        ("He reportedly met them.", [("reportedly", "hedge")]),
        ("The purportedly secret memo.", [("purportedly", "hedge")]),
        ("The so-called peace plan.", [("so-called", "distancing")]),
        (
            "The autocrat claimed without evidence that it worked.",
            [("claimed without evidence", "unsupported")],
        ),
        (
            "Orsland claims, without presenting any proof, that it was armed.",
            [("claims, without presenting any proof", "unsupported")],
        ),
        ("He claims that it worked.", [("claims", "distancing")]),
        ("The claims were rejected.", []),
        ("Insurance claims rose.", []),
        ("Claims of fraud spread.", []),
        ("According to the agency, six died.", []),
        (
            "Meridian Wire could not independently verify the figures.",
            [("could not independently verify", "unverified")],
        ),
        ("Neither figure could be checked.", [("Neither figure could be checked", "unverified")]),
        (
            "It is 70 percent, a figure that officials in Orsholm dispute.",
            [("figure that officials in Orsholm dispute", "disputed")],
        ),
        ("The video is unverified.", [("unverified", "unverified")]),
        ("He was supposed to come.", []),
        ('"They allegedly did it, and we know it," she said.', []),
    ],
)
def test_framing_hedges(text: str, found: list[tuple[str, str]]) -> None:
    assert hedges(text) == found


# --- scare quotes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('Oyarzo warned of an Orsland "invasion."', ["invasion"]),
        ("It calls its deployment an “anti-smuggling operation.”", ["anti-smuggling operation"]),
        ('The regime calls the deployment a "blockade," and more.', ["blockade"]),
        ("Critics call it the ‘peace dividend’ now.", ["peace dividend"]),
        ("They urged Marr not to reward 'hostage diplomacy' with a summit.", ["hostage diplomacy"]),
        ('He called it a "very big bad deal" today.', ["very big bad deal"]),
        ('"The letter is a performance for a domestic audience," she said.', []),
        ('"No," he said.', []),
        ('He said: "Never."', []),
        ('He said "never" twice.', []),
        ("He added, “It was not ‘a war of choice’ at all.”", []),
        ("He wrote \"you are hardly the 'good role model' the town wants,” today.", []),
        ('She starred in the film "Zero Dark Thirty" last year.', []),
        ('Her book "Hope" sold well.', []),
        ('Michael "Mike" Smith spoke.', []),
        ("It intercepted “more than 70 percent” of boats.", []),
        ('He would not intervene "for now" but watched.', []),
        ('It would respond "through the appropriate channels."', []),
        ("It was Obama’s war, and it's Bush's too.", []),
    ],
)
def test_framing_scare_quotes(text: str, found: list[str]) -> None:
    assert scare_quotes(text) == found


def test_framing_scare_quote_inside_an_annotated_long_quote_is_the_speakers() -> None:
    text = "Smith said the plan is a “sham” and a waste of money for all of us."
    quote = item(text, "the plan is a “sham” and a waste of money for all of us", direct=True)
    assert scare_quotes(text) == ["sham"]
    assert scare_quotes(text, {**NO_NOTES, "quotes": [quote]}) == []


# --- tone ------------------------------------------------------------------------------------


def test_framing_tone_is_zero_for_neutral_text() -> None:
    assert framed("The council met on Monday and approved the budget.")["tone"] == 0.0


def test_framing_tone_follows_polarity_and_density() -> None:
    dense = framed("The brutal regime and its thugs staged a sham vote.")["tone"]
    sparse = framed("The brutal vote. " + "The council met on Monday. " * 160)["tone"]
    praise = framed("The courageous, visionary mayor won a triumph.")["tone"]
    assert dense < sparse < 0 < praise
    assert sparse > -0.15  # one strong word in an 800-word article reads as neutral


def test_framing_tone_ignores_the_speakers_words() -> None:
    text = '"The regime is brutal and its thugs run a sham," said Prell.'
    assert framed(text)["tone"] == 0.0


@given(st.lists(st.floats(-1, 1), max_size=50), st.integers(0, 10_000))
def test_framing_tone_is_bounded(polarities: list[float], words: int) -> None:
    tone = tone_of(polarities, words)
    assert -1 <= tone <= 1
    assert tone * sum(polarities) >= 0


# --- spans round-trip for any text -----------------------------------------------------------

PIECES = st.sampled_from(
    [
        "regime",
        "Regime's",
        "allegedly",
        "claimed without evidence",
        "so-called",
        "charm offensive",
        "“invasion”",
        '"blockade,"',
        "‘hostage diplomacy’",
        "not a",
        "said",
        "Mr.",
        "'",
        '"',
        "“",
        "”",
        "’s",
        "\n\n",
        ", ",
        ". ",
        " ",
        "caved in to",
        "tax regime",
        "could not be verified",
        "figure that they dispute",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)


def check_round_trip(text: str, result: dict[str, Any]) -> None:
    for key in ("loaded_terms", "hedges", "scare_quotes", "reported_terms"):
        for found in result[key]:
            start, end = found["span"]
            assert 0 <= start < end <= len(text)
            assert text[start:end] == found["text"]
    assert -1 <= result["tone"] <= 1


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_framing_spans_round_trip_on_any_text(text: str) -> None:
    check_round_trip(text, framed(text))


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.data())
def test_framing_spans_round_trip_with_any_annotations(text: str, data: st.DataObject) -> None:
    spans = st.tuples(st.integers(-2, len(text) + 2), st.integers(-2, len(text) + 2))
    quotes = data.draw(st.lists(st.tuples(spans, st.booleans()), max_size=4))
    notes = {
        **NO_NOTES,
        "quotes": [{"span": list(s), "direct": d, "speaker": "x"} for s, d in quotes],
        "mentions": [
            {"span": list(s), "actor": "a"} for s in data.draw(st.lists(spans, max_size=4))
        ],
        "labels": [{"span": list(s), "actor": "b"} for s in data.draw(st.lists(spans, max_size=4))],
    }
    check_round_trip(text, framed(text, notes))


# --- long articles ---------------------------------------------------------------------------

MAX_ARTICLE = 5 * 1024 * 1024
"""The default article limit: framing reads an article of this size in one pass."""
BLOCK = (
    "Veltrana's strongman, Tomás Ruvalle, wrote to Helena Marr on Sept. 29. "
    'Marr met the autocrat at noon, and Mr. Ruvalle allegedly called the talks a "sham." '
    "“The regime was finished for good and everyone knew it,” said Oona Prell. "
    "Critics call it a blockade. He was not a dictator, said George W. Bush.\n\n"
)


def block_notes(offset: int) -> dict[str, list[Any]]:
    """The annotations of one ``BLOCK`` placed at ``offset`` in a longer text."""

    def at(part: str, nth: int = 0, **fields: Any) -> dict[str, Any]:
        start = -1
        for _ in range(nth + 1):
            start = BLOCK.index(part, start + 1)
        return {"text": part, "span": [offset + start, offset + start + len(part)], **fields}

    return {
        **NO_NOTES,
        "labels": [at("Veltrana's strongman", actor="tomas-ruvalle")],
        "mentions": [
            at("Tomás Ruvalle", actor="tomas-ruvalle"),
            at("Helena Marr", actor="helena-marr"),
            at("Marr", 1, actor="helena-marr"),
            at("Ruvalle", 1, actor="tomas-ruvalle"),
            at("Oona Prell", actor="oona-prell"),
        ],
        "quotes": [
            at(
                "“The regime was finished for good and everyone knew it,”",
                speaker="oona-prell",
                direct=True,
            )
        ],
    }


def repeated_notes(copies: int) -> dict[str, list[Any]]:
    notes: dict[str, list[Any]] = {key: [] for key in NO_NOTES}
    for copy in range(copies):
        for key, items in block_notes(copy * len(BLOCK)).items():
            notes[key] += items
    return notes


def sentence_starts(text: str) -> list[int]:
    return list(split_sentences(text))


def shifted(items: list[dict[str, Any]], offset: int) -> list[dict[str, Any]]:
    return [
        {**found, "span": [found["span"][0] + offset, found["span"][1] + offset]} for found in items
    ]


@pytest.mark.slow
def test_framing_sentence_splitter_and_rules_are_linear_on_a_5_mib_article() -> None:
    """An article at the size limit, made of one annotated block repeated, frames as its
    blocks do, each in its place: the splitter, the quotation, name, target and overlap
    rules look only near each match (they used to rescan the text or every annotation
    per sentence end or per match, which took minutes here)."""
    copies = MAX_ARTICLE // len(BLOCK) + 1
    text = BLOCK * copies
    one = framed(BLOCK, block_notes(0))
    assert [t["text"] for t in one["loaded_terms"]] == ["strongman", "autocrat"]
    assert [(t["text"], t["reason"], t["speaker"]) for t in one["reported_terms"]] == [
        ("sham", "attributed", None),
        ("regime", "quoted", "oona-prell"),
        ("blockade", "attributed", None),
    ]
    assert one["hedges"] and one["scare_quotes"]

    result = framed(text, repeated_notes(copies))
    assert len(text) >= MAX_ARTICLE
    for key in ("loaded_terms", "hedges", "scare_quotes", "reported_terms"):
        expected = [found for c in range(copies) for found in shifted(one[key], c * len(BLOCK))]
        assert result[key] == expected, key
    # Tone is a density: that of ten blocks (one block counts as 100 words).
    assert result["tone"] == pytest.approx(framed(BLOCK * 10, repeated_notes(10))["tone"], abs=1e-4)

    starts = sentence_starts(text)
    assert starts == sorted(starts)
    assert sorted(set(starts)) == [
        start + c * len(BLOCK) for c in range(copies) for start in sentence_starts(BLOCK)
    ]


@pytest.mark.parametrize(
    ("head", "filler", "tail", "second", "framed_too"),
    [
        ("The regime fell", ".", " and then. Then the thug spoke.", "then", True),
        ("The regime fell", "!?", " and then. Then the thug spoke.", "then", True),
        ("The regime fell.", " ", "Then the thug spoke.", "then", True),
        ("The regime fell.", "\n ", "Then the thug spoke.", "then", True),
        ("The regime fell. ", '""', " Then the thug spoke", "filler", False),
        ("The regime fell", " and the talks went on", " then the thug spoke", None, False),
    ],
    ids=["dots", "marks", "spaces", "line-breaks", "quotes", "no-sentence-end"],
)
def test_framing_sentence_splitter_is_linear_on_long_runs(
    head: str, filler: str, tail: str, second: str | None, framed_too: bool
) -> None:
    """5 MiB of dots, marks, spaces, quotes or words without a sentence end: one pass. A
    run of dots that ends no sentence was matched again from each of its dots, and the
    spaces after a line break read again for each line break among them. ``second``: where
    the second sentence starts, at "Then", at the run of quotation marks after "fell."
    (a sentence may open with a quotation mark), or nowhere."""
    text = head + filler * (MAX_ARTICLE // len(filler)) + tail
    then = text.rindex("hen the thug") - 1
    expected = {"then": {0, then}, "filler": {0, len(head)}, None: {0}}[second]
    assert set(sentence_starts(text)) == expected
    if framed_too:
        found = framed(text)["loaded_terms"]
        assert [(t["text"], t["span"]) for t in found] == [
            ("regime", [4, 10]),
            ("thug", [then + 9, then + 13]),
        ]


def test_framing_rules_are_linear_in_one_long_sentence() -> None:
    """1 MiB without a sentence end, a scare quote, loaded terms and a mention every 40
    characters: the lead of each quotation and the mentions near each term are read where
    they are, not from the start of the sentence or the first mention."""
    unit = "the “sham” vote of the regime and Marr "
    copies = (1 << 20) // len(unit) + 1
    text = unit * copies
    marr = unit.index("Marr")
    notes = {
        **NO_NOTES,
        "mentions": [
            {"span": [c * len(unit) + marr, c * len(unit) + marr + 4], "actor": "helena-marr"}
            for c in range(copies)
        ],
    }
    result = framed(text, notes)
    assert sentence_starts(text) == [0]
    sham, regime = unit.index("sham"), unit.index("regime")
    assert [(t["span"][0], t["target"]) for t in result["loaded_terms"]] == [
        (c * len(unit) + start, "helena-marr") for c in range(copies) for start in (sham, regime)
    ]
    assert [s["span"][0] for s in result["scare_quotes"]] == [
        c * len(unit) + sham for c in range(copies)
    ]


# --- the example corpus ----------------------------------------------------------------------

FRAMED_KEYS = [item["article"] for item in TRUTH["framing"]]
NEUTRAL_KEYS = [a["key"] for a in TRUTH["articles"] if str(a.get("stance")).startswith("neutral")]
PLAIN_KEYS = [a["key"] for a in TRUTH["articles"] if a.get("story") != "A"]
LOADED_RECALL_FLOOR = 0.92
"""12 of the 13 planted loaded terms; the 13th ("the language of peace") is inside the
Foreign Minister's quotation, so it is the speaker's word and listed in ``reported_terms``."""
MAX_LOADED_IN_PLAIN_REPORTS = 1
"""Measured: 0 over the 12 articles of stories B-D (strike and earthquakes); one allowed."""


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The example corpus ingested and annotated once; each article framed, by truth key."""
    db = tmp_path_factory.mktemp("framing") / "examples.db"
    with Store.open(db) as store:
        ingest([EXAMPLES / "corpus"], store, IngestOptions(manifest=EXAMPLES / "manifest.csv"))
        annotate_store(store)
        articles = list(store.articles())
    by_place = {(Path(a.source).name, a.extra.get("record")): a for a in articles}
    framed_articles = {}
    for truth in TRUTH["articles"]:
        article = by_place[(Path(truth["file"]).name, truth["record"])]
        result = frame_article(article.text, article.annotations)
        framed_articles[truth["key"]] = {"text": article.text, **result}
    return framed_articles


def found_in(article: dict[str, Any], kind: str, wanted: str) -> bool:
    """A truth item is found when a found item of its kind overlaps its text."""
    start = article["text"].index(wanted)
    end = start + len(wanted)
    return any(f["span"][0] < end and start < f["span"][1] for f in article[kind])


def truth_items(kind: str) -> list[tuple[str, str]]:
    return [(t["article"], wanted) for t in TRUTH["framing"] for wanted in t[kind]]


def test_framing_examples_every_span_round_trips(examples: dict[str, dict[str, Any]]) -> None:
    for article in examples.values():
        check_round_trip(article["text"], article)


def test_framing_examples_loaded_term_recall(examples: dict[str, dict[str, Any]]) -> None:
    wanted = truth_items("loaded_terms")
    missed = [(k, w) for k, w in wanted if not found_in(examples[k], "loaded_terms", w)]
    assert 1 - len(missed) / len(wanted) >= LOADED_RECALL_FLOOR, missed
    assert all(found_in(examples[k], "reported_terms", w) for k, w in missed), missed


@pytest.mark.parametrize(("key", "wanted"), truth_items("hedges"))
def test_framing_examples_hedges_are_found(
    examples: dict[str, dict[str, Any]], key: str, wanted: str
) -> None:
    assert found_in(examples[key], "hedges", wanted), examples[key]["hedges"]


@pytest.mark.parametrize(("key", "wanted"), truth_items("scare_quotes"))
def test_framing_examples_scare_quotes_are_found(
    examples: dict[str, dict[str, Any]], key: str, wanted: str
) -> None:
    assert found_in(examples[key], "scare_quotes", wanted), examples[key]["scare_quotes"]


def test_framing_examples_targets_of_the_hostile_epithets(
    examples: dict[str, dict[str, Any]],
) -> None:
    sentinel = examples["sentinel-letter"]["loaded_terms"]
    epithets = {t["text"]: t["target"] for t in sentinel if t["text"] in ("strongman", "autocrat")}
    assert epithets == {"strongman": "tomas-ruvalle", "autocrat": "tomas-ruvalle"}


@pytest.mark.parametrize("key", NEUTRAL_KEYS)
def test_framing_examples_neutral_reports_have_no_loaded_terms(
    examples: dict[str, dict[str, Any]], key: str
) -> None:
    assert examples[key]["loaded_terms"] == []
    assert examples[key]["tone"] == 0.0


def test_framing_examples_plain_reports_have_almost_no_loaded_terms(
    examples: dict[str, dict[str, Any]],
) -> None:
    found = [(k, t["text"]) for k in PLAIN_KEYS for t in examples[k]["loaded_terms"]]
    assert len(found) <= MAX_LOADED_IN_PLAIN_REPORTS, found


def test_framing_examples_tone_orders_the_framed_reports(
    examples: dict[str, dict[str, Any]],
) -> None:
    tone = {key: examples[key]["tone"] for key in FRAMED_KEYS}
    assert tone["sentinel-letter"] < tone["kestrel-letter"] < 0
    assert tone["sentinel-letter"] < tone["courier-letter"] < 0
    assert tone["meridian-letter"] == tone["ashford-letter"] == 0.0
