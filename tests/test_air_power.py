"""Whose air strike it is when no sentence says (issue #15; actors.toml [[air_power]]): only
states fly over these wars, and in each one side does nearly all the striking. Reports written
for these tests; what is asserted is the event's actor1 as `flashpoint extract` prints it."""

from __future__ import annotations

import datetime as dt

from .conftest import extract_events


def _strikes(events):
    return [e for e in events if e.sub_event_type == "Air/drone strike"]


def test_an_unattributed_strike_on_a_syrian_rebel_town_is_the_syrian_militarys(pipeline):
    events = extract_events(pipeline, "At least 10 civilians including five children were killed in air strikes on "
                                      "Friday on the rebel-held town of Atarib in Aleppo province, a monitor said.",
                            published=dt.date(2016, 7, 30))
    assert [(e.actor1, e.actor2) for e in _strikes(events)] == [
        ("Military Forces of Syria (2000-2024)", "Civilians (Syria)")]


def test_after_the_fall_of_assad_an_unattributed_strike_in_syria_is_unidentified(pipeline):
    events = extract_events(pipeline, "At least 10 civilians including five children were killed in air strikes on "
                                      "Friday on the town of Atarib in Aleppo province, a monitor said.",
                            published=dt.date(2025, 3, 1))
    assert [e.actor1 for e in _strikes(events)] == ["Unidentified Armed Group (Syria)"]


def test_a_strike_on_the_air_powers_own_forces_is_someone_elses(pipeline):
    events = extract_events(pipeline, "Air strikes hit Syrian army positions near the town of Kisweh south of "
                                      "Damascus on Monday, killing four soldiers, state media said.",
                            published=dt.date(2018, 5, 8))
    assert [e.actor1 for e in _strikes(events)] == ["Unidentified Armed Group (Syria)"]


def test_an_unattributed_drone_strike_in_ukraine_is_russias(pipeline):
    events = extract_events(pipeline, "A drone strike hit an apartment building in Odesa overnight, killing three "
                                      "civilians, regional officials in Ukraine said on Tuesday.",
                            published=dt.date(2025, 3, 11))
    assert [e.actor1 for e in _strikes(events)] == ["Military Forces of Russia (2000-)"]


def test_a_named_initiator_is_kept(pipeline):
    events = extract_events(pipeline, "US-led coalition aircraft carried out air strikes on Islamic State positions "
                                      "near Raqqa on Monday, killing 12 militants, the monitor said.",
                            published=dt.date(2017, 6, 6))
    assert [e.actor1 for e in _strikes(events)] == ["Military Forces of the United States (2017-2021)"]
