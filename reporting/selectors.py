"""Reads for reports and the national dashboard. Every query starts from ``restrict(user, "view")``.

Numbers come from ``nsp.progress`` (annotations and ``group_progress``); nothing here computes
progress. Results are plain, JSON-ready dicts, so the dashboard page and the report snapshots show the
same numbers from the same code. The query count does not grow with the number of plans: one query per
list; group means come from ``progress.group_progress`` over the objectives annotated once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from nsp import periods, progress
from nsp.models import Action, Indicator, NationalSecurityPlan, Objective, Plan, PlanStatus
from nsp.selectors import edition_default
from programmes.models import Programme
from reporting.models import ReportRun, ReportSubscription
from zones import as_at
from zones.models import Addendum, District, NationalAlignment, PoliceZone, ZonalSecurityPlan
from zones.selectors import edition_id_on, plans_aligned_with

OFF_TRACK_PLANS = 10
OVERDUE_INDICATORS = 25
Status = progress.ProgressStatus


# --- report runs ----------------------------------------------------------------------------------


def report_run_list(*, user) -> QuerySet[ReportRun]:
    """The user's own report runs (administrators: all), newest first."""
    return ReportRun.objects.restrict(user, "view").select_related("plan", "zone", "district", "requested_by")


def subscription_list(*, user) -> QuerySet[ReportSubscription]:
    """The user's own report subscriptions (administrators: their own too; the admin lists all)."""
    return (
        ReportSubscription.objects.restrict(user, "view")
        .filter(user=user)
        .select_related("plan", "zone", "district")
        .order_by("kind", "pk")
    )


# --- shared presentation of progress ----------------------------------------------------------------


def share(value: float | None) -> float | None:
    return progress.rounded(value)


def progress_fields(value: float | None, status: str) -> dict[str, Any]:
    """The progress keys every row of a snapshot or dashboard carries."""
    return {"progress": share(value), "progress_status": status, "progress_status_label": str(Status(status).label)}


def summary_fields(summary: progress.ProgressSummary) -> dict[str, Any]:
    return {
        "objectives": summary.objectives,
        "objectives_with_data": summary.objectives_with_data,
        **progress_fields(summary.progress, summary.status),
    }


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def number(value) -> str | None:
    """A decimal as exact text (``12.5``, not ``12.5000``): JSON has no decimal type."""
    if value is None:
        return None
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text


# --- editions and scope -------------------------------------------------------------------------------


def editions(*, user) -> QuerySet[NationalSecurityPlan]:
    return NationalSecurityPlan.objects.restrict(user, "view").order_by("-period_start")


def edition_for(*, user, as_of: dt.date) -> NationalSecurityPlan | None:
    """The NSP edition in force on ``as_of`` (its extension included), else the latest that had begun:
    ``nsp.selectors.edition_default``, the one rule for it."""
    return edition_default(on=as_of, user=user)


def latest_edition_with_plans(*, user) -> NationalSecurityPlan | None:
    """The latest edition (by start) of which the user may read at least one plan."""
    with_plans = Plan.objects.restrict(user, "view").values("nsp_id")
    return editions(user=user).filter(pk__in=with_plans).first()


def default_edition(*, user, as_of: dt.date) -> dict[str, Any]:
    """The edition a dashboard opens on: the one in force on ``as_of`` (extension included). When the user may
    read no plan of it yet, ``fallback`` names the latest edition that has some (else None)."""
    current = edition_for(user=user, as_of=as_of)
    fallback = None
    if current is not None and not scoped_plans(user=user, nsp=current, as_of=as_of).exists():
        fallback = latest_edition_with_plans(user=user)
    return {"edition": current, "fallback": fallback if fallback != current else None}


def period_for_edition(edition: NationalSecurityPlan, *, today: dt.date) -> str:
    """The report period that selects ``edition``: this quarter while it runs, else its last quarter."""
    return periods.containing(min(today, edition.effective_end), periods.Frequency.QUARTERLY).label


def as_of_for(period: str, *, today: dt.date, as_at: dt.date | None = None) -> dt.date:
    """The day a report is "as at": the end of its period, never later than today, nor than ``as_at``."""
    day = min(periods.parse(period).end, today) if period else today
    return min(day, as_at) if as_at else day


def scoped_plans(*, user, nsp=None, district=None, zone=None, plan=None, as_of=None) -> QuerySet[Plan]:
    """The plans the user may read in a scope. A district or zone scope holds zonal plans only.

    With ``as_of``, an edition's plans are those aligned with it on that day: a plan re-aligned by an addendum
    counts under its former edition until the addendum's approval (``zones.selectors.plans_aligned_with``); as at a
    past day, only the plans that existed then (``zones.as_at.existed``)."""
    plans = Plan.objects.restrict(user, "view").filter(as_at.existed(as_of))
    if nsp is not None:
        plans = plans.filter(nsp=nsp) if as_of is None else plans.filter(plans_aligned_with(nsp, as_of))
    if district is not None:
        plans = plans.filter(zone__district=district)
    if zone is not None:
        plans = plans.filter(zone=zone)
    if plan is not None:
        plans = plans.filter(pk=plan.pk)
    return plans


def _objectives(user, plans: QuerySet[Plan]) -> QuerySet[Objective]:
    return Objective.objects.restrict(user, "view").filter(plan__in=plans.values("pk"))


# --- the national overview (dashboard and report) -----------------------------------------------------


def overview(
    *,
    user,
    as_of: dt.date,
    nsp: NationalSecurityPlan | None,
    district: District | None = None,
    zone: PoliceZone | None = None,
) -> dict[str, Any]:
    """Plans per state, progress per district, cluster and theme, the most off-track plans, overdue indicators.

    The objectives in scope are totalled once (``progress.objective_totals``); each group's mean is then the
    progress module's ``group_progress`` over its members, so the number of queries stays the same
    whatever the number of plans, districts, clusters or themes.
    """
    plans = scoped_plans(user=user, nsp=nsp, district=district, zone=zone, as_of=as_of)
    objectives = objective_results(_objectives(user, plans), as_of=as_of)
    return {
        "nsp": {"id": nsp.pk, "code": nsp.code, "title": nsp.title} if nsp else None,
        "plans_by_status": plans_by_status(plans, as_of=as_of),
        "districts": district_progress(user=user, plans=plans, objectives=objectives, district=district),
        **priority_progress(user=user, plans=plans, objectives=objectives, nsp=nsp),
        "off_track_plans": off_track_plans(objectives),
        **overdue_indicators(user=user, plans=plans, as_of=as_of),
    }


@dataclass(frozen=True)
class ObjectiveResult:
    """One objective's progress (from ``progress.objective_totals``) with what the overview groups it by."""

    pk: int
    plan_id: int
    plan_title: str
    plan_kind: str
    zone: str
    district_id: int | None
    part: progress.Part

    @property
    def status(self) -> str:
        return self.part.result.status


def objective_results(objectives: QuerySet[Objective], *, as_of: dt.date) -> dict[int, ObjectiveResult]:
    """The objectives' progress keyed by objective id, in two queries whatever their number: what each
    objective is grouped by, and every objective's totals in one pass (``progress.objective_totals``)."""
    return _results(objectives, progress.objective_totals(objectives, as_of=as_of))


def objective_results_at(objectives: QuerySet[Objective], *, dates) -> dict[dt.date, dict[int, ObjectiveResult]]:
    """``objective_results`` at each of ``dates``, in two queries whatever the number of days (the trend):
    every objective's totals at every day in one pass (``progress.objective_totals_at``), then their rows."""
    totals = progress.objective_totals_at(objectives, dates=dates)
    rows = _rows(objectives)
    return {day: _results(objectives, results, rows=rows) for day, results in totals.items()}


def _rows(objectives: QuerySet[Objective]) -> list[dict]:
    return list(
        objectives.order_by().values(
            "pk",
            "plan_id",
            "plan__title",
            "plan__kind",
            "plan__zone__number",
            "plan__zone__key",
            "plan__zone__district_id",
            "weight",
        )
    )


def _results(objectives, results: dict[int, progress.Progress], *, rows=None) -> dict[int, ObjectiveResult]:
    no_data = progress.Progress(None, None, Status.NO_DATA)
    return {
        row["pk"]: ObjectiveResult(
            pk=row["pk"],
            plan_id=row["plan_id"],
            plan_title=row["plan__title"],
            plan_kind=row["plan__kind"],
            zone=row["plan__zone__number"] or row["plan__zone__key"] or "",
            district_id=row["plan__zone__district_id"],
            part=progress.Part(results.get(row["pk"], no_data), row["weight"]),
        )
        for row in (_rows(objectives) if rows is None else rows)
    }


def group_fields(objectives: dict[int, ObjectiveResult], members) -> dict[str, Any]:
    """A group's summary (``progress.group_progress``) over the member objectives that are in scope,
    with how many of them are in each progress status (the stacked status charts)."""
    parts = [objectives[pk].part for pk in sorted(set(members)) if pk in objectives]
    return {**summary_fields(progress.group_progress(parts)), "statuses": status_counts(parts)}


# The progress statuses an objective can have, in the order the charts and tables show them.
OBJECTIVE_STATUSES = (Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA)


def status_counts(parts: list[progress.Part]) -> dict[str, int]:
    """How many of the objectives are in each progress status (every status named, zero included)."""
    counts = {status.value: 0 for status in OBJECTIVE_STATUSES}
    for part in parts:
        counts[part.result.status] = counts.get(part.result.status, 0) + 1
    return counts


def plans_by_status(plans: QuerySet[Plan], *, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """Zonal plans per workflow state, every state listed (zero included), in workflow order. As at a past
    ``as_of``, each plan in the state it was in at the end of that day (``zones.as_at.plan_statuses``)."""
    zonal = plans.filter(kind=Plan.Kind.ZONAL).order_by()
    if as_at.is_past(as_of):
        counts = Counter(as_at.plan_statuses(dict(zonal.values_list("pk", "status")), as_of).values())
    else:
        counts = dict(zonal.values_list("status").annotate(n=Count("pk")))
    return [{"status": s.value, "label": str(s.label), "count": counts.get(s.value, 0)} for s in PlanStatus]


def district_progress(
    *, user, plans: QuerySet[Plan], objectives: dict[int, ObjectiveResult], district: District | None = None
) -> list[dict[str, Any]]:
    """Per district: its zonal plans and the mean progress of their objectives."""
    return [
        {**row, **group_fields(objectives, members)}
        for row, members in district_members(user=user, plans=plans, objectives=objectives, district=district)
    ]


def district_members(
    *, user, plans: QuerySet[Plan], objectives: dict[int, ObjectiveResult], district: District | None = None
) -> list[tuple[dict[str, Any], list[int]]]:
    """Per district: its row (id, label, zonal plans) and the objectives it totals (``district_progress``)."""
    counts = dict(plans.filter(kind=Plan.Kind.ZONAL).order_by().values_list("zone__district").annotate(n=Count("pk")))
    members: dict[int, list[int]] = {}
    for result in objectives.values():
        if result.plan_kind == Plan.Kind.ZONAL and result.district_id is not None:
            members.setdefault(result.district_id, []).append(result.pk)
    districts = District.objects.restrict(user, "view").order_by("name")
    if district is not None:
        districts = districts.filter(pk=district.pk)
    return [({"id": d.pk, "label": d.name, "plans": counts.get(d.pk, 0)}, members.get(d.pk, [])) for d in districts]


def priority_progress(
    *, user, plans: QuerySet[Plan], objectives: dict[int, ObjectiveResult], nsp: NationalSecurityPlan | None
) -> dict[str, list[dict[str, Any]]]:
    """Progress per ISFD cluster and per cross-cutting theme of the edition.

    Under a cluster: the objectives adopting (alignment adopted) one of its phenomena, and the objectives
    of programmes tied to one of its phenomena. Under a theme: likewise with the theme.
    """
    groups = priority_members(user=user, plans=plans, objectives=objectives, nsp=nsp)
    return {
        kind: [{**row, **group_fields(objectives, members)} for row, members in rows] for kind, rows in groups.items()
    }


def priority_members(
    *, user, plans: QuerySet[Plan], objectives: dict[int, ObjectiveResult], nsp: NationalSecurityPlan | None
) -> dict[str, list[tuple[dict[str, Any], list[int]]]]:
    """Per cluster and per theme: its row (id, number, label) and the objectives it totals
    (``priority_progress``); read once, the trend totals the same members at every quarter."""
    if nsp is None:
        return {"clusters": [], "themes": []}
    by_cluster: dict[int, list[int]] = {}
    by_theme: dict[int, list[int]] = {}
    adopted = (
        NationalAlignment.objects.restrict(user, "view")
        .filter(plan__in=plans.values("pk"), adopted=True, objectives__isnull=False)
        .filter(Q(phenomenon__nsp=nsp) | Q(theme__nsp=nsp))
        .values_list("objectives", "phenomenon__cluster_id", "theme_id")
    )
    for objective_id, cluster_id, theme_id in adopted:
        if cluster_id is not None:
            by_cluster.setdefault(cluster_id, []).append(objective_id)
        if theme_id is not None:
            by_theme.setdefault(theme_id, []).append(objective_id)
    plan_objectives: dict[int, list[int]] = {}
    for result in objectives.values():
        plan_objectives.setdefault(result.plan_id, []).append(result.pk)
    programmes = plans.filter(kind=Plan.Kind.PROGRAMME).values("pk")
    # A programme shares its primary key with its plan row, so its links name the plan's objectives.
    phenomenon_links = Programme.phenomena.through.objects.filter(
        programme_id__in=programmes, securityphenomenon__nsp=nsp
    ).values_list("programme_id", "securityphenomenon__cluster_id")
    for plan_id, cluster_id in phenomenon_links:
        by_cluster.setdefault(cluster_id, []).extend(plan_objectives.get(plan_id, []))
    theme_links = Programme.themes.through.objects.filter(
        programme_id__in=programmes, crosscuttingtheme__nsp=nsp
    ).values_list("programme_id", "crosscuttingtheme_id")
    for plan_id, theme_id in theme_links:
        by_theme.setdefault(theme_id, []).extend(plan_objectives.get(plan_id, []))
    return {
        "clusters": [
            ({"id": c.pk, "number": c.number, "label": str(c)}, by_cluster.get(c.pk, []))
            for c in SecurityCluster.objects.restrict(user, "view").filter(nsp=nsp).order_by("number")
        ],
        "themes": [
            ({"id": t.pk, "number": t.number, "label": str(t)}, by_theme.get(t.pk, []))
            for t in CrossCuttingTheme.objects.restrict(user, "view").filter(nsp=nsp).order_by("number")
        ],
    }


def off_track_plans(objectives: dict[int, ObjectiveResult], *, limit: int = OFF_TRACK_PLANS) -> list[dict]:
    """The plans with the most off-track objectives (ties: by title)."""
    per_plan: dict[int, dict[str, Any]] = {}
    for result in objectives.values():
        row = per_plan.setdefault(
            result.plan_id,
            {
                "id": result.plan_id,
                "kind": result.plan_kind,
                "title": result.plan_title,
                "zone": result.zone,
                "off_track": 0,
                "objectives": 0,
            },
        )
        row["objectives"] += 1
        row["off_track"] += result.status == Status.OFF_TRACK
    ranked = sorted((r for r in per_plan.values() if r["off_track"]), key=lambda r: (-r["off_track"], r["title"]))
    return ranked[:limit]


OVERDUE_ORDER = ("plan__title", "objective__position", "objective__code", "position", "pk")


def overdue_indicators(
    *, user, plans: QuerySet[Plan], as_of: dt.date, limit: int = OVERDUE_INDICATORS
) -> dict[str, Any]:
    """Indicators of approved plans whose last due period has no measurement (the first ``limit``, and how many).
    As at a past day, the zonal plans approved at the end of that day (``zones.as_at.plan_statuses``).

    Counted and picked without their progress; only the first ``limit`` are then read with their values.
    """
    readable = Indicator.objects.restrict(user, "view").filter(plan__in=plans.values("pk"))
    approved = _approved_on(plans, as_of)
    overdue = progress.filter_overdue(readable.filter(approved), as_of=as_of)
    # Every overdue id in one pass (a few thousand at national size), which also counts them.
    ids = list(overdue.order_by(*OVERDUE_ORDER).values_list("pk", flat=True))
    total, first = len(ids), ids[:limit]
    chosen = Indicator.objects.filter(pk__in=first)
    rows = [indicator_row(i, as_of=as_of) for i in overdue_indicator_queryset(chosen, as_of=as_of, approved=approved)]
    return {"overdue_indicators": rows, "overdue_total": total}


def _approved_on(plans: QuerySet[Plan], as_of: dt.date) -> Q:
    """A filter on indicators: those of plans approved (in execution) at the end of ``as_of``; today's state unless
    ``as_of`` is past, then the zonal plans' state of that day (one query)."""
    if not as_at.is_past(as_of):
        return Q(plan__status=PlanStatus.APPROVED)
    zonal = dict(plans.filter(kind=Plan.Kind.ZONAL).order_by().values_list("pk", "status"))
    then = [pk for pk, status in as_at.plan_statuses(zonal, as_of).items() if status == PlanStatus.APPROVED]
    return Q(plan__in=then) | (Q(plan__status=PlanStatus.APPROVED) & ~Q(plan__kind=Plan.Kind.ZONAL))


def overdue_indicator_queryset(
    indicators: QuerySet[Indicator], *, as_of: dt.date, approved: Q | None = None
) -> QuerySet[Indicator]:
    """Indicators overdue on plans in execution (approved, or ``approved``): only those record measurements."""
    approved = Q(plan__status=PlanStatus.APPROVED) if approved is None else approved
    return (
        progress.annotate_indicators(indicators.filter(approved), as_of=as_of)
        .filter(overdue=True)
        .select_related("plan", "plan__zone", "objective")
        .order_by(*OVERDUE_ORDER)
    )


def indicator_row(indicator: Indicator, *, as_of: dt.date) -> dict[str, Any]:
    """An annotated indicator (``annotate_indicators``) as a row: values, progress, and the period due."""
    due = progress.last_due_period(
        frequency=indicator.frequency,
        baseline_date=indicator.baseline_date,
        target_date=indicator.target_date,
        as_of=as_of,
    )
    plan = indicator.plan
    return {
        "id": indicator.pk,
        "plan_id": plan.pk,
        "plan": plan.title,
        "zone": str(plan.zone) if plan.zone_id else "",
        "objective": indicator.objective.code or indicator.objective.title,
        "name": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "direction_label": indicator.get_direction_display(),
        "baseline_value": number(indicator.baseline_value),
        "baseline_date": iso(indicator.baseline_date),
        "target_value": number(indicator.target_value),
        "target_date": iso(indicator.target_date),
        "latest_period": indicator.latest_period or "",
        "latest_value": number(indicator.latest_value),
        "due_period": due.label if due else "",
        "overdue": bool(indicator.overdue),
        **progress_fields(indicator.progress, indicator.progress_status),
    }


# --- one plan ---------------------------------------------------------------------------------------


def tree_order(objectives: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Objectives in the order of their tree (S1, T1.1, O1.1.1, O1.1.2, T1.2, S2, ...), each with its ``depth``.

    Siblings keep the order they come in (position, code); an objective whose parent is not in the list
    (not readable) stands at the top level.
    """
    present = {o["id"] for o in objectives}
    children: dict[int | None, list[dict]] = {}
    for o in objectives:
        children.setdefault(o["parent_id"] if o["parent_id"] in present else None, []).append(o)
    ordered: list[dict[str, Any]] = []

    def walk(parent: int | None, depth: int) -> None:
        for o in children.get(parent, []):
            ordered.append({**o, "depth": depth})
            walk(o["id"], depth + 1)

    walk(None, 0)
    return ordered


def _status_fields(plan: Plan, as_of: dt.date) -> dict[str, str]:
    """A plan's workflow state as at ``as_of``: a zonal plan's from its history (``zones.as_at``), else today's."""
    status = plan.status
    if plan.kind == Plan.Kind.ZONAL:
        status = as_at.plan_statuses({plan.pk: plan.status}, as_of)[plan.pk]
    return {"status": status, "status_label": str(PlanStatus(status).label)}


def plan_progress(*, user, plan_id: int, as_of: dt.date) -> dict[str, Any]:
    """A plan's header, progress per objective with its indicators, late actions, and alignment summary.

    Raises ``Plan.DoesNotExist`` when the user may not (or no longer) read the plan.
    """
    plan = (
        progress.annotate_plans(Plan.objects.restrict(user, "view"), as_of=as_of)
        .select_related("zone", "zone__district", "nsp")
        .get(pk=plan_id)
    )
    indicators = (
        progress.annotate_indicators(Indicator.objects.restrict(user, "view").filter(plan=plan), as_of=as_of)
        .select_related("plan", "plan__zone", "objective")
        .order_by("objective_id", "position", "pk")
    )
    per_objective: dict[int, list[dict]] = {}
    for indicator in indicators:
        per_objective.setdefault(indicator.objective_id, []).append(indicator_row(indicator, as_of=as_of))
    actions = list(
        progress.annotate_actions(Action.objects.restrict(user, "view").filter(plan=plan), as_of=as_of)
        .select_related("objective")
        .order_by("due_date", "pk")
    )
    action_counts: dict[int, int] = {}
    for action in actions:
        action_counts[action.objective_id] = action_counts.get(action.objective_id, 0) + 1
    objectives = [
        {
            "id": o.pk,
            "code": o.code,
            "title": o.title,
            "level": o.level,
            "level_label": o.get_level_display(),
            "parent_id": o.parent_id,
            "actions": action_counts.get(o.pk, 0),
            **progress_fields(o.progress, o.progress_status),
            "indicators": per_objective.get(o.pk, []),
        }
        for o in progress.annotate_objectives(Objective.objects.restrict(user, "view").filter(plan=plan), as_of=as_of)
    ]
    return {
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "kind": plan.kind,
            "kind_label": plan.get_kind_display(),
            **_status_fields(plan, as_of),
            "zone": str(plan.zone) if plan.zone_id else "",
            "district": str(plan.zone.district) if plan.zone_id and plan.zone.district_id else "",
            "nsp": plan.nsp.title,
            "period": plan.period_label,
            "approved_on": iso(plan.approved_on),
            **progress_fields(plan.progress, plan.progress_status),
        },
        "objectives": tree_order(objectives),
        "actions_late": [
            {
                "id": a.pk,
                "objective": a.objective.code or a.objective.title,
                "title": a.title,
                "owner": a.owner,
                "due_date": iso(a.due_date),
                "percent_complete": a.percent_complete,
                "status": a.status,
                "status_label": a.get_status_display(),
            }
            for a in actions
            if a.late
        ],
        "alignment": alignment_plans(user=user, plans=Plan.objects.filter(pk=plan.pk), as_of=as_of)[0]
        if plan.kind == Plan.Kind.ZONAL
        else None,
    }


# --- alignment ----------------------------------------------------------------------------------------


def answer_label(answer: str) -> str:
    return {"adopted": _("Adopted"), "not_adopted": _("Not adopted"), "undecided": _("Undecided")}[answer]


def alignment_plans(*, user, plans: QuerySet[Plan], as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """Per readable zonal plan: every national priority of its edition, adopted (by which objectives) or not, and why.

    With ``as_of``, the edition is the one the plan was aligned with that day: before a re-aligning addendum's
    approval, the former edition and the answers to it, which the re-alignment kept unchanged
    (``zones.selectors.edition_id_on``). The answers and each plan's state are those at the end of ``as_of``
    (``zones.as_at``). Six queries whatever the number of plans (nine as at a past day): plans, their
    re-aligning addenda, alignments and their objectives, phenomena, themes.
    """
    realigning = Addendum.objects.filter(realigned_to__isnull=False).order_by("number")
    zonal = list(
        ZonalSecurityPlan.objects.restrict(user, "view")
        .filter(pk__in=plans.values("pk"))
        .select_related("zone", "zone__district", "nsp")
        .prefetch_related(Prefetch("addenda", queryset=realigning, to_attr="realignments"))
        .order_by("zone__number", "zone__key", "period_start")
    )
    edition_of = {p.pk: edition_id_on(p, as_of, p.realignments) if as_of is not None else p.nsp_id for p in zonal}
    alignments = as_at.answers([p.pk for p in zonal], as_of)
    status_of = as_at.plan_statuses({p.pk: p.status for p in zonal}, as_of)
    statuses = dict(PlanStatus.choices)
    editions = set(edition_of.values())
    priorities: dict[int, list[tuple[str, Any]]] = {nsp_id: [] for nsp_id in editions}
    for phenomenon in SecurityPhenomenon.objects.filter(nsp_id__in=editions, is_national_priority=True).order_by(
        "number"
    ):
        priorities[phenomenon.nsp_id].append(("phenomenon", phenomenon))
    for theme in CrossCuttingTheme.objects.filter(nsp_id__in=editions, is_national_priority=True).order_by("number"):
        priorities[theme.nsp_id].append(("theme", theme))
    type_labels = {"phenomenon": _("Phenomenon"), "theme": _("Cross-cutting theme")}
    result = []
    for plan in zonal:
        rows = []
        for kind, priority in priorities[edition_of[plan.pk]]:
            alignment = alignments.get((plan.pk, kind, priority.pk))
            answer = as_at.answer_state(alignment)
            rows.append(
                {
                    "priority_type": type_labels[kind],
                    "number": priority.number,
                    "name": priority.name,
                    "answer": answer,
                    "answer_label": answer_label(answer),
                    "objectives": alignment.objective_labels if alignment else "",
                    "justification": alignment.justification if alignment and not alignment.adopted else "",
                }
            )
        counts = {key: sum(1 for r in rows if r["answer"] == key) for key in ("adopted", "not_adopted", "undecided")}
        result.append(
            {
                "plan_id": plan.pk,
                "plan": plan.title,
                "nsp_id": edition_of[plan.pk],
                "zone": str(plan.zone),
                "district": str(plan.zone.district) if plan.zone.district_id else "",
                "status": status_of[plan.pk],
                "status_label": str(statuses[status_of[plan.pk]]),
                **counts,
                "rows": rows,
            }
        )
    return result


# --- the schedule of the periodic tasks (django-celery-beat) ---------------------------------------


@dataclass(frozen=True)
class ScheduleRow:
    name: str
    label: str
    description: str
    when: str  # the schedule in words
    enabled: bool
    last_run_at: Any
    crontab: Any  # CrontabSchedule or None (an interval task)
    editable: bool  # by federal planners on the schedules page (``nsp.schedule.Default.planners_edit``)


def _crontab_words(crontab) -> str:
    parts = [
        _("at %(hour)s:%(minute)s")
        % {
            "hour": crontab.hour.zfill(2) if crontab.hour.isdigit() else crontab.hour,
            "minute": crontab.minute.zfill(2) if crontab.minute.isdigit() else crontab.minute,
        }
    ]
    if crontab.day_of_month != "*":
        parts.append(_("on day %(days)s of the month") % {"days": crontab.day_of_month})
    if crontab.month_of_year != "*":
        parts.append(_("in months %(months)s") % {"months": crontab.month_of_year})
    if crontab.day_of_week != "*":
        parts.append(_("on weekdays %(days)s (0 = Sunday)") % {"days": crontab.day_of_week})
    if len(parts) == 1:
        parts.append(_("every day"))
    return " ".join(str(p) for p in parts)


def _interval_words(interval) -> str:
    words = {
        "seconds": ngettext("every %(every)s second", "every %(every)s seconds", interval.every),
        "minutes": ngettext("every %(every)s minute", "every %(every)s minutes", interval.every),
        "hours": ngettext("every %(every)s hour", "every %(every)s hours", interval.every),
        "days": ngettext("every %(every)s day", "every %(every)s days", interval.every),
    }
    text = words.get(interval.period)
    return text % {"every": interval.every} if text else str(interval)


def schedule_rows() -> list[ScheduleRow]:
    """Every periodic task beat runs, in the order of ``nsp.schedule.DEFAULTS`` then by name, with its schedule
    in words and the translated description of the defaults (one query)."""
    from django_celery_beat.models import PeriodicTask

    from nsp.schedule import DEFAULTS

    known = {default.name: (n, default) for n, default in enumerate(DEFAULTS)}
    tasks = PeriodicTask.objects.select_related("crontab", "interval").exclude(name__startswith="celery.")
    rows = []
    for task in sorted(tasks, key=lambda t: (known.get(t.name, (len(known), None))[0], t.name)):
        default = known.get(task.name, (None, None))[1]
        if task.crontab is not None:
            when = _crontab_words(task.crontab)
        elif task.interval is not None:
            when = _interval_words(task.interval)
        else:
            when = _("once or by another schedule (see the admin)")
        rows.append(
            ScheduleRow(
                name=task.name,
                label=str(default.label) if default else task.name,
                description=str(default.description) if default else task.description,
                when=when,
                enabled=task.enabled,
                last_run_at=task.last_run_at,
                crontab=task.crontab,
                editable=bool(default and default.planners_edit and task.crontab is not None),
            )
        )
    return rows
