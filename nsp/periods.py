"""Reporting periods: ``2018-Q2`` (quarter), ``2018-H1`` (half-year), ``2018-05`` (month), ``2018`` (year).

Pure functions, no database: parse a label, name the period a date falls in, step through periods.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PERIOD_REGEX = r"^[12][0-9]{3}(-Q[1-4]|-H[12]|-(0[1-9]|1[0-2]))?$"
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<q>[1-4])|H(?P<h>[12])|(?P<m>0[1-9]|1[0-2])))?$")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", gettext_lazy("Monthly")
    QUARTERLY = "quarterly", gettext_lazy("Quarterly")
    HALF_YEARLY = "half_yearly", gettext_lazy("Half-yearly")
    YEARLY = "yearly", gettext_lazy("Yearly")


MONTHS_PER_PERIOD = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}
_EXAMPLES = {
    Frequency.MONTHLY: "2018-05",
    Frequency.QUARTERLY: "2018-Q2",
    Frequency.HALF_YEARLY: "2018-H1",
    Frequency.YEARLY: "2018",
}


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    frequency: str

    @property
    def label(self) -> str:
        year = self.start.year
        index = (self.start.month - 1) // MONTHS_PER_PERIOD[self.frequency] + 1
        return {
            Frequency.MONTHLY: f"{year}-{index:02d}",
            Frequency.QUARTERLY: f"{year}-Q{index}",
            Frequency.HALF_YEARLY: f"{year}-H{index}",
            Frequency.YEARLY: f"{year}",
        }[self.frequency]

    def __str__(self) -> str:
        return self.label

    def next(self) -> Period:
        return containing(self.end + dt.timedelta(days=1), self.frequency)

    def previous(self) -> Period:
        return containing(self.start - dt.timedelta(days=1), self.frequency)


def example(frequency: str) -> str:
    return _EXAMPLES[Frequency(frequency)]


def _month_span(year: int, first_month: int, months: int, frequency: str) -> Period:
    last_month = first_month + months - 1
    last_day = calendar.monthrange(year, last_month)[1]
    return Period(dt.date(year, first_month, 1), dt.date(year, last_month, last_day), frequency)


def parse(label: str) -> Period:
    """The period a label names; ValueError with a readable message when it names none."""
    match = _PATTERN.match((label or "").strip().upper())
    if not match:
        raise ValueError(_("'%(label)s' is not a period; write 2018-Q2, 2018-H1, 2018-05 or 2018.") % {"label": label})
    year = int(match["year"])
    if year < 1900:
        raise ValueError(_("'%(label)s' is not a period; the year is out of range.") % {"label": label})
    if match["q"]:
        return _month_span(year, 3 * int(match["q"]) - 2, 3, Frequency.QUARTERLY)
    if match["h"]:
        return _month_span(year, 6 * int(match["h"]) - 5, 6, Frequency.HALF_YEARLY)
    if match["m"]:
        return _month_span(year, int(match["m"]), 1, Frequency.MONTHLY)
    return _month_span(year, 1, 12, Frequency.YEARLY)


def containing(day: dt.date, frequency: str) -> Period:
    """The period of the given frequency that contains ``day``."""
    months = MONTHS_PER_PERIOD[Frequency(frequency)]
    first_month = (day.month - 1) // months * months + 1
    return _month_span(day.year, first_month, months, Frequency(frequency))


def last_complete(as_of: dt.date, frequency: str) -> Period:
    """The latest period of the frequency that has ended on or before ``as_of``."""
    current = containing(as_of, frequency)
    return current if current.end <= as_of else current.previous()


def between(start: dt.date, end: dt.date, frequency: str) -> list[Period]:
    """Every period of the frequency that overlaps [start, end], in order."""
    if end < start:
        return []
    result = [containing(start, frequency)]
    while result[-1].end < end:
        result.append(result[-1].next())
    return result
