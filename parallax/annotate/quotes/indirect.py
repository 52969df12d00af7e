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

import itertools
from bisect import bisect_left
from collections.abc import Iterator

from spacy.tokens import Token

from parallax.annotate.quotes.context import Context, end_of, paragraph_of
from parallax.annotate.quotes.items import quote_item
from parallax.annotate.quotes.lexicon import (
    CCOMP,
    COLON_CHARS,
    COLON_TOKENS,
    CUE_LEXICON,
    DIRECT_COVERAGE,
    DOBJ,
    EVIDENCE_NOUNS,
    EVIDENCE_VERBS,
    LIGHT_VERBS,
    OBJECTS,
    OPRD,
    QUESTION_WORDS,
    RELATIVE,
    REPORTER_STEPS,
    SPEECH_NOUNS,
    SUBJECTS,
    SUBORDINATORS,
    TAKES_OBJECT,
    WRITER,
    XCOMP,
)
from parallax.annotate.quotes.speakers import (
    Cue,
    cue_for,
    cue_lemma,
    cue_span,
    is_cue,
    speaker_of,
)
from parallax.model import QuoteItem
from parallax.text.quotes import MARK_CHARS

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
        cue = reported_by(ctx, cue_for(ctx, token))
        if cue.speaker is not None and cue.speaker.lower_ in WRITER:
            continue  # "I believe": outside quotation marks, the writer's own voice
        items.append(quote_item(ctx, content[0], content[1], cue, False))
    return items + _nominal_items(ctx, direct_spans) + _object_items(ctx, direct_spans)


def reported_by(ctx: Context, cue: Cue) -> Cue:
    """A cue inside what another speaker reports speaks for that reporter: the article
    has only the reporter's word for it. *Stein said she plans to join* and *His aides
    say it is too early to discuss* are Stein's and the aides' words whoever the pronoun
    means; *Trump said Clinton once described the deal as ...* is Trump's claim about
    Clinton, not her words; *Lynch said she was asked to ...* is Lynch's account.
    PolNeAR gives such nested reports to the outer source too. A relative clause with
    a subject of its own (*which state media claimed ...*) names its source on purpose
    and keeps it."""
    if cue.token is None or _own_relative_source(cue.token):
        return cue
    reporter = _reporter(ctx, cue.token)
    return cue if reporter is None else Cue(cue.token, cue.span, reporter)


def _own_relative_source(token: Token) -> bool:
    """A cue in a relative clause whose subject is a noun of its own (not the relative
    pronoun, and not a pronoun that may mean the reporter: *the ones he refused to
    answer*)."""
    if token.dep_ != "relcl":
        return False
    return any(c.dep_ in SUBJECTS and c.pos_ in ("NOUN", "PROPN") for c in token.children)


def _reporter(ctx: Context, token: Token) -> Token | None:
    """The speaker of the nearest cue above ``token`` in its sentence whose reported
    content holds it: an ancestor (*said he decided*), or a reporting phrase the parse
    hung on one (*Back in Virginia, Mr. Clarke said, he decided ...*; *According to
    Yahoo News, Clinton's spokesman said ...*)."""
    sentence = ctx.sent_of[token.i]
    for outer in _outer_cues(token):
        if ctx.quoted[outer.i] or ctx.sent_of[outer.i] != sentence or not is_cue(outer):
            continue
        content = content_span(ctx, outer)
        if content is None or not content[0] <= token.idx < content[1]:
            continue
        reporter = cue_for(ctx, outer).speaker
        if reporter is not None and not ctx.quoted[reporter.i]:
            return reporter
    return None


def _outer_cues(token: Token) -> Iterator[Token]:
    """The words that may report ``token``'s clause, nearest first: each ancestor, after
    the reporting phrases the parse hung on the clause below it (a parenthetical *X
    said*, *according to X*)."""
    below = token
    for outer in itertools.islice(token.ancestors, REPORTER_STEPS):
        yield from _reporting_phrases(below)
        yield outer
        below = outer
    yield from _reporting_phrases(below)


def _reporting_phrases(clause: Token) -> Iterator[Token]:
    """A parenthetical cue (``parataxis``) or *according* attached to ``clause``."""
    for child in clause.children:
        if child.dep_ == "parataxis" or child.lower_ == "according":
            yield child


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
        cue = _verb_of_noun(ctx, noun) or Cue(noun, (noun.idx, end_of(noun)), _noun_speaker(noun))
        speaker = cue.speaker
        if speaker is not None and (speaker.lower_ in WRITER or ctx.quoted[speaker.i]):
            continue
        items.append(quote_item(ctx, content[0], content[1], cue, False))
    return items


def _object_items(ctx: Context, direct_spans: list[tuple[int, int]]) -> list[QuoteItem]:
    """``He offered no proof that Clinton had a role``, ``raised questions about his
    health``: a light verb delivering a noun of something said reports that noun's
    phrase; the verb is the cue and its subject the speaker."""
    items: list[QuoteItem] = []
    for index in ctx.speech_objects:
        noun = ctx.doc[index]
        verb = noun.head
        if noun.dep_ != "dobj" or verb.lemma_.lower() not in LIGHT_VERBS:
            continue
        if ctx.quoted[index] or ctx.quoted[verb.i] or not _says_something(noun):
            continue
        content = trimmed(ctx, noun.left_edge.idx, end_of(noun.right_edge), noun.idx)
        if content is None or mostly_quoted(content, direct_spans):
            continue
        if " " not in ctx.text[content[0] : content[1]].strip():
            continue  # "offered advice": a word is no statement
        cue = reported_by(ctx, Cue(verb, cue_span(verb), speaker_of(ctx, verb)))
        if cue.speaker is not None and cue.speaker.lower_ in WRITER:
            continue
        items.append(quote_item(ctx, content[0], content[1], cue, False))
    return items


def _says_something(noun: Token) -> bool:
    """The noun's phrase goes on to what was said (*questions about his health*, *proof
    that ...*); *made the comments*, *an improbable remark* only refer to it. A noun of
    saying with a *that*-clause is an item of its own already."""
    if noun.lemma_.lower() in SPEECH_NOUNS and any(_that_clause(c) for c in noun.rights):
        return False
    return any(c.dep_ in ("prep", "acl", "relcl", "ccomp") for c in noun.rights)


def _verb_of_noun(ctx: Context, noun: Token) -> Cue | None:
    """``conceded in a statement that ...``: the parse hung the clause on the noun, but
    the verb of saying the noun's phrase belongs to is the cue, its subject the speaker."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in ("in", "with"):
        return None
    verb = prep.head
    if ctx.quoted[verb.i] or not is_cue(verb) or verb.i in ctx.used_cues:
        return None
    return cue_for(ctx, verb)


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
    """What ``cue`` reports, as a trimmed character span; None when the parse shows none.
    Computed once per cue: items, coverage and reporters all ask."""
    if cue.i not in ctx.contents:
        ctx.contents[cue.i] = _content_span(ctx, cue)
    return ctx.contents[cue.i]


def _content_span(ctx: Context, cue: Token) -> tuple[int, int] | None:
    """:func:`content_span`, computed."""
    if cue.lower_ == "according":
        return _according_content(ctx, cue)
    colon = _colon_content(ctx, cue)
    if colon is not None:
        return colon
    kinds = CUE_LEXICON.get(cue_lemma(cue), frozenset())
    parts = [
        child
        for child in cue.children
        if _is_content(child, kinds, cue) and child.lower_ not in RELATIVE
    ]
    if not parts and CCOMP in kinds:
        parts = _clause_on_object(cue)
    if DOBJ not in kinds and any(child.lower_ in ("as", "to", "with") for child in parts):
        # "portrayed himself as a champion", "likened RT to the BBC", "threatened
        # Venezuela with ...": the object too
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


def _clause_on_object(cue: Token) -> list[Token]:
    """``he told a meeting of leaders that few people understood ...``: the parse hung
    the reported clause on the hearer; it is still what the cue reports."""
    for child in cue.children:
        if child.dep_ in ("dobj", "dative"):
            for part in child.subtree:
                if part.i > child.i and _that_clause(part):
                    return [part]
    return []


def _colon_content(ctx: Context, cue: Token) -> tuple[int, int] | None:
    """``The governor added: It's typical of her. She knows nothing.``: a cue and its
    colon introduce the rest of the paragraph, or the next paragraph when the colon
    ends this one; a quotation after the colon is a direct item's, not this."""
    after = end_of(cue)
    if ":" not in ctx.text[after : after + COLON_CHARS]:
        return None  # most cues: no colon near, no tokens to walk
    colon = _colon_after(cue)
    if colon is None:
        return None
    text = ctx.text
    paragraph = paragraph_of(ctx, colon.idx)
    start, end = end_of(colon), ctx.para_spans[paragraph][1]
    if not text[start:end].strip() and paragraph + 1 < len(ctx.para_spans):
        start, end = ctx.para_spans[paragraph + 1]
    if text[start:end].lstrip()[:1] in MARK_CHARS:
        return None
    return trimmed(ctx, start, end)


def _colon_after(cue: Token) -> Token | None:
    """The colon right after a cue and its own words (*told reporters:*, *said Monday:*)."""
    doc = cue.doc
    for token in doc[cue.i + 1 : min(len(doc), cue.i + COLON_TOKENS)]:
        if token.text == ":":
            return token
        if token.is_punct or token.is_space or token.head.i != cue.i:
            return None
        if token.dep_ in ("ccomp", "dobj", "xcomp", "conj"):
            return None
    return None


def _is_content(child: Token, kinds: frozenset[str], cue: Token) -> bool:
    """Whether ``child`` is what ``cue`` reports, by the content kinds of its lemma; the
    object of *tell* is the hearer, and so is that of *ask* when an infinitive follows."""
    dep = child.dep_
    if dep == "ccomp" and CCOMP in kinds:
        return True
    if dep == "dobj" and DOBJ in kinds:
        return not (cue.lemma_ == "tell" or (cue.lemma_ == "ask" and XCOMP in kinds))
    if dep == "dobj" and cue_lemma(cue) in EVIDENCE_VERBS:
        return _evidence_source(cue)
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


def _evidence_source(verb: Token) -> bool:
    """*Polls show a close contest*, *a study found 31 incidents*, *polls showing Trump
    ahead*: a finding is attributed content when a poll, study or record finds it (not
    *the president showed restraint*)."""
    source = next((child for child in verb.children if child.dep_ == "nsubj"), None)
    if source is None and verb.dep_ == "acl":
        source = verb.head
    if source is None:
        return False
    return source.lemma_.lower() in EVIDENCE_NOUNS


def _has_object(verb: Token) -> bool:
    """Whether ``verb`` has a direct object."""
    return any(child.dep_ == "dobj" for child in verb.children)


def _unmarked_clause(clause: Token, cue: Token) -> bool:
    """``Trump said after the convention he would not accept ...``: the parse hung the
    reported clause on *said* as an adverbial one; it is one with its own subject after
    the verb, no conjunction or *when* (*said so because ...*, *said nothing when he
    arrived* report no clause) and no object of *said* before it. A question word right
    after the verb opens a reported question (*have not said when they would act*)."""
    if clause.i < cue.i or any(child.dep_ in ("dobj", "ccomp") for child in cue.children):
        return False
    children = list(clause.children)
    asks = clause.left_edge.i == cue.i + 1 and clause.left_edge.lower_ in QUESTION_WORDS
    if not asks and any(c.dep_ == "mark" or c.tag_ in ("WRB", "WDT") for c in children):
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
    return start, _closing_mark(text, start, end)


def _closing_mark(text: str, start: int, end: int) -> int:
    """The end of a content that opens a quoted phrase and stops right before its closing
    mark (*called the sanctions “an act of war”*, *called her “disgusting.”*): after
    that mark, so the item's text does not leave the phrase open."""
    piece = text[start:end]
    after = end + 1 if text[end : end + 1] in (".", ",", "!", "?") else end
    if text[after : after + 1] == "”" and piece.count("“") > piece.count("”"):
        return after + 1
    if text[after : after + 1] == '"' and piece.count('"') % 2 == 1:
        return after + 1
    return end
