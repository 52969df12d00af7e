"""Live sources: the one door through which Parallax reads the network.

Everything that fetches (``parallax ingest URL``, ``parallax watch FEED``, robots.txt)
goes through :class:`Fetcher`, so the rules of the reliability contract live in one place:
no private or loopback address reached (checked where the socket is opened, against DNS
rebinding), every redirect re-checked, timeouts and a deadline, a byte cap after
decompression, content types checked, robots.txt honoured, each host asked politely.
"""

from parallax.sources.connect import address_refusal
from parallax.sources.feeds import FEED_TYPES, Feed, Subscription, parse_feed, read_opml
from parallax.sources.fetch import ANY, HTML, Fetched, Fetcher, FetchPolicy
from parallax.sources.pages import fetch_pages, is_url
from parallax.sources.run import ingest_urls
from parallax.sources.watch import PollResult, Watcher, WatchOptions, add_sources, filled_from_feed

__all__ = [
    "ANY",
    "FEED_TYPES",
    "HTML",
    "Feed",
    "FetchPolicy",
    "Fetched",
    "Fetcher",
    "PollResult",
    "Subscription",
    "WatchOptions",
    "Watcher",
    "add_sources",
    "address_refusal",
    "fetch_pages",
    "filled_from_feed",
    "ingest_urls",
    "is_url",
    "parse_feed",
    "read_opml",
]
