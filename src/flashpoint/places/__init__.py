"""Places: an offline gazetteer, and a geoparser that finds and resolves place names.

    gazetteer = Gazetteer.open()          # builds the SQLite index once per machine
    geoparser = Geoparser(gazetteer)
    toponyms = geoparser(document, exclude=((dateline.start, dateline.end),))
"""

from __future__ import annotations

from ..model import Document, Place, Toponym
from .gazetteer import Candidate, Gazetteer, default_path
from .resolve import distance_km, haversine, resolve
from .toponyms import Context, find

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
        choices = dict(zip(map(id, names), resolve(names, countries)))
        out = []
        for f in found:
            if f.demonym is not None:
                place = self._demonym_place(f.demonym)
                out.append(Toponym(start=f.start, end=f.end, name=doc.text[f.start:f.end], place=place,
                                   relation="demonym", why=f"{f.text}: demonym of {f.demonym}"))
                continue
            ch = choices[id(f)]
            end = f.end
            if f.admin_word:  # "Homs province": the name covers the province word
                t = doc.spacy_doc[f.tok_end]
                end = t.idx + len(t)
            if f.dateline:
                relation = "dateline"  # the reporter's location: a place, never an event's
            elif f.near:
                relation = "near"
            elif f.region or (ch.place is not None and ch.place.feature in _REGION_FEATURES):
                relation = "region"
            else:
                relation = "in"
            out.append(Toponym(start=f.start, end=end, name=doc.text[f.start:end], place=ch.place,
                               relation=relation, why=ch.why))
        return out

    def _demonym_place(self, code: str) -> Place | None:
        if code not in self._demonym_places:
            if len(code) == 2 and code.isupper():
                place = self.gazetteer.country(code)
            else:
                place = next((p for p in self.gazetteer.lookup(code) if p.feature in _REGION_FEATURES), None)
            self._demonym_places[code] = place
        return self._demonym_places[code]


__all__ = ["Candidate", "Context", "Gazetteer", "Geoparser", "default_path", "distance_km", "haversine"]
