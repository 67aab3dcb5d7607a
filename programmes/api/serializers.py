"""Federal programmes and improvement projects as the API shows them, with their progress."""

from __future__ import annotations

from clusters.models import CrossCuttingTheme, SecurityPhenomenon
from nsp.api.base import ServiceModelSerializer
from nsp.api.fields import RestrictedPrimaryKeyRelatedField as Readable
from nsp.api.serializers import ProgressSerializerMixin
from nsp.models import NationalSecurityPlan
from programmes.models import Programme


class ProgrammeSerializer(ProgressSerializerMixin, ServiceModelSerializer):
    nsp = Readable(queryset=NationalSecurityPlan.objects.all(), help_text="The NSP edition; set at creation.")
    phenomena = Readable(queryset=SecurityPhenomenon.objects.all(), many=True, required=False)
    themes = Readable(queryset=CrossCuttingTheme.objects.all(), many=True, required=False)

    class Meta:
        model = Programme
        fields = [
            "id",
            "nsp",
            "code",
            "programme_type",
            "title",
            "owning_unit",
            "description",
            "period_start",
            "period_end",
            "status",
            "keep_tolerance",
            "phenomena",
            "themes",
            "created_at",
            "updated_at",
            "progress",
            "expected",
            "progress_status",
        ]
