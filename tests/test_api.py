"""The REST API through an ASGI client, on a store holding the two seed articles.

The store is filled by the P4 ingest job (seed 001 published 2025-02-07 as in expected.json;
seed 000 has no date); write tests post articles we wrote ourselves.
"""

from __future__ import annotations

import datetime as dt
import csv
import io
import json
import warnings

import pytest

from .conftest import shared_path

SEED_PUBLISHED = "2025-02-07"  # expected.json: 001 has this date, 000 none
TOKEN = "test-token-0123456789abcdef"

# An article of our own whose text carries markup: the page must show it as text.
HOSTILE_TEXT = (
    "Gunmen attacked an army checkpoint in the town of Hermel in northeastern Lebanon on Monday, killing two "
    "soldiers, the Lebanese army said in a statement.\n\nA page that copied the army's statement also carried the "
    "strings <script>document.title='pwned'</script> and <img src=x onerror=\"document.title='pwned'\"> inside "
    "its text.\n\nSoldiers returned fire and the attackers fled towards the hills, the statement said."
)
HOSTILE = {"id": "hostile-markup", "text": HOSTILE_TEXT, "published": "2025-03-11", "outlet": "Test Wire"}

# A second report of the seed's Haweek clash (2025-02-06): it merges, and the merge writes history.
HAWEEK_AGAIN = ("Syrian army forces clashed with Hezbollah fighters in the Lebanese border town of Haweek in the "
                "Hermel region on Thursday, killing three Hezbollah fighters, a security source said on Friday.\n\n"
                "The fighting lasted several hours before the Hezbollah fighters withdrew, the source said.")


def seed_store(db: str, pipeline) -> None:
    """The two seed articles ingested into ``db`` as ``flashpoint ingest`` does."""
    import datetime as dt

    from flashpoint.ingest import read_inputs
    from flashpoint.link import LinkRules
    from flashpoint.store import Ingestor, open_store

    folder = shared_path("seeds")
    engine, sessions = open_store(db)
    ingestor = Ingestor(sessions, pipeline, LinkRules.load())
    for name, published in (("001_9977996e42cd27ec.txt", dt.date.fromisoformat(SEED_PUBLISHED)),
                            ("000_d6a7c1cd75e71375.txt", None)):
        path = str(folder / name)
        summary = ingestor.run(read_inputs([path], published=published, max_bytes=10_000_000), paths=[path])
        assert summary.articles_new == 1, summary.line()
    engine.dispose()


def make_client(app):
    with warnings.catch_warnings():  # starlette suggests httpx2; httpx is what we pin
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient(app)


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory, pipeline) -> str:
    db = str(tmp_path_factory.mktemp("api") / "events.sqlite")
    seed_store(db, pipeline)
    return db


@pytest.fixture(scope="module")
def client(seeded_db, pipeline):
    from flashpoint.api import Settings, create_app

    return make_client(create_app(Settings(db=seeded_db, write_token=TOKEN), pipeline=pipeline))


def locations(items) -> list[str]:
    return [e["location"] for e in items]


def test_events_lists_the_four_seed_events_newest_first_with_undated_ones_last(client):
    r = client.get("/api/events")
    assert r.status_code == 200
    body = r.json()
    locs = locations(body["items"])
    assert sorted(locs[:2]) == ["Al Qusayr", "Haweek"]  # 2025-02-06
    assert sorted(locs[2:]) == ["Arsal", "Qalamoun"]  # the undated article's events
    assert body["next_cursor"] is None
    haweek = next(e for e in body["items"] if e["location"] == "Haweek")
    assert haweek["actor1"] == "Military Forces of Syria (2024-)" and haweek["actor2"] == "Hezbollah"
    assert haweek["sources"][0]["published"] == SEED_PUBLISHED


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=Lebanon", {"Haweek", "Arsal"}),
        ("country=SYR", {"Al Qusayr", "Qalamoun"}),
        ("since=2025-02-06&until=2025-02-06", {"Haweek", "Al Qusayr"}),
        ("until=2025-01-31", set()),
        ("actor=hezbollah", {"Haweek", "Al Qusayr", "Arsal", "Qalamoun"}),
        ("actor=Unidentified", {"Arsal", "Qalamoun"}),
        ("type=Battles", {"Haweek", "Al Qusayr", "Arsal", "Qalamoun"}),
        ("type=Protests", set()),
        ("type=Armed%20clash&certainty=reported", {"Haweek", "Al Qusayr", "Arsal", "Qalamoun"}),
        ("certainty=confirmed", set()),
        ("bbox=36.0,34.3,37.0,35.0", {"Haweek", "Al Qusayr"}),
    ],
)
def test_events_filters_match_the_cli_filters(client, query, expected):
    r = client.get(f"/api/events?{query}")
    assert r.status_code == 200, r.text
    assert set(locations(r.json()["items"])) == expected


def test_cursor_pagination_walks_every_event_once_in_sort_order(client):
    for sort in ("event_date", "-event_date", "fatalities", "-fatalities"):
        seen, cursor = [], None
        while True:
            url = f"/api/events?limit=1&sort={sort}" + (f"&cursor={cursor}" if cursor else "")
            page = client.get(url).json()
            seen += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == 4 and len({e["event_id"] for e in seen}) == 4, sort
        dated = [e["event_date"] for e in seen if e["event_date"]]
        assert dated == sorted(dated, reverse=sort.startswith("-")), sort
        if "date" in sort:
            assert [e["event_date"] for e in seen[2:]] == [None, None]


def test_a_cursor_from_another_sort_or_garbage_is_a_400_with_a_message(client):
    cursor = client.get("/api/events?limit=1&sort=fatalities").json()["next_cursor"]
    for bad in (cursor, "not-a-cursor", "e30"):
        r = client.get(f"/api/events?sort=event_date&cursor={bad}")
        assert r.status_code == 400
        assert r.json()["error"].startswith("invalid cursor")


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("limit=0", "query.limit"),
        ("limit=5000", "query.limit"),
        ("since=yesterday", "query.since"),
        ("since=2025-03-01&until=2025-02-01", "query.since"),
        ("type=Skirmish", "query.type"),
        ("certainty=sure", "query.certainty"),
        ("bbox=1,2,3", "query.bbox"),
        ("bbox=10,0,5,1", "query.bbox"),
        ("sort=location", "query.sort"),
    ],
)
def test_invalid_queries_get_422_json_naming_the_parameter(client, query, where):
    r = client.get(f"/api/events?{query}")
    assert r.status_code == 422
    body = r.json()
    assert body["status"] == 422 and body["error"]
    assert where in [d["where"] for d in body["details"]]


def test_event_detail_has_sources_evidence_offsets_storyline_and_history(client):
    haweek = next(e for e in client.get("/api/events?country=Lebanon").json()["items"] if e["location"] == "Haweek")
    r = client.get(f"/api/events/{haweek['event_id']}")
    assert r.status_code == 200
    event = r.json()
    assert event["sub_event_type"] == "Armed clash" and event["country"] == "Lebanon"
    (source,) = event["sources"]
    assert source["figures"]["location"] == "Haweek"
    article = client.get(f"/api/articles/{source['article_id']}").json()
    assert source["evidence"], "an event without evidence"
    for ev in source["evidence"]:
        assert article["text"][ev["start"]:ev["end"]] == ev["text"]
    assert any(s["event_id"] == event["event_id"] for s in event["storyline"]) or not event["storyline_id"]
    assert event["history"] == []  # one report only: nothing was changed by a merge


def test_article_lists_where_each_events_evidence_sits(client):
    events = client.get("/api/events?country=SYR").json()["items"]
    qalamoun = next(e for e in events if e["location"] == "Qalamoun")
    article = client.get(f"/api/articles/{qalamoun['sources'][0]['article_id']}").json()
    own = [s for s in article["spans"] if s["event_id"] == qalamoun["event_id"]]
    assert own and all(article["text"][s["start"]:s["end"]] == s["text"] for s in own)
    # the same article also supports the Arsal event: its spans are there too
    assert {s["event_id"] for s in article["spans"]} >= {qalamoun["event_id"]}
    assert len({s["event_id"] for s in article["spans"]}) == 2


def test_unknown_event_and_article_are_404_json(client):
    for url in ("/api/events/fp-nothing", "/api/articles/nothing", "/api/nothing"):
        r = client.get(url)
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
        assert r.json()["error"]


def test_stats_count_events_per_day_type_admin1_and_actor(client):
    stats = client.get("/api/stats").json()
    assert stats["total_events"] == 4 and stats["undated_events"] == 2
    assert stats["per_day"] == [{"day": "2025-02-06", "event_type": "Battles", "events": 2, "fatalities": 0}]
    by_actor = {a["actor"]: a["events"] for a in stats["per_actor"]}
    assert by_actor["Hezbollah"] == 4 and by_actor["Military Forces of Syria (2024-)"] == 2
    assert sum(a["events"] for a in stats["per_admin1"]) == 4
    lebanon = client.get("/api/stats?country=Lebanon").json()
    assert lebanon["total_events"] == 2 and {a["country"] for a in lebanon["per_admin1"]} == {"Lebanon"}


def test_stats_compute_only_the_counts_asked_for(client):
    legend = client.get("/api/stats?include=per_type").json()
    assert legend["per_type"] == [{"event_type": "Battles", "events": 2, "fatalities": 0}]
    assert legend["per_day"] == legend["per_admin1"] == legend["per_actor"] == []
    assert legend["total_events"] == 4 and legend["undated_events"] == 2  # the totals always come
    assert client.get("/api/stats?include=per_day,nothing").status_code == 422


def test_stats_bucket_days_into_weeks_and_months_named_by_their_first_day(client):
    def days(bucket: str) -> tuple[str, list[tuple[str, int]]]:
        found = client.get(f"/api/stats?include=per_day&bucket={bucket}").json()
        return found["bucket"], [(d["day"], d["events"]) for d in found["per_day"]]

    assert days("week") == ("week", [("2025-02-03", 2)])  # 6 February 2025 was a Thursday
    assert days("month") == ("month", [("2025-02-01", 2)])
    assert days("auto") == ("day", [("2025-02-06", 2)])  # a short span keeps its days
    weeks = client.get("/api/stats?include=per_day&bucket=week").json()
    assert (weeks["first_day"], weeks["last_day"]) == ("2025-02-06", "2025-02-06")  # the days, not the week's


def test_automatic_buckets_widen_with_the_span_of_the_events():
    from flashpoint.store.stats import bucket_start, choose_bucket

    start = dt.date(2015, 1, 1)
    assert choose_bucket(start, dt.date(2016, 12, 31)) == "day"
    assert choose_bucket(start, dt.date(2024, 12, 31)) == "week"
    assert choose_bucket(start, dt.date(2030, 1, 1)) == "month"
    assert bucket_start(dt.date(2024, 12, 31), "week") == dt.date(2024, 12, 30)  # a Monday, across a year's end


def test_exports_stream_the_filtered_set_in_each_format(client):
    r = client.get("/api/export.csv?country=Lebanon")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["location"] for row in rows} == {"Haweek", "Arsal"}
    assert list(rows[0])[:3] == ["event_id_cnty", "event_date", "year"]  # ACLED's order
    features = client.get("/api/export.geojson").json()["features"]
    assert len(features) == 4 and all(f["geometry"]["type"] == "Point" for f in features)
    lines = client.get("/api/export.jsonl?since=2025-02-06").text.splitlines()
    events = [json.loads(line) for line in lines]
    assert {e["location"] for e in events} == {"Haweek", "Al Qusayr"}
    assert all(e["sources"][0]["evidence"] for e in events)


def test_health_reports_the_store(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["database"] == "sqlite" and body["events"] >= 4


def test_page_and_assets_are_served_locally_with_a_strict_policy(client):
    page = client.get("/")
    assert page.status_code == 200 and "<div id=\"map\"" in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline'; object" not in csp.split("script-src")[1]
    for asset in ("/vendor/leaflet/leaflet.js", "/vendor/markercluster/leaflet.markercluster.js",
                  "/static/app.js", "/static/countries-110m.geojson", "/vendor/swagger-ui/swagger-ui-bundle.js"):
        assert client.get(asset).status_code == 200, asset
    assert "http" not in "".join(line for line in page.text.splitlines() if "src=" in line or "href=" in line)
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").json()["paths"]["/api/events"]


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def test_posting_without_the_token_is_refused_and_stores_nothing(client):
    for headers in ({}, {"Authorization": "Bearer wrong-token-wrong-token"}):
        r = client.post("/api/articles", json=HOSTILE, headers=headers)
        assert r.status_code == 401 and "token" in r.json()["error"]
    assert client.get("/api/articles/hostile-markup").status_code == 404


def test_writing_is_off_when_the_server_has_no_token(seeded_db):
    from flashpoint.api import Settings, create_app

    c = make_client(create_app(Settings(db=seeded_db)))
    r = c.post("/api/articles", json=HOSTILE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403 and "disabled" in r.json()["error"]


def test_a_body_over_the_byte_limit_is_a_413_and_an_array_over_the_item_limit_a_422(seeded_db, pipeline):
    from flashpoint.api import Settings, create_app

    app = create_app(Settings(db=seeded_db, write_token=TOKEN, max_body_bytes=2000, max_items=2), pipeline=pipeline)
    c = make_client(app)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = c.post("/api/articles", json={"text": "x" * 5000}, headers=auth)
    assert r.status_code == 413 and "2,000 bytes" in r.json()["error"]
    # the item limit is in the schema (maxItems), so a longer array is refused like any invalid body
    body = app.openapi()["paths"]["/api/articles"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"type": "array", "minItems": 1, "maxItems": 2}.items() <= body["oneOf"][1].items()
    r = c.post("/api/articles", json=[{"text": "a"}, {"text": "b"}, {"text": "c"}], headers=auth)
    assert r.status_code == 422 and "at most 2 items" in r.json()["error"]


@pytest.mark.parametrize(
    "body",
    [{"title": "no text"}, {"text": "a", "html": "<p>b</p>"}, {"text": "   "}, {"text": "a", "published": "soon"},
     {"text": "a", "colour": "red"}, [], "just a string"],
)
def test_malformed_articles_get_422_with_details(client, body):
    r = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422, r.text
    assert r.json()["details"] or "no articles" in r.json()["error"]


def test_posting_articles_ingests_each_and_reports_per_item_results(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    not_english = {"id": "not-english", "text": "Le chat dort sur le canapé du salon depuis ce matin. " * 5}
    r = client.post("/api/articles", json=[HOSTILE, not_english], headers=auth)
    assert r.status_code == 200, r.text
    first, second = r.json()["results"]
    assert first["status"] == "new" and first["id"] == "hostile-markup" and first["events_new"] >= 1
    event = client.get(f"/api/events/{first['event_ids'][0]}").json()
    assert event["location"] == "El Hermel" and event["fatalities"] == 2
    assert second["status"] == "failed" and second["reason"]
    again = client.post("/api/articles", json=HOSTILE, headers=auth).json()
    assert again["results"][0]["status"] == "duplicate" and again["counts"]["events_new"] == 0
    # the stored text keeps the markup as characters: it is data, never interpreted
    assert "<script>" in client.get("/api/articles/hostile-markup").json()["text"]


def test_serve_binds_loopback_unless_told_otherwise(monkeypatch, tmp_path):
    import uvicorn
    from click.testing import CliRunner

    from flashpoint.cli import main

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    db = str(tmp_path / "e.sqlite")
    assert CliRunner().invoke(main, ["serve", "--db", db, "--create"]).exit_code == 0  # a new store: --create
    assert calls[-1]["host"] == "127.0.0.1" and calls[-1]["port"] == 8000
    result = CliRunner().invoke(main, ["serve", "--db", db, "--host", "0.0.0.0", "--port", "9001"])
    assert calls[-1]["host"] == "0.0.0.0" and "reachable from the network" in result.output
    assert CliRunner().invoke(main, ["serve", "--db", db, "--token", "short"]).exit_code != 0
