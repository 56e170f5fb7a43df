"""The ``flashpoint`` command: a thin layer over the library.

Each module of this package holds the commands of one area and is registered here.
"""

from __future__ import annotations

import logging

import click

from .. import __version__
from .batch import batch
from .evaluate import evaluate
from .extract import extract
from .geo import fakes_governorate, gazetteer, geoparse
from .model import typing_model
from .muc4 import evaluate_muc4
from .serve import serve
from .store import events, export, ingest, show
from .watch import feeds, watch


@click.group()
@click.version_option(__version__, prog_name="flashpoint")
def main() -> None:
    """flashpoint: conflict events from news reports, with the evidence for every field."""
    # trafilatura and friends log parse warnings for every odd page; the CLI reports
    # per-item problems itself.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)


for command in (extract, geoparse, ingest, events, show, export, serve, batch, gazetteer, evaluate, typing_model):
    main.add_command(command)
main.add_command(feeds)
main.add_command(watch)
for command in (evaluate_muc4, fakes_governorate):
    evaluate.add_command(command)

__all__ = ["main"]
