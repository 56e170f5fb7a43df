#!/usr/bin/env python3
"""Regenerate the README's screenshots from a real run over the Voice of America stories.

    python scripts/screenshots.py [--voa ../shared/data/voa.jsonl] [--out docs]

Ingests the stories into a temporary store with ``flashpoint ingest``, serves it with
``flashpoint serve`` on loopback, and drives Debian's chromium (Playwright) to write

- docs/screenshot-desktop.png (1400 x 900): the event with the highest toll open, its
  fatalities' evidence sentence highlighted in the article text;
- docs/screenshot-phone.png (390 x 844): the same event as a bottom sheet under the map.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 (our own loopback server)
        return json.load(r)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"flashpoint serve stopped (exit {server.returncode})")
        try:
            get(base + "/api/health")
            return
        except OSError:
            time.sleep(0.3)
    sys.exit("flashpoint serve did not answer within 60 s")


def pick_event(base: str) -> dict:
    """The event with the highest toll whose fatalities a sentence gave."""
    items = get(base + "/api/events?limit=50&sort=-fatalities")["items"]
    for item in items:
        detail = get(f"{base}/api/events/{item['event_id']}")
        given = {p["field"]: p for p in detail.get("provenance", [])}
        if item["latitude"] is not None and given.get("fatalities", {}).get("article_id"):
            return detail
    sys.exit("no placed event has a sentence for its fatalities")


def shoot(base: str, event: dict, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        for name, viewport in (("desktop", {"width": 1400, "height": 900}), ("phone", {"width": 390, "height": 844})):
            page = browser.new_page(viewport=viewport)
            page.goto(f"{base}/?event={event['event_id']}")
            page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30000)
            page.wait_for_function("id => document.getElementById('panel').dataset.loaded === id",
                                   arg=event["event_id"])
            page.click('#panel .provenance li[data-field="fatalities"] button.goto')
            page.wait_for_selector("#panel mark.focus")
            if name == "desktop":  # the fields' list and the highlighted sentence both in view
                page.evaluate("document.getElementById('panel').scrollTop = 0")
            try:  # the flight to the event, then the place labels around it
                page.wait_for_function("() => Number(document.getElementById('map').dataset.labels) > 0", timeout=10000)
            except Exception:  # noqa: BLE001 (an older server without /api/labels: shoot all the same)
                print("no place labels on the map", file=sys.stderr)
            page.wait_for_timeout(500)
            path = out / f"screenshot-{name}.png"
            page.screenshot(path=str(path))
            print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
            page.close()
        browser.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voa", type=Path, default=ROOT.parent / "shared" / "data" / "voa.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    if not args.voa.exists():
        print(f"{args.voa} is absent: ../shared holds the Voice of America stories", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="flashpoint-shots-") as tmp:
        db = str(Path(tmp) / "events.sqlite")
        subprocess.run(["flashpoint", "ingest", "--db", db, "--no-progress", str(args.voa)], check=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(["flashpoint", "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)])
        try:
            wait_up(base, server)
            shoot(base, pick_event(base), args.out)
        finally:
            server.terminate()
            server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
