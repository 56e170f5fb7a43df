"""``flashpoint geoparse``, ``flashpoint gazetteer import`` and
``flashpoint evaluate fakes-governorate``: the places commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

_CORPUS = Path("../shared/data/corpus.jsonl")


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--explain", is_flag=True, help="Add each mention's candidates and why one won.")
@click.option("--max-bytes", default=10_000_000, show_default=True, help="Skip input files larger than this.")
def geoparse(paths, fmt, explain, max_bytes) -> None:
    """Every place mention of every article, one JSON object per line.

    Offsets are into the article text as read (for HTML, the extracted text). Exit status:
    0 when at least one article was processed, 2 when none was.
    """
    from ..ingest import read_inputs
    from ..ingest.html import extract_html
    from ..model import CleanArticle, ItemError
    from ..nlp import annotate, load_model
    from ..places import Geoparser
    from .progress import open_gazetteer

    nlp, geoparser = load_model(), Geoparser(open_gazetteer())
    ok = 0

    def texts():
        for item in read_inputs(paths or ("-",), max_bytes=max_bytes):
            if isinstance(item, ItemError):
                click.echo(f"{item.origin}: {item.reason}", err=True)
                continue
            text = extract_html(item.text, url=item.url).text if item.is_html else item.text
            if not text.strip():
                click.echo(f"{item.origin}: no text", err=True)
                continue
            yield CleanArticle(article=item, text=text, title=item.title, published=item.published,
                               outlet=item.outlet, language="en")

    for doc in annotate(texts(), nlp):
        ok += 1
        for t in geoparser(doc):
            p = t.place
            row = {"article_id": doc.id, "start": t.start, "end": t.end, "name": t.name,
                   "latitude": p.latitude if p else None, "longitude": p.longitude if p else None,
                   "geonameid": p.geonameid if p else None, "country": p.country if p else None,
                   "admin1": p.admin1 if p else None, "feature": p.feature if p else None}
            if explain:
                row["relation"], row["why"] = t.relation, t.why
            click.echo(json.dumps(row, ensure_ascii=False))
    sys.exit(0 if ok else 2)


@click.group()
def gazetteer() -> None:
    """The offline gazetteer index."""


@gazetteer.command("import")
@click.argument("dump", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--alternate-names", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="GeoNames alternateNamesV2.txt: more names for the imported places.")
@click.option("--admin-codes", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="GeoNames admin1CodesASCII.txt or admin2Codes.txt (repeatable): the names of provinces "
                   "and districts the index lacks.")
def gazetteer_import(dump: Path, alternate_names: Path | None, admin_codes: tuple[Path, ...]) -> None:
    """Load a GeoNames dump (allCountries.txt or XX.txt) into the index; same geonameid replaces.

    Provinces keep the names the index already gives them, so that imported places and the
    ones already there agree; the admin code tables name the others."""
    from ..places.gazetteer import default_path, import_dump
    from .progress import ensure_gazetteer

    ensure_gazetteer()  # the import builds it first when missing: say so
    try:
        report = import_dump(dump, alternate_names=alternate_names, admin_codes=admin_codes)
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"imported {report.places} places ({report.replaced} replaced), "
               f"{report.alternate_names} alternate names into {default_path()}")


@click.command("fakes-governorate")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=int, default=None, help="First N FA-KES articles only.")
@click.option("--half", type=click.Choice(["all", "even", "odd"]), default="all", show_default=True,
              help="even: the development half (articles 0, 2, 4, ...); odd: the held-out half.")
def fakes_governorate(path: Path | None, limit: int | None, half: str) -> None:
    """Governorate of each FA-KES article's main event vs its location_hint."""
    from ..evaluate.fakes import GovernorateAliases, evaluate_fakes
    from ..pipeline import Pipeline
    from .model import load_resources

    path = path or _CORPUS
    if not path.exists():
        raise click.ClickException(f"{path} not found (the shared corpus.jsonl)")
    report = evaluate_fakes(path, pipeline=Pipeline(load_resources()), aliases=GovernorateAliases.load(),
                            limit=limit, half=half)
    click.echo(report.format())
