"""Places in wire reports written all in capitals ("SAN SALVADOR, 4 MAR 90 -- [TEXT] ..."), on
reports written for these tests: the dateline is the reporter's location, never the event's
place by itself; names in the body are places even though every word is in capitals."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from flashpoint.model import Article

from .conftest import extract_events

PUBLISHED = dt.date(1990, 3, 4)


@pytest.fixture(scope="module")
def extract(pipeline):
    return partial(extract_events, pipeline, published=PUBLISHED, article_id="u1")


def test_upper_case_wire_report_places_the_event_in_its_town(extract):
    # The town in capitals after a dateline is no second dateline: it is where the attack was.
    events = extract(
        "LIMA, 4 MAR 90 -- [TEXT] SHINING PATH GUERRILLAS ATTACKED A POLICE STATION IN HUANCAYO "
        "ON FRIDAY, THE PERUVIAN POLICE SAID."
    )
    assert [(e.location, e.country, e.geo_precision) for e in events] == [("Huancayo", "Peru", 1)]


def test_this_capital_in_a_wire_report_is_the_dateline_city(extract):
    events = extract(
        "SAN SALVADOR, 4 MAR 90 -- [TEXT] A BOMB EXPLODED LAST NIGHT OUTSIDE A BANK IN THIS CAPITAL, "
        "CAUSING HEAVY DAMAGE BUT NO CASUALTIES, THE NATIONAL POLICE REPORTED."
    )
    assert [(e.location, e.country) for e in events] == [("San Salvador", "El Salvador")]


def test_dateline_alone_never_places_the_event(extract):
    events = extract(
        "SAN SALVADOR, 4 MAR 90 -- [TEXT] A BOMB EXPLODED LAST NIGHT OUTSIDE A BANK, "
        "CAUSING HEAVY DAMAGE BUT NO CASUALTIES, THE NATIONAL POLICE REPORTED."
    )
    assert events and all(e.location is None and e.country is None for e in events)


def test_place_less_event_in_a_report_set_in_one_named_country_is_coded_to_that_country(extract):
    events = extract(
        "LIMA, 4 MAR 90 -- [TEXT] THE GOVERNMENT OF PERU HAS DECLARED A STATE OF EMERGENCY. "
        "SHINING PATH GUERRILLAS KIDNAPPED A BUSINESSMAN ON FRIDAY, THE POLICE SAID."
    )
    kidnap = [e for e in events if e.sub_event_type == "Abduction/forced disappearance"]
    assert [(e.location, e.country, e.admin1, e.geo_precision) for e in kidnap] == [("Peru", "Peru", None, 3)]


def test_place_less_event_stays_unplaced_when_the_report_spans_several_countries(extract):
    events = extract(
        "Officials in Peru and Colombia met on Friday. Guerrillas kidnapped a businessman on "
        "Friday, the police said."
    )
    kidnap = [e for e in events if e.sub_event_type == "Abduction/forced disappearance"]
    assert kidnap and all(e.country is None for e in kidnap)


def test_upper_case_surname_after_a_first_name_is_not_a_town(pipeline):
    text = ("BOGOTA, 4 MAR 90 -- [TEXT] GUNMEN SHOT DEAD JUDGE CARLOS RIVERA YESTERDAY AS HE LEFT "
            "HIS HOME IN MEDELLIN, THE COLOMBIAN POLICE REPORTED.")
    events = extract_events(pipeline, text, published=PUBLISHED, article_id="u2")
    assert {e.location for e in events} == {"Medellin"}


def test_upper_case_adjective_of_a_country_is_a_demonym_not_an_event_place(resources, nlp):
    from flashpoint.model import CleanArticle, Document
    from flashpoint.nlp import spacy_text

    text = "GUERRILLAS ATTACKED A PATROL OF THE SALVADORAN ARMY IN USULUTAN DEPARTMENT YESTERDAY."
    clean = CleanArticle(article=Article(id="u3", text=text, origin="test"), text=text, title=None,
                         published=None, outlet=None, language="en")
    toponyms = resources.geoparser(Document(clean=clean, spacy_doc=nlp(spacy_text(text))))
    by_relation = {t.name: (t.relation, t.place.country if t.place else None) for t in toponyms}
    assert by_relation["SALVADORAN"] == ("demonym", "El Salvador")
    assert by_relation["USULUTAN DEPARTMENT"][0] == "region"


def test_common_word_opening_a_line_of_wire_copy_is_no_town(extract):
    events = extract(
        "SAN SALVADOR, 4 MAR 90 -- [TEXT] GUERRILLAS BLEW UP TWO ELECTRICITY PYLONS IN THE\n"
        "CAPITAL YESTERDAY, THE NATIONAL POLICE REPORTED."
    )
    assert all(e.country != "Denmark" for e in events)


def test_a_titled_persons_surname_is_no_place_anywhere_in_the_report(extract):
    # "COLORADO" is the attorney general's surname, here and when he is named again.
    events = extract(
        "SAN SALVADOR, 4 MAR 90 -- [TEXT] ATTORNEY GENERAL\nMAURICIO COLORADO SAID TODAY THAT "
        "GUERRILLAS KILLED TWO SOLDIERS IN AN ATTACK ON A BARRACKS IN USULUTAN YESTERDAY.  COLORADO "
        "SAID THE ATTACKERS USED RIFLES AND GRENADES."
    )
    assert events and all(e.country == "El Salvador" for e in events), [(e.location, e.country) for e in events]


def test_a_sentence_naming_only_a_sea_is_set_in_the_reports_country(extract):
    events = extract(
        "BOGOTA, 4 MAR 90 -- [TEXT] THE ARMY SAID THAT GUERRILLAS OF THE NATIONAL LIBERATION ARMY "
        "CLASHED WITH TROOPS IN ARAUCA DEPARTMENT IN EASTERN COLOMBIA ON FRIDAY.  ON SATURDAY, A BOMB "
        "DESTROYED THE MAIN OIL TANKS IN THE CARIBBEAN PORT, THE NATIONAL POLICE REPORTED."
    )
    bombing = [e for e in events if e.sub_event_type == "Remote explosive/landmine/IED"]
    assert [(e.country, e.geo_precision) for e in bombing] == [("Colombia", 3)], [
        (e.sub_event_type, e.location, e.country) for e in events]


def test_a_city_word_written_into_a_name_in_capitals_still_finds_the_city(extract):
    events = extract(
        "SAN SALVADOR, 4 MAR 90 -- [TEXT] A MINOR WAS SERIOUSLY WOUNDED THIS MORNING AFTER URBAN "
        "COMMANDOS DETONATED A BOMB NEAR A POWER TOWER IN SOYAPANGO CITY, THE NATIONAL POLICE REPORTED."
    )
    assert [(e.location, e.country, e.geo_precision) for e in events] == [("Soyapango", "El Salvador", 1)], [
        (e.location, e.country) for e in events]
