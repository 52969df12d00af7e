"""spaCy's two rule components, the attribute ruler and the rule lemmatizer, with the same
output and without their work per token.

A news article is a few thousand tokens of a few hundred distinct words, and both
components decide each token from the token alone, through a loop in Python: the ruler
runs a :class:`~spacy.matcher.Matcher` of about 180 patterns over every token (a fifth of
the English pipeline's time, more than its tagger and parser together), the lemmatizer
builds a token object and looks its lemma up in a cache. Here each decision is made once
per distinct token and read from a table after:

- the ruler's single-token patterns are matched once per distinct combination of the
  token attributes they read (tag, lowercase form, dependency, space), and its few
  multi-token patterns by a matcher of their own; the matches are the stock ones, sorted
  as the stock ruler sorts them, and applied by the stock code;
- the rule lemmatizer's lemma is a function of a token's form, part of speech and
  morphology (its own cache is keyed by them), so it is asked once per distinct triple
  and its answer kept as a lemma id.

:func:`speed_up` swaps the components' classes only where the pipeline has exactly the
stock ones with patterns of the expected kind; anything else is left as spaCy made it.
``tests/test_annotate_rules.py`` checks the output equal to the stock pipeline's, token
by token.
"""

from __future__ import annotations

import numpy as np
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

_READ = frozenset({"TAG", "LOWER", "DEP", "IS_SPACE"})
"""The token attributes a single-token pattern may read to be decided from a table."""
TABLE_LIMIT = 500_000
"""Distinct tokens remembered per component (a few hundred bytes each); past it, the table
starts again, so a worker that reads for days stays within its memory."""


def speed_up(nlp: Language) -> Language:
    """``nlp`` with its stock attribute ruler and rule lemmatizer made table-driven (the
    same objects, so names, settings and serialisation stay spaCy's)."""
    for _, component in nlp.pipeline:
        if type(component) is AttributeRuler and _ruler_plan(component) is not None:
            component.__class__ = TabledAttributeRuler
        elif type(component) is EnglishLemmatizer and component.mode == "rule":
            component.__class__ = TabledLemmatizer
    return nlp


class _RulerPlan:
    """A ruler's patterns split for tables: the single-token ones (decided per distinct
    token), the multi-token ones, and the first tokens of those (which say where a
    multi-token match may start, so that only there the multi-token matcher runs)."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.keys = [ruler.vocab.strings[str(order)] for order in range(len(ruler.attrs))]
        self.ids = {key: order for order, key in enumerate(self.keys)}
        self.attrs: list[dict[object, object]] = list(ruler.attrs)
        self.indices: list[int] = list(ruler.indices)
        self.single = Matcher(ruler.vocab)
        self.starts = Matcher(ruler.vocab)
        self.multi = Matcher(ruler.vocab)
        self.longest = 1
        self.reads: set[str] = set()
        self.table: dict[tuple[int, ...], tuple[tuple[int, ...], bool]] = {}
        """A token's table key -> (the orders of the single-token patterns it matches,
        as the stock matcher finds them and sorted; whether a longer match may start)."""
        self.merged: dict[tuple[int, ...], dict[object, object]] = {}
        """Orders of the patterns that matched a token -> the attributes they set."""

    def read(self, token_patterns: list[dict[str, object]]) -> bool:
        """Note the attributes these one-token patterns read; False if one is not tabled."""
        for pattern in token_patterns:
            if not set(pattern) <= _READ:
                return False
            self.reads |= set(pattern)
        return True


def _ruler_plan(ruler: AttributeRuler) -> _RulerPlan | None:
    """How to run ``ruler`` from tables; None when that would not be exact: a pattern
    with an operator or reading an attribute outside :data:`_READ`, an attribute set
    that is not a plain token attribute, a single-token pattern pointing past its token."""
    plan = _RulerPlan(ruler)
    if any("_" in attrs for attrs in plan.attrs):
        return None
    for order, key in enumerate(plan.keys):
        _, patterns = ruler.matcher.get(key)
        ones = [pattern[0] for pattern in patterns if len(pattern) == 1]
        longer = [pattern for pattern in patterns if len(pattern) > 1]
        if not plan.read(ones) or not plan.read([pattern[0] for pattern in longer]):
            return None
        if any("OP" in token for pattern in longer for token in pattern):
            return None
        if ones and plan.indices[order] not in (0, -1):
            return None
        if ones:
            plan.single.add(key, [[token] for token in ones])
        if longer:
            plan.multi.add(key, longer)
            plan.starts.add(key, [[pattern[0]] for pattern in longer])
            plan.longest = max(plan.longest, *(len(pattern) for pattern in longer))
    ruler._parallax_plan = plan  # type: ignore[attr-defined]
    return plan


class TabledAttributeRuler(AttributeRuler):
    """The stock ruler whose matching is decided once per distinct token (see module)."""

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            self._apply(doc)
            return doc
        except Exception as error:  # the stock component's contract: its error handler
            return error_handler(self.name, self, [doc], error)

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """The stock :meth:`match`: ``(order, match id, start, end)``, sorted."""
        plan: _RulerPlan = self._parallax_plan  # type: ignore[attr-defined]
        rows = self._rows(plan, doc)
        found = [
            (order, plan.keys[order], index, index + 1)
            for index, (orders, _) in enumerate(rows)
            for order in orders
        ]
        longer = self._longer(plan, doc, rows)
        found.extend((order, plan.keys[order], start, end) for order, start, end in longer)
        found.sort()
        return found

    def _apply(self, doc: Doc) -> None:
        """Set what the matched patterns set, one write per token: the patterns that
        match a token, applied in order, each overwriting the attributes it names, set
        what their merge sets."""
        plan: _RulerPlan = self._parallax_plan  # type: ignore[attr-defined]
        rows = self._rows(plan, doc)
        per_token = [orders for orders, _ in rows]
        for order, start, end in self._longer(plan, doc, rows):
            index = plan.indices[order]
            target = start + index if index >= 0 else end + index
            if not start <= target < end:
                self.set_annotations(doc, self.match(doc))  # type: ignore[no-untyped-call]
                return
            per_token[target] = tuple(sorted((*per_token[target], order)))
        for index, orders in enumerate(per_token):
            if not orders:
                continue
            attrs = plan.merged.get(orders)
            if attrs is None:
                attrs = plan.merged[orders] = {}
                for order in orders:
                    attrs.update(plan.attrs[order])
            set_token_attrs(doc[index], attrs)

    @staticmethod
    def _rows(plan: _RulerPlan, doc: Doc) -> list[tuple[tuple[int, ...], bool]]:
        """Per token: the orders of the single-token patterns it matches, and whether a
        multi-token match may start there."""
        if not len(doc):
            return []
        if len(plan.table) > TABLE_LIMIT:
            plan.table.clear()
            plan.merged.clear()
        names: list[int | str] = sorted(plan.reads)
        keys: list[list[int]] = (
            np.asarray(doc.to_array(names), dtype=np.uint64).reshape(len(doc), -1).tolist()
        )
        rows = []
        for index, key in enumerate(keys):
            row = tuple(key)
            found = plan.table.get(row)
            if found is None:
                one = doc[index : index + 1]
                orders = sorted(plan.ids[m] for m, _, _ in plan.single(one, allow_missing=True))
                starts = bool(plan.starts(one, allow_missing=True))
                found = plan.table[row] = (tuple(orders), starts)
            rows.append(found)
        return rows

    @staticmethod
    def _longer(
        plan: _RulerPlan, doc: Doc, rows: list[tuple[tuple[int, ...], bool]]
    ) -> list[tuple[int, int, int]]:
        """The multi-token matches ``(order, start, end)``, looked for only where their
        first token matches (a match of fixed length lies in the span from there)."""
        found = []
        for index, (_, starts) in enumerate(rows):
            if starts:
                window = doc[index : index + plan.longest]
                for match_id, start, end in plan.multi(window, allow_missing=True):
                    if start == 0:
                        found.append((plan.ids[match_id], index, index + end))
        return found


class TabledLemmatizer(EnglishLemmatizer):
    """The stock rule lemmatizer, asked once per distinct token (see module)."""

    def __call__(self, doc: Doc) -> Doc:
        if self.overwrite:
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        error_handler = self.get_error_handler()
        try:
            self._lemmatize_doc(doc)
        except Exception as error:  # the stock component's contract: its error handler
            error_handler(self.name, self, [doc], error)
        return doc

    def _lemmatize_doc(self, doc: Doc) -> None:
        if not len(doc):
            return
        table: dict[tuple[int, int, int], int] = self.__dict__.setdefault("_parallax_table", {})
        if len(table) > TABLE_LIMIT:
            table.clear()
        rows = np.asarray(doc.to_array(["ORTH", "POS", "MORPH", "LEMMA"]), dtype=np.uint64)
        lemmas = rows[:, 3].copy()
        strings = doc.vocab.strings
        for index, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma:
                continue  # set before (the attribute ruler's exceptions): the stock rule
            key = (orth, pos, morph)
            found = table.get(key)
            if found is None:
                found = table[key] = strings.add(self.lemmatize(doc[index])[0])
            lemmas[index] = found
        doc.from_array(["LEMMA"], lemmas.reshape(-1, 1))  # type: ignore[arg-type]
