"""Place names the geoparser used to drop, as a user of ``flashpoint geoparse`` sees them.

- A known town after "to", "from", "near" is the town even when the tagger calls it an
  organisation ("to Great Yarmouth", "from Centreville").
- A known town heading the text in capitals before a comma is the reporter's town (the
  dateline): a place, never an event's.
- A place that names a body or a group ("Saskatoon police", "EU leaders", "Seattle Fire") is
  kept as a metonym: a reader marks it as a place, but no event happens there.

Sentences written for these tests.
"""

from __future__ import annotations

import datetime as dt

from .conftest import extract_events, geoparse_rows


def rows_by_name(tmp_path, text):
    return {r["name"]: r for r in geoparse_rows(tmp_path, text)}


def test_a_town_after_to_is_the_town_whatever_the_tagger_says(tmp_path):
    rows = rows_by_name(tmp_path, "After the wedding they went on their honeymoon to Great Yarmouth. "
                                  "Their first home together was a rented flat.")
    assert rows["Great Yarmouth"]["country"] == "United Kingdom"


def test_a_town_heading_the_text_in_capitals_is_the_dateline(tmp_path):
    rows = rows_by_name(tmp_path, "RALEIGH, N.C. (AP) - A new report shows that most teachers "
                                  "stayed away from work on the day of the march.")
    assert rows["RALEIGH"]["admin1"] == "North Carolina"
    assert rows["RALEIGH"]["relation"] == "dateline"


def test_a_place_naming_a_police_force_is_a_metonym(tmp_path):
    rows = rows_by_name(tmp_path, "A man pointed a replica handgun at a Saskatoon police officer "
                                  "on Monday, the force said.")
    assert rows["Saskatoon"]["country"] == "Canada"
    assert rows["Saskatoon"]["relation"] == "metonym"


def test_a_metonym_is_never_where_the_event_happened(pipeline):
    text = ("Saskatoon police arrested two men on Monday after a protest in the town of Prince "
            "Albert, officers said.")
    events = extract_events(pipeline, text, published=dt.date(2018, 4, 2))
    assert events and all(e.location != "Saskatoon" for e in events)
