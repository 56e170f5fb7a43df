"""Read routes: events (list, one), articles, statistics, exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from ..export import ACLED_COLUMNS, EXTRA_COLUMNS, acled_row, geojson_feature
from ..model import EVENT_FIELDS
from ..provenance import field_provenance
from ..store import repo
from ..store.cursor import SORTS, BadCursor
from ..store.stats import BUCKETS, PARTS
from .deps import AppState, get_session, get_state
from .errors import ERROR_RESPONSES, ApiError
from .schemas import (
    NO_NUL_PATTERN,
    ArticleOut,
    Certainty,
    Day,
    EventDetailOut,
    EventPageOut,
    EventTypeName,
    StatsOut,
)

Sort = Literal[SORTS]  # type: ignore[valid-type]

# bbox: four plain decimal numbers, each in its range (the pattern says so, the schema shows it);
# that the minimum comes before the maximum is checked in _bbox. Empty: no box.
_LON = r"-?(180(\.0+)?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]+)?)"
_LAT = r"-?(90(\.0+)?|[1-8]?[0-9](\.[0-9]+)?)"
BBOX_PATTERN = rf"^({_LON},{_LAT},{_LON},{_LAT})?$"

# A cursor is opaque: whatever next_cursor said, unchanged (URL-safe base64 of the sort and the last row).
CURSOR_PATTERN = r"^[A-Za-z0-9_-]*$"


def _bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    x0, y0, x1, y1 = (float(v) for v in text.split(","))  # the pattern let through only such numbers
    if x0 > x1 or y0 > y1:
        raise ApiError(422, "bbox: the minimum before the maximum: MIN_LON,MIN_LAT,MAX_LON,MAX_LAT",
                       where="query.bbox")
    return x0, y0, x1, y1


def event_filter(
    since: Day | None = Query(None, description="Events on or after this day (YYYY-MM-DD)."),
    until: Day | None = Query(None, description="Events on or before this day (YYYY-MM-DD); not before since."),
    country: str | None = Query(None, max_length=100, pattern=NO_NUL_PATTERN,
                                description="Country name or ISO3 code."),
    admin1: str | None = Query(None, max_length=200, pattern=NO_NUL_PATTERN,
                               description="First-level region, e.g. Homs."),
    actor: str | None = Query(None, max_length=200, pattern=NO_NUL_PATTERN,
                              description="Actor name (substring, any role; % and _ are plain characters)."),
    type: EventTypeName | None = Query(None, description="Event type or sub-event type."),  # noqa: A002
    certainty: Certainty | None = Query(None),
    bbox: str | None = Query(None, max_length=200, pattern=BBOX_PATTERN,
                             description="MIN_LON,MIN_LAT,MAX_LON,MAX_LAT as decimal degrees, e.g. 35.5,33,37,35; "
                             "longitudes in [-180, 180], latitudes in [-90, 90], each minimum not above its maximum."),
    q: str | None = Query(None, max_length=200, pattern=NO_NUL_PATTERN,
                          description="Text search: events whose actors (any role), location, admin1, admin2, country "
                          "or notes contain this text, in any case (% and _ are plain characters; surrounding "
                          "spaces are ignored)."),
) -> repo.EventFilter:
    """The filters of ``flashpoint events`` and the list's text search, as query parameters."""
    if since and until and since > until:
        raise ApiError(422, "since is after until: no day can match", where="query.since")
    return repo.EventFilter(
        since=since, until=until, country=country or None, admin1=admin1 or None, actor=actor or None,
        event_type=type, certainty=certainty, bbox=_bbox(bbox), text=(q or "").strip() or None,
    )


_LISTED = tuple(name for name in EVENT_FIELDS if name != "event_id")


def _fields(row) -> dict[str, Any]:
    out = {name: row[name] for name in _LISTED}
    out.update(event_id=row["id"], weapons=list(row["weapons"] or []), storyline_id=row["storyline_id"])
    return out


def _source_ref(src) -> dict[str, Any]:
    return {"article_id": src["article_id"], "outlet": src["outlet"], "url": src["url"], "published": src["published"]}


def list_events(
    flt: repo.EventFilter = Depends(event_filter),
    sort: Sort = Query("-event_date", description="Sort key; '-' for descending; ties in event id order (reversed "
                       "when descending). Events without the key (undated, no country) come last."),
    limit: int = Query(100, ge=1, le=1000),
    cursor: str | None = Query(None, max_length=1000, pattern=CURSOR_PATTERN,
                               description="Opaque: the next_cursor of the previous page with the same sort, "
                               "unchanged. Any other value is a 400."),
    session: Session = Depends(get_session),
) -> dict[str, Any]:
    try:
        page = repo.query_event_page(session, flt, sort=sort, limit=limit, cursor=cursor)
    except BadCursor as exc:
        raise ApiError(400, str(exc), where="query.cursor") from None
    items = [{**_fields(r), "sources": [_source_ref(s) for s in page.sources[r["id"]]]} for r in page.rows]
    return {"items": items, "next_cursor": page.next_cursor, "sort": sort, "limit": limit}


def event_detail(
    event_id: str = Path(..., max_length=200, pattern=NO_NUL_PATTERN), session: Session = Depends(get_session)
) -> dict[str, Any]:
    found = repo.get_event(session, event_id)
    if found is None:
        raise ApiError(404, f"no event {event_id!r}", where="path.event_id")
    linked, history = found
    event = linked.event
    out = event.to_dict()
    out["event_date"] = event.event_date
    out["storyline_id"] = linked.storyline_id
    out["sources"] = [
        {**src, "figures": repo.figures_to_json(fig)} for src, fig in zip(out["sources"], linked.figures)
    ]
    out["storyline"] = (
        [vars(s) for s in repo.storyline_events(session, linked.storyline_id)] if linked.storyline_id else []
    )
    out["history"] = [
        {"field": h.field, "old": h.old, "new": h.new, "article_id": h.article_id, "rule": h.rule, "at": h.at}
        for h in history
    ]
    out["provenance"] = [p.to_dict() for p in field_provenance(linked, history)]
    return out


def article(
    article_id: str = Path(..., max_length=200, pattern=NO_NUL_PATTERN), session: Session = Depends(get_session)
) -> dict[str, Any]:
    view = repo.get_article(session, article_id)
    if view is None:
        raise ApiError(404, f"no article {article_id!r}", where="path.article_id")
    return {
        "id": view.id, "title": view.title, "outlet": view.outlet, "url": view.url, "published": view.published,
        "duplicate_of": view.duplicate_of, "text": view.clean_text, "spans": [vars(s) for s in view.spans],
    }


INCLUDE_PATTERN = rf"^({'|'.join(PARTS)})(,({'|'.join(PARTS)}))*$"


def stats(
    flt: repo.EventFilter = Depends(event_filter),
    top: int = Query(50, ge=1, le=500, description="How many admin1 regions and actors (most events first)."),
    include: str = Query(",".join(p for p in PARTS if p != "per_type"), pattern=INCLUDE_PATTERN,
                         description="Which counts to compute, comma-separated (each costs a pass over the "
                         "filtered events); the others come back empty. The totals always come."),
    bucket: Literal[BUCKETS] = Query("day", description="What a per_day row counts: a day, a week (from "  # type: ignore[valid-type]
                                     "Monday), a month, or auto: days up to two years of events, weeks up to "
                                     "twelve, months beyond."),
    session: Session = Depends(get_session),
) -> dict[str, Any]:
    found = repo.event_stats(session, flt, top=top, parts=frozenset(include.split(",")), bucket=bucket)
    return {
        "total_events": found.total_events, "total_fatalities": found.total_fatalities,
        "undated_events": found.undated_events, "bucket": found.bucket,
        "first_day": found.first_day, "last_day": found.last_day,
        "per_day": [vars(d) for d in found.per_day],
        "per_type": [vars(t) for t in found.per_type],
        "per_admin1": [vars(a) for a in found.per_admin1],
        "per_actor": [vars(a) for a in found.per_actor],
    }


# ---------------------------------------------------------------------------
# Exports: the filtered set, streamed a page at a time in flashpoint.export's shapes
# ---------------------------------------------------------------------------


def _events(state: AppState, flt: repo.EventFilter) -> Iterator:
    with state.sessions() as session:  # the response outlives the request's session
        yield from repo.iter_events(session, flt)


def _csv(state: AppState, flt: repo.EventFilter) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[*ACLED_COLUMNS, *EXTRA_COLUMNS], lineterminator="\n")
    writer.writeheader()
    for n, event in enumerate(_events(state, flt), 1):
        writer.writerow(acled_row(event))
        if n % 200 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _jsonl(state: AppState, flt: repo.EventFilter) -> Iterator[str]:
    for event in _events(state, flt):
        yield json.dumps(event.to_dict(), ensure_ascii=False) + "\n"


def _geojson(state: AppState, flt: repo.EventFilter) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": [\n'
    sep = ""
    for event in _events(state, flt):
        yield sep + json.dumps(geojson_feature(event), ensure_ascii=False)
        sep = ",\n"
    yield "\n]}\n"


_EXPORTS = {
    "csv": (_csv, "text/csv; charset=utf-8", "ACLED's column order, then flashpoint's own columns."),
    "geojson": (_geojson, "application/geo+json", "A FeatureCollection; undated or unplaced events too."),
    "jsonl": (_jsonl, "application/x-ndjson", "One codebook event per line, with sources and evidence."),
}


_EXPORT_SCHEMAS: dict[str, dict[str, Any]] = {
    "csv": {"type": "string"},
    "jsonl": {"type": "string"},
    "geojson": {
        "type": "object", "required": ["type", "features"],
        "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": {"type": "object"}}},
    },
}


def _export_handler(fmt: str):
    make, media, _ = _EXPORTS[fmt]

    def export(flt: repo.EventFilter = Depends(event_filter), state: AppState = Depends(get_state)):
        return StreamingResponse(
            make(state, flt), media_type=media,
            headers={"Content-Disposition": f'attachment; filename="flashpoint-events.{fmt}"'},
        )

    export.__name__ = f"export_{fmt}"
    return export


def read_router() -> APIRouter:
    """The read-only routes under /api."""
    router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
    router.add_api_route("/events", list_events, methods=["GET"], response_model=EventPageOut,
                         summary="Filtered events, a page at a time")
    router.add_api_route("/events/{event_id}", event_detail, methods=["GET"], response_model=EventDetailOut,
                         summary="One event: every field, sources, evidence, storyline, field history")
    # :path: an id the client chose may hold a "/" (its %2F arrives decoded)
    router.add_api_route("/articles/{article_id:path}", article, methods=["GET"], response_model=ArticleOut,
                         summary="An article's cleaned text and where each event's evidence sits in it")
    router.add_api_route("/stats", stats, methods=["GET"], response_model=StatsOut,
                         summary="Events and fatalities per day and type, per admin1, per actor")
    for fmt, (_, media, text) in _EXPORTS.items():
        router.add_api_route(
            f"/export.{fmt}", _export_handler(fmt), methods=["GET"], summary=f"The filtered events as {fmt}, streamed",
            description=text, response_class=StreamingResponse,
            responses={200: {"content": {media.split(";")[0]: {"schema": _EXPORT_SCHEMAS[fmt]}}, "description": text}},
        )
    return router
