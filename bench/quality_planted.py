"""Conflicts on real news: planted conflicts found (recall) and false conflicts (precision).

Usage::

    .venv/bin/python bench/quality_planted.py [--json] [--show] [--cache FILE] [--both-ways]
    .venv/bin/python bench/quality_planted.py --ecbplus [--cache FILE]

Real news has no conflict truth, so one is made the way a fact-checker would test a
tool: in each BASIL dev story (one event, three outlets), find a count or a date that two
outlets give alike ("12 Russian intelligence officers" in both, "on July 13" in both),
change it in one outlet's text ("12" -> "18", "July 13" -> "July 16"), annotate that
article again and compare the story. The plant is **found** when a conflict of its kind
puts the changed sentence and the other outlet's sentence on different sides (for a
name, any other outlet giving the person replaced; see :func:`found`). The same
stories unplanted are the precision check: every conflict reported there is counted as
false (they are ordinary reports of one event; a real conflict among them is rare and
the ``--show`` listing lets a person judge). ``--ecbplus`` lists the attribution and name
conflicts of ECB+ dev instead, a second precision check on real news (none planted).

Stories are the truth's (``triplet-uuid``), each article its own independence group, so
the figures measure the comparison, not clustering. ``--cache`` keeps the annotations of
the unplanted articles (annotation is the slow part; redone when the annotator version
changes). ``evaluate`` is what
``tests/quality/test_compare_planted.py`` gates.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from parallax.annotate.annotator import Job, annotate, version  # noqa: E402
from parallax.compare import Source, compare, story_order  # noqa: E402
from parallax.compare.facts.words import content_words, load_synonyms  # noqa: E402
from parallax.model import Article, StoryReport  # noqa: E402
from parallax.stories import story_actors  # noqa: E402
from parallax.text import MONTH_PATTERN, STOP_WORDS, words  # noqa: E402

MIN_COUNT = 2
"""Counts below this ("one of them") are not planted: too often not a count at all."""
_NOT_A_COUNT = re.compile(
    r"(?:\b(?:bill|amendment|proposition|prop|no|number|district|route|article|section|"
    r"chapter|title|resolution|flight|room|page|h\.r|s)\.?\s*$)|(?:\b[A-Z][a-z]+,\s*$)",
    re.IGNORECASE,
)
"""Words before a number that make it a name or an age ("Senate Bill 1062", "Amendment
64", "Weiner, 46,"), not a count of something."""
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_DAY = re.compile(rf"\b(?P<month>{MONTH_PATTERN})\.?\s+(?P<day>\d{{1,2}})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Plant:
    """One changed value: in ``article`` (its text now ``text``), the value at ``span``
    was ``old`` and is now ``new``; ``witness`` is the other outlet's article and span
    that still give ``old``."""

    story: str
    kind: str  # number | date | name
    article: str
    span: tuple[int, int]
    old: str
    new: str
    text: str
    witness: str
    witness_span: tuple[int, int]
    earlier: bool = False
    """Planted in the earlier outlet of the two (``--both-ways``)."""


_VERSION_KEY = "__annotator__"
"""The cache's entry for the annotator version its annotations were made with."""


def load_articles(cache: Path | None = None, *, corpus: str = "basil") -> dict[str, list[Article]]:
    """BASIL dev (or ``corpus="ecbplus"``: ECB+ dev, one event a story, ten or so
    outlets), annotated, grouped by the truth's stories."""
    import quality_stories

    docs = quality_stories.load_ecbplus() if corpus == "ecbplus" else quality_stories.load_basil()
    stored = json.loads(cache.read_text()) if cache and cache.exists() else {}
    if stored.get(_VERSION_KEY) != version():  # another annotator: annotate again
        stored = {_VERSION_KEY: version()}
    missing = [d for d in docs if d.key not in stored]
    found = annotate(Job(d.record["text"], d.record.get("published_at")) for d in missing)
    for doc, made in zip(missing, found, strict=True):
        stored[doc.key] = made
    if cache and missing:
        cache.write_text(json.dumps(stored))
    stories: dict[str, list[Article]] = defaultdict(list)
    for doc in docs:
        stories[doc.truth].append(
            Article(
                id=doc.key,
                text=doc.record["text"],
                source=doc.key,
                outlet=doc.record["outlet"] or doc.key,
                title=doc.record.get("title"),
                published_at=doc.record.get("published_at"),
                annotations=stored[doc.key],
            )
        )
    return dict(stories)


def compared(story: str, articles: Sequence[Article]) -> StoryReport:
    """A story compared as the pipeline does, each article its own independence group."""
    sources = story_order([Source(article, article.id) for article in articles])
    actors = story_actors((s.article.id, s.article.annotations) for s in sources)
    return compare(story, sources, actors)


def plants(story: str, articles: Sequence[Article], *, earlier: bool = False) -> list[Plant]:
    """Every value two outlets of the story give alike about the same thing, as a plant
    in the later one (``earlier``: in the earlier one instead, the later one the
    witness; once per value changed)."""
    found: list[Plant] = []
    texts = {article.id: article.text for article in articles}
    by_id = {article.id: article for article in articles}
    for kind, values in (("number", _counts), ("date", _days)):
        seen: dict[str, list[tuple[str, tuple[int, int], str]]] = defaultdict(list)
        spans_of: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for article in articles:
            for key, span, _ in values(article):
                spans_of[(article.id, key)].append(span)
        changed: set[tuple[str, str]] = set()
        for article in articles:
            for key, span, number in values(article):
                witness = next(
                    (
                        (other, at, digits)
                        for other, at, digits in seen[key]
                        if other != article.id and _same_context(texts, (other, at), article, span)
                    ),
                    None,
                )
                if witness is not None and not earlier:
                    same = spans_of[(article.id, key)]
                    found.append(_plant(story, kind, article, span, number, *witness[:2], same))
                elif witness is not None and (witness[0], key) not in changed:
                    changed.add((witness[0], key))
                    same = spans_of[(witness[0], key)]
                    planted_in = by_id[witness[0]]
                    found.append(
                        _plant(
                            story,
                            kind,
                            planted_in,
                            witness[1],
                            witness[2],
                            article.id,
                            span,
                            same,
                            earlier=True,
                        )
                    )
                seen[key].append((article.id, span, number))
    return found


CONTEXT_WORDS = 8
"""Words each side of a value that show what it is about."""
SHARED_CONTEXT = 2
"""Content words two outlets' values must share around them to be the same count or date
(as a person checking "both say 12" would see they count the same officers)."""


def _same_context(
    texts: dict[str, str],
    witness: tuple[str, tuple[int, int]],
    article: Article,
    span: tuple[int, int],
) -> bool:
    return (
        len(_around(texts[witness[0]], witness[1]) & _around(article.text, span)) >= SHARED_CONTEXT
    )


def _around(text: str, span: tuple[int, int]) -> set[str]:
    before = words(text[max(0, span[0] - 120) : span[0]])[-CONTEXT_WORDS:]
    after = words(text[span[1] : span[1] + 120])[:CONTEXT_WORDS]
    return {w.lower() for w in before + after if w.isalpha() and w.lower() not in STOP_WORDS}


def _counts(article: Article) -> Iterable[tuple[str, tuple[int, int], str]]:
    """(value and unit, the digits' span, the digits) of each count written in digits."""
    for item in article.annotations["quantities"]:
        value, unit = item["value"], item["unit"]
        if value is None or value < MIN_COUNT or item["qualifier"] or not unit:
            continue
        start, end = item["span"]
        digits = _DIGITS.search(article.text, start, end)
        if digits is None or _is_name_or_age(article.text, digits):
            continue
        yield f"{value:g} {unit}", (digits.start(), digits.end()), digits.group()


def _is_name_or_age(text: str, digits: re.Match[str]) -> bool:
    """A year, a decimal cut short, an identifier or an age: not a count to change."""
    number = digits.group()
    if re.fullmatch(r"(1[89]|20)\d\d", number) or "." in number:
        return True
    return bool(_NOT_A_COUNT.search(text, max(0, digits.start() - 24), digits.start()))


def _days(article: Article) -> Iterable[tuple[str, tuple[int, int], str]]:
    """(resolved day, the day number's span, the day number) of each "Month D" date."""
    for item in article.annotations["dates"]:
        value = item["value"]
        if item["type"] != "date" or not value or not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            continue
        start, end = item["span"]
        day = _DAY.search(article.text, start, end)
        if day is not None:
            yield value, day.span("day"), day.group("day")


FABRICATED_SURNAME = "Harwell"
"""The surname a name plant gives when the story names no other person."""
NEAR = 400
"""Characters each side of the sentence in which the substitute surname must not appear:
a person the article names close by is one it could have meant (the attribution check
leaves such a pair alone), so the plant takes a person named further off."""
SHARED_QUOTE_WORDS = 4
"""Content words two outlets' quotes share to be the same quote (for speaker plants)."""


def name_plants(story: str, articles: Sequence[Article]) -> list[Plant]:
    """Names two outlets give alike as the doer of one action on one thing (annotation's
    role slots, synonyms folded) or as the speaker of one quote, planted in the later
    outlet: the person's surname changed to another person's of the story (or to
    :data:`FABRICATED_SURNAME`) everywhere that outlet writes it in that sentence."""
    found: list[Plant] = []
    seen: dict[tuple[str, ...], tuple[str, tuple[int, int]]] = {}
    changed: set[tuple[str, tuple[int, int]]] = set()
    surnames = _surnames(articles)
    for article in articles:
        for key, sentence in _named_roles(article):
            witness = seen.get(key)
            if witness is None or witness[0] == article.id:
                seen.setdefault(key, (article.id, sentence))
                continue
            if (article.id, sentence) in changed:
                continue
            plant = _name_plant(story, article, sentence, key[0], surnames, witness)
            if plant is not None:
                changed.add((article.id, sentence))
                found.append(plant)
    return found


def _named_roles(article: Article) -> Iterable[tuple[tuple[str, ...], tuple[int, int]]]:
    """(surname and what the person did, the sentence) for each role slot with a named
    doer and each quote with a named speaker."""
    synonyms = load_synonyms()
    text, annotations = article.text, article.annotations
    people = {a["id"] for a in annotations["actors"] if a["kind"] == "person"}
    for slot in annotations["slots"]:
        if slot["kind"] == "role" and slot["head"] and slot["thing"]:
            if not _names_person(annotations["mentions"], slot["span"], people):
                continue
            surname = _surname(text[slot["span"][0] : slot["span"][1]])
            action = synonyms.get(slot["head"], slot["head"])
            if surname and action != "say":
                thing = synonyms.get(slot["thing"], slot["thing"])
                yield (surname, "role", action, thing), _sentence(article, slot["span"][0])
    for quote in annotations["quotes"]:
        span = quote["speaker_span"]
        named = span is not None and quote["speaker"] in people
        surname = _surname(text[span[0] : span[1]]) if span and named else None
        words = sorted(set(content_words(quote["text"])))
        if surname and len(words) >= SHARED_QUOTE_WORDS:
            for k in range(len(words) - SHARED_QUOTE_WORDS + 1):
                key = (surname, "quote", *words[k : k + SHARED_QUOTE_WORDS])
                yield key, _sentence(article, span[0])


def _names_person(mentions: Sequence[Any], span: Sequence[int], people: set[str]) -> bool:
    """Whether a mention of a person lies in ``span`` (not "America", "Republicans")."""
    return any(
        m["actor"] in people and span[0] <= m["span"][0] and m["span"][1] <= span[1]
        for m in mentions
    )


def _surname(name: str) -> str | None:
    """The last word of a name written with a capital ("Vice President Rafael Oyarzo" ->
    Oyarzo), None for a pronoun or a lower-case phrase."""
    found = words(name)
    last = found[-1] if found else ""
    return last if len(last) > 2 and last[0].isupper() and last.isalpha() else None


def _surnames(articles: Sequence[Article]) -> list[str]:
    """The surnames of the story's people, most named first."""
    counts: dict[str, int] = defaultdict(int)
    for article in articles:
        for actor in article.annotations["actors"]:
            surname = _surname(actor["name"]) if actor["kind"] == "person" else None
            if surname:
                counts[surname] += 1
    return sorted(counts, key=lambda name: (-counts[name], name))


def _sentence(article: Article, at: int) -> tuple[int, int]:
    for sentence in article.annotations["sentences"]:
        if sentence["span"][0] <= at < sentence["span"][1]:
            return sentence["span"][0], sentence["span"][1]
    return at, at


def _name_plant(
    story: str,
    article: Article,
    sentence: tuple[int, int],
    surname: str,
    surnames: Sequence[str],
    witness: tuple[str, tuple[int, int]],
) -> Plant | None:
    """The surname changed everywhere the sentence writes it; ``span`` the sentence as
    changed (a conflict side is a clause of it)."""
    start, end = sentence
    near = article.text[max(0, start - NEAR) : end + NEAR]
    other = next(
        (s for s in surnames if s != surname and not re.search(rf"\b{s}\b", near)),
        FABRICATED_SURNAME,
    )
    pattern = re.compile(rf"\b{re.escape(surname)}\b")
    changed = pattern.sub(other, article.text[start:end])
    if changed == article.text[start:end]:
        return None
    text = article.text[:start] + changed + article.text[end:]
    return Plant(
        story, "name", article.id, (start, start + len(changed)), surname, other, text, *witness
    )


def _plant(
    story: str,
    kind: str,
    article: Article,
    span: tuple[int, int],
    old: str,
    witness: str,
    witness_span: tuple[int, int],
    same: Sequence[tuple[int, int]] = (),
    earlier: bool = False,
) -> Plant:
    """The plant: every place the article gives this value changed alike (an outlet with
    another figure writes it everywhere), ``span`` the one set against the witness."""
    new = _changed_day(old) if kind == "date" else _changed_count(old)
    text, shift, at = article.text, 0, span[0]
    for start, end in sorted(set(same) | {span}):
        if article.text[start:end] != old:
            continue
        text = text[: start + shift] + new + text[end + shift :]
        if start == span[0]:
            at = start + shift
        shift += len(new) - (end - start)
    return Plant(
        story, kind, article.id, (at, at + len(new)), old, new, text, witness, witness_span, earlier
    )


def _changed_count(digits: str) -> str:
    """An incompatible count in the same style: half as much again ("12" -> "18",
    "800,000" -> "1,200,000")."""
    value = float(digits.replace(",", ""))
    new = round(value * 1.5) if value >= 4 else value + 3
    return f"{int(new):,}" if "," in digits else f"{int(new)}"


def _changed_day(day: str) -> str:
    """Three days later, within the month ("13" -> "16", "29" -> "26")."""
    number = int(day)
    return str(number + 3 if number <= 25 else number - 3)


def found(plant: Plant, report: StoryReport, *, at_witness: bool = False) -> bool:
    """Whether a conflict of the plant's kind (or a quote's wording, for a value inside
    a quote) has the changed value on one side and the witness on another. For a name,
    the changed side is where the changed sentence writes the name (a quote carried over
    from it is given the name there) and the other side any other article giving the
    person the plant replaced ("Cowan" against the changed "Obama"), the witness or not;
    ``at_witness``: only the witness sentence counts (the stricter first figure)."""
    if plant.kind != "name":
        return _found_value(plant, report)
    for conflict in report["conflicts"]:
        if conflict["kind"] not in ("name", "attribution", "wording"):
            continue
        values = conflict["values"]
        changed = {v["value"] for v in values if _names_at(v, plant.article, plant.span)}
        if at_witness:
            kept = {v["value"] for v in values if _overlaps(v, plant.witness, plant.witness_span)}
        else:
            kept = {
                v["value"]
                for v in values
                if v["article_id"] != plant.article and plant.old in words(v["value"])
            }
        if changed and kept and changed.isdisjoint(kept):
            return True
    return False


def _found_value(plant: Plant, report: StoryReport) -> bool:
    for conflict in report["conflicts"]:
        if conflict["kind"] not in (plant.kind, "wording"):  # a count in a quote: wording
            continue
        values = conflict["values"]
        changed = {v["value"] for v in values if _holds(v, plant.article, plant.span)}
        kept = {v["value"] for v in values if _holds(v, plant.witness, plant.witness_span)}
        if changed and kept and changed.isdisjoint(kept):
            return True
    return False


def _names_at(value: dict[str, Any] | Any, article: str, span: tuple[int, int]) -> bool:
    """The value's clause or the name itself lies in ``span`` of ``article``."""
    start, end = value["value_span"]
    return _overlaps(value, article, span) or (
        value["article_id"] == article and start < span[1] and span[0] < end
    )


def _holds(value: dict[str, Any] | Any, article: str, span: tuple[int, int]) -> bool:
    start, end = value["span"]
    return bool(value["article_id"] == article and start <= span[0] and span[1] <= end)


def _overlaps(value: dict[str, Any] | Any, article: str, span: tuple[int, int]) -> bool:
    start, end = value["span"]
    return bool(value["article_id"] == article and start < span[1] and span[0] < end)


def evaluate(
    stories: dict[str, list[Article]], *, per_story: int = 3, both_ways: bool = False
) -> dict[str, Any]:
    """Planted recall (at most ``per_story`` plants of each kind per story) and false
    conflicts on the unplanted stories; ``both_ways``: plant each shared value in the
    earlier outlet too (a second, separate plant: about twice the sample). Name plants
    (:func:`name_plants`, in the later outlet only) are counted apart, in ``names``."""
    chosen = [
        p
        for story, articles in sorted(stories.items())
        for earlier in ((False, True) if both_ways else (False,))
        for p in _first_of_each_kind(plants(story, articles, earlier=earlier), per_story)
    ]
    chosen += [
        p
        for story, articles in sorted(stories.items())
        for p in name_plants(story, articles)[:per_story]
    ]
    published = {a.id: a.published_at for articles in stories.values() for a in articles}
    replanted = list(annotate(Job(p.text, published[p.article]) for p in chosen))
    results = []
    at_witness: list[bool] = []
    for plant, made in zip(chosen, replanted, strict=True):
        articles = [
            replace(a, text=plant.text, annotations=made) if a.id == plant.article else a
            for a in stories[plant.story]
        ]
        report = compared(plant.story, articles)
        results.append((plant, found(plant, report)))
        if plant.kind == "name":
            at_witness.append(found(plant, report, at_witness=True))
    multi = {s: a for s, a in stories.items() if len(a) > 1}
    false = [(s, c) for s, a in sorted(multi.items()) for c in compared(s, a)["conflicts"]]
    figures = _figures(results, false, len(multi))
    figures["names_at_witness"] = _recall(at_witness)
    return figures


def _first_of_each_kind(found: list[Plant], per_story: int) -> list[Plant]:
    kept: list[Plant] = []
    for kind in ("number", "date"):
        kept += [p for p in found if p.kind == kind][:per_story]
    return kept


def _figures(
    results: list[tuple[Plant, bool]], false: list[tuple[str, Any]], stories: int
) -> dict[str, Any]:
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for plant, hit in results:
        by_kind[plant.kind].append(hit)
    names = [(plant, hit) for plant, hit in results if plant.kind == "name"]
    results = [(plant, hit) for plant, hit in results if plant.kind != "name"]
    return {
        "planted": len(results),
        "found": sum(hit for _, hit in results),
        "recall": round(sum(hit for _, hit in results) / max(1, len(results)), 3),
        "by_kind": {kind: _recall(hits) for kind, hits in sorted(by_kind.items())},
        "in_later": _recall([hit for plant, hit in results if not plant.earlier]),
        "stories": stories,
        "false_conflicts": len(false),
        "false_per_story": round(len(false) / max(1, stories), 3),
        "names": _recall([hit for _, hit in names]),
        "missed": [_described(p) for p, hit in results if not hit],
        "names_missed": [_described(p) for p, hit in names if not hit],
        "false": [f"{c['kind']} {s[:8]}: {c['about']}" for s, c in false],
    }


def _recall(hits: list[bool]) -> dict[str, Any]:
    return {
        "planted": len(hits),
        "found": sum(hits),
        "recall": round(sum(hits) / max(1, len(hits)), 3),
    }


def _described(plant: Plant) -> str:
    around = plant.text[max(0, plant.span[0] - 60) : plant.span[1] + 40]
    return f"{plant.kind} {plant.story[:8]} {plant.old} -> {plant.new}: {around!r}"


def print_fact_sample(stories: dict[str, list[Article]], size: int, seed: int = 7) -> None:
    """A seeded sample of the corroborated facts found by sentence alignment, each with
    its outlets' sentences: a person judges whether each is one claim (docs/compare.md)."""
    facts = [
        fact
        for story, articles in sorted(stories.items())
        for fact in compared(story, articles)["facts"]
        if fact["status"] == "corroborated" and fact["basis"] == "sentence"
    ]
    print(f"{len(facts)} corroborated sentence facts; a sample of {size}:")
    for number, fact in enumerate(random.Random(seed).sample(facts, min(size, len(facts)))):
        print(f"--- {number}")
        for evidence in fact["evidence"][:3]:
            print(f"   [{evidence['outlet']}] {evidence['text'][:230]}")


def print_attributions(stories: dict[str, list[Article]]) -> None:
    """Every attribution and name conflict of the stories, each side's sentence: a
    precision check on other real news (ECB+: one event a story, many outlets, none
    planted), judged by hand (docs/compare.md)."""
    found = 0
    for story, articles in sorted(stories.items()):
        for conflict in compared(story, articles)["conflicts"]:
            if conflict["kind"] not in ("attribution", "name"):
                continue
            found += 1
            print(f"--- {conflict['kind']} {story}: {conflict['about'][:100]}")
            for value in conflict["values"]:
                said = f"{value['text'][:160]!r} {value['context']['after'][:60]!r}"
                print(f"   [{value['article_id']}] {value['value']}: {said}")
    print(f"{found} attribution and name conflicts on {len(stories)} stories")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show", action="store_true", help="list missed plants, false conflicts")
    parser.add_argument("--cache", type=Path, help="keep the unplanted annotations here")
    parser.add_argument(
        "--both-ways",
        action="store_true",
        help="also plant each shared value in the earlier outlet (about twice the plants)",
    )
    parser.add_argument(
        "--facts",
        type=int,
        metavar="N",
        help="instead: print N corroborated sentence facts (seeded sample) to judge by hand",
    )
    parser.add_argument(
        "--ecbplus",
        action="store_true",
        help="instead: list every attribution and name conflict on ECB+ dev (unplanted)",
    )
    args = parser.parse_args()
    if args.ecbplus:
        cache = args.cache and args.cache.with_name(f"{args.cache.stem}-ecbplus.json")
        print_attributions(load_articles(cache, corpus="ecbplus"))
        return
    if args.facts:
        print_fact_sample(load_articles(args.cache), args.facts)
        return
    figures = evaluate(load_articles(args.cache), both_ways=args.both_ways)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    names = figures["names"]
    strict = figures["names_at_witness"]
    print(
        f"names planted {names['planted']}, found {names['found']} (recall {names['recall']}); "
        f"against the witness sentence {strict['found']} ({strict['recall']})"
    )
    print(
        f"planted {figures['planted']}, found {figures['found']} (recall {figures['recall']}); "
        f"by kind {json.dumps(figures['by_kind'])}; {figures['false_conflicts']} false "
        f"conflicts on {figures['stories']} unplanted stories ({figures['false_per_story']} "
        "per story)"
    )
    if args.both_ways:
        later = figures["in_later"]
        print(
            f"  of which planted in the later outlet (the default sample): {later['planted']}, "
            f"found {later['found']} (recall {later['recall']})"
        )
    if args.show:
        for line in figures["missed"]:
            print("  missed", line)
        for line in figures["names_missed"]:
            print("  missed", line)
        for line in figures["false"]:
            print("  false ", line)


if __name__ == "__main__":
    main()
