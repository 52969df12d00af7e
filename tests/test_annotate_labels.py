"""Labels: each rule on small sentences, what must not be a label, and the real
articles' labels from the truth file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.annotate.actors import extract_actors
from parallax.annotate.labels import extract_labels
from parallax.annotate.nlp import load_nlp
from parallax.model import ActorItem, LabelItem

TRUTH = Path(__file__).resolve().parent / "truth" / "maduro_actors.json"


def labels_of(text: str) -> tuple[list[ActorItem], list[LabelItem]]:
    doc = load_nlp()(text)
    actors, mentions = extract_actors(doc)
    return actors, extract_labels(doc, actors, mentions)


def pairs(text: str) -> set[tuple[str, str]]:
    return {(x["actor"], x["text"]) for x in labels_of(text)[1]}


@pytest.mark.parametrize(
    ("text", "actor", "label"),
    [
        # titles and premodifiers
        (
            "Venezuelan President Nicolas Maduro wrote a letter to Donald Trump.",
            "nicolas-maduro",
            "Venezuelan President",
        ),
        ("Venezuela's ruler Nicolas Maduro offered talks.", "nicolas-maduro", "Venezuela's ruler"),
        ("Belarusian dictator Lukashenko praised the letter.", "lukashenko", "Belarusian dictator"),
        (
            "The letter was delivered through U.S. special envoy Richard Grenell.",
            "richard-grenell",
            "U.S. special envoy",
        ),
        (
            "Vice President Delcy Rodríguez revealed the letter.",
            "delcy-rodriguez",
            "Vice President",
        ),
        (
            "Fisheries Minister Juan Carlos Loyo announced six rallies.",
            "juan-carlos-loyo",
            "Fisheries Minister",
        ),
        (
            "The video was shared by Latin American journalist Emmanuel Rincón on Sunday.",
            "emmanuel-rincon",
            "Latin American journalist",
        ),
        (
            "U.S. Secretary of State Marco Rubio met the press.",
            "marco-rubio",
            "U.S. Secretary of State",
        ),
        (
            "President Donald Trump threatened Venezuela.",
            "donald-trump",
            "President",
        ),
        (
            "Jonah Feldt and his sister Anna Feldt were freed.",
            "anna-feldt",
            "his sister",
        ),
        # appositions
        (
            "Maduro, the Venezuelan leader, offered talks to Washington.",
            "maduro",
            "the Venezuelan leader",
        ),
        (
            "The Venezuelan leader, Nicolás Maduro, offered talks.",
            "nicolas-maduro",
            "The Venezuelan leader",
        ),
        (
            "Oona Prell, a senior fellow at the Institute for Caldera Studies, said the "
            "talks were fragile.",
            "oona-prell",
            "a senior fellow at the Institute for Caldera Studies",
        ),
        (
            "Venezuelan President Nicolás Maduro met Donald Trump, its intended recipient, "
            "in Caracas.",
            "donald-trump",
            "its intended recipient",
        ),
        # nominal predicate
        (
            "Christian K. Caruzo is a Venezuelan writer and documents life under socialism.",
            "christian-k-caruzo",
            "a Venezuelan writer",
        ),
        # government phrases
        (
            "On Saturday, the Maduro regime deployed tanks in Caracas.",
            "maduro",
            "the Maduro regime",
        ),
        ("He said the Red Current gang smuggled weapons.", "red-current", "the Red Current gang"),
        # definite descriptions that refer back
        (
            "Venezuelan President Nicolás Maduro wrote to Donald Trump. The Venezuelan "
            "president said the talks would help.",
            "nicolas-maduro",
            "The Venezuelan president",
        ),
        (
            "Venezuelan President Nicolás Maduro wrote to Donald Trump. The US president said no.",
            "donald-trump",
            "The US president",
        ),
    ],
)
def test_label_rules(text: str, actor: str, label: str) -> None:
    found = pairs(text)
    assert (actor, label) in found, found


@pytest.mark.parametrize(
    ("text", "not_wanted"),
    [
        ("In his letter, Maduro said he was ready.", None),
        ("After meeting the minister, Maduro said he was ready.", None),
        # the envoy is not Feldt: nobody in an earlier sentence fits
        ("Jonah Feldt and his sister Anna Feldt were freed. Feldt thanked the envoy.", "the envoy"),
        # "the US president" is not the Venezuelan president
        (
            "Venezuelan President Nicolás Maduro spoke. The US president said no.",
            "The US president",
        ),
        ("Trump met Maduro, a strategy that has failed before.", None),
    ],
)
def test_not_labels(text: str, not_wanted: str | None) -> None:
    actors, labels = labels_of(text)
    persons = {a["id"] for a in actors if a["kind"] == "person"}
    texts = [x["text"] for x in labels if x["actor"] in persons]
    if not_wanted is None:
        assert texts == []
    else:
        assert not_wanted not in texts


def _articles() -> list[str]:
    return sorted(json.loads(TRUTH.read_text(encoding="utf-8"))["articles"])


ISSUE_LABELS = {
    "000_ea71f3918ac95882.txt": {
        "nicolas-maduro": {"Venezuela's ruler", "Venezuelan President", "The president"},
        "richard-grenell": {"U.S. special envoy"},
        "lukashenko": {"Belarusian dictator"},
    },
    "003_ad23dd94d5af61bf.txt": {
        "nicolas-maduro": {"Socialist dictator of Venezuela", "The Venezuelan dictator"},
        "richard-grenell": {"Special Presidential Envoy for Special Missions", "Special Envoy"},
        "delcy-rodriguez": {"Vice President"},
    },
}


@pytest.mark.parametrize("name", sorted(ISSUE_LABELS))
def test_the_labels_the_issue_names_are_found(maduro: Path, name: str) -> None:
    _, labels = labels_of((maduro / name).read_text(encoding="utf-8"))
    for actor, wanted in ISSUE_LABELS[name].items():
        found = {x["text"] for x in labels if x["actor"] == actor}
        assert wanted <= found, (actor, found)


@pytest.mark.parametrize("name", _articles())
def test_labels_are_descriptors_without_the_name(maduro: Path, name: str) -> None:
    """Only government phrases ("the Maduro regime") carry the name."""
    actors, labels = labels_of((maduro / name).read_text(encoding="utf-8"))
    aliases = {a["id"]: a["aliases"] for a in actors}
    for label in labels:
        if label["text"].split()[-1].lower() in ("regime", "gang", "administration"):
            continue
        assert not any(alias in label["text"] for alias in aliases[label["actor"]]), label
