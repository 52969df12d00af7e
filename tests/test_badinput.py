"""The generated bad-input corpus (tests/badinput/generate.py) run as a user runs Parallax:
every good article stored, every bad input quarantined or refused with its catalogue code
and its name, no traceback, and a store that passes `parallax check`.

The expensive items (a 512 MiB .json bomb, a 1 GiB JSONL line, 4 GiB bombs) and annotation
are left to the full run, `python bench/badinput.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.errors import CATALOGUE
from tests.badinput.generate import generate
from tests.badinput.runner import Outcome, run_corpus


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    folder = tmp_path_factory.mktemp("badinput")
    generate(folder / "corpus")
    return run_corpus(folder / "corpus", folder / "store.db", annotate=False)


def test_badinput_every_case_as_expected(outcome: Outcome) -> None:
    failed = {v.case.name: v.problems for v in outcome.failures}
    assert not failed


def test_badinput_good_articles_all_stored(outcome: Outcome) -> None:
    good = [v for v in outcome.verdicts if v.case.stored]
    assert sum(v.stored for v in good) == sum(v.case.stored for v in good) > 60
    assert outcome.summary["ingested"] >= sum(v.case.stored for v in good if v.case.how == "ingest")


def test_badinput_bad_inputs_carry_catalogue_codes(outcome: Outcome) -> None:
    bad = [v for v in outcome.verdicts if v.case.bad]
    assert len(bad) > 40
    assert all(v.codes and all(code in CATALOGUE for code in v.codes) for v in bad)
    assert {code for v in bad for code in v.codes} >= {"E002", "E003", "E006", "E014", "E080"}


def test_badinput_no_traceback_and_check_passes(outcome: Outcome) -> None:
    assert outcome.tracebacks == []
    exits = {step.name: step.returncode for step in outcome.steps}
    assert exits["check"] == 0
    assert exits["ingest"] == 1  # some inputs were quarantined: documented exit code 1
    assert exits["bad-manifest.csv"] == 2


def test_badinput_regressions_named(outcome: Outcome) -> None:
    """The bugs this corpus found, each with the code it now gets."""
    codes = {Path(v.source).name: v.codes for v in outcome.verdicts}
    assert codes["deep.jsonl"] == ["E006"]  # was E099, and the lines after it were lost
    assert codes["truncated.jsonl.gz"] == ["E011"]  # was E099
    assert codes["damaged-group.parquet"] == ["E011"]  # was E099
    assert codes["loop.txt"] == ["E010"]  # was dropped unseen
    assert codes["zero-tail.warc"] == ["E015"]  # never finished
    assert codes["latin1-caf\\xe9.txt"] == ["E014"]  # failed the whole ingest
