"""``flashpoint evaluate events``: whole-article event scoring, the figures of the reference
scorer ../shared/tools/score_events.py."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest
from click.testing import CliRunner

from flashpoint.cli import main
from flashpoint.evaluate.events import GoldArticle, half_of, score_events

from .conftest import SHARED, shared_path

ALEPPO = (36.20, 37.16)
AL_BAB = (36.37, 37.52)  # ~37 km from Aleppo: near enough to be the same event
IDLIB = (35.93, 36.63)  # ~56 km from Aleppo: too far


def gold_event(*, optional: bool = False, place=("Aleppo", *ALEPPO), date="2015-03-01",
               sub_event_type="Air/drone strike", evidence="Jets struck Aleppo on Sunday.", **fields):
    name, lat, lon = place
    return {"event_date": date, "event_type": "Explosions/Remote violence", "sub_event_type": sub_event_type,
            "location": name, "latitude": lat, "longitude": lon, "fatalities": 2,
            "actor1": "Military Forces of Syria", "evidence": [evidence], "optional": optional, **fields}


def system_event(article_id: str, *, place=("Aleppo", *ALEPPO), date="2015-03-01",
                 sub_event_type="Air/drone strike", evidence="Jets struck Aleppo on Sunday.", **fields):
    event = gold_event(place=place, date=date, sub_event_type=sub_event_type, **fields)
    del event["evidence"], event["optional"]
    event["sources"] = [{"article_id": article_id, "evidence": [{"text": evidence, "start": 0, "end": 1}]}]
    return event


def figures(output: str) -> dict[str, str]:
    """The ``name = value`` lines of a printed report."""
    return dict(line.split(" = ", 1) for line in output.splitlines() if " = " in line)


def report_text(gold: list[GoldArticle], system: list[dict], **options) -> str:
    details = options.pop("details", False)
    return score_events(gold, system, **options).format(details=details)


# ---------------------------------------------------------------------------
# The matching rule, on small examples
# ---------------------------------------------------------------------------


def test_an_unmatched_required_gold_event_is_a_miss_listed_with_its_first_evidence_sentence():
    gold = [GoldArticle("a", (gold_event(evidence="Jets struck Aleppo on Sunday. More later."),), "Raids")]
    out = report_text(gold, [], details=True)
    assert figures(out)["missed"] == "1"
    assert figures(out)["event_recall"] == "0.000"
    assert "== a: Raids" in out
    assert "MISS  2015-03-01 Air/drone strike @ Aleppo | Jets struck Aleppo on Sunday. More later." in out


def test_a_matched_optional_gold_event_is_a_hit():
    gold = [GoldArticle("a", (gold_event(optional=True),))]
    f = figures(report_text(gold, [system_event("a")]))
    assert (f["matched"], f["false"], f["missed"], f["event_precision"]) == ("1", "0", "0", "1.000")


def test_a_missed_optional_gold_event_costs_nothing():
    gold = [GoldArticle("a", (gold_event(), gold_event(optional=True, place=("Idlib", *IDLIB))))]
    out = report_text(gold, [system_event("a")], details=True)
    f = figures(out)
    assert (f["matched"], f["missed"], f["event_recall"], f["event_f1"]) == ("1", "0", "1.000", "1.000")
    assert "MISS" not in out


def test_dates_two_days_apart_match_and_three_days_apart_do_not():
    gold = [GoldArticle("a", (gold_event(date="2015-03-01"),))]
    assert figures(report_text(gold, [system_event("a", date="2015-03-03")]))["matched"] == "1"
    f = figures(report_text(gold, [system_event("a", date="2015-03-04")]))
    assert (f["matched"], f["false"], f["missed"]) == ("0", "1", "1")


def test_an_unknown_date_does_not_block_a_match():
    gold = [GoldArticle("a", (gold_event(),))]
    assert figures(report_text(gold, [system_event("a", date=None)]))["matched"] == "1"


def test_events_match_within_50_km_but_not_farther():
    gold = [GoldArticle("a", (gold_event(),))]
    near = figures(report_text(gold, [system_event("a", place=("Al Bab", *AL_BAB))]))
    assert (near["matched"], near["within_25km_on_matched"]) == ("1", "0.000")
    assert figures(report_text(gold, [system_event("a", place=("Idlib", *IDLIB))]))["matched"] == "0"


def test_a_gold_event_without_coordinates_is_matched_by_place_name():
    gold = [GoldArticle("a", (gold_event(place=("Al-Bab", None, None)),))]
    assert figures(report_text(gold, [system_event("a", place=("al Bab", *AL_BAB))]))["matched"] == "1"
    assert figures(report_text(gold, [system_event("a", place=("Aleppo", *ALEPPO))]))["matched"] == "0"


def test_one_system_event_matches_at_most_one_gold_event():
    gold = [GoldArticle("a", (gold_event(), gold_event(sub_event_type="Armed clash")))]
    f = figures(report_text(gold, [system_event("a")]))
    assert (f["matched"], f["missed"], f["false"]) == ("1", "1", "0")


def test_a_required_gold_event_is_matched_before_an_optional_one():
    # The optional event comes first in the file but must not take the only system event.
    gold = [GoldArticle("a", (gold_event(optional=True), gold_event(sub_event_type="Armed clash")))]
    f = figures(report_text(gold, [system_event("a")]))
    assert (f["matched"], f["missed"], f["sub_event_type_on_matched"]) == ("1", "0", "0.000")


def test_the_candidate_of_the_same_sub_event_type_wins_over_a_nearer_one():
    gold = [GoldArticle("a", (gold_event(sub_event_type="Armed clash"),))]
    system = [system_event("a", sub_event_type="Air/drone strike"),  # on the spot, another type
              system_event("a", sub_event_type="Armed clash", place=("Al Bab", *AL_BAB))]
    out = report_text(gold, system, details=True)
    assert figures(out)["sub_event_type_on_matched"] == "1.000"
    assert "FALSE 2015-03-01 Air/drone strike @ Aleppo | Jets struck Aleppo on Sunday." in out


def test_false_events_are_counted_per_article_without_any_gold_event():
    gold = [GoldArticle("a", ()), GoldArticle("b", ()), GoldArticle("c", (gold_event(),))]
    system = [system_event("a"), system_event("a"), system_event("a"),
              system_event("c"), system_event("c", place=("Idlib", *IDLIB))]  # c's false one is not counted
    f = figures(report_text(gold, system))
    assert (f["false"], f["false_events_per_no_event_article"]) == ("4", "1.500")


def test_events_of_articles_outside_the_gold_are_not_scored():
    f = figures(report_text([GoldArticle("a", ())], [system_event("zzz")]))
    assert (f["false"], f["matched"]) == ("0", "0")


def test_the_figures_are_printed_in_the_reference_scorers_order():
    names = list(figures(report_text([GoldArticle("a", (gold_event(),))], [system_event("a")])))
    assert names == ["event_precision", "event_recall", "event_f1", "event_type_on_matched",
                     "sub_event_type_on_matched", "within_25km_on_matched", "date_on_matched",
                     "fatalities_on_matched", "actor1_on_matched", "false_events_per_no_event_article",
                     "matched", "false", "missed"]


# ---------------------------------------------------------------------------
# Halves
# ---------------------------------------------------------------------------


def test_an_articles_half_is_the_parity_of_the_sha1_of_its_id():
    # int(sha1(b"a").hexdigest(), 16) is even, that of b"e" odd.
    assert (half_of("a"), half_of("e")) == ("even", "odd")


def test_half_picks_the_scored_articles_but_both_halves_are_always_shown():
    gold = [GoldArticle("a", (gold_event(),)), GoldArticle("e", (gold_event(),))]
    system = [system_event("a")]  # even: found; odd: missed
    even = report_text(gold, system, half="even", details=True)
    assert (figures(even)["matched"], figures(even)["missed"]) == ("1", "0")
    assert "== e" not in even  # details are about the scored half only
    odd = report_text(gold, system, half="odd")
    assert (figures(odd)["matched"], figures(odd)["missed"]) == ("0", "1")
    for out in (even, odd, report_text(gold, system)):
        lines = out.splitlines()
        assert [line.split() for line in lines[-5:-3]] == [["even", "odd"], ["articles", "1", "1"]]
        assert lines[-1].split() == ["event_f1", "1.000", "0.000"]


def test_a_gold_file_that_is_not_gold_is_reported_before_the_models_load(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "a", "text": "no events field"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "events", str(path)])
    assert result.exit_code == 1
    assert "gold.jsonl:1: a gold article needs an 'id' and an 'events' list" in result.output


# ---------------------------------------------------------------------------
# The real development set, against the reference scorer
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dev_run(tmp_path_factory):
    """One run of the command over the whole development set (~30 s): its printed report and
    the events it wrote."""
    gold = shared_path("data", "events_dev.jsonl")
    shared_path("tools", "score_events.py")
    events = tmp_path_factory.mktemp("evaluate_events") / "events.jsonl"
    result = CliRunner().invoke(main, ["evaluate", "events", str(gold), "--details", "--output", str(events)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return gold, events, result.stdout


def reference_scorer(*args: str) -> str:
    done = subprocess.run([sys.executable, str(SHARED / "tools" / "score_events.py"), *args],
                          capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.slow
def test_the_figures_on_the_development_set_are_the_reference_scorers(dev_run):
    gold, events, out = dev_run
    reference = reference_scorer(str(gold), str(events)).splitlines()
    ours = [line for line in out.splitlines() if " = " in line]
    assert ours == reference
    assert int(figures(out)["matched"]) > 0


@pytest.mark.slow
def test_details_on_the_development_set_list_the_reference_scorers_misses_and_false_events(dev_run):
    gold, events, out = dev_run
    reference = reference_scorer(str(gold), str(events), "--details").splitlines()

    def reference_counts(kind: str) -> Counter[str]:  # "MISS  fakes-1: 2015-03-01 ..."
        return Counter(line.split()[1].rstrip(":") for line in reference if line.startswith(f"{kind} "))

    def our_counts(kind: str) -> Counter[str]:  # "== fakes-1: title", then "   MISS  2015-03-01 ..."
        counts: Counter[str] = Counter()
        article = None
        for line in out.splitlines():
            if line.startswith("== "):
                article = line[3:].split(":", 1)[0]
            elif line.startswith(f"   {kind} "):
                counts[article] += 1
        return counts

    assert our_counts("MISS") == reference_counts("MISS")
    assert our_counts("FALSE") == reference_counts("FALSE")


@pytest.mark.slow
def test_the_development_set_is_split_into_two_halves_shown_side_by_side(dev_run):
    gold, _, out = dev_run
    lines = out.splitlines()
    articles = next(line for line in lines if line.startswith("articles "))
    n_gold = sum(1 for line in gold.read_text(encoding="utf-8").splitlines() if line.strip())
    assert sum(int(n) for n in articles.split()[1:]) == n_gold
    assert [line.split()[0] for line in lines[-3:]] == ["event_precision", "event_recall", "event_f1"]


@pytest.mark.slow
def test_the_output_has_the_shape_of_extract_jsonl(dev_run):
    gold, events, out = dev_run
    rows = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == int(figures(out)["matched"]) + int(figures(out)["false"])
    assert all(row["sources"][0]["article_id"] and "sub_event_type" in row for row in rows)
