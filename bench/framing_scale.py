"""How framing time grows with the length of one article, up to the 5 MiB article limit.

Usage::

    .venv/bin/python bench/framing_scale.py [--sizes 410000 820000 5242880] [--repeat 3]
        [--shapes dots marks ... one-sentence] [--shape-size N]
        [--json FILE]

A long article is made of the example corpus's articles, annotated once (not timed) and
joined by blank lines, again and again until it has ``--sizes`` characters; the
annotations (quotes, mentions, labels) are moved with their article, so the article is as
dense in quotations, names and loaded words as real news. ``frame_article`` is timed on
it, and the sentence splitter alone, best of ``--repeat`` runs (the lexicon is read
before).
Then pathological texts of ``--shape-size`` characters: a run of dots or of ``!?`` that
ends no sentence, a run of spaces, of line breaks with spaces, of straight quotation
marks, words with no sentence end at all, and one sentence as long as the text with a
scare quote, two loaded words and an annotated mention every 40 characters.

Linear means the microseconds per 1,000 characters stay flat as the article grows.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parallax.compare.framing import default_lexicon, frame_article  # noqa: E402
from parallax.compare.framing.context import sentence_starts  # noqa: E402

EXAMPLES = ROOT / "examples"
MAX_ARTICLE = 5 * 1024 * 1024
SPANNED = ("quotes", "mentions", "labels")
"""The annotations framing reads; each item's span moves with its article."""
SHAPES: dict[str, tuple[str, str, str]] = {
    "dots": ("The regime fell", ".", " and then. Then the thug spoke."),
    "marks": ("The regime fell", "!?", " and then. Then the thug spoke."),
    "spaces": ("The regime fell.", " ", "Then the thug spoke."),
    "line-breaks": ("The regime fell.", "\n ", "Then the thug spoke."),
    "quotes": ("The regime fell. ", '""', " Then the thug spoke."),
    "no-sentence-end": ("The regime fell", " and the talks went on", " then the thug spoke"),
}
"""Head, the filler repeated to the size, tail."""
ONE_SENTENCE = "the “sham” vote of the regime and Marr "
"""Repeated, with ``Marr`` annotated as a mention each time."""
T = TypeVar("T")


def example_articles() -> list[tuple[str, dict[str, Any]]]:
    """The example corpus ingested and annotated in a temporary store."""
    from parallax.pipeline import IngestOptions, annotate_store, ingest
    from parallax.store import Store

    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "x.db") as store:
        ingest([EXAMPLES / "corpus"], store, IngestOptions(manifest=EXAMPLES / "manifest.csv"))
        annotate_store(store)
        return [(a.text, a.annotations) for a in store.articles()]


def long_article(
    articles: list[tuple[str, dict[str, Any]]], size: int
) -> tuple[str, dict[str, list[Any]]]:
    """The articles joined by blank lines, round and round, to ``size`` characters."""
    parts: list[str] = []
    notes: dict[str, list[Any]] = {key: [] for key in SPANNED}
    offset = 0
    while offset < size:
        text, annotations = articles[len(parts) % len(articles)]
        for key in SPANNED:
            for item in annotations.get(key, ()):
                start, end = item["span"]
                notes[key].append({**item, "span": [start + offset, end + offset]})
        parts.append(text)
        offset += len(text) + 2
    return "\n\n".join(parts), notes


def shaped(shape: str, size: int) -> tuple[str, dict[str, list[Any]]]:
    if shape == "one-sentence":
        copies = size // len(ONE_SENTENCE)
        at = ONE_SENTENCE.index("Marr")
        mentions = [
            {"span": [n * len(ONE_SENTENCE) + at, n * len(ONE_SENTENCE) + at + 4], "actor": "marr"}
            for n in range(copies)
        ]
        return ONE_SENTENCE * copies, {"mentions": mentions}
    head, filler, tail = SHAPES[shape]
    return head + filler * (size // len(filler)) + tail, {}


def best_of(repeat: int, run: Callable[[], T]) -> tuple[float, list[float], T]:
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), times, result


def measure(name: str, text: str, notes: dict[str, list[Any]], repeat: int) -> dict[str, Any]:
    splitter, _, _ = best_of(repeat, lambda: sentence_starts(text))
    seconds, times, result = best_of(repeat, lambda: frame_article(text, notes))
    return {
        "text": name,
        "characters": len(text),
        "seconds": round(seconds, 3),
        "seconds_all": [round(t, 3) for t in times],
        "us_per_1000_chars": round(seconds / len(text) * 1e9, 1),
        "splitter_seconds": round(splitter, 3),
        "quotes": len(notes.get("quotes", ())),
        "mentions": len(notes.get("mentions", ())),
        "loaded_terms": len(result["loaded_terms"]),
        "reported_terms": len(result["reported_terms"]),
        "hedges": len(result["hedges"]),
        "scare_quotes": len(result["scare_quotes"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[410_000, 820_000, MAX_ARTICLE])
    parser.add_argument("--repeat", type=int, default=3)
    shapes = [*SHAPES, "one-sentence"]
    parser.add_argument("--shapes", nargs="*", choices=shapes, default=shapes)
    parser.add_argument("--shape-size", type=int, default=MAX_ARTICLE)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    default_lexicon()
    results = []
    articles = example_articles() if args.sizes else []
    for size in args.sizes:
        text, notes = long_article(articles, size)
        results.append(measure("news", text, notes, args.repeat))
        print(json.dumps(results[-1]), flush=True)
    for shape in args.shapes:
        text, notes = shaped(shape, args.shape_size)
        results.append(measure(shape, text, notes, args.repeat))
        print(json.dumps(results[-1]), flush=True)
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"peak RSS {peak} MiB (annotation included)")
    if args.json:
        args.json.write_text(
            json.dumps({"results": results, "peak_rss_mib": peak}, indent=2) + "\n"
        )


if __name__ == "__main__":
    main()
