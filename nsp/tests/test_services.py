import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from nsp import services
from nsp.exceptions import DomainError
from nsp.models import Objective
from tests.factories import ObjectiveFactory, ZonalSecurityPlanFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_zone_planner_creates_objective_in_own_draft():
    plan = ZonalSecurityPlanFactory()
    planner = user_with_role("zone_planner", zone=plan.zone)
    objective = services.objective_create(actor=planner, plan=plan, level="strategic", title="Fewer burglaries")
    assert objective.plan_id == plan.pk
    assert objective.history.first().history_user == planner


def test_other_zone_cannot_see_draft_404_and_nothing_written():
    plan = ZonalSecurityPlanFactory()
    other = user_with_role("zone_chief", zone=ZonalSecurityPlanFactory().zone)
    with pytest.raises(Http404):
        services.objective_create(actor=other, plan=plan, level="strategic", title="x")
    assert not Objective.objects.filter(plan=plan).exists()


def test_approved_plan_structure_frozen_403():
    plan = ZonalSecurityPlanFactory(
        status="approved", approved_on=dt.date(2020, 6, 1), council_adopted_on=dt.date(2020, 3, 1)
    )
    planner = user_with_role("zone_planner", zone=plan.zone)
    with pytest.raises(PermissionDenied):
        services.objective_create(actor=planner, plan=plan, level="strategic", title="x")


def test_parent_in_other_plan_refused_with_message():
    plan = ZonalSecurityPlanFactory()
    planner = user_with_role("zone_planner", zone=plan.zone)
    foreign_parent = ObjectiveFactory(
        plan=ZonalSecurityPlanFactory(
            zone=plan.zone, period_start=dt.date(2014, 1, 1), period_end=dt.date(2019, 12, 31)
        )
    )
    with pytest.raises(DomainError) as exc:
        services.objective_create(actor=planner, plan=plan, level="tactical", title="x", parent=foreign_parent)
    assert "same plan" in exc.value.message or "another plan" in exc.value.message


def test_measurement_record_needs_approved_plan():
    plan = ZonalSecurityPlanFactory(
        status="approved", approved_on=dt.date(2020, 6, 1), council_adopted_on=dt.date(2020, 3, 1)
    )
    planner = user_with_role("zone_planner", zone=plan.zone)
    from tests.factories import IndicatorFactory

    indicator = IndicatorFactory(objective=ObjectiveFactory(plan=plan))
    m = services.measurement_record(actor=planner, indicator=indicator, period="2021-q2", value=Decimal("90"))
    assert m.period == "2021-Q2" and m.period_end == dt.date(2021, 6, 30)
    with pytest.raises(DomainError):
        services.measurement_record(actor=planner, indicator=indicator, period="2021-Q2", value=Decimal("1"))
    with pytest.raises(DomainError):
        services.measurement_record(actor=planner, indicator=indicator, period="2021", value=Decimal("1"))
