"""The NSP reference as the API shows it. ``name`` and ``key_point`` come in the request's language; the
per-language fields (``name_fr``...) are what a federal planner changes."""

from __future__ import annotations

from rest_framework import serializers

from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from nsp.api.base import ServiceModelSerializer
from nsp.api.fields import RestrictedPrimaryKeyRelatedField as Readable
from nsp.languages import translated_fields

PREVIOUS_HELP = (
    "What this row continues: rows of the same kind in an earlier NSP edition. Setting it confirms the mapping "
    "(`previous_inferred` false) unless `previous_inferred` is sent too."
)


class ReferenceSerializer(ServiceModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the request's language.")

    class Meta:
        read_only_fields = ["id", "nsp"]


class SecurityClusterSerializer(ReferenceSerializer):
    previous = Readable(queryset=SecurityCluster.objects.all(), many=True, required=False, help_text=PREVIOUS_HELP)

    class Meta(ReferenceSerializer.Meta):
        model = SecurityCluster
        fields = [
            "id",
            "nsp",
            "number",
            "name",
            *translated_fields("name"),
            "previous",
            "previous_inferred",
            "unofficial_languages",
        ]


class SecurityPhenomenonSerializer(ReferenceSerializer):
    key_point = serializers.CharField(read_only=True, help_text="In the request's language.")
    cluster = Readable(
        queryset=SecurityCluster.objects.all(),
        allow_null=True,
        required=False,
        help_text="A cluster of the same NSP edition, or null (the phenomenon falls under none).",
    )
    previous = Readable(queryset=SecurityPhenomenon.objects.all(), many=True, required=False, help_text=PREVIOUS_HELP)

    class Meta(ReferenceSerializer.Meta):
        model = SecurityPhenomenon
        fields = [
            "id",
            "nsp",
            "cluster",
            "number",
            "name",
            "key_point",
            *translated_fields("name", "key_point"),
            "is_national_priority",
            "cluster_inferred",
            "previous",
            "previous_inferred",
            "unofficial_languages",
        ]


class CrossCuttingThemeSerializer(ReferenceSerializer):
    key_point = serializers.CharField(read_only=True, help_text="In the request's language.")
    previous = Readable(queryset=CrossCuttingTheme.objects.all(), many=True, required=False, help_text=PREVIOUS_HELP)

    class Meta(ReferenceSerializer.Meta):
        model = CrossCuttingTheme
        fields = [
            "id",
            "nsp",
            "number",
            "name",
            "key_point",
            *translated_fields("name", "key_point"),
            "is_national_priority",
            "previous",
            "previous_inferred",
            "unofficial_languages",
        ]
