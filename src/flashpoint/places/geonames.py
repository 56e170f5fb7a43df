"""``flashpoint gazetteer import``: GeoNames dump files into the local index.

Reads ``allCountries.txt`` or a per-country ``XX.txt`` (19 tab-separated columns, as
documented in GeoNames' readme) and, when given, ``alternateNamesV2.txt``; streams both, so
even the full world file stays within a small memory budget. An imported entry replaces the
index's entry with the same geonameid.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .build import ADMIN_SUFFIX, CAZA_PREFIX, name_keys
from .normalise import is_latin

# GeoNames feature class/code -> the gazetteer's feature kinds.
_CODES = {"ADM1": "admin1", "ADM2": "admin2", "PCLI": "country", "PCLD": "country", "PCLS": "country",
          "MTS": "mountains", "HLLS": "mountains", "MT": "mountains", "VAL": "valley", "STM": "river",
          "CMPRF": "camp", "CMP": "camp", "AIRP": "airport", "PPLX": "neighbourhood", "BDG": "crossing",
          "PSTB": "crossing", "MILB": "base", "RGN": "region", "AREA": "area", "ISL": "island",
          "PLN": "region", "DSRT": "region", "OCN": "ocean", "SEA": "region", "GULF": "region"}
_CLASSES = {"P": "populated place", "A": "region", "T": "area", "H": "area", "L": "area", "S": "facility",
            "V": "area", "R": "facility", "U": "area"}
_MOHAFAZAT = re.compile(r"^(mohafazat|muhafazat|gouvernorat|governorate|province|region|r[ée]gion)\s+(de la |de l'|du |de |d')?",
                        re.I)
# Alternate-name "languages" that are codes or links, not names.
_NOT_NAMES = frozenset({"link", "post", "iata", "icao", "faac", "abbr", "wkdt", "unlc", "tcid", "phon", "piny"})


@dataclass(frozen=True)
class ImportReport:
    places: int
    replaced: int
    alternate_names: int


def _rows(path: Path, columns: int) -> Iterator[list[str]]:
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            row = line.rstrip("\n").split("\t")
            if len(row) < columns:
                raise ValueError(f"{path}:{n}: expected {columns} tab-separated columns, found {len(row)}")
            yield row


def feature_of(feature_class: str, feature_code: str) -> str:
    return _CODES.get(feature_code) or _CLASSES.get(feature_class, "area")


def admin_display(name: str) -> str:
    """A subdivision's name as news writes it: "Caza de Zgharta" -> "Zgharta", "Mohafazat
    Akkar" -> "Akkar", "Baalbek-Hermel Governorate" -> "Baalbek-Hermel"."""
    name = CAZA_PREFIX.sub("", ADMIN_SUFFIX.sub("", name.strip()))
    return _MOHAFAZAT.sub("", name) or name


def read_admin_codes(paths: Iterable[Path]) -> dict[str, str]:
    """GeoNames' admin code tables (admin1CodesASCII.txt, admin2Codes.txt: code, name,
    ASCII name, geonameid): code -> display name."""
    names: dict[str, str] = {}
    for path in paths:
        for row in _rows(path, 4):
            if not re.fullmatch(r"[A-Z]{2}\.[^.\s]+(\.[^.\s]+)?", row[0]):
                raise ValueError(f"{path}: '{row[0]}' is no GeoNames admin code (expected XX.code or XX.code.code)")
            names[row[0]] = admin_display(row[2] or row[1])
    return names


def import_geonames(index: Path, dump: Path, *, alternate_names: Path | None = None,
                    admin_codes: Iterable[Path] = ()) -> ImportReport:
    """Add (or replace) the places of a GeoNames dump in the index at ``index``.

    A province's name comes from the index when it has the code (so that the places already
    there and the imported ones agree), else from ``admin_codes`` (GeoNames' code tables),
    else from the dump's own ADM1/ADM2 row. A province or country the index already holds is
    not added twice: the dump's row only adds its names to it."""
    tables = read_admin_codes(admin_codes)
    con = sqlite3.connect(index)
    try:
        countries = {cc: (name, iso3) for cc, name, iso3 in
                     con.execute("SELECT cc, name, iso3 FROM place WHERE feature = 'country'")}
        indexed = dict(con.execute("SELECT code, name FROM admin_code"))
        admin_names = {**tables, **indexed}
        for code, name in tables.items():
            con.execute("INSERT OR IGNORE INTO admin_code VALUES (?,?)", (code, name))
        next_id = (con.execute("SELECT max(id) FROM place").fetchone()[0] or 0) + 1
        places = replaced = alt = 0
        for row in _rows(dump, 19):
            gid = int(row[0])
            cc = row[8]
            feature = feature_of(row[6], row[7])
            code = f"{cc}.{row[10]}" + (f".{row[11]}" if feature == "admin2" else "")
            if feature in ("admin1", "admin2") and row[10] and (feature == "admin1" or row[11]):
                admin_names.setdefault(code, admin_display(row[1]))
                con.execute("INSERT OR IGNORE INTO admin_code VALUES (?,?)", (code, admin_names[code]))
            names = {row[1], row[2], *(a for a in row[3].split(",") if a and is_latin(a))}
            same = _same_area(con, feature, cc, admin_names.get(code)) if (
                feature == "country" and cc in countries or feature == "admin1" and code in indexed
                or feature == "admin2") else None
            if same is not None:
                # "Mohafazat Mont-Liban" is the index's Mount Lebanon: its names, not a second one
                con.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)",
                                ((k, same, j) for k, j in name_keys(names).items()))
                continue
            a1 = admin_names.get(f"{cc}.{row[10]}")
            a2 = admin_names.get(f"{cc}.{row[10]}.{row[11]}") if row[11] else None
            old = con.execute("SELECT id, population FROM place WHERE geonameid = ?", (gid,)).fetchall()
            population = int(row[14] or 0)
            for pid, known in old:
                # a country dump may give no population where cities500 did (Hermel): keep it
                population = max(population, known or 0)
                con.execute("DELETE FROM place WHERE id = ?", (pid,))
                con.execute("DELETE FROM name WHERE place = ?", (pid,))
            replaced += bool(old)
            country, iso3 = countries.get(cc, ("", ""))
            display = admin_names[code] if feature in ("admin1", "admin2") and code in admin_names else row[1]
            con.execute("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (next_id, display, float(row[4]), float(row[5]), cc, country, iso3, a1, a2, feature,
                         population, gid, 0))
            con.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)",
                            ((k, next_id, j) for k, j in name_keys(names | {display}).items()))
            next_id += 1
            places += 1
        if alternate_names is not None:
            for row in _rows(alternate_names, 4):
                lang, name = row[2], row[3]
                if lang in _NOT_NAMES or not name or not is_latin(name):
                    continue
                ids = con.execute("SELECT id FROM place WHERE geonameid = ?", (int(row[1]),)).fetchall()
                for (pid,) in ids:
                    con.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)",
                                    ((k, pid, j) for k, j in name_keys([name]).items()))
                    alt += 1
        con.commit()
    finally:
        con.close()
    return ImportReport(places, replaced, alt)


def _same_area(con: sqlite3.Connection, feature: str, cc: str, name: str | None) -> int | None:
    """The index's own entry for a country, province or district (by its display name), if any."""
    if feature == "country":
        row = con.execute("SELECT id FROM place WHERE feature = 'country' AND cc = ?", (cc,)).fetchone()
    else:
        row = con.execute("SELECT id FROM place WHERE feature = ? AND cc = ? AND name = ?",
                          (feature, cc, name)).fetchone()
    return row[0] if row else None
