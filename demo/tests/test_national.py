"""generate_national: deterministic, complete, valid row by row, every status, and it keeps to its own database.

Two zones only (the real data set has 178): what holds for two holds for every zone, since each zone's plans
come from the same code with a random generator of its own.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction

from demo.national import MARK, NationalGenerator, current_edition, terms
from nsp import progress
from nsp.exceptions import DomainError
from nsp.models import Action, Comment, Indicator, Measurement, NationalSecurityPlan, Objective, PlanStatus
from programmes.models import Programme
from tests.factories import ZonalSecurityPlanFactory
from zones.models import NationalAlignment, PlanTransition, PoliceZone, ZonalSecurityPlan

TODAY = dt.date(2026, 12, 2)
ZONES = 2
SCALE = 2


def generate(**options):
    return NationalGenerator(**{"today": TODAY, "zones": ZONES, "scale": SCALE, **options}).run()


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """Two zones at scale 2, written once for the module (rolled back at its end); each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate()
        transaction.set_rollback(True)


@pytest.fixture
def summary(generated, db):
    return generated


def fingerprint(plan: ZonalSecurityPlan) -> list[tuple]:
    """What a plan holds, without ids: the same seed must give the same rows."""
    return [
        (plan.title, str(plan.keep_tolerance), plan.approved_on),
        *Objective.objects.filter(plan=plan).order_by("code").values_list("code", "title", "weight", "level"),
        *Indicator.objects.filter(plan=plan)
        .order_by("objective__code", "position")
        .values_list("objective__code", "name", "direction", "frequency", "baseline_value", "target_value"),
        *Measurement.objects.filter(plan=plan)
        .order_by("indicator__objective__code", "indicator__position", "period")
        .values_list("indicator__name", "period", "value"),
        *Action.objects.filter(plan=plan).order_by("objective__code", "position").values_list("title", "status"),
    ]


def current_plans() -> list[ZonalSecurityPlan]:
    return list(ZonalSecurityPlan.objects.filter(status=PlanStatus.APPROVED).order_by("zone__key"))


def test_every_zone_gets_its_current_approved_plan_with_the_promised_shape(summary):
    plans = current_plans()
    zones = PoliceZone.objects.filter(status=PoliceZone.Status.ACTIVE).order_by("key")[:ZONES]
    assert [p.zone_id for p in plans] == [z.pk for z in zones]
    assert summary.edition == current_edition(TODAY).code
    for plan in plans:
        objectives = Objective.objects.filter(plan=plan)
        assert objectives.count() == 20
        assert set(objectives.values_list("level", flat=True)) == set(Objective.Level.values)
        assert set(objectives.values_list("domain", flat=True)) == set(Objective.Domain.values)
        indicators = Indicator.objects.filter(plan=plan)
        assert indicators.count() == 150
        assert set(indicators.values_list("frequency", flat=True)) == set(Indicator.Frequency.values)
        assert set(indicators.values_list("direction", flat=True)) == set(Indicator.Direction.values)
        quarters = Measurement.objects.filter(plan=plan, indicator__frequency="quarterly")
        assert quarters.values("period").distinct().count() == 16
        assert Action.objects.filter(plan=plan).count() == 40
        assert Comment.objects.filter(plan=plan).count() == 3
        assert list(PlanTransition.objects.filter(plan=plan).values_list("to_status", flat=True)) == [
            PlanStatus.ADOPTED,
            PlanStatus.SUBMITTED,
            PlanStatus.APPROVED,
        ]
        # An answer for every national priority, adopted by objectives of the plan or justified.
        phenomena = plan.nsp.phenomena.filter(is_national_priority=True).count()
        themes = plan.nsp.themes.filter(is_national_priority=True).count()
        answers = NationalAlignment.objects.filter(plan=plan)
        assert answers.count() == phenomena + themes
        for answer in answers:
            assert answer.objectives.exists() if answer.adopted else answer.justification
    assert Programme.objects.count() == current_edition(TODAY).themes.count()
    assert summary.created["users"] >= 2 * ZONES


def test_scale_adds_earlier_closed_periods(summary):
    closed = ZonalSecurityPlan.objects.filter(status=PlanStatus.CLOSED)
    assert closed.count() == (SCALE - 1) * ZONES
    assert all(p.closed_on and p.council_adopted_on for p in closed)
    assert Indicator.objects.filter(plan__in=closed).count() == 150 * ZONES * (SCALE - 1)
    current, *earlier = terms(scale=3, today=TODAY, edition=current_edition(TODAY))
    assert [t.start.year for t in earlier] == [current.start.year - 6, current.start.year - 12]


def test_every_status_and_overdue_occur(summary):
    plan = current_plans()[0]
    annotated = progress.annotate_indicators(Indicator.objects.filter(plan=plan), as_of=TODAY)
    statuses = {i.progress_status for i in annotated}
    assert statuses >= {s.value for s in progress.ProgressStatus if s != progress.ProgressStatus.CANCELLED}
    assert any(i.overdue for i in annotated) and not all(i.overdue for i in annotated)
    actions = progress.annotate_actions(Action.objects.filter(plan=plan), as_of=TODAY)
    assert {a.progress_status for a in actions} >= {"cancelled", "achieved"}


def test_rows_pass_validation_and_every_row_has_its_history(summary):
    plan = current_plans()[0]
    samples = {
        ZonalSecurityPlan: ZonalSecurityPlan.objects.all(),
        Objective: Objective.objects.filter(plan=plan).select_related("parent"),
        Indicator: Indicator.objects.filter(plan=plan).select_related("objective"),
        # One measurement per indicator of the plan: every frequency and direction.
        Measurement: Measurement.objects.filter(
            plan=plan, period__in=["2025-Q4", "2025-12", "2025-H2", "2025"]
        ).select_related("indicator"),
        Action: Action.objects.filter(plan=plan).select_related("objective"),
        Comment: Comment.objects.filter(plan=plan),
        NationalAlignment: NationalAlignment.objects.filter(plan=plan),
    }
    for model, rows in samples.items():
        for row in rows:
            row.full_clean(validate_constraints=False)  # the database checked its constraints on insert
        recorded = model.history.filter(history_change_reason__startswith=MARK).values("id").distinct().count()
        assert recorded == model.objects.count(), model
    links = NationalAlignment.objectives.through.objects.count()
    m2m_history = apps.get_model("zones", "HistoricalNationalAlignment_objectives")
    assert m2m_history.objects.count() == links > 0


def test_same_seed_same_data_and_a_zone_s_current_plan_is_the_same_at_every_scale(summary):
    plan = current_plans()[-1]
    before = fingerprint(plan)
    ZonalSecurityPlan.objects.filter(zone=plan.zone).delete()
    again = generate(scale=1)
    assert again.created["zonal plans"] == 1 and again.skipped == ZONES - 1
    assert fingerprint(current_plans()[-1]) == before


def test_a_second_run_writes_nothing(summary):
    again = generate()
    assert not again.created and again.skipped == ZONES * SCALE


def test_refuses_plans_it_did_not_make_unless_forced(summary):
    other = ZonalSecurityPlanFactory(nsp=current_edition(TODAY))
    out = io.StringIO()
    options = ["--zones", str(ZONES), "--scale", str(SCALE), "--today", TODAY.isoformat()]
    with pytest.raises(CommandError, match="did not write"):
        call_command("generate_national", *options, stdout=out)
    call_command("generate_national", *options, "--force", stdout=out)
    assert ZonalSecurityPlan.objects.filter(pk=other.pk).exists()
    assert f"National data (scale {SCALE}, seed 1" in out.getvalue()
    assert "Written in this run: nothing" in out.getvalue()


def test_refuses_data_of_another_seed(summary):
    with pytest.raises(DomainError, match="another seed"):
        generate(seed=5)


def test_the_edition_is_found_by_date_not_by_code(summary):
    edition = current_edition(TODAY)
    later = NationalSecurityPlan.objects.create(
        code="later-edition",
        title="Later",
        period_start=TODAY - dt.timedelta(days=10),
        period_end=TODAY.replace(year=TODAY.year + 3),
    )
    assert current_edition(TODAY) == later
    assert current_edition(TODAY - dt.timedelta(days=11)) == edition


def test_the_tables_written_have_planner_statistics(summary):
    """A bulk load is analysed at its end: without statistics PostgreSQL plans as if the tables were empty."""
    from django.db import connection

    table = Measurement._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            assert cursor.fetchone()[0] > 0
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
            assert cursor.fetchone()[0] > 0
