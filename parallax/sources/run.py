"""What the sources wing does with the pipeline: pages fetched by url, then stored,
annotated and folded into stories exactly as files are."""

from __future__ import annotations

from collections.abc import Sequence

from parallax.ingest import RunSummary
from parallax.pipeline import IngestOptions, ProgressHook, ingest_drafts
from parallax.sources.fetch import Fetcher, FetchPolicy
from parallax.sources.pages import fetch_pages
from parallax.store import Store


def ingest_urls(
    urls: Sequence[str],
    store: Store,
    options: IngestOptions | None = None,
    progress: ProgressHook | None = None,
) -> RunSummary:
    """Fetch each url through the safe fetcher (its policy from ``options.settings``) and
    ingest the page; a refused, failed or empty page is quarantined with its reason."""
    options = options or IngestOptions()
    with Fetcher(FetchPolicy.from_settings(options.settings)) as fetcher:
        pages = fetch_pages(urls, fetcher, options.settings)
        return ingest_drafts(pages, store, options, progress)
