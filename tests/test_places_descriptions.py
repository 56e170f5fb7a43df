"""What the words around a name say about it (places/descriptions.py): "the province of X" and
"X southern province" name the province; "X village in Y province" lies in Y's country; a
common word inside a longer descriptive name ("Oil Field", "Euphrates Valley", "Base 46") or a
building's name ("Al-Quds hospital") is no town abroad; a capital that denies or announces is a
government, not a scene. Sentences written for these tests; what is asserted is what
`flashpoint geoparse` and the extracted events show."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import extract_events, geoparse_rows

DAY = dt.date(2016, 7, 5)


def _named(rows: list[dict], name: str) -> list[dict]:
    return [r for r in rows if r["name"].startswith(name)]


def test_the_province_of_a_name_is_the_province(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Kurdish-led fighters pushed on Tuesday into the neighbouring province of "
                               "Hama, Syrian state media said.")
    (hama,) = _named(rows, "Hama")
    assert (hama["feature"], hama["country"], hama["relation"]) == ("admin1", "Syria", "region")


def test_a_name_before_a_compass_word_and_province_is_the_province(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Two shells landed on Tuesday in Daraa southern province, Syrian state "
                               "media said.")
    (daraa,) = _named(rows, "Daraa")
    assert daraa["name"] == "Daraa southern province"
    assert (daraa["feature"], daraa["country"], daraa["relation"]) == ("admin1", "Syria", "region")


def test_a_town_in_the_named_province_is_the_event_place_not_the_province_too(pipeline):
    events = extract_events(pipeline, "Syrian rebels have been fighting government troops in the "
                                      "neighbouring province of Aleppo for control of the town of "
                                      "Manbij since Monday, a monitor said.", published=DAY)
    assert events, "fighting at a named town is an event"
    assert {e.location for e in events} == {"Manbij"}


def test_a_village_in_a_named_province_stays_in_that_provinces_country(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "A farmer was wounded when a rocket hit Hadar village in Quneitra "
                               "southern province on Sunday.")
    (quneitra,) = _named(rows, "Quneitra")
    assert (quneitra["feature"], quneitra["country"]) == ("admin1", "Syria")
    assert all(r["country"] in (None, "Syria") for r in _named(rows, "Hadar")), _named(rows, "Hadar")


def test_a_village_keeps_its_province_when_named_again_without_it(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "A farmer was wounded when a rocket hit Hadar village in Quneitra "
                               "southern province on Sunday. Militants shelled Hadar village again "
                               "on Monday, Syrian state media said.")
    assert len(_named(rows, "Hadar")) == 2
    assert all(r["country"] in (None, "Syria") for r in _named(rows, "Hadar")), _named(rows, "Hadar")


def test_a_capital_abroad_is_not_dropped_by_the_province_named_after_it(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Clashes were reported in Tripoli, in northern Lebanon, on Monday.")
    assert _named(rows, "Tripoli")[0]["country"] == "Lebanon"


@pytest.mark.parametrize(
    "text, anchor",
    [
        # a common word in a headline's longer name
        ("Syrian Army Kills 40 ISIS Fighters in Oil Field South of Palmyra\n\n"
         "Syrian troops pushed on towards Palmyra on Monday.", "Palmyra"),
        # a landform word after a name
        ("Syrian troops advanced on Monday up the Euphrates Valley towards Raqqa. Fighting went on in the "
         "Southern plains of Jabal Abu Rujmayn, the Syrian army said.", "Raqqa"),
        # a word before a number is a designation
        ("Heavy fighting broke out on Friday for Base 17 north of Hama. \"Rebels captured Base 17,\" a "
         "Syrian monitor said.", "Hama"),
    ],
    ids=["headline-longer-name", "landform-word", "designation"],
)
def test_a_common_word_in_a_descriptive_name_is_no_town_abroad(tmp_path, resources, text, anchor):
    rows = geoparse_rows(tmp_path, text)
    assert all(r["country"] in (None, "Syria") for r in rows), [(r["name"], r["country"]) for r in rows]
    assert _named(rows, anchor)[0]["country"] == "Syria"


def test_a_hospital_named_after_a_city_is_not_that_city(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Doctors at Al-Quds hospital in Aleppo treated 30 wounded after the "
                               "barrel bomb attack on Tuesday, Syrian activists said.")
    assert _named(rows, "Aleppo")[0]["country"] == "Syria"
    assert all(r["country"] != "Israel" for r in rows)


def test_a_capital_that_denies_or_announces_is_a_government_not_a_scene(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Russia accused France of killing civilians in air strikes near Raqqa on "
                               "Monday, but the charge was quickly rejected by Paris. Moscow had "
                               "announced a pause in the bombing on Sunday.")
    assert _named(rows, "Paris")[0]["relation"] == "metonym"
    assert _named(rows, "Moscow")[0]["relation"] == "metonym"
    assert _named(rows, "Paris")[0]["country"] == "France"  # still the city, for geoparsing


def test_a_capital_as_a_scene_still_places_the_event(pipeline):
    events = extract_events(pipeline, "A car bomb exploded in Damascus on Monday, killing five people, "
                                      "Syrian state media said. The attack was condemned by Paris.",
                            published=DAY)
    assert {e.location for e in events} == {"Damascus"}


def test_a_building_in_lower_case_still_places_a_report_that_names_nothing_else(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Gunmen attacked Mogadishu market on Friday, killing four traders.")
    assert _named(rows, "Mogadishu")[0]["country"] == "Somalia"


def test_a_report_on_one_country_puts_no_name_in_a_village_abroad_it_never_points_to(tmp_path, resources):
    # Zahra is a neighbourhood of Aleppo the gazetteer does not hold; its namesakes are small
    # towns in Tunisia and Libya, countries the report never names.
    rows = geoparse_rows(tmp_path, "Syrian troops repelled a rebel attack on the Zahra neighbourhood of Aleppo "
                               "on Tuesday. Fighting in Zahra went on overnight, state media in Damascus "
                               "said, while air strikes hit rebel-held towns in Idlib province.")
    assert all(r["country"] is None or r["country"] == "Syria" for r in _named(rows, "Zahra"))
    (aleppo, *_) = _named(rows, "Aleppo")
    assert aleppo["country"] == "Syria"


def test_a_small_place_abroad_stays_when_the_report_names_its_country(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Syrian refugees protested on Monday in Ez Zahra, south of Tunis, Tunisian "
                               "media said.")
    (zahra,) = _named(rows, "Ez Zahra")
    assert zahra["country"] == "Tunisia"


def test_the_seat_of_a_monitor_is_not_where_the_fighting_was(pipeline):
    events = extract_events(pipeline, "The UK based Syrian Observatory for Human Rights said clashes between "
                                      "government troops and rebels killed 12 fighters on Monday.",
                            published=DAY)
    assert all(e.country != "United Kingdom" for e in events)


def test_a_capital_modifying_ally_or_authorities_names_its_government(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "A media unit run by Damascus ally Hezbollah said a car bomb hit the convoy "
                               "west of Aleppo. Kabul authorities said the blast killed 12 in Jalalabad.")
    assert [r["relation"] for r in _named(rows, "Damascus")] == ["metonym"]
    assert [r["relation"] for r in _named(rows, "Kabul")] == ["metonym"]
    assert [r["country"] for r in _named(rows, "Jalalabad")] == ["Afghanistan"]


def test_a_capital_that_acts_is_its_government_one_that_undergoes_is_the_scene(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "The spokesman said Islamabad must address its own security problems. "
                               "Kabul saw three blasts on Monday.")
    assert [r["relation"] for r in _named(rows, "Islamabad")] == ["metonym"]
    assert [r["relation"] for r in _named(rows, "Kabul")] == ["in"]


def test_a_name_before_a_landform_word_is_a_place_whatever_the_tagger_says(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "The militants killed 20 Syrian rebel fighters on Qalamoun barrens as "
                                   "clashes between the two sides continued.")
    assert [(r["country"], r["relation"]) for r in _named(rows, "Qalamoun")] == [("Syria", "region")]


@pytest.mark.parametrize("text, name", [
    # a number word opening a glued sentence is no place, whatever namesake shares it
    ("Reuters Sunday 10 Jul 2016 Ten IS group targets were hit in the strikes, the agency said.", "Ten"),
    # the capital spoken to is the government
    ("Iran's foreign minister said the Syrian government had told Tehran it would allow inspectors in.",
     "Tehran"),
])
def test_a_word_that_names_no_scene_places_no_event(tmp_path, resources, text, name):
    rows = [r for r in geoparse_rows(tmp_path, text) if r["name"] == name]
    assert all(r["country"] is None or r["relation"] == "metonym" for r in rows), rows


def test_a_province_possessive_is_the_province(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Regime air strikes on Monday killed 11 civilians at a market in Idlib "
                                   "province's south, rescuers said.")
    (idlib,) = _named(rows, "Idlib")
    assert (idlib["feature"], idlib["country"]) == ("admin1", "Syria")
