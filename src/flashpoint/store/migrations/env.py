"""Alembic environment: run by :func:`flashpoint.store.db.migrate` on the caller's connection."""

from __future__ import annotations

from alembic import context

from flashpoint.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the programmatic path is supported
    raise RuntimeError("flashpoint migrations run through flashpoint.store.db.migrate()")

# render_as_batch: SQLite cannot ALTER most things; batch mode rebuilds the table instead.
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
