"""The lexicon: loaded terms, hedges and plain senses, read from tab-separated files.

The built-in files are ``compare/lexicon/*.tsv``; a user adds their own without editing
the package (the format is in docs/framing.md). A file that cannot be read stops the run
with a :class:`LexiconError` naming the file, the line and the fix, rather than framing
with half a lexicon. :meth:`Lexicon.find` is the plain matching, the baseline the rules
of :mod:`parallax.compare.framing.rules` improve on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from parallax.compare.framing.context import Text, Token

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicon"
"""The built-in lexicon: ``loaded.tsv``, ``hedges.tsv`` and ``neutral.tsv``."""

HEDGE_KINDS = ("unsupported", "unverified", "disputed", "distancing", "hedge")
"""Categories that make an entry a hedge, strongest first (merged hedges take the first)."""
NEUTRAL = "neutral"
"""The category of plain-sense phrases: a match inside one is not loaded."""

MAX_GAP = 4
"""``**`` in a term stands for up to this many words."""
WILD = "*"
GAP = "**"
_VOWELS = frozenset("aeiou")
_NO_DOUBLING = frozenset("aeiouwxy")


class LexiconError(ValueError):
    """A lexicon file that cannot be read: the message names the file, the line and the fix."""


def matches_in(lexicon: Lexicon, doc: Text, kind: str) -> list[TermMatch]:
    """What :meth:`Lexicon.find` finds, on a text already cut into words (the rules cut
    it once)."""
    index = lexicon._index[kind]
    found: list[TermMatch] = []
    for first, token in enumerate(doc.tokens):
        for form in index.get(token.key, ()):
            end = max(_ends(form, doc, first), default=None)
            if end is not None:
                last = doc.tokens[end - 1]
                found.append(
                    TermMatch(
                        token.start, last.end, first, end - 1, form.entry, form.case_sensitive
                    )
                )
    return _longest_first(found)


@dataclass(frozen=True)
class Entry:
    """One row of a lexicon file."""

    term: str
    category: str
    polarity: float
    notes: str
    origin: str
    """``file:line`` it came from, so a surprising match can be traced to its row."""

    @property
    def kind(self) -> str:
        """``loaded``, ``hedge`` or ``neutral``: what the category makes the entry."""
        if self.category == NEUTRAL:
            return NEUTRAL
        return "hedge" if self.category in HEDGE_KINDS else "loaded"


Slot = frozenset[str] | str
"""One word of a term: the set of forms it matches, or ``WILD`` / ``GAP``."""


@dataclass(frozen=True)
class _Form:
    slots: tuple[Slot, ...]
    case_sensitive: bool
    entry: Entry


@dataclass(frozen=True)
class TermMatch:
    """One lexicon match: characters ``[start, end)`` and tokens ``[first, last]``."""

    start: int
    end: int
    first: int
    last: int
    entry: Entry
    case_sensitive: bool = False
    """The lexicon form was written with capitals ("Obamacare"): a capital is no name sign."""


# --- matching -------------------------------------------------------------------------------


class Lexicon:
    """Loaded terms, hedges and plain senses, indexed by first word for one pass over a text."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = tuple(entries)
        self._index: dict[str, dict[str, list[_Form]]] = {"loaded": {}, "hedge": {}, NEUTRAL: {}}
        for entry in self.entries:
            for form in _forms(entry):
                first = form.slots[0]
                if not isinstance(first, frozenset):
                    raise LexiconError(f"{entry.origin}: a term cannot start with * or **")
                for key in {word.lower() for word in first}:
                    self._index[entry.kind].setdefault(key, []).append(form)

    def find(self, text: str, kind: str = "loaded") -> list[TermMatch]:
        """Plain matching: every match of ``kind`` entries, longest first where they overlap.

        This is the baseline of docs/framing.md: no context, no plain senses."""
        return matches_in(self, Text.of(text), kind)


def _ends(form: _Form, doc: Text, first: int) -> Iterator[int]:
    """Token indices one past the last word of each way ``form`` matches at ``first``."""
    if _word(doc.tokens[first], form.case_sensitive) in form.slots[0]:
        yield from sorted(_walk(form, 1, doc, first + 1, {}))  # nearest end first


def _walk(
    form: _Form, slot_at: int, doc: Text, index: int, known: dict[tuple[int, int], set[int]]
) -> set[int]:
    """Where the slots from ``slot_at`` on can end, matched from token ``index``: a gap may
    skip none to ``MAX_GAP`` words, so one form can end at several places. Each (slot,
    token) pair is worked out once (``known``): a user's term of many gaps would otherwise
    try every way of stretching them, exponentially many."""
    key = (slot_at, index)
    if key not in known:
        known[key] = _walk_from(form, slot_at, doc, index, known)
    return known[key]


def _walk_from(
    form: _Form, slot_at: int, doc: Text, index: int, known: dict[tuple[int, int], set[int]]
) -> set[int]:
    if slot_at == len(form.slots):
        return {index}
    slot = form.slots[slot_at]
    if slot == GAP:
        ends = set(_walk(form, slot_at + 1, doc, index, known))
        for skipped in range(1, MAX_GAP + 1):
            if not doc.follows(index + skipped - 1):
                break
            ends |= _walk(form, slot_at + 1, doc, index + skipped, known)
        return ends
    if not doc.follows(index):
        return set()
    if slot == WILD or _word(doc.tokens[index], form.case_sensitive) in slot:
        return _walk(form, slot_at + 1, doc, index + 1, known)
    return set()


def _word(token: Token, case_sensitive: bool) -> str:
    return token.word if case_sensitive else token.key


def _longest_first(matches: list[TermMatch]) -> list[TermMatch]:
    """Non-overlapping matches, the longer winning an overlap (then the earlier).

    Matches cover whole tokens, so two overlap exactly when they share a token: a kept
    match marks its tokens taken, and each match is checked against its own tokens only."""
    taken = bytearray(max((m.last for m in matches), default=-1) + 1)
    kept: list[TermMatch] = []
    for match in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
        if not any(taken[match.first : match.last + 1]):
            taken[match.first : match.last + 1] = b"\x01" * (match.last + 1 - match.first)
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


# --- forms ----------------------------------------------------------------------------------


def _forms(entry: Entry) -> Iterator[_Form]:
    """The forms a term matches: each ``|`` alternative, its last word inflected unless it
    ends in ``=``; written with a capital, it matches with that case only."""
    for alternative in entry.term.split("|"):
        alternative = alternative.strip().replace("’", "'")
        exact = alternative.endswith("=")
        words = alternative.rstrip("=").split()
        case_sensitive = any(c.isupper() for c in alternative)
        slots: list[Slot] = [
            w if w in (WILD, GAP) else frozenset({_cased(w, case_sensitive)}) for w in words
        ]
        if not exact and words[-1] not in (WILD, GAP):
            slots[-1] = _inflections(_cased(words[-1], case_sensitive))
        yield _Form(tuple(slots), case_sensitive, entry)


def _cased(word: str, case_sensitive: bool) -> str:
    return word if case_sensitive else word.lower()


def _inflections(word: str) -> frozenset[str]:
    """The word and its regular inflections: plural and third person, past, -ing.

    Over-generation is harmless (``caved`` also yields ``caveds``); a base word with a
    plain sense among its inflections is written as its loaded forms instead."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if len(word) > 2 and word.endswith("y") and word[-2] not in _VOWELS:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if _doubles(word.rsplit("-", 1)[-1]):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return frozenset(forms)


def _doubles(word: str) -> bool:
    """One syllable ending consonant-vowel-consonant doubles its last letter (slam, slammed)."""
    return (
        len(word) >= 3
        and word[-1] not in _NO_DOUBLING
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
        and sum(c in _VOWELS for c in word) == 1
    )


# --- files ----------------------------------------------------------------------------------


def load_lexicon(paths: Sequence[Path] | None = None, *, include_builtin: bool = True) -> Lexicon:
    """The built-in lexicon plus the user's files (a folder stands for its ``*.tsv``).

    A user extends the lexicon without editing the package; a row of category ``neutral``
    switches a built-in term off in the contexts it names (or everywhere, if it is the
    term itself)."""
    files = sorted(LEXICON_DIR.glob("*.tsv")) if include_builtin else []
    for path in paths or ():
        files += sorted(path.glob("*.tsv")) if path.is_dir() else [path]
    return Lexicon(entry for path in files for entry in _read_tsv(path))


@cache
def default_lexicon() -> Lexicon:
    """The built-in lexicon, read once per process."""
    return load_lexicon()


def _read_tsv(path: Path) -> Iterator[Entry]:
    """The rows of one file; blank lines, ``#`` comments and a ``term`` header are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise LexiconError(f"{path}: cannot be read as UTF-8 text ({error})") from error
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if cells[0] == "term":
            continue
        name = path.name if path.parent == LEXICON_DIR else str(path)
        yield _entry(cells, f"{name}:{number}")


def _entry(cells: list[str], origin: str) -> Entry:
    """One row checked: a row that would match nothing, or everything, is an error here
    rather than a silent gap in the framing."""
    if len(cells) < 3 or not cells[0] or not cells[1]:
        raise LexiconError(
            f"{origin}: a row needs term, category and polarity separated by tabs "
            "(notes optional); check that the separators are tabs, not spaces"
        )
    try:
        polarity = float(cells[2])
    except ValueError:
        polarity = float("nan")
    if not -1 <= polarity <= 1:
        raise LexiconError(f"{origin}: polarity {cells[2]!r} is not a number in [-1, 1]")
    for alternative in cells[0].split("|"):
        words = alternative.strip().rstrip("=").split()
        if not words or words[0] in (WILD, GAP) or words[-1] in (WILD, GAP):
            raise LexiconError(
                f"{origin}: term {cells[0]!r} has an empty alternative or one that starts or "
                "ends with * or **; wildcards only stand between words"
            )
    notes = cells[3] if len(cells) > 3 else ""
    return Entry(cells[0], cells[1].lower(), polarity, notes, origin)
