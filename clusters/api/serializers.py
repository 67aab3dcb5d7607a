"""The NSP reference as the API shows it. Names and key points come in the request's language."""

from __future__ import annotations

from rest_framework import serializers

from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon


class SecurityClusterSerializer(serializers.ModelSerializer):
    class Meta:
        model = SecurityCluster
        fields = ["id", "nsp", "number", "name", "previous", "unofficial_languages"]
        read_only_fields = fields


class SecurityPhenomenonSerializer(serializers.ModelSerializer):
    class Meta:
        model = SecurityPhenomenon
        fields = [
            "id",
            "nsp",
            "cluster",
            "number",
            "name",
            "key_point",
            "is_national_priority",
            "previous",
            "unofficial_languages",
        ]
        read_only_fields = fields


class CrossCuttingThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CrossCuttingTheme
        fields = [
            "id",
            "nsp",
            "number",
            "name",
            "key_point",
            "is_national_priority",
            "previous",
            "unofficial_languages",
        ]
        read_only_fields = fields
