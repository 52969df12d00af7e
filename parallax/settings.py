"""One table of settings: name, default, help. Each can be set from the environment.

The table drives the values the code reads and the settings section of the docs
(``docs/settings.md`` is checked against it by a test), so the two cannot drift.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from parallax.errors import UsageError
from parallax.text.outlets import read_outlets_file


@dataclass(frozen=True)
class Setting:
    """One setting. Numbers have an allowed range ``[minimum, maximum]`` (``None``: open),
    checked when the value is read, so a bad value is a usage error naming the variable,
    never a crash far from where it was set."""

    name: str
    default: int | float | str
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    """For a string setting: the values it may take (empty: any)."""

    @property
    def env(self) -> str:
        return "PARALLAX_" + self.name.upper()

    @property
    def allowed(self) -> str:
        """The allowed values, in words (for messages and the docs)."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        kind = {int: "an integer", float: "a number"}.get(type(self.default), "a string")
        if self.minimum is not None and self.maximum is not None:
            return f"{kind} from {_number(self.minimum)} to {_number(self.maximum)}"
        if self.minimum is not None:
            return f"{kind} of at least {_number(self.minimum)}"
        return kind

    def parse(self, raw: str) -> int | float | str:
        """The value of the environment string ``raw``, or a catalogued usage error (E013)."""
        value: int | float | str
        try:
            value = type(self.default)(raw.strip()) if not isinstance(self.default, str) else raw
        except ValueError:
            raise self._invalid(raw) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self._invalid(raw)
        if isinstance(value, int | float) and not self._in_range(value):
            raise self._invalid(raw)
        if self.choices and value not in self.choices:
            raise self._invalid(raw)
        return value

    def _in_range(self, value: float) -> bool:
        low_ok = self.minimum is None or value >= self.minimum
        return low_ok and (self.maximum is None or value <= self.maximum)

    def _invalid(self, raw: str) -> UsageError:
        return UsageError("E013", self.env, f"{raw!r}: must be {self.allowed}")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "parallax.db", "Path of the SQLite store used when --db is not given."),
    Setting(
        "max_article_bytes",
        5 * 1024 * 1024,
        "Largest single article (a .txt/.html file or one JSON record), in bytes after "
        "decompression. Guards memory against huge or decompression-bomb inputs.",
        minimum=1,
    ),
    Setting(
        "max_file_bytes",
        512 * 1024 * 1024,
        "Largest .json file (read whole), in bytes after decompression. JSONL is streamed "
        "and limited per line by max_article_bytes instead.",
        minimum=1,
    ),
    Setting(
        "near_duplicate_threshold",
        0.8,
        "Estimated Jaccard similarity of word 3-shingles above which an article is a "
        "near-duplicate (same outlet) or a wire copy (another outlet) of an earlier one.",
        minimum=0.01,
        maximum=1.0,
    ),
    Setting(
        "minhash_permutations",
        120,
        "MinHash signature length (stored per article). The store records it: a store made "
        "with another value is refused (E032).",
        minimum=8,
        maximum=1024,
    ),
    Setting(
        "minhash_bands",
        20,
        "LSH bands over the signature. 20 bands of 6 rows make a pair with Jaccard 0.8 a "
        "candidate with probability 0.998 (0.6: 0.6), before the exact check on signatures. "
        "At most the number of permutations, with two rows a band or more; recorded by the "
        "store like the permutations.",
        minimum=1,
        maximum=512,
    ),
    Setting("commit_every", 200, "Articles written per transaction during ingest.", minimum=1),
    Setting(
        "workers",
        0,
        "Annotation processes of ingest, annotate and watch when --workers is not given "
        "(0: one per core this process may use). Each loads its own spaCy pipeline: about "
        "300 MB; see docs/scale.md.",
        minimum=0,
        maximum=256,
    ),
    Setting(
        "lexicon",
        "",
        "Extra framing lexicon files or folders of .tsv files (separated by the path "
        "separator, ':' on Unix), read after the built-in lexicon; see docs/framing.md.",
    ),
    Setting(
        "independence",
        "outlet",
        "What counts as one independent source in a report: `outlet` (copies and relays "
        "count with their origin) or `owner` (also, outlets with one parent company in the "
        "outlet table count once: the Wall Street Journal and the New York Post).",
        choices=("outlet", "owner"),
    ),
    Setting(
        "outlets",
        "",
        "A user outlet table: a tab-separated file with the columns of the shipped one "
        "(name, domains, aliases, parent, country, language; domains and aliases separated "
        "by |), read over it: a row adds an outlet, or overrides the shipped row that has "
        "its name. A broken file is a usage error naming the line (E061).",
    ),
    Setting(
        "fetch_timeout",
        10.0,
        "Seconds a fetch waits to connect, and for each read, before it gives up (a timeout "
        "is retried).",
        minimum=0.1,
        maximum=600,
    ),
    Setting(
        "fetch_deadline",
        30.0,
        "Seconds one fetch may take in all (redirects, retries, the whole body), so a server "
        "that sends a byte a second is cut. Waiting for a host's turn is not counted.",
        minimum=0.1,
        maximum=3600,
    ),
    Setting(
        "fetch_max_bytes",
        10 * 1024 * 1024,
        "Largest response body fetched, in bytes after decompression, counted while it "
        "streams: a gzip bomb is cut, not inflated.",
        minimum=1,
    ),
    Setting(
        "fetch_delay",
        1.0,
        "Least seconds between two requests to the same host, from the end of one (and "
        "from its start) to the start of the next; a robots.txt Crawl-delay, up to 30 s, "
        "raises it for that site.",
        minimum=0,
        maximum=600,
    ),
    Setting(
        "fetch_connections_per_host",
        2,
        "Most requests Parallax has open to one host at a time.",
        minimum=1,
        maximum=8,
    ),
    Setting(
        "fetch_retries",
        2,
        "Retries of a fetch after a timeout, a failed connection, a 5xx or a 429, with "
        "exponential backoff; other 4xx are never retried.",
        minimum=0,
        maximum=10,
    ),
    Setting(
        "fetch_contact",
        "",
        "How a site's operator can reach whoever runs Parallax (a url or an e-mail address), "
        "sent in the User-Agent: Parallax/VERSION (+contact).",
    ),
    Setting(
        "allow_private",
        0,
        "1 lets fetches reach loopback, private, link-local and shared addresses (an "
        "intranet, a test server); 0 refuses them (E070). Cloud metadata, multicast and "
        "reserved addresses are refused either way.",
        minimum=0,
        maximum=1,
    ),
    Setting(
        "watch_item_attempts",
        3,
        "Polls on which `parallax watch` tries a feed entry's page before it gives the "
        "entry up (a page not yet online, a 404, a server error); `parallax feeds` lists "
        "the entries given up.",
        minimum=1,
        maximum=100,
    ),
    Setting(
        "watch_max_backoff",
        86400.0,
        "Longest wait, in seconds, before a feed that keeps failing is polled again: after "
        "n failures in a row it waits the interval times 2^n, up to this.",
        minimum=1,
        maximum=30 * 86400,
    ),
)


@dataclass(frozen=True)
class Settings:
    """The resolved values: defaults, overridden by PARALLAX_* environment variables."""

    db: str
    max_article_bytes: int
    max_file_bytes: int
    near_duplicate_threshold: float
    minhash_permutations: int
    minhash_bands: int
    commit_every: int
    workers: int
    lexicon: str
    independence: str
    outlets: str
    fetch_timeout: float
    fetch_deadline: float
    fetch_max_bytes: int
    fetch_delay: float
    fetch_connections_per_host: int
    fetch_retries: int
    fetch_contact: str
    allow_private: int
    watch_item_attempts: int
    watch_max_backoff: float

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read every ``PARALLAX_*`` variable once, at the edge (the CLI, a server, a test),
        and check it; stages get the resolved values passed in. A malformed value raises
        :class:`~parallax.errors.UsageError` E013 naming the variable and what is allowed."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for setting in SETTINGS:
            raw = env.get(setting.env)
            values[setting.name] = setting.default if raw is None else setting.parse(raw)
        settings = cls(**values)  # type: ignore[arg-type]
        settings._check_minhash(env)
        settings._check_outlets()
        return settings

    def _check_minhash(self, env: Mapping[str, str]) -> None:
        """Bands of fewer than two rows make every article a candidate of every other."""
        if self.minhash_bands * 2 > self.minhash_permutations:
            raw = env.get("PARALLAX_MINHASH_BANDS", str(self.minhash_bands))
            raise UsageError(
                "E013",
                "PARALLAX_MINHASH_BANDS",
                f"{raw!r}: must be at most half of PARALLAX_MINHASH_PERMUTATIONS "
                f"({self.minhash_permutations}), so that each band has two rows or more",
            )

    def _check_outlets(self) -> None:
        """A broken user outlet table fails when the settings are read, before any work,
        not at the first outlet compared deep inside a batch."""
        if self.outlets.strip():
            read_outlets_file(self.outlets)

    def store_parameters(self) -> dict[str, str]:
        """What stored data depends on: signatures and band keys are only comparable with
        those made by the same MinHash parameters, so the store records and checks these."""
        return {
            "minhash_permutations": str(self.minhash_permutations),
            "minhash_bands": str(self.minhash_bands),
        }


def default_of(name: str) -> int | float | str:
    """A setting's default, without reading the environment (for ``--help`` texts, which
    must work even when a variable is malformed)."""
    return next(setting.default for setting in SETTINGS if setting.name == name)


def setting_names() -> list[str]:
    return [f.name for f in fields(Settings)]
