"""Serializers of police zones, districts, zonal and regional plans and the zone-specific plan parts."""

from __future__ import annotations

from rest_framework import serializers

from clusters.models import CrossCuttingTheme, SecurityPhenomenon
from nsp.api.base import ServiceModelSerializer
from nsp.api.fields import RestrictedPrimaryKeyRelatedField as Readable
from nsp.api.serializers import ProgressSerializerMixin
from nsp.models import NationalSecurityPlan, Objective, PlanStatus
from zones.models import (
    Chapter,
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
    StakeholderSource,
    ZonalSecurityPlan,
)


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "code", "name", "region"]


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["nis_code", "name"]


class PoliceZoneSerializer(ServiceModelSerializer):
    """Read by every role; administrators complete or correct a zone (number, names, district...)."""

    name = serializers.CharField(read_only=True, help_text="In the request's language where the zone has one.")
    district = Readable(queryset=District.objects.all(), allow_null=True, required=False)
    merged_into = Readable(queryset=PoliceZone.objects.all(), allow_null=True, required=False)
    district_code = serializers.CharField(source="district.code", read_only=True, allow_null=True, default=None)
    municipalities = MunicipalitySerializer(many=True, read_only=True)
    missing = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="What the reference data does not give."
    )

    class Meta:
        model = PoliceZone
        fields = [
            "id",
            "key",
            "number",
            "name",
            "name_nl",
            "name_fr",
            "name_de",
            "region",
            "province",
            "district",
            "district_code",
            "municipalities",
            "status",
            "valid_from",
            "valid_to",
            "merged_into",
            "merged_into_name",
            "notes",
            "missing",
        ]
        read_only_fields = ["id", "key"]


class LocalPoliceVisionSerializer(ServiceModelSerializer):
    nsp = Readable(queryset=NationalSecurityPlan.objects.all(), help_text="The NSP edition; set at creation.")
    updated_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = LocalPoliceVision
        fields = ["id", "nsp", "title", "text", "updated_by", "updated_at"]
        read_only_fields = ["id", "updated_at"]


class ZonalPlanSerializer(ProgressSerializerMixin, ServiceModelSerializer):
    zone = Readable(queryset=PoliceZone.objects.all(), help_text="The police zone; set at creation.")
    nsp = Readable(
        queryset=NationalSecurityPlan.objects.all(),
        required=False,
        help_text=(
            "The NSP edition the plan answers; set at creation (default: the edition in force today). A re-alignment "
            "by addendum (`realign/`) moves it to the next edition."
        ),
    )
    zone_number = serializers.CharField(source="zone.number", read_only=True, allow_null=True)

    class Meta:
        model = ZonalSecurityPlan
        fields = [
            "id",
            "zone",
            "zone_number",
            "nsp",
            "title",
            "period_start",
            "period_end",
            "status",
            "council_adopted_on",
            "approved_on",
            "closed_on",
            "keep_tolerance",
            "created_at",
            "updated_at",
            "progress",
            "expected",
            "progress_status",
        ]
        read_only_fields = ["status", "council_adopted_on", "approved_on", "closed_on"]


class RegionalPlanSerializer(ProgressSerializerMixin, ServiceModelSerializer):
    nsp = Readable(queryset=NationalSecurityPlan.objects.all(), help_text="The NSP edition; set at creation.")

    class Meta:
        model = RegionalSecurityPlan
        fields = [
            "id",
            "nsp",
            "title",
            "period_start",
            "period_end",
            "status",
            "keep_tolerance",
            "authority",
            "summary",
            "created_at",
            "updated_at",
            "progress",
            "expected",
            "progress_status",
        ]


class PlanTransitionSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PlanTransition
        fields = ["id", "plan", "from_status", "to_status", "on_date", "reason", "by", "at"]
        read_only_fields = fields


class TransitionRequestSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=PlanStatus.choices, help_text="The status to move the plan to.")
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000, help_text="Required to return or reopen."
    )
    on_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The council's or the ministers' date (adopt, approve).",
    )


class StepSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    to_status = serializers.ChoiceField(choices=PlanStatus.choices)
    needs_reason = serializers.BooleanField()
    needs_date = serializers.BooleanField()


class TransitionResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PlanStatus.choices, help_text="The plan's status now.")
    transition = PlanTransitionSerializer()
    next_steps = StepSerializer(many=True, help_text="The steps you may take from here.")


class PriorityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()


class AlignmentRowSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("phenomenon", "phenomenon"), ("theme", "theme")])
    priority = PriorityRefSerializer()
    alignment = serializers.IntegerField(allow_null=True, help_text="The alignment's id, null when not answered.")
    adopted = serializers.BooleanField(allow_null=True)
    objectives = serializers.ListField(child=serializers.IntegerField())
    justification = serializers.CharField(allow_blank=True)
    decided = serializers.BooleanField(help_text="Adopted by an objective, or not adopted with a justification.")


class ExpectationSerializer(ServiceModelSerializer):
    plan = Readable(queryset=ZonalSecurityPlan.objects.all())

    class Meta:
        model = Expectation
        fields = ["id", "plan", "source", "stakeholder", "text", "position"]


class PlanSectionSerializer(ServiceModelSerializer):
    plan = Readable(queryset=ZonalSecurityPlan.objects.all())
    parent = Readable(
        queryset=PlanSection.objects.all(), allow_null=True, required=False, help_text="The chapter it sits under."
    )
    key = serializers.ChoiceField(
        choices=[("", ""), *Chapter.choices], required=False, help_text="A standard chapter; set at creation."
    )
    heading = serializers.CharField(read_only=True, help_text="The title, or the standard chapter's translated name.")
    body_html = serializers.SerializerMethodField(help_text="The text rendered to safe HTML.")

    class Meta:
        model = PlanSection
        fields = ["id", "plan", "parent", "position", "key", "title", "heading", "body", "body_html"]
        read_only_fields = ["position"]

    def get_body_html(self, obj: PlanSection) -> str:
        from nsp.markup import render_markdown

        return str(render_markdown(obj.body))


class SectionMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=[("up", "up"), ("down", "down")])


class MatrixScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatrixScore
        fields = ["source", "score"]


class MatrixScoreRequestSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=StakeholderSource.choices)
    score = serializers.IntegerField(min_value=0, max_value=5)


class MatrixCandidateSerializer(ServiceModelSerializer):
    plan = Readable(queryset=ZonalSecurityPlan.objects.all())
    phenomenon = Readable(queryset=SecurityPhenomenon.objects.all(), allow_null=True, required=False)
    objective = Readable(
        queryset=Objective.objects.all(), allow_null=True, required=False, help_text="The priority objective."
    )
    label = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Defaults to the phenomenon's name."
    )
    scores = MatrixScoreSerializer(many=True, read_only=True)

    class Meta:
        model = MatrixCandidate
        fields = ["id", "plan", "phenomenon", "label", "chosen", "objective", "note", "scores"]


class NationalAlignmentSerializer(ServiceModelSerializer):
    plan = Readable(queryset=ZonalSecurityPlan.objects.all())
    phenomenon = Readable(queryset=SecurityPhenomenon.objects.all(), allow_null=True, required=False)
    theme = Readable(queryset=CrossCuttingTheme.objects.all(), allow_null=True, required=False)
    objectives = Readable(queryset=Objective.objects.all(), many=True, required=False)

    class Meta:
        model = NationalAlignment
        fields = ["id", "plan", "phenomenon", "theme", "adopted", "objectives", "justification"]


class PlanImportRequestSerializer(serializers.Serializer):
    document = serializers.DictField(help_text="A document from `GET /api/v1/zonal-plans/{id}/export/`.")
    zone = Readable(queryset=PoliceZone.objects.all(), help_text="The zone the new draft is for.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    title = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, help_text="Defaults to the old title, new years."
    )
    nsp = Readable(
        queryset=NationalSecurityPlan.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The NSP edition of the new plan; defaults to the document's.",
    )


class PlanImportResponseSerializer(serializers.Serializer):
    plan = ZonalPlanSerializer()
    notes = serializers.ListField(child=serializers.CharField(), help_text="What was not carried as it was.")


# --- the plan document (GET .../export/, POST .../import/) ----------------------------------------


class DocumentZoneSerializer(serializers.Serializer):
    key = serializers.CharField()
    number = serializers.CharField(allow_null=True)
    name = serializers.CharField()


class DocumentEditionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()


class DocumentPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    zone = DocumentZoneSerializer()
    nsp = DocumentEditionSerializer()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    keep_tolerance = serializers.DecimalField(max_digits=5, decimal_places=4)


class DocumentSectionSerializer(serializers.Serializer):
    ref = serializers.CharField(help_text="The section's reference inside the document.")
    parent = serializers.CharField(allow_null=True, help_text="The chapter's `ref` (a sub-heading), or null.")
    key = serializers.ChoiceField(choices=[("", ""), *Chapter.choices], help_text="The standard chapter, or empty.")
    title = serializers.CharField(allow_blank=True, help_text="A zone's own heading (empty for a standard chapter).")
    body = serializers.CharField(allow_blank=True, help_text="The text, in Markdown.")


class DocumentObjectiveSerializer(serializers.Serializer):
    ref = serializers.CharField(help_text="The objective's reference inside the document.")
    parent = serializers.CharField(allow_null=True, help_text="The parent objective's `ref`.")
    level = serializers.ChoiceField(choices=Objective.Level.choices)
    kind = serializers.ChoiceField(choices=Objective.Kind.choices)
    domain = serializers.CharField(allow_blank=True)
    code = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    year = serializers.IntegerField(allow_null=True)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    position = serializers.IntegerField()


class DocumentMeasurementSerializer(serializers.Serializer):
    period = serializers.CharField()
    value = serializers.DecimalField(max_digits=16, decimal_places=4)
    note = serializers.CharField(allow_blank=True)


class DocumentIndicatorSerializer(serializers.Serializer):
    objective = serializers.CharField(help_text="The objective's `ref`.")
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    unit = serializers.CharField()
    source = serializers.CharField()
    source_detail = serializers.CharField(allow_blank=True)
    baseline_value = serializers.DecimalField(max_digits=16, decimal_places=4)
    baseline_date = serializers.DateField()
    target_value = serializers.DecimalField(max_digits=16, decimal_places=4)
    target_date = serializers.DateField()
    direction = serializers.CharField()
    frequency = serializers.CharField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    position = serializers.IntegerField()
    measurements = DocumentMeasurementSerializer(many=True)


class DocumentActionSerializer(serializers.Serializer):
    objective = serializers.CharField(help_text="The objective's `ref`.")
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    owner = serializers.CharField()
    start_date = serializers.DateField()
    due_date = serializers.DateField()
    status = serializers.CharField()
    percent_complete = serializers.IntegerField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    position = serializers.IntegerField()


class DocumentPrioritySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    nsp = serializers.CharField(help_text="The code of the priority's NSP edition.")


class DocumentAlignmentSerializer(serializers.Serializer):
    phenomenon = DocumentPrioritySerializer(allow_null=True)
    theme = DocumentPrioritySerializer(allow_null=True)
    adopted = serializers.BooleanField()
    objectives = serializers.ListField(child=serializers.CharField(), help_text="`ref`s of adopting objectives.")
    justification = serializers.CharField(allow_blank=True)


class PlanDocumentSerializer(serializers.Serializer):
    format = serializers.CharField(help_text="Always `nsp-planner/zonal-plan`.")
    version = serializers.IntegerField()
    exported_at = serializers.DateTimeField()
    plan = DocumentPlanSerializer()
    objectives = DocumentObjectiveSerializer(many=True)
    indicators = DocumentIndicatorSerializer(many=True)
    actions = DocumentActionSerializer(many=True)
    alignments = DocumentAlignmentSerializer(many=True)
    sections = DocumentSectionSerializer(many=True, help_text="The plan document's sections in reading order.")
