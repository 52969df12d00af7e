"""The import graph: stages meet only through the shared leaf modules, and the layers above
them (pipeline, CLI) reach a stage through its package, not its internals.

A stage is a subpackage of ``parallax`` (ingest, annotate, stories, compare, render, store).
Its modules may import their own package and the shared modules (``model``, ``settings``,
``errors``, ``text``), nothing of another stage, so any stage can be changed without
opening another. The exceptions are the stages' drivers (``ingest/run.py``,
``annotate/run.py``, ``stories/run.py``, ``stories/browse.py``), which read and write the
store through its public API.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "parallax"
STAGES = ("ingest", "annotate", "stories", "compare", "render", "store")
SHARED = ("parallax.model", "parallax.settings", "parallax.errors", "parallax.text")
ALLOWED = {
    "parallax/annotate/run.py": ("parallax.store",),
    "parallax/ingest/run.py": ("parallax.store",),
    "parallax/stories/browse.py": ("parallax.store",),
    "parallax/stories/run.py": ("parallax.store",),
}
LAZY = {
    "parallax.annotate.annotator",
    "parallax.web",
    "parallax.web.app",
    "parallax.web.server",
    "parallax.sources",
    "parallax.batch",
}
"""Internals a layer above may import inside a function: the annotator loads spaCy, the
web server FastAPI and uvicorn, the sources httpx, the batch wing Dask, which
``parallax --version`` and the readers of a store must not pay for."""


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def imports(path: Path) -> list[tuple[str, bool]]:
    """``(module, at top level)`` of every ``parallax`` import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(name, id(node) in top) for name in names if name.startswith("parallax")]
    return found


def relative(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def stage_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


@pytest.mark.parametrize("path", modules(), ids=relative)
def test_layout_stages_import_only_themselves_and_the_shared_modules(path: Path) -> None:
    own = stage_of(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
    if own is None:
        return
    allowed = (f"parallax.{own}", *SHARED, *ALLOWED.get(relative(path), ()))
    wrong = [
        name
        for name, _ in imports(path)
        if name != "parallax" and not any(name == a or name.startswith(a + ".") for a in allowed)
    ]
    assert wrong == [], f"{relative(path)} reaches into another stage"


@pytest.mark.parametrize("path", modules(), ids=relative)
def test_layout_layers_above_use_a_stage_through_its_package(path: Path) -> None:
    if stage_of(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)):
        return
    wrong = [
        name
        for name, top in imports(path)
        if stage_of(name) and name.count(".") > 1 and not (name in LAZY and not top)
    ]
    assert wrong == [], f"{relative(path)} imports a stage's internals"


@pytest.mark.parametrize("path", modules(), ids=relative)
def test_layout_imports_sit_at_the_top(path: Path) -> None:
    """Imports inside functions are only the documented lazy loads (see LAZY)."""
    below = [name for name, top in imports(path) if not top and name not in LAZY]
    assert below == [], f"{relative(path)} imports below its top"


def test_layout_every_declared_dependency_is_used() -> None:
    """A dependency nobody imports (``dateparser`` was one) costs every install for
    nothing: each one in pyproject.toml is imported somewhere in the package."""
    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    declared = [re.split(r"[<>=!~\[ ;]", spec)[0] for spec in project["project"]["dependencies"]]
    imported: set[str] = set()
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                imported.add(node.value)  # a model loaded by name (importlib)
    unused = [name for name in declared if name.lower().replace("-", "_") not in imported]
    assert unused == []
