"""The NSP edition and the planning core shared by every plan type.

A ``Plan`` is concrete: zonal security plans (``zones``), federal programmes (``programmes``) and the
Brussels regional security plan extend it, so objectives, indicators, measurements and actions are
one set of tables whatever the plan type. Every planning row carries ``plan_id`` (denormalised for
indicators, actions and measurements), so any row reaches its plan, and the plan its zone, in one join.
Cross-row rules that a CHECK cannot express (same plan along a foreign key, a row never changing plan)
are database triggers installed by ``nsp.db_rules``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nsp import periods
from nsp.querysets import RestrictedQuerySet

VALUE_DIGITS = {"max_digits": 16, "decimal_places": 4}
# Bounds that hold on every database: SQLite would store any 64-bit integer where PostgreSQL refuses more than
# these, so validation (and the API schema) must not depend on the backend.
SMALL_MAX = MaxValueValidator(32767)
INTEGER_MAX = MaxValueValidator(2147483647)


def in_force_condition(day) -> Q:
    """The rule of "in force on ``day``", in one place: from the period's start to its end, or to the end of its
    recorded extension; an edition still in preparation is never in force. ``EditionQuerySet`` and
    ``nsp.selectors`` build on it; nobody re-derives it."""
    return (
        ~Q(status=NationalSecurityPlan.Status.PREPARATION)
        & Q(period_start__lte=day)
        & (Q(extended_to__gte=day) | Q(extended_to__isnull=True, period_end__gte=day))
    )


class EditionQuerySet(RestrictedQuerySet):
    def in_force_on(self, day) -> EditionQuerySet:
        """The editions in force on ``day``."""
        return self.filter(in_force_condition(day))

    def with_in_force(self, day) -> EditionQuerySet:
        """Each edition with ``in_force`` (on ``day``) and ``begun`` (by ``day``), computed by the database."""
        # CASE, not the bare condition: SQL gives NULL for a missing extension, which would sort as neither.
        return self.annotate(
            in_force=models.Case(
                models.When(in_force_condition(day), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            ),
            begun=models.Case(
                models.When(period_start__lte=day, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            ),
        )


class NationalSecurityPlan(models.Model):
    """An edition of the National Security Plan (e.g. 2016-2019, 2022-2025)."""

    class Status(models.TextChoices):
        PREPARATION = "preparation", _("In preparation")
        IN_FORCE = "in_force", _("In force")
        ENDED = "ended", _("Ended")

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("For example nsp-2016-2019."))
    title = models.CharField(_("title"), max_length=200)
    motto = models.CharField(_("motto"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    extended_to = models.DateField(
        _("extended to"),
        null=True,
        blank=True,
        help_text=_("The end of the extension of the period, when the edition was extended."),
    )
    extension_decided_on = models.DateField(
        _("extension decided on"),
        null=True,
        blank=True,
        help_text=_("The date of the decision that extended the edition, where it is known."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE)
    unofficial_languages = models.CharField(
        _("unofficial translations"),
        max_length=20,
        blank=True,
        help_text=_("Languages whose texts are our own translation, not an official one (e.g. 'de')."),
    )
    # What the last reference-data load wrote (clusters.reference): a stored value that differs from it is a
    # planner's correction, which a later load keeps.
    loaded_values = models.JSONField(_("values of the last reference load"), default=dict, blank=True, editable=False)
    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["period_start"]
        verbose_name = _("National Security Plan")
        verbose_name_plural = _("National Security Plans")
        permissions = [
            ("change_reference", _("Change the NSP reference data")),
            ("change_any_programme", _("Change any federal programme")),
            ("change_regional_plan", _("Change the Brussels regional security plan")),
            ("change_local_police_vision", _("Change the local-police vision note")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="nsp_edition_period_order",
                violation_error_message=_("The period must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True) | Q(extended_to__gt=F("period_end")),
                name="nsp_edition_extension_after_end",
                violation_error_message=_("An extension must end after the original period."),
            ),
            models.CheckConstraint(
                condition=Q(extension_decided_on__isnull=True) | Q(extended_to__isnull=False),
                name="nsp_edition_decision_needs_extension",
                violation_error_message=_("A decision date belongs to an extension."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("clusters:edition", kwargs={"pk": self.pk})

    @property
    def effective_end(self):
        return self.extended_to or self.period_end


class Ambition(models.Model):
    nsp = models.ForeignKey(NationalSecurityPlan, on_delete=models.CASCADE, related_name="ambitions")
    number = models.PositiveSmallIntegerField(_("number"), validators=[SMALL_MAX])
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    unofficial_languages = models.CharField(_("unofficial translations"), max_length=20, blank=True)
    loaded_values = models.JSONField(_("values of the last reference load"), default=dict, blank=True, editable=False)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["nsp", "number"]
        verbose_name = _("ambition")
        verbose_name_plural = _("ambitions")
        constraints = [
            models.UniqueConstraint(fields=["nsp", "number"], name="nsp_ambition_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("clusters:edition", kwargs={"pk": self.nsp_id}) + f"#ambition-{self.number}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted by the council")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")


class Plan(models.Model):
    """What objectives belong to. Concrete, so the planning core is one set of tables."""

    class Kind(models.TextChoices):
        ZONAL = "zonal", _("Zonal security plan")
        PROGRAMME = "programme", _("Federal programme")
        REGIONAL = "regional", _("Regional security plan")

    Status = PlanStatus

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, editable=False)
    nsp = models.ForeignKey(
        NationalSecurityPlan,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("NSP edition"),
        help_text=_("The edition of the National Security Plan this plan answers."),
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # The anchor of local data: set exactly for zonal plans.
    zone = models.ForeignKey(
        "zones.PoliceZone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("police zone"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    keep_tolerance = models.DecimalField(
        _("tolerance for 'keep' indicators"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.05"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("An indicator to keep at its target is on target within this share of it (0.05 = 5 %)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # History is kept by the concrete plan (zonal plan, programme, regional plan), which has every field.
    objects = RestrictedQuerySet.as_manager()

    PLAN_KIND: str = ""

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="nsp_plan_period_order",
                violation_error_message=_("The period must end after it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="zonal", zone__isnull=False) | (~Q(kind="zonal") & Q(zone__isnull=True))),
                name="nsp_plan_zone_iff_zonal",
                violation_error_message=_("A zonal plan needs a zone; other plans have none."),
            ),
            models.CheckConstraint(
                condition=Q(keep_tolerance__gte=0) & Q(keep_tolerance__lte=1),
                name="nsp_plan_tolerance_range",
                violation_error_message=_("The tolerance must lie between 0 and 1."),
            ),
            models.UniqueConstraint(
                fields=["zone", "period_start"],
                condition=Q(zone__isnull=False),
                name="nsp_plan_one_per_zone_and_period",
                violation_error_message=_("This zone already has a plan for that period."),
            ),
        ]
        indexes = [models.Index(fields=["zone", "status"]), models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The discriminator follows the concrete class; nothing else is decided here.
        if self.PLAN_KIND:
            self.kind = self.PLAN_KIND
        super().save(*args, **kwargs)

    URL_NAMES = {Kind.ZONAL: "zones:plan", Kind.PROGRAMME: "programmes:programme", Kind.REGIONAL: "zones:regional-plan"}

    def get_absolute_url(self) -> str:
        # A concrete plan shares its primary key with this row.
        return reverse(self.URL_NAMES[self.kind or self.PLAN_KIND], kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        # The discriminator must be right before full_clean validates nsp_plan_zone_iff_zonal.
        if self.PLAN_KIND:
            self.kind = self.PLAN_KIND
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            raise ValidationError({"period_end": _("The period must end after it starts.")})

    @property
    def specific(self) -> Plan:
        """The concrete plan (zonal plan, programme, regional plan) behind this row."""
        if type(self) is not Plan:
            return self
        for attr in ("zonalsecurityplan", "programme", "regionalsecurityplan"):
            try:
                return getattr(self, attr)
            except models.ObjectDoesNotExist:
                continue
            except AttributeError:
                continue
        return self

    @property
    def period_label(self) -> str:
        return f"{self.period_start.year}-{self.period_end.year}"


class Objective(models.Model):
    class Level(models.TextChoices):
        STRATEGIC = "strategic", _("Strategic")
        TACTICAL = "tactical", _("Tactical")
        OPERATIONAL = "operational", _("Operational")

    class Kind(models.TextChoices):
        PRIORITY = "priority", _("Priority")
        ATTENTION_POINT = "attention_point", _("Special attention point")

    class Domain(models.TextChoices):
        SECURITY = "security", _("Security and quality of life")
        MANAGEMENT = "management", _("Optimal operational management")

    PARENT_LEVEL = {Level.TACTICAL: Level.STRATEGIC, Level.OPERATIONAL: Level.TACTICAL}

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("plan"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent objective"),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRIORITY)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices, blank=True)
    code = models.CharField(_("code"), max_length=20, blank=True, help_text=_("For example S1 or T1.2."))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(
        _("action-plan year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        null=True,
        blank=True,
        help_text=_("Operational objectives: the year of the action plan."),
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"))
    position = models.PositiveIntegerField(_("position"), default=0, validators=[INTEGER_MAX])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "position", "code", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.CheckConstraint(
                condition=~Q(level="strategic") | Q(parent__isnull=True),
                name="nsp_objective_strategic_has_no_parent",
                violation_error_message=_("A strategic objective has no parent objective."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="nsp_objective_not_own_parent",
                violation_error_message=_("An objective cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="nsp_objective_weight_positive",
                violation_error_message=_("The weight must be greater than zero."),
            ),
            models.UniqueConstraint(
                fields=["plan", "code"],
                condition=~Q(code=""),
                name="nsp_objective_unique_code_per_plan",
                violation_error_message=_("Another objective of this plan has this code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("nsp:objective", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.parent_id:
            parent = self.parent
            if self.plan_id and parent.plan_id != self.plan_id:
                errors["parent"] = _("The parent objective must belong to the same plan.")
            elif parent.level != self.PARENT_LEVEL.get(self.level):
                errors["parent"] = _("A %(level)s objective cannot sit under a %(parent)s objective.") % {
                    "level": self.get_level_display().lower(),
                    "parent": parent.get_level_display().lower(),
                }
            elif self.pk and parent.pk == self.pk:
                errors["parent"] = _("An objective cannot be its own parent.")
        if self.level == self.Level.STRATEGIC and self.parent_id:
            errors["parent"] = _("A strategic objective has no parent objective.")
        if errors:
            raise ValidationError(errors)


class Scale(models.TextChoices):
    """What kind of figure an indicator measures: it decides which values make sense."""

    COUNT = "count", _("Count (a whole number, 0 or more)")
    PERCENTAGE = "percentage", _("Percentage (0 to 100)")
    RATE = "rate", _("Rate or average (0 or more)")
    NUMBER = "number", _("Other number (any value)")


# The lowest and highest value each scale allows (None: no bound), and whether it takes decimals.
SCALE_BOUNDS: dict[str, tuple[Decimal | None, Decimal | None]] = {
    Scale.COUNT: (Decimal(0), None),
    Scale.PERCENTAGE: (Decimal(0), Decimal(100)),
    Scale.RATE: (Decimal(0), None),
    Scale.NUMBER: (None, None),
}
WHOLE_SCALES = {Scale.COUNT}


def value_bounds(
    scale: str, minimum: Decimal | None = None, maximum: Decimal | None = None
) -> tuple[Decimal | None, Decimal | None]:
    """The bounds a value must keep: the scale's, narrowed by the indicator's own minimum and maximum."""
    low, high = SCALE_BOUNDS.get(scale, (None, None))
    if minimum is not None and (low is None or minimum > low):
        low = minimum
    if maximum is not None and (high is None or maximum < high):
        high = maximum
    return low, high


def value_problem(value: Decimal | None, *, scale: str, minimum: Decimal | None = None, maximum=None) -> str:
    """Why ``value`` makes no sense for an indicator of this scale and bounds ("" when it does).

    The one rule behind the measurement form, the quarter grid, the upload and the API (through
    ``Measurement.clean`` and ``nsp.services.measurement_problems``), and the indicator's own baseline and target.
    """
    from nsp.figures import number_text

    if isinstance(value, int | float) and not isinstance(value, bool):
        value = Decimal(str(value))
    if not isinstance(value, Decimal) or not value.is_finite():
        return ""  # not a number at all: the field's own validation says so
    if scale in WHOLE_SCALES and value != value.to_integral_value():
        return _("A count is a whole number: %(value)s has decimals.") % {"value": number_text(value, places=4)}
    scale_low, scale_high = SCALE_BOUNDS.get(scale, (None, None))
    if scale == Scale.PERCENTAGE and not (scale_low <= value <= scale_high):
        return _("A percentage lies between 0 and 100; %(value)s does not.") % {"value": number_text(value, places=4)}
    if scale_low is not None and value < scale_low:
        return str(NOT_NEGATIVE[scale])
    low, high = value_bounds(scale, minimum, maximum)
    if low is not None and value < low:
        return _("The lowest value this indicator accepts is %(minimum)s.") % {"minimum": number_text(low, places=4)}
    if high is not None and value > high:
        return _("The highest value this indicator accepts is %(maximum)s.") % {"maximum": number_text(high, places=4)}
    return ""


NOT_NEGATIVE = {
    Scale.COUNT: _("A count cannot be negative."),
    Scale.RATE: _("A rate or average cannot be negative."),
}


def value_rule_text(*, scale: str, minimum: Decimal | None = None, maximum: Decimal | None = None) -> str:
    """The rule in words, for a hint beside the input: "A whole number, 0 or more"."""
    from nsp.figures import number_text

    low, high = value_bounds(scale, minimum, maximum)
    kind = _("A whole number") if scale in WHOLE_SCALES else _("A number")
    if low is not None and high is not None:
        return _("%(kind)s from %(low)s to %(high)s") % {
            "kind": kind,
            "low": number_text(low, places=4),
            "high": number_text(high, places=4),
        }
    if low is not None:
        return _("%(kind)s, %(low)s or more") % {"kind": kind, "low": number_text(low, places=4)}
    if high is not None:
        return _("%(kind)s, %(high)s or less") % {"kind": kind, "high": number_text(high, places=4)}
    return str(kind)


class Indicator(models.Model):
    Scale = Scale

    class Source(models.TextChoices):
        CRIME_STATISTICS = "crime_statistics", _("Crime statistics")
        SECURITY_MONITOR = "security_monitor", _("Security monitor survey")
        INTERNAL = "internal", _("Internal data")
        OTHER = "other", _("Other")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")
        KEEP = "keep", _("Keep")

    Frequency = periods.Frequency

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators", editable=False)
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("objective")
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("For example: %, accidents, reports."))
    scale = models.CharField(
        _("kind of value"),
        max_length=12,
        choices=Scale.choices,
        default=Scale.NUMBER,
        help_text=_("Decides which values are accepted: a count has no decimals, a percentage lies between 0 and 100."),
    )
    minimum_value = models.DecimalField(
        _("lowest accepted value"),
        null=True,
        blank=True,
        help_text=_("Optional: measurements below it are refused."),
        **VALUE_DIGITS,
    )
    maximum_value = models.DecimalField(
        _("highest accepted value"),
        null=True,
        blank=True,
        help_text=_("Optional: measurements above it are refused."),
        **VALUE_DIGITS,
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.INTERNAL)
    source_detail = models.CharField(_("source detail"), max_length=200, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), **VALUE_DIGITS)
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(_("target value"), **VALUE_DIGITS)
    target_date = models.DateField(_("target date"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    frequency = models.CharField(
        _("frequency"), max_length=12, choices=periods.Frequency.choices, default=periods.Frequency.QUARTERLY
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"))
    position = models.PositiveIntegerField(_("position"), default=0, validators=[INTEGER_MAX])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["objective", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__gt=F("baseline_date")),
                name="nsp_indicator_target_after_baseline",
                violation_error_message=_("The target date must come after the baseline date."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(direction="keep")
                    | Q(direction="increase", target_value__gt=F("baseline_value"))
                    | Q(direction="decrease", target_value__lt=F("baseline_value"))
                ),
                name="nsp_indicator_target_matches_direction",
                violation_error_message=_(
                    "The target must lie above the baseline for 'increase' and below it for 'decrease'."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="nsp_indicator_weight_positive",
                violation_error_message=_("The weight must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(minimum_value__isnull=True)
                | Q(maximum_value__isnull=True)
                | Q(minimum_value__lte=F("maximum_value")),
                name="nsp_indicator_minimum_below_maximum",
                violation_error_message=_("The lowest accepted value cannot exceed the highest."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("nsp:indicator", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.objective_id and not self.plan_id:
            self.plan_id = self.objective.plan_id
        if self.baseline_date and self.target_date and self.target_date <= self.baseline_date:
            raise ValidationError({"target_date": _("The target date must come after the baseline date.")})
        errors: dict[str, str] = {}
        low, high = self.minimum_value, self.maximum_value
        if low is not None and high is not None and low > high:
            errors["maximum_value"] = _("The lowest accepted value cannot exceed the highest.")
        for name in ("minimum_value", "maximum_value"):
            problem = value_problem(getattr(self, name), scale=self.scale)
            if problem and name not in errors:
                errors[name] = problem
        if not errors:
            for name in ("baseline_value", "target_value"):
                problem = self.value_problem(getattr(self, name))
                if problem:
                    errors[name] = problem
        if errors:
            raise ValidationError(errors)

    def value_problem(self, value: Decimal | None) -> str:
        """Why ``value`` cannot be a value of this indicator ("" when it can): see ``value_problem``."""
        return value_problem(value, scale=self.scale, minimum=self.minimum_value, maximum=self.maximum_value)

    @property
    def value_rule(self) -> str:
        return value_rule_text(scale=self.scale, minimum=self.minimum_value, maximum=self.maximum_value)


class Measurement(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measurements", editable=False)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("indicator")
    )
    period = models.CharField(
        _("period"), max_length=7, help_text=_("2018-Q2 (quarter), 2018-H1 (half-year), 2018-05 (month) or 2018.")
    )
    period_start = models.DateField(_("period start"), editable=False)
    period_end = models.DateField(_("period end"), editable=False)
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)
    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        # Own columns only: ordering by "indicator" would expand through the orderings of Indicator,
        # Objective and Plan into a four-table sort of every readable measurement (docs/decisions.md).
        ordering = ["indicator_id", "period_end"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="nsp_measurement_one_per_period",
                violation_error_message=_("This indicator already has a measurement for that period."),
            ),
            models.CheckConstraint(
                condition=Q(period__regex=periods.PERIOD_REGEX),
                name="nsp_measurement_period_format",
                violation_error_message=_("Write the period as 2018-Q2, 2018-H1, 2018-05 or 2018."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="nsp_measurement_period_order",
                violation_error_message=_("The period must end after it starts."),
            ),
        ]
        # Serves the list's order (a forward scan) and each indicator's latest measurement (a backward one).
        indexes = [models.Index(fields=["indicator", "period_end"], name="nsp_measurement_order")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}: {self.value}"

    def get_absolute_url(self) -> str:
        return reverse("nsp:indicator", kwargs={"pk": self.indicator_id}) + f"#measurement-{self.pk}"

    def clean(self) -> None:
        super().clean()
        if not self.period:
            return
        try:
            parsed = periods.parse(self.period)
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from exc
        self.period = parsed.label
        self.period_start, self.period_end = parsed.start, parsed.end
        if self.indicator_id:
            indicator = self.indicator
            if parsed.frequency != indicator.frequency:
                raise ValidationError(
                    {
                        "period": _("This indicator is measured %(frequency)s; write a period like %(example)s.")
                        % {
                            "frequency": indicator.get_frequency_display().lower(),
                            "example": periods.example(indicator.frequency),
                        }
                    }
                )
            if not self.plan_id:
                self.plan_id = indicator.plan_id
            problem = indicator.value_problem(self.value)
            if problem:
                raise ValidationError({"value": problem})


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions", editable=False)
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="actions", verbose_name=_("objective")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.CharField(_("owner"), max_length=200, help_text=_("The person or service that carries it."))
    start_date = models.DateField(_("start"))
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"))
    position = models.PositiveIntegerField(_("position"), default=0, validators=[INTEGER_MAX])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["objective", "position", "due_date", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100),
                name="nsp_action_percent_range",
                violation_error_message=_("Percent complete must lie between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("start_date")),
                name="nsp_action_due_after_start",
                violation_error_message=_("The due date cannot come before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(percent_complete=100),
                name="nsp_action_done_is_complete",
                violation_error_message=_("A done action is 100 %% complete."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="nsp_action_weight_positive",
                violation_error_message=_("The weight must be greater than zero."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("nsp:action", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.objective_id and not self.plan_id:
            self.plan_id = self.objective.plan_id


class Comment(models.Model):
    """A remark on a plan, or on one of its objectives, indicators or actions."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments", verbose_name=_("plan"))
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_comments", verbose_name=_("author")
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(objective__isnull=True, indicator__isnull=True)
                    | Q(objective__isnull=True, action__isnull=True)
                    | Q(indicator__isnull=True, action__isnull=True)
                ),
                name="nsp_comment_one_target",
                violation_error_message=_("A comment is about the plan or about one of its items, not several."),
            ),
            models.CheckConstraint(
                condition=~Q(body=""),
                name="nsp_comment_not_empty",
                violation_error_message=_("A comment needs text."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"

    def get_absolute_url(self) -> str:
        target = self.objective or self.indicator or self.action
        url = target.get_absolute_url() if target else self.plan.specific.get_absolute_url()
        return f"{url}#comment-{self.pk}"

    @property
    def target(self):
        return self.objective or self.indicator or self.action or self.plan


class DeletedItem(models.Model):
    """A deleted row of a plan with everything deleted with it, kept to be restored (docs/decisions.md).

    ``rows`` holds every deleted row as Django serialises it (every column, the translations included);
    ``links`` the references the delete cleared in rows that stay (a matrix candidate's adopting objective).
    Restoring puts them back with the same keys and values (``nsp.trash.restore``); after
    ``DELETED_RETENTION_DAYS`` a periodic task purges the item. The rows' history keeps the delete and the
    restore.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="deleted_items", verbose_name=_("plan"))
    model = models.CharField(_("kind"), max_length=100)  # app_label.model_name of the deleted row
    object_id = models.BigIntegerField(_("key"))
    label = models.CharField(_("item"), max_length=400)
    summary = models.CharField(_("deleted with it"), max_length=1000)
    rows = models.JSONField(_("deleted rows"))
    links = models.JSONField(_("cleared references"), default=list)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )
    deleted_at = models.DateTimeField(_("deleted on"), db_index=True)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-deleted_at", "-pk"]
        verbose_name = _("deleted item")
        verbose_name_plural = _("deleted items")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("nsp:plan-deleted-items", kwargs={"pk": self.plan_id})

    @property
    def kind(self) -> str:
        from django.apps import apps

        return str(apps.get_model(self.model)._meta.verbose_name)

    @property
    def what_went(self) -> str:
        """ "5 objectives, 3 indicators, 72 measurements, 2 actions", in the reader's language."""
        import json

        from nsp.selectors import count_phrase

        return count_phrase(json.loads(self.summary))

    @property
    def purged_after(self):
        import datetime as dt

        return self.deleted_at + dt.timedelta(days=settings.DELETED_RETENTION_DAYS)


class RoleGroup(models.Model):
    """The scope of a role group: one Django group per role and zone, programme or district."""

    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="role")
    role = models.CharField(_("role"), max_length=30)
    zone = models.ForeignKey(
        "zones.PoliceZone", on_delete=models.CASCADE, null=True, blank=True, related_name="role_groups"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, null=True, blank=True, related_name="role_groups"
    )
    district = models.ForeignKey(
        "zones.District", on_delete=models.CASCADE, null=True, blank=True, related_name="role_groups"
    )

    class Meta:
        ordering = ["role", "group__name"]
        verbose_name = _("role group")
        verbose_name_plural = _("role groups")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(zone__isnull=True, programme__isnull=True)
                    | Q(zone__isnull=True, district__isnull=True)
                    | Q(programme__isnull=True, district__isnull=True)
                ),
                name="nsp_rolegroup_one_scope",
                violation_error_message=_("A role group has at most one scope."),
            ),
        ]

    def __str__(self) -> str:
        return self.group.name

    def get_absolute_url(self) -> str:
        return reverse("admin:auth_group_change", args=[self.group_id])

    @property
    def scope(self):
        return self.zone or self.programme or self.district


class UserPreference(models.Model):
    """What a person chose on their profile page: the language of the pages (blank: the browser's)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language or '-'}"
