"""The safe fetcher: every network read of Parallax goes through :class:`Fetcher`.

Pages and feeds come from hosts nobody vouches for, and Parallax may run inside a private
network, so one module decides what may be read and how: http and https only; no
connection to a loopback, private or metadata address (checked where the socket is opened,
see ``connect.py``), at every redirect hop, five hops at most; timeouts plus one deadline
over the whole fetch; a byte cap counted after decompression while the body streams; the
content type checked before the body is read; robots.txt honoured; each host asked
politely (a delay between requests, few connections); retries with backoff on timeouts,
failed connections, 5xx and 429, never on another 4xx. Each refusal is a catalogued
:class:`~parallax.errors.ParallaxError` (E070-E079) with the url as its source and the
reason, which is what ingest and watch quarantine.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from parallax.errors import ParallaxError
from parallax.model import VERSION
from parallax.settings import Settings, default_of
from parallax.sources.connect import (
    AddressRefused,
    Deadline,
    GuardedBackend,
    GuardedTransport,
    HostUnresolved,
    bounded_by,
)
from parallax.sources.robots import RobotsCache

logger = logging.getLogger("parallax.sources")

HTML = ("text/html", "application/xhtml+xml")
ANY = ("*/*",)
AGENT = "Parallax"
"""The product token robots.txt rules are matched against."""
ROBOTS_MAX_BYTES = 500 * 1024
"""The most of a robots.txt RFC 9309 asks crawlers to read."""
REDIRECTS = frozenset({301, 302, 303, 307, 308})


def _float(name: str) -> float:
    return float(default_of(name))


def _int(name: str) -> int:
    return int(default_of(name))


@dataclass(frozen=True)
class FetchPolicy:
    """How the fetcher behaves. The defaults are the settings' defaults (see
    ``docs/settings.md``); :meth:`from_settings` takes the resolved settings instead."""

    connect_timeout: float = _float("fetch_timeout")
    read_timeout: float = _float("fetch_timeout")
    deadline: float = _float("fetch_deadline")
    max_bytes: int = _int("fetch_max_bytes")
    max_redirects: int = 5
    accept: tuple[str, ...] = HTML
    """Media types fetched by default (``type/*`` and ``*/*`` work); ``fetch(accept=)``
    overrides it per call."""
    contact: str = str(default_of("fetch_contact"))
    allow_private: bool = bool(default_of("allow_private"))
    allow_exact: frozenset[tuple[str, int]] = frozenset()
    """``(address, port)`` pairs reachable whatever the address: one intranet service, or a
    test server on 127.0.0.1 while everything else stays refused."""
    min_delay: float = _float("fetch_delay")
    connections_per_host: int = _int("fetch_connections_per_host")
    retries: int = _int("fetch_retries")
    backoff: float = 0.5
    """Seconds before the first retry, doubled for each next one (with up to 25% jitter)."""
    max_backoff: float = 10.0
    """The longest wait before a retry; a Retry-After beyond it is not waited for."""
    robots: bool = True
    robots_ttl: float = 3600.0
    robots_error_ttl: float = 600.0
    max_crawl_delay: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        return cls(
            connect_timeout=settings.fetch_timeout,
            read_timeout=settings.fetch_timeout,
            deadline=settings.fetch_deadline,
            max_bytes=settings.fetch_max_bytes,
            contact=settings.fetch_contact,
            allow_private=bool(settings.allow_private),
            min_delay=settings.fetch_delay,
            connections_per_host=settings.fetch_connections_per_host,
            retries=settings.fetch_retries,
        )

    @property
    def user_agent(self) -> str:
        contact = self.contact.strip()
        return f"{AGENT}/{VERSION} (+{contact})" if contact else f"{AGENT}/{VERSION}"


@dataclass(frozen=True)
class Fetched:
    """One fetched response. ``not_modified`` (HTTP 304 to a conditional GET) has no body."""

    url: str
    """The url asked for."""
    final_url: str
    """The url the redirects ended at."""
    status: int
    headers: Mapping[str, str]
    """Response headers, names in lower case, repeated headers joined with ', '."""
    body: bytes
    """The body after Content-Encoding is undone, at most ``max_bytes``."""
    content_type: str | None
    charset: str | None
    fetched_at: str
    """When the response came, ISO 8601 in UTC."""
    redirects: tuple[str, ...] = ()
    """Each url that redirected, in order (the asked url first)."""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class _Ask:
    """What one fetch asks for: the types taken, the byte cap, robots, extra headers."""

    accept: tuple[str, ...]
    max_bytes: int
    robots: bool
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Answer:
    url: httpx.URL
    status: int
    headers: Mapping[str, str]
    body: bytes = b""
    content_type: str | None = None
    charset: str | None = None


class Fetcher:
    """One httpx client over the guarded transport, the robots cache and each host's turn.

    Use as a context manager (or call :meth:`close`). Thread-safe: several threads may
    fetch at once, and each host still sees at most ``connections_per_host`` of them."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        backend = GuardedBackend(
            allow_private=self.policy.allow_private, allow_exact=self.policy.allow_exact
        )
        self._client = httpx.Client(
            transport=GuardedTransport(backend, connections=64),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._robots = RobotsCache(
            agent=AGENT, ttl=self.policy.robots_ttl, error_ttl=self.policy.robots_error_ttl
        )
        self._hosts: dict[str, _HostTurn] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        accept: Sequence[str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """GET ``url`` under the policy. ``etag`` and ``last_modified`` (from an earlier
        fetch) make it a conditional GET: an unchanged resource comes back ``not_modified``.
        Raises :class:`ParallaxError` E070-E079 (source: ``url``) when it cannot."""
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        types = tuple(accept) if accept is not None else self.policy.accept
        ask = _Ask(types, self.policy.max_bytes, self.policy.robots, headers)
        deadline = Deadline(self.policy.deadline)
        with bounded_by(deadline):
            answer, chain = self._follow(url, ask, deadline, source=url)
        if not (200 <= answer.status < 300 or answer.status == 304):
            raise ParallaxError("E077", url, _status_detail(answer, url))
        return Fetched(
            url=url,
            final_url=str(answer.url),
            status=answer.status,
            headers=answer.headers,
            body=answer.body,
            content_type=answer.content_type,
            charset=answer.charset,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            redirects=chain,
            etag=answer.headers.get("etag", etag if answer.status == 304 else None),
            last_modified=answer.headers.get(
                "last-modified", last_modified if answer.status == 304 else None
            ),
        )

    def _follow(
        self, url: str, ask: _Ask, deadline: Deadline, *, source: str
    ) -> tuple[_Answer, tuple[str, ...]]:
        """The final answer, every hop's scheme checked here and address in the transport."""
        current = _checked(url, source)
        chain: list[str] = []
        while True:
            if ask.robots:
                self._check_robots(current, deadline, source)
            answer = self._with_retries(current, ask, deadline, source)
            location = answer.headers.get("location")
            if answer.status not in REDIRECTS or not location:
                return answer, tuple(chain)
            if len(chain) >= self.policy.max_redirects:
                detail = f"more than {self.policy.max_redirects}; the last went to {location}"
                raise ParallaxError("E078", source, detail)
            chain.append(str(current))
            current = _checked(_join(current, location, source), source)
            logger.debug("%s: redirected to %s", source, current)

    def _check_robots(self, url: httpx.URL, deadline: Deadline, source: str) -> None:
        def load(robots_url: str) -> tuple[int, bytes]:
            ask = _Ask(ANY, ROBOTS_MAX_BYTES, robots=False)
            answer, _ = self._follow(robots_url, ask, deadline, source=source)
            return answer.status, answer.body

        reason = self._robots.refusal(url, load)
        if reason is not None:
            raise ParallaxError("E073", source, reason)
        asked = self._robots.crawl_delay(url)
        if asked is not None:
            wanted = max(self.policy.min_delay, min(asked, self.policy.max_crawl_delay))
            self._turn(url).delay = wanted

    def _with_retries(self, url: httpx.URL, ask: _Ask, deadline: Deadline, source: str) -> _Answer:
        attempt = 0
        while True:
            try:
                answer = self._exchange(url, ask, deadline, source)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                if attempt >= self.policy.retries or not self._pause(attempt, None, deadline):
                    raise _failure(exc, url, deadline, source) from None
                logger.debug("%s: %s, retrying", url, type(exc).__name__)
            except httpx.HTTPError as exc:
                raise _failure(exc, url, deadline, source) from None
            else:
                if not _retryable(answer.status) or attempt >= self.policy.retries:
                    return answer
                if not self._pause(attempt, _retry_after(answer.headers), deadline):
                    return answer
                logger.debug("%s: HTTP %d, retrying", url, answer.status)
            attempt += 1

    def _pause(self, attempt: int, asked: float | None, deadline: Deadline) -> bool:
        """Wait before retry ``attempt + 1``; False when the wait is too long to make."""
        wait = min(self.policy.backoff * 2**attempt, self.policy.max_backoff)
        wait = asked if asked is not None else wait * (1 + random.random() / 4)
        if wait > self.policy.max_backoff or wait >= deadline.remaining():
            return False
        time.sleep(wait)
        return True

    def _exchange(self, url: httpx.URL, ask: _Ask, deadline: Deadline, source: str) -> _Answer:
        """One request and its answer, the body read only for a 2xx, inside the host's turn."""
        with self._turn(url).taken(deadline):
            request = self._client.build_request(
                "GET",
                url,
                headers={"Accept": ", ".join(ask.accept), **ask.headers},
                timeout=self._timeout(url, deadline, source),
            )
            logger.debug("GET %s", url)
            try:
                response = self._client.send(request, stream=True)
            except AddressRefused as exc:
                raise ParallaxError("E070", source, f"{exc}{_at(url, source)}") from None
            except HostUnresolved as exc:
                raise ParallaxError("E072", source, f"{exc}{_at(url, source)}") from None
            except httpx.InvalidURL as exc:  # httpx reads a redirect's Location as it answers
                detail = f"a redirect's Location: {exc}{_at(url, source)}"
                raise ParallaxError("E071", source, detail) from None
            try:
                return _answer(response, url, ask, deadline, source)
            finally:
                response.close()

    def _timeout(self, url: httpx.URL, deadline: Deadline, source: str) -> httpx.Timeout:
        left = deadline.remaining()
        if left <= 0:
            raise ParallaxError("E075", source, _deadline_detail(deadline, url, source))
        read = min(self.policy.read_timeout, left)
        connect = min(self.policy.connect_timeout, left)
        return httpx.Timeout(connect=connect, read=read, write=read, pool=left)

    def _turn(self, url: httpx.URL) -> _HostTurn:
        with self._lock:
            turn = self._hosts.get(url.host)
            if turn is None:
                policy = self.policy
                turn = self._hosts[url.host] = _HostTurn(
                    policy.connections_per_host, policy.min_delay
                )
            return turn


class _HostTurn:
    """Politeness towards one host: at most ``connections`` requests open at once, and each
    starting ``delay`` seconds or more after the start and after the end of the one before.
    The wait is not the fetch's time: the deadline is paused while it lasts."""

    def __init__(self, connections: int, delay: float) -> None:
        self.delay = delay
        self._slots = threading.BoundedSemaphore(connections)
        self._lock = threading.Lock()
        self._next = 0.0

    @contextmanager
    def taken(self, deadline: Deadline) -> Iterator[None]:
        with deadline.paused():
            self._slots.acquire()
            with self._lock:
                time.sleep(max(0.0, self._next - time.monotonic()))
                self._next = time.monotonic() + self.delay
        try:
            yield
        finally:
            with self._lock:
                self._next = max(self._next, time.monotonic() + self.delay)
            self._slots.release()


def _checked(url: str | httpx.URL, source: str) -> httpx.URL:
    """``url`` parsed, if it is http or https with a host; the fragment dropped."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ParallaxError("E071", source, str(exc)) from None
    if parsed.scheme not in ("http", "https"):
        raise ParallaxError("E071", source, f"the scheme is {parsed.scheme or 'missing'!r}")
    if not parsed.host:
        raise ParallaxError("E071", source, "no host")
    return parsed.copy_with(fragment=None)


def _join(base: httpx.URL, location: str, source: str) -> httpx.URL:
    try:
        return base.join(location)
    except httpx.InvalidURL as exc:
        raise ParallaxError("E071", source, f"redirect to {location!r}: {exc}") from None


def _answer(
    response: httpx.Response, url: httpx.URL, ask: _Ask, deadline: Deadline, source: str
) -> _Answer:
    headers = dict(response.headers.items())
    if not 200 <= response.status_code < 300:
        return _Answer(url, response.status_code, headers)
    media, charset = _content_type(headers.get("content-type", ""))
    if not _accepted(media, ask.accept):
        taken = ", ".join(ask.accept)
        detail = f"{media or 'no Content-Type'}{_at(url, source)}; asked for {taken}"
        raise ParallaxError("E076", source, detail)
    length = headers.get("content-length", "")
    if length.isdigit() and int(length) > ask.max_bytes:
        raise ParallaxError("E074", source, f"{length} bytes (Content-Length)", limit=ask.max_bytes)
    body = _body(response, headers.get("content-encoding", ""), ask.max_bytes, deadline, source)
    return _Answer(url, response.status_code, headers, body, media, charset)


def _body(
    response: httpx.Response, encoding: str, limit: int, deadline: Deadline, source: str
) -> bytes:
    """The body, decompressed as it streams: reading stops as soon as it passes ``limit``,
    so a small compressed body that would inflate to gigabytes never does."""
    inflater = _Inflater(encoding, source)
    parts: list[bytes] = []
    size = 0
    for raw in response.iter_raw():
        for part in inflater.feed(raw, limit - size):
            size += len(part)
            if size > limit:
                detail = f"{size} bytes and more after decompression"
                raise ParallaxError("E074", source, detail, limit=limit)
            parts.append(part)
        if deadline.passed:
            raise ParallaxError("E075", source, _deadline_detail(deadline, response.url, source))
    return b"".join(parts)


class _Inflater:
    """A Content-Encoding (identity, gzip, deflate: what Parallax asks for) undone piece by
    piece, each step giving at most one byte more than the room left."""

    def __init__(self, encoding: str, source: str) -> None:
        self.encoding = encoding.strip().lower()
        self.source = source
        if self.encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise ParallaxError("E076", source, f"Content-Encoding {encoding}")
        self.identity = self.encoding in ("", "identity")
        self._zlib = self._start()
        self._given = 0
        self._raw = False

    def _start(self) -> zlib._Decompress:
        return zlib.decompressobj(
            16 + zlib.MAX_WBITS if "gzip" in self.encoding else zlib.MAX_WBITS
        )

    def feed(self, data: bytes, room: int) -> Iterator[bytes]:
        if self.identity:
            yield data
            return
        while data:
            try:
                out = self._zlib.decompress(data, max(room, 0) + 1)
            except zlib.error as exc:
                data = self._retry_raw(data, exc)
                continue
            data = self._zlib.unconsumed_tail
            if self._zlib.eof and self._zlib.unused_data and self.encoding != "deflate":
                data, self._zlib = self._zlib.unused_data, self._start()  # the next gzip member
            room -= len(out)
            self._given += len(out)
            if out:
                yield out

    def _retry_raw(self, data: bytes, exc: zlib.error) -> bytes:
        """Some servers send raw deflate for "deflate" (seen at the start); anything else
        corrupt is refused."""
        if self.encoding == "deflate" and self._given == 0 and not self._raw:
            self._raw = True
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            return data
        raise ParallaxError("E011", self.source, f"{self.encoding} body: {exc}") from None


def _content_type(header: str) -> tuple[str | None, str | None]:
    media, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return media.strip().lower() or None, charset


def _accepted(media: str | None, accept: tuple[str, ...]) -> bool:
    if "*/*" in accept:
        return True
    if media is None:
        return False
    return media in accept or media.split("/")[0] + "/*" in accept


def _retryable(status: int) -> bool:
    return status == 429 or 500 <= status < 600


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Retry-After in seconds (a number or an HTTP date), if given and readable."""
    raw = headers.get("retry-after", "").strip()
    if raw.isdigit():
        return float(raw)
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds()) if when.tzinfo else None


def _at(url: httpx.URL, source: str) -> str:
    """Where a failure happened, when it is not the url asked for (a redirect's target)."""
    return "" if url == _checked(source, source) else f" at {url}"


def _status_detail(answer: _Answer, source: str) -> str:
    phrase = httpx.codes.get_reason_phrase(answer.status)
    return f"{answer.status} {phrase}".strip() + _at(answer.url, source)


def _deadline_detail(deadline: Deadline, url: httpx.URL, source: str) -> str:
    return f"the deadline of {deadline.seconds:g} s passed{_at(url, source)}"


def _failure(exc: httpx.HTTPError, url: httpx.URL, deadline: Deadline, source: str) -> Exception:
    where = _at(url, source)
    if isinstance(exc, httpx.TimeoutException):
        if deadline.passed:
            return ParallaxError("E075", source, _deadline_detail(deadline, url, source))
        return ParallaxError("E075", source, f"{type(exc).__name__}: {exc or 'timed out'}{where}")
    return ParallaxError("E079", source, f"{type(exc).__name__}: {exc}{where}")
