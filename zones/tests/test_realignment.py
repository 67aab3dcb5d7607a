"""Re-alignment by addendum: a 2020-2025 plan written against one NSP edition takes over its successor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from nsp.exceptions import DomainError
from nsp.models import PlanStatus
from reporting import coverage
from tests.factories import (
    CrossCuttingThemeFactory,
    NationalSecurityPlanFactory,
    ObjectiveFactory,
    SecurityPhenomenonFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)
from zones import selectors, services
from zones.models import Addendum, NationalAlignment, PlanTransition

pytestmark = pytest.mark.django_db
S = PlanStatus
APPROVED_ON = dt.date(2020, 2, 13)
REALIGNED_ON = dt.date(2022, 9, 15)


@pytest.fixture
def world():
    """Two editions mapped onto each other and an approved plan answering the first."""
    old = NationalSecurityPlanFactory(code="old", period_start=dt.date(2016, 1, 1), period_end=dt.date(2019, 12, 31))
    new = NationalSecurityPlanFactory(code="new", period_start=dt.date(2022, 1, 1), period_end=dt.date(2025, 12, 31))
    drugs, fraud = (SecurityPhenomenonFactory(nsp=old, cluster__nsp=old, number=n) for n in (1, 2))
    computer = CrossCuttingThemeFactory(nsp=old, number=1)
    new_drugs, new_fraud, horizontal = (
        SecurityPhenomenonFactory(nsp=new, cluster__nsp=new, number=n) for n in (1, 2, 3)
    )
    new_drugs.previous.add(drugs)
    new_fraud.previous.add(fraud)
    internet, borders = CrossCuttingThemeFactory(nsp=new, number=1), CrossCuttingThemeFactory(nsp=new, number=2)
    internet.previous.add(computer)
    plan = ZonalSecurityPlanFactory(nsp=old)
    chief = user_with_role("zone_chief", zone=plan.zone)
    reviewer = user_with_role("federal_reviewer", district=plan.zone.district)
    objective = ObjectiveFactory(plan=plan, code="S1")
    services.alignment_set(actor=chief, plan=plan, phenomenon=drugs, adopted=True, objectives=[objective])
    services.alignment_set(actor=chief, plan=plan, phenomenon=fraud, adopted=False, justification="Inspection's work.")
    services.alignment_set(actor=chief, plan=plan, theme=computer, adopted=False, justification="Federal programme.")
    services.plan_transition(actor=chief, plan=plan, to_status=S.ADOPTED, on_date=dt.date(2019, 12, 12))
    services.plan_transition(actor=chief, plan=plan, to_status=S.SUBMITTED)
    services.plan_transition(actor=reviewer, plan=plan, to_status=S.APPROVED, on_date=APPROVED_ON)
    return {
        "old": old,
        "new": new,
        "plan": plan,
        "chief": chief,
        "reviewer": reviewer,
        "objective": objective,
        "new_drugs": new_drugs,
        "new_fraud": new_fraud,
        "horizontal": horizontal,
        "internet": internet,
        "borders": borders,
    }


def realign(w):
    return services.realignment_open(actor=w["chief"], plan=w["plan"], reason="Take over the NSP 2022-2025.")


def test_realignment_carries_each_answer_through_the_mapping(world):
    result = realign(world)
    plan = world["plan"]
    plan.refresh_from_db()
    assert plan.nsp == world["new"] and plan.status == S.DRAFT
    addendum = Addendum.objects.get(plan=plan)
    assert (addendum.realigned_from, addendum.realigned_to, addendum.approved_on) == (world["old"], world["new"], None)
    assert result.addendum == addendum
    # Adopted stays adopted, by the same objective.
    drugs = NationalAlignment.objects.get(plan=plan, phenomenon=world["new_drugs"])
    assert drugs.adopted and not drugs.to_confirm and list(drugs.objectives.all()) == [world["objective"]]
    # A justification is carried as a draft to confirm.
    fraud = NationalAlignment.objects.get(plan=plan, phenomenon=world["new_fraud"])
    assert not fraud.adopted and fraud.to_confirm and fraud.justification == "Inspection's work."
    internet = NationalAlignment.objects.get(plan=plan, theme=world["internet"])
    assert internet.to_confirm and internet.justification == "Federal programme."
    # The answers to the old edition are kept as they were.
    old = NationalAlignment.objects.filter(plan=plan, phenomenon__nsp=world["old"])
    assert old.count() == 2 and old.get(adopted=True).objectives.get() == world["objective"]
    assert PlanTransition.objects.filter(plan=plan).last().reason == "Take over the NSP 2022-2025."


def test_realignment_lists_what_needs_an_answer(world):
    result = realign(world)
    to_answer = {(c.kind, c.priority.pk, c.carry) for c in result.to_answer}
    assert to_answer == {
        ("phenomenon", world["new_fraud"].pk, selectors.CARRY_JUSTIFICATION),
        ("theme", world["internet"].pk, selectors.CARRY_JUSTIFICATION),
        ("phenomenon", world["horizontal"].pk, selectors.CARRY_NEW),
        ("theme", world["borders"].pk, selectors.CARRY_NEW),
    }
    world["plan"].refresh_from_db()
    gaps = {row.priority.pk for row in selectors.alignment_gaps(world["plan"])}
    assert gaps == {world["new_fraud"].pk, world["internet"].pk, world["horizontal"].pk, world["borders"].pk}


def test_the_realigned_plan_needs_adoption_and_approval_again(world):
    realign(world)
    chief, reviewer, plan = world["chief"], world["reviewer"], world["plan"]
    plan.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.plan_transition(actor=chief, plan=plan, to_status=S.ADOPTED, on_date=dt.date(2022, 6, 1))
    assert refused.value.code == "alignment_incomplete"
    # Confirming a carried justification is saving it; the new priorities get an answer.
    fraud = NationalAlignment.objects.get(plan=plan, phenomenon=world["new_fraud"])
    kept = fraud.justification
    services.alignment_set(actor=chief, plan=plan, phenomenon=world["new_fraud"], adopted=False, justification=kept)
    services.alignment_set(actor=chief, plan=plan, theme=world["internet"], adopted=False, justification="Federal.")
    services.alignment_set(actor=chief, plan=plan, phenomenon=world["horizontal"], adopted=False, justification="FJP.")
    services.alignment_set(actor=chief, plan=plan, theme=world["borders"], adopted=False, justification="No border.")
    assert not NationalAlignment.objects.filter(plan=plan, to_confirm=True).exists()
    services.plan_transition(actor=chief, plan=plan, to_status=S.ADOPTED, on_date=dt.date(2022, 6, 1))
    services.plan_transition(actor=chief, plan=plan, to_status=S.SUBMITTED)
    services.plan_transition(actor=reviewer, plan=plan, to_status=S.APPROVED, on_date=REALIGNED_ON)
    assert Addendum.objects.get(plan=plan).approved_on == REALIGNED_ON


def _approve_realignment(w):
    realign(w)
    plan, chief = w["plan"], w["chief"]
    plan.refresh_from_db()
    for alignment in NationalAlignment.objects.filter(plan=plan, to_confirm=True):
        services.alignment_set(
            actor=chief, plan=plan, adopted=False, justification=alignment.justification, **_priority(alignment)
        )
    services.alignment_set(actor=chief, plan=plan, phenomenon=w["horizontal"], adopted=False, justification="FJP.")
    services.alignment_set(actor=chief, plan=plan, theme=w["borders"], adopted=False, justification="No border.")
    services.plan_transition(actor=chief, plan=plan, to_status=S.ADOPTED, on_date=dt.date(2022, 6, 1))
    services.plan_transition(actor=chief, plan=plan, to_status=S.SUBMITTED)
    services.plan_transition(actor=w["reviewer"], plan=plan, to_status=S.APPROVED, on_date=REALIGNED_ON)


def _priority(alignment):
    return {"phenomenon": alignment.phenomenon} if alignment.phenomenon_id else {"theme": alignment.theme}


def _plan_cells(matrix, plan):
    """The plan's column in the coverage matrix: priority code -> state (None when the plan is not counted)."""
    index = next((i for i, z in enumerate(matrix["zones"]) if z["plan_id"] == plan.pk), None)
    if index is None:
        return None
    return {row["code"]: row["cells"][index]["state"] for row in matrix["priorities"]}


def test_a_report_as_at_a_date_before_the_addendum_shows_the_old_alignment(world):
    _approve_realignment(world)
    committee = user_with_role("committee_member")
    plan, old, new = world["plan"], world["old"], world["new"]
    before, after = dt.date(2021, 6, 30), dt.date(2023, 6, 30)
    # Before the addendum's approval the plan counts under the old edition, with its old answers ...
    assert _plan_cells(coverage.coverage_matrix(user=committee, nsp=old, as_of=before), plan) == {
        "P1": coverage.ADOPTED,
        "P2": coverage.NOT_ADOPTED,
        "T1": coverage.NOT_ADOPTED,
    }
    assert _plan_cells(coverage.coverage_matrix(user=committee, nsp=new, as_of=before), plan) is None
    # ... after it, under the new edition only.
    assert _plan_cells(coverage.coverage_matrix(user=committee, nsp=old, as_of=after), plan) is None
    assert _plan_cells(coverage.coverage_matrix(user=committee, nsp=new, as_of=after), plan) == {
        "P1": coverage.ADOPTED,
        "P2": coverage.NOT_ADOPTED,
        "P3": coverage.NOT_ADOPTED,
        "T1": coverage.NOT_ADOPTED,
        "T2": coverage.NOT_ADOPTED,
    }


def test_the_old_alignment_stays_readable_in_the_history(world):
    realign(world)
    plan = world["plan"]
    editions = list(plan.history.order_by("history_id").values_list("nsp__code", flat=True))
    assert editions[0] == "old" and editions[-1] == "new"
    addendum = Addendum.objects.get(plan=plan)
    kept = selectors.previous_alignment(plan, addendum)
    assert [(a.priority.number, a.adopted) for a in kept] == [(1, True), (2, False), (1, False)]


def test_only_the_zone_chief_realigns_an_approved_plan_that_has_a_successor(world):
    plan = world["plan"]
    with pytest.raises(PermissionDenied):
        services.realignment_open(
            actor=user_with_role("zone_planner", zone=plan.zone), plan=plan, reason="Take over the new NSP."
        )
    other = ZonalSecurityPlanFactory(nsp=world["old"], period_start=dt.date(2014, 1, 1), period_end=dt.date(2019, 1, 1))
    with pytest.raises(Http404):
        services.realignment_open(actor=world["chief"], plan=other, reason="Not my zone.")
    realign(world)
    with pytest.raises(DomainError):  # a draft now: the addendum is open
        realign(world)
    latest = ZonalSecurityPlanFactory(
        nsp=world["new"], zone=plan.zone, period_start=dt.date(2026, 1, 1), period_end=dt.date(2031, 12, 31)
    )
    latest.status = S.APPROVED
    latest.save()
    with pytest.raises(DomainError) as none:
        services.realignment_open(actor=world["chief"], plan=latest, reason="Nothing after it.")
    assert none.value.code == "no_successor"


def test_the_chief_opens_the_realignment_on_its_page_and_sees_what_needs_an_answer(world, client):
    plan = world["plan"]
    url = reverse("zones:plan-realign", kwargs={"pk": plan.pk})
    client.force_login(user_with_role("zone_planner", zone=plan.zone))
    assert client.get(url).status_code == 403
    client.force_login(world["chief"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Needs an answer" in page.content.decode() and "Not adopted, to confirm:" in page.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 200  # the reason is required
    assert not Addendum.objects.filter(plan=plan).exists()
    response = client.post(url, {"reason": "Take over the new NSP."})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "justification carried, to confirm" in page and "new: needs an answer" in page
    assert "before addendum 1" in page
    alignment = client.get(reverse("zones:plan-alignment", kwargs={"pk": plan.pk})).content.decode()
    assert alignment.count("Carried, to confirm") == 2  # the fraud phenomenon and the internet theme


# --- "as at" a day: each plan counts under the edition it was aligned with then (issue 10 point 3) ------------

DAY_BEFORE, DAY_AFTER = REALIGNED_ON - dt.timedelta(days=1), REALIGNED_ON + dt.timedelta(days=1)


def _plans_counted(user, edition, day) -> int:
    from reporting import selectors as reporting_selectors

    overview = reporting_selectors.overview(user=user, as_of=day, nsp=edition)
    return sum(row["count"] for row in overview["plans_by_status"])


def test_the_dashboard_counts_a_realigned_plan_under_the_edition_of_the_day(world):
    _approve_realignment(world)
    committee = user_with_role("committee_member")
    old, new = world["old"], world["new"]
    assert (_plans_counted(committee, old, DAY_BEFORE), _plans_counted(committee, new, DAY_BEFORE)) == (1, 0)
    assert (_plans_counted(committee, old, REALIGNED_ON), _plans_counted(committee, new, REALIGNED_ON)) == (0, 1)
    assert (_plans_counted(committee, old, DAY_AFTER), _plans_counted(committee, new, DAY_AFTER)) == (0, 1)


def test_the_dashboard_and_the_matrix_take_the_as_at_day_from_the_query(world, client):
    _approve_realignment(world)
    client.force_login(user_with_role("committee_member"))
    old, new, plan = world["old"], world["new"], world["plan"]
    for edition, day, counted in ((old, DAY_BEFORE, 1), (new, DAY_BEFORE, 0), (old, DAY_AFTER, 0), (new, DAY_AFTER, 1)):
        query = {"nsp": edition.pk, "as_at": day.isoformat()}
        page = client.get(reverse("reporting:dashboard"), query)
        assert page.context["as_of"] == day
        assert sum(row["count"] for row in page.context["data"]["plans_by_status"]) == counted
        matrix = client.get(reverse("reporting:coverage"), query).context["matrix"]
        assert (_plan_cells(matrix, plan) is not None) == bool(counted)
    # The matrix's cells open the zone's answer as at the same day; the dashboard's report is as at it too.
    html = client.get(reverse("reporting:coverage"), {"nsp": old.pk, "as_at": DAY_BEFORE.isoformat()}).content
    assert f"?as_at={DAY_BEFORE.isoformat()}".encode() in html
    html = client.get(reverse("reporting:dashboard"), {"nsp": old.pk, "as_at": DAY_BEFORE.isoformat()}).content
    assert f'<input type="hidden" name="as_at" value="{DAY_BEFORE.isoformat()}">'.encode() in html
    # No day, today; a day to come is refused (and today shown).
    assert client.get(reverse("reporting:coverage")).context["as_of"] == dt.date.today()
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    refused = client.get(reverse("reporting:dashboard"), {"as_at": tomorrow.isoformat()})
    assert refused.context["as_of"] == dt.date.today() and refused.context["filter_form"].errors["as_at"]


def test_the_alignment_report_as_at_the_day_before_shows_the_old_answers(world):
    from reporting import snapshots
    from reporting.models import ReportRun
    from tests.factories import ReportRunFactory

    _approve_realignment(world)
    plan, old, new = world["plan"], world["old"], world["new"]
    run = ReportRunFactory(
        kind=ReportRun.Kind.ALIGNMENT,
        scope=ReportRun.Scope.PLAN,
        plan=plan,
        requested_by=user_with_role("committee_member"),
        as_at=DAY_BEFORE,
    )

    def answers(run):
        body = snapshots.build(run)
        assert body["report"]["as_of"] == run.as_at.isoformat()
        [found] = body["plans"]
        return found["nsp_id"], [(r["number"], r["answer"], r["justification"]) for r in found["rows"]]

    assert answers(run) == (
        old.pk,
        [(1, "adopted", ""), (2, "not_adopted", "Inspection's work."), (1, "not_adopted", "Federal programme.")],
    )
    run.as_at = DAY_AFTER
    edition, rows = answers(run)
    assert edition == new.pk and len(rows) == 5 and rows[2] == (3, "not_adopted", "FJP.")


def test_a_cell_of_the_matrix_as_at_the_day_before_opens_the_old_answer(world, client):
    from clusters.models import SecurityPhenomenon

    _approve_realignment(world)
    client.force_login(user_with_role("committee_member"))
    old, plan = world["old"], world["plan"]
    drugs = SecurityPhenomenon.objects.get(nsp=old, number=1)
    url = reverse(
        "reporting:coverage-cell",
        kwargs={"nsp": old.pk, "kind": "phenomenon", "priority": drugs.pk, "zone": plan.zone.key},
    )
    before = client.get(url, {"as_at": DAY_BEFORE.isoformat()})
    assert before.context["data"]["cell"]["state"] == coverage.ADOPTED
    assert f"as_at={DAY_BEFORE.isoformat()}" in before.context["row_url"]
    assert client.get(url).context["data"]["cell"]["state"] == coverage.NO_PLAN  # today it answers the new one
