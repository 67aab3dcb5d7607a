"""Reads for zones and zonal plans. Every list starts from ``restrict(user, action)``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from clusters.models import CrossCuttingTheme, SecurityPhenomenon
from zones.models import NationalAlignment, PoliceZone, ZonalSecurityPlan


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
