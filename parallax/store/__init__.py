"""Storage: every read and write of Parallax's data goes through this package."""

from parallax.store.check import CHECKS, Finding, Repair, check_invariants, repair_derived
from parallax.store.db import (
    Batch,
    InputProgress,
    QuarantineEntry,
    Revision,
    Store,
    write_failure,
)
from parallax.store.feeds import FeedEntry, FeedRecord, FeedStore, GivenUp
from parallax.store.stories import (
    MergeRecord,
    StoryMember,
    StoryRecord,
    StoryStore,
    groups_json,
)

__all__ = [
    "CHECKS",
    "Batch",
    "FeedEntry",
    "FeedRecord",
    "FeedStore",
    "Finding",
    "GivenUp",
    "InputProgress",
    "MergeRecord",
    "QuarantineEntry",
    "Repair",
    "Revision",
    "Store",
    "StoryMember",
    "StoryRecord",
    "StoryStore",
    "check_invariants",
    "groups_json",
    "repair_derived",
    "write_failure",
]
