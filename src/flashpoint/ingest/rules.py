"""CleaningRules: the ingest stage's data (data/boilerplate.toml), compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..datafiles import data_path, read_toml
from .language import LanguageDetector


@dataclass(frozen=True)
class LinePattern:
    """A line is boilerplate if it matches ``pattern`` (and ``needs``, when given)."""

    pattern: re.Pattern[str]
    max_words: int | None = None
    needs: re.Pattern[str] | None = None

    def matches(self, line: str, words: int) -> bool:
        if self.max_words is not None and words > self.max_words:
            return False
        if not self.pattern.search(line):
            return False
        return self.needs is None or bool(self.needs.search(line))


@dataclass(frozen=True)
class InlinePattern:
    """A furniture span inside a line: the whole match of ``pattern`` (case-sensitive).

    With ``repeated``, a match is furniture only if its opening words occur again in the
    line (a pull quote repeats the article's own sentence; a lone paragraph is news)."""

    name: str
    pattern: re.Pattern[str]
    repeated: bool = False


@dataclass(frozen=True)
class CleaningRules:
    """Everything clean_article needs besides the article: boilerplate patterns, dateline
    vocabulary, outlet names and the language detector (built on first use)."""

    version: str
    line_patterns: tuple[LinePattern, ...]
    appeal_triggers: tuple[re.Pattern[str], ...]
    appeal_not_triggers: re.Pattern[str]
    appeal_max_trigger_words: int
    appeal_max_block_lines: int
    continue_pronouns: re.Pattern[str]
    continue_words: re.Pattern[str]
    short_fragment_words: int
    news_line_words: int
    list_headings: tuple[re.Pattern[str], ...]
    list_max_item_words: int
    list_max_block_lines: int
    inline_patterns: tuple[InlinePattern, ...]
    not_places: frozenset[str]
    generic_sources: frozenset[str]
    date_prefixes: tuple[str, ...]
    agencies: dict[str, str]
    self_reference: tuple[re.Pattern[str], ...]
    min_letters: int
    english_function_share: float
    english_function_words: frozenset[str]
    source: str = ""
    _detector: list[LanguageDetector] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path | None = None) -> CleaningRules:
        """Read the rules from ``path``, by default the packaged data/boilerplate.toml."""
        raw = read_toml(path, "boilerplate.toml")
        return cls.from_dict(raw, source=str(path if path is not None else data_path("boilerplate.toml")))

    @classmethod
    def from_dict(cls, raw: dict[str, Any], *, source: str = "") -> CleaningRules:
        def rx(p: str, flags: int = re.I) -> re.Pattern[str]:
            return re.compile(p, flags)

        lines, appeals, lists = raw["lines"], raw["appeals"], raw["lists"]
        lang, dateline, outlets = raw["language"], raw["dateline"], raw["outlets"]
        return cls(
            version=str(raw.get("version", "")),
            line_patterns=tuple(
                LinePattern(
                    rx(p["pattern"]),
                    p.get("max_words"),
                    rx(p["needs"]) if "needs" in p else None,
                )
                for p in lines["patterns"]
            ),
            appeal_triggers=tuple(rx(p) for p in appeals["triggers"]),
            appeal_not_triggers=rx(appeals["not_triggers"]),
            appeal_max_trigger_words=int(appeals["max_trigger_words"]),
            appeal_max_block_lines=int(appeals["max_block_lines"]),
            continue_pronouns=rx(appeals["continue_pronouns"]),
            continue_words=rx(appeals["continue_words"]),
            short_fragment_words=int(appeals["short_fragment_words"]),
            news_line_words=int(appeals["news_line_words"]),
            list_headings=tuple(rx(p) for p in lists["headings"]),
            list_max_item_words=int(lists["max_item_words"]),
            list_max_block_lines=int(lists["max_block_lines"]),
            # Case-sensitive: inside a line, capitals ("Tags", "MOSCOW (Sputnik)") are
            # what tell furniture from news.
            inline_patterns=tuple(
                InlinePattern(p["name"], rx(p["pattern"], 0), bool(p.get("repeated", False)))
                for p in raw["inline"]["spans"]
            ),
            not_places=frozenset(s.upper() for s in dateline["not_places"]),
            generic_sources=frozenset(s.upper() for s in dateline["generic_sources"]),
            # Longest first, so "last updated at" wins over "last updated".
            date_prefixes=tuple(sorted(dateline["date_prefixes"], key=len, reverse=True)),
            agencies={k.upper(): v for k, v in outlets["agencies"].items()},
            self_reference=tuple(rx(p, 0) for p in outlets["self_reference"]),
            min_letters=int(lang["min_letters"]),
            english_function_share=float(lang["english_function_share"]),
            english_function_words=frozenset(lang["english_function_words"]),
            source=source,
        )

    @property
    def language(self) -> LanguageDetector:
        """The language detector, loaded on first use (py3langid's model takes ~1 s)."""
        if not self._detector:
            self._detector.append(
                LanguageDetector(
                    min_letters=self.min_letters,
                    english_function_share=self.english_function_share,
                    english_function_words=self.english_function_words,
                )
            )
        return self._detector[0]
