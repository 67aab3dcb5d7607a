"""The Django admin for report runs and overdue reminders, which background jobs write.

Report runs are read-only here and deletable through ``report_delete`` (which removes the file too);
reminders are a log of what was sent.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from nsp.admin import ViewOnlyAdminMixin
from nsp.exceptions import DomainError
from reporting.models import HomeVisit, OverdueReminder, ReportRun, ReportSubscription
from reporting.services import report_delete, subscription_delete


class ServiceDeleteAdmin(admin.ModelAdmin):
    """Rows shown here, never added or edited; deleted one by one through their service
    (``delete_service(actor, row)``), whose refusal is the admin's 403."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_service(self, actor, row) -> None:
        raise NotImplementedError

    def delete_model(self, request, obj):
        self.delete_queryset(request, type(obj).objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        try:
            for row in queryset:
                self.delete_service(request.user, row)
        except DomainError as exc:
            raise PermissionDenied(exc.message) from exc

    @admin.display(description=_("about"))
    def target(self, obj) -> str:
        return str(obj.plan or obj.zone or obj.district or obj.get_scope_display())


@admin.register(ReportRun)
class ReportRunAdmin(ServiceDeleteAdmin):
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
        (None, {"fields": ("kind", "scope", "plan", "zone", "district", "period", "as_at", "format", "language")}),
        (_("Run"), {"fields": ("requested_by", "requested_at", "started_at", "finished_at", "status", "progress")}),
        (_("Result"), {"fields": ("file", "snapshot_hash", "snapshot", "log")}),
    )

    def has_delete_permission(self, request, obj=None):
        # A report being produced is cancelled first (on its page), then deleted.
        running = obj is not None and obj.status == ReportRun.Status.RUNNING
        return super().has_delete_permission(request, obj) and not running

    def delete_service(self, actor, row) -> None:
        report_delete(actor=actor, run=row)


@admin.register(OverdueReminder)
class OverdueReminderAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Written by the reminder task, one per zone and day; deleting one would let it send twice."""

    list_display = ("zone", "sent_on", "indicator_count", "created_at")
    list_filter = ("zone__district",)
    list_select_related = ("zone",)
    search_fields = ("zone__number", "zone__name_nl", "zone__name_fr", "zone__name_de", "recipients")
    date_hierarchy = "sent_on"

    @admin.display(description=_("overdue indicators"))
    def indicator_count(self, obj: OverdueReminder) -> int:
        return len(obj.indicators or [])


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(ServiceDeleteAdmin):
    """Each person keeps their own subscriptions on the profile page; here an administrator sees them all and can
    end one (a person who left, a mailbox that bounces). A subscription is not written here."""

    list_display = ("user", "kind", "scope", "target", "format", "language", "frequency", "last_period", "created_at")
    list_filter = ("kind", "scope", "format", "frequency", "language")
    list_select_related = ("user", "plan", "zone", "district")
    search_fields = ("user__username", "user__email", "plan__title", "zone__number", "district__name")

    def delete_service(self, actor, row) -> None:
        subscription_delete(actor=actor, subscription=row)


@admin.register(HomeVisit)
class HomeVisitAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """When each person last opened the home page (what "since your last visit" counts from)."""

    list_display = ("user", "seen_at", "previous_at")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    date_hierarchy = "seen_at"


# django-celery-beat registers clocked (one-off) and solar (sunrise, sunset) schedules as well; the product's
# schedule is crontab and interval only (nsp/schedule.py), so they are left out of the admin.
def _hide_unused_beat_schedules() -> None:
    from django_celery_beat.models import ClockedSchedule, SolarSchedule

    for model in (ClockedSchedule, SolarSchedule):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_hide_unused_beat_schedules()
