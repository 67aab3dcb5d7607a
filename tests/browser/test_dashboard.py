"""Journey 5: a Coordinating Committee member reads the national dashboard and filters it.

It opens on the NSP 2022-2025, which the Ghent and Uccle plans 2020-2025 took over by addendum (approved 2022-09-08
and 2022-12-15),
then filters on the NSP 2016-2019, whose plans (5314, 5339 2014-2019) no other test moves through the
workflow, so the counts below hold whatever runs first.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

OLD_EDITION = "National Security Plan 2016-2019"
CURRENT_EDITION = "National Security Plan 2022-2025"
PERCENT_OR_NO_DATA = re.compile(r"(\d+ %|No data)")


def plans_in_state(page: Page, state: str):
    """The count cell of one state's row."""
    table = page.get_by_role("region", name="Zonal plans per workflow state").get_by_role("table")
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=state, exact=True))
    return row.get_by_role("cell")


def show(page: Page, **choices: str) -> None:
    filters = page.get_by_role("search", name="Filter the dashboard")
    for label, option in choices.items():
        filters.get_by_label(label).select_option(label=option)
    filters.get_by_role("button", name="Show").click()


def test_committee_member_reads_and_filters_the_dashboard(open_page):
    page = open_page("committee.member", "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("National dashboard")
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    # The latest edition that has begun (none is in force after 2025) comes first.
    expect(page.locator(".lede")).to_contain_text(f"{CURRENT_EDITION}, as at")
    # The re-aligned Ghent plan counts under the NSP 2022-2025, with its overdue indicator.
    overdue = page.get_by_role("region", name="Overdue indicators")
    expect(overdue.get_by_role("link", name="Drug-dealing investigations opened")).to_be_visible()
    districts = page.get_by_role("table", name="Progress of the zonal plans' objectives per district")
    expect(districts).to_contain_text("Oost-Vlaanderen")

    show(page, **{"NSP edition:": OLD_EDITION})
    expect(page).to_have_url(re.compile(r"/dashboard/\?.*nsp="))
    expect(page.locator(".lede")).to_contain_text(f"{OLD_EDITION}, as at")
    expect(plans_in_state(page, "Approved")).to_have_text("1")  # 5314; Ghent and Uccle answer 2022-2025 now
    expect(plans_in_state(page, "Closed")).to_have_text("1")
    expect(plans_in_state(page, "Draft")).to_have_text("0")  # drafts are not the committee's to read

    clusters = page.get_by_role("table", name="Progress of the objectives under each security cluster")
    rows = clusters.locator("tbody").get_by_role("row")
    expect(rows).to_have_count(10)  # the ten ISFD security clusters
    for n in range(10):
        expect(rows.nth(n).get_by_role("cell").last).to_have_text(PERCENT_OR_NO_DATA)
    expect(clusters).to_contain_text("%")
    expect(overdue.get_by_role("link", name="Drug-dealing investigations opened")).to_have_count(0)
    expect(districts).to_contain_text("Namur")

    show(page, **{"District:": "Namur"})
    expect(page.get_by_label("District:")).to_have_value(re.compile(r".+"))
    expect(plans_in_state(page, "Approved")).to_have_text("1")  # 5314 Condroz-Famenne only
    expect(plans_in_state(page, "Closed")).to_have_text("0")
    expect(overdue.get_by_role("link", name="Drug-dealing investigations opened")).to_have_count(0)
    rows = districts.locator("tbody").get_by_role("row")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("rowheader")).to_have_text("Namur")

    page.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator(".lede")).to_contain_text(f"{CURRENT_EDITION}, as at")
    expect(page.get_by_label("District:").locator("option:checked")).to_have_text("All districts")
