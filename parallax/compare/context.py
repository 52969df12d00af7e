"""What every part of the comparison needs to know about a story: its articles, outlets,
independence groups and story actors, and how to cut evidence out of an article.

Built once per story (:func:`story_context`), then read by facts, quotes, timeline and
framing. Evidence is always cut from the stored text here, so every item of a report
satisfies ``text == article_text[start:end]`` by construction.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from parallax.model import Article, StoryActor
from parallax.text import sentence_spans
from parallax.text.outlets import known_outlet, outlet_key

CONTEXT_CHARS = 160
"""At most this many characters of the sentence around an evidence span, each side."""


@dataclass(frozen=True)
class Source:
    """One article of a story, with its independence group (the id of the group's
    earliest article: wire copies and relays share their origin's group)."""

    article: Article
    group: str
    relays: str | None = None


@dataclass
class StoryContext:
    """A story's articles and actors, indexed for the comparison."""

    story_id: str
    sources: list[Source]
    actors: list[StoryActor]
    by_id: dict[str, Source] = field(default_factory=dict)
    actor_of: dict[tuple[str, str], str] = field(default_factory=dict)
    """(article id, the article's actor id) -> story actor id."""
    actor_names: dict[str, str] = field(default_factory=dict)
    actor_kinds: dict[str, str] = field(default_factory=dict)
    outlet_names: dict[str, str] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)
    """article id -> its place in story order (publication time, then id)."""
    _sentences: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def article(self, article_id: str) -> Article:
        return self.by_id[article_id].article

    def group(self, article_id: str) -> str:
        return self.by_id[article_id].group

    def outlet(self, article_id: str) -> str:
        """The outlet as shown: one spelling per outlet within the story ("Meridian Wire",
        not also "meridianwire.example" for the articles a crawler gave by domain)."""
        return self.outlet_names.get(article_id) or outlet_name(self.article(article_id))

    def story_actor(self, article_id: str, actor: str | None) -> str | None:
        if actor is None:
            return None
        return self.actor_of.get((article_id, actor))

    def sentences(self, article_id: str) -> list[tuple[int, int]]:
        """Sentence spans of an article, from annotation (or split here when the
        annotation predates sentences)."""
        found = self._sentences.get(article_id)
        if found is None:
            article = self.article(article_id)
            stored = article.annotations.get("sentences") or []
            found = [(s["span"][0], s["span"][1]) for s in stored] or split_sentences(article.text)
            self._sentences[article_id] = found
        return found

    def sentence_at(self, article_id: str, start: int, end: int) -> tuple[int, int]:
        """The sentence around ``[start, end)`` (stretched to cover it), or the span itself."""
        spans = self.sentences(article_id)
        i = bisect.bisect_right(spans, (start, 1 << 60)) - 1
        if 0 <= i < len(spans) and spans[i][0] <= start < spans[i][1]:
            return spans[i][0], max(end, spans[i][1])
        return start, end

    def evidence(self, article_id: str, start: int, end: int) -> dict[str, Any]:
        """An evidence item for ``[start, end)``: text, span, outlet and sentence context."""
        text = self.article(article_id).text
        start, end = max(0, start), min(len(text), end)
        s_start, s_end = self.sentence_at(article_id, start, end)
        before = text[max(s_start, start - CONTEXT_CHARS) : start]
        after = text[end : min(s_end, end + CONTEXT_CHARS)]
        return {
            "article_id": article_id,
            "text": text[start:end],
            "span": [start, end],
            "outlet": self.outlet(article_id),
            "context": {"before": before, "after": after},
        }


def story_order(sources: Sequence[Source]) -> list[Source]:
    """A story's sources in the order the comparison reads them: by publication time,
    then id. Story actors are linked in this order, so their ids are stable."""
    return sorted(sources, key=lambda s: (s.article.published_at or "", s.article.id))


def story_context(
    story_id: str,
    sources: Sequence[Source],
    actors: Sequence[StoryActor],
    outlets: Sequence[str] = (),
) -> StoryContext:
    """Index a story's sources: by id, story actors and the article-actor map.
    ``actors``: the story's actors linked across its articles (by the stories stage);
    ``outlets``: other spellings of outlet names known (the store's), to show one name
    per outlet."""
    ordered = story_order(sources)
    context = StoryContext(story_id, ordered, list(actors))
    context.by_id = {s.article.id: s for s in ordered}
    context.position = {s.article.id: i for i, s in enumerate(ordered)}
    context.outlet_names = _outlet_names([s.article for s in ordered], outlets)
    for actor in actors:
        context.actor_names[actor.id] = actor.name
        context.actor_kinds[actor.id] = actor.kind
        for article_id, local in actor.article_ids.items():
            context.actor_of[(article_id, local)] = actor.id
    return context


def _outlet_names(articles: Sequence[Article], known: Sequence[str] = ()) -> dict[str, str]:
    """article id -> the outlet's display name: spellings of one outlet (same
    :func:`outlet_key`) shown as the most used name that is not a bare domain."""
    spellings: dict[str, Counter[str]] = {}
    for article in articles:
        name = outlet_name(article)
        spellings.setdefault(outlet_key(name) or name, Counter())[name] += 1
    for name in known:
        if outlet_key(name) in spellings:
            spellings[outlet_key(name)][name] += 0
    best = {
        key: _table_name(names) or max(names, key=lambda n: (" " in n or "." not in n, names[n], n))
        for key, names in spellings.items()
    }
    return {a.id: best[outlet_key(outlet_name(a)) or outlet_name(a)] for a in articles}


def _table_name(names: Counter[str]) -> str | None:
    """The outlet table's name for these spellings, when the table knows the outlet."""
    found = next((known_outlet(name) for name in names if known_outlet(name)), None)
    return found.name if found else None


def outlet_name(article: Article) -> str:
    """The outlet as shown: its name, else the url's host, else the file it came from."""
    if article.outlet:
        return article.outlet
    if article.url:
        try:
            host = urlsplit(article.url).hostname
        except ValueError:  # a url the input gave that cannot be split (``http://[::1``)
            host = None
        if host:
            return host.removeprefix("www.")
    return f"unknown ({PurePath(article.source).name or article.source})"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans without a parse: a fallback for annotations made before sentences
    were stored."""
    return sentence_spans(text)
