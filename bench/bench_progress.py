"""How the progress annotations scale: one query per list, and a per-row cost that stays flat.

Run: ``.venv/bin/pytest -q -s bench/bench_progress.py`` (add DATABASE_URL for PostgreSQL). It prints the
best-of-N time per row for a small and a large list and asserts only query counts and the ratio between
the two within this run, never a time.
"""

import datetime as dt
import random
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nsp import periods, progress
from nsp.models import Action, Indicator, Objective, Plan
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    ZonalSecurityPlanFactory,
)

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2023, 6, 30)
SMALL, LARGE = 10, 100
INDICATORS_PER_OBJECTIVE = 4
ACTIONS_PER_OBJECTIVE = 3
REPEATS = 5
# A list ten times longer may cost at most this many times more per row (a flat per-row cost is 1).
MAX_PER_ROW_RATIO = 3.0


def build_plan(objectives: int, rng: random.Random) -> Plan:
    plan = ZonalSecurityPlanFactory()
    for _ in range(objectives):
        objective = ObjectiveFactory(plan=plan)
        for _ in range(INDICATORS_PER_OBJECTIVE):
            indicator = IndicatorFactory(
                objective=objective,
                direction="increase",
                baseline_value=Decimal("0"),
                target_value=Decimal("100"),
                baseline_date=dt.date(2020, 1, 1),
                target_date=dt.date(2025, 12, 31),
            )
            for period in periods.between(dt.date(2020, 1, 1), dt.date(2023, 6, 30), "quarterly"):
                MeasurementFactory(indicator=indicator, period=period.label, value=Decimal(rng.randint(0, 100)))
        for _ in range(ACTIONS_PER_OBJECTIVE):
            ActionFactory(objective=objective, percent_complete=rng.randint(0, 100))
    return plan


def best_time_per_row(queryset_for) -> tuple[float, int]:
    """The best of REPEATS runs, per row, and the number of queries one run made."""
    best = float("inf")
    for _ in range(REPEATS):
        queryset = queryset_for()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            rows = list(queryset)
            elapsed = time.perf_counter() - started
        best = min(best, elapsed / max(len(rows), 1))
    return best, len(queries)


@pytest.mark.parametrize(
    ("name", "annotate", "model"),
    [
        ("indicators", progress.annotate_indicators, Indicator),
        ("actions", progress.annotate_actions, Action),
        ("objectives", progress.annotate_objectives, Objective),
    ],
)
def test_per_row_cost_is_flat(name, annotate, model):
    rng = random.Random(7)
    small, large = build_plan(SMALL, rng), build_plan(LARGE, rng)
    small_cost, small_queries = best_time_per_row(lambda: annotate(model.objects.filter(plan=small), as_of=AS_OF))
    large_cost, large_queries = best_time_per_row(lambda: annotate(model.objects.filter(plan=large), as_of=AS_OF))
    ratio = large_cost / small_cost
    print(
        f"\n{name}: {small_cost * 1e3:.3f} ms/row at {SMALL} objectives, "
        f"{large_cost * 1e3:.3f} at {LARGE}; ratio {ratio:.2f}"
    )
    assert (small_queries, large_queries) == (1, 1)
    assert ratio <= MAX_PER_ROW_RATIO


def test_plan_list_and_summary_cost():
    rng = random.Random(11)
    plans = [build_plan(SMALL, rng) for _ in range(3)]
    per_plan, queries = best_time_per_row(lambda: progress.annotate_plans(Plan.objects.all(), as_of=AS_OF))
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as summary_queries:
        summary = progress.summarize_objectives(Objective.objects.filter(plan__in=plans), as_of=AS_OF)
    summary_time = time.perf_counter() - started
    print(
        f"\nplans: {per_plan * 1e3:.1f} ms/plan of {SMALL} objectives; "
        f"summary of {summary.objectives} objectives: {summary_time * 1e3:.1f} ms"
    )
    assert queries == 1
    assert len(summary_queries) == 1
