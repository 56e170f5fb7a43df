"""Places: an offline gazetteer, and a geoparser that finds and resolves place names.

    gazetteer = Gazetteer.open()          # builds the SQLite index once per machine
    geoparser = Geoparser(gazetteer)
    toponyms = geoparser(document, exclude=((dateline.start, dateline.end),))
"""

from __future__ import annotations

from ..model import Document, Toponym
from .gazetteer import Candidate, Gazetteer, default_path
from .resolve import distance_km, haversine, resolve
from .toponyms import Context, find

_REGION_FEATURES = frozenset({"country", "continent", "admin1", "admin2", "region", "mountains",
                              "valley", "river", "strait"})


class Geoparser:
    """Document -> the toponyms of its text, each resolved to a gazetteer place (or None)."""

    def __init__(self, gazetteer: Gazetteer, *, context: Context | None = None) -> None:
        self.gazetteer = gazetteer
        self.context = context or Context.load()

    def __call__(self, doc: Document, *, exclude: tuple[tuple[int, int], ...] = ()) -> list[Toponym]:
        found, countries = find(doc.text, doc.spacy_doc, self.gazetteer, self.context, exclude=exclude)
        choices = resolve(found, countries)
        out = []
        for f, ch in zip(found, choices):
            end = f.end
            if f.admin_word:  # "Homs province": the name covers the province word
                t = doc.spacy_doc[f.tok_end]
                end = t.idx + len(t)
            if f.near:
                relation = "near"
            elif f.region or (ch.place is not None and ch.place.feature in _REGION_FEATURES):
                relation = "region"
            else:
                relation = "in"
            out.append(Toponym(start=f.start, end=end, name=doc.text[f.start:end], place=ch.place,
                               relation=relation, why=ch.why))
        return out


__all__ = ["Candidate", "Context", "Gazetteer", "Geoparser", "default_path", "distance_km", "haversine"]
