"""Quotes across outlets: the same words carried by several outlets, trimmed or reworded,
and the same words given to different speakers.

A quote here is an annotated quote, plus every stretch in quotation marks of three words
or more inside an attributed statement: "to avoid “media noise and fake news”" inside
what "Maduro emphasized" is Maduro's words as much as a full direct quote is. Two quotes
are one when the shorter's words run inside the longer's (an outlet trimmed it), or when
most of their words are shared (an outlet reworded it: flagged). Quotes of one group
given to different speakers make an ``attribution`` conflict.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parallax.compare.context import StoryContext
from parallax.compare.facts.grouping import bucket_pairs, groups
from parallax.compare.facts.records import conflict, conflict_value, digest
from parallax.model import Article, ConflictValue, QuoteItem, ReportConflict, ReportQuote
from parallax.text import WORD, number_word

if TYPE_CHECKING:
    from scipy.cluster.hierarchy import DisjointSet

MIN_WORDS = 3
"""Quoted stretches shorter than this are scare quotes or names, not quotes."""
ATTRIBUTION_MIN_WORDS = 6
"""A few words ("it a blockade") are said by many; only longer quotes show who said them."""
REWORDED_OVERLAP = 0.6
"""Share of words two quotes must have in common to be one quote with different wording."""
_QUOTED = re.compile(r"[\"“«„]([^\"“”«»„]{3,800}?)[\"”»“]")
_SMALL_WORDS = frozenset(
    "a an the of in on at to for by with from and or but as is are was were be been it its "
    "this that these those we you he she they i our your their his her my me us them any "
    "some all no not so than then there".split()
)


@dataclass
class Quote:
    article_id: str
    span: tuple[int, int]
    text: str
    direct: bool
    speaker: str | None  # story actor id
    speaker_name: str | None
    partial: bool
    words: tuple[str, ...]
    group: str = ""
    named: bool = True
    """The article names the speaker at the quote ("Kennedy said"), not a pronoun ("he
    said", resolved by annotation, which is right most of the time but not always)."""
    speaker_span: tuple[int, int] | None = None
    """Where the article names the speaker for this quote."""
    framed: bool = False
    """The quote's own sentences name its speaker, and the name is the head of the
    speaker phrase ("“...,” Mr. Holder said"; not "the Obama campaign said", not a
    speaker carried over from an earlier sentence): the attribution the outlet wrote,
    not one annotation inferred."""

    joined: str = ""
    """The words between spaces: containment of word runs is string containment."""
    content: str = ""
    """The same of the words besides the small ones ("admit I'm" = "admit that I'm")."""

    def __post_init__(self) -> None:
        self.joined = " " + " ".join(self.words) + " "
        self.content = " " + " ".join(w for w in self.words if w not in _SMALL_WORDS) + " "


def quotes_of(context: StoryContext) -> list[Quote]:
    """Annotated quotes and quoted stretches inside attributed statements, per article."""
    return [q for source in context.sources for q in _article_quotes(context, source.article)]


def _article_quotes(context: StoryContext, article: Article) -> list[Quote]:
    """One article's quotes: each annotated one, then for an indirect one the stretches
    in quotation marks inside it, which are its speaker's own words."""
    found: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    for item in article.annotations.get("quotes", []):
        quote = _quote(context, article, item, (item["span"][0], item["span"][1]), partial=False)
        found.append(quote)
        seen.add(quote.span)
        if quote.direct:
            continue
        stretch = (max(0, quote.span[0] - 1), min(len(article.text), quote.span[1] + 2))
        for inner in _QUOTED.finditer(article.text, *stretch):
            inner_span = (inner.start(1), inner.end(1))
            if inner_span in seen or len(_words(inner.group(1))) < MIN_WORDS:
                continue
            seen.add(inner_span)
            found.append(_quote(context, article, item, inner_span, partial=True))
    _mark_framed(context, article, found)
    return found


CARRY_GAP_CHARS = 160
"""At most this much text between a framed quote and the cue-less one that continues it
("“...,” Mr. Trump said in his statement. “But if ...”")."""


def _carry_framing(context: StoryContext, article: Article, quotes: list[Quote]) -> None:
    """A cue-less quote right after a framed quote of the same speaker, in the same
    paragraph with no other person named between, is framed too: the outlet's own
    frame covers both halves of one statement (annotation carried the speaker over)."""
    whole = sorted((q for q in quotes if not q.partial), key=lambda q: q.span)
    for before, quote in itertools.pairwise(whole):
        if quote.framed or not before.framed or not quote.named:
            continue
        if (quote.speaker, quote.speaker_span) != (before.speaker, before.speaker_span):
            continue
        gap = article.text[before.span[1] : quote.span[0]]
        if "\n" in gap or len(gap) > CARRY_GAP_CHARS:
            continue
        if not _person_between(context, article, (before.span[1], quote.span[0]), quote):
            quote.framed = True


def _person_between(
    context: StoryContext, article: Article, gap: tuple[int, int], quote: Quote
) -> bool:
    """Whether a person other than the quote's speaker is named in ``gap``."""
    for mention in article.annotations.get("mentions", []):
        if gap[0] <= mention["span"][0] < gap[1]:
            actor = context.story_actor(article.id, mention.get("actor"))
            if actor != quote.speaker and context.actor_kinds.get(str(actor)) == "person":
                return True
    return False


def _named(surface: str | None) -> bool:
    return bool(surface) and str(surface).lower() not in _PRONOUNS


_PRONOUNS = frozenset("he she they it we i you who his her their its".split())


def _quote(
    context: StoryContext, article: Article, item: QuoteItem, span: tuple[int, int], partial: bool
) -> Quote:
    """The quote at ``span`` of an annotated quote (all of it, or a quoted stretch inside
    it: ``partial``, always direct), given to the annotated speaker."""
    speaker = context.story_actor(article.id, item.get("speaker"))
    said = item.get("speaker_span")
    text = article.text[span[0] : span[1]]
    return Quote(
        article.id,
        span,
        text,
        partial or bool(item.get("direct")),
        speaker,
        context.actor_names.get(speaker or "") or item.get("speaker_name"),
        partial,
        tuple(_words(text)),
        named=_named(item.get("speaker_name")),
        speaker_span=(said[0], said[1]) if said else None,
    )


_NameEnds = dict[int, list[tuple[int, str | None]]]
"""Where an article's mentions end -> (where each starts, its story actor)."""


def _mark_framed(context: StoryContext, article: Article, quotes: list[Quote]) -> None:
    """Set :attr:`Quote.framed` on an article's quotes."""
    ends: _NameEnds = defaultdict(list)
    for mention in article.annotations.get("mentions", []):
        actor = context.story_actor(article.id, mention.get("actor"))
        ends[mention["span"][1]].append((mention["span"][0], actor))
    for quote in quotes:
        quote.framed = _framed(context, article, quote, ends)
    _carry_framing(context, article, quotes)


def _framed(context: StoryContext, article: Article, quote: Quote, ends: _NameEnds) -> bool:
    """Whether the sentences the quote stands in name its speaker, with a mention of
    that speaker ending the phrase, and no paragraph break between name and quote."""
    said, span = quote.speaker_span, quote.span
    if said is None or quote.speaker is None or not quote.named:
        return False
    start = context.sentence_at(article.id, span[0], span[0])[0]
    end = context.sentence_at(article.id, max(span[0], span[1] - 1), span[1])[1]
    if not (start <= said[0] and said[1] <= end):
        return False
    if "\n" in article.text[min(said[1], span[1]) : max(said[0], span[0])]:
        return False
    return any(said[0] <= at and actor == quote.speaker for at, actor in ends.get(said[1], []))


def _words(text: str) -> list[str]:
    return [_key(w) for w in WORD.findall(text)]


@dataclass
class QuoteGroup:
    id: str
    quotes: list[Quote]
    reworded: bool


def group_quotes(context: StoryContext, quotes: list[Quote]) -> list[QuoteGroup]:
    """Quotes of different articles that are the same words (trimmed or reworded)."""
    joins = groups(len(quotes))
    reworded: set[int] = set()
    same_words: dict[tuple[str, ...], int] = {}
    for i, quote in enumerate(quotes):  # the same words in many articles: decided once
        first = same_words.setdefault(quote.words, i)
        if first != i:
            joins.merge(i, first)
    joined = [q.joined for q in quotes]
    for i, j in _candidates(quotes, sorted(same_words.values())):
        a, b = quotes[i], quotes[j]
        if min(len(a.words), len(b.words)) >= MIN_WORDS and (
            joined[i] in joined[j] or joined[j] in joined[i]
        ):
            joins.merge(i, j)
        elif _overlap(a.words, b.words) >= REWORDED_OVERLAP:
            joins.merge(i, j)
            reworded.update((i, j))
    return _quote_groups(quotes, joins, reworded)


def _quote_groups(quotes: list[Quote], joins: DisjointSet, reworded: set[int]) -> list[QuoteGroup]:
    """The groups joined quotes make, each named by where its quotes start (and each
    quote told its group)."""
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(quotes)):
        members[joins[i]].append(i)
    groups: list[QuoteGroup] = []
    for indexes in members.values():
        chosen = [quotes[i] for i in indexes]
        name = "Q" + digest(f"{q.article_id}:{q.span[0]}" for q in chosen)
        group = QuoteGroup(name, chosen, any(i in reworded for i in indexes))
        for quote in chosen:
            quote.group = group.id
        groups.append(group)
    return groups


def _candidates(quotes: list[Quote], which: list[int]) -> Iterable[tuple[int, int]]:
    """Pairs sharing a three-word run (an index, not all pairs)."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in which:
        quote = quotes[i]
        for k in {tuple(quote.words[n : n + 3]) for n in range(max(1, len(quote.words) - 2))}:
            index[k].append(i)
    return bucket_pairs(index.values(), most=200)


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Shared content words (small words left out: "a frank" vs "an open" differ in two
    words, not four); 0 when fewer than three are shared."""
    sa, sb = set(a) - _SMALL_WORDS, set(b) - _SMALL_WORDS
    if len(sa & sb) < MIN_WORDS:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def attribution_conflicts(context: StoryContext, groups: list[QuoteGroup]) -> list[ReportConflict]:
    """The same words, in quotation marks, given to different speakers by independent
    outlets (see :func:`_attribution_conflict`)."""
    conflicts: list[ReportConflict] = []
    for group in groups:
        conflict = _attribution_conflict(context, group)
        if conflict is not None:
            conflicts.append(conflict)
    return conflicts


def _attribution_conflict(context: StoryContext, group: QuoteGroup) -> ReportConflict | None:
    """The attribution conflict of one quote group, or None. Only quotes in quotation
    marks with (nearly) the same words count (see :func:`_same_words`): reworded or
    indirect statements are too loose to say two outlets quote one sentence, and two
    names of which one holds the other ("Civil Protection Agency", "Dravenian Civil
    Protection Agency") are taken for one speaker. Each side's value span is where its
    article names the speaker."""
    quotes = [
        q
        for q in group.quotes
        if q.direct
        and q.speaker
        and q.named
        and q.speaker_span is not None
        and len(q.words) >= MIN_WORDS
    ]
    clashing = _clashing_quotes(context, quotes)
    if len({q.speaker for q in clashing}) != 2 or _split_article(quotes, clashing):
        return None
    if len({context.group(q.article_id) for q in clashing}) < 2:
        return None
    shortest = min(clashing, key=lambda q: len(q.text))
    excerpt = shortest.text if len(shortest.text) <= 80 else shortest.text[:77].rstrip() + "…"
    clashing.sort(key=lambda q: (str(q.speaker), context.position[q.article_id], q.span))
    return ReportConflict(
        id="C" + group.id[1:],
        about=f"who said “{excerpt}”",
        kind="attribution",
        values=[_speaker_value(context, q) for q in clashing],
        fact=None,
    )


WORDING_MIN_WORDS = 6
"""Quotes shorter than this are too short for one differing word to be a misquote."""
WORDING_SAME_SHARE = 0.75
"""Share of the shorter quote's words that must stand alike in both for one number or
name between them to be a misquote rather than another sentence."""


def wording_conflicts(context: StoryContext, groups: list[QuoteGroup]) -> list[ReportConflict]:
    """One quote that independent outlets give with a different number or name in it ("a
    citizen of the United States for 85 years" / "for 136 years"), the same speaker (or
    an unknown one) in both: a ``wording`` conflict, each side's value the differing word
    and its span inside the quote."""
    conflicts: list[ReportConflict] = []
    for group in groups:
        found = _wording_conflict(context, group) if group.reworded else None
        if found is not None:
            conflicts.append(found)
    return conflicts


def _wording_conflict(context: StoryContext, group: QuoteGroup) -> ReportConflict | None:
    order = context.position
    quotes = sorted(
        (q for q in group.quotes if q.direct and len(q.words) >= WORDING_MIN_WORDS),
        key=lambda q: (order[q.article_id], q.span),
    )
    if len(quotes) < 2:
        return None
    first, seen = quotes[0], {quotes[0].article_id}
    values: list[ConflictValue] = []
    for other in quotes[1:]:
        if other.article_id in seen or context.group(other.article_id) == context.group(
            first.article_id
        ):
            continue
        if first.speaker and other.speaker and first.speaker != other.speaker:
            continue
        differing = _differing_word(context, first, other)
        if differing is None:
            continue
        if not values:
            values.append(_word_value(context, first, differing[0]))
        values.append(_word_value(context, other, differing[1]))
        seen.add(other.article_id)
    if not values:
        return None
    excerpt = first.text if len(first.text) <= 80 else first.text[:77].rstrip() + "…"
    return conflict(f"the words of “{excerpt}”", "wording", values)


_Word = tuple[str, int, int]
"""A word of a quote and its span in the article's text."""


def _differing_word(context: StoryContext, a: Quote, b: Quote) -> tuple[_Word, _Word] | None:
    """The one number or name two wordings of a quote differ in, everything else alike
    (one may be trimmed at either end); None when they differ otherwise or not at all."""
    words_a, words_b = _located_words(context, a), _located_words(context, b)
    keys_a = [_key(w[0]) for w in words_a]
    keys_b = [_key(w[0]) for w in words_b]
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    alike = sum(block.size for block in matcher.get_matching_blocks())
    if alike < WORDING_SAME_SHARE * min(len(keys_a), len(keys_b)):
        return None
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    inner = [op for op in changes if not _at_an_end(op, len(keys_a), len(keys_b))]
    if len(inner) != 1 or inner[0][0] != "replace":
        return None
    _, i1, i2, j1, j2 = inner[0]
    if i2 - i1 != 1 or j2 - j1 != 1:
        return None
    wa, wb = words_a[i1], words_b[j1]
    return (wa, wb) if _value_words_differ(wa[0], wb[0]) else None


def _at_an_end(op: tuple[str, int, int, int, int], len_a: int, len_b: int) -> bool:
    """A change at the start or end of either quote: one outlet quoted less of it."""
    tag, i1, i2, j1, j2 = op
    if tag not in ("delete", "insert", "replace"):
        return False
    return (i1 == 0 and j1 == 0) or (i2 == len_a and j2 == len_b)


def _value_words_differ(a: str, b: str) -> bool:
    """Two numbers of different value, or two different names (capitalised words)."""
    number_a, number_b = _number(a), _number(b)
    if number_a is not None and number_b is not None:
        return number_a != number_b
    return a[:1].isupper() and b[:1].isupper() and _key(a) != _key(b)


def _key(word: str) -> str:
    """A word as wordings are compared: case and apostrophe style aside ("I’m", "I'm")."""
    return word.lower().replace("’", "'")


def _number(word: str) -> float | None:
    digits = word.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return float(digits)
    spelled = number_word(word)
    return None if spelled is None else float(spelled)


def _located_words(context: StoryContext, quote: Quote) -> list[_Word]:
    text = context.article(quote.article_id).text
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(text, *quote.span)]


def _word_value(context: StoryContext, quote: Quote, word: _Word) -> ConflictValue:
    return conflict_value(context, quote.article_id, quote.span, word[0], (word[1], word[2]))


def _speaker_value(context: StoryContext, quote: Quote) -> ConflictValue:
    """One side of an attribution conflict: the speaker's name, the quote as evidence
    and where the article names the speaker as the value's span."""
    assert quote.speaker_span is not None
    name = context.actor_names.get(str(quote.speaker), str(quote.speaker))
    return conflict_value(context, quote.article_id, quote.span, name, quote.speaker_span)


def _clashing_quotes(context: StoryContext, quotes: list[Quote]) -> list[Quote]:
    """The quotes of verbatim-equal pairs whose speakers are surely not one another (see
    :func:`_clash`), in the order found; not a pair where either article also gives
    these words to the other's speaker (it quotes both, or its parse is split)."""
    found: dict[tuple[str, tuple[int, int]], Quote] = {}
    for i, a in enumerate(quotes):
        for b in quotes[i + 1 :]:
            if _clash(context, a, b) and not _also_given(quotes, a, b):
                found.setdefault((a.article_id, a.span), a)
                found.setdefault((b.article_id, b.span), b)
    return list(found.values())


def _split_article(quotes: list[Quote], clashing: list[Quote]) -> bool:
    """Whether an article gives the words in conflict to both speakers: it quotes both
    (a spokesman and his principal), or its parse split one statement between them.
    Three or more speakers for one quote (checked by the caller) are a parse gone wrong
    more often than outlets that disagree."""
    speakers = {quote.speaker for quote in clashing}
    per_article: dict[str, set[str | None]] = defaultdict(set)
    for quote in quotes:
        if quote.speaker in speakers and any(_overlapping(quote, o) for o in clashing):
            per_article[quote.article_id].add(quote.speaker)
    return any(len(speakers) > 1 for speakers in per_article.values())


def _also_given(quotes: list[Quote], a: Quote, b: Quote) -> bool:
    """Whether ``a``'s article gives words of ``a`` or ``b`` to ``b``'s speaker too, or
    ``b``'s article to ``a``'s (words in common counted loosely: any run inside)."""
    for quote in quotes:
        if (quote.article_id, quote.speaker) not in (
            (a.article_id, b.speaker),
            (b.article_id, a.speaker),
        ):
            continue
        if any(_overlapping(quote, other) for other in (a, b)):
            return True
    return False


def _overlapping(a: Quote, b: Quote) -> bool:
    return a.joined in b.joined or b.joined in a.joined or _same_words(a, b)


def _clash(context: StoryContext, a: Quote, b: Quote) -> bool:
    """Two quotes of one sentence given to two people: both people, with different
    surnames ("Plus Obama" is "Barack Obama" misread), the same words (see
    :func:`_same_words`), and neither attribution in doubt (see :func:`_doubtful`)."""
    if a.speaker == b.speaker or a.article_id == b.article_id:
        return False
    kinds = context.actor_kinds
    if kinds.get(str(a.speaker)) != "person" or kinds.get(str(b.speaker)) != "person":
        return False
    surname_a, surname_b = _surname(context, str(a.speaker)), _surname(context, str(b.speaker))
    if not surname_a or not surname_b or surname_a == surname_b:
        return False
    if not _same_words(a, b):
        return False
    framed = a.framed and b.framed
    return not (
        _doubtful(context, a, str(b.speaker), framed)
        or _doubtful(context, b, str(a.speaker), framed)
    )


def _same_words(a: Quote, b: Quote) -> bool:
    """One quote's words run inside the other's, both of :data:`ATTRIBUTION_MIN_WORDS`
    or more; small words aside ("admit I'm a Christian" / "admit that I'm a
    Christian"); or most of the shorter one's words in one run ("... closer and closer
    to nuclear arms" / "to a nuclear bomb"). Shorter quotes ("He's cool", "I understand
    that mistrust") are said by many, slogans and answers alike, and never count."""
    if min(len(a.words), len(b.words)) < ATTRIBUTION_MIN_WORDS:
        return False
    return a.joined in b.joined or b.joined in a.joined or _content_inside(a, b) or _one_run(a, b)


CONTENT_RUN_MIN = 4
"""Words besides the small ones a quote needs for its content words alone to show it."""
RUN_MIN_WORDS = 8
RUN_SHARE = 0.75
"""A run of this many words in common, this share of the shorter quote, is one quote
whose outlets differ at its edges."""


def _content_inside(a: Quote, b: Quote) -> bool:
    """The shorter quote's content words, in order, run inside the other's."""
    short, long = sorted((a.content, b.content), key=len)
    return short.count(" ") > CONTENT_RUN_MIN and short in long


def _one_run(a: Quote, b: Quote) -> bool:
    """The two quotes share a run of words covering most of the shorter: a run of
    ``size`` words in common is a common ``size``-word stretch of the shorter one."""
    short, long = sorted((a, b), key=lambda q: len(q.words))
    size = max(RUN_MIN_WORDS, math.ceil(RUN_SHARE * len(short.words)))
    if size > len(short.words):
        return False
    core = short.words[len(short.words) - size : size]  # in every stretch of that size
    if " " + " ".join(core) + " " not in long.joined:
        return False
    return any(
        " " + " ".join(short.words[i : i + size]) + " " in long.joined
        for i in range(len(short.words) - size + 1)
    )


NEAR_CHARS = 400
"""How far around a quote another speaker's mention makes its attribution uncertain."""


def _doubtful(context: StoryContext, quote: Quote, other: str, framed: bool) -> bool:
    """Whether the article of ``quote`` leaves room for ``other`` (the speaker another
    outlet gives) to have said it. When both outlets name their speaker in the quote's
    own sentences (``framed``, :attr:`Quote.framed`), only a sentence that names
    ``other`` too leaves room ("said Jim Manley, a top adviser to Mr. Reid": a spokesman
    quoted for his principal); the article naming ``other`` elsewhere does not (the
    person quoted in one outlet is often the subject of the next sentence). Otherwise
    ``other`` named within :data:`NEAR_CHARS` does: a quote whose speaker annotation
    inferred (carried over, or through "the Obama campaign") may be the neighbour's, and
    a quote about Grassley in an article on Braley's attack is Braley's, whatever a
    parser made of it."""
    if not framed:
        return _named_near(context, quote, other, (NEAR_CHARS, NEAR_CHARS))
    start = context.sentence_at(quote.article_id, quote.span[0], quote.span[0])[0]
    last = max(quote.span[0], quote.span[1] - 1)
    end = context.sentence_at(quote.article_id, last, quote.span[1])[1]
    return _named_near(context, quote, other, (quote.span[0] - start, end - quote.span[1]))


def _named_near(context: StoryContext, quote: Quote, actor: str, reach: tuple[int, int]) -> bool:
    """Whether the article names ``actor`` from ``reach[0]`` characters before the quote
    to ``reach[1]`` after it: a mention of that story actor, or its surname written
    there (a mention linked to another actor, "Interior Ken Salazar", or none, inside
    broken quotation marks, still names him)."""
    article = context.article(quote.article_id)
    start, end = max(0, quote.span[0] - reach[0]), quote.span[1] + reach[1]
    for mention in article.annotations.get("mentions", []):
        if start <= mention["span"][0] < end and (
            context.story_actor(quote.article_id, mention.get("actor")) == actor
        ):
            return True
    surname = _surname(context, actor)
    return bool(surname) and surname in _words(article.text[start:end])


_NAME_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())


def _surname(context: StoryContext, actor: str) -> str:
    """The last word of an actor's name, a suffix aside ("Mark Felt Jr." -> felt), as
    :func:`_words` keys it; empty for a name without words."""
    return _last_name(context.actor_names.get(actor, ""))


@functools.lru_cache(maxsize=4096)
def _last_name(name: str) -> str:
    words = [w for w in _words(name) if w not in _NAME_SUFFIXES]
    return words[-1] if words else ""


def quote_items(context: StoryContext, groups: list[QuoteGroup]) -> list[ReportQuote]:
    """The report's quote list, grouped quotes together, in story order."""
    items: list[ReportQuote] = []
    order = context.position
    for group in groups:
        carried_by = sorted({context.outlet(q.article_id) for q in group.quotes})
        for quote in sorted(group.quotes, key=lambda q: (order[q.article_id], q.span)):
            items.append(_quote_item(context, group, quote, carried_by))
    items.sort(
        key=lambda q: (-len(q["carried_by"]), q["group"], order[q["article_id"]], q["span"][0])
    )
    return items


def _quote_item(
    context: StoryContext, group: QuoteGroup, quote: Quote, carried_by: list[str]
) -> ReportQuote:
    """One quote of the report, its text and context cut from the stored text, with what
    its group says about the quote across outlets."""
    evidence = context.evidence(quote.article_id, *quote.span)
    return ReportQuote(
        speaker=quote.speaker,
        speaker_name=quote.speaker_name,
        text=evidence["text"],
        direct=quote.direct,
        article_id=quote.article_id,
        span=evidence["span"],
        outlet=evidence["outlet"],
        group=group.id,
        carried_by=carried_by,
        wording_differs=group.reworded,
        partial=quote.partial,
        context=evidence["context"],
    )
