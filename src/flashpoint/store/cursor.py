"""Keyset pagination cursors of the event pages (``repo.query_event_page``): what a
``next_cursor`` holds, and the refusal of anything a client put in one that this sort did not
produce (never a database error)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import EventRow

# sort name -> (column, nullable); a leading "-" means descending. Ties break on the id.
SORT_KEYS: dict[str, tuple[Any, bool]] = {
    "event_date": (EventRow.event_date, True),
    "fatalities": (EventRow.fatalities, False),
    "updated": (EventRow.updated, False),
    "event_type": (EventRow.event_type, False),
    "country": (EventRow.country, True),  # events without a country come last, as undated ones do
}
SORTS: tuple[str, ...] = tuple(p + k for k in SORT_KEYS for p in ("", "-"))


class BadCursor(ValueError):
    """A pagination cursor that this sort did not produce."""


def encode_cursor(sort: str, value: Any, event_id: str) -> str:
    import base64
    import json

    raw = json.dumps([sort, value.isoformat() if isinstance(value, dt.date) else value, event_id],
                     separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# What a cursor's key may be: a bool is not a number to SQL (SQLAlchemy refuses "<" with True),
# and SQLite binds no integer beyond 64 bits (OverflowError).
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_MAX_ID = 200  # event ids are "fp-" and 16 hex digits; anything much longer was not made here
_TEXT_KEYS = ("event_type", "country")


def _cursor_key(column: Any, nullable: bool, value: Any) -> Any:
    """The cursor's sort-key value as the column's type; ValueError when it cannot be one."""
    if value is None:
        if not nullable:
            raise ValueError("no key on a column that always has one")
        return None
    if column is EventRow.event_date:
        if not isinstance(value, str):
            raise ValueError("a day is written as text")
        return dt.date.fromisoformat(value)
    if column is EventRow.updated:
        if not isinstance(value, str):
            raise ValueError("a time is written as text")
        stamp = dt.datetime.fromisoformat(value)
        # stored naive in UTC (see now()): an offset is turned into that
        return stamp.astimezone(dt.timezone.utc).replace(tzinfo=None) if stamp.tzinfo else stamp
    if column.key in _TEXT_KEYS:
        return _text(value, column.type.length)
    if isinstance(value, bool) or not isinstance(value, int) or not _INT_MIN <= value <= _INT_MAX:
        raise ValueError("not a count")
    return value


def _text(value: Any, longest: int) -> str:
    """Text the database can compare (no NUL for PostgreSQL, no lone surrogate, which no
    database encoding holds), no longer than its column."""
    if not isinstance(value, str) or len(value) > longest or "\x00" in value:
        raise ValueError("not a stored text")
    value.encode("utf-8")  # UnicodeEncodeError (a ValueError) on a lone surrogate
    return value


def _cursor_id(event_id: Any) -> str:
    """The cursor's event id."""
    return _text(event_id, _MAX_ID)


def decode_cursor(sort: str, cursor: str) -> tuple[Any, str]:
    """The (key, event id) a next_cursor of ``sort`` holds; BadCursor for anything else, whatever
    a client put in it."""
    import base64
    import binascii
    import json

    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(decoded, list) or len(decoded) != 3 or decoded[0] != sort:
            raise ValueError("not this sort's cursor")
        column, nullable = SORT_KEYS[sort.lstrip("-")]
        return _cursor_key(column, nullable, decoded[1]), _cursor_id(decoded[2])
    except (ValueError, TypeError, OverflowError, RecursionError, binascii.Error):
        # UnicodeDecodeError and json's errors are ValueErrors; nesting too deep is a RecursionError
        raise BadCursor(f"invalid cursor for sort {sort!r}: pass back a next_cursor unchanged") from None
