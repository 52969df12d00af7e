"""The journalistic frame around a quote: ``“...,” X said``, ``X said: “...”``,
``“...” ― Name``, ``Name: ...``.

The parse often leaves a quote unattached to its speech verb (the quote is a sentence of
its own, the frame another), so the few words right after the closing mark or right
before the opening one are read directly: a verb of saying there, and the name next to
it, are the cue and the speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from spacy.tokens import Token

from parallax.annotate.quotes.context import Context, end_of
from parallax.annotate.quotes.indirect import mostly_quoted, trimmed
from parallax.annotate.quotes.items import quote_item
from parallax.annotate.quotes.lexicon import (
    CUE_LEXICON,
    FRAME_TOKENS,
    HEADLINE_SOURCES,
    NAME_ENTITIES,
    NOT_SPEAKERS,
    PURE_SPEECH,
    SHORT_WORDS,
)
from parallax.annotate.quotes.marks import Segment
from parallax.annotate.quotes.resolve import mention_over
from parallax.annotate.quotes.speakers import Cue, cue_for, cue_lemma, cue_span, is_cue, speaker_of
from parallax.model import QuoteItem
from parallax.text.quotes import MARK_CHARS

_DASHES = "―—–"
_COORDINATORS = frozenset(("and", "but", "or", "then"))
_STRONG_END = ",?!—–―-…:"
_NAME_COLON = re.compile(r"\s*([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):\s*")


def frame_after(ctx: Context, segment: Segment) -> Cue | None:
    """``“...,” X said`` / ``said X`` / ``“...” ― Name``: the frame after the closing mark."""
    text = ctx.text
    p_end = ctx.para_spans[segment.paragraph][1]
    tail = text[segment.close_end : p_end]
    stripped = tail.lstrip()
    if stripped and (stripped[0] in _DASHES or stripped.startswith("--")):
        return _dash_speaker(ctx, segment.close_end + len(tail) - len(stripped))
    ends_open = text[segment.end - 1] in _STRONG_END or stripped[:1] == ","
    if not (ends_open or stripped[:1].islower()):
        return None
    if stripped.split(" ", 1)[0] in _COORDINATORS:
        return None  # to “vote your conscience” and said he ...: a second predicate
    verbs = _frame_verbs(ctx, bisect_left(ctx.starts, segment.close_end), p_end)
    said = [verb for verb in verbs if _says(verb)]
    # Any verb can frame a quote that ends like speech (“...,” the crowd chanted); a
    # phrase that runs on into the sentence (the “preparations” to combat ...) or a short
    # one needs a verb of saying.
    short = len(text[segment.start : segment.end].split()) <= SHORT_WORDS
    for verb in said[:1] or ([] if short or not ends_open else verbs[:1]):
        return _frame_verb(ctx, verb, segment.close_end)
    return None


def _says(verb: Token) -> bool:
    """A verb that can report speech: only such a verb frames a short quoted phrase."""
    lemma = cue_lemma(verb)
    return lemma in CUE_LEXICON or lemma in PURE_SPEECH or verb.lower_ == "according"


def _frame_verbs(ctx: Context, first: int, p_end: int) -> list[Token]:
    """Verbs in the few tokens after a closing mark, up to the sentence or next quote."""
    verbs = []
    for index in range(first, min(first + FRAME_TOKENS, len(ctx.doc))):
        token = ctx.doc[index]
        if token.is_space:
            continue
        if token.idx >= p_end or ctx.quoted[index]:
            break
        if token.is_sent_start and index > first and token.text not in MARK_CHARS:
            break
        if token.lower_ == "according" and is_cue(token):
            verbs.append(token)
            break
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.lemma_ == "say"):
            verbs.append(token)
    return verbs


def _frame_verb(ctx: Context, verb: Token, close: int) -> Cue | None:
    """The frame's verb is the quote's cue if it says (or at least does not report
    something else: ``“invasion,” Maduro ordered that ...`` is no quote of Maduro's).
    The speaker is the verb's subject when the parse put it in the frame, else the name
    between the closing mark and the verb, else the one right after the verb."""
    if verb.lower_ == "according":
        return cue_for(ctx, verb)
    lemma = verb.lemma_.lower()
    right = [
        child
        for child in verb.rights
        if child.dep_ in ("ccomp", "dobj", "xcomp") and not ctx.quoted[child.i]
    ]
    if lemma in CUE_LEXICON:
        if any(child.dep_ == "ccomp" for child in right) and lemma not in ("say", "tell"):
            return None
    elif right:
        return None
    speaker = speaker_of(ctx, verb)
    if speaker is None or ctx.quoted[speaker.i] or not in_frame(speaker, verb, close):
        speaker = name_between(ctx, close, verb) or name_after(ctx, verb)
    if speaker is None:
        return None
    return Cue(verb, cue_span(verb), speaker)


def in_frame(speaker: Token, verb: Token, close: int) -> bool:
    """Between the closing mark and the verb, or within a few words after the verb."""
    return close <= speaker.idx < verb.idx or verb.i < speaker.i <= verb.i + 6


def name_between(ctx: Context, close: int, verb: Token) -> Token | None:
    """The first name between the closing mark and the verb, up to the head of its
    phrase (``Tulsa police Chief Chuck Jordan said``; ``Flynn, a top surrogate, said``)."""
    for index in range(bisect_left(ctx.starts, close), verb.i):
        token = ctx.doc[index]
        if token.pos_ in ("PROPN", "NOUN", "PRON") and not ctx.quoted[index]:
            while token.dep_ in ("compound", "flat") and token.i < token.head.i < verb.i:
                token = token.head
            return token
    return None


def name_after(ctx: Context, verb: Token) -> Token | None:
    """``said Kenneth Baer``: the first name or noun after the verb that is no date."""
    for token in verb.doc[verb.i + 1 : min(len(verb.doc), verb.i + 6)]:
        if token.is_space or token.is_punct or ctx.quoted[token.i]:
            break
        if token.pos_ in ("PROPN", "NOUN", "PRON") and token.ent_type_ not in ("DATE", "TIME"):
            while token.dep_ in ("compound", "flat") and token.head.i > token.i:
                token = token.head
            return token
    return None


def _dash_speaker(ctx: Context, dash: int) -> Cue | None:
    """``“...” ― Hillary Clinton``: a name after a dash is the speaker, the dash the cue."""
    # the dash may share a token with the closing mark (``”―``) or the name: the
    # token covering it, and the cue is the dash itself
    index = bisect_right(ctx.starts, dash) - 1
    if not 0 <= index < len(ctx.doc):
        return None
    dash_end = dash + 2 if ctx.text.startswith("--", dash) else dash + 1
    following = _next_word(ctx, index + 1 if end_of(ctx.doc[index]) <= dash_end else index)
    if following is None or following.pos_ != "PROPN":
        return None
    name = following
    while name.head is not name and name.dep_ in ("compound", "flat"):
        name = name.head
    return Cue(None, (dash, dash_end), name)


def _next_word(ctx: Context, index: int) -> Token | None:
    """The first token from ``index`` on that is not white space (line breaks are tokens)."""
    while index < len(ctx.doc) and ctx.doc[index].is_space:
        index += 1
    return ctx.doc[index] if index < len(ctx.doc) else None


def frame_before(ctx: Context, segment: Segment) -> Cue | None:
    """``X said: “...”``, ``X said, “...”``, or ``said:`` ending the previous paragraph."""
    text = ctx.text
    p_start = ctx.para_spans[segment.paragraph][0]
    head = text[p_start : segment.open_start].rstrip()
    if not head and segment.paragraph > 0:
        prev_start, prev_end = ctx.para_spans[segment.paragraph - 1]
        previous = text[prev_start:prev_end].rstrip()
        if previous.endswith(":"):
            return _verb_before(ctx, prev_start + len(previous) - 1, prev_start)
        return None
    if not head or head[-1] not in ":,":
        return None
    if head[-1] == ":":
        labelled = _name_label(ctx, p_start, p_start + len(head))
        if labelled is not None:
            return labelled
    return _verb_before(ctx, p_start + len(head) - 1, p_start)


def _name_label(ctx: Context, start: int, end: int) -> Cue | None:
    """``Pence: Gennifer Flowers Won’t Be at Debate`` (headlines, transcripts): a name and
    a colon opening the paragraph are speaker and cue."""
    match = _NAME_COLON.fullmatch(ctx.text, start, end)
    if match is None or match.group(1).lower() in NOT_SPEAKERS:
        return None
    first, last = bisect_left(ctx.starts, match.start(1)), bisect_left(ctx.starts, match.end(1))
    tokens = ctx.doc[first:last]
    if not len(tokens) or any(t.pos_ not in ("PROPN", "NOUN") for t in tokens):
        return None
    named = match.group(1).isupper() or mention_over(ctx, match.start(1), match.end(1))
    named = named or any(t.ent_type_ in NAME_ENTITIES for t in tokens)
    headline = start == ctx.para_spans[0][0]
    if not named and not (headline and _headline_source(ctx, match.group(1))):
        return None  # "Stealth Over Health: ...": a headline, not a speaker
    colon = match.end(1)
    return Cue(None, (colon, colon + 1), tokens.root, (match.start(1), match.end(1)))


def _headline_source(ctx: Context, label: str) -> bool:
    """A headline's ``Pence: ...`` or ``Poll: ...``: the label is a name the article
    gives elsewhere (the tagger seldom finds names in Title Case headlines) or a poll."""
    if label.lower() in HEADLINE_SOURCES:
        return True
    last = label.split()[-1]
    text = ctx.text
    return any(
        last in text[mention.start : mention.end].split()
        for mention in ctx.mentions
        if mention.start >= ctx.para_spans[0][1]
    )


def label_items(ctx: Context, direct: list[QuoteItem]) -> list[QuoteItem]:
    """Headline and transcript paragraphs ``Name: what they said`` outside quotation
    marks (quoted ones are direct items already)."""
    items: list[QuoteItem] = []
    spans = sorted((item["span"][0], item["span"][1]) for item in direct)
    for p_start, p_end in ctx.para_spans:
        colon = ctx.text.find(":", p_start, min(p_end, p_start + 40))
        if colon < 0:
            continue
        cue = _name_label(ctx, p_start, colon + 1)
        content = trimmed(ctx, colon + 1, p_end, colon)
        if cue is None or content is None or mostly_quoted(content, spans):
            continue
        items.append(quote_item(ctx, content[0], content[1], cue, False))
    return items


def _verb_before(ctx: Context, punct: int, limit: int) -> Cue | None:
    """The speech verb (or *according to*) just before a colon or comma."""
    index = bisect_right(ctx.starts, punct) - 1
    for step in range(1, 6):
        position = index - step
        if position < 0 or ctx.doc[position].idx < limit:
            return None
        token = ctx.doc[position]
        if ctx.quoted[position]:
            return None
        according = token if token.dep_ != "pobj" else token.head.head
        if according.lower_ == "according" and is_cue(according):
            return cue_for(ctx, according)  # According to X, “...”
        if token.pos_ == "VERB":
            # the speaker is in the verb's own sentence (*... complicated. Said Ellis:*)
            sentence_start = ctx.sent_spans[ctx.sent_of[position]][0]
            cue = _frame_verb(ctx, token, max(limit, sentence_start))
            if cue is not None or token.lemma_.lower() in CUE_LEXICON:
                return cue
            return None
    return None
