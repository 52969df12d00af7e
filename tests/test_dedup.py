"""Identity, idempotent ingest, near-duplicates and wire copies."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.ingest.dedup import article_id, normalise_text, signature, similarity
from parallax.pipeline import ingest
from parallax.store import Store

from .conftest import article_text, write

BODY = article_text(300, "harbour")


def record(outlet: str, text: str, url: str | None = None) -> str:
    return json.dumps({"outlet": outlet, "text": text, "url": url})


def edited(text: str) -> str:
    """A light edit: one sentence changed, one added, as outlets do with wire copy."""
    sentences = text.split(". ")
    sentences[3] = "The mayor declined to comment on the plan"
    return ". ".join(sentences) + " This article first appeared on Meridian Wire."


def test_dedup_same_input_twice_is_stored_once(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", record("Courier", BODY) + "\n" + record("Courier", BODY))
    with Store.open(tmp_path / "s.db") as store:
        first = ingest([path], store)
        second = ingest([path], store)
        assert store.count_articles() == 1
    assert (first.ingested, first.already_stored) == (1, 1)
    assert (second.ingested, second.already_stored) == (0, 2)


def test_dedup_same_text_from_two_outlets_is_two_articles_the_second_a_wire_copy(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path / "a.jsonl", record("Meridian Wire", BODY) + "\n" + record("Courier", BODY)
    )
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([path], store)
        origin, copy = store.articles()
    assert summary.wire_copies == 1
    assert origin.id != copy.id
    assert origin.wire_of is None and copy.wire_of == origin.id
    assert copy.duplicate_of is None


def test_dedup_near_duplicate_same_outlet(tmp_path: Path) -> None:
    lines = [
        record("Courier", BODY, "https://courier.example/a"),
        record("Courier", edited(BODY), "https://courier.example/a-updated"),
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(lines))
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([path], store)
        origin, copy = store.articles()
    assert summary.duplicates == 1 and summary.wire_copies == 0
    assert copy.duplicate_of == origin.id


def test_dedup_edited_wire_copy_points_at_the_first_source(tmp_path: Path) -> None:
    lines = [
        record("Meridian Wire", BODY),
        record("Courier", edited(BODY)),
        record("Lantern", edited(BODY) + " Additional reporting by the Lantern desk."),
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(lines))
    with Store.open(tmp_path / "s.db") as store:
        ingest([path], store)
        origin, copy1, copy2 = store.articles()
    assert copy1.wire_of == origin.id
    assert copy2.wire_of == origin.id


def test_dedup_different_articles_on_one_story_are_not_copies(tmp_path: Path) -> None:
    lines = [record("Courier", BODY), record("Lantern", article_text(300, "harbor-strike"))]
    path = write(tmp_path / "a.jsonl", "\n".join(lines))
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([path], store)
    assert (summary.ingested, summary.duplicates, summary.wire_copies) == (2, 0, 0)


def test_dedup_copies_are_found_across_runs(tmp_path: Path) -> None:
    write(tmp_path / "one" / "a.jsonl", record("Meridian Wire", BODY))
    write(tmp_path / "two" / "b.jsonl", record("Courier", edited(BODY)))
    with Store.open(tmp_path / "s.db") as store:
        ingest([tmp_path / "one"], store)
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([tmp_path / "two"], store)
    assert summary.wire_copies == 1


def test_dedup_url_identity_ignores_tracking_and_fragments() -> None:
    assert article_id("https://a.example/x?utm_source=t#c", None, "one") == article_id(
        "https://a.example/x", "Other", "two"
    )


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=300), st.sampled_from([" ", "  ", "\n", "\t "]))
def test_dedup_id_is_stable_under_whitespace_and_case(text: str, space: str) -> None:
    respaced = space.join(text.split()).upper()
    if normalise_text(respaced) == normalise_text(text):
        assert article_id(None, "Outlet", text) == article_id(None, "outlet", respaced)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from("abcdefghij"), min_size=20, max_size=200).map(" ".join))
def test_dedup_signature_of_identical_texts_is_identical(text: str) -> None:
    assert similarity(signature(text, 120), signature(text + " ", 120)) == 1.0


def test_dedup_origin_is_the_earliest_published_whatever_the_reading_order(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {"outlet": "Courier", "text": edited(BODY), "published_at": "2026-10-05T14:20:00+01:00"}
        ),
        json.dumps(
            {
                "outlet": "Courier",
                "text": edited(BODY) + " Updated.",
                "published_at": "2026-10-05T15:00:00+01:00",
            }
        ),
        json.dumps(
            {"outlet": "Meridian Wire", "text": BODY, "published_at": "2026-10-05T10:00:00"}
        ),
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(lines))
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([path], store)
        copy, update, origin = store.articles()
    assert origin.wire_of is None and origin.duplicate_of is None
    assert copy.wire_of == origin.id and copy.duplicate_of is None
    assert update.wire_of == origin.id  # the family follows its new origin
    assert summary.wire_copies == 2


def test_dedup_outlet_names_compare_without_case_also_beyond_ascii(tmp_path: Path) -> None:
    lines = [
        json.dumps({"outlet": "ÉL PAÍS", "text": edited(BODY), "published_at": "2026-10-05T12:00"}),
        json.dumps({"outlet": "él país", "text": BODY, "published_at": "2026-10-05T10:00"}),
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(lines))
    with Store.open(tmp_path / "s.db") as store:
        ingest([path], store)
        later, origin = store.articles()
    assert later.duplicate_of == origin.id and later.wire_of is None
