"""Actor normalisation and roles, on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from flashpoint.actor_roles import AGENT, PATIENT, role_of
from flashpoint.actors import ActorDictionary


@pytest.fixture(scope="module")
def actors():
    return ActorDictionary.load()


def names(actors, text, *, on=None, country=None):
    return [
        a.name if a else None
        for a in (actors.resolve(m, on=on, country=country, context=text) for m in actors.find(text))
    ]


def test_spellings_and_descriptions_normalise_to_one_actor(actors):
    text = ("Hizbollah fighters withdrew. The Iran-backed group said later that "
            "Hezbollah elements had regrouped.")
    assert names(actors, text) == ["Hezbollah", "Hezbollah", "Hezbollah"]


def test_syrian_army_is_a_different_actor_before_and_after_december_2024(actors):
    text = "The Syrian army shelled the village."
    assert names(actors, text, on=dt.date(2024, 6, 1)) == ["Military Forces of Syria (2000-2024)"]
    assert names(actors, text, on=dt.date(2025, 2, 6)) == ["Military Forces of Syria (2024-)"]
    # The collapse day itself belongs to the new period.
    assert names(actors, text, on=dt.date(2024, 12, 8)) == ["Military Forces of Syria (2024-)"]


def test_without_a_date_a_cue_word_picks_the_period(actors):
    text = "Regime forces loyal to Assad advanced; the Syrian army lost two tanks."
    assert names(actors, text)[-1] == "Military Forces of Syria (2000-2024)"


def test_demonym_templates_name_unidentified_groups_protesters_and_civilians(actors):
    assert names(actors, "Syrian armed groups attacked the post.") == ["Unidentified Armed Group (Syria)"]
    assert names(actors, "Yemeni protesters blocked the road.") == ["Protesters (Yemen)"]
    # Without a demonym, the country comes from the event's place.
    assert names(actors, "Gunmen opened fire on villagers.", country="Mali") == [
        "Unidentified Armed Group (Mali)",
        "Civilians (Mali)",
    ]


def test_longest_alias_wins(actors):
    found = actors.find("The Iran-backed Lebanese militant group denied it.")
    assert [m.surface for m in found] == ["Iran-backed Lebanese militant group"]


def test_reporters_are_not_actors(actors):
    assert names(actors, "A field source told the Daily Courier that the road was closed.") == []


def test_agent_of_a_passive_is_the_initiator(nlp):
    text = "Hezbollah fighters tried to enter the town but were met with heavy resistance from the Syrian Army."
    sent = next(nlp(text).sents)
    start = text.index("Syrian Army")
    assert role_of(sent, start, start + len("Syrian Army")) == AGENT
    assert role_of(sent, 0, len("Hezbollah fighters")) == AGENT


def test_object_of_an_attack_is_the_target(nlp):
    text = "Government troops attacked rebel positions overnight."
    sent = next(nlp(text).sents)
    start = text.index("rebel positions")
    assert role_of(sent, start, start + len("rebel positions")) == PATIENT
