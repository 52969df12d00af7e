"""Story clustering at scale: time, peak memory and quality on generated corpora.

Usage::

    .venv/bin/python bench/stories.py [--sizes 10000 100000 1000000] [--per-day 10000]
        [--probe 1000] [--json FILE] [--plot docs/stories-scale.png]

Each size runs in a fresh process (so peak memory is that size's own) and reports the
time spent in :func:`parallax.stories.assign` (feature generation excluded), the peak
resident memory of the whole process, B-cubed against the generated truth, and the
working set at the end. At the probe size (100k by default) it then times ``--probe``
further articles one by one: the cost of assigning one new article to an index of 100k.

The corpus is generated, features directly (no text, no spaCy), to look like a news
stream: ``--per-day`` articles a day from 2,000 outlets (Zipf popularity); stories of
heavy-tailed size (mean ~7, some hundreds) published in bursts (most articles within a
day or two of the first, one story in ten runs for weeks); stories belong to topics (20
per topic: "an earthquake", "a strike") whose vocabulary they share, so look-alike
stories run at the same time; every article draws most of its words from a Zipf
background vocabulary shared by all, names partly from a pool of famous names that
many stories mention, and numbers from its story and at random.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parallax.stories import BCubed, Features, StoryIndex, StoryOptions, assign  # noqa: E402
from parallax.stories.features import Channel  # noqa: E402

DAY = 86400.0
Keys = npt.NDArray[np.int64]


def _keys(channel: Channel, prefix: str, count: int) -> Keys:
    return np.array(
        [(int(channel) << 32) | zlib.crc32(f"{prefix}{n}".encode()) for n in range(count)],
        dtype=np.int64,
    )


@dataclass
class Vocabulary:
    """Feature keys of each pool, computed once."""

    background: Keys  # Zipf-distributed common words, shared by every story
    specific: Keys  # words that mark one story (drawn per story)
    topical: Keys  # words of a topic, shared by its stories
    names: Keys  # names; the first 1,000 are famous (many stories mention them)
    numbers: Keys  # facts channel

    @classmethod
    def build(cls) -> Vocabulary:
        return cls(
            background=_keys(Channel.TEXT, "w", 30_000),
            specific=_keys(Channel.TEXT, "s", 300_000),
            topical=_keys(Channel.TEXT, "t", 100_000),
            names=_keys(Channel.NAMES, "n", 500_000),
            numbers=_keys(Channel.FACTS, "#", 20_000),
        )


@dataclass
class Plan:
    """Who is in which story and when: one row per article, in publication order."""

    times: npt.NDArray[np.float64]
    stories: npt.NDArray[np.int64]
    outlets: npt.NDArray[np.int64]


def plan(size: int, per_day: float, seed: int) -> Plan:
    """A stationary stream: stories start before and during the window (so the first and
    last days look like the others) and only articles inside it are kept."""
    rng = np.random.default_rng(seed)
    days = size / per_day
    times: list[npt.NDArray[np.float64]] = []
    stories: list[npt.NDArray[np.int64]] = []
    kept, story = 0, 0
    while kept < size:
        batch = max(1000, (size - kept) // 5)
        sizes = np.minimum(1 + rng.lognormal(1.2, 1.1, batch).astype(np.int64), 2000)
        starts = rng.uniform(-10, days, batch)
        spread = np.where(rng.random(batch) < 0.1, 5.0, 0.6)
        owner = np.repeat(np.arange(story, story + batch), sizes)
        local = owner - story
        when = starts[local] + rng.exponential(spread[local])
        inside = (when >= 0) & (when < days)
        times.append(when[inside] * DAY)
        stories.append(owner[inside])
        kept += int(inside.sum())
        story += batch
    all_times, all_stories = np.concatenate(times), np.concatenate(stories)
    order = np.argsort(all_times, kind="stable")[:size]
    outlets = np.minimum(rng.zipf(1.3, size), 2000)
    return Plan(all_times[order], all_stories[order], outlets)


class Generator:
    """Features of each article, drawn from one random stream in publication order.

    A story's own words are drawn when its first article comes and forgotten after its
    last, so the generator holds only the stories in flight.
    """

    def __init__(self, vocabulary: Vocabulary, corpus: Plan, seed: int) -> None:
        self.v = vocabulary
        self.rng = np.random.default_rng(seed)
        ranks = np.arange(1, len(vocabulary.background) + 1)
        self.background_cdf = np.cumsum(1 / ranks) / (1 / ranks).sum()
        famous = np.arange(1, 1001)
        self.famous_cdf = np.cumsum(1 / famous) / (1 / famous).sum()
        self.left = np.bincount(corpus.stories)
        self.words: dict[int, dict[str, Keys]] = {}
        self.topics = self.rng.integers(0, max(1, len(self.left) // 20), len(self.left))
        """Twenty stories to a topic, drawn at random: a topic's stories are spread over
        the stream, and some run at the same time."""

    def _story(self, story: int) -> dict[str, Keys]:
        words = self.words.get(story)
        if words is None:
            rng, v = self.rng, self.v
            topic = np.random.default_rng(10**9 + int(self.topics[story]))
            words = self.words[story] = {
                "specific": v.specific[rng.integers(0, len(v.specific), 14)],
                "topical": v.topical[topic.integers(0, len(v.topical), 30)],
                "names": v.names[rng.integers(1000, len(v.names), 3)],
                "numbers": v.numbers[rng.integers(0, len(v.numbers), 3)],
            }
        self.left[story] -= 1
        if self.left[story] == 0:
            del self.words[story]
        return words

    def article(self, n: int, story: int, when: float, outlet: int) -> Features:
        rng, v = self.rng, self.v
        words = self._story(story)
        parts = [
            v.background[np.searchsorted(self.background_cdf, rng.random(85))],
            rng.choice(words["topical"], 30),
            rng.choice(words["specific"], 28),
            v.specific[rng.integers(0, len(v.specific), 7)],
            rng.choice(words["names"], 5),
            v.names[np.searchsorted(self.famous_cdf, rng.random(2))],
            v.names[rng.integers(1000, len(v.names), 2)],
            rng.choice(words["numbers"], 3),
            v.numbers[rng.integers(0, len(v.numbers), 2)],
        ]
        title = [rng.choice(words["specific"], 4), rng.choice(words["topical"], 2)]
        keys, counts = np.unique(np.concatenate(parts + title * 3), return_counts=True)
        weights = np.round(10 * (1 + np.log(counts)))
        return Features(f"a{n}", keys, weights, when, f"outlet{outlet}")


def stream(size: int, per_day: float, seed: int) -> Iterator[tuple[Features, int]]:
    """(features, true story) of each article in publication order."""
    corpus = plan(size, per_day, seed)
    generator = Generator(Vocabulary.build(), corpus, seed)
    for n in range(size):
        story = int(corpus.stories[n])
        yield generator.article(n, story, float(corpus.times[n]), int(corpus.outlets[n])), story


def run_one(
    size: int, per_day: float, probe: int, seed: int, options: StoryOptions | None = None
) -> dict[str, Any]:
    """Cluster ``size`` articles (then time ``probe`` more one by one).

    The bench's own bookkeeping (each article's story, for B-cubed) is kept in arrays so
    that the peak memory reported is the clusterer's, not the bench's.
    """
    index = StoryIndex(options or StoryOptions())
    codes: dict[str, int] = {}
    found = np.zeros(size + probe, dtype=np.int64)
    truth = np.zeros(size + probe, dtype=np.int64)
    merged: dict[int, int] = {}
    assigning = cpu = 0.0
    probe_times: list[float] = []
    tenths: list[float] = []
    tenth = max(1, size // 10)
    started = time.perf_counter()
    for n, (features, story) in enumerate(stream(size + probe, per_day, seed)):
        start, start_cpu = time.perf_counter(), time.process_time()
        placed = assign(features, index)
        spent = time.perf_counter() - start
        if n < size:
            assigning += spent
            cpu += time.process_time() - start_cpu
            if (n + 1) % tenth == 0:
                tenths.append(assigning - sum(tenths))
        else:
            probe_times.append(spent)
        found[n] = codes.setdefault(placed.story, len(codes))
        truth[n] = story
        for merge in placed.merges:
            source = codes.setdefault(merge.source, len(codes))
            merged[source] = codes.setdefault(merge.target, len(codes))
    total = time.perf_counter() - started
    if merged:
        found = np.array([_final(code, merged) for code in found.tolist()], dtype=np.int64)
    scores = bcubed_arrays(found, truth)
    result: dict[str, Any] = {
        "articles": size,
        "assign_seconds": round(assigning, 2),
        "per_article_ms": round(1000 * assigning / size, 3),
        "assign_cpu_seconds": round(cpu, 2),
        "per_article_ms_by_tenth": [round(1000 * t / tenth, 3) for t in tenths],
        "total_seconds_with_generation": round(total, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "stories_true": len(set(truth.tolist())),
        "stories_found": len(np.unique(found)),
        "merges": len(merged),
        "hot_stories_at_end": len(index.stories),
        "hot_articles_at_end": len(index.story_of),
        "postings_keys_at_end": len(index.postings),
        "bcubed": scores.to_json(),
    }
    if probe_times:
        times = np.array(probe_times) * 1000
        result["probe"] = {
            "index_articles": size,
            "hot_stories": len(index.stories),
            "articles": len(times),
            "mean_ms": round(float(times.mean()), 3),
            "p50_ms": round(float(np.percentile(times, 50)), 3),
            "p99_ms": round(float(np.percentile(times, 99)), 3),
            "max_ms": round(float(times.max()), 3),
        }
    return result


def bcubed_arrays(found: npt.NDArray[np.int64], truth: npt.NDArray[np.int64]) -> BCubed:
    """:func:`parallax.stories.bcubed` over integer labels, vectorised (1M items)."""
    _, pair = np.unique(np.stack([found, truth]), axis=1, return_inverse=True)
    _, found_label = np.unique(found, return_inverse=True)
    _, truth_label = np.unique(truth, return_inverse=True)
    pair, found_label, truth_label = pair.ravel(), found_label.ravel(), truth_label.ravel()
    shared = np.bincount(pair)[pair]
    precision = shared / np.bincount(found_label)[found_label]
    recall = shared / np.bincount(truth_label)[truth_label]
    return BCubed(float(precision.mean()), float(recall.mean()))


def _final(story: int, merged: dict[int, int]) -> int:
    while story in merged:
        story = merged[story]
    return story


def _options(pairs: list[str]) -> StoryOptions:
    defaults = StoryOptions()
    values: dict[str, Any] = {}
    for pair in pairs:
        name, value = pair.split("=", 1)
        values[name] = type(getattr(defaults, name))(value)
    return StoryOptions(**values)


def machine() -> str:
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = "unknown CPU"
    return f"{model}, {os.cpu_count()} cores, Python {sys.version.split()[0]}"


def plot(results: list[dict[str, Any]], path: Path) -> bool:
    """A log-log plot of time and memory against size; False when matplotlib is absent."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    sizes = [r["articles"] for r in results]
    figure, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    axes[0].loglog(sizes, [r["assign_seconds"] for r in results], "o-", label="measured")
    linear = [results[0]["assign_seconds"] * s / sizes[0] for s in sizes]
    axes[0].loglog(sizes, linear, "--", color="grey", label="linear from the smallest")
    axes[0].set(xlabel="articles", ylabel="seconds (assign)", title="time")
    axes[0].legend()
    axes[1].semilogx(sizes, [r["peak_rss_mib"] for r in results], "o-")
    axes[1].axhline(4096, color="red", linestyle=":", label="4 GiB target")
    axes[1].set(xlabel="articles", ylabel="peak RSS (MiB)", title="memory")
    axes[1].legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--per-day", type=float, default=10_000)
    parser.add_argument("--probe", type=int, default=1000, help="articles timed one by one")
    parser.add_argument("--probe-at", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--option", action="append", default=[], metavar="NAME=VALUE", help="a StoryOptions field"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--plot", type=Path, help="write a PNG plot here (needs matplotlib)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        probe = args.probe if args.one == args.probe_at else 0
        print(json.dumps(run_one(args.one, args.per_day, probe, args.seed, _options(args.option))))
        return
    results = []
    for size in args.sizes:
        command = [sys.executable, __file__, "--one", str(size), "--per-day", str(args.per_day)]
        command += ["--probe", str(args.probe), "--probe-at", str(args.probe_at)]
        command += ["--seed", str(args.seed)]
        command += [f"--option={option}" for option in args.option]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output))
        print(json.dumps(results[-1]), flush=True)
    for smaller, larger in itertools.pairwise(results):
        ratio = larger["assign_seconds"] / max(smaller["assign_seconds"], 1e-9)
        scale = larger["articles"] / smaller["articles"]
        print(f"{smaller['articles']} -> {larger['articles']} ({scale:g}x): time x{ratio:.2f}")
    summary = {
        "machine": machine(),
        "per_day": args.per_day,
        "options": args.option,
        "results": results,
    }
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    if args.plot and not plot(results, args.plot):
        print("matplotlib is not installed: no plot", file=sys.stderr)


if __name__ == "__main__":
    main()
