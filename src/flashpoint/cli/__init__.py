"""The ``flashpoint`` command: a thin layer over the library.

Each module of this package holds the commands of one area and is registered here.
"""

from __future__ import annotations

import logging

import click

from .. import __version__
from .evaluate import evaluate
from .extract import extract
from .muc4 import evaluate_muc4


@click.group()
@click.version_option(__version__, prog_name="flashpoint")
def main() -> None:
    """flashpoint: conflict events from news reports, with the evidence for every field."""
    # trafilatura and friends log parse warnings for every odd page; the CLI reports
    # per-item problems itself.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)


main.add_command(extract)
main.add_command(evaluate)
from .geo import fakes_governorate, gazetteer, geoparse  # noqa: E402

main.add_command(geoparse)
main.add_command(gazetteer)
evaluate.add_command(fakes_governorate)
from .store import events, export, ingest, show  # noqa: E402  (P4: event store)
main.add_command(ingest)
main.add_command(events)
main.add_command(show)
main.add_command(export)
evaluate.add_command(evaluate_muc4)
from .serve import serve; main.add_command(serve)  # noqa: E402,E702  (P5: API and web page)
from .batch import batch; main.add_command(batch)  # noqa: E402,E702  (P6: batch runs)

__all__ = ["main"]
