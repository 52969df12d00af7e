"""Sentence facts: the checkable sentences of a story's articles (naming a story actor or
giving a value, and saying enough), aligned across outlets by meaning.

TF-IDF over content lemmas and story actors within the story, cosine similarity from a
sparse product, then greedy average-link grouping in which a fact holds at most one
sentence per article. A pair must share content words, not only the people it names,
and make one claim (:mod:`.claims`: the same predicate, wording or quoted words, or
more than a topic word in common besides names and dates).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from parallax.compare.context import StoryContext
from parallax.compare.facts.claims import ArticleClaims, Vocabulary, one_claim, vocabulary
from parallax.compare.facts.records import Fact
from parallax.compare.facts.words import content_words, load_synonyms
from parallax.model import Article
from parallax.text import WORD

_CREDITS = re.compile(
    r"\W*(?:Reporting|Writing|Editing|Additional reporting|Compiled) by\b", re.IGNORECASE
)

SENTENCE_PAIR_MIN = 0.28
"""Cosine at which two sentences of different articles are proposed as one fact."""
SENTENCE_LINK_MIN = 0.25
"""Mean cosine between two groups of sentences for them to become one fact."""
MIN_TERMS = 4
"""A sentence with fewer content words is not a checkable statement."""
CONTENT_MIN = 0.2
"""Content-word cosine a pair of sentences needs whatever actors they share."""
SHARED_CONTENT_MIN = 2
"""Content words (not names) two sentences must share: one word and a name ("Holder said
they were starting a dialogue" / "Holder urged him to be quiet after his cousin started
mouthing off") is not one claim."""
CONTENT_WEIGHT = 0.75
"""Share of content words (vs actors) in the similarity of two sentences."""


@dataclass
class Statement:
    article_id: str
    span: tuple[int, int]
    tokens: Counter[str]
    terms: tuple[str, ...] = ()
    claims: ArticleClaims | None = None
    """Where its claim is read, when a pair asks (None: not known, words in common will
    do)."""


def statements_of(context: StoryContext) -> list[Statement]:
    """Checkable sentences: they name a story actor or carry a value, and say enough."""
    names = _name_words(context)
    synonyms = load_synonyms()
    words = vocabulary(synonyms, names)
    return [
        statement
        for source in context.sources
        for statement in _article_statements(context, source.article, names, words)
    ]


def _article_statements(
    context: StoryContext, article: Article, names: frozenset[str], words: Vocabulary
) -> list[Statement]:
    """One article's checkable sentences, their words folded by synonym and the actors
    they name as one token each (a shared name is counted once, as the actor)."""
    annotations = article.annotations
    mentions = sorted(
        (m["span"][0], context.story_actor(article.id, m.get("actor")))
        for m in annotations.get("mentions", [])
    )
    valued = sorted(s["span"][0] for s in annotations.get("slots", []))
    sentences = annotations.get("sentences") or [
        {"span": list(span), "terms": content_words(article.text[span[0] : span[1]])}
        for span in context.sentences(article.id)
    ]
    synonyms = words.synonyms
    claims = ArticleClaims(article.text, annotations, words)
    found: list[Statement] = []
    for sentence in sentences:
        span = (sentence["span"][0], sentence["span"][1])
        if len(sentence["terms"]) < MIN_TERMS:
            continue
        if _CREDITS.match(article.text, span[0]):
            continue
        actors = [a for at, a in mentions if span[0] <= at < span[1] and a]
        has_value = any(span[0] <= at < span[1] for at in valued)
        if not actors and not has_value:
            continue
        tokens: Counter[str] = Counter(
            synonyms.get(t, t) for t in sentence["terms"] if t not in names
        )
        for actor in actors:
            tokens["@" + actor] += 1
        found.append(Statement(article.id, span, tokens, tuple(sentence["terms"]), claims))
    return found


def _name_words(context: StoryContext) -> frozenset[str]:
    """Words of the story actors' names: a shared name is counted once, as the actor."""
    words: set[str] = set()
    for actor in context.actors:
        for alias in actor.aliases:
            words.update(w.lower() for w in WORD.findall(alias))
    return frozenset(words)


def sentence_facts(context: StoryContext, statements: list[Statement]) -> list[Fact]:
    """Group statements of different articles that say the same thing.

    Statements with the same words (wire copies, a reused paragraph) are one node from
    the start, so a story of many copies costs what its distinct sentences cost.
    """
    if not statements:
        return []
    nodes = _nodes(statements)
    facts: list[Fact] = []
    for node_indexes in _linked(statements, nodes):
        indexes = [k for n in node_indexes for k in nodes[n]]
        chosen = sorted(
            indexes,
            key=lambda k: (context.position[statements[k].article_id], statements[k].span),
        )
        evidence = [context.evidence(statements[k].article_id, *statements[k].span) for k in chosen]
        facts.append(Fact(evidence, "sentence"))
    return facts


def _linked(statements: list[Statement], nodes: list[list[int]]) -> list[list[int]]:
    """Nodes grouped greedily, most similar pair first: two groups join when their mean
    similarity holds up and no article is in both."""
    similarity = similarities([statements[node[0]] for node in nodes], [len(n) for n in nodes])
    order = sorted(
        (-score, i, j) for (i, j), score in similarity.items() if score >= SENTENCE_PAIR_MIN
    )
    cluster = list(range(len(nodes)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(nodes))}
    articles: dict[int, set[str]] = {
        i: {statements[k].article_id for k in node} for i, node in enumerate(nodes)
    }
    for _, i, j in order:
        ci, cj = cluster[i], cluster[j]
        if ci == cj or articles[ci] & articles[cj]:
            continue
        links = [
            similarity.get((min(x, y), max(x, y)), 0.0) for x in members[ci] for y in members[cj]
        ]
        if sum(links) / len(links) < SENTENCE_LINK_MIN:
            continue
        for x in members[cj]:
            cluster[x] = ci
        members[ci].extend(members.pop(cj))
        articles[ci] |= articles.pop(cj)
    return list(members.values())


def _nodes(statements: list[Statement]) -> list[list[int]]:
    """Statements with identical words grouped, at most one per article in a group."""
    by_words: dict[tuple[tuple[str, int], ...], list[list[int]]] = {}
    for k, statement in enumerate(statements):
        key = tuple(sorted(statement.tokens.items()))
        groups = by_words.setdefault(key, [])
        for group in groups:
            if all(statements[m].article_id != statement.article_id for m in group):
                group.append(k)
                break
        else:
            groups.append([k])
    return [group for groups in by_words.values() for group in groups]


def similarities(statements: list[Statement], weights: list[int]) -> dict[tuple[int, int], float]:
    """Similarity of pairs of statements: the cosine of their content words (TF-IDF
    within the story, each statement counted ``weights`` times) and, with less weight,
    of their actors; a pair must share content, not only the people it names ("Marr
    said ..." and "Marr told reporters ..." are two statements)."""
    content = _tfidf(statements, weights, lambda token: not token.startswith("@"))
    actors = _tfidf(statements, weights, lambda token: token.startswith("@"))
    pairs = sparse.triu(content @ content.T, k=1).tocoo()
    keep = pairs.data >= CONTENT_MIN
    rows, cols, scores = pairs.row[keep], pairs.col[keep], pairs.data[keep]
    if not len(rows):
        return {}
    present = (content > 0).astype(np.float64)
    shared_words = np.asarray(present[rows].multiply(present[cols]).sum(axis=1)).ravel()
    keep = shared_words >= SHARED_CONTENT_MIN
    rows, cols, scores = rows[keep], cols[keep], scores[keep]
    if not len(rows):
        return {}
    shared_actors = np.asarray(actors[rows].multiply(actors[cols]).sum(axis=1)).ravel()
    combined = CONTENT_WEIGHT * scores + (1 - CONTENT_WEIGHT) * shared_actors
    floor = min(SENTENCE_LINK_MIN, SENTENCE_PAIR_MIN) / 2
    keep = combined >= floor
    return {
        (i, j): score
        for i, j, score in zip(
            rows[keep].tolist(), cols[keep].tolist(), combined[keep].tolist(), strict=True
        )
        if _one_claim(statements[i], statements[j])
    }


def _one_claim(a: Statement, b: Statement) -> bool:
    if a.claims is None or b.claims is None:
        return True
    return one_claim(a.claims.claim(a.span, a.terms), b.claims.claim(b.span, b.terms))


def _tfidf(
    statements: list[Statement], weights: list[int], keep: Callable[[str], bool]
) -> sparse.csr_matrix:
    """Unit-length TF-IDF rows over the tokens ``keep`` admits; tokens in more than half
    the statements (and at least eight) say nothing about which ones agree."""
    df: Counter[str] = Counter()
    for statement, weight in zip(statements, weights, strict=True):
        for token in statement.tokens:
            if keep(token):
                df[token] += weight
    n = sum(weights)
    too_common = max(8, int(0.5 * n))
    vocabulary: dict[str, int] = {}
    rows, cols, data = [], [], []
    for r, statement in enumerate(statements):
        for token, count in statement.tokens.items():
            if not keep(token) or df[token] > too_common:
                continue
            rows.append(r)
            cols.append(vocabulary.setdefault(token, len(vocabulary)))
            data.append((1.0 + math.log(count)) * (math.log((n + 1) / (df[token] + 1)) + 1.0))
    matrix = sparse.csr_matrix(
        (data, (rows, cols)), shape=(n, max(1, len(vocabulary))), dtype=np.float64
    )
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)
