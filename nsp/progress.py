"""Progress rules: how far an indicator, action, objective, plan or group of objectives has come.

The rules are stated once, in two forms built from the same constants:

- here, pure functions (no database) that take plain values and an ``as_of`` date: the oracle. Callers:
  pages and reports that hold loaded rows (``status_for``, ``group_progress`` over annotated objectives in
  ``reporting.selectors``, ``last_due_period``, ``rounded``), the plan transfer, and the tests;
- in ``nsp.progress_sql``, queryset annotations (``annotate_indicators`` ... ``annotate_plans``,
  ``objective_totals``, ``objective_totals_at``, ``summarize_objectives``) that put the same rules into SQL,
  so a list gets its progress in one query and never row by row in Python. They are re-exported here: callers write
  ``progress.annotate_plans(...)``.

Numbers are floats throughout: progress and expected are shares in [0, 1]; Decimal model values are
converted on the way in, in Python and in SQL alike. Comparisons allow ``SLACK`` for floating-point
rounding. Round only when presenting (``rounded``). The rules and the choices where the product design
is silent are written up in ``docs/progress.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, Protocol, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from nsp import periods
from nsp.models import Action, Indicator, Measurement

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


# --- the same rules in SQL (nsp.progress_sql), for the callers that write ``progress.annotate_...`` --------

from nsp.progress_sql import (  # noqa: E402  (it reads the constants above)
    annotate_actions,
    annotate_indicators,
    annotate_objectives,
    annotate_plans,
    attach_plan_progress,
    filter_overdue,
    objective_totals,
    objective_totals_at,
    plan_objectives,
    progress_asked,
    summarize_objectives,
)

__all__ = [
    "annotate_actions",
    "annotate_indicators",
    "annotate_objectives",
    "annotate_plans",
    "attach_plan_progress",
    "filter_overdue",
    "objective_totals",
    "objective_totals_at",
    "plan_objectives",
    "progress_asked",
    "summarize_objectives",
]
