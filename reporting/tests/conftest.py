"""A small national picture: two districts, a zone each, an approved and a draft plan, a programme."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.factories import (
    ActionFactory,
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
    UserFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)

# Reports in these tests are "as at" the end of 2021, so the numbers do not move with the calendar.
PERIOD = "2021-Q4"
AS_OF = dt.date(2021, 12, 31)


@pytest.fixture
def celery_eager():
    """Run tasks in-process (the path embedded mode and tests without a broker take)."""
    from nsp.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def build_world():
    """Objects for the report tests; callable from transactional tests too."""
    w = SimpleNamespace()
    w.nsp = NationalSecurityPlanFactory(
        code="nsp-2016-2019",
        title="National Security Plan 2016-2019",
        period_start=dt.date(2016, 1, 1),
        period_end=dt.date(2019, 12, 31),
        extended_to=dt.date(2025, 12, 31),
    )
    w.cluster = SecurityClusterFactory(nsp=w.nsp, number=1, name="Traffic safety")
    w.other_cluster = SecurityClusterFactory(nsp=w.nsp, number=2, name="Drugs")
    w.phenomenon = SecurityPhenomenonFactory(nsp=w.nsp, cluster=w.cluster, number=1, name="Road safety")
    w.drugs = SecurityPhenomenonFactory(nsp=w.nsp, cluster=w.other_cluster, number=2, name="Drugs trafficking")
    w.theme = CrossCuttingThemeFactory(nsp=w.nsp, number=1, name="Information management")

    w.district_a = DistrictFactory(code="brussel-bruxelles", name="Brussel/Bruxelles")
    w.district_b = DistrictFactory(code="gent", name="Gent")
    w.zone_a = PoliceZoneFactory(number="5339", name_nl="Brussel-Hoofdstad/Elsene", district=w.district_a)
    w.zone_b = PoliceZoneFactory(number="5415", name_nl="Gent", district=w.district_b)

    # Zone A: an approved plan with one on-track and one off-track objective.
    w.plan_a = ZonalSecurityPlanFactory(
        zone=w.zone_a,
        nsp=w.nsp,
        title="Zonal security plan 5339 2020-2025",
        status="approved",
        approved_on=dt.date(2020, 6, 1),
    )
    w.road = ObjectiveFactory(plan=w.plan_a, code="S1", title="Fewer road accidents")
    w.road_indicator = IndicatorFactory(
        objective=w.road,
        name="Injury accidents",
        baseline_value=Decimal("100"),
        baseline_date=dt.date(2020, 1, 1),
        target_value=Decimal("80"),
        target_date=dt.date(2022, 1, 1),
    )
    MeasurementFactory(indicator=w.road_indicator, period="2021-Q3", value=Decimal("84"))
    w.burglary = ObjectiveFactory(plan=w.plan_a, code="S2", title="Fewer burglaries")
    w.burglary_indicator = IndicatorFactory(
        objective=w.burglary,
        name="Burglaries reported",
        baseline_value=Decimal("200"),
        baseline_date=dt.date(2020, 1, 1),
        target_value=Decimal("100"),
        target_date=dt.date(2022, 1, 1),
    )
    MeasurementFactory(indicator=w.burglary_indicator, period="2021-Q1", value=Decimal("195"))
    w.late_action = ActionFactory(
        objective=w.burglary,
        title="Prevention campaign",
        start_date=dt.date(2021, 1, 1),
        due_date=dt.date(2021, 6, 30),
        percent_complete=40,
        status="in_progress",
    )
    w.alignment = NationalAlignmentFactory(plan=w.plan_a, phenomenon=w.phenomenon, adopted=True, justification="")
    w.alignment.objectives.add(w.road)
    NationalAlignmentFactory(
        plan=w.plan_a, phenomenon=w.drugs, adopted=False, justification="Handled by the federal police."
    )

    # Zone B: a draft only its own chief and planners may read.
    w.draft_b = ZonalSecurityPlanFactory(zone=w.zone_b, nsp=w.nsp, title="Secret draft of Gent", status="draft")
    w.draft_objective = ObjectiveFactory(plan=w.draft_b, code="S1", title="Draft objective of Gent")

    # A federal programme tied to the road-safety phenomenon and to the theme.
    w.programme = ProgrammeFactory(nsp=w.nsp, title="Road safety programme", status="approved")
    w.programme.phenomena.add(w.phenomenon)
    w.programme.themes.add(w.theme)
    w.programme_objective = ObjectiveFactory(plan=w.programme, code="P1", title="Speed checks")
    ActionFactory(
        objective=w.programme_objective,
        title="Buy speed cameras",
        start_date=dt.date(2021, 1, 1),
        due_date=dt.date(2021, 12, 31),
        percent_complete=100,
        status="done",
    )

    w.chief_a = user_with_role("zone_chief", "chief.5339", zone=w.zone_a)
    w.planner_a = user_with_role("zone_planner", "planner.5339", zone=w.zone_a)
    w.chief_b = user_with_role("zone_chief", "chief.5415", zone=w.zone_b)
    w.committee = user_with_role("committee_member", "committee.member")
    w.federal = user_with_role("federal_planner", "federal.planner")
    w.nobody = UserFactory(username="no.role")
    return w


@pytest.fixture
def world(db):
    return build_world()
