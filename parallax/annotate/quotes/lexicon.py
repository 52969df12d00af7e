"""The words quote attribution reads, and its thresholds.

Attribution is decided by word lists over the parse (a verb of saying, a pronoun, a role
noun), so the lists are kept together where they can be read and tuned as one lexicon,
apart from the steps that use them. ``CUE_LEXICON`` is documented in
``docs/quality/quotes.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from spacy.strings import get_string_id

# -- cue verbs -----------------------------------------------------------------------------

CCOMP = "ccomp"
DOBJ = "dobj"
XCOMP = "xcomp"
OPRD = "oprd"
_FOR = "prep:for"
_OF = "prep:of"
_AS = "prep:as"


def _lexicon(groups: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, frozenset[str]]:
    """Verb -> content kinds, merged over the groups a verb appears in."""
    table: dict[str, set[str]] = {}
    for words, kinds in groups:
        for word in words.split():
            table.setdefault(word, set()).update(kinds)
    return {word: frozenset(kinds) for word, kinds in table.items()}


CUE_LEXICON: Mapping[str, frozenset[str]] = _lexicon(
    [
        # Verbs of saying: what was said is their clausal complement.
        (
            "say tell add note claim state argue insist warn announce reveal write report "
            "explain assert maintain declare acknowledge admit confirm deny suggest emphasize "
            "emphasise stress repeat reiterate contend allege complain concede predict promise "
            "pledge vow respond reply answer ask tweet post recall remark comment observe "
            "mention indicate testify charge counter agree estimate conclude boast joke quip "
            "caution advise assure inform propose hint speculate lament retort signal "
            "acknowledge guarantee threaten demand urge question disclose wonder recommend "
            "discuss",
            (CCOMP,),
        ),
        # Stance and findings: PolNeAR (and the product) count a poll's finding or a
        # speaker's belief as attributed content, but only with a clause ("believes that").
        ("believe think expect hope fear worry doubt show find", (CCOMP,)),
        # Rulings and realisations reported as content ("Politifact ruled that ...").
        ("point rule learn decide determine acknowledge recognize recognise proclaim", (CCOMP,)),
        # Verbs whose object is the content: "denied the US allegation", "announced a plan".
        (
            "deny announce reveal report confirm acknowledge admit promise predict propose "
            "suggest demand accuse blame criticize criticise question dispute reject dismiss "
            "note cite call urge ask warn mention emphasize stress repeat reiterate describe "
            "condemn claim estimate allege pledge vow praise attack mock slam blast "
            "endorse oppose reference detail outline disclose charge proclaim discuss "
            "express denounce decry bemoan lambaste tout compare applaud recommend explain "
            "complain",
            (DOBJ,),
        ),
        # Promising, urging, refusing, wanting: the infinitive ("vowed to fight").
        (
            "promise pledge vow threaten refuse decline urge ask call tell encourage demand "
            "agree want plan decide intend seek expect hope warn propose admit acknowledge "
            "deny",
            (XCOMP,),
        ),
        (
            "call blame criticize criticise praise attack blast slam mock lambaste condemn "
            "denounce",
            (_FOR,),
        ),
        ("accuse warn", (_OF,)),
        ("complain talk speak ask warn write brag boast", ("prep:about",)),
        ("insist", ("prep:on",)),
        (
            "describe dismiss blast slam attack criticize criticise mock denounce condemn "
            "praise brand label portray paint cast tout characterize characterise hail",
            (_AS,),
        ),
        ("point liken compare", ("prep:to",)),
        ("call label brand", (OPRD,)),
    ]
)
"""Cue verb lemma -> where its reported content is in the parse.

Documented in ``docs/quality/quotes.md``; verbs are only cues when that content is there
(``add`` with a clause is speech, ``add sugar`` is not)."""

SPEECH_NOUNS = frozenset(
    "claim assertion charge insistence allegation argument contention warning statement "
    "suggestion acknowledgment acknowledgement admission denial promise pledge vow "
    "prediction report announcement conclusion accusation complaint remark declaration "
    "testimony boast assurance".split()
)
"""Nouns of saying whose *that*-clause is what was said (*Trump's claim that there have
been thousands of shootings*); the possessor, or the name they are compounded with, says it."""

TAKES_OBJECT = frozenset("make level file hear offer issue raise repeat bring give".split())
"""Verbs besides the object cues that leave a gap in *the claim that he made*: a
relative clause, not the content of the claim."""

PURE_SPEECH = frozenset(
    "say tell write add ask reply respond answer declare tweet post state explain remark "
    "comment recall quip joke exclaim shout chant sing continue read".split()
)
"""Verbs that make whatever quote hangs from them a quote, even when the parser did not
label it as their complement (``He said “...”`` parsed as an object)."""
AUTHOR_VERBS = frozenset("send write sign pen issue draft post tweet release address".split())
"""Verbs whose object is a document the subject wrote (*Maduro sent a letter*)."""

# -- speakers ------------------------------------------------------------------------------

PRONOUNS_PERSON = frozenset("he she him her".split())
ROLE_NOUNS = frozenset(
    "president dictator leader official spokesman spokeswoman spokesperson minister "
    "senator governor mayor candidate nominee chairman chairwoman chair secretary envoy "
    "ambassador general director chief lawmaker congressman congresswoman representative "
    "diplomat ruler premier chancellor king queen prince judge prosecutor attorney adviser "
    "advisor aide strongman politician businessman billionaire democrat republican "
    "commander".split()
)
"""Heads of definite descriptions ("the Venezuelan dictator") that refer back to a person."""
DOC_NOUNS = frozenset(
    "letter text message statement note memo missive document tweet post email e-mail "
    "release communique communiqué op-ed column essay".split()
)
"""Documents that "read", "say" or "continue": their author is the speaker."""
WRITER = frozenset("i we you me us".split())
"""Outside quotation marks, these speak in the writer's own voice (*I believe*)."""
NOT_SPEAKERS = frozenset(
    "update updated note editor's note related photo photos video watch read source sources "
    "correction caption credit image images listen advertisement warning breaking exclusive "
    "analysis opinion background q a".split()
)
"""Words before a paragraph's colon that label the paragraph, not a speaker."""
HEADLINE_SOURCES = frozenset("poll survey study".split())
"""Labels that speak in a headline ``Poll: Clinton and Trump in dead heat``."""
NAME_ENTITIES = frozenset(("PERSON", "ORG", "NORP", "GPE"))
"""Entity types that can name a speaker in a ``Name: ...`` label."""

# -- grammar -------------------------------------------------------------------------------

SUBJECTS = frozenset(("nsubj", "csubj"))
RELATIVE = frozenset("who that which whom".split())
INHERIT_SUBJECT = frozenset(("conj", "xcomp", "advcl", "ccomp"))
"""Clauses that share the subject of the clause they hang on (*X arrived and said*)."""
NAME_MODIFIERS = ("appos", "compound", "poss", "nmod")
"""Dependents of a speaker's head word that may be the name (*the president, Trump*)."""
OBJECTS = frozenset(("dobj", "ccomp", "xcomp", "attr", "dative", "oprd", "acomp"))
SUBORDINATORS = frozenset(
    "if when whenever because as while although though after before since unless until "
    "once but and so yet".split()
)
"""Words that open a clause that reports nothing (*If he wins, X said*)."""
TITLE_SMALL = frozenset("a an the and or but nor of in on at to for by with from as vs via".split())
"""Words a title leaves in lower case ("One Hundred Years of Solitude")."""

# -- string ids, to find cue candidates in the token array without Token objects -----------

CUE_IDS = frozenset(get_string_id(w) for lemma in CUE_LEXICON for w in (lemma, lemma.title()))
ACCORDING_ID = get_string_id("according")
SPEECH_NOUN_IDS = frozenset(get_string_id(w) for noun in SPEECH_NOUNS for w in (noun, noun.title()))
DOC_NOUN_IDS = frozenset(get_string_id(w) for noun in DOC_NOUNS for w in (noun, noun.title()))

# -- thresholds ----------------------------------------------------------------------------

SHORT_WORDS = 3
"""A quoted phrase this short is a direct item only with a verb of saying (*he said
“never”*); with another cue (*called them “lone wolves”*) it is part of that item."""
DIRECT_COVERAGE = 0.7
"""A quote that is at least this share of what its cue verb reports is a direct item;
below it, the quote is a phrase inside an indirect one and part of that item."""
CARRY_PARAGRAPHS = 2
"""A cue-less quote continues the last speaker named at most this many paragraphs back."""
SUBJECT_PARAGRAPHS = 5
"""How far back a pronoun or *the president* looks for a person who was a subject."""
FRAME_TOKENS = 12
"""How far after a closing mark the frame's verb may be (``“...,” said X``)."""
