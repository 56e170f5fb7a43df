"""``flashpoint batch``: a whole corpus in, Parquet and JSON Lines events out (local or Spark)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .extract import PROGRESS_HELP, _date
from .model import typing_model_errors, typing_model_option
from .progress import ensure_gazetteer, progress_bar


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True)
@click.option("-o", "--output", required=True, help="Output directory (Spark: any URI its file systems write).")
@click.option("--workers", type=click.IntRange(min=1), help="Local engine: worker processes (default: core count).")
@click.option("--chunk-size", default=32, show_default=True, type=click.IntRange(min=1),
              help="Local engine: items per chunk (the unit of work and of checkpoints).")
@click.option("--resume", is_flag=True, help="Local engine: finish an interrupted run into the same --output.")
@click.option("--master", help="Spark master URL, e.g. local[2], spark://host:7077, yarn (default: as spark-submit "
                                "or spark-defaults set it, else local[*]).")
@click.option("--conf", "confs", multiple=True, metavar="KEY=VALUE", help="Spark setting (repeatable).")
@click.option("--partitions", type=click.IntRange(min=1), help="Spark: extraction partitions "
                                                                "(default: 4 per core of the cluster).")
@click.option("--published", callback=_date, help="Publication date (YYYY-MM-DD) for articles that give none.")
@click.option("--max-bytes", default=10_000_000, show_default=True, help="Skip input items larger than this.")
@click.option("--progress/--no-progress", default=None, help="Local engine: " + PROGRESS_HELP)
@typing_model_option
def batch(inputs, engine, output, workers, chunk_size, resume, master, confs, partitions, published, max_bytes,
          progress, typing_model) -> None:
    """Extract and link the events of many articles (JSONL, Parquet, text files, directories).

    Writes OUTPUT/events/ (Parquet), OUTPUT/events.jsonl, OUTPUT/articles/ (Parquet, what
    `flashpoint ingest OUTPUT` loads into the store) and OUTPUT/errors.jsonl. Items that fail
    are listed there, never fatal. Exit status 0 unless every item failed.
    """
    if engine == "spark":
        from ..batch.spark import run_spark

        conf = {}
        for item in confs:
            key, sep, value = item.partition("=")
            if not sep:
                raise click.BadParameter(f"{item!r}: give KEY=VALUE", param_hint="--conf")
            conf[key] = value
        with typing_model_errors():  # run_spark refuses such a model before Spark starts
            summary = run_spark(list(inputs), output, master=master, conf=conf, partitions=partitions,
                                published=published, max_bytes=max_bytes, typing_model=typing_model)
    else:
        summary = _local(inputs, Path(output), workers, chunk_size, resume, published, max_bytes, progress,
                         typing_model)
    click.echo(f"flashpoint: {summary.line()}; output in {output}", err=True)
    if summary.failed:
        click.echo(f"flashpoint: the failed items and why: {output}/errors.jsonl", err=True)
    sys.exit(0 if summary.items > summary.failed or not summary.items else 2)


def _local(inputs, output, workers, chunk_size, resume, published, max_bytes, progress, typing_model):
    from ..batch.local import run_local

    ensure_gazetteer()  # else each worker process builds it at once, in silence
    bar = progress_bar(progress, inputs)
    try:
        return run_local(list(inputs), output, workers=workers, chunk_size=chunk_size, resume=resume,
                         published=published, max_bytes=max_bytes, typing_model=typing_model,
                         on_chunk=lambda done: bar.update(done.items), on_skip=bar.update)
    # a resume mismatch, a bad input, or a typing model it cannot use (TypingModelUnusable is a
    # ValueError, raised before anything is written)
    except (FileExistsError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        bar.close()
        click.echo("flashpoint: interrupted; finished chunks are kept: run again with --resume", err=True)
        sys.exit(130)
    finally:
        bar.close()
