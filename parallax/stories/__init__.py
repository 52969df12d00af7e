"""Stories: fold articles into stories as they arrive, and know which reports are independent.

A pure, typed core: :func:`features_of` turns an article into hashed features,
:class:`StoryIndex` holds the hot stories with an inverted index for candidates, and
:func:`assign` places one article (join, found, merge, split). :mod:`independence`
groups wire copies and relays with their origin; :mod:`actors` merges actors across a
story's articles. Only :mod:`run` (``cluster_store``, the driver) reads and writes the store.
"""

from parallax.model import StoryActor
from parallax.stories.actors import story_actors
from parallax.stories.browse import find_stories, main_stories, story_detail
from parallax.stories.cluster import (
    Assignment,
    Merge,
    Split,
    assign,
    central_member,
    score_stories,
    story_id_for,
)
from parallax.stories.features import Features, TermStats, features_of, lead_sentence
from parallax.stories.independence import (
    Member,
    independence_groups,
    owner_groups,
    relay_source,
)
from parallax.stories.index import StoryIndex, StoryState
from parallax.stories.metrics import BCubed, bcubed
from parallax.stories.options import StoryOptions
from parallax.stories.run import (
    ClusterHook,
    ClusterSummary,
    OrderedPlacement,
    StoryRun,
    cluster_store,
)

__all__ = [
    "Assignment",
    "BCubed",
    "ClusterHook",
    "ClusterSummary",
    "Features",
    "Member",
    "Merge",
    "OrderedPlacement",
    "Split",
    "StoryActor",
    "StoryIndex",
    "StoryOptions",
    "StoryRun",
    "StoryState",
    "TermStats",
    "assign",
    "bcubed",
    "central_member",
    "cluster_store",
    "features_of",
    "find_stories",
    "independence_groups",
    "lead_sentence",
    "main_stories",
    "owner_groups",
    "relay_source",
    "score_stories",
    "story_actors",
    "story_detail",
    "story_id_for",
]
