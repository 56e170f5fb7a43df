"""Opening the event store: where it lives, the engine, and migrating it to the current schema.

SQLite by default (``events.sqlite`` in the user data directory, ``$FLASHPOINT_DATA_DIR``
overrides; or a path), PostgreSQL by URL. Opening always runs the Alembic migrations shipped in
``migrations/``, so a database written by an older flashpoint is upgraded in place.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_NAME = "events.sqlite"


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
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the ingest job
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("flashpoint.store").joinpath("migrations")))
    return cfg


def migrate(engine: Engine, *, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (all shipped migrations by default), in one transaction."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def open_store(db: str | os.PathLike[str] | None = None) -> tuple[Engine, sessionmaker[Session]]:
    """An engine on the migrated database and a session factory for it."""
    engine = make_engine(database_url(db))
    migrate(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)
