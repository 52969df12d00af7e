"""The ``parallax`` command: parse arguments, call the pipeline or the store, render.

Nothing here decides anything the Python API could not; commands are thin so
that tests and other programs can do the same through ``parallax.pipeline``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TextIO, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from parallax import __version__
from parallax.errors import ExitCode, ParallaxError
from parallax.model import Article, IngestSummary
from parallax.pipeline import IngestOptions, annotate_store, count_inputs, ingest
from parallax.settings import default_of
from parallax.store import Store

app = typer.Typer(
    name="parallax",
    help="Multi-outlet news intelligence: ingest articles, then see who reports what.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


class TextOrJson(StrEnum):
    text = "text"
    json = "json"


class ExportFormat(StrEnum):
    jsonl = "jsonl"


DbOption = Annotated[
    Path,
    typer.Option(
        "--db",
        envvar="PARALLAX_DB",
        help="The store file (SQLite). Created by ingest when missing.",
        show_default=True,
    ),
]
DEFAULT_DB = Path(str(default_of("db")))
PathsArgument = Annotated[
    list[Path], typer.Argument(exists=True, help="Files or directories (read recursively).")
]
OutletOption = Annotated[
    str | None, typer.Option(help="Outlet of every article read (wins over the input's).")
]
PublishedAtOption = Annotated[
    str | None, typer.Option(help="Publication date/time (ISO 8601) of every article read.")
]
ManifestOption = Annotated[
    Path | None,
    typer.Option(exists=True, dir_okay=False, help="CSV/JSON metadata per file (path column)."),
]
F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn catalogued errors into a message on stderr and the documented exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ParallaxError as error:
            err.print(f"[red]error[/red] [{error.code}] {error.reason}.", markup=True)
            err.print(error.hint, style="dim")
            raise typer.Exit(error.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        out.print(f"parallax {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Multi-outlet news intelligence: ingest articles, then see who reports what."""


@app.command("ingest")
@reports_errors
def ingest_command(
    paths: PathsArgument,
    outlet: OutletOption = None,
    published_at: PublishedAtOption = None,
    manifest: ManifestOption = None,
    annotate: Annotated[
        bool, typer.Option(help="Annotate the new articles (actors, quotes, dates, ...).")
    ] = True,
    cluster: Annotated[
        bool, typer.Option(help="Fold new articles (and any not yet in a story) into stories.")
    ] = True,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Summary format.")] = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Read articles from .txt, .html, .json and .jsonl files (also .gz) into the store,
    then annotate them.

    Exit code 0 when every input was stored, 1 when some were quarantined
    (see `parallax quarantine`), 2 on a usage error.
    """
    options = IngestOptions(outlet=outlet, published_at=published_at, manifest=manifest)
    options.user_metadata()  # a bad --published-at is a usage error before any work
    with Store.open(db) as store:
        with _progress("ingest", count_inputs(paths), "files") as advance:
            summary = ingest(paths, store, options, progress=lambda path, n: advance(n))
        if annotate:
            summary.annotated = _annotate(store, redo=False)
        if cluster:
            _cluster(store)
    if fmt is TextOrJson.json:
        _print_json(summary.to_json())
    else:
        _print_summary(summary, db)
    if not summary.ok:
        raise typer.Exit(ExitCode.INPUT_FAILED)


@contextmanager
def _progress(what: str, total: int, unit: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; silent when output is piped or the work is tiny."""
    progress = Progress(
        TextColumn(f"[bold]{what}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal or total < 2,
    )
    with progress:
        task = progress.add_task(what, total=total)
        step = 1 if unit == "files" else 0

        def advance(count: int) -> None:
            progress.update(task, advance=step or count)

        yield advance


def _annotate(store: Store, redo: bool) -> int:
    from parallax.annotate.annotator import version

    total = store.count_unannotated(version() if redo else None)
    with _progress("annotate", total, "articles") as advance:
        return annotate_store(store, redo=redo, progress=advance)


def _print_summary(summary: IngestSummary, db: Path) -> None:
    out.print(
        f"ingested {summary.ingested} new article(s) into {db}: "
        f"{summary.duplicates} duplicate(s), {summary.wire_copies} wire copy(ies); "
        f"{summary.already_stored} already stored; {summary.quarantined} quarantined; "
        f"{summary.annotated} annotated"
        + (f"; {summary.skipped_files} file(s) of other types skipped" if summary.skipped else "")
    )
    for rejected in summary.rejected[:20]:
        out.print(
            Text.assemble(("  quarantined ", "yellow"), f"[{rejected.code}] {rejected.reason}")
        )
    if len(summary.rejected) > 20:
        out.print(f"  … and {len(summary.rejected) - 20} more: see `parallax quarantine`")
    for skipped in summary.skipped[:10]:
        out.print(Text.assemble(("  skipped ", "dim"), skipped))


@app.command("annotate")
@reports_errors
def annotate_command(
    redo: Annotated[
        bool,
        typer.Option("--all", help="Re-annotate every article not made by this annotator version."),
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Annotate stored articles that have no annotations yet (e.g. after --no-annotate),
    or with --all every article annotated by an older version."""
    with Store.open(db) as store:
        done = _annotate(store, redo=redo)
    out.print(f"annotated {done} article(s) in {db}")


@app.command("articles")
@reports_errors
def articles_command(
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    search: Annotated[
        str | None, typer.Option(help="Full-text query on title and text (SQLite FTS5 syntax).")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=0, help="At most this many.")] = None,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Output format.")] = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """List stored articles in the order they were ingested."""
    with Store.open_readonly(db) as store:
        rows = list(store.articles(outlet=outlet, search=search, limit=limit))
    if fmt is TextOrJson.json:
        _print_json([_listing(article) for article in rows])
        return
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("outlet", overflow="fold", max_width=22)
    table.add_column("published", no_wrap=True)
    table.add_column("title", overflow="fold", ratio=1)
    table.add_column("copy of", no_wrap=True)
    for article in rows:
        copy = f"wire {article.wire_of}" if article.wire_of else article.duplicate_of or ""
        published = (article.published_at or "?")[:16]
        title = article.title or Text(article.text[:60] + "…", style="dim")
        table.add_row(article.id, article.outlet or "?", published, title, copy)
    out.print(table)
    out.print(f"{len(rows)} article(s)", style="dim")


def _listing(article: Article) -> dict[str, Any]:
    record = article.to_json()
    for key in ("text", "annotations", "extra"):
        record.pop(key)
    record["chars"] = len(article.text)
    return record


@app.command("article")
@reports_errors
def article_command(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="The article id.")],
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Output format.")] = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show one article; --format json prints the parallax.article/1 record."""
    with Store.open_readonly(db) as store:
        article = store.article(article_id)
    if article is None:
        raise ParallaxError("E040", article_id)
    if fmt is TextOrJson.json:
        _print_json(article.to_json())
        return
    out.print(Text(article.title or "(no title)", style="bold"))
    for label, value in (
        ("id", article.id),
        ("outlet", article.outlet),
        ("published", article.published_at),
        ("author", article.author),
        ("url", article.url),
        ("source", article.source),
        ("duplicate of", article.duplicate_of),
        ("wire copy of", article.wire_of),
    ):
        if value:
            out.print(Text.assemble((f"{label}: ", "dim"), value))
    out.print()
    out.print(Text(article.text))
    if article.annotator:
        _print_annotations(article)


def _print_annotations(article: Article) -> None:
    """A reader's digest of the annotations: actors with their labels, quotes, dates."""
    found = article.annotations
    names = {actor["id"]: actor["name"] for actor in found["actors"]}
    out.print()
    out.print(Text(f"annotations ({article.annotator})", style="bold"))
    for actor in found["actors"]:
        labels = sorted({lab["text"] for lab in found["labels"] if lab["actor"] == actor["id"]})
        extra = f" — {'; '.join(labels)}" if labels else ""
        out.print(Text.assemble(("  actor ", "dim"), f"{actor['name']} [{actor['kind']}]{extra}"))
    for quote in found["quotes"]:
        speaker = names.get(quote["speaker"] or "", quote["speaker_name"] or "?")
        kind = "says" if quote["direct"] else "(indirect)"
        out.print(Text.assemble(("  quote ", "dim"), f"{speaker} {kind}: {quote['text'][:100]}"))
    for item in found["dates"]:
        out.print(Text.assemble(("  date ", "dim"), f"{item['text']!r} → {item['value']}"))


@app.command("export")
@reports_errors
def export_command(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="Export format.")
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (atomically).")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Every stored article, one parallax.article/1 JSON record per line."""
    with Store.open_readonly(db) as store:
        if output is None:
            for article in store.articles():
                sys.stdout.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")
            return
        _write_atomically(output, store)
    err.print(f"wrote {output}")


def _write_atomically(path: Path, store: Store) -> None:
    def write(handle: TextIO) -> None:
        for article in store.articles():
            handle.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")

    _replace_file(path, write)


def _replace_file(path: Path, write: Callable[[TextIO], object]) -> None:
    """Write to a temporary file beside ``path``, then rename: readers never see half a
    file, and a failure leaves the old one. The file gets the permissions a plain open
    would give it (the temporary file is private until then)."""
    fd, temporary = tempfile.mkstemp(dir=path.resolve().parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            write(handle)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@app.command("quarantine")
@reports_errors
def quarantine_command(
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Output format.")] = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Inputs that could not be ingested, with the error code and the reason."""
    with Store.open_readonly(db) as store:
        entries = store.quarantined()
    if fmt is TextOrJson.json:
        _print_json([entry.to_json() for entry in entries])
        return
    table = Table(show_edge=False, pad_edge=False)
    for column in ("source", "line", "code", "reason", "attempts"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        table.add_row(
            entry.source, str(entry.record or ""), entry.code, entry.reason, str(entry.attempts)
        )
    out.print(table)
    out.print(f"{len(entries)} quarantined input(s)", style="dim")


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    """Console-script entry point."""
    app()


# -- stories ------------------------------------------------------------------------------

from parallax.pipeline import cluster_store, find_stories, story_detail  # noqa: E402


def _cluster(store: Store) -> int:
    """Fold the articles not yet in a story into stories, with a progress bar."""
    from parallax.store import StoryStore

    total = StoryStore(store).count_unclustered()
    with _progress("stories", total, "articles") as advance:
        return cluster_store(store, progress=advance).clustered


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
    limit: Annotated[int | None, typer.Option(min=0, help="At most this many.")] = None,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Output format.")] = TextOrJson.text,
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
        _print_json([story.to_json() for story in found])
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
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Output format.")] = TextOrJson.text,
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
        _print_json(detail)
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
            article["outlet"] or "?",
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


# -- reports ------------------------------------------------------------------------------

from parallax.pipeline import analyze, build_report  # noqa: E402


class ReportFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"


FormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format", help="text (terminal), markdown, html (one self-contained file) or json."
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", dir_okay=False, help="Write the report to this file instead of stdout."
    ),
]


@app.command("report")
@reports_errors
def report_command(
    story_ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="[STORY]...", help="Story ids (default: the main stories)."),
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, help="Without STORY: at most this many stories.")
    ] = 5,
    fmt: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Compare the outlets of a story: conflicts, corroborated and single-source facts,
    quotes, labels and framing, timeline; every item with its evidence.

    Without STORY: the stories with the most independent reports (at least 2 articles).
    Exit code 1 when a STORY is unknown.
    """
    from parallax.annotate import ANNOTATOR_VERSION

    with Store.open_readonly(db) as store:
        document = build_report(store, story_ids, limit=limit)
        outdated = store.count_annotated_by_other(ANNOTATOR_VERSION)
        pending = store.count_unannotated(None)
    if pending:
        err.print(
            f"{pending} article(s) are not annotated yet: they add no facts, conflicts or "
            "quotes until `parallax annotate` annotates them.",
            style="yellow",
        )
    if outdated:
        err.print(
            f"{outdated} article(s) were annotated by an older Parallax: their values and "
            "conflicts are missing until `parallax annotate --all` redoes them.",
            style="yellow",
        )
    _emit_report(document, fmt, output)


@app.command("analyze")
@reports_errors
def analyze_command(
    paths: PathsArgument,
    outlet: OutletOption = None,
    published_at: PublishedAtOption = None,
    manifest: ManifestOption = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many stories.")] = None,
    fmt: FormatOption = ReportFormat.text,
    output: OutputOption = None,
) -> None:
    """One shot, nothing stored: ingest PATHS into a temporary store, annotate, fold into
    stories, compare, and print the report.

    Exit code 0 when every input was read, 1 when some were quarantined (the report of the
    others is still printed; reasons on stderr), 2 on a usage error.
    """
    options = IngestOptions(outlet=outlet, published_at=published_at, manifest=manifest)
    options.user_metadata()
    with _progress("analyze", count_inputs(paths), "files") as advance:
        document, summary = analyze(
            paths, options, limit=limit, progress=lambda path, n: advance(n)
        )
    for rejected in summary.rejected:
        err.print(Text.assemble(("quarantined ", "yellow"), f"[{rejected.code}] {rejected.reason}"))
    _emit_report(document, fmt, output)
    if not summary.ok:
        raise typer.Exit(ExitCode.INPUT_FAILED)


def _emit_report(document: dict[str, Any], fmt: ReportFormat, output: Path | None) -> None:
    """Render the report in ``fmt`` to stdout or, atomically, to ``output``."""
    from parallax.render import render_html, render_markdown, render_text

    if fmt is ReportFormat.text and output is None:
        render_text(document, out)
        return
    if fmt is ReportFormat.json:
        rendered = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    elif fmt is ReportFormat.markdown:
        rendered = render_markdown(document)
    elif fmt is ReportFormat.html:
        rendered = render_html(document)
    else:
        console = Console(record=True, width=100, file=open(os.devnull, "w"))  # noqa: SIM115
        render_text(document, console)
        rendered = console.export_text()
    if output is None:
        sys.stdout.write(rendered)
        return
    _replace_file(output, lambda handle: handle.write(rendered))
    err.print(f"report written to {output}", style="dim")
