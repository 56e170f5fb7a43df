"""The events list: keyset indexes for its sorts by type, country and update, covering indexes for
its statistics, and on SQLite a trigram full-text index for its text search over actors, places
and notes.

``events_search`` is an FTS5 table with the ``trigram`` tokenizer over ``events`` (external
content: it stores only the index, keyed by the events' rowid), kept in step by triggers, so every
writer (the ingest job, the API, a bulk insert) updates it. A case-insensitive substring of three
or more characters is then an index lookup instead of a scan of every event. Where SQLite lacks
FTS5 or its trigram tokenizer (before 3.34), the table is not made and the search scans instead;
PostgreSQL always scans (``store.repo`` chooses).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_events_type_id", ("event_type", "id")),
    ("ix_events_country_id", ("country", "id")),
    ("ix_events_updated_id", ("updated", "id")),  # the "updated" sort had none: it sorted every event
    # a certainty (a third of the events) in date order: the list's default sort walks it, testing
    # the other filters, and stops at a page instead of sorting every event of that certainty
    ("ix_events_certainty_date_id", ("certainty", "event_date", "id")),
    # covering the statistics' groups (per day and type; per country and admin1, with the
    # totals): read from the index alone, in group order, without the events' rows
    ("ix_events_day_stats", ("event_date", "event_type", "fatalities")),
    ("ix_events_place_stats", ("country", "admin1", "event_date", "fatalities")),
)
# what the text search reads (store.filters.SEARCHED), in this order
SEARCHED = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "location", "admin1", "admin2", "country", "notes")
_COLS = ", ".join(SEARCHED)


def _values(row: str) -> str:
    return ", ".join(f"{row}.{c}" for c in SEARCHED)


# External content: an entry is removed by giving back the values it was indexed with (old.*).
TRIGGERS = (
    f"CREATE TRIGGER events_search_insert AFTER INSERT ON events BEGIN "
    f"INSERT INTO events_search(rowid, {_COLS}) VALUES (new.rowid, {_values('new')}); END",
    f"CREATE TRIGGER events_search_delete AFTER DELETE ON events BEGIN "
    f"INSERT INTO events_search(events_search, rowid, {_COLS}) VALUES ('delete', old.rowid, {_values('old')}); END",
    f"CREATE TRIGGER events_search_update AFTER UPDATE OF {_COLS} ON events BEGIN "
    f"INSERT INTO events_search(events_search, rowid, {_COLS}) VALUES ('delete', old.rowid, {_values('old')}); "
    f"INSERT INTO events_search(rowid, {_COLS}) VALUES (new.rowid, {_values('new')}); END",
)


def _trigram_available(conn: sa.Connection) -> bool:
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.fts_probe USING fts5(x, tokenize='trigram')")
            conn.exec_driver_sql("DROP TABLE temp.fts_probe")
        return True
    except sa.exc.OperationalError:  # "no such module: fts5", "no such tokenizer: trigram"
        return False


def upgrade() -> None:
    for name, columns in INDEXES:
        op.create_index(name, "events", list(columns), unique=False)
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    if not _trigram_available(conn):
        logging.getLogger("flashpoint.store").warning(
            "SQLite %s has no FTS5 trigram tokenizer (3.34 or newer has it): event text search will scan",
            conn.dialect.dbapi.sqlite_version)
        return
    op.execute(f"CREATE VIRTUAL TABLE events_search USING fts5({_COLS}, content='events', content_rowid='rowid', "
               "tokenize='trigram')")
    for trigger in TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO events_search(events_search) VALUES ('rebuild')")  # the events stored so far


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("events_search_insert", "events_search_delete", "events_search_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS events_search")
    for name, _ in reversed(INDEXES):
        op.drop_index(name, table_name="events")
