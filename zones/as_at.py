"""Zonal plans "as at" a day: each plan's workflow state and alignment answers as they stood at the end of it.

The one place that reads the past of a plan's status and answers; the dashboard (``reporting.selectors``), the
coverage matrix (``reporting.coverage``) and the reports (``reporting.snapshots`` through the selectors) ask it.

What stood at the end of a day is the latest history row (django-simple-history) recorded before the next day
began, in the application's time zone. A row first recorded after the day — typed in later, seeded, imported
(the demo, ``generate_national``) — has no such row: it reads as it is now, so a plan loaded today still shows
its answers and state as at a day of its period instead of nothing (docs/decisions.md, "As at a day"). A day
from today on is the present: the live rows, no history read.

The edition a plan answers on a day is not read here: that is the re-aligning addendum's approval date
(``zones.selectors.plans_aligned_with``). A re-alignment adds the new edition's answers beside the old ones, so
both sets of rows exist and each is read as at the day like any other.

Bounded queries whatever the number of plans: one for the states, four for the answers (the answers recorded
by then and their adopting objectives, the live answers not yet recorded by then and theirs). No per-plan loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from django.apps import apps
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from zones.models import NationalAlignment, ZonalSecurityPlan

Key = tuple[int, str, int]  # (plan id, "phenomenon" or "theme", priority id)


class AnswerAt(NamedTuple):
    """A plan's answer to one national priority as flat values (no model instance)."""

    adopted: bool
    justification: str
    to_confirm: bool
    objectives: tuple[tuple[int, str, str], ...]  # adopting objectives (id, code, title), in the plan's order

    @property
    def objective_ids(self) -> tuple[int, ...]:
        return tuple(pk for pk, _code, _title in self.objectives)

    @property
    def objective_codes(self) -> str:
        """The adopting objectives by code (by title when without one), as the coverage matrix lists them."""
        return ", ".join(code or title for _pk, code, title in self.objectives)

    @property
    def objective_labels(self) -> str:
        """The adopting objectives as ``Objective.__str__`` writes them (code and title), as the reports list them."""
        return ", ".join(f"{code} {title}".strip() for _pk, code, title in self.objectives)


def is_past(day: dt.date | None) -> bool:
    """Whether ``day`` is before today: only then is the history read."""
    return day is not None and day < timezone.localdate()


def end_of(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the application's time zone: history rows before it stood that day."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _latest(history, cutoff: dt.datetime, **same):
    """The history rows that were the latest of their object before ``cutoff`` (ties broken by history id)."""
    latest = (
        history.filter(history_date__lt=cutoff, **{key: OuterRef(value) for key, value in same.items()})
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return history.filter(history_date__lt=cutoff, history_id=Subquery(latest))


def existed(day: dt.date | None) -> Q:
    """A filter on plans (``nsp.Plan`` or a subclass): those that existed at the end of ``day``. A plan recorded
    after the day did not, unless its period had begun by then: a plan loaded after its period began (seeded,
    imported, ``generate_national``) counts from its start, like its answers and state (read as they are now). So
    the drafts of a term to come, begun after the day, are not counted as at the day. Every plan when ``day`` is
    None or not in the past."""
    if not is_past(day):
        return Q()
    return Q(created_at__lt=end_of(day)) | Q(period_start__lte=day)


# --- the workflow state -----------------------------------------------------------------------------------


def plan_statuses(current: Mapping[int, str], day: dt.date | None) -> dict[int, str]:
    """Per zonal plan id, its workflow state (``PlanStatus`` value) at the end of ``day``. ``current`` maps the
    plans' ids to today's state, as the caller loaded them: returned as is when ``day`` is None or not in the
    past, and for a plan first recorded after the day. One query for a past day, none otherwise."""
    found = dict(current)
    if not is_past(day) or not found:
        return found
    history = ZonalSecurityPlan.history.filter(plan_ptr_id__in=list(found))
    recorded = _latest(history, end_of(day), id="id").exclude(history_type="-")
    found.update(recorded.values_list("id", "status"))
    return found


# --- the alignment answers ------------------------------------------------------------------------------------


def _key(plan_id: int, phenomenon_id: int | None, theme_id: int | None) -> Key:
    return (plan_id, "phenomenon", phenomenon_id) if phenomenon_id else (plan_id, "theme", theme_id)


def _objective(pk: int, code: str | None, title: str | None) -> tuple[int, str, str]:
    return (pk, code or "", title or "")  # an objective deleted since reads without code or title


_OBJECTIVE_ORDER = ("objective__position", "objective__code", "objective_id")


def _live_answers(plan_ids: list[int], exclude=None) -> dict[Key, AnswerAt]:
    """The answers as they are now, leaving out the ``exclude`` ids (a subquery or a list)."""
    rows = NationalAlignment.objects.filter(plan__in=plan_ids)
    through = NationalAlignment.objectives.through.objects.filter(nationalalignment__plan__in=plan_ids)
    if exclude is not None:
        rows = rows.exclude(pk__in=exclude)
        through = through.exclude(nationalalignment_id__in=exclude)
    adopting: dict[int, list[tuple[int, str, str]]] = {}
    for alignment_id, *objective in through.order_by(*_OBJECTIVE_ORDER).values_list(
        "nationalalignment_id", "objective_id", "objective__code", "objective__title"
    ):
        adopting.setdefault(alignment_id, []).append(_objective(*objective))
    return {
        _key(plan_id, phenomenon_id, theme_id): AnswerAt(
            adopted, justification, to_confirm, tuple(adopting.get(pk, ()))
        )
        for pk, plan_id, phenomenon_id, theme_id, adopted, justification, to_confirm in rows.values_list(
            "pk", "plan_id", "phenomenon_id", "theme_id", "adopted", "justification", "to_confirm"
        )
    }


def answers(plan_ids: Iterable[int], day: dt.date | None) -> dict[Key, AnswerAt]:
    """Per (plan, kind, priority), the plan's answer at the end of ``day``: the latest history row of each answer
    recorded by then (an answer deleted by then is gone), with the adopting objectives of that row; an answer
    first recorded after the day as it is now. Today's answers when ``day`` is None or not in the past.

    The caller passes plans the user may read (``restrict``). Two queries for today; four for a past day (three
    when nothing was recorded by then)."""
    ids = list(plan_ids)
    if not ids:
        return {}
    if not is_past(day):
        return _live_answers(ids)
    history = NationalAlignment.history.filter(plan_id__in=ids)
    cutoff = end_of(day)
    latest = _latest(history, cutoff, id="id")
    recorded = list(
        latest.values_list(
            "history_id",
            "history_type",
            "plan_id",
            "phenomenon_id",
            "theme_id",
            "adopted",
            "justification",
            "to_confirm",
        )
    )
    if not recorded:
        return _live_answers(ids)
    m2m = apps.get_model("zones", "HistoricalNationalAlignment_objectives")  # each history row's objectives
    adopting: dict[int, list[tuple[int, str, str]]] = {}
    standing = latest.exclude(history_type="-").values("history_id")
    for history_id, *objective in (
        m2m.objects.filter(history_id__in=standing, objective_id__isnull=False)
        .order_by(*_OBJECTIVE_ORDER)
        .values_list("history_id", "objective_id", "objective__code", "objective__title")
    ):
        adopting.setdefault(history_id, []).append(_objective(*objective))
    # The subqueries stay in the database: no list of thousands of ids sent back at national size.
    found = _live_answers(ids, exclude=history.filter(history_date__lt=cutoff).values("id"))
    for history_id, kind, plan_id, phenomenon_id, theme_id, adopted, justification, to_confirm in recorded:
        if kind != "-":
            objectives = tuple(adopting.get(history_id, ()))
            found[_key(plan_id, phenomenon_id, theme_id)] = AnswerAt(adopted, justification, to_confirm, objectives)
    return found


def answer_state(answer: AnswerAt | None) -> str:
    """adopted / not_adopted / undecided: adopted once an objective adopts it, not adopted once a justification
    says why (and is confirmed, when a re-alignment carried it), else undecided (as
    ``zones.selectors.AlignmentRow.decided``)."""
    if answer is None or answer.to_confirm:
        return "undecided"
    if answer.adopted:
        return "adopted" if answer.objectives else "undecided"
    return "not_adopted" if answer.justification.strip() else "undecided"
