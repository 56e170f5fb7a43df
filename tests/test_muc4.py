"""The MUC-4 evaluation (issue P2, item 6): key parsing, alignment and per-field scoring on
templates written for these tests, and one run over a sample of the real development set."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from flashpoint.actors import ActorDictionary
from flashpoint.cli import main
from flashpoint.evaluate.muc4 import KeyDocument, Muc4Mapping, Muc4Report, parse_template, score_document
from flashpoint.model import Event

from .conftest import shared_path


@pytest.fixture(scope="module")
def mapping():
    return Muc4Mapping.load()


@pytest.fixture(scope="module")
def actors():
    return ActorDictionary.load()


KEY = {
    "INCIDENT: DATE": ["12 MAR 90"],
    "INCIDENT: LOCATION": ["EL SALVADOR: USULUTAN (DEPARTMENT): SANTA ELENA (TOWN)"],
    "INCIDENT: TYPE": ["BOMBING"],
    "INCIDENT: INSTRUMENT TYPE": ['DYNAMITE: "DYNAMITE CHARGE"'],
    "PERP: ORGANIZATION ID": ['"FARABUNDO MARTI NATIONAL LIBERATION FRONT" / "FMLN"'],
}


def event(**kw):
    base = dict(
        event_id="e", event_date=dt.date(1990, 3, 12), date_precision=1, event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED", actor1="FMLN: Farabundo Marti National Liberation Front",
        actor2=None, assoc_actor_1="", assoc_actor_2="", inter1="Rebel group", inter2=None,
        country="El Salvador", iso3="SLV", admin1="Usulutan", admin2=None, location="Santa Elena",
        latitude=13.38, longitude=-88.41, geo_precision=1, fatalities=0, fatalities_known=True, injured=None,
        weapons=["IED"], certainty="confirmed", notes="", sources=[],
    )
    base.update(kw)
    return Event(**base)


def test_key_fields_are_parsed_into_comparable_values(mapping):
    t = parse_template(KEY, mapping=mapping)
    assert t.incident_type == "BOMBING"
    assert t.exact_days == {dt.date(1990, 3, 12)}
    assert (t.country, t.places) == ("elsalvador", ("usulutan", "santaelena"))
    assert t.perpetrators == ("FARABUNDO MARTI NATIONAL LIBERATION FRONT", "FMLN")
    assert t.weapons == {"IED"}


def test_open_ended_and_range_dates_are_not_exact_days(mapping):
    assert parse_template({**KEY, "INCIDENT: DATE": ["- 12 MAR 90"]}, mapping=mapping).exact_days == set()
    assert parse_template({**KEY, "INCIDENT: DATE": ["10 MAR 90 - 12 MAR 90"]}, mapping=mapping).exact_days == set()
    t = parse_template({**KEY, "INCIDENT: DATE": ["(- 11 MAR 90) / (12 MAR 90)"]}, mapping=mapping)
    assert t.exact_days == {dt.date(1990, 3, 12)}


def test_a_matching_event_scores_every_field(mapping, actors):
    report = Muc4Report(version=mapping.version)
    doc = KeyDocument("D1", "", (parse_template(KEY, mapping=mapping),))
    score_document(doc, [event()], report, mapping=mapping, actors=actors)
    assert (report.tp, report.aligned) == (1, 1)
    assert {name: (s.scored, s.correct) for name, s in report.fields.items()} == {
        "type": (1, 1), "perpetrator": (1, 1), "weapon": (1, 1), "date": (1, 1), "place": (1, 1), "country": (1, 1)}


def test_wrong_fields_and_unaligned_templates_count_against_the_system(mapping, actors):
    report = Muc4Report(version=mapping.version)
    wrong = event(sub_event_type="Abduction/forced disappearance", actor1="Military Forces of El Salvador (1989-1994)",
                  event_date=dt.date(1990, 3, 11), location="San Miguel", admin1="San Miguel", weapons=[])
    doc = KeyDocument("D2", "", (parse_template(KEY, mapping=mapping), parse_template(KEY, mapping=mapping)))
    score_document(doc, [wrong], report, mapping=mapping, actors=actors)
    assert (report.templates, report.aligned) == (2, 1)
    for name in ("type", "perpetrator", "weapon", "date", "place"):
        assert report.fields[name].correct == 0
        assert report.fields[name].recall == 0.0
    assert report.fields["country"].accuracy == 1.0 and report.fields["country"].recall == 0.5


def test_generic_perpetrator_names_resolve_to_the_states_forces(mapping, actors):
    key = {**KEY, "PERP: ORGANIZATION ID": ['"ARMED FORCES"']}
    report = Muc4Report(version=mapping.version)
    doc = KeyDocument("D3", "", (parse_template(key, mapping=mapping),))
    score_document(doc, [event(actor1="Military Forces of El Salvador (1989-1994)")], report,
                   mapping=mapping, actors=actors)
    assert report.fields["perpetrator"].correct == 1


def test_documents_without_templates_should_give_no_events(mapping, actors):
    report = Muc4Report(version=mapping.version)
    score_document(KeyDocument("D4", "", ()), [event()], report, mapping=mapping, actors=actors)
    score_document(KeyDocument("D5", "", ()), [], report, mapping=mapping, actors=actors)
    assert (report.fp, report.tn) == (1, 1)


@pytest.mark.slow
def test_cli_prints_per_field_figures_on_a_sample_of_the_development_set(tmp_path):
    source = shared_path("data", "muc4_dev.jsonl")
    with open(source, encoding="utf-8") as fh:
        sample = [json.loads(next(fh)) for _ in range(6)]
    path = tmp_path / "sample.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in sample), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "muc4", str(path)])
    assert result.exit_code == 0, result.output
    assert "MUC-4: 6 documents" in result.output
    assert "0 documents failed" in result.output
    for name in ("type", "perpetrator", "weapon", "date", "place"):
        assert any(line.startswith(name) for line in result.output.splitlines())


def test_half_scores_only_the_documents_at_even_or_odd_positions(tmp_path, mapping, actors):
    from flashpoint.evaluate.muc4 import evaluate_muc4, in_half
    from flashpoint.model import ArticleResult

    # Four reports: even positions have a key and an event, odd ones neither.
    rows = [{"docid": f"D{i}", "text": "", "templates": [KEY] if i % 2 == 0 else []} for i in range(4)]
    path = tmp_path / "keys.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    def extract(_path, _limit):
        return [ArticleResult(origin="t", article_id=r["docid"], events=[event()] if r["templates"] else [])
                for r in rows]

    runs = {h: evaluate_muc4(path, extract=extract, actors=actors, mapping=mapping, half=h)
            for h in ("all", "even", "odd")}
    assert [(r.documents, r.tp, r.tn) for r in runs.values()] == [(4, 2, 2), (2, 2, 0), (2, 0, 2)]
    assert runs["even"].fields["place"].correct == 2
    assert [in_half(i, "odd") for i in range(3)] == [False, True, False]
    with pytest.raises(ValueError):
        in_half(0, "first")
