"""Report runs as the API shows them; a request names what the report is about."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers
from rest_framework.reverse import reverse

from nsp.api.fields import RestrictedPrimaryKeyRelatedField as Readable
from nsp.models import Plan
from reporting.models import ReportRun
from zones.models import District, PoliceZone


class ReportRunSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    download = serializers.SerializerMethodField(help_text="The file's address once the report is done.")

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "kind",
            "scope",
            "plan",
            "zone",
            "district",
            "period",
            "as_at",
            "format",
            "language",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "status",
            "progress",
            "log",
            "snapshot_hash",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, run: ReportRun) -> str | None:
        if run.status != ReportRun.Status.DONE or not run.file:
            return None
        return reverse("api:reports-download", kwargs={"pk": run.pk}, request=self.context.get("request"))


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportRun.Kind.choices)
    scope = serializers.ChoiceField(choices=ReportRun.Scope.choices)
    plan = Readable(queryset=Plan.objects.all(), required=False, allow_null=True, default=None)
    zone = Readable(queryset=PoliceZone.objects.all(), required=False, allow_null=True, default=None)
    district = Readable(queryset=District.objects.all(), required=False, allow_null=True, default=None)
    period = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=7, help_text="Up to which period, e.g. 2024-Q4."
    )
    as_at = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="The day it is as at, if before the period's end."
    )
    format = serializers.ChoiceField(choices=ReportRun.Format.choices, default=ReportRun.Format.PDF)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default="en")
