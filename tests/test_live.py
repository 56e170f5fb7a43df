"""The live page (issue #18): ``GET /api/live`` streams the events stored or changed while a client
is connected, and an open page shows them without a reload.

The server runs on loopback in a thread (test_web.py's ``serving``) over a SQLite store holding
the two seeds; the test ingests into the same store from its own thread, as a separate
``flashpoint watch`` or ``ingest`` process would: the stream reads the store, nothing tells it.
The articles ingested are our own invented reports: a new attack on a police checkpoint at
Saraqib, and a later report of it raising its toll from two to four.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import httpx
import pytest
import schemathesis

from .feedserver import feed_server  # noqa: F401  (fixture)
from .test_api import HAWEEK_AGAIN, seed_store
from .test_web import (
    browser,  # noqa: F401  (fixture)
    marker_ids,
    open_page,
    serving,
    shot,
)

SARAQIB = ("Gunmen attacked a police checkpoint in the town of Saraqib in Idlib province, Syria, on Tuesday, killing "
           "two policemen, a local official said.\n\nThe attackers fled on motorcycles, the official said.")
SARAQIB_AGAIN = ("Four policemen were killed when gunmen attacked a police checkpoint in the Syrian town of Saraqib in "
                 "Idlib province on Tuesday, a medical source said on Wednesday.\n\nTwo of the wounded died in "
                 "hospital overnight, the source said.")
POLL = 0.2  # seconds between the stream's reads of the store, in these tests
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def store(tmp_path, pipeline):
    """A store of its own for each test (the seeds), and a function that ingests into it."""
    from flashpoint.link import LinkRules
    from flashpoint.model import Article
    from flashpoint.store import Ingestor, open_store

    db = str(tmp_path / "events.sqlite")
    seed_store(db, pipeline)
    engine, sessions = open_store(db)
    ingestor = Ingestor(sessions, pipeline, LinkRules.load())

    def ingest(article_id: str, text: str, published: str) -> None:
        article = Article(id=article_id, text=text, origin="test", outlet="Test Wire",
                          published=dt.date.fromisoformat(published))
        summary = ingestor.run([article], paths=[article_id])
        assert summary.articles_new == 1 and summary.articles_failed == 0, summary.line()

    ingest.db = db
    yield ingest
    engine.dispose()


def live_app(db: str, **settings):
    from flashpoint.api import Settings, create_app

    return create_app(Settings(db=db, live_poll_seconds=POLL, **settings))


def messages(text: str) -> list[dict]:
    """The SSE messages of ``text``: each a dict of its fields (``data`` parsed), comments as ``comment``."""
    out = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields: dict = {}
        for line in block.split("\n"):
            if not line:
                continue
            name, _, value = line.partition(":")
            name = name or "comment"
            fields[name] = json.loads(value[1:]) if name == "data" else value.removeprefix(" ")
        if fields:
            out.append(fields)
    return out


def events_of(found: list[dict]) -> list[dict]:
    return [m for m in found if m.get("event") == "event"]


def read_once(url: str, query: str = "", last: str | None = None) -> list[dict]:
    r = httpx.get(f"{url}/api/live?once=true&{query}", headers={"Last-Event-ID": last} if last else {}, timeout=10)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/event-stream")
    return messages(r.text)


# ---------------------------------------------------------------------------
# The stream
# ---------------------------------------------------------------------------


def test_changes_after_a_cursor_come_once_in_order_and_filters_hold(store):
    app = live_app(store.db)
    with serving(app) as url:
        (ready,) = read_once(url)  # from now: the store has not changed since
        assert ready["event"] == "ready" and ready["data"]["cursor"] == ready["id"]
        opened = ready["id"]

        store("live-saraqib", SARAQIB, "2025-04-09")  # a new event
        store("live-haweek", HAWEEK_AGAIN, "2025-02-07")  # a new source of a seed event: its toll rises
        found = events_of(read_once(url, last=opened))
        told = [(m["data"]["location"], m["data"]["kind"]) for m in found]
        assert told == [("Saraqib", "new"), ("Haweek", "updated")]
        saraqib, haweek = (m["data"] for m in found)
        assert saraqib["fatalities"] == 2 and [s["article_id"] for s in saraqib["sources"]] == ["live-saraqib"]
        assert "live-haweek" in [s["article_id"] for s in haweek["sources"]]
        # the same shape as an item of the events list, and kind
        listed = httpx.get(f"{url}/api/events?q=Saraqib", timeout=10).json()["items"]
        assert listed == [{k: v for k, v in saraqib.items() if k != "kind"}]

        # resuming after a message gives what followed it, once; after the last, nothing
        assert [m["data"]["location"] for m in events_of(read_once(url, last=found[0]["id"]))] == ["Haweek"]
        tail = read_once(url, last=found[1]["id"])
        assert events_of(tail) == [] and tail[0]["id"] == found[1]["id"]
        # Last-Event-ID (a reconnecting browser) wins over the URL's after
        assert events_of(read_once(url, f"after={opened}", last=found[1]["id"])) == []
        assert len(events_of(read_once(url, f"after={opened}"))) == 2

        # the filters of /api/events
        assert [m["data"]["location"] for m in events_of(read_once(url, "country=Lebanon", last=opened))] == ["Haweek"]
        syria = read_once(url, "country=SYR&type=Battles", last=opened)
        assert [m["data"]["location"] for m in events_of(syria)] == ["Saraqib"]
        # the last id moves past the change the filter left out: resuming there reads nothing again
        assert syria[-1] == {"id": found[1]["id"]}
        assert events_of(read_once(url, "country=SYR", last=syria[-1]["id"])) == []
        april = events_of(read_once(url, "since=2025-04-01&until=2025-04-30", last=opened))
        assert [m["data"]["location"] for m in april] == ["Saraqib"]
        assert events_of(read_once(url, "q=no+such+words", last=opened)) == []

        # each message as the OpenAPI schema says, its data included (schemathesis reads it)
        op = next(r.ok() for r in schemathesis.openapi.from_asgi("/openapi.json", app).get_all_operations()
                  if r.ok().path == "/api/live")
        op.validate_response(httpx.get(f"{url}/api/live?once=true", headers={"Last-Event-ID": opened}, timeout=10))

        # a cursor this stream did not send is a 400 saying where, before any stream
        for bad in ("abc", found[0]["id"][:-4]):
            r = httpx.get(f"{url}/api/live", headers={"Last-Event-ID": bad}, timeout=10)
            assert r.status_code == 400 and r.json()["details"][0]["where"] == "header.Last-Event-ID", r.text
        r = httpx.get(f"{url}/api/live?after=abc", timeout=10)
        assert r.status_code == 400 and r.json()["details"][0]["where"] == "query.after"


def test_an_open_stream_sends_a_change_as_it_is_stored_and_ends_when_the_client_goes(store):
    store("live-saraqib", SARAQIB, "2025-04-09")
    started = time.monotonic()
    with serving(live_app(store.db)) as url:
        with httpx.stream("GET", f"{url}/api/live", timeout=10) as r:
            lines = r.iter_lines()
            assert next(lines) == "retry: 2000" and next(lines) == "event: ready"
            while next(lines):  # the rest of the ready message
                pass
            store("live-saraqib-2", SARAQIB_AGAIN, "2025-04-10")
            block = []
            for line in lines:  # read until the first event message
                if not line and block:
                    if "event: event" in block:
                        break
                    block = []
                elif line:
                    block.append(line)
            (event,) = events_of(messages("\n".join(block) + "\n\n"))
            # stored before the client connected: a change to it is an update, with the new toll
            assert event["data"]["location"] == "Saraqib" and event["data"]["kind"] == "updated"
            assert event["data"]["fatalities"] == 4 and len(event["data"]["sources"]) == 2
        closed = time.monotonic()
    # the stream (60 s at most) ended with its client: the server stopped without waiting for it
    assert time.monotonic() - closed < 5, "the stream outlived its client"
    assert closed - started < 20


def test_a_quiet_stream_sends_heartbeats_and_ends_after_its_longest_time(store, monkeypatch):
    from flashpoint.api import live

    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.3)
    with serving(live_app(store.db, live_max_seconds=1.5)) as url:
        started = time.monotonic()
        r = httpx.get(f"{url}/api/live", timeout=10)
        assert 1.4 < time.monotonic() - started < 5
    found = messages(r.text)
    assert found[0]["event"] == "ready" and sum(1 for m in found if m.get("comment") == "keep-alive") >= 2


# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------


def row(page, event_id: str):
    return page.locator(f'#events tbody tr[data-event-id="{event_id}"]')


def test_an_open_page_shows_a_new_event_and_a_raised_toll_without_a_reload(browser, store):  # noqa: F811
    with serving(live_app(store.db)) as url:
        page = browser.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        # zoomed on Saraqib, where the seeds have no event: its marker stands alone
        open_page(page, url + "/?at=9/35.860/36.800")
        page.wait_for_selector("#live-status[data-live=on]", state="attached")
        assert "Live" in page.inner_text("#live-status") and page.is_hidden("#live-new")
        before = page.locator("#events tbody tr").count()
        assert page.inner_text("#count").startswith(f"{before} events")
        page.evaluate("window.notReloaded = true")

        store("live-saraqib", SARAQIB, "2025-04-09")
        (saraqib,) = httpx.get(f"{url}/api/events?q=Saraqib", timeout=10).json()["items"]
        sid = saraqib["event_id"]
        # the marker, marked new, the row (first: the newest date), the badge and the count
        page.wait_for_selector(f'.fp-marker.live-new[data-event-id="{sid}"]', timeout=10000)
        assert "— 2 killed" in page.get_attribute(f'.fp-marker[data-event-id="{sid}"]', "title")
        page.wait_for_selector(f'#events tbody tr.live-new[data-event-id="{sid}"]', timeout=10000)
        assert page.locator("#events tbody tr").first.get_attribute("data-event-id") == sid
        assert "new since you opened" in row(page, sid).get_attribute("aria-label")
        assert page.inner_text("#live-new") == "1 new since you opened"
        assert page.get_attribute("#live-new", "data-count") == "1"
        page.wait_for_function("n => document.getElementById('count').textContent.startsWith(n + ' events')",
                               arg=before + 1, timeout=10000)
        assert sid in marker_ids(page) and page.get_attribute("body", "data-markers") == str(len(marker_ids(page)))
        shot(page, "live-new-event")

        # a second source raises its toll: the row and the marker change; no new row, still 1 new
        applied = page.get_attribute("body", "data-live-applied")
        store("live-saraqib-2", SARAQIB_AGAIN, "2025-04-10")
        page.wait_for_function(f"id => document.querySelector('#events tbody tr[data-event-id=\"' + id + '\"] td.num')"
                               f"?.textContent === '4'", arg=sid, timeout=10000)
        assert page.get_attribute("body", "data-live-applied") != applied
        assert page.locator("#events tbody tr").count() == before + 1
        assert row(page, sid).count() == 1 and "live-new" in row(page, sid).get_attribute("class")
        page.wait_for_selector(f'.fp-marker.live-new[data-event-id="{sid}"][title*="— 4 killed"]', timeout=10000)
        assert page.inner_text("#live-new") == "1 new since you opened"
        assert page.evaluate("window.notReloaded") is True

        # at a phone's width: the status fits the header, the badge and its list the map, nothing off the side
        page.set_viewport_size(PHONE)
        assert page.inner_text("#live-new") == "1 new since you opened"
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        assert page.locator("header").bounding_box()["height"] <= 110
        page.click("#live-new")
        box = page.locator("#live-list").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        shot(page, "live-phone")
        page.keyboard.press("Escape")
        assert page.is_hidden("#live-list") and page.evaluate("document.activeElement.id") == "live-new"
        page.set_viewport_size({"width": 1400, "height": 900})

        # the badge lists the new events, by keyboard too; opening one marks it seen
        page.focus("#live-new")
        page.keyboard.press("Enter")
        assert page.get_attribute("#live-new", "aria-expanded") == "true"
        item = page.locator(f'#live-list button[data-event-id="{sid}"]')
        assert "Saraqib, Syria · 4 killed" in item.inner_text()
        assert page.evaluate("document.activeElement.dataset.eventId") == sid
        shot(page, "live-new-list")
        page.keyboard.press("Enter")
        page.wait_for_function("id => document.getElementById('panel').dataset.loaded === id", arg=sid)
        assert page.is_hidden("#live-new") and page.is_hidden("#live-list")
        assert page.locator(".live-new").count() == 0  # no marker, no row marked any more
        assert page.errors == []
        page.close()


def test_the_status_says_when_the_live_connection_is_down(browser, store):  # noqa: F811
    with serving(live_app(store.db, live_max_seconds=0.5)) as url:
        page = browser.new_page()
        open_page(page, url + "/")
        page.wait_for_selector("#live-status[data-live=on]", state="attached")
        # the server ends each stream now and then: a quick reconnect shows nothing
        page.wait_for_timeout(1500)
        assert page.get_attribute("#live-status", "data-live") == "on"
        page.route(lambda u: "/api/live" in u, lambda route: route.abort())
        page.wait_for_selector("#live-status[data-live=reconnecting]", state="attached", timeout=15000)
        status = page.locator("#live-status")
        assert "reconnecting" in status.inner_text() and "nothing stored meanwhile is missed" in status.text_content()
        page.unroute_all()
        page.wait_for_selector("#live-status[data-live=on]", state="attached", timeout=15000)
        page.close()


def test_a_page_open_beside_the_watcher_shows_what_it_stores_without_a_reload(browser, store, feed_server,  # noqa: F811
                                                                              pipeline):
    """As under ``flashpoint serve --watch``: the watcher polls a feed on loopback (Levant Desk's
    three reports, written for the tests) into the store the server reads, and the open page
    shows each new event, counted as new, without a reload."""
    from .test_watch import Store as Watched

    feed_server.fixture("/levant.xml", "levant.xml")
    feed_server.pages()
    watched = Watched(store.db, pipeline)
    try:
        watched.add(feed_server.url("/levant.xml"), "Levant Desk")
        with serving(live_app(store.db)) as url:
            page = browser.new_page()
            open_page(page, url + "/")
            page.wait_for_selector("#live-status[data-live=on]", state="attached")
            page.evaluate("window.notReloaded = true")
            known = {e["event_id"] for e in httpx.get(f"{url}/api/events?limit=1000", timeout=10).json()["items"]}

            report = watched.poll()
            assert "3 stored" in report.line(), report.line()
            now = {e["event_id"] for e in httpx.get(f"{url}/api/events?limit=1000", timeout=10).json()["items"]}
            new = now - known
            assert len(new) == 3
            for event_id in new:
                page.wait_for_selector(f'#events tbody tr.live-new[data-event-id="{event_id}"]', timeout=10000)
            page.wait_for_function("n => document.getElementById('live-new').dataset.count === String(n)",
                                   arg=len(new), timeout=10000)
            assert page.inner_text("#live-new") == f"{len(new)} new since you opened"
            assert page.evaluate("window.notReloaded") is True
            page.close()
    finally:
        watched.fetcher.close()
        watched.engine.dispose()
