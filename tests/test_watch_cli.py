"""``flashpoint watch --once`` and ``flashpoint serve --watch`` as a user runs them (in this
process, with the session's pipeline): what they print, the alerts they fire, and that the
background watcher of ``serve`` stops with the server.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from .feedserver import feed_server  # noqa: F401  (fixture)
from .test_watch import feed_rows

RULES = """
[[rule]]
name = "deaths"
min_fatalities = 1
from = "start"
print = true
"""


@pytest.fixture
def watched(tmp_path, resources, feed_server, monkeypatch):  # noqa: F811
    """A store watching Levant Desk's feed on the loopback server; the commands load the
    session's pipeline instead of their own."""
    import importlib

    from flashpoint.store import open_store
    from flashpoint.watch.feeds import add_feed

    cli_watch = importlib.import_module("flashpoint.cli.watch")  # the module, not the command it defines
    monkeypatch.setattr(cli_watch, "load_resources", lambda _model=None: resources)
    feed_server.pages()
    feed_server.fixture("/feeds/levant.xml", "levant.xml", etag='"levant-1"')
    db = str(tmp_path / "events.sqlite")
    engine, sessions = open_store(db)
    add_feed(sessions, feed_server.url("/feeds/levant.xml"), name="Levant Desk")
    engine.dispose()
    return db


def _articles(db: str) -> int:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
    engine.dispose()
    return n


def test_watch_once_says_what_each_feed_brought_and_prints_the_alerts_it_fired(watched, tmp_path):
    from flashpoint.cli import main

    rules = tmp_path / "alerts.toml"
    rules.write_text(RULES, encoding="utf-8")
    result = CliRunner().invoke(main, ["watch", "--once", "--db", watched, "--alerts", str(rules)])
    assert result.exit_code == 0, result.output
    assert "flashpoint: Levant Desk: 3 new item(s): 3 stored; events: 3 new, 0 merged" in result.stderr
    assert "1 feed(s) polled (1 ok, 0 not modified, 0 failing)" in result.stderr
    alerts = [line for line in result.stdout.splitlines() if line.startswith("alert [deaths]")]
    assert len(alerts) == 2 and any("Manbij" in a and "2 killed" in a for a in alerts)  # the protest killed none

    again = CliRunner().invoke(main, ["watch", "--once", "--db", watched, "--alerts", str(rules)])
    assert again.exit_code == 0 and "no feed is due; the next is Levant Desk" in again.stderr
    assert "(in 15m)" in again.stderr and "alert" not in again.stdout


def test_watch_once_exits_2_when_every_feed_it_polled_failed(watched, feed_server):  # noqa: F811
    from flashpoint.cli import main

    feed_server.route("/feeds/levant.xml", "down for maintenance", status=503)
    result = CliRunner().invoke(main, ["watch", "--once", "--db", watched])
    assert result.exit_code == 2
    assert "Levant Desk: failing: HTTP 503 Service Unavailable (failure 1; backing off 30m)" in result.stderr
    assert feed_rows(CliRunner().invoke(main, ["feeds", "list", "--db", watched]).output)[
        "Levant Desk"]["last error"] == "HTTP 503 Service Unavailable"


def test_serve_watch_polls_the_feeds_beside_the_api_and_stops_with_it(watched, monkeypatch):
    import uvicorn

    from flashpoint.cli import main

    served = {}

    def serve_until_the_feed_is_stored(app, **kw):  # stands in for uvicorn: returns as Ctrl-C makes it
        deadline = time.monotonic() + 120
        while _articles(watched) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        served["watching"] = any(t.name == "flashpoint-watch" for t in threading.enumerate())
        served["port"] = kw["port"]

    monkeypatch.setattr(uvicorn, "run", serve_until_the_feed_is_stored)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(main, ["serve", "--watch", "--db", watched, "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert served == {"watching": True, "port": port}
    assert "watching the store's feeds in the background" in result.stderr
    assert _articles(watched) == 3
    assert not any(t.name == "flashpoint-watch" for t in threading.enumerate())  # stopped with the server

    no_watch = CliRunner().invoke(main, ["serve", "--db", watched, "--port", str(port), "--alerts", "x.toml"])
    assert no_watch.exit_code == 2 and "give --watch too" in no_watch.output


def test_a_feeds_file_is_imported_once_and_again_after_an_edit_without_doubles(tmp_path):
    from flashpoint.cli import main

    db = str(tmp_path / "feeds.sqlite")
    listing = tmp_path / "feeds.toml"
    listing.write_text(
        '[[feed]]\nurl = "http://127.0.0.1:9/levant.xml"\nname = "Levant desk"\nevery = "15m"\n\n'
        '[[feed]]\nurl = "http://127.0.0.1:9/yemen.atom"\n', encoding="utf-8")
    first = CliRunner().invoke(main, ["feeds", "import", str(listing), "--db", db])
    assert first.exit_code == 0, first.output
    assert "2 added, 0 updated, 0 unchanged" in first.output
    listing.write_text(listing.read_text(encoding="utf-8").replace('"15m"', '"1h"'), encoding="utf-8")
    again = CliRunner().invoke(main, ["feeds", "import", str(listing), "--db", db])
    assert "0 added, 1 updated, 1 unchanged" in again.output
    def listed() -> dict[str, str]:
        shown = CliRunner().invoke(main, ["feeds", "list", "--db", db])
        return {name: row["every"] for name, row in feed_rows(shown.stdout).items()}

    assert listed() == {"Levant desk": "1h", "127.0.0.1": "15m"}
    listing.write_text('[[feed]]\nurl = "http://127.0.0.1:9/x.xml"\nevry = "1h"\n', encoding="utf-8")
    bad = CliRunner().invoke(main, ["feeds", "import", str(listing), "--db", db])
    assert bad.exit_code == 2 and "feed 1: unknown key 'evry'" in bad.output
    assert len(listed()) == 2


def test_the_example_feeds_file_reads():
    from pathlib import Path

    from flashpoint.watch.feeds import read_feeds_file

    specs = read_feeds_file(Path(__file__).parents[1] / "examples" / "feeds.toml")
    assert [(s.name, s.every_seconds) for s in specs] == [("Example News: Middle East", 900),
                                                         ("Example Wire: conflict desk", 3600)]
