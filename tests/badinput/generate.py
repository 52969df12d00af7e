"""A corpus of hostile and broken inputs, with good articles mixed in, written on demand.

Nothing here is committed as data: every file is made by this script into a folder given
to it (a 1 GiB file is sparse, made with ``truncate``; a bomb is a few kilobytes of
repeated gzip, bzip2, xz or zstd members). Each input comes with what Parallax must do with
it, written to ``cases.json`` beside the inputs: the articles it must store and the
catalogue codes it must be quarantined with. ``tests/test_badinput.py`` and
``bench/badinput.py`` run Parallax on the corpus as a user would and compare.

The layout of ``OUT_DIR``:

- ``inputs/``: one directory for ``parallax ingest``, good and bad files side by side
  (``corpus/``: the example articles, with ``manifest.csv`` beside ``inputs/``);
- ``explicit/``: files of types Parallax does not read, named on the command line;
- ``feeds/`` and ``pages/``: feeds and news sitemaps, served on 127.0.0.1 for
  ``parallax watch``, and the pages their entries link to;
- ``opml/``: subscription lists given to ``parallax watch`` as files;
- ``bad-manifest.csv``: a manifest with a bad row, given to ``parallax ingest``.

Usage::

    python tests/badinput/generate.py OUT_DIR [--full]

``--full`` adds the expensive items: a 512 MiB ``.json`` bomb (read whole, up to its limit,
by design), a 1 GiB sparse JSONL line, bombs inflating to 4 GiB.
"""

from __future__ import annotations

import argparse
import bz2
import csv
import functools
import gzip
import io
import json
import lzma
import os
import shutil
import struct
import sys
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
MIB = 1 << 20
GIB = 1 << 30
LIMIT = 5 * MIB
"""Parallax's default largest article (PARALLAX_MAX_ARTICLE_BYTES)."""
HOST = "http://{host}"
"""Feeds name their pages with this placeholder; the server fills in its address."""
FORBIDDEN = ("root:x:0", "lollollol")
"""What a stored text must never hold: /etc/passwd read through an external entity, or an
expanded billion laughs."""

WORDS = (
    "council harbour storm minister officials reported talks ferry strike port river police "
    "army election budget court ruling protest crowd village mayor governor rescue flood "
    "bridge market prices workers union contract vote parliament border trade deal agency"
).split()


@dataclass
class Case:
    """One input and what Parallax must do with it."""

    name: str
    path: str
    """Relative to OUT_DIR (a feed: its path on the server)."""
    how: str
    """``ingest`` (in inputs/), ``explicit`` (named on the command line), ``feed`` (served,
    polled by ``parallax watch``), ``opml`` (``parallax watch FILE``) or ``manifest``
    (``parallax ingest --manifest FILE``)."""
    stored: int = 0
    """Good articles it must store."""
    codes: list[str] = field(default_factory=list)
    """Catalogue codes it must be quarantined (or refused) with, one per bad part."""
    skipped: bool = False
    """A file of another type met in a directory: listed as skipped, never read."""
    source: str | None = None
    """How Parallax names it when that is not its path (a name with bad bytes escaped)."""
    note: str = ""

    @property
    def bad(self) -> bool:
        return bool(self.codes)


@dataclass
class Corpus:
    """The cases written, and what could not be written here (zstd without zstandard)."""

    root: Path
    cases: list[Case] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, case: Case) -> None:
        self.cases.append(case)


# -- text makers -----------------------------------------------------------------------


def article(tag: str, sentences: int = 12) -> str:
    """A plain news text, distinct per ``tag`` (no two cases share an id or a family)."""
    seed = sum(map(ord, tag))
    lines = []
    for number in range(sentences):
        words = [WORDS[(seed * 7 + number * 13 + k * 5) % len(WORDS)] for k in range(14)]
        lines.append(f"The {tag} {' '.join(words)} said on Tuesday, case {tag} line {number}.")
    return " ".join(lines)


def page(tag: str, extra_head: str = "", extra_body: str = "") -> str:
    """An article page with a title, a date and a main text."""
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>{extra_head}"
        f"<title>Report {tag}</title>"
        "<meta property='article:published_time' content='2025-09-22T08:30:00+02:00'>"
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>Report {tag}</h1>"
        f"<p>{article(tag)}</p><p>{article(tag + ' more')}</p>{extra_body}</article>"
        "<footer>All rights reserved.</footer></body></html>"
    )


def laughs(levels: int = 10) -> str:
    """The internal subset of a billion laughs: ``&lol9;`` is 10^9 ``lol``."""
    entities = ['<!ENTITY lol "lol">']
    for level in range(1, levels):
        previous = "lol" if level == 1 else f"lol{level - 1}"
        entities.append(f'<!ENTITY lol{level} "{("&" + previous + ";") * 10}">')
    return "".join(entities)


XXE = '<!ENTITY xxe SYSTEM "file:///etc/passwd">'


def repeated(compress: Callable[[bytes], bytes], inflated: int, chunk: bytes = b"\0") -> bytes:
    """A bomb of concatenated members, each ``MIB`` bytes compressed, inflating to
    ``inflated`` bytes (bzip2, xz and zstd readers read every member)."""
    member = compress(chunk * (MIB // len(chunk)))
    return member * max(1, inflated // MIB)


def gzip_bomb(inflated: int, chunk: bytes = b"\0") -> bytes:
    """One gzip member that inflates to about ``inflated`` bytes, made in a fraction of a
    second: after a full flush deflate forgets what came before, so the blocks that
    compress one MiB are the same each time and are repeated; the trailer's CRC is real."""
    block = chunk * (MIB // len(chunk))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = max(2, inflated // len(block))
    end = compressor.flush(zlib.Z_FINISH)
    trailer = struct.pack("<II", _crc(block, count), (count * len(block)) & 0xFFFFFFFF)
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + first + again * (count - 1) + end + trailer


@functools.cache
def _crc(block: bytes, count: int) -> int:
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    return crc


def write(root: Path, relative: str, content: bytes | str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def sparse(path: Path, size: int) -> Path:
    """A file of ``size`` zero bytes that takes no disk (``truncate``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    os.truncate(path, size)
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


# -- the groups of cases ---------------------------------------------------------------


def add_examples(corpus: Corpus) -> None:
    """The example articles, with their manifest: every one must be stored."""
    target = corpus.root / "inputs" / "corpus"
    shutil.copytree(EXAMPLES / "corpus", target)
    with (EXAMPLES / "manifest.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["path"] = "inputs/" + row["path"]
    with (corpus.root / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    for path in sorted(target.iterdir()):
        lines = path.read_text(encoding="utf-8").splitlines()
        count = sum(1 for line in lines if line.strip()) if path.suffix == ".jsonl" else 1
        corpus.add(Case(f"example {path.name}", f"inputs/corpus/{path.name}", "ingest", count))


def add_good(corpus: Corpus) -> None:
    """Good articles in every kind Parallax reads, some in unusual but valid encodings."""
    root, add = corpus.root, corpus.add
    text = article("plain")
    write(root, "inputs/good/plain.txt", f"Plain report\n\n{text}\n")
    add(Case("plain text", "inputs/good/plain.txt", "ingest", 1))
    write(root, "inputs/good/page.html", page("page"))
    add(Case("html page", "inputs/good/page.html", "ingest", 1))
    write(
        root, "inputs/good/list.json", json.dumps([{"text": article(f"list {i}")} for i in (1, 2)])
    )
    add(Case("json list", "inputs/good/list.json", "ingest", 2))
    write(
        root,
        "inputs/good/records.jsonl.gz",
        gzip.compress(
            jsonl(
                *(
                    {"maintext": article(f"gz {i}"), "url": f"https://gz.example/{i}"}
                    for i in range(3)
                )
            ).encode()
        ),
    )
    add(Case("jsonl.gz", "inputs/good/records.jsonl.gz", "ingest", 3))
    write(root, "inputs/good/utf8-bom.txt", b"\xef\xbb\xbf" + article("bom8").encode())
    add(Case("utf-8 with BOM", "inputs/good/utf8-bom.txt", "ingest", 1))
    write(root, "inputs/good/utf16le-bom.txt", b"\xff\xfe" + article("le").encode("utf-16-le"))
    add(Case("utf-16 LE with BOM", "inputs/good/utf16le-bom.txt", "ingest", 1))
    write(root, "inputs/good/utf16be-bom.txt", b"\xfe\xff" + article("be").encode("utf-16-be"))
    add(Case("utf-16 BE with BOM", "inputs/good/utf16be-bom.txt", "ingest", 1))
    write(root, "inputs/good/name\nwith-newline.txt", article("newline name"))
    add(Case("file name with a newline", "inputs/good/name\nwith-newline.txt", "ingest", 1))
    write(root, "inputs/good/notes.xml", "<notes>not an article type</notes>")
    add(Case("other type in a directory", "inputs/good/notes.xml", "ingest", skipped=True))
    _add_parquet(corpus)


def _add_parquet(corpus: Corpus) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        corpus.notes.append("Parquet cases not written: pyarrow is not installed")
        return
    table = pa.table({"text": [article(f"parquet {i}") for i in range(6)]})
    pq.write_table(table, corpus.root / "inputs/good/table.parquet", row_group_size=2)
    corpus.add(Case("parquet", "inputs/good/table.parquet", "ingest", 6))
    damaged = corpus.root / "inputs/bad/parquet/damaged-group.parquet"
    damaged.parent.mkdir(parents=True, exist_ok=True)
    table = pa.table({"text": [article(f"damaged parquet {i}") for i in range(6)]})
    pq.write_table(table, damaged, row_group_size=2, compression="snappy")
    data = bytearray(damaged.read_bytes())
    start = pq.ParquetFile(damaged).metadata.row_group(2).column(0).data_page_offset
    for index in range(start, start + 16):  # the page header of the last group
        data[index] ^= 0x5A
    damaged.write_bytes(bytes(data))
    corpus.add(
        Case(
            "parquet, last row group corrupt",
            "inputs/bad/parquet/damaged-group.parquet",
            "ingest",
            4,
            ["E011"],
            note="the rows of the two groups before the damage are stored",
        )
    )
    write(corpus.root, "inputs/bad/parquet/not-parquet.parquet", b"PAR1 this is no Parquet\n")
    corpus.add(
        Case(
            "parquet that is not",
            "inputs/bad/parquet/not-parquet.parquet",
            "ingest",
            codes=["E011"],
        )
    )


def add_encodings(corpus: Corpus) -> None:
    """NUL bytes, bytes that are no text in any encoding, UTF-16 without its BOM, two
    encodings in one file: each refused, never stored as mojibake."""
    root, add = corpus.root, corpus.add
    write(root, "inputs/bad/enc/nul.txt", article("nul").encode()[:300] + b"\0\0\0" + b"rest")
    add(Case("NUL bytes", "inputs/bad/enc/nul.txt", "ingest", codes=["E002"]))
    greek = "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την οικονομία της χώρας. " * 8
    broken = bytearray(greek.encode("utf-8"))
    for index in range(40, len(broken), 97):  # cut multi-byte sequences apart
        broken[index] = 0xFF
    write(root, "inputs/bad/enc/invalid-utf8.txt", bytes(broken))
    add(Case("invalid UTF-8", "inputs/bad/enc/invalid-utf8.txt", "ingest", codes=["E004"]))
    text = article("sixteen")
    write(root, "inputs/bad/enc/utf16le-nobom.txt", text.encode("utf-16-le"))
    add(Case("UTF-16 LE, no BOM", "inputs/bad/enc/utf16le-nobom.txt", "ingest", codes=["E002"]))
    write(root, "inputs/bad/enc/utf16be-nobom.txt", text.encode("utf-16-be"))
    add(Case("UTF-16 BE, no BOM", "inputs/bad/enc/utf16be-nobom.txt", "ingest", codes=["E002"]))
    mixed = ("Café society: the mayor’s “plan” was approved. " * 10).encode("utf-8") + (
        "Café société: le maire a approuvé le plan. " * 10
    ).encode("latin-1")
    write(root, "inputs/bad/enc/mixed.txt", mixed)
    add(Case("UTF-8 and Latin-1 in one file", "inputs/bad/enc/mixed.txt", "ingest", codes=["E004"]))
    write(root, "inputs/bad/enc/empty.txt", b"")
    add(Case("empty", "inputs/bad/enc/empty.txt", "ingest", codes=["E001"]))


def add_sizes(corpus: Corpus, full: bool) -> None:
    """Sparse 1 GiB files (refused by their size, before any read) and 50 MiB lines."""
    root, add = corpus.root, corpus.add
    for kind, code in (
        ("txt", "E003"),
        ("json", "E003"),
        ("html", "E003"),
        ("warc", "E015"),
        ("parquet", "E011"),
    ):
        path = root / f"inputs/bad/size/sparse-1gib.{kind}"
        sparse(path, GIB)
        add(Case(f"sparse 1 GiB .{kind}", str(path.relative_to(root)), "ingest", codes=[code]))
    if full:  # a JSONL line is read to its end to find the next: 1 GiB of reading
        path = sparse(root / "inputs/bad/size/sparse-1gib.jsonl", GIB)
        add(Case("sparse 1 GiB .jsonl", str(path.relative_to(root)), "ingest", codes=["E003"]))
    line = ("word " * (50 * MIB // 5)).encode()
    write(root, "inputs/bad/size/line-50mib.txt", line)
    add(Case("50 MiB one-line text", "inputs/bad/size/line-50mib.txt", "ingest", codes=["E003"]))
    records = [
        {"text": article("before long")},
        {"text": line.decode()},
        {"text": article("after long")},
    ]
    write(root, "inputs/bad/size/line-50mib.jsonl", jsonl(*records))
    add(
        Case(
            "50 MiB JSONL line among good ones",
            "inputs/bad/size/line-50mib.jsonl",
            "ingest",
            2,
            ["E003"],
        )
    )


def add_bombs(corpus: Corpus, full: bool) -> None:
    """Decompression bombs: refused once the article limit is passed, after decompression;
    the kinds Parallax does not read (bzip2, xz, zstd) are never decompressed at all."""
    root, add = corpus.root, corpus.add
    inflated = 4 * GIB if full else GIB
    for name in ("bomb.txt.gz", "bomb.html.gz"):
        write(root, f"inputs/bad/bomb/{name}", gzip_bomb(inflated, b" word"))
        add(Case(f"gzip bomb {name}", f"inputs/bad/bomb/{name}", "ingest", codes=["E003"]))
    write(root, "inputs/bad/bomb/bomb.jsonl.gz", gzip_bomb(inflated))
    add(
        Case("gzip bomb, one JSONL line", "inputs/bad/bomb/bomb.jsonl.gz", "ingest", codes=["E003"])
    )
    if full:  # a .json is read whole up to PARALLAX_MAX_FILE_BYTES (512 MiB) by design
        write(root, "inputs/bad/bomb/bomb.json.gz", gzip_bomb(inflated, b" "))
        add(Case("gzip bomb .json", "inputs/bad/bomb/bomb.json.gz", "ingest", codes=["E003"]))
    makers: dict[str, Callable[[bytes], bytes]] = {"bz2": bz2.compress, "xz": lzma.compress}
    try:
        import zstandard  # type: ignore[import-not-found]

        makers["zst"] = zstandard.ZstdCompressor(level=19).compress
    except ImportError:
        corpus.notes.append("zstd bomb not written: the zstandard module is not installed")
    for suffix, maker in makers.items():
        write(root, f"explicit/bomb.txt.{suffix}", repeated(maker, inflated))
        add(
            Case(
                f"{suffix} bomb, named",
                f"explicit/bomb.txt.{suffix}",
                "explicit",
                codes=["E009"],
                note="not a type Parallax reads: never decompressed",
            )
        )


def add_nesting(corpus: Corpus) -> None:
    """Archives in archives and JSON nested 100,000 deep."""
    root, add = corpus.root, corpus.add
    text = article("nested gzip").encode()
    write(root, "inputs/bad/nest/gzip-in-gzip.txt.gz", gzip.compress(gzip.compress(text)))
    add(
        Case(
            "a .gz inside a .gz",
            "inputs/bad/nest/gzip-in-gzip.txt.gz",
            "ingest",
            codes=["E002"],
            note="decompressed once: the inner gzip is binary",
        )
    )
    write(root, "explicit/double.txt.gz.gz", gzip.compress(gzip.compress(text)))
    add(Case(".gz.gz, named", "explicit/double.txt.gz.gz", "explicit", codes=["E009"]))
    deep = "[" * 100_000 + "]" * 100_000
    write(root, "inputs/bad/nest/deep.json", deep)
    add(Case("JSON nested 100,000 deep", "inputs/bad/nest/deep.json", "ingest", codes=["E006"]))
    lines = (
        jsonl({"text": article("deep before")})
        + deep
        + "\n"
        + jsonl({"text": article("deep after")})
    )
    write(root, "inputs/bad/nest/deep.jsonl", lines)
    add(
        Case(
            "JSONL line nested 100,000 deep",
            "inputs/bad/nest/deep.jsonl",
            "ingest",
            2,
            ["E006"],
            note="the lines after it are read",
        )
    )
    records = [
        {"text": article("json mixed 1")},
        7,
        {"title": "no text"},
        {"text": article("json mixed 2")},
    ]
    write(root, "inputs/bad/nest/mixed-records.json", json.dumps(records))
    add(
        Case(
            "JSON list with bad records",
            "inputs/bad/nest/mixed-records.json",
            "ingest",
            2,
            ["E008", "E007"],
        )
    )


def add_markup(corpus: Corpus) -> None:
    """Entities in HTML (never expanded: the text is stored without them) and a page of
    a million nested tags."""
    root, add = corpus.root, corpus.add
    lol = f"<?xml version='1.0'?><!DOCTYPE html [{laughs()}]>"
    write(root, "inputs/bad/markup/laughs.html", lol + page("laughs", extra_body="<p>&lol9;</p>"))
    add(
        Case(
            "billion laughs in HTML",
            "inputs/bad/markup/laughs.html",
            "ingest",
            1,
            note="stored; the entity is not expanded",
        )
    )
    xxe = f"<?xml version='1.0'?><!DOCTYPE html [{XXE}]>"
    write(root, "inputs/bad/markup/xxe.html", xxe + page("xxe", extra_body="<p>&xxe;</p>"))
    add(
        Case(
            "external entity in HTML",
            "inputs/bad/markup/xxe.html",
            "ingest",
            1,
            note="stored; /etc/passwd is not read",
        )
    )
    nested = "<html><body>" + "<div>" * 1_000_000 + article("deep tags") + "</body></html>"
    write(root, "inputs/bad/markup/nested-tags.html", nested)
    add(Case("10^6 nested tags", "inputs/bad/markup/nested-tags.html", "ingest", codes=["E005"]))
    write(root, "inputs/bad/markup/broken.html", "<html><body><div><p>")
    add(Case("broken HTML", "inputs/bad/markup/broken.html", "ingest", codes=["E005"]))


def add_filesystem(corpus: Corpus) -> None:
    """Symlink loops, an unreadable file and a name that is not UTF-8, inside inputs/."""
    root, add = corpus.root, corpus.add
    folder = root / "inputs/bad/fs"
    folder.mkdir(parents=True, exist_ok=True)
    os.symlink("loop.txt", folder / "loop.txt")
    add(Case("symlink loop", "inputs/bad/fs/loop.txt", "ingest", codes=["E010"]))
    os.symlink("missing.txt", folder / "dangling.txt")
    add(Case("dangling symlink", "inputs/bad/fs/dangling.txt", "ingest", codes=["E010"]))
    os.symlink("..", folder / "up")
    add(
        Case(
            "directory symlink loop",
            "inputs/bad/fs/up",
            "ingest",
            note="directory symlinks are not followed: nothing read twice",
        )
    )
    locked = write(root, "inputs/bad/fs/unreadable.txt", article("unreadable"))
    locked.chmod(0)
    add(_unreadable_case(locked))
    name = os.fsencode(folder) + b"/latin1-caf\xe9.txt"
    with open(name, "wb") as handle:
        handle.write(article("latin1 name").encode())
    shown = name.decode("utf-8", "backslashreplace")
    add(
        Case(
            "file name not UTF-8",
            "inputs/bad/fs/latin1-caf\\xe9.txt",
            "ingest",
            codes=["E014"],
            source=shown,
        )
    )


def _unreadable_case(path: Path) -> Case:
    """Mode 000 stops every user but root, who reads it anyway: what Parallax must do
    is decided by whether this process can open the file."""
    try:
        path.open("rb").close()
    except PermissionError:
        return Case(
            "unreadable file (mode 000)", "inputs/bad/fs/unreadable.txt", "ingest", codes=["E010"]
        )
    return Case(
        "unreadable file (mode 000)",
        "inputs/bad/fs/unreadable.txt",
        "ingest",
        1,
        note="root ignores permission bits: readable here, so it is stored",
    )


def _warc_records(tags: list[str]) -> list[tuple[str, bytes, str]]:
    return [
        (f"https://warc.example/{tag.replace(' ', '-')}", page(tag).encode(), "") for tag in tags
    ]


def warc_bytes(pages: list[tuple[str, bytes, str]], *, gzipped: bool) -> tuple[bytes, list[int]]:
    """An archive of HTTP 200 responses (url, body, content encoding), and the offset
    where each record starts."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    starts = []
    for url, body, encoding in pages:
        headers = [("Content-Type", "text/html; charset=utf-8")]
        if encoding:
            headers.append(("Content-Encoding", encoding))
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        starts.append(out.tell())
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http
        )
        writer.write_record(record)
    return out.getvalue(), starts


def add_archives(corpus: Corpus) -> None:
    """Web archives whole, cut short, zero-filled after their records, compressed twice,
    and with gzip bombs as HTTP bodies; gzip files cut short."""
    root, add = corpus.root, corpus.add
    good = [
        *_warc_records(["warc 1", "warc 2"]),
        ("https://warc.example/gzipped-body", gzip.compress(page("warc gz body").encode()), "gzip"),
    ]
    data, _ = warc_bytes(good, gzipped=True)
    write(root, "inputs/good/crawl.warc.gz", data)
    add(Case("warc.gz, one body gzip-encoded", "inputs/good/crawl.warc.gz", "ingest", 3))
    bomb = gzip_bomb(GIB, b"<p>word</p>")
    data, _ = warc_bytes(
        [*_warc_records(["http bomb ok"]), ("https://warc.example/bomb", bomb, "gzip")],
        gzipped=True,
    )
    write(root, "inputs/bad/warc/http-bomb.warc.gz", data)
    add(
        Case(
            "warc.gz with a gzip-bomb HTTP body",
            "inputs/bad/warc/http-bomb.warc.gz",
            "ingest",
            1,
            ["E003"],
        )
    )
    data, starts = warc_bytes(_warc_records([f"cut gz {i}" for i in range(4)]), gzipped=True)
    write(root, "inputs/bad/warc/truncated.warc.gz", data[: (starts[3] + len(data)) // 2])
    add(Case("warc.gz cut short", "inputs/bad/warc/truncated.warc.gz", "ingest", 3, ["E015"]))
    data, starts = warc_bytes(_warc_records([f"cut plain {i}" for i in range(3)]), gzipped=False)
    write(root, "inputs/bad/warc/truncated.warc", data[: starts[2] + 300])
    add(Case("warc cut short", "inputs/bad/warc/truncated.warc", "ingest", 2, ["E015"]))
    data, _ = warc_bytes(_warc_records(["zero tail 1", "zero tail 2"]), gzipped=False)
    path = write(root, "inputs/bad/warc/zero-tail.warc", data)
    os.truncate(path, len(data) + GIB)
    add(
        Case(
            "warc with 1 GiB of zeros after its records",
            "inputs/bad/warc/zero-tail.warc",
            "ingest",
            2,
            ["E015"],
            note="a crawler killed after allocating its file",
        )
    )
    data, _ = warc_bytes(_warc_records(["twice 1", "twice 2"]), gzipped=True)
    write(root, "inputs/bad/warc/gzipped-twice.warc.gz", gzip.compress(data))
    add(
        Case(
            "warc.gz compressed again",
            "inputs/bad/warc/gzipped-twice.warc.gz",
            "ingest",
            codes=["E015"],
        )
    )
    whole = gzip.compress(article("cut text").encode() * 4)
    write(root, "inputs/bad/warc/truncated.txt.gz", whole[: len(whole) // 2])
    add(Case("txt.gz cut short", "inputs/bad/warc/truncated.txt.gz", "ingest", codes=["E011"]))
    _add_cut_jsonl(corpus)


def _add_cut_jsonl(corpus: Corpus) -> None:
    """A .jsonl.gz cut short: the lines wholly before the cut are stored. How many that is
    comes from decompressing the cut bytes with zlib, not from Parallax."""
    lines = jsonl(*({"text": article(f"cut jsonl {i}") * 3} for i in range(8))).encode()
    whole = gzip.compress(lines, mtime=0)
    cut = whole[: len(whole) * 2 // 3]
    prefix = zlib.decompressobj(wbits=31).decompress(cut)
    write(corpus.root, "inputs/bad/warc/truncated.jsonl.gz", cut)
    corpus.add(
        Case(
            "jsonl.gz cut short",
            "inputs/bad/warc/truncated.jsonl.gz",
            "ingest",
            prefix.count(b"\n"),
            ["E011"],
            note="the lines before the cut are stored",
        )
    )


def add_feeds(corpus: Corpus) -> None:
    """Feeds and news sitemaps to be served: good ones whose entries' pages must be
    stored, and ones declaring entities, which must be refused before any parser reads
    them (in UTF-16 too)."""
    root, add = corpus.root, corpus.add
    for number in (1, 2, 3):
        write(root, f"pages/entry-{number}.html", page(f"feed entry {number}"))
    items = "".join(
        f"<item><title>Entry {n}</title><link>{HOST}/pages/entry-{n}.html</link>"
        f"<guid>entry-{n}</guid></item>"
        for n in (1, 2)
    )
    rss = "<?xml version='1.0'?><rss version='2.0'><channel><title>Good</title>{}</channel></rss>"
    write(root, "feeds/good.rss", rss.format(items))
    add(Case("good RSS feed", "feeds/good.rss", "feed", 2))
    news = (
        "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
        "xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>{}</urlset>"
    )
    entry = (
        f"<url><loc>{HOST}/pages/entry-3.html</loc><news:news><news:title>Entry 3"
        "</news:title><news:publication_date>2025-09-22</news:publication_date>"
        "</news:news></url>"
    )
    write(root, "feeds/news-sitemap.xml", news.format(entry))
    add(Case("good news sitemap", "feeds/news-sitemap.xml", "feed", 1))
    hostile = {
        "laughs.rss": (laughs(), rss.format("<item><title>&lol9;</title></item>"), "rss"),
        "xxe.atom": (
            XXE,
            "<feed xmlns='http://www.w3.org/2005/Atom'><title>&xxe;</title></feed>",
            "feed",
        ),
        "laughs-sitemap.xml": (laughs(), news.format("<url><loc>&lol9;</loc></url>"), "urlset"),
        "xxe-sitemap.xml": (XXE, news.format("<url><loc>&xxe;</loc></url>"), "urlset"),
    }
    for name, (entities, body, root_name) in hostile.items():
        body = body.replace("<?xml version='1.0'?>", "")
        document = f"<?xml version='1.0'?><!DOCTYPE {root_name} [{entities}]>{body}"
        write(root, f"feeds/{name}", document)
        add(Case(f"entities in {name}", f"feeds/{name}", "feed", codes=["E080"]))
    utf16 = f"<?xml version='1.0' encoding='UTF-16'?><!DOCTYPE rss [{laughs()}]>"
    write(root, "feeds/laughs-utf16.rss", (utf16 + rss.format("")[21:]).encode("utf-16"))
    add(Case("billion laughs in a UTF-16 feed", "feeds/laughs-utf16.rss", "feed", codes=["E080"]))
    plain = "<?xml version='1.0'?><urlset><url><loc>https://x.example/</loc></url></urlset>"
    write(root, "feeds/plain-sitemap.xml", plain)
    add(Case("plain sitemap", "feeds/plain-sitemap.xml", "feed", codes=["E083"]))


def add_lists(corpus: Corpus) -> None:
    """What ``parallax watch`` and ``--manifest`` read as files: OPML lists declaring
    entities and a manifest with a bad row (usage errors: the command stops, exit 2)."""
    root, add = corpus.root, corpus.add
    outline = "<body><outline xmlUrl='https://x.example/rss'/></body>"
    for name, entities in (("laughs.opml", laughs()), ("xxe.opml", XXE)):
        write(
            root,
            f"opml/{name}",
            f"<?xml version='1.0'?><!DOCTYPE opml [{entities}]>"
            f"<opml version='2.0'><head/>{outline}</opml>",
        )
        add(Case(f"entities in {name}", f"opml/{name}", "opml", codes=["E082"]))
    rows = "path,outlet,published_at\ninputs/good/plain.txt,Good,2025-09-22\n"
    write(root, "bad-manifest.csv", rows + "inputs/good/page.html,Bad,the day after\n")
    add(
        Case(
            "manifest with a bad date",
            "bad-manifest.csv",
            "manifest",
            codes=["E012"],
            note="a usage error: nothing is ingested, exit 2",
        )
    )


def generate(out: Path, *, full: bool = False) -> Corpus:
    """Write the corpus into ``out`` (which must not exist or be empty) and its cases to
    ``out/cases.json``; ``full`` adds the expensive items."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise SystemExit(f"{out}: not empty; give a new folder")
    corpus = Corpus(out)
    add_examples(corpus)
    add_good(corpus)
    add_encodings(corpus)
    add_sizes(corpus, full)
    add_bombs(corpus, full)
    add_nesting(corpus)
    add_markup(corpus)
    add_filesystem(corpus)
    add_archives(corpus)
    add_feeds(corpus)
    add_lists(corpus)
    document = {"full": full, "notes": corpus.notes, "cases": [asdict(c) for c in corpus.cases]}
    (out / "cases.json").write_text(json.dumps(document, indent=1, ensure_ascii=False))
    return corpus


def load_cases(out: Path) -> list[Case]:
    """The cases a corpus was written with."""
    document = json.loads((out / "cases.json").read_text(encoding="utf-8"))
    return [Case(**case) for case in document["cases"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a new (or empty) folder")
    parser.add_argument("--full", action="store_true", help="add the expensive items")
    args = parser.parse_args(argv)
    corpus = generate(args.out, full=args.full)
    bad = sum(1 for case in corpus.cases if case.bad)
    print(f"wrote {len(corpus.cases)} inputs ({bad} bad) into {args.out}")
    for note in corpus.notes:
        print(f"  note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
