"""The ingest driver: reads inputs and writes what they give to the store, in batches.

Readers (:mod:`files`) and the copy decision (:mod:`dedup`) are pure; this module is the
one part of the stage that writes, through :class:`~parallax.store.Store`: each article
with its near-duplicate keys in one transaction, each rejection to the quarantine.
Committing in batches keeps ingest fast and stays crash-safe because ids are stable: a
rerun after a kill skips what was committed and redoes the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from parallax.ingest.dedup import (
    article_from_draft,
    band_keys,
    content_hash,
    copy_decision,
    signature,
)
from parallax.ingest.files import discover, kind_of, read_input
from parallax.model import Draft, IngestSummary, Metadata, Rejected
from parallax.settings import Settings
from parallax.store import Store

ProgressHook = Callable[[Path, int], None]
"""Called after each file with its path and the number of items read from it."""


def ingest_into(
    store: Store,
    paths: Sequence[Path],
    user: Metadata,
    manifest: Mapping[Path, Metadata],
    settings: Settings,
    progress: ProgressHook | None = None,
) -> IngestSummary:
    """Read ``paths`` (files and folders) into ``store``: the user's metadata, then the
    manifest row of each file, win over what the inputs say. Never fatal on an input."""
    summary = IngestSummary()
    store.require_parameters(settings.store_parameters())
    run = store.start_run()
    with store.batch(settings.commit_every) as batch:
        writer = _Writer(store, settings, summary, run)
        for item in discover(paths):
            if not item.explicit and kind_of(item.path) is None:
                summary.skipped_files += 1
                summary.skipped.append(str(item.path))
                continue
            meta = user.overridden_by(manifest.get(item.path.resolve(), Metadata()))
            count = 0
            for result in read_input(item.path, settings):
                batch.begin()
                writer.write(result, meta)
                batch.step()
                count += 1
            if progress:
                progress(item.path, count)
    summary.duplicates, summary.wire_copies = store.copies_in_run(run)
    store.finish_run(run, summary.to_json())
    return summary


class _Writer:
    """Stores each result of the readers: an article (with its copy family) or a rejection."""

    def __init__(self, store: Store, settings: Settings, summary: IngestSummary, run: int) -> None:
        self.run = run
        self.store = store
        self.settings = settings
        self.summary = summary

    def write(self, result: Draft | Rejected, user: Metadata) -> None:
        if isinstance(result, Rejected):
            self.store.quarantine(result)
            self.summary.quarantined += 1
            self.summary.rejected.append(result)
        else:
            self._store_article(result, user)

    def _store_article(self, draft: Draft, user: Metadata) -> None:
        article = article_from_draft(draft, user)
        if self.store.has_article(article.id):
            self.summary.already_stored += 1
            self.store.release(draft.source, draft.record)
            return
        sig = signature(article.text, self.settings.minhash_permutations)
        bands = band_keys(sig, self.settings.minhash_bands)
        copy = copy_decision(
            sig,
            article.outlet,
            article.published_at,
            self.store.candidates(bands),
            self.settings.near_duplicate_threshold,
        )
        if copy is not None and copy.relation == "origin":
            self.store.repoint_family(copy.origin, article.id, article.outlet)
        elif copy is not None and copy.relation == "duplicate":
            article = replace(article, duplicate_of=copy.origin)
        elif copy is not None:
            article = replace(article, wire_of=copy.origin)
        self.store.add_article(
            article,
            record=draft.record,
            content_key=content_hash(article.text),
            signature=sig,
            bands=bands,
            similarity=None if copy is None else copy.score,
            run=self.run,
        )
        self.store.release(draft.source, draft.record)
        self.summary.ingested += 1
