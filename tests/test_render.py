"""Rendering a story report as text, Markdown and HTML.

The fixture is a hand-built report in the ``parallax.report/1`` shape with Parallax's
extra fields, on texts adapted from the real Maduro-letter articles: three outlets (one
relays another, so two independence groups), a date conflict ("dated Sept. 6" against
"dated September 5"), a number conflict, corroborated, single-source and disputed facts,
labels, a trimmed and a reworded quote, and five distinct dates. Every span is computed
from the article text, so the fixture obeys the evidence contract. A second story carries
only the required fields.
"""

from __future__ import annotations

import copy
import html
import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console

from parallax.render import render_html, render_markdown, render_text

C97 = "c97-0921"
BB = "bb-0922"
RT = "rt-0921"
M1 = "min-1"
M2 = "min-2"

TEXTS = {
    C97: (
        "Venezuela's ruler Nicolas Maduro, known for his friendship with Belarusian dictator "
        "Lukashenko, has offered to hold direct talks with the administration of Donald Trump. "
        'This is reported by Reuters. Maduro panicked and suggested a "direct and honest '
        'dialog" through U.S. special envoy Richard Grenell to avoid "fake news." Maduro\'s '
        "letter is dated Sept. 6, four days after the first U.S. strike. Only 5% of drugs "
        "from Colombia pass through Venezuela, of which 70% have been neutralized by "
        "Venezuelan forces. The US is increasing its military presence in the southern "
        "Caribbean, with seven warships, a nuclear submarine and F-35 fighter jets sent here. "
        "Air Force veteran Joe St. Clair had been held in Venezuela since November 2024."
    ),
    BB: (
        "Socialist dictator of Venezuela Nicolás Maduro sent a letter to President Donald "
        "Trump claiming he wishes to engage in “direct conversations” with the U.S., Vice "
        "President Delcy Rodríguez revealed on Sunday. According to the letter, Maduro is "
        "“open for a direct and frank conversation” with Special Envoy Richard Grenell to "
        "overcome “media noise and fake news.” The letter, dated September 5, was delivered "
        "on September 6 to a “South American intermediary” to ensure it reached President "
        "Trump. The Venezuelan dictator, citing data allegedly obtained from the U.N., "
        "claimed that “only 5 percent” of the drugs produced in Colombia pass through "
        "Venezuela. The United States has deployed eight warships to the region."
    ),
    RT: (
        "Venezuelan President Nicolas Maduro wrote to U.S. President Donald Trump offering "
        "direct talks, according to a letter published by Vice President Delcy Rodriguez on "
        "Sunday. Maduro said he was “open for a direct and frank conversation” with U.S. "
        "envoy Richard Grenell to overcome “media noise and fake news.” The letter was "
        "dated September 6, four days after a U.S. strike on a Venezuelan boat on "
        "September 2. Only 5% of drugs produced in Colombia pass through Venezuela, "
        "Maduro wrote. The U.S. has sent seven warships to the southern Caribbean."
    ),
    M1: "Dockworkers at the Port of Salvenne walked off the job over pay on Monday.",
    M2: "The union leader Marta Ilic said 4,200 workers joined the strike in Salvenne.",
}
OUTLETS = {C97: "charter97.org", BB: "breitbart.com", RT: "reuters.com"}


ABBREVIATIONS = ("U.S.", "U.N.", "Sept.", "St.")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a span: ends at . ! ? (and a closing quote) before a capital,
    except after the abbreviations these texts use."""
    cuts = [0]
    for found in re.finditer(r"[.!?][”\"]?\s+(?=[A-Z“\"])", text):
        if not text[: found.start() + 1].endswith(ABBREVIATIONS):
            cuts.append(found.end())
    cuts.append(len(text) + 1)
    begin = max(c for c in cuts if c <= start)
    finish = min(c for c in cuts if c > end)
    return begin, min(finish, len(text))


def span(
    article_id: str, needle: str, *, nth: int = 0, context: bool = True, **extra: Any
) -> dict[str, Any]:
    """An evidence item for the ``nth`` ``needle`` in an article, in its sentence."""
    text = TEXTS[article_id]
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    end = start + len(needle)
    item: dict[str, Any] = {"article_id": article_id, "text": needle, "span": [start, end]}
    if context:
        begin, finish = sentence_bounds(text, start, end)
        item["context"] = {"before": text[begin:start], "after": text[end:finish].rstrip()}
        item["outlet"] = OUTLETS.get(article_id)
    return {**item, **extra}


def article(article_id: str, title: str, published_at: str, **extra: Any) -> dict[str, Any]:
    outlet = OUTLETS[article_id]
    return {
        "id": article_id,
        "outlet": outlet,
        "title": title,
        "url": f"https://{outlet}/news/{article_id}",
        "published_at": published_at,
        "source": f"examples/{article_id}.txt",
        **extra,
    }


def label(article_id: str, text: str) -> dict[str, Any]:
    return {**span(article_id, text, context=False), "outlet": OUTLETS[article_id]}


def maduro_story() -> dict[str, Any]:
    return {
        "id": "st-maduro-letter",
        "title": "Maduro writes to Trump offering direct talks",
        "summary": "Venezuela's Nicolás Maduro sent a letter to Donald Trump offering talks.",
        "articles": [
            article(
                RT,
                "Venezuela's Maduro writes to Trump",
                "2025-09-21T14:02:00+00:00",
                group=RT,
                wire_of=None,
                relays=None,
            ),
            article(
                C97,
                "Trump nailed Lukashenko's friend to the wall",
                "2025-09-21T09:11:00+03:00",
                group=RT,
                wire_of=None,
                relays="Reuters",
            ),
            article(
                BB,
                "Maduro sends letter to Trump",
                "2025-09-22T08:30:00-04:00",
                group=BB,
                wire_of=None,
                relays=None,
            ),
        ],
        "groups": [
            {"id": RT, "articles": [RT, C97], "outlets": ["reuters.com", "charter97.org"]},
            {"id": BB, "articles": [BB], "outlets": ["breitbart.com"]},
        ],
        "actors": [
            {
                "id": "a-maduro",
                "name": "Nicolás Maduro",
                "kind": "person",
                "aliases": ["Maduro", "Nicolas Maduro"],
                "labels": [
                    label(C97, "Venezuela's ruler"),
                    label(BB, "Socialist dictator"),
                    label(BB, "The Venezuelan dictator"),
                    label(RT, "Venezuelan President"),
                ],
                "articles": [C97, BB, RT],
            },
            {
                "id": "a-trump",
                "name": "Donald Trump",
                "kind": "person",
                "aliases": ["Trump"],
                "labels": [label(BB, "President Donald Trump"), label(RT, "U.S. President")],
                "articles": [C97, BB, RT],
            },
            {
                "id": "a-lukashenko",
                "name": "Alexander Lukashenko",
                "kind": "person",
                "aliases": ["Lukashenko"],
                "labels": [label(C97, "Belarusian dictator")],
                "articles": [C97],
            },
            {
                "id": "a-rodriguez",
                "name": "Delcy Rodríguez",
                "kind": "person",
                "aliases": ["Rodríguez", "Delcy Rodriguez"],
                "labels": [],
                "articles": [BB, RT],
            },
        ],
        "labels": [
            {
                "actor": "a-maduro",
                "name": "Nicolás Maduro",
                "by_outlet": {
                    "charter97.org": ["Venezuela's ruler"],
                    "breitbart.com": ["Socialist dictator", "The Venezuelan dictator"],
                    "reuters.com": ["Venezuelan President"],
                },
            },
            {
                "actor": "a-trump",
                "name": "Donald Trump",
                "by_outlet": {
                    "breitbart.com": ["President Donald Trump"],
                    "reuters.com": ["U.S. President"],
                },
            },
            {
                "actor": "a-lukashenko",
                "name": "Alexander Lukashenko",
                "by_outlet": {"charter97.org": ["Belarusian dictator"]},
            },
        ],
        "facts": [
            {
                "id": "f-letter",
                "text": "Maduro sent Trump a letter offering direct talks",
                "status": "corroborated",
                "outlets": ["reuters.com", "charter97.org", "breitbart.com"],
                "attributed_to": None,
                "independent_outlets": 2,
                "attribution_drift": False,
                "conflicts": [],
                "evidence": [
                    span(RT, "wrote to U.S. President Donald Trump offering direct talks"),
                    span(C97, "has offered to hold direct talks"),
                    span(BB, "sent a letter to President Donald Trump"),
                ],
            },
            {
                "id": "f-five-percent",
                "text": "Only 5% of the drugs from Colombia pass through Venezuela",
                "status": "corroborated",
                "outlets": ["charter97.org", "reuters.com", "breitbart.com"],
                "attributed_to": "a-maduro",
                "independent_outlets": 2,
                "attribution_drift": True,
                "conflicts": [],
                "evidence": [
                    span(C97, "Only 5% of drugs from Colombia pass through Venezuela"),
                    span(
                        RT,
                        "Only 5% of drugs produced in Colombia pass through Venezuela",
                        attributed_to="a-maduro",
                    ),
                    span(
                        BB,
                        "“only 5 percent” of the drugs produced in Colombia pass through Venezuela",
                        attributed_to="a-maduro",
                    ),
                ],
            },
            {
                "id": "f-delivered",
                "text": "The letter was delivered on September 6 to a South American intermediary",
                "status": "single_source",
                "outlets": ["breitbart.com"],
                "attributed_to": "a-rodriguez",
                "independent_outlets": 1,
                "attribution_drift": False,
                "conflicts": [],
                "evidence": [
                    span(
                        BB,
                        "was delivered on September 6 to a “South American intermediary”",
                        attributed_to="a-rodriguez",
                    )
                ],
            },
            {
                "id": "f-dated",
                "text": "The letter is dated September 6",
                "status": "disputed",
                "outlets": ["charter97.org", "reuters.com", "breitbart.com"],
                "attributed_to": None,
                "independent_outlets": 2,
                "attribution_drift": False,
                "conflicts": ["c-dated"],
                "evidence": [span(C97, "dated Sept. 6"), span(RT, "dated September 6")],
            },
        ],
        "conflicts": [
            {
                "id": "c-dated",
                "about": "the date the letter is dated",
                "kind": "date",
                "fact": "f-dated",
                "values": [
                    {"value": "2025-09-06", **span(C97, "dated Sept. 6")},
                    {"value": "2025-09-05", **span(BB, "dated September 5")},
                    {"value": "2025-09-06", **span(RT, "dated September 6")},
                ],
            },
            {
                "id": "c-warships",
                "about": "number of U.S. warships sent to the region",
                "kind": "number",
                "fact": None,
                "values": [
                    {"value": "7", **span(C97, "seven warships")},
                    {"value": "8", **span(BB, "eight warships")},
                    {"value": "7", **span(RT, "seven warships")},
                ],
            },
        ],
        "quotes": [
            {
                **span(BB, "open for a direct and frank conversation"),
                "speaker": "a-maduro",
                "speaker_name": "Nicolás Maduro",
                "direct": True,
                "group": "q-frank",
                "carried_by": ["breitbart.com", "reuters.com", "charter97.org"],
                "wording_differs": True,
            },
            {
                **span(RT, "open for a direct and frank conversation"),
                "speaker": "a-maduro",
                "speaker_name": "Nicolás Maduro",
                "direct": True,
                "group": "q-frank",
                "carried_by": ["breitbart.com", "reuters.com", "charter97.org"],
                "wording_differs": True,
            },
            {
                **span(C97, "direct and honest dialog"),
                "speaker": "a-maduro",
                "speaker_name": "Nicolás Maduro",
                "direct": True,
                "group": "q-frank",
                "carried_by": ["breitbart.com", "reuters.com", "charter97.org"],
                "wording_differs": True,
            },
            {
                **span(BB, "media noise and fake news."),
                "speaker": "a-maduro",
                "speaker_name": "Nicolás Maduro",
                "direct": True,
                "group": "q-noise",
                "carried_by": ["breitbart.com", "reuters.com", "charter97.org"],
                "wording_differs": False,
            },
            {
                **span(RT, "media noise and fake news."),
                "speaker": "a-maduro",
                "speaker_name": "Nicolás Maduro",
                "direct": True,
                "group": "q-noise",
                "carried_by": ["breitbart.com", "reuters.com", "charter97.org"],
                "wording_differs": False,
            },
            {
                **span(C97, "fake news."),
                "speaker": "a-maduro",
                "speaker_name": "Nicolás Maduro",
                "direct": True,
                "group": "q-noise",
                "carried_by": ["breitbart.com", "reuters.com", "charter97.org"],
                "wording_differs": False,
            },
            {
                **span(RT, "Only 5% of drugs produced in Colombia pass through Venezuela"),
                "speaker": "a-maduro",
                "speaker_name": "Nicolás Maduro",
                "direct": False,
                "group": "q-five",
                "carried_by": ["reuters.com"],
                "wording_differs": False,
            },
        ],
        "timeline": [
            {
                **span(C97, "since November 2024"),
                "date": "2024-11",
                "precision": "month",
                "outlets": ["charter97.org"],
                "conflict": None,
            },
            {
                **span(RT, "on September 2"),
                "date": "2025-09-02",
                "precision": "day",
                "outlets": ["reuters.com"],
                "conflict": None,
            },
            {
                **span(BB, "dated September 5"),
                "date": "2025-09-05",
                "precision": "day",
                "outlets": ["breitbart.com"],
                "conflict": "c-dated",
            },
            {
                **span(C97, "dated Sept. 6"),
                "date": "2025-09-06",
                "precision": "day",
                "outlets": ["charter97.org", "reuters.com"],
                "conflict": "c-dated",
            },
            {
                **span(BB, "delivered on September 6"),
                "date": "2025-09-06",
                "precision": "day",
                "outlets": ["breitbart.com"],
                "conflict": None,
            },
            {
                **span(BB, "revealed on Sunday"),
                "date": "2025-09-21",
                "precision": "day",
                "outlets": ["breitbart.com", "reuters.com"],
                "conflict": None,
            },
        ],
        "framing": [
            {
                "article_id": C97,
                "outlet": "charter97.org",
                "tone": -0.42,
                "loaded_terms": [
                    {
                        **span(C97, "ruler", context=False),
                        "category": "epithet",
                        "target": "a-maduro",
                    },
                    {
                        **span(C97, "dictator", context=False),
                        "category": "epithet",
                        "target": "a-lukashenko",
                    },
                    {
                        **span(C97, "panicked", context=False),
                        "category": "emotive",
                        "target": "a-maduro",
                    },
                ],
                "hedges": [],
                "scare_quotes": [span(C97, "direct and honest dialog", context=False)],
            },
            {
                "article_id": BB,
                "outlet": "breitbart.com",
                "tone": -0.55,
                "loaded_terms": [
                    {
                        **span(BB, "Socialist dictator", context=False),
                        "category": "epithet",
                        "target": "a-maduro",
                    },
                    {
                        **span(BB, "dictator", nth=1, context=False),
                        "category": "epithet",
                        "target": "a-maduro",
                    },
                ],
                "hedges": [
                    {**span(BB, "allegedly", context=False), "kind": "allegation"},
                    {**span(BB, "claimed", context=False), "kind": "attribution"},
                ],
                "scare_quotes": [span(BB, "South American intermediary", context=False)],
            },
            {
                "article_id": RT,
                "outlet": "reuters.com",
                "tone": -0.04,
                "loaded_terms": [],
                "hedges": [],
                "scare_quotes": [],
            },
        ],
    }


def minimal_story() -> dict[str, Any]:
    """A story as another writer of the contract might send it: required fields only."""
    return {
        "id": "st-salvenne-strike",
        "title": "Dockworkers strike at the Port of Salvenne",
        "articles": [
            {
                "id": M1,
                "outlet": None,
                "title": None,
                "url": None,
                "published_at": None,
                "source": "inbox/strike-1.txt",
            },
            {
                "id": M2,
                "outlet": "salvenne-post",
                "title": "Port strike grows",
                "url": None,
                "published_at": "2025-10-06",
                "source": "inbox/strike-2.txt",
            },
        ],
        "actors": [
            {
                "id": "x-ilic",
                "name": "Marta Ilic",
                "kind": "person",
                "aliases": [],
                "labels": [{"article_id": M2, "text": "The union leader", "span": [0, 16]}],
            }
        ],
        "facts": [
            {
                "id": "x-f1",
                "text": "4,200 workers joined the strike",
                "status": "single_source",
                "outlets": ["salvenne-post"],
                "attributed_to": "x-ilic",
                "evidence": [span(M2, "4,200 workers joined the strike", context=False)],
            }
        ],
        "conflicts": [],
        "quotes": [],
        "timeline": [
            {**span(M1, "on Monday", context=False), "date": "2025-10-06", "precision": "day"}
        ],
        "framing": [],
    }


def make_report(*stories: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema": "parallax.report/1",
        "generated_by": "parallax 0.1.0",
        "stories": list(stories) or [maduro_story(), minimal_story()],
    }


@pytest.fixture
def report() -> dict[str, Any]:
    return make_report()


REQUIRED = {
    "story": {
        "id",
        "title",
        "articles",
        "actors",
        "facts",
        "conflicts",
        "quotes",
        "timeline",
        "framing",
    },
    "articles": {"id", "outlet", "title", "url", "published_at", "source"},
    "actors": {"id", "name", "kind", "aliases", "labels"},
    "labels": {"article_id", "text", "span"},
    "facts": {"id", "text", "status", "outlets", "attributed_to", "evidence"},
    "evidence": {"article_id", "text", "span"},
    "conflicts": {"id", "about", "kind", "values"},
    "values": {"value", "article_id", "text", "span"},
    "quotes": {"speaker", "speaker_name", "text", "direct", "article_id", "span"},
    "timeline": {"date", "precision", "text", "article_id", "span"},
    "framing": {"article_id", "loaded_terms", "hedges", "tone"},
    "loaded_terms": {"text", "span"},
    "hedges": {"text", "span"},
}


def required_only(value: Any, kind: str = "story") -> Any:
    """The same data with every extra field dropped: what another writer of the contract
    is obliged to send, and no more."""
    if isinstance(value, list):
        return [required_only(item, kind) for item in value]
    if not isinstance(value, dict):
        return value
    keep = REQUIRED.get(kind)
    return {
        key: required_only(item, key) for key, item in value.items() if keep is None or key in keep
    }


def as_text(report: dict[str, Any]) -> str:
    console = Console(record=True, width=120, file=io.StringIO())
    render_text(report, console)
    return console.export_text()


def as_html_text(report: dict[str, Any]) -> str:
    """The page with character references decoded, to look for phrases as a reader sees them."""
    return html.unescape(render_html(report))


RENDERERS = {"text": as_text, "markdown": render_markdown, "html": as_html_text}


def flat(output: str) -> str:
    """Output with whitespace runs folded, so wrapped terminal lines still match phrases."""
    return " ".join(output.split())


class Tree(HTMLParser):
    """Walks a page: checks that tags nest, and collects tags, attributes and text."""

    VOID = frozenset("meta link br img input hr wbr source col area base".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for tag in set(self.stack):
            self.text.setdefault(tag, []).append(data)


def parse(page: str) -> Tree:
    tree = Tree()
    tree.feed(page)
    tree.close()
    return tree


def marks_of(page: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"<mark>(.*?)</mark>", page, re.DOTALL)]


def evidence_items(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [item for entry in value for item in evidence_items(entry)]
    if not isinstance(value, dict):
        return []
    found = [value] if {"article_id", "text", "span"} <= value.keys() else []
    return found + [item for entry in value.values() for item in evidence_items(entry)]


def test_render_fixture_obeys_the_evidence_contract(report: dict[str, Any]) -> None:
    items = evidence_items(report)
    assert len(items) > 40
    for item in items:
        start, end = item["span"]
        assert TEXTS[item["article_id"]][start:end] == item["text"]


# --- every format -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_render_conflicts_come_before_facts(fmt: str, report: dict[str, Any]) -> None:
    output = flat(RENDERERS[fmt](report))
    first_conflict = output.index("the date the letter is dated")
    assert first_conflict < output.index("number of U.S. warships sent to the region")
    assert output.index("number of U.S. warships") < output.index(
        "Maduro sent Trump a letter offering direct talks"
    )


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_render_shows_every_conflict_value_and_its_sentence(
    fmt: str, report: dict[str, Any]
) -> None:
    output = flat(RENDERERS[fmt](report))
    for conflict in report["stories"][0]["conflicts"]:
        for value in conflict["values"]:
            assert value["value"] in output
            assert value["text"] in output
            assert flat(value["context"]["after"]).rstrip(".") in output


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_render_stories_follow_one_another(fmt: str, report: dict[str, Any]) -> None:
    output = RENDERERS[fmt](report)
    first = output.index("Maduro writes to Trump offering direct talks")
    assert output.index("Dockworkers strike at the Port of Salvenne", first) > first


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_render_required_fields_only(fmt: str) -> None:
    report = make_report(required_only(maduro_story()), minimal_story())
    output = flat(RENDERERS[fmt](report))
    for needle in (
        "dated Sept. 6",
        "dated September 5",
        "2025-09-05",
        "Socialist dictator",
        "Venezuela's ruler",
        "open for a direct and frank conversation",
        "since November 2024",
        "4,200 workers joined the strike",
    ):
        assert needle in output


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_render_empty_lists_say_none_found(fmt: str) -> None:
    output = RENDERERS[fmt](make_report(minimal_story())).lower()
    assert "no conflicts found" in output or ("### conflicts (0)\n\n_none found._" in output)
    assert "no quotes found" in output or ("### quotes (0)\n\n_none found._" in output)


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize(
    "broken",
    [
        {"schema": "parallax.report/1"},
        {"stories": "not a list"},
        {"stories": [{"title": 3, "facts": "oops", "conflicts": [None, 3, {"values": "x"}]}]},
        {
            "stories": [
                {
                    "id": "s",
                    "title": "t",
                    "framing": [{"tone": "sad"}, {"tone": float("nan")}],
                    "timeline": [{"date": "someday"}, {"date": "2025-02-30"}],
                    "quotes": [{"text": None, "group": 7}],
                    "labels": [{"by_outlet": []}],
                    "articles": [{"id": None, "url": 5}],
                }
            ]
        },
    ],
)
def test_render_malformed_report_does_not_raise(fmt: str, broken: dict[str, Any]) -> None:
    assert RENDERERS[fmt](broken) is not None


# --- text ---------------------------------------------------------------------------------


def test_render_text_shows_the_key_items(report: dict[str, Any]) -> None:
    output = flat(as_text(report))
    for needle in (
        "Maduro writes to Trump offering direct talks",
        "3 outlets: reuters.com, charter97.org, breitbart.com",
        "3 articles",
        "2025-09-21 → 2025-09-22",
        "CONFLICTS (2)",
        "▸ 2025-09-05 breitbart.com",
        "corroborated",
        "single source",
        "disputed",
        "(2 independent)",
        "⚠ attribution drift: asserted by charter97.org; attributed by reuters.com",
        "⚠ in conflict: #1 the date the letter is dated",
        "Socialist dictator; The Venezuelan dictator",
        "Venezuela's ruler",
        "wording differs",
        "reworded: “direct and honest dialog”",
        "trimmed: “fake news.”",
        "2024-11 month since November 2024",
        "⚠ conflict #1",
        "-0.42 negative",
        "Socialist dictator →",
        "allegedly (allegation)",
        "“South American intermediary”",
        "No conflicts found.",
        "No framing found.",
    ):
        assert needle in output, needle


def test_render_text_cuts_long_lists_with_a_count() -> None:
    story = maduro_story()
    story["facts"] = story["facts"] * 5
    output = flat(as_text(make_report(story)))
    assert "… and 5 more facts" in output
    assert "… and 1 more source" in output


def test_render_text_never_reads_article_text_as_markup() -> None:
    story = maduro_story()
    story["title"] = (
        "[bold red]Breaking[/bold red] \x1b[31mred\x1b[0m [link=https://x.test]x[/link]"
    )
    output = as_text(make_report(story))
    assert "[bold red]Breaking[/bold red]" in output
    assert "[link=https://x.test]x[/link]" in output
    assert "\x1b" not in output


# --- markdown -----------------------------------------------------------------------------


HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_ATTR = '"><img src=x onerror=alert(1)>'
HOSTILE_MD = "| # ``` *not bold* [link](javascript:alert(1)) <b>raw</b> &amp;"


def hostile_report() -> dict[str, Any]:
    """The fixture with attacker-chosen text in every kind of field an article feeds."""
    story = copy.deepcopy(maduro_story())
    story["title"] = f"# {HOSTILE_SCRIPT}"
    story["summary"] = HOSTILE_ATTR
    first = story["articles"][0]
    first.update(title=HOSTILE_SCRIPT, url="javascript:alert(1)", outlet=HOSTILE_ATTR)
    story["articles"][1]["title"] = HOSTILE_MD
    conflict = story["conflicts"][0]
    conflict["about"] = HOSTILE_ATTR
    conflict["values"][0].update(value=HOSTILE_MD, text=HOSTILE_SCRIPT)
    conflict["values"][0]["context"] = {"before": f"- 1. {HOSTILE_MD}", "after": HOSTILE_ATTR}
    story["facts"][0]["text"] = f"1. {HOSTILE_MD}"
    story["labels"][0]["by_outlet"]["breitbart.com"] = [HOSTILE_MD, HOSTILE_SCRIPT]
    story["quotes"][0]["text"] = f"```\n# heading\n| a | b |\n{HOSTILE_SCRIPT}"
    story["timeline"][0].update(text=HOSTILE_ATTR, date="2024-11")
    story["framing"][0]["loaded_terms"][0]["text"] = HOSTILE_SCRIPT
    return make_report(story)


def markdown_to_html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_render_markdown_escapes_hostile_text() -> None:
    markdown = render_markdown(hostile_report())
    page = markdown_to_html(markdown)
    tree = parse(page)
    tags = {tag for tag, _ in tree.tags}
    assert not tags & {"script", "img", "pre", "b", "h5", "h6"}
    assert "javascript:" not in " ".join(str(attrs) for _, attrs in tree.tags)
    headings = [t for t, _ in tree.tags if t in {"h1", "h2", "h3", "h4"}]
    assert headings.count("h1") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "| # ``` *not bold*" in " ".join(tree.text.get("td", []))


def test_render_markdown_tables_keep_their_columns() -> None:
    page = markdown_to_html(render_markdown(hostile_report()))
    tables = re.findall(r"<table>(.*?)</table>", page, re.DOTALL)
    assert len(tables) == 6
    for table in tables:
        counts = {row.count("<td") + row.count("<th") for row in table.split("<tr>")[1:]}
        assert len(counts) == 1, counts


def test_render_markdown_quotes_evidence_with_article_ids(report: dict[str, Any]) -> None:
    markdown = render_markdown(report)
    assert "“The letter, **dated September 5**, was delivered on September 6" in markdown
    assert "— breitbart.com, article bb\\-0922" not in markdown
    assert "— breitbart.com, article bb-0922" in markdown
    assert "| **2025\\-09\\-05** |" not in markdown
    assert "| **2025-09-05** | breitbart.com |" in markdown
    assert "“Socialist dictator” (bb-0922)" in markdown
    assert "- **Maduro sent Trump a letter offering direct talks** — _corroborated_" in markdown


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a | b", "a \\| b"),
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("``` fence", "\\`\\`\\` fence"),
        ("<b>bold</b>", "\\<b\\>bold\\</b\\>"),
        ("U.S.-Venezuela talks, 5%", "U.S.-Venezuela talks, 5%"),
    ],
)
def test_render_markdown_escape(text: str, escaped: str) -> None:
    from parallax.render.markdown import escape

    assert escape(text) == escaped


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_render_markdown_escape_round_trips(text: str) -> None:
    from parallax.render.markdown import escape
    from parallax.render.view import clean

    shown = clean(text)
    html_text = shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    html_text = html_text.replace('"', "&quot;")
    rendered = MarkdownIt("commonmark").render(escape(shown))
    assert rendered == (f"<p>{html_text}</p>\n" if shown else "")


# --- html ---------------------------------------------------------------------------------


def test_render_html_is_well_formed_and_self_contained(report: dict[str, Any]) -> None:
    page = render_html(report)
    tree = parse(page)
    assert not tree.errors
    assert not tree.stack
    assert page.startswith("<!doctype html>")
    assert "<script" not in page.lower()
    for tag, attrs in tree.tags:
        assert not (tag == "link" and "stylesheet" in (attrs.get("rel") or ""))
        assert "http" not in (attrs.get("src") or "")
        assert not any(name.startswith("on") for name in attrs)
        if tag == "a":
            href = attrs.get("href") or ""
            assert href.startswith(("#", "https://", "http://"))
            if not href.startswith("#"):
                assert attrs.get("rel") == "noopener noreferrer nofollow"
    assert sum(1 for tag, _ in tree.tags if tag == "style") == 1
    ids = [attrs["id"] for _, attrs in tree.tags if attrs.get("id")]
    assert len(ids) == len(set(ids))


def test_render_html_ids_stay_unique_when_report_ids_repeat() -> None:
    story = maduro_story()
    story["conflicts"][1]["id"] = story["conflicts"][0]["id"]
    tree = parse(render_html(make_report(story, copy.deepcopy(story))))
    ids = [attrs["id"] for _, attrs in tree.tags if attrs.get("id")]
    assert len(ids) == len(set(ids))
    assert "story-2-conflict-2" in ids


def test_render_html_csp_forbids_remote_loads(report: dict[str, Any]) -> None:
    from parallax.render.html import content_security_policy

    page = render_html(report)
    csp = next(
        attrs["content"] or ""
        for tag, attrs in parse(page).tags
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    css = re.search(r"<style>(.*?)</style>", page, re.DOTALL)
    assert css is not None
    assert csp == content_security_policy(css.group(1))


def test_render_html_highlights_both_sides_of_a_conflict(report: dict[str, Any]) -> None:
    page = render_html(report)
    card = page[page.index('id="story-1-conflict-1"') : page.index('id="story-1-conflict-2"')]
    assert marks_of(card) == ["dated Sept. 6", "dated September 6", "dated September 5"]
    assert "Maduro&#39;s letter is <mark>dated Sept. 6</mark>, four days after" in card
    assert card.index("2025-09-06") < card.index("2025-09-05")


def test_render_html_shows_outlets_side_by_side(report: dict[str, Any]) -> None:
    page = render_html(report)
    start = page.index('id="story-1-outlets"')
    outlets = page[start : page.index("</article>", start)]
    assert outlets.count('class="card group"') == 2
    assert "relays Reuters" in outlets
    assert "-0.55 · negative" in outlets
    assert '<span class="pill">Socialist dictator</span>' in outlets


def test_render_html_facts_carry_status_and_drift(report: dict[str, Any]) -> None:
    page = render_html(report)
    facts = page[page.index('id="story-1-facts"') : page.index('id="story-1-labels"')]
    for status in ("corroborated", "single_source", "disputed"):
        assert f'<span class="status {status}">' in facts
    assert "Attribution drift:" in facts
    assert 'href="#story-1-conflict-1"' in facts


def test_render_html_folds_long_lists_without_losing_items() -> None:
    story = maduro_story()
    story["facts"] = [
        {**fact, "text": f"fact number {n}"} for n in range(20) for fact in story["facts"][:1]
    ]
    page = render_html(make_report(story))
    folded = page[page.index('<details class="more">') :]
    assert "<summary>… and 8 more facts</summary>" in folded
    assert "fact number 11" not in folded
    assert all(f"fact number {n}<" in page for n in range(20))


def test_render_html_label_table_is_actors_by_outlets(report: dict[str, Any]) -> None:
    page = render_html(report)
    table = page[page.index('class="label-table"') : page.index("</table>")]
    assert table.count("<tr>") == 4
    assert '<span class="pill loaded" title="bb-0922">Socialist dictator</span>' in table
    assert '<span class="pill" title="rt-0921">Venezuelan President</span>' in table


def test_render_html_timeline_has_one_mark_per_distinct_date(report: dict[str, Any]) -> None:
    page = render_html(report)
    charts = re.findall(r'<svg class="timeline".*?</svg>', page, re.DOTALL)
    assert len(charts) == 2
    for chart, story in zip(charts, report["stories"], strict=True):
        dates = {entry["date"] for entry in story["timeline"]}
        marks = re.findall(r'<circle class="tl-mark([^"]*)"', chart)
        assert len(marks) == len(dates)
    first = re.findall(r'<circle class="tl-mark([^"]*)"', charts[0])
    assert sum("conflict" in m for m in first) == 2
    assert sum("approximate" in m for m in first) == 1


def test_render_html_escapes_hostile_text() -> None:
    page = render_html(hostile_report())
    tree = parse(page)
    assert not tree.errors
    tags = {tag for tag, _ in tree.tags}
    assert not tags & {"script", "img"}
    assert "<script" not in page
    assert "javascript:" not in " ".join(str(attrs.get("href")) for _, attrs in tree.tags)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert all(not any(name.startswith("on") for name in attrs) for _, attrs in tree.tags)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=60))
def test_render_html_never_leaves_article_text_unescaped(text: str) -> None:
    from parallax.render.view import clean

    story = minimal_story()
    story["facts"][0]["evidence"][0]["text"] = text
    story["articles"][1]["title"] = text
    page = render_html(make_report(story))
    marks = marks_of(page)
    assert len(marks) == 2
    for mark in marks:
        assert "<" not in mark
        assert ">" not in mark
    tree = parse(page)
    assert not tree.errors
    assert clean(text) in "".join(tree.text.get("mark", []))


# --- cut context, repeated summaries, section order, served links -------------------------

CUT_BEFORE = (
    "The letter was handed to the foreign ministry through the embassy of Lauremont, which "
    "has served as a discreet channel between the two governments ever since Orsland "
    "withdrew its ambassador in the spring, and it was "
)
CUT_SPAN = "dated 4 October 2026"
CUT_AFTER = (
    ", four days after the first strike on a fishing boat, according to three officials who "
    "spoke on condition of anonymity because they were not authorised to discuss the letter."
)


def cut_story() -> dict[str, Any]:
    """A story whose one piece of evidence sits in a sentence longer than any context, with
    its context cut by the comparison itself (:mod:`parallax.compare.context`)."""
    from parallax.compare.context import Source, story_context
    from parallax.model import Article

    text = "Talks stalled. " + CUT_BEFORE + CUT_SPAN + CUT_AFTER + " Nothing else happened."
    stored = Article(id="a-cut", text=text, source="cut.txt", outlet="Meridian Wire")
    context = story_context("s-cut", [Source(stored, "a-cut")], [])
    start = text.index(CUT_SPAN)
    evidence = context.evidence("a-cut", start, start + len(CUT_SPAN))
    story = minimal_story()
    story["articles"] = [{**story["articles"][1], "id": "a-cut", "outlet": "Meridian Wire"}]
    story["actors"] = []
    story["timeline"] = []
    story["facts"] = [{**story["facts"][0], "outlets": ["Meridian Wire"], "evidence": [evidence]}]
    return story


def test_render_cut_context_fixture_is_cut_mid_word_by_the_comparison() -> None:
    """The premise of the next test: the comparison's context starts and ends inside a word."""
    evidence = cut_story()["facts"][0]["evidence"][0]
    before, after = evidence["context"]["before"], evidence["context"]["after"]
    assert CUT_BEFORE.endswith(before) and not CUT_BEFORE.endswith(" " + before)
    assert CUT_AFTER.startswith(after) and CUT_AFTER[len(after)] not in " .,"


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_render_context_is_cut_at_a_word_and_the_cut_is_marked(fmt: str) -> None:
    """No word is shown in part: a context cut inside a word loses that word, and "…" stands
    where the sentence goes on. The span itself is shown exactly as the article has it."""
    from parallax.render.view import read_report

    report = make_report(cut_story())
    shown = read_report(report).stories[0].facts[0].evidence[0]
    assert shown.text == CUT_SPAN
    assert shown.before.startswith("…") and shown.after.endswith("…")
    kept_before, kept_after = shown.before[1:], shown.after[:-1]
    assert CUT_BEFORE.endswith(" " + kept_before), "starts at the start of a word"
    assert CUT_AFTER.startswith(kept_after) and CUT_AFTER[len(kept_after)] == " "
    output = flat(RENDERERS[fmt](report))
    assert CUT_SPAN in output
    assert "…" + kept_before.split()[0] in output
    assert kept_after.split()[-1] + "…" in output
    cut_word = report["stories"][0]["facts"][0]["evidence"][0]["context"]["before"].split()[0]
    assert not output.startswith(cut_word) and f" {cut_word}{kept_before[:1]}" not in output


def test_render_html_cut_context_reads_as_one_sentence() -> None:
    page = render_html(make_report(cut_story()))
    sentence = re.search(r'<span class="sentence">(.*?)</span>', page, re.DOTALL)
    assert sentence is not None
    parts = re.fullmatch(r"(.*)<mark>(.*)</mark>(.*)", html.unescape(sentence.group(1)), re.DOTALL)
    assert parts is not None
    before, span_text, after = parts.groups()
    assert span_text == CUT_SPAN
    assert before.startswith("…") and CUT_BEFORE.endswith(" " + before[1:])
    assert after.endswith("…") and CUT_AFTER.startswith(after[:-1])


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_render_summary_that_is_the_title_is_shown_once(fmt: str) -> None:
    """A story of articles without a headline is titled by its first sentence, which is its
    summary too: the reader sees the sentence once. A summary that says more still shows."""
    sentence = "Dockworkers at the Port of Salvenne walked off the job over pay on Monday."
    story = {**minimal_story(), "title": sentence, "summary": f"{sentence} "}
    page = flat(RENDERERS[fmt](make_report(story)))
    body = page[page.index("</head>") :] if fmt == "html" else page
    assert body.count(sentence) == 1
    other = {**minimal_story(), "summary": sentence}
    assert flat(RENDERERS[fmt](make_report(other))).count(sentence) >= 1


def test_render_html_reads_conflicts_first_in_source_order(report: dict[str, Any]) -> None:
    """The order of the page's source is the order a keyboard and a screen reader follow:
    conflicts right after the story's head, the cards of who reported it last."""
    page = render_html(report)
    story = page[page.index('id="story-1"') : page.index("</article>")]
    order = [
        story.index(f'<section id="story-1-{name}"')
        for name in ("conflicts", "facts", "labels", "quotes", "timeline", "framing", "outlets")
    ]
    assert order == sorted(order)
    nav = re.findall(r'<a href="#story-1-(\w+)"', story[: story.index("</nav>")])
    assert nav == ["conflicts", "facts", "labels", "quotes", "timeline", "framing", "outlets"]


def test_render_outlet_names_made_up_for_articles_without_one_are_not_links() -> None:
    """A name shown for an article that came with no outlet (``unknown (file)``, or the
    view's "unknown outlet") stands for no outlet a server has a page of."""
    from parallax.render import story_pages

    story = minimal_story()
    story["articles"][0]["outlet_name"] = "unknown (strike-1.txt)"
    served = story_pages(make_report(story), "/articles")[0]
    assert served.outlet_href("unknown (strike-1.txt)") is None
    assert served.outlet_href("salvenne-post") == "/outlets/salvenne-post"
    bare = story_pages(make_report(minimal_story()), "/articles")[0]
    assert bare.outlet_href("unknown outlet") is None
    assert bare.outlet_href("salvenne-post") == "/outlets/salvenne-post"


def test_render_labels_and_framing_terms_link_to_their_spans_when_served(
    report: dict[str, Any],
) -> None:
    """On the server's story page every label and framing term links to its span (a pill
    used twice links to both places); the report file keeps them as text."""
    from parallax.web.rendering import render

    story = copy.deepcopy(report["stories"][0])
    maduro = next(actor for actor in story["actors"] if actor["id"] == "a-maduro")
    maduro["labels"] += [
        {**span(RT, "Maduro", nth=n, context=False), "outlet": OUTLETS[RT]} for n in (0, 1)
    ]
    story["framing"][1]["loaded_terms"].append(
        {**span(BB, "dictator", context=False), "category": "pejorative"}
    )
    served = render("story.page.j2", story=story, document=make_report(story))
    items = [(label["article_id"], label) for actor in story["actors"] for label in actor["labels"]]
    items += [
        (framing["article_id"], term)
        for framing in story["framing"]
        for kind in ("loaded_terms", "hedges", "scare_quotes")
        for term in framing[kind]
    ]
    assert len(items) > 12
    for article_id, item in items:
        start, end = item["span"]
        assert TEXTS[article_id][start:end] == item["text"]
        assert f'href="/articles/{article_id}#span-{start}-{end}"' in served, item
    assert "/articles/" not in render_html(make_report(story))
