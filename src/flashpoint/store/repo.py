"""Reading and writing events in the store; the store as linking's candidate provider."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

from sqlalchemy import Select, delete, or_, select
from sqlalchemy.orm import Session, selectinload

from ..link import BlockKey, FieldChange, LinkOutcome, Linked, LinkRules, SourceFigures, index_keys
from ..model import EVENT_FIELDS, Event, Evidence, Source
from .models import (
    ActorRow,
    EventActor,
    EventBlock,
    EventRow,
    EventSource,
    EvidenceRow,
    FieldHistory,
    PlaceRow,
    Storyline,
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def figures_to_json(fig: SourceFigures) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in asdict(fig).items()}


def figures_from_json(data: dict[str, Any]) -> SourceFigures:
    data = dict(data)
    if data.get("event_date"):
        data["event_date"] = dt.date.fromisoformat(data["event_date"])
    return SourceFigures(**{f.name: data.get(f.name) for f in fields(SourceFigures)})


def row_to_event(row: EventRow) -> Event:
    values = {name: getattr(row, name) for name in EVENT_FIELDS if name != "event_id"}
    values["weapons"] = list(row.weapons or [])
    sources = [
        Source(
            article_id=s.article_id,
            outlet=s.outlet,
            url=s.url,
            published=s.published,
            evidence=tuple(Evidence(text=e.text, start=e.start, end=e.end) for e in s.evidence),
        )
        for s in row.sources
    ]
    return Event(event_id=row.id, sources=sources, **values)


def row_to_linked(row: EventRow) -> Linked:
    return Linked(
        event=row_to_event(row),
        figures=tuple(figures_from_json(s.figures) for s in row.sources),
        storyline_id=row.storyline_id,
    )


def _with_sources(stmt: Select) -> Select:
    return stmt.options(selectinload(EventRow.sources).selectinload(EventSource.evidence))


class StoreCandidates:
    """Linking's :class:`~flashpoint.link.CandidateProvider` over the store's block index."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def candidates(self, keys: Iterable[BlockKey]) -> Sequence[Linked]:
        keys = list(keys)
        if not keys:
            return []
        # A box query over the index (buckets x row range x column range) is one index scan;
        # it may return a few events outside the exact keys, which linking then rejects.
        buckets = sorted({k[0] for k in keys})
        rows = [k[1] for k in keys]
        cols = [k[2] for k in keys]
        ids = select(EventBlock.event_id).where(
            EventBlock.bucket.in_(buckets),
            EventBlock.row.between(min(rows), max(rows)),
            EventBlock.col.between(min(cols), max(cols)),
        )
        stmt = _with_sources(select(EventRow).where(EventRow.id.in_(ids)).order_by(EventRow.id))
        return [row_to_linked(r) for r in self.session.scalars(stmt)]


def _place_id(session: Session, event: Event) -> int | None:
    if event.location is None or event.latitude is None or event.longitude is None:
        return None
    found = session.scalar(
        select(PlaceRow.id).where(
            PlaceRow.name == event.location,
            PlaceRow.iso3 == event.iso3,
            PlaceRow.latitude == event.latitude,
            PlaceRow.longitude == event.longitude,
        )
    )
    if found is not None:
        return found
    place = PlaceRow(
        name=event.location, country=event.country, iso3=event.iso3, admin1=event.admin1,
        admin2=event.admin2, latitude=event.latitude, longitude=event.longitude,
    )
    session.add(place)
    session.flush()
    return place.id


def _actors(session: Session, event: Event) -> None:
    session.execute(delete(EventActor).where(EventActor.event_id == event.event_id))
    roles: dict[tuple[str, str], None] = {}
    for name, role in ((event.actor1, "actor1"), (event.actor2, "actor2")):
        if name:
            roles[(name, role)] = None
    for text, role in ((event.assoc_actor_1, "assoc1"), (event.assoc_actor_2, "assoc2")):
        for name in (n.strip() for n in text.split(";")):
            if name:
                roles[(name, role)] = None
    inter = {event.actor1: event.inter1, event.actor2: event.inter2}
    for name, role in roles:
        if session.get(ActorRow, name) is None:
            session.add(ActorRow(name=name, inter=inter.get(name)))
            session.flush()
        session.add(EventActor(event_id=event.event_id, actor=name, role=role))


def _blocks(session: Session, event: Event, rules: LinkRules) -> None:
    session.execute(delete(EventBlock).where(EventBlock.event_id == event.event_id))
    for bucket, row, col in index_keys(event, rules):
        session.add(EventBlock(event_id=event.event_id, bucket=bucket, row=row, col=col))


def _storyline(session: Session, story: str | None) -> None:
    if story and session.get(Storyline, story) is None:
        session.add(Storyline(id=story, created=now()))
        session.flush()


def _add_source(row: EventRow, mention: Event) -> None:
    fig = SourceFigures.of(mention)
    for src in mention.sources:
        row.sources.append(
            EventSource(
                article_id=src.article_id, mention_id=mention.event_id, outlet=src.outlet, url=src.url,
                published=src.published, figures=figures_to_json(fig),
                evidence=[EvidenceRow(start=e.start, end=e.end, text=e.text) for e in src.evidence],
            )
        )


def save_outcome(session: Session, outcome: LinkOutcome, mention: Event, rules: LinkRules) -> None:
    """Write one linking decision: a new event, or the merged event with its new source and history."""
    event = outcome.linked.event
    _storyline(session, outcome.linked.storyline_id)
    stamp = now()
    row = session.get(EventRow, event.event_id) if outcome.merged else None
    if row is None:
        row = EventRow(id=event.event_id, created=stamp)
        session.add(row)
    for name in EVENT_FIELDS:
        if name != "event_id":
            value = getattr(event, name)
            setattr(row, name, list(value) if name == "weapons" else value)
    row.storyline_id = outcome.linked.storyline_id
    row.place_id = _place_id(session, event)
    row.updated = stamp
    _add_source(row, mention)
    session.flush()
    for change in outcome.changes:
        session.add(_history(change, stamp))
    for event_id, story in outcome.storyline_updates:
        other = session.get(EventRow, event_id)
        if other is not None:
            other.storyline_id = story
    _actors(session, event)
    _blocks(session, event, rules)
    session.flush()


def _history(change: FieldChange, stamp: dt.datetime) -> FieldHistory:
    return FieldHistory(
        event_id=change.event_id, field=change.field, old=_jsonable(change.old), new=_jsonable(change.new),
        article_id=change.article_id, rule=change.rule, at=stamp,
    )


# ---------------------------------------------------------------------------
# Reading back
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilter:
    """The filters of ``flashpoint events`` (all optional, combined with AND)."""

    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None
    admin1: str | None = None
    actor: str | None = None
    event_type: str | None = None
    certainty: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat


def query_events(session: Session, flt: EventFilter | None = None) -> list[Event]:
    flt = flt or EventFilter()
    stmt = select(EventRow)
    if flt.since:
        stmt = stmt.where(EventRow.event_date >= flt.since)
    if flt.until:
        stmt = stmt.where(EventRow.event_date <= flt.until)
    if flt.country:
        stmt = stmt.where(or_(EventRow.country.ilike(flt.country), EventRow.iso3.ilike(flt.country)))
    if flt.admin1:
        stmt = stmt.where(EventRow.admin1.ilike(flt.admin1))
    if flt.actor:
        ids = select(EventActor.event_id).where(EventActor.actor.ilike(f"%{flt.actor}%"))
        stmt = stmt.where(EventRow.id.in_(ids))
    if flt.event_type:
        stmt = stmt.where(or_(EventRow.event_type.ilike(flt.event_type), EventRow.sub_event_type.ilike(flt.event_type)))
    if flt.certainty:
        stmt = stmt.where(EventRow.certainty == flt.certainty)
    if flt.bbox:
        x0, y0, x1, y1 = flt.bbox
        stmt = stmt.where(
            EventRow.longitude.between(x0, x1), EventRow.latitude.between(y0, y1)
        )
    stmt = _with_sources(stmt.order_by(EventRow.event_date.is_(None), EventRow.event_date, EventRow.id))
    return [row_to_event(r) for r in session.scalars(stmt)]


def get_event(session: Session, event_id: str) -> tuple[Linked, list[FieldHistory]] | None:
    row = session.scalar(_with_sources(select(EventRow).where(EventRow.id == event_id)))
    if row is None:  # an article's own event id, merged into another event
        row = session.scalar(
            _with_sources(select(EventRow).join(EventSource).where(EventSource.mention_id == event_id))
        )
    if row is None:
        return None
    history = list(
        session.scalars(select(FieldHistory).where(FieldHistory.event_id == row.id).order_by(FieldHistory.id))
    )
    return row_to_linked(row), history
