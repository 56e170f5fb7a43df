"""Who initiated and who was targeted: actor1 and actor2 of extracted events, read from
sentences written for these tests (none is copied from an article)."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from .conftest import extract_events

IN_2016 = dt.date(2016, 10, 21)  # a Friday, during the Syrian civil war
IN_2014 = dt.date(2014, 10, 3)
IN_2021 = dt.date(2021, 5, 14)
IN_2025 = dt.date(2025, 3, 14)


def pair(event):
    return (event.actor1, event.actor2)


def extract(pipeline, text, published):
    return extract_events(pipeline, text, published=published, article_id="roles")


@pytest.fixture(scope="module")
def in_2016(pipeline):
    return partial(extract, pipeline, published=IN_2016)


@pytest.fixture(scope="module")
def in_2025(pipeline):
    return partial(extract, pipeline, published=IN_2025)


# -- unarmed victims never initiate ------------------------------------------------------------


def test_passengers_who_died_are_victims_not_the_attackers(in_2025):
    (event,) = in_2025("Gunmen opened fire on a bus near Sibi on Tuesday and twelve passengers died.")
    assert pair(event) == ("Unidentified Armed Group (Pakistan)", "Civilians (Pakistan)")


def test_residents_who_fled_an_air_strike_are_its_target(in_2016):
    (event,) = in_2016("Residents fled as regime warplanes bombed the town of Saraqib on Monday.")
    assert pair(event) == ("Military Forces of Syria (2000-2024)", "Civilians (Syria)")


def test_civilians_killed_in_an_unattributed_strike_are_never_its_initiator(in_2016):
    (event,) = in_2016("Ten civilians were killed in an air strike on the town of Atareb on Friday. "
                       "The strike also destroyed a bakery.")
    assert event.actor1 != "Civilians (Syria)"
    assert event.actor2 == "Civilians (Syria)"


def test_students_marching_are_the_protesters_of_a_demonstration(in_2025):
    (event,) = in_2025("Students marched through the centre of Khartoum on Thursday to demand civilian rule.")
    assert event.actor1 == "Protesters (Sudan)"


# -- the initiator is the agent: "by X", "X's warplanes", "X-led coalition" --------------------


def test_agents_of_a_passive_air_strike_are_the_initiators(in_2016):
    # the regime and Russia are one side (actor1 and its associate), the civilians its target
    (event,) = in_2016("Ninety civilians were killed on Saturday in Aleppo by Assad regime and Russian airstrikes.")
    assert pair(event) == ("Military Forces of Syria (2000-2024)", "Civilians (Syria)")
    assert event.assoc_actor_1 == "Military Forces of Russia (2000-)"


def test_a_coalition_drone_is_the_united_states_of_the_period(in_2016):
    (event,) = in_2016("A U.S.-led coalition drone struck a car in the city of Idlib on Monday, killing two Nusra Front commanders.")
    assert pair(event) == ("Military Forces of the United States (2009-2017)", "Jabhat al-Nusra")


def test_jets_named_by_their_state_are_its_military(in_2016):
    (event,) = in_2016("Russian jets pounded rebel positions near the town of Khan Shaykhun on Monday.")
    assert pair(event) == ("Military Forces of Russia (2000-)", "Opposition Rebels (Syria)")


def test_whoever_repels_an_offensive_did_not_start_it(in_2016):
    (event,) = in_2016("Syrian troops repelled a rebel offensive on the southern edge of Aleppo on Tuesday.")
    assert pair(event) == ("Opposition Rebels (Syria)", "Military Forces of Syria (2000-2024)")


def test_a_backer_is_not_the_initiator(in_2016):
    (event,) = in_2016("Iraqi troops backed by the U.S.-led coalition attacked Islamic State positions "
                       "near Mosul on Monday.")
    assert event.actor1.startswith("Military Forces of Iraq")


def test_who_holds_the_struck_village_did_not_strike_it(in_2016):
    (event,) = in_2016("Russian air strikes on Sunday killed 12 civilians in Maadan, a town held by "
                       "Islamic State in Raqqa province, monitors said.")
    assert pair(event) == ("Military Forces of Russia (2000-)", "Civilians (Syria)")


def test_the_side_that_loses_ground_is_the_target(in_2016):
    (event,) = in_2016("Government forces seized the town of Palmyra from Islamic State fighters after heavy fighting on Sunday.")
    assert pair(event) == ("Military Forces of Syria (2000-2024)", "Islamic State (Syria)")


def test_a_possessive_written_without_apostrophe_still_names_the_actor(in_2016):
    (event,) = in_2016("The Syrian armys artillery pounded rebel positions in the town of Tafas on Monday.")
    assert event.actor1 == "Military Forces of Syria (2000-2024)"


# -- unnamed armed men --------------------------------------------------------------------------


def test_terrorists_in_syrian_state_media_are_the_armed_opposition(in_2016):
    (event,) = in_2016("Terrorists fired rocket shells at a residential neighborhood in Aleppo on Friday, "
                       "injuring three civilians.")
    assert pair(event) == ("Opposition Rebels (Syria)", "Civilians (Syria)")


def test_terrorists_outside_syria_are_an_unidentified_armed_group(in_2016):
    (event,) = in_2016("Terrorists fired rockets at a police station in Kirkuk, Iraq, on Friday.")
    assert event.actor1 == "Unidentified Armed Group (Iraq)"


def test_an_unclaimed_car_bomb_is_an_unidentified_armed_group_even_in_syria(pipeline):
    (event,) = extract(pipeline, "Terrorists detonated a car bomb near a school in Homs on Wednesday, "
                       "killing twelve students.", IN_2014)
    assert event.actor1 == "Unidentified Armed Group (Syria)"


def test_a_suicide_bomber_beside_the_terrorists_is_the_same_side(pipeline):
    (event,) = extract(pipeline, "Terrorists set off a car bomb in the Akrama district of Homs on Wednesday "
                       "and a suicide bomber blew himself up minutes later near a school.", IN_2014)
    assert event.actor1 == "Unidentified Armed Group (Syria)"
    assert event.actor2 != "Unidentified Armed Group (Syria)"


def test_iranian_militias_in_syria_are_the_pro_iranian_militia(in_2016):
    (event,) = in_2016("Iranian militias executed six civilians in the Sakhour district of Aleppo on Friday.")
    assert pair(event) == ("Pro-Iranian Militia (Syria)", "Civilians (Syria)")


def test_iranian_militias_elsewhere_are_not_syrias_militia(in_2016):
    (event,) = in_2016("Iranian militias attacked a convoy near Basra, Iraq, on Friday.")
    assert event.actor1 != "Pro-Iranian Militia (Syria)"


# -- named groups and their many spellings --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Fighters of the Baloch Liberation Army attacked a passenger train near Sibi on Tuesday.",
         IN_2025, "BLA: Baloch Liberation Army"),
        ("BLA insurgents ambushed a bus carrying soldiers near Kalat on Tuesday.", IN_2025, "BLA: Baloch Liberation Army"),
        ("Al-Shabab fighters stormed a hotel in Beledweyne on Tuesday.", IN_2025, "Al Shabaab"),
        ("IS fighters attacked an army checkpoint near Deir ez-Zor on Sunday.", IN_2016, "Islamic State (Syria)"),
        ("Daesh militants attacked an army checkpoint near Deir ez-Zor on Sunday.", IN_2016, "Islamic State (Syria)"),
        ("Jeish al-Fatah militants shelled government positions in Aleppo on Monday.", IN_2016, "Jaish al Fateh"),
        ("Hayat Tahrir al-Sham fighters attacked army positions near Saraqib on Tuesday.", dt.date(2020, 2, 7),
         "Hayat Tahrir al-Sham"),
        ("The Taliban attacked a police post in Ghazni province on Sunday.", IN_2021, "Taliban"),
        ("Taliban forces clashed with Islamic State militants in Kunar province on Sunday.", dt.date(2023, 6, 9),
         "Military Forces of Afghanistan (2021-)"),
        ("Pakistani Taliban fighters attacked a checkpoint in Bannu on Sunday.", IN_2025, "TTP: Tehreek-i-Taliban Pakistan"),
    ],
)
def test_named_groups_normalise_to_their_canonical_name(pipeline, text, published, expected):
    (event,) = extract(pipeline, text, published)
    assert event.actor1 == expected


def test_a_long_definite_description_refers_back_to_the_group(pipeline):
    events = extract(pipeline, "The Baloch Liberation Army has waged an insurgency in Balochistan for two decades.\n"
                     "On Tuesday the banned separatist group ambushed a military convoy near Kalat.", IN_2025)
    convoy = next(e for e in events if e.location == "Kalat")
    assert convoy.actor1 == "BLA: Baloch Liberation Army"


def test_the_fallen_government_named_in_2025_is_history_not_a_party(in_2025):
    (event,) = in_2025("For the first time since the fall of the Assad regime, Syrian troops clashed with "
                       "Hezbollah fighters near Al Qusayr on Thursday.")
    assert set(pair(event)) == {"Military Forces of Syria (2024-)", "Hezbollah"}


def test_an_upper_case_is_is_no_islamic_state():
    from flashpoint.actors import ActorDictionary

    actors = ActorDictionary.load()
    assert not [m for m in actors.find("THE SITUATION IS CALM, THE ARMY SAID.") if m.entries]
    assert [e.name for m in actors.find("IS fighters withdrew.") for e in m.entries][:1] == ["Islamic State (Syria)"]
