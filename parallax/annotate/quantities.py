"""Quantities: numbers with their unit noun and qualifier, values normalised for comparison.

"only 5%", "5 percent" and "five per cent" all become value 5.0, unit "percent", so a
later stage compares them as equal; "more than 70 percent" keeps its qualifier so it
is read as compatible with "70%" rather than as a conflict. Numbers that are parts
of dates, times and ordinals are left to the date annotator.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from parallax.model import QuantityItem
from parallax.text import SCALES as TEXT_SCALES
from parallax.text import SMALL_NUMBERS, number_word

SCALES = {**TEXT_SCALES, "k": 1e3, "m": 1e6, "bn": 1e9}
"""Scale words, with the abbreviations figures are written with ("$5m", "$2bn")."""
VAGUE = {"dozens": 12.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
"""Plural scale words on their own: the value is a lower bound, the qualifier says so."""
CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "us$": "USD"}
CURRENCY_WORDS = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
}
PERCENT_WORDS = ("%", "percent", "per cent", "pct", "percentage points")
QUALIFIERS = tuple(
    sorted(
        (
            "only",
            "just",
            "more than",
            "over",
            "at least",
            "less than",
            "fewer than",
            "under",
            "at most",
            "up to",
            "nearly",
            "almost",
            "about",
            "around",
            "roughly",
            "approximately",
            "some",
            "an estimated",
            "as many as",
            "as much as",
            "as few as",
            "close to",
            "exactly",
        ),
        key=len,
        reverse=True,
    )
)
_SKIP_ENTS = {"DATE", "TIME", "ORDINAL"}
_TIME_WORDS = re.compile(
    r"\b(?:second|minute|hour|day|night|week|fortnight|month|year|decade|century|morning|"
    r"afternoon|evening|a\.m|p\.m|am|pm|o'clock|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
    r"dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|first|second|third|\d+(?:st|nd|rd|th))",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


def extract_quantities(doc: Doc) -> list[QuantityItem]:
    """Every quantity in the doc, left to right."""
    items: list[QuantityItem] = []
    i = 0
    while i < len(doc):
        found = _quantity_at(doc, i)
        if found is None:
            i += 1
            continue
        item, next_i = found
        items.append(item)
        i = next_i
    return items


def _is_time(token: Token) -> bool:
    """Whether a number the tagger put in a DATE/TIME/ORDINAL entity is really one: the
    entity names a time unit, a month or day, or is a year. The small English model
    tags some counts as TIME ("has massed nine warships"); those stay quantities."""
    if token.ent_type_ == "ORDINAL":
        return True
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    text = doc[start:end].text
    return bool(_TIME_WORDS.search(text) or re.fullmatch(r"\W*(1[5-9]|20)\d\d\W*", text))


def _quantity_at(doc: Doc, i: int) -> tuple[QuantityItem, int] | None:
    token = doc[i]
    if token.ent_type_ in _SKIP_ENTS and _is_time(token):
        return None
    currency = CURRENCIES.get(token.lower_)
    first = i + 1 if currency else i
    if first >= len(doc):
        return None
    parsed = _number(doc, first)
    if parsed is None:
        return None
    value, end, vague = parsed
    unit, end = _unit(doc, end, currency)
    start = _qualifier_start(doc, i)
    qualifier = doc[start:i].text.lower() if start < i else ("at least" if vague else None)
    span = doc[start:end]
    item: QuantityItem = {
        "text": span.text,
        "span": [span.start_char, span.end_char],
        "value": value,
        "unit": unit,
        "qualifier": qualifier,
    }
    return item, end


def _number(doc: Doc, i: int) -> tuple[float, int, bool] | None:
    """The number starting at token ``i``: its value, the token after it, and vagueness."""
    token = doc[i]
    if token.lower_ in VAGUE:
        return VAGUE[token.lower_], i + 1, True
    value = _token_value(token)
    if value is None:
        return None
    end = i + 1
    while end < len(doc):
        if doc[end].text == "-" and end + 1 < len(doc) and doc[end].whitespace_ == "":
            extra = _continuation(doc[end + 1], value)  # 'twenty-five' split in three tokens
            step = 2
        else:
            extra, step = _continuation(doc[end], value), 1
        if extra is None:
            break
        value, end = extra, end + step
    return value, end, False


def _token_value(token: Token) -> float | None:
    text = token.lower_
    if _NUMBER.match(text):
        return float(text.replace(",", ""))
    spelled = number_word(text)
    return None if spelled is None else float(spelled)


def _continuation(token: Token, value: float) -> float | None:
    """'50' + 'million', 'two' + 'hundred', 'twenty' + 'five': the value so far extended."""
    text = token.lower_
    if text in SCALES:
        return value * SCALES[text]
    if value >= 20 and value % 10 == 0 and value < 100 and SMALL_NUMBERS.get(text, 10) < 10:
        return value + SMALL_NUMBERS[text]
    return None


def _unit(doc: Doc, end: int, currency: str | None) -> tuple[str | None, int]:
    """The unit after the number: percent, a currency, or the counted noun."""
    if currency:
        return currency, end
    rest = doc[end : end + 2].text.lower()
    for word in PERCENT_WORDS:
        if rest.startswith(word) and (len(rest) == len(word) or not rest[len(word)].isalpha()):
            return "percent", end + len(word.split()) if word != "%" else end + 1
    if end < len(doc) and doc[end].lower_ in CURRENCY_WORDS:
        return CURRENCY_WORDS[doc[end].lower_], end + 1
    noun = _counted_noun(doc, end)
    if noun is not None:
        return noun.lemma_.lower(), noun.i + 1
    return None, end


def _counted_noun(doc: Doc, end: int) -> Token | None:
    """The noun the number counts: 'seven warships', 'seven U.S. warships', 'two maps'."""
    for token in doc[end : end + 3]:
        if token.pos_ in ("NOUN", "PROPN") and not token.is_punct:
            if token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "NOUN":
                continue  # a compound: count the last noun ('drug trafficking gangs')
            return token
        if token.pos_ not in ("ADJ", "PROPN", "NOUN", "NUM") or token.is_punct:
            return None
    return None


_QUALIFIER_WORDS = [(q, q.split()) for q in QUALIFIERS]


def _qualifier_start(doc: Doc, i: int) -> int:
    """The token where a qualifier before the number starts ('more than', 'only'), else ``i``."""
    words = [t.lower_ for t in doc[max(0, i - 4) : i]]
    for _, parts in _QUALIFIER_WORDS:
        if words[-len(parts) :] == parts:
            return i - len(parts)
    return i
