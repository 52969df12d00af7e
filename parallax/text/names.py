"""Name vocabulary shared by the stages that compare people's names: actor ids, given-name
forms ("Rick" is a form of "Richard"), name suffixes and the typo distance between names.

Annotation links mentions within one article with these; stories merge the actors of
many articles with the same rules, so both must read one table.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from parallax.text import fold, slug

__all__ = [
    "GIVEN_NAME_GROUPS",
    "NAME_SUFFIXES",
    "given_names_match",
    "is_short_given_form",
    "levenshtein",
    "slug",
    "unique_ids",
]


def unique_ids(wanted: Sequence[str], kinds: Sequence[str] | None = None) -> list[str]:
    """One distinct id per actor, from the slugs ``wanted`` in a stable order.

    The first actor that wants a slug gets it. Every later one gets the slug and a number,
    "-2", "-3", ... in order (given ``kinds``, first the slug and its kind), skipping any id
    another actor has or wants: "Foo 2" keeps "foo-2" even after two actors named "Foo".
    """
    taken = set(wanted)
    ids: list[str] = []
    first: set[str] = set()
    for i, base in enumerate(wanted):
        if base not in first:
            first.add(base)
            ids.append(base)
            continue
        candidates = [f"{base}-{kinds[i]}"] if kinds is not None else []
        chosen = next((c for c in candidates if c not in taken), None)
        number = 2
        while chosen is None:
            if f"{base}-{number}" not in taken:
                chosen = f"{base}-{number}"
            number += 1
        taken.add(chosen)
        ids.append(chosen)
    return ids


def _groups(spec: str) -> tuple[dict[str, frozenset[int]], dict[int, str]]:
    """``"richard rick dick; william bill"`` -> (name -> ids of its groups, id -> formal name)."""
    table: dict[str, set[int]] = {}
    formal: dict[int, str] = {}
    for number, group in enumerate(spec.split(";")):
        names = group.split()
        formal[number] = names[0]
        for name in names:
            table.setdefault(name, set()).add(number)
    return {name: frozenset(ids) for name, ids in table.items()}, formal


# Given names that denote the same person: the formal form first, then its common
# short and familiar forms (English, plus a few Spanish and Slavic ones seen in news).
# A name may sit in several groups ("chris": Christopher, Christian, Christine).
GIVEN_NAME_GROUPS, _FORMAL = _groups(
    "richard rick ricky rich richie dick;"
    " william bill billy will willy liam;"
    " robert bob bobby rob robbie bert;"
    " alexander alex alec sasha sandy; alexandra alex sasha sandra;"
    " michael mike mick mickey; james jim jimmy jamie; thomas tom tommy; tomas tom;"
    " joseph joe joey; jose pepe; daniel dan danny; david dave davey;"
    " stephen steve stevie; steven steve; christopher chris kit; christian chris;"
    " christine chris chrissy; nicholas nick nicky; nicolas nico; anthony tony;"
    " antonio toni tony; edward ed eddie ted teddy; edwin ed; edmund ed;"
    " kenneth ken kenny; lawrence larry; gerald jerry gerry; jerome jerry;"
    " peter pete; samuel sam sammy; samantha sam; benjamin ben benny;"
    " matthew matt; andrew andy drew; timothy tim timmy; patrick pat paddy;"
    " patricia pat patty trish; katherine kate katie kathy cathy kat;"
    " catherine kate katie cathy; elizabeth liz lizzie beth betty eliza;"
    " margaret maggie meg peggy; susan sue susie; jennifer jen jenny;"
    " vladimir vlad volodymyr; francisco paco pancho; ignacio nacho;"
    " donald don donnie; john jack johnny; henry hank harry; harold harry;"
    " charles chuck charlie; frederick fred freddie; gregory greg;"
    " jeffrey jeff; jonathan jon; joshua josh; nathan nate; nathaniel nate;"
    " philip phil; ronald ron ronnie; raymond ray; rudolph rudy; stanley stan;"
    " vincent vince; zachary zach; gabriel gabe; albert al bert; alan al;"
    " alfred al alfie; abraham abe; barbara barb; deborah deb debbie;"
    " eleanor ellie nora; joanna jo; rebecca becky; victoria vicky tori;"
    " dmitry dima; mikhail misha; yekaterina katya; ekaterina katya"
)

# Name suffixes that are not the surname: "Martin Luther King Jr." has surname King.
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})

# Title and honorific words stripped from the front of a PERSON entity: the actor is
# "Donald Trump", and "President" becomes a label ("President Donald Trump").


def given_names_match(first: str, second: str) -> bool:
    """True when two given names can be the same person's: equal after folding, one an
    initial of the other ("R." / "Richard"), or forms of one name ("Rick" / "Richard")."""
    a, b = fold(first).rstrip("."), fold(second).rstrip(".")
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[:1] == b[:1]
    groups_a = GIVEN_NAME_GROUPS.get(a)
    groups_b = GIVEN_NAME_GROUPS.get(b)
    return bool(groups_a and groups_b and groups_a & groups_b)


def is_short_given_form(name: str) -> bool:
    """True for familiar forms ("Rick"), which lose to the formal one as canonical name."""
    key = fold(name)
    groups = GIVEN_NAME_GROUPS.get(key, frozenset())
    return bool(groups) and all(_FORMAL[group] != key for group in groups)


def levenshtein(a: str, b: str, limit: int = 3) -> int:
    """Edit distance between two names, ``limit`` when it is ``limit`` or more."""
    return min(Levenshtein.distance(a, b, score_cutoff=limit), limit)
