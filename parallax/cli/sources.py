"""Commands on live sources: watch (poll feeds, ingest their new entries) and feeds."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text

from parallax.cli.common import (
    DEFAULT_DB,
    DbOption,
    TextFormatOption,
    TextOrJson,
    app,
    err,
    out,
    print_json,
    reports_errors,
)
from parallax.errors import ExitCode, ParallaxError, UsageError
from parallax.pipeline import IngestOptions
from parallax.settings import Settings
from parallax.store import FeedRecord, FeedStore, Store

if TYPE_CHECKING:
    from parallax.sources import PollResult

feeds_app = typer.Typer(
    help="Watched feeds: list them (the default), add or remove them.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(feeds_app, name="feeds")

AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Let feeds and pages reach private and loopback addresses (an intranet; tests).",
    ),
]


@app.command("watch")
@reports_errors
def watch_command(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="SOURCE...",
            help="Feed or news sitemap urls, or OPML files: added to the watched feeds.",
        ),
    ] = None,
    interval: Annotated[
        float, typer.Option(min=1, help="Seconds between two polls of a feed that works.")
    ] = 300.0,
    once: Annotated[
        bool, typer.Option("--once", help="Poll every due feed once, then exit (for cron).")
    ] = False,
    only: Annotated[
        bool,
        typer.Option("--only", help="Watch only the SOURCEs given, not every watched feed."),
    ] = False,
    annotate: Annotated[bool, typer.Option(help="Annotate the new articles.")] = True,
    cluster: Annotated[
        bool, typer.Option(help="Fold new articles into stories and keep their reports.")
    ] = True,
    allow_private: AllowPrivateOption = False,
    fmt: Annotated[
        TextOrJson, typer.Option("--format", help="One line per poll: text, or JSON objects.")
    ] = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Watch feeds (RSS, Atom, JSON Feed) and Google News sitemaps: poll each when due
    with a conditional GET, fetch the page of every new entry, ingest it (what the page
    lacks, the feed fills), annotate it and fold it into its story.

    The SOURCEs given are added to the store's feeds (`parallax feeds`); every watched
    feed is polled (only the given ones with --only). A failing feed is tried again after
    the interval doubled per failure. Ctrl-C stops between two entries; a restart, even
    after kill -9, goes on without losing or repeating an entry. With --once, exit code 1
    when a feed or an entry failed.
    """
    from parallax.sources import Fetcher, FetchPolicy, Watcher, WatchOptions, add_sources

    settings = _settings(allow_private)
    with Store.open(db) as store:
        named = add_sources(store, sources or [])
        chosen = named if only else None
        if not FeedStore(store).feeds(chosen):
            raise UsageError("E084", str(db), "the store watches no feed yet")
        options = WatchOptions(interval=interval, annotate=annotate, cluster=cluster)
        stop = threading.Event()
        show = _show_poll(fmt)
        with (
            Fetcher(FetchPolicy.from_settings(settings)) as fetcher,
            _stopped_by_signals(stop),
            _item_progress() as on_item,
        ):
            watcher = Watcher(
                store, fetcher, IngestOptions(settings=settings), options, stop=stop,
                on_item=on_item,
            )  # fmt: skip
            if not once:
                watcher.run(chosen, on_poll=show)
                return
            results = watcher.poll_due(chosen)
            for result in results:
                show(result)
    if not results and fmt is TextOrJson.text:
        out.print("no feed is due yet (see `parallax feeds`)")
    if not all(result.ok for result in results):
        raise typer.Exit(ExitCode.INPUT_FAILED)


def _settings(allow_private: bool) -> Settings:
    settings = Settings.from_env()
    return replace(settings, allow_private=1) if allow_private else settings


def _show_poll(fmt: TextOrJson) -> Callable[[PollResult], None]:
    """A quiet line per poll (text or one JSON object), written at once."""

    def show(result: PollResult) -> None:
        if fmt is TextOrJson.json:
            sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        else:
            when = datetime.now(UTC).isoformat(timespec="seconds")
            out.print(f"{when} {result.line()}", markup=False)
        sys.stdout.flush()

    return show


@contextmanager
def _stopped_by_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C (or SIGTERM) sets ``stop``: the watcher ends after the entry it is on. A
    second Ctrl-C interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, frame: Any) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        err.print("stopping after the current entry (Ctrl-C again to stop now)")

    previous = signal.signal(signal.SIGINT, handle), signal.signal(signal.SIGTERM, handle)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])


@contextmanager
def _item_progress() -> Iterator[Callable[[str, int, int], None]]:
    """A bar of the entries of the feed being polled, on a terminal only."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("entries"),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    tasks: dict[str, Any] = {}

    def on_item(feed: str, done: int, total: int) -> None:
        if feed not in tasks:
            for task in tasks.values():
                progress.remove_task(task)
            tasks.clear()
            tasks[feed] = progress.add_task(feed[-50:], total=total)
        progress.update(tasks[feed], completed=done, total=total)

    with progress:
        yield on_item


# -- feeds -----------------------------------------------------------------------------


@feeds_app.callback()
@reports_errors
def feeds_command(
    ctx: typer.Context, fmt: TextFormatOption = TextOrJson.text, db: DbOption = DEFAULT_DB
) -> None:
    """List the watched feeds: kind, title, entries stored, waiting and given up, the last
    and next poll, failures in a row and the last error."""
    if ctx.invoked_subcommand is not None:
        return
    with Store.open_readonly(db) as store:
        feeds = FeedStore(store)
        records = feeds.feeds()
        given_up = feeds.given_up()
    if fmt is TextOrJson.json:
        listed = [record.to_json() for record in records]
        for document in listed:
            document["given_up"] = [
                {"url": g.url, "attempts": g.attempts, "error": g.error}
                for g in given_up
                if g.feed == document["url"]
            ]
        print_json(listed)
        return
    if not records:
        out.print("no feed is watched: add some with `parallax feeds add URL`")
        return
    for record in records:
        _print_feed(record)
    for entry in given_up[:20]:
        out.print(
            Text.assemble(
                ("  given up ", "yellow"), f"{entry.url} after {entry.attempts}: {entry.error}"
            )
        )


def _print_feed(record: FeedRecord) -> None:
    """A feed in three lines at most: which, its entries and polls, its last error."""
    about = ", ".join(part for part in (record.title, record.kind) if part)
    out.print(Text.assemble((record.url, "bold"), f"  ({about})" if about else ""))
    last = (record.last_poll or "never")[:19]
    upcoming = (record.next_poll_at or "now")[:19]
    out.print(
        f"  {record.stored} stored, {record.pending} waiting, {record.given_up} given up;"
        f" last poll {last}, next {upcoming}; {record.failures} failure(s) in a row",
        markup=False,
    )
    if record.last_error:
        style = "red" if record.failures else "dim"
        out.print(Text.assemble(("  last error ", style), record.last_error))


@feeds_app.command("add")
@reports_errors
def feeds_add_command(
    urls: Annotated[
        list[str] | None, typer.Argument(metavar="URL...", help="Feed or news sitemap urls.")
    ] = None,
    opml: Annotated[
        list[Path] | None,
        typer.Option(dir_okay=False, help="An OPML file: every feed it lists (repeatable)."),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Watch feeds (polled by the next `parallax watch`)."""
    from parallax.sources import add_sources, is_url

    for url in urls or []:
        if not is_url(url):
            raise UsageError("E086", url, "feeds are http(s) urls; OPML files go with --opml")
    sources = [*(urls or []), *(str(path) for path in opml or [])]
    if not sources:
        raise typer.BadParameter("give a URL or --opml FILE", param_hint="URL...")
    with Store.open(db) as store:
        before = {record.url for record in FeedStore(store).feeds()}
        named = add_sources(store, sources)
    added = [url for url in named if url not in before]
    out.print(f"watching {len(added)} new feed(s); {len(named) - len(added)} watched already")


@feeds_app.command("remove")
@reports_errors
def feeds_remove_command(
    urls: Annotated[list[str], typer.Argument(metavar="URL...", help="Watched feed urls.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Stop watching feeds (their articles stay in the store). Exit code 1 when one of
    them was not watched."""
    with Store.open(db) as store:
        feeds = FeedStore(store)
        with store.transaction():
            missing = [url for url in urls if not feeds.remove(url)]
    out.print(f"removed {len(urls) - len(missing)} feed(s)")
    for url in missing:
        error = ParallaxError("E085", url)
        err.print(f"[{error.code}] {error.reason}", markup=False)
    if missing:
        raise typer.Exit(ExitCode.INPUT_FAILED)
