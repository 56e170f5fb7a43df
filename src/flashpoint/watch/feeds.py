"""The feeds a store watches: adding, listing and removing them, and poll intervals ("15m");
a feeds file (TOML) to keep the list with a project, read by ``flashpoint feeds import``.

A feed lives in the store (table ``feeds``) beside the events it brings, so that ``flashpoint
watch``, ``flashpoint serve --watch`` and ``flashpoint feeds list`` on any machine that opens
the store see the same feeds, the same state and the same back-off. Removing a feed forgets its
items (``feed_items``) but keeps the articles and events they became: those are evidence.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..store.db import writing
from ..store.models import EventSource, FeedItem, FeedRow
from ..store.repo import now

DEFAULT_EVERY = 15 * 60
MIN_EVERY = 30  # seconds: more often than this is hammering a server
MAX_EVERY = 30 * 24 * 3600
NAME_CHARS = 200  # the column's length
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+)\s*([smhd])")


class FeedError(ValueError):
    """A feed that cannot be added or found, and why (one line, for the user)."""


def parse_every(text: str) -> int:
    """Seconds from "30s", "15m", "1h", "1d", "1h30m" (a bare number is minutes)."""
    raw = text.strip().lower()
    if raw.isdigit():
        seconds = int(raw) * 60
    else:
        compact = raw.replace(" ", "")
        parts = _PART.findall(compact)
        if not parts or "".join(n + u for n, u in parts) != compact:
            raise FeedError(f"{text!r} is not an interval: write it like 30s, 15m, 1h, 1d or 1h30m")
        seconds = sum(int(n) * _UNITS[u] for n, u in parts)
    if not MIN_EVERY <= seconds <= MAX_EVERY:
        raise FeedError(f"{text!r}: the interval must be between {format_every(MIN_EVERY)} and "
                        f"{format_every(MAX_EVERY)}")
    return seconds


def format_every(seconds: int) -> str:
    """The shortest spelling ``parse_every`` reads back: 900 -> "15m", 5400 -> "1h30m"."""
    if seconds <= 0:
        return "0s"
    out = ""
    for unit in ("d", "h", "m", "s"):
        n, seconds = divmod(seconds, _UNITS[unit])
        out += f"{n}{unit}" if n else ""
    return out


def check_url(url: str) -> str:
    """The URL, trimmed, when it is an http(s) URL with a host."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # "http://[::1/": a bracket left open
        host = None
    if not host or parts.scheme.lower() not in ("http", "https"):
        raise FeedError(f"{url!r} is not an http:// or https:// URL of a feed")
    return url


@dataclass(frozen=True)
class FeedInfo:
    """A feed as ``feeds list`` shows it: its settings, how its polls went, what it brought."""

    id: int
    url: str
    name: str
    every_seconds: int
    status: str  # new | ok | not-modified | failing
    failures: int  # consecutive failed polls: the back-off's exponent
    last_error: str | None
    last_poll: dt.datetime | None  # UTC
    last_ok: dt.datetime | None
    next_poll: dt.datetime
    items: int  # items recorded (stored, duplicate, skipped or failed)
    events: int  # distinct events its items' articles are sources of


def add_feed(sessions: sessionmaker[Session], url: str, *, name: str | None = None,
             every_seconds: int = DEFAULT_EVERY) -> FeedInfo:
    """Watch ``url`` (due at once). Raises FeedError when the URL is not http(s) or is watched."""
    url = check_url(url)
    name = " ".join((name or urlsplit(url).hostname or url).split())[:NAME_CHARS]
    if not name:
        raise FeedError("the feed's name is empty")
    at = now()
    try:
        with writing(sessions) as s:
            existing = s.scalar(select(FeedRow).where(FeedRow.url == url))
            if existing is not None:
                raise FeedError(f"{url} is watched already, as feed {existing.id} ({existing.name})")
            row = FeedRow(url=url, name=name, every_seconds=every_seconds, added=at, status="new",
                          failures=0, next_poll=at)
            s.add(row)
            s.flush()
            feed_id = row.id
    except IntegrityError:  # added meanwhile by another process
        raise FeedError(f"{url} is watched already") from None
    return get_feed(sessions, str(feed_id))


def list_feeds(sessions: sessionmaker[Session]) -> list[FeedInfo]:
    """Every feed, in the order added, with its item and event counts."""
    with sessions() as s:
        items = dict(s.execute(select(FeedItem.feed_id, func.count(FeedItem.id)).group_by(FeedItem.feed_id)).all())
        events = dict(s.execute(
            select(FeedItem.feed_id, func.count(func.distinct(EventSource.event_id)))
            .join(EventSource, EventSource.article_id == FeedItem.article_id)
            .group_by(FeedItem.feed_id)
        ).all())
        rows = s.scalars(select(FeedRow).order_by(FeedRow.id)).all()
        return [_info(r, items.get(r.id, 0), events.get(r.id, 0)) for r in rows]


def get_feed(sessions: sessionmaker[Session], ident: str) -> FeedInfo:
    """The feed ``ident`` names: its id, its URL or its name. Raises FeedError otherwise."""
    feeds = list_feeds(sessions)
    found = [f for f in feeds if str(f.id) == ident.strip()] or [f for f in feeds if f.url == ident.strip()]
    if not found:
        found = [f for f in feeds if f.name.lower() == " ".join(ident.split()).lower()]
    if len(found) > 1:
        raise FeedError(f"{len(found)} feeds are named {ident!r}: give the id or the URL "
                        f"({', '.join(str(f.id) for f in found)})")
    if not found:
        known = ", ".join(f"{f.id} ({f.name})" for f in feeds[:10]) or "none yet"
        raise FeedError(f"no feed {ident!r}: give an id, URL or name from 'flashpoint feeds list' (feeds: {known})")
    return found[0]


def remove_feed(sessions: sessionmaker[Session], ident: str) -> FeedInfo:
    """Stop watching the feed ``ident`` names; its items go, its articles and events stay."""
    feed = get_feed(sessions, ident)
    with writing(sessions) as s:
        s.execute(delete(FeedItem).where(FeedItem.feed_id == feed.id))
        s.execute(delete(FeedRow).where(FeedRow.id == feed.id))
    return feed


def _info(row: FeedRow, items: int, events: int) -> FeedInfo:
    return FeedInfo(
        id=row.id, url=row.url, name=row.name, every_seconds=row.every_seconds, status=row.status,
        failures=row.failures or 0, last_error=row.last_error, last_poll=row.last_poll, last_ok=row.last_ok,
        next_poll=row.next_poll, items=items, events=events,
    )


@dataclass(frozen=True)
class FeedSpec:
    """A feed as a feeds file names it."""

    url: str
    name: str | None
    every_seconds: int


@dataclass(frozen=True)
class ImportReport:
    added: list[FeedInfo]
    changed: list[FeedInfo]  # watched already, their name or interval set as the file says
    unchanged: list[FeedInfo]


_SPEC_KEYS = ("url", "name", "every")


def read_feeds_file(path: str | Path) -> list[FeedSpec]:
    """The ``[[feed]]`` tables of a TOML file (``url``, optional ``name`` and ``every``). Raises
    FeedError naming the file, the feed and the key for anything else."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FeedError(f"{path}: {exc}") from None
    tables = data.get("feed")
    if set(data) - {"feed"} or not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise FeedError(f"{path}: a feeds file holds [[feed]] tables only (each with url, and name and every if wanted)")
    specs, seen = [], set()
    for number, table in enumerate(tables, 1):
        where = f"{path}: feed {number}"
        unknown = sorted(set(table) - set(_SPEC_KEYS))
        if unknown:
            raise FeedError(f"{where}: unknown key {unknown[0]!r}; the keys are {', '.join(_SPEC_KEYS)}")
        url, name, every = table.get("url"), table.get("name"), table.get("every", format_every(DEFAULT_EVERY))
        if not isinstance(url, str) or (name is not None and not isinstance(name, str)) or not isinstance(every, str):
            raise FeedError(f"{where}: url, name and every are text (every like \"15m\")")
        try:
            spec = FeedSpec(check_url(url), " ".join(name.split())[:NAME_CHARS] or None if name else None,
                            parse_every(every))
        except FeedError as exc:
            raise FeedError(f"{where}: {exc}") from None
        if spec.url in seen:
            raise FeedError(f"{where}: {spec.url} is named twice")
        seen.add(spec.url)
        specs.append(spec)
    return specs


def import_feeds(sessions: sessionmaker[Session], specs: list[FeedSpec]) -> ImportReport:
    """Watch each feed of ``specs``: a new URL is added, a watched one takes the file's name and
    interval (its state and items stay). Feeds the file does not name are left alone."""
    added, changed, unchanged = [], [], []
    for spec in specs:
        with writing(sessions) as s:
            row = s.scalar(select(FeedRow).where(FeedRow.url == spec.url))
            if row is not None:
                name = spec.name or row.name
                moved = (name, spec.every_seconds) != (row.name, row.every_seconds)
                if moved:
                    row.name, row.every_seconds = name, spec.every_seconds
                feed_id = row.id
        if row is None:
            added.append(add_feed(sessions, spec.url, name=spec.name, every_seconds=spec.every_seconds))
        else:
            (changed if moved else unchanged).append(get_feed(sessions, str(feed_id)))
    return ImportReport(added, changed, unchanged)
