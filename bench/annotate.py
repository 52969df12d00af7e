"""Annotation speed: a bare spaCy parse against the full annotation stage, on the same texts.

The product target is that annotation costs at most 1.25x the bare parse (PRODUCT.md),
so both are measured in one run, alternating, best of ``--repeat``; the per-component
times on already parsed docs show where the extra cost goes. The bare parse is that of
the pipeline Parallax loads (its attribute ruler and lemmatizer table-driven,
:mod:`parallax.annotate.rules`); the same model as spaCy loads it is timed beside it
(``stock_parse_s``), and a first pass of a freshly loaded pipeline, whose tables start
empty (``first_pass_parse_s``).

    python bench/annotate.py [--limit 150] [--repeat 3] [--json]

Texts: the BASIL development articles (real news, ~700 words) when ../shared/data is
present, else the project's example corpus.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASIL = ROOT.parent / "shared" / "data" / "basil-dev" / "articles"
sys.path.insert(0, str(ROOT))

from parallax.annotate import (  # noqa: E402
    actors,
    dates,
    events,
    labels,
    quantities,
    quotes,
    statements,
)
from parallax.annotate.annotator import Job, annotate  # noqa: E402
from parallax.annotate.nlp import BATCH_SIZE, load_nlp, model_name, stock_nlp  # noqa: E402
from parallax.annotate.rules import speed_up  # noqa: E402


def load_texts(limit: int) -> tuple[str, list[Job]]:
    """(name of the corpus, jobs) for up to ``limit`` articles."""
    if BASIL.is_dir():
        jobs = []
        for path in sorted(BASIL.rglob("*.json"))[:limit]:
            record = json.loads(path.read_text(encoding="utf-8"))
            paragraphs = [" ".join(p) for p in record["body-paragraphs"]]
            jobs.append(Job("\n\n".join(paragraphs), record.get("date")))
        return "BASIL dev articles", jobs
    from parallax.pipeline import ingest
    from parallax.store import Store

    with Store.open(":memory:") as store:
        ingest([ROOT / "examples" / "corpus"], store)
        articles = list(store.articles(limit=limit))
    return "example corpus", [Job(a.text, a.published_at) for a in articles]


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def component_times(jobs: list[Job]) -> dict[str, float]:
    """Seconds each component spends over the parsed docs (the parse itself excluded)."""
    nlp = load_nlp()
    docs = list(nlp.pipe((j.text for j in jobs), batch_size=BATCH_SIZE))
    names = ("actors", "labels", "quotes", "dates", "quantities", "events", "statements")
    totals = dict.fromkeys(names, 0.0)
    for doc, job in zip(docs, jobs, strict=True):
        start = time.perf_counter()
        found_actors, mentions = actors.extract_actors(doc)
        totals["actors"] += time.perf_counter() - start
        start = time.perf_counter()
        labels.extract_labels(doc, found_actors, mentions)
        totals["labels"] += time.perf_counter() - start
        start = time.perf_counter()
        quotes.extract_quotes(doc, mentions)
        totals["quotes"] += time.perf_counter() - start
        start = time.perf_counter()
        found_dates = dates.extract_dates(doc, job.published_at)
        totals["dates"] += time.perf_counter() - start
        start = time.perf_counter()
        found_quantities = quantities.extract_quantities(doc)
        totals["quantities"] += time.perf_counter() - start
        start = time.perf_counter()
        events.extract_events(doc, found_actors, mentions, found_dates)
        totals["events"] += time.perf_counter() - start
        start = time.perf_counter()
        statements.extract_sentences(doc)
        statements.extract_slots(doc, found_dates, found_quantities)
        totals["statements"] += time.perf_counter() - start
    return totals


def run(limit: int, repeat: int) -> dict[str, Any]:
    corpus, jobs = load_texts(limit)
    nlp = load_nlp()
    texts = [j.text for j in jobs]
    stock = stock_nlp()
    fresh = speed_up(stock_nlp())  # its tables start empty: the first pass fills them
    first_pass = timed(lambda: list(fresh.pipe(texts, batch_size=BATCH_SIZE)))
    list(annotate(jobs[:4]))  # warm up: model, lookups, regex caches
    list(stock.pipe(texts[:4]))
    bare, full, plain = [], [], []
    for _ in range(repeat):
        bare.append(timed(lambda: list(nlp.pipe(texts, batch_size=BATCH_SIZE))))
        full.append(timed(lambda: list(annotate(jobs))))
        plain.append(timed(lambda: list(stock.pipe(texts, batch_size=BATCH_SIZE))))
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=BATCH_SIZE))
    components = component_times(jobs)
    return {
        "corpus": corpus,
        "articles": len(jobs),
        "tokens_per_article": round(tokens / len(jobs)),
        "model": model_name(),
        "bare_parse_s": round(min(bare), 3),
        "annotate_s": round(min(full), 3),
        "ratio": round(min(full) / min(bare), 3),
        "stock_parse_s": round(min(plain), 3),
        "first_pass_parse_s": round(first_pass, 3),
        "stock_over_bare": round(min(plain) / min(bare), 3),
        "bare_articles_per_s": round(len(jobs) / min(bare), 2),
        "annotate_articles_per_s": round(len(jobs) / min(full), 2),
        "components_share_of_parse": {
            name: round(seconds / min(bare), 4) for name, seconds in components.items()
        },
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=150, help="articles to use")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    result = run(args.limit, args.repeat)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        if isinstance(value, dict):
            for name, share in value.items():
                print(f"  {name:<12} {share:.1%} of the bare parse")
        else:
            print(f"{key:<26} {value}")


if __name__ == "__main__":
    main()
