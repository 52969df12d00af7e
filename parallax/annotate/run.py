"""The annotation driver: annotates the stored articles that need it, batch by batch.

The components (:mod:`annotator` and what it runs) are pure functions of a parsed text;
this module is the one part of the stage that reads and writes the store. spaCy is
loaded only when annotating starts, so that importing the stage (for its version, or to
count what is pending) costs nothing.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from parallax.annotate.language import Language, language_of
from parallax.annotate.version import ANNOTATOR_VERSION
from parallax.errors import ParallaxError
from parallax.model import Annotations, Rejected, empty_annotations
from parallax.store import Store


def count_pending_annotations(store: Store, *, redo: bool = False) -> int:
    """How many articles :func:`annotate_store` would annotate: those not annotated yet
    (failed ones included), with ``redo`` also those another annotator version made."""
    if not redo:
        return store.count_unannotated(None)
    from parallax.annotate.annotator import version  # loads spaCy: the version names its model

    return store.count_unannotated(version())


def annotation_status(store: Store) -> tuple[int, int]:
    """(articles not annotated yet, articles annotated by an older annotator): what a
    report warns about, since both add nothing to it until annotated again."""
    return store.count_unannotated(None), store.count_annotated_by_other(ANNOTATOR_VERSION)


AnnotateHook = Callable[[int], None]
"""Called after each batch with the number of articles annotated in it."""

Row = tuple[int, str, str, str | None, str | None]
"""A stored article to annotate: ``(seq, id, text, published_at, stated language)``."""


@dataclass(frozen=True)
class Failed:
    """An article whose annotation raised: the error as text, since it crosses processes."""

    error: str


Result = Annotations | Failed
T = TypeVar("T")


def annotate_texts(items: Sequence[tuple[str, str | None, str | None]]) -> list[Result]:
    """Annotations of each ``(text, published_at, stated language)``, in order: the pure
    part of the stage, the same in this process, in a worker and in a batch task. A text in
    a language the annotators do not read gets no items and the reason; one that fails
    costs only itself (its result is :class:`Failed`)."""
    from parallax.annotate.annotator import Job  # loads spaCy: only when needed

    languages = [language_of(text, stated) for text, _, stated in items]
    read = [item for item, language in zip(items, languages, strict=True) if language.annotate]
    made = iter(_annotate_batch([Job(text, published) for text, published, _ in read]))
    return [
        _with_language(next(made), language) if language.annotate else _skipped(language)
        for language in languages
    ]


BATCH_SIZE = 16
"""Articles a batch: a worker's unit of work and the writer's transaction. Small, so that
the last batches keep every worker busy to the end (with 64, 300 articles left one of two
workers idle for the last 44); a multiple of spaCy's own batch (:data:`nlp.BATCH_SIZE`),
so spaCy sees the same groups of texts as with larger batches."""


def annotate_store(
    store: Store,
    *,
    redo: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: AnnotateHook | None = None,
    workers: int = 1,
) -> int:
    """Annotate the stored articles that have no annotations yet (``redo``: all not made by
    the current annotator version). Each batch is committed on its own, so a crash loses
    at most one batch and a rerun picks up where it stopped. Returns how many were annotated.

    With ``workers`` above 1 the batches are annotated in that many processes (spaCy
    loaded once in each) while this process reads and writes the store, in order; since
    an article's annotations depend only on its text, date and language, the store ends
    the same whatever the number. Fewer articles than two batches are annotated here:
    starting processes would cost more than it saves.

    An article whose annotation fails is stored without annotations and without an
    annotator, so every later run tries it again; its error is kept (``annotation_error``)
    and quarantined as E051 until a run annotates it.
    """
    if workers > 1 and store.count_unannotated(_version() if redo else None) > 2 * batch_size:
        with WorkerPool(workers) as pool:
            return _annotate_batches(store, redo, batch_size, progress, pool)
    return _annotate_batches(store, redo, batch_size, progress, None)


WrittenBatch = Callable[[list[str]], None]
"""Called after each batch is stored with the ids of its articles (annotated or failed)."""


def annotate_in(
    pool: WorkerPool,
    store: Store,
    *,
    redo: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: AnnotateHook | None = None,
    first: Sequence[str] = (),
    written: WrittenBatch | None = None,
) -> int:
    """:func:`annotate_store` in a pool the caller started (and may use again after), so
    that its workers load spaCy while the caller does other work, such as storing the
    inputs: the writer then does not wait for them.

    ``first``: articles to annotate before the others, in that order (an ingest gives
    them in the order its stories will place them); ``written`` is told of each batch
    stored, so the caller can go on with those articles while the workers annotate."""
    return _annotate_batches(store, redo, batch_size, progress, pool, first, written)


def _version() -> str:
    from parallax.annotate.annotator import version  # loads spaCy: the version names its model

    return version()


def _annotate_batches(
    store: Store,
    redo: bool,
    batch_size: int,
    progress: AnnotateHook | None,
    pool: WorkerPool | None,
    first: Sequence[str] = (),
    written: WrittenBatch | None = None,
) -> int:
    current = pool.version() if pool else _version()
    wanted = current if redo else None
    pending: deque[tuple[list[Row], Future[list[Result]] | list[Result]]] = deque()
    done = 0
    ahead = 2 * pool.size if pool else 0

    def write_oldest() -> None:
        nonlocal done
        rows, made = pending.popleft()
        results = made if isinstance(made, list) else worker_result(made)
        _save(store, rows, results, current)
        done += len(rows)
        if progress:
            progress(len(rows))
        if written:
            written([row[1] for row in rows])

    batches = _batches(store, wanted, batch_size, first)
    if pool:
        tail = pool.size * batch_size
        batches = _split_tail(batches, store.count_unannotated(wanted), tail, TAIL_BATCH)
    for rows in batches:
        items = [(text, published, stated) for _, _, text, published, stated in rows]
        pending.append((rows, pool.submit(items) if pool else annotate_texts(items)))
        while len(pending) > ahead:
            write_oldest()
    while pending:
        write_oldest()
    return done


def _batches(
    store: Store, wanted: str | None, size: int, first: Sequence[str]
) -> Iterator[list[Row]]:
    """The articles to annotate, ``size`` at a time: those of ``first`` in its order, then
    the others by ``seq``. Read as the batches are sent, so memory holds a few batches."""
    for start in range(0, len(first), size):
        if rows := store.annotation_rows(first[start : start + size], wanted):
            yield rows
    given = set(first)
    after = 0
    while rows := store.unannotated(wanted, after=after, limit=size):
        after = rows[-1][0]
        if rows := [row for row in rows if row[1] not in given]:  # a failed one: not twice
            yield rows


TAIL_BATCH = 4
"""Articles a batch among the last ``workers x batch size`` of a pooled run."""


def _split_tail(
    batches: Iterator[list[Row]], total: int, tail: int, small: int
) -> Iterator[list[Row]]:
    """The batches, those among the last ``tail`` of ``total`` articles cut to ``small``:
    the workers then run out of work within a small batch of each other, instead of one
    annotating a last full batch (seconds) while the others wait. The results are the
    same: an article's annotations do not depend on the batch it is parsed with."""
    sent = 0
    for rows in batches:
        if total - sent - len(rows) >= tail:
            sent += len(rows)
            yield rows
            continue
        for start in range(0, len(rows), small):
            piece = rows[start : start + small]
            sent += len(piece)
            yield piece


def worker_result(future: Future[T]) -> T:
    """What a worker made; a worker that died (often killed for memory) is E052."""
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise ParallaxError("E052", "annotation worker", str(error) or "it died") from None


def _save(store: Store, rows: list[Row], results: list[Result], current: str) -> None:
    """Write one batch's results in one transaction."""
    with store.transaction():
        for (_, article_id, _, _, _), result in zip(rows, results, strict=True):
            save_annotation_result(store, article_id, result, current)


def save_annotation_result(store: Store, article_id: str, result: Result, annotator: str) -> None:
    """Store one article's annotations, or its failure (quarantined as E051 until a later
    run annotates it), in the caller's transaction."""
    source = f"article:{article_id}"
    if isinstance(result, Failed):
        store.save_annotation_failure(article_id, result.error)
        reason = ParallaxError("E051", source, result.error).reason
        store.quarantine(Rejected(source, None, "E051", reason))
    else:
        store.save_annotations(article_id, result, annotator)
        store.release(source, None)


def annotator_version() -> str:
    """The version annotations are stored under (it names the spaCy model: loads it)."""
    return _version()


PRELOAD = "parallax.annotate.preload"
"""The module the fork server imports before forking annotation workers (it loads spaCy)."""


class WorkerPool:
    """Annotation in worker processes, spaCy loaded once for all of them.

    Annotation workers are forked from a fork server: a fresh interpreter, started when
    the pool starts, that loads spaCy (:data:`PRELOAD`) while the writer does other work.
    Each worker forked from it has the pipeline at once (no load of its own, seconds of
    CPU each) and shares its memory with the others until written. The server holds no
    store connection, no progress-bar thread and no lock of the writer's, so a worker
    never inherits one held at fork time. Where there is no fork server (Windows) the
    workers are spawned and each loads spaCy itself. Workers watch their parent and the
    writer and exit when either is gone: a writer killed with ``kill -9`` leaves no worker
    behind (the server exits with it)."""

    def __init__(self, size: int, *, annotates: bool = True) -> None:
        """``annotates``: False for a pool that only runs other stages (:meth:`call`, such
        as comparing stories), whose workers are then spawned and never load spaCy
        (seconds and about 300 MB each)."""
        self.size = size
        self.annotates = annotates
        self._forks = annotates and "forkserver" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if self._forks else "spawn")
        if self._forks:
            context.set_forkserver_preload([PRELOAD])
        self._executor = ProcessPoolExecutor(
            size, mp_context=context, initializer=_warm_up, initargs=(os.getpid(), annotates)
        )
        self._versions: list[Future[str]] = []

    def start(self) -> WorkerPool:
        """Start loading spaCy now, without waiting for it: the fork server when the
        workers fork from one (it is up once per process; a worker then forks in
        milliseconds, at its first task), else every worker.

        Spawned workers are asked for the annotator version at once: the executor starts
        a process per task submitted, so one question would start one worker and the next
        would begin loading spaCy only when the first batch came, seconds later."""
        if self._forks:
            from multiprocessing import forkserver

            forkserver.ensure_running()
        else:
            self._ask_versions()
        return self

    def _ask_versions(self) -> None:
        if not self._versions:
            question = _version if self.annotates else _no_model
            self._versions = [self._executor.submit(question) for _ in range(self.size)]

    def submit(self, items: list[tuple[str, str | None, str | None]]) -> Future[list[Result]]:
        self._check_annotates()
        return self._executor.submit(annotate_texts, items)

    def call(self, function: Callable[..., T], *args: Any) -> Future[T]:
        """Run another per-item stage in a worker (a story's comparison): ``function``
        must be importable by name, its arguments and result picklable."""
        return self._executor.submit(function, *args)

    def version(self) -> str:
        """The annotator version, as a worker has it (this process never loads spaCy)."""
        self._check_annotates()
        try:
            self.start()._ask_versions()
            return self._versions[0].result()
        except BrokenProcessPool as error:
            raise ParallaxError("E052", "annotation worker", str(error) or "it died") from None

    def _check_annotates(self) -> None:
        if not self.annotates:
            raise ValueError("this pool's workers do not annotate (annotates=False)")

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _warm_up(writer: int, annotates: bool = True) -> None:
    """A worker's start: watch its parent and the writer, then (``annotates``) load spaCy
    once for every batch to come (a worker forked from the fork server has it already).

    At its end the worker leaves without the interpreter's teardown of spaCy's objects
    (0.8 s the writer would wait for): its results are sent by then, and it holds no
    file open for writing."""
    threading.Thread(target=_exit_with, args=(os.getppid(), writer), daemon=True).start()
    atexit.register(os._exit, 0)
    if annotates:
        _version()  # names the model: loads it


def _no_model() -> str:
    """What a worker of a pool that does not annotate answers :meth:`WorkerPool.start`."""
    return ""


def _exit_with(parent: int, writer: int) -> None:
    """End this worker when its parent or the writer has died. A spawned worker's parent
    is the writer; a forked one's is the fork server, which exits when the writer is gone.
    An orphan is given a new parent (``getppid`` changes), whatever killed the old one and
    even before anyone reaps it."""
    while os.getppid() == parent and _exists(writer):
        time.sleep(0.5)
    os._exit(1)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether it may be sent
    except (ProcessLookupError, PermissionError):  # gone, or its number now someone else's
        return False
    return True


def default_workers() -> int:
    """The cores this process may run on: what ``--workers`` defaults to."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _with_language(result: Result, language: Language) -> Result:
    if not isinstance(result, Failed):
        result["language"] = language.to_json()
    return result


def _skipped(language: Language) -> Annotations:
    """What an article the English annotators do not read gets: no items, and why."""
    found = empty_annotations()
    found["language"] = language.to_json()
    found["skipped"] = language.reason
    return found


def _annotate_batch(jobs: list[Any]) -> list[Result]:
    """Annotate a batch; if it fails, annotate one by one so one bad article costs only itself
    (its item is then the error it raised)."""
    from parallax.annotate.annotator import annotate

    try:
        return list(annotate(jobs))
    except Exception:  # a component bug on one text must not stop the batch
        results: list[Result] = []
        for job in jobs:
            try:
                results.extend(annotate([job]))
            except Exception as error:
                results.append(Failed(f"{type(error).__name__}: {error}"))
        return results
