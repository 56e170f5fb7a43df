"""From sentences to events: one event per place, day and actor pair (codebook), on text
written for these tests."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest


from .conftest import extract_events

PUBLISHED = dt.date(2025, 3, 14)  # a Friday


@pytest.fixture(scope="module")
def extract(pipeline):
    return partial(extract_events, pipeline, published=PUBLISHED, article_id="t1")


def test_fighting_at_two_towns_in_one_sentence_is_two_events(extract):
    events = extract(
        "Hezbollah fighters clashed with Syrian government forces on Thursday in Arsal and in Al Qusayr, "
        "local sources said."
    )
    assert sorted(e.location for e in events) == ["Al Qusayr", "Arsal"]
    assert {e.country for e in events} == {"Lebanon", "Syria"}
    assert all(e.sub_event_type == "Armed clash" for e in events)


def test_shelling_during_a_battle_is_part_of_that_battle(extract):
    events = extract(
        "Syrian government forces clashed with Hezbollah fighters in Al Qusayr on Thursday. "
        "Mortar shells were fired by the Syrian army at Hezbollah positions in Al Qusayr during the fighting."
    )
    assert len(events) == 1
    assert events[0].sub_event_type == "Armed clash"
    assert "mortar" in events[0].weapons
    assert len(events[0].sources[0].evidence) == 2


def test_an_air_strike_stays_an_air_strike_when_the_ground_changes_hands_later(extract):
    events = extract(
        "Air strikes on villages held by Islamic State near the Syrian town of Manbij killed at least 85 "
        "civilians on Thursday, a monitor said. Kurdish-led fighters took control of two districts of "
        "Manbij on Thursday."
    )
    (strike,) = [e for e in events if e.fatalities == 85]
    assert strike.sub_event_type == "Air/drone strike"


def test_a_later_sentence_without_a_place_continues_the_latest_event(extract):
    events = extract(
        "Syrian government forces clashed with Hezbollah fighters in Al Qusayr on Thursday.\n"
        "Separately, the Lebanese army clashed with gunmen in Hermel on Thursday.\n"
        "Two soldiers were killed in the exchange of fire, a security official said."
    )
    by_place = {e.location: e for e in events}
    assert by_place["El Hermel"].fatalities == 2
    assert by_place["Al Qusayr"].fatalities == 0


def test_the_dateline_is_not_the_event_place(extract):
    events = extract(
        "DAMASCUS, March 14 (Sample Wire) - Syrian government forces clashed with Hezbollah fighters "
        "near the town of Al Qusayr on Thursday, a military source said."
    )
    assert [e.location for e in events] == ["Al Qusayr"]
    assert events[0].geo_precision == 2  # "near the town of X"
    assert events[0].event_date == dt.date(2025, 3, 13)


def test_one_demonstration_described_in_several_sentences_is_one_event(extract):
    events = extract(
        "Hundreds of protesters marched through Aden on Thursday demanding an end to power cuts.\n"
        "Police fired tear gas to disperse the demonstrators, witnesses said."
    )
    assert len(events) == 1
    assert events[0].event_type == "Protests"
    assert events[0].sub_event_type == "Protest with intervention"
    assert events[0].actor1 == "Protesters (Yemen)"


def test_an_unknown_attacker_is_an_unidentified_armed_group_of_the_events_country(extract):
    # Codebook: every event has an actor; unnamed armed men are Unidentified Armed Group (<country>),
    # never a guess at a named group, and never the victims.
    events = extract("A roadside bomb killed three Syrian soldiers near Saraqib on Thursday, officials said.")
    assert len(events) == 1
    assert events[0].sub_event_type == "Remote explosive/landmine/IED"
    assert events[0].actor1 == "Unidentified Armed Group (Syria)"
    assert events[0].inter1 == "Political militia"
    assert events[0].actor2 == "Military Forces of Syria (2024-)"
    assert events[0].fatalities == 3


def test_people_who_report_are_not_actors(extract):
    events = extract(
        "Syrian government forces shelled villages outside Al Qusayr on Thursday, according to residents "
        "reached by telephone."
    )
    assert events and all("Civilians" not in (e.actor2 or "") for e in events)


def test_history_is_not_news(extract):
    events = extract(
        "Since 2013, Hezbollah has deployed thousands of fighters to Syria. "
        "For years, the group fought alongside government forces in Al Qusayr."
    )
    assert events == []


def test_event_ids_are_stable_and_distinct(extract):
    text = (
        "Hezbollah fighters clashed with Syrian government forces on Thursday in Arsal and in Al Qusayr, "
        "local sources said."
    )
    first = [e.event_id for e in extract(text)]
    again = [e.event_id for e in extract(text)]
    assert first == again
    assert len(set(first)) == 2
    other = [e.event_id for e in extract(text, article_id="t2")]
    assert not set(other) & set(first)


def test_relative_days_need_a_publication_date(extract):
    events = extract(
        "Syrian government forces clashed with Hezbollah fighters in Al Qusayr on Thursday.", published=None
    )
    assert events[0].event_date is None and events[0].date_precision is None


def test_a_day_given_to_an_earlier_event_does_not_date_what_followed_it(extract):
    strikes = [e for e in extract("The capture of Saraqib by rebels on March 1 was followed by escalated "
                                  "government air strikes on the town's markets, a monitoring group said.")
               if e.sub_event_type == "Air/drone strike"]
    assert [(e.event_date, e.date_precision) for e in strikes] == [(PUBLISHED, 2)]
