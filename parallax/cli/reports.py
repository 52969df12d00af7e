"""Commands that compare: report (stored stories) and analyze (one shot, nothing kept)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from parallax.cli.common import (
    DEFAULT_DB,
    DbOption,
    ManifestOption,
    OutletOption,
    PathsArgument,
    PublishedAtOption,
    app,
    err,
    out,
    progress_bar,
    replace_file,
    reports_errors,
    terminal_safe,
    text_of,
)
from parallax.errors import ExitCode
from parallax.model import Report
from parallax.pipeline import IngestOptions, analyze, annotation_status, build_report, count_inputs
from parallax.render import render_html, render_markdown, render_text
from parallax.settings import Settings
from parallax.store import Store


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


class Independence(StrEnum):
    outlet = "outlet"
    owner = "owner"


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
    independence: Annotated[
        Independence | None,
        typer.Option(
            help="What counts as one independent source: an outlet, or an owner (outlets "
            "of one parent company in the outlet table count once). Default: the "
            "PARALLAX_INDEPENDENCE setting.",
        ),
    ] = None,
    fmt: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Compare the outlets of a story: conflicts, corroborated and single-source facts,
    quotes, labels and framing, timeline; every item with its evidence.

    Without STORY: the stories with the most independent reports (at least 2 articles).
    Exit code 1 when a STORY is unknown.
    """
    settings = Settings.from_env()
    if independence is not None:
        settings = replace(settings, independence=independence.value)
    with Store.open_readonly(db) as store:
        document = build_report(store, story_ids, limit=limit, settings=settings)
        pending, outdated = annotation_status(store)
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
    with progress_bar("analyze", count_inputs(paths), "files") as advance:
        document, summary = analyze(
            paths, options, limit=limit, progress=lambda path, n: advance(n)
        )
    for rejected in summary.rejected:
        err.print(Text.assemble(("quarantined ", "yellow"), f"[{rejected.code}] {rejected.reason}"))
    _emit_report(document, fmt, output)
    if not summary.ok:
        raise typer.Exit(ExitCode.INPUT_FAILED)


def _emit_report(document: Report, fmt: ReportFormat, output: Path | None) -> None:
    """Render the report in ``fmt`` to stdout or, atomically, to ``output``."""
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
        rendered = text_of(lambda console: render_text(document, console))
    if output is None:
        sys.stdout.write(terminal_safe(rendered) if sys.stdout.isatty() else rendered)
        return
    replace_file(output, lambda handle: handle.write(rendered))
    err.print(f"report written to {output}", style="dim")
