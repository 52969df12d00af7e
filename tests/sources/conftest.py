"""A real HTTP server on 127.0.0.1 for the fetcher's tests: routes set per test, every request
recorded (path, time, headers), so a test can assert what was and was not asked for."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

Route = Callable[["Handler"], None]


@dataclass
class Seen:
    path: str
    at: float
    headers: dict[str, str]


@dataclass
class Site:
    """The state a test sets and reads: routes by path, and the requests seen."""

    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    stopped: threading.Event = field(default_factory=threading.Event)
    active: int = 0
    most_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [seen.path for seen in self.seen]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: Site

    def do_GET(self) -> None:
        site = self.site
        with site.lock:
            site.seen.append(Seen(self.path, time.monotonic(), dict(self.headers.items())))
            site.active += 1
            site.most_active = max(site.most_active, site.active)
        try:
            site.routes.get(self.path, not_found)(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            with site.lock:
                site.active -= 1

    def answer(self, status: int, body: bytes = b"", **headers: str) -> None:
        """Send a whole response (header names with ``_`` for ``-``)."""
        self.send_response(status)
        headers.setdefault("Content_Type", "text/html; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def not_found(handler: Handler) -> None:
    handler.answer(404, b"not here")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up on purpose (a cut body) is what these tests do


def serve(site: Site) -> Iterator[Site]:
    handler = type("SiteHandler", (Handler,), {"site": site})
    server = Server(("127.0.0.1", 0), handler)
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.stopped.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def site() -> Iterator[Site]:
    yield from serve(Site())


@pytest.fixture
def other_site() -> Iterator[Site]:
    """A second server, to show a refused redirect never reaches it."""
    yield from serve(Site())
