"""axe-core audits of the main pages, each as the role that uses it: no serious or critical violation, one
h1, one main landmark. Pages with tabs are audited with every panel shown (axe skips hidden panels). A failure lists
every violation on the page (rule, impact, target, help URL); moderate and minor ones are listed in the
session summary."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DemoSite, audit, audit_all_panels

pytestmark = pytest.mark.browser

# (id, user, path): anonymous when user is None.
PAGES: list[tuple[str, str | None, Callable[[DemoSite], str]]] = [
    ("login", None, lambda site: "/accounts/login/"),
    ("home-planner", "planner.5339", lambda site: "/"),
    ("home-reviewer", "reviewer.brussels", lambda site: "/"),
    ("plan-list", "committee.member", lambda site: "/plans/"),
    ("plan-draft", "planner.5339", lambda site: site.plan_url("5339/current")),
    ("plan-approved", "chief.5415", lambda site: site.plan_url("5415/2020")),
    ("alignment", "planner.5339", lambda site: f"{site.plan_url('5339/current')}alignment/"),
    ("matrix", "chief.5314", lambda site: f"{site.plan_url('5314/2020')}matrix/"),
    ("plan-document", "planner.5339", lambda site: f"{site.plan_url('5339/current')}document/"),
    ("plan-document-read", "committee.member", lambda site: f"{site.plan_url('5314/2020')}document/"),
    ("section-add", "planner.5339", lambda site: f"{site.plan_url('5339/current')}sections/add/"),
    ("objective", "planner.5339", lambda site: f"/objectives/{site.objects['strategic_5339']['S8']}/"),
    ("objective-form", "planner.5339", lambda site: f"/plans/{site.plan('5339/current')}/objectives/add/"),
    ("indicator-record-form", "chief.5415", lambda site: site.indicator_url("Injury road accidents")),
    ("zone-list", "committee.member", lambda site: "/zones/"),
    (
        "reference-edition",
        "federal.planner",
        lambda site: f"/reference/editions/{site.objects['editions']['nsp-2016-2019']}/",
    ),
    ("programme-list", "programme.manager", lambda site: "/programmes/"),
    ("dashboard", "committee.member", lambda site: "/dashboard/"),
    ("dashboard-trend", "committee.member", lambda site: "/dashboard/trend/"),
    ("coverage", "federal.planner", lambda site: "/dashboard/coverage/"),
    ("coverage-cppl", "cppl.member", lambda site: "/dashboard/coverage/"),
    ("subscriptions", "committee.member", lambda site: "/reports/subscriptions/"),
    ("collection", "federal.planner", lambda site: "/dashboard/collection/"),
    ("home-committee", "committee.member", lambda site: "/"),
    ("home-cppl", "cppl.member", lambda site: "/"),
    ("home-zone", "chief.5415", lambda site: "/"),
    ("report-list", "committee.member", lambda site: "/reports/"),
    ("report-form", "committee.member", lambda site: "/reports/new/"),
    ("not-found", "chief.5415", lambda site: site.plan_url("5339/current")),
    ("forbidden", "committee.member", lambda site: f"{site.plan_url('5415/2020')}edit/"),
]


@pytest.mark.parametrize(("user", "path"), [case[1:] for case in PAGES], ids=[case[0] for case in PAGES])
def test_page_is_accessible(open_page, demo_site, axe_findings, user, path):
    page = open_page(user, path(demo_site))
    who = user or "anonymous"
    axe_findings.extend((f"{page.url} as {who}", v) for v in audit_all_panels(page, who=who))


def test_form_errors_are_accessible(open_page, demo_site, axe_findings):
    """Pages showing refusals; none of these submissions writes anything."""
    page = open_page("planner.5339", f"/plans/{demo_site.plan('5339/current')}/objectives/add/")
    page.get_by_role("button", name="Save").click()  # level and title are required
    expect(page.get_by_role("alert")).to_be_visible()
    axe_findings.extend((f"{page.url} with errors", v) for v in audit(page, who="planner.5339"))

    # An alignment answer refused in its htmx-swapped section.
    page.goto(f"{demo_site.plan_url('5339/current')}alignment/")
    section = page.get_by_role("region", name=re.compile(r"^10\. Radicalisation"))
    section.get_by_text("Change the answer").click()
    section.get_by_label("No, not adopted").check()
    section.get_by_label("Why not").fill("")
    section.get_by_role("button", name=re.compile(r"^Save")).click()
    expect(section.get_by_role("alert")).to_be_visible()
    axe_findings.extend((f"{page.url} with errors", v) for v in audit(page, who="planner.5339"))

    # A period recorded already, refused in the htmx-swapped measurement section.
    record = open_page("chief.5415", demo_site.indicator_url("Injury road accidents"))
    form = record.get_by_role("form", name="Record a period")
    form.get_by_label("Period:").fill("2025-Q4")
    form.get_by_label("Value:").fill("1")
    form.get_by_role("button", name="Record").click()
    expect(form.get_by_role("alert")).to_be_visible()
    axe_findings.extend((f"{record.url} with errors", v) for v in audit(record, who="chief.5415"))

    login = open_page(None, "/accounts/login/")
    login.get_by_label("Username").fill("planner.5339")
    login.get_by_label("Password").fill("wrong")
    login.get_by_role("button", name="Sign in").click()
    expect(login.get_by_role("alert")).to_be_visible()
    axe_findings.extend((f"{login.url} with errors", v) for v in audit(login, who="anonymous"))


def test_report_run_page_is_accessible_while_running_and_when_done(open_page, axe_findings):
    page = open_page("committee.member", "/reports/new/")
    page.get_by_label("Report:").select_option(label="National alignment overview")
    page.get_by_label("About:").select_option(label="Everything the requester may read")
    page.get_by_label("Format:").select_option(label="CSV")
    page.get_by_role("button", name="Request the report").click()
    status = page.get_by_role("region", name="Status")
    expect(status).to_be_visible()
    axe_findings.extend((f"{page.url} (running)", v) for v in audit(page, who="committee.member"))
    expect(status.get_by_text("The report is ready.")).to_be_visible(timeout=120_000)
    axe_findings.extend((f"{page.url} (done)", v) for v in audit(page, who="committee.member"))
