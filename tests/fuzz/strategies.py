"""Hypothesis strategies for hostile input: text with the shapes parsers key on, bytes in
many encodings, and the long runs of one character class that make a backtracking regular
expression take super-linear time."""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = (
    "storm harbour minister said council ferry port police vote court bridge market union "
    "border trade agency residents hospital morning week officials reported talks strike"
).split()
NAMES = "Anna Maria Jonas Ruiz Okafor Lindqvist Tanaka Dubois Novak Haddad".split()
MONTHS = "January February March April May June July August September October November December"

SHAPES = (
    "2025-09-22 21.09.2025 9:11 date Published: Updated on By Author: Title: Headline: "
    "views comments shares min read Share Print Advertisement | · • — – , . : ; … ' \" “ ” "
    "« » \t 1,234 12k 3.5M 00:00 +02:00 Z UTC GMT am p.m. Sept. 22nd 2025 http:// www. "
    "<p> </p> <!-- --> & &amp; &#x27; \\ \\u0000 [ ] { } null true 0 -1 1e309"
).split(" ")
"""Fragments the readers look for: dates, keywords, counters, quotes, markup, escapes."""


def shaped_text(max_size: int = 400) -> st.SearchStrategy[str]:
    """Text mixing the fragments above with arbitrary characters (any plane, controls,
    surrogate-free) and line breaks of every kind."""
    pieces = st.one_of(
        st.sampled_from(SHAPES),
        st.sampled_from(WORDS),
        st.sampled_from(("\n", "\r\n", "\r", "\n\n", "\u2028", "\x85", "\x0c", " ", "\t")),
        st.text(max_size=12),
    )
    return st.lists(pieces, max_size=max_size // 4).map(" ".join)


def runs() -> st.SearchStrategy[str]:
    """A long run of characters from one class (spaces, punctuation, digits), where the
    nested or adjacent quantifiers of a regular expression can backtrack, around a date
    or a keyword and ending in a character that makes the match fail."""
    unit = st.sampled_from((" ", "-", ", ", ". ", "1", "1 ", "| ", "—", "_", "0.", "·", "\t"))
    return st.builds(
        lambda head, chunk, count, tail: head + chunk * count + tail,
        st.sampled_from(("", "2025-09-22 ", "Published: ", "By ", "1", "date ", "12 views ")),
        unit,
        st.integers(min_value=200, max_value=6000),
        st.sampled_from(("x", "a.", " 2025-09-22", "views x", "z\nThe body.")),
    )


def hostile_text(max_size: int = 400) -> st.SearchStrategy[str]:
    return st.one_of(shaped_text(max_size), runs(), st.text(max_size=max_size))


ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252", "koi8-r", "shift_jis")


def encoded(text: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """``text`` as bytes in one of many encodings (characters an encoding lacks replaced)."""
    return st.builds(
        lambda value, encoding: value.encode(encoding, "replace"), text, st.sampled_from(ENCODINGS)
    )


def hostile_bytes(max_size: int = 400) -> st.SearchStrategy[bytes]:
    """Encoded hostile text, raw bytes, or encoded text with raw bytes spliced in."""
    return st.one_of(
        encoded(hostile_text(max_size)),
        st.binary(max_size=max_size),
        st.builds(
            lambda a, b, c: a + b + c,
            encoded(shaped_text(max_size // 2)),
            st.binary(max_size=16),
            encoded(shaped_text(max_size // 2)),
        ),
    )


def urls() -> st.SearchStrategy[str]:
    """Url-like strings: schemes, hosts (names, IP literals of every kind, broken
    brackets, international names), ports in and out of range, paths, queries, fragments."""
    scheme = st.sampled_from(("http://", "https://", "HTTP://", "ftp://", "file://", "", "//"))
    host = st.one_of(
        st.sampled_from(
            (
                "example.org",
                "www.example.org",
                "127.0.0.1",
                "[::1]",
                "[::ffff:10.0.0.1]",
                "[::1",
                "::1]",
                "[",
                "]",
                "0x7f.1",
                "2130706433",
                "169.254.169.254",
                "xn--nxasmq6b.example",
                "bücher.example",
                "ex ample.org",
                "a..b",
                ".",
                "",
                "[fe80::1%25eth0]",
                "user:pass@example.org",
                "@",
                "例え.テスト",
                "a" * 70,
            )
        ),
        st.text(max_size=12),
    )
    port = st.sampled_from(("", ":80", ":8080", ":0", ":65535", ":65536", ":99999", ":abc", ":"))
    rest = st.one_of(
        st.sampled_from(("", "/", "/news/a.html", "/?utm_source=x&id=1", "#frag", "/%zz", "\\")),
        st.text(max_size=16),
    )
    return st.builds(lambda *parts: "".join(parts), scheme, host, port, rest)
