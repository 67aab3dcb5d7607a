"""Bulk measurements: a CSV or XLSX file of (indicator, period, value, note) rows for one plan.

The whole file is read and every row checked before anything is written: one ``DomainError`` lists
every bad row with its row number (the spreadsheet's, header = row 1). Only a file without errors is
written, in one transaction: a new period of an indicator is created, a period it already has is
updated, so uploading the same file twice changes nothing the second time. The API and the upload
page both call ``measurements_import``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nsp import periods
from nsp.exceptions import DomainError
from nsp.models import Indicator, Measurement, Plan
from nsp.permissions import can, ensure
from nsp.services import lock_plan, save_validated

COLUMNS = ("indicator", "period", "value", "note")
REQUIRED_COLUMNS = ("indicator", "period", "value")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# Measurement.value: 16 digits, 4 of them decimals.
MAX_DECIMALS = 4
MAX_INTEGER_DIGITS = 12
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    updated: int
    unchanged: int = 0


@dataclass
class Row:
    number: int
    cells: dict[str, Any]
    errors: dict[str, list[str]] = field(default_factory=dict)
    indicator: Indicator | None = None
    period: periods.Period | None = None
    value: Decimal | None = None
    note: str = ""

    def refuse(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)


# --- reading the file -----------------------------------------------------------------------------


def _file_error(message: str) -> DomainError:
    return DomainError(message, extra={"fields": {"file": [message]}}, code="unreadable_file")


def read_rows(data: bytes, filename: str) -> list[Row]:
    """The data rows of a CSV or XLSX file, keyed by column name, with their spreadsheet row numbers."""
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data.startswith(XLSX_MAGIC):
        table = _xlsx_table(data)
    elif name.endswith((".csv", ".txt")) or "." not in name:
        table = _csv_table(data)
    else:
        raise _file_error(_("Upload a CSV or an XLSX file (Excel: Save as → CSV or Excel workbook)."))
    header_at = next((i for i, (_n, cells) in enumerate(table) if any(_text(c) for c in cells)), None)
    if header_at is None:
        raise _file_error(_("The file is empty."))
    header = [_text(c).lower() for c in table[header_at][1]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        message = _("The first row must name the columns %(columns)s; missing: %(missing)s.") % {
            "columns": ", ".join(COLUMNS),
            "missing": ", ".join(missing),
        }
        raise DomainError(message, extra={"fields": {"file": [message]}, "columns": {"missing": missing}})
    positions = {column: header.index(column) for column in COLUMNS if column in header}
    rows = []
    for number, cells in table[header_at + 1 :]:
        if not any(_text(c) for c in cells):
            continue
        padded = list(cells) + [None] * len(header)
        rows.append(Row(number, {column: padded[i] for column, i in positions.items()}))
        if len(rows) > MAX_ROWS:
            raise _file_error(_("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS})
    if not rows:
        raise _file_error(_("The file has no rows below its header."))
    return rows


def _csv_table(data: bytes) -> list[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save CSV in their ANSI code page; latin-1 reads any byte.
        text = data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode("latin-1")
    if "\x00" in text:
        raise _file_error(_("This is not a text (CSV) file."))
    first_line = text.lstrip().split("\n", 1)[0]
    # Spreadsheets in Belgian locales write ';' between columns.
    delimiter = max((";", ",", "\t"), key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    try:
        for cells in reader:
            table.append((reader.line_num, cells))
    except csv.Error as exc:
        raise _file_error(_("The CSV file cannot be read near line %(line)s.") % {"line": reader.line_num}) from exc
    return table


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _xlsx_table(data: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        table = [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
        workbook.close()
    # openpyxl reports a damaged or foreign file through many exception types; all mean "not readable".
    except Exception as exc:
        raise _file_error(_("The XLSX file cannot be read; save it again from the spreadsheet.")) from exc
    return table


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- checking the rows ----------------------------------------------------------------------------


def _indicator_index(plan: Plan) -> tuple[dict[int, Indicator], dict[str, list[Indicator]]]:
    by_id: dict[int, Indicator] = {}
    by_name: dict[str, list[Indicator]] = {}
    for indicator in Indicator.objects.filter(plan=plan).order_by("pk"):
        by_id[indicator.pk] = indicator
        by_name.setdefault(indicator.name.strip().casefold(), []).append(indicator)
    return by_id, by_name


def _check_indicator(row: Row, by_id: dict, by_name: dict) -> None:
    raw = _text(row.cells.get("indicator"))
    if not raw:
        row.refuse("indicator", _("Name the indicator (its id or its name in this plan)."))
        return
    if raw.isdigit() and int(raw) in by_id:
        row.indicator = by_id[int(raw)]
        return
    named = by_name.get(raw.casefold(), [])
    if len(named) == 1:
        row.indicator = named[0]
    elif named:
        row.refuse("indicator", _("Several indicators of this plan are called '%(name)s'; use the id.") % {"name": raw})
    else:
        row.refuse("indicator", _("This plan has no indicator '%(name)s'.") % {"name": raw})


def _period_text(value: Any) -> str:
    # A spreadsheet turns "2021-05" into a date; read it back as the month it names.
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}-{value.month:02d}"
    return _text(value)


def _check_period(row: Row, today: dt.date) -> None:
    raw = _period_text(row.cells.get("period"))
    if not raw:
        row.refuse("period", _("Give the period, such as 2018-Q2."))
        return
    try:
        period = periods.parse(raw)
    except ValueError as exc:
        row.refuse("period", str(exc))
        return
    indicator = row.indicator
    if indicator is not None and period.frequency != indicator.frequency:
        row.refuse(
            "period",
            _("This indicator is measured %(frequency)s; write a period like %(example)s.")
            % {"frequency": indicator.get_frequency_display().lower(), "example": periods.example(indicator.frequency)},
        )
        return
    if period.start > today:
        row.refuse("period", _("%(period)s has not started yet; record it once it has.") % {"period": period.label})
        return
    row.period = period


def parse_value(raw: Any) -> Decimal:
    """A number as a spreadsheet writes it: 12.5, 12,5, 1 234,5, 1.234,5 or 1,234.5. ValueError otherwise."""
    if isinstance(raw, bool):
        raise ValueError(raw)
    try:
        if isinstance(raw, float):
            # A spreadsheet's binary float (0.30000000000000004): keep the places a measurement has.
            value = Decimal(repr(raw)).quantize(Decimal(1).scaleb(-MAX_DECIMALS))
        elif isinstance(raw, int | Decimal):
            value = Decimal(raw)
        else:
            value = Decimal(_number_text(_text(raw)))
    except InvalidOperation as exc:
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


def _check_value(row: Row) -> None:
    raw = row.cells.get("value")
    if _text(raw) == "":
        row.refuse("value", _("Give the value."))
        return
    try:
        value = parse_value(raw)
    except ValueError:
        row.refuse("value", _("'%(value)s' is not a number.") % {"value": _text(raw)[:40]})
        return
    decimals = max(0, -int(value.normalize().as_tuple().exponent))
    if decimals > MAX_DECIMALS:
        row.refuse("value", _("Use at most %(places)s decimals.") % {"places": MAX_DECIMALS})
    elif value != 0 and value.adjusted() + 1 > MAX_INTEGER_DIGITS:
        row.refuse("value", _("The value is too large."))
    else:
        row.value = value


def check_rows(plan: Plan, rows: list[Row], *, today: dt.date) -> list[Row]:
    """Check every row; answer the rows with errors (all of them, in file order)."""
    by_id, by_name = _indicator_index(plan)
    first_seen: dict[tuple[int, str], int] = {}
    for row in rows:
        _check_indicator(row, by_id, by_name)
        _check_period(row, today)
        _check_value(row)
        row.note = _text(row.cells.get("note"))
        if row.indicator is not None and row.period is not None:
            key = (row.indicator.pk, row.period.label)
            if key in first_seen:
                row.refuse(
                    "period",
                    _("Row %(row)s already gives %(period)s for this indicator.")
                    % {"row": first_seen[key], "period": row.period.label},
                )
            else:
                first_seen[key] = row.number
    return [row for row in rows if row.errors]


# --- the service ----------------------------------------------------------------------------------


def _ensure_recording(actor, plan: Plan) -> None:
    """404 when unreadable; 403 otherwise unless the plan records progress (a draft does not, yet)."""
    ensure(actor, "view", plan)
    if can(actor, "record", plan):
        return
    if can(actor, "change", plan):
        # The editor of a draft: the matrix's 403, said in words they can act on.
        raise PermissionDenied(
            _("This plan does not record progress yet: measurements are recorded once it is approved.")
        )
    ensure(actor, "record", plan)


def _read_upload(file: IO[bytes]) -> bytes:
    data = file.read(MAX_BYTES + 1)
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_BYTES:
        raise _file_error(_("The file is larger than %(size)s MB; split it.") % {"size": MAX_BYTES // (1024 * 1024)})
    return data


@transaction.atomic
def measurements_import(*, actor, plan: Plan, file: IO[bytes], filename: str) -> ImportResult:
    """Import every row of the file or none: all errors at once, with row numbers."""
    plan = lock_plan(plan.pk)
    _ensure_recording(actor, plan)
    rows = read_rows(_read_upload(file), filename)
    bad = check_rows(plan, rows, today=timezone.localdate())
    if bad:
        raise DomainError(
            ngettext(
                "%(count)d row has errors; nothing was imported.",
                "%(count)d rows have errors; nothing was imported.",
                len(bad),
            )
            % {"count": len(bad)},
            extra={"rows": [{"row": row.number, "errors": row.errors} for row in bad]},
            code="invalid_rows",
        )
    existing = {
        (m.indicator_id, m.period): m
        for m in Measurement.objects.select_for_update().filter(plan=plan, indicator__in=[r.indicator for r in rows])
    }
    created = updated = unchanged = 0
    reason = _("Imported from %(file)s") % {"file": (filename or "")[:100]}
    for row in rows:
        measurement = existing.get((row.indicator.pk, row.period.label))
        if measurement is None:
            measurement = Measurement(plan=plan, indicator=row.indicator, period=row.period.label)
            created += 1
        elif measurement.value == row.value and measurement.note == row.note:
            unchanged += 1
            continue
        else:
            updated += 1
        measurement.indicator = row.indicator
        measurement.value, measurement.note, measurement.recorded_by = row.value, row.note, actor
        save_validated(measurement, actor=actor, reason=reason)
    return ImportResult(rows=len(rows), created=created, updated=updated, unchanged=unchanged)
