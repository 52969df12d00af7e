"""How long comparing one story takes, for stories of 2, 20 and 200 articles.

Usage::

    .venv/bin/python bench/compare.py [--sizes 2 20 200] [--repeat 3] [--seed 1] [--json FILE]

A story of N articles is generated from the example corpus's main story (story A: the
letter, eight articles from seven outlets): each article takes 10 to 25 of the story's
sentences in their order, from one of N outlets, published over four days. That is the
hard case for comparison: every article repeats facts, values and quotes of the others,
so facts are large and every value meets many others. The articles are annotated once
(not timed); ``compare`` is timed, best of ``--repeat`` runs, after one warm-up run.
Target: a story of 200 articles in under 2 seconds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parallax.annotate.annotator import Job, annotate  # noqa: E402
from parallax.compare import Source, compare, story_order  # noqa: E402
from parallax.model import Article  # noqa: E402
from parallax.stories import story_actors  # noqa: E402

EXAMPLES = ROOT / "examples"
_SENTENCE = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])")


def story_sentences() -> list[str]:
    """The sentences of story A's articles, in article order (from the truth's text rule:
    the corpus is ingested for real in a temporary store)."""
    import tempfile

    from parallax.pipeline import IngestOptions, ingest
    from parallax.store import Store

    truth = json.loads((EXAMPLES / "truth.json").read_text())
    urls = {a["url"] for a in truth["articles"] if a["story"] == "A"}
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "s.db") as store:
        options = IngestOptions(manifest=EXAMPLES / "manifest.csv")
        ingest([EXAMPLES / "corpus"], store, options)
        texts = [a.text for a in store.articles() if a.url in urls]
    sentences: list[str] = []
    for text in texts:
        for paragraph in text.split("\n\n"):
            sentences.extend(s.strip() for s in _SENTENCE.split(paragraph) if len(s.split()) > 4)
    return sentences


def generate(size: int, pool: list[str], seed: int) -> list[Source]:
    """``size`` annotated articles of one story."""
    rng = random.Random(seed)
    drafts = []
    for n in range(size):
        count = rng.randint(10, min(25, len(pool)))
        picked = sorted(rng.sample(range(len(pool)), count))
        day = 5 + n * 4 // max(1, size)
        published = f"2026-10-{day:02d}T{8 + n % 12:02d}:00:00"
        drafts.append(
            (f"a{n:04d}", f"Outlet {n:03d}", published, " ".join(pool[i] for i in picked))
        )
    annotated = annotate(Job(text, published) for _, _, published, text in drafts)
    sources = []
    for (key, outlet, published, text), found in zip(drafts, annotated, strict=True):
        article = Article(
            id=key,
            text=text,
            source=f"{key}.txt",
            outlet=outlet,
            published_at=published,
            annotations=found,
        )
        sources.append(Source(article, key))
    return sources


def measure(sources: list[Source], repeat: int) -> dict[str, Any]:
    sources = story_order(sources)
    actors = story_actors((s.article.id, s.article.annotations) for s in sources)
    compare("bench", sources, actors)  # warm-up: lexicons, imports
    times = []
    report: dict[str, Any] = {}
    for _ in range(repeat):
        started = time.perf_counter()
        report = compare("bench", sources, actors)
        times.append(time.perf_counter() - started)
    return {
        "articles": len(sources),
        "characters": sum(len(s.article.text) for s in sources),
        "seconds": round(min(times), 3),
        "seconds_all": [round(t, 3) for t in times],
        "facts": len(report["facts"]),
        "corroborated": sum(f["status"] == "corroborated" for f in report["facts"]),
        "conflicts": len(report["conflicts"]),
        "quotes": len(report["quotes"]),
        "timeline": len(report["timeline"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 20, 200])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    pool = story_sentences()
    results = []
    for size in args.sizes:
        sources = generate(size, pool, args.seed)
        results.append(measure(sources, args.repeat))
        print(json.dumps(results[-1]), flush=True)
    for smaller, larger in itertools.pairwise(results):
        ratio = larger["seconds"] / max(smaller["seconds"], 1e-9)
        print(f"{smaller['articles']} -> {larger['articles']} articles: time x{ratio:.1f}")
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"peak RSS {peak} MiB (annotation included)")
    if args.json:
        args.json.write_text(
            json.dumps({"results": results, "peak_rss_mib": peak}, indent=2) + "\n"
        )


if __name__ == "__main__":
    main()
