"""Settings are validated where they are read, stores record what they depend on, and every
catalogued error exits with the code the catalogue gives it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parallax import IngestOptions, Settings, ingest
from parallax.cli import app
from parallax.errors import CATALOGUE, ExitCode, ParallaxError, UsageError
from parallax.settings import SETTINGS
from parallax.store import Store

from .conftest import write


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PARALLAX_MINHASH_BANDS", "0"),
        ("PARALLAX_MINHASH_BANDS", "-3"),
        ("PARALLAX_MINHASH_BANDS", "twenty"),
        ("PARALLAX_MINHASH_PERMUTATIONS", "0"),
        ("PARALLAX_COMMIT_EVERY", "0"),
        ("PARALLAX_NEAR_DUPLICATE_THRESHOLD", "nan"),
        ("PARALLAX_NEAR_DUPLICATE_THRESHOLD", "1.5"),
        ("PARALLAX_MAX_ARTICLE_BYTES", "5MB"),
    ],
)
def test_settings_malformed_value_is_a_usage_error_naming_it(variable: str, value: str) -> None:
    with pytest.raises(UsageError) as raised:
        Settings.from_env({variable: value})
    assert raised.value.code == "E013"
    assert variable in raised.value.reason
    assert repr(value) in raised.value.reason
    assert "must be" in raised.value.reason


def test_settings_more_bands_than_rows_allow_is_refused() -> None:
    """More bands than half the permutations makes every article a candidate of every other."""
    with pytest.raises(UsageError) as raised:
        Settings.from_env({"PARALLAX_MINHASH_BANDS": "100", "PARALLAX_MINHASH_PERMUTATIONS": "120"})
    assert "PARALLAX_MINHASH_BANDS" in raised.value.reason
    assert Settings.from_env({"PARALLAX_MINHASH_BANDS": "60"}).minhash_bands == 60


def test_settings_valid_values_are_read() -> None:
    settings = Settings.from_env(
        {"PARALLAX_COMMIT_EVERY": " 7 ", "PARALLAX_NEAR_DUPLICATE_THRESHOLD": "0.9"}
    )
    assert (settings.commit_every, settings.near_duplicate_threshold) == (7, 0.9)
    assert Settings.from_env({}) == Settings.from_env({s.env: str(s.default) for s in SETTINGS})


def test_malformed_setting_does_not_break_version(tmp_path: Path) -> None:
    env = {"PARALLAX_MINHASH_BANDS": "0", "PATH": "", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "parallax", "--version"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("parallax ")


def test_malformed_setting_in_a_command_exits_2_naming_the_variable(tmp_path: Path) -> None:
    folder = write(tmp_path / "in" / "a.txt", "Some words of an article about a harbour.").parent
    result = CliRunner().invoke(
        app,
        ["ingest", str(folder), "--db", str(tmp_path / "s.db"), "--no-annotate"],
        env={"PARALLAX_MINHASH_BANDS": "0"},
    )
    assert result.exit_code == ExitCode.USAGE
    assert "E013" in result.stderr and "PARALLAX_MINHASH_BANDS" in result.stderr
    assert "Traceback" not in result.output


def test_store_refuses_other_minhash_parameters(tmp_path: Path) -> None:
    """Signatures made with 120 permutations never match ones made with 64: refuse, do not
    silently stop finding duplicates."""
    folder = write(
        tmp_path / "in" / "a.txt", "The ferry left the harbour at dawn with cargo."
    ).parent
    with Store.open(tmp_path / "s.db") as store:
        ingest([folder], store, IngestOptions(settings=Settings.from_env({})))
        other = Settings.from_env({"PARALLAX_MINHASH_PERMUTATIONS": "64"})
        with pytest.raises(ParallaxError) as raised:
            ingest([folder], store, IngestOptions(settings=other))
    assert raised.value.code == "E032"
    assert "minhash_permutations: store 120, now 64" in raised.value.reason
    assert raised.value.exit_code == ExitCode.USAGE


def test_store_locked_past_busy_timeout_is_a_catalogued_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("parallax.store.db.BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "s.db"
    Store.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(path) as store, pytest.raises(ParallaxError) as raised:
            store._connection.execute("PRAGMA busy_timeout = 50")
            with store.transaction():
                pass
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert raised.value.code == "E033"
    assert raised.value.exit_code == ExitCode.UNAVAILABLE


def test_exit_code_of_an_error_is_the_catalogue_entrys_wherever_raised() -> None:
    """E012 from a flag and E012 from a manifest are the same usage error."""
    assert ParallaxError("E012", "--published-at").exit_code == ExitCode.USAGE
    assert ParallaxError("E012", "manifest.csv row 3").exit_code == ExitCode.USAGE
    assert ParallaxError("E005", "page.html").exit_code == ExitCode.INPUT_FAILED
    assert ParallaxError("E050", "spaCy").exit_code == ExitCode.UNAVAILABLE
    usage = {code for code, spec in CATALOGUE.items() if spec.exit == ExitCode.USAGE}
    assert {"E012", "E013", "E020", "E030", "E031", "E032", "E034", "E041", "E060"} <= usage


def test_missing_model_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write(
        tmp_path / "in" / "a.txt", "The ferry left the harbour at dawn with cargo."
    ).parent
    from parallax.annotate import nlp

    monkeypatch.setattr(nlp, "MODELS", ("no_such_model_installed",))
    nlp.load_nlp.cache_clear()
    try:
        result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "s.db")])
    finally:
        nlp.load_nlp.cache_clear()
    assert result.exit_code == ExitCode.UNAVAILABLE, result.output
    assert "E050" in result.stderr


def test_store_opened_while_another_process_holds_it_exclusively_is_e033_not_e031(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store another writer has locked is busy, not "not a Parallax store"."""
    monkeypatch.setattr("parallax.store.db.BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "s.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(ParallaxError) as raised:
            Store.open(path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert raised.value.code == "E033"
