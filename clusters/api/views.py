"""The NSP reference: every role reads it; federal planners correct it (PUT/PATCH, no create or delete)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_view

from clusters.api.serializers import (
    CrossCuttingThemeSerializer,
    SecurityClusterSerializer,
    SecurityPhenomenonSerializer,
)
from clusters.filtersets import CrossCuttingThemeFilterSet, SecurityClusterFilterSet, SecurityPhenomenonFilterSet
from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from nsp.api.base import RestrictedUpdatableViewSet
from nsp.api.views import WRITE_DOCS
from nsp.services import reference_update


class ReferenceViewSet(RestrictedUpdatableViewSet):
    list_prefetch_related = ("previous",)

    def update_object(self, instance, changes: dict[str, Any]):
        return reference_update(actor=self.request.user, item=instance, **changes)


@extend_schema_view(**WRITE_DOCS)
class SecurityClusterViewSet(ReferenceViewSet):
    """The security clusters of the Integral Security Framework Document, per NSP edition."""

    queryset = SecurityCluster.objects.all()
    serializer_class = SecurityClusterSerializer
    filterset_class = SecurityClusterFilterSet


@extend_schema_view(**WRITE_DOCS)
class SecurityPhenomenonViewSet(ReferenceViewSet):
    """Security phenomena with their NSP key point; national priorities must be answered by zonal plans."""

    queryset = SecurityPhenomenon.objects.all()
    serializer_class = SecurityPhenomenonSerializer
    filterset_class = SecurityPhenomenonFilterSet


@extend_schema_view(**WRITE_DOCS)
class CrossCuttingThemeViewSet(ReferenceViewSet):
    """Cross-cutting themes of the NSP."""

    queryset = CrossCuttingTheme.objects.all()
    serializer_class = CrossCuttingThemeSerializer
    filterset_class = CrossCuttingThemeFilterSet
