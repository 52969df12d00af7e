"""Dates quality gate: TempEval-3 scores of ``parallax.annotate.dates`` and its speed.

Usage::

    .venv/bin/python bench/quality_dates.py [--data DIR] [--json] [--errors N] [--no-speed]

The data are the TempEval-3 training documents (TimeBank and AQUAINT, TimeML) under
``../shared/data/tempeval3-train``. For each document the text of ``<TEXT>`` is taken with
its tags stripped, which gives the gold character spans of every ``<TIMEX3>``; the value of
the ``<DCT>`` timex is the publication date the system anchors to (the DCT itself is not
scored). Every text is parsed with :func:`parallax.annotate.nlp.parse` and annotated with
:func:`parallax.annotate.dates.extract_dates`.

Scoring follows TempEval-3 (UzZaman et al., 2013):

* extraction, *strict*: a system expression counts when its span equals a gold span;
  *relaxed*: when it overlaps one (matching is one to one, largest overlap first);
* *value F1* and *type F1*: over the relaxed matches, a match counts only when the
  attribute is exactly the gold one; precision divides by the system expressions and
  recall by the gold ones (so value F1 = relaxed F1 × value accuracy).

The speed part times the parse and the extraction separately on the same documents and
prints the ratio extraction / parse (the budget is 4% of a bare parse).

``score`` and ``evaluate`` are imported by ``tests/quality/test_dates_tempeval.py``.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parallax.annotate.dates import extract_dates  # noqa: E402
from parallax.annotate.nlp import load_nlp, parse  # noqa: E402
from parallax.model import DateItem  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "tempeval3-train"
EXAMPLES = ROOT.parent / "shared" / "examples" / "maduro-letter"
REAL_ARTICLES = (
    ("000_ea71f3918ac95882.txt", "2025-09-21T09:11"),
    ("003_ad23dd94d5af61bf.txt", "2025-09-22"),
)

_TAG = re.compile(r"<(/?)([A-Za-z0-9]+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_DCT = re.compile(r"<DCT>\s*<TIMEX3([^>]*)>")


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    type: str
    value: str | None
    text: str


@dataclass(frozen=True)
class GoldDoc:
    name: str
    text: str
    dct: str
    timexes: tuple[Timex, ...]


def read_timeml(path: Path) -> GoldDoc:
    """The text of ``<TEXT>`` without tags, its gold timexes (character spans) and the DCT."""
    raw = path.read_text(encoding="utf-8")
    dct_match = _DCT.search(raw)
    if dct_match is None:
        raise ValueError(f"{path}: no <DCT> timex")
    dct = dict(_ATTR.findall(dct_match.group(1)))["value"]
    body = raw[raw.index("<TEXT>") + len("<TEXT>") : raw.index("</TEXT>")]
    pieces: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes: list[Timex] = []
    position = 0
    for tag in _TAG.finditer(body):
        chunk = html.unescape(body[position : tag.start()])
        pieces.append(chunk)
        length += len(chunk)
        position = tag.end()
        closing, name = tag.group(1) == "/", tag.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(tag.group(3))))
        elif open_timex is not None:
            start, attrs = open_timex
            text = "".join(pieces)[start:length]
            timexes.append(
                Timex(start, length, attrs.get("type", "").lower(), attrs.get("value"), text)
            )
            open_timex = None
    pieces.append(html.unescape(body[position:]))
    return GoldDoc(path.stem, "".join(pieces), dct, tuple(timexes))


def load_corpus(data: Path = DATA) -> list[GoldDoc]:
    """Every ``.tml`` file under ``data``, in a stable order."""
    return [read_timeml(path) for path in sorted(data.rglob("*.tml"))]


# -- scoring ---------------------------------------------------------------------------


@dataclass
class Pair:
    gold: Timex
    system: DateItem


@dataclass
class DocResult:
    name: str
    text: str
    pairs: list[Pair] = field(default_factory=list)
    missed: list[Timex] = field(default_factory=list)
    spurious: list[DateItem] = field(default_factory=list)
    strict: int = 0


def _overlap(gold: Timex, item: DateItem) -> int:
    start, end = item["span"]
    return min(gold.end, end) - max(gold.start, start)


def align(gold: Sequence[Timex], system: Sequence[DateItem], name: str, text: str) -> DocResult:
    """One-to-one matching of gold and system expressions: largest overlap first."""
    candidates = sorted(
        (
            (-_overlap(g, s), gi, si)
            for gi, g in enumerate(gold)
            for si, s in enumerate(system)
            if _overlap(g, s) > 0
        ),
    )
    used_gold: set[int] = set()
    used_system: set[int] = set()
    result = DocResult(name, text)
    for _, gi, si in candidates:
        if gi in used_gold or si in used_system:
            continue
        used_gold.add(gi)
        used_system.add(si)
        result.pairs.append(Pair(gold[gi], system[si]))
    result.pairs.sort(key=lambda pair: pair.gold.start)
    result.missed = [g for i, g in enumerate(gold) if i not in used_gold]
    result.spurious = [s for i, s in enumerate(system) if i not in used_system]
    result.strict = sum(
        1 for p in result.pairs if [p.gold.start, p.gold.end] == list(p.system["span"])
    )
    return result


def _prf(correct: int, system: int, gold: int) -> dict[str, float]:
    precision = correct / system if system else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(100 * precision, 2),
        "recall": round(100 * recall, 2),
        "f1": round(100 * f1, 2),
    }


def score(results: Iterable[DocResult]) -> dict[str, Any]:
    """TempEval-3 figures (in percent) over aligned documents."""
    n_gold = n_system = relaxed = strict = value = kind = 0
    for result in results:
        n_gold += len(result.pairs) + len(result.missed)
        n_system += len(result.pairs) + len(result.spurious)
        relaxed += len(result.pairs)
        strict += result.strict
        value += sum(1 for p in result.pairs if p.system["value"] == p.gold.value)
        kind += sum(1 for p in result.pairs if p.system["type"] == p.gold.type)
    return {
        "gold": n_gold,
        "system": n_system,
        "strict": _prf(strict, n_system, n_gold),
        "relaxed": _prf(relaxed, n_system, n_gold),
        "value": _prf(value, n_system, n_gold),
        "type": _prf(kind, n_system, n_gold),
        "value_accuracy": round(100 * value / relaxed, 2) if relaxed else 0.0,
        "type_accuracy": round(100 * kind / relaxed, 2) if relaxed else 0.0,
    }


# -- running ---------------------------------------------------------------------------


@dataclass
class Run:
    results: list[DocResult]
    parse_seconds: float
    extract_seconds: float


def run(docs: Sequence[GoldDoc]) -> Run:
    """Parse every document (timed), then extract dates from every parse (timed apart)."""
    load_nlp()
    started = time.perf_counter()
    parsed = list(parse(doc.text for doc in docs))
    parse_seconds = time.perf_counter() - started
    extract_seconds = 0.0
    results = []
    for doc, pieces in zip(docs, parsed, strict=True):
        started = time.perf_counter()
        items: list[DateItem] = []
        for piece in pieces:
            for item in extract_dates(piece.doc, doc.dct):
                start, end = item["span"]
                item["span"] = [start + piece.offset, end + piece.offset]
                items.append(item)
        extract_seconds += time.perf_counter() - started
        results.append(align(doc.timexes, items, doc.name, doc.text))
    return Run(results, parse_seconds, extract_seconds)


def evaluate(data: Path = DATA) -> dict[str, Any]:
    """The scores on the corpus under ``data`` (what the quality test asserts on)."""
    outcome = run(load_corpus(data))
    scores = score(outcome.results)
    scores["docs"] = len(outcome.results)
    scores["speed"] = {
        "parse_seconds": round(outcome.parse_seconds, 3),
        "extract_seconds": round(outcome.extract_seconds, 3),
        "ratio": round(outcome.extract_seconds / outcome.parse_seconds, 4),
    }
    return scores


def real_article_speed(repeats: int = 20) -> list[dict[str, Any]]:
    """Extraction time / parse time for each real example article (best of ``repeats``)."""
    nlp = load_nlp()
    report = []
    for name, published in REAL_ARTICLES:
        path = EXAMPLES / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        parse_best = extract_best = float("inf")
        for _ in range(max(3, repeats // 4)):
            started = time.perf_counter()
            doc = nlp(text)
            parse_best = min(parse_best, time.perf_counter() - started)
        for _ in range(repeats):
            started = time.perf_counter()
            extract_dates(doc, published)
            extract_best = min(extract_best, time.perf_counter() - started)
        report.append(
            {
                "article": name,
                "tokens": len(doc),
                "parse_ms": round(1000 * parse_best, 2),
                "extract_ms": round(1000 * extract_best, 3),
                "ratio": round(extract_best / parse_best, 4),
            }
        )
    return report


# -- errors ----------------------------------------------------------------------------


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"…{left}[{text[start:end]}]{right}…"


def error_report(results: Sequence[DocResult], limit: int) -> dict[str, list[str]]:
    """Examples of each kind of error, for tuning the grammar."""
    kinds: dict[str, list[str]] = {
        "missed": [],
        "spurious": [],
        "span": [],
        "value": [],
        "type": [],
    }
    for r in results:
        for g in r.missed:
            kinds["missed"].append(
                f"{r.name}: {_context(r.text, g.start, g.end)} {g.type} {g.value}"
            )
        for s in r.spurious:
            start, end = s["span"]
            kinds["spurious"].append(
                f"{r.name}: {_context(r.text, start, end)} {s['type']} {s['value']}"
            )
        for p in r.pairs:
            start, end = p.system["span"]
            where = f"{r.name}: {_context(r.text, p.gold.start, p.gold.end)}"
            if [p.gold.start, p.gold.end] != [start, end]:
                kinds["span"].append(f"{where} system={r.text[start:end]!r}")
            if p.system["value"] != p.gold.value:
                kinds["value"].append(
                    f"{where} gold={p.gold.value} system={p.system['value']} ({p.gold.type})"
                )
            if p.system["type"] != p.gold.type:
                kinds["type"].append(f"{where} gold={p.gold.type} system={p.system['type']}")
    return {kind: lines[:limit] for kind, lines in kinds.items()} | {
        f"{kind}_count": [str(len(lines))] for kind, lines in kinds.items()
    }


# -- command line ----------------------------------------------------------------------

PUBLISHED: dict[str, dict[str, float | None]] = {
    "HeidelTime": {"strict": None, "value": 77.61},
    "NavyTime": {"strict": None, "value": 70.97},
    "SUTime": {"strict": None, "value": 67.38},
    "ClearTK": {"strict": 82.71, "value": None},
}
"""TempEval-3 *test* set, F1, as quoted in ../shared/data/README.md (ours are on train)."""


def _table(scores: dict[str, Any]) -> str:
    lines = [
        f"TempEval-3 training data: {scores['docs']} documents, "
        f"{scores['gold']} gold and {scores['system']} system expressions",
        "",
        f"{'':<22}{'P':>8}{'R':>8}{'F1':>8}",
    ]
    for key, label in (
        ("strict", "extraction strict"),
        ("relaxed", "extraction relaxed"),
        ("value", "value"),
        ("type", "type"),
    ):
        s = scores[key]
        lines.append(f"{label:<22}{s['precision']:>8.2f}{s['recall']:>8.2f}{s['f1']:>8.2f}")
    accuracy = f"value accuracy {scores['value_accuracy']:.2f}"
    lines.append(f"{accuracy}  type accuracy {scores['type_accuracy']:.2f}")
    lines.append("")
    lines.append("published, TempEval-3 *test* set (F1):  strict   value")
    for name, figures in PUBLISHED.items():
        strict, value = (
            "-" if figures[key] is None else f"{figures[key]:.2f}" for key in ("strict", "value")
        )
        lines.append(f"  {name:<36}{strict:>8}{value:>8}")
    return "\n".join(lines)


def _speed_lines(scores: dict[str, Any]) -> str:
    speed = scores["speed"]
    lines = [
        "",
        f"speed on the corpus: parse {speed['parse_seconds']:.2f}s, "
        f"extract_dates {speed['extract_seconds']:.3f}s, ratio {100 * speed['ratio']:.2f}%",
    ]
    for row in scores.get("real_articles", []):
        lines.append(
            f"  {row['article']}: {row['tokens']} tokens, parse {row['parse_ms']:.1f} ms, "
            f"extract {row['extract_ms']:.2f} ms, ratio {100 * row['ratio']:.2f}%"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA, help="the tempeval3-train folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--errors", type=int, default=0, help="show N examples of each error")
    parser.add_argument("--no-speed", action="store_true", help="skip the real-article timing")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no TempEval-3 data at {args.data}", file=sys.stderr)
        return 2
    outcome = run(load_corpus(args.data))
    scores = score(outcome.results)
    scores["docs"] = len(outcome.results)
    scores["speed"] = {
        "parse_seconds": round(outcome.parse_seconds, 3),
        "extract_seconds": round(outcome.extract_seconds, 3),
        "ratio": round(outcome.extract_seconds / outcome.parse_seconds, 4),
    }
    if not args.no_speed:
        scores["real_articles"] = real_article_speed()
    if args.errors:
        scores["errors"] = error_report(outcome.results, args.errors)
    if args.json:
        print(json.dumps(scores, indent=2, ensure_ascii=False))
        return 0
    print(_table(scores))
    print(_speed_lines(scores))
    for kind, lines in scores.get("errors", {}).items():
        if kind.endswith("_count"):
            continue
        print(f"\n== {kind} ({scores['errors'][kind + '_count'][0]}) ==")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["GoldDoc", "Timex", "align", "evaluate", "load_corpus", "read_timeml", "score"]
