"""Cross-document linking rules, on events we build here (no NLP, no database)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
from dataclasses import replace
from pathlib import Path

import pytest

from flashpoint.link import (
    LinkRules,
    MemoryIndex,
    link_all,
    link_mention,
    query_keys,
    same_event,
    Linked,
    SourceFigures,
)
from flashpoint.model import Event, Source

DAY = dt.date(2025, 2, 6)
ARMY, HEZ, OTHER = "Military Forces of Syria (2024-)", "Hezbollah", "Islamic State (Syria)"


@pytest.fixture(scope="module")
def rules():
    return LinkRules.load()


def ev(article: str, *, eid: str = "", outlet: str | None = "Outlet A", date=DAY, date_precision=1, lat=34.5078, lon=36.5803,
       geo_precision=1, location="Al Qusayr", actors=(ARMY, HEZ), sub="Armed clash", etype="Battles",
       fatalities=0, known=True, certainty="reported", weapons=()) -> Event:
    return Event(
        event_id=f"fp-{article}{eid}", event_date=date, date_precision=date_precision, event_type=etype,
        sub_event_type=sub, actor1=actors[0], actor2=actors[1] if len(actors) > 1 else None,
        assoc_actor_1="", assoc_actor_2="", inter1="State forces", inter2="Political militia",
        country="Syria", iso3="SYR", admin1="Homs", admin2=None, location=location, latitude=lat, longitude=lon,
        geo_precision=geo_precision, fatalities=fatalities, fatalities_known=known, injured=None,
        weapons=list(weapons), certainty=certainty, notes="",
        sources=[Source(article_id=article, outlet=outlet, url=None, published=date, evidence=())],
    )


def one(e: Event) -> Linked:
    return Linked(event=e, figures=(SourceFigures.of(e),))


def test_second_outlet_merges_with_highest_count_union_of_weapons_and_raised_certainty(rules):
    events = link_all([ev("a1", fatalities=2, weapons=["mortar"]),
                       ev("a2", outlet="Outlet B", fatalities=5, weapons=["small arms"]),
                       ev("a3", outlet="Outlet C", fatalities=3)], rules)
    assert len(events) == 1
    merged = events[0]
    assert merged.event.fatalities == 5
    assert [f.fatalities for f in merged.figures] == [2, 5, 3]  # every source's figure kept
    assert merged.event.weapons == ["small arms", "mortar"]  # codebook order
    assert merged.event.certainty == "confirmed"
    assert [s.article_id for s in merged.event.sources] == ["a1", "a2", "a3"]
    assert merged.event_id == "fp-a1"  # the first report's id stays


def test_same_outlet_twice_is_not_corroboration(rules):
    (merged,) = link_all([ev("a1"), ev("a2")], rules)
    assert len(merged.event.sources) == 2 and merged.event.certainty == "reported"


def test_unknown_count_becomes_known_when_another_source_gives_a_number(rules):
    (merged,) = link_all([ev("a1", known=False), ev("a2", outlet="B", fatalities=4)], rules)
    assert merged.event.fatalities == 4 and merged.event.fatalities_known


def test_merge_records_the_history_of_changed_fields(rules):
    index = MemoryIndex(rules)
    index.apply(link_mention(ev("a1", geo_precision=2, location="Al Qusayr"), index, rules))
    outcome = link_mention(ev("a2", outlet="B", fatalities=3, geo_precision=1), index, rules)
    assert outcome.merged
    changed = {c.field: (c.old, c.new, c.article_id) for c in outcome.changes}
    assert changed["fatalities"] == (0, 3, "a2")
    assert changed["geo_precision"] == (2, 1, "a2")
    assert "event_date" not in changed  # unchanged fields leave no history


def test_mentions_from_the_same_article_never_merge(rules):
    assert len(link_all([ev("a1"), ev("a1", eid="-2")], rules)) == 2


def test_other_town_same_day_same_actors_is_a_separate_event_in_the_same_storyline(rules):
    qusayr = ev("a1", geo_precision=2)
    talkalakh = ev("a2", outlet="B", lat=34.66842, lon=36.25995, location="Tallkalakh")
    linked = link_all([qusayr, talkalakh], rules)
    assert len(linked) == 2
    assert linked[0].storyline_id is not None and linked[0].storyline_id == linked[1].storyline_id


def test_different_actors_at_the_same_place_and_day_do_not_merge_nor_share_a_storyline(rules):
    linked = link_all([ev("a1"), ev("a2", outlet="B", actors=(ARMY, OTHER))], rules)
    assert len(linked) == 2
    assert {x.storyline_id for x in linked} == {None}


def test_one_shared_actor_is_enough_overlap(rules):
    assert len(link_all([ev("a1"), ev("a2", outlet="B", actors=(HEZ,))], rules)) == 1


@pytest.mark.parametrize(
    "second, merges",
    [
        (dict(date=DAY + dt.timedelta(days=1)), False),  # two precise days: two fights
        (dict(date=DAY + dt.timedelta(days=2), date_precision=2), True),  # "earlier this week"
        (dict(date=DAY.replace(day=20), date_precision=3), True),  # only "in February"
        (dict(date=DAY.replace(month=3), date_precision=3), False),  # another month
    ],
)
def test_dates_are_compatible_given_both_precisions(rules, second, merges):
    assert (len(link_all([ev("a1"), ev("a2", outlet="B", **second)], rules)) == 1) is merges


@pytest.mark.parametrize(
    "second, merges",
    [
        (dict(lat=34.60, lon=36.58, location="Somewhere", geo_precision=1), False),  # 10 km, two towns
        (dict(lat=34.60, lon=36.58, location="Homs countryside", geo_precision=3), True),  # region-level
        (dict(lat=34.56, lon=36.58, location="Near Qusayr", geo_precision=2), True),  # 6 km, vague
        (dict(lat=35.60, lon=36.58, location="Far", geo_precision=3), False),  # 120 km
    ],
)
def test_distance_allowed_depends_on_both_geo_precisions(rules, second, merges):
    assert (len(link_all([ev("a1"), ev("a2", outlet="B", **second)], rules)) == 1) is merges


def test_shelling_report_may_join_a_clash_but_a_protest_may_not(rules):
    shelling = ev("a2", outlet="B", sub="Shelling/artillery/missile attack", etype="Explosions/Remote violence")
    protest = ev("a3", outlet="C", sub="Peaceful protest", etype="Protests")
    assert same_event(one(ev("a1")), shelling, rules)[0]
    assert not same_event(one(ev("a1")), protest, rules)[0]


def test_event_without_date_or_place_stays_its_own_event(rules):
    assert len(link_all([ev("a1", date=None), ev("a2", outlet="B", date=None)], rules)) == 2
    assert query_keys(ev("a1", lat=None, lon=None), rules) == []


def test_blocking_finds_every_match_that_comparing_all_pairs_finds(rules):
    rng = random.Random(3)
    pool = [
        ev(f"a{i}", outlet=f"O{i % 4}", date=DAY + dt.timedelta(days=rng.randrange(60)),
           date_precision=rng.choice((1, 2, 3)), lat=34 + rng.uniform(-2, 2), lon=36 + rng.uniform(-2, 2),
           geo_precision=rng.choice((1, 2, 3)), location=None)
        for i in range(300)
    ]
    index = MemoryIndex(rules)
    for e in pool[:200]:
        index.put(one(e))
    for mention in pool[200:]:
        found = {c.event_id for c in index.candidates(query_keys(mention, rules))}
        brute = {x.event_id for x in index.events.values() if same_event(x, mention, rules)[0]}
        assert brute <= found


def _benchmark():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "linking.py"
    spec = importlib.util.spec_from_file_location("linking_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CountingIndex(MemoryIndex):
    compared = 0

    def candidates(self, keys):
        found = super().candidates(keys)
        self.compared += len(found)
        return found


@pytest.mark.slow
def test_candidates_per_mention_stay_flat_as_the_archive_grows_tenfold(rules):
    bench = _benchmark()
    per_mention = []
    for n in (1000, 10_000):
        index = CountingIndex(rules)
        link_all(bench.generate(n, seed=5), rules, index=index)
        per_mention.append(index.compared / n)
    assert per_mention[1] <= 1.5 * per_mention[0], per_mention


def test_merged_linked_keeps_the_event_record_type(rules):
    (merged,) = link_all([ev("a1"), ev("a2", outlet="B")], rules)
    assert isinstance(merged.event, Event)
    assert replace(merged.event).sources == merged.event.sources
