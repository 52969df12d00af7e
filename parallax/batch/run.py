"""A batch on Dask: plan, run the missing tasks on a cluster, then load with one writer.

Dask distributed runs the tasks (an existing scheduler, or a LocalCluster of processes
with one thread each); Parallax adds no scheduling of its own. The client writes the plan
first (``_plan.json``), submits only partitions whose shard is not whole, and collects
results as they finish, so a killed client or worker costs only the tasks in flight.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from parallax.batch.plan import (
    DEFAULT_PARTITION_BYTES,
    Partition,
    partitions_from_json,
    plan,
    plan_json,
)
from parallax.batch.shards import filesystem, read_shard, shard_ok
from parallax.batch.task import TaskResult, run_task
from parallax.errors import ParallaxError
from parallax.model import Metadata
from parallax.pipeline import ANNOTATOR_VERSION, Prepared, RunSummary, load_prepared
from parallax.settings import Settings
from parallax.store import Store

PLAN_FILE = "_plan.json"


@dataclass
class BatchSummary:
    """What one ``parallax batch`` did."""

    partitions: int = 0
    shards_made: int = 0
    shards_kept: int = 0
    """Whole shards of an earlier run, not made again."""
    articles: int = 0
    rejected: int = 0
    skipped_files: list[str] = field(default_factory=list)
    dashboard: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def shaping(settings: Settings) -> dict[str, object]:
    """The settings a shard depends on: a change of one of them makes every shard again."""
    return {
        "max_article_bytes": settings.max_article_bytes,
        "max_file_bytes": settings.max_file_bytes,
        "annotator": ANNOTATOR_VERSION,
    }


def run_batch(
    inputs: Sequence[str],
    out: str,
    *,
    settings: Settings,
    user: Metadata | None = None,
    manifest: Mapping[Path, Metadata] | None = None,
    scheduler: str | None = None,
    local: int | None = None,
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
    client: Any = None,
    started: Callable[[BatchSummary], None] | None = None,
    progress: Callable[[TaskResult], None] | None = None,
) -> BatchSummary:
    """Make every missing shard of ``inputs`` in ``out``. ``client``: a Dask client to use
    (else one for ``scheduler``, else a LocalCluster of ``local`` processes); ``started``
    is called once the work is known (``summary.partitions``, the dashboard)."""
    partitions, skipped = plan(
        inputs,
        user=user or Metadata(),
        manifest=manifest or {},
        shaping=shaping(settings),
        partition_bytes=partition_bytes,
    )
    fs, folder = filesystem(out)
    fs.makedirs(folder, exist_ok=True)
    _write_plan(fs, folder, plan_json(partitions, inputs))
    summary = BatchSummary(partitions=len(partitions), skipped_files=skipped)
    todo = [p for p in partitions if not shard_ok(fs, folder, p)]
    summary.shards_kept = len(partitions) - len(todo)
    with _client(client, scheduler, local) as dask:
        summary.dashboard = getattr(dask, "dashboard_link", None)
        if started:
            started(summary)
        if todo:
            _run(dask, todo, out, settings, summary, progress)
    return summary


def _run(
    dask: Any,
    todo: list[Partition],
    out: str,
    settings: Settings,
    summary: BatchSummary,
    progress: Callable[[TaskResult], None] | None,
) -> None:
    as_completed = importlib.import_module("distributed").as_completed

    keys = [f"parallax-shard-{p.number}-{p.fingerprint[:12]}" for p in todo]
    futures = dask.map(run_task, todo, out=out, settings=settings, key=keys, pure=False)
    for future in as_completed(futures):
        try:
            result: TaskResult = future.result()
        except Exception as error:  # a task that failed on every retry
            raise ParallaxError("E087", future.key, f"{type(error).__name__}: {error}") from None
        summary.shards_made += result.made
        summary.articles += result.articles
        summary.rejected += result.rejected
        if progress:
            progress(result)


@contextmanager
def _client(client: Any, scheduler: str | None, local: int | None) -> Iterator[Any]:
    if client is not None:
        yield client
        return
    try:
        distributed = importlib.import_module("distributed")
    except ImportError as error:
        raise ParallaxError("E088", "parallax batch", str(error)) from None
    Client, LocalCluster = distributed.Client, distributed.LocalCluster
    if scheduler:
        with Client(scheduler) as connected:
            yield connected
        return
    with (
        LocalCluster(
            n_workers=local or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",
            host="127.0.0.1",
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def _write_plan(fs: Any, folder: str, document: dict[str, Any]) -> None:
    path = f"{folder}/{PLAN_FILE}"
    temporary = f"{path}.tmp"
    with fs.open(temporary, "w") as handle:
        json.dump(document, handle, indent=1)
    fs.mv(temporary, path)


def load_batch(
    out: str,
    store: Store,
    settings: Settings,
    progress: Callable[[Path, int], None] | None = None,
) -> RunSummary:
    """Load every shard of the batch in ``out`` into the store, in plan order, with one
    writer: copies across shards, revisions and quarantine as in ``parallax ingest``.
    Every shard must be whole (E089 names the first that is not)."""
    fs, folder = filesystem(out)
    partitions = whole_shards(out)

    def items() -> Iterator[Prepared]:
        for partition in partitions:
            yield from read_shard(fs, folder, partition)

    return load_prepared(store, items(), settings, progress)


def read_plan(fs: Any, folder: str) -> list[Partition]:
    path = f"{folder}/{PLAN_FILE}"
    try:
        with fs.open(path, "r") as handle:
            document = json.load(handle)
        return partitions_from_json(document)
    except FileNotFoundError:
        raise ParallaxError("E089", path, "no batch plan here (run parallax batch)") from None
    except (ValueError, KeyError, TypeError) as error:
        raise ParallaxError("E089", path, f"unreadable plan ({error})") from None


def whole_shards(out: str) -> list[Partition]:
    """The partitions of the batch in ``out``, once every shard is known to be whole
    (E089 names the first that is missing or incomplete)."""
    fs, folder = filesystem(out)
    partitions = read_plan(fs, folder)
    for partition in partitions:
        if not shard_ok(fs, folder, partition):
            raise ParallaxError("E089", f"{out}/{partition.shard}", "missing or incomplete")
    return partitions


def count_shard_rows(out: str) -> int:
    """How many results the shards of ``out`` hold (a progress bar's total); E089 when
    one is missing or incomplete."""
    import pyarrow.parquet as pq

    fs, folder = filesystem(out)
    total = 0
    for partition in whole_shards(out):
        with fs.open(f"{folder}/{partition.shard}", "rb") as handle:
            total += pq.read_metadata(handle).num_rows
    return total
