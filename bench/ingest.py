"""Ingest benchmark: articles per second and peak memory, into an empty and a full store.

Usage::

    python bench/ingest.py [--articles 10000] [--repeat 1] [--json]
                           [--tracemalloc] [--profile 20] [--workdir DIR]

A seeded generator writes a realistic corpus (JSONL, plain-text and HTML files, with
~3% near-duplicates and ~3% wire copies so the dedup path does real work) to a
temporary directory. ``parallax.pipeline.ingest`` then runs twice on it: into an
empty store, then again into the full store (the idempotent rerun, where every
article is already stored).

Every step runs in its own freshly spawned interpreter. That is what makes the
memory figures honest: a child's ``ru_maxrss`` starts from its parent's RSS at fork
time (Linux carries the high-water mark across exec), so the orchestrating process
never imports Parallax or holds the corpus, and the peak is cross-checked against
``VmHWM``, which belongs to the child's own address space only.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import json
import os
import platform
import pstats
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from html import escape
from importlib import metadata
from itertools import accumulate
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

JSONL_SHARE = 0.90
TXT_SHARE = 0.07
"""The rest (~3%) are HTML pages: few, because real crawls mostly arrive as records."""
JSONL_FILES = 10
NEAR_DUPLICATE_SHARE = 0.03
WIRE_COPY_SHARE = 0.03
EARLIER_COPY_SHARE = 0.3
"""Copies read after their source but published before it, as happens when files are read
in name order: the store then re-points the family to the earlier article."""
OUTLETS = 40
URL_SHARE = 0.5

# -- vocabulary ----------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FUNCTION_WORDS = _words(
    "the of and to in a that for on is was with as by at it from his her their said has"
    " have be are were an this which after but not its they he she who will would also more"
    " than about over into up had been or two new last one could some when while before"
    " under since against between during most other them there all what people such"
)
NEWS_WORDS = _words(
    "government minister police officers report election vote president parliament court"
    " judge ruling company market shares prices inflation economy budget tax spending health"
    " hospital patients workers union strike talks agreement deal ceasefire troops border"
    " attack protest protesters city council mayor residents school students university study"
    " researchers scientists climate energy oil gas power water flood storm fire damage"
    " investigation charges trial lawyer spokesperson statement announced confirmed denied"
    " warned according sources agency ministry department officials opposition party leader"
    " campaign candidate poll survey percent million billion record quarter growth rate"
    " bank central interest loans debt exports imports trade sanctions negotiators summit meeting"
    " week month morning evening weekend region country capital province district village"
)
SYLLABLES = _words(
    "ba be bi bo da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro"
    " sa se si so ta te ti to va ve vi vo za ze zi zo bar dan kel lin mor nes pol ren sul tam"
    " ver wyn"
)
OUTLET_NOUNS = _words(
    "Courier Herald Tribune Post Gazette Observer Chronicle Ledger Times Dispatch Sentinel"
    " Monitor Record Journal"
)
SECTIONS = ("world", "politics", "business", "science", "local", "europe", "economy")
ZONES = (0, 60, 120, -300, -240, 330, 540, -480, 180, 600)
"""UTC offsets in minutes: news is published in many time zones."""
FIRST_NAMES = _words(
    "Anna Marco Lena David Sofia Jonas Maria Omar Yuki Elena Pavel Grace Tomás Ines Kwame Laila"
    " Niko Ruth"
)
STYLES = ("plain", "newsplease", "newsapi")
"""Crawler record shapes the JSONL reader maps: one per outlet, as in a real crawl."""


@dataclass(frozen=True)
class Vocabulary:
    """Word pools with Zipf-like weights, so word frequencies look like running text."""

    pools: dict[str, Sequence[str]]
    cumulative: dict[str, list[float]]

    def draw(self, rng: random.Random, pool: str, k: int) -> list[str]:
        return rng.choices(self.pools[pool], cum_weights=self.cumulative[pool], k=k)


@dataclass(frozen=True)
class Story:
    """What several outlets write about independently: shared names, places and terms."""

    people: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Outlet:
    name: str
    domain: str
    style: str
    zone: int


@dataclass
class Item:
    """One generated article and where it goes; ``family`` marks dedup sources and copies."""

    outlet: Outlet
    title: str
    author: str
    text: str
    url: str | None
    published: datetime
    order: float
    kind: str = "original"
    family: bool = False
    published_first: bool = False
    """A copy published before its source (though read after it)."""


def _pseudo_word(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(low, high)))


def _zipf(words: Sequence[str]) -> list[float]:
    return list(accumulate(1.0 / (rank + 1) for rank in range(len(words))))


def make_vocabulary(rng: random.Random, filler_size: int = 4000) -> Vocabulary:
    """Real function and news words plus invented filler for realistic lexical variety."""
    filler = sorted({_pseudo_word(rng, 2, 4) for _ in range(filler_size)})
    rng.shuffle(filler)
    pools = {"function": FUNCTION_WORDS, "news": NEWS_WORDS, "filler": filler}
    return Vocabulary(pools, {name: _zipf(words) for name, words in pools.items()})


def make_outlets(rng: random.Random, count: int) -> list[Outlet]:
    outlets = []
    for index in range(count):
        place = _pseudo_word(rng, 2, 3).capitalize()
        noun = OUTLET_NOUNS[index % len(OUTLET_NOUNS)]
        domain = f"{place.lower()}{noun.lower()}.example"
        style = STYLES[index % len(STYLES)]
        outlets.append(Outlet(f"The {place} {noun}", domain, style, rng.choice(ZONES)))
    return outlets


def make_story(rng: random.Random) -> Story:
    people = tuple(
        f"{rng.choice(FIRST_NAMES)} {_pseudo_word(rng, 2, 3).capitalize()}" for _ in range(3)
    )
    terms = tuple(_pseudo_word(rng, 2, 4).capitalize() for _ in range(6))
    return Story(people, terms)


# -- text ----------------------------------------------------------------------------

_KINDS = ("function", "news", "filler", "story")
_KIND_WEIGHTS = list(accumulate((0.45, 0.22, 0.25, 0.08)))


def sentence(rng: random.Random, vocab: Vocabulary, story: Story) -> str:
    """One sentence: mostly common words, some topic words, the story's names now and then."""
    kinds = rng.choices(_KINDS, cum_weights=_KIND_WEIGHTS, k=rng.randint(8, 26))
    drawn = {kind: iter(vocab.draw(rng, kind, kinds.count(kind))) for kind in _KINDS[:3]}
    words = [rng.choice(story.terms) if kind == "story" else next(drawn[kind]) for kind in kinds]
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 98)} percent")
    for position in rng.sample(range(len(words) - 1), k=min(2, len(words) - 1)):
        if rng.random() < 0.3:
            words[position] += ","
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    if rng.random() < 0.12:
        return f"“{text},” said {rng.choice(story.people)}."
    return text + "."


def body(rng: random.Random, vocab: Vocabulary, story: Story, target: int) -> str:
    """Paragraphs of 2-5 sentences until the word target is met."""
    paragraphs: list[str] = []
    count = 0
    while count < target:
        sentences = [sentence(rng, vocab, story) for _ in range(rng.randint(2, 5))]
        paragraph = " ".join(sentences)
        count += paragraph.count(" ") + 1
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def title(rng: random.Random, vocab: Vocabulary, story: Story) -> str:
    words = vocab.draw(rng, "news", 3) + vocab.draw(rng, "filler", 2) + [rng.choice(story.terms)]
    rng.shuffle(words)
    return " ".join(words).capitalize() + " " + rng.choice(story.terms)


def edited(rng: random.Random, vocab: Vocabulary, text: str) -> str:
    """A near-duplicate: a handful of words changed and a correction line, as after an update."""
    words = text.split(" ")
    for position in rng.sample(range(len(words)), k=rng.randint(3, 6)):
        words[position] = vocab.draw(rng, "filler", 1)[0]
    return " ".join(words) + "\n\nThis article has been updated with new information."


def slug(text: str) -> str:
    return "-".join(text.lower().split()[:6])


# -- corpus --------------------------------------------------------------------------


@dataclass
class Corpus:
    """What was generated: the counts the summaries will be checked against."""

    articles: int = 0
    near_duplicates: int = 0
    wire_copies: int = 0
    with_url: int = 0
    copies_published_first: int = 0
    files: dict[str, int] = field(default_factory=dict)
    articles_by_kind: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    words: int = 0
    generate_s: float = 0.0


def generate_items(count: int, seed: int) -> list[Item]:
    """Originals, then near-duplicates and wire copies placed after their sources."""
    rng = random.Random(seed)
    vocab = make_vocabulary(rng)
    outlets = make_outlets(rng, OUTLETS)
    stories = [make_story(rng) for _ in range(max(1, count // 6))]
    near = round(count * NEAR_DUPLICATE_SHARE)
    wire = round(count * WIRE_COPY_SHARE)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    items = []
    for index in range(count - near - wire):
        outlet, story = rng.choice(outlets), rng.choice(stories)
        headline = title(rng, vocab, story)
        url = f"https://{outlet.domain}/{rng.choice(SECTIONS)}/{slug(headline)}-{index}"
        items.append(
            Item(
                outlet=outlet,
                title=headline,
                author=f"{rng.choice(FIRST_NAMES)} {_pseudo_word(rng, 2, 3).capitalize()}",
                text=body(rng, vocab, story, rng.randint(400, 900)),
                url=url if rng.random() < URL_SHARE else None,
                published=start + timedelta(minutes=rng.randrange(300 * 24 * 60)),
                order=float(index),
            )
        )
    copies = [_copy(rng, vocab, outlets, items, "near_duplicate") for _ in range(near)]
    copies += [_copy(rng, vocab, outlets, items, "wire_copy") for _ in range(wire)]
    return sorted(items + copies, key=lambda item: item.order)


def _copy(
    rng: random.Random, vocab: Vocabulary, outlets: list[Outlet], items: list[Item], kind: str
) -> Item:
    """A copy of a random original, read after its source, published before or after it."""
    source = rng.choice(items)
    source.family = True
    first = rng.random() < EARLIER_COPY_SHARE
    minutes = rng.randint(5, 600) * (-1 if first else 1)
    copy = Item(
        outlet=source.outlet,
        title=source.title,
        author=source.author,
        text=source.text,
        url=None,
        published=source.published + timedelta(minutes=minutes),
        order=source.order + rng.uniform(1, 400),
        kind=kind,
        family=True,
        published_first=first,
    )
    if kind == "near_duplicate":
        copy.text = edited(rng, vocab, source.text)
        copy.url = f"{source.url}-update-{round(copy.order * 1000)}" if source.url else None
        return copy
    copy.outlet = rng.choice([o for o in outlets if o is not source.outlet])
    copy.author = "Wire staff"
    if rng.random() < URL_SHARE:
        copy.url = f"https://{copy.outlet.domain}/wire/{slug(source.title)}-{rng.randrange(10**6)}"
    return copy


def stamp(moment: datetime, zone: int) -> str:
    """ISO 8601 with the outlet's own offset, as feeds and pages state it."""
    return moment.astimezone(timezone(timedelta(minutes=zone))).isoformat(timespec="seconds")


def record(item: Item) -> dict[str, Any]:
    """A JSONL record in the outlet's crawler style (plain, news-please or NewsAPI)."""
    published = stamp(item.published, item.outlet.zone)
    fields: dict[str, Any]
    if item.outlet.style == "newsplease":
        fields = {
            "title": item.title,
            "maintext": item.text,
            "url": item.url,
            "source_domain": item.outlet.name,
            "date_publish": published,
            "authors": [item.author],
            "language": "en",
        }
    elif item.outlet.style == "newsapi":
        fields = {
            "title": item.title,
            "content": item.text,
            "url": item.url,
            "source": {"id": item.outlet.domain, "name": item.outlet.name},
            "publishedAt": published,
            "author": item.author,
        }
    else:
        fields = {
            "title": item.title,
            "text": item.text,
            "url": item.url,
            "outlet": item.outlet.name,
            "published_at": published,
            "author": item.author,
        }
    return {key: value for key, value in fields.items() if value is not None}


def text_file(item: Item, rng: random.Random) -> str:
    """A copied-and-pasted article: headline, a date line, byline, a counter, then the text."""
    local = item.published.astimezone(timezone(timedelta(minutes=item.outlet.zone)))
    date_line = rng.choice(
        (
            local.strftime("%d.%m.%Y, %H:%M"),
            local.strftime("%B %d, %Y %I:%M %p"),
            "Published " + stamp(item.published, item.outlet.zone),
        )
    )
    views = f"{rng.randint(100, 99999):,} views"
    return f"{item.title}\n{date_line}\nBy {item.author}\n{views}\n\n{item.text}\n"


def html_page(item: Item) -> str:
    """A simple article page: site name and timestamp in meta tags, text in <article><p>."""
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in item.text.split("\n\n"))
    canonical = f'<link rel="canonical" href="{escape(item.url)}">' if item.url else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(item.title)} | {escape(item.outlet.name)}</title>
<meta property="og:site_name" content="{escape(item.outlet.name)}">
<meta property="og:title" content="{escape(item.title)}">
<meta property="article:published_time" content="{stamp(item.published, item.outlet.zone)}">
<meta name="author" content="{escape(item.author)}">{canonical}
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a>
</nav></header>
<article><h1>{escape(item.title)}</h1>
{paragraphs}
</article>
<footer><p>© {escape(item.outlet.name)}. All rights reserved.</p></footer>
</body></html>
"""


def write_corpus(root: Path, count: int, seed: int) -> Corpus:
    """Generate and write the corpus; runs in its own process so its memory is not counted."""
    started = time.perf_counter()
    items = generate_items(count, seed)
    rng = random.Random(seed + 1)
    loose = [index for index, item in enumerate(items) if not item.family]
    # Copy families stay in JSONL: text files carry no outlet, and an unknown outlet
    # turns a wire copy into a duplicate, which would blur the expected counts.
    picked = rng.sample(loose, k=min(len(loose), round(count * (1 - JSONL_SHARE))))
    txt = set(picked[: round(count * TXT_SHARE)])
    html = set(picked[len(txt) :])
    for index in txt:
        items[index].url = None  # pasted text carries no url: its id comes from its text
    corpus = Corpus(articles=len(items))
    elsewhere = txt | html
    records = [item for index, item in enumerate(items) if index not in elsewhere]
    _write_jsonl(root / "jsonl", records, corpus)
    for number, index in enumerate(sorted(txt)):
        _write(root / "text" / f"{number:05d}.txt", text_file(items[index], rng), corpus)
    for number, index in enumerate(sorted(html)):
        _write(root / "pages" / f"{number:05d}.html", html_page(items[index]), corpus)
    corpus.near_duplicates = sum(item.kind == "near_duplicate" for item in items)
    corpus.wire_copies = sum(item.kind == "wire_copy" for item in items)
    corpus.with_url = sum(item.url is not None for item in items)
    corpus.copies_published_first = sum(item.published_first for item in items)
    corpus.words = sum(item.text.count(" ") + 1 for item in items)
    corpus.articles_by_kind = {"jsonl": len(records), "txt": len(txt), "html": len(html)}
    corpus.generate_s = time.perf_counter() - started
    return corpus


def _write_jsonl(folder: Path, items: list[Item], corpus: Corpus) -> None:
    size = -(-len(items) // JSONL_FILES)
    for part in range(JSONL_FILES):
        chunk = items[part * size : (part + 1) * size]
        lines = "".join(json.dumps(record(item), ensure_ascii=False) + "\n" for item in chunk)
        _write(folder / f"part-{part:02d}.jsonl", lines, corpus)


def _write(path: Path, content: str, corpus: Corpus) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8")
    path.write_bytes(data)
    corpus.bytes += len(data)
    kind = path.suffix.lstrip(".")
    corpus.files[kind] = corpus.files.get(kind, 0) + 1


# -- measuring -----------------------------------------------------------------------


@dataclass
class PassResult:
    """One ingest pass, measured inside its own process."""

    name: str
    wall_s: float
    cpu_s: float
    """CPU time of the process: steadier than wall time on a shared or busy machine."""
    articles_per_s: float
    ingested: int
    already_stored: int
    duplicates: int
    wire_copies: int
    quarantined: int
    skipped_files: int
    peak_rss_mib: float
    rss_before_mib: float
    vm_hwm_mib: float
    close_s: float
    store_mib: float
    stored_articles: int
    tracemalloc_peak_mib: float | None = None
    profile: str | None = None


def _status_kib(key: str) -> int:
    """A ``/proc/self/status`` figure in KiB (VmHWM: this address space's peak RSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


@dataclass
class Probe:
    """What :func:`measured` saw around one call."""

    wall_s: float = 0.0
    cpu_s: float = 0.0
    tracemalloc_peak_mib: float | None = None
    profile: str | None = None


@contextmanager
def measured(trace: bool, profile_top: int) -> Iterator[Probe]:
    """Time a block; optionally trace allocations and profile it (both slow it down)."""
    probe = Probe()
    profiler = cProfile.Profile() if profile_top else None
    if trace:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    try:
        yield probe
    finally:
        if profiler:
            profiler.disable()
        probe.wall_s = time.perf_counter() - started
        probe.cpu_s = time.process_time() - cpu_started
        if trace:
            probe.tracemalloc_peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        for order in ("cumulative", "tottime"):  # where time goes, then the hot leaves
            stats.sort_stats(order).print_stats(profile_top)
        probe.profile = out.getvalue()


def run_pass(name: str, root: str, db: str, trace: bool, profile_top: int) -> PassResult:
    """Ingest the corpus once; the import of Parallax is part of this process's footprint."""
    from parallax.pipeline import IngestOptions, ingest
    from parallax.store import Store

    store = Store.open(db)
    rss_before = _status_kib("VmRSS")
    with measured(trace, profile_top) as probe:
        summary = ingest([Path(root)], store, IngestOptions())
    stored = store.count_articles()
    closing = time.perf_counter()
    store.close()
    close_s = time.perf_counter() - closing
    processed = summary.ingested + summary.already_stored + summary.quarantined
    return PassResult(
        name=name,
        wall_s=probe.wall_s,
        cpu_s=probe.cpu_s,
        articles_per_s=processed / probe.wall_s,
        ingested=summary.ingested,
        already_stored=summary.already_stored,
        duplicates=summary.duplicates,
        wire_copies=summary.wire_copies,
        quarantined=summary.quarantined,
        skipped_files=summary.skipped_files,
        peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        rss_before_mib=rss_before / 1024,
        vm_hwm_mib=_status_kib("VmHWM") / 1024,
        close_s=close_s,
        store_mib=_store_bytes(Path(db)) / 2**20,
        stored_articles=stored,
        tracemalloc_peak_mib=probe.tracemalloc_peak_mib,
        profile=probe.profile,
    )


def _store_bytes(db: Path) -> int:
    """The store on disk: the database and whatever WAL is left beside it."""
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())


def in_fresh_process(function: Callable[..., T], *args: Any) -> T:
    """Run in a newly spawned interpreter, so its peak memory is its own."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


# -- machine -------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """Enough about the machine and the libraries to compare runs fairly."""
    cpu = _first_value(Path("/proc/cpuinfo"), "model name") or platform.processor()
    mem_kib = int((_first_value(Path("/proc/meminfo"), "MemTotal") or "0 kB").split()[0])
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "ram_gib": round(mem_kib / 2**20, 1),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "libraries": {name: _version(name) for name in ("datasketch", "trafilatura", "numpy")},
        "parallax": _parallax_revision(),
        "parallax_env": {k: v for k, v in sorted(os.environ.items()) if k.startswith("PARALLAX_")},
    }


def _parallax_revision() -> str:
    """Which Parallax code is measured: its folder, commit, and whether it was edited since.

    Found without importing it, so this process stays small.
    """
    spec = importlib.util.find_spec("parallax")
    if spec is None or spec.origin is None:
        return "not installed"
    folder = Path(spec.origin).parent
    commit = _git(folder, "rev-parse", "--short", "HEAD")
    if commit.returncode:
        return f"{folder} (not a git checkout)"
    edited = _git(folder, "diff", "--quiet", "HEAD", "--", ".").returncode
    return f"{folder} at {commit.stdout.strip()}" + (" with uncommitted edits" if edited else "")


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = ["git", "-C", str(folder), *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _first_value(path: Path, key: str) -> str | None:
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        name, _, value = line.partition(":")
        if name.strip() == key:
            return value.strip()
    return None


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


# -- output --------------------------------------------------------------------------

_COLUMNS = (
    ("pass", "name", "{}"),
    ("wall s", "wall_s", "{:.1f}"),
    ("CPU s", "cpu_s", "{:.1f}"),
    ("articles/s", "articles_per_s", "{:.0f}"),
    ("ingested", "ingested", "{}"),
    ("already", "already_stored", "{}"),
    ("dups", "duplicates", "{}"),
    ("wire", "wire_copies", "{}"),
    ("quar.", "quarantined", "{}"),
    ("peak RSS MiB", "peak_rss_mib", "{:.0f}"),
    ("RSS before MiB", "rss_before_mib", "{:.0f}"),
    ("store MiB", "store_mib", "{:.1f}"),
)


def table(passes: Sequence[PassResult]) -> Iterator[str]:
    rows = [[label for label, _, _ in _COLUMNS]]
    rows += [[fmt.format(getattr(p, key)) for _, key, fmt in _COLUMNS] for p in passes]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    for number, row in enumerate(rows):
        yield "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
        if number == 0:
            yield "  ".join("-" * width for width in widths)


def report(
    info: dict[str, Any],
    corpus: Corpus,
    passes: Sequence[PassResult],
    runs: Sequence[PassResult],
) -> str:
    lines = [*header(info, corpus), "", *table(passes)]
    if len(runs) > len(passes):
        lines.append(f"best of {len(runs) // len(passes)} runs by wall time; all runs:")
        for name in PASSES:
            mine = [run for run in runs if run.name == name]
            walls = " ".join(f"{run.wall_s:.1f}" for run in mine)
            cpus = " ".join(f"{run.cpu_s:.1f}" for run in mine)
            lines.append(f"  {name}: wall {walls} s, CPU {cpus} s")
    for result in passes:
        lines += notes(result)
    return "\n".join(lines)


def header(info: dict[str, Any], corpus: Corpus) -> list[str]:
    """The machine and the corpus, so a figure can be compared with another run's."""
    files = ", ".join(f"{n} .{kind}" for kind, n in sorted(corpus.files.items()))
    return [
        f"machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), "
        f"{info['ram_gib']} GiB RAM, load average {info['load_average'][0]:.2f} at the end",
        f"         Python {info['python']}, SQLite {info['sqlite']}, {info['platform']}",
        f"         {', '.join(f'{k} {v}' for k, v in info['libraries'].items())}",
        f"         parallax: {info['parallax']}",
        *(f"         {k}={v}" for k, v in info["parallax_env"].items()),
        f"corpus:  {corpus.articles} articles ({corpus.near_duplicates} near-duplicates, "
        f"{corpus.wire_copies} wire copies, {corpus.copies_published_first} of these published "
        f"before their source, {corpus.with_url} with url), {files}, "
        f"{corpus.bytes / 2**20:.1f} MiB, {corpus.words / corpus.articles:.0f} words/article",
    ]


def notes(result: PassResult) -> list[str]:
    """What only instrumented runs have, and a warning if the two peak figures disagree."""
    lines = []
    if result.tracemalloc_peak_mib is not None:
        lines.append(f"{result.name}: tracemalloc peak {result.tracemalloc_peak_mib:.1f} MiB")
    if abs(result.vm_hwm_mib - result.peak_rss_mib) > 1:
        lines.append(
            f"{result.name}: VmHWM {result.vm_hwm_mib:.0f} MiB differs from "
            f"ru_maxrss {result.peak_rss_mib:.0f} MiB"
        )
    if result.profile:
        lines += ["", f"profile of {result.name}:", result.profile]
    return lines


# -- main ----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size")
    parser.add_argument("--seed", type=int, default=2025, help="seed of the corpus generator")
    parser.add_argument("--json", action="store_true", help="print a JSON object instead")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace Python allocations (slows ingest down)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="run under cProfile and print the top N functions (slows it)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N", help="run both passes N times, keep the best"
    )
    parser.add_argument(
        "--workdir", type=Path, help="keep corpus and store here instead of a temporary directory"
    )
    return parser.parse_args(argv)


PASSES = ("empty store", "full store")


def benchmark(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Generate once, then ``--repeat`` times: a fresh store, filled, then filled again."""
    corpus_dir = workdir / "corpus"
    corpus = in_fresh_process(write_corpus, corpus_dir, args.articles, args.seed)
    instruments = (args.tracemalloc, args.profile)
    runs = [
        in_fresh_process(run_pass, name, str(corpus_dir), str(db), *instruments)
        for db in (workdir / f"bench-{rep + 1}.db" for rep in range(args.repeat))
        for name in PASSES
    ]
    return {
        "machine": machine(),
        "corpus": corpus,
        "passes": [best(runs, name) for name in PASSES],
        "runs": runs,
        "instrumented": bool(args.tracemalloc or args.profile),
    }


def best(runs: Sequence[PassResult], name: str) -> PassResult:
    """The fastest run of a pass: on a shared machine, the slower ones measure the neighbours."""
    return min((run for run in runs if run.name == name), key=lambda run: run.wall_s)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.workdir:
        if args.workdir.exists() and any(args.workdir.iterdir()):
            sys.exit(f"{args.workdir} is not empty: the first pass needs an empty store")
        args.workdir.mkdir(parents=True, exist_ok=True)
        result = benchmark(args, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="parallax-bench-") as tmp:
            result = benchmark(args, Path(tmp))
    if args.json:
        payload = {
            **result,
            "corpus": asdict(result["corpus"]),
            "passes": [asdict(p) for p in result["passes"]],
            "runs": [asdict(p) for p in result["runs"]],
        }
        print(json.dumps(payload, indent=2))
    else:
        print(report(result["machine"], result["corpus"], result["passes"], result["runs"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
