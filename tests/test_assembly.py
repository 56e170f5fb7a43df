"""Article-level assembly: is the article news, and which sentences tell one incident.

Every article here is written for these tests; each test reads the events a user would get
from ``flashpoint extract``.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from .conftest import extract_events

PUBLISHED = dt.date(2025, 3, 14)  # a Friday


@pytest.fixture(scope="module")
def extract(pipeline):
    return partial(extract_events, pipeline, published=PUBLISHED, article_id="t1")


def test_a_feature_whose_lead_reports_no_violence_yields_no_event(extract):
    events = extract(
        "The ministry of education unveiled a new curriculum for secondary schools on Thursday.\n"
        "Teachers welcomed the reform, which adds two hours of science each week.\n"
        "Officials said the schools would open on time.\n"
        "Parents queued outside the ministry to register their children.\n"
        "Many of the schools were rebuilt after militants attacked the district near Maiduguri "
        "on Wednesday, killing four guards."
    )
    assert events == []


def test_headline_lead_and_follow_up_of_one_bombing_are_one_event(extract):
    events = extract(
        "Car bomb kills 12 in Mogadishu market\n"
        "A car bomb exploded in a crowded market in Mogadishu on Thursday, killing 12 people, "
        "police said.\n"
        "The blast also wounded 30 others and destroyed several stalls.\n"
        "Witnesses said the explosion could be heard across the city."
    )
    assert len(events) == 1
    (event,) = events
    assert event.sub_event_type == "Remote explosive/landmine/IED"
    assert event.location == "Mogadishu"
    assert event.event_date == dt.date(2025, 3, 13)
    assert event.fatalities == 12
    assert event.injured == 30
    assert any(ev.text.startswith("The blast also wounded") for ev in event.sources[0].evidence)


def test_an_attack_told_by_its_means_is_coded_by_its_means(extract):
    # "attack" in the lede, "rockets fired at homes" after it: ACLED codes the shelling.
    events = extract(
        "Insurgents attacked the town of Tal Afar on Thursday, killing two civilians.\n"
        "The insurgents fired rockets at homes in Tal Afar from nearby hills, police said."
    )
    assert [e.sub_event_type for e in events] == ["Shelling/artillery/missile attack"]
    assert events[0].actor2 == "Civilians (Iraq)"


def test_a_recalled_attack_and_its_follow_ups_are_not_news(extract):
    events = extract(
        "A trial opened in Paris on Monday over the 2004 bombing of a military base near Bouake.\n"
        "Three men stand accused of planning the attack.\n"
        "The bombing killed nine soldiers and a civilian.\n"
        "The defendants are being tried in absentia."
    )
    assert events == []


def test_an_incident_from_last_month_is_background_to_this_report(extract):
    events = extract(
        "Gunmen attacked a police post in Kalat on Thursday, killing three officers.\n"
        "Last month, insurgents ambushed a bus near Turbat and killed 18 of those on board."
    )
    assert [e.location for e in events] == ["Kalat"]
    assert events[0].fatalities == 3


def test_a_statement_in_the_lead_opens_the_report_of_its_incident(extract):
    # The lead denies involvement in an attack; the body reports the attack itself.
    events = extract(
        "The government of Ruritania rejected allegations that Tuesday's deadly attack on a passenger "
        "train in Balochistan was directed from its soil.\n"
        "Its foreign ministry called the accusation baseless.\n"
        "The statement was read on state television.\n"
        "At least 21 passengers and four soldiers were killed when gunmen stormed the train near Sibi "
        "on Tuesday."
    )
    assert len(events) == 1
    assert events[0].location == "Sibi"
    assert events[0].event_date == dt.date(2025, 3, 11)
    assert events[0].fatalities == 25


def test_quoted_speech_adds_to_an_incident_but_never_founds_one(extract):
    events = extract(
        "Gunmen stormed a hotel in Beledweyne on Thursday, killing five people, officials said.\n"
        "\u201cThey came at dawn and started shooting at everyone in the lobby,\u201d said a resident.\n"
        "\u201cThe militants attack our towns every month,\u201d the governor said."
    )
    assert [e.location for e in events] == ["Beledweyne"]
    assert any("at dawn" in ev.text for ev in events[0].sources[0].evidence)


def test_talks_after_the_lead_of_a_report_of_violence_are_not_an_agreement(extract):
    events = extract(
        "Air strikes killed nine fighters near Idlib on Thursday, a monitoring group said.\n"
        "The strikes hit a weapons depot on the edge of the city.\n"
        "Rescue workers searched the rubble until nightfall.\n"
        "Residents said the depot had stood empty for weeks.\n"
        "In Cairo, the two foreign ministers agreed on coordinating their political positions."
    )
    assert [e.sub_event_type for e in events] == ["Air/drone strike"]


def test_fighting_at_two_distant_towns_on_one_day_stays_two_events(extract):
    events = extract(
        "Government troops clashed with rebels in Gao on Thursday, the army said.\n"
        "Separately, troops fought insurgents near Menaka on the same day."
    )
    assert sorted(e.location for e in events) == ["Gao", "Menaka"]


def test_victims_are_never_the_initiator_of_an_air_strike(extract):
    events = extract("An air strike killed six civilians in the village of Kafr Nabl on Thursday.")
    assert len(events) == 1
    assert events[0].actor2 == "Civilians (Syria)"
    assert events[0].actor1 == "Unidentified Armed Group (Syria)"


def test_a_journey_s_ends_are_not_where_the_attack_happened(extract):
    events = extract(
        "A bus travelling from Kabul to Kandahar came under attack near Ghazni on Thursday, "
        "killing four passengers, officials said."
    )
    assert [e.location for e in events] == ["Ghazni"]


def test_damage_told_with_the_bomb_that_did_it_is_the_bombing(extract):
    events = extract(
        "Militants destroyed two trucks in Gao on Thursday, officials said.\n"
        "The trucks were destroyed by a roadside bomb, officials said."
    )
    assert [(e.sub_event_type, e.location) for e in events] == [("Remote explosive/landmine/IED", "Gao")]
    assert events[0].actor1 == "Unidentified Armed Group (Mali)"


def test_the_group_that_claims_an_attack_is_its_initiator(extract):
    events = extract(
        "Gunmen stormed a hotel in Beledweyne on Thursday, killing five people, officials said.\n"
        "The militant group al-Shabab claimed responsibility for the attack."
    )
    assert [(e.location, e.actor1) for e in events] == [("Beledweyne", "Al Shabaab")]


def test_a_journey_told_with_a_direction_word_still_has_no_event_at_its_ends(extract):
    events = extract(
        "A convoy came under attack on Thursday while passing through a gorge near Ghazni, "
        "on its way south to Kandahar from Kabul, officials said."
    )
    assert [e.location for e in events] == ["Ghazni"]


def test_past_and_other_recent_attacks_are_not_this_report_s_news(extract):
    events = extract(
        "A car bomb exploded outside a school in Kabul on Thursday, killing 20 people, police said.\n"
        "Past attacks in the district of Paghman were claimed by the Islamic State group.\n"
        "The government declared a day of mourning for the victims of other recent bombings in Herat."
    )
    assert [e.location for e in events] == ["Kabul"]


def test_a_day_of_mourning_for_the_victims_of_the_attack_adds_nothing_new(extract):
    events = extract(
        "A car bomb exploded outside a school in Kabul on Thursday, killing 20 people, police said.\n"
        "The president declared Friday a day of mourning for the victims of the Kabul bombing."
    )
    assert [(e.location, e.event_date) for e in events] == [("Kabul", dt.date(2025, 3, 13))]


def test_signing_a_decree_or_welcoming_a_deal_is_no_agreement(extract):
    assert extract(
        "The interim president signed a constitutional declaration in Damascus on Thursday.\n"
        "The president also signed a measure extending his term in office by two years.\n"
        "Lawmakers in Washington welcomed the deal the two governments negotiated last year."
    ) == []


def test_a_truce_the_parties_sign_is_an_agreement(extract):
    events = extract(
        "The army and the rebels of the M23 movement signed a ceasefire in Doha on Thursday, "
        "the mediators said."
    )
    assert [(e.sub_event_type, e.location) for e in events] == [("Agreement", "Doha")]


def test_strikes_a_later_sentence_dates_to_last_december_are_background(extract):
    events = extract(
        "An air strike killed two militants in Anbar province on Thursday, Iraqi officials said.\n"
        "The militant was one of the group's most senior commanders, according to intelligence "
        "reports. Estimates put the number of the group's fighters in the region at a few thousand. "
        "Officials warned of a possible resurgence of the group in the desert areas of the region. "
        "More recently, in December, U.S. forces carried out a series of airstrikes against the "
        "group in Syria."
    )
    assert [e.admin1 for e in events] == ["Al Anbar"]


def test_the_toll_of_blasts_told_without_their_means_is_the_bombing_s_toll(extract):
    events = extract(
        "Officials in Kabul raised the death toll to 63 from Saturday\u2019s blasts outside a girls\u2019 "
        "school in the west of the capital, the interior ministry said on Sunday. No group has "
        "claimed the attack."
    )
    assert [(e.sub_event_type, e.location, e.fatalities, e.event_date) for e in events] == [
        ("Remote explosive/landmine/IED", "Kabul", 63, dt.date(2025, 3, 8))]


def test_muc_mode_keeps_a_bombing_and_a_shooting_at_one_town_apart(resources):
    """MUC-4 keys hold one template per kind of act; the codebook one event per incident."""
    from dataclasses import replace

    from flashpoint.pipeline import Pipeline

    text = ("A car bomb exploded outside the police station in Medellin on Thursday, killing two "
            "officers.\nGunmen also opened fire on a patrol in Medellin on Thursday, killing a guard.")
    codebook = extract_events(Pipeline(resources), text, published=PUBLISHED)
    muc = extract_events(Pipeline(replace(resources, assembly=replace(
        resources.assembly, news_only=False, merge_kinds=False))), text, published=PUBLISHED)
    assert len(codebook) == 1
    assert sorted(e.sub_event_type for e in muc) == ["Armed clash", "Remote explosive/landmine/IED"]


def test_a_round_up_s_next_item_does_not_take_the_last_item_s_day(extract):
    events = extract(
        "In Aleppo province, army units shelled militant positions last night near the town of "
        "Azaz, killing nine fighters, a military source said. In the neighbouring Idlib province, "
        "army units shelled militant positions near the town of Saraqib, killing 12 fighters."
    )
    days = {e.location: e.event_date for e in events}
    assert days == {"Izaz": dt.date(2025, 3, 13), "Saraqib": PUBLISHED}  # the gazetteer spells Azaz so


def test_a_sentence_s_toll_goes_to_the_place_of_its_own_clause(extract):
    events = extract("Rebel rockets killed two civilians in Aleppo on Friday, and shells damaged "
                     "several houses in Homs.")
    assert {e.location: e.fatalities for e in events} == {"Aleppo": 2, "Homs": 0}


def test_the_crowd_of_a_violent_demonstration_are_rioters(extract):
    events = extract("Palestinian demonstrators threw rocks at Israeli police near the Damascus Gate "
                     "in Jerusalem on Thursday, and police fired tear gas at them.")
    assert events and {(e.sub_event_type, e.actor1) for e in events} == {
        ("Violent demonstration", "Rioters (Palestine)")}


def test_the_people_arrested_are_never_the_arresting_side(extract):
    events = extract("Officials said they arrested seven Islamic State members in a follow-up "
                     "operation in Ramadi on Thursday.")
    assert [(e.sub_event_type, e.actor1, e.actor2) for e in events] == [
        ("Arrests", None, "Islamic State (Iraq)")]


def test_gunmen_who_fight_the_security_forces_at_the_scene_fight_a_battle(extract):
    events = extract(
        "Gunmen stormed a hotel in Beledweyne on Thursday, killing five people, officials said.\n"
        "The attackers were still fighting with security forces inside the hotel late on Thursday."
    )
    assert [(e.sub_event_type, e.location) for e in events] == [("Armed clash", "Beledweyne")]


def test_the_day_a_toll_was_reported_yields_to_the_day_the_attack_happened(extract):
    events = extract(
        "Tests on victims of a gas attack which killed dozens of people in Khan Sheikhoun point to "
        "sarin, the health ministry said on Thursday.\n"
        "It said 31 people hurt in Tuesday's attack on Khan Sheikhoun were being treated in hospitals."
    )
    assert [(e.location, e.event_date) for e in events] == [("Khan Shaykhun", dt.date(2025, 3, 11))]


def test_a_claim_that_opens_the_report_names_the_attacker_of_the_attack_it_introduces(extract):
    events = extract(
        "The militant group al-Shabab has claimed responsibility for Thursday's attack on a hotel "
        "in Beledweyne.\nGunmen stormed the hotel in Beledweyne on Thursday, killing five people, "
        "officials said."
    )
    assert [(e.location, e.actor1) for e in events] == [("Beledweyne", "Al Shabaab")]


def test_the_clashes_told_on_the_narrative_s_day_are_the_incident_they_point_back_to(extract):
    # "The group says the clashes ..." states no day of its own: the report's day must not
    # split it from the fighting that "flared up on Wednesday".
    events = extract(
        "Militia infighting kills 30 fighters in two days AP Friday 14 Mar 2025 Activists say militia "
        "infighting in Sudan has killed 30 fighters over the past two days. A monitoring group says the "
        "fighting flared up in North Darfur state on Wednesday and continued into Thursday. The group "
        "says the clashes pitted two rival militias against each other."
    )
    assert [(e.sub_event_type, e.location) for e in events] == [("Armed clash", "North Darfur")]
    assert any(ev.text.startswith("The group says the clashes") for ev in events[0].sources[0].evidence)


def test_where_the_speaking_ministry_sits_is_not_where_the_strike_was(extract):
    events = extract("The defence ministry in Moscow said on Thursday that its bombers had struck militant "
                     "positions near Palmyra, killing 20 fighters.")
    assert events and all(e.location != "Moscow" for e in events)


def test_a_round_up_s_item_does_not_take_the_day_of_the_next_item(extract):
    # "last night" belongs to the Aleppo item that "Meanwhile" opens, not to the Nawa item before it
    events = extract(
        "The army pressed on with operations on Friday against terrorists across the country, state "
        "media reported. In Daraa, an army unit destroyed terrorist vehicles equipped with machine guns "
        "in Nawa. Meanwhile, an army unit destroyed last night a car packed with explosives on the "
        "outskirts of Aleppo."
    )
    days = {e.location: e.event_date for e in events}
    assert days["Nawa"] == PUBLISHED and days["Aleppo"] == dt.date(2025, 3, 13)


def test_weapons_seized_far_down_a_round_up_are_news(extract):
    events = extract(
        "The army pressed on with operations on Thursday against terrorists across the country, state "
        "media reported. In Daraa, an army unit killed a number of terrorists in Nawa. In Homs, army "
        "units destroyed terrorist positions in Talbiseh. In Hama, the army killed terrorists in Kafr "
        "Zita. In Quneitra, an army unit seized a weapons depot in Khan Arnabeh."
    )
    assert ("Khan Arnabeh", "Disrupted weapons use") in {(e.location, e.sub_event_type) for e in events}


def test_things_destroyed_in_air_strikes_are_the_air_strikes(extract):
    events = extract("Terrorist vehicles were destroyed in a series of army air strikes in Daraa city on "
                     "Thursday, state media said.")
    assert [e.sub_event_type for e in events] == ["Air/drone strike"]


def test_a_statement_posted_on_x_ends_its_sentence(extract):
    # the tokenizer took "X." for an initial and glued the attack onto the quoted denial
    events = extract(
        '"We categorically reject these allegations," the ministry spokesman said in a statement posted '
        "on X. Militants attacked a passenger train on Thursday near Sibi, taking hundreds hostage."
    )
    assert [(e.location, e.event_date) for e in events] == [("Sibi", dt.date(2025, 3, 13))]


def test_a_trigger_that_only_names_whose_scene_is_no_event_of_its_own(extract):
    events = extract("Intelligence collected at the scene of the airstrike led to the arrest of five suspects "
                     "in Irbil, officials said on Thursday.")
    assert [(e.sub_event_type, e.location) for e in events] == [("Arrests", "Erbil")]


def test_a_headline_town_and_a_nationwide_lede_are_the_villages_the_body_names_there(extract):
    events = extract(
        "Syrian Army Foils Takfiri Attack in Daraa Kills at least 50 Gunmen in Lattakia. The Syrian army "
        "continued on Thursday military operations against the terrorist organizations hideouts and positions "
        "across the country inflicting heavy loses upon them in personnel and equipment. In Daraa an army unit "
        "destroyed terrorist vehicles in Nawa. In Lattakia at least 50 terrorists were killed in army operations "
        "against their positions in the villages of Droushan and Rabia in the north of the province."
    )
    places = [e.location for e in events]
    assert "Latakia" not in places and {"Droushan", "Rabia"} <= set(places)


def test_a_verb_that_happened_during_the_assault_joins_the_assault(extract):
    events = extract(
        "Militants captured a gas field east of Homs on Thursday, killing 90 soldiers and guards, a monitor "
        "said. On Saturday the monitor quoted trusted sources in Syria as saying that the militants had killed "
        "and executed 270 people during the assault."
    )
    assert [e.location for e in events] == ["Homs"]


@pytest.mark.parametrize("summary", [
    # a trend over recent weeks, a campaign summed since a day long past, a toll over the past
    # few days: none is one event, wherever it is told
    "Activists say the Syrian air force has in recent weeks stepped up attacks on rebel-held districts of Aleppo.",
    "Since March 1 regime bombardment of rebel-held districts of Aleppo has cost the lives of 136 civilians.",
    "At least 72 civilians have been killed in the bombing of Aleppo over the past few days.",
])
def test_a_summary_of_recent_weeks_is_no_event(extract, summary):
    events = extract("Air strikes killed seven people in Khan Sheikhun on Friday, a monitor said. " + summary)
    assert [(e.location, e.fatalities) for e in events] == [("Khan Shaykhun", 7)]


def test_of_the_events_a_headline_opens_the_place_it_names_first_comes_first(extract):
    events = extract("Terrorist rocket attacks kill 10 and injure scores in Aleppo and Idleb. In Idleb, terrorists "
                     "fired mortar shells at residential buildings in the city on Friday, killing four people. The "
                     "shelling also damaged a school in the city, a source said.")
    assert [e.location for e in events] == ["Aleppo", "Idlib"]


def test_an_incident_named_only_to_say_when_is_no_second_event(extract):
    events = extract("Gunmen stormed a hotel in Kabul on Tuesday, killing five guests. Hours after the attack, the "
                     "group posted a statement in Jalalabad on Thursday.")
    assert [(e.location, e.fatalities) for e in events] == [("Kabul", 5)]
