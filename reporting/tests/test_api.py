"""Report runs through the API: request, follow, download, cancel, delete — one's own runs only."""

from __future__ import annotations

import json

import pytest

from nsp.api.testing import API, assert_error, client_for
from reporting.models import ReportRun
from reporting.runners import ReportRunner
from reporting.tests.conftest import PERIOD


def request_report(client, **fields):
    payload = {"kind": "plan_progress", "scope": "plan", "period": PERIOD, "format": "json", **fields}
    return client.post(f"{API}reports/", payload, format="json")


def test_request_a_report_on_a_readable_plan(world):
    client = client_for(world.chief_a)
    response = request_report(client, plan=world.plan_a.pk)
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "queued" and body["requested_by"] == "chief.5339" and body["download"] is None
    run = ReportRun.objects.get(pk=body["id"])
    assert run.plan_id == world.plan_a.pk and run.period == PERIOD


def test_a_plan_one_may_not_read_does_not_exist(world):
    response = request_report(client_for(world.chief_a), plan=world.draft_b.pk)
    assert_error(response, 400, field="plan")
    assert not ReportRun.objects.exists()


def test_request_rules_answer_field_errors(world):
    client = client_for(world.chief_a)
    assert_error(request_report(client), 400, field="plan")
    assert_error(request_report(client, plan=world.plan_a.pk, scope="national"), 400)
    assert_error(request_report(client, plan=world.plan_a.pk, period="2021-Q9"), 400, field="period")
    assert_error(request_report(client, plan=world.plan_a.pk, format="docx"), 400, field="format")


def test_users_without_a_role_may_not_request(world):
    response = request_report(client_for(world.nobody), kind="national_overview", scope="national")
    assert_error(response, 403)


def test_one_sees_only_ones_own_runs(world):
    mine = ReportRun.objects.create(kind="national_overview", scope="national", requested_by=world.committee)
    theirs = ReportRun.objects.create(kind="national_overview", scope="national", requested_by=world.federal)
    client = client_for(world.committee)
    assert [r["id"] for r in client.get(f"{API}reports/").json()["results"]] == [mine.pk]
    assert_error(client.get(f"{API}reports/{theirs.pk}/"), 404)
    assert_error(client.delete(f"{API}reports/{theirs.pk}/"), 404)
    assert client.get(f"{API}reports/", {"status": "queued", "kind": "national_overview"}).json()["count"] == 1


def test_download_once_done(world, media):
    run = ReportRun.objects.create(
        kind="plan_progress", scope="plan", plan=world.plan_a, period=PERIOD, format="json", requested_by=world.chief_a
    )
    client = client_for(world.chief_a)
    body = assert_error(client.get(f"{API}reports/{run.pk}/download/"), 409)
    assert body["extra"]["code"] == "not_ready"
    ReportRunner(run).run()
    detail = client.get(f"{API}reports/{run.pk}/").json()
    assert detail["status"] == "done" and detail["download"].endswith(f"/api/v1/reports/{run.pk}/download/")
    response = client.get(f"{API}reports/{run.pk}/download/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert json.loads(b"".join(response.streaming_content))["report"]["kind"] == "plan_progress"
    pdf_accepting = client.get(f"{API}reports/{run.pk}/download/", HTTP_ACCEPT="application/pdf")
    assert pdf_accepting.status_code == 200


def test_cancel_and_delete(world):
    run = ReportRun.objects.create(kind="national_overview", scope="national", requested_by=world.committee)
    client = client_for(world.committee)
    response = client.post(f"{API}reports/{run.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert_error(client.post(f"{API}reports/{run.pk}/cancel/"), 400)
    assert client.delete(f"{API}reports/{run.pk}/").status_code == 204
    assert not ReportRun.objects.exists()


def test_reports_cannot_be_edited(world):
    run = ReportRun.objects.create(kind="national_overview", scope="national", requested_by=world.committee)
    assert client_for(world.committee).patch(f"{API}reports/{run.pk}/", {"status": "done"}).status_code == 405


@pytest.mark.parametrize("user", ["chief_a", "committee"])
def test_report_list_is_one_query_set_whatever_the_number_of_runs(world, user):
    from nsp.api.testing import count_queries

    actor = getattr(world, user)
    client = client_for(actor)
    ReportRun.objects.create(kind="national_overview", scope="national", requested_by=actor)
    few = count_queries(lambda: client.get(f"{API}reports/"))
    for _ in range(20):
        ReportRun.objects.create(kind="national_overview", scope="national", requested_by=actor)
    assert count_queries(lambda: client.get(f"{API}reports/")) == few
