"""What every command shares: the app, the consoles, the common options, the catalogued
error handler, progress bars, JSON output and the one atomic file writer."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
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
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from parallax.errors import ParallaxError
from parallax.model import VERSION
from parallax.pipeline import (
    WorkerPool,
    annotate_and_cluster_in,
    annotate_in,
    annotate_store,
    cluster_store,
    count_pending_annotations,
    count_stale_reports,
    default_workers,
    refresh_reports,
    refresh_reports_in,
)
from parallax.settings import Settings, default_of
from parallax.store import Store, StoryStore, write_failure

app = typer.Typer(
    name="parallax",
    help="Multi-outlet news intelligence: ingest articles, then see who reports what.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than newline and tab: C0, DEL and C1 (\x9b is a CSI)."""


def terminal_safe(text: str) -> str:
    """``text`` with its control characters shown as U+FFFD. Titles, outlets and article
    text are written by strangers: an escape sequence printed raw would let an article
    retitle the terminal, move the cursor over earlier lines or hide what follows."""
    return _CONTROLS.sub("\ufffd", text)


class SafeConsole(Console):
    """A Rich console that never passes an input's control characters to the terminal.
    Every string it prints (a message, a table cell, a report line) is made into Rich
    text here, so the styles Rich adds itself are untouched."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(terminal_safe(text), **kwargs)


# soft_wrap: a long path in a message is never broken by an inserted newline, so a
# printed path can be copied and a test never depends on the temporary folder's length
out = SafeConsole(highlight=False, soft_wrap=True)
err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)


class TextOrJson(StrEnum):
    text = "text"
    json = "json"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


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
LimitOption = Annotated[int | None, typer.Option(min=0, help="At most this many.")]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        help="Annotation processes [default: PARALLAX_WORKERS, else one per core]. "
        "The store ends the same whatever the number.",
        show_default=False,
    ),
]
TextFormatOption = Annotated[TextOrJson, typer.Option("--format", help="Output format.")]
F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn catalogued errors into a message on stderr and the documented exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return _translated(command, *args, **kwargs)
        except ParallaxError as error:
            # reasons name user input and hints name extras ("[parquet]"): never markup
            reason = escape(error.reason)
            err.print(f"[red]error[/red] [{error.code}] {reason}.", markup=True)
            err.print(error.hint, style="dim", markup=False)
            raise typer.Exit(error.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _translated(command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a command; SQLite failing to write its store (disk full, read-only) becomes
    E039 naming the store, wherever in the command the write was."""
    try:
        return command(*args, **kwargs)
    except sqlite3.Error as exc:
        db = kwargs.get("db")
        failed = write_failure(Path(db), exc) if isinstance(db, Path) else None
        if failed is None:
            raise
        raise failed from exc


def _version(value: bool) -> None:
    if value:
        out.print(f"parallax {VERSION}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Multi-outlet news intelligence: ingest articles, then see who reports what."""


@contextmanager
def progress_bar(what: str, total: int, unit: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; silent when output is piped or the work is tiny."""
    with progress_bars((what, total, unit)) as (advance,):
        yield advance


@contextmanager
def progress_bars(*bars: tuple[str, int, str]) -> Iterator[list[Callable[[int], None]]]:
    """Bars for work that advances side by side (one display: ``(what, total, unit)``
    each); silent when output is piped or the work is tiny."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal or max(total for _, total, _ in bars) < 2,
    )
    with progress:
        yield [_advancer(progress, *bar) for bar in bars]


def _advancer(progress: Progress, what: str, total: int, unit: str) -> Callable[[int], None]:
    task = progress.add_task(what, total=total, unit=unit)
    step = 1 if unit == "files" else 0

    def advance(count: int) -> None:
        progress.update(task, advance=step or count)

    return advance


def replace_file(path: Path, write: Callable[[TextIO], object]) -> None:
    """Write to a temporary file beside ``path``, then rename: readers never see half a
    file, and a failure leaves the old one. The file gets the permissions a plain open
    would give it (the temporary file is private until then)."""
    try:
        fd, temporary = tempfile.mkstemp(dir=path.resolve().parent, prefix=f".{path.name}.")
    except OSError as exc:
        raise ParallaxError("E034", str(path), exc.strerror or str(exc)) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            write(handle)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ParallaxError("E034", str(path), exc.strerror or str(exc)) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    """Console-script entry point."""
    app()


def text_of(render: Callable[[Console], object], width: int = 100) -> str:
    """What a Rich renderer prints, as plain text (for a text report written to a file)."""
    console = Console(record=True, width=width, file=io.StringIO())
    render(console)
    return console.export_text()


def annotate_with_progress(
    store: Store, redo: bool, workers: int | None = None, pool: WorkerPool | None = None
) -> int:
    """Annotate what is pending (``redo``: also what an older annotator made), with a
    progress bar, in ``workers`` processes (None: the setting, else one per core), or in
    the workers of ``pool`` when the caller started them already (an ingest does, so
    they load spaCy while it stores its inputs)."""
    total = count_pending_annotations(store, redo=redo)
    with progress_bar("annotate", total, "articles") as advance:
        if pool is not None:
            return annotate_in(pool, store, redo=redo, progress=advance)
        return annotate_store(store, redo=redo, progress=advance, workers=resolve_workers(workers))


def annotate_and_cluster_with_progress(store: Store, pool: WorkerPool) -> int:
    """Annotate what is pending in the workers of ``pool`` while this process places the
    annotated articles in their stories (:func:`annotate_and_cluster_in`), with a bar for
    each; the number annotated."""
    totals = count_pending_annotations(store), StoryStore(store).count_unclustered()
    bars = ("annotate", totals[0], "articles"), ("stories", totals[1], "articles")
    with progress_bars(*bars) as (annotated, clustered):
        done, _ = annotate_and_cluster_in(pool, store, annotated=annotated, clustered=clustered)
    return done


def resolve_workers(workers: int | None, settings: Settings | None = None) -> int:
    """``--workers`` when given, else PARALLAX_WORKERS, else the cores this process may use."""
    if workers:
        return workers
    configured = (settings or Settings.from_env()).workers
    return configured or default_workers()


def cluster_with_progress(store: Store, pool: WorkerPool | None = None) -> int:
    """Fold the articles not yet in a story into stories (here, in publication order),
    then compare the stories that changed and keep their reports (what `parallax serve`
    reads), with progress bars; the comparisons in the workers of ``pool`` when given."""
    total = StoryStore(store).count_unclustered()
    with progress_bar("stories", total, "articles") as advance:
        clustered = cluster_store(store, progress=advance).clustered
    with progress_bar("compare", count_stale_reports(store), "stories") as advance:
        if pool is not None:
            refresh_reports_in(pool, store, progress=lambda done, total: advance(1))
        else:
            refresh_reports(store, progress=lambda done, total: advance(1))
    return clustered
