"""Spreadsheet output that never turns a user's text into a formula (CSV and formula injection).

Every CSV and XLSX the product writes (reports, exports, upload templates) passes each cell through
:func:`safe_cell`: text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe, the OWASP rule, so Excel, LibreOffice and Google Sheets show it as text and never
evaluate it. Numbers, dates, booleans and empty cells are returned as they are, so they stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# What makes a spreadsheet read a cell as a formula (or a DDE call), and the control characters that can
# hide one after a separator.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value to write in a CSV or XLSX cell: formula-like text as text, anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """``safe_cell`` over a row (for ``csv.writer.writerow`` and ``Worksheet.append``)."""
    return [safe_cell(value) for value in values]
