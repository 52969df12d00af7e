"""The annotation stage: one parse per article, then Parallax's components over it.

Components are plain functions over the parsed ``Doc`` (and what earlier components
found), run in a fixed order: actors first, because labels, quotes and events refer
to them; dates before events, which carry the date of their sentence. Texts too
long for one parse are annotated piece by piece and the spans shifted back, so every
span indexes the article's stored text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from spacy.language import Language
from spacy.tokens import Doc

from parallax.annotate.actors import extract_actors
from parallax.annotate.dates import extract_dates
from parallax.annotate.events import extract_events
from parallax.annotate.labels import extract_labels
from parallax.annotate.nlp import Piece, load_nlp, model_name, parse
from parallax.annotate.quantities import extract_quantities
from parallax.annotate.quotes import extract_quotes
from parallax.annotate.statements import extract_sentences, extract_slots
from parallax.annotate.version import ANNOTATOR_VERSION
from parallax.model import ActorItem, Annotations, empty_annotations

Item = TypeVar("Item", bound=Mapping[str, Any])


@dataclass(frozen=True)
class Job:
    """What annotation needs of an article: its text and the date relative dates hang on."""

    text: str
    published_at: str | None


def version() -> str:
    """The annotator version and the model it ran with, e.g. ``1+en_core_web_sm-3.8.0``."""
    return f"{ANNOTATOR_VERSION}+{model_name()}"


def annotate_doc(doc: Doc, published_at: str | None) -> Annotations:
    """All annotations of one parsed text, spans relative to ``doc.text``."""
    actors, mentions = extract_actors(doc)
    dates = extract_dates(doc, published_at)
    quantities = extract_quantities(doc)
    return Annotations(
        actors=list(actors),
        mentions=list(mentions),
        labels=list(extract_labels(doc, actors, mentions)),
        quotes=list(extract_quotes(doc, mentions, {a["id"]: a["kind"] for a in actors})),
        dates=list(dates),
        quantities=list(quantities),
        events=list(extract_events(doc, actors, mentions, dates)),
        sentences=extract_sentences(doc),
        slots=extract_slots(doc, dates, quantities),
    )


def annotate(jobs: Iterable[Job], nlp: Language | None = None) -> Iterator[Annotations]:
    """Annotations for each job, in order; texts are parsed in batches with ``nlp.pipe``."""
    jobs = list(jobs)
    for job, pieces in zip(jobs, parse((j.text for j in jobs), nlp or load_nlp()), strict=True):
        yield _combine(pieces, job.published_at)


def _combine(pieces: list[Piece], published_at: str | None) -> Annotations:
    """Annotate each piece and shift its spans by the piece's offset in the article."""
    if len(pieces) == 1 and pieces[0].offset == 0:
        return annotate_doc(pieces[0].doc, published_at)
    combined = empty_annotations()
    actors: dict[str, ActorItem] = {}
    for piece in pieces:
        found = annotate_doc(piece.doc, published_at)
        for actor in found["actors"]:
            _merge_actor(actors, actor)
        _extend_shifted(combined, found, piece.offset)
    combined["actors"] = list(actors.values())
    return combined


def _extend_shifted(into: Annotations, found: Annotations, offset: int) -> None:
    """Append a piece's items (all but actors, merged by id) with spans moved by ``offset``."""
    into["mentions"].extend(_shifted(item, offset) for item in found["mentions"])
    into["labels"].extend(_shifted(item, offset) for item in found["labels"])
    into["quotes"].extend(_shifted(item, offset) for item in found["quotes"])
    into["dates"].extend(_shifted(item, offset) for item in found["dates"])
    into["quantities"].extend(_shifted(item, offset) for item in found["quantities"])
    into["events"].extend(_shifted(item, offset) for item in found["events"])
    into["sentences"].extend(_shifted(item, offset) for item in found["sentences"])
    into["slots"].extend(_shifted(item, offset) for item in found["slots"])


def _merge_actor(actors: dict[str, ActorItem], actor: ActorItem) -> None:
    known = actors.get(actor["id"])
    if known is None:
        actors[actor["id"]] = actor
        return
    known["aliases"] = sorted(set(known["aliases"]) | set(actor["aliases"]))


def _shifted(item: Item, offset: int) -> Item:
    """A copy of ``item`` with every span moved by ``offset``."""
    shifted: dict[str, Any] = dict(item)
    for key in ("span", "speaker_span", "cue_span", "clause"):
        if shifted.get(key) is not None:
            shifted[key] = [shifted[key][0] + offset, shifted[key][1] + offset]
    return cast(Item, shifted)
