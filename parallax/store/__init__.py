"""Storage: every read and write of Parallax's data goes through this package."""

from parallax.store.db import Batch, InputProgress, QuarantineEntry, Store
from parallax.store.stories import (
    MergeRecord,
    StoryMember,
    StoryRecord,
    StoryStore,
    groups_json,
)

__all__ = [
    "Batch",
    "InputProgress",
    "MergeRecord",
    "QuarantineEntry",
    "Store",
    "StoryMember",
    "StoryRecord",
    "StoryStore",
    "groups_json",
]
