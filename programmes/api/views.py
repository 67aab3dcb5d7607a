"""Federal programmes and improvement projects; written through ``programmes.services``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view

from nsp import progress
from nsp.api.base import IF_MATCH_POLICY, RestrictedModelViewSet
from nsp.api.bulk import MeasurementImportMixin
from nsp.api.serializers import PROGRESS_FIELDS
from programmes import services
from programmes.api.serializers import ProgrammeSerializer
from programmes.filtersets import ProgrammeFilterSet
from programmes.models import Programme


@extend_schema_view(
    update=extend_schema(description=IF_MATCH_POLICY),
    partial_update=extend_schema(description=IF_MATCH_POLICY),
    destroy=extend_schema(description=IF_MATCH_POLICY),
)
class ProgrammeViewSet(MeasurementImportMixin, RestrictedModelViewSet):
    """Federal programmes (art. 95) and improvement projects (`programme_type`), with their progress."""

    queryset = Programme.objects.all()
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilterSet
    list_prefetch_related = ("phenomena", "themes")
    drop_unchanged = ("nsp",)
    etag_ignore = frozenset(PROGRESS_FIELDS)

    def annotate(self, queryset):
        return progress.annotate_plans(queryset, as_of=timezone.localdate())

    def create_object(self, data: dict[str, Any]) -> Programme:
        return services.programme_create(actor=self.request.user, **data)

    def update_object(self, instance: Programme, changes: dict[str, Any]) -> Programme:
        return services.programme_update(actor=self.request.user, programme=instance, **changes)

    def delete_object(self, instance: Programme) -> None:
        services.programme_delete(actor=self.request.user, programme=instance)
