"""Story clustering quality: B-cubed precision, recall and F1 against the truth.

Usage::

    .venv/bin/python bench/quality_stories.py [--corpus basil ecbplus examples]
        [--orders 5] [--annotate] [--json]

Corpora (``../shared/data``, see its README; the example corpus ships with the project):

* ``basil``: BASIL dev, 150 articles (50 events x 3 outlets), truth = ``triplet-uuid``;
* ``ecbplus``: ECB+ topics 1-35, 772 documents, truth = sub-topic (``T_Necb`` vs
  ``T_Necbplus``): each topic holds two look-alike events; no publication dates, so text
  is the only signal;
* ``examples``: ``examples/corpus`` with ``examples/truth.json`` (stories A-D, C and D
  look-alike earthquakes);
* ``leads``: the aggregator's hard case, built from the two dev corpora above (see
  :func:`load_leads`): short lead excerpts, many outlets, look-alike events a few days
  apart in one window.

Each corpus goes through the product path: files ingested into a fresh store with
``parallax.pipeline.ingest`` (metadata, near-duplicates, wire copies), then
``cluster_store``. Annotation is off unless ``--annotate`` (the gates cluster from text
and metadata alone, which is what a store without annotations gets). The first order is
the corpus's natural one (file names); the others shuffle the ingest order with seeds
1..N-1. Clustering follows publication time, so a shuffle only reorders articles with
equal times on BASIL and the examples, and reorders everything on ECB+.

``evaluate`` and the loaders are imported by ``tests/quality/test_stories_*.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import mean
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT))

from parallax.pipeline import IngestOptions, annotate_store, cluster_store, ingest  # noqa: E402
from parallax.store import Store, StoryStore  # noqa: E402
from parallax.stories import BCubed, StoryOptions, bcubed  # noqa: E402
from parallax.text import sentence_spans  # noqa: E402


@dataclass(frozen=True)
class Doc:
    """One input record and its true story."""

    key: str
    truth: str
    record: dict[str, Any]
    """A plain JSONL record (text, title, published_at, outlet, url), or for the example
    corpus ``{"file": path, "record": n}``."""


def load_basil(data: Path = DATA) -> list[Doc]:
    docs = []
    for path in sorted((data / "basil-dev" / "articles").rglob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [
            " ".join(p) if isinstance(p, list) else str(p) for p in raw["body-paragraphs"]
        ]
        record = {
            "title": raw["title"],
            "text": "\n\n".join(paragraphs),
            "published_at": raw["date"],
            "outlet": raw["source"].lower(),
            "url": raw.get("url"),
        }
        docs.append(Doc(path.stem, raw["triplet-uuid"], record))
    return docs


def load_ecbplus(data: Path = DATA) -> list[Doc]:
    """Texts rebuilt from the token XML (one line per sentence). A leading URL sentence
    (ECB+ documents) is not text; its domain becomes the outlet. The URL itself is not
    kept: three documents share one, and would be one article."""
    docs = []
    for path in sorted((data / "ecbplus-dev").glob("*/*.xml")):
        sentences: dict[int, list[str]] = {}
        for token in ET.parse(path).getroot().iter("token"):
            sentences.setdefault(int(token.get("sentence", "0")), []).append(token.text or "")
        lines = [sentences[n] for n in sorted(sentences)]
        url = None
        if lines and "".join(lines[0]).startswith("http"):
            url = "".join(lines.pop(0))
        topic, rest = path.stem.split("_", 1)
        outlet = re.sub(r"^https?://(?:www\.)?([^/]+).*$", r"\1", url) if url else None
        record = {"text": "\n".join(_detokenise(line) for line in lines), "outlet": outlet}
        docs.append(Doc(path.stem, topic + ("plus" if "plus" in rest else "ecb"), record))
    return docs


LEAD_EPOCH = datetime(2010, 2, 1, 8, tzinfo=UTC)
"""Where the ECB+ topics of the leads corpus are placed on the calendar: inside BASIL's
span (2010-2014), so that look-alike events share the window with political news."""


def load_leads(data: Path = DATA) -> list[Doc]:
    """The hard case of a news aggregator: lead excerpts of many stories in one window.

    * every BASIL dev article cut to its headline and first two or three sentences (which
      of the two is fixed by the CRC-32 of its key), with its real publication date, so
      ingest follows time;
    * every ECB+ dev document cut likewise (an ``ecbplus`` document's headline is its
      first line of four words or more; sentences of fewer than six words, datelines and
      bylines, are dropped unless nothing else is left), given a publication time: the
      ``j``-th topic in numeric order starts on
      ``LEAD_EPOCH`` + 37 * j days, the ``ecb`` event's documents spread over its first
      36 hours, the ``ecbplus`` event's the same way from 2 + j % 3 days later, so each
      topic's two look-alike events are a few days apart and overlap one cold window.

    A lead that repeats an earlier one of the same outlet word for word (two ECB+
    documents) is left out: ingest stores such a text once. Deterministic: the same files
    give the same corpus, byte for byte.
    """
    docs = [_lead_of(doc, doc.record.get("title")) for doc in load_basil(data)]
    ecb = load_ecbplus(data)
    topics = sorted({doc.key.split("_", 1)[0] for doc in ecb}, key=int)
    seen: dict[str, int] = {}
    for doc in ecb:
        topic = doc.key.split("_", 1)[0]
        number = topics.index(topic)
        rank = seen[doc.truth] = seen.get(doc.truth, -1) + 1
        days = 37 * number + (2 + number % 3 if doc.truth.endswith("plus") else 0)
        when = LEAD_EPOCH + timedelta(days=days, hours=(rank * 5) % 36)
        lines = doc.record["text"].split("\n")
        title = None
        if doc.record.get("outlet"):  # an ecbplus page: its headline, after any dateline
            while lines and title is None:
                line = lines.pop(0)
                title = line if len(line.split()) >= 4 else None
        lead = _lead_of(Doc(doc.key, doc.truth, {**doc.record, "text": "\n".join(lines)}), title)
        lead.record["published_at"] = when.isoformat()
        docs.append(lead)
    seen_texts: set[tuple[str | None, str]] = set()
    unique = []
    for doc in docs:
        text = (doc.record.get("outlet"), doc.record["text"])
        if text not in seen_texts:
            seen_texts.add(text)
            unique.append(doc)
    return unique


DENSE_EPOCH = datetime(2012, 3, 5, 6, tzinfo=UTC)
"""Where the dense corpus starts: one Monday morning."""


def load_dense(data: Path = DATA) -> list[Doc]:
    """The leads corpus packed into three weeks: a busy aggregator's day.

    The same leads as :func:`load_leads`, moved on the calendar so that many unrelated
    stories on overlapping politics share each day: the BASIL stories, in the order of
    their first article, start 5 a day (the ``k``-th on day ``k // 5``, at 6:00 plus
    ``3 * (k % 5)`` hours), each article keeping its real offset from its story's first
    one (capped at 3 days: BASIL has a few triplets spread over weeks); the ECB+ topics
    start 3 a day from the same Monday, each keeping its two look-alike events' spacing
    of :func:`load_leads`. So on a day five political stories from three outlets (the
    same president, Congress and parties in all of them) arrive beside three pairs of
    look-alike events, which is what a news aggregator sees and where a story absorbing
    its neighbour is most likely. Deterministic, dev data only.
    """
    leads = load_leads(data)
    basil = {doc.key for doc in load_basil(data)}
    when = {doc.key: datetime.fromisoformat(doc.record["published_at"]) for doc in leads}

    def first(docs: list[Doc]) -> dict[str, datetime]:
        starts: dict[str, datetime] = {}
        for doc in docs:
            starts[doc.truth] = min(starts.get(doc.truth, when[doc.key]), when[doc.key])
        return starts

    political = [doc for doc in leads if doc.key in basil]
    starts = first(political)
    rank = {story: k for k, story in enumerate(sorted(starts, key=lambda s: (starts[s], s)))}
    topic_start: dict[str, datetime] = {}
    for doc in leads:
        if doc.key not in basil:
            topic = doc.key.split("_", 1)[0]
            topic_start[topic] = min(topic_start.get(topic, when[doc.key]), when[doc.key])
    topics = {t: j for j, t in enumerate(sorted(topic_start, key=lambda t: topic_start[t]))}
    dense = []
    for doc in leads:
        if doc.key in basil:
            k = rank[doc.truth]
            offset = min(when[doc.key] - starts[doc.truth], timedelta(days=3))
            base = DENSE_EPOCH + timedelta(days=k // 5, hours=3 * (k % 5))
        else:
            topic = doc.key.split("_", 1)[0]
            offset = when[doc.key] - topic_start[topic]
            base = DENSE_EPOCH + timedelta(
                days=topics[topic] // 3, hours=1 + 4 * (topics[topic] % 3)
            )
        record = {**doc.record, "published_at": (base + offset).isoformat()}
        dense.append(Doc(doc.key, doc.truth, record))
    return dense


def load_basil_dense(data: Path = DATA) -> list[Doc]:
    """BASIL dev's full articles on a busy calendar: its stories start five a day (as in
    :func:`load_dense`), each article keeping its real offset from its story's first one
    (capped at 3 days). Full articles, three outlets a story, several stories on one
    politics each day: the case of a news crawl's political desk."""
    docs = load_basil(data)
    when = {doc.key: datetime.fromisoformat(doc.record["published_at"]) for doc in docs}
    starts: dict[str, datetime] = {}
    for doc in docs:
        starts[doc.truth] = min(starts.get(doc.truth, when[doc.key]), when[doc.key])
    rank = {story: k for k, story in enumerate(sorted(starts, key=lambda s: (starts[s], s)))}
    dense = []
    for doc in docs:
        k = rank[doc.truth]
        offset = min(when[doc.key] - starts[doc.truth], timedelta(days=3))
        base = DENSE_EPOCH + timedelta(days=k // 5, hours=3 * (k % 5))
        dense.append(
            Doc(doc.key, doc.truth, {**doc.record, "published_at": (base + offset).isoformat()})
        )
    return dense


def _lead_of(doc: Doc, title: str | None) -> Doc:
    """``doc`` cut to its title and first 2 or 3 sentences of six words or more (all its
    sentences when none is that long; the title as text when it has none)."""
    text = doc.record["text"]
    sentences = [text[a:b] for a, b in sentence_spans(text)]
    keep = 2 + zlib.crc32(doc.key.encode("utf-8")) % 2
    lead = [s for s in sentences if len(s.split()) >= 6][:keep] or sentences[:keep]
    if not lead and title:
        lead, title = [title], None
    record = {**doc.record, "title": title or None, "text": " ".join(lead)}
    return Doc(doc.key, doc.truth, record)


def load_examples(root: Path = EXAMPLES) -> list[Doc]:
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    return [
        Doc(t["key"], t["story"], {"file": t["file"], "record": t["record"]})
        for t in truth["articles"]
    ]


LOADERS: dict[str, Callable[[], list[Doc]]] = {
    "basil": load_basil,
    "ecbplus": load_ecbplus,
    "examples": load_examples,
    "leads": load_leads,
    "dense": load_dense,
    "basil_dense": load_basil_dense,
}


def _detokenise(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([,.;:!?%)\]}”’]|'s\b|n't\b)", r"\1", text)
    text = re.sub(r"([(\[{$“]) ", r"\1", text)
    return text.replace("`` ", "“").replace(" ''", "”")


@dataclass(frozen=True)
class Run:
    """One clustering of a corpus: the scores, and each doc's story."""

    scores: BCubed
    stories: dict[str, str]
    seconds: float


def cluster(
    docs: list[Doc],
    order_seed: int | None = None,
    options: StoryOptions | None = None,
    annotate: bool = False,
) -> Run:
    """Ingest ``docs`` (in file order, or shuffled by ``order_seed``) and cluster them."""
    docs = list(docs)
    if order_seed is not None:
        random.Random(order_seed).shuffle(docs)
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "s.db") as store:
        start = time.perf_counter()
        keys = _ingest(docs, Path(folder), store)
        if annotate:
            annotate_store(store)
        cluster_store(store, options=options)
        seconds = time.perf_counter() - start
        stories = StoryStore(store)
        found = {key: stories.story_of(article_id) or "" for key, article_id in keys.items()}
    truth = {doc.key: doc.truth for doc in docs}
    return Run(bcubed(found, truth), found, seconds)


def _ingest(docs: list[Doc], folder: Path, store: Store) -> dict[str, str]:
    """Ingest the docs in their order; returns doc key -> article id."""
    if "file" in docs[0].record:
        return _ingest_examples(docs, store)
    path = folder / "input.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(json.dumps(doc.record, ensure_ascii=False) + "\n")
    ingest([path], store)
    line = {a.extra.get("record"): a.id for a in store.articles()}
    assert len(line) == len(docs), "every record must be stored once"
    return {doc.key: line[number] for number, doc in enumerate(docs, start=1)}


def _ingest_examples(docs: list[Doc], store: Store) -> dict[str, str]:
    files = list(dict.fromkeys(EXAMPLES / doc.record["file"] for doc in docs))
    ingest(files, store, IngestOptions(manifest=EXAMPLES / "manifest.csv"))
    place = {(Path(a.source).name, a.extra.get("record")): a.id for a in store.articles()}
    return {doc.key: place[(Path(doc.record["file"]).name, doc.record["record"])] for doc in docs}


def evaluate(
    docs: list[Doc], orders: int = 5, options: StoryOptions | None = None, annotate: bool = False
) -> dict[str, Any]:
    """Scores in the natural order and over ``orders - 1`` shuffled ingest orders."""
    runs = [cluster(docs, None, options, annotate)]
    runs += [cluster(docs, seed, options, annotate) for seed in range(1, orders)]
    f1 = [run.scores.f1 for run in runs]
    return {
        "documents": len(docs),
        "stories_true": len({doc.truth for doc in docs}),
        "stories_found": len(set(runs[0].stories.values())),
        "natural": runs[0].scores.to_json(),
        "orders": [run.scores.to_json() for run in runs],
        "f1_mean": round(mean(f1), 4),
        "f1_min": round(min(f1), 4),
        "f1_max": round(max(f1), 4),
        "precision_min": round(min(run.scores.precision for run in runs), 4),
        "recall_min": round(min(run.scores.recall for run in runs), 4),
        "seconds_per_run": round(mean(run.seconds for run in runs), 2),
        "stories": runs[0].stories,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", nargs="*", default=list(LOADERS), choices=list(LOADERS))
    parser.add_argument("--orders", type=int, default=5, help="natural order + N-1 shuffles")
    parser.add_argument("--annotate", action="store_true", help="annotate before clustering")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {}
    for name in args.corpus:
        docs = LOADERS[name]()
        if not docs:
            sys.exit(f"no documents for {name}: is ../shared/data there?")
        results[name] = evaluate(docs, args.orders, annotate=args.annotate)
    if args.json:
        for result in results.values():
            result.pop("stories")
        print(json.dumps(results, indent=2))
        return
    for name, result in results.items():
        natural = result["natural"]
        print(
            f"{name:9} {result['documents']:4} docs, {result['stories_true']:3} true stories,"
            f" {result['stories_found']:3} found | natural order P {natural['precision']:.4f}"
            f" R {natural['recall']:.4f} F1 {natural['f1']:.4f} | {len(result['orders'])} orders"
            f" F1 mean {result['f1_mean']:.4f} min {result['f1_min']:.4f}"
            f" max {result['f1_max']:.4f} | {result['seconds_per_run']} s/run"
        )


if __name__ == "__main__":
    main()
