"""Article pages by their urls: fetched through the one :class:`Fetcher`, read like
``.html`` files, each failure a quarantine entry naming the url and the reason."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from parallax.errors import ParallaxError
from parallax.ingest import page_draft
from parallax.model import Draft, Rejected
from parallax.settings import Settings
from parallax.sources.fetch import HTML, Fetcher


def is_url(value: str) -> bool:
    """Whether a command-line input names a web page rather than a file."""
    return value.lower().startswith(("http://", "https://"))


def fetch_pages(
    urls: Iterable[str], fetcher: Fetcher, settings: Settings
) -> Iterator[Draft | Rejected]:
    """One draft (or rejection) per url, in order. The article's url is where the
    redirects ended; the url asked for and the serving time are kept in ``extra``."""
    for url in urls:
        try:
            fetched = fetcher.fetch(url, accept=HTML)
            draft = page_draft(
                fetched.body,
                source=url,
                url=fetched.final_url,
                charset=fetched.charset,
                fetched_at=fetched.fetched_at,
                limit=settings.max_article_bytes,
            )
        except ParallaxError as error:
            yield Rejected(error.source or url, None, error.code, error.reason)
            continue
        except Exception as exc:  # a library bug on one page must not stop the others
            bug = ParallaxError("E099", url, f"{type(exc).__name__}: {exc}")
            yield Rejected(url, None, bug.code, bug.reason)
            continue
        if fetched.final_url != url:
            draft.extra["requested_url"] = url
        yield draft
