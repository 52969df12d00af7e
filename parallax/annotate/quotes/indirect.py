"""Indirect speech: what a cue verb outside quotation marks reports, from the parse.

Most of what an article attributes is not in quotation marks (*Maduro claimed that ...*,
*according to X, ...*). The content is read from the verb's dependents: its clausal
complement, its object or infinitive for the verbs where that is what was said (see
``CUE_LEXICON``), the clause around *according to X* or a trailing *X said*, the noun
phrase around a relative clause. The same content spans tell direct attribution how much
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
    WRITER,
    XCOMP,
)
from parallax.annotate.quotes.speakers import cue_for, is_cue, speaker_of
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
    return items


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
    if dep == "oprd" and OPRD in kinds:
        return True
    if dep == "prep":
        word = child.lower_
        return f"prep:{word}" in kinds
    return False


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
    if head is according:
        return None
    return _around(ctx, head, according)


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
