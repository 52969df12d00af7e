"""Bad input is quarantined with a catalogued reason; the good inputs of the batch are stored."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from parallax.errors import CATALOGUE, ExitCode
from parallax.pipeline import ingest
from parallax.settings import Settings
from parallax.store import Store

from .conftest import Cli, article_text, write

SMALL_LIMITS = Settings.from_env({"PARALLAX_MAX_ARTICLE_BYTES": "20000"})


def good(tmp_path: Path) -> list[Path]:
    return [
        write(tmp_path / "in" / "good1.txt", "Storm\n\n" + article_text(60, "storm")),
        write(tmp_path / "in" / "good2.jsonl", json.dumps({"text": article_text(60, "flood")})),
    ]


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty.txt", b"", "E001"),
    ("blank.txt", b"  \n\n \t\n", "E001"),
    ("binary.txt", bytes(range(256)) * 4, "E002"),
    ("png.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "E002"),
    ("huge.txt", b"word " * 5000, "E003"),
    ("bomb.txt.gz", gzip.compress(b"word " * 50_000), "E003"),
    ("corrupt.txt.gz", b"\x1f\x8b\x08\x00garbage-not-deflate", "E011"),
    ("broken.html", b"<html><body><div><p>", "E005"),
    ("not-html.html", b"just some words, no markup at all", "E005"),
    ("bad.json", b'{"text": "unterminated', "E006"),
    ("list-of-numbers.json", b"[1, 2]", "E008"),
    ("notext.json", b'{"title": "A title only"}', "E007"),
]


@pytest.mark.parametrize(("name", "content", "code"), BAD_FILES)
def test_bad_input_quarantined_with_reason(
    tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    bad = write(tmp_path / "in" / name, content)
    inputs = good(tmp_path)
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([*inputs, bad], store, _options())
        entries = store.quarantined()
        stored = store.count_articles()
    assert stored == 2  # the good inputs of the same batch
    assert summary.ingested == 2
    assert {entry.code for entry in entries} == {code}
    assert all(entry.source == str(bad) for entry in entries)
    assert all(str(bad) in entry.reason for entry in entries)
    assert summary.quarantined == len(entries) >= 1


def _options():  # type: ignore[no-untyped-def]
    from parallax.pipeline import IngestOptions

    return IngestOptions(settings=SMALL_LIMITS)


def test_bad_input_malformed_jsonl_lines_among_good_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": article_text(40, "one")}),
        '{"text": "broken',
        json.dumps([1, 2]),
        json.dumps({"title": "no text"}),
        "",
        json.dumps({"text": article_text(40, "two")}),
        json.dumps({"text": "x" * 30_000}),
        json.dumps({"text": article_text(40, "three")}),
    ]
    path = write(tmp_path / "mixed.jsonl", "\n".join(lines) + "\n")
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([path], store, _options())
        entries = store.quarantined()
        records = [a.extra["record"] for a in store.articles()]
    assert records == [1, 6, 8]
    assert [(e.record, e.code) for e in entries] == [
        (2, "E006"),
        (3, "E008"),
        (4, "E007"),
        (7, "E003"),
    ]
    assert summary.quarantined == 4


def test_bad_input_undecodable_text(tmp_path: Path) -> None:
    # bytes that are neither UTF-8 nor any coherent legacy encoding
    garbage = bytes([0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x28, 0x8C, 0xBC]) * 40
    bad = write(tmp_path / "in" / "mojibake.txt", b"Storm\n\n" + garbage)
    inputs = good(tmp_path)
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([*inputs, bad], store)
        entries = store.quarantined()
    assert summary.ingested == 2
    assert [e.code for e in entries] == ["E004"]


def test_bad_input_legacy_encoding_is_decoded_not_quarantined(tmp_path: Path) -> None:
    text = "Café owners in Vélmora said the festival brought crowds. " * 10
    path = write(tmp_path / "latin.txt", text.encode("cp1252"))
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([path], store)
        (article,) = store.articles()
    assert summary.quarantined == 0
    assert "Café owners in Vélmora" in article.text


def test_bad_input_quarantine_is_idempotent_and_released_when_fixed(tmp_path: Path) -> None:
    bad = write(tmp_path / "in" / "later.txt", b"")
    with Store.open(tmp_path / "s.db") as store:
        ingest([bad], store)
        ingest([bad], store)
        (entry,) = store.quarantined()
        assert entry.attempts == 2
        write(bad, "Now there is a text about the storm that hit the coast on Sunday.")
        summary = ingest([bad], store)
        assert summary.ingested == 1
        assert store.quarantined() == []


def test_bad_input_cli_exit_code_and_listing(tmp_path: Path, cli: Cli) -> None:
    bad = write(tmp_path / "in" / "empty.txt", b"")
    inputs = good(tmp_path)
    result = cli("ingest", *map(str, inputs), str(bad))
    assert result.exit_code == ExitCode.INPUT_FAILED
    assert "1 quarantined" in result.stdout and "E001" in result.stdout
    listing = cli.json("quarantine")
    assert [(e["source"], e["code"]) for e in listing] == [(str(bad), "E001")]
    assert "quarantined input" in cli("quarantine").stdout


def test_bad_input_unsupported_files_in_a_directory_are_skipped_and_reported(
    tmp_path: Path, cli: Cli
) -> None:
    good(tmp_path)
    write(tmp_path / "in" / "notes.docx", b"PK\x03\x04")
    result = cli("ingest", str(tmp_path / "in"))
    assert result.exit_code == ExitCode.OK
    assert "1 file(s) of other types skipped" in result.stdout
    assert "notes.docx" in result.stdout


def test_bad_input_unsupported_file_named_explicitly_is_quarantined(
    tmp_path: Path, cli: Cli
) -> None:
    path = write(tmp_path / "notes.docx", b"PK\x03\x04")
    result = cli("ingest", str(path))
    assert result.exit_code == ExitCode.INPUT_FAILED
    assert "E009" in result.stdout


def test_bad_input_every_code_is_catalogued_once() -> None:
    codes = [code for _, _, code in BAD_FILES]
    assert set(codes) <= set(CATALOGUE)
    for spec in CATALOGUE.values():
        assert "{source}" in spec.message and spec.hint.endswith(".")


def test_ingest_published_at_feb_30_is_usage_error_not_a_crash(tmp_path: Path, cli: Cli) -> None:
    path = write(tmp_path / "a.txt", article_text(40, "feb"))
    result = cli("ingest", str(path), "--published-at", "2025-02-30")
    assert result.exit_code == ExitCode.USAGE
    assert "E012" in result.stderr
    assert "--published-at" in result.stderr and "2025-02-30" in result.stderr


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_stories_since_feb_30_is_usage_error_not_a_crash(
    tmp_path: Path, cli: Cli, option: str
) -> None:
    assert cli("ingest", *map(str, good(tmp_path))).exit_code == ExitCode.OK
    result = cli("stories", option, "2025-02-30")
    assert result.exit_code == ExitCode.USAGE
    assert "E012" in result.stderr
    assert option in result.stderr and "2025-02-30" in result.stderr


def test_manifest_row_with_feb_30_is_e012_naming_manifest_and_row(tmp_path: Path, cli: Cli) -> None:
    from parallax.errors import ParallaxError
    from parallax.pipeline import IngestOptions

    inputs = good(tmp_path)
    manifest = write(
        tmp_path / "manifest.csv",
        "path,published_at\nin/good1.txt,2025-09-22\nin/good2.jsonl,2025-02-30\n",
    )
    with Store.open(tmp_path / "s.db") as store, pytest.raises(ParallaxError) as caught:
        ingest(inputs, store, IngestOptions(manifest=manifest))
    assert caught.value.code == "E012"
    assert caught.value.exit_code == ExitCode.USAGE
    assert f"{manifest} row 2" in caught.value.reason and "2025-02-30" in caught.value.reason
    result = cli("ingest", *map(str, inputs), "--manifest", str(manifest))
    assert result.exit_code == ExitCode.USAGE
    assert "E012" in result.stderr


def test_quarantine_hash_in_file_name_keeps_source_and_record(tmp_path: Path) -> None:
    lines = json.dumps({"text": article_text(40, "hash")}) + "\n" + '{"text": "broken\n'
    jsonl = write(tmp_path / "in" / "a#b.jsonl", lines)
    empty = write(tmp_path / "in" / "c#1.txt", b"")
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([jsonl, empty], store)
        entries = store.quarantined()
        (article,) = store.articles()
    assert summary.quarantined == 2
    assert sorted((e.source, e.record, e.code) for e in entries) == [
        (str(jsonl), 2, "E006"),
        (str(empty), None, "E001"),
    ]
    assert all(e.source.endswith(("a#b.jsonl", "c#1.txt")) for e in entries)
    by_code = {e.code: e for e in entries}
    assert by_code["E006"].reason.startswith(f"{jsonl}#2: ")
    assert by_code["E001"].reason.startswith(f"{empty}: ")
    assert (article.source, article.extra["record"]) == (str(jsonl), 1)


def test_bad_input_fifo_named_on_the_command_line_is_refused_not_waited_on(
    tmp_path: Path,
) -> None:
    """Regression: a named pipe given as an input (``mkfifo news.jsonl``) blocked ingest
    forever waiting for a writer; it is no regular file, so it is quarantined."""
    fifo = tmp_path / "in" / "news.jsonl"
    inputs = good(tmp_path)
    os.mkfifo(fifo)
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([fifo, *inputs], store, _options())
        entries = store.quarantined()
    assert summary.ingested == 2
    assert [(entry.source, entry.code) for entry in entries] == [(str(fifo), "E010")]
    assert "not a regular file" in entries[0].reason


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        ('[{"path": "in/good1.txt", "outlet": ["A", "B"]}]', "outlet must be text"),
        ('[{"path": "in/good1.txt", "title": {"en": "x"}}]', "title must be text"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_manifest_json_values_that_are_not_text_are_e020(
    tmp_path: Path, rows: str, said: str
) -> None:
    """Regression: a list or an object as a manifest value was stored as its Python text
    ("['A', 'B']" as the outlet), and a manifest nested too deep raised RecursionError."""
    from parallax.errors import ParallaxError
    from parallax.pipeline import IngestOptions

    inputs = good(tmp_path)
    manifest = write(tmp_path / "manifest.json", rows)
    with Store.open(tmp_path / "s.db") as store, pytest.raises(ParallaxError) as caught:
        ingest(inputs, store, IngestOptions(manifest=manifest))
    assert caught.value.code == "E020" and said in caught.value.reason
    assert str(manifest) in caught.value.reason


def test_manifest_row_naming_a_symlink_loop_is_e020(tmp_path: Path) -> None:
    """Regression: resolving a manifest row that is a symlink loop raised RuntimeError."""
    from parallax.errors import ParallaxError
    from parallax.pipeline import IngestOptions

    inputs = good(tmp_path)
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    manifest = write(tmp_path / "manifest.csv", "path,outlet\nloop.txt,Daily\n")
    with Store.open(tmp_path / "s.db") as store, pytest.raises(ParallaxError) as caught:
        ingest(inputs, store, IngestOptions(manifest=manifest))
    assert caught.value.code == "E020" and "row 1" in caught.value.reason
