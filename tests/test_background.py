"""News vs background: history, habits, plans, analysis and statements are not events."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashpoint.events.background import BackgroundRules, background_reason
from flashpoint.events.typing import TypingRules, classify_sentence
from flashpoint.nlp import parse_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def rules():
    return BackgroundRules.load()


def reason(text, nlp, rules):
    return background_reason(next(iter(parse_text(text, nlp).sents)), rules=rules)


@pytest.mark.parametrize(
    "text,kind",
    [
        ("Since 2015, the militia has sent hundreds of fighters across the border.", "history"),
        ("For decades, the two clans have fought over the grazing land.", "history"),
        ("Historically, the rebels have used the valley to move supplies.", "history"),
        ("Islamic State fighters have previously taken control of oilfields in the east.", "history"),
        # a bare year in the main clause: news names the day
        ("The group seized the town in 2012 and has held it ever since.", "history"),
        ("The militia was formed by a merger of rebel factions in 2013, a monitor reports.", "history"),
        # a war's origin story, told as the main clause
        ("The conflict began when the government met peaceful protests with live fire.", "history"),
        # a toll counted since a war's start, whatever the clause says of how it began
        ("Tens of thousands have been killed since the uprising erupted against the government.", "history"),
        ("Residents say there are air strikes on the town every day.", "habitual"),
        ("The group continues to operate in the hills north of the lake.", "habitual"),
        ("The militants often attack convoys on this road.", "habitual"),
        ("The army will launch an offensive on the town next month.", "future"),
        ("The rebels threatened to shell the airport.", "plan"),
        ("Analysts say the defeat marks a turning point for the movement.", "analysis"),
        ("The new alliance signals a break with the past.", "analysis"),
        ("The government condemned the attack on the convoy.", "statement"),
        ("The group denied carrying out the bombing.", "statement"),
        ("The movement claimed responsibility for the car bomb.", "statement"),
        ("If the talks fail, fighting could resume in the spring.", "hypothetical"),
    ],
)
def test_background_sentence_gets_a_reason(text, kind, nlp, rules):
    why = reason(text, nlp, rules)
    assert why is not None and why.startswith(kind)


@pytest.mark.parametrize(
    "text",
    [
        "Rebels attacked an army post near the border on Tuesday.",
        "For the first time since the war began, government troops entered the town.",
        "The clashes were the worst since the war began, residents said.",
        # a record set by the news: "the worst attack ... in 2016", "the heaviest since 2013"
        "Gunmen killed four soldiers on Monday, the worst attack on the army in 2016.",
        "The clashes on Monday were the heaviest since 2013, residents said.",
        "Police have arrested forty protesters since Wednesday evening.",
        "Reports suggest that the prisoners were beaten in custody.",
        "Clashes continued on Sunday in the eastern districts.",
        # a column of fighters is not a newspaper column
        "A rebel column attacked an army post near the town on Monday.",
    ],
)
def test_news_sentence_gets_no_reason(text, nlp, rules):
    assert reason(text, nlp, rules) is None


def test_seed_background_sentences_are_background_or_untyped(nlp, rules):
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not available")
    typing_rules = TypingRules.load()
    sents = []
    for path in sorted(seeds.glob("*.txt")):
        sents.extend(parse_text(path.read_text(encoding="utf-8"), nlp).sents)
    needles = [
        "Since 2013, the group has deployed thousands of fighters",
        "For years, Hezbollah",
        "collapse of Bashar Assad’s regime, the new Syrian administration has worked",
        "Analysts suggest that",
        "Historically, Hezbollah has relied on these smuggling routes",
        "as Hezbollah remains engaged in a prolonged conflict with Israel",
        "Thursday’s clashes suggest Hezbollah is attempting",
    ]
    for needle in needles:
        sent = next(s for s in sents if needle in s.text)
        typed = classify_sentence(sent, rules=typing_rules)
        assert not typed or background_reason(sent, rules=rules) is not None, needle
    news = next(s for s in sents if "For the first time since the fall" in s.text)
    assert background_reason(news, rules=rules) is None
