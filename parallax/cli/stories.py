"""Commands on stories: stories (the list, with filters) and story (one, in detail)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from parallax.cli.common import (
    DEFAULT_DB,
    DbOption,
    LimitOption,
    TextFormatOption,
    TextOrJson,
    app,
    out,
    print_json,
    reports_errors,
)
from parallax.errors import ParallaxError
from parallax.pipeline import find_stories, story_detail
from parallax.store import Store


@app.command("stories")
@reports_errors
def stories_command(
    outlet: Annotated[
        str | None, typer.Option(help="Only stories with an article from this outlet.")
    ] = None,
    actor: Annotated[
        str | None, typer.Option(help="Only stories with this actor (id, name or part of one).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only stories with articles on or after (ISO 8601).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only stories with articles on or before (ISO 8601).")
    ] = None,
    limit: LimitOption = None,
    fmt: TextFormatOption = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """List stories, newest first: id, title, outlets, article count and date range.

    Stories are made by `parallax ingest`; "groups" counts the independent reports
    (wire copies and relays count with their origin).
    """
    with Store.open_readonly(db) as store:
        found = find_stories(
            store, outlet=outlet, actor=actor, since=since, until=until, limit=limit
        )
    if fmt is TextOrJson.json:
        print_json([story.to_json() for story in found])
        return
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("dates", no_wrap=True)
    table.add_column("articles", justify="right", no_wrap=True)
    table.add_column("groups", justify="right", no_wrap=True)
    table.add_column("outlets", no_wrap=True, overflow="ellipsis", max_width=28)
    table.add_column("title", overflow="fold", ratio=1, min_width=20)
    for story in found:
        table.add_row(
            story.id,
            _date_range(story.first_published, story.last_published),
            str(story.article_count),
            str(story.groups),
            ", ".join(story.outlets),
            story.title or "",
        )
    out.print(table)
    out.print(f"{len(found)} stor{'y' if len(found) == 1 else 'ies'}", style="dim")


def _date_range(first: str | None, last: str | None) -> str:
    start, end = (first or "?")[:10], (last or "?")[:10]
    return start if start == end else f"{start} – {end}"


@app.command("story")
@reports_errors
def story_command(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="The story id.")],
    fmt: TextFormatOption = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show one story: its articles, independence groups and actors.

    An id merged into another story shows that story. Exit code 1 when no story has the id.
    """
    with Store.open_readonly(db) as store:
        detail = story_detail(store, story_id)
    if detail is None:
        raise ParallaxError("E042", story_id)
    if fmt is TextOrJson.json:
        print_json(detail)
        return
    _print_story(detail)


def _print_story(detail: dict[str, Any]) -> None:
    out.print(Text(detail["title"] or "(no title)", style="bold"))
    if detail["requested"] != detail["id"]:
        out.print(Text(f"{detail['requested']} was merged into this story", style="dim"))
    for label, value in (
        ("id", detail["id"]),
        ("dates", _date_range(detail["first_published"], detail["last_published"])),
        ("summary", detail["summary"]),
        ("state", detail["state"]),
        ("outlets", ", ".join(detail["outlets"])),
        ("independent groups", str(detail["independent_groups"])),
    ):
        if value:
            out.print(Text.assemble((f"{label}: ", "dim"), value))
    table = Table(show_edge=False, pad_edge=False, title="articles", title_justify="left")
    for column in ("id", "outlet", "published", "title", "group", "copy/relay"):
        table.add_column(column, overflow="fold")
    numbers = {group["id"]: n for n, group in enumerate(detail["groups"], start=1)}
    for article in detail["articles"]:
        table.add_row(
            article["id"],
            article["outlet_name"] or "?",
            (article["published_at"] or "?")[:16],
            article["title"] or "",
            str(numbers[article["group"]]),
            _dependence(article),
        )
    out.print(table)
    if detail["actors"]:
        out.print(Text("actors", style="bold"))
        for actor in detail["actors"]:
            aliases = ", ".join(a for a in actor["aliases"] if a != actor["name"])
            out.print(
                Text.assemble(
                    f"  {actor['name']} ",
                    (f"({actor['kind']}, {len(actor['articles'])} article(s))", "dim"),
                    (f"  aka {aliases}" if aliases else "", "dim"),
                )
            )


def _dependence(article: dict[str, Any]) -> str:
    if article["wire_of"]:
        return f"wire copy of {article['wire_of']}"
    if article["duplicate_of"]:
        return f"duplicate of {article['duplicate_of']}"
    if article["relays"]:
        return f"relays {article['relays']}"
    return ""
