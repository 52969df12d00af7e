"""Batch: the per-article stages on a Dask cluster, shards in Parquet, one writer to load.

``parallax batch`` plans partitions (:mod:`plan`), runs a task per missing shard on Dask
(:mod:`task`, :mod:`run`) and ``parallax load`` merges the shards (:mod:`shards`) into a
store through the same pipeline as ``parallax ingest``.
"""

from parallax.batch.plan import DEFAULT_PARTITION_BYTES, Partition, Piece, plan
from parallax.batch.run import BatchSummary, count_shard_rows, load_batch, run_batch
from parallax.batch.task import TaskResult, run_task

__all__ = [
    "DEFAULT_PARTITION_BYTES",
    "BatchSummary",
    "Partition",
    "Piece",
    "TaskResult",
    "count_shard_rows",
    "load_batch",
    "plan",
    "run_batch",
    "run_task",
]
