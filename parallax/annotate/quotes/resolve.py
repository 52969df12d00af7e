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
    RELATION_ROLES,
    ROLE_NOUNS,
    SUBJECT_PARAGRAPHS,
)
from parallax.annotate.quotes.names import PRONOUN_GENDER, ROLE_GENDER, ROLE_TITLES
from parallax.annotate.quotes.speakers import speaker_of, speaker_phrase


def resolve(ctx: Context, speaker: Token) -> str | None:
    """The actor id for a speaker phrase, or None when no actor is meant or known."""
    word = speaker.lower_
    if word in PRONOUNS_PERSON:
        return _antecedent(ctx, speaker.idx, PRONOUN_GENDER[word])
    found = mention_over(ctx, speaker.idx, end_of(speaker))
    if found is not None:
        return found
    lemma = speaker.lemma_.lower()
    if lemma in ROLE_NOUNS:
        return _role(ctx, speaker, lemma)
    found = _name_modifier(ctx, speaker)
    if found is not None:
        return found
    if lemma in DOC_NOUNS:
        return _author(ctx, speaker.idx)
    return _of_phrase(ctx, speaker)


def _name_modifier(ctx: Context, speaker: Token) -> str | None:
    """The actor a name-like modifier of the speaker's head names (*U.S. authorities*,
    *the president, Trump*)."""
    for dep in NAME_MODIFIERS:
        for child in speaker.children:
            if child.dep_ == dep:
                found = mention_over(ctx, child.left_edge.idx, end_of(child.right_edge))
                if found is not None:
                    return found
    return None


def _role(ctx: Context, speaker: Token, lemma: str) -> str | None:
    """A role noun as speaker. A name beside a title is its holder (*the president,
    Trump*); a place or party names the side that speaks (*Venezuela's ruler*), but not
    in a definite description of a person (*the Indiana governor*, *the GOP nominee*).
    A role held for someone (:data:`RELATION_ROLES`) speaks for an organisation (*a
    spokesperson for the ministry*), never as a person it serves (*a Clinton spokesman*,
    *Trump's lawyer*: not Clinton's or Trump's own words). A definite title means the
    person the article last gave it (*President Obama* ... *the president*), else the
    person last in view."""
    if lemma in RELATION_ROLES:
        principal = _name_modifier(ctx, speaker) or _of_phrase(ctx, speaker)
        return principal if principal is not None and not _is_person(ctx, principal) else None
    found = _name_modifier(ctx, speaker)
    if found is not None and _is_person(ctx, found):
        return found
    lefts = list(speaker.lefts)
    if not any(child.lower_ in ("the", "this", "that") for child in lefts):
        return found  # "Venezuela's ruler": the side that speaks
    gender = ROLE_GENDER.get(lemma)
    if len(lefts) > 1:  # "the Democratic nominee": which nominee, the context says
        return _antecedent(ctx, speaker.idx, gender)
    role = ROLE_TITLES.get(lemma, lemma)
    return _role_holder(ctx, role, speaker.idx) or _antecedent(ctx, speaker.idx, gender)


def _of_phrase(ctx: Context, speaker: Token) -> str | None:
    """The actor of an *of* or *for* phrase after the speaker (*the head of the agency*)."""
    for child in speaker.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for"):
            found = mention_over(ctx, child.idx, end_of(child.right_edge))
            if found is not None:
                return found
    return None


def _is_person(ctx: Context, actor: str) -> bool:
    """Whether any mention of ``actor`` is a person's."""
    return any(mention.person for mention in ctx.mentions if mention.actor == actor)


def _role_holder(ctx: Context, role: str, position: int) -> str | None:
    """The person of the latest mention before ``position`` given ``role`` outside
    quotation marks."""
    index = bisect_left(ctx.mention_starts, position) - 1
    while index >= 0:
        mention = ctx.mentions[index]
        index -= 1
        if mention.person and role in mention.roles and not _in_quote(ctx, mention.start):
            return mention.actor
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


def _antecedent(ctx: Context, position: int, gender: str | None = None) -> str | None:
    """The most recent person mention before ``position`` outside quotation marks that is
    a grammatical subject (the centre of attention) within :data:`SUBJECT_PARAGRAPHS`;
    else the most recent person mention within :data:`CARRY_PARAGRAPHS`. A person whose
    gender the article shows otherwise than ``gender`` is passed over (*she* after
    *Ivanka Trump ... Jason Miller said*)."""
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
        if gender is not None and mention.gender not in (None, gender):
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
            return _antecedent(ctx, owner.idx, PRONOUN_GENDER[owner.lower_])
        s, e = speaker_phrase(ctx, owner)
        return mention_over(ctx, owner.idx, end_of(owner)) or mention_over(ctx, s, e)
    return None
