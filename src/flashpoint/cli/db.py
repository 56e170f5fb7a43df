"""The ``--db`` option of the commands that read the event store (``events``, ``show``,
``export``, ``serve``): a store that does not exist is an error, not a new empty one.

Opening a store creates it (and its folder), which is what ``ingest`` wants; for a command that
only reads, a mistyped path would otherwise show an empty database and exit 0. The check lives in
the option's callback, so each command keeps opening the store as before.
"""

from __future__ import annotations

from pathlib import Path

import click

DB_HELP = "SQLite file or postgresql:// URL (default: events.sqlite in the user data directory)."
_CREATE = "flashpoint.create"  # ctx.meta key: --create was given


class Refused(click.ClickException):
    """What the machine holds stops the command (a missing store, a busy port), not how it was
    typed: "Error: ..." without the usage text, exit status 2 as for a bad option."""

    exit_code = 2


def sqlite_file(db: str | None) -> Path | None:
    """The SQLite file ``--db`` names (the default store when None); None for a server URL,
    whose database the server itself reports when it is missing."""
    from ..store import default_db_path

    if db is None:
        return default_db_path()
    if db.startswith("sqlite:///"):
        name = db[len("sqlite:///"):].split("?", 1)[0]
        return None if name in ("", ":memory:") else Path(name).expanduser()
    if "://" in db:
        return None
    return Path(db).expanduser()


def missing_store(db: str | None) -> str | None:
    """Why the store ``--db`` names cannot be read as it is (None when it can)."""
    path = sqlite_file(db)
    if path is None:
        return None
    if path.is_dir():
        return f"{path} is a folder, not a database file"
    if path.exists():
        return None
    if db is None:
        return (f"no event database yet at {path} (the default): 'flashpoint ingest' creates it; "
                "give --db for another one")
    return (f"no database at {path}: is the path right? ('flashpoint ingest --db {db}' creates it, "
            "--create opens it empty)")


def _remember_create(ctx: click.Context, _param, value: bool) -> bool:
    ctx.meta[_CREATE] = value
    return value


def _existing(ctx: click.Context, _param, value: str | None) -> str | None:
    if not ctx.meta.get(_CREATE) and not ctx.resilient_parsing:
        problem = missing_store(value)
        if problem:
            raise Refused(problem)
    return value


def db_option(command):
    """``--db`` (checked: the store must exist) and ``--create`` (then it need not) for a
    command that reads the store; the command receives ``db`` as before."""
    # eager: its callback runs before --db's, wherever it stands on the command line
    command = click.option("--create", is_flag=True, is_eager=True, expose_value=False, callback=_remember_create,
                           help="Create the database when it does not exist (an empty store).")(command)
    return click.option("--db", help=DB_HELP + " It must exist unless --create is given.",
                        callback=_existing)(command)
