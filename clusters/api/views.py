"""The NSP reference, read-only: every role reads it (``restrict(user, "view")``)."""

from __future__ import annotations

from clusters.api.serializers import (
    CrossCuttingThemeSerializer,
    SecurityClusterSerializer,
    SecurityPhenomenonSerializer,
)
from clusters.filtersets import CrossCuttingThemeFilterSet, SecurityClusterFilterSet, SecurityPhenomenonFilterSet
from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from nsp.api.base import RestrictedReadOnlyViewSet


class SecurityClusterViewSet(RestrictedReadOnlyViewSet):
    """The security clusters of the Integral Security Framework Document, per NSP edition."""

    queryset = SecurityCluster.objects.all()
    serializer_class = SecurityClusterSerializer
    filterset_class = SecurityClusterFilterSet
    list_prefetch_related = ("previous",)


class SecurityPhenomenonViewSet(RestrictedReadOnlyViewSet):
    """Security phenomena with their NSP key point; national priorities must be answered by zonal plans."""

    queryset = SecurityPhenomenon.objects.all()
    serializer_class = SecurityPhenomenonSerializer
    filterset_class = SecurityPhenomenonFilterSet
    list_prefetch_related = ("previous",)


class CrossCuttingThemeViewSet(RestrictedReadOnlyViewSet):
    """Cross-cutting themes of the NSP."""

    queryset = CrossCuttingTheme.objects.all()
    serializer_class = CrossCuttingThemeSerializer
    filterset_class = CrossCuttingThemeFilterSet
    list_prefetch_related = ("previous",)
