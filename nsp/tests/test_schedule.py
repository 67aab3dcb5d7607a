"""The periodic tasks live in the database (django-celery-beat): created from nsp/schedule.py, edited in the admin."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from nsp import schedule
from nsp.celery import app

pytestmark = pytest.mark.django_db


def setup(*args: str) -> str:
    out = io.StringIO()
    call_command("setup_periodic_tasks", *args, stdout=out)
    return out.getvalue()


def test_setup_creates_every_default_once_each_naming_a_task_of_ours():
    assert "created: data-collection-reminders" in setup()
    app.loader.import_default_modules()
    tasks = {task.name: task for task in PeriodicTask.objects.all()}
    assert set(tasks) == {d.name for d in schedule.DEFAULTS}
    assert {task.task for task in tasks.values()} <= set(app.tasks)
    reminders = tasks["data-collection-reminders"]
    assert (reminders.crontab.minute, reminders.crontab.hour, str(reminders.crontab.timezone)) == (
        "0",
        "7",
        settings.CELERY_TIMEZONE,
    )
    assert tasks["dispatch-reports"].interval.every == 30 and not tasks["overdue-indicator-reminders"].enabled
    assert "kept: data-collection-reminders" in setup()
    assert PeriodicTask.objects.count() == len(schedule.DEFAULTS)


def test_what_an_administrator_changed_stays_until_reset():
    setup()
    task = PeriodicTask.objects.get(name="data-collection-reminders")
    task.crontab = CrontabSchedule.objects.create(minute="15", hour="9", timezone=settings.CELERY_TIMEZONE)
    task.enabled = False
    task.save()

    setup()
    task.refresh_from_db()
    assert (task.crontab.hour, task.enabled) == ("9", False)

    assert "reset: data-collection-reminders" in setup("--reset")
    task.refresh_from_db()
    assert (task.crontab.hour, task.crontab.minute, task.enabled) == ("7", "0", True)


@pytest.mark.django_db(transaction=True)  # the scheduler closes the database connection, as beat does
def test_beat_reads_the_schedule_from_the_database_and_keeps_the_admins_changes():
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    assert not app.conf.beat_schedule  # nothing in the code that beat would write over the database with
    setup()
    PeriodicTask.objects.filter(name="report-subscriptions").update(enabled=False)
    PeriodicTask.objects.filter(name="data-collection-reminders").update(
        crontab=CrontabSchedule.objects.create(minute="15", hour="9", timezone=settings.CELERY_TIMEZONE)
    )

    scheduler = DatabaseScheduler(app=app)
    assert {"dispatch-reports", "sweep-reports"} <= set(scheduler.schedule)
    entry = scheduler.Entry(PeriodicTask.objects.get(name="data-collection-reminders"), app=app)
    assert (entry.task, entry.schedule.hour, entry.schedule.minute) == (
        "reporting.tasks.remind_data_collection",
        {9},
        {15},
    )
    enabled = {task.name for task in scheduler.enabled_models_qs().model.objects.enabled()}
    assert "report-subscriptions" not in enabled and "overdue-indicator-reminders" not in enabled
    # Starting beat wrote nothing over the database: no task of its own (we keep no task results to clean up).
    assert set(PeriodicTask.objects.values_list("name", flat=True)) == {d.name for d in schedule.DEFAULTS}


def test_the_admin_edits_the_periodic_tasks(admin_client):
    setup()
    task = PeriodicTask.objects.get(name="sweep-reports")
    assert admin_client.get("/admin/django_celery_beat/periodictask/").status_code == 200
    assert admin_client.get(f"/admin/django_celery_beat/periodictask/{task.pk}/change/").status_code == 200
