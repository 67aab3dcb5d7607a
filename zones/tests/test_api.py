"""Zones, districts, zonal and regional plans, their workflow and the zonal-plan parts through the API."""

import datetime as dt

import pytest

from nsp.api.testing import API, assert_error, client_for
from nsp.models import PlanStatus
from tests.factories import (
    CrossCuttingThemeFactory,
    DistrictFactory,
    NationalAlignmentFactory,
    NationalSecurityPlanFactory,
    ObjectiveFactory,
    PoliceZoneFactory,
    SecurityPhenomenonFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)
from zones.models import (
    Expectation,
    MatrixCandidate,
    MatrixScore,
    NationalAlignment,
    PlanTransition,
    RegionalSecurityPlan,
    ZonalSecurityPlan,
)

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
    return ZonalSecurityPlanFactory(nsp=edition[0])


@pytest.fixture
def chief(plan):
    return user_with_role("zone_chief", zone=plan.zone)


def answer_every_priority(plan, edition):
    _nsp, phenomena, theme = edition
    objective = ObjectiveFactory(plan=plan, level="strategic")
    adopted = NationalAlignmentFactory(plan=plan, phenomenon=phenomena[0], adopted=True, justification="")
    adopted.objectives.add(objective)
    NationalAlignmentFactory(plan=plan, phenomenon=phenomena[1])
    NationalAlignmentFactory(plan=plan, phenomenon=None, theme=theme)
    return objective


# --- zones and districts --------------------------------------------------------------------------


def test_zones_read_by_every_role_and_filtered(chief, plan):
    brussels = DistrictFactory(code="brussel-bruxelles", name="Brussel/Bruxelles", region="Brussels-Capital")
    ixelles = PoliceZoneFactory(number="5339", key="5339", name_fr="Bruxelles-Capitale/Ixelles", district=brussels)
    client = client_for(user_with_role("committee_member"))
    assert client.get(f"{API}zones/", {"number": "5339"}).json()["results"][0]["id"] == ixelles.pk
    assert client.get(f"{API}zones/", {"district": "brussel-bruxelles"}).json()["count"] == 1
    assert client.get(f"{API}zones/", {"search": "ixelles"}).json()["count"] == 1
    detail = client.get(f"{API}zones/{ixelles.pk}/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert detail["name"] == "Bruxelles-Capitale/Ixelles" and detail["district_code"] == "brussel-bruxelles"
    assert client.get(f"{API}districts/", {"region": "Brussels-Capital"}).json()["count"] == 1
    assert client.post(f"{API}zones/", {"key": "x"}).status_code == 405
    assert (
        client_for(user_with_role("zone_chief", zone=ixelles))
        .get(f"{API}zones/", {"incomplete": "true"})
        .json()["count"]
        == 0
    )


def test_zones_hidden_from_users_without_a_role():
    from tests.factories import UserFactory

    zone = PoliceZoneFactory()
    assert client_for(UserFactory()).get(f"{API}zones/").json()["count"] == 0
    assert_error(client_for(UserFactory()).get(f"{API}zones/{zone.pk}/"), 404)


# --- zonal plans ----------------------------------------------------------------------------------


def test_zone_chief_drafts_a_plan_for_own_zone_only(chief, plan, edition):
    payload = {
        "zone": plan.zone.pk,
        "nsp": edition[0].pk,
        "title": "Zonal security plan 2026-2031",
        "period_start": "2026-01-01",
        "period_end": "2031-12-31",
    }
    client = client_for(chief)
    response = client.post(f"{API}zonal-plans/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["status"] == "draft" and body["zone_number"] == plan.zone.number and body["progress_status"] == "no_data"
    )
    overlapping = {**payload, "period_start": "2030-01-01", "period_end": "2035-12-31"}
    assert_error(client.post(f"{API}zonal-plans/", overlapping, format="json"), 400, field="period_start")
    elsewhere = {**payload, "zone": PoliceZoneFactory().pk}
    assert_error(client.post(f"{API}zonal-plans/", elsewhere, format="json"), 403)
    planner = user_with_role("zone_planner", zone=plan.zone)
    other_period = {**payload, "period_start": "2032-01-01", "period_end": "2037-12-31"}
    assert_error(client_for(planner).post(f"{API}zonal-plans/", other_period, format="json"), 403)
    assert ZonalSecurityPlan.objects.count() == 2


def test_plan_update_keeps_zone_and_nsp(chief, plan):
    client = client_for(chief)
    assert client.patch(f"{API}zonal-plans/{plan.pk}/", {"title": "Safe city", "zone": plan.zone.pk}).status_code == 200
    body = assert_error(client.patch(f"{API}zonal-plans/{plan.pk}/", {"zone": PoliceZoneFactory().pk}), 400)
    assert "zone" in body["extra"]["fields"]
    # Read-only fields in the input are ignored: the status moves through .../transition/ only.
    assert client.patch(f"{API}zonal-plans/{plan.pk}/", {"status": "approved"}).status_code == 200
    plan.refresh_from_db()
    assert plan.title == "Safe city" and plan.status == "draft"


def test_plan_list_filters(chief, plan, edition):
    nsp, phenomena, _theme = edition
    old = ZonalSecurityPlanFactory(
        zone=plan.zone, nsp=nsp, period_start=dt.date(2014, 1, 1), period_end=dt.date(2019, 12, 31), status="closed"
    )
    alignment = NationalAlignmentFactory(plan=old, phenomenon=phenomena[0], adopted=True, justification="")
    client = client_for(chief)
    ids = lambda params: [p["id"] for p in client.get(f"{API}zonal-plans/", params).json()["results"]]  # noqa: E731
    assert ids({"zone": plan.zone.number, "ordering": "period_start"}) == [old.pk, plan.pk]
    assert ids({"zone": plan.zone.key, "period": "2016"}) == [old.pk]
    assert ids({"zone": plan.zone.key, "period": "2019-2020"}) == [plan.pk, old.pk]
    assert ids({"zone": plan.zone.key, "status": ["draft"]}) == [plan.pk]
    assert ids({"phenomenon": alignment.phenomenon_id}) == [old.pk]
    assert ids({"cluster": alignment.phenomenon.cluster_id}) == [old.pk]
    assert ids({"district": plan.zone.district.code, "nsp": nsp.code}) == [plan.pk, old.pk]
    assert_error(client.get(f"{API}zonal-plans/", {"period": "2025-2020"}), 400, field="period")
    assert_error(client.get(f"{API}zonal-plans/", {"status": "lost"}), 400, field="status")


def test_plan_delete_only_never_approved_draft(chief, plan):
    client = client_for(chief)
    approved = ZonalSecurityPlanFactory(
        zone=plan.zone,
        status="approved",
        approved_on=dt.date(2015, 1, 1),
        council_adopted_on=dt.date(2014, 12, 1),
        period_start=dt.date(2014, 1, 1),
        period_end=dt.date(2019, 12, 31),
    )
    assert_error(client.delete(f"{API}zonal-plans/{approved.pk}/"), 403)
    assert client.delete(f"{API}zonal-plans/{plan.pk}/").status_code == 204
    assert not ZonalSecurityPlan.objects.filter(pk=plan.pk).exists()


def test_other_zones_draft_is_invisible(plan):
    outsider = user_with_role("zone_chief", zone=PoliceZoneFactory())
    assert client_for(outsider).get(f"{API}zonal-plans/").json()["count"] == 0
    assert_error(client_for(outsider).get(f"{API}zonal-plans/{plan.pk}/"), 404)
    assert_error(client_for(outsider).patch(f"{API}zonal-plans/{plan.pk}/", {"title": "x"}), 404)


# --- workflow -------------------------------------------------------------------------------------


def test_workflow_through_the_api(chief, plan, edition):
    answer_every_priority(plan, edition)
    reviewer = user_with_role("federal_reviewer", district=plan.zone.district)
    chief_client, reviewer_client = client_for(chief), client_for(reviewer)
    url = f"{API}zonal-plans/{plan.pk}/transition/"

    adopted = chief_client.post(url, {"to_status": "adopted", "on_date": "2020-03-01"}, format="json")
    assert adopted.status_code == 200, adopted.json()
    body = adopted.json()
    assert body["status"] == "adopted" and body["transition"]["by"] == chief.username
    assert {step["to_status"] for step in body["next_steps"]} == {"submitted", "draft"}

    assert chief_client.post(url, {"to_status": "submitted"}, format="json").json()["next_steps"] == []
    assert_error(chief_client.post(url, {"to_status": "approved", "on_date": "2020-05-01"}, format="json"), 403)
    assert_error(reviewer_client.post(url, {"to_status": "approved"}, format="json"), 400, field="on_date")
    approved = reviewer_client.post(url, {"to_status": "approved", "on_date": "2020-05-01"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["next_steps"] == []

    plan.refresh_from_db()
    assert plan.approved_on == dt.date(2020, 5, 1) and plan.council_adopted_on == dt.date(2020, 3, 1)
    history = client_for(chief).get(f"{API}transitions/", {"plan": plan.pk, "ordering": "at"}).json()["results"]
    assert [t["to_status"] for t in history] == ["adopted", "submitted", "approved"]
    assert_error(chief_client.post(url, {"to_status": "draft"}, format="json"), 400, field="reason")
    reopened = chief_client.post(url, {"to_status": "draft", "reason": "Addendum: cybercrime"}, format="json")
    assert reopened.json()["status"] == "draft"


def test_leaving_draft_with_unanswered_priorities_lists_them(chief, plan, edition):
    ObjectiveFactory(plan=plan)
    response = client_for(chief).post(
        f"{API}zonal-plans/{plan.pk}/transition/", {"to_status": "adopted", "on_date": "2020-03-01"}, format="json"
    )
    body = assert_error(response, 400)
    assert body["extra"]["code"] == "alignment_incomplete" and len(body["extra"]["missing"]) == 3
    assert not PlanTransition.objects.exists()


def test_transition_input_is_checked(chief, plan):
    url = f"{API}zonal-plans/{plan.pk}/transition/"
    client = client_for(chief)
    assert_error(client.post(url, {"to_status": "flying"}, format="json"), 400, field="to_status")
    assert_error(client.post(url, {"to_status": "adopted", "on_date": "2999-01-01"}, format="json"), 400)
    assert_error(client.post(url, {"to_status": "closed"}, format="json"), 400, field="to_status")


def test_transitions_are_read_only_and_restricted(chief, plan, edition):
    answer_every_priority(plan, edition)
    client_for(chief).post(
        f"{API}zonal-plans/{plan.pk}/transition/", {"to_status": "adopted", "on_date": "2020-03-01"}, format="json"
    )
    transition = PlanTransition.objects.get()
    committee = client_for(user_with_role("committee_member"))
    assert committee.get(f"{API}transitions/{transition.pk}/").status_code == 200
    assert committee.delete(f"{API}transitions/{transition.pk}/").status_code == 405
    # Back to draft: the committee no longer reads the plan, nor its history.
    client_for(chief).post(
        f"{API}zonal-plans/{plan.pk}/transition/", {"to_status": "draft", "reason": "More work"}, format="json"
    )
    assert committee.get(f"{API}transitions/").json()["count"] == 0


def test_alignment_status_lists_every_priority(chief, plan, edition):
    objective = answer_every_priority(plan, edition)
    NationalAlignment.objects.filter(theme__isnull=False).delete()
    rows = client_for(chief).get(f"{API}zonal-plans/{plan.pk}/alignment-status/").json()
    assert [(row["kind"], row["decided"]) for row in rows] == [
        ("phenomenon", True),
        ("phenomenon", True),
        ("theme", False),
    ]
    assert rows[0]["objectives"] == [objective.pk] and rows[2]["alignment"] is None


# --- alignments -----------------------------------------------------------------------------------


def test_alignment_set_upserts_and_is_checked(chief, plan, edition):
    _nsp, phenomena, theme = edition
    objective = ObjectiveFactory(plan=plan)
    client = client_for(chief)
    payload = {"plan": plan.pk, "phenomenon": phenomena[0].pk, "adopted": True, "objectives": [objective.pk]}
    created = client.post(f"{API}alignments/", payload, format="json")
    assert created.status_code == 201 and created.json()["objectives"] == [objective.pk]
    replaced = client.post(f"{API}alignments/", {**payload, "adopted": False, "justification": "Rare"}, format="json")
    assert replaced.status_code == 200 and replaced.json()["id"] == created.json()["id"]
    assert replaced.json()["objectives"] == []
    assert_error(client.post(f"{API}alignments/", {**payload, "adopted": False}, format="json"), 400)
    both = {**payload, "theme": theme.pk}
    assert_error(client.post(f"{API}alignments/", both, format="json"), 400)
    foreign = SecurityPhenomenonFactory()
    assert_error(client.post(f"{API}alignments/", {**payload, "phenomenon": foreign.pk}, format="json"), 400)

    alignment_id = created.json()["id"]
    patched = client.patch(f"{API}alignments/{alignment_id}/", {"justification": "Very rare"}, format="json")
    assert patched.status_code == 200 and patched.json()["justification"] == "Very rare"
    moved = client.patch(f"{API}alignments/{alignment_id}/", {"phenomenon": phenomena[1].pk}, format="json")
    assert_error(moved, 400, field="phenomenon")
    assert client.get(f"{API}alignments/", {"adopted": "false", "plan": plan.pk}).json()["count"] == 1
    assert client.delete(f"{API}alignments/{alignment_id}/").status_code == 204
    assert not NationalAlignment.objects.exists()


# --- expectations and the argumentation matrix ----------------------------------------------------


def test_expectations_crud(chief, plan):
    client = client_for(chief)
    response = client.post(
        f"{API}expectations/", {"plan": plan.pk, "source": "mayors", "text": "Less nuisance"}, format="json"
    )
    assert response.status_code == 201
    expectation_id = response.json()["id"]
    assert client.patch(f"{API}expectations/{expectation_id}/", {"stakeholder": "Mayor of Ixelles"}).status_code == 200
    assert client.get(f"{API}expectations/", {"source": "mayors", "search": "nuisance"}).json()["count"] == 1
    assert_error(client.post(f"{API}expectations/", {"plan": plan.pk, "source": "mayors", "text": ""}), 400)
    assert client.delete(f"{API}expectations/{expectation_id}/").status_code == 204
    assert not Expectation.objects.exists()


def test_matrix_candidates_and_scores(chief, plan, edition):
    _nsp, phenomena, _theme = edition
    objective = ObjectiveFactory(plan=plan)
    client = client_for(chief)
    response = client.post(f"{API}matrix-candidates/", {"plan": plan.pk, "phenomenon": phenomena[0].pk}, format="json")
    assert response.status_code == 201, response.json()
    candidate = response.json()
    assert candidate["label"] == phenomena[0].name and candidate["scores"] == []
    url = f"{API}matrix-candidates/{candidate['id']}/"
    scored = client.post(f"{url}scores/", {"source": "mayors", "score": 4}, format="json")
    assert scored.status_code == 200 and scored.json()["scores"] == [{"source": "mayors", "score": 4}]
    client.post(f"{url}scores/", {"source": "mayors", "score": 5}, format="json")
    assert MatrixScore.objects.get().score == 5
    assert_error(client.post(f"{url}scores/", {"source": "mayors", "score": 6}, format="json"), 400, field="score")
    chosen = client.patch(url, {"chosen": True, "objective": objective.pk}, format="json")
    assert chosen.status_code == 200 and chosen.json()["objective"] == objective.pk
    assert client.get(f"{API}matrix-candidates/", {"chosen": "true"}).json()["count"] == 1
    duplicate = {"plan": plan.pk, "label": phenomena[0].name}
    assert_error(client.post(f"{API}matrix-candidates/", duplicate, format="json"), 400)
    assert client.delete(url).status_code == 204
    assert not MatrixCandidate.objects.exists()


# --- the regional plan ----------------------------------------------------------------------------


def test_regional_plan_by_federal_planners(edition):
    planner = user_with_role("federal_planner")
    payload = {
        "nsp": edition[0].pk,
        "title": "Regional security plan 2021-2024",
        "period_start": "2021-01-01",
        "period_end": "2024-12-31",
        "authority": "Brussels Prevention & Security",
    }
    response = client_for(planner).post(f"{API}regional-plans/", payload, format="json")
    assert response.status_code == 201, response.json()
    plan_id = response.json()["id"]
    assert client_for(planner).patch(f"{API}regional-plans/{plan_id}/", {"summary": "Ten themes"}).status_code == 200
    assert client_for(planner).delete(f"{API}regional-plans/{plan_id}/").status_code == 405
    chief = user_with_role("zone_chief", zone=PoliceZoneFactory())
    assert client_for(chief).get(f"{API}regional-plans/{plan_id}/").status_code == 200
    assert_error(client_for(chief).patch(f"{API}regional-plans/{plan_id}/", {"summary": "x"}), 403)
    assert_error(client_for(chief).post(f"{API}regional-plans/", payload, format="json"), 403)
    assert RegionalSecurityPlan.objects.get().summary == "Ten themes"


def test_plan_etag_guards_concurrent_edits(chief, plan):
    client = client_for(chief)
    etag = client.get(f"{API}zonal-plans/{plan.pk}/")["ETag"]
    planner = user_with_role("zone_planner", zone=plan.zone)
    assert client_for(planner).patch(f"{API}zonal-plans/{plan.pk}/", {"title": "Theirs"}).status_code == 200
    assert_error(client.patch(f"{API}zonal-plans/{plan.pk}/", {"title": "Mine"}, HTTP_IF_MATCH=etag), 412)
    plan.refresh_from_db()
    assert plan.title == "Theirs"


def test_administrators_complete_a_zone_and_reviewer_rights_follow_its_district():
    from nsp.grants import role_grant
    from tests.factories import DistrictFactory, PoliceZoneFactory, UserFactory
    from zones.models import ZonalSecurityPlan as Plans

    zone = PoliceZoneFactory(number=None, key="pz-nowhere", district=None)
    district = DistrictFactory()
    reviewer = user_with_role("federal_reviewer", district=district)
    admin = UserFactory(username="zone-admin")
    role_grant(user=admin, role="admin")
    admin_client = client_for(admin)
    response = admin_client.patch(f"{API}zones/{zone.pk}/", {"number": "5999", "district": district.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["number"] == "5999" and response.json()["missing"] == []
    plan = ZonalSecurityPlanFactory(zone=zone, status="submitted", council_adopted_on="2026-03-01")
    assert Plans.objects.restrict(reviewer, "review").filter(pk=plan.pk).exists()
    bad = admin_client.patch(f"{API}zones/{zone.pk}/", {"number": "59x9"}, format="json")
    assert bad.status_code == 400 and "number" in bad.json()["extra"]["fields"]
    chief = client_for(user_with_role("zone_chief", zone=zone))
    assert chief.patch(f"{API}zones/{zone.pk}/", {"name_fr": "x"}, format="json").status_code == 403
    assert admin_client.delete(f"{API}zones/{zone.pk}/").status_code == 405


def test_cppl_members_write_the_local_police_vision_others_read_it(nsp_edition):
    cppl = client_for(user_with_role("cppl_member"))
    created = cppl.post(f"{API}visions/", {"nsp": nsp_edition.pk, "title": "Vision", "text": "Community policing."})
    assert created.status_code == 201, created.json()
    again = cppl.post(f"{API}visions/", {"nsp": nsp_edition.pk, "title": "Again", "text": "x"})
    assert again.status_code == 400 and "nsp" in again.json()["extra"]["fields"]
    url = f"{API}visions/{created.json()['id']}/"
    assert cppl.patch(url, {"text": "Community policing first."}).json()["text"] == "Community policing first."
    committee = client_for(user_with_role("committee_member"))
    assert committee.get(url).status_code == 200
    assert committee.patch(url, {"text": "x"}).status_code == 403
    assert cppl.delete(url).status_code == 405


def test_a_vision_note_stays_with_its_edition(nsp_edition):
    from tests.factories import NationalSecurityPlanFactory
    from zones.models import LocalPoliceVision

    cppl = client_for(user_with_role("cppl_member"))
    created = cppl.post(f"{API}visions/", {"nsp": nsp_edition.pk, "title": "Vision", "text": "Community policing."})
    url = f"{API}visions/{created.json()['id']}/"
    other = NationalSecurityPlanFactory()
    moved = cppl.patch(url, {"nsp": other.pk, "text": "Elsewhere."}, format="json")
    assert_error(moved, 400, field="nsp")
    vision = LocalPoliceVision.objects.get()
    assert (vision.nsp_id, vision.text) == (nsp_edition.pk, "Community policing.")
    same = cppl.patch(url, {"nsp": nsp_edition.pk, "title": "Vision, 2026"}, format="json")
    assert same.status_code == 200 and same.json()["title"] == "Vision, 2026"
    assert vision.history.count() == 2
