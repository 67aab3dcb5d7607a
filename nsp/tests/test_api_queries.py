"""Every list endpoint costs a fixed number of queries: the same for 10 rows as for 100, and pinned here.

A count that grows means a join or an annotation went missing (or one was added: then update the
pin, knowingly). Read as a Coordinating Committee member, whose permission filter is a subquery.
"""

import datetime as dt

import pytest

from nsp.api.testing import API, client_for, count_queries
from reporting.models import ReportRun
from tests.factories import (
    ActionFactory,
    AmbitionFactory,
    CommentFactory,
    CrossCuttingThemeFactory,
    DistrictFactory,
    IndicatorFactory,
    MeasurementFactory,
    NationalAlignmentFactory,
    NationalSecurityPlanFactory,
    ObjectiveFactory,
    PoliceZoneFactory,
    ProgrammeFactory,
    SecurityClusterFactory,
    SecurityPhenomenonFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)
from zones.models import Expectation, MatrixCandidate, MatrixScore, Municipality, PlanTransition, RegionalSecurityPlan

pytestmark = pytest.mark.django_db

APPROVED = {"status": "approved", "approved_on": dt.date(2020, 6, 1), "council_adopted_on": dt.date(2020, 3, 1)}


class World:
    """What the builders share: one approved plan (and its edition), the reader."""

    def __init__(self) -> None:
        self.nsp = NationalSecurityPlanFactory()
        self.plan = ZonalSecurityPlanFactory(nsp=self.nsp, **APPROVED)
        self.objective = ObjectiveFactory(plan=self.plan)
        self.reader = user_with_role("committee_member")
        self.years = iter(range(1900, 2900, 6))

    def next_period(self) -> dict:
        start = next(self.years)
        return {"period_start": dt.date(start, 1, 1), "period_end": dt.date(start + 5, 12, 31)}


def editions(w, n):
    for _ in range(n):
        edition = NationalSecurityPlanFactory()
        AmbitionFactory(nsp=edition)


def clusters(w, n):
    for _ in range(n):
        SecurityClusterFactory(nsp=w.nsp).previous.add(SecurityClusterFactory(nsp=w.nsp))


def phenomena(w, n):
    for _ in range(n):
        SecurityPhenomenonFactory(nsp=w.nsp, cluster__nsp=w.nsp)


def themes(w, n):
    for _ in range(n):
        CrossCuttingThemeFactory(nsp=w.nsp)


def districts(w, n):
    for _ in range(n):
        DistrictFactory()


def zones(w, n):
    for _ in range(n):
        zone = PoliceZoneFactory()
        zone.municipalities.add(Municipality.objects.create(name=f"Municipality of {zone.key}"))


def zonal_plans(w, n):
    for _ in range(n):
        plan = ZonalSecurityPlanFactory(nsp=w.nsp, **APPROVED)
        IndicatorFactory(objective=ObjectiveFactory(plan=plan))


def regional_plans(w, n):
    for _ in range(n):
        RegionalSecurityPlan.objects.create(nsp=w.nsp, title="Regional plan", **w.next_period())


def programmes(w, n):
    for _ in range(n):
        programme = ProgrammeFactory(nsp=w.nsp)
        programme.phenomena.add(SecurityPhenomenonFactory(nsp=w.nsp, cluster__nsp=w.nsp))
        ObjectiveFactory(plan=programme)


def objectives(w, n):
    for _ in range(n):
        IndicatorFactory(objective=ObjectiveFactory(plan=w.plan))


def indicators(w, n):
    for _ in range(n):
        MeasurementFactory(indicator=IndicatorFactory(objective=w.objective))


def measurements(w, n):
    indicator = IndicatorFactory(objective=w.objective, frequency="monthly")
    for i in range(n):
        MeasurementFactory(indicator=indicator, period=f"{2001 + i // 12}-{i % 12 + 1:02d}", recorded_by=w.reader)


def actions(w, n):
    for _ in range(n):
        ActionFactory(objective=w.objective)


def comments(w, n):
    for _ in range(n):
        CommentFactory(plan=w.plan)


def alignments(w, n):
    for _ in range(n):
        alignment = NationalAlignmentFactory(
            plan=w.plan, phenomenon__nsp=w.nsp, phenomenon__cluster__nsp=w.nsp, adopted=True, justification=""
        )
        alignment.objectives.add(w.objective)


def expectations(w, n):
    for i in range(n):
        Expectation.objects.create(plan=w.plan, source="mayors", text=f"Expectation {i}")


def matrix_candidates(w, n):
    first = MatrixCandidate.objects.count()
    for i in range(first, first + n):
        candidate = MatrixCandidate.objects.create(plan=w.plan, label=f"Candidate {i}")
        MatrixScore.objects.create(plan=w.plan, candidate=candidate, source="mayors", score=3)


def transitions(w, n):
    for _ in range(n):
        PlanTransition.objects.create(plan=w.plan, from_status="draft", to_status="adopted", by=w.reader)


def reports(w, n):
    for _ in range(n):
        ReportRun.objects.create(kind="national_overview", scope="national", requested_by=w.reader)


# endpoint → (builder, queries for a page): the token and the user's roles (2), the user's global permissions
# where the plan rules ask for them (2), the count, the page, and one per prefetched relation.
PINNED = {
    "nsp-editions": (editions, 5),
    "clusters": (clusters, 5),
    "phenomena": (phenomena, 5),
    "themes": (themes, 5),
    "districts": (districts, 4),
    "zones": (zones, 5),
    "zonal-plans": (zonal_plans, 5),  # and the page's progress, totalled after paginating
    "regional-plans": (regional_plans, 4),
    "programmes": (programmes, 6),
    "objectives": (objectives, 4),
    "indicators": (indicators, 4),
    "measurements": (measurements, 4),
    "actions": (actions, 4),
    "comments": (comments, 4),
    "alignments": (alignments, 5),
    "expectations": (expectations, 4),
    "matrix-candidates": (matrix_candidates, 5),
    "transitions": (transitions, 4),
    "reports": (reports, 4),
}


@pytest.mark.parametrize("endpoint", list(PINNED))
def test_list_queries_are_fixed_and_pinned(endpoint):
    build, pinned = PINNED[endpoint]
    world = World()
    client = client_for(world.reader)
    url = f"{API}{endpoint}/"

    def read() -> int:
        client.get(url)  # warm the per-request caches that are not per-row (content types, roles)
        return count_queries(lambda: client.get(url, {"page_size": 500}))

    build(world, 10)
    ten = read()
    build(world, 90)
    rows = client.get(url, {"page_size": 500}).json()["count"]
    hundred = read()
    assert rows >= 100
    assert (ten, hundred) == (pinned, pinned), f"{endpoint}: {ten} queries for 10 rows, {hundred} for {rows}"
