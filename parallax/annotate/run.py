"""The annotation driver: annotates the stored articles that need it, batch by batch.

The components (:mod:`annotator` and what it runs) are pure functions of a parsed text;
this module is the one part of the stage that reads and writes the store. spaCy is
loaded only when annotating starts, so that importing the stage (for its version, or to
count what is pending) costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from parallax.annotate.language import Language, language_of
from parallax.annotate.version import ANNOTATOR_VERSION
from parallax.errors import ParallaxError
from parallax.model import Annotations, Rejected, empty_annotations
from parallax.store import Store


def count_pending_annotations(store: Store, *, redo: bool = False) -> int:
    """How many articles :func:`annotate_store` would annotate: those not annotated yet
    (failed ones included), with ``redo`` also those another annotator version made."""
    if not redo:
        return store.count_unannotated(None)
    from parallax.annotate.annotator import version  # loads spaCy: the version names its model

    return store.count_unannotated(version())


def annotation_status(store: Store) -> tuple[int, int]:
    """(articles not annotated yet, articles annotated by an older annotator): what a
    report warns about, since both add nothing to it until annotated again."""
    return store.count_unannotated(None), store.count_annotated_by_other(ANNOTATOR_VERSION)


AnnotateHook = Callable[[int], None]
"""Called after each batch with the number of articles annotated in it."""


def annotate_store(
    store: Store,
    *,
    redo: bool = False,
    batch_size: int = 64,
    progress: AnnotateHook | None = None,
) -> int:
    """Annotate the stored articles that have no annotations yet (``redo``: all not made by
    the current annotator version). Each batch is committed on its own, so a crash loses
    at most one batch and a rerun picks up where it stopped. Returns how many were annotated.

    An article whose annotation fails is stored without annotations and without an
    annotator, so every later run tries it again; its error is kept (``annotation_error``)
    and quarantined as E051 until a run annotates it.
    """
    from parallax.annotate.annotator import Job, version  # loads spaCy: only when needed

    current = version()
    wanted = current if redo else None
    done = 0
    after = 0
    while rows := store.unannotated(wanted, after=after, limit=batch_size):
        after = rows[-1][0]
        languages = [language_of(text, stated) for _, _, text, _, stated in rows]
        read = [row for row, language in zip(rows, languages, strict=True) if language.annotate]
        made = iter(_annotate_batch([Job(text, published) for _, _, text, published, _ in read]))
        results = [
            _with_language(next(made), language) if language.annotate else _skipped(language)
            for language in languages
        ]
        with store.transaction():
            for (_, article_id, _, _, _), result in zip(rows, results, strict=True):
                source = f"article:{article_id}"
                if isinstance(result, Exception):
                    error = f"{type(result).__name__}: {result}"
                    store.save_annotation_failure(article_id, error)
                    reason = ParallaxError("E051", source, error).reason
                    store.quarantine(Rejected(source, None, "E051", reason))
                else:
                    store.save_annotations(article_id, result, current)
                    store.release(source, None)
        done += len(rows)
        if progress:
            progress(len(rows))
    return done


def _with_language(result: Annotations | Exception, language: Language) -> Annotations | Exception:
    if not isinstance(result, Exception):
        result["language"] = language.to_json()
    return result


def _skipped(language: Language) -> Annotations:
    """What an article the English annotators do not read gets: no items, and why."""
    found = empty_annotations()
    found["language"] = language.to_json()
    found["skipped"] = language.reason
    return found


def _annotate_batch(jobs: list[Any]) -> list[Annotations | Exception]:
    """Annotate a batch; if it fails, annotate one by one so one bad article costs only itself
    (its item is then the exception it raised)."""
    from parallax.annotate.annotator import annotate

    try:
        return list(annotate(jobs))
    except Exception:  # a component bug on one text must not stop the batch
        results: list[Annotations | Exception] = []
        for job in jobs:
            try:
                results.extend(annotate([job]))
            except Exception as error:
                results.append(error)
        return results
