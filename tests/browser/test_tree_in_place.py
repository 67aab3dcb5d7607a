"""The plan's objective tree built in place: the zone chief of 5339 builds a branch (objective, sub-objective,
indicator, action) on the current draft by keyboard only, in four interactions (each: open a small form in the
tree, submit it), without leaving the plan page; the page stays free of serious axe violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import audit, is_focused, tab_to

pytestmark = pytest.mark.browser

CHIEF = "chief.5339"
DRAFT = "5339/current"
STRATEGIC = "Keep the market square calm at night"
TACTICAL = "Fewer noise complaints around the bars"


def interact(page: Page, opener_name: str, within, fields: list[str]) -> None:
    """One interaction, by keyboard: Tab to the link, Enter opens its form in place (the focus in its first
    field), type each field (Tab between them), Enter submits; the tree comes back."""
    opener = within.get_by_role("link", name=opener_name, exact=True)
    tab_to(page, opener, limit=400)
    page.keyboard.press("Enter")
    form = page.locator("form.tree__form")
    expect(form).to_be_visible()
    first = form.locator("input:not([type=hidden]), select").first
    expect(first).to_be_focused()
    for index, value in enumerate(fields):
        if index:
            page.keyboard.press("Tab")
        page.keyboard.type(value)
    page.keyboard.press("Enter")
    expect(form).to_have_count(0)


def test_chief_builds_a_branch_inline_by_keyboard_only(open_page, demo_site):
    page = open_page(CHIEF, demo_site.plan_url(DRAFT) + "#objectives")
    address = page.url
    tree = page.locator("#objective-tree")
    expect(tree).to_be_visible()
    page.get_by_role("heading", name="Objectives", level=2).focus()
    interactions = 0

    interact(page, "Add an objective", tree, [STRATEGIC])
    interactions += 1
    root = tree.get_by_role("link", name=STRATEGIC, exact=True)
    expect(root).to_be_focused()

    row = page.locator("li", has=page.get_by_role("link", name=STRATEGIC, exact=True)).last
    interact(page, "Add a sub-objective", row.get_by_role("group").first, [TACTICAL])
    interactions += 1
    sub = tree.get_by_role("link", name=TACTICAL, exact=True)
    expect(sub).to_be_focused()

    tools = page.get_by_role("group", name=f"Build under {TACTICAL}")
    # Name, unit, direction (a select: typing picks the option), baseline, target.
    interact(page, "Add an indicator", tools, ["Noise complaints", "complaints", "Decrease", "40", "25"])
    interactions += 1
    indicator = tree.get_by_role("link", name="Noise complaints", exact=True)
    expect(indicator).to_be_focused()

    interact(page, "Add an action", tools, ["Evening patrols on Fridays", "Neighbourhood team"])
    interactions += 1
    action = tree.get_by_role("link", name="Evening patrols on Fridays", exact=True)
    expect(action).to_be_focused()

    assert interactions <= 4
    assert page.url == address  # never left the plan page
    # The branch stands in the tree: the action and the indicator under the sub-objective, it under the root.
    branch = page.locator(f"li:has(> .tree__item a:text-is('{TACTICAL}'))")
    expect(branch.locator(".tree__parts")).to_contain_text("Noise complaints")
    expect(branch.locator(".tree__parts")).to_contain_text(re.compile("Evening patrols on Fridays"))
    expect(page.locator(f"li:has(> .tree__item a:text-is('{STRATEGIC}'))")).to_contain_text(TACTICAL)
    assert is_focused(action)
    page.screenshot(path="test-results/browser/tree-in-place.png", full_page=True)
    audit(page, who=CHIEF)

    # And it is stored: a fresh load shows the same branch.
    page.reload()
    expect(page.locator("#objective-tree")).to_contain_text("Evening patrols on Fridays")


def test_chief_moves_an_objective_up_with_alt_arrow(open_page, demo_site):
    page = open_page(CHIEF, demo_site.plan_url(DRAFT) + "#objectives")
    roots = page.locator("#objective-tree > ul.tree > li > .tree__item .tree__title")
    before = roots.all_inner_texts()
    last = roots.last
    last.focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(roots.nth(len(before) - 2)).to_have_text(before[-1])
    moved = page.locator(f"#objective-tree > ul.tree > li:nth-child({len(before) - 1})")
    expect(moved.locator(":scope > .tree__tools button[value='up']")).to_be_focused()
    expect(page.locator("#objective-tree .message--success")).to_contain_text("Moved")
    audit(page, who=CHIEF)
    # Tab reaches the row's buttons; Enter on "Move down" puts it back.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(roots).to_have_text(before)
