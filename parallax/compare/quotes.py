"""Quotes across outlets: the same words carried by several outlets, trimmed or reworded,
and the same words given to different speakers.

A quote here is an annotated quote, plus every stretch in quotation marks of three words
or more inside an attributed statement: "to avoid “media noise and fake news”" inside
what "Maduro emphasized" is Maduro's words as much as a full direct quote is. Two quotes
are one when the shorter's words run inside the longer's (an outlet trimmed it), or when
most of their words are shared (an outlet reworded it: flagged). Quotes of one group
given to different speakers make an ``attribution`` conflict.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from parallax.compare.context import StoryContext

MIN_WORDS = 3
"""Quoted stretches shorter than this are scare quotes or names, not quotes."""
ATTRIBUTION_MIN_WORDS = 6
"""A few words ("it a blockade") are said by many; only longer quotes show who said them."""
REWORDED_OVERLAP = 0.6
"""Share of words two quotes must have in common to be one quote with different wording."""
_QUOTED = re.compile(r"[\"“«„]([^\"“”«»„]{3,800}?)[\"”»“]")
_SMALL_WORDS = frozenset(
    "a an the of in on at to for by with from and or but as is are was were be been it its "
    "this that these those we you he she they i our your their his her my me us them any "
    "some all no not so than then there".split()
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


@dataclass
class Quote:
    article_id: str
    span: tuple[int, int]
    text: str
    direct: bool
    speaker: str | None  # story actor id
    speaker_name: str | None
    partial: bool
    words: tuple[str, ...]
    group: str = ""
    named: bool = True
    """The article names the speaker at the quote ("Kennedy said"), not a pronoun ("he
    said", resolved by annotation, which is right most of the time but not always)."""

    joined: str = ""
    """The words between spaces: containment of word runs is string containment."""

    def __post_init__(self) -> None:
        self.joined = " " + " ".join(self.words) + " "


def quotes_of(context: StoryContext) -> list[Quote]:
    """Annotated quotes and quoted stretches inside attributed statements, per article."""
    found: list[Quote] = []
    for source in context.sources:
        article = source.article
        seen: set[tuple[int, int]] = set()
        for item in article.annotations.get("quotes", []):
            span = (item["span"][0], item["span"][1])
            speaker = context.story_actor(article.id, item.get("speaker"))
            name = context.actor_names.get(speaker or "") or item.get("speaker_name")
            named = _named(item.get("speaker_name"))
            found.append(
                _quote(
                    article.id, span, article.text, bool(item.get("direct")), speaker, name, False
                )
            )
            found[-1].named = named
            seen.add(span)
            if item.get("direct"):
                continue
            stretch = (max(0, span[0] - 1), min(len(article.text), span[1] + 2))
            for inner in _QUOTED.finditer(article.text, *stretch):
                inner_span = (inner.start(1), inner.end(1))
                if inner_span in seen or len(_words(inner.group(1))) < MIN_WORDS:
                    continue
                seen.add(inner_span)
                found.append(
                    _quote(article.id, inner_span, article.text, True, speaker, name, True)
                )
                found[-1].named = named
    return found


def _named(surface: str | None) -> bool:
    return bool(surface) and str(surface).lower() not in _PRONOUNS


_PRONOUNS = frozenset("he she they it we i you who his her their its".split())


def _quote(
    article_id: str,
    span: tuple[int, int],
    text: str,
    direct: bool,
    speaker: str | None,
    name: str | None,
    partial: bool,
) -> Quote:
    words = tuple(_words(text[span[0] : span[1]]))
    return Quote(article_id, span, text[span[0] : span[1]], direct, speaker, name, partial, words)


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


@dataclass
class QuoteGroup:
    id: str
    quotes: list[Quote]
    reworded: bool


def group_quotes(context: StoryContext, quotes: list[Quote]) -> list[QuoteGroup]:
    """Quotes of different articles that are the same words (trimmed or reworded)."""
    parent = list(range(len(quotes)))
    reworded: set[int] = set()

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    same_words: dict[tuple[str, ...], int] = {}
    for i, quote in enumerate(quotes):  # the same words in many articles: decided once
        first = same_words.setdefault(quote.words, i)
        if first != i:
            parent[find(i)] = find(first)
    joined = [q.joined for q in quotes]
    for i, j in _candidates(quotes, sorted(same_words.values())):
        a, b = quotes[i], quotes[j]
        if min(len(a.words), len(b.words)) >= MIN_WORDS and (
            joined[i] in joined[j] or joined[j] in joined[i]
        ):
            parent[find(i)] = find(j)
        elif _overlap(a.words, b.words) >= REWORDED_OVERLAP:
            parent[find(i)] = find(j)
            reworded.update((i, j))
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(quotes)):
        members[find(i)].append(i)
    groups: list[QuoteGroup] = []
    for indexes in members.values():
        chosen = [quotes[i] for i in indexes]
        digest = hashlib.sha1(
            "|".join(sorted(f"{q.article_id}:{q.span[0]}" for q in chosen)).encode()
        ).hexdigest()[:10]
        group = QuoteGroup("Q" + digest, chosen, any(i in reworded for i in indexes))
        for quote in chosen:
            quote.group = group.id
        groups.append(group)
    return groups


def _candidates(quotes: list[Quote], which: list[int]) -> Iterable[tuple[int, int]]:
    """Pairs sharing a three-word run (an index, not all pairs)."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in which:
        quote = quotes[i]
        for k in {tuple(quote.words[n : n + 3]) for n in range(max(1, len(quote.words) - 2))}:
            index[k].append(i)
    seen: set[tuple[int, int]] = set()
    for bucket in index.values():
        if len(bucket) > 200:
            continue
        for x in range(len(bucket)):
            for y in range(x + 1, len(bucket)):
                pair = (bucket[x], bucket[y])
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Shared content words (small words left out: "a frank" vs "an open" differ in two
    words, not four); 0 when fewer than three are shared."""
    sa, sb = set(a) - _SMALL_WORDS, set(b) - _SMALL_WORDS
    if len(sa & sb) < MIN_WORDS:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def attribution_conflicts(context: StoryContext, groups: list[QuoteGroup]) -> list[dict[str, Any]]:
    """The same words, in quotation marks, given to different speakers by independent
    outlets. Only verbatim quotes count (one's words run inside the other's): reworded
    or indirect statements are too loose to say two outlets quote one sentence, and two
    names of which one holds the other ("Civil Protection Agency", "Dravenian Civil
    Protection Agency") are taken for one speaker."""
    conflicts: list[dict[str, Any]] = []
    for group in groups:
        quotes = [
            q
            for q in group.quotes
            if q.direct and q.speaker and q.named and len(q.words) >= ATTRIBUTION_MIN_WORDS
        ]
        clashing = _clashing_speakers(context, quotes)
        if not clashing:
            continue
        quotes = [q for q in quotes if q.speaker in clashing]
        per_article: dict[str, set[str]] = defaultdict(set)
        for quote in quotes:
            per_article[quote.article_id].add(str(quote.speaker))
        if any(len(s) > 1 for s in per_article.values()):
            continue
        if len({context.group(q.article_id) for q in quotes}) < 2:
            continue
        values: list[dict[str, Any]] = []
        for quote in sorted(quotes, key=lambda q: (str(q.speaker), context.position[q.article_id])):
            item = context.evidence(quote.article_id, *quote.span)
            name = context.actor_names.get(str(quote.speaker), str(quote.speaker))
            values.append({"value": name, **item, "speaker": quote.speaker})
        shortest = min(quotes, key=lambda q: len(q.text))
        excerpt = shortest.text if len(shortest.text) <= 80 else shortest.text[:77].rstrip() + "…"
        conflicts.append(
            {
                "id": "C" + group.id[1:],
                "about": f"who said “{excerpt}”",
                "kind": "attribution",
                "values": values,
            }
        )
    return conflicts


def _clashing_speakers(context: StoryContext, quotes: list[Quote]) -> set[str]:
    """Speakers of verbatim-equal quotes (containment) that are surely not one another:
    both people, with different surnames ("Plus Obama" is "Barack Obama" misread), and
    neither article naming the other speaker near the quote (a quote about Grassley in
    an article on Braley's attack is Braley's, whatever a parser made of it; a
    spokesman quoted for his principal names both)."""
    found: set[str] = set()
    for i, a in enumerate(quotes):
        for b in quotes[i + 1 :]:
            if a.speaker == b.speaker or a.article_id == b.article_id:
                continue
            kinds = context.actor_kinds
            if kinds.get(str(a.speaker)) != "person" or kinds.get(str(b.speaker)) != "person":
                continue
            if not (a.joined in b.joined or b.joined in a.joined):
                continue
            name_a = _words(context.actor_names.get(str(a.speaker), ""))
            name_b = _words(context.actor_names.get(str(b.speaker), ""))
            if not name_a or not name_b or name_a[-1] == name_b[-1]:
                continue
            if _named_near(context, a, str(b.speaker)) or _named_near(context, b, str(a.speaker)):
                continue
            found.update((str(a.speaker), str(b.speaker)))
    return found


NEAR_CHARS = 400
"""How far around a quote another speaker's mention makes its attribution uncertain."""


def _named_near(context: StoryContext, quote: Quote, actor: str) -> bool:
    article = context.article(quote.article_id)
    start, end = quote.span[0] - NEAR_CHARS, quote.span[1] + NEAR_CHARS
    for mention in article.annotations.get("mentions", []):
        if start <= mention["span"][0] < end and (
            context.story_actor(quote.article_id, mention.get("actor")) == actor
        ):
            return True
    return False


def quote_items(context: StoryContext, groups: list[QuoteGroup]) -> list[dict[str, Any]]:
    """The report's quote list, grouped quotes together, in story order."""
    items: list[dict[str, Any]] = []
    order = context.position
    for group in groups:
        carried_by = sorted({context.outlet(q.article_id) for q in group.quotes})
        for quote in sorted(group.quotes, key=lambda q: (order[q.article_id], q.span)):
            evidence = context.evidence(quote.article_id, *quote.span)
            items.append(
                {
                    "speaker": quote.speaker,
                    "speaker_name": quote.speaker_name,
                    "text": evidence["text"],
                    "direct": quote.direct,
                    "article_id": quote.article_id,
                    "span": evidence["span"],
                    "outlet": evidence["outlet"],
                    "group": group.id,
                    "carried_by": carried_by,
                    "wording_differs": group.reworded,
                    "partial": quote.partial,
                    "context": evidence["context"],
                }
            )
    items.sort(
        key=lambda q: (-len(q["carried_by"]), q["group"], order[q["article_id"]], q["span"][0])
    )
    return items
