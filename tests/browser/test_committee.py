"""Journey: a Coordinating Committee member answers "which zones took up this priority, how far are they?" —
opens the dashboard, reads a chart, drills from the coverage matrix into a cell, downloads a table as CSV, and
subscribes to the quarterly report. Every page it passes is audited with axe (no serious or critical issue).

The demo plans of the edition in force that the committee may read in the Brussels district are those of
zones 5340, 5341 and 5342 (its current plan; as at today the matrix shows it, not its 2020-2025 plan re-aligned
by addendum, whose period has ended); no other test changes their alignment.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import audit, audit_all_panels

pytestmark = pytest.mark.browser


def test_committee_member_drills_from_the_matrix_downloads_and_subscribes(open_page, axe_findings):
    who = "committee.member"
    page = open_page(who, "/dashboard/")
    # Charts are drawn on the server: an image with a title, beside the table of the same figures.
    chart = page.get_by_role("img", name="Progress per ISFD security cluster")
    expect(chart).to_be_visible()
    expect(page.locator("#clusters svg text").filter(has_text=re.compile(r"\d+ % · On track")).first).to_be_visible()
    axe_findings.extend((page.url, v) for v in audit_all_panels(page, who=who))

    # A table's CSV holds the figures the page shows.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download “Progress per ISFD security cluster” as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == 10
    shown = page.get_by_role("table", name="Progress of the objectives under each security cluster")
    for row in rows:
        if row["Progress (%)"]:
            expect(shown).to_contain_text(f"{row['Progress (%)']} %")

    # The coverage matrix, filtered on the Brussels district.
    page.get_by_role("navigation", name="Dashboard views").get_by_role(
        "link", name="Coverage of the national priorities"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coverage of the national priorities")
    filters = page.get_by_role("search", name="Filter the coverage matrix")
    filters.get_by_label("District:").select_option(label="Brussel/Bruxelles")
    filters.get_by_role("button", name="Show").click()
    matrix = page.locator("#coverage-matrix")
    expect(matrix.get_by_role("columnheader", name=re.compile(r"^5342 "))).to_be_visible()
    axe_findings.extend((page.url, v) for v in audit_all_panels(page, who=who))

    # Keyboard: one Tab stop into the grid, arrow keys move between cells.
    first = matrix.locator("tbody a").first
    first.focus()
    page.keyboard.press("ArrowDown")
    expect(matrix.locator("tbody tr").nth(1).locator("a").first).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(matrix.locator("tbody tr").nth(1).locator("td > a").first).to_be_focused()

    # A cell: zone 5342's answer to road safety, with its adopting objectives and their progress.
    cell = matrix.get_by_role("link", name=re.compile(r"^5342 .*: Adopted by \d+ objectives?")).first
    label = cell.get_attribute("aria-label")
    cell.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("5342")
    expect(page.get_by_role("table", name="Adopting objectives")).to_be_visible()
    assert "Adopted" in label
    audit(page, who=who)
    # The row: the same priority across every zone.
    page.get_by_role("link", name=re.compile(r"^(Phenomenon|Cross-cutting theme) ")).first.click()
    expect(page.get_by_role("table", name="Every zone's answer to this priority")).to_be_visible()
    audit(page, who=who)

    # The trend page and its zones needing attention.
    page.goto("/dashboard/trend/")
    expect(page.get_by_role("img", name="National progress at the end of each quarter")).to_be_visible()
    audit(page, who=who)

    # Subscribe to the quarterly national overview from the dashboard.
    page.goto("/dashboard/")
    page.get_by_role("link", name="Subscribe to the quarterly report").click()
    expect(page.get_by_label("Every:")).to_have_value("quarterly")
    expect(page.get_by_label("Report:")).to_have_value("national_overview")
    page.get_by_role("button", name="Subscribe", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Subscribed")
    expect(page.get_by_role("region", name="Your subscriptions")).to_contain_text("National overview")
    audit(page, who=who)
    page.get_by_role("link", name=re.compile(r"^Unsubscribe")).click()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("region", name="Your subscriptions")).to_contain_text("You subscribe to no report yet.")
