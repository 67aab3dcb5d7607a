"""Filters of report runs."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from nsp.filtersets import IdFilter, SearchFilterSet, ZoneFilter
from reporting.models import ReportRun


class ReportRunFilterSet(SearchFilterSet):
    search_fields = ("log", "period")
    plan = IdFilter(field_name="plan", label=_("Plan"))
    zone = ZoneFilter(field_name="zone", label=_("Police zone (number or key)"))
    district = filters.CharFilter(field_name="district__code", label=_("District (code)"))
    requested = filters.DateFromToRangeFilter(field_name="requested_at__date", label=_("Requested between"))
    ordering = filters.OrderingFilter(
        fields=(("requested_at", "requested_at"), ("finished_at", "finished_at"), ("kind", "kind")),
        field_labels={"requested_at": _("Requested"), "finished_at": _("Finished"), "kind": _("Kind")},
        label=_("Order by"),
    )

    class Meta:
        model = ReportRun
        fields = {"kind": ["exact"], "scope": ["exact"], "status": ["exact"], "format": ["exact"], "period": ["exact"]}
