"""Where a host name becomes a socket: the address check, and the deadline over every byte.

Checking a url's host and then letting the HTTP library connect leaves a gap: the name can
resolve to a public address for the check and to 127.0.0.1 for the connection (DNS
rebinding). So the check sits in the network backend httpcore opens every connection
through: the name is resolved once, every address it resolves to is checked, and the socket
is opened to a checked address, never to the name. TLS is unchanged: httpcore passes the
url's host name to ``start_tls`` (SNI and certificate verification), and the Host header
comes from the url. Proxies are never used, so no other path leads to the network.

The same backend bounds each read and write by the deadline of the fetch running on the
thread, so a server that drips a byte a second is cut at the deadline wherever it drips:
in the TLS handshake, the headers or the body.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
"""Cloud metadata services (AWS, GCP, Azure, OpenStack; AWS over IPv6; Alibaba): what a
server-side request forgery is after, so refused even where private addresses are allowed."""

THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
SHARED = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(Exception):
    """The host resolves to an address Parallax must not connect to (the reason is the text)."""


class HostUnresolved(Exception):
    """The host name does not resolve (the reason is the text)."""


def address_refusal(address: str, *, allow_private: bool = False) -> str | None:
    """Why Parallax refuses to connect to ``address`` (an IP literal), or ``None``: the
    reason names the address and its kind ("127.0.0.1 is a loopback address").

    Loopback, private, link-local, shared (carrier-grade NAT) and other non-public addresses
    are refused unless ``allow_private``; unspecified, multicast, reserved and cloud metadata
    addresses always are. An IPv6 address that carries an IPv4 one (IPv4-mapped, NAT64, 6to4,
    Teredo) is judged by the IPv4 address too."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            kind, opened = _kind(inner)
            if kind is not None and not (opened and allow_private):
                return f"{ip} carries {inner}, {kind}"
            if ip.ipv4_mapped is not None or ip in NAT64:
                return None
    kind, opened = _kind(ip)
    if kind is None or (opened and allow_private):
        return None
    return f"{ip} is {kind}"


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    return ip.teredo[1] if ip.teredo is not None else None


def _kind(ip: Address) -> tuple[str | None, bool]:
    """What kind of non-public address ``ip`` is, and whether ``allow_private`` opens it."""
    if ip in METADATA:
        return "a cloud metadata address", False
    if ip.is_unspecified or ip in THIS_NETWORK:
        return "an unspecified address", False
    if ip.is_loopback:
        return "a loopback address", True
    if ip.is_multicast:
        return "a multicast address", False
    if ip.is_link_local:
        return "a link-local address", True
    if ip in SHARED:
        return "a shared address (carrier-grade NAT)", True
    if ip.is_reserved:
        return "a reserved address", False
    if ip.is_private:
        return "a private address", True
    if not ip.is_global:
        return "not a public address", True
    return None, False


class Deadline:
    """One monotonic instant a fetch must end by. Time spent waiting for a host's turn is
    not the fetch's: :meth:`paused` moves the instant by that much."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    @property
    def passed(self) -> bool:
        return self.remaining() <= 0

    @contextmanager
    def paused(self) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
        finally:
            self.at += time.monotonic() - start


_running = threading.local()
"""The deadline of the fetch on this thread: httpx's sync client does its I/O on the
calling thread, so this is what the streams of that fetch read."""


@contextmanager
def bounded_by(deadline: Deadline) -> Iterator[None]:
    """Every connect, read and write on this thread ends by ``deadline`` while inside."""
    previous = getattr(_running, "deadline", None)
    _running.deadline = deadline
    try:
        yield
    finally:
        _running.deadline = previous


def _bounded(timeout: float | None, timeout_error: type[Exception]) -> float | None:
    deadline: Deadline | None = getattr(_running, "deadline", None)
    if deadline is None:
        return timeout
    remaining = deadline.remaining()
    if remaining <= 0:
        raise timeout_error(f"the deadline of {deadline.seconds:g} s passed")
    return remaining if timeout is None else min(timeout, remaining)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's sync backend, connecting only to addresses :func:`address_refusal` allows.

    ``allow_exact`` holds ``(address, port)`` pairs allowed whatever their address: one
    intranet service, or a test server on 127.0.0.1 while everything else stays refused."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        allow_exact: Iterable[tuple[str, int]] = (),
        inner: httpcore.NetworkBackend | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.allow_exact = frozenset(allow_exact)
        self._inner = inner or httpcore.SyncBackend()

    def vetted(self, host: str, port: int) -> list[str]:
        """The addresses ``host`` resolves to, once, each checked; refused if any is refused
        (a name that mixes public and private addresses is not a public name)."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise HostUnresolved(f"{host}: {getattr(exc, 'strerror', None) or exc}") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        for address in addresses:
            if (address, port) in self.allow_exact:
                continue
            reason = address_refusal(address, allow_private=self.allow_private)
            if reason is not None:
                raise AddressRefused(reason if host == address else f"{host}: {reason}")
        return addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: httpcore.ConnectError | None = None
        for address in self.vetted(host, port):
            try:
                stream = self._inner.connect_tcp(
                    address,
                    port,
                    timeout=_bounded(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                failure = exc
                continue
            return DeadlineStream(stream)
        raise failure or httpcore.ConnectError(f"{host}: no address")

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise AddressRefused(f"{path}: unix sockets are never used")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake ends by the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport over a connection pool built on :class:`GuardedBackend`.

    httpx does not take a network backend yet (encode/httpx#3749), so the pool it builds is
    replaced by the same pool with the backend. The DNS rebinding test in
    ``tests/sources/test_fetch.py`` fails if a later httpx stops using it."""

    def __init__(self, backend: GuardedBackend, *, connections: int) -> None:
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        super().__init__(limits=limits, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )
