"""A report's file, rendered from its data snapshot: PDF (WeasyPrint, in ``reporting.pdf``), XLSX (openpyxl),
CSV, JSON. Renderers read the snapshot only, never the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from nsp import figures
from nsp.spreadsheet import safe_cell, safe_row
from reporting import tables

logger = logging.getLogger(__name__)


def render(format: str, snapshot: dict[str, Any], *, digest: str) -> bytes:
    """The report file in ``format``. Call inside the report's language (``translation.override``)."""
    return RENDERERS[format](snapshot, digest=digest)


# --- PDF --------------------------------------------------------------------------------------------


def render_pdf(snapshot: dict[str, Any], *, digest: str) -> bytes:
    # Imported here: WeasyPrint takes half a second to load, and only a worker rendering a PDF needs it.
    from reporting import pdf

    return pdf.render_pdf(snapshot, digest=digest)


# --- XLSX -------------------------------------------------------------------------------------------

XLSX_FORMATS = {
    "int": "#,##0",
    "percent": "0%",
    "number": "#,##0.0###",
    "date": "yyyy-mm-dd",
}
SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _sheet_name(name: str, taken: set[str]) -> str:
    base = (name.translate(SHEET_FORBIDDEN).strip() or "Sheet")[:31]
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _cell_value(value: Any, column: tables.Column) -> Any:
    if value is None or value == "":
        return None
    if column.type in ("int",):
        return int(value)
    if column.type == "percent":
        # The rounded percentage, so the cell holds what the page and the PDF show (``nsp.figures``).
        return figures.percent_share(value)
    if column.type == "number":
        return Decimal(str(value))
    if column.type == "date":
        return dt.date.fromisoformat(value)
    if column.type == "bool":
        return bool(value)
    return safe_cell(str(value))


def render_xlsx(snapshot: dict[str, Any], *, digest: str) -> bytes:
    return workbook_bytes(_about_rows(snapshot["report"], digest), tables.sections(snapshot))


def workbook_bytes(about: list[tuple[str, str]], sheets: list[tables.Table]) -> bytes:
    """An XLSX file: an "about" sheet, then one sheet per table (frozen header, filters, number formats)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    taken: set[str] = set()
    sheet.title = _sheet_name(_("Report"), taken)
    for label, value in about:
        sheet.append(safe_row([label, value]))
    for row in sheet.iter_rows(min_col=1, max_col=1):
        row[0].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 70

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="E8ECF0")
    for table in sheets:
        sheet = workbook.create_sheet(_sheet_name(table.name, taken))
        sheet.append(safe_row(column.label for column in table.columns))
        for cell in sheet[1]:
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_cell_value(row.get(column.key), column) for column in table.columns])
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            number_format = XLSX_FORMATS.get(column.type)
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
            longest = max([len(column.label), *(len(str(r.get(column.key) or "")) for r in table.rows)])
            sheet.column_dimensions[letter].width = min(max(10, longest + 2), 60)
        # The header stays in view and can filter the rows.
        sheet.freeze_panes = "A2" if table.key != "coverage" else "C2"
        if table.rows:
            sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _about_rows(report: dict[str, Any], digest: str) -> list[tuple[str, str]]:
    return [
        (_("Report"), report["kind_label"]),
        (_("Scope"), report["scope_label"]),
        (_("About"), report["target"]),
        (_("Period"), report["period"] or _("Up to today")),
        (_("As at"), report["as_of"]),
        (_("Requested by"), report["requested_by"]),
        (_("Data snapshot SHA-256"), digest),
    ]


# --- CSV and JSON -----------------------------------------------------------------------------------


def _csv_value(value: Any, column: tables.Column) -> Any:
    if value is None:
        return ""
    if column.type == "percent":
        # A whole percentage rounded as the pages and the PDF round it (``nsp.figures``).
        return figures.percent(value)
    if column.type == "bool":
        return _("yes") if value else _("no")
    if column.type in ("int", "number", "date"):
        return value  # a number or an ISO date stays one (a negative number is no formula)
    return safe_cell(value)


def render_csv(snapshot: dict[str, Any], *, digest: str) -> bytes:
    return table_csv(tables.flat(snapshot))


def table_csv(table: tables.Table) -> bytes:
    """One table as CSV: the figures as the page and the PDF show them (percentages rounded by ``nsp.figures``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_row(f"{c.label} (%)" if c.type == "percent" else c.label for c in table.columns))
    for row in table.rows:
        writer.writerow([_csv_value(row.get(column.key), column) for column in table.columns])
    # A byte-order mark, so spreadsheet programs read the accents right.
    return buffer.getvalue().encode("utf-8-sig")


def render_json(snapshot: dict[str, Any], *, digest: str) -> bytes:
    return (json.dumps(snapshot, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


RENDERERS = {"pdf": render_pdf, "xlsx": render_xlsx, "csv": render_csv, "json": render_json}
