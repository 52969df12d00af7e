"""The compare stage: values, facts, conflicts, quotes and timeline, on small annotated
stories written here and on the two real articles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.annotate.annotator import Job, annotate
from parallax.compare import Source, compare, story_order
from parallax.compare.facts.sentences import Statement, similarities
from parallax.compare.values import dates_agree, interval, quantities_agree, show_quantity
from parallax.model import Article, ConflictValue, StoryReport
from parallax.pipeline import annotate_store, build_report, cluster_store, ingest
from parallax.store import Store
from parallax.stories import story_actors

# -- values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ((70, None), (70, "more than"), True),  # a dropped qualifier is no contradiction
        ((5, "only"), (5, None), True),
        ((7, None), (9, None), False),
        ((140, "about"), (142, None), True),
        ((140, "more than"), (142, None), True),
        ((3, "at least"), (4, None), True),
        ((9, "at least"), (11, None), True),
        ((4200, None), (3100, "about"), False),
        ((64, None), (60, "more than"), True),
        ((38, None), (60, "more than"), False),
        ((11, "nearly"), (12, None), False),
        ((600, "roughly"), (600, None), True),
    ],
)
def test_quantities_agree_when_their_intervals_meet(
    a: tuple[float, str | None], b: tuple[float, str | None], agree: bool
) -> None:
    assert quantities_agree(a, b) is agree
    assert quantities_agree(b, a) is agree


def test_intervals_read_bounds_and_approximations() -> None:
    assert interval(70, "more than").high == float("inf")
    assert interval(10, "up to").low == float("-inf")
    approx = interval(100, "about")
    assert approx.low < 100 < approx.high


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("2025-09-06", "2025-09-05", False),
        ("2025-09", "2025-09-05", True),
        ("2025", "2025-09-05", True),
        ("2024-11", "2025-11", False),
        ("P4D", "2025-09-05", True),  # not calendar dates: never a conflict
    ],
)
def test_dates_agree_by_precision(a: str, b: str, agree: bool) -> None:
    assert dates_agree(a, b) is agree


def test_values_are_shown_as_a_reader_writes_them() -> None:
    assert show_quantity(70, "more than", "percent") == "> 70%"
    assert show_quantity(600, "about", "home") == "~600 homes"
    assert show_quantity(3, None, "city") == "3 cities"
    assert show_quantity(4200, None, None) == "4,200"


# -- small stories, annotated for real -----------------------------------------------------

STORY = {
    "wire": (
        "Meridian Wire",
        "2026-10-05T10:00:00",
        "Veltranan President Tomás Ruvalle has written to President Helena Marr of Orsland "
        "proposing direct talks. The letter is dated Oct. 3. Orsland has kept seven warships "
        'in the Gulf of Caldera. "We are ready for a direct and frank conversation, without '
        'intermediaries and without media noise," the letter read. Ruvalle said that only 6 '
        "percent of the weapons smuggled in the region pass through Veltranan waters.",
    ),
    "sentinel": (
        "Northgate Sentinel",
        "2026-10-05T12:00:00",
        "Veltrana's strongman Tomás Ruvalle has sent a letter to Orsland's President Helena "
        "Marr offering talks. The letter is dated Oct. 4. Orsland has kept nine warships in "
        'the Gulf of Caldera. "We are ready for a direct and frank conversation," Ruvalle '
        "wrote. Ruvalle claimed that only 6% of the weapons smuggled in the region pass "
        "through Veltranan waters.",
    ),
    "ledger": (
        "The Ashford Ledger",
        "2026-10-06T08:00:00",
        "President Tomás Ruvalle of Veltrana has offered direct talks with Orsland in a "
        "letter to Helena Marr. The letter is dated Oct. 3. Thirty-eight ships were waiting "
        "off the coast on Tuesday.",
    ),
}


def compared(story_id: str, sources: list[Source], **options: Any) -> StoryReport:
    """Compare sources as the pipeline does: actors linked across them first."""
    ordered = story_order(sources)
    actors = story_actors((s.article.id, s.article.annotations) for s in ordered)
    return compare(story_id, ordered, actors, **options)


def build(
    texts: dict[str, tuple[str, str, str]], groups: dict[str, str] | None = None
) -> list[Source]:
    jobs = [Job(text, published) for _, published, text in texts.values()]
    sources = []
    for (key, (outlet, published, text)), found in zip(texts.items(), annotate(jobs), strict=True):
        article = Article(
            id=key,
            text=text,
            source=f"{key}.txt",
            outlet=outlet,
            published_at=published,
            annotations=found,
        )
        sources.append(Source(article, (groups or {}).get(key, key)))
    return sources


@pytest.fixture(scope="module")
def story() -> StoryReport:
    return compared("s1", build(STORY), title="Letter")


def test_a_date_conflict_names_its_slot_and_both_sides(story: StoryReport) -> None:
    dates = [c for c in story["conflicts"] if c["kind"] == "date"]
    assert len(dates) == 1
    conflict = dates[0]
    assert "letter" in conflict["about"] and "dated" in conflict["about"]
    by_article = {v["article_id"]: v["value"] for v in conflict["values"]}
    assert by_article == {"wire": "2026-10-03", "sentinel": "2026-10-04", "ledger": "2026-10-03"}


def test_a_number_conflict_and_agreeing_percentages(story: StoryReport) -> None:
    numbers = [c for c in story["conflicts"] if c["kind"] == "number"]
    assert [sorted(v["value"] for v in c["values"]) for c in numbers] == [
        ["7 warships", "9 warships"]
    ]
    assert "warships" in numbers[0]["about"]
    six = [f for f in story["facts"] if "6" in f["text"] and "weapons" in f["text"]]
    assert six and six[0]["status"] == "corroborated"  # "6 percent" = "6%"
    assert six[0]["attributed_to"] == "tomas-ruvalle"


def test_the_disputed_value_groups_point_at_their_conflict(story: StoryReport) -> None:
    disputed = [f for f in story["facts"] if f["status"] == "disputed"]
    conflict_ids = {c["id"] for c in story["conflicts"]}
    assert disputed and all(set(f["conflicts"]) <= conflict_ids for f in disputed)
    assert story["facts"][0]["status"] == "disputed"  # disputed first, then corroborated


def test_the_letter_is_corroborated_by_three_independent_outlets(story: StoryReport) -> None:
    letter = [f for f in story["facts"] if f["status"] == "corroborated" and "talks" in f["text"]]
    assert letter and letter[0]["independent_outlets"] == 3
    assert sorted(letter[0]["outlets"]) == [
        "Meridian Wire",
        "Northgate Sentinel",
        "The Ashford Ledger",
    ]


def test_wire_copies_count_once() -> None:
    texts = dict(STORY)
    texts["copy"] = ("Harbor Daily Post", "2026-10-05T14:00:00", STORY["wire"][2])
    report = compared("s2", build(texts, {"copy": "wire"}))
    copied = [
        f for f in report["facts"] if set(f["outlets"]) == {"Meridian Wire", "Harbor Daily Post"}
    ]
    assert copied
    for fact in copied:
        assert fact["status"] != "corroborated"
        assert fact["independent_outlets"] == 1


def test_a_trimmed_quote_is_one_quote_carried_by_two_outlets(story: StoryReport) -> None:
    carried = [q for q in story["quotes"] if len(q["carried_by"]) == 2 and q["direct"]]
    assert {q["article_id"] for q in carried} == {"wire", "sentinel"}
    assert len({q["group"] for q in carried}) == 1
    assert not carried[0]["wording_differs"]
    quote_facts = [f for f in story["facts"] if f["text"].startswith("We are ready")]
    assert quote_facts and quote_facts[0]["status"] == "corroborated"


def test_counts_for_different_days_are_not_compared(story: StoryReport) -> None:
    about = " ".join(c["about"] for c in story["conflicts"])
    assert "ships" not in about.replace("warships", "")


def test_the_timeline_puts_every_outlets_dates_on_one_calendar(story: StoryReport) -> None:
    dates = [e["date"] for e in story["timeline"]]
    assert dates == sorted(dates)
    assert {"2026-10-03", "2026-10-04"} <= set(dates)
    conflicted = [e for e in story["timeline"] if e["conflict"]]
    assert {e["date"] for e in conflicted} == {"2026-10-03", "2026-10-04"}
    october_3 = next(e for e in story["timeline"] if e["date"] == "2026-10-03")
    assert set(october_3["outlets"]) == {"Meridian Wire", "The Ashford Ledger"}


def test_labels_are_tabled_per_outlet(story: StoryReport) -> None:
    ruvalle = next(row for row in story["labels"] if row["actor"] == "tomas-ruvalle")
    assert "Veltrana's strongman" in ruvalle["by_outlet"]["Northgate Sentinel"]
    assert any("President" in label for label in ruvalle["by_outlet"]["Meridian Wire"])


def evidence_items(value: Any) -> Iterator[dict[str, Any]]:
    """Every dict in a report that points into an article: article_id + span (+ text)."""
    if isinstance(value, dict):
        if "span" in value and ("article_id" in value or "text" in value):
            yield value
        for item in value.values():
            yield from evidence_items(item)
    elif isinstance(value, list):
        for item in value:
            yield from evidence_items(item)


def check_evidence(report: Mapping[str, Any], texts: dict[str, str]) -> int:
    """Assert every evidence item round-trips; return how many were checked."""
    checked = 0
    for story in report.get("stories", [report]):
        for item in evidence_items(story):
            article_id = item.get("article_id")
            if article_id is None:
                continue  # a framing term: checked with its article below
            start, end = item["span"]
            assert item["text"] == texts[article_id][start:end], item
            checked += 1
        for framing in story["framing"]:
            text = texts[framing["article_id"]]
            for key in ("loaded_terms", "hedges", "scare_quotes"):
                for term in framing.get(key, []):
                    assert term["text"] == text[term["span"][0] : term["span"][1]]
                    checked += 1
    return checked


def test_every_item_of_the_report_has_evidence_that_round_trips(story: StoryReport) -> None:
    texts = {key: text for key, (_, _, text) in STORY.items()}
    assert check_evidence(story, texts) > 30
    for fact in story["facts"]:
        assert fact["evidence"] and fact["text"] == fact["evidence"][0]["text"]
    for conflict in story["conflicts"]:
        assert len({v["value"] for v in conflict["values"]}) >= 2


SENTENCES = st.sampled_from(
    [
        "Orsland has kept {n} warships in the Gulf.",
        "The letter is dated Oct. {d}.",
        '"We are ready for talks," Ruvalle said on Monday.',
        "About {n} people were injured.",
        "President Helena Marr said the deployment would continue.",
        "Officials said {n} percent of the boats were searched.",
    ]
)


@settings(max_examples=12, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(SENTENCES, st.integers(1, 28)), min_size=1, max_size=5),
        min_size=2,
        max_size=3,
    )
)
def test_evidence_round_trips_for_generated_stories(stories: list[list[tuple[str, int]]]) -> None:
    texts = {
        f"a{i}": (
            f"Outlet {i}",
            "2026-10-05",
            " ".join(s.format(n=n, d=n) for s, n in sentences),
        )
        for i, sentences in enumerate(stories)
    }
    report = compared("g", build(texts))
    check_evidence(report, {key: text for key, (_, _, text) in texts.items()})


# -- the two real articles -----------------------------------------------------------------


MADURO = Path(__file__).resolve().parents[2] / "shared" / "examples" / "maduro-letter"


@pytest.fixture(scope="module")
def maduro_stored(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The report of the two real articles, through ingest, annotate, stories, compare;
    and the stored texts."""
    if not MADURO.is_dir():
        pytest.skip(f"the real example articles are not at {MADURO}")
    with Store.open(tmp_path_factory.mktemp("maduro") / "m.db") as store:
        summary = ingest([MADURO], store)
        assert summary.ok and summary.ingested == 2
        annotate_store(store)
        cluster_store(store)
        document = build_report(store)
        texts = {a.id: a.text for a in store.articles()}
    assert len(document["stories"]) == 1
    return dict(document["stories"][0]), texts


@pytest.fixture(scope="module")
def maduro_report(maduro_stored: tuple[dict[str, Any], dict[str, str]]) -> dict[str, Any]:
    return maduro_stored[0]


def _corroborated(story: dict[str, Any], *needles: str) -> list[dict[str, Any]]:
    return [
        f
        for f in story["facts"]
        if f["status"] == "corroborated"
        and all(any(n in e["text"] for e in f["evidence"]) for n in needles)
    ]


def test_maduro_one_story_of_both_articles(maduro_report: dict[str, Any]) -> None:
    assert len(maduro_report["articles"]) == 2
    assert len({a["group"] for a in maduro_report["articles"]}) == 2


def test_maduro_the_letter_date_conflict(maduro_report: dict[str, Any]) -> None:
    dates = [c for c in maduro_report["conflicts"] if c["kind"] == "date"]
    assert len(dates) == 1
    values = {v["value"]: v for v in dates[0]["values"]}
    assert set(values) == {"2025-09-06", "2025-09-05"}
    assert "Sept. 6" in values["2025-09-06"]["text"]
    assert "September 5" in values["2025-09-05"]["text"]
    assert not [c for c in maduro_report["conflicts"] if c["kind"] == "number"]


def test_maduro_corroborated_facts(maduro_report: dict[str, Any]) -> None:
    assert _corroborated(maduro_report, "wrote a letter", "sent a letter")
    assert _corroborated(maduro_report, "Grenell")
    five = _corroborated(maduro_report, "5%", "5 percent")
    seventy = _corroborated(maduro_report, "70%", "70 percent")
    assert five and seventy and five[0]["id"] != seventy[0]["id"]
    quote = _corroborated(maduro_report, "media noise and fake news")
    assert quote and quote[0]["attributed_to"] == "nicolas-maduro"


def test_maduro_single_source_facts(maduro_report: dict[str, Any]) -> None:
    single = [f["text"] for f in maduro_report["facts"] if f["status"] == "single_source"]
    assert any("Joe St. Clair" in text for text in single)
    assert any("Cartel of the Suns" in text for text in single)
    assert any("$50 million bounty" in text for text in single)


def test_maduro_labels_side_by_side(maduro_report: dict[str, Any]) -> None:
    row = next(r for r in maduro_report["labels"] if r["actor"] == "nicolas-maduro")
    assert len(row["by_outlet"]) == 2
    labels = [set(v) for v in row["by_outlet"].values()]
    assert any("Venezuela's ruler" in v for v in labels)
    assert any("The Venezuelan dictator" in v for v in labels)


def test_maduro_timeline(maduro_report: dict[str, Any]) -> None:
    dates = {e["date"] for e in maduro_report["timeline"]}
    assert {"2025-09-05", "2025-09-06", "2025-09-18", "2025-09-20", "2025-09-21"} <= dates
    assert all(e["precision"] in ("day", "month", "year") for e in maduro_report["timeline"])


def test_maduro_evidence_round_trips(
    maduro_stored: tuple[dict[str, Any], dict[str, str]],
) -> None:
    report, texts = maduro_stored
    assert check_evidence(report, texts) > 50


def test_the_same_words_given_to_two_speakers_is_an_attribution_conflict() -> None:
    texts = {
        "one": (
            "Meridian Wire",
            "2026-10-05T10:00:00",
            'Orsland President Helena Marr spoke in Orsholm on Monday. "We will not back '
            'down from this fight, whatever it costs us," Marr said.',
        ),
        "two": (
            "Northgate Sentinel",
            "2026-10-05T11:00:00",
            'Veltranan President Tomás Ruvalle spoke in San Aurel on Monday. "We will not '
            'back down from this fight, whatever it costs us," Ruvalle said.',
        ),
    }
    report = compared("a", build(texts))
    (conflict,) = [c for c in report["conflicts"] if c["kind"] == "attribution"]
    assert conflict["about"].startswith("who said “We will not back down")
    assert {v["value"] for v in conflict["values"]} == {"Helena Marr", "Tomás Ruvalle"}
    assert {v["article_id"] for v in conflict["values"]} == {"one", "two"}
    named = {texts[v["article_id"]][2][slice(*v["value_span"])] for v in conflict["values"]}
    assert named == {"Marr", "Ruvalle"}  # where each article names its speaker
    keys = ConflictValue.__required_keys__ | ConflictValue.__optional_keys__
    assert all(set(v) == keys for v in conflict["values"])


def test_a_reworded_quote_is_one_quote_flagged_as_worded_differently() -> None:
    texts = {
        "one": (
            "Meridian Wire",
            "2026-10-05T10:00:00",
            'Tomás Ruvalle wrote to Helena Marr. "We are ready for a frank conversation '
            'without intermediaries," Ruvalle wrote.',
        ),
        "two": (
            "Kestrel News",
            "2026-10-05T11:00:00",
            'Tomás Ruvalle sent a letter to Helena Marr. "We are ready for an open '
            'conversation without any intermediaries," Ruvalle wrote.',
        ),
    }
    report = compared("r", build(texts))
    direct = [q for q in report["quotes"] if q["direct"]]
    assert len(direct) == 2 and len({q["group"] for q in direct}) == 1
    assert all(q["wording_differs"] for q in direct)
    assert not [c for c in report["conflicts"] if c["kind"] == "attribution"]


def test_counts_of_one_thing_under_two_predicates_need_more_than_a_topic_in_common() -> None:
    texts = {
        "one": (
            "Daily One",
            "2026-10-05T10:00:00",
            "Officials in Deuel County said that the two states were challenging Colorado's "
            "marijuana laws in court.",
        ),
        "two": (
            "Daily Two",
            "2026-10-05T11:00:00",
            "Officials in Denver said 23 states have enacted medical marijuana laws so far.",
        ),
    }
    assert compared("n", build(texts))["conflicts"] == []


def test_quotes_given_to_a_pronoun_resolved_speaker_make_no_attribution_conflict() -> None:
    texts = {
        "one": (
            "Daily One",
            "2026-10-05T10:00:00",
            'Justice Antonin Scalia was unconvinced by the lawyer Joseph Sellers. "If somebody '
            'tells you how to exercise discretion, you do not have discretion," he said.',
        ),
        "two": (
            "Daily Two",
            "2026-10-05T11:00:00",
            'Justice Anthony Kennedy pressed the case. "If somebody tells you how to exercise '
            'discretion, you do not have discretion," Kennedy said.',
        ),
    }
    report = compared("p", build(texts))
    assert not [c for c in report["conflicts"] if c["kind"] == "attribution"]
    assert [q for q in report["quotes"] if len(q["carried_by"]) == 2]


def test_a_name_and_one_word_in_common_are_not_one_fact() -> None:
    def statement(article: str, *tokens: str) -> Statement:
        return Statement(article, (0, 1), Counter(tokens))

    one_word = [
        statement("a", "start", "dialogue", "@eric-holder"),
        statement("b", "start", "quiet", "@eric-holder"),
    ]
    two_words = [
        statement("a", "start", "dialogue", "@eric-holder"),
        statement("b", "start", "dialogue", "quiet", "@eric-holder"),
    ]
    assert similarities(one_word, [1, 1]) == {}
    assert (0, 1) in similarities(two_words, [1, 1])


def _claims_story(first: str, second: str) -> Any:
    texts = {
        "one": ("Daily One", "2026-10-05T10:00:00", first),
        "two": ("Daily Two", "2026-10-05T11:00:00", second),
    }
    return compared("c", build(texts))


def _sentence_facts(report: Any) -> list[Any]:
    return [
        f for f in report["facts"] if f["status"] == "corroborated" and f["basis"] == "sentence"
    ]


def test_compare_sentences_sharing_a_name_a_day_and_a_topic_word_are_not_one_fact() -> None:
    report = _claims_story(
        "On Tuesday the case of Justice Anthony Kennedy dwarfed those rulings in importance.",
        "On Tuesday a ruling by Justice Anthony Kennedy would get Meridian off the hook.",
    )
    assert not _sentence_facts(report)


def test_compare_sentences_with_the_same_claim_in_other_words_are_one_fact() -> None:
    report = _claims_story(
        "The last big stoppage at the port of Salvenne, in 2019, lasted 11 days.",
        "The 2019 strike at the port of Salvenne ended after eleven days.",
    )
    assert len(_sentence_facts(report)) == 1


CITIZEN = (
    '"My family has been a citizen of the United States for {years} years and we are '
    'proud of it," {speaker} said at the rally in Dover on Monday.'
)


def citizen_story(first: str, second: str, speakers: tuple[str, str] = ("Smith", "Smith")) -> Any:
    texts = {
        "one": (
            "Meridian Wire",
            "2016-05-02T10:00:00",
            "Ann Smith spoke in Dover. " + CITIZEN.format(years=first, speaker=speakers[0]),
        ),
        "two": (
            "Northgate Sentinel",
            "2016-05-02T11:00:00",
            "Ann Smith came to Dover. " + CITIZEN.format(years=second, speaker=speakers[1]),
        ),
    }
    return texts, compared("w", build(texts))


def test_a_quote_given_with_another_number_is_a_wording_conflict() -> None:
    texts, report = citizen_story("85", "136")
    (conflict,) = [c for c in report["conflicts"] if c["kind"] == "wording"]
    assert conflict["about"].startswith("the words of “My family has been a citizen")
    assert {(v["article_id"], v["value"]) for v in conflict["values"]} == {
        ("one", "85"),
        ("two", "136"),
    }
    for value in conflict["values"]:
        text = texts[value["article_id"]][2]
        assert text[slice(*value["value_span"])] == value["value"]
        assert text[slice(*value["span"])] == value["text"]


@pytest.mark.parametrize(
    ("first", "second", "speakers"),
    [
        ("85", "85", ("Smith", "Smith")),  # the same words
        ("85", "eighty-five", ("Smith", "Smith")),  # the same number, written otherwise
        ("85", "136", ("Smith", "Jones")),  # two speakers: not one quote misquoted
    ],
)
def test_a_quote_is_no_wording_conflict_when_its_value_agrees_or_speakers_differ(
    first: str, second: str, speakers: tuple[str, str]
) -> None:
    _, report = citizen_story(first, second, speakers)
    assert [c for c in report["conflicts"] if c["kind"] == "wording"] == []


def test_poll_shares_of_different_people_are_different_counts() -> None:
    """Both shares count likely voters: only whose share each is keeps Obama's 41 percent
    from being one slot with Romney's share (an article giving two values to one slot is
    left out, and the real conflict with it)."""
    texts = {
        "one": (
            "Meridian Wire",
            "2026-10-05T10:00:00",
            "A new poll of likely voters was released on Monday. It gives Barack Obama "
            "41 percent of likely voters and Mitt Romney 33 percent of likely voters.",
        ),
        "two": (
            "Northgate Sentinel",
            "2026-10-05T11:00:00",
            "The poll of likely voters came out on Monday. It gives Barack Obama 41 "
            "percent of likely voters and Mitt Romney 38 percent of likely voters.",
        ),
    }
    report = compared("p", build(texts))
    numbers = [c for c in report["conflicts"] if c["kind"] == "number"]
    assert [sorted(v["value"] for v in c["values"]) for c in numbers] == [["33%", "38%"]]
