"""The plan's objective tree built in place: the zone chief of 5339 builds a branch (objective, sub-objective,
indicator, action) on the current draft by keyboard only, in four interactions (each: open a small form in the
tree, submit it), without leaving the plan page; each row's tools are one toolbar (one Tab stop, arrow keys
inside); a row dragged to another place stays there; the page stays free of serious axe violations."""

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
    """One interaction, by keyboard: Tab to the link (in a row's toolbar: Tab to the toolbar, then the arrow
    keys), Enter opens its form in place (the focus in its first field), type each field (Tab between them),
    Enter submits; the tree comes back."""
    opener = within.get_by_role("link", name=opener_name, exact=True)
    toolbar = opener.locator("xpath=ancestor::*[@role='toolbar']")
    if toolbar.count():
        tab_to(page, toolbar.locator("[tabindex='0']"), limit=400)
        for _ in range(12):
            if is_focused(opener):
                break
            page.keyboard.press("ArrowRight")
        assert is_focused(opener)
    else:
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
    interact(page, "Add a sub-objective", row.get_by_role("toolbar").first, [TACTICAL])
    interactions += 1
    sub = tree.get_by_role("link", name=TACTICAL, exact=True)
    expect(sub).to_be_focused()

    tools = page.get_by_role("toolbar", name=f"Build under {TACTICAL}")
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
    # The arrow key reaches the next button of the row's toolbar; Enter on "Move down" puts it back.
    page.keyboard.press("ArrowRight")
    expect(moved.locator(":scope > .tree__tools button[value='down']")).to_be_focused()
    page.keyboard.press("Enter")
    expect(roots).to_have_text(before)


def test_each_row_toolbar_is_one_tab_stop_with_arrow_keys_inside(open_page, demo_site):
    page = open_page(CHIEF, demo_site.plan_url(DRAFT) + "#objectives")
    row = page.locator("#objective-tree > ul.tree > li").first
    title = row.locator(":scope > .tree__item .tree__title").inner_text()
    toolbar = row.locator(":scope > [role='toolbar']")
    expect(toolbar).to_have_attribute("aria-label", re.compile(re.escape(title.split(" ", 1)[-1])))
    items = toolbar.locator("a[href], button")
    count = items.count()
    assert count >= 7  # add a sub-objective, after, an indicator, an action, up, down, indent, rename
    stops = toolbar.evaluate("t => [...t.querySelectorAll('a[href], button')].filter(e => e.tabIndex >= 0).length")
    assert stops == 1
    # Tab from the row's last stop before the toolbar enters it once and the next Tab leaves it.
    first = items.first
    first.focus()
    inside = "t => t.contains(document.activeElement)"
    page.keyboard.press("Tab")
    assert not toolbar.evaluate(inside)
    page.keyboard.press("Shift+Tab")
    expect(first).to_be_focused()
    page.keyboard.press("Shift+Tab")
    assert not toolbar.evaluate(inside)
    page.keyboard.press("Tab")
    expect(first).to_be_focused()
    # Left/Right/Home/End move between its tools; the one reached keeps the Tab stop.
    page.keyboard.press("ArrowRight")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("End")
    expect(items.nth(count - 1)).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(items.nth(count - 1)).to_be_focused()
    page.keyboard.press("Home")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowRight")
    assert toolbar.evaluate("t => [...t.querySelectorAll('a[href], button')].filter(e => e.tabIndex >= 0).length") == 1
    expect(items.nth(1)).to_have_attribute("tabindex", "0")
    audit(page, who=CHIEF)


def test_chief_drags_a_row_before_the_first_and_it_stays_there(open_page, demo_site):
    page = open_page(CHIEF, demo_site.plan_url(DRAFT) + "#objectives")
    roots = page.locator("#objective-tree > ul.tree > li > .tree__item .tree__title")
    before = roots.all_inner_texts()
    assert len(before) >= 2
    items = page.locator("#objective-tree > ul.tree > li > .tree__item")
    expect(items.last).to_have_attribute("draggable", "true")
    # The whole tree in view, so the pointer goes from the last row to the first without scrolling mid-drag.
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 100, 16000)})
    items.last.drag_to(items.first, source_position={"x": 8, "y": 8}, target_position={"x": 20, "y": 2})
    expected = [before[-1], *before[:-1]]
    expect(roots).to_have_text(expected)
    expect(page.locator("#objective-tree .message--success")).to_contain_text("Moved")
    audit(page, who=CHIEF)
    page.reload()
    expect(page.locator("#objective-tree > ul.tree > li > .tree__item .tree__title")).to_have_text(expected)
