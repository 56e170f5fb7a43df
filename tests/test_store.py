"""The event store on SQLite and on a real PostgreSQL: ingesting, linking, reading back, migrating.

PostgreSQL comes from a throwaway cluster (initdb/pg_ctl from Debian's ``postgresql`` package,
installed by scripts/install-system-deps) started once per test session on a free port.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from .conftest import shared_path

FIXTURES = Path(__file__).parent / "fixtures" / "linking"
SEED_PUBLISHED = "2025-02-07"  # the Media Line seed's date (expected.json); the other seed has none


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).parent if which else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster; yields a base URL (without the database name)."""
    bindir = _pg_bin()
    if bindir is None:
        # CI installs them (scripts/install-system-deps): there a missing server is a failure.
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl) are absent in CI: scripts/install-system-deps failed")
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are absent: run scripts/install-system-deps")
    root = os.geteuid() == 0
    datadir = tempfile.mkdtemp(prefix="flashpoint-pg-")
    # as root the server must run as another user; the postgres account comes with the package
    prefix = ["runuser", "-u", "postgres", "--"] if root else []
    if root:
        shutil.chown(datadir, "postgres")
    port = _free_port()
    run = lambda *args: subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)  # noqa: E731
    run(str(bindir / "initdb"), "-D", f"{datadir}/data", "-U", "flashpoint", "--auth=trust", "-E", "UTF8")
    run(str(bindir / "pg_ctl"), "-D", f"{datadir}/data", "-l", f"{datadir}/log", "-w", "start",
        "-o", f"-p {port} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off")
    try:
        yield f"postgresql://flashpoint@127.0.0.1:{port}"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", f"{datadir}/data", "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(datadir, ignore_errors=True)


def new_database(base_url: str) -> str:
    """A fresh, empty database on the throwaway server."""
    name = "t_" + uuid.uuid4().hex[:12]
    engine = create_engine(base_url.replace("postgresql://", "postgresql+psycopg://") + "/postgres",
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return f"{base_url}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """A fresh store location (``--db`` value) on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "events.sqlite")
    return new_database(request.getfixturevalue("postgres_server"))


@pytest.fixture(scope="module")
def link_rules():
    from flashpoint.link import LinkRules

    return LinkRules.load()


def ingest(db, pipeline, link_rules, *paths, published=None):
    import datetime as dt

    from flashpoint.ingest import read_inputs
    from flashpoint.store import Ingestor, open_store

    engine, sessions = open_store(db)
    try:
        when = dt.date.fromisoformat(published) if published else None
        items = read_inputs([str(p) for p in paths], published=when)
        return Ingestor(sessions, pipeline, link_rules).run(items, paths=[str(p) for p in paths])
    finally:
        engine.dispose()


def stored_events(db):
    from flashpoint.store import open_store, query_events

    engine, sessions = open_store(db)
    with sessions() as s:
        events = query_events(s)
    engine.dispose()
    return events


def table_counts(db) -> dict[str, int]:
    from flashpoint.store import open_store
    from flashpoint.store.models import Base

    engine, _ = open_store(db)
    with engine.connect() as conn:
        counts = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables
            if t.name != "ingest_runs" and t.name != "run_errors"
        }
    engine.dispose()
    return counts


def seeds():
    folder = shared_path("seeds")
    return folder / "000_d6a7c1cd75e71375.txt", folder / "001_9977996e42cd27ec.txt", folder / "expected.json"


def ingest_seeds(db, pipeline, link_rules, *, media_line_first: bool):
    plain, media_line, _ = seeds()
    order = [(media_line, SEED_PUBLISHED), (plain, None)]
    if not media_line_first:
        order.reverse()
    return [ingest(db, pipeline, link_rules, path, published=pub) for path, pub in order]


@pytest.mark.parametrize("media_line_first", [True, False], ids=["001-first", "000-first"])
def test_seeds_in_either_order_store_the_four_required_events_once_each_and_reingest_changes_nothing(
    db, pipeline, link_rules, media_line_first
):
    *_, expected_path = seeds()
    expected = json.loads(expected_path.read_text())
    ingest_seeds(db, pipeline, link_rules, media_line_first=media_line_first)
    events = stored_events(db)
    by_location = Counter(e.location for e in events)
    for article in expected["articles"]:
        for want in article["required"]:
            assert by_location[want["location"]] == 1, (want["location"], by_location)
            event = next(e for e in events if e.location == want["location"])
            assert event.sub_event_type == want["sub_event_type"]
            assert event.country == want["country"]
            assert len(event.sources) == 1  # none merged with another
    before = table_counts(db)
    again = ingest(db, pipeline, link_rules, *seeds()[:2], published=SEED_PUBLISHED)
    assert (again.articles_new, again.articles_duplicate, again.events_new, again.events_merged) == (0, 2, 0, 0)
    assert table_counts(db) == before


def test_second_report_of_al_qusayr_merges_and_fighting_at_another_town_does_not(db, pipeline, link_rules):
    from flashpoint.store import get_event, open_store

    ingest_seeds(db, pipeline, link_rules, media_line_first=True)
    summary = ingest(db, pipeline, link_rules, FIXTURES / "qusayr_second_report.jsonl",
                     FIXTURES / "talkalakh_same_day.jsonl")
    assert (summary.articles_new, summary.events_merged, summary.events_new) == (2, 1, 1)
    events = stored_events(db)
    qusayr = [e for e in events if e.location == "Al Qusayr"]
    assert len(qusayr) == 1
    merged = qusayr[0]
    assert {s.outlet for s in merged.sources} == {"The Media Line", "Levant Wire"}
    assert merged.fatalities == 3 and merged.fatalities_known  # the highest count any source gives
    assert merged.certainty == "confirmed"  # "reported" by each, corroborated by two outlets
    other = [e for e in events if e.location == "Tallkalakh"]
    assert len(other) == 1 and len(other[0].sources) == 1

    engine, sessions = open_store(db)
    with sessions() as s:
        linked, history = get_event(s, merged.event_id)
        by_article = {f.article_id: f.fatalities for f in linked.figures}
        assert sorted(by_article.values()) == [0, 3]  # every source's figure kept
        changes = {(h.field, json.dumps(h.old), json.dumps(h.new)) for h in history}
        assert ("fatalities", "0", "3") in changes
        assert ("certainty", '"reported"', '"confirmed"') in changes
        # the other town's fight is related, not the same: one storyline, two events
        other_linked, _ = get_event(s, other[0].event_id)
        assert other_linked.storyline_id is not None
        assert other_linked.storyline_id == linked.storyline_id
        # the article's own event id finds the event it was merged into
        assert get_event(s, "fixture-unknown") is None
    engine.dispose()


def test_lightly_edited_copy_is_stored_as_a_copy_not_as_new_evidence(db, pipeline, link_rules, tmp_path):
    original = json.loads((FIXTURES / "qusayr_second_report.jsonl").read_text())
    copy = dict(original, id="syndicated-copy", source="Another Desk", url="https://another.example/copy",
                text=original["text"].replace("several hours", "some hours"))
    path = tmp_path / "copy.jsonl"
    path.write_text(json.dumps(copy) + "\n")
    ingest(db, pipeline, link_rules, FIXTURES / "qusayr_second_report.jsonl")
    summary = ingest(db, pipeline, link_rules, path)
    assert (summary.articles_copy, summary.events_new, summary.events_merged) == (1, 0, 0)
    (event,) = [e for e in stored_events(db) if e.location == "Al Qusayr"]
    assert [s.article_id for s in event.sources] == ["fixture-qusayr-levant-wire"]
    assert event.certainty == "reported"  # a copy is no corroboration


def test_database_of_the_first_schema_upgrades_in_place(db, link_rules):
    from flashpoint.store.db import current_revision, database_url, head_revision, make_engine, migrate
    from flashpoint.store.dedup import minhash

    engine = make_engine(database_url(db))
    migrate(engine, revision="0001")
    assert current_revision(engine) == "0001"
    sig = minhash("an article stored by the first version of the store", k=5, permutations=64)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO articles (id, origin, original_text, clean_text, raw_hash, content_hash, minhash, stored)"
                 " VALUES ('old-1', 'old.txt', 'x', 'x', 'r', 'c', :sig, '2025-01-01 00:00:00')"),
            {"sig": json.dumps(sig)},
        )
        # a run an old flashpoint left "running" (killed): it has no pid to check
        conn.execute(text("INSERT INTO ingest_runs (started, status, paths, rules_version, counts)"
                          " VALUES ('2025-01-01 00:00:00', 'running', '[\"old.txt\"]', 'old', '{}')"))
    engine.dispose()

    from flashpoint.store import Ingestor, open_store

    engine, sessions = open_store(db)
    assert current_revision(engine) == head_revision() >= "0005"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles WHERE id = 'old-1'")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM article_bands WHERE article_id = 'old-1'")).scalar_one() == 16
        # the read-side indexes of revision 0003 exist after the upgrade
        names = {ix["name"] for ix in inspect(conn).get_indexes("events")}
        assert {"ix_events_date_id", "ix_events_fatalities_id"} <= names  # (expression indexes are not reflected)
        # revision 0004: the process of a run, why it ended so, an article's warnings; NULL for old rows
        assert {"pid", "host", "reason"} <= {c["name"] for c in inspect(conn).get_columns("ingest_runs")}
        assert conn.execute(text("SELECT warnings FROM articles WHERE id = 'old-1'")).scalar_one() is None
        # revision 0005: which fields each evidence sentence gave (NULL for sentences stored before)
        assert "fields" in {c["name"] for c in inspect(conn).get_columns("evidence")}
    # the next run takes the old "running" run as interrupted, and records its own process
    no_nlp = SimpleNamespace(run=lambda items: iter(list(items)))  # an empty input needs none
    Ingestor(sessions, no_nlp, link_rules).run([], paths=["nothing"])
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT status, pid FROM ingest_runs ORDER BY id")).all()
    assert [tuple(r) for r in runs] == [("interrupted", None), ("done", os.getpid())]
    engine.dispose()


def test_events_show_and_export_commands_read_the_store_back(db, pipeline, link_rules):
    from click.testing import CliRunner

    from flashpoint.cli import main

    ingest_seeds(db, pipeline, link_rules, media_line_first=True)
    ingest(db, pipeline, link_rules, FIXTURES / "qusayr_second_report.jsonl")
    runner = CliRunner()

    res = runner.invoke(main, ["events", "--db", db, "--country", "Lebanon", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    assert sorted(json.loads(line)["location"] for line in res.stdout.splitlines()) == ["Arsal", "Haweek"]

    res = runner.invoke(main, ["events", "--db", db, "--since", "2025-02-01", "--admin1", "Homs", "--format", "csv"])
    header, *rows = res.stdout.splitlines()
    assert header.startswith("event_id_cnty,event_date,year,time_precision,disorder_type,event_type")
    assert len(rows) == 1 and "Al Qusayr" in rows[0] and "Levant Wire; The Media Line" in rows[0]

    res = runner.invoke(main, ["events", "--db", db, "--bbox", "36.0,34.0,37.0,35.0", "--certainty", "confirmed",
                               "--format", "geojson"])
    features = json.loads(res.stdout)["features"]
    assert [f["properties"]["location"] for f in features] == ["Al Qusayr"]

    res = runner.invoke(main, ["events", "--db", db, "--actor", "Unidentified", "--type", "Battles"])
    assert "Qalamoun" in res.output and "Al Qusayr" not in res.output

    qusayr_id = next(f["id"] for f in features)
    res = runner.invoke(main, ["show", qusayr_id, "--db", db])
    assert res.exit_code == 0, res.output
    assert "sources (2):" in res.output and "Levant Wire" in res.output and "The Media Line" in res.output
    assert "fatalities: 0 -> 3" in res.output
    assert ">>>Syrian army forces fought Hezbollah fighters" in res.output

    res = runner.invoke(main, ["export", "--db", db, "--format", "jsonl"])
    exported = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert len(exported) == 4 and sum(len(e["sources"]) for e in exported) == 5


def test_an_ingest_that_grows_the_events_leaves_the_planner_its_statistics(tmp_path, pipeline, link_rules):
    from flashpoint.store import open_store
    from flashpoint.store.db import refresh_statistics

    db = str(tmp_path / "stats.sqlite")
    examples = Path(__file__).parents[1] / "examples" / "articles"
    ingest(db, pipeline, link_rules, examples)
    engine, sessions = open_store(db)
    try:
        with engine.connect() as conn:
            (stat,) = conn.execute(text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_events_date_id'")).one()
            events = conn.execute(text("SELECT count(*) FROM events")).scalar()
        assert int(stat.split()[0]) == events == 6  # what the planner reads is the store as it is
        assert refresh_statistics(sessions) is False  # nothing grew: not read again
    finally:
        engine.dispose()
