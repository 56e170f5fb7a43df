"""``flashpoint events`` (and ``show``, ``export``, ``serve``) as a user meets them: the table
with ids that ``show`` takes, ``--limit`` and the count line, the fit to the terminal, filter
values that cannot match, and a mistyped ``--db``. The store is the project's sample articles
through the real pipeline."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashpoint.cli import main

from .conftest import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
ID = re.compile(r"^(fp-[0-9a-f]{16})\b", re.M)


def run(args, **kw):
    return CliRunner().invoke(main, args, catch_exceptions=False, **kw)


def flashpoint_in_terminal(args: list[str], *, columns: int = 120, stream: str = "stdout",
                           env: dict[str, str] | None = None, timeout: float = 600) -> tuple[int, str, str]:
    """``flashpoint ARGS`` with ``stream`` ("stdout" or "stderr") on a pseudo-terminal
    ``columns`` wide and the other piped: (exit status, what the terminal showed, the piped one)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    run_env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")} | (env or {})
    other = "stderr" if stream == "stdout" else "stdout"
    proc = subprocess.Popen([sys.executable, "-m", "flashpoint", *args], cwd=ROOT, env=run_env,
                            **{stream: slave, other: subprocess.PIPE})
    os.close(slave)
    shown: list[bytes] = []

    def read() -> None:  # a terminal's buffer is small: drain it while the command runs
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the command closed its end
                return
            if not data:
                return
            shown.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        reader.join(timeout=30)
        os.close(master)
    piped = (err if other == "stderr" else out) or b""
    return proc.returncode, b"".join(shown).decode().replace("\r\n", "\n"), piped.decode()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> tuple[str, str]:
    """The sample articles ingested into a new store: (its path, what ingest said)."""
    db = str(tmp_path_factory.mktemp("store") / "sample.sqlite")
    result = run(["ingest", str(EXAMPLES / "articles"), "--db", db, "--no-progress"])
    assert result.exit_code == 0, result.output
    return db, result.stderr


def test_the_table_shows_event_ids_that_show_opens(sample_db):
    db, _ = sample_db
    result = run(["events", "--db", db])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["event_id", "date", "type"]
    ids = ID.findall(result.stdout)
    assert len(ids) == 6 and lines[-1] == "6 events"
    for event_id in ids:
        shown = run(["show", event_id, "--db", db])
        assert shown.exit_code == 0, shown.output
        assert shown.stdout.startswith(f"event {event_id}\n")


def test_limit_one_prints_one_row_and_says_how_many_more(sample_db):
    db, _ = sample_db
    result = run(["events", "--db", db, "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert len(ID.findall(result.stdout)) == 1
    assert result.stdout.splitlines()[-1] == "showing 1 of 6 events; 5 more (--limit N shows N, --limit 0 all)"
    first = ID.findall(run(["events", "--db", db, "--limit", "0"]).stdout)
    assert ID.findall(result.stdout) == first[:1]  # the same order, cut


def test_the_newest_come_first_and_sort_orders_as_the_api_does(sample_db):
    from flashpoint.cli.filters import SORTS
    from flashpoint.store.cursor import SORTS as API_SORTS

    assert SORTS == API_SORTS
    db, _ = sample_db

    def listed(*sort: str) -> list[dict]:
        result = run(["events", "--db", db, "--format", "jsonl", *sort])
        assert result.exit_code == 0, result.output
        return [json.loads(line) for line in result.stdout.splitlines()]

    dates = [e["event_date"] for e in listed() if e["event_date"]]
    assert dates == sorted(dates, reverse=True) and dates[0] > dates[-1]
    assert [e["event_date"] for e in listed("--sort", "event_date") if e["event_date"]] == sorted(dates)
    deaths = [e["fatalities"] for e in listed("--sort", "-fatalities")]
    assert deaths == sorted(deaths, reverse=True) and deaths[0] > 0
    assert run(["events", "--db", db, "--sort", "deaths"]).exit_code == 2


def test_the_table_shows_fifty_by_default_and_the_other_formats_all(sample_db, monkeypatch):
    db, _ = sample_db
    monkeypatch.setattr("flashpoint.cli.store.TABLE_LIMIT", 4)  # the sample has 6 events, not 51
    table = run(["events", "--db", db])
    assert len(ID.findall(table.stdout)) == 4 and "showing 4 of 6 events; 2 more" in table.stdout
    jsonl = run(["events", "--db", db, "--format", "jsonl"])
    assert len([json.loads(line) for line in jsonl.stdout.splitlines()]) == 6
    assert jsonl.stderr == "flashpoint: 6 events\n"  # the count goes to stderr: stdout stays JSON Lines
    cut = run(["events", "--db", db, "--format", "csv", "--limit", "2"])
    assert len(cut.stdout.splitlines()) == 3 and "showing 2 of 6 events; 4 more" in cut.stderr


def test_the_readme_events_example_is_what_a_120_column_terminal_shows(sample_db):
    db, said = sample_db
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```\n(\$ flashpoint ingest examples/articles --db sample\.sqlite\n.*?)```", readme, flags=re.S)
    ingest_cmd, ingest_out, events_cmd, *table = block.splitlines()
    assert ingest_out == said.strip()
    args = events_cmd.split("#")[0].split()[2:]  # after "$ flashpoint"
    assert args == ["events", "--db", "sample.sqlite", "--limit", "3"]
    status, shown, _ = flashpoint_in_terminal([a if a != "sample.sqlite" else db for a in args], columns=120)
    assert status == 0
    assert shown.splitlines() == table


@pytest.mark.parametrize("columns", [80, 100, 160])
def test_at_a_terminal_no_line_is_wider_than_it_and_the_ids_stay_whole(sample_db, columns):
    db, _ = sample_db
    status, shown, _ = flashpoint_in_terminal(["events", "--db", db], columns=columns)
    assert status == 0
    rows = shown.splitlines()[:-1]  # the count line is a message, not a row
    assert rows and all(len(line) <= columns for line in rows)
    assert "…" in shown  # the sample's actor names do not fit even 160 columns
    ids = ID.findall(shown)
    assert len(ids) == 6 and run(["show", ids[0], "--db", db]).exit_code == 0


def test_piped_the_table_is_not_cut(sample_db):
    db, _ = sample_db
    piped = subprocess.run([sys.executable, "-m", "flashpoint", "events", "--db", db], capture_output=True,
                           text=True, cwd=ROOT, timeout=300, env={**os.environ, "COLUMNS": "80"})
    assert piped.returncode == 0, piped.stderr
    assert "…" not in piped.stdout and "Military Forces of Saudi Arabia (2015-)" in piped.stdout


@pytest.mark.parametrize("command", [["events"], ["export"], ["show", "fp-0000000000000000"], ["serve"]])
def test_a_mistyped_db_exits_2_names_it_and_creates_nothing(tmp_path, command):
    typo = tmp_path / "evnets" / "sample.sqlite"
    result = run([*command, "--db", str(typo)])
    assert result.exit_code == 2
    assert f"no database at {typo}" in result.stderr
    assert not typo.exists() and not typo.parent.exists()
    assert "serving" not in result.output


def test_without_any_store_the_default_is_named_and_not_created(tmp_path):
    data = tmp_path / "data"
    result = run(["events"], env={"FLASHPOINT_DATA_DIR": str(data)})
    assert result.exit_code == 2
    assert f"no event database yet at {data / 'events.sqlite'}" in result.stderr
    assert not data.exists()


def test_create_opens_a_new_store_empty(tmp_path):
    new = tmp_path / "new" / "events.sqlite"
    result = run(["events", "--db", str(new), "--create"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "0 events\n" and new.exists()


def test_an_unknown_type_exits_2_and_suggests_the_codebooks(sample_db):
    db, _ = sample_db
    result = run(["events", "--db", db, "--type", "Airstrike"])
    assert result.exit_code == 2
    assert "'Airstrike' is not an event type or sub-event type" in result.stderr
    assert "did you mean 'Air/drone strike'?" in result.stderr
    assert "did you mean 'Remote explosive/landmine/IED'?" in run(["events", "--db", db, "--type", "IED"]).stderr


def test_a_known_type_matches_in_any_case_and_one_without_events_counts_0(sample_db):
    db, _ = sample_db
    clash = run(["events", "--db", db, "--type", "armed clash"])
    assert clash.exit_code == 0 and len(ID.findall(clash.stdout)) == 1 and "El Hermel" in clash.stdout
    none = run(["events", "--db", db, "--type", "Grenade"])
    assert none.exit_code == 0 and none.stdout == "0 events\n"


def test_an_unknown_country_exits_2_and_suggests_one(sample_db):
    db, _ = sample_db
    result = run(["events", "--db", db, "--country", "Syra"])
    assert result.exit_code == 2
    assert "'Syra' is not a country name or ISO3 code; did you mean 'Syria'" in result.stderr


def test_a_country_by_name_iso3_iso2_or_other_name_gives_the_same_events(sample_db):
    db, _ = sample_db
    by_name = ID.findall(run(["events", "--db", db, "--country", "Syria"]).stdout)
    assert len(by_name) == 3
    for other in ("SYR", "syr", "SY", "Syrian Arab Republic"):
        result = run(["events", "--db", db, "--country", other])
        assert result.exit_code == 0 and ID.findall(result.stdout) == by_name, other
    assert "events in Syria (SYR)" in run(["events", "--db", db, "--country", "SY"]).stderr
    fiji = run(["events", "--db", db, "--country", "Fiji"])
    assert fiji.exit_code == 0 and fiji.stdout == "0 events\n"
