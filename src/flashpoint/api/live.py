"""``GET /api/live``: events as they are stored or changed, as Server-Sent Events, for as long as
the client stays connected (the page's live updates).

Why the store is polled rather than told: the writers (``flashpoint watch`` from cron, ``serve
--watch``, ``flashpoint ingest``, ``POST /api/articles``) may each be another process, on another
host with PostgreSQL; the store is all they share. A poll is one short read in a worker thread
(the event loop never waits for the database) in a session of its own: no connection or
transaction stays open between polls, so an open page never holds SQLite's readers back.

Where a stream stands (its *cursor*, each message's SSE ``id:``) is the (updated, id) of the
last event it sent, in the store's own order (index ix_events_updated_id), with the point at
which the client first connected. A browser's EventSource sends the last id back as
Last-Event-ID when it reconnects, so a dropped connection resumes with nothing lost and nothing
sent twice; and "new since you opened" survives reconnecting. Writers stamp ``updated`` under
the store's one write lock, so the stamps grow in commit order and an event committed late is
never behind a cursor (writers on several hosts need synchronised clocks).

A stream ends by itself after ``Settings.live_max_seconds`` (the browser reconnects where it
was): a server can then stop without waiting on open pages, and no proxy holds a response for
ever.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import anyio
from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from ..store import repo
from ..store.cursor import BadCursor, decode_cursor, encode_cursor
from ..store.models import EventRow
from .deps import AppState, get_state
from .errors import ERROR_RESPONSES, ApiError
from .routes import CURSOR_PATTERN, _fields, _source_ref, event_filter
from .schemas import EventSummaryOut

BATCH = 100  # events read per query; a full batch is followed by the next at once, not after a poll
HEARTBEAT_SECONDS = 15.0  # a comment this often when nothing happens: proxies keep the connection
RETRY_MS = 2000  # the browser's wait before reconnecting (SSE retry:)
CHECK_SECONDS = 0.5  # between polls, how often a gone client is noticed


@dataclass(frozen=True)
class LiveCursor:
    """Where a stream stands: ``after`` the (updated, id) last sent (None: before every event),
    ``opened`` the store's last (updated) when the client first connected (None: it was empty).
    An event created after ``opened`` is new to that client; any other is an update."""

    after: tuple[dt.datetime, str] | None
    opened: dt.datetime | None

    def encode(self) -> str:
        updated, event_id = self.after or (None, None)
        raw = json.dumps(["live", _iso(updated), event_id, _iso(self.opened)], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> LiveCursor:
        """The cursor an ``id:`` of this stream held; BadCursor for anything else."""
        try:
            raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            if not isinstance(raw, list) or len(raw) != 4 or raw[0] != "live":
                raise ValueError("not a live cursor")
            _, updated, event_id, opened = raw
            after = None
            if updated is not None or event_id is not None:
                # the list's cursor of sort=updated checks the key and the id as it does its own
                after = decode_cursor("updated", encode_cursor("updated", updated, event_id))
            if opened is not None:
                # a time written as text, as the list's cursor checks it
                opened = decode_cursor("updated", encode_cursor("updated", opened, "-"))[0]
            return cls(after=after, opened=opened)
        except (ValueError, TypeError, RecursionError, binascii.Error, BadCursor):
            raise BadCursor("invalid live cursor: pass back an id this stream sent, unchanged") from None

    def page_cursor(self) -> str | None:
        """The same position as a ``next_cursor`` of the list's sort=updated."""
        return encode_cursor("updated", *self.after) if self.after else None


def _iso(stamp: dt.datetime | None) -> str | None:
    return stamp.isoformat() if stamp else None


def _store_end(session) -> tuple[dt.datetime, str] | None:
    """The (updated, id) of the event changed last (one step along ix_events_updated_id)."""
    row = session.execute(
        select(EventRow.updated, EventRow.id).order_by(EventRow.updated.desc(), EventRow.id.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def _start(state: AppState) -> LiveCursor:
    """A new client's cursor: at the store's end, which is also the point it opened at."""
    with state.sessions() as session:
        end = _store_end(session)
    return LiveCursor(after=end, opened=end[0] if end else None)


def _item(row, sources, opened: dt.datetime | None) -> dict[str, Any]:
    """An item of ``GET /api/events`` (the same fields, through the same model), and its kind."""
    item = EventSummaryOut.model_validate({**_fields(row), "sources": [_source_ref(s) for s in sources]})
    new = opened is None or row["created"] > opened
    return {**item.model_dump(mode="json"), "kind": "new" if new else "updated"}


def _read(state: AppState, flt: repo.EventFilter, cursor: LiveCursor) -> tuple[list[tuple[str, str]], LiveCursor, bool]:
    """The filtered events after ``cursor`` (at most BATCH) as (id, data) pairs, the cursor after
    them, and whether more may follow at once. Runs in a worker thread, in a session of its own.

    With no (more) matching event, the cursor moves on to the store's end as read first, so a
    narrow filter does not re-read the same unmatched changes at every poll. (Read first: an
    event committed after it is then read by this query or by the next, never skipped.)
    """
    with state.sessions() as session:
        end = _store_end(session)
        page = repo.query_event_page(session, flt, sort="updated", limit=BATCH, cursor=cursor.page_cursor())
        sent = []
        for row in page.rows:
            cursor = replace(cursor, after=(row["updated"], row["id"]))
            sent.append((cursor.encode(), json.dumps(_item(row, page.sources[row["id"]], cursor.opened),
                                                      ensure_ascii=False)))
    full = page.next_cursor is not None
    if not full and end is not None and (cursor.after is None or end > cursor.after):
        cursor = replace(cursor, after=end)
    return sent, cursor, full


def _message(event: str, event_id: str, data: str) -> str:
    return f"event: {event}\nid: {event_id}\ndata: {data}\n\n"


async def _stream(request: Request, state: AppState, flt: repo.EventFilter, cursor: LiveCursor,
                  once: bool) -> AsyncIterator[str]:
    settings = state.settings
    ready = {"cursor": cursor.encode(), "poll_seconds": settings.live_poll_seconds,
             "max_seconds": settings.live_max_seconds}
    yield f"retry: {RETRY_MS}\n" + _message("ready", cursor.encode(), json.dumps(ready))
    ends = anyio.current_time() + settings.live_max_seconds
    quiet_since, told = anyio.current_time(), cursor.encode()  # told: the last id sent
    while True:
        sent, cursor, more = await run_in_threadpool(_read, state, flt, cursor)
        for event_id, data in sent:
            yield _message("event", event_id, data)
        if sent:
            quiet_since, told = anyio.current_time(), sent[-1][0]
        if more:
            continue
        if once or anyio.current_time() >= ends:
            if cursor.encode() != told:  # where the next stream starts: past the changes that did not match
                yield f"id: {cursor.encode()}\n\n"
            return
        wake = min(anyio.current_time() + settings.live_poll_seconds, ends)
        while (left := wake - anyio.current_time()) > 0:
            if await request.is_disconnected():
                return
            await anyio.sleep(min(CHECK_SECONDS, left))
        if anyio.current_time() - quiet_since >= HEARTBEAT_SECONDS:
            # a comment keeps the connection open; the id (no data: no event fires) moves the
            # browser's Last-Event-ID past the changes the filters left out
            yield ": keep-alive\n" + (f"id: {cursor.encode()}\n" if cursor.encode() != told else "") + "\n"
            quiet_since, told = anyio.current_time(), cursor.encode()


_DESCRIPTION = """\
A Server-Sent Events stream (`text/event-stream`; in a browser, `new EventSource(url)`) of the
events stored or changed from now on that match the filters (the same as `GET /api/events`).

Messages:

* `event: ready` first, with `data` `{"cursor", "poll_seconds", "max_seconds"}`;
* `event: event` for each event stored or changed, oldest change first, with `data` an item of
  `GET /api/events` (`EventSummaryOut`) plus `"kind": "new"` (stored after the client first
  connected) or `"updated"` (changed since: a new source, a higher toll, ...);
* a `: keep-alive` comment every 15 s when nothing happens.

Each message's `id` is a cursor: an EventSource that reconnects sends the last one back as
`Last-Event-ID` and the stream resumes after it, nothing lost or sent twice; `after` does the
same from the URL (a client changing its filters reconnects with it). The store is read every
`poll_seconds`; the stream ends after `max_seconds` (a browser then reconnects by itself) or with
`once` after one read. A cursor this stream did not send is a 400.
"""


def _message_schema(event: str, data: dict[str, Any]) -> dict[str, Any]:
    """One SSE message as OpenAPI 3.1 describes a stream's events (``schema`` of each)."""
    return {
        "type": "object", "required": ["event", "id", "data"],
        "properties": {
            "event": {"const": event}, "id": {"type": "string", "description": "The stream's cursor after it."},
            "retry": {"type": "integer"},
            "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": data},
        },
    }


_MESSAGES = {"oneOf": [
    _message_schema("ready", {
        "type": "object", "required": ["cursor", "poll_seconds", "max_seconds"],
        "properties": {"cursor": {"type": "string"}, "poll_seconds": {"type": "number"},
                       "max_seconds": {"type": "number"}},
    }),
    _message_schema("event", {"allOf": [
        {"$ref": "#/components/schemas/EventSummaryOut"},
        {"type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["new", "updated"]}}},
    ]}),
]}


def live_router() -> APIRouter:
    """``GET /api/live``."""
    router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

    async def live(
        request: Request,
        flt: repo.EventFilter = Depends(event_filter),
        after: str | None = Query(None, max_length=1000, pattern=CURSOR_PATTERN,
                                  description="Start after this cursor (an id of a message of this stream, "
                                  "unchanged). Default: from now."),
        once: bool = Query(False, description="Read once, send what is there, and end (for a client that polls)."),
        last_event_id: str | None = Header(None, alias="Last-Event-ID", max_length=1000, pattern=CURSOR_PATTERN,
                                           description="Set by a reconnecting EventSource: wins over after."),
        state: AppState = Depends(get_state),
    ) -> StreamingResponse:
        given, where = (last_event_id, "header.Last-Event-ID") if last_event_id else (after, "query.after")
        if given:
            try:
                cursor = LiveCursor.decode(given)
            except BadCursor as exc:
                raise ApiError(400, str(exc), where=where) from None
        else:
            cursor = await run_in_threadpool(_start, state)
        return StreamingResponse(
            _stream(request, state, flt, cursor, once), media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},  # nginx: pass each message on
        )

    router.add_api_route(
        "/live", live, methods=["GET"], summary="New and updated events as they are stored (Server-Sent Events)",
        description=_DESCRIPTION, response_class=StreamingResponse,
        responses={200: {"description": "The stream, message by message.",
                         "content": {"text/event-stream": {"schema": _MESSAGES}}}},
    )
    return router
