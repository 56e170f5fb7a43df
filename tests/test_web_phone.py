"""The page at a phone's width (390 x 844) in Debian's chromium: the map keeps a usable height,
the filters fold behind a button, the list follows the map, and an event opens as a bottom
sheet. The store is test_web_list.py's (real text only)."""

from __future__ import annotations

import pytest

from .test_web import (
    api_events,
    browser,  # noqa: F401  (fixture)
    open_page,
    shot,
    version,
    wait_settled,
)
from .test_web_list import assert_in_sync, listed, server  # noqa: F401  (server: fixture)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, server):  # noqa: F811
    page = browser.new_page()
    page.set_viewport_size(PHONE)
    page.errors = []
    page.foreign = []
    page.on("request", lambda r: None if r.url.startswith((server, "data:")) else page.foreign.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    page.close()


def test_at_phone_width_the_map_keeps_its_height_and_the_list_follows_it(phone, server):  # noqa: F811
    open_page(phone, server + "/")
    assert phone.locator("#map").bounding_box()["height"] >= 300
    assert phone.locator("header").bounding_box()["height"] <= 110  # the filters are folded away
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]  # nothing off the side
    assert not phone.is_visible("#f-country")
    shot(phone, "phone-map")

    phone.click("#filters-toggle")
    assert phone.get_attribute("#filters-toggle", "aria-expanded") == "true"
    before = version(phone)
    phone.select_option("#f-country", "Lebanon")
    wait_settled(phone, before)
    assert_in_sync(phone, server, "country=Lebanon")

    phone.locator("#events tbody tr").first.scroll_into_view_if_needed()
    assert phone.locator("#events tbody tr").first.is_visible()
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    shot(phone, "phone-list")
    assert phone.errors == [] and phone.foreign == []


def test_at_phone_width_an_event_opens_as_a_bottom_sheet(phone, server):  # noqa: F811
    open_page(phone, server + "/")
    unplaced = next(e for e in api_events(server) if e["latitude"] is None)
    rows = listed(phone)
    assert unplaced["event_id"] in rows
    first = rows[0]
    phone.locator(f'#events tbody tr[data-event-id="{first}"]').click()
    phone.wait_for_function("id => document.getElementById('panel').dataset.loaded === id", arg=first)
    sheet = phone.locator("#panel").bounding_box()
    assert sheet["x"] == 0 and sheet["width"] == PHONE["width"]
    assert sheet["y"] + sheet["height"] == pytest.approx(PHONE["height"], abs=1)  # on the bottom edge
    assert PHONE["height"] * 0.2 <= sheet["y"] <= PHONE["height"] * 0.5  # the page shows above it
    assert phone.evaluate("getComputedStyle(document.getElementById('panel')).position") == "fixed"
    assert phone.locator("#map").bounding_box()["height"] >= 300
    goto = phone.locator("#panel .provenance button.goto").first
    if goto.count():
        goto.click()
        assert phone.locator("#panel mark.focus").count() >= 1
    shot(phone, "phone-bottom-sheet")
    phone.click("#panel .close")
    phone.wait_for_selector("#panel", state="hidden")

    # the event without coordinates, by keyboard from the list
    row = phone.locator(f'#events tbody tr[data-event-id="{unplaced["event_id"]}"]')
    row.focus()
    phone.keyboard.press("Enter")
    phone.wait_for_function("id => document.getElementById('panel').dataset.loaded === id", arg=unplaced["event_id"])
    assert "No coordinates" in phone.inner_text("#panel")
    assert phone.errors == [] and phone.foreign == []
