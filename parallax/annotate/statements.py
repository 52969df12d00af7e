"""What comparison needs of an article's sentences: their spans, terms and value slots.

Comparing outlets happens long after the parse, over many articles at once, and must not
parse again (a story of 200 articles is compared in well under the time one parse takes).
So the parse leaves behind, per article:

* ``sentences``: each sentence's span and its content terms (lower-case lemmas of nouns,
  proper nouns, verbs, adjectives and numbers, no stop words), which is what statements
  are aligned on across articles;
* ``slots``: for each date and quantity, *what it is the value of*: the predicate it
  hangs on (``dated``, ``kept``), the thing it counts or describes (``warship``,
  ``letter``) and the clause that states it. Two outlets give conflicting values only
  when their values fill the same slot: "seven warships" and "nine warships" do,
  "dated September 5" and "delivered on September 6" do not.

Slots are found from the dependency parse with a few rules, no model of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span, Token

from parallax.model import DateItem, QuantityItem, SentenceItem, SlotItem
from parallax.text import GENERIC_PREDICATES, trim_span

CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
"""Parts of speech whose lemmas say what a sentence is about."""


_CLAUSE_BREAKS = frozenset({"relcl", "advcl", "ccomp", "conj", "parataxis", "cc", "acl"})
_GOVERNORS = frozenset({"VERB", "AUX", "NOUN", "PROPN"})
_PREPOSITIONS = frozenset({"prep", "agent", "pcomp"})
_MIN_SENTENCE_TOKENS = 4
_UNIT_WORDS = frozenset({"percent", "per", "cent", "%", "percentage"})


def extract_sentences(doc: Doc) -> list[SentenceItem]:
    """Each sentence with at least a few words: span (trimmed of spaces) and terms."""
    found: list[SentenceItem] = []
    text = doc.text  # built from the tokens on each access: once per doc
    for sent in doc.sents:
        for piece in _lines(sent):
            words = [t for t in piece if t.is_alpha or t.like_num]
            if len(words) < _MIN_SENTENCE_TOKENS:
                continue
            start, end = trim_span(text, piece.start_char, piece.end_char)
            found.append(SentenceItem(span=[start, end], terms=terms(piece)))
    return found


def _lines(sent: Span) -> list[Span]:
    """A sentence cut at line breaks: a heading run into the next sentence by the parser
    ("U.S.-Venezuela diplomacy\nMaduro's letter is dated ...") is not part of it."""
    pieces: list[Span] = []
    start = sent.start
    for token in sent:
        if "\n" in token.text or "\n" in token.whitespace_:
            end = token.i if "\n" in token.text else token.i + 1
            if end > start:
                pieces.append(sent.doc[start:end])
            start = token.i + 1
    if start < sent.end:
        pieces.append(sent.doc[start : sent.end])
    return pieces


def terms(tokens: Iterable[Token]) -> list[str]:
    """Content lemmas, lower case, in order (repeats kept: they weigh a term)."""
    return [
        (t.lemma_ or t.text).lower()
        for t in tokens
        if t.pos_ in CONTENT_POS and not t.is_stop and (t.is_alpha or t.like_num)
    ]


def extract_slots(
    doc: Doc, dates: Sequence[DateItem], quantities: Sequence[QuantityItem]
) -> list[SlotItem]:
    """One slot per date (of type date) and per quantity, keyed by the value's span."""
    slots: list[SlotItem] = []
    text = doc.text
    values: list[tuple[str, list[int]]] = [
        ("date", d["span"]) for d in dates if d["type"] == "date"
    ]
    values += [("quantity", q["span"]) for q in quantities]
    for kind, value_span in values:
        span = doc.char_span(value_span[0], value_span[1], alignment_mode="expand")
        if span is None or not len(span):
            continue
        slots.append(_slot(kind, value_span, span, text, is_quantity=kind == "quantity"))
    slots.extend(_roles(doc, text))
    return slots


def _roles(doc: Doc, text: str) -> list[SlotItem]:
    """Who did something to what: one ``role`` slot per verb with a named agent and a
    common-noun object ("Calderoa published the letter", "the letter was released by
    Oyarzo"); ``span`` is the agent's, ``head`` the verb, ``thing`` the object. Two
    outlets naming different agents for one verb and object is a name conflict."""
    roles: list[SlotItem] = []
    for verb in doc:
        if verb.pos_ != "VERB" or _lemma(verb) in GENERIC_PREDICATES:
            continue
        agent = thing = None
        for child in verb.children:
            if child.dep_ == "nsubj" and child.pos_ == "PROPN":
                agent = child
            elif child.dep_ == "agent":
                agent = next((c for c in child.children if c.dep_ == "pobj"), None)
            elif child.dep_ in ("dobj", "nsubjpass") and child.pos_ == "NOUN":
                thing = child
        if agent is None or thing is None or agent.pos_ != "PROPN":
            continue
        name = _name_span(agent)
        roles.append(
            SlotItem(
                kind="role",
                span=[name.start_char, name.end_char],
                head=_lemma(verb),
                thing=_lemma(thing),
                clause=_clause(verb, name, text),
            )
        )
    return roles


def _name_span(token: Token) -> Span:
    """The whole name a proper-noun token heads ("Vice President Rafael Oyarzo")."""
    parts = [t for t in token.subtree if t.pos_ == "PROPN" or t.i == token.i]
    start = min(t.i for t in parts)
    while start < token.i and _doc_gap(token.doc, start, token.i):
        start += 1
    return token.doc[start : token.i + 1]


def _doc_gap(doc: Doc, start: int, end: int) -> bool:
    """Whether a non-name token lies between ``start`` and ``end``."""
    return any(doc[i].pos_ != "PROPN" for i in range(start, end))


def _slot(
    kind: str, value_span: list[int], span: Span, text: str, *, is_quantity: bool
) -> SlotItem:
    root = span.root
    head = _governor(root, span)
    thing = _thing(root, span, head, is_quantity=is_quantity)
    clause = _clause(head if head is not None else root, span, text)
    return SlotItem(
        kind=kind,
        span=list(value_span),
        head=_lemma(head) if head is not None and head.pos_ in ("VERB", "AUX") else None,
        thing=thing,
        clause=clause,
    )


def _governor(token: Token, span: Span) -> Token | None:
    """The first verb or noun outside the value that the value hangs on (skipping
    prepositions: "delivered on September 6" -> delivered)."""
    current = token
    for _ in range(8):
        parent = current.head
        if parent is current:
            return None
        outside = parent.i < span.start or parent.i >= span.end
        if outside and parent.pos_ in _GOVERNORS and parent.dep_ not in _PREPOSITIONS:
            return parent
        current = parent
    return None


def _thing(root: Token, span: Span, head: Token | None, *, is_quantity: bool) -> str | None:
    """What the value counts or dates: the counted noun inside the quantity ("seven
    warships"), its "of" complement ("5% of drugs"), else the subject of the predicate
    ("the letter ... dated"), else a noun the value modifies."""
    if is_quantity:
        nouns = [t for t in span if t.pos_ == "NOUN" and t.i > span.start]
        if nouns and _lemma(nouns[-1]) not in _UNIT_WORDS:
            return _lemma(nouns[-1])
        for token in (root, *span):
            if not any(_lemma(t) in _UNIT_WORDS for t in span):
                break  # "one of the three terminals" counts a part, not the terminals
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    objects = [c for c in child.children if c.dep_ == "pobj"]
                    if objects:
                        return _lemma(objects[0]) if objects[0].pos_ in ("NOUN", "PROPN") else None
    if head is None:
        return None
    if head.pos_ in ("NOUN", "PROPN"):
        return _lemma(head)
    for child in head.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ in ("NOUN", "PROPN"):
            return None if _lemma(child) in _UNIT_WORDS else _lemma(child)
    if head.dep_ in ("acl", "relcl") and head.head.pos_ in ("NOUN", "PROPN"):
        return _lemma(head.head)
    return None


def _clause(head: Token, span: Span, text: str) -> list[int]:
    """The clause that states the value: the predicate's words without the subordinate
    clauses that do not contain the value."""
    keep = _clause_tokens(head, span)
    tokens = sorted(keep, key=lambda t: t.i)
    while tokens and (tokens[0].dep_ in ("mark", "cc", "punct") or tokens[0].is_punct):
        tokens.pop(0)
    while tokens and tokens[-1].is_punct and tokens[-1].text not in ")”’\"'":
        tokens.pop()
    if not tokens:
        return [span.start_char, span.end_char]
    start = min(tokens[0].idx, span.start_char)
    end = max(tokens[-1].idx + len(tokens[-1].text), span.end_char)
    start = max(start, text.rfind("\n", start, span.start_char) + 1)
    line_end = text.find("\n", span.end_char, end)
    return list(trim_span(text, start, end if line_end < 0 else line_end))


def _clause_tokens(token: Token, span: Span) -> list[Token]:
    kept = [token]
    for child in token.children:
        inside = any(span.start <= t.i < span.end for t in child.subtree)
        if child.dep_ in _CLAUSE_BREAKS and not inside:
            continue
        kept.extend(_clause_tokens(child, span))
    return kept


def _lemma(token: Token) -> str:
    return (token.lemma_ or token.text).lower()
