"""``flashpoint gazetteer import``: GeoNames dump files into the local index.

Reads ``allCountries.txt`` or a per-country ``XX.txt`` (19 tab-separated columns, as
documented in GeoNames' readme) and, when given, ``alternateNamesV2.txt``; streams both, so
even the full world file stays within a small memory budget. An imported entry replaces the
index's entry with the same geonameid.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .build import name_keys
from .normalise import is_latin

# GeoNames feature class/code -> the gazetteer's feature kinds.
_CODES = {"ADM1": "admin1", "ADM2": "admin2", "PCLI": "country", "PCLD": "country", "PCLS": "country",
          "MTS": "mountains", "HLLS": "mountains", "MT": "mountains", "VAL": "valley", "STM": "river",
          "CMPRF": "camp", "CMP": "camp", "AIRP": "airport", "PPLX": "neighbourhood", "BDG": "crossing",
          "PSTB": "crossing", "MILB": "base", "RGN": "region", "AREA": "area", "ISL": "island",
          "PLN": "region", "DSRT": "region", "OCN": "ocean", "SEA": "region", "GULF": "region"}
_CLASSES = {"P": "populated place", "A": "region", "T": "area", "H": "area", "L": "area", "S": "facility",
            "V": "area", "R": "facility", "U": "area"}
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


def import_geonames(index: Path, dump: Path, *, alternate_names: Path | None = None) -> ImportReport:
    """Add (or replace) the places of a GeoNames dump in the index at ``index``."""
    con = sqlite3.connect(index)
    try:
        countries = {cc: (name, iso3) for cc, name, iso3 in
                     con.execute("SELECT cc, name, iso3 FROM place WHERE feature = 'country'")}
        admin_names = dict(con.execute("SELECT code, name FROM admin_code"))
        next_id = (con.execute("SELECT max(id) FROM place").fetchone()[0] or 0) + 1
        places = replaced = alt = 0
        for row in _rows(dump, 19):
            gid = int(row[0])
            cc = row[8]
            feature = feature_of(row[6], row[7])
            a1 = admin_names.get(f"{cc}.{row[10]}")
            a2 = admin_names.get(f"{cc}.{row[10]}.{row[11]}") if row[11] else None
            old = con.execute("SELECT id FROM place WHERE geonameid = ?", (gid,)).fetchall()
            for (pid,) in old:
                con.execute("DELETE FROM place WHERE id = ?", (pid,))
                con.execute("DELETE FROM name WHERE place = ?", (pid,))
            replaced += bool(old)
            if feature == "admin1" and row[10]:
                con.execute("INSERT OR REPLACE INTO admin_code VALUES (?,?)", (f"{cc}.{row[10]}", row[1]))
                admin_names[f"{cc}.{row[10]}"] = a1 = row[1]
            elif feature == "admin2" and row[11]:
                code = f"{cc}.{row[10]}.{row[11]}"
                con.execute("INSERT OR REPLACE INTO admin_code VALUES (?,?)", (code, row[1]))
                admin_names[code] = a2 = row[1]
            country, iso3 = countries.get(cc, ("", ""))
            con.execute("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (next_id, row[1], float(row[4]), float(row[5]), cc, country, iso3, a1, a2, feature,
                         int(row[14] or 0), gid, 0))
            names = {row[1], row[2], *(a for a in row[3].split(",") if a and is_latin(a))}
            con.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)",
                            ((k, next_id, j) for k, j in name_keys(names).items()))
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
