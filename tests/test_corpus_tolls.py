"""No toll in the real corpora comes from a total over a period, a year or a war.

Runs the pipeline over every article of ../shared/data/corpus.jsonl and voa.jsonl that gives a
number of 100 or more (or "hundreds", "thousands") beside a word of death: only such articles
can yield a toll that large. The largest tolls are listed with the sentence each came from
(printed, and in the assertion message), for a reader to check by eye; the test fails when any
of them reads as a period total.
"""

from __future__ import annotations

import re

import pytest

from .conftest import shared_path

pytestmark = pytest.mark.slow

LARGE = 100
_NUMBER = re.compile(
    r"\b\d{1,3}(?:,\d{3})+\b|\b(?!(?:19|20)\d\d\b)\d{3,}\b|\bhundreds\b|\bthousands\b|\bhundred\b|"
    r"\bthousand\b|\bmillion\b",
    re.I,
)
_DEATH = re.compile(r"\b(?:kill|dead|death|died|die|toll|lives|massacre|slain|casualt|murder)", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# What a period total says of itself: the period, or that it is a running total.
_PERIOD_TOTAL = re.compile(
    r"\bsince (?:the )?(?:\w+ )?(?:\d{1,2},? )?(?:19|20)\d\d\b|\bsince the (?:war|conflict|start|beginning|"
    r"outbreak|uprising)\b|\bthis year\b|\bcumulative\b|\bover the (?:past|last) \w+ (?:days|weeks|months)\b|"
    r"\bfrom \d[\d,]* in (?:19|20)\d\d to\b|\b(?:war|conflict|insurgency) has (?:killed|claimed)\b",
    re.I,
)


def _toll_sentences(toll: int, evidence: list[str]) -> list[str]:
    """The evidence sentences that state the toll itself ("more than 500", "1,300")."""
    number = re.compile(rf"\b(?:{toll}|{toll:,})\b")
    return [t for t in evidence if number.search(t)] or evidence


def _can_give_a_large_toll(text: str) -> bool:
    return any(_NUMBER.search(s) and _DEATH.search(s) for s in _SENTENCE.split(text))


def test_the_largest_tolls_in_the_real_corpora_are_single_events(pipeline):
    from flashpoint.ingest import read_inputs

    paths = [str(shared_path("data", "corpus.jsonl")), str(shared_path("data", "voa.jsonl"))]
    articles = [a for a in read_inputs(paths) if not hasattr(a, "reason") and _can_give_a_large_toll(a.text)]
    assert len(articles) > 300  # the filter keeps the articles that matter, not none

    large = []
    for result in pipeline.run(articles):
        for event in result.events:
            if event.fatalities >= LARGE:
                evidence = [e.text for s in event.sources for e in s.evidence]
                large.append((event.fatalities, result.article_id, event.sub_event_type, evidence))
    large.sort(key=lambda x: -x[0])
    listing = "\n".join(f"{n:>7}  {aid}  {sub}: {' | '.join(t[:160] for t in ev)}" for n, aid, sub, ev in large)
    print(f"\nevents with {LARGE} or more deaths, largest first:\n{listing}")

    totals = [x for x in large if any(_PERIOD_TOTAL.search(t) for t in _toll_sentences(x[0], x[3]))]
    assert not totals, "tolls that read as period totals:\n" + "\n".join(
        f"{n} {aid}: {ev}" for n, aid, _, ev in totals)
    assert all(n < 20_000 for n, *_ in large), listing  # no war's toll as one event's
