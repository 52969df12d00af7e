"""spaCy's two rule components, the attribute ruler and the rule lemmatizer, with the same
output and without their work per token.

A news article is a few thousand tokens of a few hundred distinct words, and both
components decide each token from the token alone, through a loop in Python: the ruler
runs a :class:`~spacy.matcher.Matcher` of about 180 patterns over every token (about as
long as the parser), the lemmatizer builds a token object and looks its lemma up in a
cache; together a fifth of the English pipeline's time on BASIL articles. Here each
decision is made once per distinct token and read from a table after:

- the ruler's single-token patterns are tested once per distinct combination of the
  token attributes they read (tag, lowercase form, dependency, space), and its few
  multi-token patterns by a matcher of their own, run only where their first token
  matches; the patterns a token matches are applied in the stock ruler's order, each
  overwriting what it names, as one merged write;
- the rule lemmatizer's lemma is a function of a token's form, part of speech and
  morphology (its own cache is keyed by them), so it is asked once per distinct triple
  and its answer kept as a lemma id.

:func:`speed_up` swaps the components' classes only where the pipeline has exactly the
stock ones with patterns of the expected kind; anything else is left as spaCy made it.
``tests/test_annotate_rules.py`` checks the output equal to the stock pipeline's, token
by token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import numpy as np
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

_READ = frozenset({"TAG", "LOWER", "DEP", "IS_SPACE"})
_KEY: list[int | str] = sorted(_READ)
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


Check = Callable[[object], bool]
Values = Mapping[str, object]
"""A token's attributes as a pattern reads them: tag, lowercase form, dependency, space."""


def _check(spec: object) -> Check | None:
    """A token pattern's test of one attribute, as spaCy's matcher makes it: a value is
    compared for equality; ``IN``, ``NOT_IN`` and ``REGEX`` (``re.search``) as named;
    None for any other form (then the ruler is left as spaCy made it)."""
    if isinstance(spec, str | bool):
        return lambda value: value == spec
    if not isinstance(spec, dict) or len(spec) != 1:
        return None
    ((operator, argument),) = spec.items()
    if operator in ("IN", "NOT_IN") and isinstance(argument, list):
        members = frozenset(argument)
        if operator == "IN":
            return lambda value: value in members
        return lambda value: value not in members
    if operator == "REGEX" and isinstance(argument, str):
        pattern = re.compile(argument)
        return lambda value: isinstance(value, str) and pattern.search(value) is not None
    return None


class _TokenPatterns:
    """One-token patterns, each with the order of the ruler rule it belongs to, tested
    on a token's :data:`Values`. Those naming one tag are filed under it, so a token is
    tested against its tag's few and the handful naming none."""

    def __init__(self) -> None:
        self.by_tag: dict[str, list[tuple[int, list[tuple[str, Check]]]]] = {}
        self.others: list[tuple[int, list[tuple[str, Check]]]] = []

    def add(self, order: int, pattern: Mapping[str, object]) -> bool:
        """False when a test of the pattern has a form :func:`_check` does not know."""
        checks = []
        for name, spec in pattern.items():
            check = _check(spec)
            if check is None:
                return False
            checks.append((name, check))
        tag = pattern.get("TAG")
        filed = self.by_tag.setdefault(tag, []) if isinstance(tag, str) else self.others
        filed.append((order, checks))
        return True

    def orders(self, values: Values) -> tuple[int, ...]:
        """The orders of the rules with a pattern that matches, ascending, once each."""
        tag = values["TAG"]
        candidates = self.by_tag.get(tag, []) if isinstance(tag, str) else []
        matched = {
            order
            for order, checks in (*candidates, *self.others)
            if all(check(values[name]) for name, check in checks)
        }
        return tuple(sorted(matched))


class _RulerPlan:
    """A ruler's patterns split for tables: the single-token ones (decided per distinct
    token), the multi-token ones, and the first tokens of those (which say where a
    multi-token match may start, so that only there the multi-token matcher runs)."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.keys = [ruler.vocab.strings[str(order)] for order in range(len(ruler.attrs))]
        self.ids = {key: order for order, key in enumerate(self.keys)}
        self.attrs: list[dict[object, object]] = list(ruler.attrs)
        self.indices: list[int] = list(ruler.indices)
        self.single = _TokenPatterns()
        self.starts = _TokenPatterns()
        self.multi = Matcher(ruler.vocab)
        self.longest = 1
        self.table: dict[tuple[int, ...], tuple[tuple[int, ...], bool]] = {}
        """A token's table key -> (the orders of the single-token patterns it matches,
        ascending; whether a longer match may start there)."""
        self.merged: dict[tuple[int, ...], dict[object, object]] = {}
        """Orders of the patterns that matched a token -> the attributes they set."""

    @staticmethod
    def readable(token_patterns: list[dict[str, object]]) -> bool:
        """Whether these one-token patterns read only the attributes of the table key."""
        return all(set(pattern) <= _READ for pattern in token_patterns)


def _ruler_plan(ruler: AttributeRuler) -> _RulerPlan | None:
    """How to run ``ruler`` from tables; None when that would not be exact: a pattern
    with an operator or reading an attribute outside :data:`_READ`, a test of a form
    :func:`_check` does not know, an attribute set that is not a plain token attribute,
    a pattern whose index points past its tokens."""
    plan = _RulerPlan(ruler)
    if any("_" in attrs for attrs in plan.attrs):
        return None
    for order, key in enumerate(plan.keys):
        _, patterns = ruler.matcher.get(key)
        ones = [pattern[0] for pattern in patterns if len(pattern) == 1]
        longer = [pattern for pattern in patterns if len(pattern) > 1]
        firsts = [pattern[0] for pattern in longer]
        if not plan.readable(ones) or not plan.readable(firsts):
            return None
        if any("OP" in token for pattern in longer for token in pattern):
            return None
        if ones and plan.indices[order] not in (0, -1):
            return None
        if not all(-len(p) <= plan.indices[order] < len(p) for p in longer):
            return None  # the stock ruler's error (E1001) for it, not a table
        if not all(plan.single.add(order, token) for token in ones):
            return None
        if not all(plan.starts.add(order, token) for token in firsts):
            return None
        if longer:
            plan.multi.add(key, longer)
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

    def _apply(self, doc: Doc) -> None:
        """Set what the matched patterns set, one write per token: the patterns that
        match a token, applied in order, each overwriting the attributes it names, set
        what their merge sets."""
        plan: _RulerPlan = self._parallax_plan  # type: ignore[attr-defined]
        rows = self._rows(plan, doc)
        per_token = [orders for orders, _ in rows]
        for order, start, end in self._longer(plan, doc, rows):
            index = plan.indices[order]  # within the pattern: checked by _ruler_plan
            target = start + index if index >= 0 else end + index
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
        keys: list[list[int]] = (
            np.asarray(doc.to_array(_KEY), dtype=np.uint64).reshape(len(doc), -1).tolist()
        )
        rows = []
        for index, key in enumerate(keys):
            row = tuple(key)
            found = plan.table.get(row)
            if found is None:
                token = doc[index]
                values = {
                    "TAG": token.tag_,
                    "LOWER": token.lower_,
                    "DEP": token.dep_,
                    "IS_SPACE": token.is_space,
                }
                starts = bool(plan.starts.orders(values))
                found = plan.table[row] = (plan.single.orders(values), starts)
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
