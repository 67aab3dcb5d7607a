"""The progress SQL (``nsp.progress_sql``) equals the pure rules (``nsp.progress``) on random data at every status
boundary: indicators, actions, objectives, plans and groups, on SQLite and on PostgreSQL (``DATABASE_URL``).

Each example builds one plan whose values sit on, just below or just above a threshold: progress exactly at
"expected - margin" for on track and at risk, at achieved, a 'keep' value at the edge of the tolerance, an
action at its due date. Dates are chosen so that expected is an exact fraction (days out of 100).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nsp import progress
from nsp.models import Action, Indicator, Objective, Plan
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    ZonalSecurityPlanFactory,
)

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2021, 6, 30)
PERIOD, PERIOD_END = "2020-Q4", dt.date(2020, 12, 31)
SPAN = 100  # days from baseline to target: expected is elapsed / 100
# Offsets (in points of 100) around the thresholds: expected - 25, expected - 10, expected, achieved.
EDGES = [Decimal(x) for x in ("-25.01", "-25", "-24.99", "-10.01", "-10", "-9.99", "0", "0.01", "-0.01")]

indicator_cases = st.fixed_dictionaries(
    {
        "direction": st.sampled_from(["increase", "decrease", "keep"]),
        "elapsed": st.integers(min_value=0, max_value=SPAN),
        "edge": st.sampled_from(EDGES),
        "achieved": st.booleans(),
        "measured": st.sampled_from([True, True, True, False]),
        "weight": st.sampled_from([Decimal("1"), Decimal("0.5"), Decimal("2.25")]),
        "keep_target": st.sampled_from([Decimal("0"), Decimal("40"), Decimal("-12.5")]),
    }
)
action_cases = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["planned", "in_progress", "done", "cancelled"]),
        "elapsed": st.integers(min_value=-5, max_value=SPAN + 5),
        "edge": st.sampled_from([-25, -10, 0, 1, -26, -11]),
        "weight": st.sampled_from([Decimal("1"), Decimal("3")]),
    }
)
plan_cases = st.fixed_dictionaries(
    {
        "tolerance": st.sampled_from([Decimal("0"), Decimal("0.05"), Decimal("0.1")]),
        "objectives": st.lists(
            st.tuples(
                st.lists(indicator_cases, max_size=3),
                st.lists(action_cases, max_size=2),
                st.sampled_from([Decimal("1"), Decimal("2")]),
            ),
            min_size=1,
            max_size=3,
        ),
    }
)


def make_indicator(objective: Objective, case: dict, tolerance: Decimal) -> None:
    baseline_date = PERIOD_END - dt.timedelta(days=case["elapsed"])
    target_date = baseline_date + dt.timedelta(days=SPAN)
    expected_points = Decimal(case["elapsed"])  # of 100
    points = Decimal(100) if case["achieved"] else min(max(expected_points + case["edge"], Decimal(0)), Decimal(100))
    if case["direction"] == "keep":
        target = case["keep_target"]
        scale = abs(target) if target else Decimal(1)
        baseline, value = target, target + tolerance * scale + case["edge"] / 100
    elif case["direction"] == "increase":
        baseline, target, value = Decimal(0), Decimal(100), points
    else:
        baseline, target, value = Decimal(200), Decimal(100), Decimal(200) - points
    indicator = IndicatorFactory(
        objective=objective,
        direction=case["direction"],
        baseline_value=baseline,
        target_value=target,
        baseline_date=baseline_date,
        target_date=target_date,
        weight=case["weight"],
    )
    if case["measured"]:
        MeasurementFactory(indicator=indicator, period=PERIOD, value=value)


def make_action(objective: Objective, case: dict) -> None:
    start = AS_OF - dt.timedelta(days=case["elapsed"])
    expected_points = min(max(case["elapsed"], 0), SPAN)
    ActionFactory(
        objective=objective,
        status=case["status"],
        percent_complete=100 if case["status"] == "done" else min(max(expected_points + case["edge"], 0), 100),
        start_date=start,
        due_date=start + dt.timedelta(days=SPAN),
        weight=case["weight"],
    )


def build(case: dict) -> Plan:
    plan = ZonalSecurityPlanFactory(keep_tolerance=case["tolerance"])
    for indicators, actions, weight in case["objectives"]:
        objective = ObjectiveFactory(plan=plan, weight=weight)
        for indicator in indicators:
            make_indicator(objective, indicator, case["tolerance"])
        for action in actions:
            make_action(objective, action)
    return plan


def same(a: float | None, b: float | None) -> bool:
    return a is b if a is None or b is None else a == pytest.approx(b, abs=1e-9)


def oracle(plan: Plan) -> tuple[dict, dict, dict, progress.ProgressSummary]:
    """The pure rules over the plan's rows: per indicator, action, objective, and the plan's mean."""
    indicators = {
        i.pk: progress.indicator_progress_of(i, i.measurements.all(), keep_tolerance=plan.keep_tolerance, as_of=AS_OF)
        for i in Indicator.objects.filter(plan=plan).prefetch_related("measurements")
    }
    actions = {a.pk: progress.action_progress_of(a, as_of=AS_OF) for a in Action.objects.filter(plan=plan)}
    objectives = {
        o.pk: progress.objective_progress(
            indicators=[progress.Part(indicators[i.pk], i.weight) for i in o.indicators.all()],
            actions=[progress.Part(actions[a.pk], a.weight) for a in o.actions.all()],
        )
        for o in Objective.objects.filter(plan=plan).prefetch_related("indicators", "actions")
    }
    weights = dict(Objective.objects.filter(plan=plan).values_list("pk", "weight"))
    group = progress.group_progress([progress.Part(objectives[pk], weights[pk]) for pk in objectives])
    return indicators, actions, objectives, group


def agree(sql_rows, rules: dict) -> None:
    for row in sql_rows:
        expected = rules[row.pk]
        assert row.progress_status == expected.status, (row.pk, row.progress, row.expected, expected)
        assert same(row.progress, expected.progress) and same(row.expected, expected.expected), (row.pk, expected)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=plan_cases)
def test_sql_equals_the_rules_at_every_status_boundary(case):
    with transaction.atomic():
        plan = build(case)
        indicators, actions, objectives, group = oracle(plan)

        agree(progress.annotate_indicators(Indicator.objects.filter(plan=plan), as_of=AS_OF), indicators)
        for row in progress.annotate_indicators(Indicator.objects.filter(plan=plan), as_of=AS_OF):
            assert row.overdue == indicators[row.pk].overdue
        agree(progress.annotate_actions(Action.objects.filter(plan=plan), as_of=AS_OF), actions)
        agree(progress.annotate_objectives(Objective.objects.filter(plan=plan), as_of=AS_OF), objectives)
        totals = progress.objective_totals(Objective.objects.filter(plan=plan), as_of=AS_OF)
        for pk, expected in objectives.items():
            result = totals.get(pk, progress.Progress(None, None, progress.ProgressStatus.NO_DATA))
            assert (result.status, same(result.progress, expected.progress)) == (expected.status, True)

        annotated = progress.annotate_plans(Plan.objects.filter(pk=plan.pk), as_of=AS_OF).get()
        assert annotated.progress_status == group.status
        assert same(annotated.progress, group.progress) and same(annotated.expected, group.expected)
        summary = progress.summarize_objectives(Objective.objects.filter(plan=plan), as_of=AS_OF)
        assert (summary.status, summary.objectives, summary.objectives_with_data) == (
            group.status,
            group.objectives,
            group.objectives_with_data,
        )
        assert same(summary.progress, group.progress)
        transaction.set_rollback(True)
