"""The web page in a real browser: Playwright driving Debian's chromium (headless) against
``flashpoint serve``'s app on loopback, with the two seeds and one hostile article stored.

Screenshots go to test-artifacts/ (CI keeps them); the README's come from a real run over the
Voice of America stories, written by scripts/screenshots.py.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
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


@contextmanager
def serving(app):
    """``app`` on a free loopback port, in a thread; yields its base URL."""
    import uvicorn

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
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def seeded_app(db: str, pipeline):
    """The app over ``db`` holding the two seeds and the hostile article (posted, as a client would)."""
    from flashpoint.api import Settings, create_app

    seed_store(db, pipeline)
    app = create_app(Settings(db=db, write_token=TOKEN), pipeline=pipeline)
    posted = make_client(app).post("/api/articles", json=HOSTILE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert posted.json()["results"][0]["status"] == "new", posted.text
    return app


@pytest.fixture(scope="module")
def server(tmp_path_factory, pipeline):
    """The app over the seeds and the hostile article, on loopback; yields its base URL."""
    app = seeded_app(str(tmp_path_factory.mktemp("web") / "events.sqlite"), pipeline)
    with serving(app) as url:
        yield url


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


# ---------------------------------------------------------------------------
# Helpers of the other page tests (test_web_list.py, test_web_phone.py)
# ---------------------------------------------------------------------------


def version(page) -> str | None:
    """How many times the filters changed: wait_settled waits for the next."""
    return page.get_attribute("body", "data-version")


def wait_settled(page, before: str | None) -> None:
    """Wait until the map, list, legend and timeline show the filters set after ``before``."""
    page.wait_for_function(
        "v => document.body.dataset.busy === 'false' && document.body.dataset.version !== v", arg=before, timeout=15000
    )


def marker_ids(page) -> list[str]:
    return page.evaluate("() => [...window.flashpoint.map.markers.keys()]")


def api_events(server: str, query: str = "") -> list[dict]:
    """Every event /api/events gives for ``query``, page after page, in its order."""
    items, cursor = [], None
    while True:
        page = make_client_get(server, f"/api/events?limit=1000&{query}" + (f"&cursor={cursor}" if cursor else ""))
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


# ---------------------------------------------------------------------------
# Map fixes, API docs
# ---------------------------------------------------------------------------


def test_no_marker_is_wider_than_its_cap_even_for_a_huge_toll(page, server):
    haweek = next(e for e in api_events(server) if e["location"] == "Haweek")

    def huge(route):  # the same events, Haweek's toll made enormous: the disc must stay capped
        response = route.fetch()
        body = response.json()
        for item in body["items"]:
            if item["event_id"] == haweek["event_id"]:
                item["fatalities"] = 100_000
        route.fulfill(response=response, json=body)

    page.route(lambda url: "/api/events?" in url, huge)
    open_page(page, f"{server}/?event={haweek['event_id']}")  # flies to it: its own marker is drawn
    page.wait_for_selector(f'.fp-marker[data-event-id="{haweek["event_id"]}"]')
    cap = page.evaluate("FPMap.MAX_SIZE")
    assert cap == 36
    sizes = page.evaluate("[0, 1, 100, 1e5].map(FPMap.markerSize)")
    assert sizes == sorted(sizes) and sizes[-1] == cap and sizes[0] < sizes[2]
    widths = page.locator(".leaflet-marker-icon.fp-marker").evaluate_all(
        "nodes => nodes.map(n => [n.dataset.eventId, n.getBoundingClientRect().width])")
    assert widths and all(w <= cap + 0.5 for _, w in widths), widths
    assert dict(widths)[haweek["event_id"]] == pytest.approx(cap, abs=0.5)
    shot(page, "marker-capped")
    assert page.errors == []


def test_clusters_take_the_colour_of_their_main_event_type(page, server):
    open_page(page, server + "/?at=3/34.000/36.000")  # the Lebanon-Syria border events cluster together
    page.wait_for_selector(".fp-cluster")
    colours = page.evaluate("FP.COLOURS")
    for cluster in page.locator(".fp-cluster").all():
        main = cluster.get_attribute("data-event-type")
        mix = cluster.get_attribute("title")  # "5 events: 4 Battles, 1 Violence against civilians"
        counts = [(int(part.split(" ", 1)[0]), part.split(" ", 1)[1]) for part in mix.split(": ", 1)[1].split(", ")]
        assert max(counts)[0] == dict((t, n) for n, t in counts)[main], mix
        rgb = cluster.evaluate("n => getComputedStyle(n).backgroundColor")
        hexed = "#" + "".join(f"{int(v):02x}" for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3])
        assert hexed == colours[main], (main, rgb)
    shot(page, "clusters-by-type")


def test_country_outlines_never_step_across_the_map():
    """Russia, Fiji and Antarctica cross the 180th meridian: a ring that steps from +180 to -180
    draws a band across the flat map; the shipped outlines must have none."""
    import json

    from flashpoint.web import static_dir

    features = json.loads((static_dir() / "countries-110m.geojson").read_text(encoding="utf-8"))["features"]
    names = {f["properties"]["name"] for f in features}
    assert {"Russia", "Fiji", "Antarctica", "United States of America"} <= names
    for f in features:
        geometry = f["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for ring in (r for p in polygons for r in p):
            assert ring[0] == ring[-1]
            assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring), f["properties"]["name"]
            steps = [abs(a[0] - b[0]) for a, b in zip(ring, ring[1:])]
            assert max(steps) <= 180, f["properties"]["name"]


def test_the_drawn_outlines_have_no_band_across_the_world(page, server):
    open_page(page, server + "/?at=2/20.000/0.000")
    # the longest horizontal step of any outline path, against the world's width in pixels
    longest = page.evaluate("""() => {
        const world = 256 * 2 ** window.flashpoint.map.map.getZoom();
        let worst = 0;
        for (const path of document.querySelectorAll('.leaflet-overlay-pane path')) {
            const nums = (path.getAttribute('d') || '').match(/[ML]-?[0-9.]+ -?[0-9.]+/g) || [];
            let prev = null;
            for (const cmd of nums) {
                const [x] = cmd.slice(1).split(' ').map(Number);
                if (prev !== null && cmd[0] === 'L') worst = Math.max(worst, Math.abs(x - prev));
                prev = x;
            }
        }
        return worst / world;
    }""")
    assert 0 < longest < 0.5, longest  # a band would be ~1.0 (the whole width)
    shot(page, "outlines-world")


def test_api_docs_render_the_operations_not_an_error(page, server):
    page.goto(server + "/docs")
    # Swagger UI 4 could not read OpenAPI 3.1: it showed "Unable to render this definition" and no
    # operation, so waiting for one fails on that error
    page.wait_for_selector('.opblock-summary-path[data-path="/api/events"]', timeout=20000)
    body = page.inner_text("body")
    assert "Unable to render" not in body and page.locator(".errors-wrapper").count() == 0
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/events", "/api/events/{event_id}", "/api/stats", "/api/export.csv"} <= {p.strip() for p in paths}
    methods = page.locator('.opblock-get .opblock-summary-method').all_inner_texts()
    assert "GET" in methods
    shot(page, "api-docs")
    assert page.foreign == [] and page.errors == []
