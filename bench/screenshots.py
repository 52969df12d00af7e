"""Screenshots of every page of `parallax serve`, at desktop and phone width.

    .venv/bin/python bench/screenshots.py --db out/demo.db --out out/screens

Starts the server on 127.0.0.1 (a free port) over the given store and drives Debian's
Chromium (/usr/bin/chromium) through Playwright; one PNG per page and width. Look at them
before calling a page done: what a person sees is the test no assertion makes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from parallax.pipeline import main_stories
from parallax.store import Store
from tests.web.conftest import Server

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def pages(db: Path) -> dict[str, str]:
    with Store.open_readonly(db) as store:
        story = main_stories(store, limit=1)[0]
        article = next(iter(store.articles(limit=1))).id
        outlet = next(iter(store.articles(limit=1))).outlet or "unknown"
    return {
        "index": "/",
        "search": "/?q=letter&min_sources=2",
        "story": f"/stories/{story}",
        "article": f"/articles/{article}",
        "outlets": "/outlets",
        "outlet": f"/outlets/{outlet}",
        "not-found": "/stories/nope",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("out/demo.db"))
    parser.add_argument("--out", type=Path, default=Path("out/screens"))
    parser.add_argument("--full-page", action="store_true", help="capture the whole page")
    parser.add_argument("--extra", nargs="*", default=[], help="more paths to capture")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    targets = pages(args.db) | {f"extra{i}": p for i, p in enumerate(args.extra)}
    with Server(args.db) as server, sync_playwright() as play:
        browser = play.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for width, (w, h) in WIDTHS.items():
            page = browser.new_page(viewport={"width": w, "height": h})
            for name, path in targets.items():
                page.goto(server.url + path)
                target = args.out / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=args.full_page)
                print(target)
        browser.close()


if __name__ == "__main__":
    main()
