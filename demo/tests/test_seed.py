"""seed_demo: the demonstration data set is complete, deterministic in content and idempotent.

The data set is written once per module (it takes seconds) inside a transaction rolled back at the end;
each test runs in a savepoint of it, so tests that write (the second run) leave nothing behind.
"""

from __future__ import annotations

import datetime as dt
import io
from itertools import pairwise

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from demo import content
from demo.seed import DemoSeeder, current_term
from demo.specs import Transition
from nsp import progress
from nsp.exceptions import DomainError
from nsp.models import Action, Comment, Indicator, Measurement, NationalSecurityPlan, Objective, PlanStatus, RoleGroup
from nsp.permissions import user_roles
from programmes.models import Programme
from zones import selectors
from zones.models import Addendum, LocalPoliceVision, NationalAlignment, PlanTransition, ZonalSecurityPlan

S = PlanStatus
REQUIRED_USERS = {
    "admin": None,
    "federal.planner": "federal_planner",
    "programme.manager": "programme_manager",
    "reviewer.brussels": "federal_reviewer",
    "chief.5339": "zone_chief",
    "planner.5339": "zone_planner",
    "chief.5415": "zone_chief",
    "cppl.member": "cppl_member",
    "committee.member": "committee_member",
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The command's output after seeding a database that holds nothing yet (no reference data either)."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        with override_settings(DEMO=True):
            call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def user(seeded, db):
    return lambda username: get_user_model().objects.get(username=username)


def plan(zone: str, start_year: int) -> ZonalSecurityPlan:
    return ZonalSecurityPlan.objects.get(zone__number=zone, period_start__year=start_year)


def term_start() -> int:
    return current_term(timezone.localdate()).start.year


def demo_plans():
    return ZonalSecurityPlan.objects.filter(
        zone__number__in=[p.zone for p in content.plans(current_term(timezone.localdate()))]
    )


# --- dates: the seed works on any day from 2026 on -------------------------------------------------


def test_current_term_is_the_municipal_term_containing_the_day():
    assert (current_term(dt.date(2026, 11, 29)).start, current_term(dt.date(2026, 11, 29)).end) == (
        dt.date(2026, 1, 1),
        dt.date(2031, 12, 31),
    )
    assert current_term(dt.date(2031, 12, 31)).start == dt.date(2026, 1, 1)
    assert current_term(dt.date(2032, 1, 1)).start == dt.date(2032, 1, 1)


@pytest.mark.parametrize("day", [dt.date(2026, 1, 1), dt.date(2028, 7, 14), dt.date(2031, 12, 31), dt.date(2032, 1, 1)])
def test_every_workflow_date_lies_before_the_day_and_plans_do_not_overlap(day):
    plans = content.plans(current_term(day))
    for spec in plans:
        dates = [step.on_date for step in spec.script if isinstance(step, Transition) and step.on_date]
        assert all(date <= day for date in dates), spec.zone
        assert dates == sorted(dates), spec.zone
    for zone in {spec.zone for spec in plans}:
        spans = sorted((spec.start, spec.end) for spec in plans if spec.zone == zone)
        assert all(end < start for (_s, end), (start, _e) in pairwise(spans)), zone


def test_refuses_a_day_before_the_demonstration_period():
    with pytest.raises(DomainError):
        DemoSeeder(today=dt.date(2025, 12, 31)).run()


# --- demo mode -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_refuses_outside_demo_mode(settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match=r"Demo mode is off.*--force"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()


# --- users, roles, scopes ----------------------------------------------------------------------------


def test_every_demo_user_logs_in_with_the_demo_password_and_holds_the_role(user, client):
    for username, role in REQUIRED_USERS.items():
        assert client.login(username=username, password="demo"), username
        client.logout()
        account = user(username)
        assert account.first_name and account.last_name
        if role is None:
            assert account.is_superuser
        else:
            assert user_roles(account) == {role}, username
    scopes = {
        rg.group.user_set.get().username: rg.scope
        for rg in RoleGroup.objects.filter(group__user__username__in=REQUIRED_USERS).select_related("group")
        if rg.scope is not None
    }
    assert scopes["chief.5339"].number == scopes["planner.5339"].number == "5339"
    assert scopes["chief.5415"].number == "5415"
    assert scopes["reviewer.brussels"].code == "brussel-bruxelles"
    assert scopes["programme.manager"].code == "prog-cybercrime"


def test_scopes_follow_the_permission_matrix(user):
    draft_5339 = plan("5339", term_start())
    assert draft_5339.status == S.DRAFT
    assert ZonalSecurityPlan.objects.restrict(user("chief.5339"), "view").filter(pk=draft_5339.pk).exists()
    assert ZonalSecurityPlan.objects.restrict(user("planner.5339"), "change").filter(pk=draft_5339.pk).exists()
    assert not ZonalSecurityPlan.objects.restrict(user("chief.5415"), "view").filter(pk=draft_5339.pk).exists()
    submitted_5340 = plan("5340", term_start())
    assert submitted_5340.status == S.SUBMITTED
    reviewable = ZonalSecurityPlan.objects.restrict(user("reviewer.brussels"), "review")
    assert reviewable.filter(pk=submitted_5340.pk).exists()
    assert not reviewable.filter(zone__number="5415").exists()
    managed = Programme.objects.restrict(user("programme.manager"), "change")
    assert list(managed.values_list("code", flat=True)) == ["prog-cybercrime"]


# --- plans and their workflow -------------------------------------------------------------------------


def test_plans_in_every_workflow_state_for_at_least_six_zones(seeded, db):
    plans = demo_plans()
    assert plans.values("zone").distinct().count() >= 6
    assert set(plans.values_list("status", flat=True)) == set(S.values)
    for zone in ("5339", "5415"):
        earlier = plans.filter(zone__number=zone, period_end__lt=current_term(timezone.localdate()).start)
        assert earlier.filter(status__in=[S.APPROVED, S.CLOSED]).exists(), zone
        assert plan(zone, term_start()).status == S.DRAFT
    assert {plan("5339", 2014).status, plan("5415", 2020).status} == {S.CLOSED, S.APPROVED}
    assert plans.filter(status=S.SUBMITTED, zone__district__code="brussel-bruxelles").exists()


def test_workflow_history_names_who_did_what(user):
    closed = plan("5339", 2014)
    steps = list(PlanTransition.objects.filter(plan=closed).order_by("pk").values_list("to_status", "by__username"))
    assert steps == [
        (S.ADOPTED, "chief.5339"),
        (S.SUBMITTED, "chief.5339"),
        (S.APPROVED, "reviewer.brussels"),
        (S.DRAFT, "chief.5339"),  # reopened for the addendum
        (S.ADOPTED, "chief.5339"),
        (S.SUBMITTED, "chief.5339"),
        (S.APPROVED, "reviewer.brussels"),
        (S.CLOSED, "chief.5339"),
    ]
    assert closed.council_adopted_on.year == 2016 and closed.approved_on.year == 2016
    assert Addendum.objects.filter(plan=closed, approved_on__isnull=False).exists()
    returned = PlanTransition.objects.get(plan=plan("5343", term_start()), to_status=S.DRAFT)
    assert returned.from_status == S.SUBMITTED and returned.by == user("reviewer.brussels") and returned.reason
    reopened = plan("5344", term_start())
    assert reopened.status == S.DRAFT and reopened.approved_on is not None
    assert Addendum.objects.get(plan=reopened).approved_on is None
    draft = plan("5339", term_start())
    authors = set(Objective.history.filter(plan_id=draft.pk).values_list("history_user__username", flat=True))
    assert authors == {"planner.5339"}


def test_plan_5314_is_built_like_the_real_plan(seeded, db):
    condroz = plan("5314", 2020)
    assert condroz.status == S.APPROVED
    texts = dict(condroz.sections.exclude(key="").values_list("key", "body"))
    assert texts["environment"] and texts["mission"] and texts["vision"] and texts["values"]
    assert condroz.sections.filter(key="", parent__key="environment").exists()  # a heading of its own
    assert {"mayors", "prosecutor", "nsp", "partners"} <= set(condroz.expectations.values_list("source", flat=True))
    chosen = condroz.matrix_candidates.filter(chosen=True)
    assert chosen.count() >= 4 and not chosen.filter(objective__isnull=True).exists()
    assert condroz.matrix_candidates.filter(chosen=False).exists()
    assert all(c.scores.count() >= 4 for c in condroz.matrix_candidates.all())
    strategic = Objective.objects.filter(plan=condroz, level=Objective.Level.STRATEGIC)
    assert set(strategic.values_list("domain", flat=True)) == set(Objective.Domain.values)


# --- content ---------------------------------------------------------------------------------------


def test_objectives_indicators_and_actions_cover_the_model(seeded, db):
    objectives = Objective.objects.all()
    assert set(objectives.values_list("level", flat=True)) == set(Objective.Level.values)
    assert not objectives.filter(level=Objective.Level.OPERATIONAL, year__isnull=True).exists()
    assert set(objectives.values_list("kind", flat=True)) == set(Objective.Kind.values)
    indicators = Indicator.objects.all()
    assert set(indicators.values_list("direction", flat=True)) == set(Indicator.Direction.values)
    assert len(set(indicators.values_list("source", flat=True))) >= 3
    frequencies = list(indicators.values_list("frequency", flat=True))
    assert len(set(frequencies)) >= 2 and frequencies.count("quarterly") > len(frequencies) / 2
    statuses = set(Action.objects.values_list("status", flat=True))
    assert {Action.Status.DONE, Action.Status.IN_PROGRESS, Action.Status.CANCELLED} <= statuses


def test_every_progress_status_and_the_overdue_flag_appear(seeded, db):
    today = timezone.localdate()
    measured = Indicator.objects.filter(plan__status__in=[S.APPROVED, S.CLOSED])
    rows = list(progress.annotate_indicators(measured, as_of=today).values("progress_status", "overdue"))
    assert {row["progress_status"] for row in rows} >= {"achieved", "on_track", "at_risk", "off_track", "no_data"}
    assert any(row["overdue"] for row in rows)
    longest = max(Indicator.objects.filter(frequency="quarterly"), key=lambda i: i.measurements.count())
    assert longest.measurements.count() >= 6


def test_some_actions_are_late(seeded, db):
    actions = progress.annotate_actions(Action.objects.all(), as_of=timezone.localdate())
    assert actions.filter(late=True).count() >= 3


def test_every_plan_answers_every_national_priority(seeded, db):
    for zonal_plan in demo_plans():
        assert selectors.alignment_gaps(zonal_plan) == [], zonal_plan
    alignments = NationalAlignment.objects.all()
    assert alignments.filter(adopted=True, objectives__isnull=False).exists()
    assert not alignments.filter(adopted=False, justification="").exists()
    draft = plan("5339", term_start())
    adopted = NationalAlignment.objects.filter(plan=draft, adopted=True).count()
    assert adopted > NationalAlignment.objects.filter(plan=draft, adopted=False).count() > 0


def test_the_demo_seed_has_no_fictional_edition(seeded, db):
    """Only the shipped reference editions exist; every plan and programme answers one of them."""
    assert set(NationalSecurityPlan.objects.values_list("code", flat=True)) == {content.NSP_2016, content.NSP_2022}
    assert not NationalSecurityPlan.objects.filter(title__icontains="demonstration").exists()
    assert not NationalSecurityPlan.objects.filter(period_start__year__gt=2022).exists()
    earlier = ZonalSecurityPlan.objects.filter(period_start__year__lt=term_start())
    # Written against the NSP 2016-2019; the Ghent and Uccle plans have taken the NSP 2022-2025 over by addendum
    # since.
    assert set(earlier.exclude(addenda__realigned_to__isnull=False).values_list("nsp__code", flat=True)) == {
        content.NSP_2016
    }
    current = ZonalSecurityPlan.objects.filter(period_start__year=term_start())
    assert current.count() >= 7 and set(current.values_list("nsp__code", flat=True)) == {content.NSP_2022}
    assert set(Programme.objects.values_list("nsp__code", flat=True)) == {content.NSP_2022}


def test_some_2020_plans_are_realigned_to_2022_2025_by_addendum_and_condroz_not_yet(seeded, db):
    condroz = plan("5314", 2020)
    for zone, approved_on in (("5415", dt.date(2022, 9, 8)), ("5342", dt.date(2022, 12, 15))):
        realigned = plan(zone, 2020)
        addendum = Addendum.objects.get(plan=realigned, realigned_to__isnull=False)
        assert (addendum.realigned_from.code, addendum.realigned_to.code) == (content.NSP_2016, content.NSP_2022)
        assert addendum.approved_on == approved_on and realigned.status == S.APPROVED, zone
        assert realigned.nsp.code == content.NSP_2022 and selectors.alignment_gaps(realigned) == [], zone
        assert not NationalAlignment.objects.filter(plan=realigned, to_confirm=True).exists(), zone
        # The answers to the NSP 2016-2019 are kept beside the new ones.
        kept = NationalAlignment.objects.filter(plan=realigned, phenomenon__nsp__code=content.NSP_2016)
        assert kept.count() == 10, zone
    assert condroz.nsp.code == content.NSP_2016 and not condroz.addenda.exists()
    # The history is the services': as at the day before the addendum's approval, the plan answers 2016-2019.
    from reporting import selectors as reporting_selectors

    uccle = plan("5342", 2020)
    committee = get_user_model().objects.get(username="committee.member")
    [before] = reporting_selectors.alignment_plans(
        user=committee, plans=ZonalSecurityPlan.objects.filter(pk=uccle.pk), as_of=dt.date(2022, 12, 14)
    )
    assert before["nsp_id"] == NationalSecurityPlan.objects.get(code=content.NSP_2016).pk
    assert len(before["rows"]) == 10 + 7 and before["undecided"] == 0


def test_the_current_drafts_answer_the_fifteen_phenomena_and_four_themes_of_2022_2025(seeded, db):
    draft = plan("5339", term_start())
    answered = NationalAlignment.objects.filter(plan=draft)
    assert answered.filter(phenomenon__isnull=False).count() == 15 and answered.filter(theme__isnull=False).count() == 4
    # The thefts block adopts property crime: phenomenon 4 of 2022-2025 (it was 7 in 2016-2019).
    property_crime = answered.get(phenomenon__number=4)
    assert property_crime.adopted and property_crime.objectives.filter(code="S1").exists()
    border = answered.get(theme__number=3)
    assert not border.adopted and border.justification == content.JUSTIFICATIONS_2022["T3"]


def test_the_four_themes_of_2022_2025_run_as_programmes_with_managers(seeded, db):
    themes = NationalSecurityPlan.objects.get(code=content.NSP_2022).themes.all()
    assert themes.count() == 4
    for theme in themes:
        programmes = Programme.objects.filter(themes=theme, programme_type=Programme.Type.PROGRAMME)
        assert programmes.count() == 1, theme
        assert get_user_model().objects.filter(groups__role__programme=programmes.get()).exists(), theme


def test_two_programmes_with_managers_objectives_and_measurements(user):
    programmes = Programme.objects.all()
    assert set(programmes.values_list("programme_type", flat=True)) == set(Programme.Type.values)
    for programme in programmes:
        assert programme.phenomena.exists() or programme.themes.exists()
        assert programme.objectives.filter(level=Objective.Level.STRATEGIC).exists()
        assert programme.indicators.exists()
        managers = get_user_model().objects.filter(groups__role__programme=programme)
        assert managers.exists(), programme
    # The programmes run the NSP 2022-2025, every quarter of which has ended.
    assert Measurement.objects.filter(plan__kind="programme").exists()


def test_comments_by_several_users_and_the_vision_note(user):
    assert Comment.objects.values("author").distinct().count() >= 5
    vision = LocalPoliceVision.objects.get(nsp__code=content.NSP_2016)
    assert vision.updated_by == user("cppl.member")


# --- idempotence and output -----------------------------------------------------------------------


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models(include_auto_created=True)}


def _fingerprint() -> list:
    """What a second run could change in place: statuses, progress, values, alignments."""
    return [
        list(ZonalSecurityPlan.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        list(Action.objects.order_by("pk").values_list("pk", "status", "percent_complete", "updated_at")),
        list(Measurement.objects.order_by("pk").values_list("pk", "value", "recorded_at")),
        list(NationalAlignment.objects.order_by("pk").values_list("pk", "adopted", "justification")),
        list(get_user_model().objects.order_by("pk").values_list("pk", "password", "is_superuser")),
    ]


def test_the_ghent_chief_calls_the_api_with_the_token_of_this_installation(seeded, db, settings):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.get(user__username="chief.5415")
    assert len(token.key) == 40 and settings.SECRET_KEY not in token.key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/zonal-plans/", {"zone": "5415"}).json()["count"] >= 2
    assert Token.objects.count() == 1


def test_a_second_run_writes_nothing(seeded, db, settings):
    assert "Written in this run" in seeded
    before, fingerprint = _row_counts(), _fingerprint()
    settings.DEMO = False
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert _row_counts() == before
    assert _fingerprint() == fingerprint
    assert "Nothing written in this run" in out.getvalue()


def test_output_summarises_and_lists_the_demo_users(seeded):
    assert "11 zonal plans in 8 zones" in seeded
    for username in REQUIRED_USERS:
        assert f"  {username} " in seeded
    assert "Zone chief, 5339" in seeded and "Federal reviewer (DirCo), Brussel/Bruxelles" in seeded


def test_every_model_has_rows_for_the_admin_to_show(seeded, db):
    """After make run, the admin shows every model with data: ours, and every other one it lists."""
    from django.apps import apps
    from django.contrib import admin

    from reporting.models import ReportRun

    ours = [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"nsp", "clusters", "zones", "programmes", "reporting"}
        and not model.__name__.startswith("Historical")
    ]
    empty = [model._meta.label for model in {*ours, *admin.site._registry} if not model._default_manager.exists()]
    assert sorted(empty) == []
    run = ReportRun.objects.get(requested_by__username="committee.member")
    assert run.status == ReportRun.Status.DONE and run.file and len(run.snapshot_hash) == 64


def test_indicators_say_their_kind_of_value(seeded, db):
    """Counts, percentages and rates, so the demo refuses a negative number of investigations."""
    from nsp.models import Indicator

    scales = set(Indicator.objects.filter(plan__zone__number="5339").values_list("scale", flat=True))
    assert {"count", "percentage"} <= scales
    investigations = Indicator.objects.filter(unit="investigations").first()
    assert investigations is not None and investigations.value_problem(-5) != ""
