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

    joined: str = ""
    """The words between spaces: containment of word runs is string containment."""

    def __post_init__(self) -> None:
        self.joined = " " + " ".join(self.words) + " "


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
    return found


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
    """The attribution conflict of one quote group, or None. Only verbatim quotes count
    (one's words run inside the other's): reworded or indirect statements are too loose
    to say two outlets quote one sentence, and two names of which one holds the other
    ("Civil Protection Agency", "Dravenian Civil Protection Agency") are taken for one
    speaker. Each side's value span is where its article names the speaker."""
    quotes = [
        q
        for q in group.quotes
        if q.direct
        and q.speaker
        and q.named
        and q.speaker_span is not None
        and len(q.words) >= ATTRIBUTION_MIN_WORDS
    ]
    clashing = _clashing_speakers(context, quotes)
    if not clashing:
        return None
    quotes = [q for q in quotes if q.speaker in clashing]
    per_article: dict[str, set[str]] = defaultdict(set)
    for quote in quotes:
        per_article[quote.article_id].add(str(quote.speaker))
    if any(len(s) > 1 for s in per_article.values()):
        return None
    if len({context.group(q.article_id) for q in quotes}) < 2:
        return None
    shortest = min(quotes, key=lambda q: len(q.text))
    excerpt = shortest.text if len(shortest.text) <= 80 else shortest.text[:77].rstrip() + "…"
    quotes.sort(key=lambda q: (str(q.speaker), context.position[q.article_id]))
    return ReportConflict(
        id="C" + group.id[1:],
        about=f"who said “{excerpt}”",
        kind="attribution",
        values=[_speaker_value(context, q) for q in quotes],
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


def _clashing_speakers(context: StoryContext, quotes: list[Quote]) -> set[str]:
    """Speakers of verbatim-equal quotes (containment) that are surely not one another:
    both people, with different surnames ("Plus Obama" is "Barack Obama" misread), and
    neither article naming the other speaker near the quote (a quote about Grassley in
    an article on Braley's attack is Braley's, whatever a parser made of it; a
    spokesman quoted for his principal names both)."""
    found: set[str] = set()
    for i, a in enumerate(quotes):
        for b in quotes[i + 1 :]:
            if a.speaker == b.speaker or a.article_id == b.article_id:
                continue
            kinds = context.actor_kinds
            if kinds.get(str(a.speaker)) != "person" or kinds.get(str(b.speaker)) != "person":
                continue
            if not (a.joined in b.joined or b.joined in a.joined):
                continue
            name_a = _words(context.actor_names.get(str(a.speaker), ""))
            name_b = _words(context.actor_names.get(str(b.speaker), ""))
            if not name_a or not name_b or name_a[-1] == name_b[-1]:
                continue
            if _named_near(context, a, str(b.speaker)) or _named_near(context, b, str(a.speaker)):
                continue
            found.update((str(a.speaker), str(b.speaker)))
    return found


NEAR_CHARS = 400
"""How far around a quote another speaker's mention makes its attribution uncertain."""


def _named_near(context: StoryContext, quote: Quote, actor: str) -> bool:
    article = context.article(quote.article_id)
    start, end = quote.span[0] - NEAR_CHARS, quote.span[1] + NEAR_CHARS
    for mention in article.annotations.get("mentions", []):
        if start <= mention["span"][0] < end and (
            context.story_actor(quote.article_id, mention.get("actor")) == actor
        ):
            return True
    return False


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
