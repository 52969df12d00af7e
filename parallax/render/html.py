"""The HTML report: one page to read a story with the outlets side by side.

The page is one self-contained file: the stylesheet is inlined and a Content-Security-Policy
forbids every load, so it can be mailed, archived or opened offline, and a hostile article
cannot make it fetch anything or run anything. The templates autoescape, and no article text
is ever marked safe: Python computes numbers (where a date sits on the timeline, where a tone
falls on its scale, which colour an outlet wears) and the templates draw them.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources
from itertools import pairwise
from urllib.parse import quote

from jinja2 import BaseLoader, ChoiceLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from parallax.model import Report
from parallax.render.view import Evidence, StoryView, TimelineEntry, read_report, tone_word

FOLD_AFTER = {"facts": 12, "quotes": 8, "timeline": 40}
"""How many items of a long list the page shows before "… and N more" (a ``<details>``
that opens without script, and prints open)."""

PALETTE = 8
"""Outlet colours in the stylesheet (``.o0`` … ``.o7``); more outlets reuse them in turn."""

CHART_WIDTH = 1000
CHART_PAD = 56
AXIS_Y = 58
LABEL_ROW = 15
LABEL_GAP = 14
CHAR_WIDTH = 6.8
"""A generous average advance of a 12px sans-serif character, to keep labels apart."""
MAX_LABEL_ROWS = 3
MAX_CAPTION = 24
LONG_GAP_DAYS = 45
"""Gaps longer than this are drawn as a break in the axis: a story that reaches back a
year must not squeeze the week that matters into a few pixels."""


@dataclass(frozen=True)
class TimelineMark:
    """One distinct date on the chart, with every entry that gives it."""

    date: str
    x: float
    row: int
    radius: float
    conflict: bool
    approximate: bool
    caption: str
    entries: tuple[TimelineEntry, ...]

    @property
    def anchor(self) -> str:
        """Text anchor that keeps labels near the ends of the axis inside the chart."""
        if self.x < CHART_PAD + 60:
            return "start"
        return "end" if self.x > CHART_WIDTH - CHART_PAD - 60 else "middle"

    @property
    def label_x(self) -> float:
        return {"start": self.x - 10, "end": self.x + 10}.get(self.anchor, self.x)

    @property
    def extent(self) -> tuple[float, float]:
        """Left and right end of the wider of the mark's two labels."""
        chars = max(len(self.caption), len(self.date) + (3 if len(self.entries) > 1 else 0))
        width = chars * CHAR_WIDTH
        if self.anchor == "start":
            return self.label_x, self.label_x + width
        if self.anchor == "end":
            return self.label_x - width, self.label_x
        return self.x - width / 2, self.x + width / 2


@dataclass(frozen=True)
class TimelineBreak:
    x1: float
    x2: float
    label: str


@dataclass(frozen=True)
class TimelineChart:
    width: int
    height: int
    axis_y: int
    marks: tuple[TimelineMark, ...]
    breaks: tuple[TimelineBreak, ...]

    def caption_y(self, mark: TimelineMark) -> float:
        return self.axis_y - 18 - mark.row * LABEL_ROW

    def date_y(self, mark: TimelineMark) -> float:
        return self.axis_y + 26 + mark.row * LABEL_ROW


@dataclass(frozen=True)
class StoryPage:
    """A story with what only the page needs: colours, chart geometry, loaded labels."""

    number: int
    story: StoryView
    colours: Mapping[str, int]
    chart: TimelineChart | None
    loaded_terms: Mapping[str, tuple[str, ...]]
    urls: Mapping[str, str]
    articles_at: str | None = None
    """Where a server shows stored articles (``/articles``): evidence then links to the
    span in the stored text instead of to the outlet's page."""

    def url(self, article_id: str) -> str | None:
        """The web address of an article, for a link from its evidence; only http(s)."""
        return self.urls.get(article_id)

    def evidence_href(self, ev: Evidence) -> str | None:
        """Where a piece of evidence links: its span in the served article when there is
        a server, else the outlet's page (only http(s)), else nowhere."""
        if self.articles_at is None:
            return self.url(ev.article_id)
        href = f"{self.articles_at}/{quote(ev.article_id, safe='')}"
        return f"{href}#span-{ev.span[0]}-{ev.span[1]}" if ev.span else href

    def span_href(self, ev: Evidence) -> str | None:
        """Where a label or a framing term links: its span in the served article, when there
        is a server. The report file leaves them unlinked: its links lead to the outlet's
        page, which holds no span, and a pill per label linking there would only repeat
        the article's own link."""
        if self.articles_at is None or ev.span is None or not ev.article_id:
            return None
        return self.evidence_href(ev)

    def actor_href(self, actor_id: str | None) -> str | None:
        """The served page of an actor across stories, when there is a server."""
        if self.articles_at is None or not actor_id:
            return None
        return f"{self.articles_at.rsplit('/', 1)[0]}/actors/{quote(actor_id, safe='')}"

    def outlet_href(self, outlet: str) -> str | None:
        """The served page of an outlet across stories, when there is a server and the
        name stands for a stored outlet: ``unknown (file.txt)``, made up for an article
        that came without an outlet, has no page (no other article is from it)."""
        if self.articles_at is None or outlet not in self.story.stored_outlets:
            return None
        return f"{self.articles_at.rsplit('/', 1)[0]}/outlets/{quote(outlet, safe='')}"

    def article_href(self, article_id: str) -> str | None:
        """The served page of an article, when there is a server."""
        if self.articles_at is None:
            return None
        return f"{self.articles_at}/{quote(article_id, safe='')}"

    def colour(self, outlet: str) -> str:
        """The CSS class an outlet wears everywhere on the page, so it is found at a glance."""
        return f"o{self.colours.get(outlet, len(self.colours)) % PALETTE}"

    def loaded(self, outlet: str, label: str) -> bool:
        """True when an outlet's label holds one of its loaded terms ("dictator")."""
        folded = label.casefold()
        return any(term in folded for term in self.loaded_terms.get(outlet, ()))


def render_html(report: Report) -> str:
    """The whole report as one self-contained HTML page."""
    view = read_report(report)
    css = _stylesheet()
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            report=view,
            pages=story_pages(report),
            fold=FOLD_AFTER,
            css=Markup(css),
            csp=content_security_policy(css),
        )
    )


def story_pages(report: Report, articles_at: str | None = None) -> list[StoryPage]:
    """The stories of a report as the story template draws them; ``articles_at``: where
    a server shows stored articles, so that evidence links to its span there."""
    view = read_report(report)
    return [
        replace(_page(number, story), articles_at=articles_at)
        for number, story in enumerate(view.stories, 1)
    ]


def environment(loader: BaseLoader | None = None) -> Environment:
    """A template environment with the report's templates and filters, ``loader``'s
    templates first: a server's pages extend or include the report's pieces instead of
    copying them."""
    if loader is None:
        return _environment()
    own = PackageLoader("parallax.render", "templates")
    env = _environment().overlay(loader=ChoiceLoader([loader, own]))
    env.filters = dict(env.filters)  # an overlay shares these with the report's own
    env.globals = dict(env.globals)
    return env


def stylesheet() -> str:
    """The report's stylesheet (a server serves it as a file)."""
    return _stylesheet()


def content_security_policy(css: str) -> str:
    """Nothing may load or run; only the page's own stylesheet, pinned by its hash, applies."""
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return (
        "default-src 'none'; "
        f"style-src 'sha256-{digest}'; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("parallax.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tone"] = _tone
    env.filters["tone_x"] = tone_x
    env.filters["plural"] = _plural
    env.filters["tone_word"] = tone_word
    return env


@cache
def _stylesheet() -> str:
    return resources.files("parallax.render").joinpath("report.css").read_text("utf-8")


def _page(number: int, story: StoryView) -> StoryPage:
    """Give every outlet the story names anywhere its colour, in order of first mention."""
    outlets = [*story.outlets, *(o for f in story.facts for o in f.outlets)]
    outlets += [e.source for f in story.facts for e in f.evidence]
    outlets += [e.source for c in story.conflicts for _, side in c.sides for e in side]
    outlets += [o for q in story.quotes for o in q.outlets]
    outlets += [o for t in story.timeline for o in t.outlets]
    outlets += [o for row in story.labels for o in row.by_outlet]
    outlets += [f.outlet for f in story.framing]
    colours = {outlet: index for index, outlet in enumerate(dict.fromkeys(outlets))}
    loaded = {
        f.outlet: tuple(t.text.casefold() for t in f.loaded_terms if len(t.text) > 2)
        for f in story.framing
    }
    urls = {a.id: a.url for a in story.articles if a.url}
    return StoryPage(number, story, colours, timeline_chart(story.timeline), loaded, urls)


def timeline_chart(entries: Sequence[TimelineEntry]) -> TimelineChart | None:
    """Place each distinct date on one axis, in order; ``None`` when no date can be placed.

    Spacing grows with the logarithm of the gap, so a day apart stays readable next to
    months apart; gaps over :data:`LONG_GAP_DAYS` are marked as breaks, because the
    axis is ordered but not to scale there. Labels that would overlap go on more rows.
    """
    by_date: dict[str, list[TimelineEntry]] = {}
    for entry in entries:
        if entry.start is not None:
            by_date.setdefault(entry.date, []).append(entry)
    if not by_date:
        return None
    order = sorted(by_date, key=lambda d: (by_date[d][0].start or date.max, d))
    starts = [by_date[d][0].start or date.max for d in order]
    days = [(b - a).days for a, b in pairwise(starts)]
    xs = _positions(days)
    marks = [_mark(d, by_date[d], x) for d, x in zip(order, xs, strict=True)]
    rows = _label_rows(marks)
    placed = tuple(replace(mark, row=row) for mark, row in zip(marks, rows, strict=True))
    breaks = tuple(
        TimelineBreak(xs[i] + 14, xs[i + 1] - 14, _duration(gap))
        for i, gap in enumerate(days)
        if gap > LONG_GAP_DAYS and xs[i + 1] - xs[i] > 90
    )
    axis_y = AXIS_Y + max(rows) * LABEL_ROW
    height = axis_y + 38 + max(rows) * LABEL_ROW
    return TimelineChart(CHART_WIDTH, height, axis_y, placed, breaks)


def _positions(days: Sequence[int]) -> list[float]:
    if not days:
        return [CHART_WIDTH / 2]
    weights = [1 + math.log2(1 + max(gap, 0)) for gap in days]
    scale = (CHART_WIDTH - 2 * CHART_PAD) / sum(weights)
    xs = [float(CHART_PAD)]
    for weight in weights:
        xs.append(xs[-1] + weight * scale)
    return xs


def _label_rows(marks: Sequence[TimelineMark]) -> list[int]:
    """Stagger labels that would overlap: each goes to the first row with room for it, and
    past the last row, to the row whose last label ends furthest back."""
    row_ends: list[float] = []
    rows = []
    for mark in marks:
        left, right = mark.extent
        free = (i for i, end in enumerate(row_ends) if left >= end + LABEL_GAP)
        row = next(free, len(row_ends))
        if row == MAX_LABEL_ROWS:
            row = min(range(MAX_LABEL_ROWS), key=row_ends.__getitem__)
        elif row == len(row_ends):
            row_ends.append(right)
        row_ends[row] = right
        rows.append(row)
    return rows


def _mark(day: str, entries: list[TimelineEntry], x: float) -> TimelineMark:
    caption = entries[0].text
    caption = caption if len(caption) <= MAX_CAPTION else caption[: MAX_CAPTION - 1].rstrip() + "…"
    return TimelineMark(
        date=day,
        x=round(x, 1),
        row=0,
        radius=6 + 1.5 * min(len(entries) - 1, 3),
        conflict=any(e.conflict for e in entries),
        approximate=all(e.precision != "day" for e in entries),
        caption=caption,
        entries=tuple(entries),
    )


def _duration(days: int) -> str:
    if days >= 700:
        return f"≈ {round(days / 365.25)} years"
    months = round(days / 30.44)
    return f"≈ {months} month{'' if months == 1 else 's'}"


def tone_x(tone: float | None, width: float = 96) -> float:
    """Where a tone falls on a bar of ``width``: -1 at the left end, +1 at the right."""
    clamped = max(-1.0, min(1.0, tone or 0.0))
    return round(width / 2 + clamped * (width / 2 - 5), 1)


def _tone(tone: float | None) -> str:
    return "no tone" if tone is None else f"{tone:+.2f} · {tone_word(tone)}"


def _plural(count: int | Sequence[object], word: str, plural: str | None = None) -> str:
    number = count if isinstance(count, int) else len(count)
    return f"{number} {word if number == 1 else plural or word + 's'}"
