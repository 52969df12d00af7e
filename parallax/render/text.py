"""The terminal report: what a reader sees first after ``parallax report``.

Conflicts come first because they are why the tool exists: the places where outlets
disagree, each side with its sentence. Then what is confirmed, how outlets name the
actors, who is quoted, when things happened and how each outlet frames them.

Everything from an article reaches Rich as a :class:`~rich.text.Text`, never as a string:
a string would be read as console markup, and ``[bold]`` or ``[link=…]`` inside a quote
would restyle the report. Long lists are cut at the limits below, with the count of what
was left out, because a terminal is for a first look; the Markdown and HTML reports carry
every item.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from rich import box
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from parallax.model import Report
from parallax.render.view import (
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

MAX_CONFLICTS = 12
MAX_FACTS = 15
MAX_EVIDENCE = 2
MAX_LABEL_ROWS = 12
MAX_LABEL_OUTLETS = 6
MAX_QUOTES = 10
MAX_TIMELINE = 20
MAX_TERMS = 8

STATUS_STYLE = {"corroborated": "green", "single_source": "yellow", "disputed": "bold red"}
HIGHLIGHT = "bold black on yellow"
WARN = "bold red"


def render_text(report: Report, console: Console) -> None:
    """Print a story report to a Rich console, story after story."""
    view = read_report(report)
    if not view.stories:
        console.print(Text("No stories in this report.", style="dim"))
    for index, story in enumerate(view.stories, 1):
        if index > 1:
            console.print()
        for renderable in _story(story, index, len(view.stories)):
            console.print(renderable)


def _story(story: StoryView, index: int, total: int) -> Iterator[RenderableType]:
    counter = f"Story {index} of {total} · " if total > 1 else ""
    yield Rule(Text(counter + story.title, style="bold"), style="cyan", align="left")
    if story.summary:
        yield Text(story.summary, style="italic")
    yield _story_meta(story)
    yield from _section("Conflicts", story.conflicts, _conflicts(story.conflicts), WARN)
    yield from _section("Facts", story.facts, _facts(story.facts), "bold green")
    yield from _section("Labels", story.labels, _labels(story), "bold magenta")
    yield from _section("Quotes", story.quotes, _quotes(story.quotes), "bold blue")
    yield from _section("Timeline", story.timeline, _timeline(story.timeline), "bold cyan")
    yield from _section("Framing", story.framing, _framing(story.framing), "bold yellow")


def _story_meta(story: StoryView) -> Text:
    meta = Text(style="dim")
    meta.append(f"{len(story.outlets)} outlet{_s(story.outlets)}: ")
    meta.append(", ".join(story.outlets) or "none", style="bold")
    meta.append(f" · {len(story.articles)} article{_s(story.articles)}")
    meta.append(f" · {len(story.groups)} independent group{_s(story.groups)}")
    if story.date_range:
        first, last = story.date_range
        meta.append(f" · {first}" + (f" → {last}" if last != first else ""))
    return meta


def _section(
    title: str, items: Sequence[object], body: Iterable[RenderableType], style: str
) -> Iterator[RenderableType]:
    yield Text()
    yield Text(f"{title.upper()} ({len(items)})", style=style)
    if not items:
        yield Padding(Text(f"No {title.lower()} found.", style="dim"), (0, 0, 0, 2))
        return
    yield from body


def _more(count: int, shown: int, noun: str, plural: str, indent: int = 2) -> Iterator[Padding]:
    """The count of what a limit left out, so a cut list never reads as complete."""
    if count > shown:
        left = count - shown
        line = Text(f"… and {left} more {noun if left == 1 else plural}", style="dim")
        yield Padding(line, (0, 0, 0, indent))


def _evidence(evidence: Evidence, indent: int = 6) -> Padding:
    """A span inside its sentence, highlighted, then who carries it."""
    line = Text("“", style="dim")
    line.append(evidence.before)
    line.append(evidence.text, style=HIGHLIGHT)
    line.append(evidence.after)
    line.append("”", style="dim")
    line.append(f" — {evidence.source} · {evidence.article_id}", style="dim")
    return Padding(line, (0, 0, 0, indent))


def _conflicts(conflicts: Sequence[ConflictView]) -> Iterator[RenderableType]:
    for conflict in conflicts[:MAX_CONFLICTS]:
        head = Text(f"{conflict.ref.number:>2}. ", style=WARN)
        head.append(conflict.about, style="bold")
        head.append(f"  [{conflict.kind}]", style="red")
        if conflict.fact:
            head.append(f"  on: {conflict.fact}", style="dim")
        yield head
        for value in conflict.values:
            side = Text("▸ ", style="red")
            side.append(value.value or "(no value)", style="bold")
            side.append(f"  {value.evidence.source}", style="cyan")
            yield Padding(side, (0, 0, 0, 4))
            yield _evidence(value.evidence)
    yield from _more(len(conflicts), MAX_CONFLICTS, "conflict", "conflicts")


def _facts(facts: Sequence[FactView]) -> Iterator[RenderableType]:
    for fact in facts[:MAX_FACTS]:
        yield _fact_head(fact)
        yield Padding(_fact_outlets(fact), (0, 0, 0, 4))
        if fact.attribution_drift:
            yield Padding(_drift(fact), (0, 0, 0, 4))
        if fact.conflicts:
            refs = ", ".join(f"#{ref.number} {ref.about}" for ref in fact.conflicts)
            yield Padding(Text(f"⚠ in conflict: {refs}", style=WARN), (0, 0, 0, 4))
        for evidence in fact.evidence[:MAX_EVIDENCE]:
            yield _evidence(evidence)
        yield from _more(len(fact.evidence), MAX_EVIDENCE, "source", "sources", 6)
    yield from _more(len(facts), MAX_FACTS, "fact", "facts")


def _fact_head(fact: FactView) -> Table:
    """Status, then the fact in its own column, so a long fact wraps under itself."""
    style = STATUS_STYLE.get(fact.status, "white")
    head = Table.grid(padding=(0, 1))
    head.add_column(width=18, no_wrap=True)
    head.add_column()
    head.add_row(
        Text(f"  ● {fact.status.replace('_', ' ')}", style=style), Text(fact.text, style="bold")
    )
    return head


def _fact_outlets(fact: FactView) -> Text:
    line = Text(f"{len(fact.outlets)} outlet{_s(fact.outlets)}", style="dim")
    if fact.independent_outlets is not None:
        line.append(f" ({fact.independent_outlets} independent)", style="dim")
    line.append(": " + ", ".join(fact.outlets), style="cyan")
    if fact.attributed_to:
        line.append(f" · attributed to {fact.attributed_to}", style="dim")
    return line


def _drift(fact: FactView) -> Text:
    line = Text("⚠ attribution drift", style="bold yellow")
    if fact.asserted_by:
        line.append(f": asserted by {', '.join(fact.asserted_by)}")
    if fact.attributed_by:
        line.append(f"; attributed by {', '.join(fact.attributed_by)}")
    return line


def _labels(story: StoryView) -> Iterator[RenderableType]:
    outlets = story.label_outlets[:MAX_LABEL_OUTLETS]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column(Text("Actor"), style="bold", no_wrap=False)
    for outlet in outlets:
        table.add_column(Text(outlet), style="magenta")
    for row in story.labels[:MAX_LABEL_ROWS]:
        cells = [Text("; ".join(row.by_outlet.get(o, ())) or "–") for o in outlets]
        table.add_row(Text(row.actor), *cells)
    yield Padding(table, (0, 0, 0, 2))
    yield from _more(len(story.label_outlets), MAX_LABEL_OUTLETS, "outlet", "outlets")
    yield from _more(len(story.labels), MAX_LABEL_ROWS, "actor", "actors")


def _quotes(quotes: Sequence[QuoteGroup]) -> Iterator[RenderableType]:
    for quote in quotes[:MAX_QUOTES]:
        head = Text("  “" if quote.direct else "  ≈ ", style="blue")
        head.append(quote.text, style="bold")
        head.append("”" if quote.direct else "", style="blue")
        head.append(f" — {quote.speaker or 'unknown speaker'}", style="italic")
        if not quote.direct:
            head.append(" (indirect)", style="dim")
        yield head
        carried = Text(f"carried by {', '.join(quote.outlets)}", style="cyan")
        if quote.wording_differs:
            carried.append("  ⚠ wording differs", style="bold yellow")
        yield Padding(carried, (0, 0, 0, 4))
        for variant in quote.variants:
            if variant.relation != "full":
                line = Text(f"{variant.relation}: ", style="yellow")
                line.append(f"“{variant.text}”")
                line.append(f" — {variant.evidence.source} · {variant.evidence.article_id}")
                yield Padding(line, (0, 0, 0, 6))
    yield from _more(len(quotes), MAX_QUOTES, "quote", "quotes")


def _timeline(entries: Sequence[TimelineEntry]) -> Iterator[RenderableType]:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name in ("Date", "Precision", "What", "Outlets", ""):
        table.add_column(Text(name))
    for entry in entries[:MAX_TIMELINE]:
        marker = Text(f"⚠ conflict #{entry.conflict.number}", style=WARN) if entry.conflict else ""
        table.add_row(
            Text(entry.date, style="bold red" if entry.conflict else "bold"),
            Text(entry.precision, style="dim"),
            Text(entry.text),
            Text(", ".join(entry.outlets), style="cyan"),
            marker,
        )
    yield Padding(table, (0, 0, 0, 2))
    yield from _more(len(entries), MAX_TIMELINE, "date", "dates")


def _framing(framing: Sequence[OutletFraming]) -> Iterator[RenderableType]:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name in ("Outlet", "Tone", "Loaded terms", "Hedges", "Scare quotes"):
        table.add_column(Text(name))
    for outlet in framing:
        table.add_row(
            Text(outlet.outlet, style="bold cyan"),
            _tone(outlet.tone),
            _terms(outlet),
            Text(_listed(f"{t}" + (f" ({k})" if k else "") for t, k in outlet.hedges)),
            Text(_listed(f"“{s}”" for s in outlet.scare_quotes)),
        )
    yield Padding(table, (0, 0, 0, 2))


def _tone(tone: float | None) -> Text:
    if tone is None:
        return Text("–", style="dim")
    style = {"negative": "red", "positive": "green"}.get(tone_word(tone), "white")
    return Text(f"{tone:+.2f} {tone_word(tone)}", style=style)


def _terms(outlet: OutletFraming) -> Text:
    shown = [
        t.text + (f" → {t.target}" if t.target else "") + (f" ×{t.count}" if t.count > 1 else "")
        for t in outlet.loaded_terms
    ]
    return Text(_listed(shown))


def _listed(values: Iterable[str], limit: int = MAX_TERMS) -> str:
    """Items joined for one cell, with what did not fit counted."""
    items = list(values)
    if not items:
        return "none found"
    extra = f"; … and {len(items) - limit} more" if len(items) > limit else ""
    return "; ".join(items[:limit]) + extra


def _s(items: Sequence[object]) -> str:
    return "" if len(items) == 1 else "s"
