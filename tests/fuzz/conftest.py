"""What every fuzz test of an input boundary shares: how long it runs, the hang guard, and
the property an input must have once read.

Short runs are part of the default suite: few examples each, derandomised, so the suite
stays quick and gives the same answer on every machine. ``PARALLAX_FUZZ=long`` selects the
long run: many random examples per test (``PARALLAX_FUZZ_EXAMPLES``, default 1000); see
``tests/fuzz/README.md``.
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings

from parallax.errors import CATALOGUE
from parallax.ingest.decode import clean_text
from parallax.model import Draft, Metadata, Rejected
from parallax.pipeline import check_store, ingest
from parallax.store import Store
from parallax.text import moment

LONG = os.environ.get("PARALLAX_FUZZ", "").strip().lower() == "long"
LONG_EXAMPLES = int(os.environ.get("PARALLAX_FUZZ_EXAMPLES", "1000"))
HANG_SECONDS = 10.0
"""The most one input may take in any reader here. Parallax states no time limit for
reading one input (only fetches have one: ``fetch_deadline``, 30 s), so this bound is the
fuzz suite's own: the generated inputs are at most a few hundred kilobytes, and a reader
that needs seconds for that is stuck in super-linear work (a backtracking regex, a loop)."""
BUG_CODE = "E099"
"""The catalogue's "unexpected error": a reader caught an exception it did not expect. In
the catalogue, but to a fuzz test it is a crash."""

settings.register_profile(
    "parallax-fuzz-short",
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "parallax-fuzz-long",
    deadline=None,  # the hang guard is the bound: timings on a shared machine are noisy
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

F = TypeVar("F", bound=Callable[..., Any])


def fuzz(examples: int) -> Callable[[F], F]:
    """Hypothesis settings of one fuzz test: ``examples`` in the default suite, the long
    run's count under ``PARALLAX_FUZZ=long``. Applied under ``@given``."""
    if LONG:
        return settings(settings.get_profile("parallax-fuzz-long"), max_examples=LONG_EXAMPLES)
    return settings(settings.get_profile("parallax-fuzz-short"), max_examples=examples)


class Hang(Exception):
    """An input took longer than :data:`HANG_SECONDS`."""


@contextmanager
def within(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Fail with :class:`Hang` when the block runs longer than ``seconds`` (SIGALRM: the
    interpreter checks for it inside the regex engine and between bytecodes, so a stuck
    parser is interrupted where it is stuck)."""

    def expired(signum: int, frame: object) -> None:
        raise Hang(f"an input took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_catalogued(code: str, where: str) -> None:
    """A quarantine or error code is a real one, and not the catch-all of a crash."""
    assert code in CATALOGUE, f"{where}: {code} is not in the catalogue"
    assert code != BUG_CODE, f"{where}: an unexpected exception ({code})"


def assert_metadata(meta: Metadata, where: str) -> None:
    """Every field is a string or unknown; a publication time is one the store can order."""
    for name in ("outlet", "url", "title", "author", "published_at", "language"):
        value = getattr(meta, name)
        assert value is None or (isinstance(value, str) and value), f"{where}: {name}={value!r}"
    if meta.published_at is not None:
        assert moment(meta.published_at) is not None, f"{where}: {meta.published_at!r}"


def assert_read(results: Iterable[Draft | Rejected], source: str) -> list[Draft | Rejected]:
    """The property of a reader's output: each result is an article in the stored form (its
    text non-empty and already canonical, so every later span refers to exactly it) or a
    rejection with a catalogued code naming its input."""
    found = list(results)
    for result in found:
        where = f"{source} record {result.record}"
        if isinstance(result, Rejected):
            assert_catalogued(result.code, where)
            assert result.source == source, where
            assert source in result.reason, where
            continue
        assert isinstance(result, Draft), f"{where}: {result!r}"
        assert result.source == source, where
        assert result.text and clean_text(result.text) == result.text, where
        assert_metadata(result.meta, where)
    return found


def assert_ingested(paths: Sequence[Path], expected: int | None = None) -> None:
    """Through ``parallax.pipeline.ingest`` into a new store: every result is a stored
    article or a quarantine entry with a catalogued code, and the store passes every
    invariant of ``parallax check`` (one full-text row per article, spans that round-trip,
    copies pointing at stored articles)."""
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "s.db") as store:
        with within():
            summary = ingest(list(paths), store)
        for entry in store.quarantined():
            assert_catalogued(entry.code, entry.source)
        accounted = summary.ingested + summary.already_stored + summary.quarantined
        if expected is not None:
            assert accounted == expected, summary.to_json()
        assert store.count_articles() == summary.ingested
        failed = [finding for finding in check_store(store) if not finding.ok]
        assert not failed, failed


@pytest.fixture(scope="session")
def warm_date_parser() -> None:
    """Load the date parser trafilatura falls back on (dateparser, through htmldate) once,
    before any page is timed: its first use compiles the patterns of every locale, seconds
    that belong to the process, not to the page that happens to need it first."""
    from htmldate.extractors import external_date_parser

    external_date_parser("no date here 12", "%Y-%m-%d")
