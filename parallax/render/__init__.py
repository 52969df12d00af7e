"""Render a story report (``parallax.report/1``) for people: terminal, Markdown, HTML.

The three renderers read a report through one view (:mod:`parallax.render.view`), so they
agree on what a story holds and all survive a report that carries only the required
fields. Each puts conflicts first, because where outlets disagree is what a reader came
for, and each treats article text as untrusted: Rich never parses it as markup, Markdown
escapes it, HTML autoescapes it in a page that can load and run nothing.
"""

from parallax.render.html import FOLD_AFTER, environment, render_html, story_pages, stylesheet
from parallax.render.markdown import render_markdown
from parallax.render.text import render_text
from parallax.render.view import distinct_summary

__all__ = [
    "FOLD_AFTER",
    "distinct_summary",
    "environment",
    "render_html",
    "render_markdown",
    "render_text",
    "story_pages",
    "stylesheet",
]
