"""The expectations of tests/permission_matrix.csv: role x object x state x relation x action -> expected."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MATRIX = Path(__file__).resolve().parent.parent / "permission_matrix.csv"
EXPECTED = ("allow", "403", "404", "login")
CHANNELS = ("page", "api")


@dataclass(frozen=True)
class Row:
    role: str
    object: str
    state: str
    relation: str
    action: str
    expected: str

    @property
    def id(self) -> str:
        """``zone_chief-objective-draft-other-change``; a ``-`` (not applicable) cell is left out."""
        cells = (self.role, self.object, self.state, self.relation, self.action)
        return "-".join(cell for cell in cells if cell != "-")

    def __str__(self) -> str:
        return ",".join((self.role, self.object, self.state, self.relation, self.action, self.expected))


@cache
def matrix_rows() -> tuple[Row, ...]:
    lines = [line for line in MATRIX.read_text().splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.reader(lines)
    header = next(reader)
    assert header == ["role", "object", "state", "relation", "action", "expected"], header
    rows = tuple(Row(*(cell.strip() for cell in cells)) for cells in reader)
    unknown = [str(row) for row in rows if row.expected not in EXPECTED]
    assert not unknown, f"unknown expectations: {unknown}"
    return rows
