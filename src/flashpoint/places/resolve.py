"""Choosing among same-named places: the article's countries, provinces named nearby,
the other places of the article, the kind of place and its size."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from ..model import Place
from .context import Context
from .gazetteer import Candidate
from .geography import Geography, inside_country, inside_named, is_capital, part_of_longer, pointed_to, prominent_rival
from .normalise import fold
from .found import Found, size_weight


SHARE_BONUS = 2.0  # times the share of the report that points to a place's country
DATELINE_WEIGHT = 1.0  # the dateline's country, counted like one more mention of it
LIST_BONUS = 3.0  # a name listed with provinces of one country (or with countries): one of them too
ANCHOR_KM = 500.0  # another place of the article nearer than this adds to a candidate's score


@dataclass(frozen=True)
class Choice:
    place: Place | None
    why: str


def distance_km(a: Place, b: Place) -> float:
    return haversine(a.latitude, a.longitude, b.latitude, b.longitude)


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


class Anchors:
    """The places the article's names landed on in the first pass (not countries, continents or
    provinces), asked for the nearest one to each candidate of each name. A long text names
    thousands of places, so they are kept once per position and, when many, on a grid: only the
    cells next to a candidate can hold a place under ``ANCHOR_KM`` from it."""

    _CELL = 0.08  # grid step on the unit sphere: above ANCHOR_KM / 6371 km, the chord of 500 km
    _GRID_FROM = 32  # fewer positions than this are simply all measured

    def __init__(self, anchors: list[tuple[str, Place]]) -> None:
        self._anchors = anchors
        self._finite = all(_finite(p) for _, p in anchors)
        names_at: dict[tuple[float, float], set[str]] = {}
        for key, p in anchors:
            names_at.setdefault((p.latitude, p.longitude), set()).add(key)
        self._points = [(lat, lon, frozenset(keys)) for (lat, lon), keys in names_at.items()]
        self._grid: dict[tuple[int, int, int], list] | None = None
        if len(self._points) >= self._GRID_FROM and self._finite:
            self._grid = {}
            for point in self._points:
                self._grid.setdefault(self._cell(point[0], point[1]), []).append(point)

    def nearest_km(self, p: Place, key: str) -> float | None:
        """The distance from ``p`` to the nearest anchor that a name other than ``key`` (folded)
        landed on, when under ``ANCHOR_KM``; else None."""
        if not (self._finite and _finite(p)):  # no grid for NaN: measured in order, as min() would
            d = min((distance_km(p, a) for k, a in self._anchors if k != key), default=None)
            return d if d is not None and d < ANCHOR_KM else None
        if self._grid is None:
            points = self._points
        else:
            x, y, z = self._cell(p.latitude, p.longitude)
            points = [q for dx in (-1, 0, 1) for dy in (-1, 0, 1) for dz in (-1, 0, 1)
                      for q in self._grid.get((x + dx, y + dy, z + dz), ())]
        d = min((haversine(p.latitude, p.longitude, lat, lon) for lat, lon, keys in points
                 if len(keys) > 1 or key not in keys), default=None)
        return d if d is not None and d < ANCHOR_KM else None

    @classmethod
    def _cell(cls, lat: float, lon: float) -> tuple[int, int, int]:
        return sphere_cell(lat, lon, cls._CELL)


def _finite(p: Place) -> bool:
    return math.isfinite(p.latitude) and math.isfinite(p.longitude)


def sphere_cell(lat: float, lon: float, step: float) -> tuple[int, int, int]:
    """The cell of a grid of side ``step`` over the unit sphere's points (as x, y, z) holding the
    point at ``lat``, ``lon``: two points less than ``step`` * 6371 km apart are in the same or
    neighbouring cells (a chord is never longer than its arc)."""
    la, lo = math.radians(lat), math.radians(lon)
    return (math.floor(math.cos(la) * math.cos(lo) / step), math.floor(math.cos(la) * math.sin(lo) / step),
            math.floor(math.sin(la) / step))


def _prior(c: Candidate, f: Found) -> tuple[float, list[str]]:
    p, why = c.place, []
    if p.feature == "country":
        # A country's own name means the country ("Mexico"), not its namesake capital.
        score = (9.0 if fold(p.name) == fold(f.text) else 7.0) if not c.via_base else 1.0
    elif p.feature in ("continent", "ocean") or not p.country_code:
        score = 6.0  # a continent, ocean or supranational region: no town namesake is bigger
    elif p.feature == "admin2":
        score = 1.0
    else:
        score = size_weight(p)
    if c.extra:
        score += 2.0
        why.append("project list")
    if c.via_base:
        score -= 1.0
    if fold(p.name) == fold(f.text):
        score += 0.3
    if f.admin_word and p.feature in ("admin1", "admin2"):
        score += 3.0
        why.append("province word")
    if f.region and p.feature not in ("populated place", "country"):
        score += 2.0
        why.append("region word")
    return score, why


def country_weights(doc_countries: Mapping[str, float] | set[str], dateline_country: str | None = None
                    ) -> dict[str, float]:
    """How much of the report points to each country, as a share of all it points to: the
    countries it names (each mention, and its demonyms), and the dateline's country, which
    is where the reporter was and so evidence for the report's own country (never an event's
    place by itself)."""
    w = dict(doc_countries) if isinstance(doc_countries, Mapping) else dict.fromkeys(doc_countries, 1.0)
    if dateline_country:
        w[dateline_country] = w.get(dateline_country, 0.0) + DATELINE_WEIGHT
    total = sum(w.values())
    return {c: v / total for c, v in w.items()} if total else {}


def resolve(found: list[Found], doc_countries: Mapping[str, float] | set[str],
            dateline_country: str | None = None, *, rules: Context) -> list[Choice]:
    """One choice per found name, in order. Two passes: the second uses the first's places,
    both as anchors and as the report's geography (see geography.py)."""
    # Measured: without a dateline (GeoWebNews, TR-News) the shares cost accuracy on reports
    # that range over several countries; with one (wire copy), they settle namesakes.
    shares = country_weights(doc_countries, dateline_country) if dateline_country else {}
    keys = [fold(f.text) for f in found]
    sent_keys: dict[int, set[str]] = {}
    for f, key in zip(found, keys):
        sent_keys.setdefault(f.sentence, set()).add(key)
    doc_keys = set(keys)
    geo = Geography.of(doc_countries, report_share=rules.report_share)
    first = [_choose(f, doc_countries, shares, sent_keys, doc_keys, None, geo, rules) for f in found]
    # A body named by its place ("White House", "Washington said") is no anchor for the
    # report's other names: Damascus stays in Syria.
    anchors = Anchors([(keys[i], ch.place) for i, ch in enumerate(first)
                       if ch.place and ch.place.feature not in ("country", "continent", "admin1")
                       and not found[i].modifier])
    # A part of a longer name, a building's name, a common word or a body's place is no
    # evidence of where the report is.
    geo = Geography.of(doc_countries, [ch.place for f, ch in zip(found, first) if ch.place
                                       and not (f.longer or f.facility or f.common_word or f.modifier)],
                       rules.report_share)
    index = {id(f): i for i, f in enumerate(found)}
    # One sense per discourse: "Hadar village in Quneitra province ... shelled Hadar village" is
    # the same Hadar both times.
    said_within = {key: f.within for f, key in zip(reversed(found), reversed(keys)) if f.within is not None}
    # The countries the text points to: those of the places its names landed on (a country
    # named is one), counted once for all and per name, so that a name's own landing can be
    # left out of what points to it. A province inside a longer name still points to its
    # country ("California Democrats").
    pointers: Counter[str] = Counter()
    own: dict[str, Counter[str]] = {}
    for f, key, ch in zip(found, keys, first):
        if ch.place and ch.place.country_code and not (f.facility or f.common_word or f.modifier) and (
                not f.longer or ch.place.feature in ("admin1", "country")):
            pointers[ch.place.country_code] += 1
            own.setdefault(key, Counter())[ch.place.country_code] += 1
    # "Alabama, Georgia and Wyoming": the items of a list are of one kind, the kind most of the
    # others landed on (states of one country, countries).
    kind_of: dict[str, list[tuple[str, str]]] = {}
    for key, ch in zip(keys, first):
        if ch.place is not None and ch.place.feature in ("country", "admin1"):
            kind_of.setdefault(key, []).append(
                (ch.place.feature, ch.place.country_code if ch.place.feature == "admin1" else ""))
    out: dict[int, Choice] = {}
    pointed_for: dict[str, set[str] | None] = {}  # by name: what the rest of the text points to
    # Last to first: the place a name is said to lie in ("Bab Touma neighborhood in the Old City
    # in Damascus") comes after it, and is settled first.
    for i in reversed(range(len(found))):
        f, key = found[i], keys[i]
        within = f.within or said_within.get(key)
        j = index.get(id(within)) if within is not None else None
        container = out.get(j, first[j]).place if j is not None else None
        if (container is not None and container.feature != "country" and not geo.about(container.country_code)
                and not (f.apposed and container.feature == "admin1")):
            container = None  # only a country, or a place in the report's own countries, says where
        if key not in pointed_for:
            pointed_for[key] = _pointed(pointers - own.get(key, Counter()), rules.focus_share, rules.focus_references)
        out[i] = _choose(f, doc_countries, shares, sent_keys, doc_keys, anchors, geo, rules, container,
                         pointed=pointed_for[key], list_kind=_list_kind(f, kind_of))
    return [out[i] for i in range(len(found))]


def _list_kind(f: Found, kind_of: dict[str, list[tuple[str, str]]]) -> tuple[str, str] | None:
    """The kind ("admin1", country code) or ("country", "") that at least two thirds of the
    names listed with ``f``, and at least two, first landed on; else None."""
    if len(f.listed) < 2:
        return None
    kinds = Counter(k for name in f.listed for k in kind_of.get(name, [])[:1])
    if not kinds:
        return None
    kind, n = kinds.most_common(1)[0]
    return kind if n >= 2 and n >= 2 * len(f.listed) / 3 else None


def _pointed(counts: Counter[str], focus_share: float, least: int) -> set[str] | None:
    """The countries the rest of the text points to by naming them or places in them
    (``counts``: not the name itself, which may have landed abroad; not a demonym: "Russian
    jets" over Saraqib say whose jets, not where), when at least ``least`` references say so
    and the text is about one of them (``focus_share``); else None: "in Arsal and in Al Qusayr"
    alone says nothing against either."""
    total = sum(counts.values())
    if total < least or max(counts.values()) / total < focus_share:
        return None
    return set(counts)


def _choose(f: Found, doc_countries, shares: dict[str, float], sent_keys, doc_keys,
            anchors: Anchors | None, geo: Geography, rules: Context, container: Place | None = None,
            *, pointed: set[str] | None = None, list_kind: tuple[str, str] | None = None) -> Choice:
    """``anchors``: the places other names landed on (None in the first pass)."""
    if not f.candidates:
        return Choice(None, f"{f.text}: no gazetteer entry ({', '.join(f.reasons) or 'NER ' + f.label})")
    key = fold(f.text)
    near_keys = set().union(*(sent_keys.get(s, set()) for s in (f.sentence - 1, f.sentence, f.sentence + 1)))
    near_keys.discard(key)
    # "Kansas, Missouri and Ohio": a province listed beside the name is its sibling, not where
    # it lies (no town Kansas, Illinois). (Tested per key: copying the text's keys per name
    # would be quadratic in a long text.)
    near_keys -= f.listed
    scored = []
    clear: set[int] = set()  # candidates the text points to, beyond naming their country
    for c in f.candidates:
        p = c.place
        score, why = _prior(c, f)
        if geo.main == p.country_code or (p.country_code, fold(p.admin1 or "")) in geo.provinces:
            clear.add(id(c))  # the report's main country, or a province of it the report names
        if list_kind is not None and p.feature == list_kind[0] and (not list_kind[1] or p.country_code == list_kind[1]):
            score += LIST_BONUS
            clear.add(id(c))
            why.append("listed with " + ("countries" if p.feature == "country" else f"provinces of {p.country}"))
        if f.cue_country and p.country_code == f.cue_country:
            score += 4.0
            clear.add(id(c))
            why.append(f"described as in {p.country}")
        if container is not None and container.country_code == p.country_code and p.feature != "country":
            score += 2.0  # as much as its country named in the article; other namesakes go (below)
            clear.add(id(c))
            why.append(f"said to lie in {container.name}")
        if p.country_code in doc_countries and p.feature != "country":
            score += 2.0
            why.append(f"{p.country} named in the article")
        share = shares.get(p.country_code, 0.0) if p.feature != "country" else 0.0
        if share >= 0.1:
            # The report's main country outweighs one it names in passing.
            score += SHARE_BONUS * share
            why.append(f"{share:.0%} of the report points to {p.country}")
        for admin in (p.admin1, p.admin2):
            if admin and fold(admin) == key:
                continue  # "Morazan" names itself, not a province around a town of that name
            if admin and p.feature not in ("admin1",) and fold(admin) in near_keys:
                score += 2.5
                clear.add(id(c))
                why.append(f"{admin} named nearby")
                break
            if admin and fold(admin) in doc_keys and fold(admin) not in f.listed and p.feature not in ("admin1",):
                score += 1.0
                clear.add(id(c))
                why.append(f"{admin} named in the article")
                break
        if anchors is not None and p.feature not in ("country", "continent") and (
                d := anchors.nearest_km(p, key)) is not None:
            bonus = 2.0 if d < 50 else 1.5 if d < 200 else 0.5 if d < ANCHOR_KM else 0.0
            if d < 50 and geo.about(p.country_code):
                clear.add(id(c))  # near another place, in a country the report is about
            if bonus:
                score += bonus
                why.append(f"{d:.0f} km from another place of the article")
        scored.append((score, c, why))
    scored.sort(key=lambda x: (-x[0], -x[1].place.population))
    scored, dropped = _within_geography(f, scored, geo, rules, container, pointed)
    if not scored:
        return Choice(None, f"{f.text}: no place; {dropped}")
    if f.text.isupper() and len(f.text) <= 4:
        # "UK MPs", "US strikes": a country's abbreviation, whatever town shares its letters.
        i = next((i for i, x in enumerate(scored) if x[1].place.feature == "country"), 0)
        if i:
            scored.insert(0, scored.pop(i))
            scored[0] = (scored[0][0], scored[0][1], scored[0][2] + ["a country's abbreviation"])
    best, c, why = scored[0]
    if id(c) not in clear:
        rival = prominent_rival(f.text, c.place, [x[1].place for x in scored[1:]], rules.prominent_ratio,
                                rules.prominent_population, rules.capitals)
        if rival is not None:
            i = next(i for i, x in enumerate(scored) if x[1].place is rival)
            kind = "a capital" if is_capital(rival, rules.capitals) else "a much bigger namesake"
            scored.insert(0, scored.pop(i))
            best, c, why = scored[0]
            why = why + [f"{kind} beats {scored[1][1].place.name} ({scored[1][1].place.country_code}), "
                         f"which the text does not point to"]
    if dropped:
        why = why + [dropped]
    p = c.place
    where = ", ".join(x for x in (p.admin2, p.admin1, p.country) if x)
    text = (f"{f.text} -> {p.name} ({p.feature}, {where}; pop {p.population:,}); "
            f"{len(scored)} candidate{'s' if len(scored) > 1 else ''}")
    if len(scored) > 1:
        s2, c2, _ = scored[1]
        verb = "overruled" if best < s2 else "beat"  # a prominent namesake's win, see above
        text += f"; {verb} {c2.place.name} ({c2.place.country_code or c2.place.feature}) {best:.1f} to {s2:.1f}"
    text += f"; because: {', '.join(why) or 'size and kind of place'}; found by: {', '.join(f.reasons) or 'name match'}"
    return Choice(p, text)


def _within_geography(f: Found, scored: list, geo: Geography, rules: Context,
                      container: Place | None = None, pointed: set[str] | None = None) -> tuple[list, str]:
    """The candidates the report's geography allows (geography.py), and why others went."""
    kept, why = scored, ""
    if pointed is not None and f.cue_country is None:
        near = [x for x in kept if pointed_to(x[1].place, pointed, rules.capitals, rules.prominent_population)]
        if len(near) < len(kept):
            why = "no small namesake in a country the text does not point to"
        kept = near
    if f.owner_country is not None:
        # "Aleppos southern X": a name said to belong to a country or province lands on no
        # small namesake elsewhere (its own may be missing from the gazetteer). A demonym is
        # weaker evidence ("the Kurdish enclave of Afrin" is in Syria), so it only adds weight.
        inside = [x for x in kept
                  if inside_country(x[1].place, f.owner_country, rules.capitals, rules.prominent_population)]
        if len(inside) < len(kept):
            why = f"said to lie in {f.owner_country}: no small namesake outside it"
        kept = inside
    if container is not None and f.apposed:
        # "Paris, Missouri", "Suffolk, England": the comma binds the name to the province or
        # country after it, whatever the size of a namesake elsewhere; in that province when
        # the gazetteer has one there. None left: unlocated.py codes the name to the container.
        inside = [x for x in kept if x[1].place.country_code == container.country_code]
        if container.feature == "admin1":
            province = [x for x in inside if fold(x[1].place.admin1 or "") == fold(container.admin1 or container.name)]
            inside = province or inside
        if len(inside) < len(kept):
            why = f"written '{f.text}, {f.within.text}': only a namesake in {container.name}"
        kept = inside
    elif container is not None:
        inside = [x for x in kept if inside_named(x[1].place, container, rules.capitals, rules.prominent_population)]
        if len(inside) < len(kept):
            why = f"said to lie in {container.name}: no small namesake outside {container.country or 'it'}"
        kept = inside
    if f.common_word and not (f.longer or f.facility):
        # "Valley": a word the text uses as a common word lands only in a country the report is
        # about; a stopword ("Western") only in its main one, never on a town or province abroad.
        if fold(f.text) in rules.stopwords:
            part = [x for x in kept if x[1].place.feature in ("country", "continent", "ocean")
                    or x[1].place.country_code in (geo.main, f.cue_country)]
        else:
            part = [x for x in kept if part_of_longer(x[1].place, geo, f.cue_country, building=False,
                                                      big=rules.prominent_population, name=f.text)]
        if len(part) < len(kept):
            why = (why + "; " if why else "") + "a common word: no namesake outside the report's countries"
        kept = part
    # "Gunmen attacked Mogadishu market": where the report names nothing else, a building named
    # in lower case is the only evidence of where it is, and says so.
    if f.longer or (f.facility and (f.facility[:1].isupper() or geo.main is not None)):
        part = [x for x in kept if part_of_longer(x[1].place, geo, f.cue_country, building=bool(f.facility),
                                                  big=rules.prominent_population, name=f.text, longer=f.longer)]
        if len(part) < len(kept):
            what = f"part of the longer name '{f.longer}'" if f.longer else f"the name of a {f.facility.lower()}"
            why = (why + "; " if why else "") + f"{what}: no namesake outside the report's countries"
        kept = part
    return kept, why
