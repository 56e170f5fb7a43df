"""Run bookkeeping and article warnings: the process (pid, host) running an ingest, why a run
failed or was interrupted, and what was made safe in an article on its way in.

All columns are nullable: runs and articles stored before this revision keep NULL (a "running"
run without a pid is from an older flashpoint and is taken as interrupted).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode on SQLite: plain ADD COLUMN there, no table rebuild
    with op.batch_alter_table("ingest_runs") as batch_op:
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("host", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))
    with op.batch_alter_table("articles") as batch_op:
        batch_op.add_column(sa.Column("warnings", sa.JSON(), nullable=True))


def downgrade() -> None:
    # plain DROP COLUMN (SQLite 3.35+): batch mode would rebuild the tables, which the foreign
    # keys pointing at them forbid
    op.drop_column("articles", "warnings")
    for name in ("reason", "host", "pid"):
        op.drop_column("ingest_runs", name)
