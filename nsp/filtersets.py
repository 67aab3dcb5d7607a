"""Filters of the NSP editions and the planning core; shared filter types for every app's FilterSets.

One FilterSet per model serves the list page (a plain GET form), the API and exports. Each has a
``search`` box (over ``search_fields``) and an ``ordering`` choice, so pages and API sort and search
the same way. Plans and zones are named by string lookups here: the core imports no app above it.
"""

from __future__ import annotations

import datetime as dt
import re

import django_filters as filters
from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from nsp import periods
from nsp.ids import MAX_ID, as_id
from nsp.models import Action, Comment, DeletedItem, Indicator, Measurement, NationalSecurityPlan, Objective
from nsp.progress import ProgressStatus

YEAR_RANGE = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})\s*$")


# --- filter types ---------------------------------------------------------------------------------


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """A row by its id (a whole number; no query to check it exists, so hidden rows stay hidden)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def invalid(message: str) -> forms.ValidationError:
    # The message quotes the input; as a parameter, a '%' in it is never read as a placeholder.
    return forms.ValidationError("%(message)s", code="invalid", params={"message": message})


class StrictNullBooleanSelect(forms.NullBooleanSelect):
    """Yes / no / any; anything else goes to the field to refuse (Django's widget reads it as "any")."""

    VALUES = {"true": True, "True": True, "1": True, "false": False, "False": False, "0": False}

    def value_from_datadict(self, data, files, name):
        raw = data.get(name)
        if raw in (None, "", "unknown"):
            return None
        return self.VALUES.get(raw, raw)


class StrictNullBooleanField(forms.NullBooleanField):
    """true / false (1 / 0) or nothing; another value is an error, not "any"."""

    widget = StrictNullBooleanSelect
    default_error_messages = {"invalid": _("Choose true or false.")}

    def to_python(self, value):
        if value in (None, "", "unknown") or isinstance(value, bool):
            return value if isinstance(value, bool) else None
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictNullBooleanField


class WholeNumberFilter(filters.NumberFilter):
    """A number filter on an integer column: 2.5 is an error, not "no match"."""

    field_class = forms.IntegerField


class PeriodLabelField(forms.CharField):
    """A period label (2018-Q2, 2018-H1, 2018-05, 2018), normalised; a readable error otherwise."""

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return periods.parse(value)
        except ValueError as exc:
            raise invalid(str(exc)) from exc


class PeriodSpanField(forms.CharField):
    """A period label, or a span of years such as 2020-2025: the (start, end) dates it covers."""

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        years = YEAR_RANGE.match(value)
        if years:
            first, last = int(years[1]), int(years[2])
            if not 1900 <= first <= last <= 9999:
                raise forms.ValidationError(_("Write the years in order, such as 2020-2025."), code="invalid")
            return dt.date(first, 1, 1), dt.date(last, 12, 31)
        try:
            parsed = periods.parse(value)
        except ValueError as exc:
            raise invalid(str(exc)) from exc
        return parsed.start, parsed.end


class PeriodOverlapFilter(filters.CharFilter):
    """Plans (or editions) whose period overlaps a period label or a span of years."""

    field_class = PeriodSpanField

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        start, end = value
        return qs.filter(period_start__lte=end, period_end__gte=start)


class PeriodLabelFilter(filters.CharFilter):
    """Measurements of a period (``bound="exact"``), or from / up to one (``"from"``, ``"to"``)."""

    field_class = PeriodLabelField

    def __init__(self, *args, bound: str = "exact", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bound = bound

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        if self.bound == "from":
            return qs.filter(period_start__gte=value.start)
        if self.bound == "to":
            return qs.filter(period_end__lte=value.end)
        return qs.filter(period=value.label)


class ZoneFilter(filters.CharFilter):
    """A police zone by its number (5339) or its key; ``field_name`` is the path to the zone."""

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        value = value.strip()
        return qs.filter(Q(**{f"{self.field_name}__number": value}) | Q(**{f"{self.field_name}__key": value}))


class NspEditionFilter(filters.CharFilter):
    """An NSP edition by id or code (nsp-2016-2019); ``field_name`` is the path to the edition."""

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        value = value.strip()
        if value.isdigit():
            number = as_id(value)
            return qs.none() if number is None else qs.filter(**{f"{self.field_name}_id": number})
        return qs.filter(**{f"{self.field_name}__code": value})


# --- the base FilterSet ---------------------------------------------------------------------------


INTEGER_FIELDS = (
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)


def without_empty_values(data):
    """The query without its empty values: an empty parameter (``?status=``) means "not given", as in a
    GET form, for every filter (a repeated one keeps its non-empty values)."""
    if data is None or not hasattr(data, "getlist"):
        return data
    from django.http import QueryDict

    cleaned = QueryDict(mutable=True)
    for key in data:
        values = [value for value in data.getlist(key) if str(value).strip() != ""]
        if values:
            cleaned.setlist(key, values)
    return cleaned


class SearchFilterSet(filters.FilterSet):
    """``search``: every word must appear in one of ``search_fields`` (case-insensitive).

    Filters refuse what they cannot read (a 400 naming the field) instead of ignoring it.
    """

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": BooleanFilter},
        **{field: {"filter_class": WholeNumberFilter} for field in INTEGER_FIELDS},
    }

    search_fields: tuple[str, ...] = ()
    search_distinct = False  # set when a search field crosses a many-valued relation

    search = filters.CharFilter(label=_("Search"), method="filter_search")

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(without_empty_values(data), *args, **kwargs)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split()[:10]:
            match = Q()
            for field in self.search_fields:
                match |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(match)
        return queryset.distinct() if self.search_distinct else queryset


# --- the FilterSets -------------------------------------------------------------------------------


class NationalSecurityPlanFilterSet(SearchFilterSet):
    search_fields = ("code", "title", "summary")
    period = PeriodOverlapFilter(label=_("Period (2018, 2018-Q2 or 2016-2019)"))
    ordering = filters.OrderingFilter(
        fields=(("period_start", "period_start"), ("code", "code"), ("title", "title")),
        field_labels={"period_start": _("Period start"), "code": _("Code"), "title": _("Title")},
        label=_("Order by"),
    )

    class Meta:
        model = NationalSecurityPlan
        fields = {"status": ["exact"], "code": ["exact"]}


class ObjectiveFilterSet(SearchFilterSet):
    search_fields = ("code", "title", "description")
    plan = IdFilter(field_name="plan", label=_("Plan"))
    zone = ZoneFilter(field_name="plan__zone", label=_("Police zone (number or key)"))
    parent = IdFilter(field_name="parent", label=_("Parent objective"))
    phenomenon = IdFilter(field_name="alignments__phenomenon", label=_("Security phenomenon"), distinct=True)
    theme = IdFilter(field_name="alignments__theme", label=_("Cross-cutting theme"), distinct=True)
    cluster = IdFilter(field_name="alignments__phenomenon__cluster", label=_("Security cluster"), distinct=True)
    progress_status = filters.ChoiceFilter(
        field_name="progress_status", choices=ProgressStatus.choices, label=_("Progress")
    )
    ordering = filters.OrderingFilter(
        fields=(
            ("position", "position"),
            ("code", "code"),
            ("title", "title"),
            ("level", "level"),
            ("progress", "progress"),
        ),
        field_labels={
            "position": _("Position"),
            "code": _("Code"),
            "title": _("Title"),
            "level": _("Level"),
            "progress": _("Progress"),
        },
        label=_("Order by"),
    )

    class Meta:
        model = Objective
        fields = {"level": ["exact"], "kind": ["exact"], "domain": ["exact"], "year": ["exact"]}


class IndicatorFilterSet(SearchFilterSet):
    search_fields = ("name", "description", "unit", "source_detail")
    plan = IdFilter(field_name="plan", label=_("Plan"))
    zone = ZoneFilter(field_name="plan__zone", label=_("Police zone (number or key)"))
    objective = IdFilter(field_name="objective", label=_("Objective"))
    level = filters.ChoiceFilter(field_name="objective__level", choices=Objective.Level.choices, label=_("Level"))
    progress_status = filters.ChoiceFilter(
        field_name="progress_status", choices=ProgressStatus.choices, label=_("Progress")
    )
    overdue = BooleanFilter(field_name="overdue", label=_("Overdue"))
    ordering = filters.OrderingFilter(
        fields=(("position", "position"), ("name", "name"), ("target_date", "target_date"), ("progress", "progress")),
        field_labels={
            "position": _("Position"),
            "name": _("Name"),
            "target_date": _("Target date"),
            "progress": _("Progress"),
        },
        label=_("Order by"),
    )

    class Meta:
        model = Indicator
        fields = {"source": ["exact"], "direction": ["exact"], "frequency": ["exact"]}


class MeasurementFilterSet(SearchFilterSet):
    search_fields = ("note", "indicator__name")
    plan = IdFilter(field_name="plan", label=_("Plan"))
    zone = ZoneFilter(field_name="plan__zone", label=_("Police zone (number or key)"))
    indicator = IdFilter(field_name="indicator", label=_("Indicator"))
    objective = IdFilter(field_name="indicator__objective", label=_("Objective"))
    period = PeriodLabelFilter(label=_("Period (2018-Q2, 2018-H1, 2018-05 or 2018)"))
    period_from = PeriodLabelFilter(bound="from", label=_("From period"))
    period_to = PeriodLabelFilter(bound="to", label=_("Up to period"))
    ordering = filters.OrderingFilter(
        fields=(("period_end", "period_end"), ("value", "value"), ("recorded_at", "recorded_at")),
        field_labels={"period_end": _("Period"), "value": _("Value"), "recorded_at": _("Recorded")},
        label=_("Order by"),
    )

    class Meta:
        model = Measurement
        fields: dict = {}


class ActionFilterSet(SearchFilterSet):
    search_fields = ("title", "description", "owner")
    plan = IdFilter(field_name="plan", label=_("Plan"))
    zone = ZoneFilter(field_name="plan__zone", label=_("Police zone (number or key)"))
    objective = IdFilter(field_name="objective", label=_("Objective"))
    level = filters.ChoiceFilter(field_name="objective__level", choices=Objective.Level.choices, label=_("Level"))
    late = BooleanFilter(field_name="late", label=_("Late"))
    due = filters.DateFromToRangeFilter(field_name="due_date", label=_("Due between"))
    ordering = filters.OrderingFilter(
        fields=(
            ("position", "position"),
            ("due_date", "due_date"),
            ("title", "title"),
            ("percent_complete", "percent_complete"),
        ),
        field_labels={
            "position": _("Position"),
            "due_date": _("Due"),
            "title": _("Title"),
            "percent_complete": _("Percent complete"),
        },
        label=_("Order by"),
    )

    class Meta:
        model = Action
        fields = {"status": ["exact"]}


class CommentFilterSet(SearchFilterSet):
    search_fields = ("body",)
    plan = IdFilter(field_name="plan", label=_("Plan"))
    zone = ZoneFilter(field_name="plan__zone", label=_("Police zone (number or key)"))
    objective = IdFilter(field_name="objective", label=_("Objective"))
    indicator = IdFilter(field_name="indicator", label=_("Indicator"))
    action = IdFilter(field_name="action", label=_("Action"))
    author = filters.CharFilter(field_name="author__username", label=_("Author (username)"))
    ordering = filters.OrderingFilter(
        fields=(("created_at", "created_at"),), field_labels={"created_at": _("Written")}, label=_("Order by")
    )

    class Meta:
        model = Comment
        fields: dict = {}


class DeletedItemFilterSet(SearchFilterSet):
    search_fields = ("label",)
    plan = IdFilter(field_name="plan", label=_("Plan"))
    model = filters.CharFilter(field_name="model", label=_("Kind (app_label.model, e.g. nsp.objective)"))
    ordering = filters.OrderingFilter(
        fields=(("deleted_at", "deleted_at"),), field_labels={"deleted_at": _("Deleted on")}, label=_("Order by")
    )

    class Meta:
        model = DeletedItem
        fields: dict = {}
