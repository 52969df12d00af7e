"""What every attribution step reads, computed once per document.

Attribution looks up the same things again and again (the token at a character, the
sentence and paragraph of a token, whether a token is inside quotation marks, the
mentions near a position); they are laid out here as plain lists and arrays, cheap and
linear in the tokens, so each step is a bisect or an index.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from parallax.annotate.quotes.lexicon import (
    ACCORDING_ID,
    CUE_IDS,
    DOC_NOUN_IDS,
    MISREAD_IDS,
    ROLE_NOUNS,
    SPEECH_NOUN_IDS,
    SPEECH_OBJECT_IDS,
)
from parallax.annotate.quotes.marks import Segment
from parallax.annotate.quotes.names import (
    GIVEN_NAMES,
    LESSER_TITLES,
    ROLE_GENDER,
    ROLE_TITLES,
    TITLE_GENDER,
)
from parallax.model import MentionItem

APPOS_ID = get_string_id("appos")


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor mention, with what pronoun resolution asks of it."""

    start: int
    end: int
    actor: str
    person: bool
    subject: bool
    gender: str | None = None
    """What the article shows of the actor's gender (:mod:`.names`), else None."""
    roles: frozenset[str] = frozenset()
    """Role nouns the article gives this mention (*President Obama*: president)."""


@dataclass(slots=True)
class Context:
    """What every step needs, computed once per document (cheap, linear in tokens)."""

    doc: Doc
    text: str
    starts: list[int]
    sent_of: list[int]
    sent_spans: list[tuple[int, int]]
    para_starts: list[int]
    para_spans: list[tuple[int, int]]
    quoted: bytearray
    mentions: list[Mention]
    mention_starts: list[int]
    authors: list[tuple[int, Token]] = field(default_factory=list)
    used_cues: set[int] = field(default_factory=set)
    cue_candidates: list[int] = field(default_factory=list)
    """Indices of tokens whose lemma is in the cue lexicon (or *according*)."""
    speech_nouns: list[int] = field(default_factory=list)
    """Indices of tokens whose lemma is a noun of saying (*claim*, *assertion*)."""
    speech_objects: list[int] = field(default_factory=list)
    """Indices of tokens whose lemma is a noun a light verb delivers (*proof*, *advice*)."""
    doc_nouns: list[int] = field(default_factory=list)
    hints: dict[int, tuple[Token, int]] = field(default_factory=dict)
    """Cue-less quote start -> (subject of the sentence before it, that sentence's start)."""
    lowers: list[int] = field(default_factory=list)
    """The lower-case form of every token, as a string id."""
    appos_words: dict[int, list[str]] = field(default_factory=dict)
    """Token index -> lemmas of the words in apposition with it (*Trump, the nominee*)."""
    contents: dict[int, tuple[int, int] | None] = field(default_factory=dict)
    """Cue token index -> what it reports (see ``indirect.content_span``), once computed."""


def build_context(
    doc: Doc,
    text: str,
    paragraphs: list[tuple[int, int]],
    runs: list[list[Segment]],
    mentions: Sequence[MentionItem],
    kinds: Mapping[str, str] | None,
) -> Context:
    """The context of ``doc``; its document authors are left for the caller to find
    (finding them needs the speaker rules, which need this context)."""
    # Token attributes as integer arrays: creating a Token object per word would cost
    # more than everything else here together.
    table = doc.to_array(["IDX", "LEMMA", "SENT_START", "LOWER", "DEP", "HEAD"])
    starts: list[int] = table[:, 0].tolist()
    lemmas: list[int] = table[:, 1].tolist()
    lowers: list[int] = table[:, 3].tolist()
    sent_of, sent_spans = _sentences(text, starts, table[:, 2].tolist())
    ctx = Context(
        doc=doc,
        text=text,
        starts=starts,
        sent_of=sent_of,
        sent_spans=sent_spans,
        para_starts=[start for start, _ in paragraphs],
        para_spans=paragraphs,
        quoted=_quoted(starts, runs),
        mentions=[],
        mention_starts=[],
        cue_candidates=_cue_candidates(lemmas, lowers),
        doc_nouns=[index for index, lemma in enumerate(lemmas) if lemma in DOC_NOUN_IDS],
        speech_nouns=[index for index, lemma in enumerate(lemmas) if lemma in SPEECH_NOUN_IDS],
        speech_objects=[i for i, lemma in enumerate(lemmas) if lemma in SPEECH_OBJECT_IDS],
    )
    ctx.lowers = lowers
    ctx.appos_words = _appos_words(doc, lemmas, table[:, 4].tolist(), table[:, 5])
    ctx.mentions = _mention_records(ctx, mentions, kinds)
    ctx.mention_starts = [mention.start for mention in ctx.mentions]
    return ctx


def _appos_words(
    doc: Doc, lemmas: list[int], deps: list[int], heads: numpy.ndarray[Any, Any]
) -> dict[int, list[str]]:
    """For each token in an apposition, the lemma of the other side (both ways)."""
    offsets: list[int] = heads.astype("int64").tolist()  # head - token, stored unsigned
    strings = doc.vocab.strings
    words: dict[int, list[str]] = {}
    for index, dep in enumerate(deps):
        if dep != APPOS_ID:
            continue
        head = index + offsets[index]
        words.setdefault(head, []).append(strings[lemmas[index]].lower())
        words.setdefault(index, []).append(strings[lemmas[head]].lower())
    return words


def _sentences(
    text: str, starts: list[int], flags: list[int]
) -> tuple[list[int], list[tuple[int, int]]]:
    """The sentence number of every token, and every sentence's character span."""
    sent_first = [index for index, flag in enumerate(flags) if flag == 1]
    if not sent_first or sent_first[0] != 0:
        sent_first.insert(0, 0)
    sent_of = [0] * len(starts)
    sent_spans: list[tuple[int, int]] = []
    bounds = [*sent_first, len(starts)]
    for number, (first, last) in enumerate(itertools.pairwise(bounds)):
        sent_of[first:last] = [number] * (last - first)
        end = starts[last] if last < len(starts) else len(text)
        sent_spans.append((starts[first], end))
    return sent_of, sent_spans


def _cue_candidates(lemmas: list[int], lowers: list[int]) -> list[int]:
    """Tokens that may be cues, found on the string ids: most words are not, and only
    these become Token objects later."""
    return [
        index
        for index, (lemma, lower) in enumerate(zip(lemmas, lowers, strict=True))
        if lemma in CUE_IDS or lower == ACCORDING_ID or lower in MISREAD_IDS
    ]


def _quoted(starts: list[int], runs: list[list[Segment]]) -> bytearray:
    """One flag per token: inside quotation marks (a quote's words are nobody's cue)."""
    quoted = bytearray(len(starts))
    for run in runs:
        for segment in run:
            first, last = bisect_left(starts, segment.start), bisect_left(starts, segment.end)
            quoted[first:last] = b"\x01" * (last - first)
    return quoted


def _mention_records(
    ctx: Context, mentions: Sequence[MentionItem], kinds: Mapping[str, str] | None
) -> list[Mention]:
    """Mentions sorted by position, with person-ness, subject-hood, gender and roles for
    pronouns and role nouns. A gender shown at one mention holds for every mention of
    the actor (*Hillary Clinton* ... *Clinton*), unless the evidence disagrees."""
    heads = [token_at(ctx, max(m["span"][0], m["span"][1] - 1)) for m in mentions]
    evidence = [_evidence(ctx, m["span"][0], m["span"][1]) for m in mentions]
    genders: dict[str, str | None] = {}
    for mention, (gender, _, _) in zip(mentions, evidence, strict=True):
        if gender is not None:
            known = genders.setdefault(mention["actor"], gender)
            if known != gender:
                genders[mention["actor"]] = None  # conflicting evidence: no gender
    if kinds is not None:
        persons = {actor for actor, kind in kinds.items() if kind == "person"}
    else:
        persons = {
            mention["actor"]
            for mention, head, (_, _, named) in zip(mentions, heads, evidence, strict=True)
            if named or (head is not None and head.ent_type_ == "PERSON")
        }
    records = []
    for mention, head, (_, roles, _) in zip(mentions, heads, evidence, strict=True):
        start, end, actor = mention["span"][0], mention["span"][1], mention["actor"]
        subject = head is not None and _is_subject(head)
        records.append(
            Mention(start, end, actor, actor in persons, subject, genders.get(actor), roles)
        )
    records.sort(key=lambda record: record.start)
    return records


def _evidence(ctx: Context, start: int, end: int) -> tuple[str | None, frozenset[str], bool]:
    """(gender, roles, has a given name) that a mention and the words around it show:
    a title or role before it (*Mrs.*, *Sen.*, *spokeswoman*, *President*), a role noun
    in apposition (*Trump, the Republican nominee*), a given name (*Ivanka* Trump).
    Read from the string ids: a Token object per mention would cost more."""
    first = bisect_right(ctx.starts, start) - 1
    last = bisect_right(ctx.starts, max(start, end - 1)) - 1
    if first < 0:
        return None, frozenset(), False
    strings, lowers = ctx.doc.vocab.strings, ctx.lowers
    words = [strings[lowers[first]]]
    if first > 0 and (first < 2 or strings[lowers[first - 2]] not in LESSER_TITLES):
        words.append(strings[lowers[first - 1]])  # not "Vice President Biden"
    words += ctx.appos_words.get(last, ())
    gender = next((g for w in words if (g := TITLE_GENDER.get(w) or ROLE_GENDER.get(w))), None)
    given = GIVEN_NAMES.get(words[0]) if first < last else None
    roles = frozenset(ROLE_TITLES.get(w, w) for w in words if ROLE_TITLES.get(w, w) in ROLE_NOUNS)
    return gender or given, roles, given is not None


def _is_subject(token: Token) -> bool:
    """A name is a subject when its head chain (compound, flat names) ends as one."""
    while token.dep_ in ("compound", "flat", "appos") and token.head is not token:
        token = token.head
    return token.dep_ in ("nsubj", "nsubjpass")


def token_at(ctx: Context, char: int) -> Token | None:
    """The token covering character ``char`` (or the nearest one before it)."""
    index = bisect_right(ctx.starts, char) - 1
    return ctx.doc[index] if 0 <= index < len(ctx.doc) else None


def paragraph_of(ctx: Context, char: int) -> int:
    """The number of the paragraph character ``char`` is in."""
    return max(0, bisect_right(ctx.para_starts, char) - 1)


def end_of(token: Token) -> int:
    """The character just after ``token`` (spaCy gives only its start)."""
    return token.idx + len(token.text)
