"""The one place that runs the stages in order and talks to the store.

Today: read inputs, give each article its id and metadata, detect near-duplicates
and wire copies, store, quarantine what failed. Later stages (annotate, stories,
compare) are called from here too, so the CLI, the web layer and batch runners
all share one sequence.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from parallax.annotate import (
    ANNOTATOR_VERSION,
    AnnotateHook,
    Failed,
    WorkerPool,
    annotate_in,
    annotate_store,
    annotate_texts,
    annotation_status,
    annotator_version,
    count_pending_annotations,
    default_workers,
    save_annotation_result,
    worker_result,
)
from parallax.compare import (
    Edited,
    Lexicon,
    Source,
    compare,
    configured_lexicon,
    mark_edits,
    report,
    story_order,
)
from parallax.errors import ParallaxError, UsageError
from parallax.ingest import (
    ProgressHook,
    RunSummary,
    WrittenHook,
    article_from_draft,
    band_keys,
    content_hash,
    discover,
    ingest_into,
    ingest_results,
    kind_of,
    load_manifest,
    misnamed_input,
    parse_published,
    read_input,
    read_jsonl_range,
    read_parquet,
)
from parallax.model import (
    VERSION,
    Annotations,
    Article,
    Draft,
    IngestSummary,
    Metadata,
    Rejected,
    Report,
    StoryReport,
)
from parallax.settings import Settings
from parallax.store import (
    Finding,
    Repair,
    Revision,
    Store,
    StoryRecord,
    StoryStore,
    check_invariants,
    repair_derived,
)
from parallax.stories import (
    ClusterHook,
    ClusterSummary,
    OrderedPlacement,
    StoryRun,
    cluster_store,
    main_stories,
    owner_groups,
    story_actors,
    story_detail,
)
from parallax.stories import find_stories as browse_stories
from parallax.text import WORD, moment
from parallax.text.diff import word_diff

__all__ = [
    "ANNOTATOR_VERSION",
    "AnnotateHook",
    "ClusterHook",
    "ClusterSummary",
    "Failed",
    "IngestOptions",
    "Prepared",
    "ProgressHook",
    "RunSummary",
    "StoryRun",
    "WorkerPool",
    "WrittenHook",
    "analyze",
    "annotate_and_cluster_in",
    "annotate_in",
    "annotate_store",
    "annotation_status",
    "article_diff",
    "article_document",
    "article_record",
    "build_report",
    "check_store",
    "cluster_store",
    "comparison_workers",
    "count_inputs",
    "count_pending_annotations",
    "count_stale_reports",
    "default_workers",
    "discover",
    "find_stories",
    "ingest",
    "ingest_drafts",
    "ingest_workers",
    "kept_story_report",
    "kind_of",
    "load_manifest",
    "load_prepared",
    "main_stories",
    "outlets",
    "prepare",
    "read_part",
    "refresh_reports",
    "refresh_reports_in",
    "repair_store",
    "report_version",
    "search_query",
    "stories_of_outlet",
    "story_detail",
    "story_of_article",
    "story_report",
    "story_version",
]


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
) -> RunSummary:
    """Ingest files and directories into the store; bad inputs are quarantined, never fatal."""
    options = options or IngestOptions()
    user = options.user_metadata()
    manifest = load_manifest(options.manifest) if options.manifest else {}
    return ingest_into(store, paths, user, manifest, options.settings, progress)


def ingest_drafts(
    results: Iterable[Draft | Rejected],
    store: Store,
    options: IngestOptions | None = None,
    progress: ProgressHook | None = None,
    written: WrittenHook | None = None,
) -> RunSummary:
    """Ingest articles read elsewhere (fetched pages, feed items: the sources wing) as
    files are ingested; rejections are quarantined, never fatal. ``written(result,
    article_id)`` runs in each result's transaction (a feed marks its entry seen there)."""
    options = options or IngestOptions()
    user = options.user_metadata()
    return ingest_results(store, results, user, options.settings, progress, written)


def count_inputs(paths: Iterable[Path]) -> int:
    """How many files ``ingest`` will read: the total of a progress bar."""
    return sum(1 for item in discover(paths) if item.explicit or kind_of(item.path))


POOL_FROM_BYTES = 128 * 1024
"""Inputs of at least this size start the annotation workers before they are read: about
32 news articles in JSONL or text, two batches, from which :func:`annotate_store` starts
them too (for a few large HTML pages they cost CPU, not time: they load while the writer
reads)."""


@contextmanager
def ingest_workers(
    paths: Sequence[Path], workers: int, settings: Settings
) -> Iterator[WorkerPool | None]:
    """The annotation workers of an ingest, started before its inputs are read, so that
    each loads spaCy (seconds) while the writer reads and stores: the writer then finds
    them ready instead of waiting. None when ``workers`` is 1 or the inputs are small
    (see :data:`POOL_FROM_BYTES`); :func:`annotate_store` then decides as usual. Use the
    pool for annotation (:func:`annotate_in`) and comparison (:func:`refresh_reports_in`)."""
    if workers < 2 or _input_bytes(paths, settings.max_file_bytes) < POOL_FROM_BYTES:
        yield None
        return
    with WorkerPool(workers) as pool:
        yield pool.start()


def annotate_and_cluster_in(
    pool: WorkerPool,
    store: Store,
    *,
    annotated: AnnotateHook | None = None,
    clustered: ClusterHook | None = None,
    cluster_batch: int = 256,
) -> tuple[int, ClusterSummary]:
    """Annotate in the pool's workers while this writer places the annotated articles in
    their stories: the articles are sent to the workers in the order the stories take
    them (publication order), and each batch of that order is placed once it is all
    annotated, so the writer's clustering runs beside the workers instead of after them.
    The store ends as with :func:`annotate_in` then :func:`cluster_store`, whatever the
    number of workers (:class:`~parallax.stories.OrderedPlacement` keeps the batches).
    ``cluster_batch``: articles a clustering transaction, as :func:`cluster_store` has
    them. Returns (articles annotated, what clustering did)."""
    placement = OrderedPlacement(store, batch_size=cluster_batch, progress=clustered)
    unannotated = store.unannotated_ids()
    first = [article_id for article_id in placement.order if article_id in unannotated]
    placement.wait_for(set(first))
    done = annotate_in(pool, store, progress=annotated, first=first, written=placement.ready)
    return done, placement.finish()


COMPARE_POOL_FROM = 64
"""Articles to place in stories from which :func:`comparison_workers` starts processes:
fewer make a few stories, compared sooner here than workers start (about a second)."""


@contextmanager
def comparison_workers(store: Store, workers: int) -> Iterator[WorkerPool | None]:
    """Processes for the comparisons after a load of shards (:func:`refresh_reports_in`),
    started before the stories are placed so they are up when the comparing starts. They
    do not load spaCy: the shards are annotated. None for one worker or little work."""
    if workers < 2 or StoryStore(store).count_unclustered() < COMPARE_POOL_FROM:
        yield None
        return
    with WorkerPool(workers, annotates=False) as pool:
        yield pool.start()


def _input_bytes(paths: Sequence[Path], cap: int) -> int:
    """The size of the files ``ingest`` will read (a file over the size cap is refused
    unread, so it counts for nothing); stops counting at :data:`POOL_FROM_BYTES`."""
    total = 0
    for item in discover(paths):
        if total >= POOL_FROM_BYTES:
            break
        if item.explicit or kind_of(item.path):
            try:
                size = item.path.stat().st_size
            except OSError:
                continue
            total += size if size <= cap else 0
    return total


# -- stories ------------------------------------------------------------------------------


def find_stories(
    store: Store,
    *,
    outlet: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    search: str | None = None,
    min_sources: int | None = None,
    has_conflicts: bool | None = None,
    order: str = "recent",
    limit: int | None = None,
    offset: int = 0,
) -> list[StoryRecord]:
    """Live stories, newest first (see :func:`parallax.stories.find_stories`);
    ``since``/``until`` are ISO dates or times (a date alone: the whole day); ``search``
    is an FTS5 query (see :func:`search_query` to make one of a user's words)."""
    return browse_stories(
        store,
        outlet=outlet,
        actor=actor,
        since=_bound(since, "--since", end_of_day=False),
        until=_bound(until, "--until", end_of_day=True),
        search=search,
        min_groups=min_sources,
        has_conflicts=has_conflicts,
        order=order,
        limit=limit,
        offset=offset,
    )


def search_query(words: str, *, most: int = 16) -> str | None:
    """An FTS5 query that matches texts holding every word of ``words`` (a user's search
    box), each word quoted so that no FTS5 syntax (``NEAR``, ``*``, ``:``, quotes) can be
    injected; None when there is no word. At most ``most`` words are kept."""
    found = WORD.findall(words)[:most]
    return " ".join(f'"{word}"' for word in found) or None


def story_version(
    store: Store, story_id: str, version: str | None = None
) -> tuple[str, str] | None:
    """``(live id, version)`` of the story an id names, the version a report of it is
    current at; cheap (one row), so readers can check a cached report on every request."""
    stories = StoryStore(store)
    live = stories.resolve(story_id)
    revision = stories.revision(live) if live else None
    if live is None or revision is None:
        return None
    return live, f"{revision}:{version or report_version()}"


def story_of_article(store: Store, article_id: str) -> str | None:
    """The live story an article belongs to, if it is in one."""
    stories = StoryStore(store)
    found = stories.story_of(article_id)
    return stories.resolve(found) if found else None


def article_document(store: Store, article_id: str) -> dict[str, Any] | None:
    """One article as ``parallax.article/1`` with what the store knows beside it: its
    ``revisions`` (oldest first, each with when it was served and read, its title and
    text; empty when the article was never seen changed) and its live ``story``."""
    article = store.article(article_id)
    return None if article is None else article_record(store, article)


def article_record(store: Store, article: Article) -> dict[str, Any]:
    """:func:`article_document` of an article already read (an export's loop)."""
    story = story_of_article(store, article.id)  # reads the store's outlet pairs first
    document = article.to_json()
    document["revisions"] = [r.to_json() for r in store.revisions(article.id)]
    document["story"] = story
    return document


def article_diff(
    store: Store, article_id: str, older: int | None = None, newer: int | None = None
) -> tuple[Revision, Revision, list[tuple[str, str]]] | None:
    """The word diff between two revisions of an article (numbers as stored; default:
    the first and the latest); None when the article has fewer than two revisions. An
    unknown article is E040, an unknown revision number E043."""
    if store.article(article_id) is None:
        raise ParallaxError("E040", article_id)
    found = store.revisions(article_id)
    if len(found) < 2:
        return None
    by_number = {r.number: r for r in found}
    for number in (older, newer):
        if number is not None and number not in by_number:
            raise UsageError("E043", f"{article_id} revision {number}", str(sorted(by_number)))
    first = by_number[older] if older is not None else found[0]
    last = by_number[newer] if newer is not None else found[-1]
    return first, last, list(word_diff(first.text, last.text))


def outlets(store: Store) -> list[str]:
    """Every outlet with an article in a story, in alphabetical order."""
    return sorted(StoryStore(store).outlets(), key=str.casefold)


def stories_of_outlet(store: Store, outlet: str, *, limit: int = 200) -> list[str]:
    """The newest ``limit`` live stories with an article from ``outlet``."""
    return StoryStore(store).stories_of_outlet(outlet, limit)


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


def story_report(
    store: Store,
    story_id: str,
    *,
    lexicon: Lexicon | None = None,
    independence: str = "outlet",
) -> StoryReport | None:
    """The comparison of one story (a ``parallax.report/1`` story); an id merged away
    gives the story it went into; None when unknown. ``lexicon``: the framing lexicon
    (default: the built-in one); ``independence``: ``outlet`` or ``owner`` (outlets of
    one parent company count as one source, see :func:`parallax.stories.owner_groups`)."""
    stories = StoryStore(store)
    found = stories.live(story_id)
    if found is None:
        return None
    record, members = found
    groups = {m.article.id: m.group for m in members}
    if independence == "owner":
        outlets = {m.article.id: m.article.outlet for m in members}
        order = [m.article.id for m in sorted(members, key=lambda m: m.position)]
        groups = owner_groups(groups, outlets, order)
    sources = story_order([Source(m.article, groups[m.article.id], m.relays) for m in members])
    actors = story_actors((s.article.id, s.article.annotations) for s in sources)
    made = compare(
        record.id,
        sources,
        actors,
        title=record.title,
        summary=record.summary,
        outlets=stories.outlets(),
        lexicon=lexicon,
    )
    mark_edits(made, _edited(store, [s.article for s in sources]))
    return made


def _edited(store: Store, articles: Sequence[Article]) -> dict[str, Edited]:
    """The articles of a story that were edited after publication, with their first text."""
    found = {}
    revised = store.revised([a.id for a in articles])
    for article in (a for a in articles if a.id in revised):
        revisions = store.revisions(article.id)
        if len(revisions) > 1:
            first = revisions[0]
            found[article.id] = Edited(
                first.number, first.text, article.text, first.title, article.title
            )
    return found


def report_version(settings: Settings | None = None) -> str:
    """What a story's comparison depends on besides the story itself: the code version,
    the independence setting, and the framing lexicon files and the user's outlet table
    (their paths, sizes and change times: an outlet added to the table renames or joins
    outlets of unchanged stories). A kept report made under another value is stale."""
    settings = settings or Settings.from_env()
    digest = hashlib.sha256(settings.independence.encode())
    paths = [p for p in settings.lexicon.split(os.pathsep) if p.strip()]
    paths += [settings.outlets] if settings.outlets.strip() else []
    for path in sorted(paths):
        files = sorted(Path(path).rglob("*.tsv")) if Path(path).is_dir() else [Path(path)]
        for file in files:
            stat = file.stat() if file.exists() else None
            digest.update(
                f"{file}\0{stat and stat.st_size}\0{stat and stat.st_mtime_ns}\0".encode()
            )
    return f"{VERSION}+{digest.hexdigest()[:12]}"


def kept_story_report(
    store: Store,
    story_id: str,
    *,
    version: str | None = None,
    lexicon: Lexicon | None = None,
    independence: str = "outlet",
) -> tuple[StoryReport, str] | None:
    """A story's comparison and the version it is current at (``{revision}:{version}``):
    the kept one when it is current, else computed now (and kept, when the store is open
    for writing). An id merged away gives the story it went into; None when unknown.
    ``version``: :func:`report_version` (default: from the environment)."""
    stories = StoryStore(store)
    live = stories.resolve(story_id)
    revision = stories.revision(live) if live else None
    if live is None or revision is None:
        return None
    current = f"{revision}:{version or report_version()}"
    kept = stories.kept_report(live)
    if kept is not None and kept[0] == current:
        found: StoryReport = json.loads(kept[1])
        return found, current
    made = story_report(store, live, lexicon=lexicon, independence=independence)
    if made is None:
        return None
    if not store.readonly:
        with store.transaction():
            stories.keep_report(live, current, *_as_kept(made))
    return made, current


def count_stale_reports(store: Store, settings: Settings | None = None) -> int:
    """How many stories :func:`refresh_reports` would compare: the total of a progress bar."""
    stories = StoryStore(store)
    return len(stories.stale_reports(report_version(settings)))


def refresh_reports(
    store: Store,
    settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Compare every story of two or more articles whose kept report is stale, and keep
    the new report, one transaction per story; the number compared. Readers (the web
    server, exports) then read a story's comparison instead of recomputing it.
    ``progress(done, total)`` is called after each story."""
    settings = settings or Settings.from_env()
    lexicon = configured_lexicon(settings.lexicon)
    stories = StoryStore(store)
    version = report_version(settings)
    stale = stories.stale_reports(version)
    for done, story_id in enumerate(stale, 1):
        made = _kept_form(store, story_id, lexicon, settings.independence)
        _keep(store, story_id, version, made)
        if progress:
            progress(done, len(stale))
    return len(stale)


def refresh_reports_in(
    pool: WorkerPool,
    store: Store,
    settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """:func:`refresh_reports` with the comparisons made in the pool's workers, each
    reading the store on its own read-only connection (a story's report is a function of
    the store alone), and kept by this writer in the same order, so the store ends the
    same. Comparing is the largest serial step after annotation: here it is shared."""
    settings = settings or Settings.from_env()
    configured_lexicon(settings.lexicon)  # a lexicon file that cannot be used: E060 here
    version = report_version(settings)
    stale = StoryStore(store).stale_reports(version)
    pending: deque[tuple[str, Future[KeptForm]]] = deque()
    done = 0

    def keep_oldest() -> None:
        nonlocal done
        story_id, made = pending.popleft()
        _keep(store, story_id, version, worker_result(made))
        done += 1
        if progress:
            progress(done, len(stale))

    for story_id in stale:
        pending.append((story_id, pool.call(_kept_form_in_worker, store.path, story_id, settings)))
        while len(pending) > 2 * pool.size:
            keep_oldest()
    while pending:
        keep_oldest()
    return len(stale)


KeptForm = tuple[int, str, tuple[int, int, int]] | None
"""A story's report as kept: ``(revision it was made at, JSON text, counts)``; None for a
story that is gone."""


def _kept_form(store: Store, story_id: str, lexicon: Lexicon, independence: str) -> KeptForm:
    """A story's comparison, ready to keep (see :data:`KeptForm`)."""
    stories = StoryStore(store)
    revision = stories.revision(story_id)  # before: a change meanwhile makes it stale
    made = story_report(store, story_id, lexicon=lexicon, independence=independence)
    if made is None or revision is None:
        return None
    return (revision, *_as_kept(made))


def _as_kept(made: StoryReport) -> tuple[str, tuple[int, int, int]]:
    """A report's JSON text and its counts (conflicts, facts, corroborated facts)."""
    facts = made["facts"]
    corroborated = sum(1 for fact in facts if fact["status"] == "corroborated")
    return json.dumps(made, ensure_ascii=False), (len(made["conflicts"]), len(facts), corroborated)


_READERS: dict[Path, Store] = {}
"""A worker's read-only connection to each store it compares stories of, opened once."""


def _kept_form_in_worker(path: Path, story_id: str, settings: Settings) -> KeptForm:
    reader = _READERS.get(path)
    if reader is None:
        reader = _READERS[path] = Store.open_readonly(path)
    lexicon = configured_lexicon(settings.lexicon)
    return _kept_form(reader, story_id, lexicon, settings.independence)


def _keep(store: Store, story_id: str, version: str, made: KeptForm) -> None:
    if made is not None:
        revision, text, counts = made
        with store.transaction():
            StoryStore(store).keep_report(story_id, f"{revision}:{version}", text, counts)


def build_report(
    store: Store,
    story_ids: Sequence[str] | None = None,
    *,
    limit: int | None = None,
    settings: Settings | None = None,
) -> Report:
    """A ``parallax.report/1`` document for the given stories (default: the main ones,
    see :func:`main_stories`): each story's kept report when it is current, else compared
    now (see :func:`kept_story_report`). An unknown id is an error (E042). ``settings`` (default:
    read from the environment, once) name the user's framing lexicon files."""
    settings = settings or Settings.from_env()
    lexicon = configured_lexicon(settings.lexicon)
    version = report_version(settings)
    ids = list(story_ids) if story_ids else main_stories(store, limit=limit)
    stories = []
    for story_id in ids:
        found = kept_story_report(
            store,
            story_id,
            version=version,
            lexicon=lexicon,
            independence=settings.independence,
        )
        if found is None:
            raise ParallaxError("E042", story_id)
        stories.append(found[0])
    return report(stories)


def analyze(
    paths: Sequence[Path],
    options: IngestOptions | None = None,
    *,
    limit: int | None = None,
    progress: ProgressHook | None = None,
) -> tuple[Report, IngestSummary]:
    """One shot: ingest ``paths`` into a temporary store, annotate, fold into stories,
    compare; the report of every story (biggest first, single articles included when
    nothing else is there) and the ingest summary. Nothing is left on disk."""
    with (
        tempfile.TemporaryDirectory(prefix="parallax-") as folder,
        Store.open(Path(folder) / "analyze.db") as store,
    ):
        summary = ingest(paths, store, options, progress=progress)
        summary.annotated = annotate_store(store)
        cluster_store(store)
        ids = main_stories(store, limit=limit) or main_stories(store, limit=limit, min_articles=1)
        settings = (options or IngestOptions()).settings
        return build_report(store, ids, settings=settings), summary


# -- checking a store ---------------------------------------------------------------------


def check_store(
    store: Store, *, quick: bool = False, progress: Callable[[int], None] | None = None
) -> list[Finding]:
    """SQLite's integrity check and Parallax's invariants (see :mod:`parallax.store.check`),
    the near-duplicate keys recomputed as ingest makes them. ``progress(n)``: n more
    articles read by the per-article checks."""
    return check_invariants(store, band_keys, quick=quick, progress=progress)


def repair_store(
    store: Store, findings: Sequence[Finding], progress: Callable[[int], None] | None = None
) -> list[Repair]:
    """Rebuild the derived data that failed ``findings`` are about (a store open for
    writing); articles are never changed. Run :func:`check_store` again to see the result."""
    return repair_derived(store, findings, band_keys, progress=progress)


# -- batch: the per-article stages where the data is, one writer for the store ------------


@dataclass(frozen=True)
class Prepared:
    """One result of reading an input part, made ready away from the store: a rejection,
    or an article (metadata applied, id given) with its annotations. ``annotations`` is
    None for a repeat of an earlier article of the same part (same id and text)."""

    result: Draft | Rejected
    article: Article | None = None
    content_key: str | None = None
    annotations: Annotations | Failed | None = None
    annotator: str | None = None


def read_part(
    path: Path,
    settings: Settings,
    *,
    start: int = 0,
    end: int | None = None,
    first: int = 1,
    row_groups: Sequence[int] | None = None,
    source: str | None = None,
) -> Iterator[Draft | Rejected]:
    """The articles of part of an input file, as :func:`ingest` reads them: the lines of
    a JSONL file that begin in bytes ``[start, end)`` (the first is line ``first``), some
    row groups of a Parquet file, or the whole file. ``source``: the name to give them
    (a url the file was copied from)."""
    misnamed = None if source else misnamed_input(path)
    if misnamed is not None:  # E014: a name that no shard or store column can hold
        yield misnamed
        return
    if end is not None:
        yield from read_jsonl_range(path, settings, start, end, first, source)
    elif row_groups is not None:
        try:
            yield from read_parquet(path, settings, row_groups)
        except ParallaxError as error:
            yield Rejected(error.source, error.record, error.code, error.reason)
    else:
        for result in read_input(path, settings):
            yield _renamed(result, source) if source else result


def _renamed(result: Draft | Rejected, source: str) -> Draft | Rejected:
    if isinstance(result, Draft):
        return replace(result, source=source)
    return replace(result, source=source, reason=result.reason.replace(result.source, source))


def prepare(
    results: Iterable[Draft | Rejected], meta: Metadata, *, annotate: bool = True
) -> list[Prepared]:
    """Give each read article its id and metadata (``meta`` wins, as in :func:`ingest`)
    and annotate it (each distinct article once): everything of the per-article pipeline
    that needs no store, so that it can run on any machine. Copies across parts and story
    assignment wait for :func:`load_prepared`, which sees every article in order."""
    made: list[Prepared] = []
    seen: set[tuple[str, str]] = set()
    todo: list[int] = []
    for result in results:
        if isinstance(result, Rejected):
            made.append(Prepared(result))
            continue
        article = article_from_draft(result, meta)
        key = content_hash(article.text)
        if (article.id, key) not in seen:
            seen.add((article.id, key))
            todo.append(len(made))
        made.append(Prepared(result, article, key))
    if annotate and todo:
        items = [made[i].article for i in todo]
        found = annotate_texts(
            [(a.text, a.published_at, a.language) for a in items if a is not None]
        )
        current = annotator_version()
        for index, annotations in zip(todo, found, strict=True):
            made[index] = replace(made[index], annotations=annotations, annotator=current)
    return made


def load_prepared(
    store: Store,
    items: Iterable[Prepared],
    settings: Settings | None = None,
    progress: ProgressHook | None = None,
) -> RunSummary:
    """Store prepared articles as :func:`ingest` stores read ones, in the order given:
    copies are recognised against everything stored, a changed text becomes a revision,
    a rejection is quarantined; each article's annotations are kept with it when they
    are of its current text and it has none yet, so what is left unannotated (a repeat,
    a part loaded without annotations) is annotated afterwards as usual."""
    settings = settings or Settings.from_env()
    current: list[Prepared] = []

    def results() -> Iterator[Draft | Rejected]:
        for item in items:
            current[:] = [item]
            yield _as_stored(item)

    def written(result: Draft | Rejected, article_id: str | None) -> None:
        item = current[0]
        if article_id is None or item.annotations is None or item.annotator is None:
            return
        if store.content_key(article_id) != item.content_key:
            return  # an older text of the article: its latest text is what is annotated
        if store.annotator_of(article_id) is None:
            save_annotation_result(store, article_id, item.annotations, item.annotator)

    return ingest_results(store, results(), Metadata(), settings, progress, written)


def _as_stored(item: Prepared) -> Draft | Rejected:
    """The draft whose metadata is the prepared article's: stored, it becomes exactly that
    article (its id, outlet and extra fields), so loading needs no user metadata."""
    article = item.article
    if article is None or not isinstance(item.result, Draft):
        return item.result
    meta = Metadata(
        outlet=article.outlet,
        url=article.url,
        title=article.title,
        author=article.author,
        published_at=article.published_at,
        language=article.language,
    )
    extra = dict(article.extra)
    if item.result.record is not None:
        extra.pop("record", None)  # article_from_draft puts it back
    return Draft(article.text, meta, article.source, item.result.record, extra)
