"""Tasks: the eager path (embedded mode, no broker) and a real Celery worker on Redis."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import mail
from django.utils import timezone

from nsp import periods
from reporting import services
from reporting.models import OverdueReminder, ReportRun
from reporting.tasks import remind_overdue_indicators, request_quarterly_overviews, run_report
from reporting.tests.conftest import PERIOD, build_world

WORKER_TIMEOUT = 60

# --- the eager path ------------------------------------------------------------------------------------


def test_run_report_runs_the_runner(world, media, celery_eager):
    run = ReportRun.objects.create(
        kind="plan_progress", scope="plan", plan=world.plan_a, format="csv", period=PERIOD, requested_by=world.chief_a
    )
    assert run_report.delay(run.pk).get() == "done"
    run.refresh_from_db()
    assert run.status == "done" and run.file


def test_a_request_runs_eagerly_after_commit(world, media, celery_eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_request(
            actor=world.committee, kind="alignment", scope="district", district=world.district_a, format="json"
        )
    run.refresh_from_db()
    assert run.status == "done", run.log
    assert [p["plan"] for p in run.snapshot["plans"]] == ["Zonal security plan 5339 2020-2025"]


def test_quarterly_overviews_for_committee_members(world, media, celery_eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ids = request_quarterly_overviews.delay().get()
    quarter = periods.last_complete(timezone.localdate(), "quarterly").label
    (run,) = ReportRun.objects.filter(pk__in=ids)
    assert (run.requested_by, run.kind, run.scope, run.period, run.format) == (
        world.committee,
        "national_overview",
        "national",
        quarter,
        "pdf",
    )
    assert run.status == "done", run.log
    # Run again the same quarter: nobody gets a second copy.
    with django_capture_on_commit_callbacks(execute=True):
        assert request_quarterly_overviews.delay().get() == []
    assert ReportRun.objects.count() == 1


def test_quarterly_overviews_look_at_that_quarters_overview_only(world, django_capture_on_commit_callbacks):
    today = dt.date(2022, 1, 3)
    for kind, status in (("national_overview", "failed"), ("alignment", "done")):
        ReportRun.objects.create(
            requested_by=world.committee, kind=kind, scope="national", period="2021-Q4", status=status
        )
    with django_capture_on_commit_callbacks(execute=False):
        (run,) = services.report_schedule_quarterly(today=today)
        assert services.report_schedule_quarterly(today=today) == []
    assert (run.requested_by, run.period, run.status) == (world.committee, "2021-Q4", "queued")


def test_overdue_reminders_mail_the_zone_and_are_recorded_once_a_day(world, celery_eager):
    ids = remind_overdue_indicators.delay().get()
    (reminder,) = OverdueReminder.objects.filter(pk__in=ids)
    assert reminder.zone == world.zone_a and reminder.sent_on == timezone.localdate()
    assert sorted(reminder.recipients.split()) == ["chief.5339@example.test", "planner.5339@example.test"]
    assert {i["name"] for i in reminder.indicators} == {"Injury accidents", "Burglaries reported"}
    # One mail per recipient, the same text.
    assert sorted(m.to[0] for m in mail.outbox) == ["chief.5339@example.test", "planner.5339@example.test"]
    message = mail.outbox[0]
    assert "5339" in message.subject and "2" in message.subject
    assert "Injury accidents" in message.body and "Burglaries reported" in message.body
    # The draft of zone 5415 is not in execution: nothing to remind there. A second run today sends nothing.
    assert remind_overdue_indicators.delay().get() == []
    assert len(mail.outbox) == 2


def test_a_mail_that_fails_is_recorded_and_raises_nothing(world, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    (reminder,) = services.reminder_send_overdue(today=dt.date(2022, 1, 20))
    assert {f["email"] for f in reminder.failures} == {"chief.5339@example.test", "planner.5339@example.test"}


def test_the_beat_schedule_names_our_tasks():
    from nsp.celery import app
    from nsp.schedule import DEFAULTS

    app.loader.import_default_modules()
    names = {entry.task for entry in DEFAULTS}
    assert {request_quarterly_overviews.name, "reporting.tasks.remind_data_collection"} <= names
    assert {"reporting.tasks.run_subscriptions", remind_overdue_indicators.name} <= names
    assert names <= set(app.tasks)


# --- a real worker ---------------------------------------------------------------------------------------


def wait_for(predicate, *, timeout: float = WORKER_TIMEOUT, worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    log = worker.log()[-4000:] if worker is not None else ""
    pytest.fail(f"The worker did not finish within {timeout}s.\n{log}")


@pytest.mark.worker
def test_a_real_worker_produces_a_requested_report(celery_worker_process, transactional_db):
    world = build_world()
    # Outside any transaction: the task is sent as soon as report_request commits.
    run = services.report_request(
        actor=world.chief_a, kind="plan_progress", scope="plan", plan=world.plan_a, period=PERIOD, format="pdf"
    )

    def finished():
        current = ReportRun.objects.get(pk=run.pk)
        return current if current.is_finished else None

    run = wait_for(finished, worker=celery_worker_process)
    assert run.status == "done", f"{run.log}\n{celery_worker_process.log()[-4000:]}"
    assert "Reading the data as chief.5339." in run.log
    with run.file.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    assert len(run.snapshot_hash) == 64
    run.file.delete(save=False)


@pytest.mark.worker
def test_a_real_worker_sends_the_overdue_reminders(celery_worker_process, transactional_db):
    world = build_world()
    remind_overdue_indicators.delay()
    reminder = wait_for(lambda: OverdueReminder.objects.filter(zone=world.zone_a).first(), worker=celery_worker_process)
    assert sorted(reminder.recipients.split()) == ["chief.5339@example.test", "planner.5339@example.test"]
    assert not OverdueReminder.objects.filter(zone=world.zone_b).exists()
