"""Journey 4: the zonal plan workflow as each role sees it.

Each test moves its own plan: the reviewer returns 5340 (submitted); the chief of 5415 adopts and submits
the Ghent draft of the current term, which the reviewer of its district approves. The third only looks.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def status_badge(page: Page):
    """The plan's status: the first badge under its title (the second is its progress)."""
    return page.locator(".page-header .badge").first


def workflow(page: Page):
    return page.get_by_role("region", name="Workflow")


def step_form(page: Page, step: str):
    return workflow(page).locator("form").filter(has=page.get_by_role("heading", name=step, exact=True))


def test_reviewer_returns_a_submitted_plan_with_a_reason(open_page, demo_site):
    plan_url = demo_site.plan_url("5340/current")
    title = demo_site.plan_title("5340/current")
    page = open_page("reviewer.brussels", plan_url)
    expect(status_badge(page)).to_have_text("Submitted for approval")
    expect(workflow(page).get_by_role("button")).to_have_text(["Approve", "Return to the zone"])
    expect(page.get_by_role("link", name="Edit the plan details")).to_have_count(0)

    # Without a reason the step is refused, and the reason field says why.
    step_form(page, "Return to the zone").get_by_role("button", name="Return to the zone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Return to the zone: {title}")
    expect(page.get_by_role("alert")).to_contain_text("Say why.")
    reason = page.get_by_label("Reason:")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_accessible_description(re.compile("A reason is required for this step."))

    reason.fill("Quantify the targets of S2 and S3 before the council adopts the plan again.")
    with page.expect_response(lambda r: r.request.resource_type == "document" and r.request.method == "GET") as landing:
        page.get_by_role("button", name="Return to the zone").click()
    expect(page.get_by_role("status").filter(has_text=f"{title} is now: Draft.")).to_be_visible()

    # The zone chief finds the plan back in draft, may adopt it again, and reads why it came back.
    chief = open_page("chief.5340", plan_url)
    expect(status_badge(chief)).to_have_text("Draft")
    expect(workflow(chief).get_by_role("button")).to_have_text(["Record council adoption"])
    history = chief.get_by_role("tab", name="History")
    history.click()
    transition = chief.get_by_role("table", name="Workflow transitions").get_by_role("row").nth(1)
    expect(transition).to_contain_text("Philippe Lambert")
    expect(transition).to_contain_text("Submitted for approval")
    expect(transition).to_contain_text("Quantify the targets of S2 and S3")

    # A reviewer may not read a draft, so returning one must not land them on the plan's page, now a 404.
    assert landing.value.status == 200, (
        f"after returning the plan the reviewer lands on {page.url}: {landing.value.status}"
    )


def test_chief_adopts_and_submits_the_draft_and_the_reviewer_approves_it(open_page, demo_site):
    plan_url = demo_site.plan_url("5415/current")
    title = demo_site.plan_title("5415/current")
    adopted_on = dt.date.today() - dt.timedelta(days=7)
    page = open_page("chief.5415", plan_url)
    expect(status_badge(page)).to_have_text("Draft")
    expect(workflow(page).get_by_role("button")).to_have_text(["Record council adoption"])

    adopt = step_form(page, "Record council adoption")
    adopt.get_by_label("Date of the council's adoption:").fill(adopted_on.isoformat())
    adopt.get_by_role("button", name="Record council adoption").click()
    expect(page.get_by_role("status").filter(has_text=f"{title} is now: Adopted by the council.")).to_be_visible()
    expect(status_badge(page)).to_have_text("Adopted by the council")
    expect(page.locator("dt:text-is('Adopted by the zonal security council') + dd")).not_to_have_text("—")
    expect(workflow(page).get_by_role("button")).to_have_text(["Submit for approval", "Reopen the adopted draft"])

    step_form(page, "Submit for approval").get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("status").filter(has_text=f"{title} is now: Submitted for approval.")).to_be_visible()
    expect(status_badge(page)).to_have_text("Submitted for approval")
    # The next step is the reviewer's: the chief has no button left, and the plan's text is frozen.
    expect(workflow(page)).to_have_count(0)
    expect(page.get_by_role("link", name="Edit the plan details")).to_have_count(0)

    # The Brussels reviewer reads it (submitted plans are read by all) but it is not in their district.
    other = open_page("reviewer.brussels", plan_url)
    expect(status_badge(other)).to_have_text("Submitted for approval")
    expect(workflow(other)).to_have_count(0)

    # The reviewer of Ghent's district approves it, with the date of the ministers' decision.
    reviewer = open_page("reviewer.oost-vlaanderen", plan_url)
    expect(status_badge(reviewer)).to_have_text("Submitted for approval")
    expect(workflow(reviewer).get_by_role("button")).to_have_text(["Approve", "Return to the zone"])
    approve = step_form(reviewer, "Approve")
    approve.get_by_label("Date of the ministerial approval:").fill(dt.date.today().isoformat())
    approve.get_by_role("button", name="Approve").click()
    expect(reviewer.get_by_role("status").filter(has_text=f"{title} is now: Approved.")).to_be_visible()
    expect(status_badge(reviewer)).to_have_text("Approved")
    expect(reviewer.locator("dt:text-is('Approved by the ministers') + dd")).not_to_have_text("—")
    expect(workflow(reviewer)).to_have_count(0)

    # Approved, the plan is the zone's to follow: measurements can be uploaded, an addendum reopens it.
    page.reload()
    expect(status_badge(page)).to_have_text("Approved")
    expect(workflow(page).get_by_role("button")).to_have_text(["Reopen for an addendum"])
    expect(page.get_by_role("link", name="Upload measurements")).to_be_visible()


# (user, plan, workflow buttons, may edit the plan text): plans no other test moves.
BUTTONS = [
    ("planner.5339", "5339/current", [], True),
    ("chief.5339", "5339/current", ["Record council adoption"], True),
    ("chief.5341", "5341/current", ["Submit for approval", "Reopen the adopted draft"], False),
    ("committee.member", "5341/current", [], False),
    # Closing waits for the end of the period, so it is not offered yet.
    ("chief.5342", "5342/current", ["Reopen for an addendum"], False),
]


def test_workflow_buttons_follow_the_role(open_page, demo_site):
    for user, plan, buttons, edits in BUTTONS:
        page = open_page(user, demo_site.plan_url(plan))
        if buttons:
            expect(workflow(page).get_by_role("button"), f"{user} on {plan}").to_have_text(buttons)
        else:
            expect(workflow(page), f"{user} on {plan}").to_have_count(0)
        expect(page.get_by_role("link", name="Edit the plan details"), f"{user} on {plan}").to_have_count(int(edits))
        page.context.close()
