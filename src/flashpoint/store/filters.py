"""The filters of the events' read queries (``flashpoint events``, ``GET /api/events``, the
stats and exports): what each filter means, and the query plan it takes.

Each filter is one SQL condition whose result never depends on the plan; the plan choices
(the trigram index of the text search, a page's walk along its sort key's index) are here
because at 100k events they decide whether a page takes 15 ms or 500 ms
(``benchmarks/api.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, Select, and_, exists, func, literal_column, or_, select, table
from sqlalchemy.orm import Session

from .models import ActorRow, EventActor, EventRow

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
    text: str | None = None  # a substring of any of SEARCHED, any case; "%" and "_" are plain characters


# What the text search reads: the actors, the place and the notes.
SEARCHED = (EventRow.actor1, EventRow.actor2, EventRow.assoc_actor_1, EventRow.assoc_actor_2, EventRow.location,
            EventRow.admin1, EventRow.admin2, EventRow.country, EventRow.notes)


def has_text_index(session: Session) -> bool:
    """Whether the store has the trigram index of the text search (SQLite with FTS5, revision 0006)."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    return session.scalar(select(literal_column("1")).select_from(table("sqlite_master")).where(
        literal_column("type") == "table", literal_column("name") == "events_search")) is not None


def _contains_text(text: str, fts: bool, ordered: bool) -> ColumnElement[bool]:
    """Any of SEARCHED holds ``text``, in any case.

    With the trigram index, a text of three or more characters is a phrase of trigrams: an
    index lookup (quoted, so the text is never FTS5 query syntax). Shorter ones, and stores
    without the index, test each column (autoescape: "%", "_" and "/" are plain characters).
    ``ordered``: the rowid's unary "+" keeps SQLite walking the sort key's index and testing
    each row against the matches, which stops at a page; otherwise it reads the matches first
    and sorts them all, slow for a word most events hold.
    """
    if fts and len(text) >= 3:
        phrase = '"' + text.replace('"', '""') + '"'
        ids = select(literal_column("rowid")).select_from(table("events_search")).where(
            literal_column("events_search").op("MATCH")(phrase))
        return literal_column("+events.rowid" if ordered else "events.rowid").in_(ids)
    return or_(*(c.icontains(text, autoescape=True) for c in SEARCHED))


# The actor columns of the trigram index (an FTS5 column filter: a phrase in these columns only).
ACTOR_COLUMNS = (EventRow.actor1, EventRow.actor2, EventRow.assoc_actor_1, EventRow.assoc_actor_2)
_ACTOR_FILTER = "{" + " ".join(c.key for c in ACTOR_COLUMNS) + "}"


# An ordered page whose actor is in at least this many (event, actor) pairs walks the sort key's
# index and tests each event (it soon fills a page); a rarer one reads its few events first.
COMMON_ACTOR = 2000


def _actor_names(text: str) -> Select:
    # autoescape: "%", "_" and the escape character "/" in the name are plain characters, on
    # SQLite (lower(name) LIKE ... ESCAPE '/') and PostgreSQL (name ILIKE ... ESCAPE '/') alike
    return select(ActorRow.name).where(ActorRow.name.icontains(text, autoescape=True))


def actor_is_common(session: Session, text: str) -> bool:
    """Whether ``text`` names actors of at least COMMON_ACTOR (event, actor) pairs (read from the
    event_actors index by name, at most that many)."""
    pairs = select(literal_column("1")).select_from(EventActor.__table__).where(
        EventActor.actor.in_(_actor_names(text))).limit(COMMON_ACTOR).subquery()
    return session.scalar(select(func.count()).select_from(pairs)) >= COMMON_ACTOR


def _has_actor(text: str, fts: bool, ordered: bool, common: bool = False) -> ColumnElement[bool]:
    """An actor of the event, in any role, holds ``text`` (any case; "%" and "_" plain).

    An actor is a name of ``event_actors``: actor1, actor2 and each ";"-separated, stripped name
    of the associated actors. Without the index (PostgreSQL, short text): the matching names
    first, then the ``event_actors`` index by name. With the trigram index, a text of three or
    more characters without ";" and without surrounding blanks lies within one name exactly when
    it lies within the raw actor columns: the phrase restricted to those columns is an index
    lookup (a superset: FTS5 folds non-ASCII case too) which the columns' own LIKE then makes
    exact, the same LIKE as the names'. ``ordered`` and ``common`` (:func:`actor_is_common`):
    each event of the walk along the sort key's index is looked up in ``event_actors`` instead,
    which stops at a page.
    """
    if ordered and common:
        return exists().where(EventActor.event_id == EventRow.id, EventActor.actor.in_(_actor_names(text)))
    if fts and len(text) >= 3 and ";" not in text and text.strip() == text:
        query = _ACTOR_FILTER + ' : "' + text.replace('"', '""') + '"'
        ids = select(literal_column("rowid")).select_from(table("events_search")).where(
            literal_column("events_search").op("MATCH")(query))
        return and_(literal_column("+events.rowid" if ordered else "events.rowid").in_(ids),
                    or_(*(c.icontains(text, autoescape=True) for c in ACTOR_COLUMNS)))
    return EventRow.id.in_(select(EventActor.event_id).where(EventActor.actor.in_(_actor_names(text))))


def _unindexed(sql: str, column: ColumnElement, walk: bool) -> ColumnElement:
    """``column``, or with ``walk`` the same value as SQLite's unary "+" of it (``sql``), which no
    index serves: SQLite then walks the sort key's index and tests each event, stopping at a page."""
    return literal_column(sql) if walk else column


def filtered(stmt: Select, flt: EventFilter, *, fts: bool = False, ordered: bool = False,
             common_actor: bool = False, walk: bool = False) -> Select:
    """``stmt`` (a select over :class:`EventRow`) restricted by the filter. ``fts``: the text
    search may use the trigram index (:func:`has_text_index`); ``ordered``: ``stmt`` reads a
    page in an index's order (see :func:`_contains_text`); ``common_actor``: the actor filter
    is :func:`actor_is_common` (see :func:`_has_actor`); ``walk`` (SQLite only): the country, type
    and box filters keep a page's walk along the sort key's index (:func:`common_on_sqlite`).
    These choose the plan, never the result."""
    if flt.since:
        stmt = stmt.where(EventRow.event_date >= flt.since)
    if flt.until:
        stmt = stmt.where(EventRow.event_date <= flt.until)
    # lower(x) = lower(y) rather than ILIKE: it walks the expression indexes of migration 0003
    # and treats "%" and "_" in user input as plain characters.
    if flt.country:
        wanted = flt.country.lower()
        stmt = stmt.where(or_(_unindexed("+lower(events.country)", func.lower(EventRow.country), walk) == wanted,
                              _unindexed("+lower(events.iso3)", func.lower(EventRow.iso3), walk) == wanted))
    if flt.admin1:
        stmt = stmt.where(func.lower(EventRow.admin1) == flt.admin1.lower())
    if flt.actor:
        stmt = stmt.where(_has_actor(flt.actor, fts, ordered, common_actor))
    if flt.event_type:
        wanted = flt.event_type.lower()
        stmt = stmt.where(or_(
            _unindexed("+lower(events.event_type)", func.lower(EventRow.event_type), walk) == wanted,
            _unindexed("+lower(events.sub_event_type)", func.lower(EventRow.sub_event_type), walk) == wanted))
    if flt.certainty:
        stmt = stmt.where(EventRow.certainty == flt.certainty)
    if flt.bbox:
        x0, y0, x1, y1 = flt.bbox
        stmt = stmt.where(
            _unindexed("+events.longitude", EventRow.longitude, walk).between(x0, x1), EventRow.latitude.between(y0, y1)
        )
    if flt.text:
        stmt = stmt.where(_contains_text(flt.text, fts, ordered))
    return stmt


# A page's country, type or box filter holding at least this many events walks the sort key's index.
COMMON_FILTER = 2000


def common_on_sqlite(session: Session, flt: EventFilter) -> bool:
    """Whether a page of ``flt`` should walk the sort key's index rather than its filters' (SQLite).

    SQLite reads the events of a country, a type or a box through their own indexes, then sorts
    them all: slow when they are many (a country: a quarter of the store). Walking the sort key's
    index instead reads about limit x (events / matches) of them. At most COMMON_FILTER matches
    are counted, through the filters' indexes; the actor and text filters choose for themselves.
    A certainty stays indexed: its index is in date order (revision 0006), the walk by date.
    """
    if session.get_bind().dialect.name != "sqlite" or flt.actor or flt.text:
        return False
    if not (flt.country or flt.event_type or flt.bbox):
        return False
    # counted without the certainty: a third of the events, it would only make the count read more
    counted = replace(flt, certainty=None)
    some = filtered(select(literal_column("1")).select_from(EventRow.__table__), counted).limit(COMMON_FILTER).subquery()
    return session.scalar(select(func.count()).select_from(some)) >= COMMON_FILTER
