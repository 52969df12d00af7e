"""The gates' data is pinned by hash: a figure is only comparable with its floor on the
same files, so a changed corpus fails here instead of silently moving every gate.

After checking a deliberate change of ../shared/data, re-pin with
``python -m tests.quality.test_gate_data``, and note the change beside the figures.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from .conftest import DATA

PINNED = {
    "basil-dev": "d2db5b99f4f64d35860101af124e06b0adf0da85d13ce343c2d3f1ba0a83b1b2",
    "ecbplus-dev": "0c73f0178544b3904f97b8a4ab97bf5b207a11d6a21219c15efb81e981f4c59e",
    "polnear-dev": "44c8cd15ec6265959c8e7175e5802792855097c1a930c25c468ab7d7b284a76d",
    "tempeval3-train": "73bc29be38d47f0d2dbbda682b9d13cd9817060d9728d0dd91548d1a4caeeaab",
}
"""sha256 over every file of each corpus folder: relative path and bytes, in path order."""

pytestmark = pytest.mark.quality


def corpus_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@pytest.mark.parametrize("corpus", sorted(PINNED))
def test_gate_data_is_the_pinned_corpus(corpus: str) -> None:
    folder = DATA / corpus
    if not folder.is_dir():
        pytest.skip(f"{corpus} is not at {folder}")
    assert corpus_digest(folder) == PINNED[corpus], f"{folder} changed: check it, then re-pin"


if __name__ == "__main__":
    for name in sys.argv[1:] or sorted(PINNED):
        sys.stdout.write(f'    "{name}": "{corpus_digest(DATA / name)}",\n')
