"""What the punctuation between names says (issue #15): "X, Y" puts X inside the province or
country Y, and a list's items are of one kind; and the names news gives countries, seas and
regions. Sentences written for these tests; what is asserted is what `flashpoint geoparse` and
the extracted events show."""

from __future__ import annotations

from .conftest import extract_events, geoparse_rows


def _named(rows: list[dict], name: str) -> list[dict]:
    return [r for r in rows if r["name"] == name]


def test_a_town_written_before_its_state_lies_in_that_state(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "A 25-year-old Paris, Missouri, man was arrested on Friday after a crash "
                                   "near Holliday, Missouri, the Highway Patrol said.")
    paris = _named(rows, "Paris")[0]
    assert (paris["country"], paris["admin1"]) == ("United States", "Missouri"), paris
    assert "written 'Paris, Missouri'" in paris["why"]


def test_a_county_written_before_its_country_is_not_its_namesake_abroad(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Bird flu was found in turkeys on a farm in Suffolk, England, and in a wild "
                                   "swan in the village of Cellardyke in Fife, Scotland.")
    for name in ("Suffolk", "Fife", "Cellardyke"):
        (row,) = _named(rows, name)
        assert row["country"] == "United Kingdom", row


def test_a_list_of_states_is_not_read_as_towns_inside_each_other(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Cases were reported in Alaska, California, Kansas, Louisiana, Missouri, Nevada, "
                                   "Oregon, Washington, West Virginia and Wyoming, health officials in the United "
                                   "States said.")
    states = [r for r in rows if r["name"] not in ("United States",)]
    assert len(states) == 10
    assert all(r["feature"] == "admin1" and r["country"] == "United States" for r in states), [
        (r["name"], r["feature"], r["admin1"]) for r in states]


def test_a_list_of_towns_and_provinces_is_no_apposition(tmp_path, resources):
    # "Saraqib, Aleppo and Homs" lists three places; Saraqib (Idlib) does not lie in Aleppo.
    rows = geoparse_rows(tmp_path, "Shells fell on Douma, Saraqib, Aleppo and Homs on Monday, the Syrian "
                                   "Observatory for Human Rights said.")
    (saraqib,) = _named(rows, "Saraqib")
    assert (saraqib["country"], saraqib["admin1"]) == ("Syria", "Idlib"), saraqib
    assert "written 'Saraqib, Aleppo'" not in saraqib["why"]


def test_the_congos_are_told_apart_as_news_names_them(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "M23 rebels seized Goma in the Democratic Republic of Congo, and fighting "
                                   "spread across eastern Congo. Officials in the Republic of Congo closed the border.")
    assert {r["name"]: r["country"] for r in rows if "Congo" in r["name"]} == {
        "Democratic Republic of Congo": "Democratic Republic of the Congo",
        "Congo": "Democratic Republic of the Congo",
        "Republic of Congo": "Republic of the Congo",
    }


def test_seas_and_regions_beyond_one_country_are_places_but_no_events_scene(tmp_path, resources, pipeline):
    text = ("Houthi forces fired missiles at a cargo ship in the Red Sea on Monday, the US military said. "
            "Fighting across the Sahel and the Horn of Africa has displaced millions.")
    rows = geoparse_rows(tmp_path, text)
    assert {r["name"]: r["feature"] for r in rows if r["name"] in ("Red Sea", "Sahel", "Horn of Africa")} == {
        "Red Sea": "ocean", "Sahel": "region", "Horn of Africa": "region"}
    # A sea is where the ship was, but an event needs a country: no event is coded to Egypt's
    # or Sudan's Red Sea province.
    events = extract_events(pipeline, text)
    assert not [e for e in events if e.admin1 and "Red Sea" in e.admin1 or e.country in ("Egypt", "Sudan")]


def test_the_state_of_a_name_is_the_state(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "The first case was found in December in the state of Washington, officials "
                                   "in Olympia said.")
    (washington,) = _named(rows, "Washington")
    assert (washington["feature"], washington["admin1"]) == ("admin1", "Washington"), washington


def test_a_town_after_in_that_the_tagger_calls_an_organisation_is_still_a_town(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Their first home together was a rented cottage in Dewsbury, which cost a "
                                   "week's wages. They later moved to Leeds.")
    (dewsbury,) = _named(rows, "Dewsbury")
    assert dewsbury["country"] == "United Kingdom", dewsbury


def test_a_body_after_in_is_no_town(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "He served for ten years in Hezbollah before he left for Beirut.")
    assert [r["name"] for r in rows] == ["Beirut"]
