"""Journey: a zone planner writes the plan document (a chapter of the zone's own, moved into place) and prints
the plan; the PDF shows the chapters in the zone's order with the text as written."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REPORT_SECONDS = 120  # the worker polls each second and imports WeasyPrint on its first PDF


def test_a_planner_adds_a_chapter_moves_it_and_prints_the_plan_in_that_order(open_page, demo_site):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    page = open_page("planner.5339", demo_site.plan_url("5339/current"))
    page.get_by_role("link", name="Write the plan document").click()
    page.get_by_role("link", name="Add a chapter").click()
    page.get_by_label("Heading:").fill("Cameras in the city centre")
    page.get_by_label("Text:").fill("Ten more cameras, **watched** from the dispatch.")
    page.get_by_role("button", name="Save").click()
    outline = page.locator(".document-outline__heading a")
    expect(outline.last).to_have_text(re.compile(r"^9 Cameras in the city centre$"))
    page.get_by_role("button", name="Move Cameras in the city centre up").click()
    expect(outline.filter(has_text="Cameras in the city centre")).to_have_text("8 Cameras in the city centre")

    page.get_by_role("link", name="Back to the plan").click()
    expect(page.get_by_role("link", name="8 Cameras in the city centre")).to_be_visible()
    page.get_by_role("link", name="Print the plan (PDF)").click()
    expect(page.get_by_label("Report:")).to_have_value("plan_document")
    page.get_by_role("button", name="Request the report").click()
    status = page.get_by_role("region", name="Status")
    expect(status.get_by_text("The report is ready.")).to_be_visible(timeout=REPORT_SECONDS * 1000)
    with page.expect_download() as download:
        status.get_by_role("link", name="Download the PDF file").click()
    body = Path(download.value.path()).read_bytes()
    text = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
    text = re.sub(r"\s+", " ", text)
    start = text.index("Contents")
    body_text = text[text.index("9 Approval", start) + len("9 Approval") :]
    order = [
        "1 Environment scan",
        "1.5 Neighbourhood consultations",
        "2 Mission, vision and values",
        "7 Communication",
        "8 Cameras in the city centre",
        "Ten more cameras, watched from the dispatch.",
        "9 Approval",
    ]
    positions = [body_text.index(item) for item in order]
    assert positions == sorted(positions), list(zip(order, positions, strict=True))
