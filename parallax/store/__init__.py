"""Storage: every read and write of Parallax's data goes through this package."""

from parallax.store.db import Batch, InputProgress, QuarantineEntry, Revision, Store
from parallax.store.feeds import FeedEntry, FeedRecord, FeedStore, GivenUp
from parallax.store.stories import (
    MergeRecord,
    StoryMember,
    StoryRecord,
    StoryStore,
    groups_json,
)

__all__ = [
    "Batch",
    "FeedEntry",
    "FeedRecord",
    "FeedStore",
    "GivenUp",
    "InputProgress",
    "MergeRecord",
    "QuarantineEntry",
    "Revision",
    "Store",
    "StoryMember",
    "StoryRecord",
    "StoryStore",
    "groups_json",
]
