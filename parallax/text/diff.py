"""A word diff between two texts: what an outlet changed when it edited an article.

Words and the spaces between them are compared as tokens, so a changed word is reported
as that word and not as the whole line, and joining the pieces of either side gives that
side's text back exactly.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["same", "removed", "added"]
_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[Op, str]]:
    """``(op, text)`` pieces: joining the ``same`` and ``removed`` ones gives ``old``,
    the ``same`` and ``added`` ones ``new``."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    pieces: list[tuple[Op, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("added", "".join(b[j1:j2])))
    return pieces


def marked(pieces: list[tuple[Op, str]]) -> str:
    """The diff as one text, ``[-removed-]`` and ``{+added+}`` as ``git diff --word-diff``
    marks them."""
    marks = {"same": "{}", "removed": "[-{}-]", "added": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in pieces)
