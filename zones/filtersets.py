"""Filters of police zones, districts, zonal and regional plans and the zone-specific plan parts."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from nsp.filtersets import BooleanFilter, IdFilter, NspEditionFilter, PeriodOverlapFilter, SearchFilterSet, ZoneFilter
from nsp.models import PlanStatus
from nsp.progress import ProgressStatus
from zones.models import (
    District,
    Expectation,
    MatrixCandidate,
    NationalAlignment,
    PlanSection,
    PlanTransition,
    PoliceZone,
    RegionalSecurityPlan,
    ZonalSecurityPlan,
)

PLAN_ORDERING = filters.OrderingFilter(
    fields=(
        ("period_start", "period_start"),
        ("title", "title"),
        ("status", "status"),
        ("zone__number", "zone"),
        ("progress", "progress"),
        ("updated_at", "updated_at"),
    ),
    field_labels={
        "period_start": _("Period"),
        "title": _("Title"),
        "status": _("Status"),
        "zone__number": _("Zone"),
        "progress": _("Progress"),
        "updated_at": _("Updated"),
    },
    label=_("Order by"),
)


class DistrictFilterSet(SearchFilterSet):
    search_fields = ("name", "code")
    ordering = filters.OrderingFilter(
        fields=(("name", "name"), ("code", "code")),
        field_labels={"name": _("Name"), "code": _("Code")},
        label=_("Order by"),
    )

    class Meta:
        model = District
        fields = {"region": ["exact"], "code": ["exact"]}


class PoliceZoneFilterSet(SearchFilterSet):
    search_fields = ("number", "key", "name_nl", "name_fr", "name_de", "municipalities__name")
    search_distinct = True
    district = filters.CharFilter(field_name="district__code", label=_("District (code)"))
    incomplete = BooleanFilter(method="filter_incomplete", label=_("Incomplete reference data"))
    ordering = filters.OrderingFilter(
        fields=(("number", "number"), ("key", "key"), ("name_nl", "name_nl"), ("name_fr", "name_fr")),
        field_labels={
            "number": _("Zone number"),
            "key": _("Key"),
            "name_nl": _("Name (Dutch)"),
            "name_fr": _("Name (French)"),
        },
        label=_("Order by"),
    )

    class Meta:
        model = PoliceZone
        fields = {
            "number": ["exact"],
            "key": ["exact"],
            "region": ["exact"],
            "province": ["exact"],
            "status": ["exact"],
        }

    def filter_incomplete(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        gaps = Q(number__isnull=True) | Q(district__isnull=True, status=PoliceZone.Status.ACTIVE)
        return queryset.filter(gaps) if value else queryset.exclude(gaps)


class ZonalPlanFilterSet(SearchFilterSet):
    search_fields = ("title", "zone__name_nl", "zone__name_fr", "zone__name_de", "zone__number")
    zone = ZoneFilter(field_name="zone", label=_("Police zone (number or key)"))
    district = filters.CharFilter(field_name="zone__district__code", label=_("District (code)"))
    nsp = NspEditionFilter(field_name="nsp", label=_("NSP edition (id or code)"))
    period = PeriodOverlapFilter(label=_("Period (2022, 2022-Q2 or 2020-2025)"))
    status = filters.MultipleChoiceFilter(choices=PlanStatus.choices, label=_("Status"))
    # field_name: the path from one of the plan's alignments to the priority.
    phenomenon = IdFilter(field_name="phenomenon", label=_("Adopts the phenomenon"), method="filter_adopts")
    theme = IdFilter(field_name="theme", label=_("Adopts the theme"), method="filter_adopts")
    cluster = IdFilter(
        field_name="phenomenon__cluster", label=_("Adopts a phenomenon of the cluster"), method="filter_adopts"
    )
    progress_status = filters.ChoiceFilter(
        field_name="progress_status", choices=ProgressStatus.choices, label=_("Progress")
    )
    ordering = PLAN_ORDERING

    class Meta:
        model = ZonalSecurityPlan
        fields: dict = {}

    def filter_adopts(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        # EXISTS rather than a join, so each plan comes back once.
        adopting = NationalAlignment.objects.filter(plan=OuterRef("pk"), adopted=True, **{name: value})
        return queryset.filter(Exists(adopting))


class RegionalPlanFilterSet(SearchFilterSet):
    search_fields = ("title", "authority", "summary")
    nsp = NspEditionFilter(field_name="nsp", label=_("NSP edition (id or code)"))
    period = PeriodOverlapFilter(label=_("Period (2022, 2022-Q2 or 2020-2025)"))
    status = filters.MultipleChoiceFilter(choices=PlanStatus.choices, label=_("Status"))
    progress_status = filters.ChoiceFilter(
        field_name="progress_status", choices=ProgressStatus.choices, label=_("Progress")
    )
    ordering = filters.OrderingFilter(
        fields=(("period_start", "period_start"), ("title", "title")),
        field_labels={"period_start": _("Period"), "title": _("Title")},
        label=_("Order by"),
    )

    class Meta:
        model = RegionalSecurityPlan
        fields: dict = {}


class PlanPartFilterSet(SearchFilterSet):
    """What every zonal-plan part filters on: the plan and its zone."""

    plan = IdFilter(field_name="plan", label=_("Plan"))
    zone = ZoneFilter(field_name="plan__zone", label=_("Police zone (number or key)"))


class PlanSectionFilterSet(PlanPartFilterSet):
    search_fields = ("title", "body")

    class Meta:
        model = PlanSection
        fields = {"key": ["exact"], "parent": ["exact", "isnull"]}


class ExpectationFilterSet(PlanPartFilterSet):
    search_fields = ("stakeholder", "text")
    ordering = filters.OrderingFilter(
        fields=(("source", "source"), ("position", "position")),
        field_labels={"source": _("From"), "position": _("Position")},
        label=_("Order by"),
    )

    class Meta:
        model = Expectation
        fields = {"source": ["exact"]}


class MatrixCandidateFilterSet(PlanPartFilterSet):
    search_fields = ("label", "note")
    phenomenon = IdFilter(field_name="phenomenon", label=_("Security phenomenon"))
    cluster = IdFilter(field_name="phenomenon__cluster", label=_("Security cluster"))
    ordering = filters.OrderingFilter(
        fields=(("label", "label"),), field_labels={"label": _("Candidate")}, label=_("Order by")
    )

    class Meta:
        model = MatrixCandidate
        fields = {"chosen": ["exact"]}


class NationalAlignmentFilterSet(PlanPartFilterSet):
    search_fields = ("justification", "phenomenon__name", "theme__name")
    phenomenon = IdFilter(field_name="phenomenon", label=_("Security phenomenon"))
    theme = IdFilter(field_name="theme", label=_("Cross-cutting theme"))
    cluster = IdFilter(field_name="phenomenon__cluster", label=_("Security cluster"))
    objective = IdFilter(field_name="objectives", label=_("Adopting objective"), distinct=True)
    ordering = filters.OrderingFilter(
        fields=(("phenomenon__number", "phenomenon"), ("theme__number", "theme")),
        field_labels={"phenomenon__number": _("Phenomenon"), "theme__number": _("Theme")},
        label=_("Order by"),
    )

    class Meta:
        model = NationalAlignment
        fields = {"adopted": ["exact"]}


class PlanTransitionFilterSet(PlanPartFilterSet):
    search_fields = ("reason",)
    by = filters.CharFilter(field_name="by__username", label=_("By (username)"))
    at = filters.DateFromToRangeFilter(field_name="at__date", label=_("Between"))
    ordering = filters.OrderingFilter(fields=(("at", "at"),), field_labels={"at": _("At")}, label=_("Order by"))

    class Meta:
        model = PlanTransition
        fields = {"from_status": ["exact"], "to_status": ["exact"]}
