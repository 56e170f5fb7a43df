"""The README's Python example runs as written and prints the sample articles' events."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


def test_readme_python_example_prints_the_sample_articles_events():
    (code,) = python_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    summaries = [line for line in lines if not line.startswith("{")]
    assert len(records) == len(summaries) >= 5
    assert "2025-06-01 Violent demonstration Aden Rioters (Yemen) vs Police Forces of Yemen" in summaries
    aden = next(r for r in records if r["location"] == "Aden")
    assert aden["country"] == "Yemen"
    evidence = [ev["text"] for source in aden["sources"] for ev in source["evidence"]]
    assert evidence[0].startswith("Police fired tear gas to disperse hundreds of protesters")


def test_readme_quick_start_table_is_what_the_command_prints(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "flashpoint extract examples/articles --format table --geojson events.geojson"
    (shown,) = re.findall(rf"```\n\$ {re.escape(command)}\n(.*?)```", readme, flags=re.S)
    geojson = tmp_path / "events.geojson"
    run = subprocess.run(
        [sys.executable, "-m", "flashpoint", *command.split()[1:-1], str(geojson)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    printed = run.stdout + run.stderr.replace(str(geojson), "events.geojson")
    assert printed == shown
    # The Hermel clash is one event with its two dead, not a second country-level clash.
    hermel = [line for line in printed.splitlines() if "Hermel" in line]
    assert len(hermel) == 1
    assert hermel[0].split()[-2:] == ["2", "confirmed"]  # deaths, certainty
