"""Villages the gazetteer lacks (places/unlocated.py, data/places_context.toml [unlocated]):
coded to the province or town the text puts them in, keeping their own names, and each its
own scene; and the state-media wording of a battle ("killed in army operations", "operations
against terrorists") read as one. Sentences written for these tests, with village names no
gazetteer holds; what is asserted is what `flashpoint extract` and `flashpoint geoparse` show."""

from __future__ import annotations

import datetime as dt

from .conftest import extract_events, geoparse_rows

DAY = dt.date(2015, 7, 7)


def test_a_village_the_gazetteer_lacks_is_coded_to_its_province_keeping_its_name(pipeline):
    (event,) = extract_events(pipeline, "An army unit destroyed a terrorists' ammunition depot on Monday in "
                                        "Khirbet Umm Sawwan town in the countryside of Daraa province.",
                              published=DAY)
    assert event.location == "Khirbet Umm Sawwan"
    assert (event.country, event.admin1, event.geo_precision) == ("Syria", "Daraa", 3)


def test_a_village_located_by_a_town_is_coded_near_that_town(pipeline):
    (event,) = extract_events(pipeline, "An army unit carried out operations against al-Nusra terrorists on "
                                        "Monday in Tell Abu Rummaneh village 5 km east of Daraa city.",
                              published=DAY)
    assert event.location == "Tell Abu Rummaneh"
    assert (event.sub_event_type, event.geo_precision) == ("Armed clash", 2)


def test_two_villages_of_one_province_are_two_events(pipeline):
    events = extract_events(pipeline, "On Monday army units killed terrorists in operations against their "
                                      "hideouts in Tell Abu Rummaneh village in Idlib province. Another army "
                                      "unit killed a number of terrorists in Khirbet Umm Sawwan village in "
                                      "the southern countryside of Idlib province.", published=DAY)
    assert sorted(e.location for e in events) == ["Khirbet Umm Sawwan", "Tell Abu Rummaneh"]
    assert {e.admin1 for e in events} == {"Idlib"}


def test_a_province_named_sentences_before_places_the_village(pipeline):
    events = extract_events(pipeline, "In Quneitra province the army continued its operations on Monday. "
                                      "The military source said the terrorists were driven back. In the "
                                      "village of Khirbet Umm Sawwan many terrorists were killed in army "
                                      "operations.", published=DAY)
    assert [(e.location, e.admin1) for e in events] == [("Khirbet Umm Sawwan", "Quneitra")]


def test_geoparse_places_a_village_named_by_its_noun_whatever_the_tagger_thought(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Shells hit the village of Khirbet Umm Sawwan in Hama province on Monday.")
    (village,) = [r for r in rows if r["name"] == "Khirbet Umm Sawwan"]
    assert (village["feature"], village["admin1"], village["country"]) == ("village", "Hama", "Syria")


def test_a_village_with_no_area_named_is_left_unplaced(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Shells hit the village of Khirbet Umm Sawwan on Monday, a monitor said.")
    assert [r["latitude"] for r in rows if r["name"] == "Khirbet Umm Sawwan"] in ([], [None])


def test_where_the_attackers_were_positioned_is_not_the_scene(pipeline):
    events = extract_events(pipeline, "Terrorists located in Inkhil fired several rocket shells on "
                                      "Monday at residential neighborhoods in Daraa city, causing "
                                      "material damage.", published=DAY)
    assert [e.location for e in events] == ["Dara"]


def test_a_headline_told_again_quarter_by_quarter_is_no_event_of_its_own(pipeline):
    events = extract_events(pipeline, "Terrorist rocket attacks kill 9 in Aleppo and Hama. Terrorists fired "
                                      "rocket shells on Monday on Bustan al-Zuhour neighbourhood in Aleppo city, "
                                      "killing 6 civilians. In Hama, terrorists fired rocket shells on Monday on "
                                      "Tell al-Warid neighbourhood in Hama city, killing 3 civilians.",
                            published=DAY)
    assert sorted((e.location, e.fatalities) for e in events) == [("Bustan al-Zuhour", 6), ("Tell al-Warid", 3)]
