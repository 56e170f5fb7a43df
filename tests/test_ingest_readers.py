"""Readers: every kind of input becomes Articles or ItemErrors, never a crash or a hang."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from pathlib import Path

import pytest

from flashpoint.ingest import CleaningRules, clean_article, content_id, read_inputs
from flashpoint.model import Article, ItemError

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

NEWS = (
    "Gunmen attacked a police post near the market town on Monday, killing one officer and "
    "wounding two others, the provincial governor said in a statement."
)


@pytest.fixture(scope="session")
def rules() -> CleaningRules:
    return CleaningRules.load()


def read(*paths, **kw) -> list[Article | ItemError]:
    return list(read_inputs([str(p) for p in paths], **kw))


def only(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


# --- plain text, ids, origins ----------------------------------------------------------


def test_text_file_becomes_one_article_with_its_path_as_origin(tmp_path):
    f = tmp_path / "report.txt"
    f.write_text(NEWS, encoding="utf-8")
    art = only(read(f))
    assert isinstance(art, Article)
    assert art.origin == str(f) and art.text == NEWS and not art.is_html


def test_content_id_is_stable_and_ignores_whitespace_differences(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(NEWS, encoding="utf-8")
    b.write_text("  " + NEWS.replace(" ", "  ") + "\n\n", encoding="utf-8")
    first, second = only(read(a)), only(read(b))
    assert first.id == second.id == content_id(NEWS)
    assert len(first.id) == 16 and only(read(a)).id == first.id  # same on a second run
    b.write_text(NEWS.replace("one officer", "two officers"), encoding="utf-8")
    assert only(read(b)).id != first.id


def test_published_option_fills_only_articles_without_a_date(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(
        json.dumps({"id": "dated", "text": NEWS, "published": "2024-05-06"}) + "\n"
        + json.dumps({"id": "undated", "text": NEWS}) + "\n",
        encoding="utf-8",
    )
    dated, undated = read(f, published=dt.date(2025, 2, 7))
    assert dated.published == dt.date(2024, 5, 6)
    assert undated.published == dt.date(2025, 2, 7)


# --- JSON Lines -------------------------------------------------------------------------


def test_jsonl_bad_lines_are_reported_by_line_and_the_rest_goes_on():
    items = read(FIXTURES / "mixed.jsonl")
    origin = str(FIXTURES / "mixed.jsonl")
    by_origin = {i.origin: i for i in items}
    assert isinstance(by_origin[f"{origin}:1"], Article)
    assert "invalid JSON" in by_origin[f"{origin}:2"].reason
    assert "no text" in by_origin[f"{origin}:3"].reason
    assert f"{origin}:4" not in by_origin  # a blank line is no item
    assert "not an object" in by_origin[f"{origin}:8"].reason
    good = [i for i in items if isinstance(i, Article)]
    assert [a.id for a in good] == ["ok-1", "DEV-X-0002", "corpus-style", "voa-style"]


def test_jsonl_field_names_of_the_shared_corpora_are_understood():
    arts = {i.id: i for i in read(FIXTURES / "mixed.jsonl") if isinstance(i, Article)}
    first = arts["ok-1"]
    assert (first.title, first.outlet, first.url) == (
        "Police post attacked", "Example Wire", "https://example.org/a/1")
    assert first.published == dt.date(2024, 5, 6)
    assert arts["corpus-style"].outlet == "Example Daily"  # corpus.jsonl: outlet, date
    assert arts["corpus-style"].published == dt.date(2019, 8, 21)
    assert arts["voa-style"].published == dt.date(2025, 3, 14)  # "2025-03-14 20:30:26Z"
    assert "DEV-X-0002" in arts  # muc4_dev.jsonl: docid


def test_jsonl_html_field_is_marked_as_html(tmp_path):
    f = tmp_path / "pages.jsonl"
    page = "<html><body><p>" + NEWS + "</p></body></html>"
    f.write_text(json.dumps({"id": "p1", "html": page}) + "\n", encoding="utf-8")
    art = only(read(f))
    assert art.is_html and art.text == page


def test_json_array_file_gives_one_article_per_element(tmp_path):
    f = tmp_path / "batch.json"
    f.write_text(json.dumps([{"id": "a", "text": NEWS}, {"id": "b", "text": NEWS}], indent=2))
    assert [(a.id, a.origin) for a in read(f)] == [("a", f"{f}:1"), ("b", f"{f}:2")]


# --- directories and stdin ----------------------------------------------------------------


def test_directory_is_read_recursively_in_sorted_order_skipping_hidden_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_text(NEWS + " Second.", encoding="utf-8")
    (tmp_path / "a.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / ".git" / "x.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    items = read(tmp_path)
    assert [Path(i.origin).name for i in items] == ["a.txt", "notes.pdf", "2.txt"]
    assert isinstance(items[1], ItemError) and "unsupported file type '.pdf'" in items[1].reason


def test_missing_path_is_an_item_error_not_an_exception(tmp_path):
    err = only(read(tmp_path / "nope.txt"))
    assert isinstance(err, ItemError) and "no such file" in err.reason


def test_stdin_plain_text_is_one_article():
    art = only(read_inputs(["-"], stdin=io.StringIO(NEWS)))
    assert isinstance(art, Article) and art.origin == "<stdin>" and art.text == NEWS


def test_stdin_jsonl_is_detected_and_numbered_by_line():
    data = json.dumps({"id": "s1", "text": NEWS}) + "\n" + "{oops\n"
    items = list(read_inputs(["-"], stdin=io.StringIO(data)))
    assert items[0].id == "s1" and items[0].origin == "<stdin>:1"
    assert isinstance(items[1], ItemError) and items[1].origin == "<stdin>:2"


def test_stdin_html_is_detected():
    art = only(read_inputs(["-"], stdin=io.StringIO("<!DOCTYPE html><html><p>x</p></html>")))
    assert art.is_html


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  "])
def test_empty_or_whitespace_file_is_an_error(tmp_path, content):
    f = tmp_path / "empty.txt"
    f.write_bytes(content)
    err = only(read(f))
    assert isinstance(err, ItemError) and "empty" in err.reason


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 40,
        bytes([1, 2, 3, 200, 150, 4, 5, 6, 7, 8, 30, 31]) * 300,
        bytes((i * 7919) % 224 + 32 for i in range(5000)),  # high bytes, no NUL or control
    ],
    ids=["nul-bytes", "control-characters", "high-bytes"],
)
def test_binary_file_is_an_error(tmp_path, content):
    f = tmp_path / "image.txt"
    f.write_bytes(content)
    err = only(read(f))
    assert isinstance(err, ItemError) and "binary" in err.reason


def test_huge_file_is_refused_quickly_without_reading_it(tmp_path):
    f = tmp_path / "huge.txt"
    with f.open("wb") as fh:  # 50 MB of text; sparse where the OS allows, so it is quick
        fh.write((NEWS + "\n").encode())
        fh.seek(50 * 1024 * 1024)
        fh.write((NEWS + "\n").encode())
    assert f.stat().st_size > 50 * 1024 * 1024
    t0 = time.perf_counter()
    err = only(read(f))
    assert time.perf_counter() - t0 < 1.0
    assert isinstance(err, ItemError) and "too large" in err.reason and "max_bytes" in err.reason


def test_oversized_jsonl_line_is_skipped_and_the_next_line_read(tmp_path):
    f = tmp_path / "big.jsonl"
    f.write_text(
        json.dumps({"id": "big", "text": "x " * 5000}) + "\n"
        + json.dumps({"id": "small", "text": NEWS}) + "\n",
        encoding="utf-8",
    )
    big, small = read(f, max_bytes=2000)
    assert isinstance(big, ItemError) and big.origin == f"{f}:1" and "too large" in big.reason
    assert small.id == "small"


def test_stdin_over_the_limit_is_refused():
    err = only(read_inputs(["-"], stdin=io.StringIO("x" * 5000), max_bytes=1000))
    assert isinstance(err, ItemError) and err.origin == "<stdin>"


def test_latin1_file_is_decoded_with_the_right_characters(tmp_path, rules):
    text = ("Señor Pérez, the mayor of Güímar, said the café near the plaza was damaged "
            "when a grenade exploded on Sunday; two people were wounded.")
    f = tmp_path / "latin1.txt"
    f.write_bytes(text.encode("latin-1"))
    art = only(read(f))
    assert isinstance(art, Article) and art.text == text
    clean = clean_article(art, rules=rules)
    assert "Señor Pérez" in clean.text and "café" in clean.text


def test_cp1252_quotes_and_dashes_are_decoded(tmp_path):
    text = "The commander said: “We held the line” – and the attack stopped."
    f = tmp_path / "win.txt"
    f.write_bytes(text.encode("cp1252"))
    assert only(read(f)).text == text


def test_shared_corpora_read_without_errors():
    paths = [SHARED / "data" / n for n in ("voa.jsonl", "muc4_dev.jsonl")]
    if not all(p.exists() for p in paths):
        pytest.skip("../shared/data is not available on this machine")
    items = read(*paths)
    assert len(items) == 89 + 1300
    assert not [i for i in items if isinstance(i, ItemError)]
