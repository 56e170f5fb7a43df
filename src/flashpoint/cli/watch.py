"""Live monitoring commands: ``feeds add|import|list|remove`` and ``watch``.

The feeds live in the store, so ``feeds`` only edits rows and never touches the network;
``watch`` polls them (``--once`` for one round, from cron or a test) and stores what they bring
through the same ingest job as ``flashpoint ingest``. Progress goes to stderr, one line per feed
and one per item that had a problem; alerts a rule prints go to stdout.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .db import DB_HELP, Refused, db_option
from .model import load_resources, typing_model_option

if TYPE_CHECKING:
    from ..watch.alerts import Alerter
    from ..watch.fetch import Fetcher
    from ..watch.poll import FeedReport, RoundReport, Watcher


def _every(_ctx, _param, value: str) -> int:
    from ..watch.feeds import FeedError, parse_every

    try:
        return parse_every(value)
    except FeedError as exc:
        raise click.BadParameter(str(exc)) from None


def _url(_ctx, _param, value: str) -> str:
    from ..watch.feeds import FeedError, check_url

    try:
        return check_url(value)
    except FeedError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group()
def feeds() -> None:
    """The news feeds 'flashpoint watch' polls (RSS 0.9x/1.0/2.0 and Atom), kept in the store."""


@feeds.command("add")
@click.argument("url", callback=_url)
@click.option("--name", help="What to call the feed (default: its site's host name).")
@click.option("--every", default="15m", show_default=True, callback=_every,
              help="How often to poll it: 30s, 15m, 1h, 1d, 1h30m.")
@click.option("--db", help=DB_HELP + " Created when it does not exist.")
def feeds_add(url, name, every, db) -> None:
    """Watch the feed at URL (polled by the next 'flashpoint watch'; nothing is fetched now)."""
    from ..store import open_store
    from ..watch.feeds import FeedError, add_feed, format_every

    _, sessions = open_store(db)
    try:
        feed = add_feed(sessions, url, name=name, every_seconds=every)
    except FeedError as exc:
        raise Refused(str(exc)) from None
    click.echo(f"flashpoint: feed {feed.id} ({feed.name}) added: {feed.url}, polled every "
               f"{format_every(feed.every_seconds)} by 'flashpoint watch'", err=True)


@feeds.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--db", help=DB_HELP + " Created when it does not exist.")
def feeds_import(file, db) -> None:
    """Watch the feeds a TOML file lists ([[feed]] tables: url, and name and every if wanted).

    Run again after editing the file: new URLs are added, watched ones take the file's name and
    interval, and feeds it does not list are left alone ('feeds remove' removes one).
    """
    from ..store import open_store
    from ..watch.feeds import FeedError, import_feeds, read_feeds_file

    try:
        specs = read_feeds_file(file)
    except FeedError as exc:
        raise click.BadParameter(str(exc), param_hint="FILE") from None
    _, sessions = open_store(db)
    try:
        done = import_feeds(sessions, specs)
    except FeedError as exc:
        raise Refused(str(exc)) from None
    for feed in done.added:
        click.echo(f"flashpoint: feed {feed.id} ({feed.name}) added: {feed.url}", err=True)
    for feed in done.changed:
        click.echo(f"flashpoint: feed {feed.id} ({feed.name}) updated: {feed.url}", err=True)
    click.echo(f"flashpoint: {len(done.added)} added, {len(done.changed)} updated, "
               f"{len(done.unchanged)} unchanged; polled by 'flashpoint watch'", err=True)


@feeds.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per feed instead of the table.")
def feeds_list(db, as_json) -> None:
    """Each feed: its status, last poll, items and events it brought, next poll, last error."""
    from ..store import open_store
    from ..store.repo import now
    from ..watch.feeds import list_feeds

    _, sessions = open_store(db)
    found = list_feeds(sessions)
    if as_json:
        for f in found:
            click.echo(json.dumps({k: v.isoformat() if isinstance(v, dt.datetime) else v
                                   for k, v in f.__dict__.items()}, ensure_ascii=False))
        return
    if not found:
        click.echo("no feeds yet: add one with 'flashpoint feeds add URL'")
        return
    click.echo("\n".join(feed_table(found, now())))


def feed_table(found, at: dt.datetime) -> list[str]:
    """The lines of ``feeds list``: a row per feed, its URL and last error indented below."""
    from ..watch.feeds import format_every

    headers = ("id", "name", "status", "every", "last poll (UTC)", "items", "events", "next poll (UTC)")
    rows = []
    for f in found:
        status = f"failing x{f.failures}" if f.status == "failing" else f.status
        rows.append((str(f.id), f.name, status, format_every(f.every_seconds), _when(f.last_poll),
                     str(f.items), str(f.events), _next(f, at)))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(),
           "  ".join("-" * w for w in widths)]
    for f, row in zip(found, rows):
        out.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        out.append(f"    {f.url}")
        if f.last_error:
            out.append(f"    {'last error' if f.status == 'failing' else 'note'}: {f.last_error}")
    return out


def _when(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "never"


def _next(f, at: dt.datetime) -> str:
    from ..watch.feeds import format_every

    wait = int((f.next_poll - at).total_seconds())
    after = "due" if wait <= 0 else f"in {format_every(max(60, round(wait / 60) * 60))}"
    backoff = ", backing off" if f.status == "failing" else ""
    return f"{_when(f.next_poll)} ({after}{backoff})"


@feeds.command("remove")
@click.argument("feed")
@db_option
def feeds_remove(feed, db) -> None:
    """Stop watching FEED (its id, URL or name). Its articles and events stay in the store."""
    from ..store import open_store
    from ..watch.feeds import FeedError, remove_feed

    _, sessions = open_store(db)
    try:
        gone = remove_feed(sessions, feed)
    except FeedError as exc:
        raise Refused(str(exc)) from None
    click.echo(f"flashpoint: feed {gone.id} ({gone.name}) removed; its {gone.items} item(s) are forgotten, "
               f"the articles and events they brought stay", err=True)


# ---------------------------------------------------------------------------
# watch
# ---------------------------------------------------------------------------


def load_alerts(path: Path | None):
    """The alert rules of ``path`` (None without one); a bad file stops the command (exit 2)."""
    if path is None:
        return None
    from ..watch.alerts import AlertRulesError, AlertRules

    try:
        return AlertRules.load(path)
    except AlertRulesError as exc:
        raise Refused(str(exc)) from None


def make_alerter(sessions, rules) -> Alerter | None:
    """The alerter of ``rules`` (None without rules); one that cannot start stops the command."""
    if rules is None:
        return None
    from ..watch.alerts import Alerter, AlertRulesError

    try:
        return Alerter(sessions, rules)
    except AlertRulesError as exc:
        raise Refused(str(exc)) from None


def check_alerts(alerter: Alerter | None) -> None:
    """Run the alert rules over what changed (their own lines go to stdout)."""
    if alerter is None:
        return
    try:
        fired = alerter.check()
    except Exception as exc:  # noqa: BLE001 - alerts must not stop the watching
        click.echo(f"flashpoint: alert check failed: {type(exc).__name__}: {exc}", err=True)
        return
    if fired:
        click.echo(f"flashpoint: {len(fired)} alert(s) fired", err=True)


@dataclass
class WatchJob:
    """A watcher ready to run, with what it holds open (closed by :meth:`close`)."""

    watcher: Watcher
    fetcher: Fetcher
    alerter: Alerter | None

    def after_round(self, report: RoundReport, *, quiet_when_idle: bool = False) -> None:
        """Say what the round did (a round that polled nothing too, unless ``quiet_when_idle``:
        a long-running watcher wakes up often), then run the alert rules."""
        if report.feeds or not quiet_when_idle:
            click.echo(f"flashpoint: {report.line()}", err=True)
        check_alerts(self.alerter)

    def close(self) -> None:
        self.fetcher.close()
        if self.alerter is not None:
            self.alerter.close(timeout=5.0)


def start_watch(sessions, rules, *, typing_model=None, workers: int = 4, timeout: float = 20.0,
                max_bytes: int = 5_000_000) -> WatchJob:
    """A watcher over ``sessions``, its pipeline loaded, and the alerter of ``rules``."""
    from ..link import LinkRules
    from ..pipeline import Pipeline
    from ..store import Ingestor
    from ..watch.fetch import Fetcher, FetchSettings
    from ..watch.poll import Watcher, WatchSettings

    alerter = make_alerter(sessions, rules)
    ingestor = Ingestor(sessions, Pipeline(load_resources(typing_model)), LinkRules.load())
    fetcher = Fetcher(FetchSettings(timeout=timeout, max_bytes=max_bytes))
    watcher = Watcher(sessions, ingestor, fetcher, settings=WatchSettings(workers=workers))
    return WatchJob(watcher, fetcher, alerter)


def say_feed(report: FeedReport) -> None:
    for problem in report.problems:
        click.echo(f"flashpoint: {problem}", err=True)
    click.echo(f"flashpoint: {report.line()}", err=True)


@click.command()
@db_option
@click.option("--once", is_flag=True, help="Poll every feed that is due once, then exit (for cron).")
@click.option("--alerts", type=click.Path(dir_okay=False, path_type=Path),
              help="Alert rules (TOML) run over the new and changed events after each round.")
@click.option("--workers", default=4, show_default=True, type=click.IntRange(1, 32),
              help="Feeds fetched at once (never more than one request at a time to a site).")
@click.option("--timeout", default=20.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a request may take.")
@click.option("--max-bytes", default=5_000_000, show_default=True, type=click.IntRange(min=1000),
              help="Largest feed or page read.")
@typing_model_option
def watch(db, once, alerts, workers, timeout, max_bytes, typing_model) -> None:
    """Poll the feeds ('flashpoint feeds add') and store their new items, until Ctrl-C.

    Each due feed is asked with a conditional request (an unchanged feed costs a 304); each new
    item's page is fetched (robots.txt honoured, one request at a time per site) and its
    article coded and linked as 'flashpoint ingest' does. A failing feed is retried later and
    later (shown in 'feeds list'); the others go on. Stopped at any point, nothing is lost or
    stored twice: the next run picks up where it stopped.
    Exit status 0; 2 when every feed polled failed; 130 after Ctrl-C, 143 after SIGTERM.
    """
    from ..store import open_store
    from ..store.repo import now
    from ..watch.feeds import list_feeds

    from .store import _stop_on_signals

    rules = load_alerts(alerts)  # a bad file is said before anything loads
    _, sessions = open_store(db)
    found = list_feeds(sessions)
    if not found:
        raise Refused("no feeds to watch: add one with 'flashpoint feeds add URL'"
                      + (f" --db {db}" if db else ""))
    first = min(found, key=lambda f: f.next_poll)
    if once and first.next_poll > now():  # from cron, often: no pipeline loaded for nothing
        click.echo(f"flashpoint: no feed is due; the next is {first.name}, {_next(first, now())}", err=True)
        alerter = make_alerter(sessions, rules)
        check_alerts(alerter)
        if alerter is not None:
            alerter.close(timeout=5.0)
        return
    job = start_watch(sessions, rules, typing_model=typing_model, workers=workers, timeout=timeout,
                      max_bytes=max_bytes)
    stop = threading.Event()
    report = None
    with _stop_on_signals() as received:
        try:
            if once:
                report = job.watcher.poll(stop=stop, on_feed=say_feed)
                job.after_round(report)
            else:
                job.watcher.run(stop, after_round=lambda r: job.after_round(r, quiet_when_idle=True), on_feed=say_feed)
        except KeyboardInterrupt:
            stop.set()
            click.echo("flashpoint: stopped; a feed cut short is polled again, whole, next time", err=True)
            sys.exit(128 + (received[0] if received else signal.SIGINT))
        finally:
            job.close()
    if report is not None and report.feeds and all(f.status == "failing" for f in report.feeds):
        sys.exit(2)
