"""Who attacked, and with what, in wire reports written all in capitals (1980s-90s FBIS style)
and in ordinary news prose. Every sentence here was written for these tests."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest


from .conftest import extract_events

PUBLISHED = dt.date(1989, 11, 20)
FMLN = "FMLN: Farabundo Marti National Liberation Front"


@pytest.fixture(scope="module")
def extract(pipeline):
    return partial(extract_events, pipeline, published=PUBLISHED, article_id="w1")


def actors_of(events):
    return {name for e in events for name in (e.actor1, e.actor2) if name}


# --- the named group is the attacker, not an unnamed group beside it ------------------------


def test_upper_case_wire_report_names_the_guerrilla_group_as_attacker(extract):
    events = extract(
        "SAN SALVADOR, 19 NOV 89 -- [TEXT] FOUR PEASANTS WERE KIDNAPPED YESTERDAY BY TERRORISTS OF "
        "THE FARABUNDO MARTI NATIONAL LIBERATION FRONT IN THE TOWN OF SAN VICENTE."
    )
    assert events and events[0].actor1 == FMLN
    assert not any(a.startswith("Unidentified Armed Group") for a in actors_of(events))


def test_generic_noun_of_a_named_group_is_that_group(extract):
    (event,) = extract("Gunmen of the Shining Path shot dead a mayor in Huancayo on Sunday.")
    assert event.actor1 == "Shining Path"


def test_named_group_followed_by_a_modifier_and_a_noun_is_one_actor(extract):
    events = extract(
        "LIMA, 19 NOV 89 -- [TEXT] A SHINING PATH TERRORIST CELL ATTACKED A POLICE POST IN AYACUCHO "
        "LAST NIGHT."
    )
    assert events and events[0].actor1 == "Shining Path"
    assert not any(a.startswith("Unidentified Armed Group") for a in actors_of(events))


def test_generic_description_after_the_group_in_the_same_sentence_is_the_group(extract):
    events = extract(
        "SAN SALVADOR, 19 NOV 89 -- [TEXT] ANSWERING THE FMLN'S CALL FOR A TRANSPORT STRIKE, THE "
        "SUBVERSIVES ATTACKED THREE BUSES IN SOYAPANGO YESTERDAY, WOUNDING TWO DRIVERS."
    )
    assert events and events[0].actor1 == FMLN
    assert not any(a.startswith("Unidentified Armed Group") for a in actors_of(events))


def test_unnamed_gunmen_who_kill_group_members_stay_a_separate_actor(extract):
    (event,) = extract("Unidentified gunmen killed two members of the FMLN in Chalatenango on Monday.")
    assert (event.actor1, event.actor2) == ("Unidentified Armed Group (El Salvador)", FMLN)


# --- sources and accusers are not parties ------------------------------------------------------


def test_police_sources_in_a_wire_report_are_not_a_party(extract):
    events = extract(
        "LIMA, 19 NOV 89 -- [TEXT] POLICE SOURCES HAVE REPORTED THAT SHINING PATH GUERRILLAS "
        "ATTACKED A BRIDGE GUARD POST IN AYACUCHO LAST NIGHT."
    )
    assert events and events[0].actor1 == "Shining Path"
    assert not any(a.startswith("Police Forces") for a in actors_of(events))


def test_a_military_spokesman_is_not_a_party(extract):
    events = extract("A military spokesman said Shining Path rebels attacked a bus near Huancayo on Tuesday.")
    assert events and events[0].actor1 == "Shining Path"
    assert not any(a.startswith("Military Forces") for a in actors_of(events))


def test_the_accused_is_the_alleged_attacker_and_the_accuser_is_a_source(nlp):
    # An accusation alone is a statement (background), so the roles are checked on the parse.
    from flashpoint.actor_roles import AGENT, is_source, role_of
    from flashpoint.nlp import parse_text

    text = "THE FMLN ACCUSED THE SALVADORAN AIR FORCE OF BOMBING A CHURCH IN USULUTAN YESTERDAY."
    sent = next(parse_text(text, nlp).sents)
    accused = text.index("SALVADORAN AIR FORCE")
    assert role_of(sent, accused, accused + len("SALVADORAN AIR FORCE")) == AGENT
    assert not is_source(sent, accused, accused + len("SALVADORAN AIR FORCE"))
    assert is_source(sent, text.index("FMLN"), text.index("FMLN") + 4)


def test_the_group_an_attack_is_attributed_to_is_the_attacker(extract):
    events = extract(
        "SAN SALVADOR, 19 NOV 89 -- [TEXT] THREE PEASANTS WERE KILLED YESTERDAY IN USULUTAN "
        "DEPARTMENT. THE POLICE ATTRIBUTED THE MURDERS TO THE FMLN."
    )
    assert events and events[0].actor1 == FMLN
    assert not any(a.startswith("Police Forces") for a in actors_of(events))


# --- weapons named in wire reports ------------------------------------------------------------


def test_upper_case_dynamite_charge_is_an_ied(extract):
    events = extract(
        "SAN SALVADOR, 19 NOV 89 -- [TEXT] GUERRILLAS DETONATED A DYNAMITE CHARGE AT A POWER STATION "
        "NEAR USULUTAN LAST NIGHT."
    )
    assert events and "IED" in events[0].weapons


def test_kilograms_of_explosives_are_an_ied(extract):
    events = extract("Attackers detonated 20 kilograms of explosives outside a bank in Medellin on Friday, "
                     "wounding three people.")
    assert events and "IED" in events[0].weapons


def test_submachineguns_are_small_arms(extract):
    events = extract(
        "BOGOTA, 19 NOV 89 -- [TEXT] TWO MEN ARMED WITH SUBMACHINEGUNS MURDERED A JUDGE IN MEDELLIN "
        "YESTERDAY."
    )
    assert events and "small arms" in events[0].weapons


def test_an_explosion_alone_names_no_weapon(extract):
    events = extract("An explosion damaged a bank in Medellin on Friday.")
    assert all("IED" not in e.weapons for e in events)


def test_explosive_barrels_and_warheads_from_the_air_are_no_ied(extract):
    barrels = extract("Army helicopters dropped explosive barrels on the town of Daraya on Monday, "
                      "killing four people.")
    assert barrels and barrels[0].sub_event_type == "Air/drone strike"
    assert "air strike" in barrels[0].weapons and "IED" not in barrels[0].weapons
    rockets = extract("Rebels fired rockets with high explosive warheads at the airport in Hama on Sunday.")
    assert rockets and list(rockets[0].weapons) == ["rocket"]
