"""Reads for zones and zonal plans. Every list starts from ``restrict(user, action)``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from clusters.models import CrossCuttingTheme, SecurityPhenomenon
from nsp.models import PlanStatus
from zones.models import NationalAlignment, PlanTransition, PoliceZone, ZonalSecurityPlan


@dataclass(frozen=True)
class AlignmentRow:
    """One national priority of the plan's NSP edition and how the plan answers it."""

    kind: str  # "phenomenon" or "theme"
    priority: SecurityPhenomenon | CrossCuttingTheme
    alignment: NationalAlignment | None

    @property
    def decided(self) -> bool:
        a = self.alignment
        if a is None:
            return False
        return bool(a.justification.strip()) if not a.adopted else bool(a.objective_count)


def alignment_rows(plan: ZonalSecurityPlan) -> list[AlignmentRow]:
    """Every national priority (phenomena, then themes) with the plan's answer, in three queries."""
    alignments = {
        (("phenomenon", a.phenomenon_id) if a.phenomenon_id else ("theme", a.theme_id)): a
        for a in NationalAlignment.objects.filter(plan=plan)
        .annotate(objective_count=Count("objectives"))
        .prefetch_related("objectives")
    }
    rows = [
        AlignmentRow("phenomenon", p, alignments.get(("phenomenon", p.pk)))
        for p in SecurityPhenomenon.objects.filter(nsp_id=plan.nsp_id, is_national_priority=True)
        .select_related("cluster")
        .order_by("number")
    ]
    rows += [
        AlignmentRow("theme", t, alignments.get(("theme", t.pk)))
        for t in CrossCuttingTheme.objects.filter(nsp_id=plan.nsp_id, is_national_priority=True).order_by("number")
    ]
    return rows


def alignment_gaps(plan: ZonalSecurityPlan, rows: list[AlignmentRow] | None = None) -> list[AlignmentRow]:
    """National priorities with neither an adopting objective nor a justification (of ``rows`` when given)."""
    return [row for row in (alignment_rows(plan) if rows is None else rows) if not row.decided]


def zonal_plan_list(*, user, filters: dict | None = None) -> QuerySet[ZonalSecurityPlan]:
    qs = ZonalSecurityPlan.objects.restrict(user, "view").select_related("zone", "zone__district", "nsp")
    return qs.filter(**(filters or {}))


def zone_list(*, user) -> QuerySet[PoliceZone]:
    return (
        PoliceZone.objects.restrict(user, "view")
        .select_related("district", "merged_into")
        .prefetch_related(Prefetch("municipalities"))
    )


def zones_incomplete(*, user) -> QuerySet[PoliceZone]:
    return zone_list(user=user).filter(Q(number__isnull=True) | Q(district__isnull=True, status="active"))


# --- a plan returned by its reviewer: the reason where the zone works ---------------------------------


def _latest_returns(plans: QuerySet[ZonalSecurityPlan]) -> QuerySet[PlanTransition]:
    """The latest transition of each of these plans, kept only where it returned the plan to the zone."""
    latest = PlanTransition.objects.filter(plan=OuterRef("plan")).order_by("-at", "-pk").values("pk")[:1]
    return (
        PlanTransition.objects.filter(plan__in=plans.filter(status=PlanStatus.DRAFT).values("pk"))
        .filter(pk=Subquery(latest), from_status=PlanStatus.SUBMITTED, to_status=PlanStatus.DRAFT)
        .select_related("plan", "plan__zone", "by")
    )


def return_notice(plan: ZonalSecurityPlan, transitions: list[PlanTransition]) -> PlanTransition | None:
    """The return that sent this draft back to the zone, while it has not been resubmitted: the same rule as
    ``_latest_returns``, on the plan's transitions as its page has read them (latest first)."""
    latest = transitions[0] if transitions else None
    if plan.status != PlanStatus.DRAFT or latest is None:
        return None
    returned = (latest.from_status, latest.to_status) == (PlanStatus.SUBMITTED, PlanStatus.DRAFT)
    return latest if returned else None


def returned_plans(user) -> list[PlanTransition]:
    """The drafts the user may take through the workflow that their reviewer returned, with who, when and why."""
    plans = ZonalSecurityPlan.objects.restrict(user, "workflow")
    return list(_latest_returns(plans).order_by("-at", "-pk"))
