"""Quote items as the contract has them, and speakers carried to cue-less quotes.

Every text field of an item is the document text at its span (``text == doc.text[span]``,
``cue == text[cue_span]``); building items in one place keeps that promise for direct,
indirect and label items alike.
"""

from __future__ import annotations

from spacy.tokens import Token

from parallax.annotate.quotes.context import Context, end_of, paragraph_of
from parallax.annotate.quotes.lexicon import CARRY_PARAGRAPHS, PRONOUNS_PERSON
from parallax.annotate.quotes.resolve import resolve
from parallax.annotate.quotes.speakers import Cue, relative_subject, speaker_phrase
from parallax.model import QuoteItem, Span


def quote_item(ctx: Context, start: int, end: int, cue: Cue | None, direct: bool) -> QuoteItem:
    """A contract item; every text field is the document text at its span."""
    text = ctx.text
    if direct:
        while end > start and text[end - 1] in ", ":
            end -= 1
    speaker_span: Span | None = None
    speaker_name: str | None = None
    actor: str | None = None
    cue_text: str | None = None
    cue_span: Span | None = None
    if cue is not None:
        if cue.span is not None:
            cue_span = [cue.span[0], cue.span[1]]
            cue_text = text[cue.span[0] : cue.span[1]]
        if cue.speaker is not None:
            said = cue.speaker_span or _relative_span(cue) or _after_cue(ctx, cue)
            actor, speaker_name, speaker_span = _speaker_fields(ctx, cue.speaker, said)
    return {
        "speaker": actor,
        "speaker_name": speaker_name,
        "speaker_span": speaker_span,
        "cue": cue_text,
        "cue_span": cue_span,
        "text": text[start:end],
        "span": [start, end],
        "direct": direct,
    }


def _relative_span(cue: Cue) -> tuple[int, int] | None:
    """``an architect who said ...``: the relative pronoun is where this sentence names
    the speaker (as *he* is in *he said*); the actor is still the architect's."""
    if cue.token is None or cue.speaker is None:
        return None
    relative = relative_subject(cue.speaker, cue.token)
    return None if relative is None else (relative.idx, end_of(relative))


def _after_cue(ctx: Context, cue: Cue) -> tuple[int, int] | None:
    """``Said Ellis:``: a speaker phrase the parse hung the cue verb into starts after it."""
    if cue.span is None or cue.speaker is None:
        return None
    start, end = speaker_phrase(ctx, cue.speaker)
    if not start <= cue.span[0] < cue.span[1] <= cue.speaker.idx:
        return None
    start = cue.span[1]
    while start < end and ctx.text[start].isspace():
        start += 1
    return start, end


def _speaker_fields(
    ctx: Context, speaker: Token, span: tuple[int, int] | None = None
) -> tuple[str | None, str, Span]:
    """(actor id, speaker_name, speaker_span) for a speaker token."""
    s, e = span or speaker_phrase(ctx, speaker)
    return resolve(ctx, speaker), ctx.text[s:e], [s, e]


def carry_speakers(ctx: Context, items: list[QuoteItem]) -> list[QuoteItem]:
    """Cue-less direct quotes continue the last speaker within :data:`CARRY_PARAGRAPHS`,
    unless a sentence after that speaker's item and right before the quote has a named
    subject: then that subject introduced the quote."""
    last: QuoteItem | None = None
    for item in items:
        if item["speaker_span"] is None and item["cue"] is None and item["direct"]:
            hint = ctx.hints.get(item["span"][0])
            recent = last is not None and (
                paragraph_of(ctx, item["span"][0]) - paragraph_of(ctx, last["span"][0])
                <= CARRY_PARAGRAPHS
            )
            if hint is not None and _same_speaker(ctx, hint[0], last if recent else None):
                hint = None  # "...," Obama said. He didn't ... "...": Obama goes on
            if hint is not None and (last is None or not recent or last["span"][1] <= hint[1]):
                actor, name, span = _speaker_fields(ctx, hint[0])
                item["speaker"], item["speaker_name"], item["speaker_span"] = actor, name, span
            elif last is not None and recent:
                item["speaker"] = last["speaker"]
                item["speaker_name"] = last["speaker_name"]
                item["speaker_span"] = last["speaker_span"]
        if item["speaker_span"] is not None:
            last = item
    return items


def _same_speaker(ctx: Context, subject: Token, last: QuoteItem | None) -> bool:
    """A pronoun subject between two quotes that means the last speaker: the quote after
    it goes on with that speaker, named where the text named them."""
    if last is None or last["speaker"] is None or subject.lower_ not in PRONOUNS_PERSON:
        return False
    return resolve(ctx, subject) == last["speaker"]
