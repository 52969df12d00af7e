"""The one place that runs the stages in order and talks to the store.

Today: read inputs, give each article its id and metadata, detect near-duplicates
and wire copies, store, quarantine what failed. Later stages (annotate, stories,
compare) are called from here too, so the CLI, the web layer and batch runners
all share one sequence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from parallax.errors import UsageError
from parallax.ingest.dedup import article_id, band_keys, content_hash, signature, similarity
from parallax.ingest.files import discover, kind_of, read_input
from parallax.ingest.manifest import load_manifest
from parallax.ingest.metadata import outlet_from_url, parse_published
from parallax.model import Article, Draft, IngestSummary, Metadata, Rejected
from parallax.settings import Settings
from parallax.store import Store

ProgressHook = Callable[[Path, int], None]
"""Called after each file with its path and the number of items read from it."""


@dataclass(frozen=True)
class IngestOptions:
    """What the user said about the inputs; it wins over what the inputs say."""

    outlet: str | None = None
    published_at: str | None = None
    manifest: Path | None = None
    settings: Settings = field(default_factory=Settings.from_env)

    def user_metadata(self) -> Metadata:
        published = None
        if self.published_at:
            published = parse_published(self.published_at)
            if published is None:
                raise UsageError("E012", "--published-at", repr(self.published_at))
        return Metadata(outlet=self.outlet, published_at=published)


def ingest(
    paths: Sequence[Path],
    store: Store,
    options: IngestOptions | None = None,
    progress: ProgressHook | None = None,
) -> IngestSummary:
    """Ingest files and directories into the store; bad inputs are quarantined, never fatal."""
    options = options or IngestOptions()
    user = options.user_metadata()
    manifest = load_manifest(options.manifest) if options.manifest else {}
    summary = IngestSummary()
    run = store.start_run()
    writer = _BatchWriter(store, options.settings, summary, run)
    try:
        for item in discover(paths):
            if not item.explicit and kind_of(item.path) is None:
                summary.skipped_files += 1
                summary.skipped.append(str(item.path))
                continue
            meta = user.overridden_by(manifest.get(item.path.resolve(), Metadata()))
            count = 0
            for result in read_input(item.path, options.settings):
                writer.write(result, meta)
                count += 1
            if progress:
                progress(item.path, count)
        writer.flush()
    except BaseException:
        writer.abort()
        raise
    summary.duplicates, summary.wire_copies = store.copies_in_run(run)
    store.finish_run(run, summary.to_json())
    return summary


def count_inputs(paths: Iterable[Path]) -> int:
    """How many files ``ingest`` will read: the total of a progress bar."""
    return sum(1 for item in discover(paths) if item.explicit or kind_of(item.path))


class _BatchWriter:
    """Writes results in transactions of ``commit_every`` items.

    Committing in batches keeps ingest fast; it is still crash-safe because ids are
    deterministic: after a kill, the rerun skips what was committed and redoes the rest.
    """

    def __init__(self, store: Store, settings: Settings, summary: IngestSummary, run: int) -> None:
        self.run = run
        self.store = store
        self.settings = settings
        self.summary = summary
        self.pending = 0

    def write(self, result: Draft | Rejected, user: Metadata) -> None:
        if self.pending == 0:
            self.store.connection.execute("BEGIN IMMEDIATE")
        if isinstance(result, Rejected):
            self.store.quarantine(result)
            self.summary.quarantined += 1
            self.summary.rejected.append(result)
        else:
            self._store_article(result, user)
        self.pending += 1
        if self.pending >= self.settings.commit_every:
            self.flush()

    def abort(self) -> None:
        """Roll back the open batch (a failing disk, Ctrl-C); a rerun redoes it."""
        if self.pending:
            self.store.connection.execute("ROLLBACK")
            self.pending = 0

    def flush(self) -> None:
        if self.pending:
            self.store.connection.execute("COMMIT")
            self.pending = 0

    def _store_article(self, draft: Draft, user: Metadata) -> None:
        article = to_article(draft, user)
        if self.store.has_article(article.id):
            self.summary.already_stored += 1
            self.store.release(draft.source, draft.record)
            return
        sig = signature(article.text, self.settings.minhash_permutations)
        bands = band_keys(sig, self.settings.minhash_bands)
        article, score = self._mark_copy(article, sig, bands)
        self.store.add_article(
            article,
            record=draft.record,
            content_key=content_hash(article.text),
            signature=sig,
            bands=bands,
            similarity=score,
            run=self.run,
        )
        self.store.release(draft.source, draft.record)
        self.summary.ingested += 1

    def _mark_copy(
        self, article: Article, sig: np.ndarray, bands: list[int]
    ) -> tuple[Article, float | None]:
        """Point a near-copy at the first stored article of its family."""
        threshold = self.settings.near_duplicate_threshold
        for candidate in self.store.candidates(bands):
            score = similarity(sig, candidate.signature)
            if score < threshold:
                continue
            origin = candidate.origin
            origin_outlet, origin_published = self.store.published_at(origin)
            if _earlier(article.published_at, origin_published):
                self.store.repoint_family(origin, article.id, article.outlet)
                return article, score
            if _same_outlet(article.outlet, origin_outlet):
                return replace(article, duplicate_of=origin), score
            return replace(article, wire_of=origin), score
        return article, None


def _same_outlet(a: str | None, b: str | None) -> bool:
    """Unknown outlets are not assumed independent: a copy among them is a duplicate."""
    return a is None or b is None or a.lower() == b.lower()


def _earlier(a: str | None, b: str | None) -> bool:
    """Whether publication time ``a`` is known to be before ``b`` (naive times read as UTC).

    The earliest published article of a family of copies is its origin, whatever the
    order in which the files were read.
    """
    moment_a, moment_b = _moment(a), _moment(b)
    return moment_a is not None and moment_b is not None and moment_a < moment_b


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def to_article(draft: Draft, user: Metadata) -> Article:
    """An article from a draft: the user's metadata over the input's, then a stable id."""
    meta = draft.meta.overridden_by(user)
    outlet = meta.outlet or outlet_from_url(meta.url)
    extra = dict(draft.extra)
    if draft.record is not None:
        extra["record"] = draft.record
    return Article(
        id=article_id(meta.url, outlet, draft.text),
        text=draft.text,
        source=draft.source,
        outlet=outlet,
        url=meta.url,
        title=meta.title,
        author=meta.author,
        published_at=meta.published_at,
        language=meta.language,
        extra=extra,
    )


AnnotateHook = Callable[[int], None]
"""Called after each batch with the number of articles annotated in it."""


def annotate_store(
    store: Store,
    *,
    redo: bool = False,
    batch_size: int = 64,
    progress: AnnotateHook | None = None,
) -> int:
    """Annotate the stored articles that have no annotations yet (``redo``: all not made by
    the current annotator version). Each batch is committed on its own, so a crash loses
    at most one batch and a rerun picks up where it stopped. Returns how many were annotated.
    """
    from parallax.annotate.annotator import Job, version  # loads spaCy: only when needed

    current = version()
    wanted = current if redo else None
    done = 0
    after = 0
    while rows := store.unannotated(wanted, after=after, limit=batch_size):
        after = rows[-1][0]
        results = _annotate_batch([Job(text, published) for _, _, text, published in rows])
        with store.transaction():
            for (_, article_id, _, _), result in zip(rows, results, strict=True):
                store.save_annotations(article_id, result, current)
                if result is None:
                    reason = f"article {article_id}: annotation failed"
                    store.quarantine(Rejected(f"article:{article_id}", None, "E051", reason))
        done += len(rows)
        if progress:
            progress(len(rows))
    return done


def _annotate_batch(jobs: list[Any]) -> list[dict[str, Any] | None]:
    """Annotate a batch; if it fails, annotate one by one so one bad article costs only itself."""
    from parallax.annotate.annotator import annotate

    try:
        return list(annotate(jobs))
    except Exception:  # a component bug on one text must not stop the batch
        results: list[dict[str, Any] | None] = []
        for job in jobs:
            try:
                results.extend(annotate([job]))
            except Exception:
                results.append(None)
        return results
