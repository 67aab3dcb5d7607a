"""Filters of the NSP reference: security clusters, phenomena, cross-cutting themes."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from nsp.filtersets import IdFilter, NspEditionFilter, SearchFilterSet

ORDERING_LABELS = {"number": _("Number"), "name": _("Name")}


def reference_ordering() -> filters.OrderingFilter:
    return filters.OrderingFilter(
        fields=(("number", "number"), ("name", "name")), field_labels=ORDERING_LABELS, label=_("Order by")
    )


class SecurityClusterFilterSet(SearchFilterSet):
    search_fields = ("name",)
    nsp = NspEditionFilter(field_name="nsp", label=_("NSP edition (id or code)"))
    ordering = reference_ordering()

    class Meta:
        model = SecurityCluster
        fields = {"number": ["exact"]}


class SecurityPhenomenonFilterSet(SearchFilterSet):
    search_fields = ("name", "key_point")
    nsp = NspEditionFilter(field_name="nsp", label=_("NSP edition (id or code)"))
    cluster = IdFilter(field_name="cluster", label=_("Security cluster"))
    ordering = reference_ordering()

    class Meta:
        model = SecurityPhenomenon
        fields = {"number": ["exact"], "is_national_priority": ["exact"]}


class CrossCuttingThemeFilterSet(SearchFilterSet):
    search_fields = ("name", "key_point")
    nsp = NspEditionFilter(field_name="nsp", label=_("NSP edition (id or code)"))
    ordering = reference_ordering()

    class Meta:
        model = CrossCuttingTheme
        fields = {"number": ["exact"], "is_national_priority": ["exact"]}
