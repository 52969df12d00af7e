"""The annotation stage end to end: stored with its version, spans that round-trip, failures
isolated, long texts, re-annotation, crash safety."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from parallax.annotate import annotator, nlp
from parallax.model import ANNOTATION_KEYS
from parallax.pipeline import IngestOptions, annotate_store, ingest
from parallax.store import Store

from .conftest import EXAMPLES, MADURO, Cli, article_text, write

SPAN_KEYS = ("span", "speaker_span", "cue_span")


def check_spans(text: str, annotations: dict[str, list[Any]]) -> int:
    """Every span is inside the text; items with a text field hold exactly that slice."""
    checked = 0
    for key in ANNOTATION_KEYS:
        for item in annotations[key]:
            for span_key in SPAN_KEYS:
                span = item.get(span_key)
                if span is None:
                    continue
                start, end = span
                assert 0 <= start < end <= len(text), (key, item)
                checked += 1
            if "span" in item and "text" in item:
                assert text[item["span"][0] : item["span"][1]] == item["text"], (key, item)
    return checked


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """The example corpus and, when present, the two real articles, ingested and annotated."""
    db = tmp_path_factory.mktemp("annotated") / "a.db"
    with Store.open(db) as store:
        ingest([EXAMPLES / "corpus"], store, IngestOptions(manifest=EXAMPLES / "manifest.csv"))
        if MADURO.is_dir():
            ingest([MADURO], store)
        annotate_store(store)
        return list(store.articles())


def test_annotate_every_span_round_trips(annotated: list[Any]) -> None:
    assert all(article.annotator == annotator.version() for article in annotated)
    total = sum(check_spans(article.text, article.annotations) for article in annotated)
    assert total > 1000


def test_annotate_every_article_has_each_kind_of_item(annotated: list[Any]) -> None:
    for key in ("actors", "mentions", "quotes", "dates", "quantities", "events"):
        assert sum(bool(a.annotations[key]) for a in annotated) >= len(annotated) - 2, key


def test_annotate_mentions_point_at_known_actors(annotated: list[Any]) -> None:
    for article in annotated:
        ids = {actor["id"] for actor in article.annotations["actors"]}
        for key in ("mentions", "labels"):
            assert {item["actor"] for item in article.annotations[key]} <= ids
        speakers = {q["speaker"] for q in article.annotations["quotes"]} - {None}
        assert speakers <= ids


def test_annotate_long_texts_are_parsed_in_pieces_with_spans_shifted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paragraph = "Maduro said on Sunday that seven warships had arrived in Caracas."
    text = "\n\n".join([paragraph] * 12)
    monkeypatch.setattr(nlp, "CHUNK_CHARS", 200)
    (result,) = annotator.annotate([annotator.Job(text, "2025-09-22")])
    check_spans(text, result)
    starts = sorted(d["span"][0] for d in result["dates"])
    assert len(starts) == 12 and starts[-1] > 200 * 3
    assert {d["value"] for d in result["dates"]} == {"2025-09-21"}


def test_annotate_one_failing_article_is_quarantined_the_others_annotated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "a.txt", "Maduro wrote a letter to Trump on Sunday.")
    write(tmp_path / "b.txt", "POISON. The committee met in Ostra on Monday.")
    real = annotator.extract_quantities

    def fragile(doc: Any) -> Any:
        if "POISON" in doc.text:
            raise RuntimeError("component bug")
        return real(doc)

    monkeypatch.setattr(annotator, "extract_quantities", fragile)
    with Store.open(tmp_path / "s.db") as store:
        ingest([tmp_path], store)
        assert annotate_store(store) == 2
        articles = {Path(a.source).name: a for a in store.articles()}
        quarantined = store.quarantined()
    assert articles["a.txt"].annotations["actors"]
    assert articles["b.txt"].annotations["actors"] == []
    assert [(q.code, q.source) for q in quarantined] == [
        ("E051", f"article:{articles['b.txt'].id}")
    ]


def _fail_on_poison(monkeypatch: pytest.MonkeyPatch) -> None:
    """Annotation raises on any text containing POISON (a component bug on one article)."""
    real = annotator.extract_quantities

    def fragile(doc: Any) -> Any:
        if "POISON" in doc.text:
            raise RuntimeError("component bug on POISON")
        return real(doc)

    monkeypatch.setattr(annotator, "extract_quantities", fragile)


def _annotation_state(db: Path, name: str) -> tuple[str | None, str | None, str | None]:
    """(annotator, annotation_error, annotations) of the article read from file ``name``."""
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT annotator, annotation_error, annotations FROM articles WHERE source LIKE ?",
            (f"%{name}",),
        ).fetchone()
    return row[0], row[1], row[2]


def test_annotate_failed_article_is_retried_and_keeps_its_error_until_it_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: a failed article was stored with the current annotator version, so no
    later run retried it, and the exception text was dropped."""
    write(tmp_path / "in" / "a.txt", "Maduro wrote a letter to Trump on Sunday.")
    write(tmp_path / "in" / "b.txt", "POISON. The committee met in Ostra on Monday.")
    db = tmp_path / "s.db"
    _fail_on_poison(monkeypatch)
    with Store.open(db) as store:
        ingest([tmp_path / "in"], store)
        annotate_store(store)
        assert store.count_unannotated(None) == 1
        assert store.count_unannotated(annotator.version()) == 1
        (entry,) = store.quarantined()
        b_id = next(a.id for a in store.articles() if a.source.endswith("b.txt"))
    assert _annotation_state(db, "b.txt") == (None, "RuntimeError: component bug on POISON", None)
    assert (entry.code, entry.source) == ("E051", f"article:{b_id}")
    assert "RuntimeError: component bug on POISON" in entry.reason

    with Store.open(db) as store:  # a plain rerun tries it again (and only it)
        assert annotate_store(store) == 1
        (entry,) = store.quarantined()
    assert entry.attempts == 2
    assert _annotation_state(db, "b.txt")[:2] == (None, "RuntimeError: component bug on POISON")

    monkeypatch.undo()  # the bug is fixed: the next run annotates it
    with Store.open(db) as store:
        assert annotate_store(store) == 1
        assert store.count_unannotated(None) == 0
        assert store.quarantined() == []
        b = next(a for a in store.articles() if a.source.endswith("b.txt"))
    assert b.annotator == annotator.version()
    assert b.annotations["actors"]
    assert _annotation_state(db, "b.txt")[1] is None


def test_annotate_failed_article_is_pending_in_report_and_retried_by_annotate_all(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: ``report`` did not count a failed article as pending, and ``annotate
    --all`` (which the E051 hint names) never retried it."""
    write(tmp_path / "a.txt", "Maduro wrote a letter to Trump on Sunday.")
    write(tmp_path / "b.txt", "POISON. The committee met in Ostra on Monday.")
    _fail_on_poison(monkeypatch)
    assert cli("ingest", str(tmp_path)).exit_code == 0
    report = cli("report")
    assert "1 article(s) are not annotated yet" in report.stderr
    assert "annotated 1 article(s)" in cli("annotate", "--all").stdout
    (entry,) = cli.json("quarantine")
    assert "RuntimeError: component bug on POISON" in entry["reason"]

    monkeypatch.undo()
    assert "annotated 1 article(s)" in cli("annotate", "--all").stdout
    assert "not annotated yet" not in cli("report").stderr
    assert cli.json("quarantine") == []
    assert _annotation_state(cli.db, "b.txt")[:2] == (annotator.version(), None)


def test_annotate_reruns_only_for_another_version(tmp_path: Path, cli: Cli) -> None:
    write(tmp_path / "a.txt", "Maduro wrote a letter to Trump on Sunday.")
    assert cli("ingest", str(tmp_path / "a.txt")).exit_code == 0
    assert "annotated 0 article(s)" in cli("annotate").stdout
    assert "annotated 0 article(s)" in cli("annotate", "--all").stdout
    with sqlite3.connect(cli.db) as conn:
        conn.execute("UPDATE articles SET annotator = '0+old'")
    assert "annotated 1 article(s)" in cli("annotate", "--all").stdout
    (row,) = cli.json("articles")
    record = cli.json("article", row["id"])
    assert record["annotator"] == annotator.version()
    assert record["annotations"]["dates"][0]["text"] == "Sunday"


def test_annotate_no_annotate_leaves_articles_for_later(tmp_path: Path, cli: Cli) -> None:
    write(tmp_path / "a.txt", "Maduro wrote a letter to Trump on Sunday.")
    assert cli("ingest", str(tmp_path / "a.txt"), "--no-annotate").exit_code == 0
    (row,) = cli.json("articles")
    assert cli.json("article", row["id"])["annotator"] is None
    assert "annotated 1 article(s)" in cli("annotate").stdout


@pytest.mark.slow
def test_annotate_kill_9_then_rerun_annotates_every_article(tmp_path: Path) -> None:
    count = 240
    lines = [json.dumps({"outlet": "O", "text": article_text(250, f"k{i}")}) for i in range(count)]
    write(tmp_path / "in.jsonl", "\n".join(lines))
    db = tmp_path / "k.db"
    with Store.open(db) as store:
        ingest([tmp_path / "in.jsonl"], store)
    command = [sys.executable, "-m", "parallax", "annotate", "--db", str(db)]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ)
    )
    deadline = time.monotonic() + 120
    while annotated_count(db) < 64 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < annotated_count(db) < count
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0
    with Store.open_readonly(db) as store:
        articles = list(store.articles())
    assert len(articles) == count
    assert all(a.annotator == annotator.version() for a in articles)
    for article in articles:
        check_spans(article.text, article.annotations)


def annotated_count(db: Path) -> int:
    with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5) as conn:
        row = conn.execute("SELECT count(*) FROM articles WHERE annotator IS NOT NULL")
        return int(row.fetchone()[0])
