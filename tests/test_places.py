"""Places: gazetteer lookups, toponym finding in context, and resolution of namesakes."""

from __future__ import annotations

import json

import pytest

from .conftest import shared_path

from flashpoint.model import Article, CleanArticle, Document
from flashpoint.places import Gazetteer, Geoparser, haversine

@pytest.fixture(scope="session")
def gazetteer(resources):
    return resources.geoparser.gazetteer  # built once per machine (FLASHPOINT_DATA_DIR or user data dir)


@pytest.fixture(scope="session")
def geoparse(nlp, gazetteer):
    from flashpoint.nlp import spacy_text

    geoparser = Geoparser(gazetteer)  # the same construction as Resources.load()

    def run(text: str, exclude=()):
        article = Article(id="t", text=text, origin="test")
        clean = CleanArticle(article=article, text=text, title=None, published=None, outlet=None, language="en")
        return geoparser(Document(clean=clean, spacy_doc=nlp(spacy_text(text))), exclude=exclude)

    return run


def by_name(toponyms, name):
    hits = [t for t in toponyms if t.name == name]
    assert hits, f"{name!r} not found among {[t.name for t in toponyms]}"
    return hits[0]


# -- gazetteer -----------------------------------------------------------------------------


def test_lookup_ignores_case_diacritics_and_arabic_article(gazetteer):
    for surface in ("Al Qusayr", "al-Qusayr", "QUSAYR", "Al-Quşayr"):
        places = gazetteer.lookup(surface)
        assert any(p.country_code == "SY" and p.admin1 == "Homs" for p in places), surface


def test_country_by_code_and_by_name(gazetteer):
    assert gazetteer.country("LB").name == "Lebanon"
    assert gazetteer.country("LBN").iso3 == "LBN"
    assert gazetteer.country("Syria").country_code == "SY"
    assert gazetteer.country("Narnia") is None


def test_province_names_as_conflict_data_spell_them(gazetteer):
    assert {"Rif Dimashq", "Homs", "Idlib", "Deir ez-Zor"} <= set(gazetteer.admin1_names("SY"))
    assert "Baalbek-Hermel" in gazetteer.admin1_names("LB")
    rural = gazetteer.lookup("Rural Damascus")
    assert [p.name for p in rural if p.feature == "admin1"] == ["Rif Dimashq"]


def test_only_latin_names_are_indexed(gazetteer):
    assert gazetteer.lookup("دمشق") == []
    assert any(p.country_code == "SY" for p in gazetteer.lookup("Damascus"))


def test_open_without_build_refuses_a_missing_index(tmp_path):
    with pytest.raises(FileNotFoundError):
        Gazetteer.open(tmp_path / "missing.sqlite", build=False)


# -- finding in context --------------------------------------------------------------------


def test_descriptive_context_confirms_a_town_and_its_country(geoparse):
    t = by_name(geoparse("Gunmen shelled the Syrian town of Talbiseh on Monday."), "Talbiseh")
    assert t.place.country == "Syria" and t.place.admin1 == "Homs"


def test_near_cue_gives_relation_near(geoparse):
    t = by_name(geoparse("Clashes broke out near Zabadani in Syria, activists said."), "Zabadani")
    assert t.relation == "near" and t.place.country_code == "SY"


def test_province_word_selects_the_province(geoparse):
    t = by_name(geoparse("Heavy fighting was reported in Idlib province on Sunday."), "Idlib province")
    assert t.place.feature == "admin1" and t.relation == "region"


def test_mountains_are_a_region(geoparse):
    t = by_name(geoparse("The fighters withdrew into the Qalamoun mountains after the raid."), "Qalamoun")
    assert t.relation == "region" and t.place.admin1 == "Rif Dimashq"


def test_apposition_with_demonym_picks_the_country(geoparse):
    toponyms = geoparse("Troops entered Haweek, a Lebanese village in the Hermel district, at dawn.")
    t = by_name(toponyms, "Haweek")
    assert t.place.country_code == "LB" and t.place.admin2 == "Hermel"
    assert "Lebanon" in t.why


def test_same_name_resolved_by_the_article_country(geoparse):
    lebanon = by_name(geoparse("Gunmen attacked a checkpoint in Tripoli, the main city of northern "
                               "Lebanon, and fled towards Akkar."), "Tripoli")
    libya = by_name(geoparse("Rival militias fought in Tripoli as the Libyan parliament met "
                             "in Tobruk."), "Tripoli")
    assert lebanon.place.country_code == "LB"
    assert libya.place.country_code == "LY"


def test_place_mislabelled_by_ner_is_recovered_by_context(geoparse):
    toponyms = geoparse("Hezbollah units tried to push into Al Qusayr, a Syrian town close to the border.")
    t = by_name(toponyms, "Al Qusayr")
    assert haversine(t.place.latitude, t.place.longitude, 34.509, 36.58) < 15


def test_common_words_people_and_groups_are_not_places(geoparse):
    text = ("Truth matters, Media reports said on Thursday. President Assad met Hezbollah leaders "
            "while Syrian officials spoke to the Times.")
    toponyms = geoparse(text)
    names = {t.name for t in toponyms if t.relation != "demonym"}
    assert not names & {"Truth", "Media", "Thursday", "Assad", "Hezbollah", "Syrian", "Times"}
    # "Syrian" refers to Syria by its adjective: a demonym, never a place of its own
    assert [t.place.name for t in toponyms if t.relation == "demonym"] == ["Syria"]


def test_excluded_span_is_not_reported(geoparse):
    text = "Beirut - Israeli jets struck targets near Nabatieh."
    names = [t.name for t in geoparse(text, exclude=((0, 6),))]
    assert "Beirut" not in names and "Nabatieh" in names


# -- the seed articles ---------------------------------------------------------------------


def _seed(name: str) -> str:
    return next(shared_path("seeds").glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def test_seed_000_qalamoun_and_arsal(geoparse):
    toponyms = geoparse(_seed("000"))
    q = by_name(toponyms, "Qalamoun")
    assert (q.place.country, q.place.admin1) == ("Syria", "Rif Dimashq")
    assert q.place.feature in ("region", "mountains")
    a = by_name(toponyms, "Arsal")
    assert (a.place.country, a.place.admin1) == ("Lebanon", "Baalbek-Hermel")


def test_seed_001_qusayr_haweek_damascus(geoparse):
    toponyms = geoparse(_seed("001"))
    q = by_name(toponyms, "Al Qusayr")
    assert q.place.country == "Syria" and q.place.admin1 == "Homs"
    assert haversine(q.place.latitude, q.place.longitude, 34.509, 36.58) < 15
    h = by_name(toponyms, "Haweek")
    assert (h.place.country, h.place.admin1, h.place.admin2) == ("Lebanon", "Baalbek-Hermel", "Hermel")
    assert haversine(h.place.latitude, h.place.longitude, 34.394, 36.385) < 25
    assert by_name(toponyms, "Damascus").place.country == "Syria"


# -- evaluation ----------------------------------------------------------------------------


def test_evaluate_geoparse_scores_a_small_gold_file(tmp_path, nlp, gazetteer):
    from flashpoint.evaluate.geoparse import evaluate_geoparse

    text = "Shells fell on Aleppo and on Homs. Nobody visited Springfield."
    gold = [{"start": text.index("Aleppo"), "end": text.index("Aleppo") + 6, "name": "Aleppo",
             "lat": 36.2, "lon": 37.16},
            {"start": text.index("Homs"), "end": text.index("Homs") + 4, "name": "Homs",
             "lat": 34.73, "lon": 36.71},
            {"start": text.index("Nobody"), "end": text.index("Nobody") + 6, "name": "Nobody",
             "lat": 0.0, "lon": 0.0}]
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "1", "text": text, "toponyms": gold}) + "\n", encoding="utf-8")
    report = evaluate_geoparse(path, nlp=nlp, geoparser=Geoparser(gazetteer))
    assert report.gold == 3 and report.matched == 2
    assert report.acc161_found == 1.0 and abs(report.acc161_all - 2 / 3) < 1e-9
    assert "acc@161" in report.format()


def test_common_word_capitalised_for_opening_a_quote_is_no_place():
    from flashpoint.model import Article, CleanArticle, Document
    from flashpoint.nlp import load_model
    from flashpoint.places import Gazetteer, Geoparser

    text = ('Rebels cut the power lines around the city, residents said. "Mobile and wireless '
            'signals are not working," one resident told reporters in the United States.')
    article = Article(id="q1", text=text, origin="test")
    doc = Document(clean=CleanArticle(article=article, text=text, title=None, published=None,
                                      outlet=None, language="en"), spacy_doc=load_model()(text))
    assert "Mobile" not in [t.name for t in Geoparser(Gazetteer.open())(doc)]
