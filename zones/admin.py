"""The Django admin for police zones, districts, zonal security plans and their parts.

A zone's district decides who reviews its plans, so saving a zone re-derives the reviewer grants
(``nsp.grants.zones_changed``). A zonal plan's status and workflow dates are read-only here: they
change only through the workflow service, which records every transition.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from nsp import grants
from nsp.admin import (
    PLAN_SEARCH,
    HistoryAdmin,
    ObjectiveInline,
    PlanContentAdmin,
    ReadOnlyInline,
    ViewOnlyAdminMixin,
)
from zones.models import (
    Addendum,
    District,
    Expectation,
    LocalPoliceVision,
    MatrixCandidate,
    MatrixScore,
    Municipality,
    NationalAlignment,
    PlanSection,
    PlanTransition,
    PoliceZone,
    RegionalSecurityPlan,
    ZonalSecurityPlan,
    ZoneGroupObjectPermission,
)

ZONE_SEARCH = ("number", "key", "name_nl", "name_fr", "name_de")

# --- districts, municipalities, zones -------------------------------------------------------------


@admin.register(District)
class DistrictAdmin(HistoryAdmin):
    list_display = ("name", "code", "region", "zone_count")
    list_filter = ("region",)
    search_fields = ("name", "code")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(active_zones=Count("zones", filter=Q(zones__status="active")))

    def get_readonly_fields(self, request, obj=None):
        # Reviewer groups are named after the code (district:<code>:federal_reviewer).
        return ("code",) if obj is not None else ()

    @admin.display(description=_("active zones"), ordering="active_zones")
    def zone_count(self, obj: District) -> int:
        return obj.active_zones


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "nis_code", "zone_list")
    list_filter = ("zones__district", "zones__region")
    search_fields = ("name", "nis_code", "zones__number", "zones__name_nl", "zones__name_fr")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("zones")

    @admin.display(description=_("police zones"))
    def zone_list(self, obj: Municipality) -> str:
        return ", ".join(str(zone) for zone in obj.zones.all())


class IncompleteFilter(admin.SimpleListFilter):
    """The same gaps as ``PoliceZone.missing``: no number, no district (active zones), or no name."""

    title = _("completeness")
    parameter_name = "incomplete"
    GAPS = (
        Q(number__isnull=True)
        | Q(number="")
        | Q(district__isnull=True, status=PoliceZone.Status.ACTIVE)
        | Q(name_nl="", name_fr="", name_de="")
    )

    def lookups(self, request, model_admin):
        return [("yes", _("Incomplete")), ("no", _("Complete"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.GAPS)
        if self.value() == "no":
            return queryset.exclude(self.GAPS)
        return queryset


class ZoneMunicipalityFormSet(BaseInlineFormSet):
    """Adds and removes through the zone's many-to-many manager, so the zone's history records it."""

    def save_new(self, form, commit=True):
        municipality = form.cleaned_data["municipality"]
        self.instance.municipalities.add(municipality)
        return self.model.objects.get(policezone=self.instance, municipality=municipality)

    def save_existing(self, form, obj, commit=True):
        if "municipality" not in form.changed_data:
            return obj
        municipality = form.cleaned_data["municipality"]
        self.instance.municipalities.remove(form.initial["municipality"])
        self.instance.municipalities.add(municipality)
        return self.model.objects.get(policezone=self.instance, municipality=municipality)

    def delete_existing(self, obj, commit=True):
        self.instance.municipalities.remove(obj.municipality_id)


class MunicipalityInline(admin.TabularInline):
    model = PoliceZone.municipalities.through
    formset = ZoneMunicipalityFormSet
    extra = 0
    autocomplete_fields = ("municipality",)
    verbose_name = _("municipality")
    verbose_name_plural = _("municipalities")


@admin.register(PoliceZone)
class PoliceZoneAdmin(HistoryAdmin):
    list_display = ("number", "zone_name", "key", "district", "region", "province", "status", "missing_display")
    list_display_links = ("number", "zone_name")
    list_filter = (IncompleteFilter, "status", "region", "district", "province")
    list_select_related = ("district",)
    search_fields = (*ZONE_SEARCH, "municipalities__name", "municipalities__nis_code")
    autocomplete_fields = ("merged_into",)
    inlines = [MunicipalityInline]
    fieldsets = (
        (None, {"fields": ("key", "number", "name_nl", "name_fr", "name_de")}),
        (
            _("Where"),
            {
                "fields": ("region", "province", "district"),
                "description": _("The district decides which federal reviewers (DirCo) approve the zone's plans."),
            },
        ),
        (_("Validity"), {"fields": ("status", "valid_from", "valid_to", "merged_into", "merged_into_name")}),
        (_("Provenance"), {"fields": ("number_basis", "notes", "source"), "classes": ("collapse",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        # Role groups are named after the key (zone:<key>:zone_chief).
        return ("key",) if obj is not None else ()

    @admin.display(description=_("name"), ordering="name_nl")
    def zone_name(self, obj: PoliceZone) -> str:
        return obj.name

    @admin.display(description=_("missing"))
    def missing_display(self, obj: PoliceZone) -> str | None:
        return ", ".join(obj.missing) or None

    def save_model(self, request, obj, form, change):
        previous = PoliceZone.objects.select_related("district").get(pk=obj.pk).district if change else None
        super().save_model(request, obj, form, change)
        # Reviewer rights follow the district: the new one gains the zone, the old one loses it.
        if not change or obj.district_id != getattr(previous, "pk", None):
            grants.zones_changed([obj], previous_districts=[previous])


@admin.register(ZoneGroupObjectPermission)
class ZoneGroupObjectPermissionAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """guardian's direct grants of role groups on zones, written by nsp.grants only: shown for audit, never edited."""

    list_display = ("group", "permission", "content_object")
    list_filter = ("permission",)
    list_select_related = ("permission__content_type", "content_object", "group")
    search_fields = ("group__name", *(f"content_object__{name}" for name in ZONE_SEARCH))


# --- zonal security plans -------------------------------------------------------------------------


class NationalAlignmentInline(ReadOnlyInline):
    model = NationalAlignment
    fields = ("phenomenon", "theme", "adopted", "objectives", "justification")
    show_change_link = False


class ExpectationInline(ReadOnlyInline):
    model = Expectation
    fields = ("source", "stakeholder", "text", "position")
    show_change_link = False


class AddendumInline(ReadOnlyInline):
    model = Addendum
    fields = ("number", "reason", "opened_by", "opened_at", "approved_on")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("opened_by")


class PlanTransitionInline(ReadOnlyInline):
    model = PlanTransition
    fields = ("from_status", "to_status", "on_date", "reason", "by", "at")
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


WORKFLOW_FIELDS = ("status", "council_adopted_on", "approved_on", "closed_on")


@admin.register(ZonalSecurityPlan)
class ZonalSecurityPlanAdmin(PlanContentAdmin):
    list_display = ("title", "zone", "period_label", "status", "council_adopted_on", "approved_on", "nsp")
    list_filter = ("status", "nsp", "zone__district", "zone__region")
    list_select_related = ("zone", "nsp")
    search_fields = ("title", *(f"zone__{name}" for name in ZONE_SEARCH))
    date_hierarchy = "period_start"
    fieldsets = (
        (None, {"fields": ("zone", "nsp", "title", "period_start", "period_end", "keep_tolerance")}),
        (
            _("Workflow"),
            {
                "fields": WORKFLOW_FIELDS,
                "description": _(
                    "The status and these dates change only through the workflow (council adoption, submission, "
                    "approval, return, closing), which records who, when and why. After approval the plan's "
                    "structure is frozen until an addendum reopens it."
                ),
            },
        ),
        (
            _("Retired texts"),
            {
                "fields": ("environment_analysis", "mission", "vision", "values"),
                "classes": ("collapse",),
                "description": _(
                    "The plan's texts are its sections now (the plan document); these four fields keep what was "
                    "written before, read-only."
                ),
            },
        ),
    )
    inlines = [ObjectiveInline, NationalAlignmentInline, ExpectationInline, AddendumInline, PlanTransitionInline]


@admin.register(RegionalSecurityPlan)
class RegionalSecurityPlanAdmin(PlanContentAdmin):
    list_display = ("title", "authority", "period_label", "status", "approved_on", "nsp")
    list_filter = ("status", "nsp")
    list_select_related = ("nsp",)
    search_fields = ("title", "authority")
    date_hierarchy = "period_start"
    fields = (
        "nsp",
        "title",
        "authority",
        "period_start",
        "period_end",
        "status",
        "approved_on",
        "keep_tolerance",
        "summary",
    )
    inlines = [ObjectiveInline]


@admin.register(PlanTransition)
class PlanTransitionAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("plan", "from_status", "to_status", "on_date", "by", "at")
    list_filter = ("to_status", "from_status", "plan__zone__district")
    list_select_related = ("plan", "by")
    search_fields = ("reason", *PLAN_SEARCH)
    date_hierarchy = "at"


@admin.register(Addendum)
class AddendumAdmin(ViewOnlyAdminMixin, HistoryAdmin):
    list_display = ("__str__", "plan", "number", "opened_by", "opened_at", "approved_on")
    list_filter = ("plan__status", "plan__zone__district")
    list_select_related = ("plan", "opened_by")
    search_fields = ("reason", *PLAN_SEARCH)
    date_hierarchy = "opened_at"


@admin.register(PlanSection)
class PlanSectionAdmin(PlanContentAdmin):
    """The plan document's sections: written on the plan's document page (or the API) through the services."""

    list_display = ("__str__", "plan", "parent", "position", "key")
    list_filter = ("key", "plan__status")
    list_select_related = ("plan", "parent")
    search_fields = ("title", "body", *PLAN_SEARCH)


@admin.register(Expectation)
class ExpectationAdmin(PlanContentAdmin):
    list_display = ("plan", "source", "stakeholder", "excerpt", "position")
    list_filter = ("source", "plan__status")
    list_select_related = ("plan",)
    search_fields = ("text", "stakeholder", *PLAN_SEARCH)

    @admin.display(description=_("expectation"))
    def excerpt(self, obj: Expectation) -> str:
        return obj.text[:80]


class MatrixScoreInline(ReadOnlyInline):
    model = MatrixScore
    fields = ("source", "score")
    show_change_link = False


@admin.register(MatrixCandidate)
class MatrixCandidateAdmin(PlanContentAdmin):
    list_display = ("label", "plan", "phenomenon", "chosen", "objective")
    list_filter = ("chosen", "plan__status")
    list_select_related = ("plan", "phenomenon", "objective")
    search_fields = ("label", "note", *PLAN_SEARCH)
    inlines = [MatrixScoreInline]


@admin.register(MatrixScore)
class MatrixScoreAdmin(PlanContentAdmin):
    list_display = ("candidate", "source", "score", "plan")
    list_filter = ("source", "score")
    list_select_related = ("candidate", "plan")
    search_fields = ("candidate__label", *PLAN_SEARCH)


@admin.register(NationalAlignment)
class NationalAlignmentAdmin(PlanContentAdmin):
    list_display = ("plan", "priority_display", "adopted")
    list_filter = ("adopted", "plan__status", "plan__nsp")
    list_select_related = ("plan", "phenomenon", "theme")
    search_fields = ("justification", "phenomenon__name", "theme__name", *PLAN_SEARCH)

    @admin.display(description=_("national priority"))
    def priority_display(self, obj: NationalAlignment) -> str:
        return str(obj.priority)


@admin.register(LocalPoliceVision)
class LocalPoliceVisionAdmin(PlanContentAdmin):
    list_display = ("title", "nsp", "updated_by", "updated_at")
    list_select_related = ("nsp", "updated_by")
    search_fields = ("title", "text")
