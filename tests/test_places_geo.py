"""Places in the pipeline: demonyms as place references, precision codes, the reporter's
location, FA-KES governorate aliases, and GeoNames dump imports."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3

import pytest

from flashpoint.evaluate.fakes import GovernorateAliases
from flashpoint.model import Article, CleanArticle, Document
from flashpoint.nlp import spacy_text
from flashpoint.places.gazetteer import Gazetteer, import_dump


def _geoparse(resources, text):
    clean = CleanArticle(article=Article(id="t", text=text, origin="test"), text=text, title=None,
                         published=None, outlet=None, language="en")
    return resources.geoparser(Document(clean=clean, spacy_doc=resources.nlp(spacy_text(text))))


def _events(pipeline, text):
    article = Article(id="t", text=text, origin="test", published=dt.date(2025, 3, 4))
    [result] = list(pipeline.run([article]))
    assert result.error is None, result.error
    return result.events


def test_demonyms_are_place_references_resolved_to_their_country_or_continent(resources):
    toponyms = _geoparse(resources, "Russian and European diplomats met Lebanese officials on Tuesday.")
    by_name = {t.name: t for t in toponyms}
    assert by_name["Russian"].relation == "demonym" and by_name["Russian"].place.country_code == "RU"
    assert by_name["Lebanese"].place.feature == "country" and by_name["Lebanese"].place.iso3 == "LBN"
    assert by_name["European"].place.name == "Europe"


def test_a_demonym_never_becomes_the_event_place(pipeline):
    events = _events(pipeline, "Syrian troops shelled the village of Kafr Nabl in Idlib province on Monday, "
                               "killing two civilians.")
    assert events, "the shelling is an event"
    assert events[0].location in ("Kafr Nabl", "Kafr Nabl, Idlib") or events[0].admin1 == "Idlib"
    assert all(e.location != "Syria" for e in events)


def test_precision_codes_town_near_town_and_region(pipeline):
    town = _events(pipeline, "Government forces shelled the town of Saraqib on Monday, killing three people.")
    near = _events(pipeline, "Government forces shelled villages near Saraqib on Monday, killing three people.")
    region = _events(pipeline, "Government forces shelled the Qalamoun mountains on Monday, killing three people.")
    assert town[0].geo_precision == 1 and town[0].admin1 == "Idlib" and town[0].iso3 == "SYR"
    assert near[0].geo_precision == 2
    assert region[0].geo_precision == 3


def test_footage_from_a_city_does_not_place_the_event_there(pipeline):
    events = _events(pipeline, "Footage from Damascus showed rebels attacking an army post in Daraa on Sunday.")
    assert events and all(e.admin1 != "Damascus" for e in events)


def test_fakes_damascus_hint_accepts_the_city_and_its_countryside():
    aliases = GovernorateAliases.load()
    assert aliases.agrees("damascus", "Rif Dimashq") and aliases.agrees("damascus", "Damascus")
    assert aliases.agrees("deir ezzor", "Deir ez-Zor") and aliases.agrees("Hasakeh", "Hasakah")
    assert not aliases.agrees("aleppo", "Idlib") and not aliases.agrees("idlib", None)


# A GeoNames per-country dump in its exact 19-column layout, with invented places.
_DUMP = "\n".join("\t".join(row) for row in [
    ["99000001", "Tell Zaatar Saghir", "Tell Zaatar Saghir", "Tall Zatar Saghir,Tel Zaatar", "35.61", "36.72",
     "P", "PPL", "SY", "", "12", "", "", "", "350", "", "310", "Asia/Damascus", "2024-01-01"],
    ["99000002", "Jabal Nimrud al-Gharbi", "Jabal Nimrud al-Gharbi", "", "34.05", "36.90",
     "T", "MTS", "SY", "", "08", "", "", "", "0", "", "1500", "Asia/Damascus", "2024-01-01"],
]) + "\n"
_ALTERNATE = "1\t99000001\ten\tZaatar the Small\t\t\t\t\t\t\n2\t99000001\tar\tتل زعتر\t\t\t\t\t\t\n"


@pytest.fixture
def index_copy(resources, tmp_path, monkeypatch):
    """A private copy of the built index, so imports do not touch the shared one."""
    monkeypatch.setenv("FLASHPOINT_DATA_DIR", str(tmp_path))
    target = tmp_path / resources.geoparser.gazetteer.path.name
    shutil.copy(resources.geoparser.gazetteer.path, target)
    return target


def test_import_adds_geonames_dump_places_with_province_and_alternate_names(index_copy, tmp_path):
    dump, alt = tmp_path / "SY.txt", tmp_path / "alternateNamesV2.txt"
    dump.write_text(_DUMP, encoding="utf-8")
    alt.write_text(_ALTERNATE, encoding="utf-8")
    report = import_dump(dump, alternate_names=alt, path=index_copy)
    assert report.places == 2 and report.alternate_names == 1  # the Arabic-script name is skipped
    g = Gazetteer.open(index_copy)
    [town] = g.lookup("Tel Zaatar")
    assert (town.geonameid, town.country_code, town.admin1, town.feature) == (99000001, "SY", "Idlib",
                                                                              "populated place")
    assert [p.geonameid for p in g.lookup("Zaatar the Small")] == [99000001]
    assert g.lookup("Jabal Nimrud al-Gharbi")[0].feature == "mountains"


def test_import_replaces_the_entry_with_the_same_geonameid(index_copy, tmp_path):
    con = sqlite3.connect(index_copy)
    gid, lat = con.execute("SELECT geonameid, lat FROM place WHERE name = 'Saraqib'").fetchone()
    con.close()
    row = ["" for _ in range(19)]
    row[:9] = [str(gid), "Saraqib", "Saraqib", "", str(lat + 0.5), "36.8", "P", "PPL", "SY"]
    row[10], row[14] = "12", "40000"
    dump = tmp_path / "fix.txt"
    dump.write_text("\t".join(row) + "\n", encoding="utf-8")
    assert import_dump(dump, path=index_copy).replaced == 1
    hits = [p for p in Gazetteer.open(index_copy).lookup("Saraqib") if p.geonameid == gid]
    assert len(hits) == 1 and hits[0].latitude == pytest.approx(lat + 0.5)


def test_import_rejects_a_file_that_is_not_a_geonames_dump(index_copy, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("name,lat,lon\nX,1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="19 tab-separated columns"):
        import_dump(bad, path=index_copy)
