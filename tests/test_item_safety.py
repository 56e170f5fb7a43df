"""No input item can stop a run: each is made safe (ingest/safety.py) or fails alone, reported.

The texts are ours, written for these tests; the bad items are the ones a hostile user tried
(issue #16): a lone surrogate, a text over spaCy's limit, placeholder dates, an over-long id,
HTML nested thousands deep, UTF-16 without its byte order mark, a JSON syntax error.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import replace

import pytest

from flashpoint.ingest import read_inputs
from flashpoint.ingest.safety import SafetyLimits, bound_events, cut_text, safe_article
from flashpoint.model import Article, ItemError
from flashpoint.pipeline import Pipeline, PipelineOptions

CLASH = "Syrian troops clashed with rebels near Aleppo on Monday, killing 3 people."
RAID = "Gunmen attacked a police post in Homs on Tuesday, killing two officers."


def _jsonl(tmp_path, lines: list[str]):
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_lone_surrogate_is_replaced_reported_and_the_article_coded(tmp_path, pipeline):
    # "\ud800" escaped in JSON decodes to a lone surrogate, which no UTF-8 encoder accepts
    path = _jsonl(tmp_path, ['{"id": "s1", "published": "2024-01-02", "text": "Rebels attacked \\ud800 a '
                             'post near Aleppo on Monday, killing 3 soldiers."}'])
    (article,) = read_inputs([str(path)])
    assert "\ufffd" in article.text and "\ud800" not in article.text
    assert article.warnings == ("text: 1 invalid or control character(s) replaced by U+FFFD",)
    (result,) = pipeline.run([article])
    assert result.error is None
    assert [e.location for e in result.events] == ["Aleppo"]
    assert result.warnings == article.warnings


def test_placeholder_publication_dates_are_ignored_with_a_warning(tmp_path, pipeline):
    path = _jsonl(tmp_path, [json.dumps({"id": "d9", "published": "9999-12-31", "text": CLASH}),
                             json.dumps({"id": "d0", "published": "0001-01-01", "text": RAID})])
    results = list(pipeline.run(read_inputs([str(path)])))
    assert [r.error for r in results] == [None, None]
    assert [r.clean.published for r in results] == [None, None]
    assert results[0].warnings == ("published: 9999-12-31 is outside 1800-01-01..2200-12-31, a placeholder; ignored",)
    assert [e.location for r in results for e in r.events] == ["Aleppo", "Homs"]


def test_an_over_long_id_is_replaced_by_a_stable_digest():
    article = Article(id="x" * 5000, text=CLASH, origin="t")
    safe = safe_article(article)
    assert safe.id.startswith("id-") and len(safe.id) == 19
    assert safe.id == safe_article(article).id  # the same input, the same id, every run
    assert safe.warnings == (f"id: unusable as given (5,000 characters, the limit is 200); using {safe.id}",)
    assert safe_article(safe) is safe  # safe already: nothing changes, nothing is said twice


def test_a_text_over_the_limit_is_cut_at_a_sentence_end_and_still_coded(resources):
    limits = SafetyLimits(max_chars=2_000)
    pipeline = Pipeline(resources, options=PipelineOptions(limits=limits))
    text = " ".join([CLASH] + [RAID] * 60)  # about 4,500 characters on one line
    (result,) = pipeline.run([Article(id="long", text=text, origin="t", published=dt.date(2024, 1, 2))])
    assert result.error is None
    assert len(result.clean.text) <= 2_000 and result.clean.text.endswith("officers.")
    assert result.warnings[0].startswith("text: longer than 2,000 characters; cut to ")
    assert {e.location for e in result.events} == {"Aleppo", "Homs"}


def test_cut_text_prefers_a_paragraph_end_then_a_sentence_end_near_the_limit():
    words = "word " * 18  # 90 characters: the cut is looked for in the last tenth of 100
    assert cut_text(words + "a.\n\nNext. More words go on", 100) == words + "a."
    assert cut_text(words + "end. More words go on and on", 100) == words + "end."
    assert cut_text(words + "no sentence ends at all here", 100) == words + "no"
    assert cut_text("short", 100) == "short"


def test_an_item_the_parser_refuses_fails_alone_and_its_batch_goes_on(resources):
    # limits above spaCy's own 1,000,000 characters: the parser raises (E088) for that item,
    # and only for it
    pipeline = Pipeline(resources, options=PipelineOptions(limits=SafetyLimits(max_chars=2_000_000)))
    huge = " ".join([CLASH] * 14_000)  # 1,049,999 characters
    items = [Article(id="a", text=CLASH, origin="a", published=dt.date(2024, 1, 2)),
             Article(id="huge", text=huge, origin="huge"),
             Article(id="b", text=RAID, origin="b", published=dt.date(2024, 1, 2))]
    results = list(pipeline.run(items))
    assert [r.origin for r in results] == ["a", "huge", "b"]
    assert results[1].error is not None and "language analysis failed" in results[1].error.reason
    assert "E088" in results[1].error.reason
    assert [e.location for e in results[0].events + results[2].events] == ["Aleppo", "Homs"]


def test_an_event_dated_outside_the_calendar_range_is_flagged_not_dropped(pipeline):
    (result,) = pipeline.run([Article(id="e", text=CLASH, origin="t", published=dt.date(2024, 1, 2))])
    (event,) = result.events
    (kept,) = bound_events([replace(event, event_date=dt.date(9999, 12, 27))])
    assert kept.event_date is None and kept.date_precision is None
    assert kept.notes.endswith("The text dates it 9999-12-27, outside 1800-01-01..2200-12-31: date left empty.")
    assert (kept.location, kept.fatalities) == ("Aleppo", 3)


def test_html_nested_thousands_deep_keeps_its_text(tmp_path):
    html = "<html><body>" + "<div>" * 5000 + f"<p>{CLASH}</p>" + "</div>" * 5000 + "</body></html>"
    path = tmp_path / "deep.html"
    path.write_text(html, encoding="utf-8")
    from flashpoint.ingest import CleaningRules, clean_article

    (article,) = read_inputs([str(path)])
    clean = clean_article(article, rules=CleaningRules.load())
    assert not isinstance(clean, ItemError), clean
    assert clean.text == CLASH


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text_not_binary(tmp_path, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes((CLASH + "\n" + RAID + "\n").encode(encoding))
    (article,) = read_inputs([str(path)])
    assert isinstance(article, Article), article
    assert article.text.startswith(CLASH)


def test_a_json_syntax_error_is_named_and_a_raw_tab_in_a_string_is_text(tmp_path):
    path = _jsonl(tmp_path, ['{"id": "bad", "text": "one" "two"}', '{"id": "tab", "text": "Troops\tclashed."}'])
    bad, tab = read_inputs([str(path)])
    assert isinstance(bad, ItemError)
    assert bad.reason == "invalid JSON (Expecting ',' delimiter, column 29); line skipped"
    assert isinstance(tab, Article) and tab.text == "Troops\tclashed."


def test_extract_reports_each_bad_item_and_codes_the_good_ones(tmp_path):
    path = _jsonl(tmp_path, [
        json.dumps({"id": "ok", "published": "2024-01-02", "text": CLASH}),
        '{"id": "s", "published": "2024-01-02", "text": "Police said \\udfff the market in Homs was shelled on Monday."}',
        json.dumps({"id": "d", "published": "9999-12-31", "text": RAID}),
        "{not json",
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"id": "big", "published": "2024-01-02",
                    "text": "Gunmen killed 99999999999999999999999 civilians in Aleppo on Monday."}),
    ])
    run = subprocess.run(["flashpoint", "extract", str(path), "--format", "jsonl"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    events = [json.loads(line) for line in run.stdout.splitlines()]
    assert {e["sources"][0]["article_id"] for e in events} >= {"ok", "d"}
    assert all(e["fatalities"] < 10_000 for e in events)
    assert f"warning: {path}:2: text: 1 invalid or control character(s) replaced by U+FFFD" in run.stderr
    assert f"warning: {path}:3: published: 9999-12-31 is outside" in run.stderr
    assert f"skipped {path}:4: invalid JSON" in run.stderr
    assert f"skipped {path}:5: no text" in run.stderr
    assert "4 article(s) processed, 2 skipped" in run.stderr
