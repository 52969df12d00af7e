"""Cues and speakers: the verb that reports, and who it says is speaking.

Direct quotes, frames and indirect statements all end in the same question (which verb
is the cue, whose subject is the speaker, how far the speaker's name goes), so the
answer is one set of rules over the parse, kept here.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from spacy.tokens import Token

from parallax.annotate.quotes.context import Context, end_of, paragraph_of
from parallax.annotate.quotes.lexicon import (
    CUE_LEXICON,
    DOC_NOUNS,
    FINITE,
    INHERIT_SUBJECT,
    MISREAD_LEMMAS,
    RELATIVE,
    RELATIVE_SUBJECTS,
    ROLE_NOUNS,
    SUBJECTS,
)


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue found for an attribution: the verb (or *according*), its text span, speaker."""

    token: Token | None
    span: tuple[int, int] | None
    speaker: Token | None
    speaker_span: tuple[int, int] | None = None  # when not the speaker token's phrase


def is_cue(token: Token) -> bool:
    """A verb of the cue lexicon used as a verb (*to report*, not *the report*), or
    *according* with its *to*."""
    if token.lower_ == "according":
        return any(child.lower_ == "to" for child in token.children)
    return token.pos_ in ("VERB", "AUX") and cue_lemma(token) in CUE_LEXICON


def cue_lemma(token: Token) -> str:
    """The lemma of a cue verb, with the lemmatiser's known slips mended (*hoped*)."""
    return MISREAD_LEMMAS.get(token.lower_) or token.lemma_.lower()


def according_child(token: Token) -> Token | None:
    """The *according (to X)* phrase attached to a clause, if any."""
    for child in token.children:
        if child.lower_ == "according" and is_cue(child):
            return child
    return None


def cue_for(ctx: Context, token: Token) -> Cue:
    """The cue of a verb (or *according to X*) with its speaker, as the parse gives it."""
    if token.lower_ == "according":
        to = next(child for child in token.children if child.lower_ == "to")
        return Cue(token, (token.idx, end_of(to)), _cue_for_according(token))
    return Cue(token, cue_span(token), speaker_of(ctx, token))


def _cue_for_according(according: Token) -> Token | None:
    """X in *according to X*."""
    to = next((child for child in according.children if child.lower_ == "to"), None)
    if to is None:
        return None
    return next((child for child in to.children if child.dep_ == "pobj"), None)


def cue_span(verb: Token) -> tuple[int, int]:
    """The verb, with a particle right after it (*pointed out*)."""
    end = end_of(verb)
    following = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    if following is not None and following.dep_ == "prt" and following.head is verb:
        end = end_of(following)
    return verb.idx, end


def speaker_of(ctx: Context, verb: Token) -> Token | None:
    """Who says: the subject, the agent of a passive, inherited through coordination and
    participles, or the noun a participle or relative clause hangs on; when the parse
    puts it in another paragraph (a heading ran into the sentence), the subject in the
    verb's own paragraph or the name just before the verb; and that name too when the
    parse left a finite verb without a subject."""
    found = _parsed_speaker(verb)
    if found is None:
        return _lost_subject(verb)
    if _same_paragraph(ctx, found, verb):
        return found
    for other in found.head.children:  # two subjects, one from the paragraph before
        if other.dep_ in SUBJECTS and other is not found and _same_paragraph(ctx, other, verb):
            return other
    # "7 p.m. ¶ Donald Trump is questioning ..., encouraging ...": the name before the
    # verb, or before the clause whose subject the parse took from the heading
    local = _local_subject(verb)
    if local is None and _same_paragraph(ctx, found.head, verb):
        local = _local_subject(found.head)
    return local


def _lost_subject(verb: Token) -> Token | None:
    """``..., Obama and Clinton call them “lone wolves” and describe ...``: a finite verb
    (or the first of coordinated ones) has a subject, and when the parse gave it to the
    phrase before, it is the name right before the verb."""
    first = verb
    while first.dep_ == "conj" and first.head.i < first.i:
        first = first.head
    return _local_subject(first) if first.tag_ in FINITE else None


def _same_paragraph(ctx: Context, one: Token, other: Token) -> bool:
    """Whether two tokens share a paragraph (a parse may link across a missing full stop)."""
    return paragraph_of(ctx, one.idx) == paragraph_of(ctx, other.idx)


def _local_subject(verb: Token) -> Token | None:
    """The noun right before ``verb`` in its paragraph (adverbs and auxiliaries skipped)."""
    index = verb.i - 1
    while index >= 0:
        token = verb.doc[index]
        if token.is_space or "\n" in token.text:
            return None
        if token.pos_ in ("PROPN", "NOUN", "PRON"):
            return token
        if token.pos_ not in ("ADV", "AUX", "PART"):
            return None
        index -= 1
    return None


def _parsed_speaker(verb: Token) -> Token | None:
    """The speaker the parse gives ``verb``: that of its own clause, else that of the
    clause it shares a subject with, at most four clauses up."""
    token: Token | None = verb
    for _ in range(4):
        if token is None:
            return None
        decided, speaker = _own_speaker(token, inherited=token is not verb)
        if decided:
            return speaker
        token = _shares_subject_with(token)
    return None


def _own_speaker(token: Token, inherited: bool) -> tuple[bool, Token | None]:
    """Whether the clause of ``token`` settles who speaks (a subject, an agent, a noun it
    describes; or a passive without agent: nobody), and who."""
    # A clause the cue is coordinated with may carry its own source: in "According
    # to Maduro, X were destroyed, and further claimed that ...", Maduro claims.
    according = according_child(token) if inherited else None
    if according is not None:
        return True, _cue_for_according(according)
    subjects = [child for child in token.children if child.dep_ in SUBJECTS]
    named = [child for child in subjects if child.lower_ not in RELATIVE]
    if named and inherited and token.lemma_ == "be" and named[0].lower_ in ("it", "there"):
        return True, None  # "it is too early to discuss": nobody the infinitive names
    if named:
        return True, named[0]
    if subjects:
        return True, token.head if token.dep_ == "relcl" else None
    passive = next((child for child in token.children if child.dep_ == "nsubjpass"), None)
    if inherited and passive is not None and passive.lower_ not in RELATIVE:
        return True, passive  # "After saying ..., she was whisked off": she said it
    for child in token.children:
        if child.dep_ == "agent":
            return True, next((c for c in child.children if c.dep_ == "pobj"), None)
    if passive is not None:
        return True, None
    if token.dep_ == "acl" and _can_speak(token.head):
        return True, token.head
    return False, None


def _shares_subject_with(token: Token) -> Token | None:
    """The clause whose speaker a clause without one takes (the head of a conjunct, the
    verb above a participle); None when it takes nobody's."""
    if token.dep_ in ("acl", "pcomp") and token.tag_ in ("VBG", "VBN"):
        # "..., encouraging his supporters" hung on an object; "by saying": the
        # participle shares the subject of the nearest verb above it
        return _verb_above(token)
    if token.dep_ not in INHERIT_SUBJECT or token.head is token:
        return None
    if token.dep_ == "ccomp" and token.tag_ != "VBG":
        return None
    return token.head


def _verb_above(token: Token) -> Token | None:
    """The nearest verb among the ancestors of ``token`` (at most four steps up)."""
    for ancestor in itertools.islice(token.ancestors, 4):
        if ancestor.pos_ in ("VERB", "AUX"):
            return ancestor
    return None


def _can_speak(noun: Token) -> bool:
    """A noun a participle can make a speaker of (*a letter claiming*, *Trump, saying*);
    not *an event, called upon farmers*."""
    lemma = noun.lemma_.lower()
    return noun.pos_ in ("PROPN", "PRON") or lemma in DOC_NOUNS or lemma in ROLE_NOUNS


def relative_subject(speaker: Token, cue: Token) -> Token | None:
    """The relative pronoun through which ``speaker`` is the subject of ``cue`` (*an
    architect who said*, *the Saudi government, which has denied*, *a super PAC that
    intends*): the subject of the relative clause on ``speaker`` that holds the cue."""
    for clause in speaker.rights:
        if clause.dep_ != "relcl" or not clause.left_edge.i <= cue.i <= clause.right_edge.i:
            continue
        for child in clause.children:
            if child.dep_ in RELATIVE_SUBJECTS and child.lower_ in RELATIVE:
                return child
    return None


def speaker_phrase(ctx: Context, speaker: Token) -> tuple[int, int]:
    """The speaker's noun phrase: modifiers before the head, coordinated names and *of*
    phrases after it, never its relative clauses or appositions."""
    left = speaker.left_edge
    while left.i < speaker.i and (left.is_space or left.is_punct or "\n" in left.text):
        left = left.nbor(1)
    start = left.idx
    newline = ctx.text.rfind("\n", start, speaker.idx)
    if newline >= 0:
        start = next(t.idx for t in speaker.doc[left.i : speaker.i + 1] if t.idx > newline)
    end = end_of(speaker)
    for child in speaker.rights:
        if not _part_of_name(speaker, child):
            break
        end = max(end, end_of(child.right_edge))
    return start, end


def _part_of_name(speaker: Token, child: Token) -> bool:
    """``Maduro and members of his regime``, ``ruler Nicolas Maduro``, ``a spokesperson
    for the ministry``: yes; ``, who ...`` or ``, a former official``: no (the gold
    standard and the reader stop there)."""
    dep = child.dep_
    if dep in ("conj", "cc", "compound", "flat"):
        return True
    if dep == "prep":  # "a spokesman for the ministry": the role's organisation too
        return child.lower_ == "of" or (
            child.lower_ == "for" and speaker.lemma_.lower() in ROLE_NOUNS
        )
    return dep == "appos" and child.left_edge.i == speaker.i + 1
