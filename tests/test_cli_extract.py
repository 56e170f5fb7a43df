"""``flashpoint extract`` end to end: formats, sample articles, and bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashpoint.cli import main
from flashpoint.export import ACLED_COLUMNS

from .conftest import EXAMPLES

CLASH = (
    "Syrian government forces clashed with Hezbollah fighters near the Syrian town of Al Qusayr "
    "on Thursday, a military source said. Two Hezbollah fighters were killed in the fighting.\n"
)


def run(args, input=None):
    return CliRunner().invoke(main, args, input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "events.geojson"
    result = run(["extract", str(EXAMPLES / "articles"), "--format", "table", "--geojson", str(out)])
    return result, out


def test_sample_articles_print_a_table_and_write_geojson(sample_run):
    result, geojson_path = sample_run
    assert result.exit_code == 0, result.output
    assert "Armed clash" in result.stdout
    collection = json.loads(geojson_path.read_text())
    assert collection["type"] == "FeatureCollection"
    placed = [f for f in collection["features"] if f["geometry"]]
    assert len(placed) >= 4
    lon, lat = placed[0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_jsonl_has_the_codebook_fields_and_stable_ids(tmp_path):
    article = tmp_path / "clash.txt"
    article.write_text(CLASH)
    first = run(["extract", str(article), "--published", "2025-02-07"])
    second = run(["extract", str(article), "--published", "2025-02-07"])
    assert first.exit_code == 0
    events = [json.loads(line) for line in first.stdout.splitlines()]
    assert events, first.output
    event = events[0]
    for name in ("event_id", "event_date", "date_precision", "event_type", "sub_event_type", "actor1",
                 "actor2", "inter1", "inter2", "country", "iso3", "admin1", "admin2", "location",
                 "latitude", "longitude", "geo_precision", "fatalities", "fatalities_known", "injured",
                 "weapons", "certainty", "notes", "sources"):
        assert name in event
    assert event["sub_event_type"] == "Armed clash"
    assert event["event_date"] == "2025-02-06"
    assert event["country"] == "Syria"
    assert event["fatalities"] == 2
    assert {event["actor1"], event["actor2"]} == {"Military Forces of Syria (2024-)", "Hezbollah"}
    evidence = event["sources"][0]["evidence"][0]
    assert evidence["text"] in CLASH
    assert first.stdout == second.stdout  # same input, same ids, same output


def test_csv_follows_acled_column_order(tmp_path):
    article = tmp_path / "clash.txt"
    article.write_text(CLASH)
    result = run(["extract", str(article), "--published", "2025-02-07", "--format", "csv"])
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert tuple(rows[0][: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert len(rows) >= 2


def test_standard_input_is_read_with_a_dash():
    result = run(["extract", "-", "--published", "2025-02-07"], input=CLASH)
    assert result.exit_code == 0
    assert "Armed clash" in result.stdout


def test_an_event_without_a_place_or_day_is_emitted_with_nulls(tmp_path):
    article = tmp_path / "vague.txt"
    article.write_text("Rebel fighters clashed with government troops, a monitoring group said.\n")
    result = run(["extract", str(article)])
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(events) == 1
    assert events[0]["location"] is None and events[0]["latitude"] is None
    assert events[0]["event_date"] is None and events[0]["date_precision"] is None


def _bad_inputs(folder: Path) -> None:
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 200)
    (folder / "latin1.txt").write_bytes(
        ("Protesters gathered in the centre of Bogot\u00e1 on Monday, demanding the release of "
         "detained students; police fired tear gas to disperse the crowd, witnesses said.\n").encode("latin-1")
    )
    (folder / "french.txt").write_text(
        "Des affrontements ont éclaté jeudi entre l'armée et des groupes armés près de la frontière, "
        "selon des sources locales. Plusieurs combattants ont été tués dans les combats.\n"
    )
    (folder / "lines.jsonl").write_text(
        '{"id": "ok-1", "text": ' + json.dumps(CLASH) + ', "published": "2025-02-07"}\n'
        "{this is not json\n"
        '{"id": "no-text"}\n'
    )
    with open(folder / "huge.txt", "wb") as fh:
        fh.write(b"The army clashed with rebels near the town. " * (50 * 1024 * 1024 // 44))


@pytest.mark.slow
def test_bad_inputs_are_reported_per_item_and_the_batch_goes_on(tmp_path):
    _bad_inputs(tmp_path)
    result = CliRunner().invoke(main, ["extract", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0
    err = result.stderr
    for name in ("empty.txt", "binary.txt", "french.txt", "huge.txt"):
        assert f"{tmp_path / name}" in err, err
    assert f"{tmp_path / 'lines.jsonl'}:2" in err  # the invalid JSON line, by number
    assert f"{tmp_path / 'lines.jsonl'}:3" in err  # the line without text
    assert "latin1.txt" not in err  # mis-encoded but English: processed, not skipped
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(e["sub_event_type"] == "Armed clash" for e in events)
    assert any(e["event_type"] == "Protests" for e in events)


def test_a_batch_with_nothing_processable_exits_2(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "binary.txt").write_bytes(b"\x00" * 100)
    result = run(["extract", str(tmp_path)])
    assert result.exit_code == 2
    assert "empty.txt" in result.stderr and "binary.txt" in result.stderr
