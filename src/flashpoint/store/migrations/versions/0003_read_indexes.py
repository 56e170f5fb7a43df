"""Indexes for the read side (API, `flashpoint events`): keyset pagination by date and by
fatalities, and case-insensitive filters on country, admin1, type and certainty.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# (name, expressions): expression indexes work on SQLite (3.9+) and PostgreSQL alike.
INDEXES = (
    ("ix_events_date_id", ("event_date", "id")),
    ("ix_events_fatalities_id", ("fatalities", "id")),
    ("ix_events_country_lower", (sa.text("lower(country)"),)),
    ("ix_events_iso3_lower", (sa.text("lower(iso3)"),)),
    ("ix_events_admin1_lower", (sa.text("lower(admin1)"),)),
    ("ix_events_sub_type_lower", (sa.text("lower(sub_event_type)"),)),
    ("ix_events_type_lower", (sa.text("lower(event_type)"),)),
    ("ix_events_certainty", ("certainty",)),
    ("ix_events_lon_lat", ("longitude", "latitude")),
)


def upgrade() -> None:
    for name, columns in INDEXES:
        op.create_index(name, "events", list(columns), unique=False)


def downgrade() -> None:
    for name, _ in reversed(INDEXES):
        op.drop_index(name, table_name="events")
