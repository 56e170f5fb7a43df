"""No input stops the API (issue #16): crafted cursors, wildcard filters, odd dates, broken and
oversized articles, arrays with a bad item, and a Hypothesis fuzz over the routes.

The real app on a real store (SQLite here, SQLite and PostgreSQL where the database is the point).
The server raises no exception unnoticed: the test client re-raises any that escapes a route.
Article texts are our own.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_api import HAWEEK_AGAIN, TOKEN, make_client, seed_store
from .test_store import db, postgres_server  # noqa: F401  (fixtures: both backends)

AUTH = {"Authorization": f"Bearer {TOKEN}"}

# Reports written for these tests; each unlike the others, so that none is a near-duplicate.
KIRKUK = ("A roadside bomb struck a police patrol on the main road south of Kirkuk, Iraq on Tuesday, wounding four "
          "officers, a police spokesman said.")
MARIB = ("Houthi fighters shelled government positions west of Marib city in Yemen on Sunday, killing two soldiers, "
         "a military official told reporters.")
GAO = ("Unidentified gunmen on motorbikes attacked a market near Gao in northern Mali on Friday and set several "
       "shops on fire, residents said.")
GOMA = ("Rebels of the M23 movement seized two villages north of Goma in eastern Congo on Wednesday after a day of "
        "fighting with the army, local officials said.")


@pytest.fixture(scope="module")
def store(tmp_path_factory, pipeline) -> str:
    path = str(tmp_path_factory.mktemp("robust") / "events.sqlite")
    seed_store(path, pipeline)
    return path


def api(db_url: str, pipeline, **limits):
    from flashpoint.api import Settings, create_app

    return make_client(create_app(Settings(db=db_url, write_token=TOKEN, **limits), pipeline=pipeline))


@pytest.fixture(scope="module")
def client(store, pipeline):
    return api(store, pipeline)


def cursor_of(value) -> str:
    """A cursor as the server writes them (URL-safe base64 of JSON, unpadded), holding anything."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def assert_error(r, *statuses: int) -> dict:
    """A refusal in the project's error shape."""
    assert r.status_code in statuses, (r.status_code, r.text)
    body = r.json()
    assert body["status"] == r.status_code and body["error"] and isinstance(body["details"], list)
    return body


class FailingOn:
    """The real pipeline, except that it raises on one article: a stand-in for any bug an article
    may hit in the pipeline or the store (no real text makes the hardened pipeline raise)."""

    def __init__(self, pipeline, article_id: str) -> None:
        self.pipeline, self.article_id = pipeline, article_id

    def __getattr__(self, name):
        return getattr(self.pipeline, name)

    def run(self, items):
        for result in self.pipeline.run(items):
            if result.article_id == self.article_id:
                raise RuntimeError(f"analysis of {self.article_id} blew up")
            yield result


class TollOf:
    """The real pipeline, except that one article's events carry an absurd toll, as a pipeline bug
    could hand to the store (the pipeline itself disbelieves such numbers)."""

    def __init__(self, pipeline, article_id: str, toll: int) -> None:
        self.pipeline, self.article_id, self.toll = pipeline, article_id, toll

    def __getattr__(self, name):
        return getattr(self.pipeline, name)

    def run(self, items):
        for result in self.pipeline.run(items):
            if result.article_id == self.article_id:
                for event in result.events:
                    event.fatalities = self.toll
            yield result


# ---------------------------------------------------------------------------
# Cursors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [10**30, 2**63, -(2**63) - 1, 10**700])
def test_cursor_with_huge_integer_is_a_400(client, value):
    r = client.get(f"/api/events?sort=-fatalities&cursor={cursor_of(['-fatalities', value, 'fp-0'])}")
    body = assert_error(r, 400)
    assert body["error"].startswith("invalid cursor") and body["details"][0]["where"] == "query.cursor"


@pytest.mark.parametrize("value", [True, False])
def test_cursor_with_a_boolean_is_a_400(client, value):
    r = client.get(f"/api/events?sort=-fatalities&cursor={cursor_of(['-fatalities', value, 'fp-0'])}")
    assert_error(r, 400)


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("-fatalities", "!!not-base64!!"),  # outside the documented alphabet: the pattern refuses it
        ("-fatalities", "A"),  # base64 that cannot decode
        ("-fatalities", base64.urlsafe_b64encode(b"\xff\xfe\x00").decode()),  # not UTF-8
        ("-fatalities", cursor_of({"sort": "-fatalities"})),
        ("-fatalities", cursor_of({"a": 1, "b": 2, "c": 3})),  # three keys unpack like a list
        ("-fatalities", cursor_of(["-fatalities", 3])),
        ("-fatalities", cursor_of(["-fatalities", 3, "fp-0", "more"])),
        ("-fatalities", cursor_of(["fatalities", 3, "fp-0"])),  # another sort's cursor
        ("-fatalities", cursor_of(["-fatalities", 2.5, "fp-0"])),
        ("-fatalities", cursor_of(["-fatalities", "3", "fp-0"])),
        ("-fatalities", cursor_of(["-fatalities", None, "fp-0"])),  # fatalities always has a value
        ("-fatalities", cursor_of(["-fatalities", 3, 7])),
        ("-fatalities", cursor_of(["-fatalities", 3, "fp\u0000"])),  # NUL: PostgreSQL refuses it
        ("-fatalities", cursor_of(["-fatalities", 3, "x" * 300])),
        ("-fatalities", base64.urlsafe_b64encode(b'["-fatalities", 3, "\\ud800"]').decode()),  # lone surrogate
        ("-fatalities", base64.urlsafe_b64encode(b"[" * 600).decode()),  # nested deep
        ("-event_date", cursor_of(["-event_date", 20250206, "fp-0"])),
        ("-event_date", cursor_of(["-event_date", "2025-02-30", "fp-0"])),
        ("-event_date", cursor_of(["-event_date", True, "fp-0"])),
        ("-updated", cursor_of(["-updated", 0, "fp-0"])),
        ("-updated", cursor_of(["-updated", "yesterday", "fp-0"])),
        ("-updated", cursor_of(["-updated", "0001-01-01T00:00:00+01:00", "fp-0"])),  # before year 1 in UTC
        ("event_date", "x" * 1001),  # over the documented length
    ],
)
def test_malformed_cursors_are_refused_with_the_error_shape(client, sort, cursor):
    assert_error(client.get("/api/events", params={"sort": sort, "cursor": cursor}), 400, 422)


def test_a_cursor_with_a_utc_offset_pages_like_one_in_utc(client):
    first = client.get("/api/events?sort=-updated&limit=1").json()
    _, stamp, last = json.loads(base64.urlsafe_b64decode(first["next_cursor"] + "=="))
    shifted = (dt.datetime.fromisoformat(stamp).replace(tzinfo=dt.timezone.utc)
               .astimezone(dt.timezone(dt.timedelta(hours=5))).isoformat())
    plain = client.get(f"/api/events?sort=-updated&cursor={first['next_cursor']}").json()
    offset = client.get(f"/api/events?sort=-updated&cursor={cursor_of(['-updated', shifted, last])}").json()
    assert [e["event_id"] for e in offset["items"]] == [e["event_id"] for e in plain["items"]]


# ---------------------------------------------------------------------------
# Filters: wildcards, dates, bbox
# ---------------------------------------------------------------------------


def test_actor_percent_matches_literally(client):
    assert client.get("/api/events?actor=%25").json()["items"] == []
    assert len(client.get("/api/events?actor=hezbollah").json()["items"]) == 4


def test_actor_underscore_matches_literally(client):
    assert client.get("/api/events?actor=_").json()["items"] == []
    assert client.get("/api/events?actor=Hez_ollah").json()["items"] == []
    assert client.get("/api/stats?actor=_").json()["total_events"] == 0


def test_actor_wildcards_and_the_escape_character_are_plain_on_sqlite_and_postgresql(db, pipeline):
    from sqlalchemy import select

    from flashpoint.store import open_store, repo
    from flashpoint.store.models import ActorRow, EventActor, EventRow

    seed_store(db, pipeline)
    engine, sessions = open_store(db)
    try:
        with sessions.begin() as s:
            event_id = s.scalars(select(EventRow.id).order_by(EventRow.id)).first()
            s.add(ActorRow(name="Brigade 50% North_East/West", inter=None))
            s.flush()
            s.add(EventActor(event_id=event_id, actor="Brigade 50% North_East/West", role="assoc1"))
            # as the store writes an associated actor: its row and the event's column alike
            row = s.get(EventRow, event_id)
            row.assoc_actor_1 = "; ".join(filter(None, [row.assoc_actor_1, "Brigade 50% North_East/West"]))
        with sessions() as s:

            def matched(actor: str) -> set[str]:
                return {r["id"] for r in repo.query_event_page(s, repo.EventFilter(actor=actor)).rows}

            for literal in ("%", "_", "/", "50%", "h_e", "east/west", "NORTH_EAST"):
                assert matched(literal) == {event_id}, literal
            for pattern in ("5%N", "north east", "Brigade_50", "t//W", "%%", "__"):
                assert matched(pattern) == set(), pattern
            assert len(matched("hezbollah")) == 4
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "value",
    ["0", "1", "-1", "1970-01-01T00:00:00", "2025-02-07T00:00:00Z", "20250207", "2025-2-7", "2025-02-30",
     "2023-02-29", "1899-12-31", "2100-01-01", "+2025-02-07", " 2025-02-07", "2025-02-07 ", "٢٠٢٥-٠٢-٠٧", ""],
)
def test_until_0_and_other_non_days_are_a_422(client, value):
    for name in ("since", "until"):
        body = assert_error(client.get("/api/events", params={name: value}), 422)
        assert f"query.{name}" in [d["where"] for d in body["details"]]


def test_days_in_range_are_taken_leap_days_too(client):
    for value in ("1900-01-01", "2024-02-29", "2000-02-29", "2099-12-31"):
        assert client.get("/api/events", params={"until": value}).status_code == 200, value


def test_bbox_pattern_says_what_the_server_takes(client):
    pattern = next(p for p in client.get("/openapi.json").json()["paths"]["/api/events"]["get"]["parameters"]
                   if p["name"] == "bbox")["schema"]["anyOf"][0]["pattern"]
    taken = ["36,34.3,37,35", "-180,-90,180,90", "-180.0,-90.00,180.000,90.0", "0,0,0,0", "-0.5,-0.5,0.5,0.5", ""]
    refused = ["180.5,0,181,1", "-181,0,0,1", "0,-91,1,0", "0,0,1,90.01", "1e1,0,20,1", ".5,0,1,1", "5.,0,6,1",
               "+1,0,2,1", "1,2,3", "1,2,3,4,5", "nan,0,1,1", "inf,0,1,1", " 1,2,3,4", "1, 2,3,4", "٣,0,4,1"]
    for value in taken:
        assert re.search(pattern, value), value
        assert client.get("/api/events", params={"bbox": value}).status_code == 200, value
    for value in refused:
        assert not re.search(pattern, value), value
        assert_error(client.get("/api/events", params={"bbox": value}), 422)
    # what a pattern cannot say: each minimum not above its maximum
    assert_error(client.get("/api/events?bbox=37,34,36,35"), 422)


@pytest.mark.parametrize("name", ["country", "admin1", "actor"])
def test_a_nul_in_a_text_filter_is_a_422(client, name):
    assert_error(client.get(f"/api/events?{name}=Hez%00bollah"), 422)


def test_the_schema_documents_cursor_bbox_and_dates(client):
    params = {p["name"]: p for p in client.get("/openapi.json").json()["paths"]["/api/events"]["get"]["parameters"]}
    cursor = params["cursor"]["schema"]["anyOf"][0]
    assert cursor["pattern"] == "^[A-Za-z0-9_-]*$" and "opaque" in params["cursor"]["description"].lower()
    assert "MIN_LON,MIN_LAT,MAX_LON,MAX_LAT" in params["bbox"]["description"]
    for name in ("since", "until"):
        day = params[name]["schema"]["anyOf"][0]
        assert day["format"] == "date" and day["pattern"].startswith("^")


# ---------------------------------------------------------------------------
# Responses: date-times with a time zone
# ---------------------------------------------------------------------------


def test_history_times_carry_a_timezone(client):
    r = client.post("/api/articles", headers=AUTH,
                    json={"id": "haweek-again", "text": HAWEEK_AGAIN, "published": "2025-02-07", "outlet": "Test Wire"})
    (item,) = r.json()["results"]
    assert item["status"] == "new" and item["events_merged"] == 1, item
    history = client.get(f"/api/events/{item['event_ids'][0]}").json()["history"]
    assert history
    for change in history:
        at = dt.datetime.fromisoformat(change["at"].replace("Z", "+00:00"))
        assert at.utcoffset() == dt.timedelta(0), change["at"]


# ---------------------------------------------------------------------------
# Writing: per-item results, bad characters, oversized text
# ---------------------------------------------------------------------------


def test_array_with_a_bad_item_stores_the_good_ones(store, pipeline):
    c = api(store, FailingOn(pipeline, "explodes"))
    items = [{"id": "kirkuk-bomb", "text": KIRKUK}, {"id": "explodes", "text": MARIB},
             {"id": "gao-market", "text": GAO}]
    r = c.post("/api/articles", json=items, headers=AUTH)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [(x["index"], x["id"], x["status"]) for x in results] == [
        (0, "kirkuk-bomb", "new"), (1, "explodes", "failed"), (2, "gao-market", "new")]
    assert results[1]["reason"] and results[1]["event_ids"] == []
    assert r.json()["counts"]["new"] == 2 and r.json()["counts"]["failed"] == 1
    for stored in ("kirkuk-bomb", "gao-market"):
        assert c.get(f"/api/articles/{stored}").status_code == 200
    assert c.get("/api/articles/explodes").status_code == 404
    # the failed one is not stored as a duplicate: posted again to a sound server, it goes in
    again = api(store, pipeline).post("/api/articles", json=items[1], headers=AUTH).json()["results"][0]
    assert again["status"] == "new", again


def test_a_single_article_that_raises_is_a_failed_item_not_a_500(store, pipeline):
    c = api(store, FailingOn(pipeline, "goma-villages"))
    r = c.post("/api/articles", json={"id": "goma-villages", "text": GOMA}, headers=AUTH)
    assert r.status_code == 200
    assert r.json()["results"][0]["status"] == "failed"


def test_an_absurd_toll_is_never_a_500(store, pipeline):
    # one the pipeline hands to the store (SQLite holds no integer over 64 bits) ...
    c = api(store, TollOf(pipeline, "absurd-toll", 10**30))
    text = ("Gunmen attacked a village near Bunia in Ituri province, Congo on Saturday, killing six civilians, "
            "a local administrator said.")
    r = c.post("/api/articles", json=[{"id": "absurd-toll", "text": text}, {"id": "goma-after", "text": GOMA}],
               headers=AUTH)
    assert r.status_code == 200, r.text
    toll, other = r.json()["results"]
    assert other["status"] == "new"
    assert toll["status"] in ("failed", "new")  # failed, or stored with the toll made sane
    for eid in toll["event_ids"]:
        assert c.get(f"/api/events/{eid}").json()["fatalities"] < 2**31
    # ... and one written in a text
    text = ("Officials said 99999999999999999999999999 people were killed when militants stormed the town of "
            "Baga in Borno state, Nigeria on Monday.")
    r = api(store, pipeline).post("/api/articles", json={"id": "absurd-text", "text": text}, headers=AUTH)
    assert r.status_code == 200
    for eid in r.json()["results"][0]["event_ids"]:
        assert c.get(f"/api/events/{eid}").json()["fatalities"] < 2**31


def test_a_lone_surrogate_is_replaced_and_reported(client):
    raw = ('{"id": "surrogate", "title": "Clash near Idlib \\udc00", "text": "Government forces and rebels '
           'clashed near Saraqib in Idlib province, Syria on Monday \\ud800 , killing five fighters, a war '
           'monitor said."}')
    r = client.post("/api/articles", content=raw.encode(), headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    (item,) = r.json()["results"]
    assert item["status"] == "new"
    assert sorted(w.split(":")[0] for w in item["warnings"]) == ["text", "title"]
    article = client.get("/api/articles/surrogate").json()
    assert "\ufffd" in article["text"] and "\ufffd" in article["title"]


def test_a_nul_in_an_article_is_replaced_and_reported(client):
    text = ("Protesters blocked the main road into Tunis on Thursday \u0000 demanding jobs, and police "
            "fired tear gas to disperse them, witnesses said.")
    (item,) = client.post("/api/articles", json={"id": "nul-char", "text": text}, headers=AUTH).json()["results"]
    assert item["status"] == "new" and item["warnings"][0].startswith("text:")


@pytest.mark.parametrize("ident", ["   ", "a\tb", "line\nbreak", "nul\u0000", "del\u007f", "x\ufffe", "\u00a0"])
def test_an_id_that_would_not_be_stored_as_given_is_a_422(client, ident):
    r = client.post("/api/articles", json={"id": ident, "text": KIRKUK}, headers=AUTH)
    assert "body.id" in [d["where"] for d in assert_error(r, 422)["details"]]


def test_a_lone_surrogate_in_a_key_is_a_422_not_a_500(client):
    raw = b'{"\\ud800": 1, "text": "Soldiers patrolled the streets of Juba on Friday."}'
    assert_error(client.post("/api/articles", content=raw, headers={**AUTH, "Content-Type": "application/json"}), 422)


def test_text_over_a_million_characters_is_a_failed_item_and_the_others_go_on(client):
    long = "Shelling hit the outskirts of Kharkiv overnight, officials said. " * 16_000  # 1,040,000 characters
    short = ("Border guards detained eleven migrants near the Polish town of Hajnowka on Sunday, a spokeswoman "
             "said.")
    r = client.post("/api/articles", json=[{"id": "too-long", "text": long}, {"id": "hajnowka", "text": short}],
                    headers=AUTH)
    assert r.status_code == 200
    too_long, other = r.json()["results"]
    assert too_long["status"] == "failed" and "1,000,000" in too_long["reason"]
    assert other["status"] == "new"
    assert client.get("/api/articles/too-long").status_code == 404


def test_an_article_id_with_a_slash_reads_back(client):
    text = "Fishermen found the wreck of a missing ferry off the coast of Lampedusa on Saturday, the coast guard said."
    (item,) = client.post("/api/articles", json={"id": "wire/2025/ferry", "text": text}, headers=AUTH).json()["results"]
    assert item["status"] == "new"
    assert client.get(f"/api/articles/{quote('wire/2025/ferry', safe='')}").json()["id"] == "wire/2025/ferry"


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"nul", b"\xff\xfe{}", b"[" * 5000, b"1e999", b'{"text": 5}', b'{"text": "a", "html": "b"}',
     b'{"html": "   "}', b'{"text": "Hi.", "published": 0}', b'{"text": "Hi.", "published": "2025-02-07T00:00"}',
     b'{"text": "Hi.", "id": ""}', b'[{"text": "Hi."}, 5]', b"[]", b'"text"', b"null"],
)
def test_malformed_bodies_are_4xx(client, raw):
    r = client.post("/api/articles", content=raw, headers={**AUTH, "Content-Type": "application/json"})
    assert_error(r, 400, 422)


# ---------------------------------------------------------------------------
# PostgreSQL too: what the database refuses must not reach it
# ---------------------------------------------------------------------------


def test_crafted_requests_are_4xx_and_odd_characters_stored_on_both_backends(db, pipeline):
    seed_store(db, pipeline)
    c = api(db, pipeline)
    for value in (10**30, True, None):
        assert_error(c.get(f"/api/events?sort=-fatalities&cursor={cursor_of(['-fatalities', value, 'fp-0'])}"), 400)
    nul_id = cursor_of(["-fatalities", 1, "fp\u0000"])
    assert_error(c.get("/api/events", params={"sort": "-fatalities", "cursor": nul_id}), 400)
    assert_error(c.get("/api/events?country=Leb%00anon"), 422)
    assert_error(c.get("/api/events/fp-%00"), 422)
    assert c.get("/api/events?actor=%25").json()["items"] == []
    text = "Police in Tunis fired tear gas at protesters \u0000 on Thursday, witnesses said."
    (item,) = c.post("/api/articles", json={"id": "nul-pg", "text": text}, headers=AUTH).json()["results"]
    assert item["status"] == "new"


# ---------------------------------------------------------------------------
# Fuzz: whatever a client sends, no exception escapes and every refusal has the error shape
# ---------------------------------------------------------------------------

# text a URL can carry (a lone surrogate has no UTF-8 form, so no client can send one in a URL)
_url_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
_json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))
_json = st.recursive(
    _json_scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_SORTS = ["-fatalities", "fatalities", "event_date", "-event_date", "updated", "-updated"]


def _or_junk(valid):
    """Mostly a value the server takes (so that requests get past validation), one time in ten anything."""
    return st.integers(0, 9).flatmap(lambda n: _url_text if n == 0 else valid)


_days = st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)).map(dt.date.isoformat)
_keys = st.one_of(st.integers(-(2**70), 2**70), st.booleans(), st.none(), _days,
                  st.datetimes(timezones=st.none() | st.timezones()).map(dt.datetime.isoformat), _json)
_cursors = st.one_of(_url_text, _json.map(cursor_of),
                     st.tuples(st.sampled_from(_SORTS), _keys, st.text(max_size=20)).map(lambda t: cursor_of(list(t))))
_coordinates = st.tuples(st.floats(-180, 180), st.floats(-90, 90), st.floats(-180, 180), st.floats(-90, 90))
_params = st.fixed_dictionaries({}, optional={
    "sort": _or_junk(st.sampled_from(_SORTS)), "cursor": _cursors,
    "limit": _or_junk(st.integers(-5, 2000).map(str)), "top": _or_junk(st.integers(-5, 600).map(str)),
    "since": _or_junk(_days), "until": _or_junk(_days),
    "country": _or_junk(st.sampled_from(["Lebanon", "SYR", "%", "_", "lebanon"])), "admin1": _url_text,
    "actor": _or_junk(st.sampled_from(["Hezbollah", "%", "_", "/", "\\", "50%"])),
    "type": _or_junk(st.sampled_from(["Battles", "Armed clash", "Protests"])),
    "certainty": _or_junk(st.sampled_from(["reported", "confirmed"])),
    "bbox": _or_junk(_coordinates.map(lambda c: ",".join(f"{v:.4f}" for v in c))),
})
# article texts: ours, with odd characters put in (lone surrogates and NUL too), or any text at all
_texts = st.one_of(
    st.tuples(st.sampled_from([KIRKUK, MARIB, GAO, GOMA]), st.text(max_size=20)).map(" ".join),
    st.text(min_size=1, max_size=300),
)
_ids = st.text(st.characters(codec="ascii", categories=["L", "N", "P"]), min_size=1, max_size=20)
_fields = {"id": _or_junk(_ids), "title": st.text(max_size=40) | st.none(),
           "published": st.none() | _days, "outlet": st.text(max_size=20), "url": st.text(max_size=40)}
_valid_articles = st.one_of(
    st.fixed_dictionaries({"text": _texts}, optional=_fields),
    st.fixed_dictionaries({"html": _texts.map(lambda t: f"<html><body><p>{t}</p></body></html>")}, optional=_fields),
)
# anything may be wrong here: missing or doubled text, wrong types, unknown fields
_loose_articles = st.fixed_dictionaries({}, optional={
    "id": _json, "text": _json | _texts, "html": _json, "title": _json, "published": _json | _url_text,
    "outlet": _json, "url": _json, "extra": _json,
})
_bodies = st.one_of(
    _valid_articles, st.lists(_valid_articles, min_size=1, max_size=3), _loose_articles,
    st.lists(st.one_of(_valid_articles, _loose_articles), max_size=4), _json,
)


@settings(derandomize=True, max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(route=st.sampled_from(["/api/events", "/api/stats", "/api/export.csv", "/api/export.geojson"]), params=_params)
def test_fuzzed_queries_get_an_answer_never_an_exception(client, route, params):
    r = client.get(route, params=params)
    if r.status_code != 200:
        assert_error(r, 400, 422)


@settings(derandomize=True, max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ident=_url_text)
def test_fuzzed_ids_get_an_answer_never_an_exception(client, ident):
    for route in ("/api/events/", "/api/articles/"):
        r = client.get(route + quote(ident, safe=""))
        if r.status_code != 200:
            assert_error(r, 404, 422)


@settings(derandomize=True, max_examples=100, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=_bodies)
def test_fuzzed_articles_get_an_answer_never_an_exception(client, body):
    # json.dumps writes a lone surrogate as its \\uXXXX escape, as a client in another language may
    raw = json.dumps(body).encode()
    r = client.post("/api/articles", content=raw, headers={**AUTH, "Content-Type": "application/json"})
    if r.status_code == 200:
        for item in r.json()["results"]:
            assert item["status"] in ("new", "duplicate", "copy", "failed")
    else:
        assert_error(r, 400, 422)
