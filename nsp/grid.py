"""The quarter grid: every indicator of a plan that falls due in a quarter, in one form, grouped by objective.

Reads only (a fixed number of queries whatever the plan's size: objectives, indicators, measurements); the
page is ``nsp.views.MeasurementGridView`` and the write is ``nsp.services.measurements_upsert``, the same
all-or-nothing service as the upload, so a value is checked by the same rules (``Indicator.value_problem``).

A cell is one (indicator, period) due in the quarter: a quarterly indicator has the quarter itself, a
half-yearly one its half-year in the second and fourth quarter, a yearly one its year in the fourth, a
monthly one the quarter's three months. An indicator with nothing due is shown with the period it is due next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from nsp import charts, collection, periods, progress
from nsp.figures import number_text
from nsp.models import Indicator, Measurement, Objective, Plan
from nsp.progress import ProgressStatus

QUARTERLY = periods.Frequency.QUARTERLY
RECENT = 8  # values drawn in a row's sparkline


@dataclass
class Cell:
    """One value to give: inputs ``value-<key>`` and ``note-<key>``."""

    key: str
    period: periods.Period
    measurement: Measurement | None
    value: str = ""
    note: str = ""
    error: str = ""

    @property
    def recorded(self) -> bool:
        return self.measurement is not None


@dataclass
class Row:
    indicator: Indicator
    cells: list[Cell]
    next_due: periods.Period | None
    not_due_reason: str
    recent: list[Measurement]
    sparkline: str
    expected: Decimal | None
    status: str
    status_label: str

    @property
    def due(self) -> bool:
        return bool(self.cells)


@dataclass
class Group:
    objective: Objective
    depth: int
    rows: list[Row] = field(default_factory=list)


@dataclass
class Grid:
    plan: Plan
    quarter: periods.Period
    quarters: list[periods.Period]
    groups: list[Group]

    @property
    def cells(self) -> list[Cell]:
        return [cell for group in self.groups for row in group.rows for cell in row.cells]

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in group.rows]

    @property
    def errors(self) -> list[tuple[Row, Cell]]:
        return [(row, cell) for row in self.rows for cell in row.cells if cell.error]


# --- which quarter ------------------------------------------------------------------------------------------


def quarters_of(plan: Plan, *, today: dt.date) -> list[periods.Period]:
    """The quarters one may record for the plan: from its start to the quarter being collected (or its end)."""
    end = min(collection.collecting(today).period.end, plan.period_end)
    return periods.between(plan.period_start, end, QUARTERLY)


def chosen_quarter(plan: Plan, label: str | None, *, today: dt.date) -> tuple[periods.Period, list[periods.Period]]:
    """The quarter asked for (``?period=2026-Q3``) when the plan has it; else the one now due (``nsp.collection``),
    or the plan's last when its period has ended."""
    quarters = quarters_of(plan, today=today)
    if label:
        try:
            asked = periods.parse(label)
        except ValueError:
            asked = None
        if asked is not None and asked in quarters:
            return asked, quarters
    due = collection.collecting(today).period
    if due in quarters or not quarters:
        return due, quarters
    return quarters[-1], quarters


# --- what is due --------------------------------------------------------------------------------------------


def due_periods(indicator: Indicator, quarter: periods.Period) -> list[periods.Period]:
    """The indicator's periods that end inside the quarter and lie in its baseline → target span."""
    return [
        p
        for p in periods.between(quarter.start, quarter.end, indicator.frequency)
        if quarter.start <= p.end <= quarter.end
        and p.end > indicator.baseline_date
        and p.start <= indicator.target_date
    ]


def next_due(indicator: Indicator, quarter: periods.Period) -> periods.Period | None:
    after = periods.containing(quarter.end + dt.timedelta(days=1), indicator.frequency)
    while after.end <= indicator.baseline_date:
        after = after.next()
    return after if after.start <= indicator.target_date else None


def _not_due_reason(indicator: Indicator, quarter: periods.Period, upcoming: periods.Period | None) -> str:
    if quarter.end <= indicator.baseline_date:
        return _("Measured from its baseline date, %(date)s.") % {"date": indicator.baseline_date.isoformat()}
    if upcoming is None:
        return _("Its target date (%(date)s) has passed.") % {"date": indicator.target_date.isoformat()}
    return _("Measured %(frequency)s: next due for %(period)s.") % {
        "frequency": indicator.get_frequency_display().lower(),
        "period": upcoming.label,
    }


def expected_value(indicator: Indicator, at: dt.date) -> Decimal:
    """Where the indicator should be at ``at`` on a straight path from its baseline to its target."""
    if indicator.direction == Indicator.Direction.KEEP:
        return indicator.target_value
    share = progress.elapsed_share(start=indicator.baseline_date, end=indicator.target_date, at=at)
    value = indicator.baseline_value + (indicator.target_value - indicator.baseline_value) * Decimal(str(share))
    # As precise as the figures it is read against: a count is whole.
    return value.quantize(Decimal(1) if indicator.scale == Indicator.Scale.COUNT else Decimal("0.1"))


# --- the grid -----------------------------------------------------------------------------------------------


def _tree_order(objectives: list[Objective]) -> list[tuple[Objective, int]]:
    """Objectives in the order of the plan's tree (a parent, then its children), with their depth."""
    children: dict[int | None, list[Objective]] = {}
    known = {o.pk for o in objectives}
    for objective in objectives:
        parent = objective.parent_id if objective.parent_id in known else None
        children.setdefault(parent, []).append(objective)
    ordered: list[tuple[Objective, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for objective in children.get(parent, []):
            ordered.append((objective, depth))
            walk(objective.pk, depth + 1)

    walk(None, 0)
    return ordered


def cell_key(indicator: Indicator, period: periods.Period) -> str:
    return f"{indicator.pk}-{period.label}"


def build(
    plan: Plan,
    quarter: periods.Period,
    *,
    quarters: list[periods.Period],
    posted: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> Grid:
    """The grid of ``quarter``: three queries (objectives, indicators, their measurements up to the quarter).

    ``posted`` (the form's data) fills the inputs back after a refused save; ``errors`` maps a cell's key to
    its message."""
    objectives = list(Objective.objects.filter(plan=plan).order_by("position", "code", "pk"))
    indicators = list(Indicator.objects.filter(plan=plan).order_by("position", "pk"))
    measured: dict[int, list[Measurement]] = {}
    for measurement in Measurement.objects.filter(plan=plan, period_start__lte=quarter.end).order_by("period_end"):
        measured.setdefault(measurement.indicator_id, []).append(measurement)
    per_objective: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        per_objective.setdefault(indicator.objective_id, []).append(indicator)
    errors = errors or {}
    groups = []
    for objective, depth in _tree_order(objectives):
        group = Group(objective, depth)
        for indicator in per_objective.get(objective.pk, []):
            indicator.objective = objective  # no query for the row's link or label
            group.rows.append(_row(plan, indicator, quarter, measured.get(indicator.pk, []), posted, errors))
        if group.rows:
            groups.append(group)
    return Grid(plan=plan, quarter=quarter, quarters=quarters, groups=groups)


def _row(plan, indicator, quarter, measurements, posted, errors) -> Row:
    by_period = {m.period: m for m in measurements}
    cells = []
    for period in due_periods(indicator, quarter):
        key = cell_key(indicator, period)
        recorded = by_period.get(period.label)
        if posted is not None:
            value, note = posted.get(f"value-{key}", ""), posted.get(f"note-{key}", "")
        else:
            value = number_text(recorded.value, places=4, empty="") if recorded else ""
            note = recorded.note if recorded else ""
        cells.append(Cell(key, period, recorded, value=value, note=note, error=errors.get(key, "")))
    upcoming = None if cells else next_due(indicator, quarter)
    state = progress.indicator_progress_of(
        indicator, measurements, keep_tolerance=plan.keep_tolerance, as_of=quarter.end
    )
    recent = measurements[-RECENT:]
    described = "; ".join(f"{m.period} {number_text(m.value)}" for m in recent) or _("No values yet")
    spark = charts.sparkline(
        f"i{indicator.pk}",
        [float(m.value) for m in recent],
        target=float(indicator.target_value),
        description=_("Recent values of %(indicator)s: %(values)s")
        % {"indicator": indicator.name, "values": described},
    )
    at = cells[-1].period.end if cells else quarter.end
    return Row(
        indicator=indicator,
        cells=cells,
        next_due=upcoming,
        not_due_reason="" if cells else _not_due_reason(indicator, quarter, upcoming),
        recent=recent,
        sparkline=spark,
        expected=expected_value(indicator, at),
        status=state.status,
        status_label=str(ProgressStatus(state.status).label),
    )


# --- what was posted ----------------------------------------------------------------------------------------


@dataclass
class Posted:
    rows: list  # MeasurementRow, in the order of the cells
    keys: list[str]  # the cell key of each row
    errors: dict[str, str]  # cell key -> message, for what could not even be read


def read_posted(grid: Grid, data: Mapping[str, str]) -> Posted:
    """The cells given a value, as rows for ``measurements_upsert``; an empty cell records nothing (a value
    already recorded stays), a value that is not a number is refused on its cell."""
    from nsp import bulk
    from nsp.services import MeasurementRow

    rows, keys, errors = [], [], {}
    for row in grid.rows:
        for cell in row.cells:
            raw = (data.get(f"value-{cell.key}") or "").strip()
            note = (data.get(f"note-{cell.key}") or "").strip()
            if not raw:
                if note and not cell.recorded:
                    errors[cell.key] = _("Give a value with the note, or clear the note.")
                continue
            try:
                value = bulk.parse_value(raw)
            except ValueError:
                errors[cell.key] = _("Give a number, such as 12 or 12,5.")
                continue
            where = f"{row.indicator.name} {cell.period.label}"
            rows.append(MeasurementRow(row.indicator, cell.period.label, value, note, where=where, row=len(rows)))
            keys.append(cell.key)
    return Posted(rows=rows, keys=keys, errors=errors)


def problem_errors(posted: Posted, problems: list[dict]) -> dict[str, str]:
    """The refusal's problems (``extra.problems`` of ``measurements_upsert``) on their cells."""
    errors: dict[str, str] = {}
    for item in problems:
        index = item.get("row")
        if isinstance(index, int) and 0 <= index < len(posted.keys):
            key = posted.keys[index]
            errors[key] = f"{errors[key]} {item['message']}" if key in errors else item["message"]
    return errors
