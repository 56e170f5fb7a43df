"""What the long-running commands tell a user: ``serve`` on a busy port, the progress bars of
``extract``, ``ingest`` and ``batch`` (a total, only at a terminal unless forced), and the line
while the gazetteer is first built."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys

from .conftest import EXAMPLES
from .test_cli_events import ROOT, flashpoint_in_terminal, run, sample_db  # noqa: F401  (fixture)

ARTICLES = str(EXAMPLES / "articles")  # 5 articles: a .txt, an .html and 3 lines of JSON Lines
BAR_DONE = "5/5 ["  # tqdm: "100%|##########| 5/5 [00:02<00:00, ...]"


def flashpoint(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flashpoint", *args], capture_output=True, text=True, cwd=ROOT,
                          input=input, timeout=600)


def test_serve_on_a_busy_port_exits_2_before_it_says_it_serves(sample_db):
    db, _ = sample_db
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = flashpoint("serve", "--db", db, "--port", str(port))
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert "serving" not in result.stderr


def test_serve_on_a_free_port_says_it_serves(sample_db, monkeypatch):
    import uvicorn

    db, _ = sample_db
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    with socket.socket() as probe:  # a port that is free now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(["serve", "--db", db, "--port", str(port)])
    assert result.exit_code == 0 and f"serving http://127.0.0.1:{port}/" in result.stderr
    assert calls[-1]["port"] == port


def test_no_progress_bar_when_stderr_is_not_a_terminal():
    result = flashpoint("extract", ARTICLES, "-o", "/dev/null")
    assert result.returncode == 0
    assert result.stderr == "flashpoint: 5 article(s) processed, 0 skipped, 6 event(s)\n"


def test_progress_forced_counts_the_items_first_and_shows_the_total():
    result = flashpoint("extract", ARTICLES, "-o", "/dev/null", "--progress")
    assert result.returncode == 0 and BAR_DONE in result.stderr and "<00:00" in result.stderr  # total and ETA


def test_at_a_terminal_extract_shows_the_bar_on_stderr_and_stdout_stays_clean():
    status, bar, out = flashpoint_in_terminal(["extract", ARTICLES], stream="stderr", columns=100)
    assert status == 0 and BAR_DONE in bar and "100%" in bar
    assert len(out.splitlines()) == 6 and all(line.startswith("{") for line in out.splitlines())


def test_from_standard_input_the_bar_counts_without_a_total():
    result = flashpoint("extract", "-", "-o", "/dev/null", "--progress",
                        input=(EXAMPLES / "articles" / "wire.jsonl").read_text(encoding="utf-8"))
    assert result.returncode == 0
    assert "3 article [" in result.stderr and "/3" not in result.stderr


def test_ingest_and_batch_bars_have_the_total(tmp_path):
    ingest = flashpoint("ingest", ARTICLES, "--db", str(tmp_path / "e.sqlite"), "--progress")
    assert ingest.returncode == 0 and BAR_DONE in ingest.stderr
    quiet = flashpoint("ingest", ARTICLES, "--db", str(tmp_path / "e.sqlite"))  # not a terminal: no bar
    assert quiet.returncode == 0 and "[" not in quiet.stderr
    batch = flashpoint("batch", ARTICLES, "-o", str(tmp_path / "out"), "--workers", "1", "--progress")
    assert batch.returncode == 0 and BAR_DONE in batch.stderr
    replay = flashpoint("ingest", str(tmp_path / "out"), "--db", str(tmp_path / "b.sqlite"), "--progress")
    assert replay.returncode == 0 and BAR_DONE in replay.stderr  # the batch output's recorded articles


def test_count_items_reads_files_lines_and_knows_stdin_cannot_be_counted(tmp_path):
    from flashpoint.cli.progress import count_items

    assert count_items([ARTICLES]) == 5
    (tmp_path / "a.jsonl").write_text('{"id": 1, "text": "x"}\n\n{"id": 2, "text": "y"}\n')
    (tmp_path / "b.json").write_text('[{"id": 3, "text": "z"}, {"id": 4, "text": "w"}]')
    (tmp_path / ".hidden.txt").write_text("skipped, as the readers skip it")
    assert count_items([str(tmp_path)]) == 4
    assert count_items([ARTICLES, "-"]) is None


def test_the_first_build_of_the_gazetteer_is_announced_once(tmp_path, monkeypatch, sample_db):
    from flashpoint.places import Gazetteer, build

    db, _ = sample_db
    built = Gazetteer.open()  # this machine's, built already: the stand-in build copies it
    monkeypatch.setattr(build, "build", lambda path, **kw: shutil.copyfile(built.path, path))
    built.close()
    monkeypatch.setenv("FLASHPOINT_DATA_DIR", str(tmp_path))
    first = run(["events", "--db", db, "--country", "Lebanon"])  # --country reads the gazetteer
    assert first.exit_code == 0, first.output
    assert "flashpoint: building the gazetteer (first run, about 20 s)…\n" in first.stderr
    assert "El Hermel" in first.stdout
    again = run(["events", "--db", db, "--country", "Lebanon"])
    assert "building the gazetteer" not in again.stderr


def test_the_library_calls_back_rather_than_printing(tmp_path, monkeypatch, capsys):
    from flashpoint.places import Gazetteer, build

    built = Gazetteer.open()
    monkeypatch.setattr(build, "build", lambda path, **kw: shutil.copyfile(built.path, path))
    calls = []
    Gazetteer.open(tmp_path / "g.sqlite", on_build=calls.append).close()
    Gazetteer.open(tmp_path / "g.sqlite", on_build=calls.append).close()
    built.close()
    assert calls == [tmp_path / "g.sqlite"]
    assert capsys.readouterr() == ("", "")
