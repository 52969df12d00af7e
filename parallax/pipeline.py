"""The one place that runs the stages in order and talks to the store.

Today: read inputs, give each article its id and metadata, detect near-duplicates
and wire copies, store, quarantine what failed. Later stages (annotate, stories,
compare) are called from here too, so the CLI, the web layer and batch runners
all share one sequence.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from parallax.annotate import (
    AnnotateHook,
    annotate_store,
    annotation_status,
    count_pending_annotations,
)
from parallax.compare import Lexicon, Source, compare, configured_lexicon, report, story_order
from parallax.errors import ParallaxError, UsageError
from parallax.ingest import (
    ProgressHook,
    discover,
    ingest_into,
    kind_of,
    load_manifest,
    parse_published,
)
from parallax.model import IngestSummary, Metadata, Report, StoryReport
from parallax.settings import Settings
from parallax.store import Store, StoryRecord, StoryStore
from parallax.stories import (
    ClusterHook,
    ClusterSummary,
    StoryRun,
    cluster_store,
    main_stories,
    story_actors,
    story_detail,
)
from parallax.stories import find_stories as browse_stories
from parallax.text import moment

__all__ = [
    "AnnotateHook",
    "ClusterHook",
    "ClusterSummary",
    "IngestOptions",
    "ProgressHook",
    "StoryRun",
    "analyze",
    "annotate_store",
    "annotation_status",
    "build_report",
    "cluster_store",
    "count_inputs",
    "count_pending_annotations",
    "find_stories",
    "ingest",
    "main_stories",
    "story_detail",
    "story_report",
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
) -> IngestSummary:
    """Ingest files and directories into the store; bad inputs are quarantined, never fatal."""
    options = options or IngestOptions()
    user = options.user_metadata()
    manifest = load_manifest(options.manifest) if options.manifest else {}
    return ingest_into(store, paths, user, manifest, options.settings, progress)


def count_inputs(paths: Iterable[Path]) -> int:
    """How many files ``ingest`` will read: the total of a progress bar."""
    return sum(1 for item in discover(paths) if item.explicit or kind_of(item.path))


# -- stories ------------------------------------------------------------------------------


def find_stories(
    store: Store,
    *,
    outlet: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> list[StoryRecord]:
    """Live stories, newest first (see :func:`parallax.stories.find_stories`);
    ``since``/``until`` are ISO dates or times (a date alone: the whole day)."""
    return browse_stories(
        store,
        outlet=outlet,
        actor=actor,
        since=_bound(since, "--since", end_of_day=False),
        until=_bound(until, "--until", end_of_day=True),
        limit=limit,
    )


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
    store: Store, story_id: str, *, lexicon: Lexicon | None = None
) -> StoryReport | None:
    """The comparison of one story (a ``parallax.report/1`` story); an id merged away
    gives the story it went into; None when unknown. ``lexicon``: the framing lexicon
    (default: the built-in one)."""
    stories = StoryStore(store)
    found = stories.live(story_id)
    if found is None:
        return None
    record, members = found
    sources = story_order([Source(m.article, m.group, m.relays) for m in members])
    actors = story_actors((s.article.id, s.article.annotations) for s in sources)
    return compare(
        record.id,
        sources,
        actors,
        title=record.title,
        summary=record.summary,
        outlets=stories.outlets(),
        lexicon=lexicon,
    )


def build_report(
    store: Store,
    story_ids: Sequence[str] | None = None,
    *,
    limit: int | None = None,
    settings: Settings | None = None,
) -> Report:
    """A ``parallax.report/1`` document for the given stories (default: the main ones,
    see :func:`main_stories`). An unknown id is an error (E042). ``settings`` (default:
    read from the environment, once) name the user's framing lexicon files."""
    lexicon = configured_lexicon((settings or Settings.from_env()).lexicon)
    ids = list(story_ids) if story_ids else main_stories(store, limit=limit)
    stories = []
    for story_id in ids:
        found = story_report(store, story_id, lexicon=lexicon)
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
