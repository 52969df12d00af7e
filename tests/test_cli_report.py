"""`parallax report` and `parallax analyze`: the report contract, the formats, files and
exit codes, on the two real articles."""

from __future__ import annotations

import gc
import json
import os
import stat
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from parallax.cli import app
from parallax.errors import ExitCode

from .conftest import Cli, write

STORY_FIELDS = {
    "id": str,
    "title": str,
    "articles": list,
    "actors": list,
    "facts": list,
    "conflicts": list,
    "quotes": list,
    "timeline": list,
    "framing": list,
}
ARTICLE_FIELDS = ("id", "outlet", "title", "url", "published_at", "source")
FACT_FIELDS = ("id", "text", "status", "outlets", "attributed_to", "evidence")
CONFLICT_FIELDS = ("id", "about", "kind", "values")
QUOTE_FIELDS = ("speaker", "speaker_name", "text", "direct", "article_id", "span")
TIMELINE_FIELDS = ("date", "precision", "text", "article_id", "span")
FRAMING_FIELDS = ("article_id", "loaded_terms", "hedges", "tone")


@pytest.fixture
def stored(cli: Cli, maduro: Path) -> Cli:
    result = cli("ingest", str(maduro))
    assert result.exit_code == 0, result.output
    return cli


def check_contract(document: dict[str, Any]) -> dict[str, Any]:
    assert document["schema"] == "parallax.report/1"
    (story,) = document["stories"]
    for name, kind in STORY_FIELDS.items():
        assert isinstance(story[name], kind), name
    for items, fields in (
        (story["articles"], ARTICLE_FIELDS),
        (story["facts"], FACT_FIELDS),
        (story["conflicts"], CONFLICT_FIELDS),
        (story["quotes"], QUOTE_FIELDS),
        (story["timeline"], TIMELINE_FIELDS),
        (story["framing"], FRAMING_FIELDS),
    ):
        assert items
        for item in items:
            assert set(fields) <= set(item), (fields, sorted(item))
    for fact in story["facts"]:
        assert fact["status"] in ("corroborated", "single_source", "disputed")
        assert fact["evidence"]
    for conflict in story["conflicts"]:
        assert conflict["kind"] in ("date", "number", "name", "attribution")
    for actor in story["actors"]:
        assert actor["kind"] in ("person", "org", "place", "group", "other")
    for entry in story["timeline"]:
        assert entry["precision"] in ("day", "month", "year")
    return dict(story)


def test_report_json_is_the_contract_and_evidence_is_the_stored_text(stored: Cli) -> None:
    story = check_contract(stored.json("report"))
    texts = {a["id"]: stored.json("article", a["id"])["text"] for a in story["articles"]}
    for fact in story["facts"]:
        for evidence in fact["evidence"]:
            start, end = evidence["span"]
            assert evidence["text"] == texts[evidence["article_id"]][start:end]
    for conflict in story["conflicts"]:
        for value in conflict["values"]:
            start, end = value["span"]
            assert value["text"] == texts[value["article_id"]][start:end]


def test_report_of_one_story_by_id_and_of_an_unknown_one(stored: Cli) -> None:
    story_id = stored.json("stories")[0]["id"]
    document = stored.json("report", story_id)
    assert [s["id"] for s in document["stories"]] == [story_id]
    result = stored("report", "s-no-such-story")
    assert result.exit_code == ExitCode.INPUT_FAILED
    assert "E042" in result.stderr and "s-no-such-story" in result.stderr


def test_report_text_shows_conflicts_before_facts(stored: Cli) -> None:
    result = stored("report")
    assert result.exit_code == 0, result.output
    output = result.stdout
    assert output.index("CONFLICTS") < output.index("FACTS")
    assert "2025-09-06" in output and "2025-09-05" in output


def test_report_markdown_and_html_files(stored: Cli, tmp_path: Path) -> None:
    markdown = tmp_path / "report.md"
    result = stored("report", "--format", "markdown", "--output", str(markdown))
    assert result.exit_code == 0, result.output
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("#") and "the date the letter was dated" in text
    page = tmp_path / "report.html"
    assert stored("report", "--format", "html", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    parser = _Collector()
    parser.feed(html)
    assert parser.tags["html"] == 1 and "script" not in parser.tags
    assert not [src for src in parser.sources if src.startswith(("http:", "https:", "//"))]
    assert "Venezuela&#39;s ruler" in html or "Venezuela's ruler" in html
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(page.stat().st_mode) == 0o666 & ~umask


def test_analyze_is_one_shot_and_leaves_no_store(
    maduro: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    result = CliRunner().invoke(app, ["analyze", str(maduro), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert not list(tmp_path.iterdir())
    story = check_contract(json.loads(result.stdout))
    assert len(story["articles"]) == 2
    assert {v["value"] for c in story["conflicts"] for v in c["values"]} >= {
        "2025-09-06",
        "2025-09-05",
    }


def test_analyze_reports_the_good_inputs_when_one_is_bad(maduro: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    for path in maduro.iterdir():
        write(inputs / path.name, path.read_bytes())
    write(inputs / "broken.json", "{not json")
    result = CliRunner().invoke(app, ["analyze", str(inputs), "--format", "json"])
    assert result.exit_code == ExitCode.INPUT_FAILED
    assert "broken.json" in result.stderr
    story = check_contract(json.loads(result.stdout))
    assert len(story["articles"]) == 2


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.sources += [value or "" for name, value in attrs if name == "src"]


def test_a_user_lexicon_extends_framing(
    stored: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = write(
        tmp_path / "mine.tsv", "term\tcategory\tpolarity\tnotes\npanicked\temotive\t-0.6\tmine\n"
    )
    monkeypatch.setenv("PARALLAX_LEXICON", str(extra))
    story = stored.json("report")["stories"][0]
    found = [t["text"] for f in story["framing"] for t in f["loaded_terms"]]
    assert "panicked" in found


def test_a_broken_user_lexicon_is_error_e060(
    stored: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = write(tmp_path / "broken.tsv", "only-one-column\n")
    monkeypatch.setenv("PARALLAX_LEXICON", str(broken))
    result = stored("report")
    assert result.exit_code == ExitCode.USAGE  # the lexicon is the user's setting
    assert "E060" in result.stderr and "broken.tsv" in result.stderr


def test_report_says_when_annotations_are_from_an_older_annotator(stored: Cli) -> None:
    import sqlite3

    with sqlite3.connect(stored.db) as connection:
        connection.execute("UPDATE articles SET annotator = '1+en_core_web_sm-3.8.0'")
    result = stored("report")
    assert result.exit_code == 0
    assert "2 article(s)" in result.stderr and "parallax annotate --all" in result.stderr


def test_report_says_when_articles_are_not_annotated(cli: Cli, maduro: Path) -> None:
    assert cli("ingest", "--no-annotate", str(maduro)).exit_code == 0
    result = cli("report")
    assert result.exit_code == 0
    assert "2 article(s) are not annotated" in result.stderr


@pytest.mark.parametrize("target", ["missing/dir/r.html", "missing/r.md"])
def test_output_into_a_missing_folder_is_error_e034_not_a_traceback(
    cli: Cli, tmp_path: Path, target: str
) -> None:
    folder = write(tmp_path / "in" / "a.txt", "The ferry left the harbour at dawn.").parent
    assert cli("ingest", str(folder), "--no-annotate").exit_code == 0
    output = tmp_path / target
    fmt = "html" if target.endswith(".html") else "markdown"
    result = cli("report", "--format", fmt, "-o", str(output))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "E034" in result.stderr and str(output) in result.stderr
    assert not output.parent.exists()


def test_export_into_a_missing_folder_is_error_e034(cli: Cli, tmp_path: Path) -> None:
    folder = write(tmp_path / "in" / "a.txt", "The ferry left the harbour at dawn.").parent
    assert cli("ingest", str(folder), "--no-annotate").exit_code == 0
    result = cli("export", "-o", str(tmp_path / "nowhere" / "a.jsonl"))
    assert result.exit_code == ExitCode.USAGE
    assert "E034" in result.stderr


def test_export_onto_a_directory_is_error_e034_and_leaves_no_file(cli: Cli, tmp_path: Path) -> None:
    folder = write(tmp_path / "in" / "a.txt", "The ferry left the harbour at dawn.").parent
    assert cli("ingest", str(folder), "--no-annotate").exit_code == 0
    target = tmp_path / "out"
    target.mkdir()
    result = cli("export", "-o", str(target))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "E034" in result.stderr and str(target) in result.stderr
    assert list(target.iterdir()) == []
    assert not list(tmp_path.glob(".out.*"))  # the temporary file is gone


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_report_into_a_read_only_folder_is_error_e034(cli: Cli, tmp_path: Path) -> None:
    folder = write(tmp_path / "in" / "a.txt", "The ferry left the harbour at dawn.").parent
    assert cli("ingest", str(folder), "--no-annotate").exit_code == 0
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = cli("report", "--format", "markdown", "-o", str(locked / "r.md"))
        assert result.exit_code == ExitCode.USAGE, result.output
        assert "E034" in result.stderr and str(locked / "r.md") in result.stderr
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_text_report_written_to_a_file_leaks_no_file_handle(stored: Cli, tmp_path: Path) -> None:
    output = tmp_path / "report.txt"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        result = stored("report", "-o", str(output))
        gc.collect()
    assert result.exit_code == 0, result.output
    assert "Maduro" in output.read_text(encoding="utf-8")
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
