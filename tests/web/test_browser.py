"""The server in a real browser: Debian's Chromium driven by Playwright, on 127.0.0.1.

What a reader does (search, open a story, click a conflict's evidence, land on the
highlighted sentence) and what an attacker tries (script in every field of an article),
checked in the browser itself: a payload that ran would have set ``window.__pwned`` or
opened a dialog. CI installs Chromium (``.ci/run``) and sets PARALLAX_BROWSER_TESTS=1, so
there a missing browser fails these tests instead of setting them aside.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.web.conftest import Server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

pytestmark = pytest.mark.browser

if not CHROMIUM.exists() and os.environ.get("PARALLAX_BROWSER_TESTS") != "1":
    pytest.skip(
        f"no Chromium at {CHROMIUM} (apt-get install chromium; CI installs it)",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Dialog, Page, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as play:
        found = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield found
        found.close()


@pytest.fixture(scope="module")
def served(example_db: Path) -> Iterator[Server]:
    with Server(example_db) as server:
        yield server


def watched(
    browser: Browser, *, javascript: bool = True, width: int = 1280
) -> tuple[Page, list[str]]:
    """A page that records every dialog and console error (a payload would raise one);
    ``javascript=False``: a reader whose browser runs no script at all."""
    height = 900 if width > 600 else 844
    page = browser.new_page(
        viewport={"width": width, "height": height}, java_script_enabled=javascript
    )
    events: list[str] = []

    def dialog(found: Dialog) -> None:
        events.append(f"dialog {found.message}")
        found.dismiss()

    page.on("dialog", dialog)
    page.on("pageerror", lambda error: events.append(f"error {error}"))
    return page, events


def highlighted(page: Page) -> str:
    page.wait_for_selector("#article-text .seg.hl")
    return str(
        page.eval_on_selector_all(
            "#article-text .seg.hl", "els => els.map(e => e.textContent).join('')"
        )
    )


def in_view(page: Page, selector: str) -> bool:
    box: Any = page.eval_on_selector(
        selector, "e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; }"
    )
    return bool(box[0] >= 0 and box[1] <= page.viewport_size["height"])  # type: ignore[index]


def test_browser_search_open_a_story_click_a_conflict_and_land_on_the_span(
    browser: Browser, served: Server
) -> None:
    page, events = watched(browser)
    page.goto(served.url + "/")
    assert page.locator(".story-row").count() >= 4
    page.fill("#f-q", "warships letter")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**/?q=warships+letter**")
    rows = page.locator(".story-row")
    assert rows.count() == 1
    rows.first.locator("a.story-title").click()
    page.wait_for_selector(".conflict-card")
    side = page.locator(".conflict-card").first.locator("blockquote").first
    quoted = side.locator("mark").inner_text()
    side.locator("a.evidence-link").click()
    page.wait_for_url("**/articles/**#span-*")
    shown = highlighted(page)
    assert " ".join(shown.split()) == " ".join(quoted.split())
    assert in_view(page, "#article-text .seg.hl")
    assert events == []


def test_browser_without_script_search_story_and_evidence_link_still_read(
    browser: Browser, served: Server
) -> None:
    """Reading needs no script: the filter form, the story, and the evidence link, which
    scrolls the article to the start of its span (the script only adds the highlight)."""
    page, events = watched(browser, javascript=False)
    page.goto(served.url + "/")
    page.fill("#f-q", "warships letter")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**/?q=warships+letter**")
    page.locator(".story-row a.story-title").first.click()
    link = page.locator(".conflict-card").first.locator("a.evidence-link").first
    href = link.get_attribute("href") or ""
    link.click()
    page.wait_for_url("**/articles/**#span-*")
    anchor = "#" + href.split("#", 1)[1]
    assert page.locator(anchor).count() == 1
    assert in_view(page, anchor)
    assert page.locator("#article-text .seg.hl").count() == 0, "no script ran"
    assert events == []


def test_browser_layers_toggle_without_script(browser: Browser, served: Server) -> None:
    page, _ = watched(browser, javascript=False)
    page.goto(served.url + "/")
    page.locator("a.story-title").first.click()
    page.locator(".group ul.articles a").first.click()
    page.wait_for_selector("#article-text")
    mention = "#article-text .seg.l-actor"
    before = page.eval_on_selector(mention, "e => getComputedStyle(e).borderBottomStyle")
    page.uncheck("#layer-actor")
    after = page.eval_on_selector(mention, "e => getComputedStyle(e).borderBottomStyle")
    assert before == "solid" and after == "none"


def _json(page: Page, url: str) -> Any:
    return page.request.get(url).json()


def test_browser_hostile_article_runs_nothing(browser: Browser, hostile_db: Path) -> None:
    with Server(hostile_db) as server:
        page, events = watched(browser)
        found = _json(page, server.url + "/api/search?q=council")
        routes = ["/", "/?q=council", "/outlets"]
        routes += [f"/articles/{a['id']}" for a in found["articles"]]
        stories = {a["story"] for a in found["articles"] if a["story"]}
        assert stories
        routes += [f"/stories/{story}" for story in stories]
        for story in stories:
            report = _json(page, f"{server.url}/api/stories/{story}")["stories"][0]
            routes += [f"/actors/{quote(a['id'], safe='')}" for a in report["actors"]]
        outlets = _json(page, server.url + "/api/outlets")["outlets"]
        assert any("<" in outlet for outlet in outlets)
        routes += [f"/outlets/{quote(outlet, safe='')}" for outlet in outlets]
        for route in routes:
            page.goto(server.url + route)
            page.wait_for_load_state("load")
            assert page.evaluate("() => window.__pwned") is None, route
            assert page.locator("img[src=x]").count() == 0, route
            assert page.locator("a[href^='javascript:']").count() == 0, route
        page.goto(server.url + f"/articles/{found['articles'][0]['id']}")
        assert "<script>window.__pwned" in page.locator("h1").inner_text()
        assert "<script>" in page.locator("#article-text").inner_text()
        meta = page.locator(".article-meta").inner_text()
        assert "<img src=x onerror=alert(3)>" in meta and "javascript:window.__pwned=4" in meta
        assert events == []


def test_browser_the_two_real_articles_date_conflict_links_to_each_sentence(
    browser: Browser, maduro_db: Path
) -> None:
    with Server(maduro_db) as server:
        page, events = watched(browser)
        page.goto(server.url + "/")
        page.locator("a.story-title").first.click()
        conflict = page.locator(".conflict-card").filter(
            has=page.locator(".badge.kind", has_text="date")
        )
        assert conflict.count() >= 1
        sides = conflict.first.locator(".side")
        assert sides.count() == 2
        values = [sides.nth(i).locator(".value").inner_text() for i in range(2)]
        assert set(values) == {"2025-09-05", "2025-09-06"}
        story_url = page.url
        for index in range(2):
            side = (
                page.locator(".conflict-card")
                .filter(has=page.locator(".badge.kind", has_text="date"))
                .first.locator(".side")
                .nth(index)
            )
            quoted = side.locator("blockquote mark").first.inner_text()
            side.locator("a.evidence-link").first.click()
            page.wait_for_url("**/articles/**#span-*")
            assert " ".join(highlighted(page).split()) == " ".join(quoted.split())
            page.goto(story_url)
        assert events == []


def test_browser_story_page_shows_the_conflicts_first(browser: Browser, served: Server) -> None:
    """The disagreements are what a reader opens a story for: they come right after the
    story's head, in the first screen, and the articles grouped by source come last."""
    page, _ = watched(browser)
    page.goto(served.url + "/?conflicts=yes")
    page.locator("a.story-title").first.click()
    page.wait_for_selector(".conflict-card")
    top: Any = page.evaluate(
        """() => Object.fromEntries(['.conflicts', '.facts', '.framing', '.outlets'].map(
            s => [s, document.querySelector('.story ' + s).getBoundingClientRect().top]))"""
    )
    assert top[".conflicts"] < top[".facts"] < top[".framing"] < top[".outlets"]
    assert top[".conflicts"] < page.viewport_size["height"]  # type: ignore[index]


def test_browser_keyboard_meets_the_conflicts_first(browser: Browser, served: Server) -> None:
    """Tab order follows the source, not the stylesheet: from the story's section links the
    next stop is in the conflicts, and the cards of who reported it come after the framing."""
    page, _ = watched(browser)
    page.goto(served.url + "/?conflicts=yes")
    page.locator("a.story-title").first.click()
    page.wait_for_selector(".conflict-card")
    page.focus(".story-nav a:last-child")
    page.keyboard.press("Tab")
    section = page.evaluate("() => document.activeElement.closest('section').className")
    assert section == "conflicts"
    order: Any = page.evaluate(
        """() => [...document.querySelectorAll('.story > section')].map(s => s.className)"""
    )
    assert order.index("conflicts") == 0
    assert order.index("framing") < order.index("outlets") == len(order) - 1


def test_browser_no_page_is_wider_than_a_phone(browser: Browser, served: Server) -> None:
    """At 390 px nothing makes the page scroll sideways (wide tables and charts scroll in
    their own box)."""
    page, _ = watched(browser, width=390)
    stories = _json(page, served.url + "/api/stories?conflicts=yes")["stories"]
    report = _json(page, f"{served.url}/api/stories/{stories[0]['id']}")["stories"][0]
    side = report["conflicts"][0]["values"][0]
    routes = ["/", "/?q=letter", "/outlets", "/stories/nope", f"/stories/{report['id']}"]
    routes += [f"/articles/{side['article_id']}#span-{side['span'][0]}-{side['span'][1]}"]
    routes += [f"/actors/{a['id']}" for a in report["actors"][:3]]
    routes += [f"/outlets/{quote(a['outlet'], safe='')}" for a in report["articles"][:3]]
    for route in routes:
        page.goto(served.url + route)
        wider = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert wider <= 0, (route, wider)


def test_browser_a_label_and_a_framing_term_open_on_their_span(
    browser: Browser, served: Server
) -> None:
    """A pill of the label table and one of the framing cards each open the article with
    exactly that label or term highlighted."""
    page, events = watched(browser)
    page.goto(served.url + "/?conflicts=yes")
    page.locator("a.story-title").first.click()
    story_url = page.url
    for selector in (".label-table .pill a.evidence-link", ".framing .pill.loaded a.evidence-link"):
        page.goto(story_url)
        link = page.locator(selector).first
        shown = link.inner_text()
        link.click()
        page.wait_for_url("**/articles/**#span-*")
        assert " ".join(highlighted(page).split()) == " ".join(shown.split()), selector
        assert in_view(page, "#article-text .seg.hl")
    assert events == []
