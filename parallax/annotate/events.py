"""Events: who did what to whom, read off the dependency parse.

Each event is an actor (the verb's subject, resolved to an actor mention), an action
(the verb's lemma), a category from a small ontology in the spirit of PLOVER, a
target (the object, or the object of "with/against/on/to"), the date of the
sentence when it has one, and the span from subject to object.

The ontology (``CATEGORIES``) is a verb lexicon: deliberately small and documented,
so that a category can be traced to the word that triggered it. Verbs outside it
produce no event.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from parallax.model import ActorItem, DateItem, EventItem, MentionItem

CATEGORIES: dict[str, tuple[str, ...]] = {
    "AGREE": ("agree", "accept", "approve", "sign", "ratify", "settle"),
    "CONSULT": ("meet", "talk", "discuss", "negotiate", "visit", "host", "consult", "mediate"),
    "SUPPORT": ("support", "praise", "back", "welcome", "thank", "endorse", "applaud"),
    "COOPERATE": ("cooperate", "collaborate", "coordinate", "offer", "propose", "ally"),
    "AID": ("aid", "assist", "donate", "supply", "rescue", "evacuate", "shelter"),
    "YIELD": ("release", "free", "withdraw", "retreat", "surrender", "concede", "resign", "pardon"),
    "REQUEST": ("ask", "request", "demand", "urge", "appeal", "plead", "call"),
    "ACCUSE": ("accuse", "blame", "charge", "criticize", "criticise", "condemn", "denounce"),
    "REJECT": ("reject", "deny", "refuse", "dismiss", "veto", "oppose", "decline"),
    "THREATEN": ("threaten", "warn"),
    "PROTEST": ("protest", "march", "rally", "boycott", "picket"),
    "MOBILIZE": ("deploy", "mobilize", "mobilise", "station", "train", "arm", "reinforce"),
    "SANCTION": ("sanction", "ban", "embargo", "expel", "suspend", "freeze", "restrict"),
    "COERCE": ("arrest", "detain", "seize", "blockade", "deport", "imprison", "jail", "raid"),
    "ASSAULT": ("attack", "kill", "bomb", "shoot", "strike", "target", "destroy", "sink"),
    "FIGHT": ("fight", "invade", "clash", "battle", "shell", "besiege"),
    "STATEMENT": (
        "say", "state", "announce", "claim", "write", "tell", "note", "reveal", "declare",
        "insist", "argue", "stress", "emphasize", "emphasise", "publish",
    ),
}  # fmt: skip
CATEGORY_OF = {verb: category for category, verbs in CATEGORIES.items() for verb in verbs}
_SUBJECTS = ("nsubj", "nsubjpass")
_TARGET_PREPS = ("with", "against", "on", "to", "at", "from")


def extract_events(
    doc: Doc, actors: list[ActorItem], mentions: list[MentionItem], dates: list[DateItem]
) -> list[EventItem]:
    """Events of the doc, in text order."""
    by_start = sorted(mentions, key=lambda m: m["span"][0])
    people = {a["id"] for a in actors if a["kind"] == "person"}
    collective = {a["id"] for a in actors if a["kind"] in ("org", "group", "place")}
    antecedents = {
        "he": people,
        "she": people,
        "him": people,
        "her": people,
        "they": collective,
        "them": collective,
    }
    events: list[EventItem] = []
    for sentence in doc.sents:
        date = _sentence_date(sentence, dates)
        for token in sentence:
            if token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in CATEGORY_OF:
                event = _event(token, by_start, antecedents, date)
                if event is not None:
                    events.append(event)
    return events


def _event(
    verb: Token, mentions: list[MentionItem], antecedents: dict[str, set[str]], date: str | None
) -> EventItem | None:
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    passive = subject is not None and subject.dep_ == "nsubjpass"
    agent = _agent(verb) if passive else subject
    obj = subject if passive else _object(verb)
    actor = _actor_of(agent, mentions, antecedents)
    target = _actor_of(obj, mentions, antecedents)
    if actor is None and target is None:
        return None
    parts = [t for t in (agent, obj) if t is not None]
    start = min([verb.i, *(t.left_edge.i for t in parts)])
    end = max([verb.i, *(t.right_edge.i for t in parts)]) + 1
    doc = verb.doc
    return {
        "actor": actor,
        "action": verb.lemma_.lower(),
        "category": CATEGORY_OF[verb.lemma_.lower()],
        "target": target,
        "date": date,
        "span": [doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)],
    }


def _agent(verb: Token) -> Token | None:
    """'was released by Venezuela': the object of the agent 'by'."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _object(verb: Token) -> Token | None:
    """The direct object, else the object of a preposition that names a target."""
    for child in verb.children:
        if child.dep_ in ("dobj", "dative"):
            return child
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in _TARGET_PREPS:
            found = next((g for g in child.children if g.dep_ == "pobj"), None)
            if found is not None:
                return found
    return None


def _actor_of(
    token: Token | None, mentions: list[MentionItem], antecedents: dict[str, set[str]]
) -> str | None:
    """The actor a noun phrase names: a mention inside its subtree, or a pronoun's antecedent."""
    if token is None:
        return None
    start, end = token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text)
    head = (token.idx, token.idx + len(token.text))
    inside = [m for m in mentions if start <= m["span"][0] and m["span"][1] <= end]
    for mention in inside:  # prefer the mention that covers the head word
        if mention["span"][0] <= head[0] and head[1] <= mention["span"][1]:
            return mention["actor"]
    if inside:
        return inside[0]["actor"]
    fitting = antecedents.get(token.lower_)
    if fitting:
        before = [m for m in mentions if m["span"][1] <= token.idx and m["actor"] in fitting]
        return before[-1]["actor"] if before else None
    return None


def _sentence_date(sentence: Span, dates: list[DateItem]) -> str | None:
    """The first resolved calendar date inside the sentence, if any."""
    for item in dates:
        inside = sentence.start_char <= item["span"][0] < sentence.end_char
        if inside and item["type"] in ("date", "time") and item["value"]:
            value = item["value"]
            if value[:1].isdigit():
                return value
    return None
