"""Casualty counts, weapons and certainty in context (issue P2, item 5), on sentences written
for these tests: words and digits, ranges and hedges, deaths vs injuries vs captures, and how
several sentences about one event combine."""

from __future__ import annotations

import datetime as dt

import pytest

from flashpoint.events.casualties import Casualties, CasualtyLexicon, count_casualties
from flashpoint.events.certainty import CertaintyRules, certainty_of
from flashpoint.model import Article
from flashpoint.nlp import parse_text

PUBLISHED = dt.date(2025, 3, 14)


@pytest.fixture(scope="module")
def lexicon():
    return CasualtyLexicon.load()


@pytest.fixture(scope="module")
def certainty_rules():
    return CertaintyRules.load()


def sent(text, nlp):
    return next(iter(parse_text(text, nlp).sents))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Between 10 and 15 people were killed in the strike.", Casualties(10, True, None, None)),
        ("Two to three fighters died in the clash.", Casualties(2, True, None, None)),
        ("Ten or 12 soldiers were killed at the checkpoint.", Casualties(10, True, None, None)),
        ("Two hundred people were killed in the siege.", Casualties(200, True, None, None)),
        # the hurt joined to the dead by "and" are not dead, however the parser hangs them
        ("The death toll from the twin explosions in the city rose to 32 and more than 115 "
         "wounded persons, most of them children.", Casualties(32, True, 115, None)),
        ("Around a dozen people were killed.", Casualties(12, True, None, None)),
        ("Two people were killed and another was wounded.", Casualties(2, True, 1, None)),
        # a vague quantity takes ACLED's convention, and says it is one (a figure told later wins)
        ("Several soldiers were killed in the ambush.", Casualties(10, True, None, None, vague=True)),
        ("Many civilians were killed in the bombardment.", Casualties(10, True, None, None, vague=True)),
        ("An attack killed dozens of people in the town.", Casualties(12, True, None, None, vague=True)),
        ("Four fighters were captured and two were killed.", Casualties(2, True, None, 4)),
        ("THREE SUBVERSIVES WERE KILLED AND SEVEN OTHERS WERE WOUNDED DURING CLASHES.", Casualties(3, True, 7, None)),
        ("There were no casualties.", Casualties(0, True, None, None)),
    ],
)
def test_counts_take_the_most_conservative_supported_number(text, expected, nlp, lexicon):
    assert count_casualties(sent(text, nlp), lexicon=lexicon) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Activists said soldiers shot dead five protesters.", "reported"),
        ("The ministry announced that troops had retaken the village.", "confirmed"),
        ("The rebels allegedly executed two prisoners.", "unconfirmed"),
        ("According to residents, the militia burned the market.", "reported"),
    ],
)
def test_certainty_comes_from_attribution_and_hedging(text, expected, nlp, certainty_rules):
    assert certainty_of(sent(text, nlp), rules=certainty_rules) == expected


def test_one_events_tolls_combine_by_the_largest_not_the_sum(pipeline):
    text = ("Houthi fighters shelled Yemeni government positions in Marib on Tuesday, killing six soldiers. "
            "The shelling of Marib on Tuesday killed nine soldiers in all, officials said later.")
    (result,) = list(pipeline.run([Article(id="c1", text=text, origin="test", published=PUBLISHED)]))
    marib = [e for e in result.events if e.location == "Marib"]
    assert len(marib) == 1
    assert marib[0].fatalities == 9
    assert marib[0].fatalities_known is True


def test_deaths_without_a_number_leave_the_count_unknown(pipeline):
    text = "Hezbollah fighters clashed with Syrian troops in Al Qusayr on Tuesday, with casualties on both sides."
    (result,) = list(pipeline.run([Article(id="c2", text=text, origin="test", published=PUBLISHED)]))
    (event,) = result.events
    assert (event.fatalities, event.fatalities_known) == (0, False)
