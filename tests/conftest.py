"""Shared fixtures: stores in temporary folders, the CLI runner, the real example articles."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from parallax.cli import app
from parallax.store import Store
from parallax.text.outlets import (
    base_outlets,
    configure_outlets,
    outlets_generation,
    use_learned,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
MADURO = SHARED / "examples" / "maduro-letter"


SHARED_FIXTURES = {"maduro", "maduro_stored", "story_gate_result"}
"""Fixtures that read ../shared: a test using one needs it."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "shared: needs ../shared (the real example articles, research corpora)"
    )


def needs_shared(item: pytest.Item) -> bool:
    """Quality gates, tests marked ``shared`` and tests using a fixture that reads it."""
    if item.get_closest_marker("shared") or item.get_closest_marker("quality"):
        return True
    if "quality" in item.path.relative_to(ROOT).parts:
        return True
    return bool(SHARED_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without ../shared, the tests that need it are set aside as a group and counted in
    one summary line, instead of skipping one by one with the same reason."""
    for item in items:
        if needs_shared(item):
            item.add_marker(pytest.mark.shared)
    if SHARED.is_dir():
        return
    missing = [item for item in items if item.get_closest_marker("shared")]
    if missing:
        items[:] = [item for item in items if not item.get_closest_marker("shared")]
        config.hook.pytest_deselected(items=missing)
    config.stash[_MISSING_SHARED] = len(missing)


_MISSING_SHARED = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    missing = config.stash.get(_MISSING_SHARED, 0)
    if missing:
        terminalreporter.write_line(
            f"{missing} quality tests need ../shared (real articles and research corpora, "
            f"expected at {SHARED}) and were not run"
        )


@pytest.fixture(autouse=True)
def _shipped_outlet_table() -> Iterator[None]:
    """The outlet table is process-wide: a store read installs what the store's pages
    taught, and a test may configure a user table (``PARALLAX_OUTLETS``). Every test
    starts with neither (what a module-scoped store fixture taught included), and a test
    that changed the table hands back the shipped one, so no test sees another's store."""
    use_learned(())
    base, generation = base_outlets(), outlets_generation()
    yield
    # a user table read lazily from the environment changes the base, not the generation
    if outlets_generation() != generation or base_outlets() is not base:
        use_learned(())
        configure_outlets(None)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        yield opened


@pytest.fixture
def maduro() -> Path:
    if not MADURO.is_dir():
        pytest.skip(f"the real example articles are not at {MADURO}")
    return MADURO


class Cli:
    """Runs ``parallax`` in-process against one store."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Any:
        return self.runner.invoke(app, [*args, "--db", str(self.db)], catch_exceptions=False)

    def json(self, *args: str) -> Any:
        result = self(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def cli(db_path: Path) -> Cli:
    return Cli(db_path)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


VOCABULARY = (
    "council harbour storm minister said officials reported talks ferry strike port river "
    "police army election budget court ruling protest crowd village mayor governor rescue "
    "flood bridge market prices workers union contract vote parliament border trade deal "
    "agency statement spokesman residents families hospital school road night morning week "
    "the a of in on to and for with after before during against over under about from by"
).split()


def article_text(words: int, seed: str) -> str:
    """A deterministic article body: random sentences over a shared news vocabulary.

    Different seeds share words but hardly any word triples, like two articles on one topic.
    """
    rng = random.Random(seed)
    sentences = []
    total = 0
    while total < words:
        length = rng.randint(8, 20)
        sentence = " ".join(rng.choice(VOCABULARY) for _ in range(length))
        sentences.append(sentence.capitalize() + ".")
        total += length
    return " ".join(sentences)
