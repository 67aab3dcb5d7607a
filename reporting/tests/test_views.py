"""Report pages per role (own runs only), the download, and the national dashboard."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import services
from reporting.models import ReportRun
from reporting.runners import ReportRunner
from reporting.tests.conftest import PERIOD
from tests.factories import ObjectiveFactory, PoliceZoneFactory, ZonalSecurityPlanFactory

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def no_tasks(monkeypatch):
    """Requests from pages queue runs; these tests run them by hand."""
    sent: list[int] = []
    monkeypatch.setattr(services, "enqueue", sent.append)
    return sent


def run_for(user, **fields) -> ReportRun:
    defaults = {"kind": "national_overview", "scope": "national", "format": "json", "period": PERIOD}
    return ReportRun.objects.create(requested_by=user, **{**defaults, **fields})


def done(run: ReportRun) -> ReportRun:
    run = ReportRunner(run).run()
    run.refresh_from_db()
    assert run.status == "done", run.log
    return run


# --- the list and one run ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for name in ("reporting:run-list", "reporting:run-new", "reporting:dashboard"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_shows_ones_own_runs_only(client, world):
    mine = run_for(world.chief_a, kind="plan_progress", scope="plan", plan=world.plan_a)
    theirs = run_for(world.committee)
    client.force_login(world.chief_a)
    response = client.get(reverse("reporting:run-list"))
    assert response.status_code == 200
    assert list(response.context["rows"]) == [mine]
    assert mine.get_absolute_url().encode() in response.content
    assert theirs.get_absolute_url().encode() not in response.content


@pytest.mark.parametrize("name", ["reporting:run", "reporting:run-download", "reporting:run-delete"])
def test_another_users_run_is_a_404(client, world, name):
    theirs = done(run_for(world.committee))
    client.force_login(world.chief_a)
    assert client.get(reverse(name, kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("reporting:run-cancel", kwargs={"pk": theirs.pk})).status_code == 404


def test_the_run_page_polls_while_queued_and_stops_when_done(client, world):
    run = run_for(world.chief_a)
    client.force_login(world.chief_a)
    page = client.get(run.get_absolute_url())
    assert page.status_code == 200
    assert b'hx-trigger="every 2s"' in page.content and b"<html" in page.content
    partial = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b'id="run-status"' in partial.content
    assert b'hx-trigger="every 2s"' in partial.content
    done(run)
    partial = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert b"hx-trigger" not in partial.content
    assert reverse("reporting:run-download", kwargs={"pk": run.pk}).encode() in partial.content
    assert b"Done." in partial.content


# --- requesting ---------------------------------------------------------------------------------------


def test_the_form_preselects_the_plan_of_the_query(client, world):
    client.force_login(world.chief_a)
    response = client.get(reverse("reporting:run-new") + f"?plan={world.plan_a.pk}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["plan"] == world.plan_a.pk
    assert (form.initial["kind"], form.initial["scope"]) == ("plan_progress", "plan")
    assert b'<label for="id_period"' in response.content
    # A plan the user may not read is a 404, not a preselection.
    response = client.get(reverse("reporting:run-new") + f"?plan={world.draft_b.pk}")
    assert response.status_code == 404


def test_only_role_holders_request_reports(client, world):
    # One who holds no role may read nothing, so there is nothing to report on: 404, as in the matrix.
    client.force_login(world.nobody)
    assert client.get(reverse("reporting:run-new")).status_code == 404


def test_posting_the_form_queues_a_report_and_shows_it(client, world, no_tasks, django_capture_on_commit_callbacks):
    client.force_login(world.chief_a)
    data = {
        "kind": "plan_progress",
        "scope": "plan",
        "plan": world.plan_a.pk,
        "zone": world.zone_b.pk,  # ignored: the scope names the plan
        "period": "2021-Q4",
        "format": "xlsx",
        "language": "nl",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:run-new"), data)
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert (run.kind, run.plan_id, run.zone_id, run.format, run.language) == (
        "plan_progress",
        world.plan_a.pk,
        None,
        "xlsx",
        "nl",
    )
    assert no_tasks == [run.pk]


def test_a_refused_request_shows_the_reason_on_the_form(client, world, no_tasks):
    client.force_login(world.chief_a)
    data = {"kind": "plan_progress", "scope": "national", "period": "", "format": "pdf", "language": "en"}
    response = client.post(reverse("reporting:run-new"), data)
    assert response.status_code == 400
    assert "A plan progress report covers one plan" in response.content.decode()
    assert not ReportRun.objects.exists()


def test_cancel_and_delete_from_the_pages(client, world):
    run = run_for(world.chief_a)
    client.force_login(world.chief_a)
    response = client.post(reverse("reporting:run-cancel", kwargs={"pk": run.pk}))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert client.get(reverse("reporting:run-delete", kwargs={"pk": run.pk})).status_code == 200
    response = client.post(reverse("reporting:run-delete", kwargs={"pk": run.pk}))
    assert response.status_code == 302 and response["Location"] == reverse("reporting:run-list")
    assert not ReportRun.objects.filter(pk=run.pk).exists()


# --- download -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv; charset=utf-8"),
        ("json", "application/json"),
    ],
)
def test_download_gives_the_file_with_its_type_and_a_sensible_name(client, world, fmt, content_type):
    run = done(run_for(world.chief_a, kind="plan_progress", scope="plan", plan=world.plan_a, format=fmt))
    client.force_login(world.chief_a)
    response = client.get(reverse("reporting:run-download", kwargs={"pk": run.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="plan-progress-zonal-security-plan-5339-2020-2025-{PERIOD}.{fmt}"' in disposition
    body = b"".join(response.streaming_content)
    with run.file.open("rb") as handle:
        assert body == handle.read()


def test_a_run_without_a_file_has_nothing_to_download(client, world):
    run = run_for(world.chief_a)
    client.force_login(world.chief_a)
    assert client.get(reverse("reporting:run-download", kwargs={"pk": run.pk})).status_code == 404


# --- the national dashboard ------------------------------------------------------------------------------


def dashboard(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("reporting:dashboard"), params)
    assert response.status_code == 200
    return response


def test_the_dashboard_numbers(client, world):
    data = dashboard(client, world.committee).context["data"]
    counts = {row["status"]: row["count"] for row in data["plans_by_status"]}
    # The committee reads everything but drafts.
    assert counts == {"draft": 0, "adopted": 0, "submitted": 0, "approved": 1, "closed": 0}
    clusters = {row["label"]: row for row in data["clusters"]}
    traffic = clusters["1. Traffic safety"]
    # S1 of zone 5339 adopts road safety (80 %); the road-safety programme's objective is done (100 %).
    assert (traffic["objectives"], traffic["progress"], traffic["progress_status"]) == (2, 0.9, "on_track")
    assert clusters["2. Drugs"]["objectives"] == 0 and clusters["2. Drugs"]["progress_status"] == "no_data"
    theme = data["themes"][0]
    assert (theme["objectives"], theme["progress"], theme["progress_status"]) == (1, 1.0, "achieved")
    districts = {row["label"]: row for row in data["districts"]}
    assert (districts["Brussel/Bruxelles"]["plans"], districts["Brussel/Bruxelles"]["objectives"]) == (1, 2)
    assert districts["Brussel/Bruxelles"]["progress_status"] == "off_track"
    assert (districts["Gent"]["plans"], districts["Gent"]["objectives"]) == (0, 0)
    assert [(p["title"], p["off_track"], p["objectives"]) for p in data["off_track_plans"]] == [
        ("Zonal security plan 5339 2020-2025", 1, 2)
    ]
    # As at today, every indicator of the approved plan is long overdue.
    assert {r["name"] for r in data["overdue_indicators"]} == {"Injury accidents", "Burglaries reported"}


def test_the_dashboard_shows_a_zone_its_own_draft_and_no_other(client, world):
    chief_b = dashboard(client, world.chief_b).context["data"]
    assert {r["status"]: r["count"] for r in chief_b["plans_by_status"]}["draft"] == 1
    chief_a = dashboard(client, world.chief_a)
    assert {r["status"]: r["count"] for r in chief_a.context["data"]["plans_by_status"]}["draft"] == 0
    assert b"Secret draft of Gent" not in chief_a.content


def test_the_dashboard_filters_by_district_and_offers_the_download(client, world):
    response = dashboard(client, world.committee, district=world.district_b.pk, nsp=world.nsp.pk)
    data = response.context["data"]
    assert [d["label"] for d in data["districts"]] == ["Gent"]
    assert data["off_track_plans"] == [] and data["overdue_total"] == 0
    html = response.content.decode()
    assert 'name="scope" value="district"' in html and f'name="district" value="{world.district_b.pk}"' in html
    assert 'name="format" value="xlsx"' in html and 'name="format" value="pdf"' in html


def test_the_dashboard_download_requests_a_report(client, world, no_tasks, django_capture_on_commit_callbacks):
    client.force_login(world.committee)
    form = dashboard(client, world.committee).context["download"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:run-new"), {**form, "format": "xlsx", "language": "en"})
    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert (run.kind, run.scope, run.format, run.requested_by) == (
        "national_overview",
        "national",
        "xlsx",
        world.committee,
    )
    done(run)
    run.refresh_from_db()
    assert run.snapshot["nsp"]["code"] == "nsp-2016-2019"


def test_the_dashboard_is_accessible_markup(client, world):
    html = dashboard(client, world.committee).content.decode()
    assert html.count("<h1") == 1
    assert 'scope="col"' in html and 'scope="row"' in html
    assert '<label for="id_nsp"' in html and '<label for="id_district"' in html
    # Progress is written out, never colour alone.
    assert "90 %" in html and "On track" in html


def _dashboard_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reporting:dashboard")).status_code == 200
    return len(queries)


# Session and user (2), roles and permissions (3), the edition (1) and whether it has plans (1), the data version
# (1: nsp.data_version; the reader's scope comes with the roles), the overview (12: the objectives and their totals
# in one pass each), the filter's choices (3), and twice the re-aligning addenda (the plans aligned with the edition
# that day: for the default edition's check and the overview).
DASHBOARD_QUERIES = 23


def test_the_dashboard_query_count_does_not_grow_with_plans(client, world):
    assert _dashboard_queries(client, world.committee) == DASHBOARD_QUERIES
    for n in range(5):
        zone = PoliceZoneFactory(district=world.district_b if n % 2 else world.district_a)
        plan = ZonalSecurityPlanFactory(zone=zone, nsp=world.nsp, status="approved", approved_on=dt.date(2020, 6, 1))
        ObjectiveFactory(plan=plan)
    assert _dashboard_queries(client, world.committee) == DASHBOARD_QUERIES


def test_the_snapshot_of_a_page_request_is_json(client, world):
    run = done(run_for(world.committee))
    assert json.loads(json.dumps(run.snapshot)) == run.snapshot


@pytest.mark.parametrize(
    ("who", "approved", "drafts", "download"),
    [
        ("committee", 1, 0, True),
        ("federal", 1, 0, True),
        ("chief_a", 1, 0, True),
        ("planner_a", 1, 0, True),
        ("chief_b", 1, 1, True),
        ("nobody", 0, 0, False),
    ],
)
def test_the_dashboard_per_role(client, world, who, approved, drafts, download):
    response = dashboard(client, getattr(world, who))
    counts = {r["status"]: r["count"] for r in response.context["data"]["plans_by_status"]}
    assert (counts["approved"], counts["draft"]) == (approved, drafts)
    assert (b'action="/reports/new/"' in response.content) is download
