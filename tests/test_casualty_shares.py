"""Whose dead a toll counts: a toll given for several villages is shared evenly among their
events, as ACLED splits it, while twin bombings at one place on one day are one event (codebook); an active participle's noun is its doer, not its
dead ("a drone struck a car, killing all inside" gives no number); the plural "numbers of"
counts as "a number of" (10). Sentences written for these tests; what is checked is the
fatalities of the events a user gets."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from tests.conftest import extract_events

PUBLISHED = dt.date(2025, 3, 14)


@pytest.fixture(scope="module")
def extract(pipeline):
    return partial(extract_events, pipeline, published=PUBLISHED, article_id="shares")


@pytest.mark.parametrize(
    "text,deaths",
    [
        # codebook: one event per place, day and actor pair, so twin bombs at one place keep it all
        ("Twin car bombs killed 32 people near a school in Homs on Wednesday.", 32),
        ("Twin bombs exploded near a school in Homs on Wednesday. The death toll from the twin explosions "
         "rose to 32.", 32),
        ("Two bombs exploded at a market in Homs on Wednesday, killing at least 21 people.", 21),
        # air strikes counted by number on one town and day stay one event with the whole toll
        ("Four air strikes killed 20 people in Homs on Wednesday.", 20),
    ],
)
def test_twin_bombings_at_one_place_are_one_event_with_the_whole_toll(extract, text, deaths):
    events = extract(text)
    assert events and events[0].fatalities == deaths
    assert events[0].fatalities_known


def test_a_toll_over_several_towns_is_split_evenly(extract):
    events = extract(
        "Hezbollah fighters clashed with Syrian government forces on Thursday in Arsal and in Al Qusayr, "
        "killing five fighters."
    )
    assert sorted((e.location, e.fatalities) for e in events) == [("Al Qusayr", 2), ("Arsal", 3)]


def test_one_place_keeps_its_whole_toll(extract):
    events = extract(
        "Hezbollah fighters clashed with Syrian government forces in Arsal on Thursday, killing five fighters."
    )
    assert [(e.location, e.fatalities) for e in events] == [("Arsal", 5)]


@pytest.mark.parametrize(
    "text",
    [
        "A drone struck a car in Idlib on Monday, killing all inside.",
        "A drone struck a car in Idlib on Monday killing everyone on board.",
    ],
)
def test_killing_all_gives_no_number(extract, text):
    events = extract(text)
    assert events
    assert (events[0].fatalities, events[0].fatalities_known) == (0, False)


def test_a_participle_still_counts_its_object(extract):
    (event,) = extract("A bomb exploded in a market in Idlib on Monday, killing five people.")
    assert event.fatalities == 5


@pytest.mark.parametrize(
    "text",
    [
        "Syrian warplanes struck militant positions in Idlib on Monday, killing numbers of militants.",
        "Syrian warplanes struck militant positions in Idlib on Monday and numbers of militants were killed.",
    ],
)
def test_numbers_of_counts_as_a_number_of(extract, text):
    events = extract(text)
    assert events and events[0].fatalities == 10


def test_a_summary_toll_over_several_attacks_is_no_attack_s_own(extract):
    # The lede's 60 is the day's total; the towns' own sentences give their tolls.
    events = extract(
        "A wave of attacks across Iraq on Thursday killed 60 people, police said.\n"
        "Officials said the attacks hit 12 cities.\n"
        "The violence shattered weeks of calm.\n"
        "In Mosul, a car bomb killed 25 people near a market.\n"
        "In Kirkuk, a roadside bomb killed 9 people outside a police station."
    )
    tolls = {e.location: e.fatalities for e in events}
    assert tolls.get("Mosul") == 25 and tolls.get("Kirkuk") == 9


def test_a_shared_toll_goes_to_the_place_that_tells_it_as_its_own(extract):
    events = extract(
        "Rocket attacks killed three people in Aleppo and Daraa on Friday, state media said. In Aleppo, "
        "rockets fired by rebels killed three people near a market. In Daraa, rockets hit houses in the "
        "city, causing material damage."
    )
    assert sorted((e.location, e.fatalities) for e in events) == [("Aleppo", 3), ("Dara", 0)]


@pytest.mark.parametrize(
    "follow_up,deaths",
    [
        # a figure told later replaces the lede's vague "dozens" (ACLED's 12) ...
        ("The air strike killed at least 86 people, including children, doctors said.", 86),
        # ... but not a smaller figure, which counts a part of the dead
        ("Three people wounded in the air strike later died in Turkish hospitals.", 12),
    ],
)
def test_a_figure_told_later_replaces_a_vague_quantity(extract, follow_up, deaths):
    events = extract("An air strike on Tuesday killed dozens of people in Khan Sheikhoun, the health "
                     "ministry said. " + follow_up)
    assert [e.fatalities for e in events] == [deaths]


def test_a_headline_toll_is_shared_after_each_place_s_own_share_of_a_listed_toll(extract):
    events = extract(
        "Four killed including two women in terrorist attacks in Aleppo and Quneitra. A source at Aleppo police "
        "told state media that a woman was killed and three other civilians were injured by rocket shells on the "
        "neighbourhoods of al-Hamadaniyeh and al-Midan in Aleppo city. Later two more people were reported killed "
        "in a similar rocket attack that hit al-Jamiliyeh neighbourhood in the city. In Quneitra, terrorists fired "
        "mortar shells at Hadar town, killing a woman."
    )
    # the headline's four are the quarters' own tolls, not four more to share
    assert {e.location: e.fatalities for e in events if e.fatalities} == {
        "al-Hamadaniyeh": 1, "al-Jamiliyeh": 2, "Al Qunaytirah": 1}


def test_the_toll_of_an_armed_side_targeting_a_hospital_is_its_incident_s(pipeline):
    events = extract_events(pipeline, "Doctors said the regime targeted the town's hospital in northern Hama on "
                                      "March 25, killing two people. The hospital was hit by a bomb dropped by a "
                                      "helicopter on March 25.", published=dt.date(2017, 4, 2))
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Air/drone strike", 2)]
