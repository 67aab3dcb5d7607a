"""Progress rules: how far an indicator, action, objective, plan or group of objectives has come.

The rules are stated once, in two forms built from the same constants:

- pure functions (no database), which take plain values and an ``as_of`` date;
- queryset annotations (``annotate_indicators`` ... ``annotate_plans``, ``summarize_objectives``) that
  put the same rules into SQL, so a list gets its progress in one query and never row by row in Python.

Numbers are floats throughout: progress and expected are shares in [0, 1]; Decimal model values are
converted on the way in, in Python and in SQL alike. Comparisons allow ``SLACK`` for floating-point
rounding. Round only when presenting (``rounded``). The rules and the choices where the product design
is silent are written up in ``docs/progress.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, Protocol, TypeVar

from django.db import NotSupportedError, models
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    Expression,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Abs, Cast, Coalesce, Greatest, Least, NullIf
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, IsNull, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from nsp import periods
from nsp.models import Action, Indicator, Measurement, Objective

# --- the constants both forms are built from ------------------------------------------------------

ACHIEVED_PROGRESS = 1.0
ON_TRACK_MARGIN = 0.10
AT_RISK_MARGIN = 0.25
# Floating-point rounding must not move a value that sits exactly on a threshold to the wrong side.
SLACK = 1e-9
PRESENTATION_PLACES = 4

KEEP = Indicator.Direction.KEEP
DONE = Action.Status.DONE
CANCELLED = Action.Status.CANCELLED


class ProgressStatus(models.TextChoices):
    NO_DATA = "no_data", _("No data")
    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    # Only actions: a cancelled action is shown as such and left out of every mean.
    CANCELLED = "cancelled", _("Cancelled")


# Tried in order once progress is known and short of achieved: the first margin below expected that
# progress reaches names the status; below all of them the status is off track.
THRESHOLDS: tuple[tuple[ProgressStatus, float], ...] = (
    (ProgressStatus.ON_TRACK, ON_TRACK_MARGIN),
    (ProgressStatus.AT_RISK, AT_RISK_MARGIN),
)


# --- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    progress: float | None
    expected: float | None
    status: ProgressStatus

    @property
    def has_data(self) -> bool:
        return self.progress is not None


@dataclass(frozen=True)
class IndicatorProgress(Progress):
    overdue: bool
    due_period: periods.Period | None


@dataclass(frozen=True)
class ActionProgress(Progress):
    late: bool

    @property
    def counts(self) -> bool:
        """Whether the action takes part in its objective's mean."""
        return self.status != ProgressStatus.CANCELLED


@dataclass(frozen=True)
class ProgressSummary(Progress):
    """The weighted mean over a group of objectives (a plan, a cluster, a theme)."""

    objectives: int
    objectives_with_data: int


class Part(NamedTuple):
    """One member of a weighted mean: an indicator's, action's or objective's result and its weight."""

    result: Progress
    weight: float | Decimal = 1.0


class _Dated(Protocol):
    period_start: dt.date
    period_end: dt.date


DatedT = TypeVar("DatedT", bound=_Dated)


# --- pure rules ------------------------------------------------------------------------------------


def clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def rounded(value: float | None) -> float | None:
    """A share as pages and exports present it."""
    return None if value is None else round(value, PRESENTATION_PLACES)


def status_for(progress: float | None, expected: float | None) -> ProgressStatus:
    """The status that progress earns against what was expected by now."""
    if progress is None:
        return ProgressStatus.NO_DATA
    if progress >= ACHIEVED_PROGRESS - SLACK:
        return ProgressStatus.ACHIEVED
    for status, margin in THRESHOLDS:
        if progress >= expected - (margin + SLACK):
            return status
    return ProgressStatus.OFF_TRACK


def elapsed_share(*, start: dt.date, end: dt.date, at: dt.date) -> float:
    """The share of start → end elapsed at ``at``, in [0, 1]; an empty span is elapsed from its day on."""
    if at >= end:
        return 1.0
    if at <= start:
        return 0.0
    return (at - start).days / (end - start).days


def within_tolerance(*, value: float, target: float, tolerance: float) -> bool:
    """A 'keep' indicator is on target within tolerance * |target|; a target of 0 takes the tolerance as is."""
    scale = abs(target) if target != 0 else 1.0
    return abs(value - target) <= tolerance * scale + SLACK


def indicator_share(
    *,
    direction: str,
    baseline_value: Decimal | float,
    target_value: Decimal | float,
    value: Decimal | float,
    keep_tolerance: Decimal | float,
) -> float:
    """How far ``value`` has come from the baseline to the target, in [0, 1]."""
    v, b, t = float(value), float(baseline_value), float(target_value)
    if direction == KEEP:
        return 1.0 if within_tolerance(value=v, target=t, tolerance=float(keep_tolerance)) else 0.0
    if t == b:
        raise ValueError("An indicator to increase or decrease needs a target that differs from its baseline.")
    return clamp((v - b) / (t - b))


def latest_measurement(measurements: Iterable[DatedT], *, as_of: dt.date) -> DatedT | None:
    """The measurement of the latest period that had begun by ``as_of``."""
    begun = [m for m in measurements if m.period_start <= as_of]
    return max(begun, key=lambda m: (m.period_end, m.period_start), default=None)


def last_due_period(
    *, frequency: str, baseline_date: dt.date, target_date: dt.date, as_of: dt.date
) -> periods.Period | None:
    """The latest period that ended by ``as_of``, no later than the target's period; None before the first due one.

    A period is due once it ends after the baseline date (the baseline stands for the period it closes).
    """
    due = periods.last_complete(as_of, frequency)
    target_period = periods.containing(target_date, frequency)
    if due.end > target_period.end:
        due = target_period
    return due if due.end > baseline_date else None


def is_overdue(
    *,
    frequency: str,
    baseline_date: dt.date,
    target_date: dt.date,
    latest_period_end: dt.date | None,
    as_of: dt.date,
) -> bool:
    """Whether the last due period has no measurement (one for that period or a later one counts)."""
    due = last_due_period(frequency=frequency, baseline_date=baseline_date, target_date=target_date, as_of=as_of)
    if due is None:
        return False
    # In the target's own period, a measurement whose period reaches the target date counts.
    return latest_period_end is None or latest_period_end < min(due.end, target_date)


def indicator_progress(
    *,
    direction: str,
    baseline_value: Decimal | float,
    baseline_date: dt.date,
    target_value: Decimal | float,
    target_date: dt.date,
    frequency: str,
    keep_tolerance: Decimal | float,
    latest_value: Decimal | float | None,
    latest_period_end: dt.date | None,
    as_of: dt.date,
) -> IndicatorProgress:
    """An indicator's progress from its latest measurement (None when it has none)."""
    overdue = is_overdue(
        frequency=frequency,
        baseline_date=baseline_date,
        target_date=target_date,
        latest_period_end=latest_period_end,
        as_of=as_of,
    )
    due = last_due_period(frequency=frequency, baseline_date=baseline_date, target_date=target_date, as_of=as_of)
    if latest_value is None or latest_period_end is None:
        return IndicatorProgress(None, None, ProgressStatus.NO_DATA, overdue=overdue, due_period=due)
    progress = indicator_share(
        direction=direction,
        baseline_value=baseline_value,
        target_value=target_value,
        value=latest_value,
        keep_tolerance=keep_tolerance,
    )
    expected = elapsed_share(start=baseline_date, end=target_date, at=latest_period_end)
    return IndicatorProgress(progress, expected, status_for(progress, expected), overdue=overdue, due_period=due)


def indicator_progress_of(
    indicator: Indicator, measurements: Iterable[Measurement], *, keep_tolerance: Decimal | float, as_of: dt.date
) -> IndicatorProgress:
    """``indicator_progress`` read from model instances (the indicator's measurements, already loaded)."""
    latest = latest_measurement(measurements, as_of=as_of)
    return indicator_progress(
        direction=indicator.direction,
        baseline_value=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        target_value=indicator.target_value,
        target_date=indicator.target_date,
        frequency=indicator.frequency,
        keep_tolerance=keep_tolerance,
        latest_value=latest.value if latest else None,
        latest_period_end=latest.period_end if latest else None,
        as_of=as_of,
    )


def action_progress(
    *, status: str, percent_complete: int, start_date: dt.date, due_date: dt.date, as_of: dt.date
) -> ActionProgress:
    progress = 1.0 if status == DONE else float(percent_complete) / 100.0
    expected = elapsed_share(start=start_date, end=due_date, at=as_of)
    if status == CANCELLED:
        return ActionProgress(progress, expected, ProgressStatus.CANCELLED, late=False)
    late = due_date < as_of and status != DONE
    return ActionProgress(progress, expected, status_for(progress, expected), late=late)


def action_progress_of(action: Action, *, as_of: dt.date) -> ActionProgress:
    return action_progress(
        status=action.status,
        percent_complete=action.percent_complete,
        start_date=action.start_date,
        due_date=action.due_date,
        as_of=as_of,
    )


def from_totals(*, weight: float | None, weighted_progress: float | None, weighted_expected: float | None) -> Progress:
    """A weighted mean from its sums; no weight means no data."""
    if not weight:
        return Progress(None, None, ProgressStatus.NO_DATA)
    progress = weighted_progress / weight
    expected = weighted_expected / weight
    return Progress(progress, expected, status_for(progress, expected))


def weighted_mean(parts: Iterable[Part]) -> Progress:
    """The weighted mean of the parts that have data; cancelled actions are left out."""
    weight = weighted_progress = weighted_expected = 0.0
    for result, part_weight in parts:
        if not result.has_data or result.status == ProgressStatus.CANCELLED:
            continue
        w = float(part_weight)
        weight += w
        weighted_progress += w * result.progress
        weighted_expected += w * result.expected
    return from_totals(weight=weight, weighted_progress=weighted_progress, weighted_expected=weighted_expected)


def objective_progress(*, indicators: Iterable[Part], actions: Iterable[Part]) -> Progress:
    """The weighted mean of the objective's indicators that have data and its actions that are not cancelled."""
    return weighted_mean([*indicators, *actions])


def group_progress(objectives: Iterable[Part]) -> ProgressSummary:
    """A plan, cluster or theme: the weighted mean of its objectives that have data."""
    objectives = list(objectives)
    mean = weighted_mean(objectives)
    return ProgressSummary(
        mean.progress,
        mean.expected,
        mean.status,
        objectives=len(objectives),
        objectives_with_data=sum(1 for part in objectives if part.result.has_data),
    )


# --- the same rules in SQL -------------------------------------------------------------------------


class DaysBetween(Func):
    """Days from ``start`` to ``end`` (end - start) as a float; date arithmetic differs per database."""

    output_field = FloatField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def _operands(self, compiler, connection):
        (end, end_params), (start, start_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return end, start, [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra_context):
        end, start, params = self._operands(compiler, connection)
        return f"(julianday({end}) - julianday({start}))", params

    def as_postgresql(self, compiler, connection, **extra_context):
        end, start, params = self._operands(compiler, connection)
        return f"CAST(({end}) - ({start}) AS double precision)", params

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"DaysBetween supports SQLite and PostgreSQL, not {connection.vendor}.")


class _Total(Func):
    """SUM without GROUP BY: inside a correlated subquery it totals the rows of one outer row."""

    function = "SUM"
    output_field = FloatField()


def _float(value: float) -> Value:
    return Value(value, output_field=FloatField())


def _as_float(expression) -> Cast:
    return Cast(expression, FloatField())


def _total(queryset: QuerySet, expression) -> Subquery:
    return Subquery(queryset.order_by().annotate(_total=_Total(expression)).values("_total"), output_field=FloatField())


def _status_sql(progress, expected) -> Case:
    """``status_for`` as a CASE expression."""
    return Case(
        When(IsNull(progress, True), then=Value(ProgressStatus.NO_DATA.value)),
        When(
            GreaterThanOrEqual(progress, _float(ACHIEVED_PROGRESS - SLACK)),
            then=Value(ProgressStatus.ACHIEVED.value),
        ),
        *(
            When(GreaterThanOrEqual(progress, expected - _float(margin + SLACK)), then=Value(status.value))
            for status, margin in THRESHOLDS
        ),
        default=Value(ProgressStatus.OFF_TRACK.value),
        output_field=CharField(),
    )


def _elapsed_share_sql(*, start, end, at) -> Case:
    """``elapsed_share`` as a CASE expression."""
    return Case(
        When(GreaterThanOrEqual(at, end), then=_float(1.0)),
        When(LessThanOrEqual(at, start), then=_float(0.0)),
        default=DaysBetween(at, start) / DaysBetween(end, start),
        output_field=FloatField(),
    )


def _indicator_share_sql(*, direction, baseline_value, target_value, value, keep_tolerance) -> Case:
    """``indicator_share`` as a CASE expression."""
    v, b, t = _as_float(value), _as_float(baseline_value), _as_float(target_value)
    one, zero = _float(1.0), _float(0.0)
    scale = Case(When(Exact(t, zero), then=one), default=Abs(t), output_field=FloatField())
    keep = Case(
        When(LessThanOrEqual(Abs(v - t), keep_tolerance * scale + _float(SLACK)), then=one),
        default=zero,
        output_field=FloatField(),
    )
    # Target = baseline occurs only for 'keep' (a CHECK forbids it otherwise), whose branch this is not;
    # NULLIF keeps PostgreSQL from dividing by zero all the same, and the ratio is never NULL where it counts.
    ratio = Greatest(Least((v - b) / NullIf(t - b, zero), one), zero)
    return Case(When(Exact(direction, Value(KEEP.value)), then=keep), default=ratio, output_field=FloatField())


def _measurements_begun(as_of: dt.date) -> QuerySet:
    """The outer indicator's measurements of periods begun by ``as_of``, latest first."""
    return Measurement.objects.filter(indicator=OuterRef("pk"), period_start__lte=as_of).order_by(
        "-period_end", "-period_start", "-pk"
    )


_ROW_ALIAS = "progress_row"


class _Column(Expression):
    """A column of the row a ``_FromRow`` expression reads."""

    output_field = FloatField()

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def as_sql(self, compiler, connection):
        return f"{_ROW_ALIAS}.{connection.ops.quote_name(self.name)}", []


class _FromRow(Subquery):
    """``expression`` over the columns of the rows ``queryset`` returns: ``(SELECT expression FROM (...) row)``.

    The rows' values are computed once however often the expression reads them, which keeps the SQL and
    the expression tree small where a status reads progress and expected several times. With aggregates
    in ``expression`` the rows are summed into one.
    """

    def __init__(self, queryset: QuerySet, expression, output_field):
        super().__init__(queryset, output_field=output_field)
        self.expression = expression

    def get_source_expressions(self):
        return [self.query, self.expression]

    def set_source_expressions(self, exprs):
        self.query, self.expression = exprs

    def as_sql(self, compiler, connection, template=None, **extra_context):
        expression_sql, expression_params = compiler.compile(self.expression)
        rows_sql, rows_params = self.query.as_sql(compiler, connection)
        # SQL compiled by Django from querysets and expressions; every value is in the parameters.
        return f"(SELECT {expression_sql} FROM {rows_sql} {_ROW_ALIAS})", [*expression_params, *rows_params]  # nosec B608


# The columns of a weighted mean's rows: a part's weight (NULL when it has no data) and its weight times
# its progress and its expected; and the columns each result reads.
WEIGHT, WEIGHTED_PROGRESS, WEIGHTED_EXPECTED = "_weight", "_weighted_progress", "_weighted_expected"
COLUMNS = (WEIGHT, WEIGHTED_PROGRESS, WEIGHTED_EXPECTED)
COLUMNS_FOR = {
    "progress": (WEIGHT, WEIGHTED_PROGRESS),
    "expected": (WEIGHT, WEIGHTED_EXPECTED),
    "progress_status": COLUMNS,
}


def _mean_sql(total: Callable[[str], Expression]) -> tuple[Expression, Expression]:
    """``from_totals`` as SQL: progress and expected from the totals ``total(column)`` reads."""
    weight = NullIf(total(WEIGHT), _float(0.0))
    return total(WEIGHTED_PROGRESS) / weight, total(WEIGHTED_EXPECTED) / weight


def _status_from_row_sql(rows: QuerySet, total: Callable[[str], Expression]) -> Coalesce:
    """The status of a weighted mean in one subquery over ``rows``, which reads each total once."""
    return Coalesce(
        _FromRow(rows.order_by().values(*COLUMNS), _status_sql(*_mean_sql(total)), CharField()),
        Value(ProgressStatus.NO_DATA.value),
        output_field=CharField(),
    )


# --- indicators --------------------------------------------------------------------------------------------


def _indicator_value_sql(as_of: dt.date, name: str) -> Expression:
    """The outer indicator's ``progress``, ``expected`` or ``progress_status`` from its latest measurement.

    One subquery each, computed in the measurement's row, holding only what it needs.
    """
    rules = {
        "_progress": lambda: _indicator_share_sql(
            direction=OuterRef("direction"),
            baseline_value=OuterRef("baseline_value"),
            target_value=OuterRef("target_value"),
            value=F("value"),
            keep_tolerance=_as_float(OuterRef("plan__keep_tolerance")),
        ),
        "_expected": lambda: _elapsed_share_sql(
            start=OuterRef("baseline_date"), end=OuterRef("target_date"), at=F("period_end")
        ),
    }
    if name == "progress_status":
        row = _measurements_begun(as_of).annotate(**{column: rule() for column, rule in rules.items()})
        return Coalesce(
            _FromRow(row.values(*rules)[:1], _status_sql(_Column("_progress"), _Column("_expected")), CharField()),
            Value(ProgressStatus.NO_DATA.value),
            output_field=CharField(),
        )
    column = f"_{name}"
    latest = _measurements_begun(as_of).annotate(**{column: rules[column]()})
    return Subquery(latest.values(column)[:1], output_field=FloatField())


def _due_end_sql(as_of: dt.date) -> Case:
    """The end of the latest period that ended by ``as_of``, per frequency, computed here in Python."""
    return Case(
        *(
            When(frequency=frequency, then=Value(periods.last_complete(as_of, frequency).end))
            for frequency in periods.Frequency.values
        ),
        output_field=DateField(),
    )


def annotate_indicators(queryset: QuerySet, *, as_of: dt.date) -> QuerySet:
    """Add latest_value, latest_period, latest_period_end, progress, expected, progress_status, overdue.

    ``progress_status`` rather than ``status`` so the name is the same on every model (actions and plans
    have a workflow ``status`` field of their own).
    """
    latest = _measurements_begun(as_of)
    queryset = queryset.alias(
        _due_end=_due_end_sql(as_of),
        _due_cutoff=Least(F("_due_end"), F("target_date")),
    )
    return queryset.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_period=Subquery(latest.values("period")[:1]),
        latest_period_end=Subquery(latest.values("period_end")[:1]),
        **{name: _indicator_value_sql(as_of, name) for name in ("progress", "expected", "progress_status")},
        overdue=Case(
            When(
                Q(_due_end__gt=F("baseline_date")) & ~Exists(latest.filter(period_end__gte=OuterRef("_due_cutoff"))),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


# --- actions -----------------------------------------------------------------------------------------------


def _action_progress_sql() -> Case:
    return Case(
        When(status=DONE, then=_float(1.0)),
        default=_as_float(F("percent_complete")) / _float(100.0),
        output_field=FloatField(),
    )


def _action_expected_sql(as_of: dt.date) -> Case:
    return _elapsed_share_sql(start=F("start_date"), end=F("due_date"), at=Value(as_of, output_field=DateField()))


def annotate_actions(queryset: QuerySet, *, as_of: dt.date) -> QuerySet:
    """Add progress, expected, late, progress_status (``cancelled`` for cancelled actions)."""
    progress, expected = _action_progress_sql(), _action_expected_sql(as_of)
    return queryset.annotate(
        progress=progress,
        expected=expected,
        late=Case(
            When(Q(due_date__lt=as_of) & ~Q(status__in=[DONE, CANCELLED]), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        progress_status=Case(
            When(status=CANCELLED, then=Value(ProgressStatus.CANCELLED.value)),
            default=_status_sql(progress, expected),
            output_field=CharField(),
        ),
    )


# --- objectives, plans, groups -----------------------------------------------------------------------------


def _objective_total_sql(as_of: dt.date, column: str) -> Expression:
    """One total of the outer objective over its indicators with data and its actions not cancelled."""
    indicators = Indicator.objects.filter(objective=OuterRef("pk"))
    actions = Action.objects.filter(objective=OuterRef("pk")).exclude(status=CANCELLED)
    weight = _as_float(F("weight"))
    # Each subquery carries only what it sums: the expression trees stay small however deep they nest.
    if column == WEIGHT:
        indicator_part = Case(When(Exists(_measurements_begun(as_of)), then=weight), output_field=FloatField())
        action_part = weight
    elif column == WEIGHTED_PROGRESS:
        indicator_part = weight * _indicator_value_sql(as_of, "progress")
        action_part = weight * _action_progress_sql()
    else:
        indicator_part = weight * _indicator_value_sql(as_of, "expected")
        action_part = weight * _action_expected_sql(as_of)
    zero = _float(0.0)
    return Coalesce(_total(indicators, indicator_part), zero) + Coalesce(_total(actions, action_part), zero)


def _objective_totals_sql(as_of: dt.date) -> dict[str, Expression]:
    return {column: _objective_total_sql(as_of, column) for column in COLUMNS}


def annotate_objectives(queryset: QuerySet, *, as_of: dt.date) -> QuerySet:
    """Add progress, expected, progress_status from the objective's own indicators and actions."""
    totals = _objective_totals_sql(as_of)
    progress, expected = _mean_sql(totals.__getitem__)
    # The status reads progress and expected several times: from one row of totals, each is summed once.
    row = Objective.objects.filter(pk=OuterRef("pk")).annotate(**totals)
    return queryset.annotate(progress=progress, expected=expected, progress_status=_status_from_row_sql(row, _Column))


def _objective_parts_sql(as_of: dt.date) -> dict[str, Expression]:
    """The outer objective as a part of a group's mean: its ``COLUMNS``, weighted by the objective's weight."""
    totals = _objective_totals_sql(as_of)
    progress, expected = _mean_sql(totals.__getitem__)
    weight = _as_float(F("weight"))
    return {
        WEIGHT: Case(When(GreaterThan(totals[WEIGHT], _float(0.0)), then=weight), output_field=FloatField()),
        WEIGHTED_PROGRESS: weight * progress,
        WEIGHTED_EXPECTED: weight * expected,
    }


def annotate_plans(queryset: QuerySet, *, as_of: dt.date) -> QuerySet:
    """Add progress, expected, progress_status: the weighted mean of every objective of the plan with data.

    Each is one subquery over the plan's objectives that sums only the columns it reads.
    """
    parts = _objective_parts_sql(as_of)

    def objectives(columns):
        rows = Objective.objects.filter(plan=OuterRef("pk")).order_by()
        return rows.annotate(**{column: parts[column] for column in columns}).values(*columns)

    def total(column):
        return _Total(_Column(column))

    progress, expected = _mean_sql(total)
    return queryset.annotate(
        progress=_FromRow(objectives(COLUMNS_FOR["progress"]), progress, FloatField()),
        expected=_FromRow(objectives(COLUMNS_FOR["expected"]), expected, FloatField()),
        progress_status=_status_from_row_sql(objectives(COLUMNS), total),
    )


def summarize_objectives(queryset: QuerySet, *, as_of: dt.date) -> ProgressSummary:
    """The weighted mean over any group of objectives (a plan, a cluster, a theme), in one query."""
    totals = queryset.annotate(**_objective_parts_sql(as_of)).aggregate(
        weight=Sum(WEIGHT, output_field=FloatField()),
        weighted_progress=Sum(WEIGHTED_PROGRESS, output_field=FloatField()),
        weighted_expected=Sum(WEIGHTED_EXPECTED, output_field=FloatField()),
        objectives=Count("pk"),
        objectives_with_data=Count(WEIGHT),
    )
    mean = from_totals(
        weight=totals["weight"],
        weighted_progress=totals["weighted_progress"],
        weighted_expected=totals["weighted_expected"],
    )
    return ProgressSummary(
        mean.progress,
        mean.expected,
        mean.status,
        objectives=totals["objectives"],
        objectives_with_data=totals["objectives_with_data"],
    )
