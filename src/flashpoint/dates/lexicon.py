"""The record of a temporal expression and the word lists its patterns are built from."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..datafiles import read_toml


@dataclass(frozen=True)
class TemporalExpression:
    start: int  # character offsets into the text given
    end: int
    text: str
    date: dt.date | None  # resolved day (first day of the month for precision 3)
    precision: int | None  # 1 day, 2 within a few days/a week, 3 month only
    kind: str  # point | background | duration | caption | stamp | future
    old: bool = False  # more than OLD_DAYS before the reference date (a point in the lede)


@dataclass(frozen=True)
class DateLexicon:
    """The word lists of ``data/dates.toml``."""

    version: str
    months: dict[str, int]  # every name and abbreviation -> month number
    full_months: tuple[str, ...]
    weekdays: dict[str, int]  # every name and abbreviation -> Python weekday (0 = Monday)
    full_weekdays: tuple[str, ...]
    numbers: dict[str, int]
    vague_numbers: frozenset[str]
    parts_of_day: tuple[str, ...]
    month_cues: tuple[str, ...]
    background_units: frozenset[str]
    reporting_verbs: tuple[str, ...]
    stamp_cues: tuple[str, ...] = ()  # "Published", "Last updated at": the article's own date
    stamp_sources: tuple[str, ...] = ()  # agencies between a headline and its date ("AFP")
    thread_markers: tuple[str, ...] = ()  # "Meanwhile", "Elsewhere": a new item of a report
    thread_area_words: tuple[str, ...] = ()  # "In the neighbouring Idleb province, ..."
    thread_area_adjectives: tuple[str, ...] = ()
    prior_verbs: frozenset[str] = frozenset()  # "X on March 28 was followed by Y"
    possessed_nouns: tuple[str, ...] = ()  # "Tuesdays attack": a possessive without its apostrophe

    @classmethod
    def load(cls, path: Path | None = None) -> DateLexicon:
        data = read_toml(path, "dates.toml")
        months = {n.lower(): int(k) for k, names in data["months"].items() for n in names}
        weekdays = {n.lower(): int(k) - 1 for k, names in data["weekdays"].items() for n in names}
        return cls(
            version=data["version"],
            months=months,
            full_months=tuple(names[0].lower() for names in data["months"].values()),
            weekdays=weekdays,
            full_weekdays=tuple(names[0].lower() for names in data["weekdays"].values()),
            numbers={k.lower(): int(v) for k, v in data["numbers"].items()},
            vague_numbers=frozenset(w.lower() for w in data["vague_numbers"]),
            parts_of_day=tuple(data["parts_of_day"]),
            month_cues=tuple(data["month_cues"]),
            background_units=frozenset(data["background_units"]),
            reporting_verbs=tuple(data["reporting_verbs"]),
            stamp_cues=tuple(data.get("stamp_cues", ())),
            stamp_sources=tuple(data.get("stamp_sources", ())),
            thread_markers=tuple(data.get("thread_markers", ())),
            thread_area_words=tuple(data.get("thread_area_words", ())),
            thread_area_adjectives=tuple(data.get("thread_area_adjectives", ())),
            prior_verbs=frozenset(data.get("prior_verbs", ())),
            possessed_nouns=tuple(data.get("possessed_nouns", ())),
        )


def _alt(words) -> str:
    """A regex alternation, longest first so that "sept" beats "sep"; spaces match runs."""
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"
