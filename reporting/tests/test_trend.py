"""The trend (``reporting.insights.trend``) computed in one pass over every quarter equals the same figures
computed one quarter at a time (``objective_results`` as at each quarter's end, then the overview's group
reads), on random measurements and actions, on SQLite and on PostgreSQL (``DATABASE_URL``); and its query
count does not depend on the number of quarters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nsp import progress
from nsp.models import Objective
from reporting import insights, selectors
from reporting.tests.conftest import AS_OF
from tests.factories import ActionFactory, IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

QUARTERS = [f"{year}-Q{q}" for year in (2019, 2020, 2021) for q in (1, 2, 3, 4)]

indicator_cases = st.fixed_dictionaries(
    {
        "objective": st.sampled_from(["road", "burglary", "programme_objective"]),
        "direction": st.sampled_from(["increase", "decrease", "keep"]),
        "baseline": st.sampled_from([dt.date(2019, 1, 1), dt.date(2020, 1, 1), dt.date(2020, 7, 1)]),
        "months": st.sampled_from([12, 18, 30]),
        "weight": st.sampled_from([Decimal("1"), Decimal("2.5")]),
        "measured": st.lists(
            st.tuples(st.sampled_from(QUARTERS), st.integers(min_value=60, max_value=140)),
            max_size=6,
            unique_by=lambda m: m[0],
        ),
    }
)
action_cases = st.fixed_dictionaries(
    {
        "objective": st.sampled_from(["road", "burglary", "programme_objective"]),
        "status": st.sampled_from(["planned", "in_progress", "done", "cancelled"]),
        "start": st.sampled_from([dt.date(2019, 4, 1), dt.date(2020, 1, 1), dt.date(2021, 3, 31)]),
        "days": st.integers(min_value=1, max_value=700),
        "percent": st.integers(min_value=0, max_value=100),
    }
)


def add(world, indicators: list[dict], actions: list[dict]) -> None:
    for case in indicators:
        baseline = case["baseline"]
        target = baseline.replace(year=baseline.year + case["months"] // 12) + dt.timedelta(
            days=30 * (case["months"] % 12)
        )
        keep = case["direction"] == "keep"
        indicator = IndicatorFactory(
            objective=getattr(world, case["objective"]),
            direction=case["direction"],
            baseline_value=Decimal("100"),
            target_value=Decimal("100") if keep else Decimal("120" if case["direction"] == "increase" else "80"),
            baseline_date=baseline,
            target_date=target,
            weight=case["weight"],
        )
        for period, value in case["measured"]:
            MeasurementFactory(indicator=indicator, period=period, value=Decimal(value))
    for case in actions:
        ActionFactory(
            objective=getattr(world, case["objective"]),
            status=case["status"],
            start_date=case["start"],
            due_date=case["start"] + dt.timedelta(days=case["days"]),
            percent_complete=100 if case["status"] == "done" else case["percent"],
        )


def trend_quarter_by_quarter(*, user, nsp, today, district=None, last=0) -> dict:
    """The trend as it was computed before the single pass: every group read again at every quarter."""
    quarters = insights.edition_quarters(nsp, today=today)
    if last:
        quarters = quarters[-last:]
    plans = selectors.scoped_plans(user=user, nsp=nsp, district=district, as_of=today)
    objectives = selectors._objectives(user, plans)
    national, clusters, districts = [], {}, {}
    for quarter in quarters:
        results = selectors.objective_results(objectives, as_of=quarter.end)
        national.append({**insights._quarter(quarter), **selectors.group_fields(results, results.keys())})
        for row in selectors.priority_progress(user=user, plans=plans, objectives=results, nsp=nsp)["clusters"]:
            entry = clusters.setdefault(row["id"], {"id": row["id"], "label": row["label"], "quarters": []})
            entry["quarters"].append({**insights._quarter(quarter), **insights._point(row)})
        for row in selectors.district_progress(user=user, plans=plans, objectives=results, district=district):
            entry = districts.setdefault(row["id"], {"id": row["id"], "label": row["label"], "quarters": []})
            entry["quarters"].append({**insights._quarter(quarter), **insights._point(row)})
    return {
        "quarters": [insights._quarter(q) for q in quarters],
        "national": national,
        "clusters": list(clusters.values()),
        "districts": list(districts.values()),
    }


def rounded(value):
    """Floats summed in another order may differ in the last bits, and a share shown to four places
    (``selectors.share``) by one unit: compare floats to 1e-4 (two of them equal within it compare equal)."""
    if isinstance(value, float):
        return Close(value)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v) for v in value]
    return value


def fields(results: dict) -> dict:
    return {pk: rounded((r.progress, r.expected, r.status)) for pk, r in results.items()}


class Close(float):
    def __eq__(self, other):
        return isinstance(other, float) and abs(float(self) - float(other)) <= 1.0001e-4

    __hash__ = float.__hash__


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(indicators=st.lists(indicator_cases, max_size=6), actions=st.lists(action_cases, max_size=3))
def test_one_pass_trend_equals_the_trend_quarter_by_quarter(world, indicators, actions):
    with transaction.atomic():
        add(world, indicators, actions)
        for user in (world.committee, world.chief_a):
            for today in (AS_OF, dt.date(2021, 5, 15)):
                new = insights.trend(user=user, nsp=world.nsp, today=today)
                old = trend_quarter_by_quarter(user=user, nsp=world.nsp, today=today)
                assert rounded(new) == rounded(old)
                assert len(new["national"]) == len(insights.edition_quarters(world.nsp, today=today))
        new = insights.trend(user=world.committee, nsp=world.nsp, today=AS_OF, district=world.district_a, last=3)
        old = trend_quarter_by_quarter(
            user=world.committee, nsp=world.nsp, today=AS_OF, district=world.district_a, last=3
        )
        assert rounded(new) == rounded(old)
        transaction.set_rollback(True)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(indicators=st.lists(indicator_cases, max_size=6), actions=st.lists(action_cases, max_size=3))
def test_totals_at_every_day_equal_the_totals_at_each_day(world, indicators, actions):
    """``objective_totals_at`` is ``objective_totals`` at each day (which ``test_progress_sql`` checks against
    the pure rules), measured quarter ends and days between them alike."""
    days = [dt.date(2019, 3, 31), dt.date(2020, 2, 29), dt.date(2020, 12, 31), dt.date(2021, 8, 15), AS_OF]
    with transaction.atomic():
        add(world, indicators, actions)
        objectives = Objective.objects.all()
        at = progress.objective_totals_at(objectives, dates=days)
        assert list(at) == days
        for day in days:
            assert fields(at[day]) == fields(progress.objective_totals(objectives, as_of=day))
        transaction.set_rollback(True)


def test_totals_at_no_day_or_no_objective(world):
    assert progress.objective_totals_at(Objective.objects.all(), dates=[]) == {}
    assert progress.objective_totals_at(Objective.objects.filter(pk__in=[]), dates=[AS_OF]) == {AS_OF: {}}


def queries(**kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        insights.trend(**kwargs)
    return len(captured)


def test_trend_queries_do_not_depend_on_the_number_of_quarters(world):
    add(
        world,
        [{"objective": "road", "direction": "increase", "baseline": dt.date(2019, 1, 1), "months": 30,
          "weight": Decimal("1"), "measured": [("2019-Q2", 101), ("2020-Q3", 110)]}],
        [],
    )  # fmt: skip
    queries(user=world.committee, nsp=world.nsp, today=AS_OF, last=1)  # the viewer's roles, read once
    one = queries(user=world.committee, nsp=world.nsp, today=AS_OF, last=1)
    every = queries(user=world.committee, nsp=world.nsp, today=AS_OF)
    assert len(insights.edition_quarters(world.nsp, today=AS_OF)) == 24
    # Among them: the totals at every quarter (one), the objectives' rows, the groups' members; none per quarter.
    assert one == every == 10


def attention_indicator_by_indicator(*, user, nsp, as_of) -> dict[int, tuple[int, int]]:
    """Per zone (overdue, stale) counted as before: every indicator an instance, ``stale`` asked of each."""
    from nsp.models import Indicator, Plan, PlanStatus

    plans = selectors.scoped_plans(user=user, nsp=nsp, as_of=as_of).filter(kind=Plan.Kind.ZONAL)
    zone_of = dict(plans.order_by().values_list("pk", "zone_id"))
    counts: dict[int, list[int]] = {}
    indicators = progress.annotate_indicators(
        Indicator.objects.restrict(user, "view").filter(plan__in=plans.filter(status=PlanStatus.APPROVED).values("pk")),
        as_of=as_of,
    )
    for indicator in indicators:
        entry = counts.setdefault(zone_of[indicator.plan_id], [0, 0])
        entry[0] += bool(indicator.overdue)
        entry[1] += insights.stale(indicator, as_of=as_of)
    return {zone: tuple(c) for zone, c in counts.items() if any(c)}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(indicators=st.lists(indicator_cases, min_size=1, max_size=6))
def test_zones_needing_attention_count_overdue_and_stale_as_each_indicator_would(world, indicators):
    from zones.models import PoliceZone

    with transaction.atomic():
        add(world, indicators, [])
        for as_of in (AS_OF, dt.date(2020, 11, 15)):
            listed = insights.zones_needing_attention(user=world.committee, nsp=world.nsp, as_of=as_of)
            keys = {z.key: z.pk for z in PoliceZone.objects.all()}
            got = {keys[r["key"]]: (r["overdue"], r["stale"]) for r in listed["zones"] if r["overdue"] or r["stale"]}
            assert got == attention_indicator_by_indicator(user=world.committee, nsp=world.nsp, as_of=as_of)
        transaction.set_rollback(True)
