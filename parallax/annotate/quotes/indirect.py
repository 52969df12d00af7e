"""Indirect speech: what a cue verb outside quotation marks reports, from the parse.

Most of what an article attributes is not in quotation marks (*Maduro claimed that ...*,
*according to X, ...*). The content is read from the verb's dependents: its clausal
complement, its object or infinitive for the verbs where that is what was said (see
``CUE_LEXICON``), the clause around *according to X* or a trailing *X said*, the noun
phrase around a relative clause. Nouns of saying report their *that*-clause (*Trump's
claim that ...*, ``SPEECH_NOUNS``). The same content spans tell direct attribution how much
of a verb's report a quote is.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Token

from parallax.annotate.quotes.context import Context, end_of, paragraph_of
from parallax.annotate.quotes.items import quote_item
from parallax.annotate.quotes.lexicon import (
    CCOMP,
    CUE_LEXICON,
    DIRECT_COVERAGE,
    DOBJ,
    OBJECTS,
    OPRD,
    RELATIVE,
    SUBORDINATORS,
    TAKES_OBJECT,
    WRITER,
    XCOMP,
)
from parallax.annotate.quotes.speakers import Cue, cue_for, is_cue, speaker_of
from parallax.model import QuoteItem

_TRIM_LEFT = " \t\n,;:"
_TRIM_RIGHT = " \t\n,;:."


def indirect_items(ctx: Context, direct: list[QuoteItem]) -> list[QuoteItem]:
    """An item for every cue verb outside quotes whose reported content the parse shows."""
    items: list[QuoteItem] = []
    direct_spans = sorted((item["span"][0], item["span"][1]) for item in direct)
    for index in ctx.cue_candidates:
        token = ctx.doc[index]
        if ctx.quoted[index] or index in ctx.used_cues or not is_cue(token):
            continue
        content = content_span(ctx, token)
        if content is None or mostly_quoted(content, direct_spans):
            continue
        if " " not in ctx.text[content[0] : content[1]].strip():
            continue  # "blame Bush", "called for": a word is no statement
        cue = cue_for(ctx, token)
        if cue.speaker is not None and cue.speaker.lower_ in WRITER:
            continue  # "I believe": outside quotation marks, the writer's own voice
        items.append(quote_item(ctx, content[0], content[1], cue, False))
    return items + _nominal_items(ctx, direct_spans)


def _nominal_items(ctx: Context, direct_spans: list[tuple[int, int]]) -> list[QuoteItem]:
    """``Trump's claim that there have been ...``, ``the charge that ...``: a noun of
    saying with a *that*-clause reports that clause; its possessor (or the name it is
    compounded with, or *from X*) is the speaker."""
    items: list[QuoteItem] = []
    for index in ctx.speech_nouns:
        noun = ctx.doc[index]
        if ctx.quoted[index] or noun.pos_ not in ("NOUN", "PROPN"):
            continue
        clause = next((child for child in noun.rights if _that_clause(child)), None)
        if clause is None:
            continue
        content = trimmed(ctx, clause.left_edge.idx, end_of(clause.right_edge), noun.idx)
        if content is None or mostly_quoted(content, direct_spans):
            continue
        speaker = _noun_speaker(noun)
        if speaker is not None and (speaker.lower_ in WRITER or ctx.quoted[speaker.i]):
            continue
        cue = Cue(noun, (noun.idx, end_of(noun)), speaker)
        items.append(quote_item(ctx, content[0], content[1], cue, False))
    return items


def _that_clause(child: Token) -> bool:
    """A clause opened by the conjunction *that* (not the relative pronoun of *the claim
    that he made*)."""
    if child.dep_ not in ("acl", "relcl", "ccomp", "appos"):
        return False
    first = child.left_edge
    if not (first.lower_ == "that" and first.dep_ == "mark" and first.head.i == child.i):
        return False
    # "the claim that he made": a relative clause the parse took for a that-clause; its
    # transitive verb has lost its object to the noun
    transitive = child.lemma_ in TAKES_OBJECT or DOBJ in CUE_LEXICON.get(child.lemma_, ())
    return not (transitive and not any(c.dep_ in OBJECTS for c in child.children))


def _noun_speaker(noun: Token) -> Token | None:
    """Who makes the claim: *Trump's claim*, *his claim*, *Trump charges*, *warnings
    from his attorney*."""
    for child in noun.lefts:
        if child.dep_ == "poss":
            return child
    for child in noun.lefts:
        if child.dep_ == "compound" and (child.text[:1].isupper() or child.ent_type_):
            return child
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    head = noun.head
    if head.i == noun.i - 1 and head.dep_ == "ROOT" and head.text[:1].isupper():
        return head  # "Trump charges that ...", parsed as a noun phrase
    return None


def mostly_quoted(content: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """A content span that a direct item already covers is that item, not a second one."""
    start, end = content
    covered = sum(max(0, min(end, e) - max(start, s)) for s, e in spans if s < end and e > start)
    return covered >= DIRECT_COVERAGE * (end - start)


def content_span(ctx: Context, cue: Token) -> tuple[int, int] | None:
    """What ``cue`` reports, as a trimmed character span; None when the parse shows none."""
    if cue.lower_ == "according":
        return _according_content(ctx, cue)
    kinds = CUE_LEXICON.get(cue.lemma_.lower(), frozenset())
    parts = [
        child
        for child in cue.children
        if _is_content(child, kinds, cue) and child.lower_ not in RELATIVE
    ]
    if DOBJ not in kinds and any(child.lower_ in ("as", "to") for child in parts):
        # "portrayed himself as a champion", "likened RT to the BBC": the object too
        parts += [child for child in cue.children if child.dep_ == "dobj"]
    if parts:
        start = min(child.left_edge.idx for child in parts)
        end = max(end_of(child.right_edge) for child in parts)
        return trimmed(ctx, start, end, cue.idx)
    if cue.dep_ == "parataxis" and cue.head is not cue:
        return _around(ctx, cue.head, cue)
    if cue.dep_ == "relcl":
        return _relative_content(ctx, cue)
    return _tail_content(ctx, cue)


def _is_content(child: Token, kinds: frozenset[str], cue: Token) -> bool:
    """Whether ``child`` is what ``cue`` reports, by the content kinds of its lemma; the
    object of *tell* is the hearer, and so is that of *ask* when an infinitive follows."""
    dep = child.dep_
    if dep == "ccomp" and CCOMP in kinds:
        return True
    if dep == "dobj" and DOBJ in kinds:
        return not (cue.lemma_ == "tell" or (cue.lemma_ == "ask" and XCOMP in kinds))
    if dep == "xcomp" and XCOMP in kinds:
        return True
    if dep == "advcl" and cue.lemma_ in ("say", "tell"):
        return _unmarked_clause(child, cue)
    if dep == "oprd" and OPRD in kinds:
        return True
    if dep == "prep":
        word = child.lower_
        if word == "to" and cue.lemma_ == "compare" and not _has_object(cue):
            return False  # "compared to 11%" compares figures; "compared him to X" speaks
        return f"prep:{word}" in kinds
    return False


def _has_object(verb: Token) -> bool:
    """Whether ``verb`` has a direct object."""
    return any(child.dep_ == "dobj" for child in verb.children)


def _unmarked_clause(clause: Token, cue: Token) -> bool:
    """``Trump said after the convention he would not accept ...``: the parse hung the
    reported clause on *said* as an adverbial one; it is one with its own subject after
    the verb, no conjunction or *when* (*said so because ...*, *said nothing when he
    arrived* report no clause) and no object of *said* before it."""
    if clause.i < cue.i or any(child.dep_ in ("dobj", "ccomp") for child in cue.children):
        return False
    children = list(clause.children)
    if any(child.dep_ == "mark" or child.tag_ in ("WRB", "WDT") for child in children):
        return False
    return any(child.dep_ == "nsubj" and child.i < clause.i for child in children)


def _relative_content(ctx: Context, cue: Token) -> tuple[int, int] | None:
    """``a ship that Trump claimed was carrying drug traffickers``: the noun phrase and
    the clause after the cue, up to the next clause punctuation."""
    end = end_of(cue)
    for token in cue.doc[cue.i + 1 : min(len(cue.doc), cue.i + 40)]:
        if token.is_space or token.text in (",", ";", ":", ".", "(", ")") or token.is_sent_start:
            break
        end = end_of(token)
    if end == end_of(cue):
        return None
    return trimmed(ctx, cue.head.left_edge.idx, end, cue.idx)


def _according_content(ctx: Context, according: Token) -> tuple[int, int] | None:
    """``According to X, CLAUSE`` / ``CLAUSE, according to X``: the clause."""
    head = according.head
    if head.i == according.i:
        return _according_root(ctx, according)
    return _around(ctx, head, according)


def _according_root(ctx: Context, according: Token) -> tuple[int, int] | None:
    """The parse made *According to X* the root and hung the clause on X: the sentence
    after the phrase's comma (or before *according*, when it trails)."""
    sent_start, sent_end = ctx.sent_spans[ctx.sent_of[according.i]]
    if according.idx > sent_start:
        return trimmed(ctx, sent_start, according.idx, according.idx)
    for token in according.doc[according.i + 1 : min(len(according.doc), according.i + 15)]:
        if token.idx >= sent_end:
            break
        if token.text == ",":
            return trimmed(ctx, end_of(token), sent_end, according.idx)
    return None


def _around(ctx: Context, clause: Token, inner: Token) -> tuple[int, int] | None:
    """The clause of ``clause`` without the reporting phrase ``inner``: the longer side,
    or the whole clause when the phrase interrupts it (``The letter, X claimed, ...``)."""
    start, end = clause.left_edge.idx, end_of(clause.right_edge)
    inner_start, inner_end = inner.left_edge.idx, end_of(inner.right_edge)
    before = trimmed(ctx, start, inner_start, inner.idx) if inner_start > start else None
    after = trimmed(ctx, inner_end, end, inner.idx) if inner_end < end else None
    if before and after:
        return trimmed(ctx, start, end, inner.idx)
    return before or after


def _tail_content(ctx: Context, cue: Token) -> tuple[int, int] | None:
    """``CLAUSE, X said.`` when the parse did not link the clause: the sentence before."""
    subject = speaker_of(ctx, cue)
    if subject is None or subject.i >= cue.i:
        return None
    if any(child.dep_ in OBJECTS for child in cue.rights):
        return None
    left = subject.left_edge.i - 1
    if left < 1 or ctx.doc[left].text != ",":
        return None
    sent_start = ctx.sent_spans[ctx.sent_of[cue.i]][0]
    clause = ctx.doc[bisect_left(ctx.starts, sent_start) : left]
    # "On Thursday, however, Trump spoke ..." or "If he wins, ...": no reported clause
    if not any(t.pos_ in ("VERB", "AUX") for t in clause) or clause[0].lower_ in SUBORDINATORS:
        return None
    return trimmed(ctx, sent_start, ctx.doc[left].idx, cue.idx)


def trimmed(
    ctx: Context, start: int, end: int, anchor: int | None = None
) -> tuple[int, int] | None:
    """Trim spaces and clause punctuation at the edges, and keep to the paragraph of
    ``anchor`` (the cue: a parse may run on over a missing full stop); None if too little
    is left."""
    text = ctx.text
    if anchor is not None:
        p_start, p_end = ctx.para_spans[paragraph_of(ctx, anchor)]
        start, end = max(start, p_start), min(end, p_end)
    while start < end and text[start] in _TRIM_LEFT:
        start += 1
    while end > start and text[end - 1] in _TRIM_RIGHT:
        end -= 1
    if end - start < 3 or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return start, end
