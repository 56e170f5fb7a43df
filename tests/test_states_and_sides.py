"""What a coder reads past the lede, and who acts together, as a user sees it in the events.

- A sentence after the lede whose main verbs are in the present perfect or progressive, with
  no toll and no time of the news window ("rebels are battling to push back the army"), tells
  a state of the war, not an incident: it founds no event. Tied to a day or a toll, or in the
  lede, the same tenses are news.
- One bombing at one place on one day is one event, whichever actor each sentence names.
- "Syrian and Russian jets struck ...": coordinated agents of a one-sided act are actor1 and
  its associate (``assoc_actor_1``), not each other's opponents; the two sides of a clash are.
- A title-case headline capitalises common words: "in Airstrike on Village" is no place.

Sentences written for these tests.
"""

from __future__ import annotations

import datetime as dt

from .conftest import extract_events, geoparse_rows

PUBLISHED = dt.date(2016, 7, 12)

LEDE = ("Government aircraft bombed the town of Saraqib in Idlib province on Monday, killing "
        "seven civilians, a monitoring group said.")


def events(text, pipeline, **kw):
    return extract_events(pipeline, text, published=PUBLISHED, article_id="states", **kw)


def places(text, pipeline):
    return sorted(e.location for e in events(text, pipeline))


# --- states of the war past the lede --------------------------------------------------------

def test_ongoing_battle_past_the_lede_is_no_event(pipeline):
    text = (f"{LEDE} Rescue workers searched the rubble for survivors. "
            "Rebel forces are battling to push back government advances around Aleppo.")
    assert places(text, pipeline) == ["Saraqib"]


def test_present_perfect_background_past_the_lede_is_no_event(pipeline):
    text = (f"{LEDE} Rescue workers searched the rubble for survivors. "
            "The Nusra Front has clashed with other rebel factions in Daraa.")
    assert places(text, pipeline) == ["Saraqib"]


def test_present_perfect_with_a_day_of_the_news_window_is_news(pipeline):
    text = (f"{LEDE} Rescue workers searched the rubble for survivors. "
            "Regime forces have also shelled the town of Douma near Damascus over the past two days.")
    assert "Duma" in places(text, pipeline) or "Douma" in places(text, pipeline)


def test_present_perfect_with_a_toll_is_news(pipeline):
    text = (f"{LEDE} Rescue workers searched the rubble for survivors. "
            "Regime artillery has killed four civilians in the town of Douma near Damascus.")
    found = places(text, pipeline)
    assert any(p in ("Duma", "Douma") for p in found)


def test_present_perfect_lede_is_news(pipeline):
    text = ("Somali forces have killed dozens of militants in air strikes near the town of "
            "Jilib, officials said. The operation followed weeks of fighting in the region.")
    assert places(text, pipeline) == ["Jilib"]


# --- one bombing, one event --------------------------------------------------------------

def test_one_suicide_bombing_told_with_different_actors_is_one_event(pipeline):
    text = ("A suicide bomber killed at least 22 people on Monday at a wedding in the village of "
            "Tall Tawil in Hasakeh province. "
            "The bomber blew himself up inside the hall during the wedding of a member of the "
            "Syrian Democratic Forces in Tall Tawil, witnesses said. "
            "The Islamic State group said one of its fighters blew himself up in Tall Tawil on Monday.")
    found = events(text, pipeline)
    assert [(e.sub_event_type, e.location) for e in found] == [("Suicide bomb", "Tall Tawil")]
    assert found[0].fatalities == 22


# --- who acts together ---------------------------------------------------------------------

def test_coordinated_air_forces_are_actor1_and_its_associate(pipeline):
    text = ("Syrian and Russian warplanes struck the town of Atarib west of Aleppo on Saturday, "
            "killing six civilians, activists said.")
    (event,) = events(text, pipeline)
    assert event.actor1 == "Military Forces of Syria (2000-2024)"
    assert event.assoc_actor_1 == "Military Forces of Russia (2000-)"
    assert event.actor2 == "Civilians (Syria)"


def test_the_two_sides_of_a_clash_stay_opponents(pipeline):
    text = ("Syrian troops and Islamic State fighters clashed near the town of Palmyra on "
            "Sunday, the army said.")
    (event,) = events(text, pipeline)
    assert {event.actor1, event.actor2} == {"Military Forces of Syria (2000-2024)", "Islamic State (Syria)"}
    assert event.assoc_actor_1 == ""


def test_a_group_that_holds_the_target_town_is_no_ally(pipeline):
    text = ("Syrian government helicopters dropped barrel bombs on the town of Al-Bab, which is "
            "held by the Islamic State group, on Thursday, killing 11 civilians.")
    (event,) = events(text, pipeline)
    assert event.actor1 == "Military Forces of Syria (2000-2024)"
    assert event.assoc_actor_1 == ""


# --- a headline's capitals ---------------------------------------------------------------

def test_common_words_capitalised_in_a_headline_are_no_place(pipeline):
    text = ("6 Killed in Airstrike on Village in Aleppo Province Belgian Jets in Area. "
            "Six civilians were killed on Tuesday in an airstrike on the village of Hassadjek in "
            "Aleppo province, the local council said.")
    found = places(text, pipeline)
    assert "Airstrike" not in found
    assert found == ["Hassadjek"]


def test_a_direction_after_a_town_is_not_part_of_its_name(tmp_path):
    rows = geoparse_rows(tmp_path, "Warplanes struck the town of Atarib west of Aleppo on Saturday.")
    assert [(r["name"], r["admin1"]) for r in rows] == [("Atarib", "Aleppo"), ("Aleppo", "Aleppo")]


def test_a_village_the_text_placed_is_that_village_when_named_again(tmp_path):
    rows = geoparse_rows(tmp_path, (
        "A bomber struck a wedding in the village of Tall Tawil in Hasakeh province. "
        "Witnesses said the bomber blew himself up in Tall Tawil during the party."))
    villages = [r for r in rows if r["name"].startswith("Tall")]
    assert len(villages) == 2
    assert {r["admin1"] for r in villages} == {"Hasakah"}  # not Al-Tall near Damascus


def test_a_car_bomb_is_the_groups_not_the_police_who_arrested_suspects(pipeline):
    text = ("Police in Lima arrested ten people on Sunday suspected of having detonated a car bomb "
            "near the presidential palace. Members of the Tupac Amaru Revolutionary Movement set off "
            "the car bomb in Lima on Sunday, police said.")
    found = [e for e in events(text, pipeline) if e.sub_event_type == "Remote explosive/landmine/IED"]
    assert [e.actor1 for e in found] == ["MRTA: Tupac Amaru Revolutionary Movement"]


def test_a_country_inside_a_groups_name_is_no_scene(pipeline):
    text = ("Six civilians were among at least 22 people killed in US air strikes on the stronghold "
            "of the group ISIL (the so-called Islamic State in Iraq and Syria) on Saturday, a "
            "monitor said.")
    found = events(text, pipeline)
    assert [e.fatalities for e in found] == [22]
    assert found[0].country != "Iraq"  # the sentence names no scene at all
