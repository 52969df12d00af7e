"""The tense of the clause around an expression, from the spaCy parse.

This is the one place the grammar needs the parse: "Friday" or "Sept. 6" lies before the
publication date when the verb that governs it is past and after it when it is future,
and the grammar alone cannot tell which.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

_FUTURE_AUX = frozenset({"will", "'ll", "’ll", "shall", "wo", "would", "going"})
_FUTURE_LEMMAS = frozenset({"expect", "schedule", "plan", "slate", "intend", "aim", "hope", "want"})
_PRESENT_BE = frozenset({"is", "are", "am", "'s", "'re", "’s", "’re"})
_PERFECT = frozenset({"has", "have", "'ve", "’ve"})
_FORWARD = frozenset({"until", "till", "to", "through", "by", "pending"})
"""Prepositions that point ahead whatever the tense: "extended to Nov. 16" is still to come."""
_FUTURE_HEADS = _FUTURE_LEMMAS | {"set", "due", "likely", "about", "go"}
"""Heads of a to-infinitive that put it in the future: "set to resume trading Monday"."""


def _verb_tense(verb: Token, depth: int = 0) -> int:
    """-1 past, +1 future, 0 present or unknown, from the verb and its auxiliaries."""
    auxes = {c.lower_: c for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if verb.lower_ in _FUTURE_AUX or _FUTURE_AUX.intersection(auxes):
        return 1
    if verb.lemma_ in _FUTURE_LEMMAS and (verb.tag_ != "VBN" or auxes):
        return 1  # "has scheduled a news conference Thursday" is about Thursday to come
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes.values()):
        return -1
    if _PERFECT.intersection(auxes):
        return -1
    if verb.tag_ == "VBG" and _PRESENT_BE.intersection(auxes):
        return 1  # "is meeting Friday"
    head = verb.head
    if verb.tag_ == "VB" and depth < 2 and head is not verb and verb.dep_ in ("xcomp", "ccomp"):
        return _complement_tense(head, depth)
    return 0


def _complement_tense(head: Token, depth: int) -> int:
    """The tense of an infinitive, from the verb it completes. A past head gives 0, not
    -1: "agreed to meet Friday" may well be about a Friday to come."""
    if head.lemma_ in _FUTURE_HEADS or (head.lemma_ == "be" and head.tag_ in ("VBZ", "VBP")):
        return 1  # "plans to meet Friday", "is to resume trading Tuesday"
    return max(0, _verb_tense(head, depth + 1))


def tense(doc: Doc | None, start: int, end: int) -> int:
    """The tense of the verb that governs the characters ``start:end`` of the doc, or 0.

    Only prepositions, conjunctions and appositions are climbed: a noun or adjective in
    between ("the Jan. 14 deadline", "payable Dec. 15") cuts the expression off from the
    clause's tense, which then says nothing about it.
    """
    if doc is None:
        return 0
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return 0
    token = span.root
    for _ in range(6):
        head = token.head
        if head is token:
            return _verb_tense(token) if token.pos_ in ("VERB", "AUX") else 0
        if head.pos_ == "ADP":
            if head.lower_ in _FORWARD:
                return 1
            if head.lower_ == "as" and head.i > 0 and head.nbor(-1).lower_ in ("soon", "early"):
                return 1  # "as soon as Tuesday"
        elif head.pos_ in ("VERB", "AUX"):
            return _verb_tense(head)
        elif token.dep_ not in ("conj", "appos"):
            return 0
        token = head
    return 0
