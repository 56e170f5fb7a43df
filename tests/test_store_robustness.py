"""No input stops an ingest, and ingests are safe together (issue #16), on SQLite and PostgreSQL.

* Values beyond what a store holds (an absurd toll, a placeholder date, an id or outlet longer
  than its column, NUL and lone surrogates) are stored brought within limits and said so, never
  an error; an article that still fails is recorded, skipped, and the rest is stored.
* Runs record their process: a crash marks the run "failed", a gone process "interrupted", and a
  live run is left alone.
* Three ``flashpoint ingest`` processes on one input at once give the store one ingest gives.
* A fuzz test (hypothesis, fixed seed) over the store finds no escaping exception.

Every article here was written for these tests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from flashpoint.model import ArticleResult, CleanArticle, Event, Evidence, ItemError, Source

from .test_store import db, link_rules, postgres_server, new_database  # noqa: F401  (fixtures)

INT_MAX = 2**31 - 1

# (id, outlet, published, text): short reports written for these tests. Two outlets tell the
# Aleppo shelling (linking merges them); the Kismayo update is a lightly edited copy.
ARTICLES = (
    ("rb-aleppo-1", "Test Wire", "2024-03-05",
     "ALEPPO, March 5 -- Government forces shelled a market in Aleppo on Tuesday, killing four civilians, "
     "residents said. The shelling hit the eastern districts of the city in the morning."),
    ("rb-aleppo-2", "Other Desk", "2024-03-05",
     "Four civilians were killed on Tuesday when government artillery struck a crowded market in Aleppo, "
     "a monitoring group said. Witnesses said several shops were destroyed in the attack."),
    ("rb-homs-1", "Test Wire", "2024-03-06",
     "HOMS, March 6 -- Rebel fighters clashed with government troops near Homs on Wednesday, and two "
     "soldiers were killed, a military source said."),
    ("rb-mogadishu-1", "Coast News", "2024-03-07",
     "MOGADISHU, March 7 -- A roadside bomb exploded in Mogadishu on Thursday, killing three people, police "
     "said. Al Shabaab fighters claimed the attack."),
    ("rb-idlib-1", "Test Wire", "2024-03-08",
     "IDLIB, March 8 -- Warplanes struck a village south of Idlib on Friday, killing five civilians, "
     "rescue workers said."),
    ("rb-daraa-1", "Other Desk", "2024-03-09",
     "DARAA, March 9 -- Gunmen shot dead a local council member in Daraa on Saturday, residents said."),
    ("rb-kismayo-1", "Coast News", "2024-03-10",
     "KISMAYO, March 10 -- Al Shabaab fighters attacked a military base near Kismayo on Sunday, and six "
     "soldiers were killed in the fighting that followed, an officer said."),
    ("rb-kismayo-2", "Coast Wire", "2024-03-10",
     "KISMAYO, March 10 -- Al Shabaab fighters attacked a military base near Kismayo on Sunday, and six "
     "soldiers were killed in the fighting that followed, an army officer said."),
    ("rb-baidoa-1", "Coast News", "2024-03-11",
     "BAIDOA, March 11 -- Protesters marched through Baidoa on Monday to demand better security, and police "
     "fired tear gas to disperse them."),
    ("rb-raqqa-1", "Test Wire", "2024-03-12",
     "RAQQA, March 12 -- A car bomb exploded at a checkpoint in Raqqa on Tuesday, killing two guards, "
     "a monitoring group said."),
    ("rb-aleppo-3", "Test Wire", "2024-03-13",
     "ALEPPO, March 13 -- Rebels fired rockets at a government-held district of Aleppo on Wednesday, "
     "wounding seven people, state media said."),
    ("rb-homs-2", "Other Desk", "2024-03-14",
     "HOMS, March 14 -- Security forces arrested twelve men in a raid on a village near Homs on Thursday, "
     "activists said."),
)


def write_articles(path: Path, rows=ARTICLES) -> Path:
    lines = [json.dumps({"id": i, "source": o, "published": p, "text": t}) for i, o, p, t in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# Helpers: a stand-in for the NLP, and reading a store back
# ---------------------------------------------------------------------------


class StubPipeline:
    """Stands in for the NLP: the events each input item gives are written by the test (keyed by
    the item's origin), so that values the real pipeline would never produce reach the store."""

    def __init__(self, events: dict[str, list[Event]] | None = None, *, raise_after: int | None = None,
                 error: BaseException | None = None) -> None:
        self.events = events or {}
        self.raise_after, self.error = raise_after, error

    def run(self, items):
        for n, item in enumerate(items):
            if self.raise_after is not None and n >= self.raise_after:
                raise self.error
            if isinstance(item, ItemError):
                yield ArticleResult(origin=item.origin, article_id=None, error=item)
                continue
            clean = CleanArticle(article=item, text=item.text, title=item.title, published=item.published,
                                 outlet=item.outlet, language="en")
            events = [dataclasses.replace(e) for e in self.events.get(item.origin, [])]
            yield ArticleResult(origin=item.origin, article_id=item.id, events=events, clean=clean)


def article(aid: str, body: str, *, origin: str | None = None, outlet: str | None = "Test Wire",
            published: dt.date | None = dt.date(2024, 3, 5), url: str | None = None):
    from flashpoint.model import Article

    return Article(id=aid, text=body, origin=origin or f"test:{aid}", outlet=outlet, published=published, url=url)


def event(art, suffix: str = "1", **fields) -> Event:
    """An Aleppo shelling as the pipeline would give it for ``art``, with ``fields`` changed."""
    values = dict(
        event_id="fp-" + hashlib.sha256(f"{art.id}|{suffix}".encode("utf-8", "surrogatepass")).hexdigest()[:16],
        event_date=dt.date(2024, 3, 5), date_precision=1, event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack", actor1="Military Forces of Syria (2000-2024)",
        actor2="Civilians (Syria)", assoc_actor_1="", assoc_actor_2="", inter1="State forces", inter2="Civilians",
        country="Syria", iso3="SYR", admin1="Aleppo", admin2=None, location="Aleppo", latitude=36.20124,
        longitude=37.16117, geo_precision=1, fatalities=4, fatalities_known=True, injured=None,
        weapons=["artillery"], certainty="reported", notes="",
        sources=[Source(article_id=art.id, outlet=art.outlet, url=art.url, published=art.published,
                        evidence=(Evidence(text=art.text[:40], start=0, end=min(40, len(art.text))),))],
    )
    values.update(fields)
    return Event(**values)


def ingest_with(db, link_rules, pipeline, items, **kw):  # noqa: F811
    from flashpoint.store import Ingestor, open_store

    engine, sessions = open_store(db)
    try:
        return Ingestor(sessions, pipeline, link_rules).run(items, paths=["test"], **kw)
    finally:
        engine.dispose()


def query(db, sql: str, **params) -> list[tuple]:
    from flashpoint.store.db import database_url, make_engine

    engine = make_engine(database_url(db))
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def as_json(value):
    """A JSON column read with plain SQL: text on SQLite, already parsed by psycopg."""
    return json.loads(value) if isinstance(value, str) else value


def snapshot(db) -> dict:
    """What a store holds, without what differs between equal stores (run ids, times, row ids)."""
    from flashpoint.store.db import database_url, make_engine
    from flashpoint.store.models import Base

    engine = make_engine(database_url(db))
    try:
        with engine.connect() as conn:
            counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                      for t in Base.metadata.sorted_tables if t.name not in ("ingest_runs", "run_errors")}
            rows = {
                name: sorted(tuple(map(str, r)) for r in conn.execute(text(sql)))
                for name, sql in (
                    ("events", "SELECT id, event_date, location, fatalities, certainty, storyline_id FROM events"),
                    ("sources", "SELECT event_id, article_id, mention_id FROM event_sources"),
                    ("articles", "SELECT id, duplicate_of FROM articles"),
                )
            }
    finally:
        engine.dispose()
    return {"counts": counts, **rows}


def cli_ingest(path, db, **kw):  # noqa: F811
    return subprocess.Popen([sys.executable, "-m", "flashpoint", "ingest", str(path), "--db", db, "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"), **kw)


def stored_by(log: str) -> int:
    """Articles a run stored, from its summary line: new ones and near-duplicate copies."""
    counts = log.rsplit("articles: ", 1)[1]
    return int(counts.split(" new")[0]) + int(counts.split("already stored, ")[1].split(" near-duplicate")[0])


def finished(job, timeout: float = 600) -> str:
    _, err = job.communicate(timeout=timeout)
    assert job.returncode == 0, err
    return err


# ---------------------------------------------------------------------------
# Values beyond the store's limits
# ---------------------------------------------------------------------------


def test_absurd_toll_is_stored_clamped_and_said_in_the_notes(db, link_rules):  # noqa: F811
    huge = article("toll-huge", "ALEPPO -- Militants killed an absurd number of people in Aleppo, officials said.")
    big = article("toll-2-31", "HOMS -- Gunmen killed a great many civilians in Homs, a monitor said.")
    pipeline = StubPipeline({
        huge.origin: [event(huge, fatalities=10**25, injured=-(10**30))],
        big.origin: [event(big, fatalities=2**31, location="Homs", latitude=34.72682, longitude=36.72339,
                           event_date=dt.date(2024, 3, 8))],
    })
    summary = ingest_with(db, link_rules, pipeline, [huge, big])
    assert (summary.articles_new, summary.articles_failed, summary.events_bounded) == (2, 0, 2), summary.line()
    rows = dict((loc, (deaths, hurt, notes)) for loc, deaths, hurt, notes in
                query(db, "SELECT location, fatalities, injured, notes FROM events"))
    deaths, hurt, notes = rows["Aleppo"]
    assert (deaths, hurt) == (INT_MAX, 0)
    assert "fatalities: a number of about 26 digits is outside 0..2147483647, clamped to 2147483647" in notes
    assert rows["Homs"][0] == INT_MAX and "fatalities: 2147483648 is outside" in rows["Homs"][2]
    before = snapshot(db)
    again = ingest_with(db, link_rules, pipeline, [huge, big])
    assert (again.articles_new, again.articles_duplicate, again.articles_failed) == (0, 2, 0)
    assert snapshot(db) == before


def test_placeholder_dates_and_impossible_coordinates_are_left_empty_not_fatal(db, link_rules):  # noqa: F811
    arts = [article(f"date-{n}", f"HOMS -- Rebels attacked an army post in Homs, report {n} said.",
                    published=published)
            for n, published in enumerate([dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(9999, 12, 31)])]
    pipeline = StubPipeline({
        arts[0].origin: [event(arts[0], event_date=dt.date(9999, 12, 31), date_precision=3)],
        arts[1].origin: [event(arts[1], event_date=dt.date(1, 1, 1), latitude=float("nan"))],
        # a second 9999-12-31 report: linking it must not fail on the first one's date
        arts[2].origin: [event(arts[2], event_date=dt.date(9999, 12, 31), longitude=540.0)],
    })
    summary = ingest_with(db, link_rules, pipeline, arts)
    assert (summary.articles_new, summary.articles_failed, summary.events_bounded) == (3, 0, 3), summary.line()
    rows = query(db, "SELECT event_date, date_precision, latitude, longitude, notes FROM events ORDER BY id")
    assert len(rows) == 3 and all(r[0] is None and r[1] is None for r in rows)
    notes = " ".join(r[4] for r in rows)
    assert "event_date: 9999-12-31 is outside 1800-01-01..2200-12-31" in notes
    assert "event_date: 0001-01-01 is outside" in notes
    assert "coordinates (nan, 37.16117) are no point on Earth, left empty" in notes
    assert sorted(str(p) for (p,) in query(db, "SELECT published FROM articles")) == \
        ["0001-01-01", "9999-12-31", "9999-12-31"]  # the article keeps what it says


def test_overlong_ids_outlets_names_and_unsafe_characters_are_stored_within_limits(db, link_rules):  # noqa: F811
    long_id = "article-" + "x" * 300
    outlet = "The Very Long Outlet Name " * 12
    body = "MOGADISHU -- A bomb exploded in Mogadishu\x00 on Thursday, killing three \ud800people, police said."
    art = article(long_id, body, outlet=outlet, url="https://news.example/" + "\u00e9" * 1500)
    pipeline = StubPipeline({art.origin: [event(
        art, event_id="e" * 100, actor1="Al Shabaab " * 30, assoc_actor_1="Clan Militia; " + "y" * 250,
        location="Mogadishu\x00", country="Somalia", iso3="SOMALIA", certainty="confirmed beyond doubt",
        weapons=["IED\udfff"],
    )]})
    summary = ingest_with(db, link_rules, pipeline, [art])
    assert (summary.articles_new, summary.articles_failed) == (1, 0), summary.errors
    ((aid, stored_outlet, url, clean_text, warnings),) = query(
        db, "SELECT id, outlet, url, clean_text, warnings FROM articles")
    digest = "id-" + hashlib.sha256(long_id.encode()).hexdigest()[:16]  # the scheme of ingest/safety.py
    assert aid == digest and len(stored_outlet) == 200 and len(url.encode()) <= 2000
    assert clean_text == body.replace("\x00", "\ufffd").replace("\ud800", "\ufffd")  # offsets kept
    assert any(w.startswith("id: unusable as stored (308 characters") for w in as_json(warnings))
    ((eid, actor1, location, iso3, certainty, notes),) = query(
        db, "SELECT id, actor1, location, iso3, certainty, notes FROM events")
    assert len(eid) <= 64 and len(actor1) == 200 and location == "Mogadishu\ufffd"
    assert (iso3, certainty) == ("SOM", "confirmed beyond")
    assert "actor1: longer than 200 characters, cut" in notes
    assert query(db, "SELECT article_id FROM event_sources") == [(digest,)]
    assert max(len(n) for (n,) in query(db, "SELECT name FROM actors")) == 200
    # a re-run finds it by the stored id before any NLP: nothing changes
    before = snapshot(db)
    again = ingest_with(db, link_rules, StubPipeline(), [art])
    assert (again.articles_duplicate, again.articles_new) == (1, 0)
    assert snapshot(db) == before


# ---------------------------------------------------------------------------
# One item's failure is that item's alone
# ---------------------------------------------------------------------------


def test_an_article_that_fails_to_store_is_recorded_and_the_rest_of_its_group_is_stored(
    db, link_rules, monkeypatch  # noqa: F811
):
    import flashpoint.store.ingest as ingest_module

    arts = [article(f"group-{n}", f"ALEPPO -- Shelling hit district {n} of Aleppo on Tuesday, residents said.")
            for n in range(5)]
    pipeline = StubPipeline({a.origin: [event(a, location=f"District {n}")] for n, a in enumerate(arts)})
    real = ingest_module.save_outcome

    def failing(session, outcome, mention, rules):
        if mention.sources[0].article_id == "group-2":
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return real(session, outcome, mention, rules)

    monkeypatch.setattr(ingest_module, "save_outcome", failing)
    seen = []
    summary = ingest_with(db, link_rules, pipeline, arts, on_item=seen.append)
    assert (summary.articles_new, summary.articles_failed) == (4, 1)
    assert [e.origin for e in summary.errors] == ["test:group-2"]
    assert "storing failed: OverflowError: Python int too large" in summary.errors[0].reason
    assert [r.error is not None for r in seen] == [False, False, True, False, False]  # the CLI prints it
    assert sorted(i for (i,) in query(db, "SELECT id FROM articles")) == ["group-0", "group-1", "group-3", "group-4"]
    # nothing of group-2 half-written
    assert sorted(a for (a,) in query(db, "SELECT article_id FROM event_sources")) == \
        ["group-0", "group-1", "group-3", "group-4"]
    assert query(db, "SELECT status FROM ingest_runs WHERE id = :i", i=summary.run_id) == [("done",)]
    assert query(db, "SELECT origin, reason FROM run_errors WHERE run_id = :i", i=summary.run_id) == \
        [("test:group-2", summary.errors[0].reason)]

    # a re-run tries it again; failing again it is reported again, and nothing else changes
    before = snapshot(db)
    again = ingest_with(db, link_rules, pipeline, arts)
    assert (again.articles_duplicate, again.articles_failed, again.articles_new) == (4, 1, 0)
    assert snapshot(db) == before
    # once the cause is gone, the next run stores it
    monkeypatch.setattr(ingest_module, "save_outcome", real)
    third = ingest_with(db, link_rules, pipeline, arts)
    assert (third.articles_new, third.articles_duplicate, third.articles_failed) == (1, 4, 0)


# ---------------------------------------------------------------------------
# Run bookkeeping
# ---------------------------------------------------------------------------


def test_a_crashed_run_is_marked_failed_with_its_reason(db, link_rules):  # noqa: F811
    arts = [article(f"crash-{n}", f"HOMS -- Clashes near Homs, report {n}.") for n in range(3)]
    pipeline = StubPipeline({a.origin: [event(a)] for a in arts}, raise_after=1,
                            error=RuntimeError("the parser fell over"))
    with pytest.raises(RuntimeError, match="the parser fell over"):
        ingest_with(db, link_rules, pipeline, arts)
    ((status, reason, finished_at, pid),) = query(db, "SELECT status, reason, finished, pid FROM ingest_runs")
    assert (status, reason) == ("failed", "RuntimeError: the parser fell over")
    assert finished_at is not None and pid == os.getpid()
    assert query(db, "SELECT id FROM articles") == [("crash-0",)]  # what was stored before stays


def test_an_interrupted_run_is_marked_interrupted_and_keeps_its_whole_articles(db, link_rules):  # noqa: F811
    arts = [article(f"stop-{n}", f"IDLIB -- Air strikes near Idlib, report {n}.") for n in range(3)]
    pipeline = StubPipeline({a.origin: [event(a)] for a in arts}, raise_after=2,
                            error=KeyboardInterrupt("stopped by SIGTERM"))
    summary = ingest_with(db, link_rules, pipeline, arts)
    assert summary.interrupted and summary.articles_new == 2
    assert query(db, "SELECT status, reason FROM ingest_runs") == [("interrupted", "stopped by SIGTERM")]


def test_a_live_run_is_not_marked_interrupted_and_a_gone_one_is(db, link_rules):  # noqa: F811
    from flashpoint.store import open_store
    from flashpoint.store.db import writing
    from flashpoint.store.ingest import this_host
    from flashpoint.store.models import IngestRun
    from flashpoint.store.repo import now

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # reaped: its pid names no process now
    engine, sessions = open_store(db)
    runs = {"live": (os.getpid(), this_host()), "gone": (gone.pid, this_host()), "old": (None, None),
            "elsewhere": (gone.pid, "another-host.example")}
    with writing(sessions) as s:
        for name, (pid, host) in runs.items():
            s.add(IngestRun(started=now(), status="running", paths=[name], rules_version="t", counts={},
                            pid=pid, host=host))
    engine.dispose()
    ingest_with(db, link_rules, StubPipeline(), [])
    status = {as_json(paths)[0]: s for paths, s in query(db, "SELECT paths, status FROM ingest_runs")}
    assert status == {"live": "running", "gone": "interrupted", "old": "interrupted", "elsewhere": "running",
                      "test": "done"}


# ---------------------------------------------------------------------------
# Ingests at the same time
# ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("existing", [False, True], ids=["new-store", "existing-store"])
def test_three_concurrent_ingests_of_one_file_give_one_store(db, tmp_path, existing):  # noqa: F811
    batch = write_articles(tmp_path / "batch.jsonl")
    reference = str(tmp_path / "reference.sqlite") if "://" not in db else new_database(db.rsplit("/", 1)[0])
    finished(cli_ingest(batch, reference))
    if existing:  # the store already holds the first articles of the input
        finished(cli_ingest(write_articles(tmp_path / "first.jsonl", ARTICLES[:3]), db))
    jobs = [cli_ingest(batch, db) for _ in range(3)]
    logs = [finished(job) for job in jobs]
    assert all("failed" in log and " 0 failed" in log for log in logs), logs
    assert snapshot(db) == snapshot(reference)
    stored = snapshot(db)["counts"]
    assert stored["articles"] == len(ARTICLES) and stored["events"] > 0
    # the three runs stored each article once between them (as new, or as a near-duplicate copy)
    assert sum(stored_by(log) for log in logs) == len(ARTICLES) - (3 if existing else 0)
    assert {s for (s,) in query(db, "SELECT status FROM ingest_runs")} == {"done"}


@pytest.mark.slow
def test_mixed_bad_and_good_items_store_every_good_article_and_a_rerun_changes_nothing(db, tmp_path):  # noqa: F811
    good = ARTICLES[:4]
    bad = [
        '{"id": "bad-toll", "source": "Test Wire", "published": "2024-03-08", "text": "ALEPPO -- Militants '
        'killed 99999999999999999999999 people in Aleppo on Friday, officials said."}',
        '{"id": "bad-future", "published": "9999-12-31", "text": "Rebels attacked an army post in Homs today, '
        'killing five soldiers, a monitor said."}',
        '{"id": "bad-past", "published": "0001-01-01", "text": "Gunmen attacked a village near Aleppo '
        'yesterday, killing six civilians, residents said."}',
        json.dumps({"id": "bad-" + "x" * 300, "source": "Outlet " * 60, "published": "2024-03-09",
                    "text": "MOGADISHU -- Al Shabaab fighters attacked a police station in Mogadishu on "
                            "Saturday, killing two officers."}),
        '{"id": "bad-nul", "text": "HOMS -- Shelling\\u0000 hit Homs on Monday, killing \\ud800 one man."}',
        '{"id": "bad-empty", "text": ""}',
        '["not", "an", "object"]',
        "{this is not json",
        # over spaCy's 1,000,000 characters on one line: cut at a sentence end, coded, stored
        json.dumps({"id": "bad-long", "published": "2024-03-11",
                    "text": "Troops clashed with rebels near Hama on Monday, killing two fighters. " * 15_000}),
    ]
    lines = bad[:4] + [json.dumps({"id": i, "source": o, "published": p, "text": t}) for i, o, p, t in good] + bad[4:]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = finished(cli_ingest(path, db))
    assert "skipped" in first  # the bad ones are reported
    stored = {i for (i,) in query(db, "SELECT id FROM articles")}
    assert {i for i, *_ in good} | {"bad-long"} <= stored
    assert "mixed.jsonl:13: text: longer than 1,000,000 characters; cut to" in first
    assert query(db, "SELECT status FROM ingest_runs") == [("done",)]
    before = snapshot(db)
    second = finished(cli_ingest(path, db))
    assert snapshot(db) == before and " 0 new" in second


# ---------------------------------------------------------------------------
# Fuzz: no input escapes the store
# ---------------------------------------------------------------------------


def _fuzz_strategies():
    from hypothesis import strategies as st

    from flashpoint.model import SUB_EVENT_TYPES

    chars = st.characters(exclude_categories=())  # surrogates and controls included
    nasty = st.one_of(
        st.text(chars, max_size=30),
        st.sampled_from(["", " ", "\x00", "\ud800", "Aleppo", "Homs", "Mogadishu", "Al Shabaab"]),
        st.builds(lambda c, n: c * n, chars, st.integers(190, 320)),
    )
    long_text = st.builds(lambda c, n: c * n, chars, st.integers(1000, 3000))
    ints = st.one_of(st.integers(-(2**80), 2**80), st.sampled_from([0, 1, INT_MAX, INT_MAX + 1, -(2**31) - 1,
                                                                      2**63, 10**30]))
    coords = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([36.2, 37.16, 34.73]),
                       st.none())
    dates = st.one_of(st.dates(), st.sampled_from([dt.date(2024, 3, 5), dt.date(9999, 12, 31), dt.date(1, 1, 1)]))
    kinds = st.sampled_from(sorted(SUB_EVENT_TYPES.items()))
    return st, nasty, long_text, ints, coords, dates, kinds


def _fuzz_items():
    from flashpoint.model import Article

    st, nasty, long_text, ints, coords, dates, kinds = _fuzz_strategies()
    counter = itertools.count()

    @st.composite
    def one_item(draw):
        n = next(counter)
        origin = f"fuzz:{n}"
        if draw(st.integers(0, 6)) == 0:
            return ItemError(draw(nasty) or origin, draw(nasty)), []
        art = Article(
            id=draw(st.one_of(nasty, st.sampled_from(["fz-1", "fz-2"]))), text=draw(st.one_of(nasty, long_text))
            or "x", origin=origin, title=draw(st.none() | nasty), outlet=draw(st.none() | nasty),
            url=draw(st.none() | nasty | long_text), published=draw(st.none() | dates),
        )
        events = []
        for k in range(draw(st.integers(0, 3))):
            etype, sub = draw(st.one_of(kinds, st.tuples(nasty, nasty)))
            events.append(Event(
                event_id=draw(nasty) + f"#{n}.{k}",  # unique per mention, as the pipeline's are
                event_date=draw(st.none() | dates), date_precision=draw(st.none() | ints),
                event_type=etype, sub_event_type=sub, actor1=draw(st.none() | nasty),
                actor2=draw(st.none() | nasty), assoc_actor_1=draw(nasty), assoc_actor_2=draw(nasty),
                inter1=draw(st.none() | nasty), inter2=draw(st.none() | nasty), country=draw(st.none() | nasty),
                iso3=draw(st.none() | nasty), admin1=draw(st.none() | nasty), admin2=draw(st.none() | nasty),
                location=draw(st.none() | nasty), latitude=draw(coords), longitude=draw(coords),
                geo_precision=draw(st.none() | ints), fatalities=draw(ints), fatalities_known=draw(st.booleans()),
                injured=draw(st.none() | ints), weapons=draw(st.lists(nasty, max_size=3)),
                certainty=draw(st.one_of(st.sampled_from(["confirmed", "reported", "unconfirmed"]), nasty)),
                notes=draw(nasty),
                sources=[Source(article_id=art.id, outlet=art.outlet, url=art.url, published=art.published,
                                evidence=tuple(Evidence(text=draw(nasty), start=draw(ints), end=draw(ints))
                                               for _ in range(draw(st.integers(0, 2)))))],
            ))
        return art, events

    return st.lists(one_item(), min_size=1, max_size=4)


def test_fuzz_no_input_escapes_the_store(db, link_rules):  # noqa: F811
    from hypothesis import HealthCheck, given, settings

    from flashpoint.store import open_store, query_events

    engine, sessions = open_store(db)

    @settings(derandomize=True, max_examples=60, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(_fuzz_items())
    def check(drawn):
        from flashpoint.store import Ingestor

        items = [item for item, _ in drawn]
        pipeline = StubPipeline({item.origin: events for item, events in drawn})
        summary = Ingestor(sessions, pipeline, link_rules).run(items, paths=["fuzz"])
        assert (summary.articles_new + summary.articles_duplicate + summary.articles_copy
                + summary.articles_failed) == len(items)
        # bounding leaves nothing to fail: only the items that came in failed are failures
        assert summary.articles_failed == sum(isinstance(i, ItemError) for i in items), summary.errors
        with sessions() as s:
            from flashpoint.store.models import IngestRun

            assert s.get(IngestRun, summary.run_id).status == "done"
            for e in query_events(s):  # and everything stored reads back
                assert 0 <= e.fatalities <= INT_MAX and (e.injured is None or 0 <= e.injured <= INT_MAX)

    try:
        check()
    finally:
        engine.dispose()
