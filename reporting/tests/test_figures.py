"""The dashboard's figures: each chart matches its table, each table downloads as the CSV of what the page shows,
and the PDF, the XLSX and the CSV round as the page does (``nsp.figures``)."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from nsp import figures
from reporting import charts, renderers, tables

SVG = "{http://www.w3.org/2000/svg}"


def dashboard(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("reporting:dashboard"), params)
    assert response.status_code == 200
    return response


def read_csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_each_table_downloads_as_csv_with_the_figures_shown(client, world):
    response = dashboard(client, world.committee, nsp=world.nsp.pk)
    html = response.content.decode()
    for key, figure in response.context["figures"].items():
        assert figure["csv_url"] in html.replace("&amp;", "&")
        rows = read_csv(client.get(figure["csv_url"]))
        table = figure["table"]
        assert len(rows) == len(table.rows), key
        for row, source in zip(rows, table.rows, strict=True):
            for column in table.columns:
                if column.type == "percent":
                    shown = figures.percent_text(source[column.key])
                    assert shown in html
                    assert row[f"{column.label} (%)"] == ("" if source[column.key] is None else shown.split()[0])


def test_csv_of_an_unknown_table_is_a_404(client, world):
    client.force_login(world.committee)
    assert client.get(reverse("reporting:dashboard-csv", kwargs={"table": "nothing"})).status_code == 404


def test_csv_follows_the_filters(client, world):
    client.force_login(world.committee)
    url = reverse("reporting:dashboard-csv", kwargs={"table": "districts"})
    everywhere = read_csv(client.get(url, {"nsp": world.nsp.pk}))
    one = read_csv(client.get(url, {"nsp": world.nsp.pk, "district": world.district_a.pk}))
    assert len(everywhere) == 2 and [r["District"] for r in one] == ["Brussel/Bruxelles"]


def test_each_chart_says_the_figures_of_its_table(client, world):
    response = dashboard(client, world.committee, nsp=world.nsp.pk)
    data = response.context["data"]
    drawn = charts.overview_charts(data)
    for key in ("clusters", "themes", "districts"):
        root = ET.fromstring(str(drawn[key]))
        said = [t.text for t in root.iter(f"{SVG}text")]
        for row in data[key]:
            if row["progress"] is None:
                assert "No data" in said
            else:
                assert f"{figures.percent_text(row['progress'])} \u00b7 {row['progress_status_label']}" in said
    root = ET.fromstring(str(drawn["states"]))
    counts = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.isdigit()]
    assert counts == [str(r["count"]) for r in data["plans_by_status"]]
    assert str(drawn["clusters"]) in response.content.decode()


# --- one rounding in every format ---------------------------------------------------------------------------

BRUSSELS = 0.138  # read 13 % on the page, 14 % in the PDF, 13.8 in the CSV before nsp.figures


def snapshot() -> dict:
    row = {
        "id": 1,
        "label": "Brussel/Bruxelles",
        "plans": 19,
        "objectives": 8,
        "objectives_with_data": 8,
        "progress": BRUSSELS,
        "progress_status": "on_track",
        "progress_status_label": "On track",
        "statuses": {"achieved": 0, "on_track": 8, "at_risk": 0, "off_track": 0, "no_data": 0},
    }
    return {
        "report": {
            "version": 1,
            "id": 7,
            "kind": "national_overview",
            "kind_label": "National overview",
            "scope": "national",
            "scope_label": "Everything",
            "target": "",
            "period": "2026-Q3",
            "as_of": "2026-09-30",
            "language": "en",
            "requested_by": "Committee",
        },
        "nsp": {"id": 1, "code": "nsp", "title": "NSP"},
        "plans_by_status": [{"status": "approved", "label": "Approved", "count": 19}],
        "districts": [row],
        "clusters": [{**row, "label": "1. Road safety"}],
        "themes": [],
        "off_track_plans": [],
        "overdue_indicators": [],
        "overdue_total": 0,
    }


def test_csv_and_xlsx_round_as_the_page():
    with translation.override("en"):
        table = tables.table_by_key(tables.overview_tables(snapshot()), "districts")
        rows = list(csv.DictReader(io.StringIO(renderers.table_csv(table).decode("utf-8-sig"))))
        assert rows[0]["Progress (%)"] == "14"
        workbook = load_workbook(io.BytesIO(renderers.render_xlsx(snapshot(), digest="0" * 64)))
    sheet = workbook["Districts"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Progress") + 1)
    assert cell.value == 0.14 and cell.number_format == "0%"


def test_pdf_text_rounds_as_the_page(tmp_path):
    with translation.override("en"):
        content = renderers.render_pdf(snapshot(), digest="0" * 64)
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Brussel/Bruxelles.*\b14 %", text)
    assert "13 %" not in text and "13.8" not in text
