"""Storage: every read and write of Parallax's data goes through this package."""

from parallax.store.db import Batch, QuarantineEntry, Store

__all__ = ["Batch", "QuarantineEntry", "Store"]

# Story persistence (the stories stage).
from parallax.store.stories import (
    MergeRecord,
    StoryMember,
    StoryRecord,
    StoryStore,
)

__all__ += ["MergeRecord", "StoryMember", "StoryRecord", "StoryStore"]
