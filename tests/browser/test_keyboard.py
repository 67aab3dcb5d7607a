"""Journey 7: keyboard only. The skip link moves focus to the main content; Tab reaches the language
switcher, the main navigation and the record-a-period form, which Enter submits."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import is_focused, tab_to

pytestmark = pytest.mark.browser

# Yearly and never measured (docs/demo.md): the year 2021 is recorded here and nowhere else in the suite.
INDICATOR = "Residents who feel safe in their neighbourhood"


def test_skip_link_moves_focus_to_the_main_content(open_page):
    page = open_page("committee.member", "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert is_focused(skip), "the first Tab does not reach the skip link"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["x"] >= 0, f"the focused skip link is off screen: {box}"
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    # The next Tab continues inside the main content, past the header and the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_keyboard_reaches_navigation_language_and_records_a_period(open_page, demo_site):
    page = open_page("chief.5415", demo_site.indicator_url(INDICATOR))
    expect(page.get_by_role("heading", level=1)).to_have_text(INDICATOR)
    page.locator("body").focus()

    tab_to(page, page.get_by_role("combobox", name="Language"))
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Zonal plans"))
    form = page.get_by_role("form", name="Record a period")
    period = form.get_by_label("Period:")
    tab_to(page, period)

    page.keyboard.type("2021")
    page.keyboard.press("Tab")
    expect(form.get_by_label("Value:")).to_be_focused()
    page.keyboard.type("68")
    page.keyboard.press("Enter")

    confirmation = page.locator("#measurements").get_by_text("Recorded 2021.")
    expect(confirmation).to_be_visible()
    expect(confirmation).to_be_focused()
    table = page.get_by_role("table", name="Measured values")
    expect(table.get_by_role("row").filter(has_text=re.compile(r"^\s*2021\b"))).to_contain_text("68")
