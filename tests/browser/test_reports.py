"""Journey 6: request a plan progress report as PDF and as XLSX; the worker produces them off the request,
the run page follows the run (htmx polling) and its download link gives the file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PLAN = "Zonal security plan 2020-2025, 5415 PZ Gent"
# The worker polls its folder each second and imports WeasyPrint on its first PDF: allow for a busy machine.
REPORT_SECONDS = 120


def request_report(page: Page, file_format: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Request a report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request a report")
    page.get_by_label("Report:").select_option(label="Plan progress report")
    page.get_by_label("About:").select_option(label="One plan")
    page.get_by_label("Plan:").select_option(label=PLAN)
    page.get_by_label("Up to period:").fill("2025-Q4")
    page.get_by_label("Format:").select_option(label=file_format)
    page.get_by_label("Language:").select_option(label="English")
    page.get_by_role("button", name="Request the report").click()
    expect(page.get_by_role("status").filter(has_text="Your report is queued; this page follows it.")).to_be_visible()
    expect(page.locator("dt:text-is('About') + dd")).to_have_text(PLAN)
    expect(page.locator("dt:text-is('Format') + dd")).to_have_text(file_format)


def download_when_ready(page: Page, file_format: str) -> tuple[str, bytes]:
    status = page.get_by_role("region", name="Status")
    expect(status.get_by_text("The report is ready.")).to_be_visible(timeout=REPORT_SECONDS * 1000)
    expect(status.get_by_text("Done", exact=True)).to_be_visible()
    expect(page.get_by_role("progressbar", name="Progress")).to_have_attribute("value", "100")
    assert page.evaluate("window.pageLoadMarker") == "same page", "the run page reloaded instead of polling"
    with page.expect_download() as download:
        status.get_by_role("link", name=f"Download the {file_format} file").click()
    return download.value.suggested_filename, Path(download.value.path()).read_bytes()


def test_plan_progress_report_as_pdf_and_xlsx(open_page):
    pdf_page = open_page("chief.5415", "/")
    request_report(pdf_page, "PDF")
    pdf_page.evaluate("window.pageLoadMarker = 'same page'")  # survives htmx swaps, not a page load
    xlsx_page = open_page("chief.5415", "/")
    request_report(xlsx_page, "XLSX")
    xlsx_page.evaluate("window.pageLoadMarker = 'same page'")

    name, body = download_when_ready(pdf_page, "PDF")
    assert name.startswith("plan-progress-") and name.endswith("-2025-Q4.pdf"), name
    assert body.startswith(b"%PDF-"), body[:20]

    name, body = download_when_ready(xlsx_page, "XLSX")
    assert name.endswith(".xlsx"), name
    assert zipfile.is_zipfile(io.BytesIO(body)), body[:20]
    with zipfile.ZipFile(io.BytesIO(body)) as workbook:
        assert "xl/workbook.xml" in workbook.namelist()

    # The list of the user's reports offers both files.
    xlsx_page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    reports = xlsx_page.get_by_role("table", name="Your reports, newest first")
    for file_format in ("PDF", "XLSX"):
        row = reports.get_by_role("row").filter(has_text=PLAN).filter(has_text=f"Download {file_format}")
        expect(row).to_contain_text("Done")
