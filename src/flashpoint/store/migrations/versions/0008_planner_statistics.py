"""The query planner's statistics, and one index fewer.

- ``ix_events_certainty`` (revision 0003) goes: ``ix_events_certainty_date_id`` (revision 0006)
  starts with the same column and is in date order. With both, SQLite could take the old one
  for a certainty and a country and sort a third of the store (146 ms at 100k events, against
  5 ms along the date index).
- ``ANALYZE`` (SQLite: on a sample of each index, ``analysis_limit``): without statistics the
  planner guesses that a country holds as few events as a date range, and reads a quarter of
  the store for two months of it. The ingest job keeps them current
  (``store.db.refresh_statistics`` at the end of each run, when the events grew by a quarter).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_events_certainty", table_name="events")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 1000")
    op.execute("ANALYZE")


def downgrade() -> None:
    op.create_index("ix_events_certainty", "events", ["certainty"])
