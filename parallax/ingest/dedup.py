"""Identity and near-duplicates.

An article's id is stable for the same input: from its url when known, else from
its outlet and normalised text. Near-duplicates are found with MinHash over word
3-shingles; the signature and its LSH band keys are stored, so finding candidates
is an index lookup, never a comparison with every stored article.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from parallax.ingest.metadata import normalise_url, outlet_from_url
from parallax.model import Article, Draft, Family, Metadata
from parallax.text import moment
from parallax.text.outlets import same_outlet

_WORD = re.compile(r"\w+")
"""The shingles' words. Deliberately not :data:`parallax.text.WORD`: stored signatures are
made of these shingles, so a change here would stop new articles matching stored ones."""
_FOLD = str.maketrans("“”„‘’–—", '"""\'\'--')
SHINGLE = 3
_SCHEME = "affine32"


def normalise_text(text: str) -> str:
    """Case, quotes, dashes and whitespace folded: the same words give the same string."""
    return " ".join(text.translate(_FOLD).casefold().split())


def _digest(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def article_id(url: str | None, outlet: str | None, text: str) -> str:
    """The stable id: the same input twice is one article, one text from two outlets is two."""
    if url:
        return _digest("url\x00" + normalise_url(url))
    return _digest("text\x00" + (outlet or "").casefold().strip() + "\x00" + normalise_text(text))


def article_from_draft(draft: Draft, user: Metadata) -> Article:
    """An article from a draft: the user's metadata over the input's, then a stable id.
    When only a url is known, the outlet is its domain."""
    meta = draft.meta.overridden_by(user)
    outlet = meta.outlet or outlet_from_url(meta.url)
    extra = dict(draft.extra)
    if draft.record is not None:
        extra["record"] = draft.record
    return Article(
        id=article_id(meta.url, outlet, draft.text),
        text=draft.text,
        source=draft.source,
        outlet=outlet,
        url=meta.url,
        title=meta.title,
        author=meta.author,
        published_at=meta.published_at,
        language=meta.language,
        extra=extra,
    )


def content_hash(text: str) -> str:
    return _digest("content\x00" + normalise_text(text))


def shingles(text: str) -> list[bytes]:
    words = _WORD.findall(normalise_text(text))
    if len(words) < SHINGLE:
        return [" ".join(words).encode()]
    return [" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)]


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> np.ndarray:
    from datasketch import MinHash  # first use only: it imports scipy (~50 MiB, ~0.1 s)

    return MinHash(num_perm=num_perm, seed=1, scheme=_SCHEME).permutations  # type: ignore[no-any-return]


def signature(text: str, num_perm: int) -> np.ndarray:
    """The MinHash signature (uint32) of the text's word 3-shingles."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=num_perm, permutations=_permutations(num_perm), scheme=_SCHEME)
    minhash.update_batch(shingles(text))
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


def band_keys(sig: np.ndarray, bands: int) -> list[int]:
    """One signed 64-bit key per LSH band (SQLite integers are signed 64-bit)."""
    rows = len(sig) // bands
    keys = []
    for band in range(bands):
        chunk = sig[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "big")).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


@dataclass(frozen=True)
class CopyOf:
    """What a new article is to a stored family: ``duplicate`` (same outlet) or ``wire``
    copy (another outlet) of ``origin``, or, published before it, the family's new
    ``origin`` (the stored members are then re-pointed at the new article)."""

    origin: str
    relation: Literal["duplicate", "wire", "origin"]
    score: float


def copy_decision(
    signature_: np.ndarray,
    outlet: str | None,
    published_at: str | None,
    families: Iterable[Family],
    threshold: float,
) -> CopyOf | None:
    """The copy policy, a pure decision: the first family (oldest first) whose member is
    at least ``threshold`` similar decides; ``None`` when the article copies nothing.

    The earliest published article of a family is its origin, whatever the order in
    which the files were read; unknown times never displace a known origin.
    """
    for family in families:
        score = similarity(signature_, family.signature)
        if score < threshold:
            continue
        if _earlier(published_at, family.origin_published):
            return CopyOf(family.origin, "origin", score)
        relation: Literal["duplicate", "wire"] = (
            "duplicate" if same_outlet(outlet, family.origin_outlet) else "wire"
        )
        return CopyOf(family.origin, relation, score)
    return None


def _earlier(a: str | None, b: str | None) -> bool:
    """Whether publication time ``a`` is known to be before ``b`` (naive times read as UTC)."""
    moment_a, moment_b = moment(a), moment(b)
    return moment_a is not None and moment_b is not None and moment_a < moment_b
