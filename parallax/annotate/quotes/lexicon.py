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
            "discuss chant",
            (CCOMP,),
        ),
        # Stance and findings: PolNeAR (and the product) count a poll's finding or a
        # speaker's belief as attributed content, but only with a clause ("believes that").
        ("believe think expect hope fear worry doubt show find feel realize realise", (CCOMP,)),
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
            "complain echo",
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
        ("speak talk", (_OF,)),
        ("comment", ("prep:on",)),
        ("insist", ("prep:on",)),
        ("threaten", ("prep:with",)),
        (
            "describe dismiss blast slam attack criticize criticise mock denounce condemn "
            "praise brand label portray paint cast tout characterize characterise hail see "
            "view regard",
            (_AS,),
        ),
        ("point liken compare", ("prep:to",)),
        ("call label brand", (OPRD,)),
    ]
)
"""Cue verb lemma -> where its reported content is in the parse.

Documented in ``docs/quality/quotes.md``; verbs are only cues when that content is there
(``add`` with a clause is speech, ``add sugar`` is not)."""

MISREAD_LEMMAS: Mapping[str, str] = {
    "hopes": "hope",
    "hoped": "hope",
    "hoping": "hope",
    "lambasted": "lambaste",
    "lambasting": "lambaste",
}
"""Cue verb forms the lemmatiser gets wrong (*hoped* -> *hop*), by lower-case form."""

EVIDENCE_VERBS = frozenset("show find indicate reveal suggest".split())
"""Verbs whose object is a finding when their subject is evidence (*polls show a close
race*); with another subject (*he showed restraint*) the object is no content."""
EVIDENCE_NOUNS = frozenset(
    "poll survey study analysis data report video footage document record audit review "
    "investigation average figure number estimate model research test probe "
    "inquiry".split()
)
"""Subjects that make *show*/*find* report a finding."""

SPEECH_NOUNS = frozenset(
    "claim assertion charge insistence allegation argument contention warning statement "
    "suggestion acknowledgment acknowledgement admission denial promise pledge vow "
    "prediction report announcement conclusion accusation complaint remark declaration "
    "testimony boast assurance".split()
)
"""Nouns of saying whose *that*-clause is what was said (*Trump's claim that there have
been thousands of shootings*); the possessor, or the name they are compounded with, says it."""

SPEECH_OBJECTS = frozenset(
    "advice assessment explanation apology proof evidence criticism praise warning statement "
    "remark comment argument defense defence assurance detail account answer response reply "
    "testimony condolence message case question concern call note plea appeal promise "
    "pledge vow threat claim charge accusation allegation complaint objection prediction "
    "suggestion proposal recommendation rebuke".split()
)
"""Nouns that are something said when a light verb delivers them (*offered no proof that
...*, *raised questions about his health*, *made the case for ...*)."""
LIGHT_VERBS = frozenset("offer give issue make deliver raise voice sound level lodge".split())
"""Verbs that deliver a :data:`SPEECH_OBJECTS` noun: the verb is the cue, the noun phrase
what was said."""

TAKES_OBJECT = frozenset("make level file hear offer issue raise repeat bring give".split())
"""Verbs besides the object cues that leave a gap in *the claim that he made*: a
relative clause, not the content of the claim."""

PURE_SPEECH = frozenset(
    "say tell write add ask reply respond answer declare tweet post state explain remark "
    "comment recall quip joke exclaim shout chant sing continue read".split()
)
"""Verbs that make whatever quote hangs from them a quote, even when the parser did not
label it as their complement (``He said “...”`` parsed as an object)."""
ACTS_ON = frozenset(
    "fire sack dismiss suspend arrest detain indict charge convict sentence sue kill shoot "
    "hire appoint nominate expel oust remove punish fine investigate defeat beat".split()
)
"""Verbs of doing something to someone (*Bowdich fired him*): their subject does not
introduce the cue-less quote that follows; the object's side may be speaking."""
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
    "commander lawyer".split()
)
"""Heads of definite descriptions ("the Venezuelan dictator") that refer back to a person."""
RELATION_ROLES = frozenset(
    "spokesman spokeswoman spokesperson aide adviser advisor attorney lawyer".split()
)
"""Roles held for someone else: the name beside them is the principal, not the speaker
(*a Clinton spokesman*, *Trump's lawyer*)."""
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
FINITE = frozenset(("VBD", "VBZ", "VBP"))
"""Tags of verbs that always have a subject (*said*, *says*, *call*)."""
RELATIVE = frozenset("who that which whom".split())
RELATIVE_SUBJECTS = frozenset(("nsubj", "nsubjpass"))
"""Roles of the relative pronoun that make its antecedent the speaker (*who said*)."""
INHERIT_SUBJECT = frozenset(("conj", "xcomp", "advcl", "ccomp", "acomp"))
"""Clauses that share the subject of the clause they hang on (*X arrived and said*, *he
was able to tout*: the adjective too)."""
NAME_MODIFIERS = ("appos", "compound", "poss", "nmod")
"""Dependents of a speaker's head word that may be the name (*the president, Trump*)."""
OBJECTS = frozenset(("dobj", "ccomp", "xcomp", "attr", "dative", "oprd", "acomp"))
QUESTION_WORDS = frozenset("when whether how why where what who if".split())
"""Words that open a reported question right after *said* (*has not said when ...*)."""
SUBORDINATORS = frozenset(
    "if when whenever because as while although though after before since unless until "
    "once but and so yet".split()
)
"""Words that open a clause that reports nothing (*If he wins, X said*)."""
TITLE_SMALL = frozenset("a an the and or but nor of in on at to for by with from as vs via".split())
"""Words a title leaves in lower case ("One Hundred Years of Solitude")."""

# -- string ids, to find cue candidates in the token array without Token objects -----------

CUE_IDS = frozenset(get_string_id(w) for lemma in CUE_LEXICON for w in (lemma, lemma.title()))
MISREAD_IDS = frozenset(get_string_id(form) for form in MISREAD_LEMMAS)
ACCORDING_ID = get_string_id("according")
SPEECH_NOUN_IDS = frozenset(get_string_id(w) for noun in SPEECH_NOUNS for w in (noun, noun.title()))
SPEECH_OBJECT_IDS = frozenset(get_string_id(noun) for noun in SPEECH_OBJECTS)
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
REPORTER_STEPS = 6
"""How many heads up a cue inside a reported clause looks for the reporting cue."""
COLON_CHARS = 40
"""How far after a cue, in characters, its colon is looked for at all."""
COLON_TOKENS = 4
"""How far after a cue its colon may be (*told reporters on Tuesday:* is too far)."""
FRAME_TOKENS = 12
"""How far after a closing mark the frame's verb may be (``“...,” said X``)."""
