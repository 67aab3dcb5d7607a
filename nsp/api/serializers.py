"""Serializers of the NSP editions and the planning core (objectives, indicators, measurements, actions, comments)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from nsp.api.base import ServiceModelSerializer
from nsp.api.fields import RestrictedPrimaryKeyRelatedField as Readable
from nsp.languages import translated_fields
from nsp.models import (
    Action,
    Ambition,
    Comment,
    DeletedItem,
    Indicator,
    Measurement,
    NationalSecurityPlan,
    Objective,
    Plan,
)
from nsp.progress import ProgressStatus, rounded

# Derived from other rows and from today's date: outside the ETag (see nsp.api.base).
PROGRESS_FIELDS = ("progress", "expected", "progress_status", "overdue", "late", "latest_value", "latest_period")


class ShareField(serializers.FloatField):
    """A share in [0, 1] from the progress annotations, rounded for presentation; null without data."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 1)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return rounded(float(value)) if value is not None else None


class ProgressSerializerMixin(serializers.Serializer):
    """``progress``, ``expected`` and ``progress_status`` from ``nsp.progress`` annotations."""

    progress = ShareField(help_text="Progress towards the target, 0 to 1 (null without data).")
    expected = ShareField(help_text="Where progress should be by now, 0 to 1 (null without data).")
    progress_status = serializers.ChoiceField(
        choices=ProgressStatus.choices,
        read_only=True,
        help_text="no_data, achieved, on_track, at_risk, off_track (cancelled: actions only).",
    )


class AmbitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ambition
        fields = ["id", "number", "title", "text"]


class NationalSecurityPlanSerializer(ServiceModelSerializer):
    """``title``, ``motto`` and ``summary`` in the request's language; the per-language fields are writable."""

    ambitions = AmbitionSerializer(many=True, read_only=True)
    extension_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="With `extended_to`: the decision or source of the extension, kept in the edition's history.",
    )
    in_force_today = serializers.SerializerMethodField(
        help_text="Whether the edition is in force today (its period or recorded extension; not in preparation)."
    )
    title = serializers.CharField(read_only=True)
    motto = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)

    class Meta:
        model = NationalSecurityPlan
        fields = [
            "id",
            "code",
            "title",
            "motto",
            "summary",
            *translated_fields("title", "motto", "summary"),
            "period_start",
            "period_end",
            "extended_to",
            "extension_decided_on",
            "extension_reason",
            "in_force_today",
            "status",
            "unofficial_languages",
            "ambitions",
        ]
        read_only_fields = ["id", "code"]

    def get_in_force_today(self, edition: NationalSecurityPlan) -> bool:
        # The viewset annotates ``in_force`` (one query for the list); a row without it asks the database.
        if hasattr(edition, "in_force"):
            return bool(edition.in_force)
        return NationalSecurityPlan.objects.in_force_on(timezone.localdate()).filter(pk=edition.pk).exists()


class ObjectiveSerializer(ProgressSerializerMixin, ServiceModelSerializer):
    plan = Readable(
        queryset=Plan.objects.all(), help_text="The plan (zonal plan, programme, regional plan); set at creation."
    )
    parent = Readable(queryset=Objective.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Objective
        fields = [
            "id",
            "plan",
            "parent",
            "level",
            "kind",
            "domain",
            "code",
            "title",
            "description",
            "year",
            "weight",
            "position",
            "created_at",
            "updated_at",
            "progress",
            "expected",
            "progress_status",
        ]


class IndicatorSerializer(ProgressSerializerMixin, ServiceModelSerializer):
    overdue = serializers.BooleanField(read_only=True, help_text="The last due period has no measurement.")
    latest_value = serializers.DecimalField(max_digits=16, decimal_places=4, read_only=True, allow_null=True)
    latest_period = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "objective",
            "name",
            "description",
            "unit",
            "scale",
            "minimum_value",
            "maximum_value",
            "source",
            "source_detail",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "direction",
            "frequency",
            "weight",
            "position",
            "created_at",
            "updated_at",
            "latest_value",
            "latest_period",
            "progress",
            "expected",
            "progress_status",
            "overdue",
        ]
        read_only_fields = ["plan"]


class MeasurementSerializer(ServiceModelSerializer):
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "plan",
            "indicator",
            "period",
            "period_start",
            "period_end",
            "value",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["plan", "period_start", "period_end", "recorded_at"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # The indicator's kind of value and bounds (``Indicator.value_problem``, the rule every channel uses).
        indicator = attrs.get("indicator") or getattr(self.instance, "indicator", None)
        value = attrs.get("value", getattr(self.instance, "value", None))
        problem = indicator.value_problem(value) if indicator is not None else ""
        if problem:
            raise serializers.ValidationError({"value": [problem]})
        return attrs


class ActionSerializer(ProgressSerializerMixin, ServiceModelSerializer):
    late = serializers.BooleanField(read_only=True, help_text="Past due and neither done nor cancelled.")

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "objective",
            "title",
            "description",
            "owner",
            "start_date",
            "due_date",
            "status",
            "percent_complete",
            "weight",
            "position",
            "created_at",
            "updated_at",
            "progress",
            "expected",
            "progress_status",
            "late",
        ]
        read_only_fields = ["plan"]


class CommentSerializer(ServiceModelSerializer):
    plan = Readable(queryset=Plan.objects.all())
    objective = Readable(queryset=Objective.objects.all(), allow_null=True, required=False)
    indicator = Readable(queryset=Indicator.objects.all(), allow_null=True, required=False)
    action = Readable(queryset=Action.objects.all(), allow_null=True, required=False)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "plan", "objective", "indicator", "action", "author", "body", "created_at"]


class DeletedItemSerializer(serializers.ModelSerializer):
    """A deleted row of a plan with what went with it, waiting to be restored (``POST .../restore/``)."""

    deleted_with_it = serializers.SerializerMethodField(help_text="What the delete removed, e.g. 5 objectives, ...")
    counts = serializers.SerializerMethodField(help_text="Rows removed per kind (app_label.model: count).")
    deleted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    purged_after = serializers.DateTimeField(read_only=True, help_text="Purged for good after this moment.")

    class Meta:
        model = DeletedItem
        fields = [
            "id",
            "plan",
            "model",
            "object_id",
            "label",
            "deleted_with_it",
            "counts",
            "deleted_by",
            "deleted_at",
            "purged_after",
        ]
        read_only_fields = fields

    def get_deleted_with_it(self, item: DeletedItem) -> str:
        return item.what_went

    def get_counts(self, item: DeletedItem) -> dict[str, int]:
        import json

        return dict(json.loads(item.summary))


class RestoredSerializer(serializers.Serializer):
    model = serializers.CharField(help_text="app_label.model of the restored row.")
    id = serializers.IntegerField(help_text="Its key: the same as before the delete.")
