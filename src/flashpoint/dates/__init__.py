"""Temporal expressions in news text, and the date of an event stated in a sentence.

:func:`find_temporal_expressions` finds dates, weekdays, relative days ("yesterday", "last
week", "two days ago"), durations and history ("since 2013", "for years") and resolves each
against a reference date: the dateline's date when the article carries one (MUC wire:
"SAN SALVADOR, 3 JAN 90 --") and it is at most 7 days before the article's own date, else the
article's own date. That is the date the text states for itself at its head when it does
(:meth:`DateFinder.head_stamp`: "Saturday 11 April 2015 18:05 ...", "30-04-2016 ...",
"Published October 17 2016", "<headline> AFP Thursday 25 Sep 2014 ..."), however far from the
input's publication date, which is often a crawl or re-post date; else the publication date.
The rules for a stamp are in the header of ``data/dates.toml``. :func:`event_date` then picks
the date of one event from those expressions (codebook, "Dates").

Resolution rules (codebook precision: 1 day, 2 within a few days/a week, 3 month only):

* a weekday is the most recent such day not after the reference ("early Thursday" in a
  Friday article is the day before; "Friday" in a Friday article is that day); "last X"
  excludes the reference day itself;
* a day and month without year ("30 DECEMBER", "February 6") is the most recent such day not
  after the reference, except that a day at most 14 days ahead stays in the reference year
  (announcements of scheduled events) and is then kind "future";
* ``06/02/2025`` in the narrative: a part above 12 settles it; when both readings are valid,
  the one closest to the reference without being after it wins, and day-first (the world's
  majority convention and the convention of most wire services outside the US) when there is
  no reference or neither reading is before it (a stamp: "-" and "." are always day-first,
  "/" takes the reading nearest to publication);
* a two-digit year is put in the century that brings it nearest the reference year (1950-2049
  without a reference);
* "in recent days", "this week", "earlier this week", "over the weekend", "last week" have
  precision 2 and are dated to the latest plausible day; "in recent weeks" precision 3 dated
  to the reference; "this month", "last month", "in January", "early March" precision 3 dated
  to the first day of the month;
* without a reference date, relative expressions are kept with ``date=None``; explicit dates
  with a year still resolve.

Kinds: "point" (usable as an event date), "background" (history: any date inside a "since"
phrase, a year alone, "for years", "last year", "decades", a date more than ``OLD_DAYS``
before the reference that is not in the article's lede), "duration" ("for three days"),
"caption" (a date standing alone at the end of a short caption line), "stamp" (a dateline or
"Published ..." date at the head of the text: the report's date, not an event's) and "future"
("tomorrow", "next week", a date after the reference). Callers that only test
``kind == "point"`` can ignore the last two.
"""

from __future__ import annotations

from .event import a_trend, dated_as_background, days_back, event_date, prior_days, prior_spans, without_prior_days
from .finder import DateFinder, find_temporal_expressions
from .lexicon import DateLexicon, TemporalExpression
from .timeline import Timeline

__all__ = [
    "a_trend",
    "DateFinder",
    "DateLexicon",
    "TemporalExpression",
    "dated_as_background",
    "days_back",
    "event_date",
    "prior_days",
    "prior_spans",
    "Timeline",
    "without_prior_days",
    "find_temporal_expressions",
]
