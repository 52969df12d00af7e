"""Revisions: a page seen again with another text is the same article, edited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parallax.errors import ParallaxError
from parallax.pipeline import (
    annotate_store,
    article_diff,
    article_document,
    build_report,
    cluster_store,
    count_stale_reports,
    ingest,
    refresh_reports,
)
from parallax.render import render_html
from parallax.store import Store
from tests.conftest import Cli, article_text, write

URL = "https://harbourtimes.example/2026/05/04/council-ferry"
FIRST = (
    "The harbour council voted on Monday to close the north ferry pier for repairs. "
    "The work will cost $4 million and take six weeks, the mayor said. "
) + article_text(60, "rev")
EDITED = FIRST.replace("$4 million and take six weeks", "$6 million and take ten weeks")


def record(text: str, **extra: Any) -> str:
    fields = {"url": URL, "title": "Council closes ferry pier", "outlet": "Harbour Times"}
    return json.dumps({**fields, "text": text, "published_at": "2026-05-04", **extra})


def test_revisions_a_changed_page_is_one_article_with_two_texts(
    tmp_path: Path, store: Store
) -> None:
    first = ingest([write(tmp_path / "a.jsonl", record(FIRST))], store)
    annotate_store(store)
    assert first.ingested == 1
    second = ingest([write(tmp_path / "b.jsonl", record(EDITED))], store)
    assert (second.ingested, second.changed, second.already_stored) == (0, 1, 1)
    [article] = list(store.articles())
    assert article.text == EDITED, "the article holds its latest text"
    assert article.annotator is None, "annotations are redone on the new text"
    document = article_document(store, article.id)
    assert document is not None
    assert [r["text"] for r in document["revisions"]] == [FIRST, EDITED]
    assert [r["number"] for r in document["revisions"]] == [1, 2]
    assert annotate_store(store) == 1
    found = store.article(article.id)
    assert found is not None
    spans = [FIRST[q["span"][0] : q["span"][1]] for q in found.annotations["quantities"]]
    texts = [EDITED[q["span"][0] : q["span"][1]] for q in found.annotations["quantities"]]
    assert texts == [q["text"] for q in found.annotations["quantities"]] != spans


def test_revisions_an_old_text_read_again_adds_nothing(tmp_path: Path, store: Store) -> None:
    ingest([write(tmp_path / "a.jsonl", record(FIRST))], store)
    ingest([write(tmp_path / "b.jsonl", record(EDITED))], store)
    again = ingest([write(tmp_path / "c.jsonl", record(FIRST))], store)
    assert again.changed == 0
    [article] = list(store.articles())
    assert article.text == EDITED and len(store.revisions(article.id)) == 2


def test_revisions_an_older_crawl_is_recorded_but_not_made_current(
    tmp_path: Path, store: Store
) -> None:
    ingest([write(tmp_path / "a.jsonl", record(FIRST, fetched_at="2026-05-04T10:00:00Z"))], store)
    older = FIRST.replace("on Monday", "on Monday night")
    ingest([write(tmp_path / "b.jsonl", record(older, fetched_at="2026-05-04T08:00:00Z"))], store)
    [article] = list(store.articles())
    assert article.text == FIRST, "a text served earlier does not replace a later one"
    assert [r.text for r in store.revisions(article.id)] == [older, FIRST]


def test_revisions_near_duplicate_keys_follow_the_current_text(
    tmp_path: Path, store: Store
) -> None:
    ingest([write(tmp_path / "a.jsonl", record(FIRST))], store)
    ingest([write(tmp_path / "b.jsonl", record(EDITED))], store)
    copy = {"outlet": "Other Paper", "text": EDITED, "url": "https://other.example/x"}
    summary = ingest([write(tmp_path / "copy.jsonl", json.dumps(copy))], store)
    assert summary.wire_copies == 1


def test_revisions_make_the_story_report_stale(tmp_path: Path, store: Store) -> None:
    other = {"outlet": "Other Paper", "url": "https://other.example/y", "text": FIRST.replace(
        "The harbour council", "Harbour councillors") + " Residents were not consulted.",
        "published_at": "2026-05-04"}  # fmt: skip
    ingest([write(tmp_path / "a.jsonl", record(FIRST) + "\n" + json.dumps(other))], store)
    annotate_store(store)
    cluster_store(store)
    refresh_reports(store)
    assert count_stale_reports(store) == 0
    ingest([write(tmp_path / "b.jsonl", record(EDITED))], store)
    annotate_store(store)
    assert count_stale_reports(store) == 1


def test_revisions_diff_shows_the_words_that_changed(tmp_path: Path, cli: Cli) -> None:
    assert cli("ingest", str(write(tmp_path / "a.jsonl", record(FIRST)))).exit_code == 0
    assert cli("ingest", str(write(tmp_path / "b.jsonl", record(EDITED)))).exit_code == 0
    [row] = json.loads(cli("articles", "--format", "json").stdout)
    shown = cli("diff", row["id"])
    assert shown.exit_code == 0
    assert "[-$4-]{+$6+}" in " ".join(shown.stdout.split())
    found = cli.json("diff", row["id"])
    removed = "".join(p["text"] for p in found["diff"] if p["op"] == "removed")
    assert "$4" in removed and "six" in removed
    old = "".join(p["text"] for p in found["diff"] if p["op"] != "added")
    new = "".join(p["text"] for p in found["diff"] if p["op"] != "removed")
    assert (old, new) == (FIRST, EDITED)
    listed = cli("article", row["id"], "--revisions")
    assert listed.exit_code == 0
    rows = [line.split()[0] for line in listed.stdout.splitlines() if line[:1].isdigit()]
    assert rows == ["1", "2"], "one row per revision, oldest first"
    assert len(cli.json("article", row["id"])["revisions"]) == 2
    bad = cli("diff", row["id"], "--from", "9")
    assert bad.exit_code == 2 and "E043" in bad.output


def test_revisions_diff_of_an_unchanged_article_says_so(tmp_path: Path, store: Store) -> None:
    ingest([write(tmp_path / "a.jsonl", record(FIRST))], store)
    [article] = list(store.articles())
    assert article_diff(store, article.id) is None
    with pytest.raises(ParallaxError, match="E040"):
        article_diff(store, "nope")


def test_revisions_report_marks_what_changed_after_publication(
    tmp_path: Path, store: Store
) -> None:
    other = {
        "outlet": "Other Paper",
        "url": "https://other.example/y",
        "title": "Ferry pier to close",
        "text": FIRST.replace("The harbour council", "Harbour councillors"),
        "published_at": "2026-05-04",
    }
    ingest([write(tmp_path / "a.jsonl", record(FIRST) + "\n" + json.dumps(other))], store)
    edited = json.loads(record(EDITED))
    edited["title"] = "Council closes ferry pier for ten weeks"
    ingest([write(tmp_path / "b.jsonl", json.dumps(edited))], store)
    annotate_store(store)
    cluster_store(store)
    document = build_report(store)
    [story] = document["stories"]
    [edit] = story["edits"]  # type: ignore[typeddict-item]
    article = next(a for a in store.articles() if a.url == URL)
    first = store.revisions(article.id)[0]
    assert edit["article_id"] == article.id and edit["revision"] == first.number
    assert edit["title"] == {"first": "Council closes ferry pier",
                             "now": "Council closes ferry pier for ten weeks"}  # fmt: skip
    removed = [r["text"] for r in edit["removed"]]
    assert any("$4 million" in text for text in removed)
    for item in edit["removed"]:
        start, end = item["span"]
        assert first.text[start:end] == item["text"], "quoted from the first revision"
    marked = [
        e for f in story["facts"] for e in f["evidence"] if e.get("changed_after_publication")
    ]
    assert marked and all(e["article_id"] == article.id for e in marked)
    for evidence in marked:
        start, end = evidence["span"]
        assert article.text[start:end] == evidence["text"]
        assert " ".join(evidence["text"].split()) not in " ".join(first.text.split())
    page = render_html(document)
    assert "Edited after publication" in page and "$4 million" in page


def test_revisions_a_headline_edited_alone_is_a_revision(tmp_path: Path, store: Store) -> None:
    """The most common edit after publication: the same text under another headline."""
    ingest([write(tmp_path / "a.jsonl", record(FIRST))], store)
    retitled = record(FIRST, title="Council shuts ferry pier for ten weeks")
    second = ingest([write(tmp_path / "b.jsonl", retitled)], store)
    assert (second.ingested, second.changed, second.already_stored) == (0, 1, 1)
    [article] = list(store.articles())
    assert article.title == "Council shuts ferry pier for ten weeks"
    assert [r.title for r in store.revisions(article.id)] == [
        "Council closes ferry pier",
        "Council shuts ferry pier for ten weeks",
    ]
    assert [r.text for r in store.revisions(article.id)] == [FIRST, FIRST]
    # the first headline read again (an old crawl) adds nothing, and a record that gives
    # no title says nothing of it
    again = ingest([write(tmp_path / "c.jsonl", record(FIRST))], store)
    untitled = json.dumps({"url": URL, "outlet": "Harbour Times", "text": FIRST})
    silent = ingest([write(tmp_path / "d.jsonl", untitled)], store)
    assert (again.changed, silent.changed) == (0, 0)
    assert len(store.revisions(article.id)) == 2
