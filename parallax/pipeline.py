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
from parallax.store.db import same_outlet

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
            if same_outlet(article.outlet, origin_outlet):
                return replace(article, duplicate_of=origin), score
            return replace(article, wire_of=origin), score
        return article, None


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

    An article whose annotation fails is stored without annotations and without an
    annotator, so every later run tries it again; its error is kept (``annotation_error``)
    and quarantined as E051 until a run annotates it.
    """
    from parallax.annotate.annotator import Job, version  # loads spaCy: only when needed
    from parallax.errors import ParallaxError

    current = version()
    wanted = current if redo else None
    done = 0
    after = 0
    while rows := store.unannotated(wanted, after=after, limit=batch_size):
        after = rows[-1][0]
        results = _annotate_batch([Job(text, published) for _, _, text, published in rows])
        with store.transaction():
            for (_, article_id, _, _), result in zip(rows, results, strict=True):
                source = f"article:{article_id}"
                if isinstance(result, Exception):
                    error = f"{type(result).__name__}: {result}"
                    store.save_annotation_failure(article_id, error)
                    reason = ParallaxError("E051", source, error).reason
                    store.quarantine(Rejected(source, None, "E051", reason))
                else:
                    store.save_annotations(article_id, result, current)
                    store.release(source, None)
        done += len(rows)
        if progress:
            progress(len(rows))
    return done


def _annotate_batch(jobs: list[Any]) -> list[dict[str, Any] | Exception]:
    """Annotate a batch; if it fails, annotate one by one so one bad article costs only itself
    (its item is then the exception it raised)."""
    from parallax.annotate.annotator import annotate

    try:
        return list(annotate(jobs))
    except Exception:  # a component bug on one text must not stop the batch
        results: list[dict[str, Any] | Exception] = []
        for job in jobs:
            try:
                results.extend(annotate([job]))
            except Exception as error:
                results.append(error)
        return results


# -- stories ------------------------------------------------------------------------------

# The stories stage's imports sit with its section (it was added after the file's top).
from parallax.store.stories import StoryMember, StoryRecord, StoryStore  # noqa: E402
from parallax.stories import (  # noqa: E402
    Assignment,
    Features,
    Member,
    StoryIndex,
    StoryOptions,
    StoryState,
    assign,
    central_member,
    features_of,
    independence_groups,
    lead_sentence,
    relay_source,
    story_actors,
)
from parallax.stories.features import moment  # noqa: E402

ClusterHook = Callable[[int], None]
"""Called after each clustering batch with the number of articles placed in it."""


@dataclass
class ClusterSummary:
    """What one clustering run did."""

    clustered: int = 0
    founded: int = 0
    joined: int = 0
    merges: int = 0
    cooled: int = 0

    def to_json(self) -> dict[str, int]:
        return dict(self.__dict__)


def cluster_store(
    store: Store,
    *,
    options: StoryOptions | None = None,
    batch_size: int = 256,
    progress: ClusterHook | None = None,
) -> ClusterSummary:
    """Place every stored article that is in no story yet: in publication order (unknown
    times last), ingest order breaking ties. Idempotent: placed articles are skipped.
    Each batch is one transaction, so a crash loses at most one batch; the next run
    rebuilds the working set of hot stories from the store and goes on.
    """
    run = StoryRun(store, options)
    pending = sorted(
        run.stories.unclustered(),
        key=lambda row: (moment(row[2]) is None, moment(row[2]) or 0.0, row[0]),
    )
    for start in range(0, len(pending), batch_size):
        batch = pending[start : start + batch_size]
        run.place([article_id for _, article_id, _ in batch])
        if progress:
            progress(len(batch))
    return run.summary


class StoryRun:
    """The clusterer over a store: the working set, rebuilt from the store when opened, and
    the writes of each batch. A long-running process (a feed watcher) keeps one open and
    calls :meth:`place` with each batch of new articles, so the working set is built once.
    """

    def __init__(self, store: Store, options: StoryOptions | None) -> None:
        self.store = store
        self.stories = StoryStore(store)
        self.options = options or StoryOptions()
        self.index = StoryIndex(self.options)
        self.summary = ClusterSummary()
        state = self.stories.state()
        self.index.stats.documents = int(state.get("documents", 0))
        self.index.clock = state.get("clock")
        self.position = int(state.get("position", 0))
        self.stories.load_df(self.index.stats.df)
        for seq, story_id in self.stories.hot_stories():
            self._restore(seq, story_id)
        self.outlets: list[str] = []

    def _restore(self, seq: int, story_id: str) -> None:
        members = [self._features(a) for a in self._articles(self.stories.member_ids(story_id))]
        self.index.restore(story_id, seq, members)

    def _reheat(self, published: float | None) -> None:
        """A late article (published before the working set's window) may belong to a story
        that went cold: put the cold stories around its time back into the working set.
        They go cold again when the clock next moves on."""
        clock, window = self.index.clock, self.options.cold_after_days * 86400.0
        if published is None or clock is None or published >= clock - window:
            return
        hot = {story.id for story in self.index.stories.values()}
        found = self.stories.cold_stories_around(published - window, published + window)
        back = [(seq, story_id) for seq, story_id in found if story_id not in hot]
        for seq, story_id in back:
            self._restore(seq, story_id)
        self.stories.set_state([story_id for _, story_id in back], "hot")

    def place(self, article_ids: list[str]) -> None:
        """Assign a batch of stored articles (in the order given; those already in a story
        are skipped) and write what changed, in one transaction."""
        with self.store.transaction():
            self.outlets = self.stories.outlets()
            self._place(article_ids)

    def _place(self, article_ids: list[str]) -> None:
        touched: dict[str, StoryState] = {}
        buckets: list[np.ndarray] = []
        fresh = [a for a in article_ids if self.stories.story_of(a) is None]
        for article in self._articles(fresh):
            features = self._features(article)
            self._reheat(features.published)
            placed = assign(features, self.index)
            buckets.append(self.index.stats.buckets(features.keys))
            if placed.founded:
                self.stories.found(placed.story)
            for merge in placed.merges:
                self.stories.merge(merge.source, merge.target, merge.article, merge.score)
                touched.pop(merge.source, None)
            self.stories.set_state(placed.cooled, "cold")
            self.position += 1
            relays = relay_source(article.text, self.outlets, own=article.outlet)
            self.stories.add_member(article.id, placed.story, self.position, placed.score, relays)
            touched[placed.story] = self.index.stories[self.index.story_of[article.id]]
            self._count(placed)
        for story in touched.values():
            self._refresh(story)
        self._save_counters(buckets)

    def _count(self, placed: Assignment) -> None:
        self.summary.clustered += 1
        self.summary.founded += placed.founded
        self.summary.joined += not placed.founded
        self.summary.merges += len(placed.merges)
        self.summary.cooled += len(placed.cooled)

    def _refresh(self, story: StoryState) -> None:
        """Title, summary line, publication range and independence groups of a story."""
        centre = self.store.article(central_member(story, self.index.stats, self.options).article)
        assert centre is not None
        members, first, last = self._members(story.id)
        self.stories.update(
            story.id,
            title=centre.title or lead_sentence(centre.text),
            summary=lead_sentence(centre.text),
            title_article=centre.id,
            published=(first, last),
        )
        self.stories.set_groups(independence_groups(members))

    def _members(
        self, story_id: str
    ) -> tuple[list[Member], tuple[float, str] | None, tuple[float, str] | None]:
        """Independence members of a story, and its earliest and latest publication."""
        rows = self.store.connection.execute(
            "SELECT sa.article, a.outlet, a.published_at, coalesce(a.wire_of, a.duplicate_of),"
            " sa.relays, sa.position FROM story_articles sa JOIN articles a ON a.id = sa.article"
            " WHERE sa.story = ?",
            (story_id,),
        ).fetchall()
        members: list[Member] = []
        times: list[tuple[float, str]] = []
        for member_id, outlet, published, origin, relays, position in rows:
            when = moment(published)
            if when is not None:
                times.append((when, published))
            order = (when if when is not None else float("inf"), int(position))
            members.append(Member(member_id, outlet, order, origin, relays))
        return members, min(times, default=None), max(times, default=None)

    def _save_counters(self, buckets: list[np.ndarray]) -> None:
        if buckets:
            self.stories.save_df(np.unique(np.concatenate(buckets)).tolist(), self.index.stats.df)
        self.stories.save_state(
            documents=self.index.stats.documents, clock=self.index.clock, position=self.position
        )

    def _articles(self, article_ids: list[str]) -> list[Article]:
        found = (self.store.article(article_id) for article_id in article_ids)
        return [article for article in found if article is not None]

    def _features(self, article: Article) -> Features:
        return features_of(
            article.id,
            title=article.title,
            text=article.text,
            annotations=article.annotations,
            published_at=article.published_at,
            outlet=article.outlet,
            origin=article.wire_of or article.duplicate_of,
            options=self.options,
        )


def find_stories(
    store: Store,
    *,
    outlet: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> list[StoryRecord]:
    """Live stories, newest first. ``actor`` matches a story actor's id, name or alias
    (case and accents ignored, part of a name is enough); ``since``/``until`` are ISO
    dates or times, and keep the stories whose publication range overlaps them."""
    from parallax.annotate.names import fold

    stories = StoryStore(store)
    surname = fold(actor).split()[-1] if actor and actor.strip() else None
    found = stories.stories(
        outlet=outlet,
        annotated=surname if surname and surname.isascii() else None,
        since=_bound(since, "--since", end_of_day=False),
        until=_bound(until, "--until", end_of_day=True),
        limit=None if actor else limit,
    )
    if actor:
        found = [s for s in found if _has_actor(stories, s.id, actor)][:limit]
    return found


def story_detail(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story with its articles, independence groups, actors and merges (JSON-ready);
    an id that was merged away gives the story it went into. None when unknown."""
    stories = StoryStore(store)
    live = stories.resolve(story_id)
    record = stories.story(live) if live else None
    if live is None or record is None:
        return None
    members = stories.members(live)
    detail = record.to_json()
    detail["requested"] = story_id
    detail["articles"] = [_member_json(m) for m in members]
    detail["groups"] = _groups_json(members)
    actors = story_actors((m.article.id, m.article.annotations) for m in members)
    detail["actors"] = [a.to_json() for a in actors]
    detail["merges"] = [m.to_json() for m in stories.merges(live)]
    return detail


def _bound(value: str | None, option: str, *, end_of_day: bool) -> float | None:
    if not value:
        return None
    parsed = parse_published(value)
    when = moment(parsed)
    if parsed is None or when is None:
        raise UsageError("E012", option, repr(value))
    if end_of_day and len(parsed) == 10:
        when += 86400.0 - 1e-3
    return when


def _has_actor(stories: StoryStore, story_id: str, query: str) -> bool:
    from parallax.annotate.names import fold

    wanted = fold(query).strip()
    members = stories.members(story_id)
    for actor in story_actors((m.article.id, m.article.annotations) for m in members):
        names = [actor.id, actor.name, *actor.aliases]
        if any(wanted in fold(name) for name in names):
            return True
    return False


def _member_json(member: StoryMember) -> dict[str, Any]:
    article = member.article
    return {
        "id": article.id,
        "outlet": article.outlet,
        "title": article.title,
        "url": article.url,
        "published_at": article.published_at,
        "source": article.source,
        "group": member.group,
        "score": None if member.score is None else round(member.score, 4),
        "relays": member.relays,
        "wire_of": article.wire_of,
        "duplicate_of": article.duplicate_of,
    }


def _groups_json(members: list[StoryMember]) -> list[dict[str, Any]]:
    """Independence groups, in order of their earliest article."""
    groups: dict[str, dict[str, Any]] = {}
    for member in members:
        group = groups.setdefault(member.group, {"id": member.group, "articles": [], "outlets": []})
        group["articles"].append(member.article.id)
        if member.article.outlet and member.article.outlet not in group["outlets"]:
            group["outlets"].append(member.article.outlet)
    return list(groups.values())


def story_report(store: Store, story_id: str) -> dict[str, Any] | None:
    """The comparison of one story (a ``parallax.report/1`` story); an id merged away
    gives the story it went into; None when unknown."""
    from parallax.compare import Source, compare

    stories = StoryStore(store)
    live = stories.resolve(story_id)
    record = stories.story(live) if live else None
    if live is None or record is None:
        return None
    members = stories.members(live)
    sources = [Source(m.article, m.group, m.relays) for m in members]
    return compare(
        live, sources, title=record.title, summary=record.summary, outlets=stories.outlets()
    )


def main_stories(store: Store, *, limit: int | None = None, min_articles: int = 2) -> list[str]:
    """Ids of the stories most worth a report: most independent reports first, then most
    articles, then newest; stories of fewer than ``min_articles`` articles left out."""
    found = [s for s in StoryStore(store).stories() if s.article_count >= min_articles]
    found.sort(key=lambda s: (-s.groups, -s.article_count, s.id))
    return [s.id for s in found[:limit]]


def build_report(
    store: Store, story_ids: Sequence[str] | None = None, *, limit: int | None = None
) -> dict[str, Any]:
    """A ``parallax.report/1`` document for the given stories (default: the main ones,
    see :func:`main_stories`). An unknown id is an error (E042)."""
    from parallax.compare import report
    from parallax.errors import ParallaxError

    ids = list(story_ids) if story_ids else main_stories(store, limit=limit)
    stories = []
    for story_id in ids:
        found = story_report(store, story_id)
        if found is None:
            raise ParallaxError("E042", story_id)
        stories.append(found)
    return report(stories)


def analyze(
    paths: Sequence[Path],
    options: IngestOptions | None = None,
    *,
    limit: int | None = None,
    progress: ProgressHook | None = None,
) -> tuple[dict[str, Any], IngestSummary]:
    """One shot: ingest ``paths`` into a temporary store, annotate, fold into stories,
    compare; the report of every story (biggest first, single articles included when
    nothing else is there) and the ingest summary. Nothing is left on disk."""
    import tempfile

    with (
        tempfile.TemporaryDirectory(prefix="parallax-") as folder,
        Store.open(Path(folder) / "analyze.db") as store,
    ):
        summary = ingest(paths, store, options, progress=progress)
        summary.annotated = annotate_store(store)
        cluster_store(store)
        ids = main_stories(store, limit=limit)
        return build_report(store, ids or main_stories(store, limit=limit, min_articles=1)), summary
