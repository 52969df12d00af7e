"""The example corpus against its truth file: metadata, wire copies, furniture, evidence texts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parallax.pipeline import IngestOptions, ingest
from parallax.store import Store

from .conftest import EXAMPLES

TRUTH = json.loads((EXAMPLES / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The corpus ingested once; articles keyed by the truth file's article keys."""
    db = tmp_path_factory.mktemp("examples") / "examples.db"
    with Store.open(db) as store:
        summary = ingest(
            [EXAMPLES / "corpus"], store, IngestOptions(manifest=EXAMPLES / "manifest.csv")
        )
        articles = list(store.articles())
    by_place = {(Path(a.source).name, a.extra.get("record")): a for a in articles}
    keyed = {t["key"]: by_place[(Path(t["file"]).name, t["record"])] for t in TRUTH["articles"]}
    return {"summary": summary, "articles": keyed, "all": articles}


def truth_articles() -> list[dict[str, Any]]:
    return list(TRUTH["articles"])


def test_examples_every_article_is_stored_once_and_nothing_quarantined(
    stored: dict[str, Any],
) -> None:
    assert stored["summary"].quarantined == 0
    assert len(stored["all"]) == len(TRUTH["articles"])
    assert len({a.id for a in stored["all"]}) == len(stored["all"])


@pytest.mark.parametrize("truth", truth_articles(), ids=lambda t: t["key"])
def test_examples_metadata_matches_truth(stored: dict[str, Any], truth: dict[str, Any]) -> None:
    article = stored["articles"][truth["key"]]
    assert article.outlet in (truth["outlet"], truth["domain"])
    assert article.published_at == truth["published_at"]
    assert article.title == truth["title"]
    assert article.url == truth["url"]
    if truth.get("authors"):
        assert article.author == ", ".join(truth["authors"])
    elif truth.get("author"):
        assert article.author == truth["author"]


@pytest.mark.parametrize("truth", truth_articles(), ids=lambda t: t["key"])
def test_examples_copies_match_truth(stored: dict[str, Any], truth: dict[str, Any]) -> None:
    article = stored["articles"][truth["key"]]
    origin = truth.get("wire_of")
    expected = stored["articles"][origin].id if origin else None
    assert article.wire_of == expected
    assert article.duplicate_of is None


@pytest.mark.parametrize("truth", truth_articles(), ids=lambda t: t["key"])
def test_examples_furniture_is_not_in_the_text(
    stored: dict[str, Any], truth: dict[str, Any]
) -> None:
    text = stored["articles"][truth["key"]].text
    for furniture in truth.get("not_in_text", []):
        assert furniture not in text


def evidence() -> list[tuple[str, str]]:
    pairs = []
    for section in ("facts", "conflicts", "compatible_values"):
        for item in TRUTH[section]:
            for piece in item.get("evidence", []) + item.get("values", []):
                pairs.append((piece["article"], piece["text"]))
    pairs += [(q["article"], q["text"]) for q in TRUTH["quotes"]]
    pairs += [(d["article"], d["text"]) for d in TRUTH["dates"]]
    return pairs


def test_examples_every_truth_text_is_in_the_stored_text(stored: dict[str, Any]) -> None:
    missing = [(key, text) for key, text in evidence() if text not in stored["articles"][key].text]
    assert missing == []
