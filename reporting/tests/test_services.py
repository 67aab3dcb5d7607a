"""report_request / report_cancel / report_delete: validation, permission, and the task sent after commit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404

from nsp.exceptions import DomainError
from reporting import services
from reporting.models import ReportRun
from reporting.tests.conftest import PERIOD


def request(actor, **kwargs):
    defaults = {"kind": "national_overview", "scope": "national", "format": "pdf"}
    return services.report_request(actor=actor, **{**defaults, **kwargs})


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"kind": "weekly_gossip"}, "kind", "'weekly_gossip' is not a report kind"),
        ({"scope": "galaxy"}, "scope", "'galaxy' is not a report scope"),
        ({"format": "docx"}, "format", "'docx' is not a report format"),
        ({"language": "es"}, "language", "'es' is not a language of the application"),
        ({"period": "2021-Q5"}, "period", "'2021-Q5' is not a period"),
        ({"kind": "plan_progress", "scope": "national"}, "scope", "A plan progress report covers one plan"),
        ({"kind": "plan_progress", "scope": "plan"}, "plan", "Name the plan the report is about."),
        ({"scope": "district"}, "district", "Name the district the report is about."),
    ],
)
def test_request_refuses_what_is_not_a_report(world, kwargs, field, message):
    with pytest.raises(DomainError) as caught:
        request(world.committee, **kwargs)
    assert message in caught.value.message
    assert caught.value.extra["fields"][field]
    assert not ReportRun.objects.exists()


def test_request_refuses_a_target_the_scope_does_not_take(world):
    with pytest.raises(DomainError, match="takes no plan"):
        request(world.committee, scope="zone", zone=world.zone_a, plan=world.plan_a)
    assert not ReportRun.objects.exists()


def test_a_report_on_an_unreadable_plan_is_a_404_and_creates_nothing(world):
    with pytest.raises(Http404):
        request(world.chief_a, kind="plan_progress", scope="plan", plan=world.draft_b)
    with pytest.raises(Http404):
        request(world.committee, kind="alignment", scope="plan", plan=world.draft_b.pk)
    assert not ReportRun.objects.exists()


def test_a_user_without_a_role_may_not_request_reports(world):
    with pytest.raises(PermissionDenied):
        request(world.nobody)
    assert not ReportRun.objects.exists()


def test_request_queues_the_run_and_sends_the_task_after_commit(world, monkeypatch, django_capture_on_commit_callbacks):
    sent: list[int] = []
    monkeypatch.setattr(services, "enqueue", sent.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = request(world.chief_a, kind="plan_progress", scope="plan", plan=world.plan_a, period="2021-q4")
        # Nothing goes to the broker before the row is committed.
        assert sent == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert sent == [run.pk]
    run.refresh_from_db()
    assert (run.status, run.progress, run.period, run.plan_id) == ("queued", 0, PERIOD, world.plan_a.pk)
    assert run.requested_by == world.chief_a


def test_the_task_goes_to_the_reports_queue(world, monkeypatch, django_capture_on_commit_callbacks):
    from nsp.celery import app
    from reporting.tasks import run_report

    routed = app.amqp.router.route({}, run_report.name, (1,), {})
    assert routed["queue"].name == "reports"
    calls = []
    monkeypatch.setattr(run_report, "apply_async", lambda args, **kwargs: calls.append((args, kwargs["task_id"])))
    with django_capture_on_commit_callbacks(execute=True):
        run = request(world.committee)
    run.refresh_from_db()
    assert calls == [((run.pk,), run.task_id)] and run.dispatched_at


def test_cancel_a_queued_report(world):
    run = ReportRun.objects.create(kind="national_overview", scope="national", requested_by=world.committee)
    services.report_cancel(actor=world.committee, run=run)
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert "Cancelled by committee.member." in run.log
    with pytest.raises(DomainError, match="already ended"):
        services.report_cancel(actor=world.committee, run=run)


def test_only_the_requester_cancels_or_deletes(world):
    run = ReportRun.objects.create(kind="national_overview", scope="national", requested_by=world.committee)
    with pytest.raises(Http404):
        services.report_cancel(actor=world.chief_a, run=run)
    with pytest.raises(Http404):
        services.report_delete(actor=world.chief_a, run=run)
    assert ReportRun.objects.get(pk=run.pk).status == "queued"


def test_delete_removes_the_row_and_its_file(world, media, django_capture_on_commit_callbacks):
    run = ReportRun.objects.create(
        kind="national_overview", scope="national", requested_by=world.committee, status="done"
    )
    run.file.save("report.json", ContentFile(b"{}"))
    name, storage = run.file.name, run.file.storage
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_delete(actor=world.committee, run=run)
    assert not ReportRun.objects.filter(pk=run.pk).exists()
    assert not storage.exists(name)


def test_a_running_report_is_cancelled_before_it_is_deleted(world):
    run = ReportRun.objects.create(
        kind="national_overview", scope="national", requested_by=world.committee, status="running"
    )
    with pytest.raises(DomainError, match="cancel it first"):
        services.report_delete(actor=world.committee, run=run)
    assert ReportRun.objects.filter(pk=run.pk).exists()
