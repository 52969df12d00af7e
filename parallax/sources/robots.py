"""robots.txt honoured, fetched once per site and kept for a while.

A site says what crawlers may read in its robots.txt (RFC 9309); Parallax reads a site's
pages only where it allows. The answer is read as Google reads it: a robots.txt that is
missing (any 4xx but 429) allows everything; one the server fails to give (5xx, 429) closes
the whole site until the short error time to live runs out, since a server in trouble is
asked to be left alone. The file itself is fetched by the ``load`` the caller passes,
through the same guarded fetcher (and within the same deadline) as the page it is about.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

import httpx

Load = Callable[[str], tuple[int, bytes]]
"""Fetch a robots.txt url: its final status and body."""


@dataclass(frozen=True)
class _Rules:
    parser: RobotFileParser | None
    """None: everything is allowed."""
    closed: str | None
    """Why the whole site is closed, when its robots.txt could not be had."""
    expires: float


class RobotsCache:
    """The robots rules of each site (scheme, host, port), loaded on first use, per
    ``agent`` token (``Parallax``). Thread-safe: one site's file is fetched once at a time."""

    def __init__(self, *, agent: str, ttl: float, error_ttl: float) -> None:
        self.agent = agent
        self.ttl = ttl
        self.error_ttl = error_ttl
        self._rules: dict[str, _Rules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def refusal(self, url: httpx.URL, load: Load) -> str | None:
        """Why robots.txt forbids ``url`` to this agent, or ``None`` when it may be fetched;
        ``load`` fetches the site's robots.txt when it is not known or has expired."""
        rules = self._rules_for(url, load)
        if rules.closed is not None:
            return rules.closed
        if rules.parser is None or rules.parser.can_fetch(self.agent, str(url)):
            return None
        return f"{_origin(url)}/robots.txt disallows {url.raw_path.decode()} for {self.agent}"

    def crawl_delay(self, url: httpx.URL) -> float | None:
        """The Crawl-delay the site asks of this agent, in seconds, if its rules are known."""
        rules = self._rules.get(_origin(url))
        parser = rules.parser if rules is not None else None
        delay = parser.crawl_delay(self.agent) if parser is not None else None
        return float(delay) if delay is not None else None

    def _rules_for(self, url: httpx.URL, load: Load) -> _Rules:
        origin = _origin(url)
        with self._lock:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            rules = self._rules.get(origin)
            if rules is None or rules.expires <= time.monotonic():
                rules = self._rules[origin] = self._read(origin, load)
            return rules

    def _read(self, origin: str, load: Load) -> _Rules:
        status, body = load(origin + "/robots.txt")
        now = time.monotonic()
        if 200 <= status < 300:
            parser = RobotFileParser()
            parser.parse(body.decode("utf-8", errors="replace").splitlines())
            return _Rules(parser, None, now + self.ttl)
        if 400 <= status < 500 and status != 429:
            return _Rules(None, None, now + self.ttl)
        closed = (
            f"{origin}/robots.txt answered HTTP {status}, so the site is treated as closed "
            f"for {self.error_ttl:g} s"
        )
        return _Rules(None, closed, now + self.error_ttl)


def _origin(url: httpx.URL) -> str:
    return str(httpx.URL(scheme=url.scheme, host=url.host, port=url.port))
