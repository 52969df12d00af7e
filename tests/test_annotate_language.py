"""Language: the English annotators read English (or unknown) text only, and say why not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.annotate.language import language_of
from parallax.pipeline import annotate_store, cluster_store, ingest
from parallax.store import Store, StoryStore
from tests.conftest import write

SPANISH = (
    "El presidente venezolano Nicolás Maduro envió una carta al presidente Donald Trump el "
    "6 de septiembre, cuatro días después del primer ataque de Estados Unidos contra una "
    "lancha en el Caribe. En la carta, Maduro propuso un diálogo directo a través del enviado "
    "especial Richard Grenell y negó que Venezuela tenga un papel en el narcotráfico. Según "
    "el gobierno, solo el 5 por ciento de las drogas de Colombia pasa por Venezuela."
)
SPANISH_TOO = (
    "Nicolás Maduro escribió a Donald Trump el 6 de septiembre para ofrecer un diálogo "
    "directo por medio de Richard Grenell, según la carta publicada por el gobierno de "
    "Venezuela. El mandatario rechazó las acusaciones de Washington sobre el narcotráfico y "
    "afirmó que el 5 por ciento de la droga colombiana cruza el territorio venezolano, "
    "mientras siete buques de guerra siguen en el Caribe."
)
ENGLISH = (
    "Venezuelan President Nicolas Maduro wrote a letter to President Donald Trump on "
    "September 6, four days after the first U.S. strike on a boat in the Caribbean. In the "
    "letter, Maduro proposed a direct dialogue through special envoy Richard Grenell and "
    "denied that Venezuela plays any role in drug trafficking."
)


@pytest.mark.parametrize(
    ("text", "stated", "code", "annotate"),
    [
        (SPANISH, None, "es", False),
        (ENGLISH, None, "en", True),
        ("Maduro wrote to Trump.", None, None, True),
        (ENGLISH, "es", "es", False),
        (SPANISH, "en-GB", "en", True),
        (SPANISH, "EN_us", "en", True),
    ],
)
def test_annotate_language_decides_who_reads_the_text(
    text: str, stated: str | None, code: str | None, annotate: bool
) -> None:
    found = language_of(text, stated)
    assert (found.code, found.annotate) == (code, annotate)
    assert (found.reason is None) == annotate


def test_annotate_language_non_english_is_stored_clustered_and_not_annotated(
    tmp_path: Path, store: Store
) -> None:
    records = [
        {"outlet": "El Diario", "title": "Maduro escribe a Trump", "text": SPANISH,
         "published_at": "2025-09-21"},
        {"outlet": "La Prensa", "title": "Maduro ofrece diálogo", "text": SPANISH_TOO,
         "published_at": "2025-09-21"},
        {"outlet": "Wire", "title": "Maduro writes to Trump", "text": ENGLISH,
         "published_at": "2025-09-21", "language": "en"},
    ]  # fmt: skip
    path = write(tmp_path / "mixed.jsonl", "\n".join(json.dumps(r) for r in records))
    summary = ingest([path], store)
    assert summary.ingested == 3
    assert annotate_store(store) == 3
    by_outlet = {a.outlet: a for a in store.articles()}
    for outlet in ("El Diario", "La Prensa"):
        annotations = by_outlet[outlet].annotations
        assert annotations["language"]["code"] == "es"
        assert annotations["language"]["annotated"] is False
        assert "annotators read English only" in (annotations.get("skipped") or "")
        assert annotations["actors"] == [] and annotations["quotes"] == []
        assert by_outlet[outlet].to_json()["language"] == "es", "the contract shows it"
    english = by_outlet["Wire"].annotations
    assert english["language"] == {
        "code": "en", "source": "input", "confidence": None, "annotated": True,
    }  # fmt: skip
    assert english["actors"], "the English article is annotated"
    cluster_store(store)
    stories = StoryStore(store)
    spanish = {stories.story_of(by_outlet[o].id) for o in ("El Diario", "La Prensa")}
    assert len(spanish) == 1, "the Spanish articles meet by their names and numbers"
