"""Police zones, districts, and the zonal security plans that answer the NSP.

The zone is the anchor of local data: guardian grants on ``PoliceZone`` (direct foreign-key tables
below) decide who drafts, edits and reviews its plans. A zonal plan is a ``nsp.Plan``; its planning
core (objectives, indicators, ...) lives in ``nsp``. Zone-specific plan parts (expectations, the
argumentation matrix, the national alignment, addenda, workflow transitions) live here and point at
the plan, so each reaches its zone in one join.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase
from simple_history.models import HistoricalRecords

from nsp.models import INTEGER_MAX, SMALL_MAX, Plan, PlanStatus
from nsp.querysets import RestrictedQuerySet


class Region(models.TextChoices):
    FLANDERS = "Flanders", _("Flanders")
    WALLONIA = "Wallonia", _("Wallonia")
    BRUSSELS = "Brussels-Capital", _("Brussels-Capital")


class District(models.Model):
    """A federal coordination and support directorate area (CSD), led by a coordination director (DirCo)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("district (CSD/DirCo)")
        verbose_name_plural = _("districts (CSD/DirCo)")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("zones:zone-list") + f"?district={self.code}"


class Municipality(models.Model):
    nis_code = models.CharField(
        _("NIS code"), max_length=5, null=True, blank=True, unique=True, validators=[RegexValidator(r"^\d{5}$")]
    )
    name = models.CharField(_("name"), max_length=100)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(nis_code__isnull=True), name="zones_municipality_unique_uncoded_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nis_code})" if self.nis_code else self.name

    def get_absolute_url(self) -> str:
        return reverse("zones:zone-list") + f"?q={self.name}"


class PoliceZone(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MERGED = "merged", _("Merged")
        UNKNOWN = "unknown", _("Status unknown")

    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_("Stable identifier: the zone number, or a name-based key for a zone without one."),
    )
    number = models.CharField(
        _("zone number"),
        max_length=4,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("A zone number has four digits."))],
    )
    name_nl = models.CharField(_("name (Dutch)"), max_length=150, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=150, blank=True)
    name_de = models.CharField(_("name (German)"), max_length=150, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    province = models.CharField(_("province"), max_length=40, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="zones",
        verbose_name=_("district (CSD/DirCo)"),
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="zones", verbose_name=_("municipalities")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    merged_into_name = models.CharField(_("merged into (as the source names it)"), max_length=200, blank=True)
    number_basis = models.TextField(_("number basis"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source"), blank=True)
    history = HistoricalRecords(m2m_fields=[municipalities])
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["number", "key"]
        verbose_name = _("police zone")
        verbose_name_plural = _("police zones")
        permissions = [
            ("view_zone_drafts", _("Read the zone's draft plans")),
            ("edit_zone_plans", _("Change draft plan content; record measurements and action progress")),
            ("manage_zone_workflow", _("Record council adoption, submit for approval, reopen")),
            ("review_zone_plans", _("Approve or return the zone's submitted plans")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="zones_zone_validity_order",
                violation_error_message=_("A zone's validity must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")),
                name="zones_zone_not_merged_into_itself",
                violation_error_message=_("A zone cannot be merged into itself."),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__regex=r"^[0-9]{4}$"),
                name="zones_zone_number_format",
                violation_error_message=_("A zone number has four digits."),
            ),
        ]
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.name}" if self.number else self.name

    def get_absolute_url(self) -> str:
        return reverse("zones:zone", kwargs={"key": self.key})

    @property
    def name(self) -> str:
        """The name in the user's language where the zone has one, else Dutch, French, German."""
        language = (get_language() or "en")[:2]
        preferred = {"fr": ("fr", "nl", "de"), "de": ("de", "fr", "nl")}.get(language, ("nl", "fr", "de"))
        for code in preferred:
            value = getattr(self, f"name_{code}")
            if value:
                return value
        return self.key

    @property
    def missing(self) -> list[str]:
        """What the reference data does not give for this zone (shown as 'incomplete')."""
        gaps = []
        if not self.number:
            gaps.append(str(_("zone number")))
        if not self.district_id and self.status == self.Status.ACTIVE:
            gaps.append(str(_("district")))
        if not (self.name_nl or self.name_fr or self.name_de):
            gaps.append(str(_("name")))
        return gaps

    @property
    def is_complete(self) -> bool:
        return not self.missing


class ZoneGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(PoliceZone, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class ZonalSecurityPlan(Plan):
    """A zone's security plan for a period (2020-2025 with the municipal term; earlier ones with the NSP)."""

    PLAN_KIND = Plan.Kind.ZONAL

    council_adopted_on = models.DateField(_("adopted by the zonal security council on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    environment_analysis = models.TextField(_("environment analysis"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    values = models.TextField(_("values"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("zonal security plan")
        verbose_name_plural = _("zonal security plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(council_adopted_on__isnull=False),
                name="zones_plan_closed_after_adoption",
                violation_error_message=_("A plan is closed only after its adoption."),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("zones:plan", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if not self.zone_id:
            raise ValidationError({"zone": _("A zonal plan needs a police zone.")})


class RegionalSecurityPlan(Plan):
    """The Brussels regional security plan (Law of 6 January 2014): a plan of its own kind."""

    PLAN_KIND = Plan.Kind.REGIONAL

    authority = models.CharField(_("authority"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regional security plan")
        verbose_name_plural = _("regional security plans")

    def get_absolute_url(self) -> str:
        return reverse("zones:regional-plan", kwargs={"pk": self.pk})


class PlanTransition(models.Model):
    """One step of a zonal plan through the workflow: who, when, from, to, why."""

    plan = models.ForeignKey(ZonalSecurityPlan, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=PlanStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=PlanStatus.choices)
    on_date = models.DateField(_("date"), null=True, blank=True, help_text=_("Council or ministerial date."))
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "at", "pk"]
        verbose_name = _("workflow transition")
        verbose_name_plural = _("workflow transitions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")),
                name="zones_transition_changes_status",
                violation_error_message=_("A transition changes the status."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.from_status} → {self.to_status}"

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url() + "#history"


class Addendum(models.Model):
    """Reopens an approved plan's structure; the plan needs approval again."""

    plan = models.ForeignKey(ZonalSecurityPlan, on_delete=models.CASCADE, related_name="addenda")
    number = models.PositiveSmallIntegerField(_("number"), validators=[SMALL_MAX])
    reason = models.TextField(_("reason"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    # A re-alignment: the addendum moved the plan from the edition it was written against to its successor.
    # Until the addendum is approved the plan counts under ``realigned_from`` (reporting.coverage).
    realigned_from = models.ForeignKey(
        "nsp.NationalSecurityPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("re-aligned from"),
    )
    realigned_to = models.ForeignKey(
        "nsp.NationalSecurityPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("re-aligned to"),
    )
    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="zones_addendum_unique_number"),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="zones_addendum_has_reason",
                violation_error_message=_("An addendum needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(realigned_from__isnull=True, realigned_to__isnull=True)
                | Q(realigned_from__isnull=False, realigned_to__isnull=False),
                name="zones_addendum_realignment_both_editions",
                violation_error_message=_("A re-alignment names both editions."),
            ),
        ]

    def __str__(self) -> str:
        return _("Addendum %(number)s to %(plan)s") % {"number": self.number, "plan": self.plan}

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url() + f"#addendum-{self.number}"


class StakeholderSource(models.TextChoices):
    """Where an expectation or a matrix score comes from."""

    MAYORS = "mayors", _("Mayors")
    PROSECUTOR = "prosecutor", _("Public prosecutor (procureur du Roi)")
    NSP = "nsp", _("National Security Plan")
    REGIONAL_PLAN = "regional_plan", _("Regional security plan")
    PARTNERS = "partners", _("Partners")
    POPULATION = "population", _("Population survey")
    ANALYSIS = "analysis", _("Crime and environment analysis")
    OTHER = "other", _("Other")


class Expectation(models.Model):
    plan = models.ForeignKey(ZonalSecurityPlan, on_delete=models.CASCADE, related_name="expectations")
    source = models.CharField(_("from"), max_length=20, choices=StakeholderSource.choices)
    stakeholder = models.CharField(_("stakeholder"), max_length=200, blank=True)
    text = models.TextField(_("expectation"))
    position = models.PositiveIntegerField(_("position"), default=0, validators=[INTEGER_MAX])
    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "source", "position", "pk"]
        verbose_name = _("expectation")
        verbose_name_plural = _("expectations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="zones_expectation_has_text",
                violation_error_message=_("An expectation needs text."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("zones:plan-expectations", kwargs={"pk": self.plan_id}) + f"#expectation-{self.pk}"


class MatrixCandidate(models.Model):
    """A row of the argumentation matrix: a candidate phenomenon weighed against the sources."""

    plan = models.ForeignKey(ZonalSecurityPlan, on_delete=models.CASCADE, related_name="matrix_candidates")
    phenomenon = models.ForeignKey(
        "clusters.SecurityPhenomenon", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    label = models.CharField(_("candidate"), max_length=200)
    chosen = models.BooleanField(_("chosen as priority"), default=False)
    objective = models.ForeignKey(
        "nsp.Objective",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matrix_candidates",
        verbose_name=_("priority objective"),
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "label"]
        verbose_name = _("argumentation-matrix candidate")
        verbose_name_plural = _("argumentation-matrix candidates")
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="zones_candidate_unique_label"),
            models.CheckConstraint(
                condition=Q(objective__isnull=True) | Q(chosen=True),
                name="zones_candidate_objective_only_if_chosen",
                violation_error_message=_("Only a chosen candidate becomes a priority objective."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("zones:plan-matrix", kwargs={"pk": self.plan_id}) + f"#candidate-{self.pk}"


class MatrixScore(models.Model):
    plan = models.ForeignKey(ZonalSecurityPlan, on_delete=models.CASCADE, related_name="+", editable=False)
    candidate = models.ForeignKey(MatrixCandidate, on_delete=models.CASCADE, related_name="scores")
    source = models.CharField(_("source"), max_length=20, choices=StakeholderSource.choices)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(5)], help_text=_("0 (none) to 5 (very high).")
    )
    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["candidate", "source"]
        verbose_name = _("argumentation-matrix score")
        verbose_name_plural = _("argumentation-matrix scores")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "source"], name="zones_score_one_per_source"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=5),
                name="zones_score_range",
                violation_error_message=_("A score lies between 0 and 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} / {self.get_source_display()}: {self.score}"

    def get_absolute_url(self) -> str:
        return self.candidate.get_absolute_url()


class NationalAlignment(models.Model):
    """How a zonal plan answers one national priority: adopted (by which objectives) or not, and why."""

    plan = models.ForeignKey(ZonalSecurityPlan, on_delete=models.CASCADE, related_name="alignments")
    phenomenon = models.ForeignKey(
        "clusters.SecurityPhenomenon", on_delete=models.PROTECT, null=True, blank=True, related_name="alignments"
    )
    theme = models.ForeignKey(
        "clusters.CrossCuttingTheme", on_delete=models.PROTECT, null=True, blank=True, related_name="alignments"
    )
    adopted = models.BooleanField(_("adopted"))
    objectives = models.ManyToManyField(
        "nsp.Objective", blank=True, related_name="alignments", verbose_name=_("adopting objectives")
    )
    justification = models.TextField(_("justification"), blank=True)
    to_confirm = models.BooleanField(
        _("to confirm"),
        default=False,
        help_text=_("Carried from the previous edition by a re-alignment; the plan's editor confirms or changes it."),
    )
    history = HistoricalRecords(m2m_fields=[objectives])
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "phenomenon__number", "theme__number"]
        verbose_name = _("national alignment")
        verbose_name_plural = _("national alignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(phenomenon__isnull=False, theme__isnull=True)
                | Q(phenomenon__isnull=True, theme__isnull=False),
                name="zones_alignment_one_priority",
                violation_error_message=_("An alignment answers exactly one phenomenon or one theme."),
            ),
            models.CheckConstraint(
                condition=Q(adopted=True) | ~Q(justification=""),
                name="zones_alignment_justified",
                violation_error_message=_("Say why the plan does not adopt this national priority."),
            ),
            models.UniqueConstraint(
                fields=["plan", "phenomenon"],
                condition=Q(phenomenon__isnull=False),
                name="zones_alignment_unique_phenomenon",
                violation_error_message=_("This plan already answers that phenomenon."),
            ),
            models.UniqueConstraint(
                fields=["plan", "theme"],
                condition=Q(theme__isnull=False),
                name="zones_alignment_unique_theme",
                violation_error_message=_("This plan already answers that theme."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.priority}"

    def get_absolute_url(self) -> str:
        return reverse("zones:plan-alignment", kwargs={"pk": self.plan_id}) + f"#alignment-{self.pk}"

    @property
    def priority(self):
        return self.phenomenon or self.theme

    def clean(self) -> None:
        super().clean()
        if not self.adopted and not (self.justification or "").strip():
            raise ValidationError({"justification": _("Say why the plan does not adopt this national priority.")})


class LocalPoliceVision(models.Model):
    """The CPPL-VCLP's note on the local-police view of an NSP edition."""

    nsp = models.OneToOneField("nsp.NationalSecurityPlan", on_delete=models.CASCADE, related_name="local_police_vision")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["nsp__period_start", "pk"]
        verbose_name = _("local-police vision")
        verbose_name_plural = _("local-police visions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("zones:vision", kwargs={"pk": self.pk})


class Chapter(models.TextChoices):
    """The standard chapters of a zonal security plan (the structure of the 2020-2025 plans).

    A standard chapter's title is its key's label, so it reads in the reader's language; a zone's own
    sections carry the title the zone typed."""

    ENVIRONMENT = "environment", _("Environment scan")
    CRIME = "crime", _("Crime picture")
    ROAD_SAFETY = "road_safety", _("Road safety")
    POPULATION = "population", _("Population survey")
    INTERNAL = "internal", _("Internal picture")
    MISSION_VISION_VALUES = "mission_vision_values", _("Mission, vision and values")
    MISSION = "mission", _("Mission")
    VISION = "vision", _("Vision")
    VALUES = "values", _("Values")
    EXPECTATIONS = "expectations", _("Expectations of the authorities and the national alignment")
    MATRIX = "matrix", _("Argumentation matrix")
    PRIORITIES = "priorities", _("Priorities")
    PRIORITIES_SECURITY = "priorities_security", _("Security and quality of life")
    PRIORITIES_MANAGEMENT = "priorities_management", _("Optimal operational management")
    CAPACITY = "capacity", _("Capacity")
    COMMUNICATION = "communication", _("Communication")
    APPROVAL = "approval", _("Approval")


# The chapters a new plan starts with, in order: (chapter, its sub-chapters).
STANDARD_CHAPTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (Chapter.ENVIRONMENT, (Chapter.CRIME, Chapter.ROAD_SAFETY, Chapter.POPULATION, Chapter.INTERNAL)),
    (Chapter.MISSION_VISION_VALUES, (Chapter.MISSION, Chapter.VISION, Chapter.VALUES)),
    (Chapter.EXPECTATIONS, ()),
    (Chapter.MATRIX, ()),
    (Chapter.PRIORITIES, (Chapter.PRIORITIES_SECURITY, Chapter.PRIORITIES_MANAGEMENT)),
    (Chapter.CAPACITY, ()),
    (Chapter.COMMUNICATION, ()),
    (Chapter.APPROVAL, ()),
)


class PlanSection(models.Model):
    """One heading of the plan document, with its text in Markdown (rendered by ``nsp.markup`` only).

    Top-level sections are the chapters; a section with a parent is a sub-heading of that chapter (two
    levels). Siblings are ordered by ``position``. A standard chapter has a ``key`` (its title comes from
    the key, translated); a zone's own section has a ``title`` instead."""

    plan = models.ForeignKey(ZonalSecurityPlan, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("under the chapter"),
    )
    position = models.PositiveIntegerField(_("position"), default=0, validators=[INTEGER_MAX])
    key = models.CharField(_("standard chapter"), max_length=30, choices=Chapter.choices, blank=True)
    title = models.CharField(_("heading"), max_length=200, blank=True)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_("Markdown: *emphasis*, **bold**, lists with -, links as [text](https://...)."),
    )
    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "key"],
                condition=~Q(key=""),
                name="zones_section_one_per_chapter",
                violation_error_message=_("The plan has this standard chapter already."),
            ),
            models.CheckConstraint(
                condition=(Q(key="") & ~Q(title="")) | (~Q(key="") & Q(title="")),
                name="zones_section_key_or_title",
                violation_error_message=_("A section is either a standard chapter or has a heading of its own."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="zones_section_not_own_parent",
                violation_error_message=_("A section cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("zones:plan", kwargs={"pk": self.plan_id}) + f"#section-{self.pk}"

    def clean(self) -> None:
        super().clean()
        if self.parent_id is not None:
            parent = self.parent
            if parent.parent_id is not None:
                raise ValidationError(
                    {"parent": _("A sub-heading goes under a chapter, not under another sub-heading.")}
                )
            if parent.plan_id != self.plan_id:
                raise ValidationError({"parent": _("Choose a chapter of the same plan.")})

    @property
    def heading(self) -> str:
        return str(Chapter(self.key).label) if self.key else self.title
