"""The planning core through the API: objectives, indicators, measurements, actions, comments, NSP editions."""

import datetime as dt
from decimal import Decimal

import pytest

from nsp.api.testing import API, assert_error, client_for
from nsp.models import Action, Comment, Indicator, Measurement, Objective
from tests.factories import (
    ActionFactory,
    AmbitionFactory,
    CommentFactory,
    IndicatorFactory,
    MeasurementFactory,
    NationalAlignmentFactory,
    NationalSecurityPlanFactory,
    ObjectiveFactory,
    PoliceZoneFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def approved(**kwargs):
    return ZonalSecurityPlanFactory(
        status="approved", approved_on=dt.date(2020, 6, 1), council_adopted_on=dt.date(2020, 3, 1), **kwargs
    )


@pytest.fixture
def draft():
    return ZonalSecurityPlanFactory()


@pytest.fixture
def planner(draft):
    return user_with_role("zone_planner", zone=draft.zone)


# --- objectives -----------------------------------------------------------------------------------


def test_objective_list_shows_only_readable_plans(draft, planner):
    mine = ObjectiveFactory(plan=draft)
    ObjectiveFactory()  # another zone's draft
    visible_elsewhere = ObjectiveFactory(plan=approved())
    ids = {o["id"] for o in client_for(planner).get(f"{API}objectives/").json()["results"]}
    assert ids == {mine.pk, visible_elsewhere.pk}


def test_objective_hierarchy_and_filters(draft, planner):
    strategic = ObjectiveFactory(plan=draft, code="S1", title="Road safety")
    client = client_for(planner)
    response = client.post(
        f"{API}objectives/",
        {"plan": draft.pk, "parent": strategic.pk, "level": "tactical", "code": "T1.1", "title": "Speed checks"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["parent"] == strategic.pk
    tactical = [o["code"] for o in client.get(f"{API}objectives/", {"level": "tactical"}).json()["results"]]
    assert tactical == ["T1.1"]
    children = client.get(f"{API}objectives/", {"parent": strategic.pk}).json()["results"]
    assert [o["code"] for o in children] == ["T1.1"]
    found = client.get(f"{API}objectives/", {"search": "speed", "zone": draft.zone.number}).json()["results"]
    assert [o["code"] for o in found] == ["T1.1"]
    ordered = client.get(f"{API}objectives/", {"ordering": "-code", "plan": draft.pk}).json()["results"]
    assert [o["code"] for o in ordered] == ["T1.1", "S1"]


def test_objective_filter_by_adopted_phenomenon(draft, planner):
    adopting = ObjectiveFactory(plan=draft)
    ObjectiveFactory(plan=draft)
    alignment = NationalAlignmentFactory(plan=draft, adopted=True, justification="")
    alignment.objectives.add(adopting)
    client = client_for(planner)
    by_phenomenon = client.get(f"{API}objectives/", {"phenomenon": alignment.phenomenon_id}).json()["results"]
    assert [o["id"] for o in by_phenomenon] == [adopting.pk]
    by_cluster = client.get(f"{API}objectives/", {"cluster": alignment.phenomenon.cluster_id}).json()["results"]
    assert [o["id"] for o in by_cluster] == [adopting.pk]


def test_objective_cannot_move_to_another_plan(draft, planner):
    objective = ObjectiveFactory(plan=draft)
    other = ZonalSecurityPlanFactory(
        zone=draft.zone, period_start=dt.date(2026, 1, 1), period_end=dt.date(2031, 12, 31)
    )
    body = assert_error(client_for(planner).patch(f"{API}objectives/{objective.pk}/", {"plan": other.pk}), 400)
    assert "cannot move" in body["message"]
    # Repeating the current plan (a PUT) is fine.
    put = {"plan": draft.pk, "level": "strategic", "title": "Renamed"}
    assert client_for(planner).put(f"{API}objectives/{objective.pk}/", put, format="json").status_code == 200


def test_objective_delete_by_planner_and_refused_to_cppl(draft, planner):
    objective = ObjectiveFactory(plan=draft)
    assert client_for(planner).delete(f"{API}objectives/{objective.pk}/").status_code == 204
    assert not Objective.objects.filter(pk=objective.pk).exists()
    shown = ObjectiveFactory(plan=approved())
    cppl = user_with_role("cppl_member")
    assert_error(client_for(cppl).delete(f"{API}objectives/{shown.pk}/"), 403)
    assert Objective.objects.filter(pk=shown.pk).exists()


# --- indicators -----------------------------------------------------------------------------------


def indicator_payload(objective, **changes):
    payload = {
        "objective": objective.pk,
        "name": "Burglaries",
        "unit": "reports",
        "source": "crime_statistics",
        "baseline_value": "120",
        "baseline_date": "2020-01-01",
        "target_value": "90",
        "target_date": "2025-12-31",
        "direction": "decrease",
        "frequency": "quarterly",
    }
    return {**payload, **changes}


def test_indicator_create_and_progress(draft, planner):
    objective = ObjectiveFactory(plan=draft)
    client = client_for(planner)
    response = client.post(f"{API}indicators/", indicator_payload(objective), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["plan"] == draft.pk and body["progress_status"] == "no_data" and body["overdue"] in (True, False)
    indicator = Indicator.objects.get(pk=body["id"])
    MeasurementFactory(indicator=indicator, period="2021-Q4", value=Decimal("105"))
    detail = client.get(f"{API}indicators/{indicator.pk}/").json()
    assert detail["latest_value"] == "105.0000" and detail["latest_period"] == "2021-Q4"
    assert detail["progress"] == 0.5
    assert detail["progress_status"] in {"on_track", "at_risk", "off_track"}


def test_indicator_database_rule_answers_400(draft, planner):
    objective = ObjectiveFactory(plan=draft)
    payload = indicator_payload(objective, target_value="150")  # above the baseline while decreasing
    body = assert_error(client_for(planner).post(f"{API}indicators/", payload, format="json"), 400)
    assert "target" in body["message"]
    assert not Indicator.objects.exists()


def test_indicator_frequency_frozen_once_measured(draft, planner):
    indicator = IndicatorFactory(objective=ObjectiveFactory(plan=draft))
    MeasurementFactory(indicator=indicator)
    response = client_for(planner).patch(f"{API}indicators/{indicator.pk}/", {"frequency": "yearly"})
    assert_error(response, 400, field="frequency")


def test_indicator_filters(draft, planner):
    objective = ObjectiveFactory(plan=draft, level="strategic")
    kept = IndicatorFactory(objective=objective, source="security_monitor", direction="increase", target_value=200)
    IndicatorFactory(objective=objective, source="internal")
    client = client_for(planner)
    for params in ({"source": "security_monitor"}, {"direction": "increase"}, {"search": kept.name}):
        assert [i["id"] for i in client.get(f"{API}indicators/", params).json()["results"]] == [kept.pk], params
    assert client.get(f"{API}indicators/", {"level": "strategic", "objective": objective.pk}).json()["count"] == 2
    assert client.get(f"{API}indicators/", {"progress_status": "no_data"}).json()["count"] == 2


# --- measurements ---------------------------------------------------------------------------------


def test_measurement_recorded_on_approved_plan_and_refused_on_draft(draft, planner):
    plan = approved(zone=draft.zone, period_start=dt.date(2014, 1, 1), period_end=dt.date(2019, 12, 31))
    indicator = IndicatorFactory(objective=ObjectiveFactory(plan=plan))
    client = client_for(planner)
    response = client.post(
        f"{API}measurements/", {"indicator": indicator.pk, "period": "2021-q2", "value": "88.5"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["period"] == "2021-Q2" and body["period_end"] == "2021-06-30" and body["recorded_by"] == planner.username
    )
    assert Measurement.objects.get().history.first().history_user == planner

    draft_indicator = IndicatorFactory(objective=ObjectiveFactory(plan=draft))
    refused = client.post(f"{API}measurements/", {"indicator": draft_indicator.pk, "period": "2021-Q2", "value": "1"})
    assert_error(refused, 403)


def test_measurement_rules_answer_field_errors(draft, planner):
    plan = approved(zone=draft.zone, period_start=dt.date(2014, 1, 1), period_end=dt.date(2019, 12, 31))
    indicator = IndicatorFactory(objective=ObjectiveFactory(plan=plan))
    MeasurementFactory(indicator=indicator, period="2021-Q1")
    client = client_for(planner)
    for period in ("2021-Q1", "2021", "2999-Q1", "Q5"):
        payload = {"indicator": indicator.pk, "period": period, "value": "1"}
        assert_error(client.post(f"{API}measurements/", payload, format="json"), 400, field="period")
    assert_error(
        client.post(f"{API}measurements/", {"indicator": indicator.pk, "period": "2021-Q2", "value": "x"}), 400
    )


def test_measurement_update_delete_and_period_filters(draft, planner):
    plan = approved(zone=draft.zone, period_start=dt.date(2014, 1, 1), period_end=dt.date(2019, 12, 31))
    indicator = IndicatorFactory(objective=ObjectiveFactory(plan=plan))
    first = MeasurementFactory(indicator=indicator, period="2021-Q1")
    MeasurementFactory(indicator=indicator, period="2021-Q3")
    last = MeasurementFactory(indicator=indicator, period="2022-Q1")
    client = client_for(planner)
    assert client.patch(f"{API}measurements/{first.pk}/", {"value": "70", "note": "Revised"}).status_code == 200
    first.refresh_from_db()
    assert first.value == Decimal("70") and first.recorded_by == planner
    periods_of = lambda params: [m["period"] for m in client.get(f"{API}measurements/", params).json()["results"]]  # noqa: E731
    assert periods_of({"period": "2021-q3"}) == ["2021-Q3"]
    assert periods_of({"period_from": "2021-Q2", "period_to": "2021"}) == ["2021-Q3"]
    assert periods_of({"period_from": "2021-Q3", "ordering": "-period_end"}) == ["2022-Q1", "2021-Q3"]
    assert_error(client.get(f"{API}measurements/", {"period_from": "soon"}), 400, field="period_from")
    assert client.delete(f"{API}measurements/{last.pk}/").status_code == 204


# --- actions --------------------------------------------------------------------------------------


def test_action_progress_alone_is_recording_on_an_approved_plan(draft, planner):
    plan = approved(zone=draft.zone, period_start=dt.date(2014, 1, 1), period_end=dt.date(2019, 12, 31))
    action = ActionFactory(objective=ObjectiveFactory(plan=plan))
    client = client_for(planner)
    response = client.patch(f"{API}actions/{action.pk}/", {"percent_complete": 100}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "done" and body["progress"] == 1.0 and body["late"] is False
    assert_error(client.patch(f"{API}actions/{action.pk}/", {"title": "Other"}), 403)
    # A PUT that repeats the structure and changes only the progress is recording too.
    put = {key: body[key] for key in ("objective", "title", "description", "owner", "start_date", "due_date")}
    put.update(status="in_progress", percent_complete=40, weight=body["weight"], position=body["position"])
    assert client.put(f"{API}actions/{action.pk}/", put, format="json").status_code == 200
    action.refresh_from_db()
    assert action.percent_complete == 40


def test_action_late_and_filters(draft, planner):
    objective = ObjectiveFactory(plan=draft)
    late = ActionFactory(objective=objective, due_date=dt.date(2021, 12, 31))
    ActionFactory(objective=objective, due_date=dt.date(2099, 12, 31), start_date=dt.date(2021, 1, 1))
    client = client_for(planner)
    assert [a["id"] for a in client.get(f"{API}actions/", {"late": "true"}).json()["results"]] == [late.pk]
    assert client.get(f"{API}actions/", {"due_before": "2022-01-01"}).json()["count"] == 1
    assert client.get(f"{API}actions/", {"status": "planned"}).json()["count"] == 2


def test_action_create_and_delete(draft, planner):
    objective = ObjectiveFactory(plan=draft)
    payload = {
        "objective": objective.pk,
        "title": "Campaign",
        "owner": "Prevention",
        "start_date": "2021-01-01",
        "due_date": "2020-01-01",
    }
    client = client_for(planner)
    assert_error(client.post(f"{API}actions/", payload, format="json"), 400)
    payload["due_date"] = "2021-06-30"
    response = client.post(f"{API}actions/", payload, format="json")
    assert response.status_code == 201
    assert client.delete(f"{API}actions/{response.json()['id']}/").status_code == 204
    assert not Action.objects.exists()


# --- comments -------------------------------------------------------------------------------------


def test_anyone_who_reads_a_plan_comments_and_only_the_author_edits():
    plan = approved()
    cppl, committee = user_with_role("cppl_member"), user_with_role("committee_member")
    response = client_for(cppl).post(f"{API}comments/", {"plan": plan.pk, "body": "Clear."}, format="json")
    assert response.status_code == 201 and response.json()["author"] == cppl.username
    comment_id = response.json()["id"]
    assert_error(client_for(committee).patch(f"{API}comments/{comment_id}/", {"body": "Mine now"}), 403)
    assert client_for(cppl).patch(f"{API}comments/{comment_id}/", {"body": "Very clear."}).status_code == 200
    assert_error(client_for(cppl).patch(f"{API}comments/{comment_id}/", {"plan": approved().pk}), 400, field="plan")
    assert Comment.objects.get().body == "Very clear."
    assert client_for(cppl).delete(f"{API}comments/{comment_id}/").status_code == 204


def test_comment_on_an_item_of_another_plan_refused():
    plan, other = approved(), approved()
    cppl = user_with_role("cppl_member")
    objective = ObjectiveFactory(plan=other)
    response = client_for(cppl).post(
        f"{API}comments/", {"plan": plan.pk, "objective": objective.pk, "body": "?"}, format="json"
    )
    assert_error(response, 400)


def test_comments_of_unreadable_plans_are_hidden(draft):
    CommentFactory(plan=draft)
    outsider = user_with_role("zone_chief", zone=PoliceZoneFactory())
    assert client_for(outsider).get(f"{API}comments/").json()["count"] == 0
    insider = user_with_role("zone_chief", zone=draft.zone)
    assert client_for(insider).get(f"{API}comments/", {"zone": draft.zone.key}).json()["count"] == 1


# --- NSP editions ---------------------------------------------------------------------------------


def test_nsp_editions_are_read_by_all_and_corrected_by_federal_planners(planner):
    edition = NationalSecurityPlanFactory(
        code="nsp-2022-2025", period_start=dt.date(2022, 1, 1), period_end=dt.date(2025, 12, 31)
    )
    AmbitionFactory(nsp=edition, number=1)
    client = client_for(planner)
    body = client.get(f"{API}nsp-editions/", {"code": "nsp-2022-2025"}).json()
    assert body["count"] == 1 and body["results"][0]["ambitions"][0]["number"] == 1
    assert client.get(f"{API}nsp-editions/", {"period": "2023"}).json()["count"] == 1
    assert client.patch(f"{API}nsp-editions/{edition.pk}/", {"title_fr": "x"}).status_code == 403
    federal = client_for(user_with_role("federal_planner"))
    response = federal.patch(f"{API}nsp-editions/{edition.pk}/", {"title_fr": "Plan national de sécurité 2022-2025"})
    assert response.status_code == 200 and response.json()["title_fr"] == "Plan national de sécurité 2022-2025"
    assert federal.delete(f"{API}nsp-editions/{edition.pk}/").status_code == 405
    assert federal.post(f"{API}nsp-editions/", {"code": "x"}).status_code == 405
