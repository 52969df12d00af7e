"""Small, documented tables that actor and label extraction consult.

They are data, not code: each table says why it exists. All keys are ASCII-folded
and lower-cased (see :func:`fold`), so "Nicolás" and "Nicolas" look up the same entry.
Growing a table is the intended way to teach the extractor a new case; keep entries
to forms a news reader would recognise without context.
"""

from __future__ import annotations

from parallax.text import fold

TITLE_WORDS = frozenset(
    "president vice prime minister secretary senator sen. rep. representative gov. governor"
    " mayor general gen. col. colonel lt. capt. captain adm. admiral dr. mr. mrs. ms. mx."
    " miss sir dame lord lady king queen prince princess pope chancellor judge justice"
    " ambassador envoy special commissioner chairman chairwoman ceo director deputy"
    " respected dear sheikh emir sultan ayatollah rev. reverend sgt. sergeant lieutenant"
    " premier foreign interior defense defence finance state first presidential father"
    " brother sister bishop cardinal imam rabbi pastor".split()
)

# Person role nouns. TITLES are offices that articles use to refer back to an
# already-named person ("the president", "the Venezuelan official"); ROLES are other
# occupations and descriptions. Both are heads of premodifier labels
# ("Latin American journalist Emmanuel Rincón"); a definite description resolves to a
# person by recency only when its head is a TITLE (see labels.py).
TITLES = frozenset(
    "president vice-president minister envoy dictator ruler leader strongman autocrat"
    " despot tyrant caudillo spokesman spokeswoman spokesperson secretary ambassador"
    " diplomat general commander chief head governor mayor senator congressman"
    " congresswoman lawmaker legislator chancellor premier king queen prince princess"
    " monarch emperor pope chairman chairwoman chair ceo director official"
    " representative delegate commissioner deputy aide adviser advisor emissary"
    " negotiator mediator sultan emir sheikh ayatollah president-elect secretary-general"
    " incumbent nominee candidate liberator prosecutor judge attorney".split()
)
ROLES = frozenset(
    "journalist reporter correspondent editor writer author columnist analyst expert"
    " researcher scientist professor lawyer activist dissident veteran soldier officer"
    " colonel captain sergeant lieutenant admiral marshal intermediary founder"
    " economist businessman businesswoman billionaire tycoon magnate mogul entrepreneur"
    " executive manager superintendent sheriff detective fellow scholar historian"
    " priest bishop cardinal imam rabbi pastor cleric citizen engineer hardliner"
    " critic ally rival opponent successor predecessor challenger friend wife husband"
    " son daughter brother sister mother father student teacher doctor nurse farmer"
    " fisherman worker miner pilot driver resident witness victim survivor hostage"
    " prisoner detainee suspect defendant singer actor actress artist player coach"
    " athlete star celebrity influencer blogger commentator pundit host presenter"
    " anchor producer photographer director-general strategist operative agent spy"
    " informant whistleblower lobbyist donor banker trader investor owner investigator".split()
)
PERSON_ROLES = TITLES | ROLES

# Heads of state and government are called by many words; a description with one of
# them refers back to an actor labelled with another ("the strongman" -> "ruler").
HEAD_OF_STATE = frozenset(
    "president ruler leader dictator strongman autocrat despot tyrant caudillo head"
    " premier monarch king queen emperor chancellor".split()
)

# Agent-noun endings that make an unknown lower-case noun look like a person role in a
# premodifier ("negotiator", "campaigner"); only used right next to a person's name.
AGENT_SUFFIXES = ("er", "or", "ist", "ian", "man", "woman", "eer", "crat", "arch")

# Kind cues (actors.py): the words around a name, or the name's shape, that say what it
# is when the model's tag is wrong. MEDIA_HEADS end outlet names ("Meridian Wire").
MEDIA_HEADS = frozenset(
    "wire news times post gazette tribune journal herald daily press network radio tv"
    " television broadcasting media telegraph chronicle observer monitor echo sentinel"
    " courier ledger review magazine".split()
)
# First words of multi-word place names ("San Aurel", "Puerto Calma").
PLACE_PREFIXES = frozenset(
    "san santa santo sao puerto porto port fort mount mt. lake cape gulf bay isla saint st.".split()
)
# One-word place names ending so ("Orsland", "Kazakhstan") unless part of a full name.
PLACE_SUFFIXES = ("land", "stan", "burg", "burgh", "grad", "ville", "polis", "shire", "holm")
# "X's navy": things a country has and a person does not.
PLACE_OWNED = frozenset(
    "president capital coast coastline navy army military border borders waters"
    " territory economy port ports parliament embassy citizens fleet warships airspace"
    " ministry constitution currency".split()
)
# "the mayor of Veyra", "residents of Veyra", "east of Veyra": X is a place.
PLACE_OF = frozenset(
    "mayor governor residents inhabitants citizens people town city village capital"
    " outskirts centre center streets province region north south east west northeast"
    " northwest southeast southwest coast shores".split()
)
# Buildings a possessive name owns: "St. Aldric's church" is one place.
BUILDINGS = frozenset(
    "church cathedral chapel basilica mosque temple synagogue tower hospital school"
    " college bridge square palace stadium market station airport prison".split()
)
# Craft nouns: a name right after one is a vessel ("the fishing boat Marisol", "the
# tanker Ever Given"), an actor of kind "other" whatever the model tagged it (often
# PERSON). "carrier" is left out: "the carrier Lufthansa" is an airline.
VESSEL_NOUNS = frozenset(
    "boat ship vessel tanker freighter trawler yacht ferry frigate destroyer corvette"
    " cruiser submarine warship gunboat schooner barge tugboat dinghy sailboat steamer"
    " dhow skiff catamaran".split()
)
# "the crew of the Marisol": what only a vessel has, before "of the" and its name.
VESSEL_PARTS = frozenset("crew skipper hull deck".split())
# "held in Veltrana": prepositions before places, never before a person's name.
PLACE_PREPOSITIONS = frozenset("in across throughout inside into within".split())

# Words after a person's name that make the phrase a description of the government the
# person leads: "the Maduro regime" is a label of Maduro (see docs/quality/actors.md).
REGIME_NOUNS = frozenset(
    "regime government administration dictatorship junta cabinet camp clan".split()
)

# Heads after an organisation or group name that describe it ("the Tren de Aragua
# gang"); GROUP_HEADS also make the actor kind "group" rather than "org".
GROUP_HEADS = frozenset(
    "gang cartel militia network mafia syndicate rebels guerrillas insurgents".split()
)
ORG_HEADS = frozenset(
    "union party council committee ministry agency association federation front movement"
    " institute university bank company corporation army navy force forces court assembly"
    " parliament congress senate commission organization organisation foundation fund"
    " office department service guard police alliance coalition league society"
    " authority shipping lines airlines airways holdings industries group partners"
    " systems technologies motors energy petroleum inc. ltd. corp. llc plc".split()
)

# Online platforms: the model often tags them PERSON ("her official Telegram
# account"); they are organisations, never people.
PLATFORMS = frozenset(
    "telegram instagram twitter facebook x youtube tiktok whatsapp signal threads bluesky"
    " reddit snapchat linkedin wechat weibo vk vkontakte rumble discord".split()
) | frozenset({"truth social"})

# Short forms of well-known names, so that "U.S.", "US" and "the United States" are one
# actor with one id in every article: short form (folded) -> (canonical name, kind).
SHORT_FORMS: dict[str, tuple[str, str]] = {
    "u.s.": ("United States", "place"),
    "us": ("United States", "place"),
    "u.s.a.": ("United States", "place"),
    "usa": ("United States", "place"),
    "united states": ("United States", "place"),
    "united states of america": ("United States", "place"),
    "u.k.": ("United Kingdom", "place"),
    "uk": ("United Kingdom", "place"),
    "britain": ("United Kingdom", "place"),
    "great britain": ("United Kingdom", "place"),
    "united kingdom": ("United Kingdom", "place"),
    "u.n.": ("United Nations", "org"),
    "un": ("United Nations", "org"),
    "united nations": ("United Nations", "org"),
    "e.u.": ("European Union", "org"),
    "eu": ("European Union", "org"),
    "european union": ("European Union", "org"),
    "uae": ("United Arab Emirates", "place"),
    "u.a.e.": ("United Arab Emirates", "place"),
    "ussr": ("Soviet Union", "place"),
    "nato": ("NATO", "org"),
    "ap": ("Associated Press", "org"),
    "associated press": ("Associated Press", "org"),
    "afp": ("Agence France-Presse", "org"),
    "agence france-presse": ("Agence France-Presse", "org"),
    "upi": ("United Press International", "org"),
    "united press international": ("United Press International", "org"),
    "dea": ("Drug Enforcement Administration", "org"),
    "fbi": ("FBI", "org"),
    "cia": ("CIA", "org"),
}


def _demonyms(spec: str) -> dict[str, str]:
    """``"Venezuelan:Venezuela, Argentine Argentinian:Argentina"`` -> folded demonym -> place."""
    table: dict[str, str] = {}
    for entry in spec.split(","):
        forms, place = entry.split(":")
        for form in forms.split("|"):
            table[fold(form.strip())] = place.strip()
    return table


# Nationality adjectives -> the place they name. A demonym in an article is a mention of
# the place only when the place itself is named in the same article (actors.py); labels
# use the table to tell "the US president" from "the Venezuelan president".
DEMONYMS = _demonyms(
    "Afghan:Afghanistan, Albanian:Albania, Algerian:Algeria, American:United States,"
    " Argentine|Argentinian:Argentina, Armenian:Armenia, Australian:Australia,"
    " Austrian:Austria, Azerbaijani:Azerbaijan, Bahraini:Bahrain,"
    " Bangladeshi:Bangladesh, Belarusian|Belarussian:Belarus, Belgian:Belgium,"
    " Bolivian:Bolivia, Bosnian:Bosnia, Brazilian:Brazil, British:United Kingdom,"
    " Bulgarian:Bulgaria, Burmese:Myanmar, Cambodian:Cambodia, Canadian:Canada,"
    " Chilean:Chile, Chinese:China, Colombian:Colombia, Congolese:Congo,"
    " Costa Rican:Costa Rica, Croatian:Croatia, Cuban:Cuba, Cypriot:Cyprus,"
    " Czech:Czech Republic, Danish:Denmark, Dominican:Dominican Republic,"
    " Dutch:Netherlands, Ecuadorian:Ecuador, Egyptian:Egypt,"
    " Emirati:United Arab Emirates, Eritrean:Eritrea, Estonian:Estonia,"
    " Ethiopian:Ethiopia, Finnish:Finland, French:France, Georgian:Georgia,"
    " German:Germany, Ghanaian:Ghana, Greek:Greece, Guatemalan:Guatemala,"
    " Haitian:Haiti, Honduran:Honduras, Hungarian:Hungary, Icelandic:Iceland,"
    " Indian:India, Indonesian:Indonesia, Iranian:Iran, Iraqi:Iraq, Irish:Ireland,"
    " Israeli:Israel, Italian:Italy, Ivorian:Ivory Coast, Jamaican:Jamaica,"
    " Japanese:Japan, Jordanian:Jordan, Kazakh:Kazakhstan, Kenyan:Kenya,"
    " North Korean:North Korea, South Korean:South Korea, Kosovar:Kosovo,"
    " Kuwaiti:Kuwait, Latvian:Latvia, Lebanese:Lebanon, Libyan:Libya,"
    " Lithuanian:Lithuania, Malaysian:Malaysia, Malian:Mali, Mexican:Mexico,"
    " Moldovan:Moldova, Mongolian:Mongolia, Moroccan:Morocco, Nepali|Nepalese:Nepal,"
    " Nicaraguan:Nicaragua, Nigerian:Nigeria, Norwegian:Norway, Omani:Oman,"
    " Pakistani:Pakistan, Palestinian:Palestine, Panamanian:Panama,"
    " Paraguayan:Paraguay, Peruvian:Peru, Filipino|Philippine:Philippines,"
    " Polish:Poland, Portuguese:Portugal, Puerto Rican:Puerto Rico, Qatari:Qatar,"
    " Romanian:Romania, Russian:Russia, Rwandan:Rwanda, Salvadoran:El Salvador,"
    " Saudi:Saudi Arabia, Senegalese:Senegal, Serbian|Serb:Serbia,"
    " Singaporean:Singapore, Slovak:Slovakia, Slovenian|Slovene:Slovenia,"
    " Somali:Somalia, South African:South Africa, Spanish:Spain,"
    " Sri Lankan:Sri Lanka, Sudanese:Sudan, Swedish:Sweden, Swiss:Switzerland,"
    " Syrian:Syria, Taiwanese:Taiwan, Tajik:Tajikistan, Tanzanian:Tanzania,"
    " Thai:Thailand, Tunisian:Tunisia, Turkish:Turkey, Ugandan:Uganda,"
    " Ukrainian:Ukraine, Uruguayan:Uruguay, Uzbek:Uzbekistan, Venezuelan:Venezuela,"
    " Vietnamese:Vietnam, Yemeni:Yemen, Zambian:Zambia, Zimbabwean:Zimbabwe,"
    " Latin American:Latin America, South American:South America,"
    " North American:North America, Central American:Central America,"
    " European:Europe, African:Africa, Asian:Asia, Soviet:Soviet Union"
)

COUNTRIES = frozenset(fold(place) for place in DEMONYMS.values())
"""Folded names of the places in DEMONYMS: known places even when named only once."""

# Endings that turn a place name into its demonym, for places not in DEMONYMS
# (fictional or rare): "Veltrana" -> "Veltranan", "Orsland" -> "Orslander".
DEMONYM_ENDINGS = ("n", "an", "ian", "ese", "i", "ish", "er", "ic")


def _stem_index(keys: set[str]) -> dict[str, str]:
    """Each key, and each key cut by one or two letters, -> the key ("veltrana",
    "veltran", "veltra" -> "veltrana"), so a demonym's stem finds its place at once.
    A key itself always wins over another key's cut ("veltranan" cut is "veltrana")."""
    index: dict[str, str] = {}
    for size in (2, 1):
        for key in sorted(keys):
            if len(key) - size >= 3:
                index.setdefault(key[:-size], key)
    index.update((key, key) for key in keys)
    return index


def _derived_from(word: str, index: dict[str, str]) -> str | None:
    for end in DEMONYM_ENDINGS:
        if word.endswith(end) and len(word) > len(end) + 3:
            place = index.get(word[: -len(end)])
            if place is not None and place != word and len(place) < len(word) + 2:
                return place
    return None


def derived_demonyms(seen: set[str]) -> dict[str, str]:
    """Entity texts (folded) that are nationality adjectives of other entity texts of
    the same document: {"veltranan": "veltrana", "venezuelan": "venezuela"}."""
    index = _stem_index({k for k in seen if " " not in k})
    found: dict[str, str] = {}
    for word in seen:
        known = DEMONYMS.get(word)
        if known is not None:
            if fold(known) in seen:
                found[word] = fold(known)
            continue
        if " " not in word and word not in COUNTRIES:
            place = _derived_from(word, index)
            if place is not None:
                found[word] = place
    return found


def place_of_demonym(demonym: str, places: dict[str, str]) -> str | None:
    """The place key (folded name, from ``places``) a nationality adjective refers to.

    ``places`` maps folded place names named in the article to their keys; the table
    is tried first, then the endings rule against the article's own places.
    """
    key = fold(demonym)
    known = DEMONYMS.get(key)
    if known is not None:
        return places.get(fold(known))
    place = _derived_from(key, _stem_index(set(places)))
    return places[place] if place is not None else None


def demonym_place_name(demonym: str) -> str | None:
    """The canonical place a known nationality adjective names ("Venezuelan" -> "Venezuela")."""
    return DEMONYMS.get(fold(demonym))
