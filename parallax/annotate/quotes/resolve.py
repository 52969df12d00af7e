"""Speaker to actor: which of the article's actors a speaker phrase means.

A speaker is often not a name: *he*, *the president*, *the letter*. Items carry actor
ids so that a story can compare what each actor said across articles; these rules follow
a pronoun or a role noun back to the person last in view, and a document to its author.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Token

from parallax.annotate.quotes.context import Context, end_of, paragraph_of, token_at
from parallax.annotate.quotes.lexicon import (
    AUTHOR_VERBS,
    CARRY_PARAGRAPHS,
    DOC_NOUNS,
    NAME_MODIFIERS,
    PRONOUNS_PERSON,
    ROLE_NOUNS,
    SUBJECT_PARAGRAPHS,
)
from parallax.annotate.quotes.speakers import speaker_of, speaker_phrase


def resolve(ctx: Context, speaker: Token) -> str | None:
    """The actor id for a speaker phrase, or None when no actor is meant or known."""
    word = speaker.lower_
    if word in PRONOUNS_PERSON:
        return _antecedent(ctx, speaker.idx)
    found = mention_over(ctx, speaker.idx, end_of(speaker))
    if found is not None:
        return found
    for dep in NAME_MODIFIERS:
        for child in speaker.children:
            if child.dep_ == dep:
                found = mention_over(ctx, child.left_edge.idx, end_of(child.right_edge))
                if found is not None:
                    return found
    lemma = speaker.lemma_.lower()
    definite = any(child.lower_ in ("the", "this", "that") for child in speaker.lefts)
    if lemma in DOC_NOUNS:
        return _author(ctx, speaker.idx)
    if lemma in ROLE_NOUNS and definite:
        return _antecedent(ctx, speaker.idx)
    for child in speaker.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for"):
            found = mention_over(ctx, child.idx, end_of(child.right_edge))
            if found is not None:
                return found
    return None


def mention_over(ctx: Context, start: int, end: int) -> str | None:
    """The actor of the last mention overlapping ``[start, end)``."""
    index = bisect_left(ctx.mention_starts, end) - 1
    while index >= 0:
        mention = ctx.mentions[index]
        if mention.end > start:
            return mention.actor
        if mention.start < start - 200:
            break
        index -= 1
    return None


def _antecedent(ctx: Context, position: int) -> str | None:
    """The most recent person mention before ``position`` outside quotation marks that is
    a grammatical subject (the centre of attention) within :data:`SUBJECT_PARAGRAPHS`;
    else the most recent person mention within :data:`CARRY_PARAGRAPHS`."""
    index = bisect_left(ctx.mention_starts, position) - 1
    paragraph = paragraph_of(ctx, position)
    fallback: str | None = None
    while index >= 0:
        mention = ctx.mentions[index]
        index -= 1
        distance = paragraph - paragraph_of(ctx, mention.start)
        if distance > SUBJECT_PARAGRAPHS:
            break
        if not mention.person or _in_quote(ctx, mention.start):
            continue
        if mention.subject:
            return mention.actor
        if fallback is None and distance <= CARRY_PARAGRAPHS:
            fallback = mention.actor
    return fallback


def _in_quote(ctx: Context, char: int) -> bool:
    """Inside quotation marks: a name there is in the quoted words, not a referent of the
    article's own pronouns."""
    token = token_at(ctx, char)
    return token is not None and bool(ctx.quoted[token.i])


def document_authors(ctx: Context) -> list[tuple[int, Token]]:
    """(position, author token) for every document someone is said to write or send:
    ``Maduro sent a letter``, ``Maduro's letter``."""
    authors: list[tuple[int, Token]] = []
    for index in ctx.doc_nouns:
        token = ctx.doc[index]
        if token.pos_ != "NOUN":
            continue
        owner = next((child for child in token.children if child.dep_ == "poss"), None)
        if owner is None and token.dep_ == "dobj" and token.head.lemma_ in AUTHOR_VERBS:
            owner = speaker_of(ctx, token.head)
        if owner is not None:
            authors.append((token.idx, owner))
    return authors


def _author(ctx: Context, position: int) -> str | None:
    """The author of the latest document written or sent before ``position``."""
    for place, owner in reversed(ctx.authors):
        if place >= position:
            continue
        if owner.lower_ in PRONOUNS_PERSON:
            return _antecedent(ctx, owner.idx)
        s, e = speaker_phrase(ctx, owner)
        return mention_over(ctx, owner.idx, end_of(owner)) or mention_over(ctx, s, e)
    return None
