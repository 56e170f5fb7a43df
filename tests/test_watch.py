"""``flashpoint watch`` against a real HTTP server on 127.0.0.1, on SQLite and PostgreSQL: the
first poll stores every item, an unchanged feed costs a 304, a new item is stored once, one
story told by two outlets is one event with two sources, a syndicated copy adds no source.

The feeds and pages (``tests/fixtures/feeds``) were written for these tests.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from .feedserver import feed_server  # noqa: F401  (fixture)
from .test_store import db, postgres_server  # noqa: F401  (fixtures: both backends)

LEVANT_ETAG = '"levant-1"'
LEVANT_MODIFIED = "Wed, 03 Sep 2025 14:00:00 GMT"
HORN_ETAG = 'W/"horn-1"'


class Clock:
    """The watcher's clock: the real time moved on by the test, so the next round is due when
    the test says."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        from flashpoint.store.repo import now

        return now() + self.offset

    def advance(self, **delta) -> None:
        self.offset += dt.timedelta(**delta)


class Store:
    """A store with its watcher, pipeline and link rules of the test session."""

    def __init__(self, db_url: str, pipeline, *, timeout: float = 2.0, workers: int = 4) -> None:
        from flashpoint.link import LinkRules
        from flashpoint.store import Ingestor, open_store
        from flashpoint.watch.fetch import Fetcher, FetchSettings
        from flashpoint.watch.poll import Watcher, WatchSettings

        self.db = db_url
        self.engine, self.sessions = open_store(db_url)
        self.clock = Clock()
        self.fetcher = Fetcher(FetchSettings(timeout=timeout))
        self.watcher = Watcher(self.sessions, Ingestor(self.sessions, pipeline, LinkRules.load()), self.fetcher,
                               settings=WatchSettings(workers=workers), clock=self.clock)

    def add(self, url: str, name: str, every: str = "15m") -> int:
        from flashpoint.watch.feeds import add_feed, parse_every

        return add_feed(self.sessions, url, name=name, every_seconds=parse_every(every)).id

    def poll(self, **kw):
        return self.watcher.poll(**kw)

    def count(self, model) -> int:
        with self.sessions() as s:
            return s.scalar(select(func.count()).select_from(model))

    def events(self):
        from flashpoint.store import query_events

        with self.sessions() as s:
            return query_events(s)

    def event_at(self, location: str):
        found = [e for e in self.events() if e.location == location]
        assert len(found) == 1, [(e.location, e.sub_event_type) for e in self.events()]
        return found[0]

    def items(self) -> dict[str, tuple[str, str | None]]:
        """feed_items: key -> (outcome, article id)."""
        from flashpoint.store.models import FeedItem

        with self.sessions() as s:
            return {i.key: (i.outcome, i.article_id) for i in s.scalars(select(FeedItem))}

    def feeds_list(self) -> str:
        from flashpoint.cli import main

        result = CliRunner().invoke(main, ["feeds", "list", "--db", self.db])
        assert result.exit_code == 0, result.output
        return result.output

    def close(self) -> None:
        self.fetcher.close()
        self.engine.dispose()


@pytest.fixture
def store(db, pipeline):  # noqa: F811
    s = Store(db, pipeline)
    yield s
    s.close()


def _serve_levant_and_horn(server) -> None:
    server.pages()
    server.fixture("/feeds/levant.xml", "levant.xml", etag=LEVANT_ETAG, last_modified=LEVANT_MODIFIED)
    server.fixture("/feeds/horn.atom", "horn.atom", etag=HORN_ETAG)


def feed_rows(listing: str) -> dict[str, dict[str, str]]:
    """``feeds list`` as a user reads it: per feed name, its cells by column header, plus the
    indented lines below its row (``url``, ``last error`` or ``note``)."""
    lines = listing.splitlines()
    header = lines[0]
    names = ["id", "name", "status", "every", "last poll (UTC)", "items", "events", "next poll (UTC)"]
    starts = [header.index(n) for n in names] + [None]
    rows: dict[str, dict[str, str]] = {}
    current = None
    for line in lines[2:]:
        if line.startswith("    "):
            label, _, rest = line.strip().partition(": ")
            current.setdefault("url", line.strip()) if "://" in line and not rest else current.update({label: rest})
            continue
        current = {n: line[a:b].strip() for n, a, b in zip(names, starts, starts[1:])}
        rows[current["name"]] = current
    return rows


def test_first_poll_stores_every_item_and_an_unchanged_feed_costs_a_304(store, feed_server):  # noqa: F811
    from flashpoint.store.models import ArticleRow

    _serve_levant_and_horn(feed_server)
    store.add(feed_server.url("/feeds/levant.xml"), "Levant Desk")
    store.add(feed_server.url("/feeds/horn.atom"), "Horn Monitor")

    first = store.poll()
    assert [f.status for f in first.feeds] == ["ok", "ok"]
    items = store.items()
    assert len(items) == 5
    assert {k: o for k, (o, _) in items.items()} == {
        "levant-desk-2025-0903-manbij": "new", "levant-desk-2025-0902-marib": "new",
        "levant-desk-2025-0901-basra": "new", "tag:horn-monitor.example,2025:manbij-gunmen": "new",
        # the syndicated copy of Levant Desk's Marib story: its article is the one stored already
        "tag:horn-monitor.example,2025:marib-depot-wire": "duplicate",
    }
    assert items["tag:horn-monitor.example,2025:marib-depot-wire"][1] == items["levant-desk-2025-0902-marib"][1]
    assert {e.location for e in store.events()} >= {"Manbij", "Marib", "Basrah"}
    articles = store.count(ArticleRow)
    rows = feed_rows(store.feeds_list())
    # Levant Desk brought three items and three events; Horn Monitor two items, whose events
    # are two of those (one joined, one already stored)
    assert {k: rows["Levant Desk"][k] for k in ("status", "items", "events")} == {
        "status": "ok", "items": "3", "events": "3"}
    assert {k: rows["Horn Monitor"][k] for k in ("status", "items", "events")} == {
        "status": "ok", "items": "2", "events": "2"}
    assert rows["Horn Monitor"]["url"] == feed_server.url("/feeds/horn.atom")
    assert rows["Horn Monitor"]["next poll (UTC)"].endswith("(in 15m)")

    before = len(feed_server.requests)
    store.clock.advance(minutes=16)
    second = store.poll()
    assert [f.status for f in second.feeds] == ["not-modified", "not-modified"]
    asked = feed_server.requests[before:]
    assert {r.path for r in asked} == {"/feeds/levant.xml", "/feeds/horn.atom"}  # no page fetched again
    levant_ask = next(r for r in asked if r.path == "/feeds/levant.xml")
    assert levant_ask.headers["if-none-match"] == LEVANT_ETAG
    assert levant_ask.headers["if-modified-since"] == LEVANT_MODIFIED
    assert levant_ask.status == 304
    assert next(r for r in asked if r.path == "/feeds/horn.atom").headers["if-none-match"] == HORN_ETAG
    assert all(r.status == 304 for r in asked)
    assert store.count(ArticleRow) == articles
    assert {r["status"] for r in feed_rows(store.feeds_list()).values()} == {"not-modified"}


def test_a_new_item_is_stored_once_and_only_its_page_is_fetched(store, feed_server):  # noqa: F811
    from flashpoint.store.models import ArticleRow

    _serve_levant_and_horn(feed_server)
    store.add(feed_server.url("/feeds/levant.xml"), "Levant Desk")
    store.poll()
    assert store.count(ArticleRow) == 3

    feed_server.fixture("/feeds/levant.xml", "levant-later.xml", etag='"levant-2"')
    before = len(feed_server.requests)
    store.clock.advance(minutes=15)
    report = store.poll()
    assert report.feeds[0].outcomes == {"new": 1}
    pages = [r.path for r in feed_server.requests[before:] if r.path.startswith("/pages/")]
    assert pages == ["/pages/levant-kismayo-mortars.html"]
    assert store.count(ArticleRow) == 4
    kismayo = store.event_at("Kismayo")
    assert kismayo.sub_event_type == "Shelling/artillery/missile attack"
    assert len(kismayo.sources) == 1

    store.clock.advance(minutes=15)
    again = store.poll()
    assert again.feeds[0].status == "not-modified"
    assert store.count(ArticleRow) == 4
    assert len([e for e in store.events() if e.location == "Kismayo"]) == 1


def test_one_story_in_two_feeds_is_one_event_with_two_sources_and_a_syndicated_copy_adds_none(
        store, feed_server):  # noqa: F811
    _serve_levant_and_horn(feed_server)
    store.add(feed_server.url("/feeds/levant.xml"), "Levant Desk")
    store.add(feed_server.url("/feeds/horn.atom"), "Horn Monitor")
    store.poll()

    manbij = store.event_at("Manbij")
    assert sorted(s.outlet for s in manbij.sources) == ["Horn Monitor", "Levant Desk"]
    assert manbij.fatalities == 2
    marib = store.event_at("Marib")
    assert [s.url for s in marib.sources] == [feed_server.url("/pages/levant-marib-depot.html")]


def test_feeds_add_list_remove_from_the_command_line(tmp_path):
    from flashpoint.cli import main

    db = str(tmp_path / "feeds.sqlite")
    run = lambda *args: CliRunner().invoke(main, list(args))  # noqa: E731
    added = run("feeds", "add", "https://levant-desk.example/rss", "--name", "Levant Desk", "--every", "1h",
                "--db", db)
    assert added.exit_code == 0, added.output
    assert "feed 1 (Levant Desk) added" in added.output
    assert run("feeds", "add", "https://horn.example/feed.atom", "--db", db).exit_code == 0

    listing = run("feeds", "list", "--db", db)
    assert listing.exit_code == 0
    rows = feed_rows(listing.output)
    assert {k: rows["Levant Desk"][k] for k in ("status", "every", "last poll (UTC)", "items")} == {
        "status": "new", "every": "1h", "last poll (UTC)": "never", "items": "0"}
    assert rows["horn.example"]["every"] == "15m" and rows["horn.example"]["next poll (UTC)"].endswith("(due)")

    again = run("feeds", "add", "https://levant-desk.example/rss", "--db", db)
    assert again.exit_code == 2 and "watched already, as feed 1 (Levant Desk)" in again.output
    bad_url = run("feeds", "add", "ftp://levant-desk.example/rss", "--db", db)
    assert bad_url.exit_code == 2 and "not an http:// or https:// URL" in bad_url.output
    bad_every = run("feeds", "add", "https://x.example/rss", "--every", "often", "--db", db)
    assert bad_every.exit_code == 2 and "like 30s, 15m, 1h, 1d" in bad_every.output
    too_often = run("feeds", "add", "https://x.example/rss", "--every", "5s", "--db", db)
    assert too_often.exit_code == 2 and "between 30s and 30d" in too_often.output

    as_json = [json.loads(line) for line in run("feeds", "list", "--json", "--db", db).output.splitlines()]
    assert [(f["id"], f["name"], f["every_seconds"], f["status"]) for f in as_json] == [
        (1, "Levant Desk", 3600, "new"), (2, "horn.example", 900, "new")]

    gone = run("feeds", "remove", "Levant Desk", "--db", db)
    assert gone.exit_code == 0 and "feed 1 (Levant Desk) removed" in gone.output
    unknown = run("feeds", "remove", "Levant Desk", "--db", db)
    assert unknown.exit_code == 2 and "no feed 'Levant Desk'" in unknown.output
    assert list(feed_rows(run("feeds", "list", "--db", db).output)) == ["horn.example"]
    missing = run("feeds", "list", "--db", str(tmp_path / "nothing.sqlite"))
    assert missing.exit_code == 2 and "no database at" in missing.output


def test_watch_refuses_a_store_without_feeds_and_a_bad_alerts_file(tmp_path):
    from flashpoint.cli import main
    from flashpoint.store import open_store

    db = str(tmp_path / "empty.sqlite")
    open_store(db)[0].dispose()
    empty = CliRunner().invoke(main, ["watch", "--once", "--db", db])
    assert empty.exit_code == 2 and "no feeds to watch: add one with 'flashpoint feeds add URL'" in empty.output
    rules = tmp_path / "alerts.toml"
    rules.write_text("[[rule]\nname = 'x'\n", encoding="utf-8")
    bad = CliRunner().invoke(main, ["watch", "--once", "--db", db, "--alerts", str(rules)])
    assert bad.exit_code == 2 and "not valid TOML" in bad.output


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("15m", 900), ("1h", 3600), ("1d", 86400),
                                               ("1h30m", 5400), ("45", 2700)])
def test_intervals_read_as_written_and_print_back_the_same(text, seconds):
    from flashpoint.watch.feeds import format_every, parse_every

    assert parse_every(text) == seconds
    assert parse_every(format_every(seconds)) == seconds
