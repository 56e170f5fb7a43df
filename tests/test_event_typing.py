"""Event typing: one or more sentences we wrote per sub-event type and per distinction."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashpoint.events.typing import TypingRules, classify_sentence
from flashpoint.model import SUB_EVENT_TYPES
from flashpoint.nlp import parse_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def rules():
    return TypingRules.load()


def top_type(text, nlp, rules):
    sent = next(iter(parse_text(text, nlp).sents))
    decisions = classify_sentence(sent, rules=rules)
    return decisions[0].sub_event_type if decisions else None


CASES = [
    ("Army troops and rebels clashed near the river town of Dorvo on Tuesday.", "Armed clash"),
    ("Militants attacked an army checkpoint outside Kelva overnight, killing two soldiers.", "Armed clash"),
    ("Government forces recaptured the town of Miran from the rebels on Sunday.", "Government regains territory"),
    ("Rebel fighters seized control of the village of Ostra after the army withdrew.", "Non-state actor overtakes territory"),
    ("Witnesses said the militia fired shells filled with chlorine gas at the district.", "Chemical weapon"),
    ("Warplanes carried out airstrikes on a market in the northern town of Lisk.", "Air/drone strike"),
    ("A suicide bomber blew himself up at a checkpoint in the capital.", "Suicide bomb"),
    ("Rockets fired from across the border slammed into the town of Pelo.", "Shelling/artillery/missile attack"),
    ("Two soldiers died when a roadside bomb exploded under their truck.", "Remote explosive/landmine/IED"),
    ("Unknown attackers hurled a grenade at a police station in Tarn.", "Grenade"),
    ("Soldiers raped at least five women during the raid on the village.", "Sexual violence"),
    ("Gunmen opened fire on a bus carrying civilians, killing four passengers.", "Attack"),
    ("Armed men kidnapped twelve villagers from their homes near Bisa.", "Abduction/forced disappearance"),
    ("Thousands of teachers marched peacefully through the capital to demand higher pay.", "Peaceful protest"),
    ("Police fired tear gas to disperse hundreds of protesters in the main square.", "Protest with intervention"),
    ("Security forces opened fire with live ammunition on peaceful demonstrators, killing three.", "Excessive force against protesters"),
    ("Protesters threw stones at police and set tyres on fire on the ring road.", "Violent demonstration"),
    ("An angry mob lynched a man accused of stealing a goat.", "Mob violence"),
    ("The two armed groups signed a ceasefire agreement in the border town on Friday.", "Agreement"),
    ("Police arrested fifteen opposition activists in the capital on Monday.", "Arrests"),
    ("Two rival rebel factions announced that they had merged into a single group.", "Change to group/activity"),
    ("Soldiers defused two explosive devices planted near the bridge.", "Disrupted weapons use"),
    ("Turkish troops set up a new military base near the town of Abri.", "Headquarters or base established"),
    ("Looters ransacked dozens of shops in the market overnight.", "Looting/property destruction"),
    ("The army withdrew from the town, handing it over to the local militia without a fight.", "Non-violent transfer of territory"),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[1] for c in CASES])
def test_sentence_gets_its_sub_event_type(text, expected, nlp, rules):
    assert top_type(text, nlp, rules) == expected


def test_every_typed_sub_event_type_is_spelled_as_the_codebook(nlp, rules):
    sent = next(iter(parse_text(CASES[0][0], nlp).sents))
    for d in classify_sentence(sent, rules=rules):
        assert SUB_EVENT_TYPES[d.sub_event_type] == d.event_type


def test_trigger_offsets_point_at_the_trigger_word(nlp, rules):
    text = "Heavy fighting broke out between the army and the rebels."
    doc = parse_text(text, nlp)
    d = classify_sentence(next(iter(doc.sents)), rules=rules)[0]
    assert text[d.trigger_start : d.trigger_end] == "fighting"
    assert "clash" in d.reason


@pytest.mark.parametrize(
    "text",
    [
        "The rebels threatened to attack the town if the army did not leave.",
        "The army did not shell the village, officials said.",
        "No clashes were reported in the district on Sunday.",
        "Militants could attack the base in the coming days.",
    ],
)
def test_negated_or_modal_triggers_yield_no_event(text, nlp, rules):
    assert top_type(text, nlp, rules) is None


@pytest.mark.parametrize(
    "text",
    [
        "A strong earthquake killed at least 40 people in the mountain villages.",
        "Three workers died when a boiler exploded at the chemical plant.",
        "Police arrested a man who robbed two banks in the city centre.",
        "The ministry announced new trade sanctions on Tuesday.",
    ],
)
def test_disasters_crime_and_diplomacy_yield_no_event(text, nlp, rules):
    assert top_type(text, nlp, rules) is None


def test_attack_on_soldiers_is_a_battle_but_on_worshippers_an_attack(nlp, rules):
    assert top_type("Gunmen attacked a military convoy near Sorra.", nlp, rules) == "Armed clash"
    assert top_type("Gunmen attacked a mosque near Sorra during prayers.", nlp, rules) == "Attack"


def test_who_takes_ground_decides_between_the_two_territory_types(nlp, rules):
    assert top_type("The army captured the town of Velo.", nlp, rules) == "Government regains territory"
    assert top_type("Insurgents captured the town of Velo.", nlp, rules) == "Non-state actor overtakes territory"


def test_capturing_a_place_is_not_an_arrest_but_capturing_a_suspect_is(nlp, rules):
    assert top_type("Police captured three suspects in the raid.", nlp, rules) == "Arrests"


def test_riot_police_alone_is_not_a_riot(nlp, rules):
    assert top_type("Riot police stood guard outside the ministry.", nlp, rules) is None


def test_battle_whose_weapons_are_listed_stays_a_battle(nlp, rules):
    text = "Local sources report that the clashes involve mortar fire, sniper fire and drone attacks."
    assert top_type(text, nlp, rules) == "Armed clash"


def test_shelling_during_clashes_is_a_shelling(nlp, rules):
    text = "Rockets were fired at the airport during clashes with the rebels on Friday."
    assert top_type(text, nlp, rules) == "Shelling/artillery/missile attack"


def _seed_sentences(nlp):
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not available")
    out = []
    for path in sorted(seeds.glob("*.txt")):
        out.extend(parse_text(path.read_text(encoding="utf-8"), nlp).sents)
    return out


@pytest.mark.parametrize(
    "needle",
    [
        "concentrated in areas such as Qalamoun and Arsal",
        "Local sources report that the clashes involve",
        "Hezbollah fighters launched multiple attempts to push into Al Qusayr",
        "Syrian forces crossed into Haweek",
        "The fighting, he said, lasted throughout the day",
    ],
)
def test_seed_fighting_sentences_are_armed_clashes(needle, nlp, rules):
    sent = next(s for s in _seed_sentences(nlp) if needle in s.text)
    decisions = classify_sentence(sent, rules=rules)
    assert decisions and decisions[0].sub_event_type == "Armed clash"
