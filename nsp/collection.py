"""The data-collection cycle: the measurements of a period are due by a deadline, a number of days after the
period ends (``settings.DATA_DEADLINE_DAYS``, 30 by default), and reminders go out before it
(``settings.DATA_REMINDER_DAYS_BEFORE`` days, 7 by default) and the day after it.

The one place that says which period is being collected on a day and by when; the reminder task
(``reporting.services.collection_remind``), the federal planners' collection page and the zone's home read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from nsp import periods

FREQUENCY = periods.Frequency.QUARTERLY  # zones report quarterly (indicators of longer periods at their end)


@dataclass(frozen=True)
class Cycle:
    period: periods.Period
    deadline: dt.date
    remind_before: dt.date  # the day the "due soon" reminder goes out
    remind_after: dt.date  # the day the "overdue" reminder goes out

    def is_overdue(self, today: dt.date) -> bool:
        return today > self.deadline

    def days_left(self, today: dt.date) -> int:
        return (self.deadline - today).days


def cycle_of(period: periods.Period) -> Cycle:
    deadline = period.end + dt.timedelta(days=settings.DATA_DEADLINE_DAYS)
    return Cycle(
        period=period,
        deadline=deadline,
        remind_before=deadline - dt.timedelta(days=settings.DATA_REMINDER_DAYS_BEFORE),
        remind_after=deadline + dt.timedelta(days=1),
    )


def collecting(today: dt.date) -> Cycle:
    """The period being collected on ``today``: the last one that has ended (its deadline may have passed)."""
    return cycle_of(periods.last_complete(today, FREQUENCY))
