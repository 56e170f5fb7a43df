"""The codebook's typing distinctions, each with sentences written for these tests."""

from __future__ import annotations

import pytest

from flashpoint.events.background import BackgroundRules, background_reason
from flashpoint.events.typing import TypingRules, classify_sentence, event_clauses
from flashpoint.nlp import parse_text


@pytest.fixture(scope="module")
def rules():
    return TypingRules.load()


def first_sentence(text, nlp):
    return next(iter(parse_text(text, nlp).sents))


def top_type(text, nlp, rules):
    decisions = classify_sentence(first_sentence(text, nlp), rules=rules)
    return decisions[0].sub_event_type if decisions else None


@pytest.mark.parametrize(
    "text, expected",
    [
        # who holds the ground afterwards
        ("Army units drove back the insurgents from the hill villages east of Moro.", "Government regains territory"),
        ("Government troops occupied three hilltop posts of the separatist army on Monday.", "Government regains territory"),
        ("Rebels briefly seized control of the market town before soldiers returned.", "Armed clash"),
        ("Insurgents overran the district centre and raised their flag over it.", "Non-state actor overtakes territory"),
        # a foreign army leaving a whole country changes its activity; it hands over no territory
        ("Foreign troops completed their withdrawal from the country on Monday.", "Change to group/activity"),
        # the weapon decides among explosions; an aircraft that crashed is no strike
        ("Fighter jets bombed an ammunition depot outside the port city.", "Air/drone strike"),
        ("The air force bombed rebel supply lines near the river.", "Air/drone strike"),
        ("Mortar rounds landed on the outskirts of the garrison town.", "Shelling/artillery/missile attack"),
        # a bombing from the air is an air strike, a bombing on the ground an explosive
        ("Government jets carried out a bombing raid on the rebel-held town.", "Air/drone strike"),
        ("The bombing of the bridge by coalition aircraft cut the road to the port.", "Air/drone strike"),
        ("A bombing at a bus station killed six people on Monday.", "Remote explosive/landmine/IED"),
        # a charge set off or a pylon blown up by an armed group is an explosion
        ("Guerrillas set off a bomb outside a bank in the town on Friday.", "Remote explosive/landmine/IED"),
        ("GUERRILLAS SET OFF A BOMB OUTSIDE A BANK IN THE TOWN YESTERDAY.", "Remote explosive/landmine/IED"),
        ("Rebels dynamited two electricity pylons near the town on Sunday.", "Remote explosive/landmine/IED"),
        ("Insurgents blew up a gas pipeline near the city on Monday.", "Remote explosive/landmine/IED"),
        # fire from a gun at people, at armed men, or from the air
        ("The rebels machinegunned a bus near the town on Sunday, wounding four passengers.", "Attack"),
        ("The army machinegunned rebel positions near the river on Monday.", "Armed clash"),
        ("Jets strafed a convoy of rebel trucks near the town on Monday.", "Air/drone strike"),
        ("Gunmen burned two buses and a truck on the highway on Monday.", "Looting/property destruction"),
        ("A helicopter dropped barrel bombs filled with chlorine on the farmland.", "Chemical weapon"),
        ("A gathering of police recruits was attacked with a hand grenade.", "Grenade"),
        ("The convoy was hit by a mine buried under the dirt road.", "Remote explosive/landmine/IED"),
        ("Heavy losses were inflicted on the militants in raids by army helicopters.", "Air/drone strike"),
        # attack on civilians vs battle: are the victims armed?
        ("Seven soldiers were killed in militant attacks on two outposts.", "Armed clash"),
        ("Gunmen attacked worshippers leaving a village church, killing six.", "Attack"),
        # protests: the force used decides; a protest's grievance is not what happened there
        ("Soldiers opened fire on demonstrators outside the governor's office.", "Excessive force against protesters"),
        ("Riot police broke up the sit-in of nurses with water cannon.", "Protest with intervention"),
        ("Hundreds of doctors marched to protest against police brutality.", "Peaceful protest"),
        ("Mourners rallied to remember students shot dead by police last year.", "Peaceful protest"),
        # property
        ("Rioters looted shops in the town centre overnight.", "Violent demonstration"),
        ("Unknown men looted shops in the town centre overnight.", "Looting/property destruction"),
        ("Attacks on company property in the delta have cost millions in damage.", "Looting/property destruction"),
        # ground changing hands without a fight
        ("Government forces withdrew from the town of Sefa on Tuesday.", "Non-violent transfer of territory"),
        ("The foreign contingent withdrew from its base near the border.", "Change to group/activity"),
        # a nation's forces are state forces; Kurdish or tribal forces are not
        ("Afghan troops recaptured the district centre late on Monday.", "Government regains territory"),
        ("The border town was recaptured on Sunday after a week of fighting, the army said.", "Government regains territory"),
        ("Kurdish forces captured the village after days of clashes with the militants.", "Non-state actor overtakes territory"),
        # what police do to a crowd, and what a crowd does
        ("Police baton-charged demonstrators outside the assembly.", "Protest with intervention"),
        ("Protesters hurled stones at police and set a patrol car on fire.", "Violent demonstration"),
        # a rally hit by shells is remote violence, typed by its weapon
        ("Rebels shelled an election rally in the city, killing 21 people.", "Shelling/artillery/missile attack"),
        # people carried off are abducted
        ("Militiamen carried off two aid workers from a camp near the town.", "Abduction/forced disappearance"),
        ("Gunmen snatched three students from their dormitory on Sunday.", "Abduction/forced disappearance"),
        # carrying property off is looting
        ("Gunmen made away with cattle and set fire to granaries in the village.", "Looting/property destruction"),
        # changes of a group's conduct; curfews
        ("The armed group appointed a new commander after its leader was killed.", "Change to group/activity"),
        ("The army massed troops and tanks along the border.", "Change to group/activity"),
        ("The authorities imposed a curfew on the city after the clashes.", "Change to group/activity"),
        # the codebook's "Other": graves found, weapons tested
        ("Residents found a mass grave containing the bodies of 40 men near the town.", "Other"),
        ("The regime test-fired two short-range ballistic missiles into the sea on Friday.", "Other"),
    ],
)
def test_codebook_distinction(text, expected, nlp, rules):
    assert top_type(text, nlp, rules) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A passenger aircraft crashed near the airport, killing twelve people.",
        "Crews battled the fire at the chemical plant through the night.",
        "Hospitals are fighting a surge of coronavirus infections in the capital.",
        "We must not allow refugees to be attacked, the bishop told reporters.",
        "Engineers inspected the armoured fighting vehicles at the depot.",
        # a test named as the reason for sanctions; ground the army only tries to take back
        "The Security Council imposed new sanctions over the country's latest nuclear test.",
        "Government forces are struggling to recapture the towns lost to the rebels.",
        # a gun carried is no attack; a fire that damages buses is no one's act
        "Two men armed with a machine gun robbed a bank on Monday.",
        "The fire damaged two buses at the depot on Monday.",
        # engineers demolishing a tower are no armed group
        "Engineers blew up the old cooling tower at the power plant on Sunday.",
        # things carried off by a flood or snatched by a thief are not people taken
        "The floods carried off several houses in the valley on Monday.",
        "Thieves snatched a phone from a tourist in the market.",
        # "demonstrate" with an object shows something; it is not a protest
        "The rebels are demonstrating more desperation as their supply lines shrink.",
        # coffins sent to a station are no force deployed; the upper hand over a foe hands
        # nothing over
        "Authorities dispatched coffins from the railway station on Wednesday afternoon.",
        "The army says it has the upper hand over the insurgents in the northeast.",
        # a halt is no strike, whether the strike or the aircraft stopped; a vote is no bombing
        "The air forces had stopped bombing the city to make way for an eight-hour truce.",
        "Warplanes halted airstrikes on the eastern districts for a 48-hour humanitarian pause.",
        "The opposition party voted against bombing the militants' strongholds.",
        # a campaign "to retake" a town says what the army wants, not that it took it
        "The army stepped up its campaign to retake the last rebel stronghold near the capital.",
        # a state of emergency over wildfires is no conflict measure
        "Hot winds fanned dozens of forest fires near the coast. The governor declared a state of emergency on Friday.",
        # a war fought is no event
        "The separatist group has been fighting a deadly insurgency against the state for two decades.",
    ],
)
def test_text_that_reports_no_event_gets_no_type(text, nlp, rules):
    assert top_type(text, nlp, rules) is None


def test_a_missile_base_is_no_missile_attack(nlp, rules):
    sent = first_sentence("Engineers expanded the missile base north of the capital.", nlp)
    assert "Shelling/artillery/missile attack" not in [d.sub_event_type for d in classify_sentence(sent, rules=rules)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("An air strike killed five people, and clashes followed in the town.", ["Air/drone strike", "Armed clash"]),
        ("Police arrested ten activists in the capital, and rebels shelled the airport.",
         ["Arrests", "Shelling/artillery/missile attack"]),
        # one event: the killing is how the attack went, the shelling part of the battle
        ("Militants attacked an army checkpoint, killing two soldiers.", ["Armed clash"]),
        ("The clashes involved heavy shelling and machine-gun fire.", ["Armed clash"]),
    ],
)
def test_one_decision_per_distinct_event_clause(text, expected, nlp, rules):
    decisions = event_clauses(first_sentence(text, nlp), rules=rules)
    assert sorted(d.sub_event_type for d in decisions) == sorted(expected)


def test_rockets_slamming_into_a_town_are_news_not_a_statement(nlp):
    sent = first_sentence("Four rockets slammed into the border town on Monday, killing seven.", nlp)
    assert background_reason(sent, rules=BackgroundRules.load()) is None


def test_slamming_a_decision_is_a_statement(nlp):
    sent = first_sentence("The opposition slammed the government over the raid on its offices.", nlp)
    assert background_reason(sent, rules=BackgroundRules.load()) is not None


@pytest.mark.parametrize(
    "text, expected",
    [
        # chemical weapons take precedence: shells said to carry gas anywhere in the report
        ("Rebels fired shells into the market district on Monday. Doctors said the shells carried chlorine gas.",
         "Chemical weapon"),
        # the weapon named in a short report decides the type of its "attack"
        ("Two police posts were attacked overnight in the south. The attackers used hand grenades, officials said.",
         "Grenade"),
        # state forces killing and wounding fighters: the object is shared by both verbs
        ("The army killed and wounded dozens of insurgents near the dam.", "Armed clash"),
        # taking all of an area, the agent being the subject of the main verb
        ("Government troops won a decisive victory by controlling the whole valley district on Sunday.",
         "Government regains territory"),
        # demonstrators "calling for" something: the call does not govern the police's acts
        ("Riot police fire tear gas and arrest peaceful demonstrators calling for new elections.",
         "Protest with intervention"),
        # "in protest crackdowns" is what happened, not the topic of a protest
        ("Two students died in protest crackdowns across the country.", "Excessive force against protesters"),
        # "non-violent" is not "violent"
        ("Thousands of non-violent demonstrators marched through the capital.", "Peaceful protest"),
        # ACLED: blocking roads is a violent demonstration
        ("Protesters shut down roads in the port city on Sunday.", "Violent demonstration"),
        ("Demonstrators blocked the main road into the capital for six hours.", "Violent demonstration"),
        # property destroyed in an attack: no weapon was put out of use
        ("Several homes were looted, set on fire and destroyed in an attack on the village.",
         "Looting/property destruction"),
        # an armed group's own device going off by accident
        ("Militants accidentally detonated their own explosives at a hideout.", "Disrupted weapons use"),
        # a person captured or intercepted by state forces, wherever it happened, is an arrest
        ("Soldiers captured a senior rebel commander in Garissa on Friday.", "Arrests"),
        ("Security forces intercepted ten suspected members of an armed group planning attacks on embassies.",
         "Arrests"),
        ("Rights groups condemned the house arrest of the opposition leader.", "Arrests"),
        # leaving a post or base is a change of activity, even near a town
        ("The troops pulled out of their observation post near the border town.", "Change to group/activity"),
        # the men of a named armed group killed by another armed side: a battle
        ("The Kurdish-led forces killed 23 Daesh members near the dam on Friday.", "Armed clash"),
        # a chemical attack named beside a missile strike is another event, not its weapon
        ("US cruise missiles struck an air base near Homs on Friday. The base was used to launch last "
         "week's chemical attack, officials said.", "Shelling/artillery/missile attack"),
        ("Survivors of what activists say was a gas attack rested inside a mosque on Wednesday.",
         "Chemical weapon"),
        # a protest's purpose clause names the protest, which took place
        ("Students gathered outside the ministry to demonstrate against the new law.", "Peaceful protest"),
        # the bomber rode with the bomb
        ("A motorcycle bomber killed at least nine people outside a bakery on Tuesday.", "Suicide bomb"),
        # bombs only aircraft drop
        ("The district was hit by a vacuum bomb on Monday, leaving five people dead.", "Air/drone strike"),
        # a page flattened to one line is one paragraph: its chlorine attack, three sentences
        # away, does not make this report's shelling chemical
        ("Rebels shelled the western districts on Sunday, killing two. The council met on Monday. "
         "Aid arrived on Tuesday. Donors pledged more money. Last year chlorine gas was used in the north.",
         "Shelling/artillery/missile attack"),
    ],
)
def test_general_typing_gaps(text, expected, nlp, rules):
    assert top_type(text, nlp, rules) == expected


def test_a_clause_coordinated_with_nor_is_negated(nlp, rules):
    text = "We cannot let the villagers starve, nor must we allow them to be mobbed, the governor said."
    assert top_type(text, nlp, rules) is None



def test_reasons_do_not_depend_on_the_hash_seed():
    """The same sentence gets the same verdict and reason in every process: phrase lookup must
    not follow a frozenset's hash order ("claim responsibility" vs "claimed responsibility")."""
    import os
    import subprocess
    import sys

    script = (
        "from flashpoint.nlp import load_model, parse_text\n"
        "from flashpoint.events.background import BackgroundRules, background_reason\n"
        "nlp = load_model()\n"
        "s = next(iter(parse_text('The Islamic State group claimed responsibility for the bombing "
        "in the market.', nlp).sents))\n"
        "print(background_reason(s, rules=BackgroundRules.load()))\n"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed},
                       capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(outputs) == 1, outputs


def test_an_attack_that_left_people_dead_hands_over_no_ground(nlp, rules):
    sent = first_sentence("Gunmen opened fire in the attack which left at least 20 people killed according "
                          "to the health directorate in the province.", nlp)
    assert [d.sub_event_type for d in event_clauses(sent, rules=rules)] == ["Attack"]
