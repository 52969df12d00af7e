"""Annotate: actors, labels, quotes, dates, quantities and events per article (next stage)."""

ANNOTATOR_VERSION = "2"
"""Bumped whenever a component changes what it produces; stored with each annotation
(``annotator``: ``2+en_core_web_sm-3.8.0``). Here, not in ``annotator``, so that readers
can check it without loading spaCy."""

GENERIC_PREDICATES = frozenset(
    "be have do say tell add state report note write claim make take get go come include "
    "remain become seem show put give keep accord use know think see want need try call "
    "hold lead leave find feel let mean begin start continue increase".split()
)
"""Verbs too general to name a slot or a role on their own ("said on Tuesday", "is in
2024", "Smith has a letter"): annotation records no role for them, and comparison
matches no values on them."""
