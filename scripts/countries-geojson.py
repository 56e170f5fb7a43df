#!/usr/bin/env python3
"""Convert world-atlas's countries-110m TopoJSON to the compact GeoJSON the web page draws.

Run once when updating the borders; the result is committed as
src/flashpoint/web/static/countries-110m.geojson (see web/static/PROVENANCE.md):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/countries-geojson.py package/countries-110m.json src/flashpoint/web/static/countries-110m.geojson

Only the outlines and the country name are kept; coordinates are rounded to 0.01 degree
(about 1 km, far below what 1:110m resolves) to keep the file small.

world-atlas's rings are stitched across the 180th meridian (right on a globe): a ring of Russia or
Fiji steps from 180 to -180 and back, and Antarctica's runs once round the pole. Drawn flat, as
Leaflet does, each such step is a grey band across the whole map. So every ring is unwrapped
(longitudes made continuous), a ring round a pole is closed along that pole, and the result is
cut at +-180 into pieces that each lie inside [-180, 180]. Given a GeoJSON file (an earlier output)
instead of TopoJSON, only that fix is applied.
"""

from __future__ import annotations

import json
import sys


def decode_arcs(topo: dict) -> list[list[list[float]]]:
    """Absolute coordinates of every arc (TopoJSON quantised arcs are delta-encoded)."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append([round(x * sx + tx, 2), round(y * sy + ty, 2)])
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    out: list[list[float]] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]  # negative index: the arc reversed
        out.extend(points[1:] if out else points)  # consecutive arcs share their joint point
    return out


def unwrap(ring: list[list[float]]) -> list[list[float]]:
    """The ring with each longitude moved by 360 degrees where that makes the step shorter than 180."""
    out = [list(ring[0])]
    for x, y in ring[1:]:
        prev = out[-1][0]
        while x - prev > 180:
            x -= 360
        while x - prev < -180:
            x += 360
        out.append([x, y])
    if abs(out[-1][0] - out[0][0]) > 180:  # once round a pole: close the ring along that pole
        pole = -90.0 if sum(y for _, y in out) < 0 else 90.0
        x0, x1 = out[0][0], out[-1][0]
        # along the pole in steps, so that no edge spans half the world
        out += [[x1 + (x0 - x1) * i / 4, pole] for i in range(5)] + [list(out[0])]
    return out


def _cut(points: list[list[float]], keep, at: float) -> list[list[float]]:
    """Sutherland-Hodgman: the part of a closed ring on one side of the meridian ``at``."""
    out: list[list[float]] = []
    for i, cur in enumerate(points):
        prev = points[i - 1]
        if keep(cur[0]) != keep(prev[0]):
            f = (at - prev[0]) / (cur[0] - prev[0])
            out.append([at, round(prev[1] + f * (cur[1] - prev[1]), 2)])
        if keep(cur[0]):
            out.append(cur)
    return out


def _area(ring: list[list[float]]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:]))) / 2


def clip(ring: list[list[float]], shift: float) -> list[list[float]] | None:
    """The ring moved by ``shift`` degrees of longitude and cut to [-180, 180]; None if nothing is left."""
    points = [[round(x + shift, 2), y] for x, y in ring[:-1]]  # open: the closing point is implied
    points = _cut(points, lambda x: x >= -180, -180.0)
    points = _cut(points, lambda x: x <= 180, 180.0) if points else []
    if len(points) < 3:
        return None
    points.append(list(points[0]))
    return points if _area(points) > 1e-6 else None


def antimeridian_safe(geometry: dict) -> dict | None:
    """A Polygon or MultiPolygon redrawn so that no ring steps across the map (see the module doc)."""
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    out = []
    for poly in polys:
        rings = [unwrap(r) for r in poly]
        for shift in (-360.0, 0.0, 360.0):
            outer = clip(rings[0], shift)
            if outer is None:
                continue
            holes = [h for h in (clip(r, shift) for r in rings[1:]) if h is not None]
            out.append([outer, *holes])
    if not out:
        return None
    if len(out) == 1:
        return {"type": "Polygon", "coordinates": out[0]}
    return {"type": "MultiPolygon", "coordinates": out}


def convert(topo: dict) -> dict:
    if topo.get("type") == "FeatureCollection":  # already GeoJSON: only make it antimeridian-safe
        features = []
        for f in topo["features"]:
            geometry = antimeridian_safe(f["geometry"])
            if geometry is not None:
                features.append({**f, "geometry": geometry})
        return {"type": "FeatureCollection", "features": features}
    arcs = decode_arcs(topo)
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        kind = geom.get("type")
        if kind == "Polygon":
            coords = [ring(r, arcs) for r in geom["arcs"]]
        elif kind == "MultiPolygon":
            coords = [[ring(r, arcs) for r in poly] for poly in geom["arcs"]]
        else:
            continue  # null geometries carry nothing to draw
        geometry = antimeridian_safe({"type": kind, "coordinates": coords})
        if geometry is None:
            continue
        features.append({
            "type": "Feature",
            "properties": {"name": geom.get("properties", {}).get("name", "")},
            "geometry": geometry,
        })
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        topo = json.load(f)
    with open(argv[2], "w", encoding="utf-8") as f:
        json.dump(convert(topo), f, separators=(",", ":"))
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
