"""Cross-document linking: one event per real-world happening, with all its sources.

Pure functions over :class:`~flashpoint.model.Event` records. A new event mention (one
article's event) is compared only with the candidates a :class:`CandidateProvider` returns for
its blocking keys (date bucket x grid cell); the store provides them from its index
(incremental ``flashpoint ingest``), :class:`MemoryIndex` from memory (a batch, a benchmark,
or one blocking key of a distributed job). Both go through :func:`link_mention`.

Rules (values in ``data/linking.toml``):

* **Same event** when all hold: the mentions come from different articles; compatible type
  (same sub_event_type, or a pair listed as compatible); compatible actors (when both name
  both sides, the same pair; otherwise at least one actor shared, or one side names none); same location name and country, or a distance within the
  sum of both ``geo_precision`` radii; overlapping date intervals given both
  ``date_precision``\\ s. A mention without a date or coordinates is never linked (there is
  nothing to block or compare on) and stays its own event.
* **Merged fields**: date and place from the most precise source (ties keep the earlier);
  missing actors filled in; weapons and associated actors united; fatalities = the highest
  count any source reports (each source's count is already its conservative reading), known
  when any source gives a number; injured = the highest; certainty = the strongest any source
  gives, raised one level when ``corroborating_outlets`` distinct outlets report it. Every
  source's own figures are kept (:class:`SourceFigures`) and every changed field is recorded
  (:class:`FieldChange`).
* **Storyline**: an event not merged but sharing its actor pair with a candidate within
  ``storyline.days`` and ``storyline.distance_km`` joins that candidate's storyline.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from .datafiles import read_toml
from .events.resolve import summarise
from .model import WEAPONS, Event
from .places.resolve import haversine

CERTAINTY_ORDER = ("unconfirmed", "reported", "confirmed")  # weakest first

BlockKey = tuple[int, int, int]  # (date bucket, cell row, cell column)


@dataclass(frozen=True)
class LinkRules:
    """The linking thresholds of ``data/linking.toml``."""

    version: str
    radius_km: dict[int, float]
    slack_days: dict[int, int]
    compatible_types: frozenset[frozenset[str]]
    corroborating_outlets: int
    storyline_days: int
    storyline_km: float
    bucket_days: int
    cell_degrees: float
    near_duplicate: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | None = None) -> LinkRules:
        data = read_toml(path, "linking.toml")
        return cls(
            version=data["version"],
            radius_km={int(k): float(v) for k, v in data["place"]["radius_km"].items()},
            slack_days={int(k): int(v) for k, v in data["date"]["slack_days"].items()},
            compatible_types=frozenset(frozenset(pair) for pair in data["type"]["compatible"]),
            corroborating_outlets=int(data["certainty"]["corroborating_outlets"]),
            storyline_days=int(data["storyline"]["days"]),
            storyline_km=float(data["storyline"]["distance_km"]),
            bucket_days=int(data["blocking"]["bucket_days"]),
            cell_degrees=float(data["blocking"]["cell_degrees"]),
            near_duplicate=dict(data["near_duplicate"]),
        )

    def radius(self, geo_precision: int | None) -> float:
        return self.radius_km.get(geo_precision or 3, max(self.radius_km.values()))


@dataclass(frozen=True)
class SourceFigures:
    """What one source said about an event: kept for every source of a merged event."""

    article_id: str
    outlet: str | None
    fatalities: int
    fatalities_known: bool
    injured: int | None
    certainty: str
    event_date: dt.date | None
    date_precision: int | None
    location: str | None
    geo_precision: int | None

    @classmethod
    def of(cls, event: Event) -> SourceFigures:
        src = event.sources[0] if event.sources else None
        return cls(
            article_id=src.article_id if src else event.event_id,
            outlet=src.outlet if src else None,
            fatalities=event.fatalities,
            fatalities_known=event.fatalities_known,
            injured=event.injured,
            certainty=event.certainty,
            event_date=event.event_date,
            date_precision=event.date_precision,
            location=event.location,
            geo_precision=event.geo_precision,
        )


@dataclass(frozen=True)
class FieldChange:
    """One field of an event changed by a merge: the old and new value, which source, why."""

    event_id: str
    field: str
    old: Any
    new: Any
    article_id: str
    rule: str


@dataclass(frozen=True)
class Linked:
    """An event as linking sees it: the merged record, each source's figures, its storyline."""

    event: Event
    figures: tuple[SourceFigures, ...]
    storyline_id: str | None = None

    @property
    def event_id(self) -> str:
        return self.event.event_id


@dataclass(frozen=True)
class LinkOutcome:
    """The result of linking one mention: the event it became or joined, and side effects."""

    linked: Linked
    merged: bool  # True: joined an existing event; False: a new event
    changes: tuple[FieldChange, ...] = ()
    # (event_id, storyline_id) for candidates whose storyline was set by this link
    storyline_updates: tuple[tuple[str, str], ...] = ()
    reason: str = ""


class CandidateProvider(Protocol):
    """Where linking finds the events that may be the same as a new mention."""

    def candidates(self, keys: Iterable[BlockKey]) -> Sequence[Linked]: ...


# ---------------------------------------------------------------------------
# Blocking
# ---------------------------------------------------------------------------


def date_interval(date: dt.date, precision: int | None, rules: LinkRules) -> tuple[dt.date, dt.date]:
    """The days a date of this precision may mean (precision 3: its whole month)."""
    if precision is not None and precision >= 3:
        last = calendar.monthrange(date.year, date.month)[1]
        return date.replace(day=1), date.replace(day=last)
    slack = dt.timedelta(days=rules.slack_days.get(precision or 1, 0))
    return date - slack, date + slack


def _buckets(start: dt.date, end: dt.date, rules: LinkRules) -> range:
    return range(start.toordinal() // rules.bucket_days, end.toordinal() // rules.bucket_days + 1)


def _cell(lat: float, lon: float, rules: LinkRules) -> tuple[int, int]:
    return math.floor(lat / rules.cell_degrees), math.floor(lon / rules.cell_degrees)


def _cells_within(lat: float, lon: float, km: float, rules: LinkRules) -> list[tuple[int, int]]:
    dlat = km / 111.0
    dlon = km / (111.0 * max(math.cos(math.radians(lat)), 0.05))
    r0, c0 = _cell(lat - dlat, lon - dlon, rules)
    r1, c1 = _cell(lat + dlat, lon + dlon, rules)
    return [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]


# Dates a link window can be drawn around without leaving the calendar (ingest/safety.py keeps
# every event well inside; a record read back from elsewhere may not be).
_LINKABLE_DATES = (dt.date(2, 1, 1), dt.date(9998, 12, 31))


def linkable(event: Event) -> bool:
    return (event.event_date is not None and event.latitude is not None and event.longitude is not None
            and _LINKABLE_DATES[0] <= event.event_date <= _LINKABLE_DATES[1])


def index_keys(event: Event, rules: LinkRules) -> list[BlockKey]:
    """The keys an event is stored under: its own cell, every bucket its date may mean."""
    if not linkable(event):
        return []
    start, end = date_interval(event.event_date, event.date_precision, rules)
    row, col = _cell(event.latitude, event.longitude, rules)
    return [(b, row, col) for b in _buckets(start, end, rules)]


def query_keys(event: Event, rules: LinkRules, *, storyline: bool = False) -> list[BlockKey]:
    """The keys to look up: every cell and bucket a matching event could be indexed under."""
    if not linkable(event):
        return []
    start, end = date_interval(event.event_date, event.date_precision, rules)
    reach = rules.radius(event.geo_precision) + max(rules.radius_km.values())
    if storyline:
        days = dt.timedelta(days=rules.storyline_days)
        start, end, reach = start - days, end + days, max(reach, rules.storyline_km)
    cells = _cells_within(event.latitude, event.longitude, reach, rules)
    return [(b, r, c) for b in _buckets(start, end, rules) for r, c in cells]


# ---------------------------------------------------------------------------
# Compatibility
# ---------------------------------------------------------------------------


def actor_set(event: Event) -> set[str]:
    names = {event.actor1, event.actor2}
    names |= set(_split(event.assoc_actor_1)) | set(_split(event.assoc_actor_2))
    return {n for n in names if n}


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def actors_compatible(a: Event, b: Event) -> bool:
    """Both name both sides: the same pair (either order). Otherwise: at least one actor shared."""
    pair_a, pair_b = {a.actor1, a.actor2} - {None}, {b.actor1, b.actor2} - {None}
    if len(pair_a) == 2 and len(pair_b) == 2:
        return pair_a == pair_b
    ours, theirs = actor_set(a), actor_set(b)
    return not (ours and theirs) or bool(ours & theirs)


def types_compatible(a: Event, b: Event, rules: LinkRules) -> bool:
    if a.sub_event_type == b.sub_event_type:
        return True
    return frozenset((a.sub_event_type, b.sub_event_type)) in rules.compatible_types


def dates_compatible(a: Event, b: Event, rules: LinkRules) -> bool:
    a0, a1 = date_interval(a.event_date, a.date_precision, rules)
    b0, b1 = date_interval(b.event_date, b.date_precision, rules)
    return a0 <= b1 and b0 <= a1


def places_compatible(a: Event, b: Event, rules: LinkRules) -> tuple[bool, float]:
    d = haversine(a.latitude, a.longitude, b.latitude, b.longitude)
    same_name = bool(a.location) and a.location == b.location and a.iso3 == b.iso3
    return same_name or d <= rules.radius(a.geo_precision) + rules.radius(b.geo_precision), d


def same_event(existing: Linked, mention: Event, rules: LinkRules) -> tuple[bool, float, str]:
    """Whether ``mention`` reports the same happening as ``existing``: (yes, score, why)."""
    event = existing.event
    new_articles = {s.article_id for s in mention.sources}
    if new_articles & {f.article_id for f in existing.figures}:
        return False, 0.0, "same article"  # the article's own resolution already split them
    if not (linkable(event) and linkable(mention)):
        return False, 0.0, "no date or coordinates"
    if not types_compatible(event, mention, rules):
        return False, 0.0, "type"
    ours, theirs = actor_set(event), actor_set(mention)
    if not actors_compatible(event, mention):
        return False, 0.0, "actors"
    if not dates_compatible(event, mention, rules):
        return False, 0.0, "date"
    ok, d = places_compatible(event, mention, rules)
    if not ok:
        return False, 0.0, f"place ({d:.1f} km)"
    # Closer, same-day, more shared actors -> better; used only to choose among matches.
    days = abs((event.event_date - mention.event_date).days)
    shared = len(ours & theirs)
    score = shared * 10.0 - d / 10.0 - days + (5.0 if event.sub_event_type == mention.sub_event_type else 0.0)
    return True, score, f"{d:.1f} km, {days} day(s) apart, {shared} shared actor(s)"


def same_storyline(a: Event, b: Event, rules: LinkRules) -> bool:
    """Related but distinct: the same actor pair, near in space and time."""
    if not (linkable(a) and linkable(b)):
        return False
    ours, theirs = {a.actor1, a.actor2} - {None}, {b.actor1, b.actor2} - {None}
    if not ours or ours != theirs:
        return False
    a0, a1 = date_interval(a.event_date, a.date_precision, rules)
    b0, b1 = date_interval(b.event_date, b.date_precision, rules)
    gap = max((b0 - a1).days, (a0 - b1).days, 0)
    return gap <= rules.storyline_days and haversine(
        a.latitude, a.longitude, b.latitude, b.longitude
    ) <= rules.storyline_km


# ---------------------------------------------------------------------------
# Merging
# ---------------------------------------------------------------------------


def _outlet_key(fig: SourceFigures) -> str | None:
    return " ".join(fig.outlet.lower().split()) if fig.outlet else None


def merged_certainty(figures: Sequence[SourceFigures], rules: LinkRules) -> str:
    """The strongest certainty any source gives, one level up when outlets corroborate."""
    level = max(CERTAINTY_ORDER.index(f.certainty) if f.certainty in CERTAINTY_ORDER else 0 for f in figures)
    outlets = {k for f in figures if (k := _outlet_key(f))}
    if len(outlets) >= rules.corroborating_outlets:
        level = min(level + 1, len(CERTAINTY_ORDER) - 1)
    return CERTAINTY_ORDER[level]


def merge(existing: Linked, mention: Event, rules: LinkRules) -> tuple[Linked, tuple[FieldChange, ...]]:
    """Fold one mention into an existing event by the documented rule."""
    old = existing.event
    fig = SourceFigures.of(mention)
    figures = (*existing.figures, fig)
    updates: dict[str, Any] = {}
    why: dict[str, str] = {}

    def more_precise(new: int | None, cur: int | None) -> bool:
        return new is not None and (cur is None or new < cur)

    if more_precise(mention.date_precision, old.date_precision):
        updates.update(event_date=mention.event_date, date_precision=mention.date_precision)
        why.update(event_date="more precise date", date_precision="more precise date")
    if more_precise(mention.geo_precision, old.geo_precision):
        for name in ("location", "latitude", "longitude", "geo_precision", "country", "iso3", "admin1", "admin2"):
            updates[name] = getattr(mention, name)
            why[name] = "more precise place"
    for a, inter in (("actor1", "inter1"), ("actor2", "inter2")):
        if getattr(old, a) is None and getattr(mention, a) is not None:
            updates[a], updates[inter] = getattr(mention, a), getattr(mention, inter)
            why[a] = why[inter] = "actor missing before"
    for name in ("assoc_actor_1", "assoc_actor_2"):
        united = list(dict.fromkeys(_split(getattr(old, name)) + _split(getattr(mention, name))))
        updates[name] = "; ".join(united)
        why[name] = "union of sources"
    united_weapons = {*old.weapons, *mention.weapons}
    weapons = [w for w in WEAPONS if w in united_weapons] + sorted(united_weapons - set(WEAPONS))
    updates["weapons"], why["weapons"] = weapons, "union of sources"
    updates["fatalities"] = max(f.fatalities for f in figures)
    updates["fatalities_known"] = any(f.fatalities_known for f in figures)
    why["fatalities"] = why["fatalities_known"] = "highest conservative count of any source"
    injured = [f.injured for f in figures if f.injured is not None]
    updates["injured"], why["injured"] = (max(injured) if injured else None), "highest count of any source"
    updates["certainty"] = merged_certainty(figures, rules)
    why["certainty"] = "strongest source, raised when independent outlets corroborate"
    updates["sources"] = [*old.sources, *mention.sources]
    # the notes summarise the fields: said again of the merged ones, never contradicting them
    updates["notes"] = summarise(replace(old, **updates), None)
    why["notes"] = "summary of the merged fields"

    changes = tuple(
        FieldChange(old.event_id, name, getattr(old, name), value, fig.article_id, why[name])
        for name, value in updates.items()
        if name != "sources" and getattr(old, name) != value
    )
    return replace(existing, event=replace(old, **updates), figures=figures), changes


# ---------------------------------------------------------------------------
# Linking
# ---------------------------------------------------------------------------


def storyline_id_for(event_id: str) -> str:
    return "sl-" + hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:16]


def link_mention(mention: Event, provider: CandidateProvider, rules: LinkRules) -> LinkOutcome:
    """Link one article's event: merge it into the best matching candidate, or start a new event."""
    best: tuple[float, str, Linked, str] | None = None
    for cand in provider.candidates(query_keys(mention, rules)):
        ok, score, why = same_event(cand, mention, rules)
        if ok and (best is None or (score, _neg(cand.event_id)) > (best[0], _neg(best[1]))):
            best = (score, cand.event_id, cand, why)
    if best is not None:
        linked, changes = merge(best[2], mention, rules)
        return LinkOutcome(linked=linked, merged=True, changes=changes, reason=best[3])
    new = Linked(event=mention, figures=(SourceFigures.of(mention),))
    related = sorted(
        (c for c in provider.candidates(query_keys(mention, rules, storyline=True))
         if same_storyline(c.event, mention, rules)),
        key=lambda c: (c.storyline_id is None, c.storyline_id or "", c.event_id),
    )
    if not related:
        return LinkOutcome(linked=new, merged=False, reason="no matching event")
    first = related[0]
    story = first.storyline_id or storyline_id_for(first.event_id)
    updates = tuple((c.event_id, story) for c in related if c.storyline_id is None)
    return LinkOutcome(
        linked=replace(new, storyline_id=story), merged=False, storyline_updates=updates,
        reason=f"new event in storyline {story}",
    )


def _neg(event_id: str) -> tuple[int, ...]:
    # ties go to the smallest event id, so the choice does not depend on candidate order
    return tuple(-ord(c) for c in event_id)


class MemoryIndex:
    """An in-memory :class:`CandidateProvider`, for a batch of events or one blocking key."""

    def __init__(self, rules: LinkRules) -> None:
        self.rules = rules
        self.events: dict[str, Linked] = {}
        self._index: dict[BlockKey, set[str]] = defaultdict(set)

    def candidates(self, keys: Iterable[BlockKey]) -> list[Linked]:
        ids: set[str] = set()
        for key in keys:
            ids |= self._index.get(key, set())
        return [self.events[i] for i in sorted(ids)]

    def put(self, linked: Linked) -> None:
        old = self.events.get(linked.event_id)
        if old is not None:
            for key in index_keys(old.event, self.rules):
                self._index[key].discard(linked.event_id)
        self.events[linked.event_id] = linked
        for key in index_keys(linked.event, self.rules):
            self._index[key].add(linked.event_id)

    def apply(self, outcome: LinkOutcome) -> None:
        self.put(outcome.linked)
        for event_id, story in outcome.storyline_updates:
            self.events[event_id] = replace(self.events[event_id], storyline_id=story)


def link_all(mentions: Iterable[Event], rules: LinkRules, *, index: MemoryIndex | None = None) -> list[Linked]:
    """Link a batch of mentions in order (the same code path as incremental ingest)."""
    index = index or MemoryIndex(rules)
    for mention in mentions:
        index.apply(link_mention(mention, index, rules))
    return list(index.events.values())
