"""Journey 2: the zone planner of 5339 edits the zone's current draft plan.

Three tests on the same draft, each on objects of its own: an objective under a strategic objective and its
indicator; a refused indicator (target date before the baseline); the national alignment.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

PLANNER = "planner.5339"
PLANNER_NAME = "Nadia El Amrani"
DRAFT = "5339/current"
# The badge ends the heading of each priority; case tells them apart.
ADOPTED, NOT_ADOPTED = re.compile(r"Adopted\s*$"), re.compile(r"Not adopted\s*$")
STRATEGIC = "S8 Take online fraud complaints well and warn vulnerable residents"


def open_tab(page: Page, name: str) -> Locator:
    """Select one of the page's tabs; returns its panel."""
    page.get_by_role("tab", name=re.compile(rf"^{re.escape(name)}")).click()
    return page.get_by_role("tabpanel", name=re.compile(rf"^{re.escape(name)}"))


def field(root: Page | Locator, label: str) -> Locator:
    """The form field block (label, help, errors, input) around the input labelled ``label``."""
    page = root if isinstance(root, Page) else root.page
    return root.locator("div.field").filter(has=page.get_by_label(label))


def fill_indicator(page: Page, *, name: str, baseline_date: str, target_date: str) -> None:
    page.get_by_label("Name:").fill(name)
    page.get_by_label("Unit:").fill("sessions")
    page.get_by_label("Source:", exact=True).select_option(label="Internal data")
    page.get_by_label("Baseline value:").fill("0")
    page.get_by_label("Baseline date:").fill(baseline_date)
    page.get_by_label("Target value:").fill("24")
    page.get_by_label("Target date:").fill(target_date)
    page.get_by_label("Direction:").select_option(label="Increase")
    page.get_by_label("Frequency:").select_option(label="Quarterly")


def test_planner_adds_an_objective_under_a_strategic_one_and_an_indicator(open_page, demo_site):
    page = open_page(PLANNER, demo_site.plan_url(DRAFT))
    objectives = open_tab(page, "Objectives")
    objectives.get_by_role("link", name=STRATEGIC).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(STRATEGIC)

    open_tab(page, "Objectives under it").get_by_role("link", name="Add an objective under it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an objective")
    # The link fills in the level and the parent.
    expect(page.get_by_label("Level:")).to_have_value("tactical")
    expect(page.get_by_label("Parent objective:").locator("option:checked")).to_have_text(STRATEGIC)
    page.get_by_label("Code:").fill("T8.9")
    page.get_by_label("Title:").fill("Hold a monthly online-fraud prevention session in the community centres")
    page.get_by_label("Domain:").select_option(label="Security and quality of life")
    page.get_by_role("button", name="Save").click()

    tactical = "T8.9 Hold a monthly online-fraud prevention session in the community centres"
    expect(page.get_by_role("heading", level=1)).to_have_text(tactical)
    expect(page.get_by_role("status").filter(has_text=f"Added {tactical}.")).to_be_visible()
    expect(page.get_by_role("definition").get_by_role("link", name=STRATEGIC)).to_be_visible()  # "Under"

    open_tab(page, "Indicators").get_by_role("link", name="Add an indicator").click()
    fill_indicator(
        page, name="Online-fraud prevention sessions held", baseline_date="2026-01-01", target_date="2031-12-31"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Online-fraud prevention sessions held")
    expect(page.get_by_text(f"Indicator of {tactical}")).to_be_visible()
    expect(page.get_by_text("No measurement yet.")).to_be_visible()

    # The plan's history names both new rows and who wrote them.
    page.goto(demo_site.plan_url(DRAFT))
    history = open_tab(page, "History")
    for item in (tactical, "Online-fraud prevention sessions held"):
        row = history.get_by_role("row").filter(has_text=item).filter(has_text="created")
        expect(row.first).to_contain_text(PLANNER_NAME)
    open_tab(page, "Objectives")
    expect(page.get_by_role("link", name=tactical)).to_be_visible()


def test_indicator_with_a_target_date_before_its_baseline_is_refused_at_the_field(open_page, demo_site):
    page = open_page(PLANNER, demo_site.plan_url(DRAFT))
    open_tab(page, "Objectives").get_by_role("link", name=STRATEGIC).click()
    open_tab(page, "Indicators").get_by_role("link", name="Add an indicator").click()
    fill_indicator(
        page, name="Residents warned about online fraud", baseline_date="2026-01-01", target_date="2025-06-30"
    )
    page.get_by_role("button", name="Save").click()

    message = "The target date must come after the baseline date."
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an indicator")
    expect(page.get_by_role("alert")).to_contain_text(message)
    # Next to the field, and tied to it for a screen reader.
    expect(field(page, "Target date:")).to_contain_text(message)
    target = page.get_by_label("Target date:")
    expect(target).to_have_attribute("aria-invalid", "true")
    expect(target).to_have_accessible_description(re.compile(re.escape(message)))
    # Nothing was saved: the values are still in the form.
    expect(page.get_by_label("Name:")).to_have_value("Residents warned about online fraud")


# Two national priorities of the NSP 2022-2025 that the 5339 draft answers: one not adopted, one adopted.
ENVIRONMENT = "9. Human doping, food-chain crime and environmental crime"
ORGANISED_CRIME = "2. The approach to organised crime"


def alignment_section(page: Page, priority: str) -> Locator:
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(priority)} "))


def test_planner_answers_national_priorities(open_page, demo_site):
    page = open_page(PLANNER, demo_site.plan_url(DRAFT))
    open_tab(page, "National alignment").get_by_role("link", name="Answer the national priorities").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("National alignment of")

    # Adopt a priority the plan did not adopt, with one of its objectives.
    section = alignment_section(page, ENVIRONMENT)
    expect(section.get_by_role("heading").first).to_have_text(NOT_ADOPTED)
    section.get_by_text("Change the answer").click()
    section.get_by_label("Yes, adopted by these objectives").check()
    nuisance = re.compile(r"\bS2 Reduce nuisance in public space")  # its target year follows the term
    section.get_by_label(nuisance).check()
    section.get_by_role("button", name=re.compile(r"^Save")).click()
    section = alignment_section(page, ENVIRONMENT)
    expect(section.get_by_text("Saved.")).to_be_visible()
    expect(section.get_by_role("heading").first).to_have_text(ADOPTED)
    expect(section.get_by_text("Adopted by:").get_by_role("link", name=nuisance)).to_be_visible()

    # Stop adopting one: without a justification the answer is refused, the message at the field.
    section = alignment_section(page, ORGANISED_CRIME)
    expect(section.get_by_role("heading").first).to_have_text(ADOPTED)
    section.get_by_text("Change the answer").click()
    section.get_by_label("No, not adopted").check()
    section.get_by_role("button", name=re.compile(r"^Save")).click()
    section = alignment_section(page, ORGANISED_CRIME)
    message = "A justification is required when not adopting."
    expect(field(section, "Why not")).to_contain_text(message)
    why_not = section.get_by_label("Why not")
    expect(why_not).to_have_attribute("aria-invalid", "true")
    expect(section.get_by_role("alert")).to_be_focused()  # the error summary takes the focus after the swap
    expect(section.get_by_role("heading").first).to_have_text(ADOPTED)

    justification = "The federal judicial police lead the approach to organised crime; the zone passes on its findings."
    why_not.fill(justification)
    section.get_by_role("button", name=re.compile(r"^Save")).click()
    section = alignment_section(page, ORGANISED_CRIME)
    expect(section.get_by_text("Saved.")).to_be_visible()
    expect(section.get_by_role("heading").first).to_have_text(NOT_ADOPTED)
    expect(section.get_by_text(f"Not adopted: {justification}")).to_be_visible()

    # A fresh load shows both answers, and the plan's history shows who changed them.
    page.reload()
    expect(alignment_section(page, ENVIRONMENT).get_by_role("heading").first).to_have_text(ADOPTED)
    expect(alignment_section(page, ORGANISED_CRIME).get_by_role("heading").first).to_have_text(NOT_ADOPTED)
    page.goto(demo_site.plan_url(DRAFT))
    history = open_tab(page, "History")
    for priority in (ENVIRONMENT, ORGANISED_CRIME):
        expect(history.get_by_role("row").filter(has_text=priority).first).to_contain_text(PLANNER_NAME)
