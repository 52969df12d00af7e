"""Comparison quality on the example corpus: conflicts and corroborated facts vs the truth.

Usage::

    .venv/bin/python bench/quality_compare.py [--db STORE] [--json] [--show]
    .venv/bin/python bench/quality_compare.py --basil [--db STORE]

The corpus (``examples/corpus`` with ``examples/manifest.csv``) goes through the product
path: ingest, annotate, stories, compare. ``--db`` keeps the store at that path and
reuses it when it exists (annotation is the slow part). ``examples/truth.json`` lists,
per story, the facts (status, evidence sentences), the conflicts (kind, each side's
value and sentence), values that must NOT conflict (``non_conflicts``,
``compatible_values``).

Scoring:

* a found **conflict** is right when it has the kind of a truth conflict and puts two
  articles holding different truth values of that conflict on different sides (values
  matched by overlapping character spans); precision = right / found, recall = truth
  conflicts found / truth conflicts;
* a found **corroborated fact** is right when two of its evidence spans, from articles
  of different independence groups, overlap the evidence sentences of one truth fact;
  recall = truth corroborated facts matched so / truth corroborated facts.

``evaluate`` is imported by ``tests/quality/test_compare_examples.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parallax.pipeline import (  # noqa: E402
    IngestOptions,
    annotate_store,
    cluster_store,
    find_stories,
    ingest,
    story_report,
)
from parallax.store.db import Store  # noqa: E402

EXAMPLES = ROOT / "examples"


def build_store(path: Path) -> None:
    """Ingest, annotate and cluster the example corpus into ``path`` (when not there)."""
    if path.exists():
        return
    with Store.open(path) as store:
        ingest([EXAMPLES / "corpus"], store, IngestOptions(manifest=EXAMPLES / "manifest.csv"))
        annotate_store(store)
        cluster_store(store)


def reports(path: Path) -> list[dict[str, Any]]:
    with Store.open_readonly(path) as store:
        found = [story_report(store, s.id) for s in find_stories(store)]
    return [r for r in found if r is not None]


def evaluate(
    stories: list[dict[str, Any]], truth: Mapping[str, Any], texts: Mapping[str, str]
) -> dict[str, Any]:
    """Precision and recall of conflicts and corroborated facts (see the module doc);
    ``texts``: each article's stored text by id."""
    locate = _locator(_keys(stories, truth), texts)
    found_conflicts = [c for s in stories for c in s["conflicts"]]
    right_conflicts, matched_truth = 0, set()
    wrong: list[str] = []
    for conflict in found_conflicts:
        hit = _conflict_match(conflict, truth["conflicts"], locate)
        if hit is None:
            wrong.append(f"{conflict['kind']}: {conflict['about']}")
        else:
            right_conflicts += 1
            matched_truth.add(hit)
    groups = {a["id"]: a.get("group", a["id"]) for s in stories for a in s["articles"]}
    found_facts = [f for s in stories for f in s["facts"] if f["status"] == "corroborated"]
    truth_facts = [f for f in truth["facts"] if f["status"] == "corroborated"]
    right_facts, matched_facts = 0, set()
    for fact in found_facts:
        hits = _fact_matches(fact, truth_facts, locate, groups)
        if hits:
            right_facts += 1
            matched_facts.update(hits)
    return {
        "conflicts": _pr(
            right_conflicts, len(found_conflicts), len(matched_truth), len(truth["conflicts"])
        ),
        "conflicts_wrong": wrong,
        "conflicts_missed": [
            c["about"] for i, c in enumerate(truth["conflicts"]) if i not in matched_truth
        ],
        "corroborated": _pr(right_facts, len(found_facts), len(matched_facts), len(truth_facts)),
        "facts_found": len([f for s in stories for f in s["facts"]]),
    }


def _pr(right: int, found: int, matched: int, total: int) -> dict[str, Any]:
    precision = right / found if found else 1.0
    recall = matched / total if total else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "found": found,
        "right": right,
        "truth": total,
        "truth_found": matched,
    }


def _keys(stories: list[dict[str, Any]], truth: Mapping[str, Any]) -> dict[str, str]:
    """Truth article key -> stored article id, by url."""
    by_url = {a["url"]: a["id"] for s in stories for a in s["articles"] if a.get("url")}
    return {a["key"]: by_url[a["url"]] for a in truth["articles"] if a.get("url") in by_url}


def _locator(key_of: Mapping[str, str], texts: Mapping[str, str]) -> Any:
    def locate(key: str, text: str) -> tuple[str, int, int] | None:
        article_id = key_of.get(key)
        if article_id is None:
            return None
        at = texts.get(article_id, "").find(text)
        return None if at < 0 else (article_id, at, at + len(text))

    return locate


def _overlaps(span: Iterable[int], located: tuple[str, int, int] | None, article_id: str) -> bool:
    if located is None or located[0] != article_id:
        return False
    start, end = span
    return start < located[2] and located[1] < end


def _conflict_match(
    conflict: Mapping[str, Any], truths: list[Mapping[str, Any]], locate: Any
) -> int | None:
    for index, truth in enumerate(truths):
        if truth["kind"] != conflict["kind"]:
            continue
        sides: dict[str, set[str]] = {}
        for value in conflict["values"]:
            for item in truth["values"]:
                if _overlaps(
                    value["span"], locate(item["article"], item["text"]), value["article_id"]
                ):
                    sides.setdefault(value["value"], set()).add(item["value"])
        truth_values = [next(iter(v)) for v in sides.values() if len(v) == 1]
        if len(set(truth_values)) >= 2:
            return index
    return None


def _fact_matches(
    fact: Mapping[str, Any], truths: list[Mapping[str, Any]], locate: Any, groups: Mapping[str, str]
) -> set[int]:
    hits: set[int] = set()
    for index, truth in enumerate(truths):
        matched_groups = set()
        for evidence in fact["evidence"]:
            for item in truth["evidence"]:
                if _overlaps(
                    evidence["span"], locate(item["article"], item["text"]), evidence["article_id"]
                ):
                    matched_groups.add(groups.get(evidence["article_id"], evidence["article_id"]))
        if len(matched_groups) >= 2:
            hits.add(index)
    return hits


def run(db: Path | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Build (or reuse) the store, compare every story, score: (figures, story reports)."""
    truth = json.loads((EXAMPLES / "truth.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        path = db or Path(tmp) / "examples.db"
        build_store(path)
        stories = reports(path)
        with Store.open_readonly(path) as store:
            texts = {a.id: a.text for a in store.articles()}
    return evaluate(stories, truth, texts), stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="keep (and reuse) the store here")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--show", action="store_true", help="also list the conflicts and facts found"
    )
    parser.add_argument(
        "--basil",
        action="store_true",
        help="instead: list every conflict found on BASIL dev (real news, no conflict truth)",
    )
    args = parser.parse_args()
    if args.basil:
        basil(args.db)
        return
    figures, stories = run(args.db)
    if args.show:
        for story in stories:
            print(f"== {story['title']}")
            for c in story["conflicts"]:
                print(f"  CONFLICT {c['kind']}: {c['about']}")
                for v in c["values"]:
                    print(f"     {v['value']:>12} {v['outlet'][:22]:22} {v['text'][:90]}")
            for f in story["facts"]:
                if f["status"] != "single_source":
                    print(
                        f"  {f['status'][:5]} {f['independent_outlets']} {f['basis'][:4]}"
                        f" {f['text'][:100]}"
                    )
    print(json.dumps(figures, indent=2) if args.json else _table(figures))


def basil(db: Path | None) -> None:
    """Compare the 49 multi-outlet stories of BASIL dev and print every conflict with its
    sentences, for a person to judge: real news has no conflict truth, and a wrong
    conflict is the costliest error a report can make."""
    sys.path.insert(0, str(ROOT / "bench"))
    import quality_stories

    with tempfile.TemporaryDirectory() as tmp:
        path = db or Path(tmp) / "basil.db"
        if not path.exists():
            docs = quality_stories.load_basil()
            with Store.open(path) as store:
                quality_stories._ingest(docs, Path(tmp), store)
                annotate_store(store)
                cluster_store(store)
        stories = reports(path)
    multi = [s for s in stories if len(s["articles"]) > 1]
    conflicts = [c for s in multi for c in s["conflicts"]]
    for conflict in conflicts:
        print(f"{conflict['kind']}: {conflict['about']}")
        for value in conflict["values"]:
            before = value["context"]["before"][-60:]
            text = value["text"][:100]
            print(f"   {value['value']:>16}  {value['outlet'][:10]:10} {before}[{text}]")
    facts = [f for s in multi for f in s["facts"]]
    print(
        f"{len(multi)} stories, {len(conflicts)} conflicts, {len(facts)} facts, "
        f"{sum(f['status'] == 'corroborated' for f in facts)} corroborated"
    )


def _table(figures: Mapping[str, Any]) -> str:
    lines = []
    for name in ("conflicts", "corroborated"):
        f = figures[name]
        lines.append(
            f"{name:13} P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}  "
            f"(found {f['found']}, right {f['right']}, truth {f['truth_found']}/{f['truth']})"
        )
    lines += [f"  wrong conflict: {w}" for w in figures["conflicts_wrong"]]
    lines += [f"  missed conflict: {m}" for m in figures["conflicts_missed"]]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
