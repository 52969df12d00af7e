"""Labels: how the article describes each actor ("Venezuela's ruler", "the Venezuelan dictator").

A label's span is the descriptor only, never the name: "Venezuelan President" in
"Venezuelan President Nicolas Maduro". The rules, in the order they run:

- **premodifier**: title and role words right before a person's name, with possessive
  owners and "of"/"for" complements ("Socialist dictator of Venezuela Nicolás Maduro",
  "Special Presidential Envoy for Special Missions Richard Grenell");
- **apposition** after a name ("Maduro, the Venezuelan leader, ...") or before it
  ("our Liberator, Simón Bolívar,");
- **nominal predicate** ("Christian K. Caruzo is a Venezuelan writer ...");
- **government phrase**: "the Maduro regime" is a label *of Maduro* (the whole phrase,
  name included, because the phrase is the descriptor), "the Tren de Aragua gang" of
  the gang, "the American empire" of the United States;
- **definite description** that refers back ("The Venezuelan dictator, citing ...",
  "The president also said"): resolved to the person whose other labels share the role
  word or nationality, or, for titles, to the person named last, never to one whose
  labels give another nationality ("the US president" is not Maduro).

The rules read the tagger's part-of-speech rather than the dependency parse: on news
text the small model's tags are reliable where its attachments are not (it hangs
"Cartel of the Suns, an ... operation" on the wrong noun).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from parallax.annotate import names
from parallax.annotate.actors import positions
from parallax.model import ActorItem, LabelItem, MentionItem
from parallax.text.names import slug

MAX_PREMODIFIER = 8
MAX_APPOSITION = 18
MAX_PREDICATE = 14
MAX_DESCRIPTION = 5
NUMERIC = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
COMPLEMENT = frozenset({"of", "for"})
ARTICLES = frozenset({"the", "a", "an"})
POSSESSIVE_DETERMINERS = frozenset({"its", "his", "her", "their", "our", "my", "your"})
DEFINITE = frozenset({"the", "our"})
BOUNDARY = frozenset({",", ".", ";", ":", ")", "(", "—", "–", "!", "?"})
QUOTES = frozenset({'"', "“", "”", "‘", "’", "'", "«", "»"})
RELATIVE = frozenset({"who", "which", "that", "whose", "whom", "what", "where", "when"})
FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
PLURAL = frozenset({"NNS", "NNPS"})
BE = frozenset({"is", "was", "'s", "’s", "remains", "became", "becomes"})
PLACE_GOVERNMENT = frozenset({"empire", "regime", "government", "administration", "junta"})
DESCRIBED_KINDS = frozenset({"person", "org", "group"})
ATTR = frozenset({"attr"})
GENERIC_TITLES = frozenset({"official", "leader", "figure"})
APPOSITION_HEADS = frozenset({"recipient", "member", "figure", "one", "native", "head", "chief"})


@dataclass
class Ref:
    """One name mention placed on tokens: ``[first, last)``, its actor and kind."""

    actor: str
    kind: str
    first: int
    last: int
    is_name: bool


@dataclass
class Context:
    """Per-document lookups shared by the rules, built once."""

    doc: Doc
    refs: list[Ref]
    owner: list[int]
    """Token index -> index into ``refs`` of the mention covering it, or -1."""
    kinds: dict[str, str]
    labels: list[LabelItem] = field(default_factory=list)
    taken: set[tuple[int, int]] = field(default_factory=set)
    """Token ranges already used as labels, so a description is not labelled twice."""

    def add(self, actor: str, first: int, last: int) -> None:
        """Record the label over tokens ``[first, last)``."""
        if last <= first or (first, last) in self.taken:
            return
        start = self.doc[first].idx
        end = self.doc[last - 1].idx + len(self.doc[last - 1].text)
        self.taken.add((first, last))
        text = self.doc[first:last].text  # not doc.text: spaCy rebuilds it on each access
        self.labels.append({"actor": actor, "text": text, "span": [start, end]})

    def ref_at(self, i: int) -> Ref | None:
        return self.refs[self.owner[i]] if 0 <= i < len(self.owner) and self.owner[i] >= 0 else None


def _context(doc: Doc, actors: list[ActorItem], mentions: list[MentionItem]) -> Context:
    """Mentions on token indexes: the rules look left and right of them in tokens."""
    kinds = {a["id"]: a["kind"] for a in actors}
    aliases = {a["id"]: set(a["aliases"]) for a in actors}
    owner = [-1] * len(doc)
    refs: list[Ref] = []
    starts = doc.to_array("IDX").tolist()
    for mention in mentions:
        start, end = mention["span"]
        first = max(bisect_right(starts, start) - 1, 0)
        last = bisect_left(starts, end)
        if last <= first:
            continue
        actor = mention["actor"]
        is_name = mention["text"] in aliases.get(actor, set())
        refs.append(Ref(actor, kinds.get(actor, "other"), first, last, is_name))
        owner[first:last] = [len(refs) - 1] * (last - first)
    return Context(doc, refs, owner, kinds)


# --------------------------------------------------------------------------- role words


def _is_role(token: Token, suffixes: bool = True) -> bool:
    """A singular person-role noun: lexicon word, or (next to a name) an agent noun."""
    if token.tag_ in PLURAL or (not token.is_alpha and "-" not in token.text):
        return False
    word = token.lower_
    if word in names.PERSON_ROLES:
        return True
    return (
        suffixes
        and token.pos_ in ("NOUN", "PROPN")
        and not token.ent_type_
        and len(word) >= 5
        and word.endswith(names.AGENT_SUFFIXES)
    )


def _is_modifier(token: Token) -> bool:
    """Words that can sit inside a title phrase: nouns, names, adjectives, "of"/"for"."""
    if token.is_space or token.ent_type_ in NUMERIC or token.text in QUOTES:
        return False
    if token.lower_ in COMPLEMENT:
        return True
    if token.text == "-" and not token.whitespace_ and token.i > 0:
        return not token.doc[token.i - 1].whitespace_
    return token.pos_ in ("PROPN", "NOUN", "ADJ") and token.lower_ not in ARTICLES


def _owner_start(doc: Doc, marker: int) -> int | None:
    """Start of the owner before a possessive marker: "Venezuela" in "Venezuela's",
    "the country" in "the country's"; ``None`` when there is no owner."""
    i = marker - 1
    while i >= 0 and marker - i <= 4 and doc[i].pos_ in ("PROPN", "NOUN", "ADJ"):
        if doc[i].is_sent_start:
            return i
        i -= 1
    start = i + 1
    if start == marker:
        return None
    if i >= 0 and doc[i].lower_ in ("the",) and doc[start].pos_ != "PROPN":
        return i
    return start


def _left_run(doc: Doc, end: int, limit: int) -> int:
    """Leftmost token of the title-like run ending just before ``end``."""
    start = end
    i = end - 1
    while i >= 0 and end - i <= limit:
        token = doc[i]
        if token.tag_ == "POS" or token.text in ("'s", "’s"):
            owner = _owner_start(doc, i)
            return owner if owner is not None else start
        if not _is_modifier(token):
            break
        start = i
        if token.is_sent_start:
            break
        i -= 1
    while start < end and (doc[start].lower_ in COMPLEMENT or doc[start].text == "-"):
        start += 1
    if start < end and start > 0 and doc[start - 1].lower_ in POSSESSIVE_DETERMINERS:
        start -= 1
    return start


def _title_end_ok(doc: Doc, start: int, end: int) -> bool:
    """The run must end in a role ("U.S. special envoy") or a role with its "of"/"for"
    complement ("dictator of Venezuela", "Envoy for Special Missions")."""
    if start >= end:
        return False
    if _is_role(doc[end - 1]):
        return True
    for m in range(end - 2, start, -1):
        if doc[m].lower_ in COMPLEMENT:
            return _is_role(doc[m - 1], suffixes=False) and all(
                doc[k].pos_ in ("PROPN", "NOUN", "ADJ") for k in range(m + 1, end)
            )
    return False


# --------------------------------------------------------------------------- name rules


def _premodifier(ctx: Context, ref: Ref) -> None:
    """Premodifier: "Venezuelan President Nicolas Maduro" -> "Venezuelan President"."""
    start = _left_run(ctx.doc, ref.first, MAX_PREMODIFIER)
    if start < ref.first and _title_end_ok(ctx.doc, start, ref.first):
        ctx.add(ref.actor, start, ref.first)


def _phrase_end(doc: Doc, start: int, limit: int, stop_at_and: bool) -> int | None:
    """End of a noun phrase starting at ``start``: the next boundary, quote or line end."""
    for i in range(start, min(len(doc), start + limit + 1)):
        token = doc[i]
        if token.text in BOUNDARY or token.text in QUOTES or token.is_space:
            return i
        if stop_at_and and (token.pos_ == "CCONJ" or token.lower_ in RELATIVE):
            return i
        if i > start and token.is_sent_start:
            return i
    return len(doc) if len(doc) - start <= limit else None


def _is_description(ctx: Context, start: int, end: int) -> bool:
    """A noun phrase that describes: a common noun not inside a name, no conjunction,
    and no finite verb unless inside a relative clause ("who oversees ...", "a network
    it has designated ...")."""
    has_noun = relative = False
    for i in range(start, end):
        token = ctx.doc[i]
        if token.lower_ in RELATIVE or (has_noun and token.pos_ == "PRON"):
            relative = True
        elif (token.pos_ == "CCONJ" and not relative) or (token.tag_ in FINITE and not relative):
            return False
        elif token.pos_ == "NOUN" and ctx.owner[i] < 0 and not relative:
            has_noun = True
    return has_noun


def _apposition_after(ctx: Context, ref: Ref) -> None:
    """Apposition after: "Maduro, the Venezuelan leader, ..." -> "the Venezuelan leader"."""
    doc = ctx.doc
    comma = ref.last
    if comma + 1 >= len(doc) or doc[comma].text != ",":
        return
    start = comma + 1
    if not _starts_noun_phrase(doc, start):
        return
    end = _phrase_end(doc, start, MAX_APPOSITION, stop_at_and=False)
    if end is None:
        end = _phrase_end(doc, start, MAX_APPOSITION, stop_at_and=True)
    if end is None or end - start < 2 or not _is_description(ctx, start, end):
        return
    if ref.kind == "person" and not _person_head(doc, start, end):
        return
    ctx.add(ref.actor, start, end)


def _starts_noun_phrase(doc: Doc, start: int) -> bool:
    """An apposition's start: "the", "a", "its", a bare role ("president of the cooperative"), or a
    possessive ("Orsland's special envoy")."""
    first = doc[start].lower_
    if first in ARTICLES or first in POSSESSIVE_DETERMINERS or _is_role(doc[start], False):
        return True
    for i in range(start, min(start + 4, len(doc))):
        if doc[i].text in ("'s", "’s"):
            return i > start
        if doc[i].pos_ != "PROPN":
            return False
    return False


def _person_head(doc: Doc, start: int, end: int) -> bool:
    """The head noun of a person's apposition is a person word ("a hardliner who ...",
    "its intended recipient"); "Ruvalle, a strategy that has failed" is not one."""
    head: Token | None = None
    for token in doc[start:end]:
        if token.lower_ in RELATIVE or token.pos_ in ("ADP", "VERB") or token.text == ",":
            break
        if token.pos_ in ("NOUN", "PROPN"):
            head = token
    return head is not None and (_is_role(head) or head.lower_ in APPOSITION_HEADS)


def _apposition_before(ctx: Context, ref: Ref) -> None:
    """Apposition before: "our Liberator, Simón Bolívar," -> "our Liberator"; "The mayor
    of Oskeln, Stefan Ruhl," -> "The mayor of Oskeln", also across a title ("Veyra's
    parish priest, Father Bruno Lessing,"). Only when the name is then closed off by
    punctuation, so "After meeting the minister, Maduro said" is not one."""
    doc = ctx.doc
    after = doc[ref.last] if ref.last < len(doc) else None
    if after is not None and after.text not in BOUNDARY and after.text not in QUOTES:
        return
    comma = ref.first - 1
    title = _left_run(doc, ref.first, MAX_PREMODIFIER)
    if title < ref.first and _title_end_ok(doc, title, ref.first):
        comma = title - 1
    if comma < 1 or doc[comma].text != ",":
        return
    start = _left_run(doc, comma, MAX_PREMODIFIER)
    if not _title_end_ok(doc, start, comma):
        return
    if start > 0 and doc[start - 1].lower_ in ARTICLES:
        start -= 1
    if start > 0 and doc[start - 1].pos_ in ("VERB", "AUX"):
        return
    ctx.add(ref.actor, start, comma)


def _predicate(ctx: Context, ref: Ref) -> None:
    """Predicate: "Christian K. Caruzo is a Venezuelan writer and ..." -> "a Venezuelan writer"."""
    doc = ctx.doc
    verb = ref.last
    if ref.kind not in DESCRIBED_KINDS or verb + 1 >= len(doc):
        return
    if doc[verb].lower_ not in BE or doc[verb].pos_ not in ("AUX", "VERB"):
        return
    start = verb + 1
    if doc[start].lower_ not in ARTICLES:
        return
    end = _phrase_end(doc, start, MAX_PREDICATE, stop_at_and=True)
    if end is not None and end - start >= 2 and _is_description(ctx, start, end):
        ctx.add(ref.actor, start, end)


def _government_of(ctx: Context, ref: Ref) -> None:
    """Government of: "the administration of Donald Trump" -> "the administration", so
    that it compares with "the Maduro regime" in another outlet."""
    doc = ctx.doc
    of = ref.first - 1
    if ref.kind != "person" or of < 1 or doc[of].lower_ != "of":
        return
    if doc[of - 1].lower_ not in names.REGIME_NOUNS:
        return
    start = of - 1
    if start > 0 and doc[start - 1].lower_ in DEFINITE:
        start -= 1
    ctx.add(ref.actor, start, of)


def _government(ctx: Context, ref: Ref) -> None:
    """Government phrase: "the Maduro regime" of Maduro, "the Tren de Aragua gang" of the gang."""
    doc = ctx.doc
    head = ref.last
    if head < len(doc) and doc[head].text in ("'s", "’s"):
        head += 1
    if head >= len(doc):
        return
    word = doc[head].lower_
    wanted = names.REGIME_NOUNS if ref.kind == "person" else names.GROUP_HEADS
    if word not in wanted or ref.kind not in DESCRIBED_KINDS:
        return
    start = ref.first
    if start > 0 and doc[start - 1].lower_ in DEFINITE and head == ref.last:
        start -= 1
    ctx.add(ref.actor, start, head + 1)


# --------------------------------------------------------------------------- descriptions


@dataclass
class Profile:
    """What an actor's labels say: its role words and the places of its nationality."""

    roles: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)


def _places_in(ctx: Context, first: int, last: int) -> set[str]:
    """Nationality of a phrase: place mentions in it and known nationality adjectives."""
    found: set[str] = set()
    for i in range(first, last):
        ref = ctx.ref_at(i)
        if ref is not None and ref.kind == "place":
            found.add(ref.actor)
            continue
        place = names.demonym_place_name(ctx.doc[i].text)
        if place is not None:
            found.add(slug(place))
    return found


def _profiles(ctx: Context) -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    for label in ctx.labels:
        start, end = label["span"]
        span = ctx.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        profile = profiles.setdefault(label["actor"], Profile())
        profile.roles |= {t.lower_ for t in span if t.lower_ in names.PERSON_ROLES}
        profile.places |= _places_in(ctx, span.start, span.end)
    return profiles


def _description_at(ctx: Context, det: int) -> tuple[int, int, int] | None:
    """A definite description starting at determiner ``det``: (start, role, end)."""
    doc = ctx.doc
    i = det + 1
    while i < len(doc) and i - det <= MAX_DESCRIPTION and not _is_role(doc[i], suffixes=False):
        if (
            not _is_modifier(doc[i])
            or doc[i].lower_ in COMPLEMENT
            or (ctx.owner[i] >= 0 and (ctx.kinds.get(ctx.refs[ctx.owner[i]].actor) != "place"))
        ):
            return None
        i += 1
    if i >= len(doc) or i - det > MAX_DESCRIPTION or ctx.owner[i] >= 0:
        return None
    end = i + 1
    nxt = doc[end] if end < len(doc) else None
    if nxt is not None and (nxt.pos_ in ("NOUN", "PROPN") or ctx.owner[end] >= 0):
        return None
    if nxt is not None and nxt.text == "," and ctx.ref_at(end + 1) is not None:
        return None
    if nxt is not None and nxt.lower_ == "of" and doc[i].lower_ in names.HEAD_OF_STATE:
        end = _of_complement(doc, end)
    return det, i, end


def _of_complement(doc: Doc, of: int) -> int:
    """End of an "of" complement ("the head" + "of state"), or ``of`` when there is none."""
    i = of + 1
    if i < len(doc) and doc[i].lower_ in ARTICLES:
        i += 1
    start = i
    while i < len(doc) and i - start < 3 and doc[i].pos_ in ("NOUN", "PROPN", "ADJ"):
        i += 1
    return i if i > start else of


def _resolve(
    ctx: Context, role: str, places: set[str], position: int, profiles: dict[str, Profile]
) -> str | None:
    """The person a description refers back to, or ``None`` when nothing supports one.

    Recency counts only people named in earlier sentences: in "Feldt thanked the
    envoy" the envoy is not Feldt.
    """
    seen: dict[str, int] = {}
    last_person: str | None = None
    sentence = ctx.doc[position].sent.start
    for ref in ctx.refs:
        if ref.first >= position:
            break
        if ref.kind == "person" and ref.is_name:
            seen[ref.actor] = seen.get(ref.actor, 0) + 1
            if ref.first < sentence:
                last_person = ref.actor
    if not seen:
        return None
    most = max(seen.values())
    best: tuple[float, str] | None = None
    for actor, count in seen.items():
        profile = profiles.get(actor, Profile())
        if places and profile.places and not places & profile.places:
            continue
        score = 0.5 * count / most
        if role in profile.roles:
            score += 3
        elif role in names.HEAD_OF_STATE and profile.roles & names.HEAD_OF_STATE:
            score += 2
        if places & profile.places:
            score += 1
        if actor == last_person and role in names.TITLES and _fits(role, profile):
            score += 2
        if score >= 2 and (best is None or score > best[0]):
            best = (score, actor)
    return best[1] if best else None


def _predicatives(ctx: Context) -> None:
    """Predicate nouns of "be": "X is a ...", and subjectless "accused Maduro of being
    a leading figure, if not the leader" (the person named last in the sentence)."""
    doc = ctx.doc
    for i in positions(doc, "DEP", ATTR):
        token = doc[i]
        if token.head.lemma_ != "be" or token.pos_ != "NOUN":
            continue
        det = next((c.i for c in token.children if c.dep_ == "det"), None)
        if det is None or doc[det].lower_ not in ARTICLES or token.i - det > MAX_DESCRIPTION:
            continue
        if any(t.pos_ in ("CCONJ", "PUNCT") for t in doc[det + 1 : token.i]):
            continue
        actor = _subject_of(ctx, token.head, det)
        if actor is not None and ctx.kinds.get(actor) in DESCRIBED_KINDS:
            ctx.add(actor, det, token.i + 1)


def _subject_of(ctx: Context, verb: Token, before: int) -> str | None:
    """The actor a form of "be" predicates of: its subject's mention, or without a
    subject the last person named earlier in the same sentence."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            ref = ctx.ref_at(child.i)
            return ref.actor if ref is not None and ref.is_name else None
    start = verb.sent.start
    found: str | None = None
    for ref in ctx.refs:
        if ref.first >= before:
            break
        if ref.first >= start and ref.kind == "person" and ref.is_name:
            found = ref.actor
    return found


def _fits(role: str, profile: Profile) -> bool:
    """Recency may resolve a title only to someone it fits: no labels yet, the same
    role, a generic one ("official"), or both heads of state. "the envoy" after "his
    sister Anna Feldt" is someone else; "the head of state" is not the Foreign Minister."""
    if not profile.roles or role in profile.roles or role in GENERIC_TITLES:
        return not profile.roles or bool(profile.roles & names.TITLES)
    return role in names.HEAD_OF_STATE and bool(profile.roles & names.HEAD_OF_STATE)


def _descriptions(ctx: Context) -> None:
    """Definite descriptions: "The Venezuelan dictator, citing ..." -> the person meant."""
    doc = ctx.doc
    roles = positions(doc, "LOWER", names.PERSON_ROLES)
    if not roles:
        return
    profiles = _profiles(ctx)
    for i in positions(doc, "LOWER", DEFINITE):
        nearest = bisect_right(roles, i)
        if ctx.owner[i] >= 0 or nearest == len(roles) or roles[nearest] - i > MAX_DESCRIPTION:
            continue
        found = _description_at(ctx, i)
        if found is None:
            continue
        start, role, end = found
        if any(start < b and a < end for a, b in ctx.taken):
            continue
        places = _places_in(ctx, start, role)
        actor = _resolve(ctx, doc[role].lower_, places, start, profiles)
        if actor is not None:
            ctx.add(actor, start, end)


def _place_governments(ctx: Context) -> None:
    """Place governments: "the American empire" -> the United States (when named)."""
    doc = ctx.doc
    for ref in ctx.refs:
        if ref.is_name or ref.kind != "place" or ref.last >= len(doc):
            continue
        head, det = doc[ref.last], doc[ref.first - 1] if ref.first > 0 else None
        if head.lower_ in PLACE_GOVERNMENT and det is not None and det.lower_ in DEFINITE:
            ctx.add(ref.actor, ref.first - 1, ref.last + 1)


def extract_labels(
    doc: Doc, actors: list[ActorItem], mentions: list[MentionItem]
) -> list[LabelItem]:
    """Every descriptor the article attaches to an actor, with its span in ``doc.text``."""
    ctx = _context(doc, actors, mentions)
    for ref in ctx.refs:
        if not ref.is_name:
            continue
        if ref.kind == "person":
            _premodifier(ctx, ref)
            _apposition_before(ctx, ref)
        _apposition_after(ctx, ref)
        _predicate(ctx, ref)
        _government(ctx, ref)
        _government_of(ctx, ref)
    _place_governments(ctx)
    _predicatives(ctx)
    _descriptions(ctx)
    return sorted(ctx.labels, key=lambda label: (label["span"][0], label["span"][1]))
