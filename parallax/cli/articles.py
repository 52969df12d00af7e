"""Commands on articles: ingest, annotate, articles, article, export, quarantine."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.table import Table
from rich.text import Text

from parallax import tables
from parallax.cli.common import (
    DEFAULT_DB,
    DbOption,
    ExportFormat,
    LimitOption,
    ManifestOption,
    OutletOption,
    PublishedAtOption,
    TextFormatOption,
    TextOrJson,
    WorkersOption,
    annotate_and_cluster_with_progress,
    annotate_with_progress,
    app,
    cluster_with_progress,
    err,
    out,
    print_json,
    progress_bar,
    replace_file,
    reports_errors,
    resolve_workers,
)
from parallax.errors import ExitCode, ParallaxError
from parallax.model import Article
from parallax.pipeline import (
    IngestOptions,
    RunSummary,
    article_diff,
    article_document,
    article_record,
    build_report,
    count_inputs,
    find_stories,
    ingest,
    ingest_workers,
)
from parallax.settings import Settings
from parallax.store import Store


@app.command("ingest")
@reports_errors
def ingest_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH|URL",
            help="Files, directories (read recursively) or http(s) urls of article pages.",
        ),
    ],
    outlet: OutletOption = None,
    published_at: PublishedAtOption = None,
    manifest: ManifestOption = None,
    annotate: Annotated[
        bool, typer.Option(help="Annotate the new articles (actors, quotes, dates, ...).")
    ] = True,
    cluster: Annotated[
        bool, typer.Option(help="Fold new articles (and any not yet in a story) into stories.")
    ] = True,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Let urls reach private and loopback addresses (an intranet; tests).",
        ),
    ] = False,
    workers: WorkersOption = None,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Summary format.")] = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Read articles from .txt, .html, .json and .jsonl files (also .gz), web archives
    (.warc, .arc) and article pages by url into the store, then annotate them and fold
    them into stories.

    Urls are fetched politely and safely (robots.txt, timeouts, size caps; private
    addresses refused unless --allow-private). Exit code 0 when every input was stored,
    1 when some were quarantined (see `parallax quarantine`), 2 on a usage error.
    """
    from parallax.sources import ingest_urls, is_url  # httpx loads only for urls

    urls = [item for item in inputs if is_url(item)]
    paths = [Path(item) for item in inputs if not is_url(item)]
    for path in paths:
        if not path.exists():
            raise typer.BadParameter(f"{path} does not exist", param_hint="PATH|URL")
    settings = Settings.from_env()
    if allow_private:
        settings = replace(settings, allow_private=1)
    options = IngestOptions(
        outlet=outlet, published_at=published_at, manifest=manifest, settings=settings
    )
    options.user_metadata()  # a bad --published-at is a usage error before any work
    count = resolve_workers(workers, settings) if annotate else 1
    with Store.open(db) as store, ingest_workers(paths, count, settings) as pool:
        summary = RunSummary()
        if paths:
            with progress_bar("ingest", count_inputs(paths), "files") as advance:
                summary = ingest(paths, store, options, progress=lambda path, n: advance(n))
        if urls:
            with progress_bar("fetch", len(urls), "pages") as advance:
                fetched = ingest_urls(urls, store, options, progress=lambda path, n: advance(n))
            summary.absorb(fetched)
        if annotate and cluster and pool is not None:
            # the stories take each batch of articles as the workers finish it
            summary.annotated = annotate_and_cluster_with_progress(store, pool)
        elif annotate:
            summary.annotated = annotate_with_progress(store, False, workers, pool)
        if cluster:
            cluster_with_progress(store, pool)
    if fmt is TextOrJson.json:
        print_json(summary.to_json())
    else:
        _print_summary(summary, db)
    if not summary.ok:
        raise typer.Exit(ExitCode.INPUT_FAILED)


def _print_summary(summary: RunSummary, db: Path) -> None:
    out.print(
        f"ingested {summary.ingested} new article(s) into {db}: "
        f"{summary.duplicates} duplicate(s), {summary.wire_copies} wire copy(ies); "
        f"{summary.already_stored} already stored"
        + (f" ({summary.changed} with a changed text)" if summary.changed else "")
        + f"; {summary.quarantined} quarantined; {summary.annotated} annotated"
        + (f"; {summary.skipped_files} file(s) of other types skipped" if summary.skipped else "")
    )
    archives = summary.archives
    if archives.records or archives.files_unchanged:
        skipped = ", ".join(f"{n} {kind}" for kind, n in sorted(archives.skipped.items()))
        out.print(
            f"  web archives: {archives.records} record(s) read, {archives.pages} page(s)"
            + (f"; skipped {skipped}" if skipped else "")
            + (f"; {archives.files_unchanged} complete file(s) not read again"
               if archives.files_unchanged else "")
            + (f"; {archives.files_damaged} damaged (see `parallax quarantine`)"
               if archives.files_damaged else "")
        )  # fmt: skip
        for path, offset in archives.resumed_from.items():
            out.print(Text.assemble(("  resumed ", "dim"), f"{path} at offset {offset}"))
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
    workers: WorkersOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Annotate stored articles that have no annotations yet (e.g. after --no-annotate),
    or with --all every article annotated by an older version."""
    with Store.open(db) as store:
        done = annotate_with_progress(store, redo=redo, workers=workers)
    out.print(f"annotated {done} article(s) in {db}")


@app.command("articles")
@reports_errors
def articles_command(
    outlet: Annotated[
        str | None,
        typer.Option(
            help="Only this outlet, under any of its spellings (name, domain, a url on it; "
            "case ignored)."
        ),
    ] = None,
    search: Annotated[
        str | None, typer.Option(help="Full-text query on title and text (SQLite FTS5 syntax).")
    ] = None,
    limit: LimitOption = None,
    fmt: TextFormatOption = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """List stored articles in the order they were ingested."""
    with Store.open_readonly(db) as store:
        rows = list(store.articles(outlet=outlet, search=search, limit=limit))
    if fmt is TextOrJson.json:
        print_json([_listing(article) for article in rows])
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
    revisions: Annotated[
        bool, typer.Option("--revisions", help="List the texts the article has had.")
    ] = False,
    fmt: TextFormatOption = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show one article; --format json prints the parallax.article/1 record (with its
    revisions: every text the outlet served under its url, oldest first)."""
    with Store.open_readonly(db) as store:
        article = store.article(article_id)
        document = article_document(store, article_id)
    if article is None or document is None:
        raise ParallaxError("E040", article_id)
    if fmt is TextOrJson.json:
        print_json(document)
        return
    if revisions:
        _print_revisions(document["revisions"])
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


def _print_revisions(revisions: list[dict[str, Any]]) -> None:
    if not revisions:
        out.print("One text: the article was never seen changed.", style="dim")
        return
    table = Table(show_edge=False, pad_edge=False)
    for column in ("revision", "served", "read", "title", "characters", "source"):
        table.add_column(column, overflow="fold")
    for item in revisions:
        table.add_row(
            str(item["number"]), item["fetched_at"] or "?", item["seen_at"],
            item["title"] or "", str(len(item["text"])), item["source"],
        )  # fmt: skip
    out.print(table)
    out.print("`parallax diff ID` shows what changed.", style="dim")


@app.command("diff")
@reports_errors
def diff_command(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="The article id.")],
    older: Annotated[
        int | None, typer.Option("--from", help="Revision number (default: the first).")
    ] = None,
    newer: Annotated[
        int | None, typer.Option("--to", help="Revision number (default: the latest).")
    ] = None,
    fmt: TextFormatOption = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """What an outlet changed in an article after publishing it: a word diff between two
    of its revisions, removed words [-like this-] and added ones {+like this+}."""
    with Store.open_readonly(db) as store:
        found = article_diff(store, article_id, older, newer)
    if found is None:
        if fmt is TextOrJson.json:
            print_json({"article": article_id, "revisions": 1, "diff": []})
        else:
            out.print("One text: the article was never seen changed.", style="dim")
        return
    first, last, pieces = found
    if fmt is TextOrJson.json:
        print_json(
            {
                "article": article_id,
                "from": first.number,
                "to": last.number,
                "title": {"from": first.title, "to": last.title},
                "diff": [{"op": op, "text": text} for op, text in pieces],
            }
        )
        return
    out.print(
        Text(f"revision {first.number} ({first.when}) -> {last.number} ({last.when})", style="bold")
    )
    if first.title != last.title:
        out.print(Text.assemble(("title: ", "dim"), ("- " + (first.title or ""), "red")))
        out.print(Text.assemble(("title: ", "dim"), ("+ " + (last.title or ""), "green")))
    shown = Text()
    for op, text in pieces:
        if op == "same":
            shown.append(text)
        elif op == "removed":
            shown.append(f"[-{text}-]", style="red strike")
        else:
            shown.append(f"{{+{text}+}}", style="green")
    out.print(shown)


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
        ExportFormat, typer.Option("--format", help="jsonl (one file), csv or parquet (tables).")
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="jsonl: write to this file (atomically). csv, parquet: the folder to write "
            "the tables into (created when missing); required.",
        ),
    ] = None,
    with_text: Annotated[
        bool, typer.Option("--with-text", help="csv, parquet: add the text to articles.")
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Every stored article, one parallax.article/1 JSON record per line (jsonl); or, with
    csv or parquet, one file per table into a folder: articles, stories and the report of
    every live story (story_articles, facts, conflicts, labels, quotes, timeline,
    framing). The tables are described in docs/report.md."""
    if fmt is not ExportFormat.jsonl:
        if output is None:
            raise typer.BadParameter(
                f"--format {fmt} writes one file per table: give the folder with --output DIR",
                param_hint="'--output'",
            )
        _export_tables(output, fmt, with_text, db)
        return
    with Store.open_readonly(db) as store:
        if output is None:
            for article in store.articles():
                record = article_record(store, article)
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        _write_atomically(output, store)
    err.print(f"wrote {output}")


def _write_atomically(path: Path, store: Store) -> None:
    def write(handle: TextIO) -> None:
        for article in store.articles():
            handle.write(json.dumps(article_record(store, article), ensure_ascii=False) + "\n")

    replace_file(path, write)


def _export_tables(folder: Path, fmt: ExportFormat, with_text: bool, db: Path) -> None:
    """Write articles, stories, then the report tables of every live story, one file a
    table; the articles go first, so a missing pyarrow stops before any comparison."""
    write = tables.write_parquet if fmt is ExportFormat.parquet else tables.write_csv
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParallaxError("E034", str(folder), exc.strerror or str(exc)) from exc
    settings = Settings.from_env()
    with Store.open_readonly(db) as store:
        write(
            tables.article_rows(store.articles(), with_text=with_text),
            tables.article_columns(with_text=with_text),
            folder / f"articles.{fmt}",
        )
        stories = find_stories(store)
        write(
            tables.story_rows(story.to_json() for story in stories),
            tables.TABLE_COLUMNS["stories"],
            folder / f"stories.{fmt}",
        )
        found: dict[str, list[dict[str, object]]] = {name: [] for name in tables.REPORT_TABLES}
        with progress_bar("export", len(stories), "stories") as advance:
            for story in stories:
                document = build_report(store, [story.id], settings=settings)
                for name, rows in tables.report_tables(document).items():
                    found[name] += rows
                advance(1)
    for name, rows in found.items():
        write(rows, tables.TABLE_COLUMNS[name], folder / f"{name}.{fmt}")
    err.print(f"wrote {2 + len(found)} {fmt} tables into {folder}")


@app.command("quarantine")
@reports_errors
def quarantine_command(
    fmt: TextFormatOption = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Inputs that could not be ingested, with the error code and the reason."""
    with Store.open_readonly(db) as store:
        entries = store.quarantined()
    if fmt is TextOrJson.json:
        print_json([entry.to_json() for entry in entries])
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
