"""Journey: a zone planner edits a chapter of the plan document and sees her Markdown rendered beside the
textarea, as the plan will show it, while she types and when she presses Preview (htmx: no page load, nothing
saved); HTML she types stays text; she saves, and the plan shows the same text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import audit_all_panels

pytestmark = pytest.mark.browser

WRITTEN = "Two **night** teams on weekends.\n\n- Flagey\n- Place Fernand Cocq\n\n<script>alert(1)</script>"


def test_a_planner_previews_a_chapter_while_writing_it_then_saves_it(open_page, demo_site):
    page = open_page("planner.5339", demo_site.plan_url("5339/current") + "document/")
    page.get_by_role("link", name="Edit Capacity").click()
    page.evaluate("window.previewJourney = 'same page'")  # gone if a page load happened
    text = page.get_by_label("Text:")
    preview = page.locator("#section-preview")
    expect(preview).to_have_attribute("aria-live", "polite")

    # Typing: the preview follows, once the typing pauses.
    text.fill(WRITTEN)
    expect(preview.locator("strong")).to_have_text("night")
    expect(preview.get_by_role("listitem")).to_have_text(["Flagey", "Place Fernand Cocq"])
    expect(preview.get_by_text("<script>alert(1)</script>")).to_be_visible()  # the HTML typed, as text
    expect(preview.locator("script")).to_have_count(0)

    # The Preview button: the text as it stands now (set without an input event, so only the button renders it).
    text.evaluate("(element, value) => { element.value = value; }", "Three *night* teams.")
    page.get_by_role("button", name="Preview").click()
    expect(preview.locator("em")).to_have_text("night")
    expect(preview.get_by_role("listitem")).to_have_count(0)
    assert page.evaluate("window.previewJourney") == "same page"
    page.get_by_text("How to write the text (Markdown)").click()  # the Markdown help opens
    expect(page.get_by_role("cell", name="a numbered list")).to_be_visible()
    audit_all_panels(page, who="planner.5339")

    # Nothing was saved by the previews: the document still says the chapter has no text.
    check = page.context.new_page()
    check.goto(demo_site.plan_url("5339/current") + "document/")
    expect(check.locator(".document-outline__heading", has_text="Capacity")).to_contain_text("no text yet")
    check.close()

    text.fill(WRITTEN)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_role("link", name="Back to the plan").click()
    written = page.locator(".document-text", has=page.locator("p", has_text="Two night teams on weekends."))
    expect(written.locator("strong")).to_have_text("night")
    expect(written.get_by_text("<script>alert(1)</script>")).to_be_visible()
    expect(written.locator("script")).to_have_count(0)
