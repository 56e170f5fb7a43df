"""``flashpoint serve``: the REST API and the web map/timeline over the event store."""

from __future__ import annotations

import ipaddress
import os

import click

from .model import typing_model_errors, typing_model_option_with
from .store import DB_HELP


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--db", help=DB_HELP)
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
@typing_model_option_with(
    envvar="FLASHPOINT_TYPING_MODEL", show_envvar=True,
    help="A model from 'flashpoint typing-model train' to check the typing rules of POSTed articles "
         "(loaded at start; off by default).",
)
def serve(db, host, port, token, max_body_bytes, tile_url, tiles_attribution, typing_model) -> None:
    """Serve the API (docs at /docs) and the map/timeline page (at /) until Ctrl-C."""
    import uvicorn

    from ..api import Settings, create_app

    try:
        settings = Settings(db=db, write_token=token, max_body_bytes=max_body_bytes, host=host, port=port,
                            tile_url=tile_url, tile_attribution=tiles_attribution,
                            typing_model=str(typing_model) if typing_model else None)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if not _loopback(host):
        click.echo(f"flashpoint: warning: binding {host}: the API is reachable from the network", err=True)
    loads_model = typing_model is not None and token is not None
    if typing_model is not None and not loads_model:
        click.echo("flashpoint: warning: --typing-model is not loaded: it types POSTed articles, and writing "
                   "is off (no --token)", err=True)
    with typing_model_errors():  # create_app loads the model at start, so a bad one stops it here
        app = create_app(settings)
    model = f" (typing model {typing_model})" if loads_model else ""
    click.echo(f"flashpoint: serving http://{host}:{port}/ (API docs at /docs); writing is "
               f"{'on (token required)' if token else 'off'}{model}", err=True)
    uvicorn.run(app, host=host, port=port, log_level=os.environ.get("FLASHPOINT_LOG_LEVEL", "warning"))
