"""Framing of one article: the loaded terms, hedges and scare quotes in the outlet's own voice.

A media researcher wants to know which outlet calls a head of state a "strongman", which
hedges a claim with "allegedly", and which puts "invasion" in quotation marks. A word list
finds those words anywhere, also in the mouths of the people an article quotes and inside
names; this module reads every match in its context and keeps what the outlet itself says.

1. **Lexicon** (:func:`load_lexicon`): tab-separated files in ``compare/lexicon/`` (loaded
   terms, hedges, plain senses) and any a user adds; the format is in docs/framing.md.
   :meth:`Lexicon.find` is the plain matching, the baseline the rules below improve on.
2. **Reading in context** (:func:`read_terms`): a match of a loaded term is dropped, with
   the reason kept, when it is

   - ``neutral``: inside a plain-sense phrase ("tax regime", "charged with murder");
   - ``quoted``: inside a quotation of more than four words: the speaker's word;
   - ``name``: part of a name ("the Radical Party", "Louise M. Slaughter"): a capitalised
     match that overlaps a capitalised mention, or has a capitalised neighbour;
   - ``negated``: "not", "never", "no" or "-n't" up to three words before it, with only
     articles and copulas between ("not a dictator", not "not to reward hostage diplomacy");
   - ``attributed``: a naming or accusing verb up to six words before it in the same
     clause ("officials call it a blockade", "accused Orsland of ..."): somebody else's
     word, reported.

3. **Hedges** (``hedges.tsv``) outside long quotations; "claim" counts as a speech verb
   only. Hedges that touch ("claimed without evidence") are one item of the strongest kind.
4. **Scare quotes**: a phrase of one to four words in quotation marks that is not speech
   (not inside a longer quotation, not a sentence of its own, not after "said"), not a
   title or a nickname, holds no figure, and, at three or four words, reads as a name for
   something (after "a", "the", "so-called", "call it"...) rather than a clipped quotation.
5. **Tone**: the polarity of the kept loaded terms per 100 words of the outlet's own text,
   squashed into [-1, 1] (:func:`tone_of`).

Everything returned carries a span with ``text == article_text[start:end]``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Any

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
"""The built-in lexicon: ``loaded.tsv``, ``hedges.tsv`` and ``neutral.tsv``."""

HEDGE_KINDS = ("unsupported", "unverified", "disputed", "distancing", "hedge")
"""Categories that make an entry a hedge, strongest first (merged hedges take the first)."""
NEUTRAL = "neutral"
"""The category of plain-sense phrases: a match inside one is not loaded."""
REPORTED = ("quoted", "attributed")
"""Reasons that make a loaded term somebody else's word the outlet carries."""

LONG_QUOTATION = 4
"""A quotation of more than this many words is speech: its words are the speaker's."""
NEGATION_WINDOW = 3
ATTRIBUTION_WINDOW = 6
MAX_GAP = 4
"""``**`` in a term stands for up to this many words."""
TONE_MIN_WORDS = 100
"""Shorter texts count as this long, so one word in a headline is not a verdict."""
TONE_HALF = 1.5
"""Polarity per 100 words at which tone reaches ±0.5."""

WILD = "*"
GAP = "**"
_VOWELS = frozenset("aeiou")
_NO_DOUBLING = frozenset("aeiouwxy")
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_POSSESSIVE = re.compile(r"'s?$")
_QUOTATION = re.compile(
    r"“[^“”\n]*(?:”|(?=\n)|\Z)"  # an unclosed curly quote runs to the paragraph's end
    r'|"[^"\n]*"'
    r"|«[^«»\n]*»"
    r"|‘(?:[^‘’\n]|’(?=\w))+’(?!\w)"
    r"|(?<!\w)'(?=\w)(?:[^'\n]|'(?=\w)){1,80}?(?<=[\w.,!?])'(?!\w)"
)
_SENTENCE_END = re.compile(r"(?<![.!?])[.!?]++[\"”’)\]]*+(?=\s++[\"“‘(\[]?[A-Z0-9])|\n+")
"""A run of ``.!?`` (and closing marks) before a capital or a figure, or line breaks. The
run is matched from its first mark and never given back: a long run of dots that ends no
sentence is read once, not once per dot."""
_LAST_WORD = re.compile(r"\s*(\S*)")
"""Matched in the reversed text: the word before a position, trailing spaces skipped."""
_NON_SPACE = re.compile(r"\S")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr sen rep gov gen lt col st jr sr prof rev capt sgt mt no vs inc co corp ltd "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n".split()
)
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\[\]—–]")
_TRAILING = " \t,.;:!?…"
_NEGATORS = frozenset({"not", "never", "no", "nor", "hardly", "cannot"})
_NEGATION_FILLERS = frozenset(
    "a an the be been being is was were really truly exactly quite so that".split()
)
_NAMING = frozenset(
    "call calls called calling dub dubs dubbed dubbing labelled labeled branded termed "
    "describe describes described describing characterize characterizes characterized "
    "characterise characterises characterised accuse accuses accused accusing".split()
)
_NOT_NAMING_AFTER = frozenset("for on off up to from in out".split())
"""``called for a crackdown``, ``calls on``, ``called off``: the verb names nothing."""
_SPEECH = frozenset(
    "said says say told asked replied added wrote tweeted declared shouted answered "
    "responded insisted".split()
)
_NOMINAL = frozenset(
    "a an the this that these those its his her their our your my so-called as "
    "call calls called dubbed termed labelled labeled branded named".split()
)
_PLAIN = frozenset(
    "a an the this that these those it its for of in on at to by with from and or but not no "
    "now then today tonight tomorrow yesterday soon later here there yet still again ever "
    "week weekend month year day days weeks months years morning evening night time".split()
)
"""Quoted words that say nothing of their own ("for now", "this week"): clipped quotations."""
_SMALL = frozenset("of the a an and in on for to at by with or from".split())
_TITLE_CUES = frozenset(
    "book film movie song album show series titled entitled column novel play poem program "
    "programme documentary magazine headline essay report".split()
)
_NOUN_BEFORE_CLAIM = frozenset(
    "the a an his her its their our your my these those this such any no false new of "
    "earlier similar competing dubious".split()
)
_NOUN_AFTER_CLAIM = frozenset("of for about against were are have had by court".split())
_CLAIM = frozenset({"claim", "claims"})


class LexiconError(ValueError):
    """A lexicon file that cannot be read: the message names the file, the line and the fix."""


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
class Token:
    """A word of the text: hyphens and apostrophes inside it belong to it (``far-left``)."""

    start: int
    end: int
    word: str
    """The word with curly apostrophes straightened and a possessive ``'s`` removed."""
    key: str
    """``word`` in lower case: what case-insensitive terms match."""


@dataclass(frozen=True)
class Match:
    """One lexicon match: characters ``[start, end)`` and tokens ``[first, last]``."""

    start: int
    end: int
    first: int
    last: int
    entry: Entry
    case_sensitive: bool = False
    """The lexicon form was written with capitals ("Obamacare"): a capital is no name sign."""


@dataclass(frozen=True)
class TermReading:
    """A loaded-term match as read in context: kept when ``reason`` is ``None``."""

    match: Match
    text: str
    reason: str | None
    target: str | None


@dataclass(frozen=True)
class _Text:
    """The text cut once into words and sentences, shared by every rule."""

    text: str
    tokens: tuple[Token, ...]
    joined: tuple[bool, ...]
    """``joined[i]``: only spaces between token ``i`` and ``i + 1`` (terms do not cross
    punctuation)."""
    sentence_starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> _Text:
        tokens = tuple(_tokens(text))
        joined = tuple(not text[a.end : b.start].strip() for a, b in pairwise(tokens))
        return cls(text, tokens, joined, tuple(_sentence_starts(text)))

    def follows(self, index: int) -> bool:
        """Token ``index`` exists and only spaces separate it from the one before."""
        return 0 < index < len(self.tokens) and self.joined[index - 1]

    def sentence(self, position: int) -> tuple[int, int]:
        """The sentence around a character position, as ``[start, end)``."""
        at = bisect_right(self.sentence_starts, position) - 1
        end = self.sentence_starts[at + 1] if at + 1 < len(self.sentence_starts) else len(self.text)
        return self.sentence_starts[at], end


def _tokens(text: str) -> Iterator[Token]:
    for found in _WORD.finditer(text):
        word = _POSSESSIVE.sub("", found.group().replace("’", "'")) or found.group()
        yield Token(found.start(), found.end(), word, word.lower())


def _sentence_starts(text: str) -> Iterator[int]:
    """Sentence starts by punctuation and line breaks; abbreviations and initials do not end
    one ("Mr. Steele", "George W. Bush", "Sept. 29").

    Linear in the text: the word before a dot is read backwards in the reversed text (each
    stretch once, as consecutive sentence ends are apart), and the spaces after a break are
    skipped once even when several breaks fall in one run of them ("\\n \\n \\n")."""
    yield 0
    reversed_text = ""
    skipped_to = 0
    """``text[start:skipped_to]`` is all spaces for every ``start`` not past it."""
    for end in _SENTENCE_END.finditer(text):
        if end.group()[0] == ".":
            reversed_text = reversed_text or text[::-1]
            word = _word_before(text, reversed_text, end.start()).lstrip('("“‘').lower()
            if word in _ABBREVIATIONS or len(word) == 1:
                continue
        start = end.end()
        if start > skipped_to:
            found = _NON_SPACE.search(text, start)
            skipped_to = found.start() if found else len(text)
        start = skipped_to
        if start < len(text):
            yield start


def _word_before(text: str, reversed_text: str, position: int) -> str:
    """The last whitespace-separated word of ``text[:position]`` ("" if none)."""
    found = _LAST_WORD.match(reversed_text, len(text) - position)
    return found.group(1)[::-1] if found else ""


# --- the lexicon ---------------------------------------------------------------------------


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

    def find(self, text: str, kind: str = "loaded") -> list[Match]:
        """Plain matching: every match of ``kind`` entries, longest first where they overlap.

        This is the baseline of docs/framing.md: no context, no plain senses."""
        return self._find(_Text.of(text), kind)

    def _find(self, doc: _Text, kind: str) -> list[Match]:
        index = self._index[kind]
        found: list[Match] = []
        for first, token in enumerate(doc.tokens):
            for form in index.get(token.key, ()):
                end = max(_ends(form, doc, first), default=None)
                if end is not None:
                    last = doc.tokens[end - 1]
                    found.append(
                        Match(
                            token.start, last.end, first, end - 1, form.entry, form.case_sensitive
                        )
                    )
        return _longest_first(found)


def _ends(form: _Form, doc: _Text, first: int) -> Iterator[int]:
    """Token indices one past the last word of each way ``form`` matches at ``first``."""
    if _word(doc.tokens[first], form.case_sensitive) in form.slots[0]:
        yield from _walk(form, 1, doc, first + 1)


def _walk(form: _Form, slot_at: int, doc: _Text, index: int) -> Iterator[int]:
    if slot_at == len(form.slots):
        yield index
        return
    slot = form.slots[slot_at]
    if slot == GAP:
        yield from _walk(form, slot_at + 1, doc, index)
        for skipped in range(1, MAX_GAP + 1):
            if not doc.follows(index + skipped - 1):
                return
            yield from _walk(form, slot_at + 1, doc, index + skipped)
        return
    if not doc.follows(index):
        return
    if slot == WILD or _word(doc.tokens[index], form.case_sensitive) in slot:
        yield from _walk(form, slot_at + 1, doc, index + 1)


def _word(token: Token, case_sensitive: bool) -> str:
    return token.word if case_sensitive else token.key


def _longest_first(matches: list[Match]) -> list[Match]:
    """Non-overlapping matches, the longer winning an overlap (then the earlier).

    Matches cover whole tokens, so two overlap exactly when they share a token: a kept
    match marks its tokens taken, and each match is checked against its own tokens only."""
    taken = bytearray(max((m.last for m in matches), default=-1) + 1)
    kept: list[Match] = []
    for match in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
        if not any(taken[match.first : match.last + 1]):
            taken[match.first : match.last + 1] = b"\x01" * (match.last + 1 - match.first)
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


def _forms(entry: Entry) -> Iterator[_Form]:
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


# --- context --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Quotation:
    """Text in quotation marks: ``[start, end)`` with the marks, ``inner`` without."""

    start: int
    end: int
    inner: tuple[int, int]
    words: int

    def holds(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


class _Cover:
    """Spans ``[start, end)`` sorted by start, with the furthest end reached so far: whether
    some span holds or overlaps a span is one binary search, however many there are."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.reach = list(accumulate((end for _, end in ordered), max))

    def holds(self, start: int, end: int) -> bool:
        """Some span holds ``[start, end)``."""
        at = bisect_right(self.starts, start)
        return at > 0 and self.reach[at - 1] >= end

    def overlaps(self, start: int, end: int) -> bool:
        """Some span shares a character with ``[start, end)``."""
        at = bisect_left(self.starts, end)
        return at > 0 and self.reach[at - 1] > start


class _Spans:
    """Spans with a value each, in a given order (their rank), indexed by start.

    A query looks only at the spans that start near it: no span is longer than
    ``longest``, so one that holds or lies within a distance of ``[start, end)`` starts
    within ``longest`` of it. Annotation spans are short (a name, a label, a quotation),
    so that is a few spans whatever the length of the article."""

    def __init__(self, spans: Sequence[tuple[int, int, str | None]]) -> None:
        order = sorted(range(len(spans)), key=lambda rank: spans[rank][0])
        self.starts = [spans[rank][0] for rank in order]
        self.items = [(spans[rank][1], rank, spans[rank][2]) for rank in order]
        self.reach = list(accumulate((end for end, _, _ in self.items), max))
        self.longest = max((end - start for start, end, _ in spans), default=0)

    def first_holding(self, start: int, end: int) -> str | None:
        """The value of the first span (by rank) that holds ``[start, end)``."""
        best: tuple[int, str | None] | None = None
        at = bisect_right(self.starts, start) - 1
        while at >= 0 and self.starts[at] >= end - self.longest and self.reach[at] >= end:
            span_end, rank, value = self.items[at]
            if span_end >= end and (best is None or rank < best[0]):
                best = (rank, value)
            at -= 1
        return best[1] if best else None

    def nearest(self, start: int, end: int, low: int, high: int) -> str | None:
        """The value of the span inside ``[low, high)`` nearest to ``[start, end)`` (0 when
        they overlap), the first by rank among equally near ones."""
        best: tuple[int, int, str | None] | None = None
        split = bisect_left(self.starts, end)
        at = split
        while at < len(self.starts) and self.starts[at] < high:
            distance = self.starts[at] - end
            if best is not None and distance > best[0]:
                break
            span_end, rank, value = self.items[at]
            if span_end <= high and self.starts[at] >= low:
                best = min(best or (distance, rank, value), (distance, rank, value))
            at += 1
        at = split - 1
        while at >= 0 and self.starts[at] >= low:
            if best is not None and start - self.starts[at] - self.longest > best[0]:
                break
            span_end, rank, value = self.items[at]
            if span_end <= high:
                distance = max(0, start - span_end)
                best = min(best or (distance, rank, value), (distance, rank, value))
            at -= 1
        return best[2] if best else None


@dataclass(frozen=True)
class _Context:
    """What the rules need of an article besides its words."""

    quotations: tuple[_Quotation, ...]
    speech: tuple[_Quotation, ...]
    """Quotations of more than ``LONG_QUOTATION`` words, marked or annotated as direct."""
    mentions: tuple[tuple[int, int, str, str], ...]
    labels: tuple[tuple[int, int, str], ...]
    speakers: tuple[tuple[int, int, str | None, bool], ...]
    """Annotated quotes (direct ones first): span, the speaking actor, direct or not."""
    spoken: _Cover
    """``speech``, indexed."""
    named: _Cover
    """The capitalised mentions, indexed."""
    mentioned: _Spans
    """``mentions`` with their actor, indexed."""
    labelled: _Spans
    """``labels`` with their actor, indexed."""
    spoken_by: _Spans
    """``speakers`` with their actor, indexed (in the same order)."""

    @classmethod
    def of(cls, doc: _Text, annotations: Mapping[str, Any]) -> _Context:
        quotations = tuple(_quotations(doc.text))
        speakers = tuple(
            sorted(
                (
                    (s, e, str(item["speaker"]) if item.get("speaker") else None, bool(direct))
                    for item, (s, e) in _items(doc.text, annotations.get("quotes", ()))
                    for direct in [item.get("direct")]
                ),
                key=lambda quote: not quote[3],
            )
        )
        direct = (
            _Quotation(s, e, (s, e), _count_words(doc.text[s:e]))
            for s, e, _, is_direct in speakers
            if is_direct
        )
        speech = tuple(q for q in (*quotations, *direct) if q.words > LONG_QUOTATION)
        mentions = tuple(
            (s, e, str(item.get("actor")), doc.text[s:e])
            for item, (s, e) in _items(doc.text, annotations.get("mentions", ()))
            if item.get("actor")
        )
        labels = tuple(
            (s, e, str(item.get("actor")))
            for item, (s, e) in _items(doc.text, annotations.get("labels", ()))
            if item.get("actor")
        )
        return cls(
            quotations,
            speech,
            mentions,
            labels,
            speakers,
            _Cover((q.start, q.end) for q in speech),
            _Cover((s, e) for s, e, _, name in mentions if name[:1].isupper()),
            _Spans([(s, e, actor) for s, e, actor, _ in mentions]),
            _Spans(labels),
            _Spans([(s, e, actor) for s, e, actor, _ in speakers]),
        )

    def in_speech(self, start: int, end: int) -> bool:
        return self.spoken.holds(start, end)

    def speaker(self, start: int, end: int) -> str | None:
        """The actor of the annotated quote around ``[start, end)``, a direct one first."""
        return self.spoken_by.first_holding(start, end)


def _quotations(text: str) -> Iterator[_Quotation]:
    for found in _QUOTATION.finditer(text):
        start, end = found.span()
        closed = end > start + 1 and text[end - 1] in "”\"»’'"
        inner = (start + 1, end - 1 if closed else end)
        yield _Quotation(start, end, inner, _count_words(text[inner[0] : inner[1]]))


def _count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def _items(text: str, items: Iterable[Any]) -> Iterator[tuple[Mapping[str, Any], tuple[int, int]]]:
    """Annotation items with a valid span into ``text`` (others are skipped, not trusted)."""
    for item in items:
        span = item.get("span") if isinstance(item, Mapping) else None
        if (
            isinstance(span, Sequence)
            and len(span) == 2
            and all(isinstance(x, int) for x in span)
            and 0 <= span[0] < span[1] <= len(text)
        ):
            yield item, (span[0], span[1])


# --- loaded terms ---------------------------------------------------------------------------


def read_terms(
    text: str, annotations: Mapping[str, Any], lexicon: Lexicon | None = None
) -> list[TermReading]:
    """Every loaded-term match with the reason it is not the outlet's (``None``: it is).

    :func:`frame_article` keeps the readings without a reason; the rest is here so a user
    (and the benchmark) can see what each rule removed."""
    doc = _Text.of(text)
    return _read_terms(doc, _Context.of(doc, annotations), lexicon or default_lexicon())


def _read_terms(
    doc: _Text, context: _Context, lexicon: Lexicon, plain: _Cover | None = None
) -> list[TermReading]:
    plain = _plain_senses(doc, lexicon) if plain is None else plain
    readings = []
    for match in lexicon._find(doc, "loaded"):
        reason = _plain_sense(match, plain) or _reason(doc, context, match)
        text = doc.text[match.start : match.end]
        readings.append(TermReading(match, text, reason, _target(doc, context, match)))
    return readings


def _plain_senses(doc: _Text, lexicon: Lexicon) -> _Cover:
    return _Cover((p.start, p.end) for p in lexicon._find(doc, NEUTRAL))


def _plain_sense(match: Match, plain: _Cover) -> str | None:
    return NEUTRAL if plain.holds(match.start, match.end) else None


def _reason(doc: _Text, context: _Context, match: Match) -> str | None:
    if context.in_speech(match.start, match.end):
        return "quoted"
    if _in_name(doc, context, match):
        return "name"
    if _negated(doc, match):
        return "negated"
    if _attributed(doc, match):
        return "attributed"
    return None


def _in_name(doc: _Text, context: _Context, match: Match) -> bool:
    """A capitalised match that is part of a name: inside a capitalised mention, every word
    capitalised in mid-sentence ("Big Government" the website), or next to another
    capitalised word in mid-sentence ("Democratic Republic", "Louise M. Slaughter")."""
    if not doc.text[match.start].isupper() or match.case_sensitive:
        return False
    if context.named.overlaps(match.start, match.end):
        return True
    sentence_start = doc.sentence(match.start)[0]
    if doc.tokens[match.first].start == sentence_start:
        return _capitalised(doc, match.last + 1, match.last)
    words = doc.tokens[match.first : match.last + 1]
    if len(words) > 1 and all(t.word[:1].isupper() or t.key in _SMALL for t in words):
        return True
    return _capitalised(doc, match.first - 1, match.first - 1) or _capitalised(
        doc, match.last + 1, match.last
    )


def _capitalised(doc: _Text, index: int, gap: int) -> bool:
    """Token ``index`` exists, is capitalised, and the gap after token ``gap`` holds only
    spaces and the dot of an initial."""
    if not 0 <= index < len(doc.tokens) or not 0 <= gap < len(doc.tokens) - 1:
        return False
    between = doc.text[doc.tokens[gap].end : doc.tokens[gap + 1].start]
    return doc.tokens[index].word[:1].isupper() and not between.strip(" .")


def _negated(doc: _Text, match: Match) -> bool:
    """ "not a dictator", "did not cave", "was never a massacre": a negator with nothing but
    articles, copulas and softeners between it and the term ("not to reward hostage
    diplomacy" negates the verb, not the term; "not only brutal" is no negation)."""
    for index in _words_before(doc, match.first, NEGATION_WINDOW, clause=True):
        key = doc.tokens[index].key
        if key in _NEGATORS or key.endswith("n't"):
            following = doc.tokens[index + 1 : match.first]
            return all(t.key in _NEGATION_FILLERS for t in following)
    return False


def _attributed(doc: _Text, match: Match) -> bool:
    """A naming or accusing verb shortly before, in the same clause: "calls it a blockade",
    "described the deployment as a blockade", "accused Orsland of murder", also with the
    word in quotation marks ("calls the deployment a “blockade”", a scare quote then)."""
    return any(
        doc.tokens[i].key in _NAMING and doc.tokens[i + 1].key not in _NOT_NAMING_AFTER
        for i in _words_before(doc, match.first, ATTRIBUTION_WINDOW, clause=True)
    )


def _words_before(doc: _Text, first: int, window: int, clause: bool) -> Iterator[int]:
    """Token indices before ``first``, nearest first, in the same clause (no punctuation
    between, quotation marks aside) when ``clause``, else only spaces between."""
    index = first - 1
    while index >= 0 and first - index <= window:
        between = doc.text[doc.tokens[index].end : doc.tokens[index + 1].start]
        broken = _CLAUSE_BREAK.search(between) if clause else between.strip()
        if broken:
            return
        yield index
        index -= 1


def _target(doc: _Text, context: _Context, match: Match) -> str | None:
    """The actor the term is about: the label it sits in, else the nearest mention in its
    sentence."""
    labelled = context.labelled.first_holding(match.start, match.end)
    if labelled is not None:
        return labelled
    sentence_start, sentence_end = doc.sentence(match.start)
    return context.mentioned.nearest(match.start, match.end, sentence_start, sentence_end)


# --- hedges ---------------------------------------------------------------------------------


def _hedges(doc: _Text, context: _Context, lexicon: Lexicon, plain: _Cover) -> list[dict[str, Any]]:
    kept = [
        match
        for match in lexicon._find(doc, "hedge")
        if not _plain_sense(match, plain)
        and not context.in_speech(match.start, match.end)
        and not _claim_as_noun(doc, match)
    ]
    return [
        {"text": doc.text[start:end], "span": [start, end], "kind": kind}
        for start, end, kind in _merge_touching(doc.text, kept)
    ]


def _claim_as_noun(doc: _Text, match: Match) -> bool:
    """ "claims" is distancing as a speech verb ("Orsland claims that ..."), not as a noun
    ("the claims", "insurance claims", "claims of fraud")."""
    token = doc.tokens[match.first]
    if match.first != match.last or token.key not in _CLAIM:
        return False
    before = doc.tokens[match.first - 1].key if match.first > 0 else ""
    after = doc.tokens[match.last + 1].key if match.last + 1 < len(doc.tokens) else ""
    return before in _NOUN_BEFORE_CLAIM or after in _NOUN_AFTER_CLAIM


def _merge_touching(text: str, matches: Sequence[Match]) -> Iterator[tuple[int, int, str]]:
    """Hedges separated only by spaces or a comma are one hedge of the strongest kind."""
    group: list[Match] = []
    for match in matches:
        if group and text[group[-1].end : match.start].strip(" ,") == "":
            group.append(match)
            continue
        if group:
            yield _merged(group)
        group = [match]
    if group:
        yield _merged(group)


def _merged(group: Sequence[Match]) -> tuple[int, int, str]:
    kind = min((m.entry.category for m in group), key=HEDGE_KINDS.index)
    return group[0].start, group[-1].end, kind


# --- scare quotes ---------------------------------------------------------------------------


def _scare_quotes(doc: _Text, context: _Context) -> list[dict[str, Any]]:
    found = []
    for quotation in context.quotations:
        span = _scare_phrase(doc, context, quotation)
        if span is not None:
            found.append({"text": doc.text[span[0] : span[1]], "span": [span[0], span[1]]})
    return found


def _scare_phrase(doc: _Text, context: _Context, quotation: _Quotation) -> tuple[int, int] | None:
    """The quoted phrase when the quotation marks distance the outlet from a word."""
    if not 1 <= quotation.words <= LONG_QUOTATION:
        return None
    start, end = quotation.inner
    phrase = doc.text[start:end]
    start += len(phrase) - len(phrase.lstrip())
    end -= len(phrase) - len(phrase.rstrip(_TRAILING))
    words = [t.key for t in _tokens(doc.text[start:end])]
    if not words or all(w in _PLAIN for w in words) or any(c.isdigit() for c in phrase):
        return None
    if context.in_speech(quotation.start, quotation.end):
        return None  # inside a longer quotation (speech is longer than this one)
    if _is_utterance(doc, quotation) or _is_title(doc, quotation, doc.text[start:end]):
        return None
    if quotation.words > 2 and not _named_thing(doc, quotation):
        return None
    return start, end


def _is_utterance(doc: _Text, quotation: _Quotation) -> bool:
    """A quotation that is a sentence of its own ("“No,” he said."), or follows a colon or a
    speech verb ("he said “no”")."""
    sentence_start = doc.sentence(quotation.start)[0]
    if _lead_is(doc.text, sentence_start, quotation.start, " \"“‘'(") or (
        _char_before(doc.text, sentence_start, quotation.start) == ":"
    ):
        return True
    previous = _token_before(doc, quotation.start)
    if previous is None or previous.key not in _SPEECH:
        return False
    return not doc.text[previous.end : quotation.start].strip(" ,:")


def _lead_is(text: str, start: int, end: int, chars: str) -> bool:
    """``text[start:end]`` is made of ``chars`` only (read backwards from ``end``, so a long
    sentence before a quotation is not copied)."""
    while end > start and text[end - 1] in chars:
        end -= 1
    return end == start


def _char_before(text: str, start: int, end: int) -> str:
    """The last character of ``text[start:end]`` that is not a space ("" if none)."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return text[end - 1] if end > start else ""


def _token_before(doc: _Text, position: int) -> Token | None:
    index = bisect_right(doc.tokens, position, key=lambda t: t.end) - 1
    return doc.tokens[index] if index >= 0 else None


def _token_after(doc: _Text, position: int) -> Token | None:
    index = bisect_left(doc.tokens, position, key=lambda t: t.start)
    return doc.tokens[index] if index < len(doc.tokens) else None


def _is_title(doc: _Text, quotation: _Quotation, phrase: str) -> bool:
    """A title or a name in quotation marks: every content word capitalised, and more than
    one word, or a title cue before it ("the book “Hope”"), or a nickname between two parts
    of a name (Michael “Mike” Smith)."""
    words = [w for w in phrase.split() if w.lower() not in _SMALL]
    if not words or not all(w[:1].isupper() for w in words):
        return False
    if len(words) > 1:
        return True
    before = _token_before(doc, quotation.start)
    after = _token_after(doc, quotation.end)
    if before is None or after is None:
        return before is not None and before.key in _TITLE_CUES
    nickname = before.word[:1].isupper() and after.word[:1].isupper()
    return nickname or before.key in _TITLE_CUES


def _named_thing(doc: _Text, quotation: _Quotation) -> bool:
    """Three or four quoted words read as a name for something after "a", "the", "its",
    "so-called", "call it"...; otherwise they are a clipped quotation of someone's words."""
    previous = _token_before(doc, quotation.start)
    return previous is not None and previous.key in _NOMINAL


# --- tone and the article -------------------------------------------------------------------


def tone_of(polarities: Iterable[float], words: int) -> float:
    """Tone in [-1, 1] from the polarities of the outlet's loaded terms and its word count.

    ``d = 100 * sum(polarities) / max(words, TONE_MIN_WORDS)`` is the polarity per 100
    words; tone is ``d / (|d| + TONE_HALF)``: 0 for neutral text, ±0.5 at ``TONE_HALF``
    per 100 words, approaching ±1 for text dense with loaded words of one sign. Density,
    not a count, so a long neutral article with one strong word stays near 0."""
    density = 100 * sum(polarities) / max(words, TONE_MIN_WORDS)
    return round(density / (abs(density) + TONE_HALF), 4)


def frame_article(
    text: str, annotations: Mapping[str, Any], lexicon: Lexicon | None = None
) -> dict[str, Any]:
    """The framing of one article in the outlet's own voice (``framing`` in docs/report.md).

    ``annotations`` is the article's ``parallax.article/1`` annotation dict: direct quotes
    mark the speaker's words, labels and mentions give each loaded term its target, and
    mentions tell names apart. Items whose spans do not fit ``text`` are ignored.

    Besides the contract's items, ``reported_terms`` lists the loaded terms the outlet
    reports as somebody else's (``reason`` ``quoted`` or ``attributed``), with the
    ``speaker`` of the annotated quote around them: not the outlet's words, but it chose to
    carry them, which a researcher comparing outlets may want to count separately."""
    lexicon = lexicon or default_lexicon()
    doc = _Text.of(text)
    context = _Context.of(doc, annotations)
    plain = _plain_senses(doc, lexicon)
    readings = _read_terms(doc, context, lexicon, plain)
    terms = [r for r in readings if r.reason is None]
    return {
        "loaded_terms": [_term_item(r) for r in terms],
        "hedges": _hedges(doc, context, lexicon, plain),
        "scare_quotes": _scare_quotes(doc, context),
        "tone": tone_of((r.match.entry.polarity for r in terms), _own_words(doc, context)),
        "reported_terms": [
            {
                **_term_item(r),
                "reason": r.reason,
                "speaker": context.speaker(r.match.start, r.match.end),
            }
            for r in readings
            if r.reason in REPORTED
        ],
    }


def _own_words(doc: _Text, context: _Context) -> int:
    """Words outside long quotations: the outlet's own text, which tone is measured on."""
    starts = [t.start for t in doc.tokens]
    quoted = 0
    reached = 0
    for quotation in sorted(context.speech, key=lambda q: q.start):
        first = bisect_left(starts, max(quotation.start, reached))
        quoted += max(0, bisect_left(starts, quotation.end) - first)
        reached = max(reached, quotation.end)
    return len(doc.tokens) - quoted


def _term_item(reading: TermReading) -> dict[str, Any]:
    return {
        "text": reading.text,
        "span": [reading.match.start, reading.match.end],
        "category": reading.match.entry.category,
        "target": reading.target,
    }
