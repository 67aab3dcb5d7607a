"""The Django admin for report runs: read-only (a report job writes them), deletable to clean up."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from reporting.models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "kind",
        "scope",
        "target",
        "format",
        "status",
        "progress",
        "requested_by",
        "requested_at",
        "finished_at",
    )
    list_filter = ("status", "kind", "scope", "format", "language")
    list_select_related = ("requested_by", "plan", "zone", "district")
    search_fields = ("requested_by__username", "plan__title", "zone__number", "district__name", "log", "snapshot_hash")
    date_hierarchy = "requested_at"
    fieldsets = (
        (None, {"fields": ("kind", "scope", "plan", "zone", "district", "period", "format", "language")}),
        (_("Run"), {"fields": ("requested_by", "requested_at", "started_at", "finished_at", "status", "progress")}),
        (_("Result"), {"fields": ("file", "snapshot_hash", "snapshot", "log")}),
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("about"))
    def target(self, obj: ReportRun) -> str:
        return str(obj.plan or obj.zone or obj.district or obj.get_scope_display())
