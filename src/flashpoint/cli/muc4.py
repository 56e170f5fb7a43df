"""``flashpoint evaluate muc4 FILE``: per-field figures against the MUC-4 answer keys."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from .model import load_resources, typing_model_option


@click.command("muc4")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=int, default=None, help="Score only the first N documents (a quick sample).")
@click.option("--half", type=click.Choice(["all", "even", "odd"]), default="all", show_default=True,
              help="Score only the documents at even or odd 0-based positions (development / held-out).")
@typing_model_option
def evaluate_muc4(path: Path, *, limit: int | None, half: str, typing_model: Path | None) -> None:
    """Incident detection and type, perpetrator, weapon, date and place against MUC-4 keys."""
    from ..evaluate.muc4 import evaluate_muc4 as run
    from ..evaluate.muc4 import pipeline_extract
    from ..pipeline import Pipeline

    resources = load_resources(typing_model)
    # MUC-4's answer keys hold every incident a report mentions, history included, and one
    # template per kind of act (a bombing and a shooting at one place are two); the codebook
    # codes only news, one event per incident. Scored on MUC-4's own definition: assembly
    # without its news gates, merging only mentions of one kind of act.
    resources = replace(resources, assembly=replace(resources.assembly, news_only=False, merge_kinds=False))
    report = run(path, extract=pipeline_extract(Pipeline(resources), half=half),
                 actors=resources.detection.actors, limit=limit, half=half)
    click.echo(report.format())
