"""The safe fetcher against real servers on 127.0.0.1 (allowed with ``allow_private``, except
where the refusal is the point): caps, deadlines, redirects, addresses, robots, retries,
conditional GET and politeness. Offline: no test needs the internet."""

from __future__ import annotations

import gzip
import itertools
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from parallax import Settings
from parallax.errors import ParallaxError, UsageError
from parallax.sources import Fetched, Fetcher, FetchPolicy, address_refusal

from .conftest import Handler, Site

POLICY = FetchPolicy(
    allow_private=True,
    min_delay=0,
    backoff=0.01,
    connect_timeout=2,
    read_timeout=2,
    deadline=5,
    contact="ops@example.org",
)
PAGE = b"<html><head><title>Ferry</title></head><body><p>The ferry left.</p></body></html>"


def fetch(url: str, policy: FetchPolicy = POLICY, **kwargs: Any) -> Fetched:
    with Fetcher(policy) as fetcher:
        return fetcher.fetch(url, **kwargs)


def refused(url: str, policy: FetchPolicy = POLICY, **kwargs: Any) -> ParallaxError:
    with pytest.raises(ParallaxError) as raised:
        fetch(url, policy, **kwargs)
    assert raised.value.source == url
    return raised.value


def page(handler: Handler) -> None:
    handler.answer(200, PAGE)


def test_fetch_reads_a_page(site: Site) -> None:
    site.routes["/a"] = page
    fetched = fetch(site.url("/a#top"))
    assert (fetched.status, fetched.body, fetched.final_url) == (200, PAGE, site.url("/a"))
    assert (fetched.content_type, fetched.charset, fetched.redirects) == ("text/html", "utf-8", ())
    assert datetime.fromisoformat(fetched.fetched_at).utcoffset() is not None
    agent = site.seen[-1].headers["User-Agent"]
    assert agent.startswith("Parallax/") and agent.endswith("(+ops@example.org)")
    assert site.paths() == ["/robots.txt", "/a"]


def test_fetch_undoes_gzip_and_deflate(site: Site) -> None:
    site.routes["/gz"] = lambda h: h.answer(200, gzip.compress(PAGE), Content_Encoding="gzip")
    site.routes["/raw"] = lambda h: h.answer(
        200, zlib.compress(PAGE)[2:-4], Content_Encoding="deflate"
    )
    assert fetch(site.url("/gz")).body == PAGE
    assert fetch(site.url("/raw")).body == PAGE


def test_fetch_refuses_a_content_type_not_asked_for(site: Site) -> None:
    site.routes["/img"] = lambda h: h.answer(200, b"\x89PNG", Content_Type="image/png")
    error = refused(site.url("/img"))
    assert error.code == "E076" and "image/png" in error.reason
    assert fetch(site.url("/img"), accept=["image/*"]).body == b"\x89PNG"


def test_fetch_refuses_a_content_length_over_the_cap_without_reading(site: Site) -> None:
    def huge(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(10**9))
        handler.end_headers()
        handler.wfile.write(b"x" * 1000)
        handler.wfile.flush()
        site.stopped.wait(3)  # reading the body would wait here

    site.routes["/huge"] = huge
    start = time.monotonic()
    error = refused(site.url("/huge"), replace(POLICY, max_bytes=10_000))
    assert error.code == "E074" and "Content-Length" in error.reason and "10000" in error.reason
    assert time.monotonic() - start < 1


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """About 100 kB of gzip that inflates to 100 MiB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    return b"".join(packer.compress(zeros) for _ in range(100)) + packer.flush()


def test_fetch_cuts_a_gzip_bomb_at_the_cap(site: Site, bomb: bytes) -> None:
    assert len(bomb) < 200_000
    site.routes["/bomb"] = lambda h: h.answer(200, bomb, Content_Encoding="gzip")
    tracemalloc.start()
    try:
        error = refused(site.url("/bomb"), replace(POLICY, max_bytes=1 << 20))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "E074" and "after decompression" in error.reason
    assert peak < 8 << 20, f"{peak} bytes held for a cap of 1 MiB"


def drip_body(site: Site) -> Callable[[Handler], None]:
    def drip(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        while not site.stopped.wait(0.05):
            handler.wfile.write(b"x")
            handler.wfile.flush()

    return drip


def drip_headers(site: Site) -> Callable[[Handler], None]:
    def drip(handler: Handler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        while not site.stopped.wait(0.05):
            handler.wfile.write(b"X-Slow: 1\r\n")
            handler.wfile.flush()

    return drip


@pytest.mark.parametrize("drip", [drip_body, drip_headers], ids=["body", "headers"])
def test_fetch_cuts_a_slow_drip_at_the_deadline(
    site: Site, drip: Callable[[Site], Callable[[Handler], None]]
) -> None:
    """Each byte comes well within the read timeout; only the deadline stops the fetch."""
    site.routes["/drip"] = drip(site)
    policy = replace(POLICY, deadline=0.6, read_timeout=0.3, retries=2)
    start = time.monotonic()
    error = refused(site.url("/drip"), policy)
    elapsed = time.monotonic() - start
    assert error.code == "E075" and "deadline of 0.6 s" in error.reason
    assert 0.55 < elapsed < 1.0
    assert site.paths().count("/drip") == 1


def chain(site: Site) -> None:
    for hops in range(1, 8):
        site.routes[f"/r/{hops}"] = lambda h, n=hops: h.answer(302, Location=f"/r/{n - 1}")
    site.routes["/r/0"] = page


def test_fetch_follows_five_redirects(site: Site) -> None:
    chain(site)
    fetched = fetch(site.url("/r/5"))
    assert fetched.final_url == site.url("/r/0") and fetched.body == PAGE
    assert fetched.redirects == tuple(site.url(f"/r/{n}") for n in range(5, 0, -1))


def test_fetch_refuses_a_sixth_redirect(site: Site) -> None:
    chain(site)
    error = refused(site.url("/r/6"))
    assert error.code == "E078" and "more than 5" in error.reason
    assert "/r/0" not in site.paths()


def exact(site: Site) -> FetchPolicy:
    """Private addresses refused, except the test server itself."""
    return replace(POLICY, allow_private=False, allow_exact=frozenset({("127.0.0.1", site.port)}))


@pytest.mark.parametrize(
    ("target", "named"),
    [
        ("http://127.0.0.1:{port}/", "127.0.0.1 is a loopback address"),
        ("http://localhost:{port}/", "is a loopback address"),
        ("http://[::1]:{port}/", "::1 is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata"),
        ("http://10.0.0.1/", "10.0.0.1 is a private address"),
        ("http://0.0.0.0:{port}/", "0.0.0.0 is an unspecified address"),
    ],
)
def test_fetch_refuses_a_redirect_to_a_private_address(
    site: Site, other_site: Site, target: str, named: str
) -> None:
    location = target.format(port=other_site.port)
    site.routes["/go"] = lambda h: h.answer(302, Location=location)
    error = refused(site.url("/go"), exact(site))
    assert error.code == "E070" and named in error.reason
    assert "/go" in site.paths()
    assert other_site.seen == []


def test_fetch_refuses_a_private_address_unless_allowed(site: Site) -> None:
    site.routes["/a"] = page
    error = refused(site.url("/a"), replace(POLICY, allow_private=False))
    assert error.code == "E070" and "127.0.0.1 is a loopback address" in error.reason
    assert site.seen == []
    assert fetch(site.url("/a")).body == PAGE


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/file.txt",
        "javascript:alert(1)",
        "data:text/html,<p>hi</p>",
        "gopher://example.org/",
        "http://",
        "no-scheme.example.org/page",
    ],
)
def test_fetch_refuses_schemes_other_than_http(url: str) -> None:
    assert refused(url).code == "E071"


def test_fetch_refuses_a_redirect_to_another_scheme(site: Site) -> None:
    site.routes["/go"] = lambda h: h.answer(301, Location="file:///etc/passwd")
    error = refused(site.url("/go"))
    assert error.code == "E071" and "'file'" in error.reason


def rebinding(
    monkeypatch: pytest.MonkeyPatch, answers: list[str]
) -> tuple[list[str], list[tuple[str, int]]]:
    """``rebind.example`` resolves to each of ``answers`` in turn; connections are recorded
    and fail (nothing leaves the machine). Returns (names resolved, addresses connected)."""
    resolved: list[str] = []
    connected: list[tuple[str, int]] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        resolved.append(host)
        address = answers[min(len(resolved), len(answers)) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
        connected.append(address)
        raise ConnectionRefusedError("no network in tests")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return resolved, connected


def test_fetch_connects_to_the_address_it_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: public at the check, loopback after. The socket goes to the checked
    public address itself (never to the name, which would resolve again), and the retry,
    which resolves again, gets the loopback address and is refused."""
    resolved, connected = rebinding(monkeypatch, ["93.184.215.14", "127.0.0.1"])
    policy = replace(POLICY, allow_private=False, robots=False, retries=1)
    error = refused("http://rebind.example/news", policy)
    assert connected == [("93.184.215.14", 80)]
    assert len(resolved) == 2
    assert error.code == "E070"
    assert "rebind.example: 127.0.0.1 is a loopback address" in error.reason


def test_fetch_refuses_a_name_resolving_to_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    _, connected = rebinding(monkeypatch, ["127.0.0.1"])
    policy = replace(POLICY, allow_private=False, robots=False)
    assert refused("https://rebind.example/", policy).code == "E070"
    assert connected == []


@pytest.mark.parametrize(
    "robots",
    [
        "User-agent: *\nDisallow: /private\n",
        "User-agent: Parallax\nDisallow: /private\n\nUser-agent: *\nAllow: /\n",
    ],
    ids=["everyone", "parallax"],
)
def test_fetch_honours_robots_txt(site: Site, robots: str) -> None:
    site.routes["/robots.txt"] = lambda h: h.answer(200, robots.encode(), Content_Type="text/plain")
    site.routes["/private"] = page
    site.routes["/public"] = page
    error = refused(site.url("/private"))
    assert error.code == "E073" and "disallows /private" in error.reason
    with Fetcher(POLICY) as fetcher:
        fetcher.fetch(site.url("/public"))
        fetcher.fetch(site.url("/public"))
    assert "/private" not in site.paths()
    assert site.paths() == ["/robots.txt", "/robots.txt", "/public", "/public"]


def test_fetch_treats_a_failing_robots_txt_as_closed(site: Site) -> None:
    site.routes["/robots.txt"] = lambda h: h.answer(503, b"busy")
    site.routes["/a"] = page
    error = refused(site.url("/a"), replace(POLICY, retries=0))
    assert error.code == "E073" and "HTTP 503" in error.reason
    assert "/a" not in site.paths()


def test_fetch_retries_a_500_then_succeeds(site: Site) -> None:
    answers = iter([500, 200])
    site.routes["/flaky"] = lambda h: h.answer(next(answers), PAGE)
    assert fetch(site.url("/flaky")).body == PAGE
    assert site.paths().count("/flaky") == 2


def test_fetch_retries_a_timeout(site: Site) -> None:
    calls = iter([True, False])

    def slow_once(handler: Handler) -> None:
        if next(calls):
            site.stopped.wait(0.6)
        handler.answer(200, PAGE)

    site.routes["/slow"] = slow_once
    assert fetch(site.url("/slow"), replace(POLICY, read_timeout=0.3)).body == PAGE
    assert site.paths().count("/slow") == 2


def test_fetch_does_not_retry_a_404(site: Site) -> None:
    error = refused(site.url("/missing"))
    assert error.code == "E077" and "404 Not Found" in error.reason
    assert site.paths().count("/missing") == 1


def test_fetch_waits_out_a_short_retry_after_only(site: Site) -> None:
    answers = iter([503, 200])
    site.routes["/soon"] = lambda h: h.answer(next(answers), PAGE, Retry_After="0")
    site.routes["/later"] = lambda h: h.answer(503, b"", Retry_After="3600")
    assert fetch(site.url("/soon")).body == PAGE
    assert refused(site.url("/later")).code == "E077"
    assert site.paths().count("/later") == 1


def test_fetch_not_modified_with_etag(site: Site) -> None:
    def tagged(handler: Handler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.answer(304, ETag='"v1"')
        else:
            handler.answer(200, PAGE, ETag='"v1"', Last_Modified="Mon, 22 Sep 2025 08:00:00 GMT")

    site.routes["/feed"] = tagged
    with Fetcher(POLICY) as fetcher:
        first = fetcher.fetch(site.url("/feed"))
        again = fetcher.fetch(site.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert (first.not_modified, first.etag, first.body) == (False, '"v1"', PAGE)
    assert (again.not_modified, again.etag, again.body) == (True, '"v1"', b"")
    assert again.last_modified == "Mon, 22 Sep 2025 08:00:00 GMT"
    assert site.seen[-1].headers["If-Modified-Since"] == "Mon, 22 Sep 2025 08:00:00 GMT"


def test_fetch_spaces_requests_to_one_host(site: Site) -> None:
    site.routes["/a"] = page
    with Fetcher(replace(POLICY, min_delay=0.2)) as fetcher:
        fetcher.fetch(site.url("/a"))
        fetcher.fetch(site.url("/a"))
    times = [seen.at for seen in site.seen]
    assert len(times) == 3  # robots.txt, then the page twice
    assert all(later - earlier >= 0.19 for earlier, later in itertools.pairwise(times))


def test_fetch_opens_at_most_two_connections_per_host(site: Site) -> None:
    def slow(handler: Handler) -> None:
        site.stopped.wait(0.1)
        handler.answer(200, PAGE)

    site.routes["/slow"] = slow
    with Fetcher(replace(POLICY, robots=False)) as fetcher:
        threads = [
            threading.Thread(target=fetcher.fetch, args=(site.url("/slow"),)) for _ in range(5)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert site.paths().count("/slow") == 5
    assert site.most_active == 2


REFUSED = [
    ("10.0.0.1", "private"),
    ("172.16.5.4", "private"),
    ("192.168.1.1", "private"),
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("169.254.1.2", "link-local"),
    ("169.254.169.254", "cloud metadata"),
    ("100.64.0.1", "shared"),
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("::", "unspecified"),
    ("::1", "loopback"),
    ("fe80::1", "link-local"),
    ("fc00::1", "private"),
    ("fd00:ec2::254", "cloud metadata"),
    ("ff02::1", "multicast"),
    ("::ffff:127.0.0.1", "carries 127.0.0.1, a loopback"),
    ("::ffff:10.0.0.1", "carries 10.0.0.1, a private"),
    ("::ffff:169.254.169.254", "cloud metadata"),
    ("64:ff9b::7f00:1", "carries 127.0.0.1"),
    ("2002:7f00:1::", "carries 127.0.0.1"),
]


@pytest.mark.parametrize(("address", "kind"), REFUSED)
def test_fetch_address_check_refuses(address: str, kind: str) -> None:
    reason = address_refusal(address)
    assert reason is not None and kind in reason


@pytest.mark.parametrize(
    "address",
    ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "::ffff:93.184.215.14", "8.8.8.8"],
)
def test_fetch_address_check_allows_public_addresses(address: str) -> None:
    assert address_refusal(address) is None


@pytest.mark.parametrize(
    ("address", "opened"),
    [
        ("127.0.0.1", True),
        ("10.0.0.1", True),
        ("::1", True),
        ("fe80::1", True),
        ("100.64.0.1", True),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
    ],
)
def test_fetch_allow_private_opens_only_private_ranges(address: str, opened: bool) -> None:
    assert (address_refusal(address, allow_private=True) is None) is opened


def test_fetch_policy_from_settings() -> None:
    settings = Settings.from_env(
        {
            "PARALLAX_FETCH_CONTACT": "https://example.org/ops",
            "PARALLAX_ALLOW_PRIVATE": "1",
            "PARALLAX_FETCH_DELAY": "0",
            "PARALLAX_FETCH_TIMEOUT": "3",
            "PARALLAX_FETCH_MAX_BYTES": "1000",
        }
    )
    policy = FetchPolicy.from_settings(settings)
    assert policy.allow_private and policy.min_delay == 0 and policy.max_bytes == 1000
    assert (policy.connect_timeout, policy.read_timeout) == (3.0, 3.0)
    assert policy.user_agent.endswith(" (+https://example.org/ops)")
    assert FetchPolicy.from_settings(Settings.from_env({})) == FetchPolicy()
    assert not FetchPolicy().allow_private
    with pytest.raises(UsageError):
        Settings.from_env({"PARALLAX_ALLOW_PRIVATE": "2"})
