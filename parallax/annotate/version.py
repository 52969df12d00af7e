"""The annotator's version, readable without loading spaCy."""

ANNOTATOR_VERSION = "7"
"""Bumped whenever a component changes what it produces; stored with each annotation
(``annotator``: ``3+en_core_web_sm-3.8.0``). Here, not in ``annotator``, so that readers
can check it without loading spaCy."""
