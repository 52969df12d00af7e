"""Quotes and attributed statements: who said what, direct ("in quotation marks") or indirect.

Everything here reads the spaCy parse the pipeline already made (tokens, ``dep_``,
``lemma_``, sentences); no extra model runs, so the cost is a few linear passes over the
tokens (about 1-3% of the parse, see ``docs/quality/quotes.md``).

How an article becomes quote items
==================================

1. **Quotation marks** are paired per paragraph by a small state machine over the raw
   text (:func:`_find_runs`). Typographic double marks “ ”, straight ``"``, the NYT's
   doubled apostrophes ``''``, guillemets, and single marks ‘ ’ / ``'`` (single ones only
   outside double ones, and only where the context says "quotation mark", never the
   apostrophe in *Venezuela’s* or *don’t*). A paragraph that ends inside a quote whose next
   paragraph starts with an opening mark continues the quote there (the newspaper
   convention for multi-paragraph quotes): one *run* of segments, one item per paragraph,
   one speaker for all. Item spans always exclude the quotation marks.
2. **Each run is attributed** (:func:`_attribute_run`), in this order:

   a. Title Case words in quotation marks (“One Hundred Years of Solitude”) name a work
      or a headline, not speech: no item;
   b. the speech verb that governs the quote in the dependency tree (``“...,” he said``:
      the quote is the ``ccomp`` of *said*). If the quote is most of what that verb
      reports (:data:`DIRECT_COVERAGE`), the quote is a *direct* item with that speaker
      and cue. If it is only a phrase inside a longer reported clause (*claimed that
      “only 5 percent” of the drugs ... are transported*), or a short phrase that a verb
      other than one of saying reports (*called them “lone wolves”*), it is **part of
      that attribution**: the indirect item for the clause contains it, and no separate
      item is made;
   c. the journalistic frame after the closing mark (``“...,” Maduro wrote``, ``“...?” she
      asked``, ``“...” ― Hillary Clinton``), then before the opening mark (``X said:
      “...”``, ``X said, “...”``, ``According to X, “...”``, ``Pence: “...”``, a previous
      paragraph ending in ``said:``); the speaker is the verb's subject when the parse
      puts it in the frame, else the name there (the parse often makes a word of the
      quote the subject). Transcript turns (``"WALLACE: ...``) name their own speaker;
   d. a quote that is a whole sentence or paragraph on its own, without a cue, continues
      the last speaker (the most recent attributed item within two paragraphs), unless
      the sentence right before it has a named subject and no attribution (*Sanders ...
      identified young voters' exhaustion ... “The younger people are ...”*);
   e. anything else is a short quoted phrase that nobody is said to have said (the U.S.
      “invasion”): a scare quote, which is **not** a quote item (framing reports those).
3. **Indirect speech** (:func:`_indirect_items`): every verb in :data:`CUE_LEXICON`
   outside quotation marks, with its reported content taken from the parse: the ``ccomp``
   clause (*noted that only 5% ...*), the object for verbs whose object is what was said
   (*denied the US allegation ...*, *accused Y of ...*, *called for ...*), the infinitive
   for verbs of promising and urging, the main clause for *according to X* and for a
   trailing ``, X said``, the noun phrase and predicate around a relative clause (*a ship
   that Trump claimed was carrying drug traffickers*). The speaker is the verb's subject
   (inherited through ``conj`` and participles; the agent of a passive; the antecedent
   of *who*). Headline and transcript paragraphs ``Name: ...`` are attributed too. Not
   items: one-word contents (*blame Bush*) and the writer's own *I believe*.
4. **Speakers become actors** (:func:`_resolve`): the mention overlapping the speaker's
   head word, else its name-like modifiers (apposition, compound, possessive, *of*).
   Pronouns (*he*, *she*) and definite role descriptions (*the president*, *the
   Venezuelan dictator*) take the most recent person mention outside quotation marks,
   preferring grammatical subjects. Documents as speakers (*the letter read*, *the text
   continued*) take the author of the most recent document the article says someone
   wrote or sent (*Maduro sent a letter*).

Fields: ``speaker_span`` is where the text names the speaker for this attribution (the
pronoun itself for *he said*; for a quote carried over from an earlier sentence, the
span that named the speaker there) and ``speaker_name`` is exactly that text;
``speaker`` is the resolved actor id. Likewise ``cue == text[cue_span]`` and
``text == doc.text[span]`` for every item.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from parallax.model import MentionItem, QuoteItem, Span

__all__ = ["CUE_LEXICON", "extract_quotes"]

# --------------------------------------------------------------------------------------
# Lexicons
# --------------------------------------------------------------------------------------

_CCOMP = "ccomp"
_DOBJ = "dobj"
_XCOMP = "xcomp"
_FOR = "prep:for"
_OF = "prep:of"
_AS = "prep:as"
_OPRD = "oprd"


def _lexicon(groups: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for words, kinds in groups:
        for word in words.split():
            table.setdefault(word, set()).update(kinds)
    return {word: frozenset(kinds) for word, kinds in table.items()}


CUE_LEXICON: Mapping[str, frozenset[str]] = _lexicon(
    [
        # Verbs of saying: what was said is their clausal complement.
        (
            "say tell add note claim state argue insist warn announce reveal write report "
            "explain assert maintain declare acknowledge admit confirm deny suggest emphasize "
            "emphasise stress repeat reiterate contend allege complain concede predict promise "
            "pledge vow respond reply answer ask tweet post recall remark comment observe "
            "mention indicate testify charge counter agree estimate conclude boast joke quip "
            "caution advise assure inform propose hint speculate lament retort signal "
            "acknowledge guarantee threaten demand urge",
            (_CCOMP,),
        ),
        # Stance and findings: PolNeAR (and the product) count a poll's finding or a
        # speaker's belief as attributed content, but only with a clause ("believes that").
        ("believe think expect hope fear worry doubt show find", (_CCOMP,)),
        # Rulings and realisations reported as content ("Politifact ruled that ...").
        ("point rule learn decide determine acknowledge recognize recognise proclaim", (_CCOMP,)),
        # Verbs whose object is the content: "denied the US allegation", "announced a plan".
        (
            "deny announce reveal report confirm acknowledge admit promise predict propose "
            "suggest demand accuse blame criticize criticise question dispute reject dismiss "
            "note cite call urge ask warn mention emphasize stress repeat reiterate describe "
            "condemn claim estimate allege pledge vow praise attack mock slam blast "
            "endorse oppose reference detail outline disclose charge",
            (_DOBJ,),
        ),
        # Promising, urging, refusing, wanting: the infinitive ("vowed to fight").
        (
            "promise pledge vow threaten refuse decline urge ask call tell encourage demand "
            "agree want plan decide intend seek expect hope warn",
            (_XCOMP,),
        ),
        ("call blame criticize criticise praise attack", (_FOR,)),
        ("accuse warn", (_OF,)),
        ("complain talk speak ask warn write", ("prep:about",)),
        ("describe dismiss", (_AS,)),
        ("call label brand", (_OPRD,)),
    ]
)
"""Cue verb lemma -> where its reported content is in the parse.

Documented in ``docs/quality/quotes.md``; verbs are only cues when that content is there
(``add`` with a clause is speech, ``add sugar`` is not)."""

_PRONOUNS_PERSON = frozenset("he she him her".split())
_ROLE_NOUNS = frozenset(
    "president dictator leader official spokesman spokeswoman spokesperson minister "
    "senator governor mayor candidate nominee chairman chairwoman chair secretary envoy "
    "ambassador general director chief lawmaker congressman congresswoman representative "
    "diplomat ruler premier chancellor king queen prince judge prosecutor attorney adviser "
    "advisor aide strongman politician businessman billionaire democrat republican "
    "commander".split()
)
"""Heads of definite descriptions ("the Venezuelan dictator") that refer back to a person."""
_DOC_NOUNS = frozenset(
    "letter text message statement note memo missive document tweet post email e-mail "
    "release communique communiqué op-ed column essay".split()
)
"""Documents that "read", "say" or "continue": their author is the speaker."""
_PURE_SPEECH = frozenset(
    "say tell write add ask reply respond answer declare tweet post state explain remark "
    "comment recall quip joke exclaim shout chant sing continue read".split()
)
"""Verbs that make whatever quote hangs from them a quote, even when the parser did not
label it as their complement (``He said “...”`` parsed as an object)."""
_CUE_IDS = frozenset(get_string_id(w) for lemma in CUE_LEXICON for w in (lemma, lemma.title()))
_ACCORDING_ID = get_string_id("according")
_DOC_NOUN_IDS = frozenset(get_string_id(w) for noun in _DOC_NOUNS for w in (noun, noun.title()))
_TITLE_SMALL = frozenset(
    "a an the and or but nor of in on at to for by with from as vs via".split()
)
_AUTHOR_VERBS = frozenset("send write sign pen issue draft post tweet release address".split())
_SUBJECTS = frozenset(("nsubj", "csubj"))
_RELATIVE = frozenset("who that which whom".split())
_INHERIT_SUBJECT = frozenset(("conj", "xcomp", "advcl", "ccomp"))
_NAME_MODIFIERS = ("appos", "compound", "poss", "nmod")
_OBJECTS = frozenset(("dobj", "ccomp", "xcomp", "attr", "dative", "oprd", "acomp"))

SHORT_WORDS = 3
"""A quoted phrase this short is a direct item only with a verb of saying (*he said
“never”*); with another cue (*called them “lone wolves”*) it is part of that item."""
DIRECT_COVERAGE = 0.7
"""A quote that is at least this share of what its cue verb reports is a direct item;
below it, the quote is a phrase inside an indirect one and part of that item."""
CARRY_PARAGRAPHS = 2
"""A cue-less quote continues the last speaker named at most this many paragraphs back."""
SUBJECT_PARAGRAPHS = 5
"""How far back a pronoun or *the president* looks for a person who was a subject."""
FRAME_TOKENS = 12
"""How far after a closing mark the frame's verb may be (``“...,” said X``)."""

_DASHES = "―—–"
_STRONG_END = ",?!—–―-…:"
_OPEN_BEFORE = " \t\n([{—–―-/“‘«"
_TRIM_LEFT = " \t\n,;:"
_TRIM_RIGHT = " \t\n,;:."
_MARK_CHARS = "\"“”‘’'`«»„"
_PUNCT_ONLY = re.compile(r"[\W_]*", re.UNICODE)
_NAME_COLON = re.compile(r"\s*([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):\s*")
_NOT_SPEAKERS = frozenset(
    "update updated note editor's note related photo photos video watch read source sources "
    "correction caption credit image images listen advertisement warning breaking exclusive "
    "analysis opinion background q a".split()
)
_SUBORDINATORS = frozenset(
    "if when whenever because as while although though after before since unless until "
    "once but and so yet".split()
)
_NAME_ENTITIES = frozenset(("PERSON", "ORG", "NORP", "GPE"))
_WRITER = frozenset("i we you me us".split())
_LABEL = re.compile(r"([A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,2}):\s+")
_MARK = re.compile(r"``|''|[\"“”«»„‘’']")
_ELISIONS = re.compile(r"'(?:n'|n |til|em|cause|bout|tis|twas|s |\d)", re.IGNORECASE)

# --------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Segment:
    """One paragraph's piece of a quote: content ``[start, end)`` between the marks."""

    start: int
    end: int
    open_start: int
    close_end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    actor: str
    person: bool
    subject: bool


@dataclass(frozen=True, slots=True)
class _Cue:
    """A cue found for an attribution: the verb (or *according*), its text span, speaker."""

    token: Token | None
    span: tuple[int, int] | None
    speaker: Token | None
    speaker_span: tuple[int, int] | None = None  # when not the speaker token's phrase


@dataclass(slots=True)
class _Context:
    """What every step needs, computed once per document (cheap, linear in tokens)."""

    doc: Doc
    text: str
    starts: list[int]
    sent_of: list[int]
    sent_spans: list[tuple[int, int]]
    para_starts: list[int]
    para_spans: list[tuple[int, int]]
    quoted: bytearray
    mentions: list[_Mention]
    mention_starts: list[int]
    authors: list[tuple[int, Token]] = field(default_factory=list)
    used_cues: set[int] = field(default_factory=set)
    cue_candidates: list[int] = field(default_factory=list)
    """Indices of tokens whose lemma is in the cue lexicon (or *according*)."""
    doc_nouns: list[int] = field(default_factory=list)
    hints: dict[int, tuple[Token, int]] = field(default_factory=dict)
    """Cue-less quote start -> (subject of the sentence before it, that sentence's start)."""


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def extract_quotes(
    doc: Doc,
    mentions: Sequence[MentionItem],
    kinds: Mapping[str, str] | None = None,
) -> list[QuoteItem]:
    """Direct quotes and indirect attributed statements of ``doc``, in text order.

    ``mentions`` are the article's actor mentions; ``kinds`` (actor id -> person, org,
    ...), when given, says which actors are people (pronouns resolve to people only);
    without it, an actor with a mention the model tagged PERSON counts as a person.
    """
    if len(doc) == 0 or not doc.has_annotation("DEP"):
        return []  # nothing to attribute with; the pipeline always parses
    text = doc.text  # built from the tokens on every access: read it once
    paragraphs = _paragraphs(text)
    runs = _find_runs(text, paragraphs)
    ctx = _context(doc, text, paragraphs, runs, mentions, kinds)
    direct = _direct_items(ctx, runs)
    indirect = _indirect_items(ctx, direct) + _label_items(ctx, direct)
    items = sorted(direct + indirect, key=lambda item: (item["span"][0], item["span"][1]))
    return _carry_speakers(ctx, items)


# --------------------------------------------------------------------------------------
# Quotation marks
# --------------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Line-separated paragraphs (news text puts one paragraph on a line, or two)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"\n", text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    family: str  # curly (“ ” « »), straight (" '' ``) or single (‘ ’ ')
    opens: bool
    closes: bool


def _classify(text: str, match: re.Match[str], p_start: int, p_end: int) -> _Mark | None:
    """Whether a quotation-mark character can open or close a quote here (or is neither)."""
    mark, start, end = match.group(), match.start(), match.end()
    before = text[start - 1] if start > p_start else " "
    after = text[end] if end < p_end else " "
    space_after = after.isspace() or (not after.isalnum() and after not in "$£€#@")
    # a mark right after another mark opens if a word follows ('"Hello) and closes if
    # not (bit,'" he said)
    space_before = before in _OPEN_BEFORE or (before in _MARK_CHARS and not space_after)
    if mark in ("“", "«", "„"):
        return _Mark(start, end, "curly", True, False)
    if mark in ("”", "»"):
        return _Mark(start, end, "curly", False, True)
    if mark == "``":
        return _Mark(start, end, "straight", True, False)
    if mark in ('"', "''"):
        return _Mark(start, end, "straight", space_before or not space_after, not space_before)
    if mark == "‘":
        return None if after.isdigit() else _Mark(start, end, "single", space_before, False)
    if mark == "’":
        closes = not before.isspace()
        return None if after.isalnum() else _Mark(start, end, "single", False, closes)
    # straight single quote: an apostrophe unless the context is unmistakably a quote
    if _ELISIONS.match(text, start) and space_before:
        return None
    opens = space_before and after.isalnum()
    closes = not before.isspace() and not after.isalnum() and not opens
    return _Mark(start, end, "single", opens, closes) if opens or closes else None


@dataclass(slots=True)
class _Open:
    """A quote opened and not yet closed: its family, mark start, content start, run."""

    family: str
    mark: int
    content: int
    run: list[_Segment] | None = None
    nested: int = 0  # quotes of the other double family opened inside this one


def _find_runs(text: str, paragraphs: list[tuple[int, int]]) -> list[list[_Segment]]:
    """Pair quotation marks paragraph by paragraph; a run is one quote over paragraphs.

    Double quotes pair within their family (a straight quote inside a curly one is
    nested, part of the content); single quotes count only outside double ones and never
    cross a paragraph."""
    runs: list[list[_Segment]] = []
    carry: _Open | None = None  # a quote that goes on in the next paragraph
    for number, (p_start, p_end) in enumerate(paragraphs):
        double = _continued(text, p_start, p_end, carry)
        single: _Open | None = None
        for match in _MARK.finditer(text, p_start, p_end):
            if double is not None and match.start() < double.content:
                continue
            mark = _classify(text, match, p_start, p_end)
            if mark is None:
                continue
            if mark.family != "single":
                single = None
                if double is None:
                    if mark.opens:
                        double = _Open(mark.family, mark.start, mark.end)
                elif _closes(double, mark):
                    _add(runs, double.run, _segment(text, double, mark.start, mark.end, number))
                    double = None
            elif double is None:
                if single is None:
                    single = _Open("single", mark.start, mark.end) if mark.opens else None
                elif mark.closes:
                    _add(runs, None, _segment(text, single, mark.start, mark.end, number))
                    single = None
        carry = None
        if double is not None:
            double.run = _add(runs, double.run, _segment(text, double, p_end, p_end, number))
            carry = double if double.run is not None else None
    return runs


def _closes(double: _Open, mark: _Mark) -> bool:
    """Whether ``mark`` closes the open quote: a mark of its family that can close; one
    of the other family only when no quote of that family is open inside (writers mix
    “ with \", and a straight quote inside curly ones is a nested quote)."""
    if mark.family == double.family:
        return mark.closes
    if mark.opens and not mark.closes:
        double.nested += 1
    elif mark.closes and not mark.opens:
        if double.nested == 0:
            return True
        double.nested -= 1
    elif double.nested:
        double.nested -= 1
    else:
        double.nested += 1
    return False


def _continued(text: str, p_start: int, p_end: int, carry: _Open | None) -> _Open | None:
    """A quote left open at the end of the last paragraph goes on here when this one
    starts with an opening mark of its family (the multi-paragraph convention)."""
    if carry is None:
        return None
    raw = text[p_start:p_end]
    match = _MARK.match(text, p_start + len(raw) - len(raw.lstrip()))
    if match is None:
        return None
    mark = _classify(text, match, p_start, p_end)
    if mark is None or not mark.opens or mark.family != carry.family:
        return None
    return _Open(carry.family, mark.start, mark.end, carry.run)


def _segment(
    text: str, opened: _Open, close_start: int, close_end: int, paragraph: int
) -> _Segment | None:
    """The content between the marks, whitespace trimmed; None when there is none."""
    start, end = opened.content, close_start
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start or not any(ch.isalnum() for ch in text[start:end]):
        return None
    if text[start] in "([" and text[end - 1 if text[end - 1] not in ".," else end - 2] in ")]":
        return None  # (CROSSTALK.), [inaudible]: stage directions
    return _Segment(start, end, opened.mark, close_end, paragraph)


def _add(
    runs: list[list[_Segment]], run: list[_Segment] | None, segment: _Segment | None
) -> list[_Segment] | None:
    """Append ``segment`` to ``run`` (a continued quote) or to a new run; returns the run."""
    if segment is None:
        return run
    if run is None:
        run = []
        runs.append(run)
    run.append(segment)
    return run


# --------------------------------------------------------------------------------------
# Context
# --------------------------------------------------------------------------------------


def _context(
    doc: Doc,
    text: str,
    paragraphs: list[tuple[int, int]],
    runs: list[list[_Segment]],
    mentions: Sequence[MentionItem],
    kinds: Mapping[str, str] | None,
) -> _Context:
    # Token attributes as integer arrays: creating a Token object per word would cost
    # more than everything else here together.
    table = doc.to_array(["IDX", "LEMMA", "SENT_START", "LOWER"])
    starts: list[int] = table[:, 0].tolist()
    lemmas: list[int] = table[:, 1].tolist()
    lowers: list[int] = table[:, 3].tolist()
    sent_first = [index for index, flag in enumerate(table[:, 2].tolist()) if flag == 1]
    if not sent_first or sent_first[0] != 0:
        sent_first.insert(0, 0)
    sent_of = [0] * len(doc)
    sent_spans: list[tuple[int, int]] = []
    bounds = [*sent_first, len(doc)]
    for number, (first, last) in enumerate(itertools.pairwise(bounds)):
        sent_of[first:last] = [number] * (last - first)
        end = starts[last] if last < len(doc) else len(text)
        sent_spans.append((starts[first], end))
    quoted = bytearray(len(doc))
    for run in runs:
        for segment in run:
            first, last = bisect_left(starts, segment.start), bisect_left(starts, segment.end)
            quoted[first:last] = b"\x01" * (last - first)
    ctx = _Context(
        doc=doc,
        text=text,
        starts=starts,
        sent_of=sent_of,
        sent_spans=sent_spans,
        para_starts=[start for start, _ in paragraphs],
        para_spans=paragraphs,
        quoted=quoted,
        mentions=[],
        mention_starts=[],
        cue_candidates=[
            index
            for index, (lemma, lower) in enumerate(zip(lemmas, lowers, strict=True))
            if lemma in _CUE_IDS or lower == _ACCORDING_ID
        ],
        doc_nouns=[index for index, lemma in enumerate(lemmas) if lemma in _DOC_NOUN_IDS],
    )
    ctx.mentions = _mention_records(ctx, mentions, kinds)
    ctx.mention_starts = [mention.start for mention in ctx.mentions]
    ctx.authors = _document_authors(ctx)
    return ctx


def _mention_records(
    ctx: _Context, mentions: Sequence[MentionItem], kinds: Mapping[str, str] | None
) -> list[_Mention]:
    """Mentions sorted by position, with person-ness and subject-hood for pronouns."""
    heads = [_token_at(ctx, max(m["span"][0], m["span"][1] - 1)) for m in mentions]
    if kinds is not None:
        persons = {actor for actor, kind in kinds.items() if kind == "person"}
    else:
        persons = {
            mention["actor"]
            for mention, head in zip(mentions, heads, strict=True)
            if head is not None and head.ent_type_ == "PERSON"
        }
    records = []
    for mention, head in zip(mentions, heads, strict=True):
        start, end = mention["span"][0], mention["span"][1]
        subject = head is not None and _is_subject(head)
        records.append(_Mention(start, end, mention["actor"], mention["actor"] in persons, subject))
    records.sort(key=lambda record: record.start)
    return records


def _is_subject(token: Token) -> bool:
    """A name is a subject when its head chain (compound, flat names) ends as one."""
    while token.dep_ in ("compound", "flat", "appos") and token.head is not token:
        token = token.head
    return token.dep_ in ("nsubj", "nsubjpass")


def _token_at(ctx: _Context, char: int) -> Token | None:
    """The token covering character ``char`` (or the nearest one before it)."""
    index = bisect_right(ctx.starts, char) - 1
    return ctx.doc[index] if 0 <= index < len(ctx.doc) else None


def _paragraph_of(ctx: _Context, char: int) -> int:
    return max(0, bisect_right(ctx.para_starts, char) - 1)


def _end(token: Token) -> int:
    return token.idx + len(token.text)


# --------------------------------------------------------------------------------------
# Direct quotes
# --------------------------------------------------------------------------------------


def _direct_items(ctx: _Context, runs: list[list[_Segment]]) -> list[QuoteItem]:
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
            items.append(_item(ctx, start, segment.end, cue, True))
    return items


def _transcript_label(ctx: _Context, segment: _Segment) -> tuple[int, _Cue | None]:
    """``"WALLACE: Let's start ...``: a transcript turn names its own speaker; the item
    starts after the label."""
    match = _LABEL.match(ctx.text, segment.start, segment.end)
    if match is None:
        return segment.start, None
    token = _token_at(ctx, match.start(1))
    if token is None:
        return segment.start, None
    return match.end(), _Cue(None, None, token, (match.start(1), match.end(1)))


def _attribute_run(ctx: _Context, run: list[_Segment]) -> tuple[str, _Cue | None]:
    """``("direct", cue)``, ``("absorbed", cue)`` (part of an indirect item) or
    ``("drop", None)``; a direct verdict with no cue continues an earlier speaker."""
    first, last = run[0], run[-1]
    if len(run) == 1 and _is_title(ctx.text[first.start : first.end]):
        return "drop", None  # “Collapse: How Societies Choose to Fail”: a title, not words
    short = len(run) == 1 and len(ctx.text[first.start : first.end].split()) <= SHORT_WORDS
    for segment in (first, last) if first is not last else (first,):
        governing = _governing_cue(ctx, segment)
        if governing is not None:
            speech = governing.lemma_.lower() in _PURE_SPEECH
            coverage = _coverage(ctx, governing)
            if coverage is None:
                if speech:
                    return "direct", _direct_cue(ctx, governing, last.close_end)
                break
            if coverage >= DIRECT_COVERAGE and (speech or not short):
                return "direct", _direct_cue(ctx, governing, last.close_end)
            return "absorbed", _cue_for(ctx, governing)
    cue = _frame_after(ctx, last) or _frame_before(ctx, first)
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
    return all(word[0].isupper() or word.lower() in _TITLE_SMALL for word in words)


def _previous_subject(ctx: _Context, segment: _Segment) -> tuple[Token, int] | None:
    """The named subject of the sentence just before a cue-less quote, and where that
    sentence starts: ``Sanders ... identified young voters' exhaustion ... “The younger
    people are ...”`` introduces its speaker without a speech verb."""
    index = bisect_left(ctx.starts, segment.open_start) - 1
    while index >= 0 and ctx.doc[index].is_space:
        index -= 1
    if index < 0 or ctx.quoted[index]:
        return None
    sentence = ctx.doc[index].sent
    subject = next((c for c in sentence.root.children if c.dep_ in _SUBJECTS), None)
    if subject is None or ctx.quoted[subject.i]:
        return None
    if subject.pos_ == "PROPN" or subject.lower_ in _PRONOUNS_PERSON:
        return subject, sentence.start_char
    return None


def _direct_cue(ctx: _Context, verb: Token, close: int) -> _Cue:
    """The cue of a direct quote, with a speaker outside the quote: a parse that makes a
    word of the quote the subject gives way to the name in the frame."""
    cue = _cue_for(ctx, verb)
    speaker = cue.speaker
    if verb.idx >= close:
        if speaker is None or ctx.quoted[speaker.i] or not _in_frame(speaker, verb, close):
            speaker = _name_between(ctx, close, verb) or _name_after(ctx, verb)
    elif speaker is not None and ctx.quoted[speaker.i]:
        speaker = None
    return _Cue(cue.token, cue.span, speaker)


def _governing_cue(ctx: _Context, segment: _Segment) -> Token | None:
    """The cue verb outside the quote that the quote's words hang from in the parse
    (within the paragraph: the parser runs on over a missing full stop)."""
    p_start, p_end = ctx.para_spans[segment.paragraph]
    for char in (segment.start, segment.end - 1):
        token = _token_at(ctx, char)
        steps = 0
        while token is not None and steps < 12:
            head = token.head
            if head is token or not p_start <= head.idx < p_end:
                break
            if not ctx.quoted[head.i] and _is_cue(head):
                return head
            according = _according_child(head)
            if according is not None and not ctx.quoted[according.i]:
                return according
            token, steps = head, steps + 1
    return None


def _according_child(token: Token) -> Token | None:
    """The *according (to X)* phrase attached to a clause, if any."""
    for child in token.children:
        if child.lower_ == "according" and _is_cue(child):
            return child
    return None


def _is_cue(token: Token) -> bool:
    if token.lower_ == "according":
        return any(child.lower_ == "to" for child in token.children)
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in CUE_LEXICON


def _coverage(ctx: _Context, cue: Token) -> float | None:
    """Share of the words ``cue`` reports that are inside quotation marks (None: the
    parse shows no content). The cue's own frame (*Maduro said*, when the parse puts it
    inside an interrupted quote) and a leading *that* do not count."""
    content = _content_span(ctx, cue)
    if content is None:
        return None
    speaker = _speaker(ctx, cue)
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


def _frame_after(ctx: _Context, segment: _Segment) -> _Cue | None:
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
    lemma = verb.lemma_.lower()
    return lemma in CUE_LEXICON or lemma in _PURE_SPEECH or verb.lower_ == "according"


def _frame_verbs(ctx: _Context, first: int, p_end: int) -> list[Token]:
    """Verbs in the few tokens after a closing mark, up to the sentence or next quote."""
    verbs = []
    for index in range(first, min(first + FRAME_TOKENS, len(ctx.doc))):
        token = ctx.doc[index]
        if token.is_space:
            continue
        if token.idx >= p_end or ctx.quoted[index]:
            break
        if token.is_sent_start and index > first and token.text not in _MARK_CHARS:
            break
        if token.lower_ == "according" and _is_cue(token):
            verbs.append(token)
            break
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.lemma_ == "say"):
            verbs.append(token)
    return verbs


def _frame_verb(ctx: _Context, verb: Token, close: int) -> _Cue | None:
    """The frame's verb is the quote's cue if it says (or at least does not report
    something else: ``“invasion,” Maduro ordered that ...`` is no quote of Maduro's).
    The speaker is the verb's subject when the parse put it in the frame, else the name
    between the closing mark and the verb, else the one right after the verb."""
    if verb.lower_ == "according":
        return _cue_for(ctx, verb)
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
    speaker = _speaker(ctx, verb)
    if speaker is None or ctx.quoted[speaker.i] or not _in_frame(speaker, verb, close):
        speaker = _name_between(ctx, close, verb) or _name_after(ctx, verb)
    if speaker is None:
        return None
    return _Cue(verb, _cue_span(verb), speaker)


def _in_frame(speaker: Token, verb: Token, close: int) -> bool:
    """Between the closing mark and the verb, or within a few words after the verb."""
    return close <= speaker.idx < verb.idx or verb.i < speaker.i <= verb.i + 6


def _name_between(ctx: _Context, close: int, verb: Token) -> Token | None:
    """The first name between the closing mark and the verb, up to the head of its
    phrase (``Tulsa police Chief Chuck Jordan said``; ``Flynn, a top surrogate, said``)."""
    for index in range(bisect_left(ctx.starts, close), verb.i):
        token = ctx.doc[index]
        if token.pos_ in ("PROPN", "NOUN", "PRON") and not ctx.quoted[index]:
            while token.dep_ in ("compound", "flat") and token.i < token.head.i < verb.i:
                token = token.head
            return token
    return None


def _name_after(ctx: _Context, verb: Token) -> Token | None:
    """``said Kenneth Baer``: the first name or noun after the verb that is no date."""
    for token in verb.doc[verb.i + 1 : min(len(verb.doc), verb.i + 6)]:
        if token.is_space or token.is_punct or ctx.quoted[token.i]:
            break
        if token.pos_ in ("PROPN", "NOUN", "PRON") and token.ent_type_ not in ("DATE", "TIME"):
            while token.dep_ in ("compound", "flat") and token.head.i > token.i:
                token = token.head
            return token
    return None


def _dash_speaker(ctx: _Context, dash: int) -> _Cue | None:
    """``“...” ― Hillary Clinton``: a name after a dash is the speaker, the dash the cue."""
    index = bisect_left(ctx.starts, dash)
    if index >= len(ctx.doc):
        return None
    dash_token = ctx.doc[index]
    following = _next_word(ctx, index + 1)
    if following is None or following.pos_ != "PROPN":
        return None
    name = following
    while name.head is not name and name.dep_ in ("compound", "flat"):
        name = name.head
    return _Cue(None, (dash_token.idx, _end(dash_token)), name)


def _next_word(ctx: _Context, index: int) -> Token | None:
    while index < len(ctx.doc) and ctx.doc[index].is_space:
        index += 1
    return ctx.doc[index] if index < len(ctx.doc) else None


def _frame_before(ctx: _Context, segment: _Segment) -> _Cue | None:
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


def _name_label(ctx: _Context, start: int, end: int) -> _Cue | None:
    """``Pence: Gennifer Flowers Won’t Be at Debate`` (headlines, transcripts): a name and
    a colon opening the paragraph are speaker and cue."""
    match = _NAME_COLON.fullmatch(ctx.text, start, end)
    if match is None or match.group(1).lower() in _NOT_SPEAKERS:
        return None
    first, last = bisect_left(ctx.starts, match.start(1)), bisect_left(ctx.starts, match.end(1))
    tokens = ctx.doc[first:last]
    if not len(tokens) or any(t.pos_ not in ("PROPN", "NOUN") for t in tokens):
        return None
    named = match.group(1).isupper() or _mention_over(ctx, match.start(1), match.end(1))
    if not named and not any(t.ent_type_ in _NAME_ENTITIES for t in tokens):
        return None  # "Stealth Over Health: ...": a headline, not a speaker
    colon = match.end(1)
    return _Cue(None, (colon, colon + 1), tokens.root, (match.start(1), match.end(1)))


def _label_items(ctx: _Context, direct: list[QuoteItem]) -> list[QuoteItem]:
    """Headline and transcript paragraphs ``Name: what they said`` outside quotation
    marks (quoted ones are direct items already)."""
    items: list[QuoteItem] = []
    spans = sorted((item["span"][0], item["span"][1]) for item in direct)
    for p_start, p_end in ctx.para_spans:
        colon = ctx.text.find(":", p_start, min(p_end, p_start + 40))
        if colon < 0:
            continue
        cue = _name_label(ctx, p_start, colon + 1)
        content = _trimmed(ctx, colon + 1, p_end, colon)
        if cue is None or content is None or _mostly_quoted(content, spans):
            continue
        items.append(_item(ctx, content[0], content[1], cue, False))
    return items


def _verb_before(ctx: _Context, punct: int, limit: int) -> _Cue | None:
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
        if according.lower_ == "according" and _is_cue(according):
            return _cue_for(ctx, according)  # According to X, “...”
        if token.pos_ == "VERB":
            cue = _frame_verb(ctx, token, limit)
            if cue is not None or token.lemma_.lower() in CUE_LEXICON:
                return cue
            return None
    return None


def _standalone(ctx: _Context, run: list[_Segment]) -> bool:
    """The quote is a whole sentence (or several) on its own: nothing but punctuation
    between it and the sentence edges."""
    first, last = run[0], run[-1]
    start_token = _token_at(ctx, first.start)
    end_token = _token_at(ctx, last.end - 1)
    if start_token is None or end_token is None:
        return False
    sent_start = min(ctx.sent_spans[ctx.sent_of[start_token.i]][0], first.open_start)
    sent_end = max(ctx.sent_spans[ctx.sent_of[end_token.i]][1], last.close_end)
    sent_start = max(sent_start, ctx.para_spans[first.paragraph][0])
    sent_end = min(sent_end, ctx.para_spans[last.paragraph][1])
    before = ctx.text[sent_start : first.open_start]
    after = ctx.text[last.close_end : sent_end]
    return _PUNCT_ONLY.fullmatch(before) is not None and _PUNCT_ONLY.fullmatch(after) is not None


# --------------------------------------------------------------------------------------
# Indirect speech
# --------------------------------------------------------------------------------------


def _indirect_items(ctx: _Context, direct: list[QuoteItem]) -> list[QuoteItem]:
    """An item for every cue verb outside quotes whose reported content the parse shows."""
    items: list[QuoteItem] = []
    direct_spans = sorted((item["span"][0], item["span"][1]) for item in direct)
    for index in ctx.cue_candidates:
        token = ctx.doc[index]
        if ctx.quoted[index] or index in ctx.used_cues or not _is_cue(token):
            continue
        content = _content_span(ctx, token)
        if content is None or _mostly_quoted(content, direct_spans):
            continue
        if " " not in ctx.text[content[0] : content[1]].strip():
            continue  # "blame Bush", "called for": a word is no statement
        cue = _cue_for(ctx, token)
        if cue.speaker is not None and cue.speaker.lower_ in _WRITER:
            continue  # "I believe": outside quotation marks, the writer's own voice
        items.append(_item(ctx, content[0], content[1], cue, False))
    return items


def _mostly_quoted(content: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """A content span that a direct item already covers is that item, not a second one."""
    start, end = content
    covered = sum(max(0, min(end, e) - max(start, s)) for s, e in spans if s < end and e > start)
    return covered >= DIRECT_COVERAGE * (end - start)


def _content_span(ctx: _Context, cue: Token) -> tuple[int, int] | None:
    """What ``cue`` reports, as a trimmed character span; None when the parse shows none."""
    if cue.lower_ == "according":
        return _according_content(ctx, cue)
    kinds = CUE_LEXICON.get(cue.lemma_.lower(), frozenset())
    parts = [
        child
        for child in cue.children
        if _is_content(child, kinds, cue) and child.lower_ not in _RELATIVE
    ]
    if parts:
        start = min(child.left_edge.idx for child in parts)
        end = max(_end(child.right_edge) for child in parts)
        return _trimmed(ctx, start, end, cue.idx)
    if cue.dep_ == "parataxis" and cue.head is not cue:
        return _around(ctx, cue.head, cue)
    if cue.dep_ == "relcl":
        return _relative_content(ctx, cue)
    return _tail_content(ctx, cue)


def _is_content(child: Token, kinds: frozenset[str], cue: Token) -> bool:
    dep = child.dep_
    if dep == "ccomp" and _CCOMP in kinds:
        return True
    if dep == "dobj" and _DOBJ in kinds:
        return not (cue.lemma_ == "tell" or (cue.lemma_ == "ask" and _XCOMP in kinds))
    if dep == "xcomp" and _XCOMP in kinds:
        return True
    if dep == "oprd" and _OPRD in kinds:
        return True
    if dep == "prep":
        word = child.lower_
        return f"prep:{word}" in kinds
    return False


def _relative_content(ctx: _Context, cue: Token) -> tuple[int, int] | None:
    """``a ship that Trump claimed was carrying drug traffickers``: the noun phrase and
    the clause after the cue, up to the next clause punctuation."""
    end = _end(cue)
    for token in cue.doc[cue.i + 1 : min(len(cue.doc), cue.i + 40)]:
        if token.is_space or token.text in (",", ";", ":", ".", "(", ")") or token.is_sent_start:
            break
        end = _end(token)
    if end == _end(cue):
        return None
    return _trimmed(ctx, cue.head.left_edge.idx, end, cue.idx)


def _according_content(ctx: _Context, according: Token) -> tuple[int, int] | None:
    """``According to X, CLAUSE`` / ``CLAUSE, according to X``: the clause."""
    head = according.head
    if head is according:
        return None
    return _around(ctx, head, according)


def _around(ctx: _Context, clause: Token, inner: Token) -> tuple[int, int] | None:
    """The clause of ``clause`` without the reporting phrase ``inner``: the longer side,
    or the whole clause when the phrase interrupts it (``The letter, X claimed, ...``)."""
    start, end = clause.left_edge.idx, _end(clause.right_edge)
    inner_start, inner_end = inner.left_edge.idx, _end(inner.right_edge)
    before = _trimmed(ctx, start, inner_start, inner.idx) if inner_start > start else None
    after = _trimmed(ctx, inner_end, end, inner.idx) if inner_end < end else None
    if before and after:
        return _trimmed(ctx, start, end, inner.idx)
    return before or after


def _tail_content(ctx: _Context, cue: Token) -> tuple[int, int] | None:
    """``CLAUSE, X said.`` when the parse did not link the clause: the sentence before."""
    subject = _speaker(ctx, cue)
    if subject is None or subject.i >= cue.i:
        return None
    if any(child.dep_ in _OBJECTS for child in cue.rights):
        return None
    left = subject.left_edge.i - 1
    if left < 1 or ctx.doc[left].text != ",":
        return None
    sent_start = ctx.sent_spans[ctx.sent_of[cue.i]][0]
    clause = ctx.doc[bisect_left(ctx.starts, sent_start) : left]
    # "On Thursday, however, Trump spoke ..." or "If he wins, ...": no reported clause
    if not any(t.pos_ in ("VERB", "AUX") for t in clause) or clause[0].lower_ in _SUBORDINATORS:
        return None
    return _trimmed(ctx, sent_start, ctx.doc[left].idx, cue.idx)


def _trimmed(
    ctx: _Context, start: int, end: int, anchor: int | None = None
) -> tuple[int, int] | None:
    """Trim spaces and clause punctuation at the edges, and keep to the paragraph of
    ``anchor`` (the cue: a parse may run on over a missing full stop); None if too little
    is left."""
    text = ctx.text
    if anchor is not None:
        p_start, p_end = ctx.para_spans[_paragraph_of(ctx, anchor)]
        start, end = max(start, p_start), min(end, p_end)
    while start < end and text[start] in _TRIM_LEFT:
        start += 1
    while end > start and text[end - 1] in _TRIM_RIGHT:
        end -= 1
    if end - start < 3 or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return start, end


# --------------------------------------------------------------------------------------
# Cues and speakers
# --------------------------------------------------------------------------------------


def _cue_for(ctx: _Context, token: Token) -> _Cue:
    if token.lower_ == "according":
        to = next(child for child in token.children if child.lower_ == "to")
        return _Cue(token, (token.idx, _end(to)), _cue_for_according(token))
    return _Cue(token, _cue_span(token), _speaker(ctx, token))


def _cue_for_according(according: Token) -> Token | None:
    """X in *according to X*."""
    to = next((child for child in according.children if child.lower_ == "to"), None)
    if to is None:
        return None
    return next((child for child in to.children if child.dep_ == "pobj"), None)


def _cue_span(verb: Token) -> tuple[int, int]:
    """The verb, with a particle right after it (*pointed out*)."""
    end = _end(verb)
    following = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    if following is not None and following.dep_ == "prt" and following.head is verb:
        end = _end(following)
    return verb.idx, end


def _speaker(ctx: _Context, verb: Token) -> Token | None:
    """Who says: the subject, the agent of a passive, inherited through coordination and
    participles, or the noun a participle or relative clause hangs on; when the parse
    puts it in another paragraph (a heading ran into the sentence), the name just before
    the verb."""
    found = _parsed_speaker(verb)
    if found is None or _same_paragraph(ctx, found, verb):
        return found
    return _local_subject(verb)


def _same_paragraph(ctx: _Context, one: Token, other: Token) -> bool:
    return _paragraph_of(ctx, one.idx) == _paragraph_of(ctx, other.idx)


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
    token = verb
    for _ in range(4):
        # A clause the cue is coordinated with may carry its own source: in "According
        # to Maduro, X were destroyed, and further claimed that ...", Maduro claims.
        according = _according_child(token) if token is not verb else None
        if according is not None:
            return _cue_for_according(according)
        subjects = [child for child in token.children if child.dep_ in _SUBJECTS]
        named = [child for child in subjects if child.lower_ not in _RELATIVE]
        if named:
            return named[0]
        if subjects:
            return token.head if token.dep_ == "relcl" else None
        for child in token.children:
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        if any(child.dep_ == "nsubjpass" for child in token.children):
            return None
        if token.dep_ == "acl" and _can_speak(token.head):
            return token.head
        if token.dep_ in ("acl", "pcomp") and token.tag_ in ("VBG", "VBN"):
            # "..., encouraging his supporters" hung on an object; "by saying": the
            # participle shares the subject of the nearest verb above it
            above = _verb_above(token)
            if above is None:
                return None
            token = above
            continue
        if token.dep_ not in _INHERIT_SUBJECT or token.head is token:
            return None
        if token.dep_ == "ccomp" and token.tag_ != "VBG":
            return None
        token = token.head
    return None


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
    return noun.pos_ in ("PROPN", "PRON") or lemma in _DOC_NOUNS or lemma in _ROLE_NOUNS


def _speaker_span(ctx: _Context, speaker: Token) -> tuple[int, int]:
    """The speaker's noun phrase: modifiers before the head, coordinated names and *of*
    phrases after it, never its relative clauses or appositions."""
    left = speaker.left_edge
    while left.i < speaker.i and (left.is_space or left.is_punct or "\n" in left.text):
        left = left.nbor(1)
    start = left.idx
    newline = ctx.text.rfind("\n", start, speaker.idx)
    if newline >= 0:
        start = next(t.idx for t in speaker.doc[left.i : speaker.i + 1] if t.idx > newline)
    end = _end(speaker)
    for child in speaker.rights:
        if not _part_of_name(speaker, child):
            break
        end = max(end, _end(child.right_edge))
    return start, end


def _part_of_name(speaker: Token, child: Token) -> bool:
    """``Maduro and members of his regime``, ``ruler Nicolas Maduro``: yes; ``, who ...``
    or ``, a former official``: no (the gold standard and the reader stop there)."""
    dep = child.dep_
    if dep in ("conj", "cc", "compound", "flat"):
        return True
    if dep == "prep":
        return child.lower_ == "of"
    return dep == "appos" and child.left_edge.i == speaker.i + 1


def _item(ctx: _Context, start: int, end: int, cue: _Cue | None, direct: bool) -> QuoteItem:
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
            actor, speaker_name, speaker_span = _speaker_fields(ctx, cue.speaker, cue.speaker_span)
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


def _speaker_fields(
    ctx: _Context, speaker: Token, span: tuple[int, int] | None = None
) -> tuple[str | None, str, Span]:
    """(actor id, speaker_name, speaker_span) for a speaker token."""
    s, e = span or _speaker_span(ctx, speaker)
    return _resolve(ctx, speaker), ctx.text[s:e], [s, e]


def _carry_speakers(ctx: _Context, items: list[QuoteItem]) -> list[QuoteItem]:
    """Cue-less direct quotes continue the last speaker within :data:`CARRY_PARAGRAPHS`,
    unless a sentence after that speaker's item and right before the quote has a named
    subject: then that subject introduced the quote."""
    last: QuoteItem | None = None
    for item in items:
        if item["speaker_span"] is None and item["cue"] is None and item["direct"]:
            hint = ctx.hints.get(item["span"][0])
            recent = last is not None and (
                _paragraph_of(ctx, item["span"][0]) - _paragraph_of(ctx, last["span"][0])
                <= CARRY_PARAGRAPHS
            )
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


# --------------------------------------------------------------------------------------
# Speaker to actor
# --------------------------------------------------------------------------------------


def _resolve(ctx: _Context, speaker: Token) -> str | None:
    """The actor id for a speaker phrase, or None when no actor is meant or known."""
    word = speaker.lower_
    if word in _PRONOUNS_PERSON:
        return _antecedent(ctx, speaker.idx)
    found = _mention_over(ctx, speaker.idx, _end(speaker))
    if found is not None:
        return found
    for dep in _NAME_MODIFIERS:
        for child in speaker.children:
            if child.dep_ == dep:
                found = _mention_over(ctx, child.left_edge.idx, _end(child.right_edge))
                if found is not None:
                    return found
    lemma = speaker.lemma_.lower()
    definite = any(child.lower_ in ("the", "this", "that") for child in speaker.lefts)
    if lemma in _DOC_NOUNS:
        return _author(ctx, speaker.idx)
    if lemma in _ROLE_NOUNS and definite:
        return _antecedent(ctx, speaker.idx)
    for child in speaker.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for"):
            found = _mention_over(ctx, child.idx, _end(child.right_edge))
            if found is not None:
                return found
    return None


def _mention_over(ctx: _Context, start: int, end: int) -> str | None:
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


def _antecedent(ctx: _Context, position: int) -> str | None:
    """The most recent person mention before ``position`` outside quotation marks that is
    a grammatical subject (the centre of attention) within :data:`SUBJECT_PARAGRAPHS`;
    else the most recent person mention within :data:`CARRY_PARAGRAPHS`."""
    index = bisect_left(ctx.mention_starts, position) - 1
    paragraph = _paragraph_of(ctx, position)
    fallback: str | None = None
    while index >= 0:
        mention = ctx.mentions[index]
        index -= 1
        distance = paragraph - _paragraph_of(ctx, mention.start)
        if distance > SUBJECT_PARAGRAPHS:
            break
        if not mention.person or _in_quote(ctx, mention.start):
            continue
        if mention.subject:
            return mention.actor
        if fallback is None and distance <= CARRY_PARAGRAPHS:
            fallback = mention.actor
    return fallback


def _in_quote(ctx: _Context, char: int) -> bool:
    token = _token_at(ctx, char)
    return token is not None and bool(ctx.quoted[token.i])


def _document_authors(ctx: _Context) -> list[tuple[int, Token]]:
    """(position, author token) for every document someone is said to write or send:
    ``Maduro sent a letter``, ``Maduro's letter``."""
    authors: list[tuple[int, Token]] = []
    for index in ctx.doc_nouns:
        token = ctx.doc[index]
        if token.pos_ != "NOUN":
            continue
        owner = next((child for child in token.children if child.dep_ == "poss"), None)
        if owner is None and token.dep_ == "dobj" and token.head.lemma_ in _AUTHOR_VERBS:
            owner = _speaker(ctx, token.head)
        if owner is not None:
            authors.append((token.idx, owner))
    return authors


def _author(ctx: _Context, position: int) -> str | None:
    """The author of the latest document written or sent before ``position``."""
    for place, owner in reversed(ctx.authors):
        if place >= position:
            continue
        if owner.lower_ in _PRONOUNS_PERSON:
            return _antecedent(ctx, owner.idx)
        s, e = _speaker_span(ctx, owner)
        return _mention_over(ctx, owner.idx, _end(owner)) or _mention_over(ctx, s, e)
    return None
