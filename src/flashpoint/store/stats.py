"""Counts of the filtered events for the page's timeline, legend and filter lists.

What is asked is what is computed (``parts``): the timeline wants days, the legend wants types,
the filter lists want places and actors, and each costs a pass over the filtered events. The
totals come with every answer, from the places pass, the cheapest (a covering index).

Days are read per day and type from the store and bucketed here (``bucket``): ten years of
days are some 3,650 bars per type, more than a timeline has pixels, so ``auto`` takes weeks
past two years and months past twelve. A bucket is named by its first day (a Monday for weeks).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .filters import EventFilter, filtered, has_text_index
from .models import EventActor, EventRow

PARTS = ("per_day", "per_type", "per_admin1", "per_actor")
BUCKETS = ("day", "week", "month", "auto")
# span of the dated events (days) up to which ``auto`` keeps that bucket
AUTO_SPANS = (("day", 731), ("week", 12 * 366))


@dataclass(frozen=True)
class DayCount:
    day: dt.date  # the bucket's first day
    event_type: str
    events: int
    fatalities: int


@dataclass(frozen=True)
class TypeCount:
    event_type: str
    events: int  # dated events: the sums of per_day
    fatalities: int


@dataclass(frozen=True)
class Admin1Count:
    country: str | None
    admin1: str | None
    events: int
    fatalities: int


@dataclass(frozen=True)
class ActorCount:
    actor: str
    events: int
    fatalities: int


@dataclass(frozen=True)
class EventStats:
    total_events: int
    total_fatalities: int
    undated_events: int
    bucket: str  # of per_day: day, week or month ("auto" resolved)
    first_day: dt.date | None  # of the dated events, when per_day was asked for
    last_day: dt.date | None
    per_day: list[DayCount]
    per_type: list[TypeCount]
    per_admin1: list[Admin1Count]  # most events first, at most ``top``
    per_actor: list[ActorCount]  # most events first, at most ``top``


def bucket_start(day: dt.date, bucket: str) -> dt.date:
    if bucket == "week":
        return day - dt.timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return day


def choose_bucket(first: dt.date, last: dt.date) -> str:
    span = (last - first).days
    return next((b for b, most in AUTO_SPANS if span <= most), "month")


def _bucketed(rows: list[tuple[dt.date, str, int, int]], bucket: str) -> list[DayCount]:
    if bucket == "day":
        return [DayCount(*r) for r in rows]
    sums: dict[tuple[dt.date, str], list[int]] = defaultdict(lambda: [0, 0])
    starts: dict[dt.date, dt.date] = {}  # a day comes once per type: work its bucket out once
    for day, etype, n, deaths in rows:
        start = starts.get(day)
        if start is None:
            start = starts[day] = bucket_start(day, bucket)
        s = sums[start, etype]
        s[0] += n
        s[1] += deaths
    return [DayCount(d, t, n, f) for (d, t), (n, f) in sorted(sums.items())]


def _per_type(rows: list[tuple[str, int, int]]) -> list[TypeCount]:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for etype, n, deaths in rows:
        sums[etype][0] += n
        sums[etype][1] += deaths
    return [TypeCount(t, n, f) for t, (n, f) in sorted(sums.items(), key=lambda kv: (-kv[1][0], kv[0]))]


def event_stats(
    session: Session, flt: EventFilter | None = None, *, top: int = 50,
    parts: frozenset[str] | set[str] = frozenset(PARTS), bucket: str = "day",
) -> EventStats:
    """Totals always; of ``per_day`` (bucketed by ``bucket``), ``per_type`` (dated events),
    ``per_admin1`` and ``per_actor`` (any role; most events first, at most ``top``) those in
    ``parts``, the others empty."""
    unknown = set(parts) - set(PARTS)
    if unknown or bucket not in BUCKETS:
        raise ValueError(f"unknown statistics {sorted(unknown) or bucket!r}")
    flt = flt or EventFilter()
    fts = has_text_index(session)
    # count(*), not count(id): the covering indexes of revision 0006 hold no id
    n, deaths = func.count(), func.coalesce(func.sum(EventRow.fatalities), 0)
    places = session.execute(
        filtered(select(EventRow.country, EventRow.admin1, n, deaths, func.count(EventRow.event_date)), flt, fts=fts)
        .group_by(EventRow.country, EventRow.admin1)
        .order_by(n.desc(), EventRow.country, EventRow.admin1)
    ).all()
    total = sum(r[2] for r in places)
    per_day = (
        filtered(select(EventRow.event_date, EventRow.event_type, n.label("events"), deaths.label("fatalities")),
                 flt, fts=fts)
        .where(EventRow.event_date.is_not(None))
        .group_by(EventRow.event_date, EventRow.event_type)
    )
    days: list = []
    types: list = []
    if "per_day" in parts:
        days = [tuple(r) for r in session.execute(per_day.order_by(EventRow.event_date, EventRow.event_type))]
        types = [r[1:] for r in days]
    elif "per_type" in parts:
        # summed over the day groups in SQL: the same pass as per_day's (a covering index),
        # without turning every day into a date here
        sub = per_day.subquery()
        types = [tuple(r) for r in session.execute(
            select(sub.c.event_type, func.sum(sub.c.events), func.sum(sub.c.fatalities)).group_by(sub.c.event_type)
        )]
    if bucket == "auto":
        bucket = choose_bucket(days[0][0], days[-1][0]) if days else "day"
    return EventStats(
        total_events=total, total_fatalities=sum(r[3] for r in places),
        undated_events=total - sum(r[4] for r in places),
        bucket=bucket, first_day=days[0][0] if days else None, last_day=days[-1][0] if days else None,
        per_day=_bucketed(days, bucket) if "per_day" in parts else [],
        per_type=_per_type(types) if "per_type" in parts else [],
        per_admin1=[Admin1Count(*r[:4]) for r in places[:top]] if "per_admin1" in parts else [],
        per_actor=_per_actor(session, flt, fts, top) if "per_actor" in parts else [],
    )


def _per_actor(session: Session, flt: EventFilter, fts: bool, top: int) -> list[ActorCount]:
    # each (event, actor) once: an actor in two roles of one event counts once. From the events
    # side, so that a filtered set is read through its own index, not all of event_actors.
    pairs = (
        filtered(select(EventActor.actor, func.max(EventRow.fatalities).label("fatalities"))
                 .select_from(EventRow).join(EventActor, EventActor.event_id == EventRow.id), flt, fts=fts)
        .group_by(EventRow.id, EventActor.actor)
        .subquery()
    )
    per_actor = func.count()
    return [ActorCount(*r) for r in session.execute(
        select(pairs.c.actor, per_actor, func.coalesce(func.sum(pairs.c.fatalities), 0))
        .group_by(pairs.c.actor)
        .order_by(per_actor.desc(), pairs.c.actor)
        .limit(top)
    )]
