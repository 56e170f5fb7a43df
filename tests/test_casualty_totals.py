"""Tolls an analyst can count on: a sentence's count is one event's deaths, never a total over a
period or a war; vague quantities follow ACLED's convention (codebook `fatalities`); absurd
numbers are not believed; numbers go with the right noun. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from flashpoint.events.casualties import Casualties, CasualtyLexicon, count_casualties
from flashpoint.model import Article
from flashpoint.nlp import parse_text

PUBLISHED = dt.date(2025, 3, 14)


@pytest.fixture(scope="module")
def lexicon():
    return CasualtyLexicon.load()


def read(text, nlp, lexicon):
    return count_casualties(next(iter(parse_text(text, nlp).sents)), lexicon=lexicon)


@pytest.mark.parametrize(
    "text",
    [
        "More than 250,000 people have been killed in Yemen since the conflict began in 2014.",
        "At least 4,200 people have been killed in the fighting since the war started in 2015.",
        "Deaths in such raids rose from 40 in 2022 to 210 in 2023.",
        "Since Oct. 3 when the truce collapsed at least 150 civilians have been killed in the city.",
        "The bombing campaign has claimed hundreds of lives.",
        "The air strikes have claimed hundreds of lives.",
        "The insurgency has killed 7,000 people.",
        "Sixty people have died this year in the province.",
        "The death toll from the conflict has risen to 900.",
        "Gunmen have killed 45 villagers over the past six months.",
        "In the last three weeks militants killed 80 soldiers in the region.",
        "The army says it repelled nine assaults in the last 12 days, killing 2,200 fighters.",
        "Talks failed to end a conflict in which 300,000 people have been killed.",
        "The death toll in the last six days of rioting in the state now stands at 540.",
        "At least 135 civilians have been killed in air strikes and barrel bomb attacks.",
        "Over 500 civilians were killed in one week of bombing.",
        "Last year over 600 farmers were murdered in more than 40 massacres.",
        "Nine days after the rioting broke out in the state, the death toll stands at 667.",
        "An NGO has put the death toll from the six-year conflict at more than 470,000.",
        "Officials said the toll after five days of violence in the state now stood at 427.",
        "The city was calm after riots that have left more than 200 people dead.",
        "At least 310 people have also been killed in clashes in the province over the last 15 days.",
        "Air strikes killed 280 people in the province during the past week, the monitor said.",
        "Infighting among the rebel factions in less than one month has killed over 200 fighters.",
        "The country saw a surge in violence in May when at least 190 people were killed, officials said.",
        "Militants seized the base on Sunday after days of fighting that cost more than 400 lives.",
        # many incidents as the clause's object, and a past few days' bombing
        "Drug lords have set off more than 260 bombs, killing at least 190 people, in retaliation.",
        "At least 72 civilians were killed in the bombing of the province over the past few days.",
    ],
)
def test_a_total_over_a_period_or_a_war_is_no_events_toll(text, nlp, lexicon):
    counted = read(text, nlp, lexicon)
    assert (counted.fatalities, counted.fatalities_known, counted.period_total) == (0, True, True)


@pytest.mark.parametrize(
    "text,deaths",
    [
        ("Since Thursday air strikes have killed 44 civilians in the town.", 44),
        ("Earlier this month, a roadside bomb killed three soldiers in Kalat.", 3),
        ("Last month, insurgents ambushed a bus and killed 18 of those on board.", 18),
        ("A total of 14 militants were killed in the raid on Tuesday.", 14),
        ("On Jan. 25 rebels fired rockets at the capital in the heaviest attack in over a year, "
         "killing seven people.", 7),
        ("Five people were killed in the deadliest attack on the city since 2019.", 5),
        ("It said three people had died since being brought to the hospital.", 3),
        ("The raid came one week after a suicide bomber killed 29 fighters at the crossing.", 29),
        ("Two more people died, bringing the toll from Tuesday's blast to 30.", 30),
        ("In the town 15 civilians were killed in four air strikes on Monday.", 15),
        ("An air strike killed 12 people last week in the town, residents said.", 12),
        ("A car bomb killed 20 people on June 5 when it exploded in the market.", 20),
        ("At least 40 people were killed in the past two days of fighting in the city.", 40),
        ("At least 900 people have been killed in a nerve gas attack on the region, the opposition said.", 900),
    ],
)
def test_a_single_events_toll_is_kept_beside_time_words(text, deaths, nlp, lexicon):
    counted = read(text, nlp, lexicon)
    assert (counted.fatalities, counted.fatalities_known, counted.period_total) == (deaths, True, False)


@pytest.mark.parametrize(
    "text,place",
    [
        ("Houthi fighters attacked army positions in Marib on Tuesday. The army said it had repelled nine "
         "Houthi assaults on Marib in the last 10 days, killing over 2,200 fighters.", "Marib"),
        ("Russian jets bombed Aleppo on Saturday. Since Sept. 19 at least 359 civilians have been killed "
         "by Russian air strikes on Aleppo.", "Aleppo"),
    ],
)
def test_an_event_is_not_given_a_period_total_told_beside_it(text, place, pipeline):
    (result,) = list(pipeline.run([Article(id="t1", text=text, origin="test", published=PUBLISHED)]))
    events = [e for e in result.events if e.location == place]
    assert events
    assert all(e.fatalities == 0 and e.fatalities_known for e in events)


@pytest.mark.parametrize(
    "text,deaths,vague",
    [
        ("Several soldiers were killed in the ambush.", 10, True),
        ("Many villagers died in the attack.", 10, True),
        ("Dozens of people were killed in the raid.", 12, True),
        ("Hundreds of civilians were killed in the bombardment.", 100, True),
        ("A few guards were killed at the gate.", 3, True),
        ("Scores of fighters were killed in the assault.", 20, True),
        ("Tens of militants were killed in the strikes.", 10, True),
        ("The army killed a number of insurgents near the border.", 10, True),
        ("Thousands of people were killed in the massacre.", 1000, True),
        ("As many as 30 people were killed in the blast.", 30, False),
        ("Some 40 people were killed in the blast.", 40, False),
    ],
)
def test_vague_quantities_follow_acleds_convention(text, deaths, vague, nlp, lexicon):
    # a vague quantity says it is one, so that a figure told later for the event can replace it
    assert read(text, nlp, lexicon) == Casualties(deaths, True, None, None, vague=vague)


@pytest.mark.parametrize(
    "text",
    [
        "The army killed 99999999999999999999999 civilians.",
        "The blast killed 25,000 people in the market.",
        "Rebels killed " + "9" * 5000 + " soldiers.",
    ],
)
def test_an_absurd_toll_is_not_taken(text, nlp, lexicon):
    counted = read(text, nlp, lexicon)
    assert (counted.fatalities, counted.fatalities_known) == (0, False)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The blast killed at least 36 people including children.", Casualties(36, True, None, None)),
        # one casualty word: its coordinated victims add up (one incident as written)
        ("Soldiers killed 14 militants and five civilians in the raid.", Casualties(19, True, None, None)),
        ("Posted September 24 2016 Ninety-two civilians were killed in the raids.", Casualties(92, True, None, None)),
        ("On Friday 86 people were killed by air strikes.", Casualties(86, True, None, None)),
        ("Gunmen stormed a hotel on Tuesday, leaving at least five people dead.", Casualties(5, True, None, None)),
        ("Rebel attacks leave child and woman dead in the city.", Casualties(2, True, None, None)),
        ("At least 128 troops and militia were killed on Thursday.", Casualties(128, True, None, None)),
        # the dead are the subject of the verb of saying
        ("Later two more people were reported killed and 22 others were injured in a similar rocket attack.",
         Casualties(2, True, 22, None)),
        # a title-case headline is passive, and its number before "Injured" counts the hurt
        ("04-06-2016 40 Civilians Killed 100 Injured in New Terrorist Rocket Attacks in Aleppo.",
         Casualties(40, True, 100, None)),
    ],
)
def test_numbers_go_with_the_people_killed(text, expected, nlp, lexicon):
    assert read(text, nlp, lexicon) == expected


def test_a_number_of_people_saved_is_not_a_toll(nlp, lexicon):
    counted = read("Troops freed 190 hostages and killed 30 gunmen.", nlp, lexicon)
    assert (counted.fatalities, counted.fatalities_known) == (30, True)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("49 fighters were killed and wounded in the clashes.", Casualties(0, False, None, None)),
        ("The army killed or wounded 30 militants.", Casualties(0, False, None, None)),
        ("Four people were killed and 20 wounded on Monday.", Casualties(4, True, 20, None)),
    ],
)
def test_killed_and_wounded_together_are_deaths_without_a_number(text, expected, nlp, lexicon):
    assert read(text, nlp, lexicon) == expected


def test_a_period_total_beside_an_events_toll_leaves_the_toll(nlp, lexicon):
    counted = read("Five soldiers were killed in the ambush and 300 civilians have died in the province since 2011.",
                   nlp, lexicon)
    assert (counted.fatalities, counted.fatalities_known, counted.period_total) == (5, True, True)


def test_a_running_toll_beside_a_fresh_one_gives_the_fresh_one(nlp, lexicon):
    counted = read("At least 24 people were killed in fresh attacks near the town, taking the toll to 561.",
                   nlp, lexicon)
    assert (counted.fatalities, counted.fatalities_known, counted.period_total) == (24, True, True)


@pytest.mark.parametrize("text", [
    "Rebel infighting near the capital kills more than 200 fighters. Clashes among the rebel factions near "
    "the capital in less than one month have killed over 200 fighters, a monitor said on Friday.",
    # the body's sentence reports no event of its own, only the total
    "Riots rocked the state capital on Friday, leaving more than 200 people dead. Officials said more "
    "than 200 people had died over three days.",
])
def test_a_headline_figure_the_body_gives_as_a_period_total_is_no_events_toll(text, pipeline):
    (result,) = pipeline.run([Article(id="t1", origin="test", published=PUBLISHED, text=text)])
    assert result.events and all(e.fatalities != 200 for e in result.events)


@pytest.mark.parametrize("text, kept", [
    # PUBLISHED is a Friday: since Monday is four days of fighting, since Thursday one event's
    ("Militants captured the air base on Friday after a week of clashes. At least 120 militants were killed "
     "since Monday in the fighting for the base, the monitor said.", False),
    ("Militants captured the air base on Friday after a week of clashes. At least 120 militants were killed "
     "since Thursday in the fighting for the base, the monitor said.", True),
    # a period phrase of a coordinated death clause covers both counts
    ("Militants captured the air base on Friday. At least 120 militants were killed and more than 60 soldiers "
     "had died since Monday in the fighting for the base, the monitor said.", False),
    # a record, not a period: the clause names its own day
    ("A car bomb killed 120 people on Thursday in Aleppo, the deadliest attack on the city since March 3.", True),
    # "since" parsed as a bare subordinator in front of the clause
    ("Air strikes killed seven people in Khan Sheikhun on Friday, the monitor said. Since Monday bombardment has "
     "killed 120 civilians including 11 women in the province.", False),
])
def test_a_count_since_a_day_several_days_back_is_a_total(text, kept, pipeline):
    (result,) = pipeline.run([Article(id="t1", origin="test", published=PUBLISHED, text=text)])
    assert result.events
    assert any(e.fatalities == 120 for e in result.events) == kept
