"""News vs background, as a user sees it: which sentences yield events.

Protesters' demands, condemnations of a situation that still holds, and agents who "mark" or
"demonstrate" stay news; analysis ("the bombing represents an escalation", "is seen as a
test"), beliefs and condemnations of a finished incident stay background. Sentences written
for these tests.
"""

from __future__ import annotations

import datetime as dt

import pytest

from flashpoint.events.background import BackgroundRules, background_reason
from flashpoint.nlp import parse_text

from .conftest import extract_events

PUBLISHED = dt.date(2025, 3, 14)


@pytest.fixture(scope="module")
def rules():
    return BackgroundRules.load()


def events(text, pipeline):
    return [(e.sub_event_type, e.location) for e in extract_events(pipeline, text, published=PUBLISHED,
                                                                   article_id="bg")]


def reason(text, nlp, rules):
    return background_reason(next(iter(parse_text(text, nlp).sents)), rules=rules)


# --- protesters' demands are part of the protest, not a statement ------------------------

def test_demonstrators_calling_for_something_are_still_arrested(pipeline):
    # the parser makes "calling" the main verb; it is the demonstrators' demand
    text = ("Police in Butembo fire tear gas and arrest peaceful demonstrators calling for the "
            "departure of the UN's peacekeeping mission.")
    assert events(text, pipeline) == [("Protest with intervention", "Butembo")]


def test_a_group_calling_for_calm_is_a_statement(nlp, rules):
    assert reason("The bishops called for calm after the clashes in the capital.", nlp, rules) is not None


# --- condemnations: of a situation that still holds vs of a finished incident ------------

def test_condemned_house_arrest_that_still_holds_is_an_arrest(pipeline):
    text = ("Lawyers in Harare have condemned the house arrest of opposition leader Tendai Moyo, "
            "who has spent five days at his home surrounded by soldiers.")
    assert events(text, pipeline) == [("Arrests", "Harare")]


@pytest.mark.parametrize(
    "text",
    [
        "Rights groups condemned the continued detention of the journalist by military intelligence.",
        "The opposition denounced the arrest of its leader, who remains in custody in the capital.",
    ],
)
def test_condemning_an_ongoing_detention_reports_it(text, nlp, rules):
    assert reason(text, nlp, rules) is None


def test_condemning_a_finished_attack_adds_no_event(pipeline):
    text = "The government condemned the attack on the convoy near Gao, which killed three soldiers."
    assert events(text, pipeline) == []


def test_condemnation_after_the_report_does_not_count_the_attack_twice(pipeline):
    text = ("Gunmen killed six villagers near Gao on Monday.\n\n"
            "The government condemned the attack on the village, which killed six people.")
    assert events(text, pipeline) == [("Attack", "Gao")]


def test_claim_of_responsibility_for_a_deadly_bomb_stays_a_claim(pipeline):
    text = "The militant group claimed responsibility for a bomb in Kirkuk on Friday that killed four soldiers."
    assert events(text, pipeline) == []


# --- analysis is background; agents who mark or show something are news -----------------

@pytest.mark.parametrize(
    "text",
    [
        "The bombing in Kirkuk represents an escalation of the conflict.",
        "The offensive on Goma is widely seen as a test of the new government's resolve.",
        "The bombing of the market in Kirkuk underlines the fragility of the truce.",
    ],
)
def test_analysis_of_an_event_yields_no_event(text, pipeline):
    assert events(text, pipeline) == []


@pytest.mark.parametrize(
    "text, kind",
    [
        ("The strike signals a break from the army's earlier restraint.", "analysis"),
        ("The move marks a shift in the militia's strategy.", "analysis"),
        ("This could indicate a wider offensive in the south.", "future"),
        ("Observers see the offensive as a test of the new government's resolve.", "analysis"),
        ("Many see the offensive as a test of the new government's resolve.", "analysis"),
        ("We are confident that the rockets were fired from the north.", "analysis"),
        ("Thousands of families are expected to leave the besieged town after the deal.", "analysis"),
        ("Should the ceasefire collapse, the rebels are ready to march on the city.", "hypothetical"),
    ],
)
def test_analysis_and_belief_sentences_get_a_reason(text, kind, nlp, rules):
    why = reason(text, nlp, rules)
    assert why is not None and why.startswith(kind)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Gunmen killed five people in Maiduguri on Sunday, marking the deadliest attack in the city this year.",
         [("Attack", "Maiduguri")]),
        ("Thousands of demonstrators marked the anniversary of the uprising with a march through Khartoum on Friday.",
         [("Peaceful protest", "Khartoum")]),
        # "readiness to fight" is what they meant; the shelling is what they did
        ("Rebels in Beni signalled their readiness to fight by shelling army positions on Monday.",
         [("Shelling/artillery/missile attack", "Beni")]),
        ("Hundreds of students demonstrated outside parliament in Nairobi on Monday.",
         [("Peaceful protest", "Nairobi")]),
    ],
)
def test_news_with_words_of_analysis_keeps_its_event(text, expected, pipeline):
    assert events(text, pipeline) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The army marked the border with new posts.",
        "Video footage shows soldiers beating protesters in the street.",
        "Footage posted online by activists showed soldiers beating protesters in the street.",
        "The provisional toll indicates that twelve people were killed in the raid.",
    ],
)
def test_actions_and_sources_are_not_analysis(text, nlp, rules):
    assert reason(text, nlp, rules) is None


def test_analysis_after_a_report_leaves_one_event(pipeline):
    text = ("Rebels shelled the town of Goma on Monday.\n\n"
            "The offensive is widely seen as a test of the new government's resolve.")
    assert events(text, pipeline) == [("Shelling/artillery/missile attack", "Goma")]


# --- generic statements: how often things happen is not a report that one happened --------


@pytest.mark.parametrize(
    "text",
    [
        "Protests over fuel prices have become common in the port city.",
        "Roadside bombings are rare on the coastal highway.",
        "Kidnappings of aid workers have grown more frequent in the province.",
        "The market has been a frequent target of shelling.",
        "Clashes between the two militias are a daily occurrence in the district.",
    ],
)
def test_generic_statement_of_frequency_is_background(text, nlp, rules):
    why = reason(text, nlp, rules)
    assert why is not None and why.startswith("habitual or generic")


@pytest.mark.parametrize(
    "text",
    [
        "The shelling was heavy in the northern districts on Monday.",
        "Clashes were reported in the port city on Sunday.",
        "The market was the target of a drone strike on Friday.",
        "There were widespread protests across the country on Friday.",
    ],
)
def test_a_report_with_a_complement_stays_news(text, nlp, rules):
    assert reason(text, nlp, rules) is None


def test_a_generic_sentence_is_not_evidence_of_the_protest_it_follows(pipeline):
    text = ("Hundreds of protesters blocked the main road in Aden on Sunday to demand an end to "
            "power cuts.\n\nProtests over electricity shortages have become common in the city "
            "during the summer.")
    found = extract_events(pipeline, text, published=PUBLISHED, article_id="bg")
    evidence = [ev.text for e in found for s in e.sources for ev in s.evidence]
    assert any("blocked the main road" in t for t in evidence)
    assert not any("have become common" in t for t in evidence)
