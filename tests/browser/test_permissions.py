"""Journey 9: permissions as the browser shows them. What one may not read is "not found"; what one may read
but not change shows no button to change it, and a hand-made POST is refused with 403."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import post_form

pytestmark = pytest.mark.browser


def test_another_zones_draft_is_not_found(open_page, demo_site):
    page = open_page("chief.5415")
    response = page.goto(demo_site.plan_url("5339/current"))
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("There is nothing here, or nothing you may read.")).to_be_visible()
    expect(page.get_by_text("Bruxelles Capitale/Ixelles")).to_have_count(0)
    # The page is a full page of the application: the user can find their way back.
    page.get_by_role("link", name="Back to your home page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")


def test_committee_member_reads_an_approved_plan_but_cannot_change_it(open_page, demo_site):
    plan_url = demo_site.plan_url("5415/2020")
    title = "Zonal security plan 2020-2025, 5415 PZ Gent"
    page = open_page("committee.member", plan_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    for name in ("Edit the plan details", "Upload measurements", "Delete", "Add an objective"):
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
    expect(page.get_by_role("region", name="Workflow")).to_have_count(0)
    page.goto(demo_site.indicator_url("Injury road accidents"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Injury road accidents")
    expect(page.get_by_role("form", name="Record a period")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)

    response = page.goto(f"{plan_url}edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You may not do this")

    response = post_form(page, f"{plan_url}edit/", {"title": "Changed by the committee", "keep_tolerance": "0.05"})
    assert response.status == 403, response.status
    assert "You may not do this" in response.text()  # the application's refusal, not a CSRF failure
    page.goto(plan_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
