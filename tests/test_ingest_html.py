"""HTML pages: main text without boilerplate, metadata from the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.pipeline import ingest
from parallax.store import Store

from .conftest import write

PARAGRAPHS = [
    "Rescue teams in the port town of Velmora worked through the night after the storm "
    "flooded the lower harbour district, the regional governor said on Tuesday.",
    "Governor Ilsa Marten told reporters that more than 300 residents had been moved to "
    "the municipal sports hall and that no deaths had been reported so far.",
    "The harbour authority said the storm surge reached two metres, the highest level "
    "recorded since the sea wall was rebuilt eleven years ago.",
]
PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head>
<title>Storm floods Velmora harbour | The Coast Courier</title>
<meta property="og:site_name" content="The Coast Courier">
<meta property="og:title" content="Storm floods Velmora harbour">
<meta name="author" content="Petra Holm">
<meta property="article:published_time" content="2026-09-22T08:30:00+02:00">
<link rel="canonical" href="https://coastcourier.example/news/storm-velmora">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="cookie">We use cookies to improve your experience. Accept all cookies?</div>
<article><h1>Storm floods Velmora harbour</h1>
{paragraphs}
</article>
<aside><h3>Related stories</h3><ul><li><a href="/x">Ferry timetable changes</a></li></ul></aside>
<footer>Copyright 2026 The Coast Courier. All rights reserved.</footer>
</body></html>"""


def page() -> str:
    return PAGE.format(paragraphs="\n".join(f"<p>{p}</p>" for p in PARAGRAPHS))


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = write(tmp_path / "storm.html", page())
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([path], store)
        (article,) = store.articles()
    assert summary.ingested == 1
    assert article.outlet == "The Coast Courier"
    assert article.title == "Storm floods Velmora harbour"
    assert article.author == "Petra Holm"
    assert article.published_at == "2026-09-22T08:30:00+02:00"
    assert article.url == "https://coastcourier.example/news/storm-velmora"
    assert article.language == "en"
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    for boilerplate in ("cookies", "Related stories", "All rights reserved", "Sport"):
        assert boilerplate not in article.text


def test_html_gzip_and_htm_suffix(tmp_path: Path) -> None:
    import gzip

    write(tmp_path / "a.htm", page())
    write(tmp_path / "b.html.gz", gzip.compress(page().replace("Velmora", "Ostra").encode()))
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([tmp_path], store)
        (article,) = store.articles()
        revisions = store.revisions(article.id)
    # both pages name the same canonical url, so they are one article, whose text the
    # second page revises: both texts are kept, the one read last is current
    assert (summary.ingested, summary.already_stored, summary.quarantined) == (1, 1, 0)
    assert summary.changed == 1
    assert "Ostra" in article.text
    assert ["Velmora" in r.text for r in revisions] == [True, False]


def test_html_declared_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    markup = page().replace("<head>", '<head><meta charset="windows-1252">')
    markup = markup.replace("Governor Ilsa Marten", "Governor Ilsa Märten")
    path = write(tmp_path / "legacy.html", markup.encode("cp1252"))
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([path], store)
        (article,) = store.articles()
    assert summary.quarantined == 0
    assert "Governor Ilsa Märten" in article.text


def test_html_feb_30_meta_date_is_kept_in_extra_not_quarantined(tmp_path: Path) -> None:
    markup = page().replace("2026-09-22T08:30:00+02:00", "2025-02-30T10:00:00+00:00")
    path = write(tmp_path / "feb30.html", markup)
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([path], store)
        (article,) = store.articles()
    assert (summary.ingested, summary.quarantined) == (1, 0)
    assert article.published_at is None  # impossible, so unknown: no day is made up for it
    assert article.extra["unparsed_published_at"] == "2025-02-30T10:00:00+00:00"
    assert article.title == "Storm floods Velmora harbour"


LEGACY_SENTENCE = (
    "The owner of the café – “quoted” in Monday’s paper – served crème brûlée à la carte."
)
_INLINE_STYLE = "<style>" + "".join(f".c{i}{{margin:{i}px}}\n" for i in range(900)) + "</style>"


@pytest.mark.parametrize(
    "declaration",
    [
        pytest.param('<meta charset="windows-1252">', id="meta-charset"),
        pytest.param(
            _INLINE_STYLE + '<meta http-equiv="Content-Type" content="text/html; '
            'charset=windows-1252">',
            id="http-equiv-after-a-long-style",
        ),
        pytest.param(
            "<meta http-equiv='content-type' content='text/html; charset=ISO-8859-1'>",
            id="iso-8859-1-with-cp1252-quotes",
        ),
        pytest.param("<meta charset=latin1>", id="unquoted-latin1"),
    ],
)
def test_html_declared_charset_decodes_cp1252_bytes(tmp_path: Path, declaration: str) -> None:
    markup = page().replace("<head>", "<head>" + declaration)
    markup = markup.replace(PARAGRAPHS[1], LEGACY_SENTENCE)
    path = write(tmp_path / "legacy.html", markup.encode("cp1252"))
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([path], store)
        (article,) = store.articles()
    assert summary.quarantined == 0
    assert LEGACY_SENTENCE in article.text


def test_html_wrong_declared_charset_does_not_spoil_utf8(tmp_path: Path) -> None:
    markup = page().replace("<head>", '<head><meta charset="windows-1252">')
    markup = markup.replace(PARAGRAPHS[1], LEGACY_SENTENCE)
    path = write(tmp_path / "utf8.html", markup.encode("utf-8"))
    with Store.open(tmp_path / "s.db") as store:
        ingest([path], store)
        (article,) = store.articles()
    assert LEGACY_SENTENCE in article.text
