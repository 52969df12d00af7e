"""The command line: the JSON contracts of article and export, help, exit codes, defaults."""

from __future__ import annotations

import inspect
import json
import typing
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import parallax
from parallax.cli import app
from parallax.errors import ExitCode
from parallax.model import ANNOTATION_KEYS

from .conftest import Cli, article_text, write

CONTRACT = {
    "schema": str,
    "id": str,
    "outlet": (str, type(None)),
    "title": (str, type(None)),
    "url": (str, type(None)),
    "author": (str, type(None)),
    "published_at": (str, type(None)),
    "language": (str, type(None)),
    "source": str,
    "text": str,
    "duplicate_of": (str, type(None)),
    "wire_of": (str, type(None)),
    "annotations": dict,
}
COMMANDS = ["ingest", "articles", "article", "export", "quarantine"]


def check_contract(record: dict[str, object]) -> None:
    for key, kind in CONTRACT.items():
        assert isinstance(record[key], kind), key
    assert record["schema"] == "parallax.article/1"
    keys = set(record["annotations"])  # type: ignore[arg-type]
    assert set(ANNOTATION_KEYS) <= keys <= {*ANNOTATION_KEYS, "language", "skipped"}


@pytest.fixture
def filled(tmp_path: Path, cli: Cli) -> Cli:
    write(
        tmp_path / "in" / "a.txt",
        "Harbour reopens\nSeptember 22, 2026\n\n“Quoted” — café.\n\n" + article_text(80, "cli-a"),
    )
    write(
        tmp_path / "in" / "b.jsonl",
        json.dumps(
            {"outlet": "Lantern", "text": article_text(80, "b"), "url": "https://lantern.example/b"}
        ),
    )
    assert cli("ingest", str(tmp_path / "in")).exit_code == 0
    return cli


def test_cli_article_json_is_the_contract_with_the_exact_stored_text(filled: Cli) -> None:
    listing = filled.json("articles")
    assert len(listing) == 2
    for row in listing:
        record = filled.json("article", row["id"])
        check_contract(record)
        assert record["id"] == row["id"]
    first = filled.json("article", listing[0]["id"])
    assert first["title"] == "Harbour reopens"
    assert first["text"].startswith("“Quoted” — café.\n\n")


def test_cli_export_jsonl_has_every_article_once(filled: Cli, tmp_path: Path) -> None:
    result = filled("export", "--format", "jsonl")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    for record in records:
        check_contract(record)
        assert record == filled.json("article", record["id"])
    target = tmp_path / "export.jsonl"
    assert filled("export", "--output", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == result.stdout


def test_cli_article_text_format(filled: Cli) -> None:
    (row, _) = filled.json("articles")
    result = filled("article", row["id"])
    assert result.exit_code == 0
    assert "Harbour reopens" in result.stdout and "2026-09-22" in result.stdout


def test_cli_unknown_article_is_exit_1_with_the_reason(filled: Cli) -> None:
    result = filled("article", "nope")
    assert result.exit_code == ExitCode.INPUT_FAILED
    assert "E040" in result.stderr


def test_cli_reading_a_missing_store_is_a_usage_error(cli: Cli) -> None:
    result = cli("articles")
    assert result.exit_code == ExitCode.USAGE
    assert "E031" in result.stderr


def test_cli_usage_errors_exit_2(tmp_path: Path, cli: Cli) -> None:
    assert cli("ingest", str(tmp_path / "missing")).exit_code == ExitCode.USAGE
    write(tmp_path / "a.txt", "text")
    result = cli("ingest", str(tmp_path / "a.txt"), "--published-at", "someday")
    assert result.exit_code == ExitCode.USAGE
    assert "E012" in result.stderr
    assert cli("articles", "--format", "xml").exit_code == ExitCode.USAGE


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_cli_help_everywhere(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout
    assert ("--db" in result.stdout) == bool(command)


def test_cli_db_defaults_to_parallax_db_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", article_text(50, "env"))
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "a.txt"]).exit_code == 0
    assert (tmp_path / "parallax.db").exists()
    result = runner.invoke(app, ["articles", "--format", "json"], env={"PARALLAX_DB": "other.db"})
    assert result.exit_code == ExitCode.USAGE  # other.db does not exist yet


def test_cli_ingest_json_summary(tmp_path: Path, cli: Cli) -> None:
    write(tmp_path / "a.txt", article_text(50, "summary"))
    summary = cli.json("ingest", str(tmp_path / "a.txt"))
    assert summary["ingested"] == 1 and summary["quarantined"] == 0


def test_api_public_surface_is_exactly_this() -> None:
    assert sorted(parallax.__all__) == sorted(
        [
            "AnnotateHook",
            "Annotations",
            "Article",
            "Batch",
            "ClusterHook",
            "ClusterSummary",
            "ExitCode",
            "Family",
            "IngestOptions",
            "IngestSummary",
            "InputProgress",
            "Lexicon",
            "Metadata",
            "ParallaxError",
            "ProgressHook",
            "QuarantineEntry",
            "Rejected",
            "RunSummary",
            "Report",
            "Revision",
            "Settings",
            "Store",
            "StoryOptions",
            "StoryRecord",
            "StoryReport",
            "TermMatch",
            "__version__",
            "analyze",
            "annotate_store",
            "build_report",
            "cluster_store",
            "find_stories",
            "ingest",
            "kept_story_report",
            "refresh_reports",
            "story_report",
        ]
    )


def _parallax_types(hint: Any) -> set[str]:
    """Names of Parallax's own classes inside a type hint (through unions and generics)."""
    if isinstance(hint, type) and hint.__module__.startswith("parallax"):
        return {hint.__name__}
    return {name for arg in typing.get_args(hint) for name in _parallax_types(arg)}


def test_api_every_type_in_a_public_signature_is_exported() -> None:
    found: set[str] = set()
    for name in parallax.__all__:
        obj = getattr(parallax, name)
        functions = [obj] if inspect.isfunction(obj) else []
        if inspect.isclass(obj):
            functions = [f for n, f in inspect.getmembers(obj, inspect.isfunction) if n[0] != "_"]
        for function in functions:
            for hint in typing.get_type_hints(function).values():
                found |= _parallax_types(hint)
    assert found - set(parallax.__all__) == set()


def test_cli_text_output_never_passes_an_articles_escape_sequences(
    cli: Cli, tmp_path: Path
) -> None:
    """An article may carry terminal escape sequences in its title or outlet (retitle
    the window, clear the screen, move the cursor over what was printed): the text
    output shows them as U+FFFD, while JSON keeps the stored value exactly."""
    title = "Storm \x1b]0;owned\x07hits\x1b[2J coast \x9b31m"
    record = {"title": title, "outlet": "Evil\x1b[8m", "text": article_text(60, "storm")}
    source = write(tmp_path / "in" / "a.jsonl", json.dumps(record))
    assert cli("ingest", str(source), "--no-annotate").exit_code == 0
    listed = cli("articles")
    assert listed.exit_code == 0
    assert "\x1b" not in listed.output and "\x9b" not in listed.output
    assert "Storm" in listed.output and "\ufffd" in listed.output
    [article] = json.loads(cli("articles", "--format", "json").output)
    assert article["title"] == title
