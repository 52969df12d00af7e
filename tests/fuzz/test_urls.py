"""Urls and the address checks (``sources/fetch.py``, ``connect.py``): any string given to
the fetcher, and any set of addresses its host may resolve to (DNS rebinding, IPv6 forms
that carry an IPv4 address). Nothing here reaches the network: name resolution answers
with the fuzzed addresses, and a connection attempt is recorded and refused."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import httpcore
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.errors import ParallaxError
from parallax.sources import Fetcher, FetchPolicy, address_refusal

from .conftest import assert_catalogued, fuzz, within
from .strategies import urls

pytestmark = pytest.mark.fuzz
FETCH_CODES = {f"E07{n}" for n in range(10)}
SPECIAL = (
    "127.0.0.1", "10.0.0.1", "169.254.169.254", "100.100.100.200", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "240.0.0.1", "255.255.255.255", "192.168.1.1", "172.16.0.1", "8.8.8.8",
    "::1", "::", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe",
    "64:ff9b::808:808", "2002:7f00:1::", "2001:0:4136:e378:8000:63bf:80ff:fffe", "fe80::1",
    "fc00::1", "fd00:ec2::254", "ff02::1", "2606:4700::1111", "::127.0.0.1",
)  # fmt: skip
addresses = st.one_of(st.sampled_from(SPECIAL), st.ip_addresses().map(str))


def _carried(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[Any]:
    """The address and every IPv4 address an IPv6 form carries (mapped, NAT64, 6to4,
    Teredo): each must be public for a connection to be allowed."""
    found: list[Any] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            found.append(ip.ipv4_mapped)
        if ip in ipaddress.ip_network("64:ff9b::/96"):
            found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour:
            found.append(ip.sixtofour)
        if ip.teredo:
            found.extend(ip.teredo)
    return found


def _never_public(address: str) -> bool:
    """Independent of the checker: an address no public host has."""
    return any(not a.is_global or a.is_multicast for a in _carried(ipaddress.ip_address(address)))


@fuzz(examples=200)
@given(addresses)
def test_urls_address_refusal_refuses_every_non_public_form(address: str) -> None:
    """An address that is (or carries) a non-public one is refused; metadata, multicast and
    unspecified addresses even where private ones are allowed."""
    refused = address_refusal(address)
    if _never_public(address):
        assert refused is not None, address
    ip = ipaddress.ip_address(address)
    if ip.is_multicast or ip.is_unspecified or address in ("169.254.169.254", "fd00:ec2::254"):
        assert address_refusal(address, allow_private=True) is not None


@contextmanager
def _offline(resolved: list[str]) -> Iterator[list[tuple[str, int]]]:
    """Name resolution answers ``resolved`` for every host; every connection attempt is
    recorded, then fails as an unreachable host would."""
    attempts: list[tuple[str, int]] = []

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        family = socket.AF_INET6
        return [
            (socket.AF_INET if ":" not in a else family, socket.SOCK_STREAM, 6, "", (a, port))
            for a in resolved
        ]

    def connect(self: Any, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        attempts.append((host, port))
        raise httpcore.ConnectError(f"{host}: unreachable (offline test)")

    with (
        mock.patch.object(socket, "getaddrinfo", resolve),
        mock.patch.object(httpcore.SyncBackend, "connect_tcp", connect),
    ):
        yield attempts


@fuzz(examples=20)
@given(urls(), st.lists(addresses, min_size=1, max_size=3), st.booleans())
def test_urls_fetch_refuses_or_connects_only_where_allowed(
    url: str, resolved: list[str], allow_private: bool
) -> None:
    """Any url, any resolution: a catalogued fetch error (E070-E079), and a connection only
    to an address the host resolved to, only when every one of them is allowed."""
    policy = FetchPolicy(robots=False, retries=0, min_delay=0, allow_private=allow_private)
    with _offline(resolved) as attempts, Fetcher(policy) as fetcher, within():
        try:
            fetcher.fetch(url)
        except ParallaxError as error:
            assert_catalogued(error.code, url)
            assert error.code in FETCH_CODES, error
        else:
            raise AssertionError(f"{url} fetched with no network")
    for address, _ in attempts:
        assert address in resolved
        assert all(address_refusal(a, allow_private=allow_private) is None for a in resolved)
        if not allow_private:
            assert not any(_never_public(a) for a in resolved), resolved


class _Canned(httpcore.NetworkStream):
    """A connection that answers one canned HTTP response, whatever was asked."""

    def __init__(self, response: bytes) -> None:
        self._left = response

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        piece, self._left = self._left[:max_bytes], self._left[max_bytes:]
        return piece

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        return None

    def close(self) -> None:
        return None

    def get_extra_info(self, info: str) -> Any:
        return None

    def start_tls(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return self  # https: the same canned answer, as if over TLS


ORIGIN = "93.184.216.34"
"""The address the first host resolves to in the redirect test (never connected to: the
connection is canned)."""
PAGE = b"<html><body><article><p>The council met on Monday.</p></article></body></html>"


def _response(status: str, headers: list[tuple[bytes, bytes]], body: bytes = b"") -> bytes:
    lines = [f"HTTP/1.1 {status}".encode(), *(k + b": " + v for k, v in headers)]
    lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


@fuzz(examples=20)
@given(
    st.one_of(urls().map(lambda u: u.encode("utf-8", "replace")), st.binary(max_size=40)),
    st.lists(addresses, min_size=1, max_size=2),
)
def test_urls_redirects_are_checked_again(location: bytes, resolved: list[str]) -> None:
    """A public page redirects to any Location: the target is checked like the first url
    (scheme, host, address), so a fetch ends with a page only from an allowed address."""
    connected: list[str] = []

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        answer = [ORIGIN] if host == "origin.example" else resolved
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answer]

    def connect(self: Any, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        connected.append(host)
        if host == ORIGIN:
            return _Canned(_response("302 Found", [(b"Location", location)]))
        return _Canned(_response("200 OK", [(b"Content-Type", b"text/html")], PAGE))

    policy = FetchPolicy(robots=False, retries=0, min_delay=0)
    with (
        mock.patch.object(socket, "getaddrinfo", resolve),
        mock.patch.object(httpcore.SyncBackend, "connect_tcp", connect),
        Fetcher(policy) as fetcher,
        within(),
    ):
        try:
            fetched = fetcher.fetch("http://origin.example/")
        except ParallaxError as error:
            assert error.code in FETCH_CODES, error
            fetched = None
    for address in connected[1:]:
        if address != ORIGIN:  # a relative Location leads back to the first host
            assert address in resolved and not _never_public(address), (location, resolved)
    if fetched is not None and fetched.redirects:
        assert fetched.body == PAGE
