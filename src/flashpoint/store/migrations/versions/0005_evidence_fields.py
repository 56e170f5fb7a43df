"""Field-level provenance: which of an event's fields each evidence sentence gave.

``evidence.fields`` holds the names of the fields (``event_type``, ``event_date``, ``location``,
``actor1``, ``actor2``, ``fatalities``, ``injured``, ``weapons``, ``certainty``) that the sentence
gave in its article's own reading. Nullable: sentences stored before this revision keep NULL,
read as "no field known" (the panel then shows the sentence without a field label).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode on SQLite: plain ADD COLUMN there, no table rebuild
    with op.batch_alter_table("evidence") as batch_op:
        batch_op.add_column(sa.Column("fields", sa.JSON(), nullable=True))


def downgrade() -> None:
    # plain DROP COLUMN (SQLite 3.35+), as 0004 does
    op.drop_column("evidence", "fields")
