"""``flashpoint typing-model``: fit the optional learned check on the typing rules, and the
``--typing-model`` option that the processing commands share."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click


def typing_model_option_with(**options):
    """The ``--typing-model`` option, with click ``options`` added or replaced (``serve`` adds
    an environment variable and its own help)."""
    options.setdefault("help", "A model from 'flashpoint typing-model train' to check the typing rules "
                               "(off by default).")
    return click.option("--typing-model", "typing_model",
                        type=click.Path(exists=True, dir_okay=False, path_type=Path), **options)


typing_model_option = typing_model_option_with()


def load_encoder():
    """The sentence encoder, or a one-line error naming the install command."""
    from ..encoder import EncoderUnavailable, SentenceEncoder

    try:
        return SentenceEncoder.load()
    except EncoderUnavailable as exc:
        raise click.ClickException(str(exc)) from None


@contextmanager
def typing_model_errors():
    """A typing model that cannot be used, as a one-line error (the library raises
    ``TypingModelUnusable`` for it and for nothing else, so no other error is relabelled)."""
    from ..events.typing_model import TypingModelUnusable

    try:
        yield
    except TypingModelUnusable as exc:
        raise click.ClickException(str(exc)) from None


def load_resources(typing_model: Path | None = None):
    """The pipeline's resources, with the typing model (and its encoder) when asked for; the
    gazetteer opened here so that its first build is announced."""
    from ..pipeline import Resources
    from .progress import open_gazetteer

    with typing_model_errors():
        return Resources.load(gazetteer=open_gazetteer(), typing_model=typing_model)


@click.group("typing-model")
def typing_model() -> None:
    """The learned check on the typing rules (optional; see README, 'Event typing')."""


@typing_model.command("train")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Where to write the model (.npz).")
@click.option("--encoder/--no-encoder", default=True, show_default=True,
              help="Read sentence embeddings (all-MiniLM-L6-v2, extra [model]); "
                   "--no-encoder: hashed word features only.")
def train(path: Path, output: Path, encoder: bool) -> None:
    """Fit a typing model on a labelled file in CASE 2021 format (id, EventSnippet, SubType).

    Measure it first: 'flashpoint evaluate case2021 FILE --cv [--encoder]'.
    """
    from ..evaluate.case2021 import describe_model, fit_on_case2021, read_case2021

    try:
        read_case2021(path)  # a wrong file is reported before the models load
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    resources = load_resources()
    sentence_encoder = load_encoder() if encoder else None
    try:
        model = fit_on_case2021(path, resources=resources, encoder=sentence_encoder)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    model.save(output)
    click.echo(f"flashpoint: typing model written to {output}: {describe_model(model)}; "
               f"{model.meta.get('examples')} training sentences from {model.meta.get('rows')} rows", err=True)
