"""The reads behind the zonal plan's page (``zones.selectors.plan_page``) and the indicator's page
(``nsp.selectors.indicator``/``indicator_page``): what a zone's chief sees of their own plan, and what another
zone's chief sees of it (nothing of a draft; an approved plan read-only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from nsp import progress
from nsp import selectors as core
from nsp.models import Objective, PlanStatus
from nsp.tests.test_views_scenario import build
from tests.factories import IndicatorFactory, MeasurementFactory, ObjectiveFactory, user_with_role
from zones import selectors
from zones.models import PlanSection

pytestmark = pytest.mark.django_db
S = PlanStatus
AS_OF = dt.date(2026, 12, 4)


def chiefs(world):
    return user_with_role("zone_chief", zone=world.zone), user_with_role("zone_chief", zone=world.other_zone)


def test_a_chief_reads_their_own_draft_with_their_rights():
    world = build(S.DRAFT)
    own, _ = chiefs(world)
    page = selectors.plan_page(own, pk=world.plan.pk, as_of=AS_OF)
    assert page["object"] == world.plan
    assert page["may"] == {"change": True, "delete": True, "workflow": True, "review": False, "record": False}
    assert [row.objective for row in page["tree"]] == [world.objective, world.child]
    assert [c.pk for c in page["comments"]] == [world.comment.pk]
    assert page["candidates"][0].total == 4
    assert page["expectations"] == [world.expectation]
    assert [row.priority for row in page["alignment_rows"]] == [*world.phenomena, world.theme]


def test_another_zones_chief_does_not_read_a_draft():
    world = build(S.DRAFT)
    _, other = chiefs(world)
    with pytest.raises(Http404):
        selectors.plan_page(other, pk=world.plan.pk, as_of=AS_OF)
    with pytest.raises(Http404):
        core.indicator(other, pk=world.indicator.pk, as_of=AS_OF)


def test_another_zones_chief_reads_an_approved_plan_without_rights():
    world = build(S.APPROVED)
    own, other = chiefs(world)
    assert selectors.plan_page(own, pk=world.plan.pk, as_of=AS_OF)["may"]["record"] is True
    page = selectors.plan_page(other, pk=world.plan.pk, as_of=AS_OF)
    assert page["object"] == world.plan
    assert not any(page["may"].values())
    assert [c.may_delete for c in page["comments"]] == [False]
    indicator = core.indicator(other, pk=world.indicator.pk, as_of=AS_OF)
    assert (indicator.may_change, indicator.may_delete) == (False, False)
    reads = core.indicator_page(other, indicator, as_of=AS_OF, current=indicator)
    assert reads["may_record"] is False
    assert [m.may_change for m in reads["measurements"]] == [False]
    own_reads = core.indicator_page(own, indicator, as_of=AS_OF)
    assert own_reads["may_record"] is True
    assert [m.may_change for m in own_reads["measurements"]] == [True]


def test_the_plan_and_its_tree_show_the_same_progress_as_the_annotations():
    world = build(S.APPROVED)
    leaf = ObjectiveFactory(plan=world.plan, parent=world.child, level="operational", code="O1", weight=3)
    MeasurementFactory(indicator=IndicatorFactory(objective=leaf), period="2021-Q2")
    own, _ = chiefs(world)
    page = selectors.plan_page(own, pk=world.plan.pk, as_of=AS_OF)
    annotated = {
        o.pk: (o.progress, o.progress_status)
        for o in progress.annotate_objectives(Objective.objects.filter(plan=world.plan), as_of=AS_OF)
    }
    assert {row.objective.pk: (row.progress, row.status) for row in page["tree"]} == pytest.approx(annotated)
    plan = progress.annotate_plans(type(world.plan).objects.filter(pk=world.plan.pk), as_of=AS_OF).get()
    assert page["object"].progress == pytest.approx(plan.progress)
    assert page["object"].progress_status == plan.progress_status
    assert [(row.depth, row.has_children, len(row.closes)) for row in page["tree"]] == [
        (0, True, 0),
        (1, True, 0),
        (2, False, 2),
    ]


@pytest.mark.parametrize("size", [2, 20])
def test_the_reads_do_not_grow_with_the_plan(size):
    world = build(S.APPROVED)
    for n in range(size):
        objective = ObjectiveFactory(plan=world.plan, parent=world.objective, level="tactical", code=f"T{n}")
        MeasurementFactory(indicator=IndicatorFactory(objective=objective), period="2021-Q1")
        MeasurementFactory(indicator=world.indicator, period=f"{2000 + n}-Q2")
        PlanSection.objects.create(plan=world.plan, title=f"Heading {n}", body="*Text*", position=n + 2)
    own, _ = chiefs(world)
    with CaptureQueriesContext(connection) as plan_reads:
        selectors.plan_page(own, pk=world.plan.pk, as_of=AS_OF)
    with CaptureQueriesContext(connection) as indicator_reads:
        indicator = core.indicator(own, pk=world.indicator.pk, as_of=AS_OF)
        core.indicator_page(own, indicator, as_of=AS_OF, current=indicator)
    # The user's roles and permissions (3), the plan with the rights, its tree (with its indicators and actions:
    # 3), the alignment (4), transitions, matrix, expectations, addenda, comments, the history (5 querysets;
    # nobody to name: factories write it), the plan document's sections (1).
    assert len(plan_reads) == 23, [q["sql"][:80] for q in plan_reads]
    # the indicator with its rights, its measurements, the right to record, its comments, the history (2)
    assert len(indicator_reads) == 6, [q["sql"][:80] for q in indicator_reads]


@pytest.mark.parametrize("status", [S.DRAFT, S.APPROVED])
def test_rights_as_columns_say_what_restrict_says(status):
    """``permissions.may_column`` selects the rule ``restrict`` filters on: the same answer for every right."""
    from nsp.permissions import ACTIONS, may_column
    from zones.models import ZonalSecurityPlan

    world = build(status)
    own, other = chiefs(world)
    people = [own, other, user_with_role("zone_planner", zone=world.zone), user_with_role("committee_member")]
    for user in people:
        row = (
            ZonalSecurityPlan.objects.filter(pk=world.plan.pk)
            .annotate(**{f"may_{a}": may_column(ZonalSecurityPlan, user, a) for a in ACTIONS})
            .get()
        )
        for action in ACTIONS:
            expected = ZonalSecurityPlan.objects.restrict(user, action).filter(pk=world.plan.pk).exists()
            assert bool(getattr(row, f"may_{action}")) is expected, (user, action)
