"""`flashpoint gazetteer import` on real GeoNames country dumps (issue #15): ../shared/data/geonames
holds the full dumps of Lebanon, Mali, Burkina Faso, Niger and Tunisia (CC BY 4.0, GeoNames) and
GeoNames' admin code tables. What is asserted is what a user sees: the import's report, the
provinces of the places, and where `flashpoint geoparse` puts a sentence's names."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from flashpoint.cli import main
from flashpoint.places.gazetteer import Gazetteer

from .conftest import geoparse_rows, shared_path


@pytest.fixture(scope="module")
def lebanon_index(resources, tmp_path_factory):
    """A private copy of the built index with GeoNames' Lebanon dump imported, as a user does."""
    dump = shared_path("data", "geonames", "LB.txt")
    codes = [shared_path("data", "geonames", name) for name in ("admin1CodesASCII.txt", "admin2Codes.txt")]
    home = tmp_path_factory.mktemp("lebanon")
    shutil.copy(resources.geoparser.gazetteer.path, home / resources.geoparser.gazetteer.path.name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FLASHPOINT_DATA_DIR", str(home))
        args = ["gazetteer", "import", str(dump)] + [a for c in codes for a in ("--admin-codes", str(c))]
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return home, result.output


def test_importing_a_country_dump_reports_its_places(lebanon_index):
    _, output = lebanon_index
    assert output.startswith("imported 24180 places (52 replaced), 0 alternate names into ")


def test_imported_places_keep_the_province_names_the_index_already_uses(lebanon_index, resources):
    home, _ = lebanon_index
    con = sqlite3.connect(home / resources.geoparser.gazetteer.path.name)
    try:
        provinces = {n for (n,) in con.execute("SELECT name FROM place WHERE cc = 'LB' AND feature = 'admin1'")}
        used = {a for (a,) in con.execute("SELECT DISTINCT admin1 FROM place WHERE cc = 'LB' AND admin1 IS NOT NULL")}
        places = con.execute("SELECT count(*) FROM place WHERE cc = 'LB' AND feature = 'populated place'").fetchone()[0]
    finally:
        con.close()
    # one Mount Lebanon, not a second "Mohafazat Mont-Liban" beside it
    assert provinces == {"Akkar", "Baalbek-Hermel", "Beirut", "Beqaa", "Mount Lebanon", "Nabatieh",
                         "North Lebanon", "South Lebanon"}
    assert used == provinces
    assert places > 3000
    g = Gazetteer.open(home / resources.geoparser.gazetteer.path.name)
    assert {(p.name, p.feature) for p in g.lookup("Mohafazat Mont-Liban")} == {("Mount Lebanon", "admin1")}


def test_a_village_only_the_country_dump_holds_is_placed_on_it(lebanon_index, tmp_path, monkeypatch, resources):
    text = ("An Israeli drone struck a car in Markaba, a village in southern Lebanon, on Tuesday, killing two "
            "people, the Lebanese health ministry said.")
    before = [r for r in geoparse_rows(tmp_path, text) if r["name"] == "Markaba"]
    assert all(r["feature"] != "populated place" for r in before), before  # cities500 lacks it
    home, _ = lebanon_index
    monkeypatch.setenv("FLASHPOINT_DATA_DIR", str(home))
    (after,) = [r for r in geoparse_rows(tmp_path, text) if r["name"] == "Markaba"]
    assert (after["country"], after["admin1"], after["feature"]) == ("Lebanon", "Nabatieh", "populated place")
    assert after["latitude"] == pytest.approx(33.233, abs=0.01) and after["longitude"] == pytest.approx(35.513, abs=0.01)


def test_a_town_keeps_its_population_and_beats_its_district(lebanon_index, tmp_path, monkeypatch):
    # The dump gives Hermel no population; cities500 did. The town must still beat the
    # district (caza) of the same name that the dump adds.
    home, _ = lebanon_index
    monkeypatch.setenv("FLASHPOINT_DATA_DIR", str(home))
    rows = geoparse_rows(tmp_path, "Syrian troops and Lebanese clan fighters exchanged fire near Hermel in "
                                   "northeastern Lebanon on Friday.")
    (hermel,) = [r for r in rows if r["name"] == "Hermel"]
    assert (hermel["feature"], hermel["admin1"]) == ("populated place", "Baalbek-Hermel"), hermel
