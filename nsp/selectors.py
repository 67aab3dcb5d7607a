"""Reads of the core that other apps build on: which NSP edition is in force on a date; what the home page
lists for a user (``home``) and which plans a user follows (``followed_plans``).

The rule itself is ``nsp.models.in_force_condition`` (period, extension, not in preparation), used through
``NationalSecurityPlan.objects.in_force_on(day)`` and ``.with_in_force(day)``;
these are the two questions every page, form, report and dashboard asks of it. Call them, do not re-derive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import router
from django.db.models import Model, Q, QuerySet
from django.db.models.deletion import Collector
from django.urls import reverse

from nsp import progress
from nsp.history import history_entries
from nsp.models import Action, Comment, Indicator, Measurement, NationalSecurityPlan, Objective, Plan, PlanStatus
from nsp.permissions import can, get_for, may_column, user_roles


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


# --- what goes with a delete ------------------------------------------------------------------------------


def deletion_collector(obj: Model) -> Collector:
    """Everything a delete of ``obj`` removes with it (the database's cascades, as Django follows them)."""
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    collector.collect([obj])
    return collector


def collected_rows(collector: Collector) -> dict[type[Model], list[Model]]:
    """The collected rows by model: the cascaded rows and the fast-deleted ones (link rows and the like)."""
    rows: dict[type[Model], list[Model]] = {model: list(instances) for model, instances in collector.data.items()}
    for queryset in collector.fast_deletes:
        rows.setdefault(queryset.model, []).extend(queryset)
    return {model: found for model, found in rows.items() if found}


def deletion_counts(obj: Model) -> list[tuple[type[Model], int]]:
    """How many rows of each kind a delete of ``obj`` removes, ``obj`` included: one collector, one query per
    kind it reaches. Link tables (many-to-many rows) and the parent rows of inherited models are not counted."""
    return [
        (apps.get_model(label), count)
        for label, count in kind_counts(collected_rows(deletion_collector(obj)), type(obj))
    ]


def kind_counts(rows: dict[type[Model], list[Model]], root: type[Model]) -> list[tuple[str, int]]:
    """(model label, count) of collected rows, the root's kind first, then the planning core's order."""
    shown = [
        model
        for model in rows
        if not model._meta.auto_created and not any(other is not model and issubclass(other, model) for other in rows)
    ]
    rank = {label: n for n, label in enumerate(COUNT_ORDER)}

    def key(model) -> tuple[int, int]:
        return (0 if model is root else 1, rank.get(model._meta.label_lower, len(rank)))

    return [(model._meta.label_lower, len(rows[model])) for model in sorted(shown, key=key)]


# The planning core in the order a reader expects it ("5 objectives, 3 indicators, 72 measurements, 2 actions").
COUNT_ORDER = ("nsp.objective", "nsp.indicator", "nsp.measurement", "nsp.action", "nsp.comment")


def count_phrase(counts) -> str:
    """ "5 objectives, 3 indicators, 72 measurements, 2 actions" (models or their labels, with counts)."""
    parts = []
    for kind, count in counts:
        model = apps.get_model(kind) if isinstance(kind, str) else kind
        name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
        parts.append(f"{count} {name}")
    return ", ".join(parts)


# --- the home page: the user's own work --------------------------------------------------------------


def followed_plans(user) -> QuerySet[Plan]:
    """The plans a user follows: those of the zones they hold a role in, those they may change (programmes they
    run, the regional plan), those waiting for their review, and those they commented on."""
    readable = Plan.objects.restrict(user, "view")
    return readable.filter(
        Q(kind=Plan.Kind.ZONAL, zone__role_groups__group__user=user)
        | Q(pk__in=Plan.objects.restrict(user, "change").values("pk"))
        | Q(pk__in=Plan.objects.restrict(user, "review").values("pk"))
        | Q(pk__in=Comment.objects.filter(author=user).values("plan_id"))
    ).distinct()


def home(user, *, as_of: dt.date, size: int) -> dict[str, Any]:
    """What the home page lists for the user (each list bounded by ``size`` or twice it): their zonal plans and
    programmes with progress, indicators overdue and actions late that they record, plans waiting for their
    review or their workflow step, and the latest comments by others on the plans they follow."""
    readable = Plan.objects.restrict(user, "view").select_related("zone", "nsp")
    own_plans = progress.annotate_plans(
        readable.filter(kind=Plan.Kind.ZONAL, zone__role_groups__group__user=user).distinct(), as_of=as_of
    ).order_by("zone__number", "-period_start")
    own_programmes = progress.annotate_plans(
        Plan.objects.restrict(user, "change").filter(kind=Plan.Kind.PROGRAMME), as_of=as_of
    ).order_by("title")
    # The plans' ids are read first: behind a subquery PostgreSQL cannot tell that they are a zone's few plans,
    # and it then finds the latest measurement of every indicator in the country before keeping the zone's
    # (0.5 s at national size instead of a few milliseconds).
    recordable = list(Plan.objects.restrict(user, "record").values_list("pk", flat=True))
    overdue = (
        progress.annotate_indicators(Indicator.objects.restrict(user, "view").filter(plan__in=recordable), as_of=as_of)
        .filter(overdue=True)
        .select_related("plan", "objective")
        .order_by("plan__title", "objective__position", "position", "pk")
    )
    late = (
        progress.annotate_actions(Action.objects.restrict(user, "record"), as_of=as_of)
        .filter(late=True)
        .select_related("plan", "objective")
        .order_by("due_date", "pk")
    )
    awaiting_review = Plan.objects.restrict(user, "review").filter(status=PlanStatus.SUBMITTED)
    awaiting_workflow = Plan.objects.restrict(user, "workflow").filter(
        status__in=[PlanStatus.DRAFT, PlanStatus.ADOPTED]
    )
    comments = (
        Comment.objects.restrict(user, "view")
        .filter(plan__in=followed_plans(user).values("pk"))
        .exclude(author=user)
        .select_related("author", "plan", "objective", "indicator", "action")
        .order_by("-created_at", "-pk")
    )
    return {
        "own_plans": list(own_plans[: size * 2]),
        "own_programmes": list(own_programmes[:size]),
        "overdue": list(overdue[: size * 2]),
        "late": list(late[: size * 2]),
        "awaiting_review": list(awaiting_review.select_related("zone").order_by("period_start", "pk")),
        "awaiting_workflow": list(awaiting_workflow.select_related("zone").order_by("period_start", "pk")),
        "recent_comments": list(comments[:size]),
        "has_roles": bool(user_roles(user)),
    }


# --- what a page of the planning core shows ------------------------------------------------------------


def comments_of(user, **target) -> QuerySet[Comment]:
    """The comments the user may read on one target (``plan_id=``, ``objective=`` ...), oldest first, each with
    ``may_delete`` and its author (one query)."""
    queryset = Comment.objects.restrict(user, "view").filter(**target).select_related("author")
    return queryset.annotate(may_delete=may_column(Comment, user, "delete")).order_by("created_at", "pk")


INDICATOR_RIGHTS = ("change", "delete")


def indicator(user, *, pk: int, as_of: dt.date, rights: tuple[str, ...] = INDICATOR_RIGHTS) -> Indicator:
    """The indicator ``user`` may read (404 otherwise) with its plan and objective, its progress annotated
    (``progress.annotate_indicators``) and ``may_<right>`` for each of ``rights``, in one query."""
    queryset = progress.annotate_indicators(
        Indicator.objects.select_related("plan", "objective", "objective__parent"), as_of=as_of
    ).annotate(**{f"may_{right}": may_column(Indicator, user, right) for right in rights})
    return get_for(user, "view", queryset, pk=pk)


def indicator_page(user, indicator: Indicator, *, as_of: dt.date, current: Indicator | None = None) -> dict[str, Any]:
    """What an indicator's page and its htmx-refreshed measurement section show, as ``user`` may see it.

    ``current``: the indicator with its progress annotated, when the caller read it so (``indicator()``); read
    here otherwise (after a measurement was recorded, the progress moved). ``measurements`` oldest first, each
    with ``may_change``; ``may_record``: whether the user records progress on the indicator's plan."""
    if current is None:
        current = progress.annotate_indicators(Indicator.objects.filter(pk=indicator.pk), as_of=as_of).get()
    measurements = (
        indicator.measurements.select_related("recorded_by")
        .order_by("period_end")
        .annotate(may_change=may_column(Measurement, user, "change"))
    )
    return {
        "indicator": indicator,
        "current": current,
        "measurements": list(measurements),
        "may_record": can(user, "record", indicator.plan),
        "comments": list(comments_of(user, indicator=indicator)),
        "history": history_entries(
            Indicator.history.filter(id=indicator.pk), Measurement.history.filter(indicator_id=indicator.pk)
        ),
    }


# --- a plan's objective tree, as rows ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TreeIndicator:
    """An indicator as its objective's row shows it: read as values, not a model instance (~150 a plan page)."""

    pk: int
    name: str
    url: str
    edit_url: str


@dataclass(frozen=True, slots=True)
class TreeAction:
    """An action as its objective's row shows it (``status_label``: ``get_status_display``, lazy)."""

    pk: int
    title: str
    status_label: str
    percent_complete: int
    url: str
    edit_url: str
    progress_url: str


@dataclass(frozen=True)
class ObjectiveRow:
    """One objective of a plan's tree, in the tree's reading order (each parent before its children).

    ``depth`` is 0 for a strategic root; ``has_children`` opens the nested list of its children after it;
    ``closes`` is how many nested lists end after this row (``range`` of that many, for the template's loop).
    Built once per page so the template renders the tree in one loop, without a recursive include.
    """

    objective: Objective
    depth: int
    has_children: bool
    closes: range
    url: str
    progress: float | None
    status: str
    level_label: str
    kind_label: str
    domain_label: str
    indicators: tuple[TreeIndicator, ...] = ()  # the objective's indicators, in their order
    actions: tuple[TreeAction, ...] = ()  # its actions, in their order
    # the in-place tools' links (templates/includes/objective_row.html), made by _pk_url rather than {% url %} per row
    add_url: str = ""
    indicator_add_url: str = ""
    action_add_url: str = ""
    move_url: str = ""
    edit_url: str = ""
    add_after_url: str = ""
    place_url: str = ""


_PK_PLACEHOLDER = 2147483647


def _pk_url(name: str):
    """``reverse(name, kwargs={"pk": pk})`` for many pks: reversed once with a placeholder pk, then the pk put in its
    place (the tree's ~10 links per row were ~500 ``reverse`` calls a page)."""
    head, _placeholder, tail = reverse(name, kwargs={"pk": _PK_PLACEHOLDER}).rpartition(str(_PK_PLACEHOLDER))
    return lambda pk: f"{head}{pk}{tail}"


def _choice_labels(field_name: str) -> dict[str, str]:
    """An objective field's choices in the reader's language, looked up once per page rather than per row."""
    return {key: str(label) for key, label in Objective._meta.get_field(field_name).flatchoices}


def tree_shape_version(shape) -> str:
    """A short hash of a tree's shape: (pk, parent, position, level) of each objective, in pk order. The tree a
    page shows carries it; ``services.objective_place`` compares it with the stored tree's before a drop."""
    import hashlib

    text = ";".join(f"{pk},{parent or ''},{position},{level}" for pk, parent, position, level in sorted(shape))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def tree_version(plan_id: int) -> str:
    """The shape version of a plan's stored tree (``tree_shape_version``)."""
    return tree_shape_version(
        Objective.objects.filter(plan_id=plan_id).values_list("pk", "parent_id", "position", "level")
    )


def objective_rows(plan: Plan, *, as_of: dt.date) -> tuple[list[ObjectiveRow], progress.ProgressSummary]:
    """The plan's objectives as ordered rows of its tree, each with its progress, and the plan's progress (the
    weighted mean of its objectives with data, ``progress.group_progress``), in one query whatever the size
    (``progress.plan_objectives``)."""
    objectives = progress.plan_objectives(plan.pk, as_of=as_of, using=plan._state.db or "default")
    results = {
        o.pk: progress.Progress(o.progress, o.expected, progress.ProgressStatus(o.progress_status)) for o in objectives
    }
    summary = progress.group_progress(progress.Part(results[o.pk], o.weight) for o in objectives)
    known = {o.pk for o in objectives}
    children: dict[int | None, list[Objective]] = {}
    for objective in objectives:
        parent = objective.parent_id if objective.parent_id in known else None
        children.setdefault(parent, []).append(objective)
    ordered: list[tuple[Objective, int]] = []
    stack = [(o, 0) for o in reversed(children.get(None, []))]
    while stack:
        objective, depth = stack.pop()
        ordered.append((objective, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(objective.pk, [])))
    levels, kinds, domains = _choice_labels("level"), _choice_labels("kind"), _choice_labels("domain")
    db = plan._state.db or "default"
    objective_url, indicator_url, action_url = _pk_url("nsp:objective"), _pk_url("nsp:indicator"), _pk_url("nsp:action")
    objective_add, objective_edit, objective_move = (
        _pk_url("nsp:objective-add"),
        _pk_url("nsp:objective-edit"),
        _pk_url("nsp:objective-move"),
    )
    indicator_add, indicator_edit = _pk_url("nsp:indicator-add"), _pk_url("nsp:indicator-edit")
    action_add, action_edit, action_progress = (
        _pk_url("nsp:action-add"),
        _pk_url("nsp:action-edit"),
        _pk_url("nsp:action-progress"),
    )
    objective_add_after, objective_place = _pk_url("nsp:objective-add-after"), _pk_url("nsp:objective-place")
    indicators: dict[int, list[TreeIndicator]] = {}
    for pk, name, objective_id in (
        Indicator.objects.using(db)
        .filter(plan_id=plan.pk)
        .order_by("position", "pk")
        .values_list("pk", "name", "objective_id")
    ):
        indicators.setdefault(objective_id, []).append(TreeIndicator(pk, name, indicator_url(pk), indicator_edit(pk)))
    statuses = dict(Action._meta.get_field("status").flatchoices)  # lazy: in the language the page renders in
    actions: dict[int, list[TreeAction]] = {}
    for pk, title, status, percent_complete, objective_id in (
        Action.objects.using(db)
        .filter(plan_id=plan.pk)
        .order_by("position", "due_date", "pk")
        .values_list("pk", "title", "status", "percent_complete", "objective_id")
    ):
        actions.setdefault(objective_id, []).append(
            TreeAction(
                pk,
                title,
                statuses.get(status, status),
                percent_complete,
                action_url(pk),
                action_edit(pk),
                action_progress(pk),
            )
        )
    rows = []
    for index, (objective, depth) in enumerate(ordered):
        following = ordered[index + 1][1] if index + 1 < len(ordered) else 0
        has_children = bool(children.get(objective.pk))
        result = results[objective.pk]
        rows.append(
            ObjectiveRow(
                objective=objective,
                depth=depth,
                has_children=has_children,
                closes=range(0 if has_children else depth - following),
                url=objective_url(objective.pk),
                progress=result.progress,
                status=result.status.value,
                level_label=levels.get(objective.level, objective.level),
                kind_label=kinds.get(objective.kind, objective.kind),
                domain_label=domains.get(objective.domain, objective.domain) if objective.domain else "",
                indicators=tuple(indicators.get(objective.pk, ())),
                actions=tuple(actions.get(objective.pk, ())),
                add_url=objective_add(objective.plan_id),
                indicator_add_url=indicator_add(objective.pk),
                action_add_url=action_add(objective.pk),
                move_url=objective_move(objective.pk),
                edit_url=objective_edit(objective.pk),
                add_after_url=objective_add_after(objective.pk),
                place_url=objective_place(objective.pk),
            )
        )
    return rows, summary
