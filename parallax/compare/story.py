"""Compare the articles of one story and build its ``parallax.report/1`` entry.

:func:`compare` is the stage function: a story's sources in, one report story out,
every item with evidence cut from the stored texts. It reads annotations only; nothing
is parsed again, so a story of a few hundred articles is compared in about a second.
"""

from __future__ import annotations

import functools
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from parallax.compare.context import Source, StoryContext, story_context
from parallax.compare.facts import (
    Fact,
    role_conflicts,
    sentence_facts,
    slots_of,
    statements_of,
    value_facts,
)
from parallax.compare.framing import (
    Lexicon,
    LexiconError,
    default_lexicon,
    frame_article,
    load_lexicon,
)
from parallax.compare.quotes import (
    attribution_conflicts,
    group_quotes,
    quote_items,
    quotes_of,
    wording_conflicts,
)
from parallax.compare.timeline import timeline
from parallax.errors import ParallaxError
from parallax.model import (
    REPORT_SCHEMA,
    VERSION,
    ArticleFraming,
    Evidence,
    LabelRow,
    Report,
    ReportActor,
    ReportArticle,
    ReportFact,
    ReportGroup,
    ReportLabel,
    StoryActor,
    StoryReport,
)

QUOTE_FACT_MIN_WORDS = 4


def compare(
    story_id: str,
    sources: Sequence[Source],
    actors: Sequence[StoryActor],
    *,
    title: str | None = None,
    summary: str | None = None,
    outlets: Sequence[str] = (),
    lexicon: Lexicon | None = None,
) -> StoryReport:
    """The report of one story (see docs/report.md for every field). ``actors``: the
    story's actors linked across its articles, in :func:`story_order` (the stories
    stage's ``story_actors`` makes them); ``outlets``: the outlet names known elsewhere
    (the store's), so that an outlet a crawler gave by its domain is shown by its name;
    ``lexicon``: the framing lexicon (default: the built-in one; see
    :func:`configured_lexicon` for the user's files)."""
    context = story_context(story_id, sources, actors, outlets)
    lexicon = lexicon or default_lexicon()
    slots = slots_of(context)
    values = value_facts(context, slots)
    statements = statements_of(context)
    quotes = quotes_of(context)
    quote_groups = group_quotes(context, quotes)
    conflicts = (
        values.conflicts
        + role_conflicts(context)
        + attribution_conflicts(context, quote_groups)
        + wording_conflicts(context, quote_groups)
    )
    sentences = [
        fact
        for fact in sentence_facts(context, statements)
        if _sentences_of(context, fact) not in values.fact_sentence_sets
    ]
    facts = values.facts + sentences + _quote_facts(context, quote_groups)
    attributed = quotes_by_span(quotes)
    fact_items = [_fact_item(context, fact, attributed) for fact in facts]
    fact_items.sort(key=_fact_order)
    conflicts.sort(key=lambda c: (-len({v["outlet"] for v in c["values"]}), c["kind"], c["id"]))
    for item in fact_items:
        for conflict_id in item["conflicts"]:
            for conflict in conflicts:
                if conflict["id"] == conflict_id and conflict["fact"] is None:
                    conflict["fact"] = item["id"]
    actor_items = _actors(context)
    conflict_of = {
        (v["article_id"], v["value_span"][0]): c["id"]
        for c in conflicts
        if c["kind"] == "date"
        for v in c["values"]
    }
    return StoryReport(
        id=story_id,
        title=title or _fallback_title(context),
        summary=summary,
        articles=[_article_item(context, source) for source in context.sources],
        groups=_groups(context),
        actors=actor_items,
        labels=_label_table(actor_items),
        facts=fact_items,
        conflicts=conflicts,
        quotes=quote_items(context, quote_groups),
        timeline=timeline(context, conflict_of),
        framing=[_framing(context, source, lexicon) for source in context.sources],
    )


def report(stories: Sequence[StoryReport]) -> Report:
    """The whole document: the schema tag, the producer and the stories."""
    return Report(schema=REPORT_SCHEMA, generated_by=f"parallax {VERSION}", stories=list(stories))


def quotes_by_span(quotes: Sequence[Any]) -> dict[str, list[tuple[int, int, str | None]]]:
    """Per article, the attributed stretches: (start, end, speaker story actor)."""
    found: dict[str, list[tuple[int, int, str | None]]] = defaultdict(list)
    for quote in quotes:
        if not quote.partial:
            found[quote.article_id].append((quote.span[0], quote.span[1], quote.speaker))
    return found


def _attributed(
    spans: Mapping[str, list[tuple[int, int, str | None]]], article_id: str, start: int, end: int
) -> tuple[bool, str | None]:
    """Whether the article attributes ``[start, end)`` to someone, and to whom when
    known: most of it lies in an attributed statement, or it holds a whole one ("Maduro
    suggested direct and honest dialog through Grenell" reports what Maduro said)."""
    length = max(1, end - start)
    for q_start, q_end, speaker in spans.get(article_id, []):
        inside = min(end, q_end) - max(start, q_start)
        if inside > 0.5 * length or inside >= 0.9 * max(1, q_end - q_start):
            return True, speaker
    return False, None


def _sentences_of(context: StoryContext, fact: Fact) -> frozenset[tuple[str, tuple[int, int]]]:
    return frozenset(
        (e["article_id"], context.sentence_at(e["article_id"], *e["span"])) for e in fact.evidence
    )


def _fact_item(
    context: StoryContext, fact: Fact, spans: Mapping[str, list[tuple[int, int, str | None]]]
) -> ReportFact:
    evidence: list[Evidence] = []
    attributed: list[bool] = []
    speakers: set[str | None] = set()
    for item in fact.evidence:
        is_attributed, speaker = _attributed(spans, item["article_id"], *item["span"])
        if fact.kind == "quote":
            is_attributed, speaker = True, item.pop("speaker", None)
        evidence.append(cast(Evidence, {**item, "attributed_to": speaker}))
        attributed.append(is_attributed)
        speakers.add(speaker if is_attributed else None)
    groups = {context.group(e["article_id"]) for e in evidence}
    outlets = sorted({e["outlet"] for e in evidence})
    status = (
        "disputed" if fact.conflicts else ("corroborated" if len(groups) > 1 else "single_source")
    )
    attributed_to = None
    if all(attributed) and len(speakers) == 1:
        attributed_to = next(iter(speakers))
    return ReportFact(
        id=fact.id,
        text=evidence[0]["text"],
        status=status,
        outlets=outlets,
        attributed_to=attributed_to,
        evidence=evidence,
        independent_outlets=len(groups),
        attribution_drift=any(attributed) and not all(attributed),
        conflicts=list(fact.conflicts),
        basis=fact.kind,
    )


def _fact_order(item: Mapping[str, Any]) -> tuple[int, int, int, str]:
    rank = {"disputed": 0, "corroborated": 1, "single_source": 2}[item["status"]]
    first = item["evidence"][0]
    return (rank, -item["independent_outlets"], first["span"][0], item["id"])


def _quote_facts(context: StoryContext, groups: Sequence[Any]) -> list[Fact]:
    """A quote carried by independent outlets is a corroborated fact ("media noise and
    fake news" in both). A quote group can hold quotes that only overlap through a longer
    one, so the fact is built on a core: the words (four or more) that most independent
    outlets carry verbatim; each outlet's evidence is its shortest quote holding them."""
    facts: list[Fact] = []
    for group in groups:
        if len({context.group(q.article_id) for q in group.quotes}) < 2:
            continue
        core, holders = _core(context, group.quotes)
        if core is None or len({context.group(q.article_id) for q in holders}) < 2:
            continue
        per_article: dict[str, Any] = {}
        for quote in sorted(holders, key=lambda q: len(q.text)):
            per_article.setdefault(quote.article_id, quote)
        order = context.position
        chosen = sorted(per_article.values(), key=lambda q: (len(q.text), order[q.article_id]))
        evidence = []
        for quote in chosen:
            item = context.evidence(quote.article_id, *quote.span)
            item["speaker"] = quote.speaker
            evidence.append(item)
        facts.append(Fact(evidence, "quote"))
    return facts


def _core(context: StoryContext, quotes: Sequence[Any]) -> tuple[Any, list[Any]]:
    """The quote whose words the most independence groups carry inside their own quotes
    (ties: the longer), and the quotes that hold it."""
    best: tuple[int, int] = (0, 0)
    core: Any = None
    holders: list[Any] = []
    same_words: dict[tuple[str, ...], list[Any]] = defaultdict(list)
    for quote in quotes:  # copies of one quote are checked once
        same_words[quote.words].append(quote)
    for words, copies in same_words.items():
        candidate = copies[0]
        if len(words) < QUOTE_FACT_MIN_WORDS:
            continue
        holding = [
            q
            for others in same_words.values()
            if candidate.joined in others[0].joined
            for q in others
        ]
        rank = (len({context.group(q.article_id) for q in holding}), len(candidate.words))
        if rank > best:
            best, core, holders = rank, candidate, holding
    return core, holders


def _article_item(context: StoryContext, source: Source) -> ReportArticle:
    article = source.article
    return ReportArticle(
        id=article.id,
        outlet=article.outlet,
        outlet_name=context.outlet(article.id),
        title=article.title,
        url=article.url,
        published_at=article.published_at,
        source=article.source,
        group=source.group,
        wire_of=article.wire_of or article.duplicate_of,
        relays=source.relays,
    )


def _groups(context: StoryContext) -> list[ReportGroup]:
    groups: dict[str, ReportGroup] = {}
    for source in context.sources:
        group = groups.setdefault(
            source.group, ReportGroup(id=source.group, articles=[], outlets=[])
        )
        group["articles"].append(source.article.id)
        outlet = context.outlet(source.article.id)
        if outlet not in group["outlets"]:
            group["outlets"].append(outlet)
    return list(groups.values())


def _actors(context: StoryContext) -> list[ReportActor]:
    labels: dict[str, list[ReportLabel]] = defaultdict(list)
    for source in context.sources:
        article = source.article
        for label in article.annotations.get("labels", []):
            actor = context.story_actor(article.id, label.get("actor"))
            if actor is None:
                continue
            start, end = label["span"]
            labels[actor].append(
                ReportLabel(
                    article_id=article.id,
                    text=article.text[start:end],
                    span=[start, end],
                    outlet=context.outlet(article.id),
                )
            )
    return [
        ReportActor(
            id=actor.id,
            name=actor.name,
            kind=actor.kind if actor.kind in ("person", "org", "place", "group") else "other",
            aliases=list(actor.aliases),
            labels=labels.get(actor.id, []),
            articles=list(actor.article_ids),
            mentions=len(actor.mentions),
        )
        for actor in context.actors
    ]


def _label_table(actors: Sequence[ReportActor]) -> list[LabelRow]:
    """Actors with labels, and each outlet's labels for them (the framing table)."""
    table: list[LabelRow] = []
    for actor in actors:
        if not actor["labels"]:
            continue
        by_outlet: dict[str, list[str]] = {}
        for label in actor["labels"]:
            texts = by_outlet.setdefault(label["outlet"], [])
            if label["text"] not in texts:
                texts.append(label["text"])
        table.append(LabelRow(actor=actor["id"], name=actor["name"], by_outlet=by_outlet))
    return table


def configured_lexicon(setting: str) -> Lexicon:
    """The built-in framing lexicon, plus the user's files named by the ``lexicon``
    setting (paths separated by ``os.pathsep``; read once per set of paths); a file that
    cannot be used is error E060."""
    paths = tuple(p for p in setting.split(os.pathsep) if p.strip())
    return _lexicon_for(paths)


@functools.cache
def _lexicon_for(paths: tuple[str, ...]) -> Lexicon:
    if not paths:
        return default_lexicon()
    try:
        return load_lexicon([Path(p) for p in paths])
    except LexiconError as error:
        raise ParallaxError("E060", os.pathsep.join(paths), str(error)) from error


def _framing(context: StoryContext, source: Source, lexicon: Lexicon) -> ArticleFraming:
    """One article's framing, its targets named by story actor."""
    article = source.article
    found = frame_article(article.text, article.annotations, lexicon)
    for term in found["loaded_terms"]:
        term["target"] = context.story_actor(article.id, term["target"])
    return ArticleFraming(
        article_id=article.id,
        outlet=context.outlet(article.id),
        tone=found["tone"],
        loaded_terms=found["loaded_terms"],
        hedges=found["hedges"],
        scare_quotes=found["scare_quotes"],
        reported_terms=found["reported_terms"],
    )


def _fallback_title(context: StoryContext) -> str:
    for source in context.sources:
        if source.article.title:
            return source.article.title
    return context.story_id
