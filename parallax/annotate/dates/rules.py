"""The grammar: every rule, in the order the rules are tried.

Order decides ties. Candidates are taken leftmost first, then longest first, and only
when patterns match exactly the same tokens does their place here count: the one listed
first is asked first; if it finds an expression the tokens are taken and the later one
is never asked, and if it declines (returns ``None``) the next one gets its turn. So
where two rules would both read the same words, this order says which reading stands:
"the following year" goes to the relative rule (the year after publication) because it
comes before the anaphoric one (the year after the date last mentioned). Moving a rule
here changes what is found; measure it with ``bench/quality_dates.py`` before and after.
"""

from __future__ import annotations

import re

from parallax.annotate.dates import (
    rules_absolute,
    rules_days,
    rules_durations,
    rules_references,
    rules_relative,
    rules_sets,
)
from parallax.annotate.dates.grammar import Handler, Rule

RULES: tuple[Rule, ...] = (
    rules_absolute.month_day,
    rules_absolute.numeric_date,
    rules_absolute.month_with_year,
    rules_absolute.month_alone,
    rules_absolute.year_alone,
    rules_absolute.spelled_out_year,
    rules_absolute.decade,
    rules_absolute.ordinal_century,
    rules_days.day_relative,
    rules_days.weekday_name,
    rules_days.part_of_day,
    rules_relative.relative,
    rules_relative.the_unit,
    rules_relative.quarter_or_half,
    rules_relative.year_ago,
    rules_relative.units_ago,
    rules_relative.earlier_later,
    rules_durations.counted_duration,
    rules_durations.adjectival,
    rules_durations.plural_unit,
    rules_sets.recurrence,
    rules_references.reference,
    rules_days.clock_time,
    rules_days.holiday_name,
    rules_relative.season_name,
    rules_references.anaphoric,
    rules_relative.year_end,
    rules_absolute.second_day,
    rules_durations.vague,
    rules_days.early_part_of_day,
)
"""Every rule of the grammar, earliest tried first (see the module's docstring)."""

PATTERNS: tuple[tuple[re.Pattern[str], Handler], ...] = tuple(
    (regex, rule.handler) for rule in RULES for regex in rule.regexes
)
"""Every pattern of :data:`RULES` with its handler, flattened in the same order: a
pattern's place here is its rank among candidates that match the same tokens."""
