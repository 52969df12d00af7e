"""The Markdown report: a story to paste into an issue, a wiki or a fact-check draft.

It carries every item, not a first look: each one with its evidence quoted and the article
id, so a reader can check it without Parallax. Article text is untrusted here as
everywhere: :func:`escape` makes it inert, so a quote with a pipe cannot split a table
cell, a title that starts with ``#`` cannot become a heading, and ``<script>`` or a
backtick fence cannot reach a renderer as HTML or code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from parallax.model import Report
from parallax.render.view import (
    ArticleView,
    ConflictView,
    Evidence,
    FactView,
    OutletFraming,
    QuoteGroup,
    StoryView,
    TimelineEntry,
    read_report,
    tone_word,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#&])")
_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")
NONE_FOUND = "_None found._"


def render_markdown(report: Report) -> str:
    """The whole report as GitHub-flavoured Markdown, stories one after the other."""
    view = read_report(report)
    lines = ["# Parallax story report", ""]
    count = f"{len(view.stories)} stor{'y' if len(view.stories) == 1 else 'ies'}"
    lines += [f"_{escape(view.generated_by or view.schema)} · {count}_", ""]
    if not view.stories:
        lines += ["_No stories in this report._", ""]
    for index, story in enumerate(view.stories, 1):
        lines += list(_story(story, index))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip() + "\n"


def escape(text: str) -> str:
    """Make text literal in Markdown: inline syntax is backslash-escaped, and a block marker
    at the start (a list dash, a numbered item) is defused, since text may open a line."""
    return _LINE_START.sub(_defuse, _SPECIAL.sub(r"\\\1", text))


def _defuse(match: re.Match[str]) -> str:
    marker = match.group(1)
    return marker + "\\" if marker[0].isdigit() else "\\" + marker


def _story(story: StoryView, index: int) -> Iterator[str]:
    yield f"## {index}. {escape(story.title)}"
    yield ""
    if story.summary:
        yield f"> {escape(story.summary)}"
        yield ""
    yield _meta(story)
    yield ""
    # the comparison first, as on the HTML page; the articles its [n] cite come last
    yield from _section("Conflicts", story.conflicts, _conflicts(story.conflicts))
    yield from _section("Facts", story.facts, _facts(story.facts))
    yield from _section("Labels", story.labels, _labels(story))
    yield from _section("Quotes", story.quotes, _quotes(story.quotes))
    yield from _section("Timeline", story.timeline, _timeline(story.timeline))
    yield from _section("Framing", story.framing, _framing(story.framing))
    yield from _section("Articles", story.articles, _articles(story.articles))


def _meta(story: StoryView) -> str:
    parts = [
        f"**Outlets:** {escape(', '.join(story.outlets)) or 'none'}",
        f"**Articles:** {len(story.articles)}",
        f"**Independent groups:** {len(story.groups)}",
    ]
    if story.date_range:
        first, last = story.date_range
        parts.append(f"**Published:** {first}" + (f" – {last}" if last != first else ""))
    parts.append(f"**Story id:** {escape(story.id)}")
    return " · ".join(parts)


def _section(title: str, items: Sequence[object], body: Iterable[str]) -> Iterator[str]:
    yield f"### {title} ({len(items)})"
    yield ""
    yield from body if items else [NONE_FOUND]
    yield ""


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    yield "| " + " | ".join(header) + " |"
    yield "|" + "---|" * len(header)
    for row in rows:
        yield "| " + " | ".join(cell or " " for cell in row) + " |"
    yield ""


def _articles(articles: Sequence[ArticleView]) -> Iterator[str]:
    if not articles:
        yield NONE_FOUND
        yield ""
        return
    rows = [
        (
            escape(a.outlet or "unknown outlet"),
            _link(a.title or "untitled", a.url),
            escape(a.day or "undated"),
            escape(a.id),
            _independence(a),
        )
        for a in articles
    ]
    yield from _table(("Outlet", "Title", "Published", "Article", "Independence"), rows)


def _link(title: str, url: str | None) -> str:
    """A title linked to its article when the address is a web one; the URL is
    percent-encoded where Markdown would read it as syntax."""
    if not url:
        return escape(title)
    target = re.sub(r"[\s()<>\\`|]", lambda m: f"%{ord(m.group()):02X}", url)
    return f"[{escape(title)}]({target})"


def _independence(article: ArticleView) -> str:
    parts = []
    if article.wire_of:
        parts.append(f"wire copy of {escape(article.wire_of)}")
    if article.relays:
        parts.append(f"relays {escape(article.relays)}")
    if article.group and article.group != article.id:
        parts.append(f"group {escape(article.group)}")
    return "; ".join(parts) or "own reporting"


def _quoted(evidence: Evidence) -> str:
    """The span in its sentence, then its outlet and article."""
    return f"{_sentence(evidence)} — {_source(evidence)}"


def _source(evidence: Evidence) -> str:
    return f"{escape(evidence.source)}, article {escape(evidence.article_id)}"


def _conflicts(conflicts: Sequence[ConflictView]) -> Iterator[str]:
    for conflict in conflicts:
        yield f"#### {conflict.ref.number}. {escape(conflict.about)} ({escape(conflict.kind)})"
        yield ""
        if conflict.fact:
            yield f"On the fact: _{escape(conflict.fact)}_"
            yield ""
        rows = [
            (
                f"**{escape(v.value)}**",
                escape(v.evidence.source),
                _sentence(v.evidence),
                escape(v.evidence.article_id),
            )
            for v in conflict.values
        ]
        yield from _table(("Value", "Outlet", "Evidence", "Article"), rows)


def _sentence(evidence: Evidence) -> str:
    """The span in bold inside the words around it, when the report gives them."""
    before, after = escape(evidence.before), escape(evidence.after)
    span = f"**{escape(evidence.text)}**" if evidence.text else "_(empty span)_"
    return f"“{before}{span}{after}”"


def _facts(facts: Sequence[FactView]) -> Iterator[str]:
    for fact in facts:
        outlets = f"{len(fact.outlets)} outlet{'' if len(fact.outlets) == 1 else 's'}"
        if fact.independent_outlets is not None:
            outlets += f", {fact.independent_outlets} independent"
        yield (
            f"- **{escape(fact.text)}** — _{escape(fact.status)}_ · {outlets}: "
            f"{escape(', '.join(fact.outlets))}"
        )
        if fact.attributed_to:
            yield f"  - attributed to {escape(fact.attributed_to)}"
        if fact.attribution_drift:
            yield f"  - ⚠ **attribution drift**: {_drift(fact)}"
        for ref in fact.conflicts:
            yield f"  - ⚠ **in conflict**: #{ref.number} {escape(ref.about)}"
        for evidence in fact.evidence:
            yield f"  - {_quoted(evidence)}"


def _drift(fact: FactView) -> str:
    asserted = escape(", ".join(fact.asserted_by)) or "no outlet"
    attributed = escape(", ".join(fact.attributed_by)) or "no outlet"
    return f"asserted as fact by {asserted}; attributed to a speaker by {attributed}"


def _labels(story: StoryView) -> Iterator[str]:
    outlets = story.label_outlets
    rows = [
        (
            f"**{escape(row.actor)}**",
            *(_label_cell(row.by_outlet.get(o, ()), row.articles) for o in outlets),
        )
        for row in story.labels
    ]
    yield from _table(("Actor", *(escape(o) for o in outlets)), rows)


def _label_cell(labels: Sequence[str], articles: Mapping[str, Sequence[str]]) -> str:
    cells = []
    for text in labels:
        ids = ", ".join(articles.get(text, ()))
        cells.append(f"“{escape(text)}”" + (f" ({escape(ids)})" if ids else ""))
    return "; ".join(cells) or "–"


def _quotes(quotes: Sequence[QuoteGroup]) -> Iterator[str]:
    for quote in quotes:
        mode = "direct" if quote.direct else "indirect"
        speaker = escape(quote.speaker or "unknown speaker")
        line = f"- “{escape(quote.text)}” — {speaker} ({mode}) · carried by "
        line += escape(", ".join(quote.outlets))
        if quote.wording_differs:
            line += " · ⚠ **wording differs**"
        yield line
        for variant in quote.variants:
            yield f"  - {variant.relation}: {_quoted(variant.evidence)}"


def _timeline(entries: Sequence[TimelineEntry]) -> Iterator[str]:
    rows = [
        (
            f"**{escape(e.date)}**",
            escape(e.precision),
            escape(", ".join(e.outlets)),
            _sentence(e.evidence),
            escape(e.evidence.article_id),
            f"⚠ #{e.conflict.number} {escape(e.conflict.about)}" if e.conflict else "",
        )
        for e in entries
    ]
    yield from _table(("Date", "Precision", "Outlets", "Evidence", "Article", "Conflict"), rows)


def _framing(framing: Sequence[OutletFraming]) -> Iterator[str]:
    rows = [
        (
            f"**{escape(f.outlet)}**",
            f"{f.tone:+.2f} ({tone_word(f.tone)})" if f.tone is not None else "–",
            _joined(
                f"“{escape(t.text)}”"
                + (f" → {escape(t.target)}" if t.target else "")
                + (f" ×{t.count}" if t.count > 1 else "")
                for t in f.loaded_terms
            ),
            _joined(f"“{escape(t)}”" + (f" ({escape(k)})" if k else "") for t, k in f.hedges),
            _joined(f"“{escape(s)}”" for s in f.scare_quotes),
            escape(", ".join(f.articles)),
        )
        for f in framing
    ]
    header = ("Outlet", "Tone", "Loaded terms", "Hedges", "Scare quotes", "Articles")
    yield from _table(header, rows)


def _joined(values: Iterable[str]) -> str:
    return "; ".join(values) or "none found"
