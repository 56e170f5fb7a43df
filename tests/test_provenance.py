"""Field-level provenance: for each field of an event, the sentence of the source that gave it,
from one article's extraction through the store and its merges to the API and `flashpoint show`.

Real text: the project's quick-start sample (examples/articles/border-clashes.txt), the two
seeds under ../shared/seeds and the project's second report of the Al Qusayr fighting
(tests/fixtures/linking/qusayr_second_report.jsonl, written for the tests).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from .conftest import EXAMPLES, extract_events, shared_path

ROOT = Path(__file__).resolve().parents[1]
SECOND_REPORT = ROOT / "tests" / "fixtures" / "linking" / "qusayr_second_report.jsonl"


def _given(event, field: str) -> list[str]:
    return [e.text for s in event.sources for e in s.evidence if field in e.fields]


def test_the_hermel_clash_traces_its_toll_to_the_sentence_that_gives_it(pipeline):
    text = (EXAMPLES / "articles" / "border-clashes.txt").read_text(encoding="utf-8")
    events = extract_events(pipeline, text, published=dt.date(2025, 3, 14))
    (hermel,) = [e for e in events if e.location == "El Hermel"]
    assert hermel.fatalities == 2
    (toll,) = _given(hermel, "fatalities")
    assert "two soldiers were killed" in toll
    (typed,) = _given(hermel, "event_type")
    assert "clashed with gunmen" in typed
    assert "Hermel" in _given(hermel, "location")[0]
    # the JSON the user gets from `flashpoint extract` says it too
    evidence = hermel.to_dict()["sources"][0]["evidence"]
    assert any("fatalities" in e["fields"] and "two soldiers" in e["text"] for e in evidence)


def test_a_sentence_gives_only_the_fields_it_says(pipeline):
    text = (EXAMPLES / "articles" / "border-clashes.txt").read_text(encoding="utf-8")
    events = extract_events(pipeline, text, published=dt.date(2025, 3, 14))
    (hermel,) = [e for e in events if e.location == "El Hermel"]
    toll = next(e for e in hermel.sources[0].evidence if "two soldiers were killed" in e.text)
    assert "event_type" not in toll.fields and "location" not in toll.fields


@pytest.fixture(scope="module")
def merged_store(tmp_path_factory, pipeline):
    """The seeds, then a second outlet's report of the Al Qusayr fighting that merges into it."""
    from flashpoint.ingest import read_inputs
    from flashpoint.link import LinkRules
    from flashpoint.store import Ingestor, open_store

    seeds = shared_path("seeds")
    db = str(tmp_path_factory.mktemp("provenance") / "events.sqlite")
    _, sessions = open_store(db)
    ingestor = Ingestor(sessions, pipeline, LinkRules.load())
    for path, published in ((seeds / "001_9977996e42cd27ec.txt", dt.date(2025, 2, 7)),
                            (seeds / "000_d6a7c1cd75e71375.txt", None), (SECOND_REPORT, None)):
        ingestor.run(read_inputs([str(path)], published=published, max_bytes=10_000_000), paths=[str(path)])
    with sessions() as s:
        from flashpoint.store import query_events

        (qusayr,) = [e for e in query_events(s) if e.location == "Al Qusayr"]
    assert len(qusayr.sources) == 2
    return db, qusayr.event_id


def test_a_merged_events_toll_points_at_the_source_that_gave_the_highest_count(merged_store):
    from flashpoint.api import Settings, create_app

    from .test_api import make_client

    db, event_id = merged_store
    body = make_client(create_app(Settings(db=db))).get(f"/api/events/{event_id}").json()
    by_field = {p["field"]: p for p in body["provenance"]}
    toll = by_field["fatalities"]
    assert toll["value"] == 3
    assert toll["article_id"] == "fixture-qusayr-levant-wire"
    assert toll["why"] == "highest conservative count of any source"
    # the offsets point at that sentence in that article's cleaned text
    article = make_client(create_app(Settings(db=db))).get(f"/api/articles/{toll['article_id']}").json()
    assert article["text"][toll["start"]:toll["end"]] == toll["text"]
    # the place and the day came from the first report, which gave them as precisely
    assert by_field["location"]["article_id"] != "fixture-qusayr-levant-wire"
    assert "Qusayr" in by_field["location"]["text"]
    # the notes say the merged toll, not the first report's none
    assert body["notes"].endswith("; 3 killed.") and body["fatalities"] == 3
    # each source's sentences are labelled with what they gave
    labelled = [e for s in body["sources"] for e in s["evidence"] if e["fields"]]
    assert any("fatalities" in e["fields"] for e in labelled)


def test_show_prints_where_each_field_came_from(merged_store):
    from flashpoint.cli import main

    db, event_id = merged_store
    result = CliRunner().invoke(main, ["show", event_id, "--db", db])
    assert result.exit_code == 0, result.output
    section = result.output.split("where each field came from:")[1].split("sources (")[0]
    toll = next(line for line in section.splitlines() if line.strip().startswith("fatalities"))
    assert "<-" in toll and "fixture-qusayr-levant-wire" in toll and "highest conservative count" in toll
    as_json = json.loads(CliRunner().invoke(main, ["show", event_id, "--db", db, "--json"]).output)
    assert {p["field"] for p in as_json["provenance"]} >= {"event_type", "event_date", "location", "fatalities"}
    toll = next(p for p in as_json["provenance"] if p["field"] == "fatalities")
    assert toll["article_id"] == "fixture-qusayr-levant-wire" and toll["text"] == toll_sentence_of(db, toll)


def toll_sentence_of(db: str, entry: dict) -> str:
    """The cleaned text of the article ``entry`` names, cut at its offsets."""
    from flashpoint.store import open_store
    from flashpoint.store.repo import get_article

    _, sessions = open_store(db)
    with sessions() as s:
        return get_article(s, entry["article_id"]).clean_text[entry["start"]:entry["end"]]


def test_an_initiator_no_sentence_names_is_shown_without_a_sentence_and_says_why(pipeline):
    from flashpoint.link import Linked
    from flashpoint.provenance import field_provenance

    # our own report: nobody is named as flying the aircraft, the dictionary says whose they were
    text = "Air strikes hit the rebel-held town of Atareb in Aleppo province on Tuesday, killing four civilians."
    (event,) = extract_events(pipeline, text, published=dt.date(2019, 5, 8))
    assert event.actor1 == "Military Forces of Syria (2000-2024)"
    by_field = {p.field: p for p in field_provenance(Linked(event, figures=()))}
    assert by_field["actor1"].evidence is None and "aircraft" in by_field["actor1"].why
    assert by_field["fatalities"].evidence.text == text and by_field["fatalities"].value == 4


def test_field_labels_survive_the_batch_records_round_trip(pipeline):
    from flashpoint.batch.records import event_to_row, row_to_event

    text = (EXAMPLES / "articles" / "border-clashes.txt").read_text(encoding="utf-8")
    for event in extract_events(pipeline, text, published=dt.date(2025, 3, 14)):
        back = row_to_event(event_to_row(event))
        assert [e.fields for e in back.sources[0].evidence] == [e.fields for e in event.sources[0].evidence]
