"""Database constraints refuse what must never be false, at the database and in full_clean, with clear messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from nsp.exceptions import DomainError
from nsp.models import Action, Indicator, Measurement, Objective, Plan
from nsp.services import readable_integrity_errors
from tests.factories import (
    ActionFactory,
    CommentFactory,
    IndicatorFactory,
    MeasurementFactory,
    NationalAlignmentFactory,
    NationalSecurityPlanFactory,
    ObjectiveFactory,
    PoliceZoneFactory,
    ProgrammeFactory,
    ZonalSecurityPlanFactory,
)
from zones.models import NationalAlignment, PoliceZone, ZonalSecurityPlan

pytestmark = pytest.mark.django_db


def refused_by_database(make, rule: str) -> str:
    """Run ``make`` (which writes without full_clean); the database must refuse it naming ``rule``."""
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        make()
    with pytest.raises(DomainError) as readable, transaction.atomic(), readable_integrity_errors():
        make()
    assert rule in str(exc.value) or rule in readable.value.extra.get("constraint", "") or readable.value.message
    return readable.value.message


def refused_by_full_clean(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    return exc.value.message_dict


# --- plans --------------------------------------------------------------------------------------------


def test_one_plan_per_zone_and_period():
    plan = ZonalSecurityPlanFactory()
    duplicate = ZonalSecurityPlan(
        zone=plan.zone, nsp=plan.nsp, title="Again", period_start=plan.period_start, period_end=plan.period_end
    )
    assert "This zone already has a plan for that period." in str(refused_by_full_clean(duplicate))
    message = refused_by_database(
        lambda: ZonalSecurityPlan.objects.create(
            zone=plan.zone, nsp=plan.nsp, title="Again", period_start=plan.period_start, period_end=plan.period_end
        ),
        "nsp_plan_one_per_zone_and_period",
    )
    assert message == "This zone already has a plan for that period."
    assert ZonalSecurityPlan.objects.filter(zone=plan.zone).count() == 1


def test_period_ends_after_it_starts():
    plan = ZonalSecurityPlanFactory.build(
        zone=PoliceZoneFactory(),
        nsp=NationalSecurityPlanFactory(),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2020, 1, 1),
    )
    assert refused_by_full_clean(plan)["period_end"] == ["The period must end after it starts."]
    message = refused_by_database(lambda: plan.save(), "nsp_plan_period_order")
    assert message == "The period must end after it starts."
    edition = NationalSecurityPlanFactory.build(period_start=dt.date(2020, 1, 1), period_end=dt.date(2019, 1, 1))
    assert "The period must end after it starts." in str(refused_by_full_clean(edition))


def test_zonal_plan_needs_a_zone_and_other_plans_have_none():
    nsp = NationalSecurityPlanFactory()
    no_zone = ZonalSecurityPlan(nsp=nsp, title="x", period_start=dt.date(2020, 1, 1), period_end=dt.date(2025, 12, 31))
    assert "zone" in refused_by_full_clean(no_zone)
    programme = ProgrammeFactory(nsp=nsp)
    refused_by_database(
        lambda: Plan.objects.filter(pk=programme.pk).update(zone=PoliceZoneFactory()), "nsp_plan_zone_iff_zonal"
    )


# --- objectives ---------------------------------------------------------------------------------------


def test_objective_parent_must_be_in_the_same_plan():
    parent = ObjectiveFactory()
    other_plan = ZonalSecurityPlanFactory(zone=PoliceZoneFactory())
    child = Objective(plan=other_plan, parent=parent, level="tactical", title="Child")
    assert refused_by_full_clean(child)["parent"] == ["The parent objective must belong to the same plan."]
    message = refused_by_database(
        lambda: Objective.objects.create(plan=other_plan, parent=parent, level="tactical", title="Child"),
        "nsp_objective_parent_same_plan",
    )
    assert message == "The parent objective must belong to the same plan."
    assert not Objective.objects.filter(plan=other_plan).exists()


def test_objective_levels_and_parents():
    strategic = ObjectiveFactory()
    wrong = Objective(plan=strategic.plan, parent=strategic, level="operational", title="Skips a level")
    assert "cannot sit under" in refused_by_full_clean(wrong)["parent"][0]
    refused_by_database(
        lambda: Objective.objects.create(plan=strategic.plan, parent=strategic, level="strategic", title="x"),
        "nsp_objective_strategic_has_no_parent",
    )


def test_planning_rows_are_owned_by_exactly_one_plan_and_never_move():
    indicator = IndicatorFactory()
    other_plan = ZonalSecurityPlanFactory(zone=PoliceZoneFactory())
    for model, pk in ((Objective, indicator.objective_id), (Indicator, indicator.pk)):
        message = refused_by_database(
            lambda model=model, pk=pk: model.objects.filter(pk=pk).update(plan=other_plan),
            f"{model._meta.db_table}_fixed_plan",
        )
        assert message == "A planning item cannot move to another plan."
    # Without a plan at all: NOT NULL.
    with pytest.raises(IntegrityError), transaction.atomic():
        Objective.objects.create(plan_id=None, level="strategic", title="Orphan")
    # An indicator cannot hang under an objective of another plan.
    refused_by_database(
        lambda: Indicator.objects.create(
            plan=other_plan,
            objective=indicator.objective,
            name="x",
            unit="x",
            baseline_value=1,
            baseline_date=dt.date(2020, 1, 1),
            target_value=2,
            target_date=dt.date(2021, 1, 1),
            direction="increase",
        ),
        "nsp_indicator_objective_same_plan",
    )
    assert indicator.plan_id == Indicator.objects.get(pk=indicator.pk).plan_id


# --- indicators, measurements, actions ----------------------------------------------------------------


def test_indicator_target_matches_direction_and_comes_after_baseline():
    objective = ObjectiveFactory()
    wrong_way = IndicatorFactory.build(
        objective=objective, plan=objective.plan, direction="increase", baseline_value=100, target_value=80
    )
    assert "above the baseline" in str(refused_by_full_clean(wrong_way))
    refused_by_database(lambda: wrong_way.save(), "nsp_indicator_target_matches_direction")
    early = IndicatorFactory.build(
        objective=objective, plan=objective.plan, baseline_date=dt.date(2025, 1, 1), target_date=dt.date(2024, 1, 1)
    )
    assert refused_by_full_clean(early)["target_date"] == ["The target date must come after the baseline date."]
    refused_by_database(lambda: early.save(), "nsp_indicator_target_after_baseline")


def test_one_measurement_per_indicator_and_period():
    measurement = MeasurementFactory(period="2021-Q1")
    again = Measurement(
        plan=measurement.plan,
        indicator=measurement.indicator,
        period="2021-Q1",
        value=Decimal("3"),
        period_start=measurement.period_start,
        period_end=measurement.period_end,
    )
    assert "already has a measurement for that period" in str(refused_by_full_clean(again))
    message = refused_by_database(lambda: again.save(), "nsp_measurement_one_per_period")
    assert message == "This indicator already has a measurement for that period."


def test_measurement_period_is_checked():
    indicator = IndicatorFactory()
    bad = Measurement(plan=indicator.plan, indicator=indicator, period="2021-Q5", value=1)
    assert "not a period" in refused_by_full_clean(bad)["period"][0]
    yearly = Measurement(plan=indicator.plan, indicator=indicator, period="2021", value=1)
    assert "measured quarterly" in refused_by_full_clean(yearly)["period"][0]
    refused_by_database(
        lambda: Measurement.objects.create(
            plan=indicator.plan,
            indicator=indicator,
            period="21-Q1",
            value=1,
            period_start=dt.date(2021, 1, 1),
            period_end=dt.date(2021, 3, 31),
        ),
        "nsp_measurement_period_format",
    )


def test_percent_complete_between_0_and_100_and_done_is_complete():
    action = ActionFactory()
    action.percent_complete = 120
    assert "percent_complete" in refused_by_full_clean(action)
    message = refused_by_database(
        lambda: Action.objects.filter(pk=action.pk).update(percent_complete=101), "nsp_action_percent_range"
    )
    assert message == "Percent complete must lie between 0 and 100."
    message = refused_by_database(
        lambda: Action.objects.filter(pk=action.pk).update(status="done", percent_complete=40),
        "nsp_action_done_is_complete",
    )
    assert message == "A done action is 100 % complete."
    refused_by_database(
        lambda: Action.objects.filter(pk=action.pk).update(due_date=dt.date(2000, 1, 1)), "nsp_action_due_after_start"
    )
    action.refresh_from_db()
    assert action.percent_complete == 0 and action.status == "planned"


def test_integer_bounds_are_the_same_on_every_database():
    """SQLite would store any 64-bit integer; validation refuses what PostgreSQL would, on both."""
    objective = ObjectiveFactory(level="operational")
    objective.year, objective.position = 1999, 2**31
    errors = refused_by_full_clean(objective)
    assert errors["year"] == ["Ensure this value is greater than or equal to 2000."]
    assert errors["position"] == ["Ensure this value is less than or equal to 2147483647."]
    objective.year, objective.position = 2101, 0
    assert refused_by_full_clean(objective) == {"year": ["Ensure this value is less than or equal to 2100."]}


def test_comment_has_one_target_and_text():
    comment = CommentFactory()
    objective = ObjectiveFactory(plan=comment.plan)
    action = ActionFactory(objective=objective, plan=comment.plan)
    comment.objective, comment.action = objective, action
    assert "not several" in str(refused_by_full_clean(comment))
    refused_by_database(lambda: comment.save(), "nsp_comment_one_target")


# --- zones and alignment ------------------------------------------------------------------------------


def test_alignment_not_adopted_needs_a_justification():
    alignment = NationalAlignmentFactory.build(
        plan=ZonalSecurityPlanFactory(),
        phenomenon=NationalAlignmentFactory().phenomenon,
        adopted=False,
        justification="",
    )
    assert "Say why" in str(refused_by_full_clean(alignment))
    message = refused_by_database(lambda: alignment.save(), "zones_alignment_justified")
    assert message == "Say why the plan does not adopt this national priority."
    assert not NationalAlignment.objects.filter(plan=alignment.plan).exists()


def test_alignment_objectives_belong_to_the_plan():
    alignment = NationalAlignmentFactory(adopted=True, justification="")
    foreign = ObjectiveFactory()
    refused_by_database(lambda: alignment.objectives.add(foreign), "zones_alignment_objective_same_plan")
    assert not alignment.objectives.exists()


def test_zone_number_has_four_digits():
    zone = PoliceZone(key="x", number="53x9", name_nl="PZ X")
    assert "four digits" in str(refused_by_full_clean(zone))
    refused_by_database(lambda: zone.save(), "zones_zone_number_format")


def test_measurement_lists_are_ordered_on_their_own_columns():
    # Ordering by "indicator" expanded through Indicator's, Objective's and Plan's orderings: every page of
    # GET /api/v1/measurements/ joined four tables to sort every readable measurement.
    sql = str(Measurement.objects.all().query)

    assert " JOIN " not in sql
    assert sql.endswith('ORDER BY "nsp_measurement"."indicator_id" ASC, "nsp_measurement"."period_end" ASC')


def test_measurements_of_an_indicator_come_in_period_order():
    indicator = IndicatorFactory(frequency="quarterly")
    later = MeasurementFactory(indicator=indicator, period="2021-Q2")
    earlier = MeasurementFactory(indicator=indicator, period="2021-Q1")
    other = MeasurementFactory(indicator=IndicatorFactory(plan=indicator.plan, objective=indicator.objective))

    assert list(Measurement.objects.filter(plan=indicator.plan)) == [earlier, later, other]
