"""Quality of loaded-term detection on BASIL dev, plain lexicon against the in-context reader.

Usage::

    .venv/bin/python bench/quality_framing.py [--data DIR] [--json] [--errors N]
                                             [--no-annotate] [--examples]

Reads BASIL dev (``../shared/data/basil-dev``: ``articles/*/*.json`` and
``annotations/*/*_ann.json``), annotates every article with Parallax's annotator (quotes,
mentions and labels are what the in-context reader uses; ``--no-annotate`` gives it none),
and scores loaded terms against the phrase spans BASIL marks ``bias: lex`` (loaded
wording).

Choices, so the figures can be read and reproduced:

* **Text.** An article's text is its sentences joined by a space within a paragraph and
  paragraphs joined by a blank line (the same text ``bench/quality_stories.py`` ingests).
  BASIL gives each span as offsets into one sentence without saying which; every ``lex``
  span's text occurs at its offsets in exactly one sentence of its article, which places it.
* **Matching.** A found term is a *hit* when it overlaps a lex span by at least one
  character. Precision = hits / found terms; recall = lex spans overlapped by at least one
  found term / lex spans; F1 their harmonic mean. Counts are summed over all articles
  (micro average), and per outlet (``fox``, ``nyt``, ``hpo``).
* **Systems.** ``baseline``: :meth:`Lexicon.find`, every match of a loaded entry with no
  context (no plain senses either). ``in_context``: ``frame_article``'s ``loaded_terms``.
  ``without_<rule>``: the in-context reader with one rule switched off (from
  ``read_terms``), to show what each rule buys. ``with_reported`` adds the
  ``reported_terms`` (loaded words the outlet carries as somebody else's);
  ``with_scare_quotes`` and ``all_markers`` add the scare quotes (and the hedges) to the
  loaded terms: BASIL marks quoted words and hedging adverbs as loaded wording too, so
  these rows show how much of it the other framing items cover.
* **Own voice.** The ``own_voice/*`` rows score against the lex spans BASIL marks
  ``quote: no`` only, which is what the in-context reader claims to find (the outlet's
  own wording); a found term on a ``quote: yes`` span counts neither as a hit nor as a
  false positive there. The plain rows score against every lex span, as BASIL counts the
  loaded words an outlet chose to quote as its bias too.
* **Bias of the gold.** BASIL annotators marked the spans they judged biased for the
  article's stance, not every loaded word, so precision against it is a floor: a found
  term that is not a hit is often loaded wording nobody marked. Compare systems with each
  other on it rather than reading the precision as an absolute figure.
* **Lexicon.** Written from general knowledge of loaded political language; no BASIL span
  was copied into it (BASIL dev is a development split, a held-out part is kept elsewhere).

``--examples`` also scores the example corpus: recall of ``examples/truth.json``
``framing`` items (a truth item is found when a found item of its kind overlaps it) and
the loaded terms found in its neutral articles. ``evaluate`` and ``evaluate_examples``
are imported by ``tests/quality/test_framing_basil.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parallax.annotate.annotator import Job, annotate  # noqa: E402
from parallax.compare.framing import (  # noqa: E402
    default_lexicon,
    frame_article,
    read_terms,
)
from parallax.model import empty_annotations  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "basil-dev"
EXAMPLES = ROOT / "examples"
RULES = ("neutral", "quoted", "name", "negated", "attributed")
OUTLETS = ("fox", "nyt", "hpo")
NEUTRAL_EXAMPLES = ("meridian-letter", "harbor-letter", "ashford-letter", "meridian-feldt")
"""The plainly neutral wire-style reports of story A (truth: no loaded terms)."""

Span = tuple[int, int]


@dataclass(frozen=True)
class Article:
    """One BASIL article: text as ingested, its outlet and its ``lex`` spans in the text."""

    key: str
    outlet: str
    text: str
    lex: tuple[Span, ...]
    quoted: tuple[Span, ...]
    """The lex spans BASIL marks ``quote: yes`` (inside a quotation: the speaker's words)."""

    @property
    def own(self) -> tuple[Span, ...]:
        """The lex spans in the outlet's own voice."""
        return tuple(span for span in self.lex if span not in self.quoted)


def load_basil(data: Path = DATA) -> list[Article]:
    articles = []
    for path in sorted((data / "articles").rglob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        text, sentences = _text(raw["body-paragraphs"])
        notes = data / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        phrases = json.loads(notes.read_text(encoding="utf-8"))["phrase-level-annotations"]
        lex = [p for p in phrases if p.get("bias") == "lex"]
        spans = tuple(_place(p, text, sentences) for p in lex)
        quoted = tuple(_place(p, text, sentences) for p in lex if p.get("quote") == "yes")
        articles.append(Article(path.stem, raw["source"].lower(), text, spans, quoted))
    return articles


def _text(paragraphs: Sequence[Any]) -> tuple[str, list[int]]:
    """The article text and the offset of each sentence in it."""
    parts: list[str] = []
    offsets: list[int] = []
    position = 0
    for number, paragraph in enumerate(paragraphs):
        sentences = paragraph if isinstance(paragraph, list) else [str(paragraph)]
        if number:
            parts.append("\n\n")
            position += 2
        for index, sentence in enumerate(sentences):
            if index:
                parts.append(" ")
                position += 1
            offsets.append(position)
            parts.append(sentence)
            position += len(sentence)
    return "".join(parts), offsets


def _place(phrase: dict[str, Any], text: str, sentences: list[int]) -> Span:
    """The phrase's span in the article text: the one sentence where its offsets fit."""
    start, end, words = phrase["start"], phrase["end"], phrase["txt"]
    places = [o for o in sentences if text[o + start : o + end] == words]
    if len(places) != 1:
        raise ValueError(f"BASIL phrase {words!r} fits {len(places)} sentences, expected one")
    return places[0] + start, places[0] + end


def annotations_for(articles: Sequence[Article], enabled: bool) -> list[dict[str, Any]]:
    if not enabled:
        return [empty_annotations() for _ in articles]
    return list(annotate(Job(a.text, None) for a in articles))


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Tally:
    found: int = 0
    hits: int = 0
    gold: int = 0
    covered: int = 0

    def add(self, found: Sequence[Span], gold: Sequence[Span], ignore: Sequence[Span] = ()) -> None:
        """Count one article; found spans on an ``ignore`` span (and on no gold) do not count."""
        found = [
            f
            for f in found
            if any(_overlaps(f, g) for g in gold) or not any(_overlaps(f, i) for i in ignore)
        ]
        self.found += len(found)
        self.hits += sum(1 for f in found if any(_overlaps(f, g) for g in gold))
        self.gold += len(gold)
        self.covered += sum(1 for g in gold if any(_overlaps(f, g) for f in found))

    def scores(self) -> dict[str, float | int]:
        precision = self.hits / self.found if self.found else 0.0
        recall = self.covered / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "found": self.found,
            "hits": self.hits,
            "gold": self.gold,
            "covered": self.covered,
        }


def systems(article: Article, annotations: dict[str, Any]) -> dict[str, list[Span]]:
    """Every system's found spans for one article."""
    framing = frame_article(article.text, annotations)
    readings = read_terms(article.text, annotations)
    terms = [_span(t) for t in framing["loaded_terms"]]
    scare = [_span(s) for s in framing["scare_quotes"]]
    hedges = [_span(h) for h in framing["hedges"]]
    reported = [_span(t) for t in framing["reported_terms"]]
    found = {
        "baseline": [(m.start, m.end) for m in default_lexicon().find(article.text)],
        "in_context": terms,
        "with_reported": terms + reported,
        "with_scare_quotes": terms + scare,
        "all_markers": terms + scare + hedges,
    }
    for rule in RULES:
        found[f"without_{rule}"] = [
            (r.match.start, r.match.end) for r in readings if r.reason in (None, rule)
        ]
    return found


def _span(item: dict[str, Any]) -> Span:
    return item["span"][0], item["span"][1]


def evaluate(
    data: Path = DATA, annotate_articles: bool = True, errors: int = 0
) -> tuple[dict[str, Any], list[str]]:
    """Figures per system (and per outlet for baseline and in-context), and error lines."""
    articles = load_basil(data)
    started = time.perf_counter()
    annotated = annotations_for(articles, annotate_articles)
    annotate_seconds = time.perf_counter() - started
    tallies: dict[str, Tally] = {}
    lines: list[str] = []
    started = time.perf_counter()
    for article, notes in zip(articles, annotated, strict=True):
        found = systems(article, notes)
        for name, spans in found.items():
            tallies.setdefault(name, Tally()).add(spans, article.lex)
            own = f"own_voice/{name}"
            tallies.setdefault(own, Tally()).add(spans, article.own, article.quoted)
            if name in ("baseline", "in_context"):
                key = f"{name}/{article.outlet}"
                tallies.setdefault(key, Tally()).add(spans, article.lex)
        if errors:
            lines += _errors(article, found["in_context"], found["baseline"])
    framing_seconds = time.perf_counter() - started
    figures: dict[str, Any] = {name: tally.scores() for name, tally in sorted(tallies.items())}
    figures["articles"] = len(articles)
    figures["lex_spans"] = sum(len(a.lex) for a in articles)
    figures["lex_spans_in_quotes"] = sum(len(a.quoted) for a in articles)
    figures["annotated"] = annotate_articles
    figures["seconds"] = {
        "annotate": round(annotate_seconds, 2),
        "framing": round(framing_seconds, 2),
    }
    return figures, lines[: errors * 2] if errors else []


def _errors(article: Article, kept: Sequence[Span], baseline: Sequence[Span]) -> list[str]:
    """False positives the in-context reader keeps, and matches it dropped that were hits."""
    lines = []
    for span in kept:
        if not any(_overlaps(span, g) for g in article.lex):
            lines.append(f"FP {article.key}: {_context(article.text, span)}")
    for span in baseline:
        if span not in kept and any(_overlaps(span, g) for g in article.lex):
            lines.append(f"LOST {article.key}: {_context(article.text, span)}")
    return lines


def _context(text: str, span: Span) -> str:
    before = text[max(0, span[0] - 60) : span[0]].replace("\n", " ")
    after = text[span[1] : span[1] + 40].replace("\n", " ")
    return f"...{before}[{text[span[0] : span[1]]}]{after}..."


# --- the example corpus ---------------------------------------------------------------------


def evaluate_examples(root: Path = EXAMPLES) -> dict[str, Any]:
    """Recall of the truth file's framing items, and loaded terms in the neutral reports."""
    stored = _example_articles(root)
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))["framing"]
    kinds = {"loaded_terms": Tally(), "hedges": Tally(), "scare_quotes": Tally()}
    missed: list[str] = []
    for item in truth:
        text, annotations = stored[item["article"]]
        framing = frame_article(text, annotations)
        for kind, tally in kinds.items():
            gold = [_locate(text, wanted) for wanted in item[kind]]
            found = [_span(f) for f in framing[kind]]
            tally.add(found, gold)
            missed += [
                f"{item['article']} {kind}: {text[g[0] : g[1]]!r}"
                for g in gold
                if not any(_overlaps(f, g) for f in found)
            ]
    neutral = {
        key: [t["text"] for t in frame_article(*stored[key])["loaded_terms"]]
        for key in NEUTRAL_EXAMPLES
    }
    return {
        "recall": {kind: tally.scores()["recall"] for kind, tally in kinds.items()},
        "truth_items": {kind: tally.gold for kind, tally in kinds.items()},
        "missed": missed,
        "neutral_loaded_terms": neutral,
    }


def _locate(text: str, wanted: str) -> Span:
    start = text.index(wanted)
    return start, start + len(wanted)


def _example_articles(root: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """The example corpus ingested and annotated in a temporary store, by truth key."""
    from parallax.pipeline import IngestOptions, annotate_store, ingest
    from parallax.store import Store

    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "x.db") as store:
        ingest([root / "corpus"], store, IngestOptions(manifest=root / "manifest.csv"))
        annotate_store(store)
        articles = list(store.articles())
    by_place = {(Path(a.source).name, a.extra.get("record")): a for a in articles}
    keyed = {t["key"]: by_place[(Path(t["file"]).name, t["record"])] for t in truth["articles"]}
    return {key: (a.text, a.annotations) for key, a in keyed.items()}


# --- report ---------------------------------------------------------------------------------


def _rows(figures: dict[str, Any]) -> Iterable[str]:
    yield f"{'system':<28} {'P':>6} {'R':>6} {'F1':>6} {'found':>6} {'hits':>5} {'covered':>8}"
    names = ["baseline", "in_context", *(f"without_{r}" for r in RULES)]
    names += ["with_reported", "with_scare_quotes", "all_markers"]
    names += [f"{s}/{o}" for s in ("baseline", "in_context") for o in OUTLETS]
    names += ["own_voice/baseline", "own_voice/in_context"]
    names += [f"own_voice/without_{r}" for r in RULES]
    for name in names:
        if name not in figures:
            continue
        f = figures[name]
        yield (
            f"{name:<28} {f['precision']:>6.3f} {f['recall']:>6.3f} {f['f1']:>6.3f} "
            f"{f['found']:>6} {f['hits']:>5} {f['covered']:>4}/{f['gold']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the basil-dev folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--errors", type=int, default=0, help="print N error lines of each kind")
    parser.add_argument("--no-annotate", action="store_true", help="give the reader no annotations")
    parser.add_argument("--examples", action="store_true", help="also score the example corpus")
    args = parser.parse_args()
    figures, lines = evaluate(args.data, not args.no_annotate, args.errors)
    if args.examples:
        figures["examples"] = evaluate_examples()
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    print(
        f"BASIL dev: {figures['articles']} articles, {figures['lex_spans']} lex spans "
        f"({figures['lex_spans_in_quotes']} in quotes); annotations: {figures['annotated']}"
    )
    for row in _rows(figures):
        print(row)
    print(f"seconds: {figures['seconds']}")
    if args.examples:
        print(json.dumps(figures["examples"], indent=2, ensure_ascii=False))
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
