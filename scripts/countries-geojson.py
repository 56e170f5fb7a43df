#!/usr/bin/env python3
"""Convert world-atlas's countries-110m TopoJSON to the compact GeoJSON the web page draws.

Run once when updating the borders; the result is committed as
src/flashpoint/web/static/countries-110m.geojson (see web/static/PROVENANCE.md):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/countries-geojson.py package/countries-110m.json src/flashpoint/web/static/countries-110m.geojson

Only the outlines and the country name are kept; coordinates are rounded to 0.01 degree
(about 1 km, far below what 1:110m resolves) to keep the file small.
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


def convert(topo: dict) -> dict:
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
        features.append({
            "type": "Feature",
            "properties": {"name": geom.get("properties", {}).get("name", "")},
            "geometry": {"type": kind, "coordinates": coords},
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
