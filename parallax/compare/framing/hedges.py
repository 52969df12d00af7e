"""Hedges: the words with which the outlet distances itself from a claim.

"Allegedly", "without evidence", "could not independently verify" (``hedges.tsv``) say how
far the outlet stands behind what it reports; inside a long quotation they are the
speaker's, not the outlet's, and are left out. "Claim" counts as a speech verb only.
Hedges that touch ("claimed without evidence") are one item of the strongest kind.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from parallax.compare.framing.context import Context, Text
from parallax.compare.framing.lexicon import HEDGE_KINDS, Lexicon, TermMatch, matches_in
from parallax.compare.framing.rules import plain_sense
from parallax.compare.framing.spans import Cover
from parallax.model import Hedge

_NOUN_BEFORE_CLAIM = frozenset(
    "the a an his her its their our your my these those this such any no false new of "
    "earlier similar competing dubious".split()
)
_NOUN_AFTER_CLAIM = frozenset("of for about against were are have had by court".split())
_CLAIM = frozenset({"claim", "claims"})


def hedges(doc: Text, context: Context, lexicon: Lexicon, plain: Cover) -> list[Hedge]:
    """The outlet's hedges, touching ones merged, in text order."""
    kept = [
        match
        for match in matches_in(lexicon, doc, "hedge")
        if not plain_sense(match, plain)
        and not context.in_speech(match.start, match.end)
        and not _claim_as_noun(doc, match)
    ]
    return [
        {"text": doc.text[start:end], "span": [start, end], "kind": kind}
        for start, end, kind in _merge_touching(doc.text, kept)
    ]


def _claim_as_noun(doc: Text, match: TermMatch) -> bool:
    """ "claims" is distancing as a speech verb ("Orsland claims that ..."), not as a noun
    ("the claims", "insurance claims", "claims of fraud")."""
    token = doc.tokens[match.first]
    if match.first != match.last or token.key not in _CLAIM:
        return False
    before = doc.tokens[match.first - 1].key if match.first > 0 else ""
    after = doc.tokens[match.last + 1].key if match.last + 1 < len(doc.tokens) else ""
    return before in _NOUN_BEFORE_CLAIM or after in _NOUN_AFTER_CLAIM


def _merge_touching(text: str, matches: Sequence[TermMatch]) -> Iterator[tuple[int, int, str]]:
    """Hedges separated only by spaces or a comma are one hedge of the strongest kind."""
    group: list[TermMatch] = []
    for match in matches:
        if group and text[group[-1].end : match.start].strip(" ,") == "":
            group.append(match)
            continue
        if group:
            yield _merged(group)
        group = [match]
    if group:
        yield _merged(group)


def _merged(group: Sequence[TermMatch]) -> tuple[int, int, str]:
    kind = min((m.entry.category for m in group), key=HEDGE_KINDS.index)
    return group[0].start, group[-1].end, kind
