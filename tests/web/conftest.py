"""A served store of the example corpus, and a real server on 127.0.0.1 for the browser.

The store is built once per session through the CLI path a user takes (`parallax ingest`,
which clusters and keeps each story's report); the server runs in a thread of this
process under uvicorn, bound to loopback on a free port.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from parallax.pipeline import IngestOptions, annotate_store, cluster_store, ingest, refresh_reports
from parallax.store import Store
from parallax.web import create_app
from tests.conftest import MADURO

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "corpus"
MANIFEST = ROOT / "examples" / "manifest.csv"


def build_store(path: Path, inputs: list[Path], options: IngestOptions | None = None) -> Path:
    with Store.open(path) as store:
        ingest(inputs, store, options)
        annotate_store(store)
        cluster_store(store)
        refresh_reports(store)
    return path


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("served")
    return build_store(folder / "examples.db", [CORPUS], IngestOptions(manifest=MANIFEST))


@pytest.fixture(scope="session")
def maduro_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two real articles of ``../shared/examples/maduro-letter``: plain text files, so
    neither has an outlet (the report names each ``unknown (file.txt)``) nor a headline."""
    if not MADURO.is_dir():
        pytest.skip(f"the real example articles are not at {MADURO}")
    return build_store(tmp_path_factory.mktemp("maduro") / "maduro.db", [MADURO])


@pytest.fixture(scope="session")
def client(example_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(example_db)) as found:
        yield found


class Server:
    """uvicorn in a thread; ``url`` is where it answers."""

    def __init__(self, db: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(db, reload_interval=0.0), host="127.0.0.1", port=self.port,
            log_level="warning",
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


XSS = {
    "title": '<script>window.__pwned = "title"</script>"><img src=x onerror="window.__pwned=1">',
    "outlet": '"><svg onload="window.__pwned=2"><script>alert(1)</script>',
    "author": "<img src=x onerror=alert(3)>",
    "url": "javascript:window.__pwned=4",
    "text": (
        'The council met on Monday. <script>window.__pwned = "text"</script> It voted. '
        '<svg><g onload="window.__pwned=5"></g></svg> "><img src=x onerror=alert(6)> '
        "The mayor said the plan would cost $4 million."
    ),
}


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    records = folder / "hostile.jsonl"
    rows = [
        dict(XSS, published_at="2026-05-04"),
        dict(XSS, outlet="Other Outlet", url="https://example.org/a", published_at="2026-05-04",
             text=XSS["text"] + " A second outlet reports it too."),
    ]  # fmt: skip
    records.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return build_store(folder / "hostile.db", [records])
