"""Bulk measurements: a CSV or XLSX file of (indicator, period, value, note) rows for one plan.

The file is read through ``nsp.intake`` (size, rows, columns and the XLSX unpacked size bounded while
it streams), before the plan is locked. Each row names its indicator by id or by name in the plan and
its value as a spreadsheet writes numbers; every row is checked, and one refusal lists every problem
(``extra.problems``, rows numbered as the spreadsheet shows them, header = row 1). A file without
problems is written by ``nsp.services.measurements_upsert`` in one transaction: a new period of an
indicator is created, a recorded one updated, so uploading the same file twice changes nothing the
second time. The API and the upload page both call ``measurements_import``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _

from nsp import intake, services
from nsp.models import Indicator, Plan
from nsp.services import MAX_DECIMALS, MeasurementRow

COLUMNS = ("indicator", "period", "value", "note")
REQUIRED_COLUMNS = ("indicator", "period", "value")
LIMITS = intake.MEASUREMENTS
MAX_BYTES = LIMITS.max_bytes
MAX_ROWS = LIMITS.max_rows
# A value longer than this is no number a spreadsheet writes.
MAX_VALUE_CHARS = 40

ImportResult = services.UpsertResult


@dataclass
class Row:
    number: int
    cells: dict[str, Any]
    problems: list[dict] = field(default_factory=list)

    def refuse(self, column: str, message: str) -> None:
        self.problems.append(intake.problem(message, field=column, row=self.number))


# --- reading the file -----------------------------------------------------------------------------


def read_rows(data: bytes, filename: str) -> list[Row]:
    """The data rows of a CSV or XLSX file, keyed by column name, with their spreadsheet row numbers."""
    table = intake.table_rows(data, filename, limits=LIMITS)
    header: list[str] | None = None
    positions: dict[str, int] = {}
    rows: list[Row] = []
    for number, cells in table:
        if not any(_text(c) for c in cells):
            continue
        if header is None:
            header = [_text(c).lower() for c in cells]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                message = _("The first row must name the columns %(columns)s; missing: %(missing)s.") % {
                    "columns": ", ".join(COLUMNS),
                    "missing": ", ".join(missing),
                }
                raise intake.IntakeError(
                    message,
                    [intake.problem(message, row=number, field=column) for column in missing],
                    columns={"missing": missing},
                )
            positions = {column: header.index(column) for column in COLUMNS if column in header}
            continue
        padded = list(cells) + [None] * (len(header) - len(cells))
        rows.append(Row(number, {column: padded[i] for column, i in positions.items()}))
    if header is None:
        raise intake.refuse(_("The file is empty."))
    if not rows:
        raise intake.refuse(_("The file has no rows below its header."))
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value).strip()


# --- reading the cells ----------------------------------------------------------------------------


def _indicator_index(plan: Plan) -> tuple[dict[int, Indicator], dict[str, list[Indicator]]]:
    by_id: dict[int, Indicator] = {}
    by_name: dict[str, list[Indicator]] = {}
    for indicator in Indicator.objects.filter(plan=plan).order_by("pk"):
        by_id[indicator.pk] = indicator
        by_name.setdefault(indicator.name.strip().casefold(), []).append(indicator)
    return by_id, by_name


def _indicator(row: Row, by_id: dict, by_name: dict) -> Indicator | None:
    raw = _text(row.cells.get("indicator"))
    if not raw:
        row.refuse("indicator", _("Name the indicator (its id or its name in this plan)."))
        return None
    if raw.isdigit() and len(raw) < 19 and int(raw) in by_id:
        return by_id[int(raw)]
    named = by_name.get(raw.casefold(), [])
    if len(named) == 1:
        return named[0]
    shown = raw[:80]
    if named:
        row.refuse(
            "indicator", _("Several indicators of this plan are called '%(name)s'; use the id.") % {"name": shown}
        )
    else:
        row.refuse("indicator", _("This plan has no indicator '%(name)s'.") % {"name": shown})
    return None


def _period_text(value: Any) -> str:
    # A spreadsheet turns "2021-05" into a date; read it back as the month it names.
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}-{value.month:02d}"
    return _text(value)


def parse_value(raw: Any) -> Decimal:
    """A number as a spreadsheet writes it: 12.5, 12,5, 1 234,5, 1.234,5 or 1,234.5. ValueError otherwise.

    Any text is safe here: the length is bounded first, and a huge exponent (``1e1000000``) is a
    ValueError like any other non-number, never a ``decimal`` trap.
    """
    if isinstance(raw, bool):
        raise ValueError(raw)
    try:
        if isinstance(raw, float):
            if raw != raw or raw in (float("inf"), float("-inf")) or abs(raw) >= 1e16:
                raise ValueError(raw)
            # A spreadsheet's binary float (0.30000000000000004): keep the places a measurement has.
            value = Decimal(repr(raw)).quantize(Decimal(1).scaleb(-MAX_DECIMALS))
        elif isinstance(raw, int | Decimal):
            value = Decimal(raw)
        else:
            text = _text(raw)
            if len(text) > MAX_VALUE_CHARS:
                raise ValueError(raw)
            value = Decimal(_number_text(text))
    except (InvalidOperation, ArithmeticError) as exc:
        raise ValueError(raw) from exc
    if not value.is_finite():
        raise ValueError(raw)
    return value


def _number_text(text: str) -> str:
    text = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        return text.replace(thousands, "").replace(decimal_mark, ".")
    return text.replace(",", ".")


def _unfilled(row: Row) -> bool:
    """A line of the template left as it was: indicator and period given, no value and no note."""
    cells = row.cells
    return bool(_text(cells.get("indicator")) and _period_text(cells.get("period"))) and not (
        _text(cells.get("value")) or _text(cells.get("note"))
    )


def _measurement(row: Row, by_id: dict, by_name: dict) -> MeasurementRow | None:
    indicator = _indicator(row, by_id, by_name)
    period = _period_text(row.cells.get("period"))
    if not period:
        row.refuse("period", _("Give the period, such as 2018-Q2."))
    raw = row.cells.get("value")
    value = None
    if _text(raw) == "":
        row.refuse("value", _("Give the value."))
    else:
        try:
            value = parse_value(raw)
        except ValueError:
            row.refuse("value", _("'%(value)s' is not a number.") % {"value": _text(raw)[:40]})
    if indicator is None or value is None or not period:
        return None
    return MeasurementRow(
        indicator=indicator,
        period=period,
        value=value,
        note=_text(row.cells.get("note")),
        where=intake.row_label(row.number),
        row=row.number,
    )


def check_rows(plan: Plan, rows: list[Row], *, today: dt.date) -> tuple[list[MeasurementRow], list[dict]]:
    """The rows as measurements to record, and every problem of every row (in file order)."""
    by_id, by_name = _indicator_index(plan)
    measurements = []
    for row in rows:
        if _unfilled(row):
            continue
        measurement = _measurement(row, by_id, by_name)
        if measurement is not None:
            measurements.append(measurement)
    problems = [p for row in rows for p in row.problems]
    problems += services.measurement_problems(plan=plan, rows=measurements, today=today)
    problems.sort(key=lambda p: (p.get("row") or 0, COLUMNS.index(p["field"]) if p["field"] in COLUMNS else 9))
    return measurements, problems


# --- the import -----------------------------------------------------------------------------------


def measurements_import(*, actor, plan: Plan, file: IO[bytes], filename: str) -> ImportResult:
    """Import every row of the file or none: every problem at once, with row numbers.

    The file is read and checked before the plan is locked: a hostile or broken file never holds
    the plan's lock (nor a database transaction) while it is parsed.
    """
    services.ensure_recording(actor, plan)
    rows = read_rows(intake.read_bytes(file, limits=LIMITS), filename)
    from django.utils import timezone

    measurements, problems = check_rows(plan, rows, today=timezone.localdate())
    if problems:
        raise intake.problems_error(problems)
    if not measurements:
        raise intake.refuse(_("No row of the file gives a value; fill in the value column."))
    reason = _("Imported from %(file)s") % {"file": (filename or "")[:100]}
    return services.measurements_upsert(plan=plan, rows=measurements, actor=actor, reason=reason)


def result_message(result: ImportResult) -> str:
    """What an upload did, in words: "12 measurements recorded, 3 updated, 1 already up to date"."""
    from django.utils.translation import ngettext

    if not result.created and result.updated:
        # Not "0 measurements recorded, 10 updated": a quarter corrected says what it did.
        parts = [
            ngettext("%(count)d measurement updated", "%(count)d measurements updated", result.updated)
            % {"count": result.updated}
        ]
    else:
        parts = [
            ngettext("%(count)d measurement recorded", "%(count)d measurements recorded", result.created)
            % {"count": result.created}
        ]
        if result.updated:
            parts.append(ngettext("%(count)d updated", "%(count)d updated", result.updated) % {"count": result.updated})
    if result.unchanged:
        parts.append(
            ngettext("%(count)d already up to date", "%(count)d already up to date", result.unchanged)
            % {"count": result.unchanged}
        )
    return ", ".join(parts) + "."


# --- the template to fill in ----------------------------------------------------------------------


def template_rows(plan: Plan, *, as_of: dt.date) -> list[list[Any]]:
    """A header and one row per indicator of the plan: id, name, the period due now, no value yet."""
    from nsp import periods, progress

    rows: list[list[Any]] = [["indicator", "name", "period", "value", "note"]]
    for indicator in Indicator.objects.filter(plan=plan).order_by("objective__position", "objective_id", "pk"):
        due = progress.last_due_period(
            frequency=indicator.frequency,
            baseline_date=indicator.baseline_date,
            target_date=indicator.target_date,
            as_of=as_of,
        ) or periods.last_complete(as_of, indicator.frequency)
        rows.append([indicator.pk, indicator.name, due.label, None, None])
    return rows


def template_file(plan: Plan, kind: str, *, as_of: dt.date) -> tuple[bytes, str]:
    """The template as CSV or XLSX (every text cell through ``nsp.spreadsheet.safe_cell``)."""
    import csv
    import io

    from nsp.spreadsheet import safe_row

    rows = template_rows(plan, as_of=as_of)
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        for row in rows:
            writer.writerow(safe_row("" if cell is None else cell for cell in row))
        return buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8"
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Measurements")[:31]
    for row in rows:
        sheet.append(safe_row(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # Periods are text ("2024-05" must not become a date).
    for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        cell.number_format = "@"
    sheet.column_dimensions["B"].width = 50
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
