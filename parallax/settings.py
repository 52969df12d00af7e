"""One table of settings: name, default, help. Each can be set from the environment.

The table drives the values the code reads and the settings section of the docs
(``docs/settings.md`` is checked against it by a test), so the two cannot drift.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Setting:
    name: str
    default: int | float | str
    help: str

    @property
    def env(self) -> str:
        return "PARALLAX_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "parallax.db", "Path of the SQLite store used when --db is not given."),
    Setting(
        "max_article_bytes",
        5 * 1024 * 1024,
        "Largest single article (a .txt/.html file or one JSON record), in bytes after "
        "decompression. Guards memory against huge or decompression-bomb inputs.",
    ),
    Setting(
        "max_file_bytes",
        512 * 1024 * 1024,
        "Largest .json file (read whole), in bytes after decompression. JSONL is streamed "
        "and limited per line by max_article_bytes instead.",
    ),
    Setting(
        "near_duplicate_threshold",
        0.8,
        "Estimated Jaccard similarity of word 3-shingles above which an article is a "
        "near-duplicate (same outlet) or a wire copy (another outlet) of an earlier one.",
    ),
    Setting("minhash_permutations", 120, "MinHash signature length (stored per article)."),
    Setting(
        "minhash_bands",
        20,
        "LSH bands over the signature. 20 bands of 6 rows make a pair with Jaccard 0.8 a "
        "candidate with probability 0.998 (0.6: 0.6), before the exact check on signatures.",
    ),
    Setting("commit_every", 200, "Articles written per transaction during ingest."),
    Setting(
        "lexicon",
        "",
        "Extra framing lexicon files or folders of .tsv files (separated by the path "
        "separator, ':' on Unix), read after the built-in lexicon; see docs/framing.md.",
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
    lexicon: str

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for setting in SETTINGS:
            raw = env.get(setting.env)
            kind = type(setting.default)
            values[setting.name] = setting.default if raw is None else kind(raw)
        return cls(**values)  # type: ignore[arg-type]


def setting_names() -> list[str]:
    return [f.name for f in fields(Settings)]
