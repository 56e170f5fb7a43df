"""Casualty counts, weapon names and certainty levels read from sentences we wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashpoint.events.casualties import Casualties, CasualtyLexicon, count_casualties
from flashpoint.events.certainty import CertaintyRules, certainty_of
from flashpoint.events.weapons import WeaponLexicon, weapons_in
from flashpoint.model import WEAPONS
from flashpoint.nlp import parse_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def lexicon():
    return WeaponLexicon.load()


@pytest.fixture(scope="session")
def casualty_lexicon():
    return CasualtyLexicon.load()


@pytest.fixture(scope="session")
def certainty_rules():
    return CertaintyRules.load()


def first_sent(text, nlp):
    return next(iter(parse_text(text, nlp).sents))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("At least six soldiers were killed and 12 others wounded in the ambush.", Casualties(6, True, 12, None)),
        ("The strike killed a child and two women in the village.", Casualties(3, True, None, None)),
        ("More than twenty people died when the bomb went off.", Casualties(20, True, None, None)),
        ("Dozens of civilians were killed in the raid.", Casualties(12, True, None, None, vague=True)),
        ("Heavy exchanges of fire continued, with both sides sustaining casualties.", Casualties(0, False, None, None)),
        ("The airstrike killed and wounded dozens of people on Monday.", Casualties(0, False, None, None)),
        ("Gunmen abducted 25 villagers near the town.", Casualties(0, True, None, 25)),
        ("The blast left seven dead.", Casualties(7, True, None, None)),
        ("Rebels shot dead three policemen at the gate.", Casualties(3, True, None, None)),
        ("Protesters marched through the city centre.", Casualties(0, True, None, None)),
    ],
)
def test_casualties_are_counted_conservatively(text, expected, nlp, casualty_lexicon):
    assert count_casualties(first_sent(text, nlp), lexicon=casualty_lexicon) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The clashes involve heavy artillery shelling, sniper fire and drone attacks.", ("sniper fire", "artillery", "drone")),
        ("They exchanged gunfire with light and medium weapons.", ("small arms",)),
        ("Mortar shells were fired at the base.", ("mortar",)),
        ("A rocket-propelled grenade hit the truck.", ("rocket",)),
        ("Police fired tear gas at the crowd.", ()),
        ("Militants used a car bomb and an improvised explosive device.", ("IED",)),
        ("The mob attacked the men with machetes and set their houses on fire.", ("arson", "melee")),
        ("Tanks and warplanes pounded the district.", ("air strike", "armoured vehicle")),
    ],
)
def test_weapons_are_canonical_names_in_codebook_order(text, expected, nlp, lexicon):
    found = weapons_in(first_sent(text, nlp), lexicon=lexicon)
    assert found == expected
    assert all(w in WEAPONS for w in found)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Local sources report that the clashes involve heavy shelling.", "reported"),
        ("Reports indicate heavy exchanges of fire near the border.", "reported"),
        ("A field source told the agency that the militants were repelled.", "reported"),
        ("Unconfirmed reports indicate that the army captured twenty fighters.", "unconfirmed"),
        ("The rebels claimed that they had shot down a helicopter.", "unconfirmed"),
        ("The army said in a statement that it had retaken the town.", "confirmed"),
        ("Government troops retook the town on Friday.", "confirmed"),
        ("The fighting, he said, lasted throughout the day.", "reported"),
    ],
)
def test_certainty_follows_attribution(text, expected, nlp, certainty_rules):
    assert certainty_of(first_sent(text, nlp), rules=certainty_rules) == expected


def test_claim_of_responsibility_is_not_an_unconfirmed_report(nlp, certainty_rules):
    sent = first_sent("Officials said the group claimed responsibility for the attack.", nlp)
    assert certainty_of(sent, rules=certainty_rules) == "confirmed"


def test_sentence_without_attribution_takes_its_contexts_certainty(nlp, certainty_rules):
    sent = first_sent("Troops crossed into the town, where intense combat followed.", nlp)
    assert certainty_of(sent, rules=certainty_rules) == "confirmed"
    context = "A field source told reporters that the militants were pushed back."
    assert certainty_of(sent, rules=certainty_rules, context=context) == "reported"


def test_seed_sentences_give_the_expected_weapons_and_certainty(nlp, lexicon, certainty_rules, casualty_lexicon):
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not available")
    sents = []
    for path in sorted(seeds.glob("*.txt")):
        sents.extend(parse_text(path.read_text(encoding="utf-8"), nlp).sents)

    def find(needle):
        return next(s for s in sents if needle in s.text)

    qalamoun = find("Local sources report that the clashes involve")
    assert {"artillery", "sniper fire", "drone"} <= set(weapons_in(qalamoun, lexicon=lexicon))
    assert certainty_of(qalamoun, rules=certainty_rules) == "reported"
    assert "small arms" in weapons_in(find("light and medium weapons"), lexicon=lexicon)
    assert "mortar" in weapons_in(find("Mortar shells were also deployed"), lexicon=lexicon)
    assert count_casualties(find("both sides sustaining casualties"), lexicon=casualty_lexicon).fatalities_known is False
    assert certainty_of(find("Reports indicate heavy exchanges"), rules=certainty_rules) == "reported"
    assert certainty_of(find("A field source told"), rules=certainty_rules) == "reported"
    assert certainty_of(find("unconfirmed reports indicate"), rules=certainty_rules) == "unconfirmed"
