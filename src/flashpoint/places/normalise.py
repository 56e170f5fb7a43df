"""Name keys for the gazetteer: one folding used both when indexing and when looking up."""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose into base letter + mark.
_SPECIAL = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "ı": "i", "đ": "d", "Đ": "D",
     "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d", "ħ": "h"}
)
# Apostrophes and transliteration marks for ayn/hamza vanish: Dar'a == Daraa? no, == Dara.
_GLOTTAL = re.compile(r"['’‘`´ʿʾʻʼ′]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Arabic article and English "the" written before a name: "Al-Qusayr", "el Hermel", "the Golan".
ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "the", "ed", "es", "et", "ez"})
# Latin script only (with its combining marks, modifier letters and typographic punctuation).
_LATIN = re.compile(r"^[\x00-\u024f\u02b0-\u036f\u1e00-\u1eff\u2010-\u2027]+$")


def fold(text: str) -> str:
    """Lower case, no diacritics, punctuation as single spaces: "Ḩimş" -> "hims"."""
    text = _GLOTTAL.sub("", text.translate(_SPECIAL))
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", stripped.lower()).strip()


def keys(text: str) -> tuple[str, ...]:
    """The index keys of a name: the folded form and, if it starts with an article, without it."""
    full = fold(text)
    if not full:
        return ()
    first, _, rest = full.partition(" ")
    if rest and first in ARTICLES:
        return (full, rest)
    return (full,)


def is_latin(text: str) -> bool:
    return bool(_LATIN.match(text))
