"""Identity and near-duplicates.

An article's id is stable for the same input: from its url when known, else from
its outlet and normalised text. Near-duplicates are found with MinHash over word
3-shingles; the signature and its LSH band keys are stored, so finding candidates
is an index lookup, never a comparison with every stored article.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np

from parallax.ingest.metadata import normalise_url

_WORD = re.compile(r"\w+")
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


def content_hash(text: str) -> str:
    return _digest("content\x00" + normalise_text(text))


def shingles(text: str) -> list[bytes]:
    words = _WORD.findall(normalise_text(text))
    if len(words) < SHINGLE:
        return [" ".join(words).encode()]
    return [" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)]


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> np.ndarray:
    from datasketch import MinHash  # imported on first use: it pulls in scipy (~50 MiB)

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
