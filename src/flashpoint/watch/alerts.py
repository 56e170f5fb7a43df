"""Alert rules: which stored events someone wants to hear about, and where to tell them.

Rules live in a TOML file (``flashpoint watch --alerts alerts.toml``; ``examples/alerts.toml``
is a commented example), one ``[[rule]]`` table each::

    [[rule]]
    name = "idlib-strikes"          # required, unique: the rule's identity in the store
    country = "Syria"               # filters, all optional, combined with AND, each meaning
    admin1 = "Idlib"                #   exactly what the same filter of GET /api/events means:
    actor = "Hay'at Tahrir"         #   country name or ISO3 (ISO2 and other names accepted),
    type = "Air/drone strike"       #   admin1, actor substring (any role), event type or
    certainty = "confirmed"         #   sub-event type, certainty (exactly this one), text
    bbox = [35.5, 35.0, 37.0, 36.5] #   search, box as min lon, min lat, max lon, max lat;
    min_fatalities = 1              #   plus a smallest toll, which the API lacks
    from = "now"                    # "now" (default) or "start": see below
    print = true                    # actions, at least one: a line on the watcher's stdout,
    jsonl = "alerts/idlib.jsonl"    #   a JSON object appended per alert (relative to this file),
    webhook = "https://example.org/hook"  # the same object POSTed (background, retried)

A rule fires once per event, when the event first matches it, and again only when the event
changes materially: its toll rises, its certainty rises (unconfirmed < reported < confirmed) or
a new source joins it; the alert says what changed ("fatalities 2 -> 5; sources 1 -> 2"). A toll
that falls, or any other field changing, fires nothing: a watcher wants news, not corrections.

Each rule keeps a watermark in the store (``alert_rules``): the newest ``events.updated`` it
has examined, so a check reads only events written since. A rule the store has not seen before
starts at the store's newest event (``from = "now"``): adding a rule to ten years of history
should not send ten years of alerts. ``from = "start"`` examines every stored event once. The
name is the rule's identity: rename a rule and it starts again; change its filters and it keeps
its watermark and what it has sent (``alerts_sent``).

A check runs under the store's write lock (:func:`..store.db.writing`), so no ingest is half
written while it reads and two watchers never fire the same alert twice. It prints and appends
its alerts before it commits the rules' state, all in one transaction: a crash in between shows
an alert again at the next check rather than losing it. Webhooks are queued after the commit and
delivered by a background thread (``sinks.py``), so a receiver that is down never slows a check.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from ..model import CERTAINTY_LEVELS
from ..store.db import writing
from ..store.filters import filtered, has_text_index
from ..store.models import AlertRuleState, AlertSent, EventRow, EventSource
from ..store.repo import now
from .alert_rules import AlertRule, AlertRules, AlertRulesError
from .sinks import JsonlSink, PrintSink, WebhookSettings, WebhookSink

CERTAINTY_RANK = {level: rank for rank, level in enumerate(reversed(CERTAINTY_LEVELS))}  # unconfirmed 0
BATCH = 500  # events read per query


@dataclass(frozen=True)
class Change:
    """One field of the event that differs from when the rule last fired for it."""

    field: str  # fatalities | certainty | sources
    old: int | str
    new: int | str

    def text(self) -> str:
        return f"{self.field} {self.old} -> {self.new}"


@dataclass(frozen=True)
class SourceLink:
    """One article of the event, for the receiver to follow."""

    outlet: str | None
    url: str | None
    published: dt.date | None


@dataclass(frozen=True)
class AlertedEvent:
    """The event as it stood when the alert fired."""

    event_id: str
    event_date: dt.date | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    assoc_actor_1: str
    assoc_actor_2: str
    location: str | None
    admin1: str | None
    admin2: str | None
    country: str | None
    iso3: str | None
    latitude: float | None
    longitude: float | None
    fatalities: int
    fatalities_known: bool
    certainty: str
    sources: int
    notes: str
    updated: dt.datetime
    articles: tuple[SourceLink, ...] = ()


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is None:  # the store's times are naive UTC
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass(frozen=True)
class Alert:
    """One rule firing for one event: what the sinks write and ``check`` returns."""

    rule: str
    kind: str  # "new": the event's first alert by this rule; "changed": it changed materially since
    event: AlertedEvent
    fired: dt.datetime
    changes: tuple[Change, ...] = ()

    @property
    def event_id(self) -> str:
        return self.event.event_id

    @property
    def link(self) -> str:
        """The event on the web page (a path: the watcher does not know the server's address)."""
        return f"/?event={self.event.event_id}"

    def changed(self) -> str:
        return "; ".join(c.text() for c in self.changes)

    def payload(self) -> dict[str, Any]:
        """The JSON object of the JSONL file and the webhook: the alert, then the event's fields."""
        event = {k: _iso(v) for k, v in vars(self.event).items() if k not in ("event_id", "articles", "event_date")}
        return {
            "rule": self.rule, "event_id": self.event_id, "kind": self.kind,
            "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in self.changes],
            "changed": self.changed(), "fired": _iso(self.fired), "link": self.link,
            "date": _iso(self.event.event_date), **event,
            "articles": [{"outlet": a.outlet, "url": a.url, "published": _iso(a.published)} for a in self.event.articles],
        }

    def line(self) -> str:
        e = self.event
        place = ", ".join(p for p in (e.location, e.admin1, e.country) if p) or "place unknown"
        toll = f"{e.fatalities} killed" if e.fatalities_known else "toll unknown"
        sources = f"{e.sources} source" + ("" if e.sources == 1 else "s")
        what = "new" if self.kind == "new" else f"changed ({self.changed()})"
        return (f"alert [{self.rule}] {what}: {_iso(e.event_date) or 'undated'} {e.sub_event_type}, {place}: "
                f"{toll}, {e.certainty}, {sources} {self.link}")


def material_changes(sent: AlertSent, fatalities: int, certainty: str, sources: int) -> tuple[tuple[Change, ...], bool]:
    """What differs from the event as last alerted, and whether any of it is a rise."""
    changes, rose = [], False
    for name, old, new, rank in (("fatalities", sent.fatalities, fatalities, lambda v: v),
                                 ("certainty", sent.certainty, certainty, lambda v: CERTAINTY_RANK.get(v, -1)),
                                 ("sources", sent.sources, sources, lambda v: v)):
        if old != new:
            changes.append(Change(name, old, new))
            rose = rose or rank(new) > rank(old)
    return tuple(changes), rose


@dataclass
class _Sinks:
    local: list[Any] = field(default_factory=list)  # written before the commit
    remote: list[WebhookSink] = field(default_factory=list)  # queued after it


class Alerter:
    """Runs the rules over the store (see the module doc). One per watcher process."""

    def __init__(self, sessions: sessionmaker[Session], rules: AlertRules, *, out: TextIO | None = None,
                 clock: Callable[[], dt.datetime] = now, webhook: WebhookSettings | None = None,
                 batch: int = BATCH) -> None:
        self.sessions = sessions
        self.rules = rules
        self.clock = clock
        self.batch = batch
        printer = PrintSink(out if out is not None else sys.stdout)
        files: dict[Path, JsonlSink] = {}
        self.webhooks: dict[str, WebhookSink] = {}
        self._sinks: dict[str, _Sinks] = {}
        for rule in rules.rules:
            sinks = self._sinks[rule.name] = _Sinks()
            if rule.print:
                sinks.local.append(printer)
            if rule.jsonl is not None:
                if rule.jsonl not in files:
                    files[rule.jsonl] = JsonlSink(rule.jsonl)
                    try:
                        files[rule.jsonl].prepare()
                    except OSError as exc:
                        raise AlertRulesError(f"{rules.path}: rule {rule.name!r}: jsonl: cannot write "
                                              f"{rule.jsonl}: {exc.strerror or exc}") from None
                sinks.local.append(files[rule.jsonl])
            if rule.webhook is not None:
                sinks.remote.append(self.webhooks.setdefault(rule.webhook, WebhookSink(rule.webhook, webhook)))

    def check(self) -> list[Alert]:
        """Fire every rule over the events written since its watermark; return the alerts fired."""
        alerts: list[Alert] = []
        with writing(self.sessions) as session:
            stamp = self.clock()
            newest = session.scalar(select(func.max(EventRow.updated)))
            fts = has_text_index(session)
            for rule in self.rules.rules:
                alerts += self._check_rule(session, rule, newest, stamp, fts)
            for alert in alerts:
                for sink in self._sinks[alert.rule].local:
                    sink.emit(alert)
        for alert in alerts:
            for sink in self._sinks[alert.rule].remote:
                sink.emit(alert)
        return alerts

    def close(self, timeout: float = 5.0) -> None:
        """Deliver the webhooks' queued alerts, best effort, within ``timeout`` seconds in all."""
        deadline = time.monotonic() + max(0.0, timeout)
        for hook in self.webhooks.values():
            hook.begin_close()
        for hook in self.webhooks.values():
            hook.close(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> Alerter:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _check_rule(self, session: Session, rule: AlertRule, newest: dt.datetime | None, stamp: dt.datetime,
                    fts: bool) -> list[Alert]:
        state = session.get(AlertRuleState, rule.name)
        if state is None:
            state = AlertRuleState(name=rule.name, checked=None if rule.start == "start" else newest)
            session.add(state)
        after, alerts = state.checked, []
        sources = select(func.count(EventSource.id)).where(EventSource.event_id == EventRow.id).scalar_subquery()
        base = filtered(select(*EventRow.__table__.c, sources.label("n_sources")), rule.filter, fts=fts)
        if rule.min_fatalities:
            base = base.where(EventRow.fatalities >= rule.min_fatalities)
        last: tuple[dt.datetime, str] | None = None
        while True:
            stmt = base
            if last is not None:  # keyset: the next batch in (updated, id) order
                stmt = stmt.where(EventRow.updated >= last[0], tuple_(EventRow.updated, EventRow.id) > tuple_(*last))
            elif after is not None:
                stmt = stmt.where(EventRow.updated > after)
            rows = session.execute(stmt.order_by(EventRow.updated, EventRow.id).limit(self.batch)).mappings().all()
            if not rows:
                break
            alerts += self._fire(session, rule, rows, stamp)
            last = (rows[-1]["updated"], rows[-1]["id"])
            if len(rows) < self.batch:
                break
        if newest is not None and (state.checked is None or newest > state.checked):
            state.checked = newest
        return alerts

    def _fire(self, session: Session, rule: AlertRule, rows: list[Any], stamp: dt.datetime) -> list[Alert]:
        ids = [r["id"] for r in rows]
        sent = {s.event_id: s for s in session.scalars(
            select(AlertSent).where(AlertSent.rule == rule.name, AlertSent.event_id.in_(ids)))}
        firing: list[tuple[Any, str, tuple[Change, ...]]] = []
        for row in rows:
            before = sent.get(row["id"])
            if before is None:
                firing.append((row, "new", ()))
                session.add(AlertSent(rule=rule.name, event_id=row["id"], fired=stamp, fatalities=row["fatalities"],
                                      certainty=row["certainty"], sources=row["n_sources"]))
                continue
            changes, rose = material_changes(before, row["fatalities"], row["certainty"], row["n_sources"])
            if rose:
                firing.append((row, "changed", changes))
                before.fired, before.fatalities = stamp, row["fatalities"]
                before.certainty, before.sources = row["certainty"], row["n_sources"]
        links = _articles(session, [row["id"] for row, _, _ in firing])
        return [Alert(rule=rule.name, kind=kind, event=_event(row, links.get(row["id"], ())), fired=stamp,
                      changes=changes) for row, kind, changes in firing]


def _articles(session: Session, ids: list[str]) -> dict[str, tuple[SourceLink, ...]]:
    found: dict[str, list[SourceLink]] = {}
    if ids:
        for src in session.execute(select(EventSource.event_id, EventSource.outlet, EventSource.url,
                                          EventSource.published)
                                   .where(EventSource.event_id.in_(ids)).order_by(EventSource.id)):
            found.setdefault(src.event_id, []).append(SourceLink(src.outlet, src.url, src.published))
    return {k: tuple(v) for k, v in found.items()}


def _event(row: Any, articles: tuple[SourceLink, ...]) -> AlertedEvent:
    names = [f for f in AlertedEvent.__dataclass_fields__ if f not in ("event_id", "sources", "articles")]
    return AlertedEvent(event_id=row["id"], sources=row["n_sources"], articles=articles,
                        **{name: row[name] for name in names})


__all__ = ["Alert", "AlertRule", "AlertRules", "AlertRulesError", "AlertedEvent", "Alerter", "Change", "SourceLink"]
