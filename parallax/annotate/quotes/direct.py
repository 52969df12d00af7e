"""Direct quotes: which quotes are somebody's words, and whose.

Not everything in quotation marks is speech: titles, scare quotes and phrases inside a
longer reported clause are not direct quotes of their own. Each run of quoted segments
is tried against the parse (the cue verb it hangs from), then the journalistic frame
around it, then its place in the text (a sentence on its own continues the last
speaker); see the package documentation for the order and why.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.tokens import Token

from parallax.annotate.quotes.context import Context, token_at
from parallax.annotate.quotes.frames import (
    frame_after,
    frame_before,
    in_frame,
    name_after,
    name_between,
)
from parallax.annotate.quotes.indirect import content_span, reported_by
from parallax.annotate.quotes.items import quote_item
from parallax.annotate.quotes.lexicon import (
    ACTS_ON,
    DIRECT_COVERAGE,
    PRONOUNS_PERSON,
    PURE_SPEECH,
    SHORT_WORDS,
    SUBJECTS,
    TITLE_SMALL,
)
from parallax.annotate.quotes.marks import Segment
from parallax.annotate.quotes.speakers import Cue, according_child, cue_for, is_cue, speaker_of
from parallax.model import QuoteItem

_PUNCT_ONLY = re.compile(r"[\W_]*", re.UNICODE)
_LABEL = re.compile(r"([A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,2}):\s+")


def direct_items(ctx: Context, runs: list[list[Segment]]) -> list[QuoteItem]:
    """One item per segment of every run attributed as direct speech."""
    items: list[QuoteItem] = []
    for run in runs:
        verdict, cue = _attribute_run(ctx, run)
        if verdict != "direct":
            continue
        if cue is not None and cue.token is not None:
            ctx.used_cues.add(cue.token.i)
        for segment in run:
            start, labelled = _transcript_label(ctx, segment)
            cue = labelled or cue  # a label speaks until the next label
            items.append(quote_item(ctx, start, segment.end, cue, True))
    return items


def _transcript_label(ctx: Context, segment: Segment) -> tuple[int, Cue | None]:
    """``"WALLACE: Let's start ...``: a transcript turn names its own speaker; the item
    starts after the label."""
    match = _LABEL.match(ctx.text, segment.start, segment.end)
    if match is None:
        return segment.start, None
    token = token_at(ctx, match.start(1))
    if token is None:
        return segment.start, None
    return match.end(), Cue(None, None, token, (match.start(1), match.end(1)))


def _attribute_run(ctx: Context, run: list[Segment]) -> tuple[str, Cue | None]:
    """``("direct", cue)``, ``("absorbed", cue)`` (part of an indirect item) or
    ``("drop", None)``; a direct verdict with no cue continues an earlier speaker."""
    first, last = run[0], run[-1]
    if len(run) == 1 and _is_title(ctx.text[first.start : first.end]):
        return "drop", None  # “Collapse: How Societies Choose to Fail”: a title, not words
    short = len(run) == 1 and len(ctx.text[first.start : first.end].split()) <= SHORT_WORDS
    for segment in (first, last) if first is not last else (first,):
        governing = _governing_cue(ctx, segment)
        if governing is not None:
            speech = governing.lemma_.lower() in PURE_SPEECH
            coverage = _coverage(ctx, governing)
            if coverage is None:
                if speech:
                    return "direct", _direct_cue(ctx, governing, last.close_end)
                break
            if coverage >= DIRECT_COVERAGE and (speech or not short):
                return "direct", _direct_cue(ctx, governing, last.close_end)
            return "absorbed", cue_for(ctx, governing)
    cue = frame_after(ctx, last) or frame_before(ctx, first)
    if cue is not None:
        return "direct", cue
    if _standalone(ctx, run):
        hint = _previous_subject(ctx, first)
        if hint is not None:
            ctx.hints[first.start] = hint
        return "direct", None
    return "drop", None


def _is_title(content: str) -> bool:
    """Title Case words in quotation marks name a book, show or headline."""
    words: list[str] = re.findall(r"[^\W\d_][\w'’-]*", content)
    if len(words) < 2 or len(words) > 12 or not words[0][0].isupper():
        return False
    return all(word[0].isupper() or word.lower() in TITLE_SMALL for word in words)


def _previous_subject(ctx: Context, segment: Segment) -> tuple[Token, int] | None:
    """The named subject of the sentence just before a cue-less quote, and where that
    sentence starts: ``Sanders ... identified young voters' exhaustion ... “The younger
    people are ...”`` introduces its speaker without a speech verb. A subject that acts
    on someone (*Bowdich fired him*) does not: the quote after it is as likely the
    reply of the other side, so the last speaker goes on instead."""
    index = bisect_left(ctx.starts, segment.open_start) - 1
    while index >= 0 and ctx.doc[index].is_space:
        index -= 1
    if index < 0 or ctx.quoted[index]:
        return None
    sentence = ctx.doc[index].sent
    subject = next((c for c in sentence.root.children if c.dep_ in SUBJECTS), None)
    if subject is None or ctx.quoted[subject.i]:
        return None
    root = sentence.root
    if root.lemma_.lower() in ACTS_ON and any(c.dep_ == "dobj" for c in root.children):
        return None
    if subject.pos_ == "PROPN" or subject.lower_ in PRONOUNS_PERSON:
        return subject, sentence.start_char
    return None


def _direct_cue(ctx: Context, verb: Token, close: int) -> Cue:
    """The cue of a direct quote, with a speaker outside the quote: a parse that makes a
    word of the quote the subject gives way to the name in the frame; a pronoun inside
    another speaker's report (*Clinton says she admired what she calls a “war ...”*)
    gives way to that speaker."""
    cue = cue_for(ctx, verb)
    speaker = cue.speaker
    if verb.idx >= close:
        if speaker is None or ctx.quoted[speaker.i] or not in_frame(speaker, verb, close):
            speaker = name_between(ctx, close, verb) or name_after(ctx, verb)
    elif speaker is not None and ctx.quoted[speaker.i]:
        speaker = None
    if verb.idx < close:
        return reported_by(ctx, Cue(cue.token, cue.span, speaker))
    return Cue(cue.token, cue.span, speaker)


def _governing_cue(ctx: Context, segment: Segment) -> Token | None:
    """The cue verb outside the quote that the quote's words hang from in the parse
    (within the paragraph: the parser runs on over a missing full stop)."""
    p_start, p_end = ctx.para_spans[segment.paragraph]
    for char in (segment.start, segment.end - 1):
        token = token_at(ctx, char)
        steps = 0
        while token is not None and steps < 12:
            head = token.head
            if head is token or not p_start <= head.idx < p_end:
                break
            if not ctx.quoted[head.i] and is_cue(head):
                return head
            according = according_child(head)
            if according is not None and not ctx.quoted[according.i]:
                return according
            token, steps = head, steps + 1
    return None


def _coverage(ctx: Context, cue: Token) -> float | None:
    """Share of the words ``cue`` reports that are inside quotation marks (None: the
    parse shows no content). The cue's own frame (*Maduro said*, when the parse puts it
    inside an interrupted quote) and a leading *that* do not count."""
    content = content_span(ctx, cue)
    if content is None:
        return None
    speaker = speaker_of(ctx, cue)
    frame = (speaker.left_edge.i, speaker.right_edge.i) if speaker is not None else (-1, -1)
    inside = outside = 0
    first, last = bisect_left(ctx.starts, content[0]), bisect_left(ctx.starts, content[1])
    for index in range(first, last):
        token = ctx.doc[index]
        if token.is_punct or token.is_space:
            continue
        if ctx.quoted[index]:
            inside += len(token)
        elif not (
            token.i == cue.i
            or frame[0] <= index <= frame[1]
            or (index == first and token.lower_ == "that")
        ):
            outside += len(token)
    if inside == 0:
        return 0.0
    return inside / (inside + outside)


def _standalone(ctx: Context, run: list[Segment]) -> bool:
    """The quote is a whole sentence (or several) on its own: nothing but punctuation
    between it and the sentence edges."""
    first, last = run[0], run[-1]
    start_token = token_at(ctx, first.start)
    end_token = token_at(ctx, last.end - 1)
    if start_token is None or end_token is None:
        return False
    sent_start = min(ctx.sent_spans[ctx.sent_of[start_token.i]][0], first.open_start)
    sent_end = max(ctx.sent_spans[ctx.sent_of[end_token.i]][1], last.close_end)
    sent_start = max(sent_start, ctx.para_spans[first.paragraph][0])
    sent_end = min(sent_end, ctx.para_spans[last.paragraph][1])
    before = ctx.text[sent_start : first.open_start]
    after = ctx.text[last.close_end : sent_end]
    return _PUNCT_ONLY.fullmatch(before) is not None and _PUNCT_ONLY.fullmatch(after) is not None
