"""Facts and conflicts: what the articles of a story assert, lined up across outlets.

Two routes lead to a fact, both from what annotation left behind (no parse here):

* **Values** (:mod:`.slots`, :mod:`.agreement`). Each date and quantity fills a *slot*:
  what it is the value of (the predicate it hangs on and the thing it counts or dates,
  see :mod:`parallax.annotate.statements`). Values of two articles in the same slot
  either agree (:mod:`parallax.compare.values`: "70%" and "more than 70 percent") and
  make one fact, or disagree and make a **conflict**: the letter "dated Sept. 6" against
  the letter "dated September 5".
* **Sentences** (:mod:`.sentences`). The remaining checkable sentences (naming an actor
  or giving a value) are aligned by meaning, a fact holding at most one sentence per
  article.

Besides values, outlets conflict on who did something (:mod:`.roles`: ``name``
conflicts). :mod:`.words` holds the words all of them compare on, :mod:`.records` the
facts and the conflicts in the report's shape.

A fact is ``corroborated`` when independence groups of two or more outlets carry it
(wire copies and relays count once), ``single_source`` otherwise, ``disputed`` when a
conflict sits on it. Each piece of evidence says whether its article asserts it or
attributes it to a speaker; a fact asserted by one outlet and attributed by another is
flagged as attribution drift.
"""

from parallax.compare.facts.agreement import value_facts
from parallax.compare.facts.records import Fact
from parallax.compare.facts.roles import role_conflicts
from parallax.compare.facts.sentences import sentence_facts, statements_of
from parallax.compare.facts.slots import slots_of

__all__ = [
    "Fact",
    "role_conflicts",
    "sentence_facts",
    "slots_of",
    "statements_of",
    "value_facts",
]
