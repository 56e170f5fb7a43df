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
evaluate.add_command(evaluate_muc4)

__all__ = ["main"]
