"""The event store: SQLite or PostgreSQL through SQLAlchemy, schema by Alembic migrations.

``open_store(db)`` opens (and upgrades) a database; :class:`Ingestor` is the ingest job;
``repo`` reads events back and is linking's candidate provider.
"""

from .db import database_url, default_db_path, open_store
from .filters import EventFilter
from .ingest import IngestSummary, Ingestor
from .repo import StoreCandidates, get_event, query_events

__all__ = [
    "EventFilter", "IngestSummary", "Ingestor", "StoreCandidates", "database_url", "default_db_path",
    "get_event", "open_store", "query_events",
]
