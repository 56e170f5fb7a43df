"""Alert rules over a real store: a rule fires once for a matching event, again when a second
source raises its toll, never for an event it does not match; webhooks reach a real receiver in
the background, and one that is down or hangs never slows a check or the watcher's exit.

The two articles are written for these tests: an air strike on a market in Ariha (Idlib) that
kills two, then a second outlet's report of the same strike whose toll has risen to five. The
store merges them into one event (checked below, so a change in linking shows here first).
"""

from __future__ import annotations

import datetime as dt
import http.server
import io
import json
import socket
import threading
import time
from pathlib import Path

import pytest

from .test_store import db, link_rules, postgres_server  # noqa: F401  (fixtures: both backends)

DAY = dt.date(2025, 3, 12)

FIRST = dict(
    id="alerts-ariha-orontes", outlet="Orontes Daily", url="https://orontes.example/2025/03/12/ariha",
    title="Air strike on Ariha market kills two",
    text="An air strike hit a market in the town of Ariha in Idlib province on Tuesday, killing two "
         "civilians, local rescuers said.\n\nRescue workers searched the rubble for survivors into the night.\n",
)
SECOND = dict(
    id="alerts-ariha-nsm", outlet="North Syria Monitor", url="https://nsm.example/ariha-strike-toll",
    title="Death toll in Ariha air strike rises to five",
    text="The death toll from an air strike on a market in Ariha in Idlib province on Tuesday has risen to "
         "five, the Syrian Civil Defence said on Wednesday.\n\nThree of the wounded died overnight in "
         "hospital, rescuers said.\n",
)


def ingest(sessions, pipeline, link_rules, report: dict):
    from flashpoint.model import Article
    from flashpoint.store import Ingestor

    article = Article(origin="test", published=DAY, **report)
    return Ingestor(sessions, pipeline, link_rules).run([article], paths=["test"])


def rules_file(tmp_path: Path, text: str):
    from flashpoint.watch.alerts import AlertRules

    path = tmp_path / "alerts.toml"
    path.write_text(text, encoding="utf-8")
    return AlertRules.load(path)


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def store(db):  # noqa: F811
    from flashpoint.store import open_store

    engine, sessions = open_store(db)
    yield sessions
    engine.dispose()


@pytest.fixture
def sqlite_store(tmp_path):
    from flashpoint.store import open_store

    engine, sessions = open_store(str(tmp_path / "events.sqlite"))
    yield sessions
    engine.dispose()


RULES = """
[[rule]]
name = "idlib-strikes"
country = "Syria"
admin1 = "Idlib"
type = "Air/drone strike"
bbox = [35.6, 35.3, 37.2, 36.7]
min_fatalities = 1
from = "start"
print = true
jsonl = "out/idlib.jsonl"

[[rule]]
name = "yemen"
country = "YEM"
from = "start"
jsonl = "out/yemen.jsonl"

[[rule]]
name = "mass-casualty"
country = "SY"
min_fatalities = 10
from = "start"
jsonl = "out/mass.jsonl"
"""


def test_a_rule_fires_once_then_again_when_a_second_source_raises_the_toll_and_never_when_it_does_not_match(
    store, pipeline, link_rules, tmp_path  # noqa: F811
):
    from flashpoint.watch.alerts import Alerter

    rules = rules_file(tmp_path, RULES)
    out = io.StringIO()
    alerter = Alerter(store, rules, out=out)
    assert alerter.check() == []  # an empty store

    assert ingest(store, pipeline, link_rules, FIRST).events_new == 1
    (alert,) = alerter.check()
    assert (alert.rule, alert.kind, alert.event.fatalities, alert.event.sources) == ("idlib-strikes", "new", 2, 1)
    assert alerter.check() == []  # once per event
    (line,) = jsonl(tmp_path / "out" / "idlib.jsonl")
    assert line["rule"] == "idlib-strikes" and line["kind"] == "new" and line["changes"] == []
    assert line["event_id"] == alert.event_id and line["link"] == f"/?event={alert.event_id}"
    assert (line["location"], line["admin1"], line["country"]) == ("Ariha", "Idlib", "Syria")
    assert line["sub_event_type"] == "Air/drone strike" and line["fatalities"] == 2 and line["sources"] == 1
    assert line["articles"][0]["outlet"] == "Orontes Daily"
    assert "alert [idlib-strikes] new:" in out.getvalue() and "Ariha, Idlib, Syria: 2 killed" in out.getvalue()

    summary = ingest(store, pipeline, link_rules, SECOND)
    assert (summary.events_new, summary.events_merged) == (0, 1)  # the same strike: one event
    (again,) = alerter.check()
    assert again.kind == "changed" and again.event_id == alert.event_id
    changed = {c.field: (c.old, c.new) for c in again.changes}
    assert changed["fatalities"] == (2, 5) and changed["sources"] == (1, 2)
    assert "fatalities 2 -> 5" in again.changed() and "sources 1 -> 2" in again.changed()
    lines = jsonl(tmp_path / "out" / "idlib.jsonl")
    assert len(lines) == 2 and lines[1]["kind"] == "changed" and lines[1]["fatalities"] == 5
    assert {c["field"] for c in lines[1]["changes"]} >= {"fatalities", "sources"}
    assert alerter.check() == []

    # the same article again changes nothing; a watcher started afresh remembers what it sent
    assert ingest(store, pipeline, link_rules, SECOND).articles_duplicate == 1
    assert Alerter(store, rules, out=io.StringIO()).check() == []
    assert len(jsonl(tmp_path / "out" / "idlib.jsonl")) == 2
    # the other rules never matched: their files exist (created at start) and stay empty
    assert jsonl(tmp_path / "out" / "yemen.jsonl") == [] and jsonl(tmp_path / "out" / "mass.jsonl") == []


def test_a_new_rule_starts_at_the_newest_event_unless_it_says_from_start(sqlite_store, pipeline, link_rules, tmp_path):  # noqa: F811
    from flashpoint.watch.alerts import Alerter

    ingest(sqlite_store, pipeline, link_rules, FIRST)
    rules = rules_file(tmp_path, '[[rule]]\nname = "syria"\ncountry = "Syria"\njsonl = "now.jsonl"\n\n'
                                 '[[rule]]\nname = "syria-all"\ncountry = "Syria"\nfrom = "start"\njsonl = "all.jsonl"\n')
    alerter = Alerter(sqlite_store, rules, out=io.StringIO())
    assert [a.rule for a in alerter.check()] == ["syria-all"]  # the stored strike: only from the start
    ingest(sqlite_store, pipeline, link_rules, SECOND)
    fired = {a.rule: a for a in alerter.check()}
    # the rule seen first after the strike was stored hears of it when it changes, as news to it
    assert fired["syria"].kind == "new" and fired["syria"].event.fatalities == 5
    assert fired["syria-all"].kind == "changed"


class Receiver(http.server.BaseHTTPRequestHandler):
    """A webhook receiver: keeps each POSTed JSON body on its server."""

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.bodies.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_args):
        pass


@pytest.fixture
def receiver():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.bodies = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_webhook_receiver_gets_the_alert_as_json(sqlite_store, pipeline, link_rules, tmp_path, receiver):  # noqa: F811
    from flashpoint.watch.alerts import Alerter

    url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    rules = rules_file(tmp_path, f'[[rule]]\nname = "hook"\nadmin1 = "idlib"\nfrom = "start"\nwebhook = "{url}"\n')
    alerter = Alerter(sqlite_store, rules, out=io.StringIO())
    ingest(sqlite_store, pipeline, link_rules, FIRST)
    (alert,) = alerter.check()
    alerter.close(timeout=5.0)
    (body,) = receiver.bodies
    assert body["rule"] == "hook" and body["event_id"] == alert.event_id and body["kind"] == "new"
    assert body["fatalities"] == 2 and body["link"] == f"/?event={alert.event_id}"
    assert alerter.webhooks[url].stats().delivered == 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_webhook_that_is_down_or_hangs_never_stalls_a_check_or_the_close(
    sqlite_store, pipeline, link_rules, tmp_path  # noqa: F811
):
    from flashpoint.watch.alerts import Alerter
    from flashpoint.watch.sinks import WebhookSettings

    silent = socket.socket()  # accepts connections (the backlog) but never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    down = f"http://127.0.0.1:{_closed_port()}/hook"
    hangs = f"http://127.0.0.1:{silent.getsockname()[1]}/hook"
    rules = rules_file(tmp_path, f'[[rule]]\nname = "down"\nfrom = "start"\nwebhook = "{down}"\njsonl = "down.jsonl"\n\n'
                                 f'[[rule]]\nname = "hangs"\nfrom = "start"\nwebhook = "{hangs}"\n')
    ingest(sqlite_store, pipeline, link_rules, FIRST)
    try:
        alerter = Alerter(sqlite_store, rules, out=io.StringIO(),
                          webhook=WebhookSettings(timeout=30.0, retries=5, backoff=0.2))
        started = time.monotonic()
        assert len(alerter.check()) == 2
        assert time.monotonic() - started < 1.0
        assert len(jsonl(tmp_path / "down.jsonl")) == 1  # the file is written whatever the webhook does
        time.sleep(0.3)  # the worker tries, fails, waits to retry
        started = time.monotonic()
        alerter.close(timeout=0.5)
        assert time.monotonic() - started < 1.0
        assert alerter.webhooks[down].stats().delivered == 0
        assert alerter.webhooks[hangs].stats().delivered == 0
    finally:
        silent.close()


def test_a_full_webhook_queue_drops_the_oldest_and_the_rest_are_delivered_in_order():
    import httpx

    from flashpoint.watch.sinks import WebhookSettings, WebhookSink

    gate, got = threading.Event(), []

    def handler(request: httpx.Request) -> httpx.Response:
        gate.wait(5)
        got.append(json.loads(request.content)["n"])
        return httpx.Response(200)

    class Item:
        def __init__(self, n):
            self.n = n

        def payload(self):
            return {"n": self.n}

        def line(self):
            return str(self.n)

    sink = WebhookSink("http://receiver.test/hook", WebhookSettings(queue_size=2),
                       client=lambda timeout: httpx.Client(transport=httpx.MockTransport(handler), timeout=timeout))
    sink.emit(Item(0))
    deadline = time.monotonic() + 2
    while sink.stats().queued and time.monotonic() < deadline:  # 0 is in flight, held at the gate
        time.sleep(0.01)
    for n in (1, 2, 3):
        sink.emit(Item(n))  # the queue holds two: 1 is dropped for 3
    gate.set()
    assert sink.close(timeout=5.0)
    assert got == [0, 2, 3]
    stats = sink.stats()
    assert (stats.delivered, stats.dropped, stats.queued) == (3, 1, 0)


@pytest.mark.parametrize("text, says", [
    ('[[rule]]\nname = "a"\nprint = tru\n', "not valid TOML"),
    ('[rules]\nname = "a"\n', "unknown key 'rules'"),
    ('[[rule]]\nprint = true\n', "rule 1: name: every rule needs a name"),
    ('[[rule]]\nname = "a"\ncountry = "Syria"\n', "rule 1 ('a'): print: the rule does nothing"),
    ('[[rule]]\nname = "a"\ntyp = "Battles"\nprint = true\n', "rule 1 ('a'): typ: unknown key 'typ'; did you mean 'type'?"),
    ('[[rule]]\nname = "a"\nprint = true\n\n[[rule]]\nname = "b"\ntype = "Airstrike"\nprint = true\n',
     "rule 2 ('b'): type: 'Airstrike' is not an event type or sub-event type of the codebook; did you mean 'Air/drone strike'?"),
    ('[[rule]]\nname = "a"\ncertainty = "sure"\nprint = true\n', "certainty: 'sure' is not a certainty"),
    ('[[rule]]\nname = "a"\ncountry = "Syira"\nprint = true\n', "country: 'Syira' is not a country name or ISO3 code; did you mean 'Syria'"),
    ('[[rule]]\nname = "a"\nbbox = [37, 35, 36, 36]\nprint = true\n', "bbox: each minimum before its maximum"),
    ('[[rule]]\nname = "a"\nbbox = [36, 35]\nprint = true\n', "bbox: give [MIN_LON, MIN_LAT, MAX_LON, MAX_LAT]"),
    ('[[rule]]\nname = "a"\nmin_fatalities = -1\nprint = true\n', "min_fatalities: give a whole number"),
    ('[[rule]]\nname = "a"\nwebhook = "ftp://example.org/x"\n', "webhook: give an http:// or https:// URL"),
    ('[[rule]]\nname = "a"\nfrom = "begin"\nprint = true\n', "from: 'begin' is not where a new rule starts"),
    ('[[rule]]\nname = "a"\nprint = true\n[[rule]]\nname = "a"\nprint = true\n', "rule 2 ('a'): name: 'a' names an earlier rule"),
])
def test_a_malformed_rules_file_says_which_file_rule_and_key(tmp_path, text, says):
    from flashpoint.watch.alerts import AlertRulesError

    with pytest.raises(AlertRulesError) as err:
        rules_file(tmp_path, text)
    assert str(err.value).startswith(str(tmp_path / "alerts.toml") + ": ")
    assert says in str(err.value)
    assert isinstance(err.value, ValueError)


def test_a_country_given_by_another_name_or_code_is_read_as_its_iso3_code(tmp_path):
    rules = rules_file(tmp_path, '[[rule]]\nname = "a"\ncountry = "SY"\nprint = true\n\n'
                                 '[[rule]]\nname = "b"\ncountry = "syria"\njsonl = "x/y.jsonl"\n')
    assert [r.filter.country for r in rules.rules] == ["SYR", "syria"]
    assert rules.rules[1].jsonl == tmp_path / "x" / "y.jsonl"  # relative to the rules file


def test_the_example_rules_file_loads():
    from flashpoint.watch.alerts import AlertRules

    from .conftest import EXAMPLES

    rules = AlertRules.load(EXAMPLES / "alerts.toml")
    assert len(rules.rules) >= 2 and all(r.print or r.jsonl or r.webhook for r in rules.rules)
