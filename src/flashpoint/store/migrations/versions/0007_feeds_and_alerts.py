"""Live monitoring: the news feeds watched (``feeds``), each item seen in them (``feed_items``),
and what the alert rules have said (``alert_rules``, ``alerts_sent``).

- ``feeds``: one row per feed URL, with its conditional-request validators (ETag,
  Last-Modified), when it was last polled and how that went, consecutive failures (for the
  back-off) and when it is next due.
- ``feed_items``: one row per item of a feed, keyed by the item's guid (or link), with the
  article it was stored as and the outcome. An item is recorded only after its article is
  stored, so a poll killed midway polls the rest again and stores nothing twice.
- ``alert_rules``: per rule name, the ``events.updated`` watermark up to which events were
  examined.
- ``alerts_sent``: per rule and event, the event's state when the rule last fired (fatalities,
  certainty, number of sources), so it fires again only when that changes materially.

New tables only: stores made before this revision are untouched.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("url", sa.Text(), nullable=False, unique=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("every_seconds", sa.Integer(), nullable=False),
        sa.Column("added", sa.DateTime(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("last_poll", sa.DateTime(), nullable=True),
        sa.Column("last_ok", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_poll", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_feeds_next_poll", "feeds", ["next_poll"])
    op.create_table(
        "feed_items",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("feed_id", sa.Integer(), sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.DateTime(), nullable=True),
        sa.Column("seen", sa.DateTime(), nullable=False),
        sa.Column("article_id", sa.String(length=200), sa.ForeignKey("articles.id"), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="1"),
        sa.UniqueConstraint("feed_id", "key", name="uq_feed_items_feed_key"),
    )
    op.create_index("ix_feed_items_article", "feed_items", ["article_id"])
    op.create_table(
        "alert_rules",
        sa.Column("name", sa.String(length=200), primary_key=True),
        sa.Column("checked", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "alerts_sent",
        sa.Column("rule", sa.String(length=200), primary_key=True),
        sa.Column("event_id", sa.String(length=64), sa.ForeignKey("events.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("fired", sa.DateTime(), nullable=False),
        sa.Column("fatalities", sa.Integer(), nullable=False),
        sa.Column("certainty", sa.String(length=16), nullable=False),
        sa.Column("sources", sa.Integer(), nullable=False),
    )
    op.create_index("ix_alerts_sent_event", "alerts_sent", ["event_id"])


def downgrade() -> None:
    op.drop_table("alerts_sent")
    op.drop_table("alert_rules")
    op.drop_table("feed_items")
    op.drop_table("feeds")
