"""Places and incidents that only refer, locate or name, in copy that lost its punctuation
(nlp.py, places/, events/scene.py, events/detect.py, events/coreference.py): a headline glued
to its story, a province's possessive without its apostrophe, "the site of" an older attack,
"located in", a list of compass references, a capital that troops are loyal to, a monitor's
name after a town, a headline's passive without "were". Sentences written for these tests;
what is asserted is what `flashpoint extract` and `flashpoint geoparse` show."""

from __future__ import annotations

import datetime as dt

from .conftest import extract_events, geoparse_rows

DAY = dt.date(2016, 11, 23)


def test_a_headline_glued_to_its_story_does_not_make_its_province_a_second_scene(pipeline):
    events = extract_events(pipeline, "Residents choke after gas shells hit Mare city Aleppo A number of residents "
                                      "suffered breathing problems on Tuesday after shells containing chlorine fell "
                                      "on Mare town, state media said.", published=DAY)
    assert [(e.sub_event_type, e.location) for e in events] == [("Chemical weapon", "Mari")]


def test_a_sentence_ends_before_a_capitalised_article_after_a_headline(nlp):
    doc = nlp("Gas shells hit Mare city Aleppo A number of residents suffered breathing problems.")
    assert [s.text for s in doc.sents] == ["Gas shells hit Mare city Aleppo",
                                           "A number of residents suffered breathing problems."]
    title = nlp("Troops Kill A Commander In Idlib. He moved to The Hague.")
    assert [s.text for s in title.sents] == ["Troops Kill A Commander In Idlib.", "He moved to The Hague."]


def test_a_town_after_a_provinces_possessive_without_apostrophe_is_the_scene(pipeline):
    events = extract_events(pipeline, "Regime warplanes struck a market in Idlib provinces Saraqeb on Sunday, "
                                      "killing 11 civilians, a monitor said.", published=DAY)
    assert [(e.location, e.fatalities) for e in events] == [("Saraqib", 11)]


def test_the_site_of_an_older_attack_does_not_type_the_news(pipeline):
    events = extract_events(pipeline, "At least 13 civilians died on Saturday in air strikes around Khan Sheikhun, "
                                      "the site of a chemical attack in April, a monitor said.", published=DAY)
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Air/drone strike", 13)]


def test_troops_loyal_to_a_capital_name_its_government_not_a_scene(tmp_path, pipeline):
    text = "Troops loyal to Damascus took control of three villages in Hama province on Sunday, state media said."
    (damascus,) = [r for r in geoparse_rows(tmp_path, text) if r["name"] == "Damascus"]
    assert damascus["relation"] == "metonym"
    assert [e.location for e in extract_events(pipeline, text, published=DAY)] == ["Hama"]


def test_a_monitors_name_after_a_town_is_not_a_neighbourhood(tmp_path):
    rows = geoparse_rows(tmp_path, "Regime air strikes killed 20 civilians on Monday in the Bab al-Maqam "
                                   "neighborhood of Aleppo Syria Live Network reported.")
    names = {r["name"] for r in rows}
    assert "Aleppo" in names and not any("Network" in n or "Live" in n for n in names)


def test_a_compass_word_before_a_known_city_is_not_a_new_place(tmp_path):
    rows = geoparse_rows(tmp_path, "The SDF repelled attacks in Eastern Aleppo near the Tishrin Dam on Sunday.")
    names = {r["name"] for r in rows}
    assert "Aleppo" in names and "Eastern Aleppo" not in names and "Eastern" not in names


def test_a_headline_passive_counts_its_dead_and_a_located_in_area_is_no_second_scene(pipeline):
    events = extract_events(pipeline, "70 Killed in Air Strikes on Militant Training Camp in Homs. 70 militants "
                                      "killed and many injured on Tuesday in air strikes on the training camp of "
                                      "Taloul in Al Sukhnah city located in Eastern Homs, state media said.",
                            published=DAY)
    assert [(e.sub_event_type, e.location, e.fatalities) for e in events] == [("Air/drone strike", "Taloul", 70)]


def test_a_list_of_compass_references_adds_no_scene(pipeline):
    events = extract_events(pipeline, "Gunmen attacked the village of Jubb al Jarrah, northwest of the ancient city "
                                      "of Palmyra, southeast of the city of Salamiyah and southwest of Aqayrabat "
                                      "town, on Tuesday, state media said.", published=DAY)
    assert [e.location for e in events] == ["Jubb al Jarrah"]


def test_attacks_told_with_whenever_are_habitual(pipeline):
    assert extract_events(pipeline, "Fighters from the camp took part whenever the group carried out attacks on "
                                    "army positions in Homs, the monitor said.", published=DAY) == []


def test_a_street_an_armed_group_captures_is_ground_not_a_person(pipeline):
    events = extract_events(pipeline, "The SDF fighters pushed into the eastern side of Manbij on Sunday and "
                                      "captured al-Rabet street, a monitor said.", published=DAY)
    assert [e.sub_event_type for e in events] == ["Non-state actor overtakes territory"]


def test_a_bombing_told_again_in_its_neighbourhood_is_one_event_there_and_no_crowd_set_it_off(pipeline):
    events = extract_events(pipeline, "Bombs Kill 22 at Army Checkpoint in Homs. At least 22 people were killed in a "
                                      "double suicide bomb attack at an army checkpoint in Homs on Tuesday, state media "
                                      "said. State television said 100 people had also been injured in the blasts in "
                                      "the Al-Zahraa neighborhood of the city, which has been targeted in bomb attacks "
                                      "multiple times before. As a crowd gathered, the second bomber detonated his "
                                      "explosives, the governor said.", published=DAY)
    assert [(e.sub_event_type, e.location, e.fatalities, e.actor1) for e in events] == [
        ("Suicide bomb", "Al-Zahraa", 22, "Unidentified Armed Group (Syria)")]


def test_how_the_war_began_is_no_event(pipeline):
    events = extract_events(pipeline, "An air strike on a market on Thursday killed at least 21 people in a village "
                                      "of Aleppo province, a monitor said. More than 150000 people have been killed in "
                                      "the three-year war, which broke out after the regime unleashed a massive "
                                      "crackdown against a protest movement.", published=DAY)
    assert [e.sub_event_type for e in events] == ["Air/drone strike"]


def test_tolls_over_days_of_strikes_or_many_towns_are_no_events_toll(pipeline):
    for text, total in [("Seven days of airstrikes across the northwestern province had left more than 75 civilians "
                         "dead, the coalition said on Wednesday.", 75),
                        ("In total over 40 civilians were killed on Tuesday in the aerial bombardment that hit at "
                         "least 11 towns and villages across Idlib, activists said.", 40)]:
        assert total not in {e.fatalities for e in extract_events(pipeline, text, published=DAY)}


def test_a_town_said_to_lie_in_a_named_province_is_found_whatever_the_tagger_thought(pipeline):
    events = extract_events(pipeline, "Warplanes carried out the strikes on Al-Mayadin in the eastern province of "
                                      "Deir Ezzor on Thursday, killing 23 civilians, a monitor said.", published=DAY)
    assert [(e.location, e.admin1, e.fatalities) for e in events] == [("Al Mayadin", "Deir ez-Zor", 23)]


def test_a_glued_headline_town_and_the_lead_town_do_not_fold_into_each_other(pipeline):
    events = extract_events(pipeline, "35 Civilians Killed in Regime Air Raids on Rural Aleppo The coalition cited the "
                                      "death of 35 civilians in barrel bomb attacks launched by the air force on the "
                                      "towns of Al Bab and Kafr Hamra in rural Aleppo on Thursday.", published=DAY)
    assert ("Al Bab", 35) in {(e.location, e.fatalities) for e in events}


def test_strikes_by_a_foreign_air_power_are_air_strikes(pipeline):
    events = extract_events(pipeline, "US strikes kill 40 fighters in Syria. US air strikes killed 40 militants west of "
                                      "Aleppo on Tuesday, a monitor said.", published=DAY)
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Air/drone strike", 40)]


def test_a_warplane_crash_on_a_bombing_run_is_no_accident(pipeline):
    events = extract_events(pipeline, "A government warplane crashed during a bombing run over the town of Ariha in "
                                      "northwestern Syria on Monday leaving at least 20 people dead a monitor said.",
                            published=DAY)
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Air/drone strike", 20)]


def test_a_quote_places_a_lede_told_only_at_country_level(pipeline):
    events = extract_events(pipeline, "Turkish warplanes killed nine fighters of the Islamic State group in strikes in "
                                      "Syria on Friday, a monitor said. \"Turkish aircraft carried out three strikes on "
                                      "IS positions in northwestern Aleppo province killing nine,\" the monitor's "
                                      "director said.", published=DAY)
    assert [(e.admin1, e.geo_precision, e.fatalities) for e in events] == [("Aleppo", 3, 9)]


def test_a_bare_raid_told_as_an_air_strike_is_an_air_strike(pipeline):
    events = extract_events(pipeline, "A government raid on an Islamic State headquarters killed 18 fighters on "
                                      "Wednesday, a monitor said. The monitor said the air strike destroyed a building "
                                      "used by the group in the village of Ghareebeh in Deir Ezzor province.",
                            published=DAY)
    assert [e.sub_event_type for e in events] == ["Air/drone strike"]


def test_a_headline_town_run_into_its_province_is_one_scene(pipeline):
    events = extract_events(pipeline, "Car bomb kills 7 in Tal Abyad Raqqa. Seven civilians were killed in a car bomb "
                                      "attack in Tal Abyad city in the northern countryside of Raqqa province on "
                                      "Wednesday, state media said.", published=DAY)
    assert [(e.location, e.fatalities) for e in events] == [("Tall Abyad", 7)]


def test_a_town_which_lies_in_a_named_province_is_the_scene(pipeline):
    events = extract_events(pipeline, "Barrel bombs killed 11 civilians on Thursday in a jihadist-held town in northern "
                                      "Syria, a monitor said. Government helicopters dropped the weapons on Al-Bab, "
                                      "which lies in the northern province of Aleppo.", published=DAY)
    assert [(e.location, e.fatalities) for e in events] == [("Al Bab", 11)]


def test_a_headline_with_dead_and_injured_counts_the_dead_as_dead(pipeline):
    events = extract_events(pipeline, "5 October 2016 6 persons killed 40 others injured in rocket attacks on Aleppo "
                                      "city. Militants fired rocket shells at al-Jamilia neighbourhood on Wednesday, "
                                      "a police source said.", published=DAY)
    assert max(e.fatalities for e in events) == 6


def test_the_wounded_named_after_the_dead_are_not_added_to_them(pipeline):
    events = extract_events(pipeline, "Three blasts including a car bomb hit the area near the shrine of Sayyeda Zeinab "
                                      "south of Damascus on Sunday. The attack rocked the main street leaving 45 "
                                      "martyrs and more than 150 others wounded.", published=DAY)
    assert max(e.fatalities for e in events) == 45



def test_fighters_who_march_do_not_demonstrate(pipeline):
    events = extract_events(pipeline, "The SDF said on Monday that its fighters marched about 3 kilometers from the "
                                      "eastern side of Tabqa in Raqqa province.", published=DAY)
    assert "Peaceful protest" not in {e.sub_event_type for e in events}


def test_a_country_level_lede_stays_with_its_lead_not_a_story_told_later(pipeline):
    events = extract_events(pipeline, "Ten Syrian soldiers killed in clashes with IS. At least ten Syrian soldiers were "
                                      "killed on Tuesday in clashes with Islamic State jihadists in the eastern province "
                                      "of Deir Ezzor, a monitor said. The fighting took place not far from the military "
                                      "airport, a key post for the army in the province. The group controls most of the "
                                      "province. Elsewhere, government air strikes on Tuesday hit rebel positions in "
                                      "Irbin near Damascus, the monitor said.", published=DAY)
    by_place = {e.admin1: e.fatalities for e in events}
    assert by_place.get("Deir ez-Zor") == 10 and by_place.get("Rif Dimashq", by_place.get("Damascus", 0)) == 0


def test_a_city_run_into_its_countrys_possessive_is_the_city(pipeline):
    events = extract_events(pipeline, "A car bomb killed 20 people at a site for displaced families in eastern Syria "
                                      "near the city of Deir al-Zor Syrias state news agency reported on Friday.",
                            published=DAY)
    assert [e.admin1 for e in events] == ["Deir ez-Zor"]
