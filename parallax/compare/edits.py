"""Edits after publication: which evidence an outlet added or changed after it first
published an article, and which sentences it took out.

Outlets edit published articles without saying so, headlines most of all. When the store
holds an article's earlier texts (its revisions), a report marks every evidence item
whose sentence was not in the text as first published (``changed_after_publication``),
every fact that rests on such evidence, and lists per article the sentences of the first
text that are gone from the current one, each with the revision and span it is quoted
from, so a removal is as checkable as any other claim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from parallax.model import StoryReport
from parallax.text import sentence_spans


@dataclass(frozen=True)
class Edited:
    """An article with revisions: its first text (and that revision's number), its
    title then and now, and its current text."""

    first_revision: int
    first_text: str
    current_text: str
    first_title: str | None = None
    current_title: str | None = None


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def mark_edits(story: StoryReport, edited: Mapping[str, Edited]) -> None:
    """Mark ``story`` in place (see the module); articles not in ``edited`` never
    changed and are left alone."""
    if not edited:
        return
    original = {a: _squeezed(e.first_text) for a, e in edited.items()}

    def changed(item: Mapping[str, Any]) -> bool:
        first = original.get(str(item.get("article_id", "")))
        return first is not None and _squeezed(str(item.get("text", ""))) not in first

    for fact in story["facts"]:
        marked = [e for e in fact["evidence"] if changed(e)]
        for evidence in marked:
            evidence["changed_after_publication"] = True  # type: ignore[typeddict-unknown-key]
        if marked:
            fact["changed_after_publication"] = True  # type: ignore[typeddict-unknown-key]
    for conflict in story["conflicts"]:
        for value in conflict["values"]:
            if changed(value):
                value["changed_after_publication"] = True  # type: ignore[typeddict-unknown-key]
    members = {a["id"] for a in story["articles"]}
    story["edits"] = [  # type: ignore[typeddict-unknown-key]
        _edit(article_id, found) for article_id, found in edited.items() if article_id in members
    ]


def _edit(article_id: str, found: Edited) -> dict[str, Any]:
    """What changed in one article: its headline, and the sentences of its first text
    that the current text no longer holds (quoted with their span in that revision)."""
    now = _squeezed(found.current_text)
    removed = []
    for start, end in sentence_spans(found.first_text):
        sentence = found.first_text[start:end]
        if sentence.strip() and _squeezed(sentence) not in now:
            removed.append({"text": sentence, "span": [start, end]})
    return {
        "article_id": article_id,
        "revision": found.first_revision,
        "title": {"first": found.first_title, "now": found.current_title},
        "removed": removed,
    }
