"""Reporting tasks: thin wrappers that take ids (or nothing), load, and call the runner or a service.

They run on the ``reports`` queue (``CELERY_TASK_ROUTES`` routes ``reporting.tasks.*`` there; the dispatcher
and the sweeper on ``default``). None retries: a report that failed says why in its log, and the scheduled tasks
are safe to run again. Beat calls all but ``run_report`` (the schedule: ``nsp/schedule.py``, then the admin).
"""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from reporting import services
from reporting.runners import ReportRunner


@shared_task(name="reporting.tasks.run_report", bind=True)
def run_report(self, report_run_id: int) -> str | None:
    """Produce the file of one report run, if this message is the one it awaits; returns its status."""
    run = ReportRunner.run_by_id(report_run_id, task_id=self.request.id)
    return run.status if run is not None else None


@shared_task(name="reporting.tasks.dispatch_reports")
def dispatch_reports() -> list[int]:
    """The outbox: send the jobs of runs queued while the broker could not be reached (once each)."""
    return services.report_dispatch_pending()


@shared_task(name="reporting.tasks.sweep_reports")
def sweep_reports() -> dict[str, list[int]]:
    """Runs stuck in "running" past the time limit (their worker died): queued again once, then failed."""
    return services.report_sweep_stuck()


@shared_task(name="reporting.tasks.request_quarterly_overviews")
def request_quarterly_overviews() -> list[int]:
    """Every Coordinating Committee member gets the national overview of the quarter just ended."""
    return [run.pk for run in services.report_schedule_quarterly(today=timezone.localdate())]


@shared_task(name="reporting.tasks.remind_overdue_indicators")
def remind_overdue_indicators() -> list[int]:
    """Each zone with overdue indicators on an approved plan gets one reminder (per day at most)."""
    return [reminder.pk for reminder in services.reminder_send_overdue(today=timezone.localdate())]


@shared_task(name="reporting.tasks.run_subscriptions")
def run_subscriptions() -> list[int]:
    """Every subscription gets the report of the period of its frequency that ended last (once)."""
    return [run.pk for run in services.subscriptions_run(today=timezone.localdate())]


@shared_task(name="reporting.tasks.remind_data_collection")
def remind_data_collection() -> list[int]:
    """The data-collection cycle's reminders of the day: "due soon" before a period's deadline, "overdue" after."""
    return [reminder.pk for reminder in services.collection_remind(today=timezone.localdate())]
