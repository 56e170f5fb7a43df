"""Wire copy about a war and everyday news, as a user sees them in the events.

Wire copy (war reports):
- "A US missile strike": a country's strike, singular or plural, names its forces as actor1,
  and missiles fired from afar are a missile attack, not an air strike.
- A picture's caption ("AP Photo <name> <a related story's headline>", "A view shows ...") is
  no report of this article's news.
- "the Faylaq al-Sham faction": a place after an Arabic group word is part of the group's name.
- "which Washington blames on Damascus": a capital blamed is its government, no scene.
- "a source at Aleppo Police Command told SANA": the police are the source, not the target.
- "fighters from the provinces of Aleppo and Idlib": where fighters come from is no scene.
- "an air strike hit poison gas supplies": a strike on a store of gas uses none.
- "regime bombing on the town of X": a government's bombing is from the air.
- A sentence of its own, other day tells another incident: the sides of the sentence before do
  not fill it.
- "a bomb planted by Rahimi": the surname of a person the report names is no place.
- "chlorine in Saraqeb Idlib province": copy without commas runs a town into its province; the
  two known names are the town in the province.

Everyday news (no event at all): a sports report, a cardiac arrest, "sat in the car" (and the
police "according to" whom glass struck a boy), goods seized by police, a suicide note, "50
pounds", a company's agreement.

Sentences written for these tests.
"""

from __future__ import annotations

import datetime as dt

from .conftest import extract_events, geoparse_rows

PUBLISHED = dt.date(2017, 4, 7)


def events(text, pipeline, published=PUBLISHED):
    return extract_events(pipeline, text, published=published, article_id="wire")


# --- wire copy -------------------------------------------------------------------------------

def test_a_countrys_missile_strike_names_its_forces_and_is_a_missile_attack(pipeline):
    (event,) = events("A US missile strike on a military airfield near Homs killed five soldiers on "
                      "Friday, the governor said.", pipeline)
    assert event.actor1 == "Military Forces of the United States (2017-2021)"
    assert event.sub_event_type == "Shelling/artillery/missile attack"


def test_a_countrys_raid_in_a_headline_names_its_forces(pipeline):
    found = events("Turkish Raid on Village near Jarablus Kills Six. A Turkish air strike hit the "
                   "village of Arab Ezza near Jarablus on Thursday, killing six civilians.", pipeline)
    assert [e.actor1 for e in found] == ["Military Forces of Turkey (2002-)"]


def test_a_caption_with_a_related_headline_is_no_event(pipeline):
    text = ("Rebel shells hit the Hamdaniyeh district of Aleppo on Thursday, killing two civilians. "
            "AP Photo Jane Roe US Missile Attack on Syria Attempt to Divert Attention From Mosul - "
            "Moscow According to the police the shells were fired from the Ramouseh area.")
    found = events(text, pipeline)
    assert len(found) == 1
    assert found[0].country == "Syria" and found[0].fatalities == 2


def test_a_view_the_picture_shows_is_no_event(pipeline):
    text = ("A view shows the damage at a hospital after an air strike in the village of Kafr "
            "Nabl in Idlib province. Government air strikes on the town of Saraqib on Tuesday "
            "killed 12 civilians, a monitor said.")
    assert [e.location for e in events(text, pipeline)] == ["Saraqib"]


def test_a_place_after_an_arabic_group_word_is_the_groups_name(tmp_path):
    rows = geoparse_rows(tmp_path, "The Faylaq Al Sham faction said it had begun an offensive on "
                                   "the Zahra district of Aleppo.")
    names = [r["name"] for r in rows]
    assert "Aleppo" in names
    assert not any("Sham" in n for n in names)


def test_a_capital_blamed_for_an_attack_is_its_government(tmp_path):
    rows = geoparse_rows(tmp_path, "Syrian officials denied the claim. The president said the strike "
                                   "answered the chemical attack in Idlib on Tuesday, which "
                                   "Washington blames on Damascus.")
    relation = {r["name"]: r["relation"] for r in rows}
    assert relation["Damascus"] == "metonym"
    assert relation["Idlib"] == "in"


def test_the_police_command_a_source_speaks_from_is_no_target(pipeline):
    text = ("A source at Aleppo Police Command told SANA that rebels fired rocket shells at "
            "al-Sulaymaniyah neighborhood in Aleppo city on Saturday, causing material damage.")
    (event,) = events(text, pipeline, published=dt.date(2016, 11, 12))
    assert event.actor1 == "Opposition Rebels (Syria)"
    assert event.actor2 is None


def test_where_fighters_come_from_is_no_scene(pipeline):
    text = ("Fresh fighting shook Aleppo on Saturday as rebels battled to break a siege of the city. "
            "More than 1500 fighters from the provinces of Aleppo and Idlib to the west were "
            "attacking government-controlled districts of the city.")
    assert "Idlib" not in [e.location for e in events(text, pipeline, published=dt.date(2016, 10, 29))]


def test_a_strike_on_poison_gas_supplies_is_no_chemical_attack(pipeline):
    text = ("The army said on Thursday that an air strike by the US-led coalition late on "
            "Wednesday hit poison gas supplies belonging to Islamic State near Deir al-Zor.")
    types = [e.sub_event_type for e in events(text, pipeline)]
    assert "Chemical weapon" not in types
    assert types == ["Air/drone strike"]


def test_a_governments_bombing_is_an_air_strike(pipeline):
    text = ("Another civilian was killed on Saturday in regime bombing on the town of Kafr Zita "
            "in the northern countryside of Hama.")
    (event,) = events(text, pipeline, published=dt.date(2016, 6, 19))
    assert event.sub_event_type == "Air/drone strike"


def test_a_sentence_of_another_day_keeps_no_sides_of_the_sentence_before(pipeline):
    text = ("US forces launched 59 cruise missiles at the Shayrat airbase near Homs on Thursday "
            "night. The president said it answered the chemical attack in Khan Sheikhoun on Tuesday.")
    chemical = [e for e in events(text, pipeline) if e.sub_event_type == "Chemical weapon"]
    assert chemical and all("United States" not in (e.actor1 or "") for e in chemical)


def test_a_town_run_into_its_province_without_a_comma_is_the_town(pipeline):
    text = ("A spokesman for the civil defence said on Monday that 33 people were affected by the "
            "gas which they suspect was chlorine in Saraqeb Idlib province.")
    (event,) = events(text, pipeline, published=dt.date(2016, 8, 3))
    assert (event.location, event.admin1) == ("Saraqib", "Idlib")


def test_a_persons_surname_is_no_place(tmp_path):
    rows = geoparse_rows(tmp_path, "Accused bomber Ahmad Khan Rahimi pleaded not guilty on Thursday. "
                                   "A pipe bomb planted by Rahimi went off along a race course in "
                                   "New Jersey.")
    assert [r["name"] for r in rows] == ["New Jersey"]


# --- everyday news ---------------------------------------------------------------------------

def test_a_sports_report_yields_no_event(pipeline):
    text = ("Chris Paul hit an off-balance layup with 0.8 seconds left to lift the Houston Rockets "
            "to a 96-94 win over Portland. The Rockets swept their four-game season series with "
            "Portland, and the NBA fined the coach on Monday.")
    assert events(text, pipeline) == []


def test_a_cardiac_arrest_is_no_arrest(pipeline):
    text = ("A man in Beziers had a cardiac arrest on Tuesday, and his body temperature had dropped "
            "to 22 degrees, the regional newspaper reported.")
    assert events(text, pipeline) == []


def test_sitting_in_a_car_is_no_sit_in_and_the_police_quoted_no_target(pipeline):
    text = ("According to the Beverly Hills Police Department, the shattered glass struck the boy "
            "while he sat in the car's back seat on Wednesday.")
    assert events(text, pipeline) == []


def test_a_sit_in_is_a_protest(pipeline):
    (event,) = events("Students staged a sit-in outside the education ministry in Cairo on Monday.",
                      pipeline)
    assert event.sub_event_type == "Peaceful protest"


def test_goods_seized_by_police_take_no_ground(pipeline):
    text = ("Police seized 3,000 kilos of rotten pork meat at a market in Quezon City on "
            "Wednesday evening.")
    assert "Government regains territory" not in [e.sub_event_type for e in events(text, pipeline)]


def test_a_suicide_note_is_no_suicide_bomb(pipeline):
    text = "The teenager signed an online suicide note in Ohio on Sunday, police said."
    assert events(text, pipeline) == []


def test_pounds_of_weight_are_no_shelling(pipeline):
    text = ("In a study in San Diego, children who had the virus weighed on average 50 pounds more "
            "than the others.")
    assert events(text, pipeline) == []


def test_a_companys_agreement_is_no_agreement(pipeline):
    text = ("EW Nutrition has concluded an agreement in Berlin to acquire 51% of the shares in ICON, "
            "a company specialised in feed additives. The transaction was signed on Thursday.")
    assert events(text, pipeline) == []


def test_a_ceasefire_agreement_between_sides_is_an_agreement(pipeline):
    text = ("Government forces and rebels signed an agreement in Homs on Thursday to evacuate the "
            "last besieged district of the city.")
    assert "Agreement" in [e.sub_event_type for e in events(text, pipeline)]
