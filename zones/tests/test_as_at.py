"""A zonal plan "as at" a past day (``zones.as_at``): its answers and workflow state read from its history.

The history rows the services write are dated now; each test moves the rows of its earlier steps back to the
day they stand for (``_recorded_on``), as a plan written over the years would have them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nsp.models import PlanStatus
from reporting import coverage
from reporting import selectors as reporting_selectors
from tests.factories import (
    CrossCuttingThemeFactory,
    NationalSecurityPlanFactory,
    ObjectiveFactory,
    SecurityPhenomenonFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)
from zones import as_at, services
from zones.models import NationalAlignment, ZonalSecurityPlan

pytestmark = pytest.mark.django_db
S = PlanStatus
WRITTEN = dt.date(2020, 1, 20)  # the answers given and the plan adopted
ASKED = dt.date(2020, 3, 31)  # the day the figures are asked as at
CHANGED = dt.date(2020, 6, 2)  # answers changed, plan submitted and approved


def _recorded_on(day: dt.date, hour: int = 12) -> None:
    """Every history row of answers and plans written so far (dated now) was recorded on ``day``."""
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    moved = timezone.now() - dt.timedelta(minutes=1)
    NationalAlignment.history.filter(history_date__gte=moved).update(history_date=when)
    ZonalSecurityPlan.history.filter(history_date__gte=moved).update(history_date=when)


@pytest.fixture
def world():
    """A plan answering three priorities and adopted on WRITTEN; on CHANGED its answers change and it is approved."""
    nsp = NationalSecurityPlanFactory(code="nsp", period_start=dt.date(2016, 1, 1), period_end=dt.date(2021, 12, 31))
    drugs, fraud = (SecurityPhenomenonFactory(nsp=nsp, cluster__nsp=nsp, number=n) for n in (1, 2))
    computer = CrossCuttingThemeFactory(nsp=nsp, number=1)
    plan = ZonalSecurityPlanFactory(nsp=nsp, period_start=dt.date(2020, 1, 1), period_end=dt.date(2025, 12, 31))
    chief = user_with_role("zone_chief", zone=plan.zone)
    reviewer = user_with_role("federal_reviewer", district=plan.zone.district)
    s1, s2 = ObjectiveFactory(plan=plan, code="S1"), ObjectiveFactory(plan=plan, code="S2")
    # Written: drugs adopted by S1, fraud not adopted, the theme adopted by S1.
    services.alignment_set(actor=chief, plan=plan, phenomenon=drugs, adopted=True, objectives=[s1])
    services.alignment_set(actor=chief, plan=plan, phenomenon=fraud, adopted=False, justification="Inspection's work.")
    services.alignment_set(actor=chief, plan=plan, theme=computer, adopted=True, objectives=[s1])
    services.plan_transition(actor=chief, plan=plan, to_status=S.ADOPTED, on_date=WRITTEN)
    _recorded_on(WRITTEN)
    # Changed: back to draft to rewrite, drugs now by S2, fraud adopted by S1, the theme's answer withdrawn;
    # then adopted, submitted and approved.
    services.plan_transition(actor=chief, plan=plan, to_status=S.DRAFT, reason="Rewrite the answers.")
    services.alignment_set(actor=chief, plan=plan, phenomenon=drugs, adopted=True, objectives=[s2])
    services.alignment_set(actor=chief, plan=plan, phenomenon=fraud, adopted=True, objectives=[s1])
    NationalAlignment.objects.get(plan=plan, theme=computer).delete()
    services.alignment_set(actor=chief, plan=plan, theme=computer, adopted=False, justification="Federal programme.")
    services.plan_transition(actor=chief, plan=plan, to_status=S.ADOPTED, on_date=CHANGED)
    services.plan_transition(actor=chief, plan=plan, to_status=S.SUBMITTED)
    services.plan_transition(actor=reviewer, plan=plan, to_status=S.APPROVED, on_date=CHANGED)
    _recorded_on(CHANGED)
    plan.refresh_from_db()
    return {"nsp": nsp, "plan": plan, "drugs": drugs, "fraud": fraud, "computer": computer, "s1": s1, "s2": s2}


def _read(world, day):
    plan = world["plan"]
    found = as_at.answers([plan.pk], day)
    return {
        "drugs": found[(plan.pk, "phenomenon", world["drugs"].pk)],
        "fraud": found[(plan.pk, "phenomenon", world["fraud"].pk)],
        "computer": found.get((plan.pk, "theme", world["computer"].pk)),
    }


def test_an_answer_changed_after_the_day_shows_its_old_value_as_at_the_day(world):
    s1, s2 = world["s1"].pk, world["s2"].pk
    then = _read(world, ASKED)
    assert (then["drugs"].adopted, then["drugs"].objective_ids, then["drugs"].objective_codes) == (True, (s1,), "S1")
    assert (then["fraud"].adopted, then["fraud"].justification) == (False, "Inspection's work.")
    # The theme's answer was deleted and given again after the day: the one standing then is read.
    assert (then["computer"].adopted, then["computer"].objective_ids) == (True, (s1,))
    assert [as_at.answer_state(then[k]) for k in ("drugs", "fraud", "computer")] == [
        "adopted",
        "not_adopted",
        "adopted",
    ]
    now = _read(world, None)
    assert (now["drugs"].objective_ids, now["fraud"].objective_ids) == ((s2,), (s1,))
    assert (now["computer"].adopted, now["computer"].justification) == (False, "Federal programme.")
    # The day of the change counts whole: as at it, the new answers.
    assert _read(world, CHANGED)["drugs"].objective_ids == (s2,)
    assert _read(world, CHANGED - dt.timedelta(days=1))["drugs"].objective_ids == (s1,)


def test_a_plan_approved_after_the_day_shows_its_earlier_status(world):
    plan = world["plan"]
    assert as_at.plan_statuses({plan.pk: plan.status}, ASKED) == {plan.pk: S.ADOPTED}
    assert as_at.plan_statuses({plan.pk: plan.status}, CHANGED) == {plan.pk: S.APPROVED}
    assert as_at.plan_statuses({plan.pk: plan.status}, None) == {plan.pk: S.APPROVED}


def test_a_day_before_anything_was_recorded_reads_the_plan_as_it_is_now(world):
    """A plan entered after the fact (seeded, imported) has no history that early: its rows as they are."""
    plan, before = world["plan"], WRITTEN - dt.timedelta(days=1)
    assert as_at.plan_statuses({plan.pk: plan.status}, before) == {plan.pk: S.APPROVED}
    assert _read(world, before)["drugs"].objective_ids == (world["s2"].pk,)


def _changes_stand_from_midnight_in_brussels(world, day: dt.date) -> None:
    """Move the changes of CHANGED to 00:30 on ``day`` (still the day before in UTC): they did not stand the
    day before; then to 23:30 the day before (already that day in UTC in winter, not in summer): they did."""
    ids = list(NationalAlignment.history.filter(history_date__date__gte=CHANGED).values_list("history_id", flat=True))
    assert ids
    rows = NationalAlignment.history.filter(history_id__in=ids)
    eve = day - dt.timedelta(days=1)
    rows.update(history_date=timezone.make_aware(dt.datetime.combine(day, dt.time(0, 30))))
    assert _read(world, eve)["drugs"].objective_ids == (world["s1"].pk,)
    assert _read(world, day)["drugs"].objective_ids == (world["s2"].pk,)
    rows.update(history_date=timezone.make_aware(dt.datetime.combine(eve, dt.time(23, 30))))
    assert _read(world, eve)["drugs"].objective_ids == (world["s2"].pk,)
    assert _read(world, eve - dt.timedelta(days=1))["drugs"].objective_ids == (world["s1"].pk,)


def test_the_end_of_the_day_is_midnight_in_brussels(world):
    """A day ends at midnight in the application's time zone (UTC+2 in June), not in UTC."""
    _changes_stand_from_midnight_in_brussels(world, CHANGED)


@pytest.mark.postgres
def test_the_end_of_the_day_on_postgresql_in_winter(world):
    """PostgreSQL compares ``timestamptz`` values: the day's end is 23:00 UTC in winter (UTC+1), 22:00 in summer."""
    _changes_stand_from_midnight_in_brussels(world, dt.date(2020, 12, 2))
    _changes_stand_from_midnight_in_brussels(world, CHANGED)


def test_the_coverage_matrix_as_at_the_day_shows_the_answers_and_state_of_then(world):
    committee = user_with_role("committee_member")
    plan = world["plan"]

    def matrix(day):
        found = coverage.coverage_matrix(user=committee, nsp=world["nsp"], as_of=day, zone=plan.zone)
        [zone] = found["zones"]
        return zone["plan_status"], {row["code"]: row["cells"][0]["state"] for row in found["priorities"]}

    assert matrix(ASKED) == (S.ADOPTED, {"P1": "adopted", "P2": "not_adopted", "T1": "adopted"})
    assert matrix(timezone.localdate()) == (S.APPROVED, {"P1": "adopted", "P2": "adopted", "T1": "not_adopted"})
    # The plan-status filter takes the state of the day too.
    then = coverage.coverage_matrix(
        user=committee, nsp=world["nsp"], as_of=ASKED, zone=plan.zone, plan_status="adopted"
    )
    assert [z["plan_id"] for z in then["zones"]] == [plan.pk]
    # One cell, opened as at the day: the answer then, adopted by S1.
    cell = coverage.zone_answer(
        user=committee, nsp=world["nsp"], kind="phenomenon", priority=world["drugs"], zone=plan.zone, as_of=ASKED
    )
    assert [o["code"] for o in cell["objectives"]] == ["S1"]
    assert cell["plan"]["status_label"] == str(S.ADOPTED.label)


def test_the_dashboard_and_the_alignment_report_as_at_the_day(world):
    committee = user_with_role("committee_member")
    plan = world["plan"]
    overview = reporting_selectors.overview(user=committee, as_of=ASKED, nsp=world["nsp"])
    counts = {row["status"]: row["count"] for row in overview["plans_by_status"]}
    assert (counts[S.ADOPTED], counts[S.APPROVED]) == (1, 0)
    [report] = reporting_selectors.alignment_plans(user=committee, plans=plan.__class__.objects.all(), as_of=ASKED)
    assert (report["status"], report["adopted"], report["not_adopted"]) == (S.ADOPTED, 2, 1)
    assert [(r["number"], r["objectives"], r["justification"]) for r in report["rows"]][:2] == [
        (1, f"S1 {world['s1'].title}", ""),
        (2, "", "Inspection's work."),
    ]
    [today] = reporting_selectors.alignment_plans(user=committee, plans=plan.__class__.objects.all())
    assert (today["status"], today["adopted"], today["not_adopted"]) == (S.APPROVED, 2, 1)


def test_a_plan_that_did_not_exist_yet_is_not_counted_as_at_the_day(world):
    """The next term's plan, written today for a period to come, did not exist as at a past day: the dashboard
    and the coverage matrix leave it out then and count it today. The loaded plan whose period had begun by the
    day (recorded later, like demo and imported data) still counts from its start."""
    committee = user_with_role("committee_member")
    plan = world["plan"]
    ZonalSecurityPlanFactory(
        nsp=world["nsp"],
        zone=plan.zone,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2031, 12, 31),
        status=S.ADOPTED,  # adopted by the council: the committee reads it
    )

    def plans(day):
        overview = reporting_selectors.overview(user=committee, as_of=day, nsp=world["nsp"])
        return sum(row["count"] for row in overview["plans_by_status"])

    assert plans(ASKED) == 1
    assert plans(timezone.localdate()) == 2
    assert [p.pk for p in reporting_selectors.scoped_plans(user=committee, nsp=world["nsp"], as_of=ASKED)] == [plan.pk]
    found = coverage.zone_plans(user=committee, nsp=world["nsp"], zones=[plan.zone], as_of=dt.date(2019, 6, 30))
    assert found == {}  # before the 2020-2025 plan's period and before today's draft was written: no plan then
    assert coverage.zone_plans(user=committee, nsp=world["nsp"], zones=[plan.zone], as_of=ASKED)[plan.zone_id] == plan


def test_the_as_at_reads_are_a_bounded_number_of_queries(world, django_assert_num_queries):
    """Whatever the number of plans: four queries for the answers as at a past day, one for the states."""
    more = [ZonalSecurityPlanFactory(nsp=world["nsp"]) for _ in range(3)]
    chief = user_with_role("admin")
    for other in more:
        services.alignment_set(actor=chief, plan=other, phenomenon=world["drugs"], adopted=False, justification="No.")
    _recorded_on(WRITTEN)
    ids = [world["plan"].pk, *(p.pk for p in more)]
    with django_assert_num_queries(4):
        assert len(as_at.answers(ids, ASKED)) == 3 + 3
    with django_assert_num_queries(3):  # nothing recorded that early: the live rows
        assert len(as_at.answers(ids, WRITTEN - dt.timedelta(days=1))) == 3 + 3
    with django_assert_num_queries(2):
        as_at.answers(ids, None)
    with django_assert_num_queries(1):
        as_at.plan_statuses(dict.fromkeys(ids, S.DRAFT), ASKED)
    with django_assert_num_queries(0):
        as_at.plan_statuses(dict.fromkeys(ids, S.DRAFT), None)


def test_overdue_indicators_and_the_plan_report_take_the_state_of_the_day(world):
    """Only approved plans record measurements: an indicator is overdue as at a day its plan was approved then."""
    from tests.factories import IndicatorFactory

    committee, plan = user_with_role("committee_member"), world["plan"]
    IndicatorFactory(objective=world["s1"], name="Burglaries reported")

    def overdue(day):
        found = reporting_selectors.overview(user=committee, as_of=day, nsp=world["nsp"])
        return [row["name"] for row in found["overdue_indicators"]]

    assert overdue(ASKED) == []  # adopted, not yet approved: nothing is due yet
    assert overdue(dt.date(2021, 6, 30)) == ["Burglaries reported"]  # approved on CHANGED, 2021-Q1 not measured
    then = reporting_selectors.plan_progress(user=committee, plan_id=plan.pk, as_of=ASKED)["plan"]
    assert (then["status"], then["status_label"]) == (S.ADOPTED, str(S.ADOPTED.label))
    today = reporting_selectors.plan_progress(user=committee, plan_id=plan.pk, as_of=timezone.localdate())["plan"]
    assert today["status"] == S.APPROVED
