"""Who did what to whom, read from whole reports written for these tests (issue P2, item 3)."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from flashpoint.actors import ActorDictionary

from .conftest import extract_events

PUBLISHED = dt.date(2025, 3, 14)  # a Friday


@pytest.fixture(scope="module")
def extract(pipeline):
    return partial(extract_events, pipeline, published=PUBLISHED, article_id="a1")


@pytest.fixture(scope="module")
def actors():
    return ActorDictionary.load()


def pair(event):
    return (event.actor1, event.actor2)


def test_agent_of_a_passive_is_actor1_and_the_subject_is_actor2(extract):
    (event,) = extract("Hezbollah fighters were ambushed by the Syrian army near Al Qusayr on Thursday.")
    assert pair(event) == ("Military Forces of Syria (2024-)", "Hezbollah")
    assert (event.inter1, event.inter2) == ("State forces", "Political militia")


def test_description_of_a_group_is_the_group(extract):
    (event,) = extract(
        "The Iran-backed Lebanese militant group attacked Israeli troops near Kfar Kila on Wednesday."
    )
    assert pair(event) == ("Hezbollah", "Military Forces of Israel (2022-)")


def test_definite_description_refers_back_to_the_group_named_before(extract):
    events = extract(
        "Houthi leaders met in Sanaa on Monday to discuss the truce.\n"
        "On Thursday the group fired missiles at Yemeni government forces in Marib."
    )
    attack = next(e for e in events if e.location == "Marib")
    assert attack.actor1 == "Ansar Allah"
    assert attack.actor2 == "Military Forces of Yemen (2022-)"


def test_generic_noun_after_a_name_belongs_to_the_named_actor(extract):
    (event,) = extract("Shining Path guerrillas attacked a police post in Ayacucho on Thursday.")
    assert event.actor1 == "Shining Path"


def test_generic_words_take_the_country_of_the_place(extract):
    (event,) = extract("Gunmen attacked villagers in Gao, Mali, on Thursday, killing four.")
    assert pair(event) == ("Unidentified Armed Group (Mali)", "Civilians (Mali)")
    assert (event.inter1, event.inter2) == ("Political militia", "Civilians")
    (event,) = extract("Protesters marched through Basra on Thursday to demand electricity.")
    assert event.actor1 == "Protesters (Iraq)"
    assert event.inter1 == "Protesters"


def test_government_forces_are_the_forces_of_the_country_where_they_fight(extract):
    (event,) = extract("Government forces clashed with Houthi rebels in Marib on Thursday.")
    assert set(pair(event)) == {"Military Forces of Yemen (2022-)", "Ansar Allah"}


def test_pronoun_subject_continues_the_actors_of_the_previous_sentence(extract):
    events = extract(
        "Syrian army units clashed with Hezbollah fighters in Al Qusayr on Thursday. "
        "They also shelled Hezbollah positions near Hermel the same day."
    )
    hermel = next(e for e in events if e.location != "Al Qusayr")
    assert set(pair(hermel)) == {"Military Forces of Syria (2024-)", "Hezbollah"}


@pytest.mark.parametrize(
    "text",
    [
        "Hezbollah fighters clashed with Syrian troops in Al Qusayr on Thursday, a Syrian official told The Daily Courier.",
        "Hezbollah fighters clashed with Syrian troops in Al Qusayr on Thursday, SANA reported.",
        "According to residents, Hezbollah fighters clashed with Syrian troops in Al Qusayr on Thursday.",
    ],
)
def test_sources_and_reporters_are_never_actors(extract, text):
    events = extract(text)
    assert events
    # (Each event: the place is another stage's concern; the parties must be the fighters.)
    assert all(set(pair(e)) == {"Military Forces of Syria (2024-)", "Hezbollah"} for e in events)


def test_state_forces_are_named_by_the_period_of_the_event(actors):
    def one(text, day, country=None):
        (match,) = actors.find(text)
        return actors.resolve(match, on=day, country=country, context=text).name

    assert one("The Iraqi army", dt.date(2016, 10, 17)) == "Military Forces of Iraq (2014-2022)"
    assert one("The Iraqi army", dt.date(2023, 5, 1)) == "Military Forces of Iraq (2022-)"
    assert one("U.S. forces", dt.date(2019, 3, 1)) == "Military Forces of the United States (2017-2021)"
    assert one("U.S. forces", dt.date(2025, 3, 1)) == "Military Forces of the United States (2025-)"
    assert one("The army", dt.date(1989, 11, 16), "El Salvador") == "Military Forces of El Salvador (1989-1994)"
    # No dated entry for the day: the undated name, never a wrong period.
    assert one("The army", dt.date(1995, 1, 1), "El Salvador") == "Military Forces of El Salvador"


def test_a_shared_alias_is_resolved_by_the_country_of_the_event(actors):
    (match,) = actors.find("Islamic State fighters")
    assert actors.resolve(match, on=dt.date(2016, 1, 1), country="Iraq", context="").name == "Islamic State (Iraq)"
    assert actors.resolve(match, on=dt.date(2016, 1, 1), country="Syria", context="").name == "Islamic State (Syria)"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("TERRORISTS OF THE FARABUNDO MARTI NATIONAL LIBERATION FRONT [FMLN] ATTACKED",
         "FMLN: Farabundo Marti National Liberation Front"),
        ("ELN [ARMY OF NATIONAL LIBERATION] GUERRILLAS BLEW UP THE PIPELINE", "ELN: National Liberation Army"),
        ("MEMBERS OF THE MAOIST SENDERO LUMINOSO SET FIRE TO THE TOWN HALL", "Shining Path"),
        ("THE M-19 RELEASED THE HOSTAGE", "M-19: 19th of April Movement"),
    ],
)
def test_upper_case_wire_text_names_latin_american_groups(actors, text, expected):
    found = [actors.resolve(m, on=dt.date(1989, 11, 1), country="Colombia", context=text) for m in actors.find(text)]
    assert expected in [a.name for a in found if a]


def test_short_aliases_do_not_match_ordinary_words_in_upper_case_text(actors):
    assert actors.find("THE TOWN IS FAR FROM THE BORDER, HE SAID.") == []
