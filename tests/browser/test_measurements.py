"""Journey 3: the chief of 5415 records a quarter on an indicator of the approved Ghent plan 2020-2025.

The drug-dealing indicator's figures stop at 2024-Q4 (docs/demo.md); 2025-Q1 is recorded here and nowhere
else in the suite.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

INDICATOR = "Drug-dealing investigations opened"


def test_chief_records_a_quarter_and_a_duplicate_is_refused(open_page, demo_site):
    page = open_page("chief.5415", demo_site.indicator_url(INDICATOR))
    expect(page.get_by_role("heading", level=1)).to_have_text(INDICATOR)
    section = page.locator("#measurements")
    expect(section).to_contain_text("latest: 2024-Q4")
    expect(section.get_by_text("Overdue", exact=True)).to_be_visible()
    table = section.get_by_role("table", name="Measured values")
    expect(table.get_by_role("rowheader", name="2025-Q1", exact=True)).to_have_count(0)
    # Recording the target value makes the indicator achieved, whatever its earlier status.
    target = re.match(r"[\d.]+", page.locator("dt:text-is('Target') + dd").inner_text()).group(0)
    page.evaluate("window.pageLoadMarker = 'same page'")  # survives an htmx swap, not a page load

    form = page.get_by_role("form", name="Record a period")
    form.get_by_label("Period:").fill("2025-Q1")
    form.get_by_label("Value:").fill(target)
    form.get_by_label("Note:").fill("Recorded in the browser test")
    form.get_by_role("button", name="Record").click()

    confirmation = section.get_by_text("Recorded 2025-Q1.")
    expect(confirmation).to_be_visible()
    expect(confirmation).to_be_focused()
    expect(page.locator("#live-region")).to_have_text("Recorded 2025-Q1.")
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="2025-Q1", exact=True))
    expect(row).to_contain_text(target)
    expect(row).to_contain_text("Recorded in the browser test")
    expect(row).to_contain_text("Pieter De Smet")
    expect(section).to_contain_text("latest: 2025-Q1")
    expect(section.locator(".progress--large")).to_contain_text("100 %")
    expect(section.locator(".progress--large")).to_contain_text("Achieved")
    # 2025-Q4 is still due, so the indicator stays overdue.
    expect(section.get_by_text("Overdue", exact=True)).to_be_visible()
    assert page.evaluate("window.pageLoadMarker") == "same page", "recording reloaded the page instead of a swap"

    form = page.get_by_role("form", name="Record a period")
    form.get_by_label("Period:").fill("2025-Q1")
    form.get_by_label("Value:").fill("1")
    form.get_by_role("button", name="Record").click()

    message = "2025-Q1 is already recorded for this indicator; change that measurement instead."
    period = form.get_by_label("Period:")
    expect(period).to_have_attribute("aria-invalid", "true")
    expect(period).to_have_accessible_description(re.compile(re.escape(message)))
    expect(form.locator("div.field").filter(has=page.get_by_label("Period:"))).to_contain_text(message)
    expect(form.get_by_role("alert")).to_be_focused()
    # The first value stands.
    expect(row).to_contain_text(target)
    expect(table.get_by_role("rowheader", name="2025-Q1", exact=True)).to_have_count(1)
    assert page.evaluate("window.pageLoadMarker") == "same page"
