"""The matcher machinery: patterns over symbols, what a match offers a rule, rules.

A pattern is a regex written with ``<class>`` placeholders and a few macros (``<NUM>``,
``<MON>``, ...), expanded to the symbols of :mod:`~parallax.annotate.dates.tokens`. A
rule pairs patterns with a handler; the handler reads the match (its groups as words,
the symbols around it, the tense of its clause) and returns what the expression is, or
``None`` to let another rule have the tokens. The order rules are tried in is
:data:`parallax.annotate.dates.rules.RULES`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from parallax.annotate.dates.calendar import Anchor
from parallax.annotate.dates.tense import tense
from parallax.annotate.dates.tokens import SYM, Tokens, classify

MACROS = {
    "NUMW": "(?:<numword>(?:<hyph>?(?:<numword>|<bignum>))*)",
    "NUM": "(?:(?:<int>|<day>|<year>)<frac>?|<frac>|<NUMW>|<a><bignum>|<a>(?:<vague><of>?)?"
    "|<vague><of>?)",
    "QUAL": "(?:<qual>|<more><than>|<at><least>|<up><to>|<no><more><than>)",
    "PM": "(?:<early><hyph>?|(?:<the>)?<bound><of>(?:<the>)?)",
    "MON": "(?:<month>|<monthamb>)",
    "LAST": "(?:<last>|<past>)",
    "REL": "(?:<LAST>|<next>|<this>(?:<next>|<LAST>)?|<the>(?:<LAST>|<next>|<this>))",
    "DAYN": "(?:<day>|<ordday>|<ordword>|<numword><hyph>?<ordword>)",
    "YR": "(?:<year>|<shortyear>)",
    "SPELLED": "(?:<numword>(?:<numword>|<bignum>)(?:<hyph>?<numword>)?)",
}
"""Pieces of pattern that many rules share: a number, a qualifier ("at least"), a
position in a period ("early", "the end of"), a month, a relation ("last", "this coming"),
a day of the month, a year, a spelled-out year."""
_PLACEHOLDER = re.compile(r"(?<!\?P)<(\w+)>")


def expand(pattern: str) -> str:
    """A pattern with its macros and ``<class>`` placeholders replaced by symbols."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in MACROS:
            return expand(MACROS[name])
        return SYM[name]

    return _PLACEHOLDER.sub(one, pattern)


@dataclass(frozen=True)
class Hit:
    """What a rule found: the TimeML type and value (``None`` when it cannot be placed)."""

    type: str
    value: str | None


@dataclass
class Context:
    """What the rules of one text share: its tokens, its anchor, its parse."""

    tokens: Tokens
    anchor: Anchor | None
    doc: Doc | None
    last_date: str | None = None
    """The latest calendar date found so far: what "that year" or "the next day" refer to."""


class Match:
    """A grammar match seen as tokens: group texts, character offsets, the tense around it."""

    def __init__(self, ctx: Context, match: re.Match[str]) -> None:
        self.ctx = ctx
        self.m = match
        self.first, self.last = match.span()

    def has(self, group: str) -> bool:
        """Whether the group took part in the match; the patterns of one rule do not all
        have the same groups, so a group the pattern lacks is simply absent."""
        return group in self.m.re.groupindex and self.m.start(group) >= 0

    def words(self, group: str | int = 0) -> list[str]:
        """The tokens of a group (of the whole match by default); ``[]`` when absent."""
        if isinstance(group, str) and group not in self.m.re.groupindex:
            return []
        start, end = self.m.span(group)
        return self.ctx.tokens.texts[start:end] if start >= 0 else []

    def low(self, group: str | int = 0) -> str:
        return " ".join(self.words(group)).lower()

    def word(self, group: str | int) -> str:
        """The group's last token, lowercased and without a trailing dot."""
        words = self.words(group)
        return words[-1].lower().rstrip(".") if words else ""

    def tense(self) -> int:
        """The tense of the clause around the whole match: -1 past, +1 future, 0 unknown."""
        tokens = self.ctx.tokens
        start, end = tokens.starts[self.first], tokens.ends[self.last - 1]
        return tense(self.ctx.doc, start, end)

    def symbol_before(self, distance: int = 1) -> str:
        index = self.first - distance
        return self.ctx.tokens.symbols[index] if index >= 0 else ""

    def symbol_after(self, distance: int = 0) -> str:
        index = self.last + distance
        symbols = self.ctx.tokens.symbols
        return symbols[index] if index < len(symbols) else ""

    def word_before(self, distance: int = 1) -> str:
        index = self.first - distance
        return self.ctx.tokens.texts[index].lower() if index >= 0 else ""

    def hyphen_after(self) -> bool:
        """Whether the match is glued by a hyphen to the next word ("quarter-century")."""
        tokens = self.ctx.tokens
        after = self.last
        if after + 1 >= len(tokens.texts) or tokens.symbols[after] != SYM["hyph"]:
            return False
        return (
            tokens.ends[after - 1] == tokens.starts[after]
            and tokens.ends[after] == tokens.starts[after + 1]
        )


Handler = Callable[[Match], Hit | None]


@dataclass(frozen=True)
class Rule:
    """A handler and the compiled patterns that call it."""

    name: str
    regexes: tuple[re.Pattern[str], ...]
    handler: Handler


def rule(*patterns: str) -> Callable[[Handler], Rule]:
    """Make a rule of a handler and its patterns (in the order the patterns are tried).

    It registers nothing: where the rule stands among the others is said in one place,
    :data:`parallax.annotate.dates.rules.RULES`.
    """

    def make(handler: Handler) -> Rule:
        regexes = tuple(re.compile(expand(pattern)) for pattern in patterns)
        return Rule(handler.__name__, regexes, handler)

    return make


# -- reading a match -----------------------------------------------------------------------


def direction(m: Match, default: int) -> int:
    """The tense around the match, or ``default`` where the parse says nothing."""
    found = m.tense()
    return found if found else default


def relation(words: Sequence[str]) -> int | None:
    """last/past/previous → -1, next/coming/following → +1, this/current → 0."""
    found: int | None = None
    for word in words:
        symbol = classify(word)
        if symbol in (SYM["last"], SYM["past"]):
            found = -1
        elif symbol == SYM["next"]:
            found = 1
        elif symbol == SYM["this"] and found is None:
            found = 0
    return found
