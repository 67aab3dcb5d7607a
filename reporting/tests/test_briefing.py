"""Briefing-grade reports: the national overview and the zone annual report read back (PDF text, XLSX cells)
against the dashboard's figures with the same rounding; objectives in tree order; contents and page numbers."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nsp import figures
from reporting import selectors
from reporting.models import ReportRun
from reporting.runners import ReportRunner
from reporting.tests.conftest import AS_OF, PERIOD
from reporting.tests.test_runners import pdf_text, read
from tests.factories import ObjectiveFactory

pytestmark = pytest.mark.usefixtures("media")


def produce(user, kind: str, fmt: str, scope: str = "national", **target) -> ReportRun:
    run = ReportRun.objects.create(kind=kind, scope=scope, format=fmt, period=PERIOD, requested_by=user, **target)
    run = ReportRunner(run).run()
    run.refresh_from_db()
    assert run.status == "done", run.log
    return run


def dashboard_data(client, world) -> dict:
    # The dashboard as at the report's day shows the figures the report prints.
    client.force_login(world.committee)
    return selectors.overview(user=world.committee, as_of=AS_OF, nsp=world.nsp)


def test_national_pdf_reads_back_as_the_dashboard(client, world):
    data = dashboard_data(client, world)
    text = pdf_text(produce(world.committee, "national_overview", "pdf"))
    for heading in ("Contents", "Executive summary", "Progress in charts", "Coverage of the national priorities"):
        assert heading in text
    assert re.search(r"\b2 ?/ ?\d+", text)  # page numbers from the second page on
    for row in data["clusters"] + data["districts"]:
        if row["progress"] is not None:
            assert figures.percent_text(row["progress"]) in text, row["label"]
    # The coverage matrix, printed: codes of the priorities and the zone with its answers.
    assert "P1" in text and "T1" in text and "5339 Brussel-Hoofdstad/Elsene" in text


def test_national_xlsx_cells_are_the_dashboards_rounded_figures(client, world):
    data = dashboard_data(client, world)
    workbook = load_workbook(io.BytesIO(read(produce(world.committee, "national_overview", "xlsx"))))
    sheet = workbook["Clusters"]
    header = [c.value for c in sheet[1]]
    cells = {r[0]: r[header.index("Progress")] for r in sheet.iter_rows(min_row=2, values_only=True)}
    for row in data["clusters"]:
        assert cells[row["label"]] == figures.percent_share(row["progress"])
    assert {"Coverage", "Coverage cells", "Trend", "Provinces", "Programmes", "Attention"} <= set(workbook.sheetnames)


def test_zone_annual_report_in_tree_order(world):
    # A tactical objective under S1, created after S2: printed between them.
    ObjectiveFactory(
        plan=world.plan_a, parent=world.road, level="tactical", code="T1.1", title="Speed checks near schools"
    )
    run = produce(world.chief_a, "zone_annual", "pdf", scope="zone", zone=world.zone_a)
    assert [o["code"] for o in run.snapshot["objectives"]] == ["S1", "T1.1", "S2"]
    text = pdf_text(run)
    detail = text[text.rindex("Detail") :]  # after the contents, which list the strategic objectives
    assert (
        detail.index("S1 Fewer road accidents")
        < detail.index("T1.1 Speed checks near schools")
        < detail.index("S2 Fewer burglaries")
    )
    assert "Annual report 2021" in text and "Executive summary" in text
    # The cover names the plan's facts (shared with the printed plan document) and who asked for the report.
    cover = text[: text.index("Contents")]
    assert all(label in cover for label in ("Police zone", "NSP edition", "Period", "Status", "Requested by"))
    assert run.snapshot["report"]["requested_by"] in cover and run.snapshot["plan"]["nsp"] in cover
    assert figures.percent_text(run.snapshot["plan"]["progress"]) in text
    # Each indicator with measurements gets its chart against the trajectory.
    road = run.snapshot["objectives"][0]["indicators"][0]
    assert [m["period"] for m in road["measurements"]] == ["2021-Q3"]
    assert "Expected trajectory" in text  # the legend of the indicator's chart, drawn as SVG text


def test_zone_annual_report_can_be_requested_on_a_zone(client, world, monkeypatch):
    from reporting import services

    monkeypatch.setattr(services, "enqueue", lambda run_id: None)
    client.force_login(world.chief_a)
    data = {
        "kind": "zone_annual",
        "scope": "zone",
        "zone": world.zone_a.pk,
        "period": "2021",
        "format": "pdf",
        "language": "fr",
    }
    response = client.post(reverse("reporting:run-new"), data)
    assert response.status_code == 302
    run = ReportRun.objects.get(kind="zone_annual")
    assert (run.zone, run.period, run.language) == (world.zone_a, "2021", "fr")
    refused = client.post(reverse("reporting:run-new"), {**data, "scope": "national", "zone": ""})
    assert refused.status_code == 400


def test_tree_order():
    rows = [
        {"id": 1, "parent_id": None, "code": "S1"},
        {"id": 2, "parent_id": None, "code": "S2"},
        {"id": 3, "parent_id": 1, "code": "T1.1"},
        {"id": 4, "parent_id": 3, "code": "O1.1.1"},
        {"id": 5, "parent_id": 99, "code": "T9.9"},  # its parent is not readable: top level
    ]
    ordered = selectors.tree_order(rows)
    assert [(r["code"], r["depth"]) for r in ordered] == [("S1", 0), ("T1.1", 1), ("O1.1.1", 2), ("S2", 0), ("T9.9", 0)]
