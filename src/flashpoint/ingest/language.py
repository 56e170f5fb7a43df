"""Language identification with py3langid, made robust for wire text and short texts."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class LanguageGuess:
    language: str  # ISO 639-1
    probability: float
    how: str  # "classifier", "function words" or "too short": for --explain and tests


class LanguageDetector:
    """Decides whether a cleaned text is English.

    py3langid alone misjudges two kinds of English we meet: all-caps wire text (FBIS/MUC)
    and short snippets. So the text is lower-cased before classifying, texts too short to
    judge pass as English, and a text rich in English function words is English.
    """

    def __init__(
        self,
        *,
        min_letters: int,
        english_function_share: float,
        english_function_words: frozenset[str],
    ) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        # A private identifier, not py3langid's module-level one, so that nothing is shared.
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._min_letters = min_letters
        self._share = english_function_share
        self._function_words = english_function_words

    def detect(self, text: str) -> LanguageGuess:
        sample = text[:5000].lower()
        letters = sum(c.isalpha() for c in sample)
        words = _WORD.findall(sample)
        if words:
            share = sum(w in self._function_words for w in words) / len(words)
            if share >= self._share:
                return LanguageGuess("en", share, "function words")
        latin = sum(c.isalpha() and c < "\u0250" for c in sample)
        # Too short to judge, unless it is written in another script (Arabic, Cyrillic...).
        if letters < self._min_letters and latin >= 0.5 * letters:
            return LanguageGuess("en", 0.0, "too short")
        lang, prob = self._identifier.classify(sample)
        return LanguageGuess(str(lang), float(prob), "classifier")
