"""The web page in a real browser: Playwright driving Debian's chromium (headless) against
``flashpoint serve``'s app on loopback, with the two seeds and one hostile article stored.

Screenshots go to test-artifacts/ (CI keeps them); with FLASHPOINT_UPDATE_SCREENSHOT=1 the map
with the Haweek event open is also written to docs/screenshot.png for the README.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

from .test_api import HOSTILE, TOKEN, make_client, seed_store

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
REQUIRED = ("Qalamoun", "Arsal", "Al Qusayr", "Haweek")


def _chromium() -> str:
    path = shutil.which("chromium") or (CHROMIUM if os.path.exists(CHROMIUM) else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is absent in CI: scripts/install-system-deps should have installed it")
        pytest.skip("chromium is absent: run scripts/install-system-deps (Debian's chromium package)")
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory, pipeline):
    """The app on a free loopback port, in a thread; yields its base URL."""
    import uvicorn

    from flashpoint.api import Settings, create_app

    db = str(tmp_path_factory.mktemp("web") / "events.sqlite")
    seed_store(db, pipeline)
    app = create_app(Settings(db=db, write_token=TOKEN), pipeline=pipeline)
    posted = make_client(app).post("/api/articles", json=HOSTILE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert posted.json()["results"][0]["status"] == "new", posted.text
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    profile = tempfile.mkdtemp(prefix="flashpoint-chromium-")
    with sync_playwright() as p:
        # Debian's chromium, never a downloaded one; a fresh profile per run
        context = p.chromium.launch_persistent_context(
            profile, executable_path=executable, args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1400, "height": 900},
        )
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser, server):
    page = browser.new_page()
    page.foreign = []  # requests to anywhere but our server
    page.errors = []
    page.on("request", lambda r: None if r.url.startswith((server, "data:")) else page.foreign.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    page.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=20000)


def marker(page, location: str):
    return page.locator(f'.leaflet-marker-icon[title^="{location} — "]')


def test_page_loads_with_a_marker_for_each_required_seed_event_and_nothing_from_the_internet(page, server):
    open_page(page, server + "/")
    for location in REQUIRED:
        assert marker(page, location).count() == 1, location
    assert page.get_attribute("body", "data-markers") == "5"  # the four, and the hostile article's
    assert page.locator(".leaflet-overlay-pane path").count() > 100  # country borders, shipped with us
    assert page.locator("#timeline rect[data-day]").count() == 2  # 2025-02-06 and 2025-03-10
    shot(page, "map-loaded")
    assert page.foreign == [] and page.errors == []


def test_clicking_the_haweek_marker_shows_its_evidence_highlighted_in_the_article(page, server):
    open_page(page, server + "/")
    marker(page, "Haweek").click()
    page.wait_for_selector("#panel mark.evidence")
    panel = page.locator("#panel")
    assert "Haweek" in panel.locator("h2").inner_text()
    assert "Military Forces of Syria (2024-)" in panel.locator("table.fields").inner_text()
    event_id = page.get_attribute(".leaflet-marker-icon.selected", "data-event-id")
    assert f"event={event_id}" in page.url
    detail = make_client_get(server, f"/api/events/{event_id}")
    evidence = [e["text"] for e in detail["sources"][0]["evidence"]]
    marked = " ".join(panel.locator("mark.evidence").all_inner_texts())
    for sentence in evidence:
        assert " ".join(sentence.split()) in " ".join(marked.split())
    shot(page, "haweek-evidence")
    if os.environ.get("FLASHPOINT_UPDATE_SCREENSHOT"):
        page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))


def test_a_timeline_brush_narrows_the_map_and_goes_into_the_url(page, server):
    open_page(page, server + "/")
    bar = page.locator('#timeline rect[data-day="2025-02-06"]').first.bounding_box()
    y = bar["y"] + bar["height"] / 2
    page.mouse.move(bar["x"] - 2, y)
    page.mouse.down()
    page.mouse.move(bar["x"] + bar["width"] / 2, y, steps=4)
    page.mouse.move(bar["x"] + bar["width"] + 1, y, steps=4)
    page.mouse.up()
    page.wait_for_selector("body[data-markers='2']", state="attached")
    assert marker(page, "Haweek").count() == 1 and marker(page, "Al Qusayr").count() == 1
    assert marker(page, "Arsal").count() == 0  # undated: outside any day range
    assert "since=2025-02-06" in page.url and "until=2025-02-06" in page.url
    assert page.locator("#f-range").inner_text() == "days 2025-02-06 to 2025-02-06"
    shot(page, "timeline-brush")


def test_the_url_holds_the_filters(page, server):
    open_page(page, server + "/?country=Lebanon&type=Armed+clash")
    assert page.locator("#f-country").input_value() == "Lebanon"
    assert page.locator("#f-type").input_value() == "Armed clash"
    assert page.get_attribute("body", "data-markers") == "3"  # Haweek, Arsal, El Hermel
    page.select_option("#f-country", "Syria")
    page.wait_for_selector("body[data-markers='2']", state="attached")
    assert "country=Syria" in page.url


def test_markup_in_article_text_renders_as_text_never_as_html(page, server):
    found = make_client_get(server, "/api/events?country=Lebanon&since=2025-03-01")["items"]
    (event,) = found
    page.on("dialog", lambda d: page.errors.append(f"dialog: {d.message}") or d.dismiss())
    open_page(page, f"{server}/?event={event['event_id']}")
    page.wait_for_selector("#panel mark.evidence")
    text = page.locator("#panel .article").inner_text()
    assert "<script>document.title='pwned'</script>" in text
    assert "<img src=x onerror=" in text
    assert page.locator("#panel img").count() == 0 and page.locator("#panel script").count() == 0
    assert page.title() != "pwned" and page.errors == []
    shot(page, "hostile-markup-as-text")


def make_client_get(server: str, path: str) -> dict:
    import httpx

    return httpx.get(server + path, timeout=10).json()
