"""The one door for files and documents that come from users: read them with every limit checked first.

Everything the product reads from a person goes through here: the bulk measurement files (CSV, XLSX),
the plan documents (JSON) and the files the administrators' commands load (zones CSV, reference JSON).
The limits are checked while streaming, before anything is built in memory:

- the size of the upload (read in chunks, stopped one byte past the limit);
- XLSX: the number of zip members and their declared unpacked sizes, before one byte is inflated (the
  zip reader never inflates past a member's declared size, so a zip bomb costs nothing); the sheet's
  declared ``<dimension>``, then the real row and column numbers while the sheet XML streams by;
- CSV: rows, columns and cell lengths while the reader walks the text; a quote left open, which would
  swallow the following rows into one cell, is refused with the row that opened it;
- JSON: the size, then the nesting depth.

A refusal is an :class:`IntakeError`, a ``DomainError`` whose ``extra.problems`` lists each problem as
``{"where": "row 3", "field": "value", "message": "..."}`` (plus ``"row": 3`` when it is a row), the
one shape of every file refusal, in the API (``400``) and on the upload pages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import posixpath
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from nsp.exceptions import DomainError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one kind of file may hold. The defaults fit a measurement upload."""

    max_bytes: int = 5 * MB
    max_rows: int = 5000  # data rows (the header is not counted)
    max_columns: int = 20
    max_cell_chars: int = 10_000
    # XLSX: what the zip may unpack to, and how many members it may have.
    max_unpacked_bytes: int = 25 * MB
    max_members: int = 200
    # JSON documents.
    max_depth: int = 32


MEASUREMENTS = Limits()
DOCUMENT = Limits(max_bytes=10 * MB, max_depth=32)
ADMIN_FILE = Limits(max_bytes=20 * MB, max_rows=100_000, max_columns=50, max_cell_chars=100_000, max_depth=32)


# --- the refusal ----------------------------------------------------------------------------------


def problem(message: str, *, where: str = "", field: str = "file", row: int | None = None) -> dict[str, Any]:
    """One problem in the shape every file refusal uses."""
    item: dict[str, Any] = {"where": where or (row_label(row) if row is not None else _("file")), "field": field}
    item["message"] = str(message)
    if row is not None:
        item["row"] = row
    return item


def row_label(number: int) -> str:
    return _("row %(number)s") % {"number": number}


class IntakeError(DomainError):
    """A file (or document) refused; ``extra.problems`` says where and why, one entry per problem."""

    def __init__(self, message: str, problems: list[dict[str, Any]], *, code: str = "invalid_file", **extra) -> None:
        super().__init__(message, extra={"problems": problems, **extra}, code=code)
        self.problems = problems


class TooLarge(IntakeError):
    """The file is over its size limit (the API answers 413)."""

    status_code = 413


def refuse(message: str, *, where: str = "", field: str = "file", row: int | None = None) -> IntakeError:
    return IntakeError(message, [problem(message, where=where, field=field, row=row)])


def problems_error(problems: list[dict[str, Any]], message: str = "") -> IntakeError:
    """Several problems at once (the rows of a file that are wrong); the message counts them."""
    from django.utils.translation import ngettext

    rows = {p.get("row", p["where"]) for p in problems}
    message = message or ngettext(
        "%(count)d row has errors; nothing was imported.",
        "%(count)d rows have errors; nothing was imported.",
        len(rows),
    ) % {"count": len(rows)}
    return IntakeError(message, problems, code="invalid_rows")


def _too_large(limit: int) -> TooLarge:
    message = _("The file is larger than %(size)s; split it.") % {"size": _size(limit)}
    return TooLarge(message, [problem(message)], code="too_large")


def _size(count: int) -> str:
    return f"{count / MB:g} MB" if count >= MB else f"{count // 1024} KB"


# --- uploads --------------------------------------------------------------------------------------


def single_upload(files, name: str = "file"):
    """The one file of a form's ``name`` part; two parts of the same name are refused, not guessed at."""
    uploads = files.getlist(name) if hasattr(files, "getlist") else [files.get(name)]
    uploads = [u for u in uploads if u is not None]
    if len(uploads) > 1:
        raise refuse(_("Send one file at a time (this request has %(count)d).") % {"count": len(uploads)}, field=name)
    return uploads[0] if uploads else None


def read_bytes(file: IO[bytes] | IO[str], *, limits: Limits = MEASUREMENTS) -> bytes:
    """The file's bytes, read in chunks and stopped one chunk past the limit."""
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limits.max_bytes:
        raise _too_large(limits.max_bytes)
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = file.read(min(64 * 1024, limits.max_bytes + 1 - total))
        if not chunk:
            break
        if isinstance(chunk, str):
            chunk = chunk.encode()
        chunks.append(chunk)
        total += len(chunk)
        if total > limits.max_bytes:
            raise _too_large(limits.max_bytes)
    return b"".join(chunks)


def read_path(path: Path | str, *, limits: Limits = ADMIN_FILE) -> bytes:
    """An administrator's file from disk, with the same size limit (FileNotFoundError passes through)."""
    path = Path(path)
    if path.stat().st_size > limits.max_bytes:
        raise _too_large(limits.max_bytes)
    with path.open("rb") as handle:
        return read_bytes(handle, limits=limits)


# --- tables: CSV and XLSX -------------------------------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"


def kind_of(data: bytes, filename: str) -> str:
    """``"xlsx"``, ``"csv"`` or ``""`` (neither)."""
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data.startswith(XLSX_MAGIC):
        return "xlsx"
    if name.endswith((".csv", ".txt")) or "." not in name:
        return "csv"
    return ""


def table_rows(data: bytes, filename: str, *, limits: Limits = MEASUREMENTS) -> Iterator[tuple[int, list]]:
    """The rows of a CSV or XLSX file as ``(row number, cells)``, streamed, every limit checked on the way."""
    kind = kind_of(data, filename)
    if kind == "xlsx":
        return xlsx_rows(data, limits=limits)
    if kind == "csv":
        return csv_rows(decode_text(data), limits=limits)
    raise refuse(_("Upload a CSV or an XLSX file (Excel: Save as → CSV or Excel workbook)."))


def decode_text(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save CSV in their ANSI code page; latin-1 reads any byte.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if "\x00" in text:
        raise refuse(_("This is not a text (CSV) file."))
    return text


def sniff_delimiter(text: str) -> str:
    first_line = text.lstrip()[:4096].split("\n", 1)[0]
    # Spreadsheets in Belgian locales write ';' between columns.
    return max((";", ",", "\t"), key=first_line.count) if first_line else ","


def csv_rows(
    text: str, *, limits: Limits = MEASUREMENTS, delimiter: str | None = None, multiline: bool = False
) -> Iterator[tuple[int, list[str]]]:
    """CSV records as the spreadsheet numbers them (a record is one row even when a cell spans lines).

    Without ``multiline``, a quoted cell that runs over a line break is refused: it is almost always a
    quote left open, which would quietly read the next rows into one cell.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text), strict=True)
    number = 0
    line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row = number + 1
            raise refuse(
                _(
                    "Row %(row)s cannot be read (%(error)s). A quote opened in a cell must be closed in that "
                    'cell; a quote inside a cell is written twice ("").'
                )
                % {"row": row, "error": exc},
                row=row,
            ) from exc
        number += 1
        lines, line = reader.line_num - line, reader.line_num
        if lines > 1 and not multiline:
            column = next((i for i, cell in enumerate(cells) if "\n" in cell or "\r" in cell), 0)
            raise refuse(
                _(
                    "Row %(row)s: the quote opened in its column %(column)s is not closed before the end of the "
                    "line, so the next %(lines)d lines would be read into that cell. Close the quote; a quote "
                    'inside a cell is written twice ("").'
                )
                % {"row": number, "column": column + 1, "lines": lines - 1},
                row=number,
            )
        _check_row(number, len(cells), limits)
        for index, cell in enumerate(cells):
            _check_cell(number, index, cell, limits)
        yield number, cells


def _check_row(number: int, width: int, limits: Limits) -> None:
    if number > limits.max_rows + 1:
        raise refuse(
            _("The file has more than %(max)s rows below its header; split it.") % {"max": limits.max_rows},
            row=number,
        )
    if width > limits.max_columns:
        raise refuse(
            _("Row %(row)s has %(count)d columns; at most %(max)d are read.")
            % {"row": number, "count": width, "max": limits.max_columns},
            row=number,
        )


def _check_cell(number: int, index: int, value: Any, limits: Limits) -> None:
    if isinstance(value, str) and len(value) > limits.max_cell_chars:
        raise refuse(
            _("This cell holds %(count)d characters; at most %(max)d.")
            % {"count": len(value), "max": limits.max_cell_chars},
            row=number,
            field=_column_letter(index + 1),
        )


def _column_letter(index: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(min(max(index, 1), 18278))


# --- XLSX: the zip checked, then the sheet XML streamed ------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _unreadable() -> IntakeError:
    return refuse(_("The XLSX file cannot be read; save it again from the spreadsheet."))


def _iterparse(source: IO[bytes], events=("end",)):
    from defusedxml.ElementTree import iterparse

    return iterparse(source, events=events, forbid_dtd=True, forbid_entities=True, forbid_external=True)


def _open_archive(data: bytes, limits: Limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _unreadable() from exc
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise refuse(_("The XLSX file has too many parts (%(count)d).") % {"count": len(members)})
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise refuse(
            _("The XLSX file unpacks to %(size)s, more than %(max)s; split it or remove what is not measurements.")
            % {"size": _size(unpacked), "max": _size(limits.max_unpacked_bytes)}
        )
    return archive


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The path of the workbook's first sheet, from workbook.xml and its relationships."""
    names = set(archive.namelist())
    book_path = "xl/workbook.xml"
    rels_path = "xl/_rels/workbook.xml.rels"
    if book_path not in names:
        raise _unreadable()
    first_id = None
    with archive.open(book_path) as source:
        for _event, element in _iterparse(source):
            if _local(element.tag) == "sheet":
                first_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
                break
    targets: dict[str, str] = {}
    if rels_path in names:
        with archive.open(rels_path) as source:
            for _event, element in _iterparse(source):
                if _local(element.tag) == "Relationship":
                    targets[element.get("Id", "")] = element.get("Target", "")
    target = targets.get(first_id or "")
    if not target:
        raise _unreadable()
    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    if path not in names:
        raise _unreadable()
    return path


def _shared_strings(archive: zipfile.ZipFile, limits: Limits) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    most = (limits.max_rows + 1) * limits.max_columns
    with archive.open("xl/sharedStrings.xml") as source:
        parts: list[str] = []
        phonetic = False  # <rPh>: reading hints for East Asian text, not part of it
        for event, element in _iterparse(source, events=("start", "end")):
            name = _local(element.tag)
            if event == "start":
                if name == "si":
                    parts = []
                elif name == "rPh":
                    phonetic = True
                continue
            if name == "t" and not phonetic:
                parts.append(element.text or "")
            elif name == "rPh":
                phonetic = False
            elif name == "si":
                strings.append("".join(parts))
                element.clear()
                if len(strings) > most:
                    raise refuse(
                        _("The XLSX file holds more texts than a sheet of %(rows)s rows can.")
                        % {"rows": limits.max_rows}
                    )
    return strings


def _date_styles(archive: zipfile.ZipFile) -> tuple[set[int], bool]:
    """The cell style indexes that show a date, and whether the workbook counts from 1904."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    names = set(archive.namelist())
    dates: set[int] = set()
    if "xl/styles.xml" in names:
        custom: dict[int, str] = {}
        in_xfs = False
        index = 0
        with archive.open("xl/styles.xml") as source:
            for event, element in _iterparse(source, events=("start", "end")):
                name = _local(element.tag)
                if event == "start":
                    if name == "cellXfs":
                        in_xfs = True
                    continue
                if name == "numFmt":
                    custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
                elif name == "cellXfs":
                    in_xfs = False
                elif name == "xf" and in_xfs:
                    number_format = int(element.get("numFmtId", "0") or 0)
                    code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format, "")
                    if code and is_date_format(code):
                        dates.add(index)
                    index += 1
    epoch_1904 = False
    with archive.open("xl/workbook.xml") as source:
        for _event, element in _iterparse(source):
            if _local(element.tag) == "workbookPr":
                epoch_1904 = element.get("date1904", "").lower() in {"1", "true"}
                break
    return dates, epoch_1904


def _declared_size(ref: str) -> tuple[int, int] | None:
    from openpyxl.utils.cell import range_boundaries

    try:
        _min_col, _min_row, max_col, max_row = range_boundaries(ref.upper())
    except (ValueError, TypeError):
        return None
    return (max_row or 0), (max_col or 0)


def _cell_position(ref: str | None, fallback: int) -> int:
    if not ref:
        return fallback
    letters = "".join(ch for ch in ref if ch.isalpha())
    if not letters:
        return fallback
    from openpyxl.utils.cell import column_index_from_string

    try:
        return column_index_from_string(letters.upper())
    except ValueError:
        return 18279  # past any real column: refused as too wide


def xlsx_rows(data: bytes, *, limits: Limits = MEASUREMENTS) -> Iterator[tuple[int, list]]:
    """The first sheet's rows as ``(row number, values)``: numbers, texts, booleans, dates (by style).

    Formulas give their cached value. The sheet's declared dimension is checked first, then each
    real row and cell as it streams by; nothing past a limit is ever built.
    """
    archive = _open_archive(data, limits)
    try:
        sheet_path = _first_sheet(archive)
        strings = _shared_strings(archive, limits)
        dates, epoch_1904 = _date_styles(archive)
    except IntakeError:
        raise
    except Exception as exc:  # a damaged part: XML, zip or number errors all mean "not readable"
        raise _unreadable() from exc
    return _sheet_rows(archive, sheet_path, strings, dates, epoch_1904, limits)


def _sheet_rows(archive, sheet_path, strings, dates, epoch_1904, limits) -> Iterator[tuple[int, list]]:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if epoch_1904 else CALENDAR_WINDOWS_1900
    row_number = 0
    cells: dict[int, Any] = {}
    cell: dict[str, Any] = {}
    text_parts: list[str] = []
    try:
        with archive.open(sheet_path) as source:
            for event, element in _iterparse(source, events=("start", "end")):
                name = _local(element.tag)
                if event == "start":
                    if name == "dimension":
                        declared = _declared_size(element.get("ref", ""))
                        if declared and (declared[0] > limits.max_rows + 1 or declared[1] > limits.max_columns):
                            raise refuse(
                                _(
                                    "The sheet declares %(rows)s rows and %(columns)s columns; at most %(max_rows)s "
                                    "rows below the header and %(max_columns)s columns are read. Copy the "
                                    "measurements into a new sheet and save it again."
                                )
                                % {
                                    "rows": declared[0],
                                    "columns": declared[1],
                                    "max_rows": limits.max_rows,
                                    "max_columns": limits.max_columns,
                                }
                            )
                    elif name == "row":
                        row_number = int(element.get("r") or row_number + 1)
                        _check_row(row_number, 0, limits)
                        cells = {}
                    elif name == "c":
                        column = _cell_position(element.get("r"), max(cells, default=0) + 1)
                        _check_row(row_number, column, limits)
                        cell = {"column": column, "type": element.get("t", "n"), "style": element.get("s")}
                        text_parts = []
                    continue
                if name == "v":
                    cell["value"] = element.text or ""
                elif name == "t":
                    text_parts.append(element.text or "")
                elif name == "is":
                    cell["value"] = "".join(text_parts)
                elif name == "c":
                    value = _cell_value(cell, strings, dates, epoch, from_excel)
                    _check_cell(row_number, cell["column"] - 1, value, limits)
                    if value is not None:
                        cells[cell["column"]] = value
                    element.clear()
                elif name == "row":
                    width = max(cells, default=0)
                    yield row_number, [cells.get(i) for i in range(1, width + 1)]
                    element.clear()
    except IntakeError:
        raise
    except Exception as exc:  # damaged XML or zip member (bad CRC, truncated); not a server error
        raise _unreadable() from exc


def _cell_value(cell: dict[str, Any], strings: list[str], dates: set[int], epoch, from_excel) -> Any:
    raw = cell.get("value")
    if raw is None:
        return None
    kind = cell["type"]
    if kind == "s":
        index = int(raw)
        return strings[index] if 0 <= index < len(strings) else None
    if kind in {"inlineStr", "str", "e"}:
        return raw
    if kind == "b":
        return raw.strip() in {"1", "true"}
    if kind == "d":
        return dt.datetime.fromisoformat(raw.strip())
    text = raw.strip()
    if not text:
        return None
    if len(text) > 40:
        return text  # not a number a spreadsheet writes; the reader of the column says what is wrong
    number: int | float = int(text) if text.lstrip("-").isdigit() else float(text)
    style = cell.get("style")
    if style is not None and style.isdigit() and int(style) in dates:
        try:
            return from_excel(number, epoch=epoch)
        except (OverflowError, ValueError):
            return number
    return number


# --- JSON documents -------------------------------------------------------------------------------


def read_json(data: bytes | str, *, limits: Limits = DOCUMENT, what: str = "") -> Any:
    """A JSON document, its size and nesting depth bounded; ValueError-free: refusals are IntakeErrors."""
    if len(data) > limits.max_bytes:
        raise _too_large(limits.max_bytes)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise refuse(_("The document is not UTF-8 text."), field=what or "document") from exc
    try:
        value = json.loads(data)
    except RecursionError as exc:
        raise _too_deep(limits, what) from exc
    except ValueError as exc:
        where = (
            _("line %(line)d, column %(column)d") % {"line": exc.lineno, "column": exc.colno}
            if hasattr(exc, "lineno")
            else ""
        )
        message = _("The document is not valid JSON: %(error)s.") % {"error": getattr(exc, "msg", str(exc))}
        raise IntakeError(message, [problem(message, where=where, field=what or "document")]) from exc
    check_depth(value, limits=limits, what=what)
    return value


def _too_deep(limits: Limits, what: str) -> IntakeError:
    message = _("The document is nested more than %(depth)d levels deep.") % {"depth": limits.max_depth}
    return IntakeError(message, [problem(message, field=what or "document")], code="too_deep")


def check_depth(value: Any, *, limits: Limits = DOCUMENT, what: str = "") -> None:
    """Refuse a parsed document nested beyond ``limits.max_depth`` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limits.max_depth:
            raise _too_deep(limits, what)
        stack.extend((child, depth + 1) for child in children)
