"""Temporal expressions and event dates (flashpoint.dates), on sentences written for these tests."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from flashpoint.dates import DateFinder, TemporalExpression, dated_as_background
from flashpoint.dates import event_date as _event_date
from flashpoint.dates import find_temporal_expressions as _find

FINDERS: dict[str, DateFinder] = {}


def _finder() -> DateFinder:
    # Built once for this test module; the library itself never caches it.
    return FINDERS.setdefault("default", DateFinder.load())


def find_temporal_expressions(text, **kw):
    kw.setdefault("finder", _finder())
    return _find(text, **kw)


def event_date(*args, **kw):
    kw.setdefault("finder", _finder())
    return _event_date(*args, **kw)

FRI = dt.date(2025, 2, 7)  # a Friday
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def only(text: str, *, published: dt.date | None = FRI, **kw) -> TemporalExpression:
    found = find_temporal_expressions(text, published=published, **kw)
    assert len(found) == 1, found
    return found[0]


def day(text: str, published: dt.date | None = FRI, **kw) -> tuple[str | None, int | None, str]:
    e = only(text, published=published, **kw)
    return (e.date.isoformat() if e.date else None, e.precision, e.kind)


# -- explicit dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Shelling resumed on Feb. 6, 2025, in the north.", "2025-02-06"),
        ("Shelling resumed on 6 February 2025 in the north.", "2025-02-06"),
        ("Shelling resumed on February 6 in the north.", "2025-02-06"),
        ("Shelling resumed on the 6th of February.", "2025-02-06"),
        ("Shelling resumed on 2025-02-06 in the north.", "2025-02-06"),
        ("Shelling resumed on Thursday, February 6, 2025.", "2025-02-06"),
        ("Shelling resumed on 06/02/2025 in the north.", "2025-02-06"),
        ("Shelling resumed on 02/06/2025 in the north.", "2025-02-06"),  # June is after publication
        ("Shelling resumed on 31/01/2025 in the north.", "2025-01-31"),  # 31 cannot be a month
    ],
)
def test_explicit_dates_resolve_to_their_day(sentence, expected):
    assert day(sentence) == (expected, 1, "point")


def test_ambiguous_numeric_date_is_day_first_without_publication_date():
    assert day("Shelling resumed on 06/02/2025.", published=None) == ("2025-02-06", 1, "point")


def test_explicit_full_date_resolves_without_publication_date():
    assert day("Rebels attacked the base on 14 March 2024.", published=None)[0] == "2024-03-14"


def test_day_and_month_without_year_is_the_most_recent_such_day():
    # an article of 3 January: "30 December" is the December just past
    assert day("The raid took place on 30 December.", published=dt.date(1990, 1, 3)) == (
        "1989-12-30", 1, "point")


def test_day_and_month_without_year_needs_a_publication_date():
    assert day("The raid took place on 30 December.", published=None) == (None, None, "point")


def test_day_and_month_a_few_days_ahead_is_a_scheduled_future_date():
    assert day("Talks are set for February 12.") == ("2025-02-12", 1, "future")


def test_wire_dateline_with_two_digit_year_is_a_stamp():
    e = find_temporal_expressions("PORT LOUIS, 3 JAN 90 -- TROOPS FIRED ON A CROWD TODAY.",
                                  published=None)
    assert [(x.text, x.date, x.kind) for x in e] == [
        ("3 JAN 90", dt.date(1990, 1, 3), "stamp"),
        ("TODAY", dt.date(1990, 1, 3), "point"),
    ]


def test_dateline_stamp_in_the_text_is_the_reference_without_publication_date():
    text = "PORT LOUIS, 3 JAN 90 (RADIO) -- TROOPS CLASHED WITH REBELS YESTERDAY NEAR THE DAM."
    found = find_temporal_expressions(text, published=None)
    assert [(e.text, e.date) for e in found] == [
        ("3 JAN 90", dt.date(1990, 1, 3)), ("YESTERDAY", dt.date(1990, 1, 2))]


def test_dateline_date_is_the_reference_for_relative_words():
    text = "PORT LOUIS, 3 JAN 90 -- TROOPS CLASHED WITH REBELS YESTERDAY NEAR THE DAM."
    found = find_temporal_expressions(text, published=None, dateline_date=dt.date(1990, 1, 3))
    assert found[-1].text == "YESTERDAY" and found[-1].date == dt.date(1990, 1, 2)


# -- relative days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Gunmen struck the checkpoint early Thursday.", "2025-02-06"),
        ("Gunmen struck the checkpoint on Thursday.", "2025-02-06"),
        ("Gunmen struck the checkpoint Thursday night.", "2025-02-06"),
        ("Thursday's attack on the checkpoint killed two.", "2025-02-06"),
        # copy that lost its apostrophes
        ("Thursdays attack on the checkpoint killed two.", "2025-02-06"),
        ("Gunmen struck the checkpoint on Monday.", "2025-02-03"),
        ("Gunmen struck the checkpoint on Friday.", "2025-02-07"),  # publication weekday: that day
        ("Gunmen struck the checkpoint last Friday.", "2025-01-31"),
        ("Gunmen struck the checkpoint today.", "2025-02-07"),
        ("Gunmen will strike again tonight, residents fear.", "2025-02-07"),
        ("Gunmen struck the checkpoint yesterday.", "2025-02-06"),
        ("Gunmen struck the checkpoint yesterday afternoon.", "2025-02-06"),
        ("Gunmen struck the checkpoint last night.", "2025-02-06"),
        ("Gunmen struck the checkpoint the day before yesterday.", "2025-02-05"),
        ("Gunmen struck the checkpoint two days ago.", "2025-02-05"),
        ("Gunmen struck the checkpoint on the 3rd.", "2025-02-03"),
        ("Gunmen struck the checkpoint on the 20th.", "2025-01-20"),  # 20th is after the 7th
    ],
)
def test_relative_days_resolve_against_publication_date(sentence, expected):
    assert day(sentence) == (expected, 1, "point")


@pytest.mark.parametrize(
    "sentence",
    ["Gunmen struck the checkpoint early Thursday.", "Gunmen struck the checkpoint yesterday.",
     "Gunmen struck the checkpoint two days ago.", "Gunmen struck the checkpoint on the 3rd."],
)
def test_relative_days_without_publication_date_keep_no_date(sentence):
    assert day(sentence, published=None) == (None, None, "point")


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Clashes have flared in recent days.", ("2025-02-07", 2)),
        ("Clashes have flared over the past three days.", ("2025-02-07", 2)),
        ("Clashes flared earlier this week.", ("2025-02-06", 2)),
        ("Clashes flared this week.", ("2025-02-07", 2)),
        ("Clashes flared last week.", ("2025-02-02", 2)),  # the Sunday ending last week
        ("Clashes flared over the weekend.", ("2025-02-02", 2)),
        ("Clashes flared three weeks ago.", ("2025-01-17", 2)),
        ("Clashes flared earlier this month.", ("2025-02-01", 3)),
        ("Clashes flared this month.", ("2025-02-01", 3)),
        ("Clashes flared last month.", ("2025-01-01", 3)),
        ("Clashes flared in January.", ("2025-01-01", 3)),
        ("Clashes flared in late January.", ("2025-01-01", 3)),
        ("Clashes have flared in recent weeks.", ("2025-02-07", 3)),
    ],
)
def test_vague_periods_get_coarser_precision(sentence, expected):
    assert day(sentence)[:2] == expected
    assert day(sentence)[2] == "point"


def test_upper_case_wire_text_is_matched():
    text = "THE MASS KIDNAPPING TOOK PLACE ON 30 DECEMBER. CLASHES YESTERDAY LEFT TWO DEAD."
    found = find_temporal_expressions(text, published=dt.date(1990, 1, 3))
    assert [(e.text, e.date) for e in found] == [
        ("30 DECEMBER", dt.date(1989, 12, 30)), ("YESTERDAY", dt.date(1990, 1, 2))]


LEDE = "Residents of the valley counted the damage after the latest shelling. " * 5 + "\n"


# -- background, duration, future --------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Since 2013, the militia has sent fighters across the border.",
        "Since the March 3, 2024, ceasefire, the border has been calm.",
        "The uprising began in 2011.",
        "For years, the town was a smuggling hub.",
        "The feud goes back decades.",
        "Last year's siege left the town in ruins.",
        LEDE + "The army first shelled the town on 4 October 2024.",  # 4 months before
    ],
)
def test_history_is_background(sentence):
    assert [e.kind for e in find_temporal_expressions(sentence, published=FRI)] == ["background"]


def test_old_date_in_the_lede_stays_a_point_but_is_marked_old():
    e = only("On 4 October 2024 the army shelled the town, a new report says.")
    assert (e.kind, e.old) == ("point", True)


def test_durations_are_not_dates():
    assert day("The siege lasted for three days.") == (None, None, "duration")
    assert day("The curfew will stay for weeks.") == (None, None, "duration")


def test_future_words_are_kept_apart():
    assert day("Talks resume tomorrow.") == ("2025-02-08", 1, "future")
    assert day("Talks resume next Monday.") == ("2025-02-10", 1, "future")


def test_caption_date_at_end_of_short_line():
    text = "Fighting broke out on Thursday.\nSoldiers near the river crossing, Feb. 6, 2025.\n"
    found = find_temporal_expressions(text, published=FRI)
    assert [(e.text, e.kind) for e in found] == [
        ("on Thursday", "point"), ("Feb. 6, 2025", "caption")]


def test_ordinary_words_are_not_dates():
    text = ("Protesters may march on the capital; the 5th Brigade will decide. "
            "Some 2,000 people and 14 trucks joined the march.")
    kinds = {e.kind for e in find_temporal_expressions(text, published=FRI)}
    assert kinds <= {"background"}  # at most a bare number read as a year, never a point


# -- event_date --------------------------------------------------------------------------


def sentence_span(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def date_of(text: str, fragment: str, published: dt.date | None = FRI, **kw):
    found = find_temporal_expressions(text, published=published, **kw)
    start, end = sentence_span(text, fragment)
    r = event_date(start, end, found, text=text, published=published, **kw)
    return None if r is None else (r.date.isoformat(), r.precision)


ARTICLE = (
    "Militia fighters attacked an army post in the hills early Thursday.\n"
    "The fighting lasted for hours. Two soldiers were wounded.\n"
    "Since the 2019 truce, the valley had been calm. The militia was formed in 2012.\n"
    "Separately, a car bomb exploded in the market on Monday.\n"
    "Police said the market reopened the next day."
)


def test_event_date_from_a_day_in_its_own_sentence():
    assert date_of(ARTICLE, "Militia fighters attacked an army post") == ("2025-02-06", 1)
    assert date_of(ARTICLE, "a car bomb exploded in the market on Monday.") == ("2025-02-03", 1)


def test_event_date_carries_the_narrative_anchor_forward():
    assert date_of(ARTICLE, "Two soldiers were wounded.") == ("2025-02-06", 1)
    assert date_of(ARTICLE, "Police said the market reopened") == ("2025-02-03", 1)


def test_event_date_never_uses_background_dates():
    assert date_of(ARTICLE, "The militia was formed in 2012.") == ("2025-02-06", 1)
    assert date_of(ARTICLE, "Since the 2019 truce, the valley had been calm.") == ("2025-02-06", 1)


def test_sentences_dated_only_by_history_are_flagged():
    found = find_temporal_expressions(ARTICLE, published=FRI)
    assert dated_as_background(*sentence_span(ARTICLE, "The militia was formed in 2012."), found)
    assert not dated_as_background(*sentence_span(ARTICLE, "Two soldiers were wounded."), found)
    lede = "Militia fighters attacked an army post in the hills early Thursday."
    assert not dated_as_background(*sentence_span(ARTICLE, lede), found)


def test_event_date_takes_the_day_from_later_in_the_same_paragraph():
    text = "Heavy clashes erupted near the dam. Three fighters died on Tuesday."
    assert date_of(text, "Heavy clashes erupted near the dam.") == ("2025-02-04", 1)


def test_event_date_defaults_to_publication_with_precision_2():
    assert date_of("Heavy clashes erupted near the dam.", "Heavy clashes") == ("2025-02-07", 2)


def test_event_date_is_none_without_any_reference():
    text = "Heavy clashes erupted near the dam in recent days. Shells hit the village."
    assert date_of(text, "Heavy clashes erupted", published=None) is None
    assert date_of(text, "Shells hit the village.", published=None) is None


def test_reporting_day_yields_to_the_days_just_before():
    text = "Rebels shelled the airport on Wednesday. Four people died, officials said Friday."
    assert date_of(text, "Four people died, officials said Friday.") == ("2025-02-05", 1)


def test_caption_fixes_a_vague_day():
    text = ("Clashes flared in recent days along the border.\n"
            "A tank on the hill road, Feb. 5, 2025.\n")
    assert date_of(text, "Clashes flared in recent days") == ("2025-02-05", 1)


def test_wire_report_uses_the_dateline_when_no_publication_date():
    text = ("PORT LOUIS, 3 JAN 90 -- THE ARMY REPORTED THAT REBELS KIDNAPPED 20 FARMERS. "
            "THE KIDNAPPING TOOK PLACE ON 30 DECEMBER. TWO SOLDIERS DIED YESTERDAY.")
    kw = {"dateline_date": dt.date(1990, 1, 3)}
    assert date_of(text, "THE ARMY REPORTED", published=None, **kw) == ("1989-12-30", 1)
    assert date_of(text, "TWO SOLDIERS DIED YESTERDAY.", published=None, **kw) == ("1990-01-02", 1)


# -- speed and data ----------------------------------------------------------------------


def test_finder_can_be_built_from_an_explicit_lexicon_file():
    finder = DateFinder.load()
    assert finder.lexicon.version
    found = find_temporal_expressions("Clashes on Sunday.", published=FRI, finder=finder)
    assert found[0].date == dt.date(2025, 2, 2)


# -- the seed articles (../shared) ----------------------------------------------------------


def seed(prefix: str) -> str:
    if not SHARED.is_dir():
        pytest.skip(f"shared material not found at {SHARED}")
    return next((SHARED / "seeds").glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def sentence_with(text: str, words: str) -> tuple[int, int]:
    for m in re.finditer(r"[^.\n]+(?:\.(?!\d)|$)", text, re.M):
        if words in m.group():
            return m.start(), m.end()
    raise AssertionError(words)


def test_seed_001_fighting_is_dated_to_thursday():
    text = seed("001")
    pub = dt.date(2025, 2, 7)
    found = find_temporal_expressions(text, published=pub)
    for words in ("push into Al Qusayr", "crossed into Haweek", "lasted throughout the day"):
        start, end = sentence_with(text, words)
        r = event_date(start, end, found, text=text, published=pub)
        assert (r.date, r.precision) == (dt.date(2025, 2, 6), 1), words


def test_seed_001_regime_collapse_date_is_background():
    text = seed("001")
    found = find_temporal_expressions(text, published=dt.date(2025, 2, 7))
    collapse = [e for e in found if e.date == dt.date(2024, 12, 8)]
    assert collapse and all(e.kind == "background" for e in collapse)
    start, end = sentence_with(text, "collapse of Bashar")
    r = event_date(start, end, found, text=text, published=dt.date(2025, 2, 7))
    assert r is not None and r.date != dt.date(2024, 12, 8)


def test_seed_000_recent_days_without_publication_date_gives_no_date():
    text = seed("000")
    found = find_temporal_expressions(text, published=None)
    recent = [e for e in found if "recent days" in e.text]
    assert recent and recent[0].date is None
    start, end = sentence_with(text, "erupted in recent days")
    assert event_date(start, end, found, text=text, published=None) is None
    assert not any(e.kind == "point" and e.date and e.date.year == 2013 for e in found)


def test_a_weekday_in_the_plural_is_a_habit_not_a_day():
    assert find_temporal_expressions("The market closes on Thursdays at noon.", published=FRI) == []
