"""Reading and writing events in the store; the store as linking's candidate provider."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

from sqlalchemy import Select, delete, select, tuple_
from sqlalchemy.orm import Session, selectinload

from ..link import BlockKey, FieldChange, LinkOutcome, Linked, LinkRules, SourceFigures, index_keys
from ..model import EVENT_FIELDS, Event, Evidence, Source
from .cursor import SORT_KEYS, SORTS, decode_cursor, encode_cursor
from .filters import EventFilter, actor_is_common, common_on_sqlite, filtered, has_text_index
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
from .stats import EventStats, event_stats  # noqa: F401 - the store's reading API, in one place


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
            evidence=tuple(Evidence(text=e.text, start=e.start, end=e.end, fields=tuple(e.fields or ()))
                           for e in s.evidence),
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
                evidence=[EvidenceRow(start=e.start, end=e.end, text=e.text, fields=list(e.fields))
                          for e in src.evidence],
            )
        )


def save_outcome(session: Session, outcome: LinkOutcome, mention: Event, rules: LinkRules) -> None:
    """Write one linking decision: a new event, or the merged event with its new source and history."""
    event = outcome.linked.event
    _storyline(session, outcome.linked.storyline_id)
    stamp = now()
    place_id = _place_id(session, event)
    row = session.get(EventRow, event.event_id) if outcome.merged else None
    if row is None:
        row = EventRow(id=event.event_id, created=stamp, updated=stamp)
        session.add(row)
    for name in EVENT_FIELDS:
        if name != "event_id":
            value = getattr(event, name)
            setattr(row, name, list(value) if name == "weapons" else value)
    row.storyline_id = outcome.linked.storyline_id
    row.place_id = place_id
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


def query_events(session: Session, flt: EventFilter | None = None) -> list[Event]:
    stmt = filtered(select(EventRow), flt or EventFilter(), fts=has_text_index(session))
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


# ---------------------------------------------------------------------------
# Read side for the API: pages, statistics, articles with their evidence
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class EventPage:
    """Plain rows (column name -> value) of ``events``, and each event's sources (no evidence)."""

    rows: list[Any]
    sources: dict[str, list[Any]]  # event id -> rows of event_sources (article_id, outlet, url, published)
    next_cursor: str | None


def query_event_page(
    session: Session, flt: EventFilter | None = None, *, sort: str = "-event_date", limit: int = 100,
    cursor: str | None = None,
) -> EventPage:
    """One page of filtered events in ``sort`` order (keyset pagination: stable under inserts).

    Events without a value of the sort key (undated events) come last in either direction.
    The key's non-null part and null part are read as two queries so that each can walk an index.
    Rows are read with Core, not as ORM objects: a page is read-only and this is the API's hot path.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; one of {', '.join(SORTS)}")
    desc = sort.startswith("-")
    column, nullable = SORT_KEYS[sort.lstrip("-")]
    flt = flt or EventFilter()
    common = bool(flt.actor) and actor_is_common(session, flt.actor)
    base = filtered(select(*EventRow.__table__.c), flt, fts=has_text_index(session), ordered=True, common_actor=common,
                    walk=common_on_sqlite(session, flt))
    after = decode_cursor(sort, cursor) if cursor else None
    order = (column.desc(), EventRow.id.desc()) if desc else (column.asc(), EventRow.id.asc())
    beyond = (lambda c, v: c < v) if desc else (lambda c, v: c > v)
    within = (lambda c, v: c <= v) if desc else (lambda c, v: c >= v)
    rows: list[Any] = []
    if after is None or after[0] is not None:
        stmt = base.where(column.is_not(None)) if nullable else base
        if after is not None:
            value, last = after
            # a row-value comparison plus a plain bound on the key: both walk the key's index
            stmt = stmt.where(within(column, value), beyond(tuple_(column, EventRow.id), tuple_(value, last)))
        rows += session.execute(stmt.order_by(*order).limit(limit + 1)).mappings().all()
    if nullable and len(rows) <= limit:
        stmt = base.where(column.is_(None))
        if after is not None and after[0] is None:
            stmt = stmt.where(beyond(EventRow.id, after[1]))
        stmt = stmt.order_by(EventRow.id.desc() if desc else EventRow.id.asc()).limit(limit + 1 - len(rows))
        rows += session.execute(stmt).mappings().all()
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = encode_cursor(sort, rows[-1][column.key], rows[-1]["id"]) if more else None
    sources: dict[str, list[Any]] = {r["id"]: [] for r in rows}
    if rows:
        for src in session.execute(
            select(EventSource.event_id, EventSource.article_id, EventSource.outlet, EventSource.url,
                   EventSource.published)
            .where(EventSource.event_id.in_(list(sources))).order_by(EventSource.id)
        ).mappings():
            sources[src["event_id"]].append(src)
    return EventPage(rows=rows, sources=sources, next_cursor=nxt)


def iter_events(
    session: Session, flt: EventFilter | None = None, *, batch: int = 500, sort: str = "event_date"
) -> Iterable[Event]:
    """Every filtered event with its sources and evidence, in ``sort`` order (by date unless
    told), read a page at a time."""
    cursor = None
    while True:
        page = query_event_page(session, flt, sort=sort, limit=batch, cursor=cursor)
        ids = [r["id"] for r in page.rows]
        loaded = {r.id: r for r in session.scalars(_with_sources(select(EventRow).where(EventRow.id.in_(ids))))}
        yield from (row_to_event(loaded[i]) for i in ids)
        session.expunge_all()  # keep memory flat over a large export
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


@dataclass(frozen=True)
class EvidenceSpan:
    """Where an event's evidence sentence sits in an article's cleaned text."""

    event_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ArticleView:
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: dt.date | None
    duplicate_of: str | None
    clean_text: str
    spans: list[EvidenceSpan]  # by position in the text


def get_article(session: Session, article_id: str) -> ArticleView | None:
    """An article's cleaned text and every stored event's evidence in it."""
    from .models import ArticleRow

    row = session.get(ArticleRow, article_id)
    if row is None:
        return None
    spans = session.execute(
        select(EventSource.event_id, EvidenceRow.start, EvidenceRow.end, EvidenceRow.text)
        .join(EvidenceRow, EvidenceRow.source_id == EventSource.id)
        .where(EventSource.article_id == article_id)
        .order_by(EvidenceRow.start, EvidenceRow.end, EventSource.event_id)
    ).all()
    return ArticleView(
        id=row.id, title=row.title, outlet=row.outlet, url=row.url, published=row.published,
        duplicate_of=row.duplicate_of, clean_text=row.clean_text, spans=[EvidenceSpan(*s) for s in spans],
    )


@dataclass(frozen=True)
class StorylineEvent:
    event_id: str
    event_date: dt.date | None
    sub_event_type: str
    location: str | None


def storyline_events(session: Session, storyline_id: str) -> list[StorylineEvent]:
    """The events of one storyline, by date (undated last)."""
    rows = session.execute(
        select(EventRow.id, EventRow.event_date, EventRow.sub_event_type, EventRow.location)
        .where(EventRow.storyline_id == storyline_id)
        .order_by(EventRow.event_date.is_(None), EventRow.event_date, EventRow.id)
    ).all()
    return [StorylineEvent(*r) for r in rows]
