"""``flashpoint geoparse`` and ``flashpoint gazetteer import`` from the command line."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from flashpoint.cli import main


def _rows(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_geoparse_prints_every_mention_with_offsets_into_the_text_as_given(tmp_path, resources):
    text = ("Share this story\n\nBEIRUT (Reuters) - Shells fell in Hermel on Tuesday, and "
            "residents of the Syrian town of Al Qusayr fled toward Homs.\n")
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["geoparse", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert {r["name"] for r in rows} >= {"Hermel", "Al Qusayr", "Homs", "Syrian"}
    for r in rows:
        assert text[r["start"]:r["end"]] == r["name"]
        assert set(r) == {"article_id", "start", "end", "name", "latitude", "longitude", "geonameid",
                          "country", "admin1", "feature"}
    qusayr = next(r for r in rows if r["name"] == "Al Qusayr")
    assert (qusayr["country"], qusayr["admin1"]) == ("Syria", "Homs")


def test_geoparse_explain_says_why_a_candidate_won(tmp_path, resources):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "x1", "text": "Clashes were reported in Tripoli, in northern Lebanon."})
                    + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["geoparse", str(path), "--explain"])
    assert result.exit_code == 0, result.output
    tripoli = next(r for r in _rows(result.output) if r["name"] == "Tripoli")
    assert tripoli["article_id"] == "x1" and tripoli["country"] == "Lebanon"
    assert "beat Tripoli (LY)" in tripoli["why"]


def test_geoparse_exits_2_when_no_article_could_be_read(tmp_path, resources):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["geoparse", str(empty)])
    assert result.exit_code == 2


def test_gazetteer_import_command_reports_what_it_loaded(tmp_path, resources, monkeypatch):
    monkeypatch.setenv("FLASHPOINT_DATA_DIR", str(tmp_path))
    shutil.copy(resources.geoparser.gazetteer.path, tmp_path / resources.geoparser.gazetteer.path.name)
    row = ["99000003", "Khirbet Ruman", "Khirbet Ruman", "Khirbat Rumman", "33.2", "35.6", "P", "PPL", "LB",
           "", "", "", "", "", "120", "", "400", "Asia/Beirut", "2024-01-01"]
    dump = tmp_path / "LB.txt"
    dump.write_text("\t".join(row) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["gazetteer", "import", str(dump)])
    assert result.exit_code == 0, result.output
    assert "imported 1 places (0 replaced)" in result.output
