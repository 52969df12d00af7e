"""Temporal expressions: find them, type them and put them on the calendar (TimeML values).

Why a rule grammar and not the statistical model: spaCy's DATE/TIME entities miss most
durations, sets and relative references and give no value at all, and a library such as
dateparser is both slow and blind to TimeML conventions (``P4D``, ``2025-W38``,
``PAST_REF``). This is a HeidelTime-style grammar, but run over *token classes*: the text
is cut into tokens by one precompiled regex, every token becomes one symbol ("month",
"weekday", "number word", "unit", ...), and the grammar rules are regexes over that short
symbol string. That keeps the cost at a few percent of a parse while the rules stay
readable (``<the>?<last><NUM><unit>``). The spaCy parse is used only where the grammar
cannot decide: the tense of the verb that governs "Friday" or "Sept. 6" says whether the
day lies before or after the publication date.

Anchoring follows the TempEval/TimeML conventions because the quality gate scores against
them: weekday names are the nearest such day before the publication date unless the verb
is future or the text says "next"/"this coming"; a month and day without a year take the
year that puts them nearest to the publication date, before it when the verb is past and
after it when it is future; "last week" is the previous ISO week, "recent weeks" is
``PAST_REF``. Without a publication date relative expressions keep their type and get
the value ``None``; absolute ones ("November 2024") still resolve.

The package follows those steps: :mod:`.lexicon` (the words), :mod:`.tokens` (text to
symbols), :mod:`.grammar` (patterns, matches, rules), :mod:`.calendar` (the anchor and
calendar arithmetic), :mod:`.amounts` (numbers and durations), :mod:`.tense` (the one use
of the parse), the rule families ``rules_*``, :mod:`.rules` (the order they are tried
in) and :mod:`.resolve` (running them over a text).
"""

from parallax.annotate.dates.calendar import parse_anchor
from parallax.annotate.dates.resolve import extract_dates

__all__ = ["extract_dates", "parse_anchor"]
