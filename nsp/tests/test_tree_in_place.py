"""The objective tree built where it stands: new items at the end, inline forms (htmx) on the plan page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from nsp import services
from nsp.forms import ActionForm, IndicatorForm, ObjectiveForm
from nsp.models import Action, Indicator, Objective
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    ObjectiveFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

INDICATOR = {
    "name": "Burglaries",
    "unit": "reports",
    "baseline_value": Decimal("10"),
    "baseline_date": dt.date(2020, 1, 1),
    "target_value": Decimal("5"),
    "target_date": dt.date(2025, 12, 31),
    "direction": "decrease",
}
ACTION = {"title": "Patrol", "owner": "Team A", "start_date": dt.date(2021, 1, 1), "due_date": dt.date(2021, 12, 31)}


# --- new items at the end ----------------------------------------------------------------------------


def test_new_objectives_go_at_the_end_of_their_siblings():
    plan = ZonalSecurityPlanFactory()
    chief = user_with_role("zone_chief", zone=plan.zone)
    first = services.objective_create(actor=chief, plan=plan, level="strategic", title="First")
    second = services.objective_create(actor=chief, plan=plan, level="strategic", title="Second")
    child = services.objective_create(actor=chief, plan=plan, level="tactical", title="Child", parent=first)
    later = services.objective_create(actor=chief, plan=plan, level="tactical", title="Later", parent=first)
    assert (first.position, second.position) == (0, 1)
    assert (child.position, later.position) == (0, 1)
    assert list(Objective.objects.filter(plan=plan, parent=None).values_list("title", flat=True)) == ["First", "Second"]


def test_a_given_position_is_kept():
    plan = ZonalSecurityPlanFactory()
    chief = user_with_role("zone_chief", zone=plan.zone)
    services.objective_create(actor=chief, plan=plan, level="strategic", title="First")
    top = services.objective_create(actor=chief, plan=plan, level="strategic", title="Top", position=0)
    assert top.position == 0


def test_new_indicators_and_actions_go_at_the_end():
    objective = ObjectiveFactory()
    chief = user_with_role("zone_chief", zone=objective.plan.zone)
    IndicatorFactory(objective=objective, position=4)
    ActionFactory(objective=objective, position=7)
    indicator = services.indicator_create(actor=chief, objective=objective, **INDICATOR)
    action = services.action_create(actor=chief, objective=objective, **ACTION)
    assert indicator.position == 5
    assert action.position == 8
    assert list(objective.indicators.all())[-1] == indicator
    assert list(objective.actions.order_by("position", "pk"))[-1] == action


@pytest.mark.parametrize("form_class", [ObjectiveForm, IndicatorForm, ActionForm])
def test_the_add_forms_leave_the_position_empty(form_class):
    plan = ZonalSecurityPlanFactory()
    form = form_class(plan=plan) if form_class is ObjectiveForm else form_class()
    assert not form.fields["position"].required
    assert form["position"].value() in (None, "")


def test_the_add_page_puts_a_new_objective_at_the_end(client):
    plan = ZonalSecurityPlanFactory()
    chief = user_with_role("zone_chief", zone=plan.zone)
    ObjectiveFactory(plan=plan, level="strategic", title="Old", position=3)
    client.force_login(chief)
    data = {"level": "strategic", "kind": "priority", "title": "New", "weight": "1", "position": ""}
    response = client.post(reverse("objective-add", kwargs={"pk": plan.pk}), data)
    assert response.status_code == 302
    assert Objective.objects.get(title="New").position == 4
