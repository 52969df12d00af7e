"""Shared helpers of the quality gates: the scorers live in bench/, importable from here."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
DATA = ROOT.parent / "shared" / "data"


def load_bench(name: str) -> ModuleType:
    """Import ``bench/<name>.py`` (bench/ is scripts, not a package) once."""
    module_name = f"parallax_bench_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class StoryGate:
    """One corpus of the story-clustering gates (``test_stories_<corpus>.py``).

    Scored by ``bench/quality_stories.py``: B-cubed over the natural order and four
    shuffled ingest orders, from text and metadata alone (no annotation).
    """

    corpus: str
    """The loader's name in bench/quality_stories.py: ``load_<corpus>``."""
    folder: str
    """The corpus's folder in ../shared/data."""
    title: str
    floors: dict[str, float]
    orders: int = 5
    also: tuple[str, ...] = ()
    """Further folders of ../shared/data the corpus is built from."""

    def evaluate(self) -> dict[str, Any]:
        """The gate's figures; the test is skipped when the corpus is not there."""
        for folder in (self.folder, *self.also):
            if not (DATA / folder).is_dir():
                pytest.skip(f"{self.title} needs {DATA / folder} (see ../shared/data/README.md)")
        bench = load_bench("quality_stories")
        docs = getattr(bench, f"load_{self.corpus}")(DATA)
        result: dict[str, Any] = bench.evaluate(docs, orders=self.orders)
        return result


@pytest.fixture(scope="module")
def story_gate_result(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The figures of the calling module's ``GATE``, computed once per module."""
    gate: StoryGate = request.module.GATE
    return gate.evaluate()
