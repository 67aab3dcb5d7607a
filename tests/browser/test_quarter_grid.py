"""Journey: a whole quarter of a plan recorded in one form (the quarter grid).

The approved plan of 5342 Uccle/W-B/Auderghem (current term, NSP 2022-2025; no other journey reads its
figures) has a figure for every quarter that has ended; the grid opens on the quarter being collected. The
administrator records it (the demo has no planner of 5342): every cell typed with Enter moving down, three
filled by pasting a spreadsheet column, one bad cell refused beside it, fixed, saved in one go; the statuses
move. axe audits the page clean and with the refusal; a full-page screenshot is kept in test-results/browser/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import audit

pytestmark = pytest.mark.browser

WHO = "admin"
COUNT_RULE = "A whole number, 0 or more"
PASTE = """
(el, text) => {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  el.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}
"""


def plain(shown: str) -> str:
    """A figure as the page shows it in English (1,234.5) as one types it (1234.5)."""
    return re.sub(r"[,\s\u202f]", "", shown)


def test_a_quarter_in_one_form_with_one_bad_cell(open_page, demo_site, axe_findings):
    page = open_page(WHO, f"/plans/{demo_site.plan('5342/current')}/measurements/quarter/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Record \d{4}-Q[1-4]$"))
    quarter = page.get_by_role("heading", level=1).inner_text().removeprefix("Record ")
    axe_findings.extend((page.url, v) for v in audit(page, who=WHO))

    rows = page.locator("tr.quarter-grid__row").filter(has=page.locator("input[data-grid-value]"))
    cells = page.locator("input[data-grid-value]")
    due = rows.count()
    assert due >= 8, f"only {due} indicators due in {quarter}"
    statuses_before = [rows.nth(i).locator(".badge").inner_text() for i in range(due)]
    targets = [rows.nth(i).locator("td.num").nth(1).inner_text() for i in range(due)]

    # A column pasted from a spreadsheet fills the first cell and the two below it.
    cells.nth(0).evaluate(PASTE, "11\n12\n13\n")
    for n, value in enumerate(("11", "12", "13")):
        expect(cells.nth(n)).to_have_value(value)

    # Every row typed at the keyboard: Enter moves to the next indicator. The target everywhere, so each
    # indicator reaches it; one count gets -5.
    bad = next(i for i in range(due) if COUNT_RULE in rows.nth(i).locator("th").inner_text())
    cells.nth(0).focus()
    for i in range(due):
        row_cells = rows.nth(i).locator("input[data-grid-value]")
        for k in range(row_cells.count()):
            expect(row_cells.nth(k)).to_be_focused()
            page.keyboard.press("Control+A")
            page.keyboard.type("-5" if i == bad else plain(targets[i]))
            page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=f"Save {quarter}")).to_be_focused()
    rows.nth(0).locator("input.quarter-grid__note").first.fill("Recorded in the quarter grid journey")
    page.get_by_role("button", name=f"Save {quarter}").click()

    # Refused as a whole: the message beside the bad cell, described to a screen reader, listed on top.
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("1 value needs attention; nothing was saved.")
    bad_cell = rows.nth(bad).locator("input[data-grid-value]").first
    expect(bad_cell).to_have_attribute("aria-invalid", "true")
    expect(bad_cell).to_have_accessible_description(re.compile(r"^A count cannot be negative\."))
    expect(rows.nth(bad).locator(".field-error")).to_have_text("A count cannot be negative.")
    expect(bad_cell).to_have_value("-5")
    expect(rows.nth(0).locator("input.quarter-grid__note").first).to_have_value("Recorded in the quarter grid journey")
    axe_findings.extend((f"{page.url} with a refused cell", v) for v in audit(page, who=WHO))
    # Nothing was saved: the statuses are those of before.
    assert [rows.nth(i).locator(".badge").inner_text() for i in range(due)] == statuses_before

    summary.get_by_role("link").click()
    expect(bad_cell).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type(plain(targets[bad]))
    page.get_by_role("button", name=f"Save {quarter}").click()

    expect(page.get_by_text(re.compile(r"\d+ measurements? (recorded|updated)"))).to_be_visible()
    expect(page.locator(".field-error")).to_have_count(0)
    statuses_after = [rows.nth(i).locator(".badge").inner_text() for i in range(due)]
    assert set(statuses_after) == {"Achieved"}, statuses_after
    assert statuses_after != statuses_before
    expect(rows.nth(0).locator("input.quarter-grid__note").first).to_have_value("Recorded in the quarter grid journey")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "quarter-grid.png"), full_page=True)


def test_the_grid_of_an_ended_plan_and_of_a_draft(open_page, demo_site, axe_findings):
    """Ghent 2020-2025 has ended: its grid opens on its last quarter (looked at only, nothing saved). A draft
    records nothing yet: 403, said in words."""
    page = open_page("chief.5415", demo_site.plan_url("5415/2020"))
    page.get_by_role("link", name="Record a quarter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record 2025-Q4")
    expect(page.locator("svg.sparkline").first).to_be_visible()
    axe_findings.extend((page.url, v) for v in audit(page, who="chief.5415"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "quarter-grid-ghent.png"), full_page=True)
    draft = open_page("planner.5339", f"/plans/{demo_site.plan('5339/current')}/measurements/quarter/")
    expect(draft.get_by_role("heading", level=1)).to_have_text("You may not do this")
    expect(draft.get_by_role("main")).to_contain_text("measurements are recorded once it is approved")
