"""The article's own date: a date stamp at the head of the text is the clock for relative days
("on Tuesday", "yesterday", "last week") and for the news window, whatever the input's
``published`` says. Every text here is written for these tests."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from flashpoint.dates import DateFinder
from flashpoint.dates import find_temporal_expressions as _find
from flashpoint.ingest import CleaningRules, clean_article
from flashpoint.model import Article

from .conftest import extract_events

FINDER = DateFinder.load()


def find(text: str, **kw):
    return _find(text, finder=FINDER, **kw)


def stamp(text: str, published: dt.date | None = None, title: str | None = None):
    found = FINDER.head_stamp(text, published=published, title=title)
    return found.date if found else None


def day_of(text: str, words: str, published: dt.date | None) -> dt.date | None:
    return next(e.date for e in find(text, published=published) if e.text == words)


# -- what counts as the article's own date -------------------------------------------------


@pytest.mark.parametrize(
    "head, expected",
    [
        ("Tuesday 14 March 2017 09:40 Rebels shelled the market.", dt.date(2017, 3, 14)),
        ("Wed Mar 15 2017 Rebels shelled the market.", dt.date(2017, 3, 15)),
        ("March 16 2017 by Staff Writer Rebels shelled the market.", dt.date(2017, 3, 16)),
        ("Published March 17 2017 Rebels shelled the market.", dt.date(2017, 3, 17)),
        ("Posted on March 18, 2017 by Staff Rebels shelled the market.", dt.date(2017, 3, 18)),
        ("Date of publication 19 March 2017 Rebels shelled the market.", dt.date(2017, 3, 19)),
        ("Last updated at Mar 202017 Rebels shelled the market.", dt.date(2017, 3, 20)),
        ("21-03-2017 Rebels Shell Market in Hama. Rebels shelled it.", dt.date(2017, 3, 21)),
        ("22.03.2017 Rebels shelled the market.", dt.date(2017, 3, 22)),
        ("2017-03-23 Rebels shelled the market.", dt.date(2017, 3, 23)),
        ("Rebels shell market in Hama killing 4 AFP Friday 24 Mar 2017 Rebels shelled it.",
         dt.date(2017, 3, 24)),
        ("Market Shelled\nUpdated: 25 March 2017\nRebels shelled the market.",
         dt.date(2017, 3, 25)),
        ("HAMA, 26 March 2017 (Reuters) - Rebels shelled the market.", dt.date(2017, 3, 26)),
    ],
)
def test_a_date_stamp_at_the_head_is_the_articles_own_date(head, expected):
    assert stamp(head, published=dt.date(2017, 1, 2)) == expected


def test_a_date_right_after_a_headline_that_opens_the_text_is_the_articles_own_date():
    text = "Rebels shell market in Hama Tuesday 14 March 2017 Rebels shelled the market."
    assert stamp(text, title="Rebels shell market in Hama") == dt.date(2017, 3, 14)
    assert stamp(text) is None  # without the headline it reads as the narrative's date


@pytest.mark.parametrize(
    "text",
    [
        "Rebels shelled the market on 14 March 2017, killing four.",
        "Rebels shelled the market. Tuesday 14 March 2017 was the worst day.",
        "REBELS SHELLED THE MARKET ON 14 MAR 2017 AND KILLED FOUR.",
        "Rebels have shelled the market since 14-03-2017, residents said.",
    ],
)
def test_a_date_in_the_narrative_is_not_the_articles_own_date(text):
    assert stamp(text, published=dt.date(2017, 3, 20)) is None


def test_a_numeric_stamp_with_dashes_is_day_first():
    # even when the month-first reading lies nearer the publication date
    assert stamp("01-10-2014 Car bombs hit Homs.", published=dt.date(2014, 1, 9)) == (
        dt.date(2014, 10, 1))
    assert stamp("10-01-2014 Car bombs hit Homs.", published=dt.date(2014, 10, 3)) == (
        dt.date(2014, 1, 10))


def test_a_numeric_stamp_with_slashes_takes_the_reading_nearest_publication():
    text = "05/08/2013: A roadside bomb hit a patrol."
    assert stamp(text, published=dt.date(2013, 8, 7)) == dt.date(2013, 8, 5)
    assert stamp(text, published=dt.date(2013, 5, 9)) == dt.date(2013, 5, 8)
    assert stamp(text) == dt.date(2013, 8, 5)  # day-first without a publication date
    assert stamp("05/18/2013: A roadside bomb hit a patrol.", published=dt.date(2013, 8, 7)) == (
        dt.date(2013, 5, 18))  # 18 cannot be a month


# -- the stamp is the clock ------------------------------------------------------------------


def test_relative_days_count_from_the_stamp_even_months_after_publication():
    text = "Saturday 11 April 2015 18:05 Regime jets bombed Idlib on Friday, killing six."
    found = find(text, published=dt.date(2015, 2, 2))
    assert [(e.text, e.kind) for e in found][0] == ("Saturday 11 April 2015", "stamp")
    assert day_of(text, "on Friday", dt.date(2015, 2, 2)) == dt.date(2015, 4, 10)


def test_relative_days_count_from_the_stamp_when_it_is_before_publication():
    text = "Published October 3 2016 Gunmen stormed a clinic in Aleppo yesterday."
    assert day_of(text, "yesterday", dt.date(2016, 10, 14)) == dt.date(2016, 10, 2)


def test_without_a_stamp_relative_days_count_from_publication():
    text = "Gunmen stormed a clinic in Aleppo yesterday."
    assert day_of(text, "yesterday", dt.date(2016, 10, 14)) == dt.date(2016, 10, 13)


def test_cleaning_records_the_stated_date_and_keeps_the_input_publication_date():
    text = "Saturday 11 April 2015 Regime jets bombed Idlib on Friday, killing six."
    article = Article(id="a1", origin="test", published=dt.date(2015, 2, 2), text=text)
    clean = clean_article(article, rules=CleaningRules.load())
    assert (clean.published, clean.stated_date) == (dt.date(2015, 2, 2), dt.date(2015, 4, 11))


# -- what a user sees: event dates from `flashpoint extract` ----------------------------------


@pytest.fixture(scope="module")
def extract(pipeline):
    return partial(extract_events, pipeline, article_id="t1")


def test_event_date_counts_from_the_stamp_not_the_publication_field(extract):
    # published on a Wednesday (1 Oct); the text is dated Thursday 25 Sep: "on Tuesday" is 23 Sep
    events = extract(
        "25-09-2014 Rebels shelled a market in Aleppo on Tuesday, killing four civilians.",
        published=dt.date(2014, 10, 1),
    )
    assert [(e.event_date, e.sources[0].published) for e in events] == [
        (dt.date(2014, 9, 23), dt.date(2014, 10, 1))]


def test_event_date_counts_from_a_stamp_after_the_headline(extract):
    events = extract(
        "Shelling kills four in Aleppo market AFP Thursday 25 Sep 2014 Rebels shelled a market in "
        "Aleppo on Tuesday, killing four civilians, a monitor said.",
    )
    assert [e.event_date for e in events] == [dt.date(2014, 9, 23)]


def test_events_of_a_stamp_months_after_the_publication_field_are_news(extract):
    events = extract(
        "Saturday 11 April 2015 18:05 Regime jets bombed Idlib on Friday, killing six civilians.",
        published=dt.date(2015, 2, 2),
    )
    assert [e.event_date for e in events] == [dt.date(2015, 4, 10)]
