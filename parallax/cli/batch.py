"""Commands of the batch wing: batch (shards on Dask) and load (shards into a store)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parallax.cli.common import (
    DEFAULT_DB,
    DbOption,
    ManifestOption,
    OutletOption,
    PublishedAtOption,
    TextOrJson,
    WorkersOption,
    annotate_with_progress,
    app,
    cluster_with_progress,
    err,
    out,
    print_json,
    progress_bar,
    reports_errors,
    resolve_workers,
)
from parallax.errors import ExitCode
from parallax.pipeline import IngestOptions, comparison_workers, load_manifest
from parallax.settings import Settings
from parallax.store import Store


@app.command("batch")
@reports_errors
def batch_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH|URL",
            help="Files, folders or fsspec urls (s3://, gs://, file://) of JSONL, JSON, WARC, "
            "Parquet, text and HTML.",
        ),
    ],
    output: Annotated[
        str, typer.Option("--out", help="Folder (or fsspec url) of the shards and the plan.")
    ],
    scheduler: Annotated[
        str | None,
        typer.Option(help="Address of a running Dask scheduler (tcp://host:8786)."),
    ] = None,
    local: Annotated[
        int | None,
        typer.Option(min=1, help="Start a local Dask cluster of this many processes."),
    ] = None,
    outlet: OutletOption = None,
    published_at: PublishedAtOption = None,
    manifest: ManifestOption = None,
    partition_mb: Annotated[
        float, typer.Option("--partition-mb", min=0.001, help="About this many MB per task.")
    ] = 64.0,
    db: Annotated[
        Path | None,
        typer.Option(help="Then load the shards into this store (as `parallax load`)."),
    ] = None,
    workers: WorkersOption = None,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Summary format.")] = TextOrJson.text,
) -> None:
    """Read, give ids to and annotate articles on a Dask cluster, one Parquet shard per
    task in --out; a rerun makes only the shards that are missing or incomplete.

    Without --scheduler a local cluster of --local processes (default 1) runs the tasks.
    With --db the shards are then loaded into the store, folded into stories and compared.
    """
    from parallax.batch import run_batch  # Dask loads only here

    if scheduler and local:
        raise typer.BadParameter("give --scheduler or --local, not both", param_hint="--local")
    for item in inputs:
        if "://" not in item and not Path(item).exists():
            raise typer.BadParameter(f"{item} does not exist", param_hint="PATH|URL")
    settings = Settings.from_env()
    options = IngestOptions(outlet=outlet, published_at=published_at, settings=settings)
    user = options.user_metadata()
    rows = load_manifest(manifest) if manifest else {}
    with progress_bar("batch", 0, "shards") as advance:

        def started(summary: object) -> None:
            dashboard = getattr(summary, "dashboard", None)
            if dashboard:
                err.print(f"Dask dashboard: {dashboard}", style="dim", markup=False)

        summary = run_batch(
            inputs,
            output,
            settings=settings,
            user=user,
            manifest=rows,
            scheduler=scheduler,
            local=local,
            partition_bytes=int(partition_mb * 1024 * 1024),
            started=started,
            progress=lambda result: advance(1),
        )
    if fmt is TextOrJson.json and db is None:
        print_json(summary.to_json())
    else:
        out.print(
            f"batch: {summary.partitions} shard(s) in {output}: {summary.shards_made} made "
            f"({summary.articles} article(s), {summary.rejected} rejected), "
            f"{summary.shards_kept} already whole"
        )
    if db is not None:
        _load(output, db, settings, workers, fmt)


@app.command("load")
@reports_errors
def load_command(
    folder: Annotated[str, typer.Argument(metavar="DIR|URL", help="The --out of a batch.")],
    workers: WorkersOption = None,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Summary format.")] = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Merge the shards of a batch into the store with one writer, in the order of the
    inputs: copies across shards, revisions and quarantine as in `parallax ingest`; then
    fold into stories and compare. Loading the same shards again stores nothing twice."""
    _load(folder, db, Settings.from_env(), workers, fmt)


def _load(folder: str, db: Path, settings: Settings, workers: int | None, fmt: TextOrJson) -> None:
    from parallax.batch import count_shard_rows, load_batch

    with Store.open(db) as store:
        with progress_bar("load", count_shard_rows(folder), "articles") as advance:
            summary = load_batch(folder, store, settings, progress=lambda path, n: advance(n))
        summary.annotated = annotate_with_progress(store, redo=False, workers=workers)
        with comparison_workers(store, resolve_workers(workers, settings)) as pool:
            cluster_with_progress(store, pool)
    if fmt is TextOrJson.json:
        print_json(summary.to_json())
    else:
        out.print(
            f"loaded {summary.ingested} new article(s) into {db}: {summary.duplicates} "
            f"duplicate(s), {summary.wire_copies} wire copy(ies); {summary.already_stored} "
            f"already stored; {summary.quarantined} quarantined; "
            f"{summary.annotated} annotated here"
        )
    if not summary.ok:
        raise typer.Exit(ExitCode.INPUT_FAILED)
