"""``flashpoint evaluate ...``: measure the pipeline against hand-coded data."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .model import load_encoder, load_resources, typing_model_option


@click.group()
def evaluate() -> None:
    """Measure the pipeline against hand-coded data."""


@evaluate.command("seeds")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@typing_model_option
def evaluate_seeds(directory: Path, typing_model: Path | None) -> None:
    """Check DIRECTORY's expected.json: required events found, no must-not mistake."""
    from ..evaluate.seeds import evaluate_seeds as run
    from ..pipeline import Pipeline

    report = run(directory, pipeline=Pipeline(load_resources(typing_model)))
    click.echo(report.format())
    sys.exit(0 if report.passed else 1)


@evaluate.command("case2021")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--cv", "cross_validate", is_flag=True,
              help="Also 5-fold cross-validate the learned typing check (events/typing_model.py) "
                   "against the rules alone on the same rows.")
@click.option("--encoder", "with_encoder", is_flag=True,
              help="With --cv: the typing model reads sentence embeddings (extra [model]).")
def evaluate_case2021(path: Path, cross_validate: bool, with_encoder: bool) -> None:
    """Macro-F1, weighted F1 and no-event rate on the CASE 2021 sub-event snippets."""
    from ..evaluate.case2021 import cross_validate_case2021
    from ..evaluate.case2021 import evaluate_case2021 as run
    from ..evaluate.snippets import first_event_types
    from ..pipeline import Pipeline

    if with_encoder and not cross_validate:
        raise click.UsageError("--encoder measures the typing model: use it with --cv")
    encoder = load_encoder() if with_encoder else None
    resources = load_resources()  # the rules alone: a model learned from this file is measured by --cv
    pipeline = Pipeline(resources)
    report = run(path, predict=lambda texts: first_event_types(texts, pipeline=pipeline))
    click.echo(report.format())
    if cross_validate:
        click.echo("")
        click.echo(cross_validate_case2021(path, resources=resources, encoder=encoder).format())


@evaluate.command("geoparse")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def evaluate_geoparse(path: Path) -> None:
    """Toponym precision/recall and accuracy within 161 km on a geoparsing gold set."""
    from ..evaluate.geoparse import evaluate_geoparse as run
    from ..nlp import load_model
    from ..places import Geoparser
    from .progress import open_gazetteer

    report = run(path, nlp=load_model(), geoparser=Geoparser(open_gazetteer()))
    click.echo(report.format())


@evaluate.command("events")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--details", is_flag=True,
              help="List each missed required gold event and each false event, by article.")
@click.option("--half", type=click.Choice(["all", "even", "odd"]), default="all", show_default=True,
              help="Score only the articles whose id hashes even (rules are studied on them) or odd "
                   "(held out); both halves are always shown side by side.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Also write the system events of the scored articles here, as JSON Lines.")
@typing_model_option
def evaluate_events(path: Path, details: bool, half: str, output: str | None, typing_model: Path | None) -> None:
    """Event precision, recall and F1 on hand-coded whole articles (e.g. events_dev.jsonl),
    and field agreement on matched events: the figures of ../shared/tools/score_events.py."""
    from ..evaluate.events import evaluate_events as run
    from ..evaluate.events import read_gold
    from ..pipeline import Pipeline
    from .extract import write_output

    try:
        read_gold(path)  # a wrong file is reported before the models load
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    report = run(path, pipeline=Pipeline(load_resources(typing_model)), half=half)
    for error in report.skipped:
        click.echo(f"flashpoint: skipped {error.origin}: {error.reason}", err=True)
    if output:
        write_output(report.events, "jsonl", output)
    click.echo(report.format(details=details))
