"""The ``flashpoint`` command: a thin layer over the library."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from . import __version__


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


@click.group()
@click.version_option(__version__, prog_name="flashpoint")
def main() -> None:
    """flashpoint: conflict events from news reports, with the evidence for every field."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson", "table"]), default="jsonl",
              show_default=True, help="Output format (jsonl follows the codebook's fields).")
@click.option("--published", callback=_date, help="Publication date (YYYY-MM-DD) for articles that give none.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
@click.option("--geojson", "geojson_path", type=click.Path(dir_okay=False, writable=True),
              help="Also write the events as a GeoJSON FeatureCollection to this file.")
@click.option("--max-bytes", default=10_000_000, show_default=True, help="Skip input files larger than this.")
def extract(paths, fmt, published, output, geojson_path, max_bytes) -> None:
    """Read articles (files, directories, JSONL, '-' for stdin) and write their events.

    Exit status: 0 when at least one article was processed, 2 when none was.
    """
    from .export import WRITERS, format_table, write_geojson
    from .ingest import read_inputs
    from .pipeline import Pipeline, Resources

    if not paths:
        paths = ("-",)
    pipeline = Pipeline(Resources.load())
    events, processed, failed = [], 0, 0
    for result in pipeline.run(read_inputs(paths, published=published, max_bytes=max_bytes)):
        if result.error:
            failed += 1
            click.echo(f"flashpoint: skipped {result.error.origin}: {result.error.reason}", err=True)
            continue
        processed += 1
        events.extend(result.events)
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        if fmt == "table":
            out.write(format_table(events) + "\n")
        else:
            WRITERS[fmt](events, out)
    finally:
        if output:
            out.close()
    if geojson_path:
        with open(geojson_path, "w", encoding="utf-8") as fh:
            write_geojson(events, fh)
    click.echo(
        f"flashpoint: {processed} article(s) processed, {failed} skipped, {len(events)} event(s)"
        + (f"; GeoJSON written to {geojson_path}" if geojson_path else ""),
        err=True,
    )
    sys.exit(0 if processed else 2)


@main.group()
def evaluate() -> None:
    """Measure the pipeline against hand-coded data."""


@evaluate.command("seeds")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def evaluate_seeds(directory: Path) -> None:
    """Check DIRECTORY's expected.json: required events found, no must-not mistake."""
    from .evaluate.seeds import evaluate_seeds as run
    from .pipeline import Pipeline, Resources

    report = run(directory, pipeline=Pipeline(Resources.load()))
    click.echo(report.format())
    sys.exit(0 if report.passed else 1)


@evaluate.command("case2021")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def evaluate_case2021(path: Path) -> None:
    """Macro-F1, weighted F1 and no-event rate on the CASE 2021 sub-event snippets."""
    from .evaluate.case2021 import evaluate_case2021 as run
    from .evaluate.snippets import first_event_types
    from .pipeline import Pipeline, Resources

    pipeline = Pipeline(Resources.load())
    report = run(path, predict=lambda texts: first_event_types(texts, pipeline=pipeline))
    click.echo(report.format())


@evaluate.command("geoparse")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def evaluate_geoparse(path: Path) -> None:
    """Toponym precision/recall and accuracy within 161 km on a geoparsing gold set."""
    from .evaluate.geoparse import evaluate_geoparse as run
    from .nlp import load_model
    from .places import Gazetteer, Geoparser

    report = run(path, nlp=load_model(), geoparser=Geoparser(Gazetteer.open()))
    click.echo(report.format())


if __name__ == "__main__":  # pragma: no cover
    main()
