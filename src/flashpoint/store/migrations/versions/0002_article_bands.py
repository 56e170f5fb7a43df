"""Near-duplicate index: MinHash band hashes of every article, backfilled from articles.minhash.

Revision ID: 0002
Revises: 0001
Create Date: 2025-06-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_bands",
        sa.Column("article_id", sa.String(length=200), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", "band"),
    )
    op.create_index("ix_article_bands_band_hash", "article_bands", ["band", "hash"], unique=False)
    # Articles stored before this revision get their bands now, so they are found as originals.
    from flashpoint.link import LinkRules
    from flashpoint.store.dedup import band_hashes

    nbands = int(LinkRules.load().near_duplicate["bands"])
    conn = op.get_bind()
    articles = sa.table("articles", sa.column("id"), sa.column("minhash", sa.JSON))
    bands = sa.table("article_bands", sa.column("article_id"), sa.column("band"), sa.column("hash"))
    rows = [
        {"article_id": aid, "band": i, "hash": h}
        for aid, sig in conn.execute(sa.select(articles.c.id, articles.c.minhash))
        for i, h in enumerate(band_hashes(list(sig or []), bands=nbands))
    ]
    if rows:
        conn.execute(bands.insert(), rows)


def downgrade() -> None:
    op.drop_index("ix_article_bands_band_hash", table_name="article_bands")
    op.drop_table("article_bands")
