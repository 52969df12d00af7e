"""``parallax serve``: loopback unless told otherwise, a warning when told otherwise, and
on loopback no answer to a Host header from elsewhere (DNS rebinding)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import parallax.web
from parallax.cli import app as cli
from parallax.web.server import allowed_hosts, is_loopback, serve


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What ``parallax serve`` would have started, instead of starting it."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(parallax.web, "serve", lambda db, **kw: calls.append({"db": db, **kw}))
    return calls


def test_serve_binds_to_loopback_by_default_without_a_warning(
    example_db: Path, started: list[dict[str, Any]]
) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(example_db)])
    assert result.exit_code == 0, result.output
    assert started == [
        {"db": example_db, "host": "127.0.0.1", "port": 8000, "reload_interval": 2.0}
    ]
    assert "warning" not in result.stderr
    assert "http://127.0.0.1:8000/" in result.stderr


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_serve_on_another_address_warns_that_the_data_is_published(
    example_db: Path, started: list[dict[str, Any]], host: str
) -> None:
    args = ["serve", "--host", host, "--port", "8123", "--db", str(example_db)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert started[0]["host"] == host and started[0]["port"] == 8123
    words = " ".join(result.stderr.split())
    assert "warning:" in words and "readable by anyone" in words and host in words


def test_serve_of_a_missing_store_fails_before_binding(
    tmp_path: Path, started: list[dict[str, Any]]
) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and started == []


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True),
     ("[::1]", True), ("0.0.0.0", False), ("::", False), ("10.0.0.1", False),
     ("example.org", False)],
)  # fmt: skip
def test_serve_knows_which_addresses_are_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    assert (allowed_hosts(host) is not None) is loopback


@pytest.mark.parametrize(("host", "foreign_allowed"), [("127.0.0.1", False), ("0.0.0.0", True)])
def test_serve_on_loopback_refuses_a_foreign_host_header(
    example_db: Path, monkeypatch: pytest.MonkeyPatch, host: str, foreign_allowed: bool
) -> None:
    """The app ``serve`` hands to uvicorn answers only loopback names when bound there."""
    ran: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: ran.update(app=app, **kw))
    serve(example_db, host=host, port=8124)
    assert ran["host"] == host and ran["port"] == 8124 and ran["server_header"] is False
    with TestClient(ran["app"]) as client:
        assert client.get("/", headers={"host": "127.0.0.1:8124"}).status_code == 200
        foreign = client.get("/", headers={"host": "rebound.example"}).status_code
        assert (foreign == 200) is foreign_allowed
        if not foreign_allowed:
            assert foreign == 400
