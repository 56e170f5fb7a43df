"""``flashpoint extract``: articles in, codebook events out."""

from __future__ import annotations

import datetime as dt
import sys

import click

from .model import load_resources, typing_model_option
from .progress import progress_bar

PROGRESS_HELP = ("Progress bar on stderr, with a total and ETA (default: when stderr is a terminal; "
                 "no total for standard input).")


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def write_output(events, fmt: str, output: str | None) -> None:
    """Events in ``fmt`` (table, jsonl, csv, geojson) to the file ``output`` or stdout."""
    from ..export import WRITERS, format_table

    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        if fmt == "table":
            out.write(format_table(events) + "\n")
        else:
            WRITERS[fmt](events, out)
    finally:
        if output:
            out.close()
        else:
            out.flush()  # a summary on stderr comes after the events


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson", "table"]), default="jsonl",
              show_default=True, help="Output format (jsonl follows the codebook's fields).")
@click.option("--published", callback=_date, help="Publication date (YYYY-MM-DD) for articles that give none.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
@click.option("--geojson", "geojson_path", type=click.Path(dir_okay=False, writable=True),
              help="Also write the events as a GeoJSON FeatureCollection to this file.")
@click.option("--max-bytes", default=10_000_000, show_default=True, help="Skip input files larger than this.")
@click.option("--progress/--no-progress", default=None, help=PROGRESS_HELP)
@typing_model_option
def extract(paths, fmt, published, output, geojson_path, max_bytes, progress, typing_model) -> None:
    """Read articles (files, directories, JSONL, '-' for stdin) and write their events.

    Exit status: 0 when at least one article was processed, 2 when none was.
    """
    from ..export import write_geojson
    from ..ingest import read_inputs
    from ..pipeline import Pipeline

    if not paths:
        paths = ("-",)
    pipeline = Pipeline(load_resources(typing_model))
    events, processed, failed = [], 0, 0
    with progress_bar(progress, paths) as bar:
        for result in pipeline.run(read_inputs(paths, published=published, max_bytes=max_bytes)):
            bar.update(1)
            for warning in result.warnings:
                bar.write(f"flashpoint: warning: {result.origin}: {warning}", file=sys.stderr)
            if result.error:
                failed += 1
                bar.write(f"flashpoint: skipped {result.error.origin}: {result.error.reason}", file=sys.stderr)
                continue
            processed += 1
            events.extend(result.events)
    write_output(events, fmt, output)
    if geojson_path:
        with open(geojson_path, "w", encoding="utf-8") as fh:
            write_geojson(events, fh)
    click.echo(
        f"flashpoint: {processed} article(s) processed, {failed} skipped, {len(events)} event(s)"
        + (f"; GeoJSON written to {geojson_path}" if geojson_path else ""),
        err=True,
    )
    sys.exit(0 if processed else 2)
