"""Reads of the core that other apps build on: which NSP edition is in force on a date.

The rule itself is ``nsp.models.in_force_condition`` (period, extension, not in preparation), used through
``NationalSecurityPlan.objects.in_force_on(day)`` and ``.with_in_force(day)``;
these are the two questions every page, form, report and dashboard asks of it. Call them, do not re-derive.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from nsp.models import NationalSecurityPlan


def _editions(user=None) -> QuerySet[NationalSecurityPlan]:
    editions = NationalSecurityPlan.objects.all()
    return editions.restrict(user, "view") if user is not None else editions


def edition_in_force(*, on: dt.date, user=None) -> NationalSecurityPlan | None:
    """The edition in force on ``on`` (its extension included), or None: between editions, or before the first.

    Should two overlap, the one that started last: it is the one the law has newer plans answer.
    """
    return _editions(user).in_force_on(on).order_by("-period_start", "-pk").first()


def edition_default(*, on: dt.date, user=None) -> NationalSecurityPlan | None:
    """The edition a new plan, a report or the dashboard starts from on ``on`` (one query).

    The edition in force; when none is (its successor not yet loaded, or a gap between editions), the latest
    that had begun by then; before every edition, the first. None only when no edition is loaded (or readable).
    """
    editions = list(
        _editions(user)
        .exclude(status=NationalSecurityPlan.Status.PREPARATION)
        .with_in_force(on)
        .order_by("-in_force", "-begun", "-period_start", "-pk")
    )
    if not editions:
        return None
    first = editions[0]
    # Nothing has begun: every edition lies ahead, latest first; the first of them is the last in the list.
    return first if first.in_force or first.begun else editions[-1]
