"""``flashpoint watch`` when things go wrong: feeds that fail, stall, break or move, items that
cannot be had, robots.txt, one request at a time per site, and polls cut short (a stop, a
crash between storing an article and recording its item, SIGKILL of a real process), after
which the store is the one an uninterrupted run leaves.

The feeds and pages (``tests/fixtures/feeds``) were written for these tests.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, select, text

from .feedserver import feed_server  # noqa: F401  (fixture)
from .test_watch import Store, feed_rows

GOOD_ROBOTS = "User-agent: *\nDisallow: /private/\n"


@pytest.fixture
def store(tmp_path, pipeline):
    s = Store(str(tmp_path / "events.sqlite"), pipeline, timeout=1.0)
    yield s
    s.close()


def _serve_everything(server, *, page_delay: float = 0.0) -> None:
    server.pages()
    for route in server.routes.values():
        route.delay = page_delay
    server.route("/robots.txt", GOOD_ROBOTS, content_type="text/plain")
    server.fixture("/feeds/levant.xml", "levant.xml", etag='"levant-1"')
    server.fixture("/feeds/horn.atom", "horn.atom", etag='"horn-1"')
    server.route("/feeds/sahel-old.rdf", status=301, location=server.url("/feeds/sahel.rdf"))
    server.fixture("/feeds/sahel.rdf", "sahel.rdf", last_modified="Sat, 30 Aug 2025 18:00:00 GMT")


def test_failing_feeds_back_off_and_show_why_while_the_good_ones_go_on(store, feed_server):  # noqa: F811
    _serve_everything(feed_server)
    feed_server.route("/feeds/error.xml", "<h1>oops</h1>", status=500)
    feed_server.fixture("/feeds/slow.xml", "levant.xml", delay=3.0)  # the watcher waits 1 s
    feed_server.fixture("/feeds/broken.xml", "broken.xml")
    feed_server.route("/feeds/page.html", "<!doctype html><html><body><p>Our site</p></body></html>")
    for path, name in [("/feeds/error.xml", "Erroring"), ("/feeds/slow.xml", "Stalling"),
                       ("/feeds/broken.xml", "Cut Short"), ("/feeds/page.html", "Not A Feed"),
                       ("/feeds/levant.xml", "Levant Desk"), ("/feeds/sahel-old.rdf", "Sahel Notes")]:
        store.add(feed_server.url(path), name)

    report = store.poll()
    status = {f.name: f.status for f in report.feeds}
    assert status == {"Erroring": "failing", "Stalling": "failing", "Cut Short": "failing",
                      "Not A Feed": "failing", "Levant Desk": "ok", "Sahel Notes": "ok"}
    assert {e.location for e in store.events()} >= {"Manbij", "Marib", "Basrah", "Menaka"}
    # the page robots.txt disallows was never asked for; the item's text in the feed stood in
    assert feed_server.seen("/private/gao-market.html") == []
    gao = store.event_at("Gao")
    assert gao.fatalities == 5 and gao.sources[0].url == feed_server.url("/private/gao-market.html")
    assert any("robots.txt" in p and "its text in the feed was used" in p
               for f in report.feeds for p in f.problems)

    rows = feed_rows(store.feeds_list())
    assert rows["Erroring"]["status"] == "failing x1"
    assert rows["Erroring"]["last error"] == "HTTP 500 Internal Server Error"
    assert rows["Stalling"]["last error"] == "timed out after 1 s"
    assert rows["Cut Short"]["last error"] == "malformed XML at line 10, column 36: not well-formed (invalid token)"
    assert rows["Not A Feed"]["last error"].startswith("not a feed: an HTML page (text/html)")
    for name in ("Erroring", "Stalling", "Cut Short", "Not A Feed"):
        assert rows[name]["next poll (UTC)"].endswith("(in 30m, backing off)")  # 15m x 2
    assert rows["Sahel Notes"]["status"] == "ok" and rows["Sahel Notes"]["items"] == "2"  # the redirect followed

    # at the next regular poll the failing feeds wait; when their back-off is over they fail again,
    # and wait twice as long
    store.clock.advance(minutes=16)
    assert {f.name for f in store.poll().feeds} == {"Levant Desk", "Sahel Notes"}
    store.clock.advance(minutes=15)
    again = store.poll()
    assert {f.name for f in again.feeds} >= {"Erroring", "Stalling", "Cut Short", "Not A Feed"}
    rows = feed_rows(store.feeds_list())
    assert rows["Erroring"]["status"] == "failing x2"
    assert rows["Erroring"]["next poll (UTC)"].endswith("backing off)")
    from flashpoint.watch.feeds import get_feed

    erroring = get_feed(store.sessions, "Erroring")
    assert (erroring.next_poll - erroring.last_poll).total_seconds() == 3600  # 15m x 2^2

    # mended, a feed is polled as any other again
    feed_server.fixture("/feeds/error.xml", "horn.atom")
    store.clock.advance(hours=1, minutes=1)
    store.poll()
    rows = feed_rows(store.feeds_list())
    assert rows["Erroring"]["status"] == "ok" and "last error" not in rows["Erroring"]
    assert rows["Erroring"]["items"] == "2"


def test_one_request_at_a_time_to_a_site_though_several_feeds_are_fetched_at_once(store, feed_server):  # noqa: F811
    _serve_everything(feed_server, page_delay=0.05)
    for path, name in [("/feeds/levant.xml", "Levant Desk"), ("/feeds/horn.atom", "Horn Monitor"),
                       ("/feeds/sahel.rdf", "Sahel Notes")]:
        store.add(feed_server.url(path), name)
    store.poll()
    assert len(feed_server.requests) >= 10
    assert feed_server.max_in_flight == 1
    from flashpoint import __version__

    assert {r.headers["user-agent"] for r in feed_server.requests} == {f"flashpoint/{__version__} (+feed watcher)"}
    assert len(feed_server.seen("/robots.txt")) == 1  # read once, then kept


def test_items_without_usable_content_are_reported_one_by_one_and_the_rest_is_stored(store, feed_server):  # noqa: F811
    from flashpoint.store.models import FeedItem

    feed_server.pages()
    feed_server.route("/empty.html", "")
    feed_server.route("/binary.html", bytes(range(256)) * 40, content_type="application/octet-stream")
    feed_server.route("/picture.png", b"\x89PNG\r\n\x1a\n" + bytes(5000), content_type="image/png")
    feed_server.route("/huge.html", "<p>" + "word " * 2_000_000 + "</p>")
    feed_server.route("/busy.html", "try later", status=503)

    def item(key, link, description=""):
        return (f"<item><title>{key}</title><link>{feed_server.url(link)}</link><guid>{key}</guid>"
                f"<pubDate>Wed, 03 Sep 2025 14:00:00 +0000</pubDate><description>{description}</description></item>")

    gao = ("Gunmen on motorbikes attacked a crowded market in Gao on Saturday, killing five civilians, "
           "local officials said.")
    feed = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Mixed Bag</title>"
            + item("empty", "/empty.html") + item("binary", "/binary.html") + item("huge", "/huge.html")
            + item("picture", "/picture.png", gao) + item("busy", "/busy.html")
            + item("good", "/pages/levant-basra-water.html") + "</channel></rss>")
    feed_server.route("/feeds/mixed.xml", feed, content_type="application/rss+xml", etag='"mixed-1"')
    store.add(feed_server.url("/feeds/mixed.xml"), "Mixed Bag")

    report = store.poll().feeds[0]
    assert report.status == "ok"
    assert report.outcomes == {"new": 2, "skipped": 3, "failed": 1}
    problems = "\n".join(report.problems)
    assert "the page is empty" in problems
    assert "the page is not HTML (application/octet-stream)" in problems
    assert "too large" in problems
    assert "the page is not HTML (image/png); its text in the feed was used" in problems
    assert "HTTP 503" in problems
    assert {e.location for e in store.events()} == {"Basrah", "Gao"}
    # the item that may come good is tried again at the next poll: the feed is read whole again
    rows = feed_rows(store.feeds_list())
    assert rows["Mixed Bag"]["note"] == "1 item(s) failed and are tried again at the next poll"
    feed_server.fixture("/busy.html", "pages/levant-kismayo-mortars.html")
    store.clock.advance(minutes=15)
    before = len(feed_server.requests)
    later = store.poll().feeds[0]
    assert later.outcomes == {"new": 1}
    assert "if-none-match" not in feed_server.seen("/feeds/mixed.xml")[-1].headers
    assert [r.path for r in feed_server.requests[before:] if not r.path.startswith("/feeds")] == ["/busy.html"]
    with store.sessions() as s:
        busy = s.scalar(select(FeedItem).where(FeedItem.url == feed_server.url("/busy.html")))
        assert (busy.outcome, busy.attempts) == ("new", 2)
    store.clock.advance(minutes=15)
    assert store.poll().feeds[0].status == "not-modified"  # all handled: the validators were saved


def _snapshot(db_url: str) -> dict[str, list]:
    """What a user would compare of two stores: articles, events with their sources, feed items."""
    url = db_url if "://" in db_url else f"sqlite:///{db_url}"
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = lambda sql: sorted(tuple(r) for r in conn.execute(text(sql)))  # noqa: E731
        snap = {
            "articles": rows("SELECT id, url, duplicate_of, outlet FROM articles"),
            "events": rows("SELECT id, event_date, sub_event_type, location, fatalities, certainty FROM events"),
            "sources": rows("SELECT event_id, article_id, mention_id FROM event_sources"),
            "feed_items": rows("SELECT f.name, i.key, i.url, i.article_id, i.outcome, i.attempts "
                               "FROM feed_items i JOIN feeds f ON f.id = i.feed_id"),
        }
    engine.dispose()
    return snap


def _add_all(store, server) -> None:
    for path, name in [("/feeds/levant.xml", "Levant Desk"), ("/feeds/horn.atom", "Horn Monitor"),
                       ("/feeds/sahel-old.rdf", "Sahel Notes")]:
        store.add(server.url(path), name)


def test_a_poll_cut_short_between_storing_an_article_and_recording_its_item_loses_and_doubles_nothing(
        tmp_path, pipeline, feed_server):  # noqa: F811
    from flashpoint.watch.poll import Watcher

    _serve_everything(feed_server)
    whole = Store(str(tmp_path / "whole.sqlite"), pipeline)
    _add_all(whole, feed_server)
    whole.poll()
    whole.close()

    cut = Store(str(tmp_path / "cut.sqlite"), pipeline)
    _add_all(cut, feed_server)
    settle = Watcher._settle

    def crash_after_storing_horn_manbij(self, feed, c, result, **kw):
        if c.entry.key.endswith("manbij-gunmen") and result is not None:  # stored, not yet recorded
            raise KeyboardInterrupt("killed")
        return settle(self, feed, c, result, **kw)

    cut.watcher._settle = crash_after_storing_horn_manbij.__get__(cut.watcher)
    with pytest.raises(KeyboardInterrupt):
        cut.poll()
    cut.watcher._settle = settle.__get__(cut.watcher)
    part = _snapshot(cut.db)
    assert any("horn-manbij" in (a[1] or "") for a in part["articles"])
    assert not any("manbij-gunmen" in i[1] for i in part["feed_items"])
    rerun = cut.poll()
    assert [f.name for f in rerun.feeds] == ["Horn Monitor", "Sahel Notes"]  # Levant Desk was done
    cut.close()
    assert _snapshot(cut.db) == _snapshot(whole.db)


def test_a_stop_mid_poll_leaves_the_feed_due_and_the_next_round_finishes_it(store, feed_server):  # noqa: F811
    import threading

    _serve_everything(feed_server)
    _add_all(store, feed_server)
    stop = threading.Event()
    report = store.poll(stop=stop, on_feed=lambda _report: stop.set())  # stopped after the first feed
    assert report.interrupted and [f.name for f in report.feeds] == ["Levant Desk"]
    rows = feed_rows(store.feeds_list())
    assert rows["Levant Desk"]["status"] == "ok"
    assert rows["Horn Monitor"]["status"] == rows["Sahel Notes"]["status"] == "new"
    finish = store.poll()
    assert [f.name for f in finish.feeds] == ["Horn Monitor", "Sahel Notes"] and not finish.interrupted


def _count(db: str, sql: str) -> int:
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar_one()
    except Exception:  # the schema may not exist yet
        return 0
    finally:
        engine.dispose()


@pytest.mark.slow
def test_watch_killed_with_sigkill_mid_poll_and_run_again_leaves_the_store_an_uninterrupted_run_leaves(
        tmp_path, pipeline, feed_server):  # noqa: F811
    _serve_everything(feed_server, page_delay=0.3)  # slow pages: the kill lands mid-poll
    whole = Store(str(tmp_path / "whole.sqlite"), pipeline)
    _add_all(whole, feed_server)
    whole.poll()
    whole.close()
    expected = _snapshot(whole.db)

    killed = Store(str(tmp_path / "killed.sqlite"), pipeline)
    _add_all(killed, feed_server)
    killed.close()
    cmd = [sys.executable, "-m", "flashpoint", "watch", "--once", "--db", killed.db]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    job = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 300
    while _count(killed.db, "SELECT count(*) FROM articles") < 1:
        assert job.poll() is None, "watch ended before it could be killed: " + job.stderr.read().decode()
        assert time.monotonic() < deadline, "no article was stored within 300 s"
        time.sleep(0.02)
    job.send_signal(signal.SIGKILL)
    job.wait()
    part = _snapshot(killed.db)
    assert 0 < len(part["articles"]) and len(part["feed_items"]) < len(expected["feed_items"])

    rerun = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert _snapshot(killed.db) == expected
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0 and "no feed is due; the next is" in again.stderr  # all were done


def test_a_site_whose_robots_txt_forbids_the_feed_or_cannot_be_read_is_not_asked_for_it(store):
    from .feedserver import FeedServer

    forbids, broken = FeedServer().start(), FeedServer().start()
    try:
        forbids.route("/robots.txt", "User-agent: flashpoint\nDisallow: /feeds/\n", content_type="text/plain")
        broken.route("/robots.txt", "busy", status=503)
        for server, name in ((forbids, "Forbidden"), (broken, "Unreadable")):
            server.fixture("/feeds/levant.xml", "levant.xml")
            store.add(server.url("/feeds/levant.xml"), name)
        report = store.poll()
        assert [f.status for f in report.feeds] == ["failing", "failing"]
        assert forbids.seen("/feeds/levant.xml") == broken.seen("/feeds/levant.xml") == []
        rows = feed_rows(store.feeds_list())
        assert rows["Forbidden"]["last error"] == (f"robots.txt of {forbids.base} disallows "
                                                   f"{forbids.url('/feeds/levant.xml')}")
        assert rows["Unreadable"]["last error"] == (f"HTTP 503 Service Unavailable (asking for robots.txt of "
                                                    f"{broken.base}: nothing is fetched from the site until it answers)")
    finally:
        forbids.close()
        broken.close()
