"""The table-driven attribute ruler and lemmatizer give spaCy's own output, token by token."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from parallax.annotate import rules
from parallax.annotate.nlp import load_nlp, stock_nlp
from parallax.annotate.rules import TabledAttributeRuler, TabledLemmatizer, speed_up

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "corpus"
HARD = [
    "I ai n't going, we 're gon na win, let 's go: I got ta say it ain't so, gonna, gotta.",
    "",
    " ",
    "\n\n\t",
    "He said: \"No.\"  — and   then\n\nleft. U.S. officials' 3.5% rise, O'Neill's.",
    "Running ran runs; better best good; mice geese children; was were been being.",
]


def texts() -> list[str]:
    found = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    return found + HARD


def token_attrs(nlp: Language, batch: list[str]) -> list[list[tuple[object, ...]]]:
    return [
        [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.norm_, t.dep_) for t in doc]
        for doc in nlp.pipe(batch)
    ]


@pytest.fixture(scope="module")
def plain() -> Language:
    return stock_nlp()


def test_the_loaded_pipeline_is_table_driven() -> None:
    kinds = {type(component) for _, component in load_nlp().pipeline}
    assert {TabledAttributeRuler, TabledLemmatizer} <= kinds


def test_same_output_as_spacy_token_by_token(plain: Language) -> None:
    batch = texts()
    assert sum(len(text) for text in batch) > 5_000
    expected = token_attrs(plain, batch)
    tabled = speed_up(stock_nlp())
    assert token_attrs(tabled, batch) == expected
    # a second pass reads the tables filled by the first
    assert token_attrs(tabled, batch) == expected


def test_tables_that_start_again_give_the_same_output(
    plain: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "TABLE_LIMIT", 5)
    batch = texts()
    assert token_attrs(speed_up(stock_nlp()), batch) == token_attrs(plain, batch)


def test_multi_token_exceptions_are_kept(plain: Language) -> None:
    """The ruler's two-token patterns ("gon na", "let 's") are not decided per token."""
    tabled = speed_up(stock_nlp())
    doc = tabled("We 're gon na win, let 's go.")
    assert [t.lemma_ for t in doc if t.text in {"gon", "na", "'s"}] == ["go", "to", "us"]
    assert token_attrs(tabled, [doc.text]) == token_attrs(plain, [doc.text])


def test_a_ruler_with_operators_is_left_as_spacy_made_it() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add([[{"LOWER": "big", "OP": "+"}]], {"LEMMA": "large"})
    speed_up(nlp)
    assert type(nlp.get_pipe("attribute_ruler")) is AttributeRuler
    assert [t.lemma_ for t in nlp("big big dog")] == ["large", "large", ""]


def test_a_ruler_reading_other_attributes_is_left_alone() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add([[{"ORTH": "Big"}]], {"LEMMA": "large"})
    speed_up(nlp)
    assert type(nlp.get_pipe("attribute_ruler")) is AttributeRuler


def test_a_ruler_whose_index_points_past_its_pattern_is_left_alone() -> None:
    """spaCy raises its own error for such a rule when it matches; a table would not."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add([[{"LOWER": "big"}, {"LOWER": "dog"}]], {"LEMMA": "hound"}, index=2)
    speed_up(nlp)
    assert type(nlp.get_pipe("attribute_ruler")) is AttributeRuler
