"""Report runs: a persisted job (status, progress, log, file, data snapshot and its hash)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nsp.querysets import RestrictedQuerySet


class ReportRun(models.Model):
    class Kind(models.TextChoices):
        PLAN_PROGRESS = "plan_progress", _("Plan progress report")
        NATIONAL_OVERVIEW = "national_overview", _("National overview")
        ALIGNMENT = "alignment", _("National alignment overview")
        ZONE_ANNUAL = "zone_annual", _("Zone annual report")
        PLAN_DOCUMENT = "plan_document", _("The printed plan (the plan document)")

    class Scope(models.TextChoices):
        PLAN = "plan", _("One plan")
        ZONE = "zone", _("One zone")
        DISTRICT = "district", _("One district")
        NATIONAL = "national", _("Everything the requester may read")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    # A run in one of these states will not change any more.
    FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    plan = models.ForeignKey("nsp.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    zone = models.ForeignKey("zones.PoliceZone", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    district = models.ForeignKey("zones.District", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    period = models.CharField(_("period"), max_length=7, blank=True, help_text=_("Up to which period, e.g. 2024-Q4."))
    as_at = models.DateField(
        _("as at"),
        null=True,
        blank=True,
        help_text=_("The day the report is as at, when earlier than the end of its period (or today)."),
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices, default=Format.PDF)
    language = models.CharField(_("language"), max_length=2, default="en")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_runs", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    log = models.TextField(_("log"), blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    snapshot = models.JSONField(_("data snapshot"), null=True, blank=True)
    snapshot_hash = models.CharField(_("snapshot SHA-256"), max_length=64, blank=True)
    # The subscription this run answers: its owner gets an e-mail with the link when it is done.
    subscription = models.ForeignKey(
        "reporting.ReportSubscription", on_delete=models.SET_NULL, null=True, blank=True, related_name="runs"
    )
    # The run row is the outbox of its job: queued and not yet dispatched until the broker took the message.
    dispatched_at = models.DateTimeField(_("sent to the task queue"), null=True, blank=True)
    # The one message allowed to produce the run; a copy sent twice, or an older one, finds another id and stops.
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, help_text=_("Times a worker started it."))
    requeues = models.PositiveSmallIntegerField(
        _("re-queued"), default=0, help_text=_("Times it was queued again after being stuck past its time limit.")
    )
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="reporting_run_progress_range",
                violation_error_message=_("Progress lies between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(scope="plan", plan__isnull=False)
                    | Q(scope="zone", zone__isnull=False)
                    | Q(scope="district", district__isnull=False)
                    | Q(scope="national")
                ),
                name="reporting_run_scope_has_target",
                violation_error_message=_("Name the plan, zone or district the report is about."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:run", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


class OverdueReminder(models.Model):
    """A reminder sent to a zone's chief and planners about the measurements of a period: due soon (before the
    deadline of the data-collection cycle, ``nsp.collection``) or overdue (after it).

    Written by the scheduled reminder tasks only; read (``restrict``) by the zone's own roles, federal
    planners and administrators. One per zone and day, so a task that runs twice the same day does not send twice.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    zone = models.ForeignKey("zones.PoliceZone", on_delete=models.CASCADE, related_name="+", verbose_name=_("zone"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OVERDUE)
    period = models.CharField(_("period"), max_length=7, blank=True, help_text=_("The period collected, e.g. 2026-Q3."))
    sent_on = models.DateField(_("sent on"))
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("E-mail addresses, one per line."))
    indicators = models.JSONField(_("overdue indicators"), default=list)
    failures = models.JSONField(
        _("not delivered"),
        default=list,
        blank=True,
        help_text=_(
            "Recipients whose e-mail could not be sent, with the error; the next run the same day tries again."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_on", "zone"]
        verbose_name = _("overdue reminder")
        verbose_name_plural = _("overdue reminders")
        constraints = [
            models.UniqueConstraint(fields=["zone", "sent_on"], name="reporting_reminder_one_per_zone_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.sent_on}"

    def get_absolute_url(self) -> str:
        return self.zone.get_absolute_url()


class ReportSubscription(models.Model):
    """A user's standing request for a report: the same kind, scope, format and language after every period of
    its frequency; the user gets an e-mail with the link when the run is done. One's own only (``restrict``)."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ReportRun.Kind.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=ReportRun.Scope.choices)
    plan = models.ForeignKey("nsp.Plan", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    zone = models.ForeignKey("zones.PoliceZone", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    district = models.ForeignKey("zones.District", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    format = models.CharField(_("format"), max_length=4, choices=ReportRun.Format.choices, default=ReportRun.Format.PDF)
    language = models.CharField(_("language"), max_length=2, default="en")
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_period = models.CharField(
        _("last period produced"), max_length=7, blank=True, help_text=_("The period of the latest run, e.g. 2026-Q3.")
    )
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["user", "kind", "pk"]
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="plan", plan__isnull=False)
                    | Q(scope="zone", zone__isnull=False)
                    | Q(scope="district", district__isnull=False)
                    | Q(scope="national")
                ),
                name="reporting_subscription_scope_has_target",
                violation_error_message=_("Name the plan, zone or district the report is about."),
            ),
        ]

    def __str__(self) -> str:
        target = self.plan or self.zone or self.district
        about = f" \N{EM DASH} {target}" if target else ""
        return f"{self.get_kind_display()}{about} ({self.get_frequency_display().lower()}, {self.get_format_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reporting:subscription-list") + f"#subscription-{self.pk}"


class HomeVisit(models.Model):
    """When a user last looked at their home page, so it can say what changed since the visit before."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="home_visit", verbose_name=_("user")
    )
    seen_at = models.DateTimeField(_("seen at"))
    previous_at = models.DateTimeField(_("previous visit"), null=True, blank=True)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("home page visit")
        verbose_name_plural = _("home page visits")

    def __str__(self) -> str:
        return f"{self.user} {self.seen_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("nsp:home")
