"""The default schedule of the periodic tasks, kept in the database by django-celery-beat.

Beat reads its schedule from the database (``CELERY_BEAT_SCHEDULER``), where administrators change it in the
admin (Periodic tasks: enable, disable, another time). ``install`` creates the entries below that are missing,
and leaves the others as the administrators set them; ``install(reset=True)`` puts these defaults back.
``manage.py setup_periodic_tasks`` calls it, and ``bin/release`` runs that on every deploy.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _


@dataclasses.dataclass(frozen=True)
class Default:
    name: str
    task: str
    description: str
    crontab: dict[str, str] | None = None  # minute, hour, day_of_week, day_of_month, month_of_year
    every_seconds: int | None = None
    enabled: bool = True
    label: str = ""  # what the schedules page calls it (reporting:schedules)
    # Federal planners change its time and switch it on or off on the schedules page; the system's own tasks
    # (outbox, sweeper, purge) stay with administrators in the admin.
    planners_edit: bool = False


DEFAULTS = (
    Default(
        "quarterly-national-overview",
        "reporting.tasks.request_quarterly_overviews",
        _("Every Coordinating Committee member gets the national overview of the quarter just ended."),
        crontab={"minute": "0", "hour": "6", "day_of_month": "1", "month_of_year": "1,4,7,10"},
        label=_("Quarterly national overview"),
        planners_edit=True,
    ),
    Default(
        "data-collection-reminders",
        "reporting.tasks.remind_data_collection",
        _('The data-collection cycle: "due soon" before each quarter\'s deadline, "overdue" the day after it.'),
        crontab={"minute": "0", "hour": "7"},
        label=_("Data-collection reminders"),
        planners_edit=True,
    ),
    Default(
        "report-subscriptions",
        "reporting.tasks.run_subscriptions",
        _("Every subscription gets the report of its period once that period has ended (safe to run again)."),
        crontab={"minute": "30", "hour": "6"},
        label=_("Report subscriptions"),
        planners_edit=True,
    ),
    Default(
        "overdue-indicator-reminders",
        "reporting.tasks.remind_overdue_indicators",
        _(
            "Each zone with overdue indicators on an approved plan gets one reminder (off: the data-collection "
            "reminders replace it; enable it for a weekly round)."
        ),
        crontab={"minute": "0", "hour": "7", "day_of_week": "1"},
        enabled=False,
        label=_("Weekly overdue-indicator reminders"),
        planners_edit=True,
    ),
    Default(
        "dispatch-reports",
        "reporting.tasks.dispatch_reports",
        _("The outbox: report runs queued while the broker could not be reached are sent once it answers again."),
        every_seconds=30,
        label=_("Report dispatcher (outbox)"),
    ),
    Default(
        "deleted-items-purge",
        "nsp.tasks.purge_deleted_items",
        _("Deleted items older than DELETED_RETENTION_DAYS are purged for good."),
        crontab={"minute": "15", "hour": "3"},
        label=_("Purge of deleted items"),
    ),
    Default(
        "sweep-reports",
        "reporting.tasks.sweep_reports",
        _('Runs left "running" past the time limit (their worker died): queued again once, then failed.'),
        every_seconds=120,
        label=_("Sweeper of stuck reports"),
    ),
)


def _schedule(default: Default) -> dict:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule

    if default.crontab is not None:
        fields = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
        crontab, _ = CrontabSchedule.objects.get_or_create(
            **{**fields, **default.crontab}, timezone=settings.CELERY_TIMEZONE
        )
        return {"crontab": crontab, "interval": None}
    interval, _ = IntervalSchedule.objects.get_or_create(every=default.every_seconds, period=IntervalSchedule.SECONDS)
    return {"interval": interval, "crontab": None}


@transaction.atomic
def install(*, reset: bool = False) -> dict[str, list[str]]:
    """Create the default periodic tasks that are missing (with ``reset``: set every default back as above).
    Returns ``{"created": [...], "reset": [...], "kept": [...]}`` by name."""
    from django_celery_beat.models import PeriodicTask

    done: dict[str, list[str]] = {"created": [], "reset": [], "kept": []}
    for default in DEFAULTS:
        values = {
            "task": default.task,
            "description": str(default.description),
            "enabled": default.enabled,
            **_schedule(default),
        }
        task = PeriodicTask.objects.filter(name=default.name).first()
        if task is None:
            PeriodicTask.objects.create(name=default.name, **values)
            done["created"].append(default.name)
        elif reset:
            for field, value in values.items():
                setattr(task, field, value)
            task.save()
            done["reset"].append(default.name)
        else:
            done["kept"].append(default.name)
    return done
