"""The Spark engine (``local[2]``) gives the local engine's events on real articles."""

from __future__ import annotations

import json
import shutil
from itertools import islice

import pytest

from .conftest import shared_path

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (scripts/install-system-deps installs one)", allow_module_level=True)


def _events(output) -> list[dict]:
    path = output / "events.jsonl"
    files = sorted(path.glob("part-*")) if path.is_dir() else [path]
    return [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines()]


def run_spark_local2(inputs: list[str], output: str):
    """``run_spark`` on ``local[2]``, with the session stopped afterwards whatever happens."""
    from pyspark.sql import SparkSession

    from flashpoint.batch.spark import run_spark

    try:
        return run_spark(inputs, output, master="local[2]")
    finally:
        active = SparkSession.getActiveSession()
        if active is not None:
            active.stop()


@pytest.mark.slow
def test_spark_local2_events_equal_the_local_engines(tmp_path):
    from flashpoint.batch import run_local

    corpus = shared_path("data", "corpus.jsonl")
    sample = tmp_path / "sample.jsonl"
    with open(corpus, encoding="utf-8") as fh:
        sample.write_text("".join(islice(fh, 200)), encoding="utf-8")

    local = run_local([str(sample)], tmp_path / "local", workers=2)
    spark = run_spark_local2([str(sample)], str(tmp_path / "spark"))

    assert (spark.items, spark.failed, spark.duplicates, spark.mentions, spark.events) == (
        local.items, local.failed, local.duplicates, local.mentions, local.events)
    assert local.events > 100, "the sample has events to link"
    assert _events(tmp_path / "spark") == _events(tmp_path / "local")


@pytest.mark.slow
def test_spark_drops_a_syndicated_copy_as_the_local_engine_does(tmp_path):
    from flashpoint.batch import run_local

    from .test_batch import reports, with_syndicated_copy, write_jsonl

    corpus = write_jsonl(tmp_path / "in.jsonl", with_syndicated_copy(reports()))
    local = run_local([str(corpus)], tmp_path / "local", workers=1)
    spark = run_spark_local2([str(corpus)], str(tmp_path / "spark"))
    assert (spark.copies, spark.duplicates, spark.mentions, spark.events) == (
        local.copies, local.duplicates, local.mentions, local.events)
    assert spark.copies == 1
    events = _events(tmp_path / "spark")
    assert events == _events(tmp_path / "local")
    assert "Syndication Daily" not in {s["outlet"] for e in events for s in e["sources"]}
