"""Event-store commands: ``ingest``, ``events``, ``show``, ``export``."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from . import filters
from .db import DB_HELP, db_option
from .extract import PROGRESS_HELP, _date, write_output
from .model import load_resources, typing_model_option
from .progress import progress_bar

FORMATS = ["table", "jsonl", "csv", "geojson"]
TABLE_LIMIT = 50  # rows a table shows unless --limit says otherwise: a screenful or two


def _bbox(ctx, param, value):
    if value is None:
        return None
    try:
        parts = tuple(float(v) for v in value.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 4:
        raise click.BadParameter("give MIN_LON,MIN_LAT,MAX_LON,MAX_LAT")
    return parts


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", help=DB_HELP + " Created when it does not exist.")
@click.option("--published", callback=_date, help="Publication date (YYYY-MM-DD) for articles that give none.")
@click.option("--max-bytes", default=10_000_000, show_default=True, help="Skip input files larger than this.")
@click.option("--progress/--no-progress", default=None, help=PROGRESS_HELP)
@typing_model_option
def ingest(paths, db, published, max_bytes, progress, typing_model) -> None:
    """Extract events from articles and store them, linked across articles.

    Idempotent and resumable: articles already stored are skipped, so re-running after a crash,
    Ctrl-C or SIGTERM finishes the batch. An item that cannot be stored is reported and skipped
    (and tried again by the next run). Several ingests may run on one database at once.
    Exit status 0 unless every input item failed (2); 130 after Ctrl-C, 143 after SIGTERM.
    PATHS may instead be `flashpoint batch` output directories: the events recorded there are
    stored (deduplicated and linked the same way) without running the NLP again.
    """
    from ..ingest import read_inputs
    from ..link import LinkRules
    from ..pipeline import Pipeline
    from ..store import Ingestor, open_store

    from ..batch.io import Replay, is_batch_output

    _, sessions = open_store(db)
    replay = Replay(paths) if all(is_batch_output(p) for p in paths) else None  # P6: `flashpoint batch` outputs
    ingestor = Ingestor(sessions, replay or Pipeline(load_resources(typing_model)), LinkRules.load())
    bar = progress_bar(progress, paths)

    def tick(result) -> None:
        bar.update(1)
        if result is None:
            return
        if result.error:
            bar.write(f"flashpoint: skipped {result.error.origin}: {result.error.reason}", file=sys.stderr)
        for warning in result.warnings:
            bar.write(f"flashpoint: {result.origin}: {warning}", file=sys.stderr)

    with _stop_on_signals() as received:
        try:
            summary = ingestor.run(
                replay.items() if replay else read_inputs(paths, published=published, max_bytes=max_bytes),
                paths=list(paths), on_item=tick,
            )
        finally:
            bar.close()
    click.echo(f"flashpoint: run {summary.run_id}: {summary.line()}", err=True)
    done = summary.articles_new + summary.articles_duplicate + summary.articles_copy
    if summary.interrupted:
        sys.exit(128 + (received[0] if received else signal.SIGINT))
    sys.exit(0 if done or not summary.articles_failed else 2)


@contextmanager
def _stop_on_signals() -> Iterator[list[int]]:
    """SIGTERM (and SIGINT) stop the ingest as Ctrl-C does, by a KeyboardInterrupt, so that the
    article in hand is rolled back and the run is recorded "interrupted". Raised once: a second
    signal must not cut short the run's own bookkeeping. Yields the signals received."""
    received: list[int] = []

    def stop(signum: int, _frame) -> None:
        if not received:
            received.append(signum)
            raise KeyboardInterrupt(f"stopped by {signal.Signals(signum).name}")
        received.append(signum)

    previous: dict[int, Callable | int | None] = {}
    if threading.current_thread() is not threading.main_thread():  # only there can handlers be set
        yield received
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, stop)
    try:
        yield received
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@click.command()
@db_option
@click.option("--since", callback=_date, help="Events on or after this day (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Events on or before this day.")
@click.option("--country", callback=filters.country, help="Country name or ISO3 code, e.g. Syria or SYR.")
@click.option("--admin1", help="First-level region, e.g. Homs.")
@click.option("--actor", help="Actor name (substring, any role).")
@click.option("--type", "event_type", callback=filters.event_type,
              help="Event type or sub-event type of the codebook, e.g. Battles or 'Armed clash'.")
@click.option("--certainty", type=click.Choice(["confirmed", "reported", "unconfirmed"]))
@click.option("--bbox", callback=_bbox, help="MIN_LON,MIN_LAT,MAX_LON,MAX_LAT")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="csv follows ACLED's column order.")
@click.option("--sort", type=click.Choice(filters.SORTS), default="-event_date", show_default=True,
              help="Order, as the API's: a field, newest or largest first with '-'; events without "
                   "the field (undated, unplaced) come last either way.")
@click.option("--limit", type=click.IntRange(min=0),
              help=f"At most N events (default: {TABLE_LIMIT} for table, all for the other formats; 0: all).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
def events(db, since, until, country, admin1, actor, event_type, certainty, bbox, sort, fmt, limit, output) -> None:
    """List stored events, filtered, newest first unless --sort says otherwise, with a count.

    The table has each event's id for 'flashpoint show ID' and fits the terminal (long cells
    end in "…"); piped or written to a file it is not cut. The count line follows the table on
    stdout; with -o or another format it goes to stderr.
    """
    from ..store import EventFilter, open_store

    from .table import count_line, format_events_table, terminal_width

    flt = EventFilter(since=since, until=until, country=country, admin1=admin1, actor=actor,
                      event_type=event_type, certainty=certainty, bbox=bbox)
    if limit is None:
        limit = TABLE_LIMIT if fmt == "table" else 0
    _, sessions = open_store(db)
    with sessions() as s:
        found, total = _read_events(s, flt, limit, sort)
    counted = count_line(len(found), total)
    if fmt != "table":
        write_output(found, fmt, output)
    elif output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.writelines(line + "\n" for line in format_events_table(found, None))
    else:
        for line in format_events_table(found, terminal_width()) if found else []:
            click.echo(line)
        click.echo(counted)
        return
    click.echo(f"flashpoint: {counted}", err=True)


def _read_events(session, flt, limit: int, sort: str) -> tuple[list, int]:
    """The first ``limit`` filtered events (0: all) in ``sort`` order, and how many there are in all."""
    from itertools import islice

    from sqlalchemy import func, select

    from ..store.models import EventRow
    from ..store.repo import filtered, iter_events

    total = session.scalar(filtered(select(func.count(EventRow.id)), flt))
    # read a page at a time: the first page is all a table needs
    found = iter_events(session, flt, batch=min(limit or 500, 500), sort=sort)
    return list(islice(found, limit) if limit else found), total


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS[1:]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
def export(db, fmt, output) -> None:
    """Write every event of the database (with all sources and evidence)."""
    from ..store import open_store, query_events

    _, sessions = open_store(db)
    with sessions() as s:
        found = query_events(s)
    write_output(found, fmt, output)
    click.echo(f"flashpoint: {len(found)} event(s) exported", err=True)


@click.command()
@click.argument("event_id")
@db_option
@click.option("--context", "width", default=120, show_default=True, help="Characters of context around evidence.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of text.")
def show(event_id, db, width, as_json) -> None:
    """One event: its fields, each source with its figures and evidence in context, field history."""
    from ..provenance import field_provenance
    from ..store import get_event, open_store

    from .table import cut
    from ..store.models import ArticleRow, EventRow

    _, sessions = open_store(db)
    with sessions() as s:
        found = get_event(s, event_id)
        if found is None:
            raise click.ClickException(f"no event {event_id}")
        linked, history = found
        texts = {
            a.id: a.clean_text
            for a in s.query(ArticleRow).filter(ArticleRow.id.in_([x.article_id for x in linked.event.sources]))
        }
        story = []
        if linked.storyline_id:
            story = [r.id for r in s.query(EventRow).filter(EventRow.storyline_id == linked.storyline_id,
                                                             EventRow.id != linked.event_id).order_by(EventRow.id)]
    event = linked.event
    hist = [{"field": h.field, "old": h.old, "new": h.new, "article_id": h.article_id, "rule": h.rule,
             "at": h.at.isoformat()} for h in history]
    provenance = field_provenance(linked, history)
    if as_json:
        out = event.to_dict()
        out["storyline_id"], out["storyline_events"] = linked.storyline_id, story
        out["source_figures"] = [_fig(f) for f in linked.figures]
        out["history"] = hist
        out["provenance"] = [p.to_dict() for p in provenance]  # the shape /api/events/{id} gives
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    click.echo(f"event {event.event_id}")
    for key, value in event.to_dict().items():
        if key not in ("event_id", "sources"):
            click.echo(f"  {key:17} {value}")
    click.echo(f"  {'storyline':17} {linked.storyline_id or '-'}" + (f" (with {', '.join(story)})" if story else ""))
    click.echo("\nwhere each field came from:")
    for p in provenance:
        value = ", ".join(p.value) if isinstance(p.value, list) else p.value
        if p.evidence is None:
            click.echo(f"  {p.field:11} {value}  ({p.why})")
            continue
        why = f"; {p.why}" if p.why else ""
        sentence = cut(" ".join(p.evidence.text.split()), width)
        click.echo(f"  {p.field:11} {value}  <- \"{sentence}\" "
                   f"({p.article_id} [{p.evidence.start}:{p.evidence.end}]{why})")
    click.echo(f"\nsources ({len(event.sources)}):")
    for src, fig in zip(event.sources, linked.figures):
        click.echo(f"- {src.article_id}  {src.outlet or '?'}  {src.published or '?'}  {src.url or ''}")
        click.echo(f"  said: {fig.event_date or '?'} (precision {fig.date_precision}), {fig.location or '?'} "
                   f"(precision {fig.geo_precision}), fatalities {fig.fatalities}"
                   f"{'' if fig.fatalities_known else ' (number unknown)'}, {fig.certainty}")
        text = texts.get(src.article_id, "")
        for ev in src.evidence:
            before = text[max(0, ev.start - width):ev.start].replace("\n", " ")
            after = text[ev.end:ev.end + width].replace("\n", " ")
            click.echo(f"  [{ev.start}:{ev.end}] …{before}>>>{ev.text}<<<{after}…")
            if ev.fields:
                click.echo(f"    gave: {', '.join(ev.fields)}")
    click.echo(f"\nhistory ({len(hist)}):")
    for h in hist:
        click.echo(f"- {h['at']}  {h['field']}: {h['old']!r} -> {h['new']!r}  ({h['rule']}; from {h['article_id']})")


def _fig(fig) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fig.__dict__.items()}
