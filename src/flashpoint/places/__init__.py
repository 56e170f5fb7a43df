"""Places: an offline gazetteer, and a geoparser that finds and resolves place names.

    gazetteer = Gazetteer.open()          # builds the SQLite index once per machine
    geoparser = Geoparser(gazetteer)
    toponyms = geoparser(document, exclude=((dateline.start, dateline.end),))
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ..model import Document, Place, Toponym
from .descriptions import bans, government_modifier, government_subject, seat_of, speaks_for_government
from .gazetteer import Candidate, Gazetteer, default_path
from .geography import is_capital
from .resolve import distance_km, haversine, resolve
from .toponyms import Context, find
from .unlocated import place_in_areas

_REGION_FEATURES = frozenset({"country", "continent", "admin1", "admin2", "region", "mountains",
                              "valley", "river", "strait", "ocean"})


class Geoparser:
    """Document -> the toponyms of its text, each resolved to a gazetteer place (or None)."""

    def __init__(self, gazetteer: Gazetteer, *, context: Context | None = None) -> None:
        self.gazetteer = gazetteer
        self.context = context or Context.load()
        self._demonym_places: dict[str, Place | None] = {}  # per instance: a few hundred codes at most

    def __call__(self, doc: Document, *, exclude: tuple[tuple[int, int], ...] = ()) -> list[Toponym]:
        found, countries = find(doc.text, doc.spacy_doc, self.gazetteer, self.context, exclude=exclude)
        names = [f for f in found if f.demonym is None]
        choices = dict(zip(map(id, names), resolve(names, countries, self._dateline_country(doc), rules=self.context)))
        out = []
        found_of: dict[int, object] = {}  # id(toponym) -> what found it, for unlocated.py
        for f in found:
            if f.demonym is not None:
                place = self._demonym_place(f.demonym)
                out.append(Toponym(start=f.start, end=f.end, name=doc.text[f.start:f.end], place=place,
                                   relation="demonym", why=f"{f.text}: demonym of {f.demonym}"))
                continue
            ch = choices[id(f)]
            end = f.end
            if f.kind_end:  # "Homs province": the name covers the province word
                t = doc.spacy_doc[f.kind_end - 1]
                end = t.idx + len(t)
            if f.dateline:
                relation = "dateline"  # the reporter's location: a place, never an event's
            elif f.modifier:
                relation = "metonym"  # "Saskatoon police", "EU leaders": a body named by its place
            elif f.near:
                relation = "near"
            elif f.region or (ch.place is not None and ch.place.feature in _REGION_FEATURES):
                relation = "region"
            else:
                relation = "in"
            why = ch.why
            if (seat := seat_of(doc.spacy_doc, f.tok_end, self.context)) is not None:
                relation = "seat"  # "the UK-based Observatory": where a body sits, not a scene
                why += f"; followed by '{seat}': the seat of a body"
            elif relation in ("in", "region") and (word := bans(doc.spacy_doc, f.tok_start, f.tok_end)):
                relation = "metonym"  # "Al-Nusra Front (banned in Russia)"
                why += f"; '{word}' in it: a state's law, not a scene"
            elif relation == "in" and ch.place is not None and is_capital(ch.place, self.context.capitals) and (
                    word := government_modifier(doc.spacy_doc, f.tok_start, f.tok_end, self.context)
                    or government_subject(doc.spacy_doc, f.tok_start, f.tok_end, self.context)
                    or speaks_for_government(doc.spacy_doc, f.tok_start, f.tok_end, self.context)):
                # "Damascus ally Hezbollah", "Islamabad must address", "denied by Brussels"
                relation = "metonym"
                why += f"; '{word}': a capital naming its government, not a scene"
            out.append(Toponym(start=f.start, end=end, name=doc.text[f.start:end], place=ch.place,
                               relation=relation, why=why))
            found_of[id(out[-1])] = f
        out = place_in_areas(out, found_of, doc.spacy_doc, self.context, countries=countries)
        deixis = self._dateline_deixis(doc, out, exclude)
        if not deixis:
            return out
        starts = [d.start for d in deixis]
        out = [t for t in out if not _overlaps(t, deixis, starts)]  # "CAPITAL"
        return sorted(out + deixis, key=lambda t: t.start)

    def _dateline_deixis(self, doc: Document, found: list[Toponym],
                         exclude: tuple[tuple[int, int], ...]) -> list[Toponym]:
        """"A bomb exploded in this capital": the report points at the city it was filed
        from, so the text itself places the event there (the dateline alone never does)."""
        dateline = doc.clean.dateline
        phrases = self.context.dateline_deixis
        if dateline is None or not phrases or not dateline.place:
            return []
        pattern = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
        hits = [m for m in re.finditer(rf"\b(?:{pattern})\b", doc.text, flags=re.IGNORECASE)
                if not any(s <= m.start() < e for s, e in exclude)]
        if not hits:
            return []
        place = self._dateline_place(dateline.place, found)
        if place is None:
            return []
        why = f"refers to the dateline's place {dateline.place}: {place.name}, {place.country}"
        return [Toponym(start=m.start(), end=m.end(), name=m.group(0), place=place, relation="in", why=why)
                for m in hits]

    def _dateline_country(self, doc: Document) -> str | None:
        """The country of the dateline's place ("SAN SALVADOR, 3 JAN 90 --"): the country it
        names, else that of its biggest namesake town. Evidence for choosing between namesakes
        in the body, never an event's place."""
        dateline = doc.clean.dateline
        if dateline is None or not dateline.place:
            return None
        places = self.gazetteer.lookup(dateline.place)
        country = next((p for p in places if p.feature == "country"), None)
        if country is not None:
            return country.country_code
        town = max((p for p in places if p.feature == "populated place"), key=lambda p: p.population, default=None)
        return town.country_code if town is not None else None

    def _dateline_place(self, name: str, found: list[Toponym]) -> Place | None:
        """The town a dateline names: in a country the body's places point to, else the biggest."""
        towns = [p for p in self.gazetteer.lookup(name) if p.feature == "populated place"]
        countries = {t.place.country_code for t in found
                     if t.place is not None and t.relation not in ("dateline", "demonym")}
        return max(towns, key=lambda p: (p.country_code in countries, p.population), default=None)

    def _demonym_place(self, code: str) -> Place | None:
        if code not in self._demonym_places:
            if len(code) == 2 and code.isupper():
                place = self.gazetteer.country(code)
            else:
                place = next((p for p in self.gazetteer.lookup(code) if p.feature in _REGION_FEATURES), None)
            self._demonym_places[code] = place
        return self._demonym_places[code]


def _overlaps(t: Toponym, hits: list[Toponym], starts: list[int]) -> bool:
    """Does ``t`` overlap one of ``hits`` (a regex's matches: in text order, each ending before
    the next starts; ``starts`` theirs)? Only the last that starts before ``t`` ends can."""
    i = bisect_left(starts, t.end) - 1
    return i >= 0 and t.start < hits[i].end


__all__ = ["Candidate", "Context", "Gazetteer", "Geoparser", "default_path", "distance_km", "haversine"]
