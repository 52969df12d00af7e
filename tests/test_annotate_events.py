"""Events: who did what to whom, with a category from the documented ontology."""

from __future__ import annotations

from functools import lru_cache

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from parallax.annotate.events import CATEGORIES, extract_events
from parallax.annotate.nlp import load_nlp
from parallax.model import ActorItem, MentionItem

KINDS = {"PERSON": "person", "GPE": "place", "ORG": "org", "NORP": "group"}


@lru_cache(maxsize=1)
def nlp() -> Language:
    return load_nlp()


def mentions_of(doc: Doc) -> tuple[list[ActorItem], list[MentionItem]]:
    """Actors straight from the NER, one per surname: enough to test events alone."""
    actors: dict[str, ActorItem] = {}
    mentions: list[MentionItem] = []
    for ent in doc.ents:
        if ent.label_ not in KINDS:
            continue
        actor_id = ent.text.split()[-1].lower()
        actors.setdefault(
            actor_id,
            {"id": actor_id, "name": ent.text, "kind": KINDS[ent.label_], "aliases": [ent.text]},
        )
        mentions.append(
            {"actor": actor_id, "text": ent.text, "span": [ent.start_char, ent.end_char]}
        )
    return list(actors.values()), mentions


def events(text: str) -> list[tuple[str | None, str, str, str | None]]:
    doc = nlp()(text)
    actors, mentions = mentions_of(doc)
    return [
        (e["actor"], e["action"], e["category"], e["target"])
        for e in extract_events(doc, actors, mentions, [])
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'Donald Trump threatened Venezuela with "countless consequences".',
            ("trump", "threaten", "THREATEN", "venezuela"),
        ),
        ("Venezuela released Joe St. Clair on Friday.", ("venezuela", "release", "YIELD", "clair")),
        ("Joe St. Clair was released by Venezuela.", ("venezuela", "release", "YIELD", "clair")),
        (
            "Maduro accused Washington of plotting a coup.",
            ("maduro", "accuse", "ACCUSE", "washington"),
        ),
        ("Maduro met Grenell in Caracas.", ("maduro", "meet", "CONSULT", "grenell")),
        (
            "Nicolas Maduro arrived. He rejected the claims.",
            ("maduro", "reject", "REJECT", None),
        ),
    ],
)
def test_events_actor_action_category_target(
    text: str, expected: tuple[str, str, str, str | None]
) -> None:
    assert expected in events(text)


def test_events_need_an_actor_or_a_target() -> None:
    assert events("The weather threatened the harvest.") == []


def test_events_carry_the_date_of_their_sentence_and_a_round_trip_span() -> None:
    doc = nlp()("On Sunday, Maduro threatened Trump. Later Trump met Grenell.")
    actors, mentions = mentions_of(doc)
    dates = [
        {
            "text": "Sunday",
            "span": [3, 9],
            "type": "date",
            "value": "2025-09-21",
            "precision": "day",
        }
    ]
    found = extract_events(doc, actors, mentions, dates)  # type: ignore[arg-type]
    assert [e["date"] for e in found] == ["2025-09-21", None]
    for event in found:
        start, end = event["span"]
        assert doc.text[start:end] in ("Maduro threatened Trump", "Trump met Grenell")


def test_events_ontology_lists_each_verb_once() -> None:
    verbs = [verb for group in CATEGORIES.values() for verb in group]
    assert len(verbs) == len(set(verbs))
