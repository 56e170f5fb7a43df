"""``flashpoint ingest`` as a user runs it: killed mid-batch, run again, nothing lost or doubled."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text

from .conftest import shared_path
from .test_store import db, postgres_server  # noqa: F401  (fixtures: both backends)

N_ARTICLES = 24  # more than one pipeline batch (16), so the kill lands between commits


def _count(url: str, sql: str) -> int:
    if "://" not in url:
        url = f"sqlite:///{url}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar_one()
    except Exception:  # the schema may not exist yet while the job starts
        return 0
    finally:
        engine.dispose()


def _ingest_cmd(path, db_url):
    return [sys.executable, "-m", "flashpoint", "ingest", str(path), "--db", db_url, "--no-progress"]


@pytest.mark.slow
def test_ingest_killed_with_sigkill_mid_batch_then_rerun_stores_every_article_exactly_once(db, tmp_path):  # noqa: F811
    lines = shared_path("data", "voa.jsonl").read_text(encoding="utf-8").splitlines()[:N_ARTICLES]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ids = {json.loads(line)["id"] for line in lines}
    env = dict(os.environ, PYTHONUNBUFFERED="1")

    job = subprocess.Popen(_ingest_cmd(batch, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 300
    while _count(db, "SELECT count(*) FROM articles") < 3:
        assert job.poll() is None, "ingest ended before it could be killed: " + job.stderr.read().decode()
        assert time.monotonic() < deadline, "no article was stored within 300 s"
        time.sleep(0.05)
    job.send_signal(signal.SIGKILL)
    job.wait()
    stored_before = _count(db, "SELECT count(*) FROM articles")
    assert 3 <= stored_before < N_ARTICLES  # killed in the middle

    rerun = subprocess.run(_ingest_cmd(batch, db), capture_output=True, text=True, env=env, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{stored_before} already stored" in rerun.stderr

    assert _count(db, "SELECT count(*) FROM articles") == len(ids)
    assert _count(db, "SELECT count(DISTINCT id) FROM articles") == len(ids)
    # nothing half-written: every source points at a stored article, every event has a source
    assert _count(db, "SELECT count(*) FROM events e WHERE NOT EXISTS "
                      "(SELECT 1 FROM event_sources s WHERE s.event_id = e.id)") == 0
    assert _count(db, "SELECT count(*) FROM (SELECT article_id, mention_id FROM event_sources "
                      "GROUP BY article_id, mention_id HAVING count(*) > 1) d") == 0
    assert _count(db, "SELECT count(*) FROM ingest_runs WHERE status = 'interrupted'") == 1

    third = subprocess.run(_ingest_cmd(batch, db), capture_output=True, text=True, env=env, timeout=600)
    assert f"articles: 0 new, {len(ids)} already stored" in third.stderr


def _written_batch(path, n: int):
    """``n`` short reports written for this test, all different (town, toll, day)."""
    towns = ("Aleppo", "Homs", "Mogadishu", "Idlib", "Daraa", "Kismayo", "Baidoa", "Raqqa")
    lines = []
    for i in range(n):
        town, day = towns[i % len(towns)], 1 + i % 28
        lines.append(json.dumps({
            "id": f"term-{i}", "source": "Test Wire", "published": f"2024-04-{day:02d}",
            "text": f"{town.upper()}, April {day} -- Gunmen attacked a checkpoint in {town} on the {i}th patrol "
                    f"of the week, killing {i + 2} guards and wounding {i + 5} others, officials said. "
                    f"Residents said the fighting near the {town} market lasted {i + 1} hours.",
        }))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_ingest_stopped_with_sigterm_records_the_run_interrupted_and_a_rerun_finishes(db, tmp_path):  # noqa: F811
    batch = _written_batch(tmp_path / "batch.jsonl", 48)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    job = subprocess.Popen(_ingest_cmd(batch, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 300
    # the run is recorded once the command is past loading: from then on SIGTERM is its to handle
    while _count(db, "SELECT count(*) FROM ingest_runs WHERE status = 'running'") < 1:
        assert job.poll() is None, "ingest ended before it could be stopped: " + job.stderr.read().decode()
        assert time.monotonic() < deadline, "no run was recorded within 300 s"
        time.sleep(0.05)
    job.send_signal(signal.SIGTERM)
    _, err = job.communicate(timeout=300)
    assert job.returncode == 128 + signal.SIGTERM, err
    assert "interrupted (run again to resume)" in err.decode()
    assert _count(db, "SELECT count(*) FROM ingest_runs WHERE status = 'interrupted' "
                      "AND reason = 'stopped by SIGTERM' AND finished IS NOT NULL") == 1
    stored_before = _count(db, "SELECT count(*) FROM articles")
    assert stored_before < 48

    rerun = subprocess.run(_ingest_cmd(batch, db), capture_output=True, text=True, env=env, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert _count(db, "SELECT count(*) FROM articles") == 48
    assert _count(db, "SELECT count(*) FROM events e WHERE NOT EXISTS "
                      "(SELECT 1 FROM event_sources s WHERE s.event_id = e.id)") == 0
    # the stopped run said so itself; the re-run found nothing left "running"
    assert _count(db, "SELECT count(*) FROM ingest_runs WHERE status = 'interrupted'") == 1
    assert _count(db, "SELECT count(*) FROM ingest_runs WHERE status = 'done'") == 1
