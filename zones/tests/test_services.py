import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from nsp.exceptions import DomainError
from nsp.models import PlanStatus
from tests.factories import (
    CrossCuttingThemeFactory,
    NationalSecurityPlanFactory,
    ObjectiveFactory,
    PoliceZoneFactory,
    SecurityPhenomenonFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)
from zones import services
from zones.models import Addendum, PlanTransition

pytestmark = pytest.mark.django_db
S = PlanStatus


@pytest.fixture
def edition():
    nsp = NationalSecurityPlanFactory()
    phenomena = [SecurityPhenomenonFactory(nsp=nsp, cluster__nsp=nsp) for _ in range(2)]
    theme = CrossCuttingThemeFactory(nsp=nsp)
    return nsp, phenomena, theme


@pytest.fixture
def plan(edition):
    nsp, _phenomena, _theme = edition
    return ZonalSecurityPlanFactory(nsp=nsp)


def _align_all(plan, actor, edition):
    _nsp, phenomena, theme = edition
    objective = ObjectiveFactory(plan=plan)
    services.alignment_set(actor=actor, plan=plan, phenomenon=phenomena[0], adopted=True, objectives=[objective])
    services.alignment_set(actor=actor, plan=plan, phenomenon=phenomena[1], adopted=False, justification="Rare here.")
    services.alignment_set(actor=actor, plan=plan, theme=theme, adopted=False, justification="Federal matter.")


def test_full_workflow_records_every_step(plan, edition):
    chief = user_with_role("zone_chief", zone=plan.zone)
    reviewer = user_with_role("federal_reviewer", district=plan.zone.district)
    _align_all(plan, chief, edition)
    services.plan_transition(actor=chief, plan=plan, to_status=S.ADOPTED, on_date=dt.date(2020, 3, 1))
    services.plan_transition(actor=chief, plan=plan, to_status=S.SUBMITTED)
    services.plan_transition(actor=reviewer, plan=plan, to_status=S.APPROVED, on_date=dt.date(2020, 5, 1))
    plan.refresh_from_db()
    assert plan.status == S.APPROVED and plan.approved_on == dt.date(2020, 5, 1)
    assert plan.council_adopted_on == dt.date(2020, 3, 1)
    assert list(PlanTransition.objects.filter(plan=plan).values_list("to_status", flat=True)) == [
        S.ADOPTED,
        S.SUBMITTED,
        S.APPROVED,
    ]
    services.plan_transition(actor=chief, plan=plan, to_status=S.DRAFT, reason="New road-safety priority")
    assert Addendum.objects.get(plan=plan).number == 1


def test_cannot_leave_draft_with_unanswered_priorities(plan, edition):
    chief = user_with_role("zone_chief", zone=plan.zone)
    ObjectiveFactory(plan=plan)
    with pytest.raises(DomainError) as exc:
        services.plan_transition(actor=chief, plan=plan, to_status=S.ADOPTED, on_date=dt.date(2020, 3, 1))
    assert exc.value.code == "alignment_incomplete"
    assert len(exc.value.extra["missing"]) == 3
    plan.refresh_from_db()
    assert plan.status == S.DRAFT and not PlanTransition.objects.exists()


def test_planner_cannot_adopt_and_reviewer_of_other_district_cannot_see_draft(plan, edition):
    planner = user_with_role("zone_planner", zone=plan.zone)
    _align_all(plan, planner, edition)
    with pytest.raises(PermissionDenied):
        services.plan_transition(actor=planner, plan=plan, to_status=S.ADOPTED, on_date=dt.date(2020, 3, 1))
    other_reviewer = user_with_role("federal_reviewer", district=PoliceZoneFactory().district)
    with pytest.raises(Http404):
        services.plan_transition(actor=other_reviewer, plan=plan, to_status=S.ADOPTED, on_date=dt.date(2020, 3, 1))


def test_return_needs_reason_and_only_own_district(plan, edition):
    chief = user_with_role("zone_chief", zone=plan.zone)
    _align_all(plan, chief, edition)
    services.plan_transition(actor=chief, plan=plan, to_status=S.ADOPTED, on_date=dt.date(2020, 3, 1))
    services.plan_transition(actor=chief, plan=plan, to_status=S.SUBMITTED)
    other_reviewer = user_with_role("federal_reviewer", district=PoliceZoneFactory().district)
    with pytest.raises(PermissionDenied):
        services.plan_transition(actor=other_reviewer, plan=plan, to_status=S.DRAFT, reason="x")
    reviewer = user_with_role("federal_reviewer", district=plan.zone.district)
    with pytest.raises(DomainError):
        services.plan_transition(actor=reviewer, plan=plan, to_status=S.DRAFT, reason="  ")
    services.plan_transition(actor=reviewer, plan=plan, to_status=S.DRAFT, reason="Indicators lack baselines")
    plan.refresh_from_db()
    assert plan.status == S.DRAFT


def test_invalid_step_is_a_clear_error(plan):
    chief = user_with_role("zone_chief", zone=plan.zone)
    with pytest.raises(DomainError) as exc:
        services.plan_transition(actor=chief, plan=plan, to_status=S.APPROVED, on_date=dt.date(2020, 3, 1))
    assert exc.value.code == "invalid_transition"


def test_alignment_refuses_objective_of_another_plan(plan, edition):
    _nsp, phenomena, _theme = edition
    chief = user_with_role("zone_chief", zone=plan.zone)
    foreign = ObjectiveFactory()
    with pytest.raises(DomainError):
        services.alignment_set(actor=chief, plan=plan, phenomenon=phenomena[0], adopted=True, objectives=[foreign])
    with pytest.raises(DomainError):
        services.alignment_set(actor=chief, plan=plan, phenomenon=phenomena[0], adopted=False, justification="")


def test_overlapping_plan_refused(plan):
    chief = user_with_role("zone_chief", zone=plan.zone)
    with pytest.raises(DomainError) as exc:
        services.zonal_plan_create(
            actor=chief,
            zone=plan.zone,
            nsp=plan.nsp,
            title="x",
            period_start=dt.date(2022, 1, 1),
            period_end=dt.date(2027, 12, 31),
        )
    assert "overlapping" in exc.value.message


def test_chief_drafts_a_plan_for_own_zone_only(edition):
    nsp, _, _ = edition
    zone = PoliceZoneFactory()
    chief = user_with_role("zone_chief", zone=zone)
    plan = services.zonal_plan_create(
        actor=chief,
        zone=zone,
        nsp=nsp,
        title="Plan 2026-2031",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2031, 12, 31),
    )
    assert plan.kind == "zonal" and plan.status == S.DRAFT and plan.history.first().history_user == chief
    planner = user_with_role("zone_planner", zone=zone)
    with pytest.raises(PermissionDenied):
        services.zonal_plan_create(
            actor=planner,
            zone=zone,
            nsp=nsp,
            title="x",
            period_start=dt.date(2032, 1, 1),
            period_end=dt.date(2037, 12, 31),
        )
    other_chief = user_with_role("zone_chief", zone=PoliceZoneFactory())
    with pytest.raises(PermissionDenied):
        services.zonal_plan_create(
            actor=other_chief,
            zone=zone,
            nsp=nsp,
            title="x",
            period_start=dt.date(2032, 1, 1),
            period_end=dt.date(2037, 12, 31),
        )


def test_step_blocker_says_why_a_step_cannot_be_taken_yet(plan, edition):
    chief = user_with_role("zone_chief", zone=plan.zone)
    close = services.STEP_BY_EDGE[(S.APPROVED, S.CLOSED)]
    adopt = services.STEP_BY_EDGE[(S.DRAFT, S.ADOPTED)]
    assert "national priorities" in services.step_blocker(plan, adopt, today=dt.date(2026, 1, 1))
    _align_all(plan, chief, edition)
    assert services.step_blocker(plan, adopt, today=dt.date(2026, 1, 1)) is None
    plan.status = S.APPROVED
    assert "can be closed once" in services.step_blocker(plan, close, today=dt.date(2025, 6, 1))
    assert services.step_blocker(plan, close, today=dt.date(2026, 1, 1)) is None


@pytest.mark.parametrize("versions", [2, 8])
def test_alignment_history_reads_the_adopting_objectives_in_one_query(plan, edition, versions):
    """The history lists each change of the adopting objectives; reading it costs the same for 2 and 8 versions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nsp.history import history_entries
    from zones.models import NationalAlignment

    _nsp, phenomena, _theme = edition
    chief = user_with_role("zone_chief", zone=plan.zone)
    objectives = [ObjectiveFactory(plan=plan, code=f"S{n}") for n in range(versions)]
    for n in range(versions):
        services.alignment_set(
            actor=chief, plan=plan, phenomenon=phenomena[0], adopted=True, objectives=objectives[: n + 1]
        )
    with CaptureQueriesContext(connection) as queries:
        # As the plan page reads it: the priority named with each row.
        entries = history_entries(
            NationalAlignment.history.filter(plan_id=plan.pk).select_related("phenomenon", "theme")
        )
    # the versions, their links, the objectives' names, the names of the people who made them
    assert len(queries) == 4, [q["sql"] for q in queries]
    changed = [change for entry in entries for change in entry.changes if change.field == "adopting objectives"]
    assert len(changed) == versions  # the first: none → the first objective, set just after the row was created
    newest = changed[0]
    assert newest.new == ", ".join(sorted(str(o) for o in objectives))
    assert newest.old == ", ".join(sorted(str(o) for o in objectives[:-1]))


def test_zone_update_resyncs_reviewer_rights_only_when_the_district_changes(monkeypatch):
    from nsp import grants
    from tests.factories import DistrictFactory, UserFactory

    admin = UserFactory()
    grants.role_grant(user=admin, role="admin")
    zone = PoliceZoneFactory()
    before, after = zone.district, DistrictFactory()
    calls = []
    real = grants.zones_changed
    monkeypatch.setattr(grants, "zones_changed", lambda *a, **kw: calls.append(a) or real(*a, **kw))
    services.zone_update(actor=admin, zone=zone, notes="Checked against the 2025 list.")
    assert calls == []
    reviewer = user_with_role("federal_reviewer", district=after)
    services.zone_update(actor=admin, zone=zone, district=after)
    assert len(calls) == 1
    plan = ZonalSecurityPlanFactory(zone=zone, status="submitted", council_adopted_on="2026-03-01")
    from zones.models import ZonalSecurityPlan

    assert ZonalSecurityPlan.objects.restrict(reviewer, "review").filter(pk=plan.pk).exists()
    assert before != after


def test_matrix_scores_save_sets_clears_and_refuses_another_plans_candidate(plan, edition):
    from zones.models import MatrixCandidate, MatrixScore

    chief = user_with_role("zone_chief", zone=plan.zone)
    candidate = MatrixCandidate.objects.create(plan=plan, label="Burglaries")
    services.matrix_score_set(actor=chief, candidate=candidate, source="mayors", score=4)
    saved = services.matrix_scores_save(
        actor=chief, plan=plan, scores={(candidate.pk, "mayors"): None, (candidate.pk, "prosecutor"): 3}
    )
    assert (saved.set, saved.cleared) == (1, 1)
    assert dict(MatrixScore.objects.filter(candidate=candidate).values_list("source", "score")) == {"prosecutor": 3}
    prosecutor = MatrixScore.objects.get(candidate=candidate, source="prosecutor")
    assert prosecutor.history.latest().history_user == chief

    other = MatrixCandidate.objects.create(plan=ZonalSecurityPlanFactory(), label="Elsewhere")
    with pytest.raises(DomainError):
        services.matrix_scores_save(
            actor=chief, plan=plan, scores={(candidate.pk, "prosecutor"): 5, (other.pk, "mayors"): 1}
        )
    assert MatrixScore.objects.get(candidate=candidate, source="prosecutor").score == 3
    assert not MatrixScore.objects.filter(candidate=other).exists()
