"""The Django admin for federal programmes and improvement projects, and their guardian grants."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nsp.admin import ObjectiveInline, PlanContentAdmin, ViewOnlyAdminMixin
from nsp.models import RoleGroup
from programmes.models import (
    ImprovementProject,
    Programme,
    ProgrammeGroupObjectPermission,
)


class ProgrammeOptions:
    """What the programme and the improvement-project pages share."""

    list_display = ("code", "title", "programme_type", "owning_unit", "period_label", "status", "nsp")
    list_display_links = ("code", "title")
    list_filter = ("programme_type", "status", "nsp", "owning_unit")
    list_select_related = ("nsp",)
    search_fields = ("code", "title", "owning_unit", "description")
    date_hierarchy = "period_start"
    readonly_fields = ("managers",)
    fieldsets = (
        (None, {"fields": ("programme_type", "code", "title", "owning_unit", "nsp", "description")}),
        (_("Period and status"), {"fields": ("period_start", "period_end", "status", "approved_on", "keep_tolerance")}),
        (_("National priorities"), {"fields": ("phenomena", "themes")}),
        (
            _("Managers"),
            {"fields": ("managers",), "description": _("Grant the programme manager role on a user's page.")},
        ),
    )
    inlines = [ObjectiveInline]

    @admin.display(description=_("programme managers"))
    def managers(self, obj) -> str | None:
        if obj is None or obj.pk is None:
            return None
        groups = RoleGroup.objects.filter(programme_id=obj.pk, role="programme_manager").values("group")
        users = get_user_model().objects.filter(groups__in=groups).order_by("username").distinct()
        return ", ".join(user.get_username() for user in users) or gettext("None yet.")


@admin.register(Programme)
class ProgrammeAdmin(ProgrammeOptions, PlanContentAdmin):
    pass


@admin.register(ImprovementProject)
class ImprovementProjectAdmin(ProgrammeOptions, PlanContentAdmin):
    """The improvement projects only; their history is the programme's (the proxy keeps none of its own)."""

    list_filter = ("status", "nsp", "owning_unit")

    def get_changeform_initial_data(self, request):
        return {"programme_type": Programme.Type.IMPROVEMENT_PROJECT, **super().get_changeform_initial_data(request)}

    def history_view(self, request, object_id, extra_context=None):
        return redirect("admin:programmes_programme_history", object_id)


@admin.register(ProgrammeGroupObjectPermission)
class ProgrammeGroupObjectPermissionAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """guardian's direct grants of role groups on programmes, written by nsp.grants only: shown for audit, never
    edited."""

    list_display = ("group", "permission", "content_object")
    list_filter = ("permission",)
    list_select_related = ("permission__content_type", "content_object", "group")
    search_fields = ("group__name", "content_object__code", "content_object__title")
