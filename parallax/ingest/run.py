"""The ingest driver: reads inputs and writes what they give to the store, in batches.

Readers (:mod:`files`) and the copy decision (:mod:`dedup`) are pure; this module is the
one part of the stage that writes, through :class:`~parallax.store.Store`: each article
with its near-duplicate keys in one transaction, each rejection to the quarantine.
Committing in batches keeps ingest fast and stays crash-safe because ids are stable: a
rerun after a kill skips what was committed and redoes the rest.

Web archives (WARC, ARC) are read record by record, and how far each file has been read is
stored with the records' results in the same transaction: a rerun resumes after the last
committed record instead of reading the file again, and skips a file read to its end.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from parallax.errors import ParallaxError
from parallax.ingest.dedup import (
    article_from_draft,
    band_keys,
    content_hash,
    copy_decision,
    signature,
)
from parallax.ingest.files import discover, kind_of, read_input
from parallax.ingest.warc import Skipped, read_warc
from parallax.model import Article, Draft, IngestSummary, Metadata, Rejected
from parallax.settings import Settings
from parallax.store import Batch, Revision, Store
from parallax.store.stories import learn_outlets

ProgressHook = Callable[[Path, int], None]
"""Called after each file with its path and the number of items read from it."""
WrittenHook = Callable[[Draft | Rejected, str | None], None]
"""Called after each result is written, inside its transaction, with the id of the stored
article it is (None: quarantined): what the caller records there commits with it."""
DAMAGE_CODES = ("E010", "E015", "E016")
"""The codes of an archive that could not be read to its end: released once it has been."""


@dataclass
class ArchiveCounts:
    """What one run did with web archives (WARC and ARC files)."""

    records: int = 0
    """Records read in this run (a resumed file: only those after its stored offset)."""
    pages: int = 0
    """Of these, article pages (HTTP 200 HTML responses), stored or not."""
    skipped: Counter[str] = field(default_factory=Counter)
    """The other records, by kind: their WARC type, or not_200 / not_html / not_http."""
    files_complete: int = 0
    """Files read to their end without damage in this run."""
    files_unchanged: int = 0
    """Files complete before and unchanged since (size and mtime): not read again."""
    files_damaged: int = 0
    resumed_from: dict[str, int] = field(default_factory=dict)
    """Each file read from where an earlier run stopped: the offset it was resumed at."""

    def to_json(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "pages": self.pages,
            "skipped": dict(sorted(self.skipped.items())),
            "files_complete": self.files_complete,
            "files_unchanged": self.files_unchanged,
            "files_damaged": self.files_damaged,
            "resumed_from": self.resumed_from,
        }


@dataclass
class RunSummary(IngestSummary):
    """The summary of one ingest run: :class:`IngestSummary` with what archives add."""

    changed: int = 0
    """Inputs with the id of a stored article (the same url) but another text: not stored
    as a second article, counted in ``already_stored`` too. Revisions hook in here."""
    archives: ArchiveCounts = field(default_factory=ArchiveCounts)

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "changed": self.changed, "archives": self.archives.to_json()}

    def absorb(self, other: RunSummary) -> None:
        """Add another run's counts to this one (files and urls ingested by one command)."""
        for name in ("ingested", "already_stored", "duplicates", "wire_copies", "quarantined",
                     "annotated", "skipped_files", "changed"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.rejected += other.rejected
        self.skipped += other.skipped


def ingest_into(
    store: Store,
    paths: Sequence[Path],
    user: Metadata,
    manifest: Mapping[Path, Metadata],
    settings: Settings,
    progress: ProgressHook | None = None,
) -> RunSummary:
    """Read ``paths`` (files and folders) into ``store``: the user's metadata, then the
    manifest row of each file, win over what the inputs say. Never fatal on an input."""
    with _run(store, settings) as (batch, writer):
        summary = writer.summary
        for item in discover(paths):
            misnamed = misnamed_input(item.path)
            if misnamed is not None:
                batch.begin()
                writer.write(misnamed, user)
                batch.step()
                continue
            if not item.explicit and kind_of(item.path) is None:
                summary.skipped_files += 1
                summary.skipped.append(str(item.path))
                continue
            meta = user.overridden_by(manifest.get(_resolved(item.path), Metadata()))
            count = 0
            if kind_of(item.path) == "warc":
                count = _ingest_archive(item.path, meta, batch, writer)
            else:
                for result in read_input(item.path, settings):
                    batch.begin()
                    writer.write(result, meta)
                    batch.step()
                    count += 1
            if progress:
                progress(item.path, count)
    return summary


def _resolved(path: Path) -> Path:
    """The path with its symlinks followed, as manifest rows are keyed. A symlink loop
    (which raises here, and is quarantined when read) stays itself."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def misnamed_input(path: Path) -> Rejected | None:
    """E014 for a path whose bytes are not UTF-8 (a name from another encoding): it could
    be neither stored nor printed, and failed the whole batch's transaction. The name is
    shown with its bad bytes escaped (``\\xff``)."""
    raw = os.fsencode(path)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        shown = raw.decode("utf-8", "backslashreplace")
        error = ParallaxError("E014", shown, f"byte 0x{raw[exc.start]:02x} at position {exc.start}")
        return Rejected(shown, None, error.code, error.reason)
    return None


def ingest_results(
    store: Store,
    results: Iterable[Draft | Rejected],
    user: Metadata,
    settings: Settings,
    progress: ProgressHook | None = None,
    written: WrittenHook | None = None,
) -> RunSummary:
    """Store drafts that did not come from files (fetched pages, feed items) exactly as
    files' are stored: the user's metadata wins, copies are recognised, a rejection is
    quarantined, batches are committed as they fill (``written``: see :data:`WrittenHook`)."""
    with _run(store, settings) as (batch, writer):
        for result in results:
            batch.begin()
            article_id = writer.write(result, user)
            if written:
                written(result, article_id)
            batch.step()
            if progress:
                progress(Path(result.source), 1)
    return writer.summary


@contextmanager
def _run(store: Store, settings: Settings) -> Iterator[tuple[Batch, _Writer]]:
    """One ingest run: its parameters checked, its batches committed as they fill, its
    copy counts and summary recorded when it ends (not when an exception ends it)."""
    summary = RunSummary()
    store.require_parameters(settings.store_parameters())
    run = store.start_run()
    with store.batch(settings.commit_every) as batch:
        yield batch, _Writer(store, settings, summary, run)
    summary.duplicates, summary.wire_copies = store.copies_in_run(run)
    store.finish_run(run, summary.to_json())


def _ingest_archive(path: Path, meta: Metadata, batch: Batch, writer: _Writer) -> int:
    """Read one archive into the store from where the last run stopped; returns the number
    of records read. Each record's resume point is written with its result, in the same
    transaction, so after a kill at any moment a rerun starts after the last stored record.
    A file read to its end and unchanged since (size and mtime) is not read again; a
    changed file is read from its start (stored articles are recognised by their ids)."""
    store, counts = writer.store, writer.summary.archives
    source, key = str(path), str(path.resolve())
    try:
        stat = path.stat()
    except OSError as exc:
        error = ParallaxError("E010", source, exc.strerror or str(exc))
        batch.begin()
        writer.write(Rejected(source, None, error.code, error.reason), meta)
        batch.step()
        return 0
    version = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    known = store.input_progress(key)
    same = known is not None and (known.size, known.mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    if known is not None and same and known.complete:
        counts.files_unchanged += 1
        writer.summary.already_stored += known.articles
        return 0
    offset = known.offset if known is not None and same else 0
    articles = known.articles if known is not None and same else 0
    if offset:
        counts.resumed_from[source] = offset
    count = 0
    for item in read_warc(path, writer.settings, offset):
        batch.begin()
        if item.damaged:
            assert isinstance(item.result, Rejected)
            writer.write(item.result, meta)
            counts.files_damaged += 1
            store.save_input_progress(
                key, **version, offset=item.offset, complete=False, articles=articles
            )
            batch.step()
            return count
        count += 1
        counts.records += 1
        if isinstance(item.result, Skipped):
            counts.skipped[item.result.kind] += 1
        else:
            counts.pages += 1
            articles += isinstance(item.result, Draft)
            writer.write(item.result, meta)
        offset = item.end
        store.save_input_progress(key, **version, offset=offset, complete=False, articles=articles)
        batch.step()
    batch.begin()
    store.save_input_progress(key, **version, offset=offset, complete=True, articles=articles)
    store.release_codes(source, DAMAGE_CODES)
    batch.step()
    counts.files_complete += 1
    return count


class _Writer:
    """Stores each result of the readers: an article (with its copy family) or a rejection."""

    def __init__(self, store: Store, settings: Settings, summary: RunSummary, run: int) -> None:
        self.run = run
        self.store = store
        self.settings = settings
        self.summary = summary
        # the copy decision compares outlets as every report does: with the domain = name
        # pairs the stored pages taught, so a domain-only copy of a named outlet's article
        # is its duplicate, not a wire copy (learned once a run: pages of this run teach
        # the next)
        learn_outlets(store)

    def write(self, result: Draft | Rejected, user: Metadata) -> str | None:
        """Store one result; the id of the article it is (None: quarantined)."""
        if isinstance(result, Rejected):
            self.store.quarantine(result)
            self.summary.quarantined += 1
            self.summary.rejected.append(result)
            return None
        return self._store_article(result, user)

    def _store_article(self, draft: Draft, user: Metadata) -> str:
        article = article_from_draft(draft, user)
        stored = self.store.content_key(article.id)
        if stored is not None:
            self.summary.already_stored += 1
            if stored != content_hash(article.text) or self._retitled(article):
                self._changed(article, draft)
            self.store.release(draft.source, draft.record)
            return article.id
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
        return article.id

    def _retitled(self, article: Article) -> bool:
        """Whether a stored article is read again under another headline, its text the
        same: the edit outlets make most after publishing, a revision too. An input that
        gives no title says nothing of it."""
        return article.title is not None and article.title != self.store.title_of(article.id)

    def _changed(self, article: Article, draft: Draft) -> None:
        """An input under a stored article's id with another text or headline (a page
        crawled again after an edit): a revision of that article, never a second article.
        A text and headline the article already had (an old crawl read again) add nothing;
        a new one is recorded,
        and becomes the article's text when it is the latest (by when the outlet served
        it, else when it was read), so annotation and stories read the current text."""
        key = content_hash(article.text)
        known = self.store.revisions(article.id)
        if any(r.content_hash == key and r.title == article.title for r in known):
            return
        fetched = article.extra.get("fetched_at")
        revision = Revision(
            number=0,
            content_hash=key,
            title=article.title,
            text=article.text,
            fetched_at=fetched if isinstance(fetched, str) else None,
            seen_at=datetime.now(UTC).isoformat(timespec="seconds"),
            source=draft.source,
        )
        self.store.add_revision(article.id, revision)
        latest = self.store.revisions(article.id)[-1]
        if latest.content_hash == key and latest.title == article.title:
            old = self.store.signature_of(article.id)
            sig = signature(article.text, self.settings.minhash_permutations)
            self.store.replace_text(
                article.id,
                title=article.title,
                text=article.text,
                content_key=key,
                signature=sig,
                bands=band_keys(sig, self.settings.minhash_bands),
                old_bands=[] if old is None else band_keys(old, self.settings.minhash_bands),
            )
        self.summary.changed += 1
