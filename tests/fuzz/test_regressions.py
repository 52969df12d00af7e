"""The inputs the fuzz tests found that crashed or hung a reader, kept as files in
``regressions/``, each with what reading it must give now."""

from __future__ import annotations

import shutil
import socket
import threading
import warnings
from pathlib import Path

import pytest

from parallax.compare import configured_lexicon
from parallax.errors import ParallaxError
from parallax.ingest import load_manifest, read_input
from parallax.model import Draft
from parallax.pipeline import ingest
from parallax.settings import Settings
from parallax.sources import Fetcher, FetchPolicy, parse_feed
from parallax.store import Store

from .conftest import assert_read, within

HERE = Path(__file__).resolve().parent / "regressions"
SETTINGS = Settings.from_env({})
BODY = "The council met on Monday."


@pytest.mark.parametrize(
    "name",
    [
        "text-byline-spaces.txt",  # "By" and 4,000 spaces: 69 s in the byline pattern
        "text-counter-commas.txt",  # "1" and 4,000 ", ": 13 s in the counter pattern
        "text-date-dashes.txt",  # a date and 24,000 dashes: 17 s in the date-line pattern
        "text-title-spaces.txt",  # "Title: a", 30,000 spaces, "x": quadratic in the title one
    ],
)
def test_regression_text_header_runs_are_linear(name: str) -> None:
    """A header line of one character class over and over: backtracking between adjacent
    quantifiers made these take seconds to minutes (a 5 MiB file: hours)."""
    path = HERE / name
    with within():
        [draft] = assert_read(read_input(path, SETTINGS), str(path))
    assert isinstance(draft, Draft)
    assert draft.text.endswith(BODY)
    assert draft.meta.author is None and draft.meta.published_at is None


def test_regression_records_unsplittable_urls_are_stored(tmp_path: Path) -> None:
    """A record's url that urllib cannot split (a port past 65535 or not a number, a broken
    IPv6 bracket) raised ValueError out of the id and outlet code and stopped the whole
    ingest run. Now each is an article, kept under the url it gave."""
    source = HERE / "records-unsplittable-urls.jsonl"
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([source], store)
        urls = sorted(a.url or "" for a in store.articles())
        assert summary.ingested == 4 and not store.quarantined()
    assert "http://[::1/c" in urls and "http://example.org:65536/a" in urls


def test_regression_html_lang_dash_is_unknown() -> None:
    """``<html lang="-">`` gave the language ``""``; what is unknown is ``None``."""
    path = HERE / "html-lang-dash.html"
    [draft] = assert_read(read_input(path, SETTINGS), str(path))
    assert isinstance(draft, Draft)
    assert draft.meta.language != ""


def test_regression_manifest_line_breaks_in_cells(tmp_path: Path) -> None:
    """A manifest with old-Mac line ends (``\\r``) and a quoted cell holding ``\\r\\n``: the
    rows end where the file says and the cell keeps its own line break (read_text turned
    ``\\r`` into ``\\n`` inside the cell)."""
    manifest = shutil.copy(HERE / "manifest-line-breaks.csv", tmp_path / "m.csv")
    entries = load_manifest(Path(manifest))
    assert entries[(tmp_path / "a.txt").resolve()].title == "Storm\r\nat sea"
    assert entries[(tmp_path / "b.txt").resolve()].outlet == "Daily"


def test_regression_manifest_nul_in_path_is_a_usage_error() -> None:
    """A NUL byte in a manifest's path raised ValueError from the path resolution."""
    with pytest.raises(ParallaxError) as raised:
        load_manifest(HERE / "manifest-nul-path.csv")
    assert raised.value.code == "E020"
    assert "row 1" in str(raised.value)


def test_regression_lexicon_many_gaps_match_in_time() -> None:
    """A user term of ten ``**`` gaps on a text of its own word repeated: matching tried
    every way of stretching the gaps (5^10 per word) and never ended."""
    lexicon = configured_lexicon(str(HERE / "lexicon-gaps.tsv"))
    with within():
        found = lexicon.find(" ".join(["storm"] * 200))
    assert found and all(match.entry.notes == "many gaps" for match in found)


def test_regression_feed_item_with_empty_pubdate() -> None:
    """An RSS item whose ``<pubDate>`` is empty: asking feedparser for ``updated`` instead
    raised its DeprecationWarning (an error wherever warnings are)."""
    body = (HERE / "feeds-empty-pubdate.xml").read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        feed = parse_feed(body, source="https://example.org/feed")
    [item] = feed.items
    assert item.title == "Storm" and item.published is None


def test_regression_redirect_to_a_scheme_without_host(tmp_path: Path) -> None:
    """``Location: example.org:80`` reads as the scheme ``example.org`` with no host; httpx
    raised InvalidURL while answering, out of the fetcher (E099 for the page). Served on
    127.0.0.1 from the file, it is now E071 naming the redirect."""
    answer = (HERE / "fetch-redirect-scheme-without-host.http").read_bytes()
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        thread = threading.Thread(target=_answer_once, args=(server, answer), daemon=True)
        thread.start()
        policy = FetchPolicy(
            allow_exact=frozenset({("127.0.0.1", port)}), robots=False, retries=0, min_delay=0
        )
        with Fetcher(policy) as fetcher, pytest.raises(ParallaxError) as raised, within():
            fetcher.fetch(f"http://127.0.0.1:{port}/")
        thread.join(timeout=5)
    assert raised.value.code == "E071"
    assert "Location" in str(raised.value)


def _answer_once(server: socket.socket, answer: bytes) -> None:
    connection, _ = server.accept()
    with connection:
        connection.recv(65536)
        connection.sendall(answer)
