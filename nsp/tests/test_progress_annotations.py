"""The progress annotations agree with the pure rules, row by row, in one query per list.

Run on SQLite (default) and on PostgreSQL (``DATABASE_URL=postgres://postgres@127.0.0.1:5432/test``).
"""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nsp import periods, progress
from nsp.models import Action, Indicator, Objective, Plan
from nsp.progress import ProgressStatus as S
from nsp.tests.test_progress import HALF_WAY, INDICATOR_CASES
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    ZonalSecurityPlanFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date
# Before any due period, in the middle of most indicators, at a year end, after most targets.
AS_OF_DATES = [D(2020, 2, 15), D(2021, 5, 10), D(2022, 12, 31), D(2026, 3, 1)]
WEIGHTS = [Decimal("1"), Decimal("0.5"), Decimal("2.25"), Decimal("3")]
BASELINE_DATES = [D(2019, 12, 31), D(2020, 1, 1), D(2020, 3, 15), D(2020, 6, 30)]


def same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return a == pytest.approx(b, abs=1e-9)


# --- a grid of generated cases -------------------------------------------------------------------------


def _value(rng: random.Random, low: Decimal, high: Decimal) -> Decimal:
    """A value with up to two decimals between low and high (rounded outward)."""
    return Decimal(rng.randint(int(low * 100), int(high * 100))) / 100


def make_indicator(rng: random.Random, objective) -> Indicator:
    direction = rng.choice(["increase", "decrease", "keep"])
    frequency = rng.choice(periods.Frequency.values)
    baseline_date = rng.choice(BASELINE_DATES)
    target_date = baseline_date + dt.timedelta(days=rng.randint(200, 2000))
    baseline = _value(rng, Decimal("-50"), Decimal("500"))
    step = _value(rng, Decimal("0.01"), Decimal("200"))
    target = {
        "increase": baseline + step,
        "decrease": baseline - step,
        "keep": rng.choice([baseline, Decimal("0"), baseline + step]),
    }[direction]
    indicator = IndicatorFactory(
        objective=objective,
        direction=direction,
        frequency=frequency,
        baseline_value=baseline,
        baseline_date=baseline_date,
        target_value=target,
        target_date=target_date,
        weight=rng.choice(WEIGHTS),
    )
    candidates = periods.between(
        baseline_date - dt.timedelta(days=200), target_date + dt.timedelta(days=400), frequency
    )
    low, high = min(baseline, target), max(baseline, target)
    spread = high - low + 10
    for period in rng.sample(candidates, k=min(len(candidates), rng.choice([0, 1, 1, 2, 3]))):
        value = rng.choice(
            [
                target,
                baseline,
                _value(rng, low - spread / 4, high + spread / 4),
                target + target * Decimal("0.05"),  # the keep tolerance's edge
                _value(rng, low, high),
            ]
        )
        MeasurementFactory(indicator=indicator, period=period.label, value=value)
    return indicator


def make_action(rng: random.Random, objective) -> Action:
    status = rng.choice(["planned", "in_progress", "in_progress", "done", "cancelled"])
    start = D(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 1400))
    return ActionFactory(
        objective=objective,
        status=status,
        percent_complete=100 if status == "done" else rng.randint(0, 100),
        start_date=start,
        due_date=start + dt.timedelta(days=rng.choice([0, 30, 180, 365, 700])),
        weight=rng.choice(WEIGHTS),
    )


def build_grid(seed: int = 2016, plans: int = 3, objectives: int = 6) -> list[Plan]:
    rng = random.Random(seed)
    built = []
    for tolerance in [Decimal("0.05"), Decimal("0.1"), Decimal("0")][:plans]:
        plan = ZonalSecurityPlanFactory(keep_tolerance=tolerance)
        for _ in range(objectives):
            objective = ObjectiveFactory(plan=plan, weight=rng.choice(WEIGHTS))
            for _ in range(rng.choice([0, 1, 3, 4])):
                make_indicator(rng, objective)
            for _ in range(rng.choice([0, 0, 1, 2])):
                make_action(rng, objective)
        built.append(plan)
    built.append(ZonalSecurityPlanFactory())  # a plan with no objectives at all
    return built


# --- the pure rules over the same rows -----------------------------------------------------------------


def pure_indicators(as_of) -> dict[int, progress.IndicatorProgress]:
    rows = Indicator.objects.select_related("plan").prefetch_related("measurements")
    return {
        i.pk: progress.indicator_progress_of(i, i.measurements.all(), keep_tolerance=i.plan.keep_tolerance, as_of=as_of)
        for i in rows
    }


def pure_actions(as_of) -> dict[int, progress.ActionProgress]:
    return {a.pk: progress.action_progress_of(a, as_of=as_of) for a in Action.objects.all()}


def pure_objectives(as_of) -> dict[int, progress.Progress]:
    indicators, actions = pure_indicators(as_of), pure_actions(as_of)
    result = {}
    for objective in Objective.objects.prefetch_related("indicators", "actions"):
        result[objective.pk] = progress.objective_progress(
            indicators=[progress.Part(indicators[i.pk], i.weight) for i in objective.indicators.all()],
            actions=[progress.Part(actions[a.pk], a.weight) for a in objective.actions.all()],
        )
    return result


def pure_group(objectives, as_of) -> progress.ProgressSummary:
    by_pk = pure_objectives(as_of)
    return progress.group_progress([progress.Part(by_pk[o.pk], o.weight) for o in objectives])


# --- agreement -----------------------------------------------------------------------------------------


def test_indicators_agree_with_the_pure_rules_on_a_grid():
    build_grid()
    checked = set()
    for as_of in AS_OF_DATES:
        expected = pure_indicators(as_of)
        assert len(expected) >= 30
        for row in progress.annotate_indicators(Indicator.objects.all(), as_of=as_of):
            pure = expected[row.pk]
            latest = progress.latest_measurement(row.measurements.all(), as_of=as_of)
            case = (row.pk, as_of, row.direction, row.frequency)
            assert row.latest_value == (latest.value if latest else None), case
            assert row.latest_period == (latest.period if latest else None), case
            assert row.latest_period_end == (latest.period_end if latest else None), case
            assert same(row.progress, pure.progress), (case, row.progress, pure.progress)
            assert same(row.expected, pure.expected), (case, row.expected, pure.expected)
            assert row.progress_status == pure.status, (case, row.progress_status, pure.status)
            assert row.overdue is pure.overdue, case
            checked.add((pure.status, pure.overdue))
    # The grid reaches every status and both overdue answers, or it proves little.
    assert {status for status, _ in checked} == {S.NO_DATA, S.ACHIEVED, S.ON_TRACK, S.AT_RISK, S.OFF_TRACK}
    assert {overdue for _, overdue in checked} == {True, False}


def test_actions_agree_with_the_pure_rules_on_a_grid():
    build_grid()
    seen = set()
    for as_of in AS_OF_DATES:
        expected = pure_actions(as_of)
        for row in progress.annotate_actions(Action.objects.all(), as_of=as_of):
            pure = expected[row.pk]
            assert same(row.progress, pure.progress), row.pk
            assert same(row.expected, pure.expected), row.pk
            assert row.late is pure.late, row.pk
            assert row.progress_status == pure.status, (row.pk, as_of, row.progress_status, pure.status)
            seen.add(pure.status)
    assert S.CANCELLED in seen and S.ACHIEVED in seen


def test_objectives_agree_with_the_pure_rules_on_a_grid():
    build_grid()
    seen = set()
    for as_of in AS_OF_DATES:
        expected = pure_objectives(as_of)
        for row in progress.annotate_objectives(Objective.objects.all(), as_of=as_of):
            pure = expected[row.pk]
            assert same(row.progress, pure.progress), (row.pk, as_of, row.progress, pure.progress)
            assert same(row.expected, pure.expected), (row.pk, as_of)
            assert row.progress_status == pure.status, (row.pk, as_of, row.progress_status, pure.status)
            seen.add(pure.status)
    assert S.NO_DATA in seen and len(seen) >= 3


def test_plans_agree_with_the_pure_rules_on_a_grid():
    plans = build_grid()
    for as_of in AS_OF_DATES:
        rows = {p.pk: p for p in progress.annotate_plans(Plan.objects.all(), as_of=as_of)}
        assert set(rows) == {p.pk for p in plans}
        for plan in plans:
            pure = pure_group(Objective.objects.filter(plan=plan), as_of)
            row = rows[plan.pk]
            assert same(row.progress, pure.progress), (plan.pk, as_of, row.progress, pure.progress)
            assert same(row.expected, pure.expected), (plan.pk, as_of)
            assert row.progress_status == pure.status, (plan.pk, as_of, row.progress_status, pure.status)
    assert rows[plans[-1].pk].progress_status == S.NO_DATA


def test_summaries_agree_with_the_pure_rules_on_a_grid():
    plans = build_grid()
    groups = [
        Objective.objects.all(),
        Objective.objects.filter(plan__in=plans[:2]),
        Objective.objects.filter(weight__gt=1),
        Objective.objects.none(),
    ]
    for as_of in AS_OF_DATES:
        for group in groups:
            summary = progress.summarize_objectives(group, as_of=as_of)
            pure = pure_group(group, as_of)
            assert same(summary.progress, pure.progress), (as_of, summary, pure)
            assert same(summary.expected, pure.expected), (as_of, summary, pure)
            assert summary.status == pure.status
            assert (summary.objectives, summary.objectives_with_data) == (pure.objectives, pure.objectives_with_data)


def test_zonal_plan_queryset_is_annotated_like_plans():
    plans = build_grid(plans=1)
    row = progress.annotate_plans(type(plans[0]).objects.filter(pk=plans[0].pk), as_of=AS_OF_DATES[2]).get()
    assert same(
        row.progress, progress.annotate_plans(Plan.objects.filter(pk=plans[0].pk), as_of=AS_OF_DATES[2]).get().progress
    )


# --- boundaries in SQL ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("direction", "baseline", "target", "value", "share", "status"), INDICATOR_CASES)
def test_indicator_boundaries_in_sql(direction, baseline, target, value, share, status):
    indicator = IndicatorFactory(
        direction=direction,
        frequency="yearly",
        baseline_value=Decimal(baseline),
        target_value=Decimal(target),
        baseline_date=HALF_WAY["baseline_date"],
        target_date=HALF_WAY["target_date"],
    )
    MeasurementFactory(indicator=indicator, period="2021", value=Decimal(value))
    row = progress.annotate_indicators(Indicator.objects.filter(pk=indicator.pk), as_of=D(2022, 1, 15)).get()
    assert row.expected == 0.5
    assert row.progress == pytest.approx(share, abs=1e-12)
    assert row.progress_status == status


def test_keep_tolerance_comes_from_the_plan():
    plan = ZonalSecurityPlanFactory(keep_tolerance=Decimal("0.1"))
    objective = ObjectiveFactory(plan=plan)
    inside = IndicatorFactory(objective=objective, direction="keep", baseline_value=100, target_value=100)
    outside = IndicatorFactory(objective=objective, direction="keep", baseline_value=100, target_value=100)
    MeasurementFactory(indicator=inside, period="2021-Q1", value=Decimal("110"))
    MeasurementFactory(indicator=outside, period="2021-Q1", value=Decimal("110.01"))
    rows = {i.pk: i for i in progress.annotate_indicators(Indicator.objects.all(), as_of=D(2021, 5, 1))}
    assert (rows[inside.pk].progress, rows[outside.pk].progress) == (1.0, 0.0)


def test_overdue_in_sql():
    quarterly = {"frequency": "quarterly", "baseline_date": D(2020, 1, 1), "target_date": D(2022, 5, 15)}
    unmeasured = IndicatorFactory(**quarterly)
    measured_later = IndicatorFactory(**quarterly)
    MeasurementFactory(indicator=measured_later, period="2021-Q2")
    target_period_missing = IndicatorFactory(**quarterly)
    MeasurementFactory(indicator=target_period_missing, period="2022-Q1")
    target_period_measured = IndicatorFactory(**quarterly)
    MeasurementFactory(indicator=target_period_measured, period="2022-Q2")

    def overdue(as_of):
        return dict(progress.annotate_indicators(Indicator.objects.all(), as_of=as_of).values_list("pk", "overdue"))

    before_first_due = overdue(D(2020, 3, 1))
    assert not any(before_first_due.values())
    mid = overdue(D(2021, 5, 10))  # 2021-Q1 is due; a 2021-Q2 measurement counts
    assert mid[unmeasured.pk] and not mid[measured_later.pk]
    after = overdue(D(2023, 3, 1))  # the target's period, 2022-Q2, is due
    assert after[target_period_missing.pk] and not after[target_period_measured.pk]


def test_measurements_of_periods_not_begun_are_ignored():
    indicator = IndicatorFactory(baseline_value=100, target_value=80)
    MeasurementFactory(indicator=indicator, period="2021-Q1", value=Decimal("95"))
    MeasurementFactory(indicator=indicator, period="2021-Q3", value=Decimal("80"))
    row = progress.annotate_indicators(Indicator.objects.all(), as_of=D(2021, 6, 1)).get()
    assert (row.latest_period, row.progress) == ("2021-Q1", pytest.approx(0.25))


def test_objective_without_parts_and_with_only_cancelled_actions_has_no_data():
    empty = ObjectiveFactory()
    cancelled = ObjectiveFactory()
    ActionFactory(objective=cancelled, status="cancelled", percent_complete=50)
    rows = {o.pk: o for o in progress.annotate_objectives(Objective.objects.all(), as_of=D(2021, 6, 1))}
    for objective in (empty, cancelled):
        assert (rows[objective.pk].progress, rows[objective.pk].progress_status) == (None, S.NO_DATA)


def test_objective_weights_in_sql():
    objective = ObjectiveFactory()
    full = IndicatorFactory(objective=objective, weight=Decimal("3"), baseline_value=100, target_value=80)
    MeasurementFactory(indicator=full, period="2020-Q4", value=Decimal("80"))
    IndicatorFactory(objective=objective, weight=Decimal("5"))  # no data: left out
    ActionFactory(objective=objective, weight=Decimal("1"), percent_complete=0)
    ActionFactory(objective=objective, weight=Decimal("9"), status="cancelled")
    row = progress.annotate_objectives(Objective.objects.all(), as_of=D(2021, 1, 1)).get()
    assert row.progress == 0.75


# --- one query per list --------------------------------------------------------------------------------


def _sized_plan(rows: int) -> Plan:
    rng = random.Random(rows)
    plan = ZonalSecurityPlanFactory()
    for _ in range(rows):
        objective = ObjectiveFactory(plan=plan)
        make_indicator(rng, objective)
        make_action(rng, objective)
    return plan


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize(
    ("annotate", "model", "field"),
    [
        (progress.annotate_indicators, Indicator, "progress_status"),
        (progress.annotate_actions, Action, "progress_status"),
        (progress.annotate_objectives, Objective, "progress_status"),
    ],
)
def test_one_query_per_list(rows, annotate, model, field):
    plan = _sized_plan(rows)
    queryset = annotate(model.objects.filter(plan=plan), as_of=D(2022, 6, 30))
    with CaptureQueriesContext(connection) as queries:
        statuses = [getattr(row, field) for row in queryset]
    assert len(statuses) == rows
    assert len(queries) == 1


@pytest.mark.parametrize("plans", [5, 50])
def test_one_query_for_a_list_of_plans(plans):
    for _ in range(plans):
        objective = ObjectiveFactory()
        MeasurementFactory(indicator=IndicatorFactory(objective=objective))
        ActionFactory(objective=objective)
    with CaptureQueriesContext(connection) as queries:
        rows = list(progress.annotate_plans(Plan.objects.all(), as_of=D(2022, 6, 30)))
    assert len(rows) == plans
    assert all(row.progress_status != S.NO_DATA for row in rows)
    assert len(queries) == 1


@pytest.mark.parametrize("rows", [5, 50])
def test_one_query_per_summary(rows):
    _sized_plan(rows)
    with CaptureQueriesContext(connection) as queries:
        summary = progress.summarize_objectives(Objective.objects.all(), as_of=D(2022, 6, 30))
    assert summary.objectives == rows
    assert len(queries) == 1


def test_lists_filter_and_sort_on_the_annotations_in_one_query():
    build_grid(plans=1)
    as_of = AS_OF_DATES[1]
    expected = pure_objectives(as_of)
    with CaptureQueriesContext(connection) as queries:
        off_track = list(
            progress.annotate_objectives(Objective.objects.all(), as_of=as_of)
            .filter(progress_status__in=[S.OFF_TRACK, S.AT_RISK])
            .order_by("progress", "pk")
        )
    assert len(queries) == 1
    wanted = sorted(
        (pk for pk, result in expected.items() if result.status in (S.OFF_TRACK, S.AT_RISK)),
        key=lambda pk: (expected[pk].progress, pk),
    )
    assert wanted
    assert [o.pk for o in off_track] == wanted
    overdue = progress.annotate_indicators(Indicator.objects.all(), as_of=as_of).filter(overdue=True)
    wanted_overdue = {pk for pk, result in pure_indicators(as_of).items() if result.overdue}
    assert wanted_overdue
    assert set(overdue.values_list("pk", flat=True)) == wanted_overdue
