"""Query side of the offline gazetteer (a read-only SQLite file built once per machine)."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..model import Place
from . import build as _build
from .normalise import fold, keys


@dataclass(frozen=True)
class Candidate:
    """A gazetteer entry for a looked-up name, with how the name matched."""

    place: Place
    via_base: bool  # matched only once an article ("al-", "the") was dropped on one side
    extra: bool  # from the project's own places_extra.tsv


def default_path() -> Path:
    base = os.environ.get("FLASHPOINT_DATA_DIR")
    if not base:
        from platformdirs import user_data_dir

        base = user_data_dir("flashpoint")
    return Path(base) / f"gazetteer-{_build.SCHEMA_VERSION}.sqlite"


class Gazetteer:
    """Place names -> :class:`Place` candidates. Construct with :meth:`open`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._con = connection
        self.path = path
        self._cache: dict[str, tuple[Candidate, ...]] = {}

    @classmethod
    def open(cls, path: Path | None = None, *, build: bool = True,
             on_build: Callable[[Path], None] | None = None) -> Gazetteer:
        """Open the index, building it first (atomically) when missing or out of date.
        ``on_build(path)`` is called before a build (it takes about 20 s), so that a caller can
        tell its user why nothing happens meanwhile."""
        path = Path(path) if path else default_path()
        if not _is_current(path):
            if not build:
                raise FileNotFoundError(f"gazetteer {path} is missing or stale; open it with build=True")
            if on_build is not None:
                on_build(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            # Build into a private temp file, then rename: parallel builders race harmlessly.
            fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
            os.close(fd)
            os.unlink(tmp)
            try:
                _build.build(Path(tmp))
                for done in _imports(path):  # the user's GeoNames imports survive rebuilds
                    if done.available():
                        _record_import(Path(tmp), done)
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        return cls(con, path)

    def close(self) -> None:
        self._con.close()

    # -- lookups -----------------------------------------------------------------------

    def lookup(self, name: str) -> list[Place]:
        """All candidates for a surface name (case-, diacritics- and "al-"-insensitive)."""
        return [c.place for c in self.candidates([name])[name]]

    def candidates(self, names: Iterable[str]) -> dict[str, tuple[Candidate, ...]]:
        """Batch lookup: one query for all names not yet cached."""
        names = list(dict.fromkeys(names))
        todo = [n for n in names if n not in self._cache]
        if todo:
            wanted: dict[str, list[tuple[str, int]]] = {}
            for n in todo:
                wanted[n] = [(k, j) for j, k in enumerate(keys(n))]
            all_keys = sorted({k for ks in wanted.values() for k, _ in ks})
            rows_by_key: dict[str, list[tuple]] = {}
            for i in range(0, len(all_keys), 500):
                chunk = all_keys[i : i + 500]
                q = (
                    "SELECT n.key, n.base, p.name, p.lat, p.lon, p.country, p.cc, p.iso3, p.admin1,"
                    " p.admin2, p.feature, p.population, p.geonameid, p.extra, p.id"
                    " FROM name n JOIN place p ON p.id = n.place"
                    f" WHERE n.key IN ({','.join('?' * len(chunk))})"
                )
                for row in self._con.execute(q, chunk):
                    rows_by_key.setdefault(row[0], []).append(row)
            for n, ks in wanted.items():
                found: dict[int, Candidate] = {}
                for k, j in ks:
                    for row in rows_by_key.get(k, ()):
                        via_base = bool(j or row[1])
                        pid = row[14]
                        if pid in found and not found[pid].via_base:
                            continue
                        found[pid] = Candidate(_place(row[2:14]), via_base, bool(row[13]))
                self._cache[n] = tuple(found.values())
        return {n: self._cache[n] for n in names}

    def country(self, code_or_name: str) -> Place | None:
        """A country by ISO2/ISO3 code or by any of its names."""
        code = code_or_name.strip()
        cols = "name, lat, lon, country, cc, iso3, admin1, admin2, feature, population, geonameid, extra"
        if code.isupper() and len(code) in (2, 3):
            column = "cc" if len(code) == 2 else "iso3"  # "cc" uses the (cc, feature) index
            row = self._con.execute(
                f"SELECT {cols} FROM place WHERE feature='country' AND {column}=?", (code,)
            ).fetchone()
            if row:
                return _place(row)
        for c in self.candidates([code_or_name])[code_or_name]:
            if c.place.feature == "country" and not c.via_base:
                return c.place
        return None

    def admin1_names(self, country_code: str) -> list[str]:
        rows = self._con.execute(
            "SELECT name FROM place WHERE cc=? AND feature='admin1' ORDER BY name", (country_code.upper(),)
        )
        return [r[0] for r in rows]

    def admin_keys(self, country_code: str) -> dict[str, tuple[str, str]]:
        """Every name key of the country's provinces and districts -> (feature, display name)."""
        rows = self._con.execute(
            "SELECT n.key, p.feature, p.name FROM place p JOIN name n ON n.place = p.id"
            " WHERE p.cc=? AND p.feature IN ('admin1', 'admin2') AND n.base = 0",
            (country_code.upper(),),
        )
        return {k: (f, name) for k, f, name in rows}


def _place(row) -> Place:
    name, lat, lon, country, cc, iso3, admin1, admin2, feature, pop, gid, extra = row
    return Place(name=name, latitude=lat, longitude=lon, country=country, country_code=cc, iso3=iso3,
                 admin1=admin1, admin2=admin2, feature=feature, population=pop or 0,
                 geonameid=None if extra else gid)


@dataclass(frozen=True)
class Imported:
    """One ``gazetteer import``: the dump and the files read with it (absolute paths)."""

    dump: Path
    alternate_names: Path | None = None
    admin_codes: tuple[Path, ...] = ()

    def available(self) -> bool:
        return all(p.exists() for p in (self.dump, self.alternate_names, *self.admin_codes) if p is not None)

    def as_json(self) -> dict:
        return {"dump": str(self.dump), "alternate_names": str(self.alternate_names) if self.alternate_names else None,
                "admin_codes": [str(p) for p in self.admin_codes]}

    @classmethod
    def from_json(cls, value) -> Imported:
        if isinstance(value, list):  # recorded before admin code tables were read: [dump, alternate]
            return cls(Path(value[0]), Path(value[1]) if value[1] else None)
        alternate = value.get("alternate_names")
        return cls(Path(value["dump"]), Path(alternate) if alternate else None,
                   tuple(Path(p) for p in value.get("admin_codes", ())))


def import_dump(dump: Path, *, alternate_names: Path | None = None, admin_codes: Iterable[Path] = (),
                path: Path | None = None):
    """Load a GeoNames dump (with its alternate names and admin code tables, when given) into
    the index; kept across rebuilds."""
    path = Path(path) if path else default_path()
    Gazetteer.open(path).close()  # build first if needed
    return _record_import(path, Imported(Path(dump).resolve(),
                                         Path(alternate_names).resolve() if alternate_names else None,
                                         tuple(Path(p).resolve() for p in admin_codes)))


def _record_import(path: Path, done: Imported):
    from .geonames import import_geonames

    report = import_geonames(path, done.dump, alternate_names=done.alternate_names, admin_codes=done.admin_codes)
    entries = [e for e in _imports(path) if e.dump != done.dump] + [done]
    con = sqlite3.connect(path)
    try:
        con.execute("INSERT OR REPLACE INTO meta VALUES ('imports', ?)", (json.dumps([e.as_json() for e in entries]),))
        con.commit()
    finally:
        con.close()
    return report


def _imports(path: Path) -> list[Imported]:
    if not path.exists():
        return []
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT v FROM meta WHERE k = 'imports'").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return []
    return [Imported.from_json(v) for v in json.loads(row[0])] if row else []


def _is_current(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(con.execute("SELECT k, v FROM meta"))
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False
    return meta.get("schema") == str(_build.SCHEMA_VERSION) and meta.get("extras") == _build.extras_digest()


__all__ = ["Candidate", "Gazetteer", "default_path", "fold"]
