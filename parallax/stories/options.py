"""The knobs of story clustering, in one small value object with documented defaults.

The defaults were set on the example corpus, BASIL and ECB+ (docs/stories.md has the
figures and how to reproduce them); changing one changes the quality gates' figures.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoryOptions:
    """How articles are compared and when they join, found or merge stories."""

    text_weight: float = 0.45
    """Weight of the TF-IDF cosine over title and body words (always available)."""
    names_weight: float = 0.4
    """Weight of the cosine over names: actor ids when annotated, else capitalised words."""
    facts_weight: float = 0.15
    """Weight of the cosine over numbers and dates (resolved dates when annotated)."""
    threshold: float = 0.21
    """Combined score at or above which an article joins its best story; else it founds one."""
    merge_article_score: float = 0.4
    """An article scoring this high against a second story is evidence that the two are one
    (0.3 before: look-alike events met that bar through one article, and merged)."""
    merge_story_score: float = 0.3
    """...and the two stories merge when their own profiles are this similar."""
    grace_days: float = 1.5
    """Publication gap to a story's time range that costs nothing."""
    decay_days: float = 6.0
    """Beyond the grace, the score is multiplied by exp(-(gap - grace) / decay_days)."""
    split_min_group: int = 3
    """A story splits only into two groups of at least this many articles each."""
    split_score: float = 0.42
    """...whose own profiles score below this against each other (two events, not one)."""
    split_far_score: float = 0.32
    """...or below this, for the groups grown from the founder and the member least like
    it (a start that divides one event's story too, so it must find groups further apart)."""
    split_names_weight: float = 0.2
    """The names channel's weight when a split check divides a story and scores its two
    groups against each other (``names_weight`` in a join)."""
    split_checks: int = 4
    """Split checks per doubling of a story's size (at every join while it is smaller than
    twice this): a check costs the story's size, so the cost per article stays bounded."""
    cold_after_days: float = 14.0
    """A story with no new article for this long (in publication time) leaves the working set."""
    title_boost: int = 3
    """A title word counts this many times (the lead sentence when there is no title: 1 less)."""
    query_terms: int = 16
    """Rarest features of an article looked up in the inverted index."""
    candidates: int = 8
    """Stories scored in full per article: the best by shared rare features."""
    profile_terms: int = 128
    """A story is scored on its this-many heaviest features per channel (bounds the cost)."""
    max_posting: int = 150
    """Features in more hot stories than this are too common to find candidates with."""
    df_buckets_log2: int = 22
    """Size of the hashed document-frequency table: 2**22 counters (16 MiB)."""

    @property
    def df_buckets(self) -> int:
        return 1 << self.df_buckets_log2
