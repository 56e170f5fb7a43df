"""Writing events out: JSON Lines (the codebook's shape), ACLED-style CSV, GeoJSON, a table."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from .model import Event

# ACLED's export columns, in ACLED's order, then flashpoint's own fields that ACLED lacks.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
EXTRA_COLUMNS: tuple[str, ...] = ("fatalities_known", "injured", "weapons", "certainty", "article_ids")

_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


def write_jsonl(events: Iterable[Event], out: TextIO) -> int:
    n = 0
    for event in events:
        out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def acled_row(event: Event) -> dict[str, object]:
    disorder = _DISORDER[event.event_type]
    if event.sub_event_type == "Mob violence":
        disorder = "Political violence"
    outlets = sorted({s.outlet for s in event.sources if s.outlet})
    return {
        "event_id_cnty": event.event_id,
        "event_date": event.event_date.isoformat() if event.event_date else "",
        "year": event.event_date.year if event.event_date else "",
        "time_precision": event.date_precision or "",
        "disorder_type": disorder,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1 or "",
        "assoc_actor_1": event.assoc_actor_1,
        "inter1": event.inter1 or "",
        "actor2": event.actor2 or "",
        "assoc_actor_2": event.assoc_actor_2,
        "inter2": event.inter2 or "",
        "interaction": "-".join(i for i in (event.inter1, event.inter2) if i),
        "civilian_targeting": "Civilian targeting" if event.inter2 == "Civilians" else "",
        "iso": event.iso3 or "",
        "region": "",
        "country": event.country or "",
        "admin1": event.admin1 or "",
        "admin2": event.admin2 or "",
        "admin3": "",
        "location": event.location or "",
        "latitude": "" if event.latitude is None else event.latitude,
        "longitude": "" if event.longitude is None else event.longitude,
        "geo_precision": event.geo_precision or "",
        "source": "; ".join(outlets),
        "source_scale": "",
        "notes": event.notes,
        "fatalities": event.fatalities,
        "tags": "",
        "timestamp": "",
        "fatalities_known": str(event.fatalities_known).lower(),
        "injured": "" if event.injured is None else event.injured,
        "weapons": "; ".join(event.weapons),
        "certainty": event.certainty,
        "article_ids": "; ".join(s.article_id for s in event.sources),
    }


def write_csv(events: Iterable[Event], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=[*ACLED_COLUMNS, *EXTRA_COLUMNS], lineterminator="\n")
    writer.writeheader()
    n = 0
    for event in events:
        writer.writerow(acled_row(event))
        n += 1
    return n


def geojson_feature(event: Event) -> dict[str, object]:
    props = event.to_dict()
    geometry = None
    if event.latitude is not None and event.longitude is not None:
        geometry = {"type": "Point", "coordinates": [event.longitude, event.latitude]}
    return {"type": "Feature", "id": event.event_id, "geometry": geometry, "properties": props}


def write_geojson(events: Iterable[Event], out: TextIO) -> int:
    features = [geojson_feature(e) for e in events]
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(features)


def format_table(events: list[Event]) -> str:
    """A readable fixed-width table for the terminal."""
    headers = ("date", "type", "actor1", "actor2", "location", "country", "prec", "deaths", "certainty")
    rows = []
    for e in events:
        rows.append(
            (
                e.event_date.isoformat() if e.event_date else "?",
                e.sub_event_type,
                e.actor1 or "-",
                e.actor2 or "-",
                e.location or "-",
                e.country or "-",
                str(e.geo_precision or "-"),
                str(e.fatalities) + ("" if e.fatalities_known else "+?"),
                e.certainty,
            )
        )
    widths = [min(34, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(headers)]

    def line(cells) -> str:
        return "  ".join((c if len(c) <= w else c[: w - 1] + "…").ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "geojson": write_geojson}
