"""Jobs that survive a dead broker and dead workers: the run row as outbox, the dispatcher, exactly-once claims,
and the sweeper of runs stuck in "running"."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from nsp.api.testing import API, client_for
from reporting import runners, services
from reporting.models import ReportRun
from reporting.runners import ReportRunner
from reporting.tasks import dispatch_reports, run_report, sweep_reports
from reporting.tests.conftest import PERIOD

pytestmark = pytest.mark.usefixtures("media")


class Broker:
    """What reaches the broker: ``(run id, task id)`` per message; ``down`` refuses like a stopped Redis."""

    def __init__(self):
        self.sent: list[tuple[int, str]] = []
        self.down = False

    def apply_async(self, args, task_id=None, **kwargs):
        if self.down:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        self.sent.append((args[0], task_id))


@pytest.fixture
def broker(monkeypatch):
    fake = Broker()
    monkeypatch.setattr(run_report, "apply_async", fake.apply_async)
    return fake


def queued(world, **fields) -> ReportRun:
    values = {"kind": "plan_progress", "scope": "plan", "plan": world.plan_a, "format": "json", "period": PERIOD}
    return ReportRun.objects.create(requested_by=world.chief_a, **{**values, **fields})


def test_the_api_answers_202_with_the_run_queued_while_the_broker_is_down(
    world, broker, django_capture_on_commit_callbacks
):
    broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.chief_a).post(
            f"{API}reports/",
            {"kind": "plan_progress", "scope": "plan", "plan": world.plan_a.pk, "period": PERIOD, "format": "json"},
            format="json",
        )
    assert response.status_code == 202, response.json()
    assert response.json()["status"] == "queued"
    run = ReportRun.objects.get(pk=response.json()["id"])
    assert (run.status, run.dispatched_at, broker.sent) == ("queued", None, [])


def test_the_page_queues_the_run_and_says_the_queue_is_away(client, world, broker, django_capture_on_commit_callbacks):
    broker.down = True
    client.force_login(world.chief_a)
    data = {"kind": "plan_progress", "scope": "plan", "plan": world.plan_a.pk, "period": PERIOD, "format": "pdf"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:run-new"), {**data, "language": "en"}, follow=True)
    run = ReportRun.objects.get()
    assert response.redirect_chain == [(run.get_absolute_url(), 302)] and response.status_code == 200
    assert run.status == "queued" and run.dispatched_at is None
    assert "The task queue cannot be reached just now" in response.content.decode()


def test_the_dispatcher_sends_each_waiting_run_once_when_the_broker_is_back(world, broker):
    broker.down = True
    first, second = queued(world), queued(world)
    assert services.enqueue(first.pk) == services.UNREACHABLE
    assert dispatch_reports.run() == []  # still down: nothing sent, nothing lost
    assert ReportRun.objects.filter(dispatched_at__isnull=True).count() == 2

    broker.down = False
    assert dispatch_reports.run() == [first.pk, second.pk]
    assert dispatch_reports.run() == []  # once each
    for run in (first, second):
        run.refresh_from_db()
        assert run.dispatched_at and (run.pk, run.task_id) in broker.sent
    assert len(broker.sent) == 2


def test_a_cancelled_or_finished_run_is_not_dispatched(world, broker):
    queued(world, status="cancelled")
    queued(world, status="done")
    assert services.report_dispatch_pending() == [] and broker.sent == []


def test_only_the_message_the_run_awaits_produces_it(world, broker):
    run = queued(world)
    services.enqueue(run.pk)
    ((_, awaited),) = broker.sent

    assert ReportRunner.run_by_id(run.pk, task_id="a-copy-sent-earlier").status == "queued"
    assert ReportRunner.run_by_id(run.pk, task_id=awaited).status == "done"
    # Delivered once more after it was done: left alone.
    again = ReportRunner.run_by_id(run.pk, task_id=awaited)
    assert (again.status, again.attempts, again.log.count("Done.")) == ("done", 1, 1)


def test_the_same_message_delivered_again_takes_over_the_run_its_dead_process_left(world, media):
    run = queued(world, status="running", task_id="t-1", attempts=1, progress=10, log="10:00 Started.")
    assert ReportRunner.run_by_id(run.pk, task_id="t-2").status == "running"  # another message: not its run

    run = ReportRunner.run_by_id(run.pk, task_id="t-1")
    assert (run.status, run.progress, run.attempts) == ("done", 100, 2)
    assert "Started again: the process producing it was lost." in run.log and run.log.count("Done.") == 1
    assert [p.name for p in media.rglob(f"report-{run.pk}-*")] == [run.file.name.rsplit("/", 1)[-1]]


def test_a_file_saved_by_a_process_that_died_before_naming_it_is_replaced(world, media):
    run = queued(world, status="running", task_id="t-1", attempts=1)
    leftover = media / f"reports/{timezone.now():%Y/%m}/report-{run.pk}-plan-progress.json"
    leftover.parent.mkdir(parents=True)
    leftover.write_text("half a file")
    run = ReportRunner.run_by_id(run.pk, task_id="t-1")
    assert run.status == "done" and run.file.name.endswith(leftover.name)
    assert [p.name for p in media.rglob(f"report-{run.pk}-*")] == [leftover.name]


def test_a_run_whose_process_dies_every_time_fails_after_three_starts(world):
    run = queued(world, status="running", task_id="t-1", attempts=runners.MAX_ATTEMPTS)
    run = ReportRunner.run_by_id(run.pk, task_id="t-1")
    assert run.status == "failed" and run.finished_at
    assert "the process producing this report was lost 3 times; not tried again" in run.log


def test_the_soft_time_limit_fails_the_run_with_the_reason(world, monkeypatch, settings):
    def too_long(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(runners.snapshots, "build", too_long)
    run = ReportRunner(queued(world)).run()
    assert run.status == "failed"
    assert f"The report took longer than its time limit ({settings.CELERY_TASK_SOFT_TIME_LIMIT} s)." in run.log


def test_the_sweeper_queues_a_stuck_run_again_once_then_fails_it(
    world, broker, settings, caplog, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_TIME_LIMIT = 600
    now = timezone.now()
    long_ago = now - dt.timedelta(seconds=600) - services.STUCK_GRACE - dt.timedelta(seconds=1)
    stuck = queued(world, status="running", task_id="lost", attempts=1, started_at=long_ago, dispatched_at=long_ago)
    busy = queued(world, status="running", task_id="busy", attempts=1, started_at=now - dt.timedelta(seconds=590))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_sweep_stuck(now=now) == {"requeued": [stuck.pk], "failed": []}
    stuck.refresh_from_db()
    assert (stuck.status, stuck.requeues, stuck.progress) == ("queued", 1, 0)
    assert "past the time limit of 600 s: the process producing it was lost. Queued again." in stuck.log
    # Sent again under a new task id: the lost message, should it come back, finds another id and stops.
    assert broker.sent == [(stuck.pk, stuck.task_id)] and stuck.task_id != "lost"
    assert ReportRunner.run_by_id(stuck.pk, task_id="lost").status == "queued"
    assert ReportRun.objects.get(pk=busy.pk).status == "running"

    ReportRun.objects.filter(pk=stuck.pk).update(status="running", started_at=long_ago)
    with caplog.at_level(logging.ERROR, logger="reporting.services"):
        assert sweep_reports.run() == {"requeued": [], "failed": [stuck.pk]}
    stuck.refresh_from_db()
    assert stuck.status == "failed" and stuck.finished_at
    assert "Failed: still running past the time limit of 600 s after being queued again once." in stuck.log
    assert f"Report run {stuck.pk} failed: stuck in running" in caplog.text


def test_the_beat_schedule_runs_the_dispatcher_and_the_sweeper():
    from nsp.schedule import DEFAULTS

    every = {entry.task: entry.every_seconds for entry in DEFAULTS if entry.enabled}
    assert every[dispatch_reports.name] == 30 and every[sweep_reports.name] == 120


def test_celery_acks_late_rejects_on_a_lost_worker_and_stops_before_the_visibility_timeout(settings):
    from nsp.celery import app

    assert app.conf.task_acks_late is True and app.conf.task_reject_on_worker_lost is True
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit < settings.BROKER_VISIBILITY_TIMEOUT
