"""Screenshots of every page of `parallax serve`, at desktop and phone width.

    .venv/bin/python bench/screenshots.py --db out/demo.db --out out/screens

Starts the server on 127.0.0.1 (a free port) over the given store and drives Debian's
Chromium (/usr/bin/chromium) through Playwright; one PNG per page and width (with
``--full-page``, a second one of the whole page). The pages are those a reader walks
through: the list, a search, the story with the most conflicts, the article at the first
side of its first conflict (``#span-START-END``), that article's outlet, the story's most
labelled actor, the outlet list and a 404. A page wider than its window is reported on
stderr: on a phone that is text a reader has to scroll sideways for. Look at the images
before calling a page done: what a person sees is the test no assertion makes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.web.conftest import Server

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _json(page: Page, url: str) -> Any:
    response = page.request.get(url)
    if not response.ok:
        raise SystemExit(f"{url}: {response.status}")
    return response.json()


def _story(page: Page, base: str, query: str) -> dict[str, Any]:
    """The report of the story with the most conflicts (of those matching ``query``)."""
    params = "sort=sources&per_page=100" + (f"&q={quote(query)}" if query else "")
    found = _json(page, f"{base}/api/stories?{params}")["stories"]
    if not found:
        raise SystemExit(f"no story in the store matches {query!r}")
    best = max(found, key=lambda s: (s["conflicts"] or 0, s["articles"]))
    return dict(_json(page, f"{base}/api/stories/{best['id']}")["stories"][0])


def pages(page: Page, base: str, query: str) -> dict[str, str]:
    """Name to path of every page to capture, read from the running server's API."""
    report = _story(page, base, query)
    sides = [v for c in report["conflicts"] for v in c["values"]]
    cited = sides[0] if sides else report["facts"][0]["evidence"][0]
    article = next(a for a in report["articles"] if a["id"] == cited["article_id"])
    actor = max(report["actors"], key=lambda a: len(a["labels"]))
    stored = [a for a in report["articles"] if a.get("outlet")]  # a made-up name has no page
    named = article if article.get("outlet") else (stored[0] if stored else article)
    outlet = named.get("outlet_name") or named.get("outlet") or "unknown"
    start, end = cited["span"]
    return {
        "index": "/",
        "search": f"/?q={quote(query or report['title'].split()[0])}",
        "story": f"/stories/{quote(report['id'], safe='')}",
        "article": f"/articles/{quote(article['id'], safe='')}#span-{start}-{end}",
        "outlets": "/outlets",
        **({"outlet": f"/outlets/{quote(outlet, safe='')}"} if named.get("outlet") else {}),
        "actor": f"/actors/{quote(actor['id'], safe='')}",
        "not-found": "/stories/nope",
    }


def capture(page: Page, url: str, target: Path, full_page: bool) -> int:
    """Save the window (and the whole page) as PNG; how many pixels it overflows by."""
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)  # the span script scrolls after load
    page.screenshot(path=str(target))
    if full_page:
        page.screenshot(path=str(target.with_name(target.stem + "-full.png")), full_page=True)
    return int(page.evaluate(OVERFLOW))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("out/demo.db"))
    parser.add_argument("--out", type=Path, default=Path("out/screens"))
    parser.add_argument("--prefix", default="", help="put before every file name")
    parser.add_argument("--query", default="letter", help="words of the story to show")
    parser.add_argument("--full-page", action="store_true", help="also capture the whole page")
    parser.add_argument("--extra", nargs="*", default=[], help="more paths to capture")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    wide = 0
    with Server(args.db) as server, sync_playwright() as play:
        browser = play.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for width, (w, h) in WIDTHS.items():
            page = browser.new_page(viewport={"width": w, "height": h})
            targets = pages(page, server.url, args.query)
            targets |= {f"extra{i}": p for i, p in enumerate(args.extra)}
            for name, path in targets.items():
                target = args.out / f"{args.prefix}{name}-{width}.png"
                overflow = capture(page, server.url + path, target, args.full_page)
                print(target, path)
                if overflow > 0:
                    wide += 1
                    print(f"  {target.name}: {overflow} px wider than the window", file=sys.stderr)
            page.close()
        browser.close()
    sys.exit(1 if wide else 0)


if __name__ == "__main__":
    main()
