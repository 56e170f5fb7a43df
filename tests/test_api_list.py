"""The events list beside the map (issue #17): text search, the list's sorts with keyset paging,
and the offline map's place labels, through the real app on a real store.

The store holds the pipeline's events of the two seed articles, of the project's sample
articles (examples/articles) and of one report of our own that names no place; the search and
the sorts are checked against what the listed events themselves hold.
"""

from __future__ import annotations

import json
import time

import pytest

from .conftest import EXAMPLES
from .test_api import make_client, seed_store
from .test_store import db, postgres_server  # noqa: F401  (fixtures: both backends)

# A report of our own without any place: its event has no country (last in the country sort).
NO_PLACE = {"id": "no-place-shooting", "published": "2025-04-02",
            "text": "Unidentified gunmen shot dead two shopkeepers on Tuesday, police said. "
                    "The attackers fled on motorbikes."}
SEARCHED = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "location", "admin1", "admin2", "country", "notes")
NULLABLE_KEYS = {"event_date", "country"}


def ingest(db_url: str, pipeline, *paths: str) -> None:
    from flashpoint.ingest import read_inputs
    from flashpoint.link import LinkRules
    from flashpoint.store import Ingestor, open_store

    engine, sessions = open_store(db_url)
    try:
        Ingestor(sessions, pipeline, LinkRules.load()).run(read_inputs(list(paths), max_bytes=10_000_000),
                                                            paths=list(paths))
    finally:
        engine.dispose()


def fill(db_url: str, pipeline, tmp_dir) -> None:
    """The seeds, the sample articles and the placeless report, ingested as `flashpoint ingest` does."""
    seed_store(db_url, pipeline)
    own = tmp_dir / "own.jsonl"
    own.write_text(json.dumps(NO_PLACE) + "\n", encoding="utf-8")
    ingest(db_url, pipeline, str(EXAMPLES / "articles"), str(own))


@pytest.fixture(scope="module")
def store(tmp_path_factory, pipeline) -> str:
    folder = tmp_path_factory.mktemp("list")
    path = str(folder / "events.sqlite")
    fill(path, pipeline, folder)
    return path


@pytest.fixture(scope="module")
def client(store, pipeline):
    from flashpoint.api import Settings, create_app

    return make_client(create_app(Settings(db=store), pipeline=pipeline))


@pytest.fixture(scope="module")
def every(client) -> list[dict]:
    items = client.get("/api/events?limit=1000").json()["items"]
    assert len(items) >= 10
    return items


def holding(events: list[dict], text: str) -> set[str]:
    """What the search should find: events with ``text`` in a searched field, in any case."""
    wanted = text.strip().casefold()
    return {e["event_id"] for e in events if any(wanted in (e[f] or "").casefold() for f in SEARCHED)}


def found(client, text: str, **params) -> set[str]:
    r = client.get("/api/events", params={"q": text, "limit": 1000, **params})
    assert r.status_code == 200, r.text
    return {e["event_id"] for e in r.json()["items"]}


# ---------------------------------------------------------------------------
# Text search
# ---------------------------------------------------------------------------


def test_the_store_has_the_trigram_index_of_the_search(store):
    from flashpoint.store import open_store
    from flashpoint.store.repo import has_text_index

    engine, sessions = open_store(store)
    try:
        with sessions() as s:
            assert has_text_index(s)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("text", "field"),
    [("hezbollah", "actor2"), ("HEZBOLLAH", "actor2"), ("Military Forces of Syria", "actor1"),
     ("haweek", "location"), ("Qusayr", "location"), ("aden", "location"), ("Lebanon", "country"),
     ("armed clash", "notes"), ("killed", "notes"), ("2025-02-06", "notes")],
)
def test_search_finds_exactly_the_events_holding_an_actor_place_or_notes_word(client, every, text, field):
    expected = holding(every, text)
    assert expected, f"no stored event holds {text!r}: the sample changed"
    assert any(text.casefold() in (e[field] or "").casefold() for e in every if e["event_id"] in expected)
    assert found(client, text) == expected
    assert len(expected) < len(every)  # and not the others


def test_search_for_a_word_no_event_holds_finds_nothing(client):
    assert found(client, "zqxjv") == set()
    assert client.get("/api/stats", params={"q": "zqxjv"}).json()["total_events"] == 0


@pytest.mark.parametrize(
    "text",
    ["%", "_", "/", "%%", "a%", "Hez_ollah", "Hezb%", '"', '"Hezbollah"', "Hezbollah OR Syria", "bollah*",
     "NEAR(Hezbollah Syria)", "syria:", "-hezbollah", "^Hez", "ez", "Ez", " Hezbollah  ", "e"],
)
def test_search_text_is_plain_characters_never_a_pattern_or_query_syntax(client, every, text):
    assert found(client, text) == holding(every, text)


def test_search_combines_with_the_other_filters_and_reaches_stats_and_exports(client, every):
    lebanon = {e["event_id"] for e in every if e["country"] == "Lebanon"}
    expected = holding(every, "hezbollah") & lebanon
    assert expected and found(client, "hezbollah", country="Lebanon") == expected
    stats = client.get("/api/stats", params={"q": "hezbollah", "country": "Lebanon"}).json()
    assert stats["total_events"] == len(expected)
    assert stats["total_fatalities"] == sum(e["fatalities"] for e in every if e["event_id"] in expected)
    jsonl = client.get("/api/export.jsonl", params={"q": "hezbollah", "country": "Lebanon"}).text.splitlines()
    assert {json.loads(line)["event_id"] for line in jsonl} == expected
    features = client.get("/api/export.geojson", params={"q": "hezbollah", "country": "Lebanon"}).json()["features"]
    assert len(features) == len(expected)
    csv_rows = client.get("/api/export.csv", params={"q": "hezbollah", "country": "Lebanon"}).text.splitlines()
    assert len(csv_rows) == 1 + len(expected)


@pytest.mark.parametrize(("value", "status"), [("x" * 201, 422), ("a\x00b", 422), ("x" * 200, 200), ("", 200)])
def test_search_text_longer_than_200_characters_or_with_nul_is_a_422(client, value, status):
    for route in ("/api/events", "/api/stats", "/api/export.csv"):
        r = client.get(route, params={"q": value})
        assert r.status_code == status, (route, r.text[:200])
        if status == 422:
            assert "query.q" in [d["where"] for d in r.json()["details"]]


def test_an_empty_or_blank_search_is_no_search(client, every):
    for value in ("", "   "):
        assert len(found(client, value)) == len(every)


# ---------------------------------------------------------------------------
# Sorts and keyset paging
# ---------------------------------------------------------------------------


def expected_order(events: list[dict], key: str, desc: bool) -> list[str]:
    """Sorted by the key, ties by id (both reversed when descending); events without the key last."""
    keyed = sorted(((e[key], e["event_id"]) for e in events if e[key] is not None), reverse=desc)
    missing = sorted((e["event_id"] for e in events if e[key] is None), reverse=desc)
    return [i for _, i in keyed] + missing


def walk(client, sort: str, limit: int, **params) -> list[dict]:
    seen, cursor = [], None
    for _ in range(200):
        query = {"sort": sort, "limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/events", params=query)
        assert page.status_code == 200, page.text
        seen += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("paging did not end")


def updated_of(store: str) -> dict:
    from sqlalchemy import select

    from flashpoint.store import open_store
    from flashpoint.store.models import EventRow

    engine, sessions = open_store(store)
    try:
        with sessions() as s:
            return {i: u for i, u in s.execute(select(EventRow.id, EventRow.updated))}
    finally:
        engine.dispose()


def test_the_list_offers_each_sort_both_ways(client):
    from flashpoint.store.cursor import SORTS

    assert {"event_date", "-event_date", "fatalities", "-fatalities", "event_type", "-event_type", "country",
            "-country", "updated", "-updated"} <= set(SORTS)
    listed = next(p for p in client.get("/openapi.json").json()["paths"]["/api/events"]["get"]["parameters"]
                  if p["name"] == "sort")
    assert set(listed["schema"]["enum"]) == set(SORTS)


@pytest.mark.parametrize("sort", ["event_date", "-event_date", "fatalities", "-fatalities", "event_type",
                                  "-event_type", "country", "-country", "updated", "-updated"])
@pytest.mark.parametrize("limit", [1, 3])
def test_each_sort_orders_the_list_and_its_pages_visit_every_event_once(client, every, store, sort, limit):
    key, desc = sort.lstrip("-"), sort.startswith("-")
    events = every
    if key == "updated":
        stamps = updated_of(store)
        events = [{**e, "updated": stamps[e["event_id"]]} for e in every]
    if key in NULLABLE_KEYS:
        assert any(e[key] is None for e in events), f"no event without {key}: the last-place rule is untested"
    seen = [e["event_id"] for e in walk(client, sort, limit)]
    assert len(seen) == len(set(seen)) == len(every)
    assert seen == expected_order(events, key, desc)


def test_search_pages_in_any_sort_visit_exactly_the_found_events(client, every):
    expected = holding(every, "forces")
    assert 1 < len(expected) < len(every)
    for sort in ("country", "-event_type", "-event_date"):
        seen = [e["event_id"] for e in walk(client, sort, 2, q="forces")]
        assert len(seen) == len(set(seen)) and set(seen) == expected, sort


@pytest.mark.parametrize(
    ("sort", "key"),
    [("country", 7), ("country", ["Syria"]), ("event_type", None), ("event_type", "x" * 65), ("-country", "Sy\x00ria"),
     ("country", "\ud800"), ("event_type", True)],
)
def test_a_cursor_with_a_key_the_text_sorts_never_give_is_a_400(client, sort, key):
    import base64

    raw = json.dumps([sort, key, "fp-0000000000000000"]).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    r = client.get("/api/events", params={"sort": sort, "cursor": cursor})
    assert r.status_code == 400 and r.json()["error"].startswith("invalid cursor"), r.text


# ---------------------------------------------------------------------------
# Place labels for the offline map
# ---------------------------------------------------------------------------


def labels(client, **params) -> list[dict]:
    r = client.get("/api/labels", params=params)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def inside(item: dict, x0: float, y0: float, x1: float, y1: float) -> bool:
    lon_ok = x0 <= item["longitude"] <= x1 if x0 <= x1 else item["longitude"] >= x0 or item["longitude"] <= x1
    return lon_ok and y0 <= item["latitude"] <= y1


def test_labels_give_the_capitals_inside_the_box_first_then_towns_by_population(client):
    items = labels(client, bbox="34.5,32.5,37.5,35", limit=40)
    assert len(items) == 40
    assert all(inside(i, 34.5, 32.5, 37.5, 35) for i in items)
    capitals = [i["name"] for i in items if i["capital"]]
    assert set(capitals) == {"Beirut", "Damascus"}
    assert [i["capital"] for i in items[:2]] == [True, True]  # capitals first
    towns = [i["population"] for i in items[2:]]
    assert towns == sorted(towns, reverse=True) and not any(i["capital"] for i in items[2:])
    assert {"Homs", "Tripoli"} <= {i["name"] for i in items}
    assert set(items[0]) == {"name", "latitude", "longitude", "population", "capital", "country"}
    assert {i["country"] for i in items[:2]} == {"Lebanon", "Syria"}


def test_labels_give_nothing_outside_the_box(client):
    assert labels(client, bbox="-140,-5,-130,5") == []  # open Pacific
    items = labels(client, bbox="35.1,33,36.1,34.7", limit=300)  # Lebanon, not Damascus (36.3 E)
    assert items and all(inside(i, 35.1, 33, 36.1, 34.7) for i in items)
    names = {i["name"] for i in items}
    assert "Beirut" in names and not names & {"Damascus", "Amman", "Homs", "Nicosia"}
    assert [i["name"] for i in items if i["capital"]] == ["Beirut"]


def test_labels_across_the_antimeridian_take_both_sides(client):
    items = labels(client, bbox="170,-20,-170,-10", limit=300)
    assert {"Suva", "Apia"} <= {i["name"] for i in items if i["capital"]}
    assert all(inside(i, 170, -20, -170, -10) for i in items)
    assert any(i["longitude"] > 0 for i in items) and any(i["longitude"] < 0 for i in items)


def test_labels_without_a_box_are_the_worlds_largest_capitals_and_limit_caps_them(client):
    items = labels(client)
    assert len(items) == 60 and all(i["capital"] for i in items)
    assert len(labels(client, limit=300)) == 300
    assert len(labels(client, bbox="34.5,32.5,37.5,35", limit=5)) == 5


def test_labels_answer_503_with_retry_after_while_a_missing_gazetteer_is_built_in_the_background(
        store, tmp_path, monkeypatch):
    from flashpoint.api import Settings, create_app
    from flashpoint.api import labels as module

    missing = tmp_path / "gazetteer-missing.sqlite"
    built = []
    monkeypatch.setattr(module, "_gazetteer_path", lambda state: missing)
    monkeypatch.setattr(module, "_build", built.append)  # not the 20 s build itself
    c = make_client(create_app(Settings(db=store)))
    for _ in range(2):
        r = c.get("/api/labels", params={"bbox": "35,33,36,34"})
        assert r.status_code == 503 and r.headers["retry-after"] == str(module.RETRY_SECONDS)
        assert "gazetteer" in r.json()["error"]
    for _ in range(500):  # in a thread, not in the request
        if built:
            break
        time.sleep(0.01)
    assert built[0] == missing


@pytest.mark.parametrize(
    "query", ["bbox=0,10,1,5", "bbox=1,2,3", "bbox=181,0,182,1", "bbox=a,b,c,d", "limit=0", "limit=301"],
)
def test_a_bad_labels_box_or_limit_is_a_422_naming_it(client, query):
    r = client.get(f"/api/labels?{query}")
    assert r.status_code == 422
    assert f"query.{query.split('=')[0]}" in [d["where"] for d in r.json()["details"]]


# ---------------------------------------------------------------------------
# Both backends: the search index follows every write; the sorts page the same
# ---------------------------------------------------------------------------


def test_search_and_country_sort_on_sqlite_and_postgresql(db, pipeline, tmp_path):  # noqa: F811
    from sqlalchemy import select, update

    from flashpoint.store import open_store, repo
    from flashpoint.store.db import writing
    from flashpoint.store.models import EventRow

    fill(db, pipeline, tmp_path)
    engine, sessions = open_store(db)
    try:
        with sessions() as s:
            assert repo.has_text_index(s) == (engine.dialect.name == "sqlite")

            def search(text: str) -> set[str]:
                return {r["id"] for r in repo.query_event_page(s, repo.EventFilter(text=text), limit=1000).rows}

            rows = s.execute(select(*EventRow.__table__.c)).mappings().all()
            every = [{**r, "event_id": r["id"]} for r in rows]
            for text in ("hezbollah", "HAWEEK", "armed clash", "%", "_", "ez", '"', "Hezbollah OR Syria", "zqxjv"):
                assert search(text) == holding(every, text), text
            stats = repo.event_stats(s, repo.EventFilter(text="hezbollah"))
            assert stats.total_events == len(holding(every, "hezbollah"))

            seen, cursor = [], None
            while True:
                page = repo.query_event_page(s, repo.EventFilter(), sort="-country", limit=2, cursor=cursor)
                seen += [r["id"] for r in page.rows]
                if (cursor := page.next_cursor) is None:
                    break
            assert seen == expected_order(every, "country", desc=True)

        # the index follows an update and a delete (SQLite: its triggers)
        victim, changed = sorted(holding(every, "hezbollah"))[:2]
        with writing(sessions) as s:
            s.execute(update(EventRow).where(EventRow.id == changed).values(notes="Renamed quxwell notes."))
            s.delete(s.get(EventRow, victim))
        with sessions() as s:
            assert {r["id"] for r in repo.query_event_page(s, repo.EventFilter(text="quxwell")).rows} == {changed}
            found_now = {r["id"] for r in repo.query_event_page(s, repo.EventFilter(text="hezbollah"), limit=1000).rows}
            assert victim not in found_now
    finally:
        engine.dispose()


def test_a_store_from_before_the_search_index_has_its_events_indexed_on_upgrade(tmp_path, pipeline):
    from alembic import command
    from sqlalchemy import text

    from flashpoint.store import open_store, repo
    from flashpoint.store.db import alembic_config

    path = str(tmp_path / "events.sqlite")
    fill(path, pipeline, tmp_path)
    engine, _ = open_store(path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
        assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'events_search'")).scalar() == 0
    engine.dispose()
    engine, sessions = open_store(path)  # upgrades again
    try:
        with sessions() as s:
            assert repo.has_text_index(s)
            assert len(repo.query_event_page(s, repo.EventFilter(text="hezbollah")).rows) >= 4
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------
# The actor filter: its plans (trigram index, event_actors walk, names first) agree
# ---------------------------------------------------------------------------


def test_the_actor_filter_finds_the_same_events_by_each_of_its_plans(store):
    from sqlalchemy import select

    from flashpoint.store import open_store, repo
    from flashpoint.store.models import ActorRow, EventRow

    engine, sessions = open_store(store)
    try:
        with sessions() as s:
            assert repo.has_text_index(s)
            names = list(s.scalars(select(ActorRow.name)))
            assoc = [t for c in (EventRow.assoc_actor_1, EventRow.assoc_actor_2) for t in s.scalars(select(c))
                     if ";" in t]
            texts = {"%", "_", "/", "a%", '"', "zqxjv", "Forces OR Syria", "es", "ES", " ", "; ", ";"}
            for name in names:
                texts |= {name, name.upper(), name.lower(), name[:3], name[1:-1], name[-4:], " " + name, name + " "}
            for t in assoc[:5]:  # across the separator of associated actors: never a match by name
                i = t.index(";")
                texts |= {t[max(0, i - 4):i + 3], t[i - 2:i + 1], t}
            texts.discard("")
            assert len(names) >= 5 and len(texts) > 50

            def ids(text: str, **plan) -> set[str]:
                stmt = repo.filtered(select(EventRow.id), repo.EventFilter(actor=text), **plan)
                return set(s.scalars(stmt))

            for text in sorted(texts):
                expected = ids(text)  # the names first, then event_actors: the reference
                for plan in ({"fts": True}, {"fts": True, "ordered": True},
                             {"fts": True, "ordered": True, "common_actor": True},
                             {"fts": False, "ordered": True, "common_actor": True}):
                    assert ids(text, **plan) == expected, (text, plan)
                page = repo.query_event_page(s, repo.EventFilter(actor=text), limit=10_000)
                assert {r["id"] for r in page.rows} == expected, text
            assert ids("Hezbollah") and ids("hezbollah", fts=True) == ids("Hezbollah")
    finally:
        engine.dispose()


def test_a_page_walking_the_sort_keys_index_finds_what_the_filters_indexes_find(store):
    from sqlalchemy import select

    from flashpoint.store import open_store, repo
    from flashpoint.store.models import EventRow

    engine, sessions = open_store(store)
    try:
        with sessions() as s:
            rows = s.execute(select(EventRow.country, EventRow.iso3, EventRow.event_type,
                                    EventRow.sub_event_type)).all()
            filters = [repo.EventFilter(country=c) for c in {r[0] for r in rows if r[0]} | {"LBN", "lbn", "nowhere"}]
            filters += [repo.EventFilter(event_type=t) for t in {r[2] for r in rows} | {r[3].upper() for r in rows}]
            filters += [repo.EventFilter(bbox=(35.0, 33.0, 36.7, 34.7)), repo.EventFilter(bbox=(0, 0, 1, 1)),
                        repo.EventFilter(country="Lebanon", event_type="Battles", bbox=(35.0, 33.0, 36.7, 34.7))]
            for flt in filters:
                stmt = select(EventRow.id).order_by(EventRow.event_date.desc(), EventRow.id.desc())
                expected = list(s.scalars(repo.filtered(stmt, flt)))
                assert list(s.scalars(repo.filtered(stmt, flt, walk=True))) == expected, flt
    finally:
        engine.dispose()
