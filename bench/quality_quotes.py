"""Quality of quotes and attributed statements on PolNeAR dev, and their cost.

Usage::

    python bench/quality_quotes.py [--data DIR] [--json] [--errors N] [--kind direct]
                                   [--no-speed] [--cpu]

Reads the PolNeAR dev split (``../shared/data/polnear-dev/dev``: ``text/*.txt`` and
brat standoff ``attributions/*.ann``), parses every article with
``parallax.annotate.nlp.parse`` and runs ``extract_quotes`` on it, then scores the
predicted items against the gold attributions.

Choices, so the figures can be read and reproduced:

* **One annotation per article.** Twelve dev articles were annotated by all six
  annotators (agreement checks); the first annotator in file-name order is used, so
  every article counts once.
* **Gold kinds.** A gold attribution is *direct* when its content (pieces joined) starts
  and ends with a quotation mark, or is enclosed in marks in the text; *mixed* when it
  contains quotation marks otherwise (``voter fraud “would be one hell of a way to
  lose”``); *indirect* otherwise. Rows: ``direct`` (predicted direct items / gold direct
  attributions), ``indirect`` (predicted indirect items / gold indirect and mixed
  attributions), and ``all``.
* **Matching.** Relaxed: a predicted item matches a gold attribution when their content
  spans share a character (any kind of gold counts for precision: a direct item inside
  a gold mixed attribution is a correct attribution). Strict (≥50% token overlap): a
  prediction is correct when at least half of its word tokens lie in one gold content;
  a gold attribution is found when the predictions overlapping it cover at least half
  of its word tokens.
* **Speaker.** For each matched prediction, the gold attribution it overlaps most: the
  speaker is right when ``speaker_span`` overlaps the gold Source span (or both are
  absent). Reported as a share of the matched predictions ("speaker right for X% of the
  direct quotes found"). Pronoun resolution to actors is not scored here (PolNeAR has no
  gold coreference): ``speaker_span`` is where the text names the speaker.
* **Speaker errors** are counted by a rough cause (``speaker_error_class``): nested
  attributions, relative pronouns, missing or unexpected speakers, carried speakers, and
  other spans for the same cue.
* **Cue.** Among matched predictions that have a cue: ``cue_span`` overlaps the gold Cue.
* **Mentions.** ``extract_quotes`` gets mentions from spaCy PERSON/ORG/NORP/GPE entities
  with slug ids (a surname seen after a full name takes the full name's id). They only
  feed actor ids, which are not scored; the scored spans do not depend on them.
* **Speed.** The parse (``parse`` over all texts) and ``extract_quotes`` over the parsed
  docs are timed separately, best of three; the ratio is quotes time / parse time. Run
  on the dev articles and on the two real articles in ``../shared/examples/maduro-letter``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parallax.annotate.nlp import load_nlp, parse  # noqa: E402
from parallax.annotate.quotes import extract_quotes  # noqa: E402
from parallax.model import MentionItem, QuoteItem  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polnear-dev" / "dev"
MADURO = ROOT.parent / "shared" / "examples" / "maduro-letter"
KINDS = ("direct", "indirect", "all")
_OPEN_MARKS = "“\"'‘`«"
_CLOSE_MARKS = "”\"'’»"
_WORD = re.compile(r"\w+")
_ENTITY_LABELS = ("PERSON", "ORG", "NORP", "GPE")

Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class Gold:
    """One gold attribution: content, cue and source pieces (brat allows several)."""

    content: Spans
    cue: Spans
    source: Spans
    kind: str  # direct | mixed | indirect


@dataclass
class Article:
    name: str
    text: str
    gold: list[Gold]
    predicted: list[QuoteItem] = field(default_factory=list)


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


def load_articles(data: Path = DATA) -> list[Article]:
    """Dev articles with the first annotator's attributions (see the module docstring)."""
    chosen: dict[str, Path] = {}
    for ann in sorted((data / "attributions").glob("*.ann")):
        chosen.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    articles = []
    for name, ann in sorted(chosen.items()):
        text = (data / "text" / f"{name}.txt").read_text(encoding="utf-8")
        articles.append(Article(name, text, read_attributions(ann, text)))
    return articles


def read_attributions(path: Path, text: str) -> list[Gold]:
    """Attribution events of a brat ``.ann`` file (Discuss/Discard notes are skipped)."""
    spans: dict[str, Spans] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            _, offsets = parts[1].split(" ", 1)
            spans[parts[0]] = [
                (int(a), int(b)) for a, b in (piece.split() for piece in offsets.split(";"))
            ]
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(role.split(":", 1) for role in parts[1].split())
            if any(key.startswith("Attribution") for key in roles):
                events.append(roles)
    gold = []
    for roles in events:
        content = [
            piece
            for key, ref in roles.items()
            if key.startswith("Content")
            for piece in spans.get(ref, [])
        ]
        if not content:
            continue
        content.sort()
        cue = spans.get(roles.get("Cue", ""), [])
        source = spans.get(roles.get("Source", ""), [])
        gold.append(Gold(content, cue, source, gold_kind(text, content)))
    return gold


def gold_kind(text: str, content: Spans) -> str:
    """direct: enclosed in quotation marks; mixed: quotes inside; indirect: none."""
    joined = " ".join(text[s:e] for s, e in content).strip()
    start, end = content[0][0], content[-1][1]
    before = text[:start].rstrip()[-1:]
    after = text[end:].lstrip()[:1]
    starts = joined[:1] in _OPEN_MARKS or joined[:2] == "''" or before in _OPEN_MARKS
    ends = joined.rstrip(".,")[-1:] in _CLOSE_MARKS or after in _CLOSE_MARKS
    if starts and ends:
        return "direct"
    if any(mark in joined for mark in '“”"') or "''" in joined:
        return "mixed"
    return "indirect"


# --------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def entity_mentions(doc: Any) -> list[MentionItem]:
    """Mentions from spaCy entities; a surname after a full name takes the full name's id."""
    mentions: list[MentionItem] = []
    surnames: dict[str, str] = {}
    for ent in doc.ents:
        if ent.label_ not in _ENTITY_LABELS:
            continue
        words = ent.text.split()
        actor = surnames.get(ent.text, slug(ent.text))
        if ent.label_ == "PERSON" and len(words) > 1:
            surnames.setdefault(words[-1], actor)
        mentions.append({"actor": actor, "text": ent.text, "span": [ent.start_char, ent.end_char]})
    return mentions


def predict(
    texts: Sequence[str], clock: Callable[[], float] = time.perf_counter
) -> tuple[list[list[QuoteItem]], float, float]:
    """Items for each text, plus seconds spent parsing and seconds in ``extract_quotes``
    (building the mentions is timed with neither), by ``clock``."""
    nlp = load_nlp()
    started = clock()
    parsed = list(parse(texts, nlp))
    parse_s = clock() - started
    mentions = [[entity_mentions(piece.doc) for piece in pieces] for pieces in parsed]
    started = clock()
    results = []
    for pieces, found in zip(parsed, mentions, strict=True):
        items: list[QuoteItem] = []
        for piece, local in zip(pieces, found, strict=True):
            items.extend(_shifted(extract_quotes(piece.doc, local), piece.offset))
        results.append(items)
    quotes_s = clock() - started
    return results, parse_s, quotes_s


def _shifted(items: list[QuoteItem], offset: int) -> list[QuoteItem]:
    """Piece-relative spans to article spans (texts over the model's limit are split)."""
    if not offset:
        return items
    for item in items:
        item["span"] = [item["span"][0] + offset, item["span"][1] + offset]
        for key in ("speaker_span", "cue_span"):
            value = item[key]
            if value is not None:
                item[key] = [value[0] + offset, value[1] + offset]
    return items


def speed(texts: Sequence[str], rounds: int = 3, cpu: bool = False) -> dict[str, float]:
    """Best-of-``rounds`` parse and quote times for ``texts``, and their ratio; in CPU
    time with ``cpu`` (steadier than the wall clock on a shared machine)."""
    clock = time.process_time if cpu else time.perf_counter
    best_parse = best_quotes = float("inf")
    for _ in range(rounds):
        _, parse_s, quotes_s = predict(texts, clock)
        best_parse, best_quotes = min(best_parse, parse_s), min(best_quotes, quotes_s)
    return {
        "texts": len(texts),
        "parse_s": round(best_parse, 4),
        "quotes_s": round(best_quotes, 4),
        "ratio": round(best_quotes / best_parse, 4),
    }


# --------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------


def _overlap(a: Iterable[tuple[int, int]], s: int, e: int) -> int:
    return sum(max(0, min(e, ge) - max(s, gs)) for gs, ge in a)


def _words(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    """Word-token start offsets inside ``spans`` (the unit of the strict variant)."""
    found: set[int] = set()
    for s, e in spans:
        found.update(s + m.start() for m in _WORD.finditer(text[s:e]))
    return found


@dataclass
class Tally:
    predicted: int = 0
    correct: int = 0
    correct_strict: int = 0
    gold: int = 0
    found: int = 0
    found_strict: int = 0
    speaker_right: int = 0
    with_cue: int = 0
    cue_right: int = 0

    def figures(self) -> dict[str, float | int]:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        def f1(p: float, r: float) -> float:
            return round(2 * p * r / (p + r), 4) if p + r else 0.0

        p, r = ratio(self.correct, self.predicted), ratio(self.found, self.gold)
        ps, rs = ratio(self.correct_strict, self.predicted), ratio(self.found_strict, self.gold)
        return {
            "predicted": self.predicted,
            "gold": self.gold,
            "precision": p,
            "recall": r,
            "f1": f1(p, r),
            "precision_strict": ps,
            "recall_strict": rs,
            "f1_strict": f1(ps, rs),
            "speaker_accuracy": ratio(self.speaker_right, self.correct),
            "cue_accuracy": ratio(self.cue_right, self.with_cue),
        }


@dataclass
class Miss:
    kind: str  # "missed" (gold not found), "spurious" (prediction matches no gold), "speaker"
    article: str
    text: str
    detail: str
    row: str
    cls: str = ""  # for speaker errors: see speaker_error_class


SPEAKER_CLASSES = ("nested", "relative", "missing", "unexpected", "carried", "span")


def speaker_error_class(item: QuoteItem, gold: Gold, text: str) -> str:
    """Why a matched prediction's speaker is wrong, roughly: ``missing`` (no speaker),
    ``unexpected`` (the gold has no source), ``relative`` (the gold source is *who*,
    *which* or *that*), ``carried`` (a cue-less quote took an earlier speaker), ``nested``
    (the prediction's cue is not the gold cue: mostly an attribution inside another one,
    whose gold source is the outer speaker), ``span`` (same cue, another speaker)."""
    span, cue = item["speaker_span"], item["cue_span"]
    if span is None:
        return "missing"
    if not gold.source:
        return "unexpected"
    if " ".join(text[a:b] for a, b in gold.source).lower() in ("who", "which", "that"):
        return "relative"
    if cue is None:
        return "carried"
    if not gold.cue or _overlap(gold.cue, cue[0], cue[1]) == 0:
        return "nested"
    return "span"


def score_article(article: Article, tallies: dict[str, Tally], misses: list[Miss]) -> None:
    """Add one article's counts to ``tallies`` (by row) and its errors to ``misses``."""
    text = article.text
    gold_words = [_words(text, g.content) for g in article.gold]
    for item in article.predicted:
        row = "direct" if item["direct"] else "indirect"
        s, e = item["span"]
        overlaps = [_overlap(g.content, s, e) for g in article.gold]
        best = max(
            range(len(overlaps)),
            key=lambda i: _affinity(item, article.gold[i], overlaps[i]),
            default=-1,
        )
        matched = best >= 0 and overlaps[best] > 0
        words = _words(text, [(s, e)])
        strict = matched and len(words & gold_words[best]) * 2 >= max(1, len(words))
        for name in (row, "all"):
            tally = tallies[name]
            tally.predicted += 1
            tally.correct += matched
            tally.correct_strict += strict
        if not matched:
            misses.append(Miss("spurious", article.name, item["text"], _describe(item), row))
            continue
        gold = article.gold[best]
        right = _speaker_right(item, gold)
        cue = item["cue_span"]
        for name in (row, "all"):
            tally = tallies[name]
            tally.speaker_right += right
            if cue is not None:
                tally.with_cue += 1
                tally.cue_right += bool(gold.cue) and _overlap(gold.cue, cue[0], cue[1]) > 0
        if not right:
            source = " / ".join(text[a:b] for a, b in gold.source) or "(none)"
            cls = speaker_error_class(item, gold, text)
            detail = f"[{cls}] predicted {_describe(item)}; gold source {source!r}"
            misses.append(Miss("speaker", article.name, item["text"], detail, row, cls))
    spans = [(item["span"][0], item["span"][1]) for item in article.predicted]
    for gold, words in zip(article.gold, gold_words, strict=True):
        row = "direct" if gold.kind == "direct" else "indirect"
        hits = [(s, e) for s, e in spans if any(_overlap([(s, e)], a, b) for a, b in gold.content)]
        covered = words & _words(text, hits)
        for name in (row, "all"):
            tally = tallies[name]
            tally.gold += 1
            tally.found += bool(hits)
            tally.found_strict += len(covered) * 2 >= max(1, len(words))
        if not hits:
            content = " … ".join(text[a:b] for a, b in gold.content)
            cue_text = " / ".join(text[a:b] for a, b in gold.cue)
            source = " / ".join(text[a:b] for a, b in gold.source)
            misses.append(Miss("missed", article.name, content, f"{source!r} {cue_text!r}", row))


def _affinity(item: QuoteItem, gold: Gold, overlap: int) -> tuple[bool, bool, int]:
    """Which overlapping gold attribution a prediction stands for: attributions nest
    (``Trump encouraged people to check out what he called a “sex tape”``), so the one
    whose cue the prediction shares comes first, then the larger overlap."""
    cue = item["cue_span"]
    same_cue = overlap > 0 and cue is not None and _overlap(gold.cue, cue[0], cue[1]) > 0
    return overlap > 0, same_cue, overlap


def _speaker_right(item: QuoteItem, gold: Gold) -> bool:
    span = item["speaker_span"]
    if not gold.source:
        return span is None
    return span is not None and _overlap(gold.source, span[0], span[1]) > 0


def _describe(item: QuoteItem) -> str:
    return f"speaker={item['speaker_name']!r} cue={item['cue']!r}"


def evaluate(
    data: Path = DATA, articles: list[Article] | None = None
) -> tuple[dict[str, Any], list[Miss]]:
    """The figures (by row) and the list of errors, for the dev articles under ``data``."""
    articles = articles if articles is not None else load_articles(data)
    predicted, parse_s, quotes_s = predict([a.text for a in articles])
    tallies = {name: Tally() for name in KINDS}
    misses: list[Miss] = []
    for article, items in zip(articles, predicted, strict=True):
        article.predicted = items
        score_article(article, tallies, misses)
    figures: dict[str, Any] = {name: tallies[name].figures() for name in KINDS}
    figures["articles"] = len(articles)
    figures["gold_kinds"] = {
        kind: sum(g.kind == kind for a in articles for g in a.gold)
        for kind in ("direct", "mixed", "indirect")
    }
    figures["speaker_errors"] = {
        cls: sum(m.kind == "speaker" and m.cls == cls for m in misses) for cls in SPEAKER_CLASSES
    }
    figures["speed_single_run"] = {
        "parse_s": round(parse_s, 3),
        "quotes_s": round(quotes_s, 3),
        "ratio": round(quotes_s / parse_s, 4) if parse_s else 0.0,
    }
    return figures, misses


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def table(figures: dict[str, Any]) -> str:
    head = (
        f"{'row':<9}{'pred':>6}{'gold':>6}{'P':>8}{'R':>8}{'F1':>8}"
        f"{'P≥50%':>8}{'R≥50%':>8}{'F1≥50%':>8}{'speaker':>9}{'cue':>8}"
    )
    lines = [head, "-" * len(head)]
    for name in KINDS:
        f = figures[name]
        lines.append(
            f"{name:<9}{f['predicted']:>6}{f['gold']:>6}{f['precision']:>8.3f}{f['recall']:>8.3f}"
            f"{f['f1']:>8.3f}{f['precision_strict']:>8.3f}{f['recall_strict']:>8.3f}"
            f"{f['f1_strict']:>8.3f}{f['speaker_accuracy']:>9.3f}{f['cue_accuracy']:>8.3f}"
        )
    errors = figures["speaker_errors"]
    lines.append("speaker errors: " + ", ".join(f"{cls} {n}" for cls, n in errors.items()))
    kinds = figures["gold_kinds"]
    lines.append(
        f"{figures['articles']} articles; gold: {kinds['direct']} direct, "
        f"{kinds['mixed']} mixed, {kinds['indirect']} indirect (mixed are scored as indirect)"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA, help="PolNeAR dev folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--errors", type=int, default=0, metavar="N", help="print N errors of each type"
    )
    parser.add_argument("--kind", choices=("direct", "indirect"), help="errors of this row only")
    parser.add_argument("--no-speed", action="store_true", help="skip the best-of-3 timing")
    parser.add_argument("--cpu", action="store_true", help="time in CPU time, not wall clock")
    args = parser.parse_args(argv)
    if not (args.data / "attributions").is_dir():
        print(f"PolNeAR dev is not at {args.data} (see ../shared/data/README.md)", file=sys.stderr)
        return 2
    figures, misses = evaluate(args.data)
    if not args.no_speed:
        articles = load_articles(args.data)
        figures["speed"] = {"polnear": speed([a.text for a in articles], cpu=args.cpu)}
        real = sorted(MADURO.glob("*.txt"))
        if real:
            texts = [p.read_text(encoding="utf-8") for p in real]
            figures["speed"]["maduro"] = speed(texts * 5, cpu=args.cpu)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(table(figures))
        for name, values in figures.get("speed", {}).items():
            print(
                f"speed {name}: parse {values['parse_s']:.3f}s, quotes {values['quotes_s']:.3f}s, "
                f"ratio {values['ratio']:.2%}"
            )
    if args.errors:
        _print_errors(misses, args.errors, args.kind)
    return 0


def _print_errors(misses: list[Miss], limit: int, row: str | None) -> None:
    for kind in ("missed", "spurious", "speaker"):
        chosen = [m for m in misses if m.kind == kind and (row is None or m.row == row)]
        print(f"\n## {kind} ({len(chosen)})")
        for miss in chosen[:limit]:
            print(f"- [{miss.row}] {miss.article}: {miss.text[:160]!r}\n    {miss.detail}")


if __name__ == "__main__":
    raise SystemExit(main())
