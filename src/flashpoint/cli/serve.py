"""``flashpoint serve``: the REST API and the web map/timeline over the event store."""

from __future__ import annotations

import errno
import gc
import ipaddress
import os
import socket
import threading
from pathlib import Path

import click

from .db import Refused, db_option
from .model import typing_model_errors, typing_model_option_with


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host:port`` (None when it can), found by binding it
    and letting go at once, as uvicorn then binds it (SO_REUSEADDR: a port whose old connections
    linger is not busy). Another program could take it in between; it is a check, not a lease."""
    if port == 0:  # any free port: nothing to check
        return None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except socket.gaierror as exc:
        return f"cannot listen on {host}: {exc.strerror or exc}"
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return f"port {port} on {host} is in use (another 'flashpoint serve'?): choose another with --port"
        return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Loopback by default: anything else exposes the data to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", envvar="FLASHPOINT_API_TOKEN", show_envvar=True,
              help="Write token for POST /api/articles (at least 16 characters); without one, writing is off.")
@click.option("--max-body-bytes", default=5_000_000, show_default=True, type=click.IntRange(1),
              help="Largest request body accepted.")
@click.option("--tiles", "tile_url", help="Tile URL template for a base map, e.g. of a local tile server "
              "(default: country borders shipped with flashpoint, no network).")
@click.option("--tiles-attribution", default="", help="Attribution text shown for --tiles.")
@click.option("--watch", "watch_feeds", is_flag=True,
              help="Also poll the store's feeds in the background, as 'flashpoint watch' does.")
@click.option("--alerts", type=click.Path(dir_okay=False, path_type=Path),
              help="With --watch: alert rules (TOML) run after each round of polls.")
@typing_model_option_with(
    envvar="FLASHPOINT_TYPING_MODEL", show_envvar=True,
    help="A model from 'flashpoint typing-model train' to check the typing rules of POSTed articles "
         "(loaded at start; off by default).",
)
def serve(db, host, port, token, max_body_bytes, tile_url, tiles_attribution, watch_feeds, alerts,
          typing_model) -> None:
    """Serve the API (docs at /docs) and the map/timeline page (at /) until Ctrl-C.

    With --watch, the feeds of 'flashpoint feeds add' are polled meanwhile in a background
    thread, and what they bring appears on the map as it is stored.
    """
    import uvicorn

    from ..api import Settings, create_app
    from .progress import ensure_gazetteer

    try:
        settings = Settings(db=db, write_token=token, max_body_bytes=max_body_bytes, host=host, port=port,
                            tile_url=tile_url, tile_attribution=tiles_attribution,
                            typing_model=str(typing_model) if typing_model else None)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    problem = cannot_listen(host, port)  # before anything loads, and before it says it serves
    if problem:
        raise Refused(problem)
    if not _loopback(host):
        click.echo(f"flashpoint: warning: binding {host}: the API is reachable from the network", err=True)
    loads_model = typing_model is not None and (token is not None or watch_feeds)
    if typing_model is not None and not loads_model:
        click.echo("flashpoint: warning: --typing-model is not loaded: it types POSTed articles, and writing "
                   "is off (no --token)", err=True)
    if alerts is not None and not watch_feeds:
        raise click.BadParameter("--alerts runs after the polls of --watch: give --watch too", param_hint="--alerts")
    if token or watch_feeds:  # the pipeline needs the gazetteer: build it now, saying so, not on a POST
        ensure_gazetteer()
    job = _watch_job(db, alerts, typing_model) if watch_feeds else None
    with typing_model_errors():  # create_app loads the model at start, so a bad one stops it here
        app = create_app(settings)
    # what start-up built (the app, its routes and schemas, a loaded model) lives as long as the
    # server: out of the collector's way, so a full collection is not a pause of every request
    gc.collect()
    gc.freeze()
    model = f" (typing model {typing_model})" if loads_model else ""
    click.echo(f"flashpoint: serving http://{host}:{port}/ (API docs at /docs); writing is "
               f"{'on (token required)' if token else 'off'}{model}", err=True)
    stop = threading.Event()
    if job is not None:
        from .watch import say_feed

        watcher = threading.Thread(target=job.watcher.run, args=(stop,), name="flashpoint-watch", daemon=True,
                                   kwargs={"after_round": lambda r: job.after_round(r, quiet_when_idle=True),
                                           "on_feed": say_feed})
        watcher.start()
        click.echo("flashpoint: watching the store's feeds in the background", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level=os.environ.get("FLASHPOINT_LOG_LEVEL", "warning"))
    finally:
        if job is not None:  # stops between items; a daemon thread, so a stuck request cannot hold the exit
            stop.set()
            watcher.join(timeout=30)
            job.close()


def _watch_job(db, alerts, typing_model):
    """The background watcher of ``--watch`` (its alert rules read first: a bad file stops here)."""
    from ..store import open_store
    from .watch import load_alerts, start_watch

    rules = load_alerts(alerts)
    _, sessions = open_store(db)
    return start_watch(sessions, rules, typing_model=typing_model)
