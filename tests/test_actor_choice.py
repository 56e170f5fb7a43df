"""Who did it: the actor pair of an event across its sentences, and actors the dictionary
used to miss. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest


from .conftest import extract_events

PUBLISHED = dt.date(2025, 3, 14)  # a Friday


@pytest.fixture(scope="module")
def extract(pipeline):
    return partial(extract_events, pipeline, published=PUBLISHED, article_id="a1")


def pair(event):
    return (event.actor1, event.actor2)


def test_initiator_of_the_lede_beats_a_later_sentence_naming_two_sides(extract):
    events = extract(
        "Hezbollah fighters attacked a military post near the town of Metula on Tuesday.\n"
        "Israeli troops returned fire and the fighting near Metula lasted for hours."
    )
    (event,) = events
    assert pair(event) == ("Hezbollah", "Military Forces of Israel (2022-)")


def test_militiamen_are_an_unidentified_armed_group_of_the_country(extract):
    (event,) = extract("Militiamen carried off two aid workers from a camp near Bunia on Saturday.")
    assert event.actor1 == "Unidentified Armed Group (Democratic Republic of the Congo)"
    assert event.actor2 == "Civilians (Democratic Republic of the Congo)"


def test_who_fights_off_an_attack_did_not_start_it(extract):
    (event,) = extract("Army troops fought off an attack by Al-Shabaab on a base near Jowhar on Wednesday.")
    assert pair(event) == ("Al Shabaab", "Military Forces of Somalia")


def test_islamic_state_is_the_branch_of_the_country_of_the_event(extract):
    (nigeria,) = extract("Islamic State militants ambushed a Nigerian army convoy near Maiduguri on Sunday.")
    assert nigeria.actor1 == "Islamic State West Africa Province"
    (niger,) = extract("Islamic State fighters attacked an army post near the town of Tillaberi in Niger on Sunday.")
    assert niger.actor1 == "Islamic State Sahel Province"


def test_jihadists_outside_syria_are_not_the_syrian_islamic_state(extract):
    (event,) = extract("Jihadists killed 12 soldiers in an attack on an army post near Djibo in northern Burkina Faso on Tuesday.")
    assert event.actor1 == "Unidentified Armed Group (Burkina Faso)"


def test_unnamed_soldiers_take_the_country_of_the_named_group_when_no_place_is_known(extract):
    (event,) = extract("Al-Shabaab fighters ambushed soldiers on Tuesday, killing four.")
    assert pair(event) == ("Al Shabaab", "Military Forces of Somalia")


def test_drones_of_a_state_are_its_military(extract):
    (event,) = extract(
        "Israeli drones struck a car in the town of Bint Jbeil in southern Lebanon on Tuesday, "
        "killing two Hezbollah members."
    )
    assert pair(event) == ("Military Forces of Israel (2022-)", "Hezbollah")


def test_its_fighters_are_the_group_that_speaks(extract):
    (event,) = extract("Hezbollah said its fighters fired rockets at Israeli troops near Metula on Thursday.")
    assert pair(event) == ("Hezbollah", "Military Forces of Israel (2022-)")


def test_armed_men_named_by_community_are_an_ethnic_militia(extract):
    (event,) = extract(
        "Clashes erupted between Druze gunmen and Bedouin tribal fighters in Sweida province on Sunday."
    )
    assert {event.actor1, event.actor2} == {"Druze Ethnic Militia (Syria)", "Bedouin Ethnic Militia (Syria)"}


def test_current_groups_of_somalia_sahel_and_dr_congo_are_named(extract):
    (m23,) = extract("M23 rebels seized the town of Sake after heavy fighting with Congolese troops on Friday.")
    assert pair(m23) == ("M23: March 23 Movement", "Military Forces of Democratic Republic of the Congo")
    (rsf,) = extract("The RSF shelled the city of El Fasher on Sunday, killing 20 civilians.")
    assert pair(rsf) == ("Rapid Support Forces", "Civilians (Sudan)")
