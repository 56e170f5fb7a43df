"""Opening the event store: where it lives, the engine, and migrating it to the current schema.

SQLite by default (``events.sqlite`` in the user data directory, ``$FLASHPOINT_DATA_DIR``
overrides; or a path), PostgreSQL by URL. Opening always runs the Alembic migrations shipped in
``migrations/``, so a database written by an older flashpoint is upgraded in place.

Writers are safe together: a write transaction (:func:`writing`, and every migration) holds the
store's one write lock from its first statement, SQLite's by ``BEGIN IMMEDIATE``, PostgreSQL's
as a transaction-scoped advisory lock. So "is it stored yet?" and the insert that follows are one
step no other writer can come between, and two processes creating a new store's tables queue up
instead of both creating them. Readers never take the lock.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_NAME = "events.sqlite"
WRITE_OPTION = "flashpoint_write"  # execution option: this transaction writes, take the lock
# The key of PostgreSQL's advisory write lock: any fixed number, the same in every flashpoint.
PG_WRITE_LOCK = 0x666C617368  # "flash"
BUSY_TIMEOUT_MS = 60_000  # how long a SQLite writer waits for another one's transaction


def default_db_path() -> Path:
    base = os.environ.get("FLASHPOINT_DATA_DIR")
    if not base:
        from platformdirs import user_data_dir

        base = user_data_dir("flashpoint")
    return Path(base) / DEFAULT_NAME


def database_url(db: str | os.PathLike[str] | None) -> str:
    """A SQLAlchemy URL from ``--db``: a URL as given, else a SQLite file path."""
    if db is None:
        db = default_db_path()
    text = str(db)
    if "://" in text:
        if text.startswith(("postgresql://", "postgres://")):
            # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2
            text = "postgresql+psycopg://" + text.split("://", 1)[1]
        return text
    path = Path(text).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLAlchemy says BEGIN itself (_sqlite_begin): left to sqlite3, DDL would run outside any
    # transaction and a writer would take the lock only at its first write, after its checks.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: switching to WAL may wait too
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the ingest job
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _writes(conn: Connection) -> bool:
    return bool(conn.get_execution_options().get(WRITE_OPTION))


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if _writes(conn) else "BEGIN")


def _postgres_begin(conn: Connection) -> None:
    if _writes(conn):  # released by the transaction's COMMIT or ROLLBACK
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")


def make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _postgres_begin)
    return engine


@contextmanager
def writing(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session in one write transaction under the store's write lock (see the module doc):
    committed when the block ends, rolled back when it raises."""
    with sessions(execution_options={WRITE_OPTION: True}) as session, session.begin():
        yield session


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("flashpoint.store").joinpath("migrations")))
    return cfg


def migrate(engine: Engine, *, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (all shipped migrations by default), in one transaction
    under the write lock: a concurrent opener waits, then finds the schema current."""
    cfg = alembic_config()
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def refresh_statistics(sessions: sessionmaker[Session], *, growth: float = 1.25) -> bool:
    """Re-read SQLite's planner statistics (``ANALYZE`` on a sample of each index) when the
    events grew by ``growth`` since they were last read, or never were; whether it did. Without
    them a filter's plan is a guess (revision 0008). ``PRAGMA optimize`` would decide this itself
    only from SQLite 3.46 on. PostgreSQL's autovacuum does it there."""
    with sessions() as s:
        if s.get_bind().dialect.name != "sqlite":
            return False
        known = s.execute(text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'events' LIMIT 1")).scalar() \
            if s.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first() else None
        rows = s.execute(text("SELECT count(*) FROM events")).scalar() or 0
        if known is not None and rows <= int(str(known).split()[0]) * growth:
            return False
        s.execute(text("PRAGMA analysis_limit = 1000"))
        s.execute(text("ANALYZE"))
        s.commit()
        return True


def open_store(db: str | os.PathLike[str] | None = None) -> tuple[Engine, sessionmaker[Session]]:
    """An engine on the migrated database and a session factory for it."""
    engine = make_engine(database_url(db))
    migrate(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)
