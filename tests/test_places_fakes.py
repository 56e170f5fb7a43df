"""Event places when a report names only a region, a country or a place in a headline, and
the FA-KES governorate evaluation's halves. Every sentence here is written for the tests."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from flashpoint.evaluate.fakes import GovernorateAliases, evaluate_fakes
from flashpoint.model import Article, CleanArticle, Document
from flashpoint.nlp import spacy_text

from .conftest import geoparse_rows


def _events(pipeline, text):
    article = Article(id="t", text=text, origin="test", published=dt.date(2016, 7, 6))
    [result] = list(pipeline.run([article]))
    assert result.error is None, result.error
    return result.events


def _geoparse(resources, text):
    clean = CleanArticle(article=Article(id="t", text=text, origin="test"), text=text, title=None,
                         published=None, outlet=None, language="en")
    return resources.geoparser(Document(clean=clean, spacy_doc=resources.nlp(spacy_text(text))))


def test_a_sentence_naming_only_a_province_codes_the_event_to_it(pipeline):
    events = _events(pipeline, "Government aircraft bombed a crowded market in Idlib province on Monday, "
                               "killing five people.")
    assert events and events[0].admin1 == "Idlib" and events[0].country == "Syria"
    assert events[0].geo_precision == 3


def test_a_country_named_as_the_scene_is_the_place_but_a_country_named_as_actor_is_not(pipeline):
    scene = _events(pipeline, "Air strikes killed twelve fighters in northern Syria on Sunday.")
    actor = _events(pipeline, "Russia said on Sunday that its jets killed twelve fighters.")
    assert scene and scene[0].country == "Syria" and scene[0].admin1 is None and scene[0].geo_precision == 3
    assert actor and all(e.country != "Russia" for e in actor)


def test_a_region_event_does_not_join_an_event_in_another_province(pipeline):
    events = _events(pipeline, "Government forces shelled the town of Azaz on Monday, killing two people. "
                               "Government forces also shelled villages in Idlib province on Monday, "
                               "killing three people.")
    assert {e.admin1 for e in events} >= {"Aleppo", "Idlib"}


def test_a_country_possessive_written_without_its_apostrophe_does_not_hide_the_town(pipeline):
    events = _events(pipeline, "A car bomb killed nine people outside a bakery in Syrias Hasakeh city on Tuesday.")
    assert events and events[0].admin1 == "Hasakah"


def test_acronyms_in_mixed_case_text_are_not_towns(resources):
    toponyms = _geoparse(resources, "IS fighters attacked an army post near the Syrian city of Palmyra on Friday, SANA reported.")
    countries = {t.place.country_code for t in toponyms if t.place is not None}
    assert "RU" not in countries and "YE" not in countries  # "Is" (Russia), "Sanaa" (Yemen)
    assert any(t.place is not None and t.place.admin1 == "Homs" for t in toponyms)


def test_a_place_heading_the_story_with_a_news_agency_is_a_dateline_not_the_event_place(pipeline):
    events = _events(pipeline, "Rebels lose ground in the north Moscow AFP Saturday Russian jets struck rebel "
                               "positions in the town of Saraqib, killing ten fighters.")
    assert events and events[0].admin1 == "Idlib"
    assert all(e.country != "Russia" for e in events)


def test_a_lede_naming_only_the_country_is_placed_by_the_sentence_after_it(pipeline):
    events = _events(pipeline, "Air strikes killed 20 civilians in eastern Syria on Monday, a monitor said. "
                               "The dead were farmers from the town of Al Mayadin, residents said.")
    assert events and events[0].admin1 == "Deir ez-Zor"


def test_on_the_outskirts_of_a_town_is_near_it(pipeline):
    events = _events(pipeline, "Syrian army forces fought Hezbollah fighters on the outskirts of Qusayr on "
                               "Thursday, and three soldiers were killed.")
    assert events and events[0].location == "Al Qusayr" and events[0].geo_precision == 2


def test_a_region_beyond_one_country_is_never_an_event_place(pipeline):
    events = _events(pipeline, "Militants of the group's branch in the Levant killed ten soldiers in an "
                               "ambush on Monday.")
    assert events and all(e.location != "Levant" for e in events)


def test_capitalised_common_words_of_a_headline_are_not_small_foreign_towns(resources):
    toponyms = _geoparse(resources, "Bus Bombing Marks End Of Tragic Evacuation From Besieged Towns Near Aleppo")
    resolved = [t for t in toponyms if t.place is not None and t.relation != "demonym"]
    assert [t.place.country_code for t in resolved] == ["SY"]


def test_spelling_variants_of_syrian_governorates_resolve_to_their_province(pipeline):
    variants = {"Deir Ezour": "Deir ez-Zor", "Lattakia": "Latakia", "Raqa": "Raqqa", "Deraa": "Daraa",
                "Sweida": "Suwayda", "Tartous": "Tartus", "Hassakeh": "Hasakah"}
    for written, admin1 in variants.items():
        events = _events(pipeline, f"Government warplanes bombed villages in {written} province on Monday, "
                                   "killing four civilians.")
        assert events and events[0].admin1 == admin1, written


def test_fakes_evaluation_splits_articles_into_even_and_odd_halves(tmp_path, pipeline):
    rows = [
        ("aleppo", "Government warplanes bombed a market in the town of Azaz on Monday, killing six people."),
        ("idlib", "Government warplanes bombed a market in the town of Saraqib on Monday, killing six people."),
        ("homs", "Government warplanes bombed a market in the town of Al Qusayr on Monday, killing six people."),
    ]
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "other", "source_dataset": "MUC", "text": "Not FA-KES."}) + "\n")
        for i, (hint, text) in enumerate(rows):
            fh.write(json.dumps({"id": f"f{i}", "source_dataset": "FA-KES", "date": "2016-07-05",
                                 "location_hint": hint, "title": "", "text": text}) + "\n")
    aliases = GovernorateAliases.load()
    even = evaluate_fakes(corpus, pipeline=pipeline, aliases=aliases, half="even")
    odd = evaluate_fakes(corpus, pipeline=pipeline, aliases=aliases, half="odd")
    assert (even.articles, odd.articles) == (2, 1)
    assert even.agree == 2 and odd.agree == 1
    assert "governorate agreement over articles with an event: 1.000 (2/2)" in even.format()


def test_an_opening_event_without_a_place_does_not_become_the_main_event(pipeline):
    events = _events(pipeline, "Nine civilians shot dead on Friday. Air strikes hit militant positions in "
                               "Raqqa province on Saturday, killing twenty fighters, a monitor said.")
    assert events and events[0].admin1 == "Raqqa" and events[0].country == "Syria"
    assert any(e.location is None for e in events[1:])  # the place-less event is kept, not dropped


def test_a_foreign_capital_named_first_yields_the_main_event_to_the_article_country(pipeline):
    events = _events(pipeline, "Moscow said its jets killed 30 militants on Friday. Russian jets struck "
                               "positions of militants near the Syrian town of Al Mayadin on Friday, killing 30. "
                               "The strikes near Al Mayadin destroyed a depot.")
    assert events and events[0].country == "Syria" and events[0].admin1 == "Deir ez-Zor"


def test_an_unknown_village_named_like_a_town_by_its_first_word_falls_back_to_the_province(pipeline):
    events = _events(pipeline, "A suicide bomber killed 20 guests at a wedding in the village of Tall Zaytun "
                               "in the Hassakeh province on Monday.")
    assert events and events[0].admin1 == "Hasakah" and events[0].geo_precision == 3


def test_a_province_possessive_written_without_its_apostrophe_is_the_province(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Three people were injured by a rocket shell on Monday in Aleppos southern "
                                   "countryside, a police source said.")
    (row,) = [r for r in rows if r["name"].startswith("Aleppos")]
    assert (row["admin1"], row["feature"]) == ("Aleppo", "admin1")


@pytest.mark.parametrize("text, where", [
    # the article in lower case belongs to the name
    ("Kurdish-led fighters captured three neighbourhoods of the northern city of al-Tabqa from Islamic "
     "State on Friday.", ("Al-Tabqa", "Raqqa")),
    # unknown as written, known in the gazetteer's romanisation (Ain = Ayn)
    ("Kurdish fighters repelled an Islamic State attack on Tuesday near the Syrian town of Ain al-Arab, a "
     "monitor said.", ("Ayn al Arab", "Aleppo")),
    # after a country's possessive that lost its apostrophe
    ("At least 50 militants were killed on Sunday in clashes in Syrias Kobani, a monitor said.",
     ("Ayn al Arab", "Aleppo")),
    # a doubled consonant the gazetteer writes single
    ("Artillery fire hit the rebel-held central town of Talbisseh in Syria on Tuesday, an activist said.",
     ("Tallbisah", "Homs")),
    # the article written as the sun letter that follows it (al-Sh... = ash Sh...)
    ("Syrian government forces shelled the town of Jisr al-Shughur in Idlib province on Monday.",
     ("Jisr ash Shughur", "Idlib")),
])
def test_a_name_written_otherwise_than_the_gazetteer_is_found(pipeline, text, where):
    assert [(e.location, e.admin1) for e in _events(pipeline, text)] == [where]


def test_a_place_taken_is_a_place_whatever_the_tagger_calls_it(pipeline):
    events = _events(pipeline, "Kurdish fighters completed the capture of Tel Hamis from Islamic State on "
                               "Friday, a monitor said.")
    assert events and {e.location for e in events} == {"Tel Hamis"}


def test_a_name_after_a_province_possessive_is_no_namesake_abroad(tmp_path, resources):
    rows = geoparse_rows(tmp_path, "Shells hit houses on Monday in Aleppos southern Hamdaniya, a resident said.")
    assert not [r for r in rows if r["country"] not in (None, "Syria")], rows
