"""Quotes and attributed statements: who said what, direct ("in quotation marks") or indirect.

Everything here reads the spaCy parse the pipeline already made (tokens, ``dep_``,
``lemma_``, sentences); no extra model runs, so the cost is a few linear passes over the
tokens (about 1-3% of the parse, see ``docs/quality/quotes.md``).

How an article becomes quote items
==================================

1. **Quotation marks** are paired per paragraph by a small state machine over the raw
   text (:func:`parallax.text.quotes.quotations`, shared with other stages; runs in
   :func:`.marks.find_runs`). Typographic double marks “ ”, straight ``"``, the NYT's
   doubled apostrophes ``''``, guillemets, and single marks ‘ ’ / ``'`` (single ones only
   outside double ones, and only where the context says "quotation mark", never the
   apostrophe in *Venezuela’s* or *don’t*). A paragraph that ends inside a quote whose next
   paragraph starts with an opening mark continues the quote there (the newspaper
   convention for multi-paragraph quotes): one *run* of segments, one item per paragraph,
   one speaker for all. Item spans always exclude the quotation marks.
2. **Each run is attributed** (:mod:`.direct`), in this order:

   a. Title Case words in quotation marks (“One Hundred Years of Solitude”) name a work
      or a headline, not speech: no item;
   b. the speech verb that governs the quote in the dependency tree (``“...,” he said``:
      the quote is the ``ccomp`` of *said*). If the quote is most of what that verb
      reports (:data:`.lexicon.DIRECT_COVERAGE`), the quote is a *direct* item with that
      speaker and cue. If it is only a phrase inside a longer reported clause (*claimed that
      “only 5 percent” of the drugs ... are transported*), or a short phrase that a verb
      other than one of saying reports (*called them “lone wolves”*), it is **part of
      that attribution**: the indirect item for the clause contains it, and no separate
      item is made;
   c. the journalistic frame (:mod:`.frames`) after the closing mark (``“...,” Maduro
      wrote``, ``“...?” she asked``, ``“...” ― Hillary Clinton``), then before the opening
      mark (``X said: “...”``, ``X said, “...”``, ``According to X, “...”``, ``Pence:
      “...”``, a previous paragraph ending in ``said:``); the speaker is the verb's
      subject when the parse puts it in the frame, else the name there (the parse often
      makes a word of the quote the subject). Transcript turns (``"WALLACE: ...``) name
      their own speaker;
   d. a quote that is a whole sentence or paragraph on its own, without a cue, continues
      the last speaker (the most recent attributed item within two paragraphs), unless
      the sentence right before it has a named subject and no attribution (*Sanders ...
      identified young voters' exhaustion ... “The younger people are ...”*);
   e. anything else is a short quoted phrase that nobody is said to have said (the U.S.
      “invasion”): a scare quote, which is **not** a quote item (framing reports those).
3. **Indirect speech** (:mod:`.indirect`): every verb in :data:`CUE_LEXICON`
   outside quotation marks, with its reported content taken from the parse: the ``ccomp``
   clause (*noted that only 5% ...*), the object for verbs whose object is what was said
   (*denied the US allegation ...*, *accused Y of ...*, *called for ...*), the infinitive
   for verbs of promising and urging, the main clause for *according to X* and for a
   trailing ``, X said``, the noun phrase and predicate around a relative clause (*a ship
   that Trump claimed was carrying drug traffickers*). The speaker is the verb's subject
   (inherited through ``conj`` and participles; the agent of a passive; the antecedent
   of *who*). Nouns of saying with a *that*-clause are cues too (*Trump's claim that
   ...*, *the charge that ...*: the possessor speaks). Headline and transcript paragraphs
   ``Name: ...`` are attributed too (in the headline, a name the article gives elsewhere
   or *Poll:*). A cue and its colon introduce the rest of the paragraph (*He added: ...*);
   a poll or study's finding is its object (*Polls show a close race*); a light verb
   delivers what was said (*raised questions about ...*). A cue inside another speaker's
   report speaks for that reporter, whoever its subject is (*Stein said she plans to
   join*: Stein's words; *Trump said Clinton described ...*: Trump's claim). Not items:
   one-word contents (*blame Bush*) and the writer's own *I believe*.
4. **Speakers become actors** (:mod:`.resolve`): the mention overlapping the speaker's
   head word, else its name-like modifiers (apposition, compound, possessive, *of*).
   Pronouns (*he*, *she*) and definite role descriptions (*the president*, *the
   Venezuelan dictator*) take the most recent person mention outside quotation marks,
   preferring grammatical subjects, of a compatible gender where the article shows one
   (:mod:`.names`: a title, a gendered role word, a given name); a bare title takes the
   person the article last gave it (*President Obama* ... *the president*). A place or
   party beside a role is not the speaker (*the Indiana governor*), nor the person a
   spokesman or lawyer works for. The relative pronoun is the speaker's span in *an
   architect who said* (as *he* is in *he said*); the actor is the architect's.
   Documents as speakers (*the letter read*, *the text continued*) take the author of
   the most recent document the article says someone wrote or sent (*Maduro sent a
   letter*).

Fields: ``speaker_span`` is where the text names the speaker for this attribution (the
pronoun itself for *he said*; for a quote carried over from an earlier sentence, the
span that named the speaker there) and ``speaker_name`` is exactly that text;
``speaker`` is the resolved actor id. Likewise ``cue == text[cue_span]`` and
``text == doc.text[span]`` for every item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from spacy.tokens import Doc

from parallax.annotate.quotes.context import build_context
from parallax.annotate.quotes.direct import direct_items
from parallax.annotate.quotes.frames import label_items
from parallax.annotate.quotes.indirect import indirect_items
from parallax.annotate.quotes.items import carry_speakers
from parallax.annotate.quotes.lexicon import CUE_LEXICON
from parallax.annotate.quotes.marks import find_runs
from parallax.annotate.quotes.resolve import document_authors
from parallax.model import MentionItem, QuoteItem
from parallax.text.quotes import paragraphs

__all__ = ["CUE_LEXICON", "extract_quotes"]


def extract_quotes(
    doc: Doc,
    mentions: Sequence[MentionItem],
    kinds: Mapping[str, str] | None = None,
) -> list[QuoteItem]:
    """Direct quotes and indirect attributed statements of ``doc``, in text order.

    ``mentions`` are the article's actor mentions; ``kinds`` (actor id -> person, org,
    ...), when given, says which actors are people (pronouns resolve to people only);
    without it, an actor with a mention the model tagged PERSON counts as a person.
    """
    if len(doc) == 0 or not doc.has_annotation("DEP"):
        return []  # nothing to attribute with; the pipeline always parses
    text = doc.text  # built from the tokens on every access: read it once
    para_spans = paragraphs(text)
    runs = find_runs(text)
    ctx = build_context(doc, text, para_spans, runs, mentions, kinds)
    ctx.authors = document_authors(ctx)
    direct = direct_items(ctx, runs)
    indirect = indirect_items(ctx, direct) + label_items(ctx, direct)
    items = sorted(direct + indirect, key=lambda item: (item["span"][0], item["span"][1]))
    return carry_speakers(ctx, items)
