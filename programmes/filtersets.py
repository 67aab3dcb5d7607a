"""Filters of federal programmes and improvement projects."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from nsp.filtersets import IdFilter, NspEditionFilter, PeriodOverlapFilter, SearchFilterSet
from nsp.models import PlanStatus
from nsp.progress import ProgressStatus
from programmes.models import Programme


class ProgrammeFilterSet(SearchFilterSet):
    search_fields = ("code", "title", "owning_unit", "description")
    nsp = NspEditionFilter(field_name="nsp", label=_("NSP edition (id or code)"))
    period = PeriodOverlapFilter(label=_("Period (2018, 2018-Q2 or 2016-2019)"))
    status = filters.MultipleChoiceFilter(choices=PlanStatus.choices, label=_("Status"))
    phenomenon = IdFilter(field_name="phenomena", label=_("Security phenomenon"), distinct=True)
    theme = IdFilter(field_name="themes", label=_("Cross-cutting theme"), distinct=True)
    cluster = IdFilter(field_name="phenomena__cluster", label=_("Security cluster"), distinct=True)
    progress_status = filters.ChoiceFilter(
        field_name="progress_status", choices=ProgressStatus.choices, label=_("Progress")
    )
    ordering = filters.OrderingFilter(
        fields=(("code", "code"), ("title", "title"), ("period_start", "period_start"), ("progress", "progress")),
        field_labels={
            "code": _("Code"),
            "title": _("Title"),
            "period_start": _("Period"),
            "progress": _("Progress"),
        },
        label=_("Order by"),
    )

    class Meta:
        model = Programme
        fields = {"programme_type": ["exact"], "owning_unit": ["exact"]}
