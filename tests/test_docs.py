"""Docs that cannot drift: generated reference pages match the code, the README's promises hold."""

from __future__ import annotations

import re

import pytest

from parallax.docs import LIMITS, PAGES
from parallax.errors import CATALOGUE, EXIT_CODE_MEANINGS, ExitCode
from parallax.settings import setting_names
from parallax.web.security import CONTENT_SECURITY_POLICY

from .conftest import ROOT


@pytest.mark.parametrize("name", sorted(PAGES))
def test_docs_generated_pages_are_current(name: str) -> None:
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert committed == PAGES[name](), f"run `python -m parallax.docs` to update docs/{name}"


def test_docs_every_exit_code_has_a_meaning() -> None:
    assert set(EXIT_CODE_MEANINGS) == set(ExitCode)


def test_docs_readme_quick_start_is_two_make_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```(?:sh|bash|console)?\n(.*?)```", readme, re.S)
    assert block is not None
    assert block.group(1).split("\n")[:2] == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_docs_security_page_names_only_catalogued_codes_and_real_settings() -> None:
    page = PAGES["security.md"]()
    assert "{{" not in page, "a marker of the template was left unfilled"
    assert set(re.findall(r"\bE\d{3}\b", page)) <= set(CATALOGUE)
    assert set(LIMITS) <= set(setting_names())
    for name in LIMITS:
        assert f"`PARALLAX_{name.upper()}`" in page


def test_docs_security_page_shows_the_headers_the_server_sends() -> None:
    assert f"content-security-policy: {CONTENT_SECURITY_POLICY}" in PAGES["security.md"]()
