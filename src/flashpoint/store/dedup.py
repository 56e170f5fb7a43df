"""Near-duplicate articles: MinHash signatures over word shingles, banded for lookup.

Syndicated copies and lightly edited updates share most of their word 5-grams; the estimated
Jaccard similarity of two signatures is the share of equal positions. Parameters are in
``data/linking.toml`` ``[near_duplicate]``. Hashing is blake2b-based, so signatures are the same
on every machine and every run (Python's ``hash`` is salted per process).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

_MERSENNE = (1 << 61) - 1
_WORD = re.compile(r"\w+", re.UNICODE)


def content_hash(text: str) -> str:
    """Hash of the text with case, punctuation and spacing differences removed."""
    norm = " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).lower()))
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def _permutations(n: int) -> tuple[np.ndarray, np.ndarray]:
    # derived from fixed seeds, so every process draws the same permutations
    seed = hashlib.blake2b(b"flashpoint-minhash", digest_size=8).digest()
    rng = np.random.default_rng(int.from_bytes(seed, "big"))
    a = rng.integers(1, _MERSENNE, size=n, dtype=np.uint64)
    b = rng.integers(0, _MERSENNE, size=n, dtype=np.uint64)
    return a, b


def shingles(text: str, k: int) -> set[str]:
    words = _WORD.findall(unicodedata.normalize("NFKC", text).lower())
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def minhash(text: str, *, k: int, permutations: int) -> list[int]:
    grams = shingles(text, k)
    if not grams:
        return [0] * permutations
    x = np.array(
        [int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "big") % _MERSENNE for g in grams],
        dtype=object,
    )
    a, b = _permutations(permutations)
    # exact modular arithmetic on Python ints (object arrays): uint64 products would overflow
    values = (np.outer(a.astype(object), x) + b.astype(object)[:, None]) % _MERSENNE
    return [int(v) for v in values.min(axis=1)]


def similarity(sig1: Sequence[int] | np.ndarray, sig2: Sequence[int] | np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of equal positions (lists or uint64 arrays)."""
    if len(sig1) == 0 or len(sig1) != len(sig2):
        return 0.0
    equal = np.asarray(sig1, dtype=np.uint64) == np.asarray(sig2, dtype=np.uint64)
    return int(np.count_nonzero(equal)) / len(sig1)


def band_hashes(sig: list[int], *, bands: int) -> list[str]:
    rows = max(1, len(sig) // bands)
    return [
        hashlib.blake2b(",".join(map(str, sig[i * rows : (i + 1) * rows])).encode(), digest_size=16).hexdigest()
        for i in range(bands)
    ]


@dataclass(frozen=True)
class NearDuplicates:
    """The near-duplicate settings (``linking.toml`` ``[near_duplicate]``): what the store and
    both batch engines compute and compare, so they decide alike."""

    shingle_words: int
    permutations: int
    bands: int
    threshold: float

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> NearDuplicates:
        return cls(int(settings["shingle_words"]), int(settings["permutations"]), int(settings["bands"]),
                   float(settings["threshold"]))

    def signature(self, text: str) -> list[int]:
        return minhash(text, k=self.shingle_words, permutations=self.permutations)

    def band_hashes(self, sig: list[int]) -> list[str]:
        return band_hashes(sig, bands=self.bands)

    def is_copy(self, sig: Sequence[int] | np.ndarray, other: Sequence[int] | np.ndarray) -> bool:
        return similarity(sig, other) >= self.threshold
