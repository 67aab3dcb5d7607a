"""API resources of the core: NSP editions (read-only) and the planning core, written through ``nsp.services``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from nsp import progress, services
from nsp.api.base import (
    IF_MATCH_POLICY,
    RestrictedModelViewSet,
    RestrictedQuerysetMixin,
    RestrictedUpdatableViewSet,
)
from nsp.api.serializers import (
    PROGRESS_FIELDS,
    ActionSerializer,
    CommentSerializer,
    DeletedItemSerializer,
    IndicatorSerializer,
    MeasurementSerializer,
    NationalSecurityPlanSerializer,
    ObjectiveSerializer,
    RestoredSerializer,
)
from nsp.filtersets import (
    ActionFilterSet,
    CommentFilterSet,
    DeletedItemFilterSet,
    IndicatorFilterSet,
    MeasurementFilterSet,
    NationalSecurityPlanFilterSet,
    ObjectiveFilterSet,
)
from nsp.models import Action, Comment, DeletedItem, Indicator, Measurement, NationalSecurityPlan, Objective

WRITE_DOCS = {
    "update": extend_schema(description=IF_MATCH_POLICY),
    "partial_update": extend_schema(description=IF_MATCH_POLICY),
    "destroy": extend_schema(description=IF_MATCH_POLICY),
}


@extend_schema_view(**WRITE_DOCS)
class NationalSecurityPlanViewSet(RestrictedUpdatableViewSet):
    """Editions of the National Security Plan with their ambitions; federal planners correct them."""

    queryset = NationalSecurityPlan.objects.all()
    serializer_class = NationalSecurityPlanSerializer
    filterset_class = NationalSecurityPlanFilterSet
    list_prefetch_related = ("ambitions",)
    etag_ignore = frozenset({"in_force_today"})  # follows today's date, not the row

    def annotate(self, queryset):
        return queryset.with_in_force(timezone.localdate())

    def update_object(self, instance: NationalSecurityPlan, changes: dict[str, Any]) -> NationalSecurityPlan:
        extension = {name: changes.pop(name) for name in EXTENSION_FIELDS if name in changes}
        with transaction.atomic():
            if extension:
                # An extension is recorded with its decision date through its own service, in history.
                instance = services.edition_extend(
                    actor=self.request.user,
                    edition=instance,
                    extended_to=extension.get("extended_to", instance.extended_to),
                    decided_on=extension.get("extension_decided_on", instance.extension_decided_on),
                    reason=extension.get("extension_reason", ""),
                )
            if changes or not extension:
                instance = services.reference_update(actor=self.request.user, item=instance, **changes)
        return instance


EXTENSION_FIELDS = ("extended_to", "extension_decided_on", "extension_reason")


@extend_schema_view(**WRITE_DOCS)
class ObjectiveViewSet(RestrictedModelViewSet):
    """Objectives of any plan (strategic, tactical, operational), with their progress."""

    national_list = True  # count cached on the data version, keyset links (nsp.api.pagination)
    queryset = Objective.objects.all()
    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilterSet
    drop_unchanged = ("plan",)
    etag_ignore = frozenset(PROGRESS_FIELDS)

    def annotate(self, queryset):
        return progress.annotate_objectives(queryset, as_of=timezone.localdate())

    def create_object(self, data: dict[str, Any]) -> Objective:
        return services.objective_create(actor=self.request.user, **data)

    def update_object(self, instance: Objective, changes: dict[str, Any]) -> Objective:
        return services.objective_update(actor=self.request.user, objective=instance, **changes)

    def delete_object(self, instance: Objective) -> None:
        services.objective_delete(actor=self.request.user, objective=instance)


@extend_schema_view(**WRITE_DOCS)
class IndicatorViewSet(RestrictedModelViewSet):
    """Indicators with baseline, target, latest measurement and progress."""

    national_list = True  # count cached on the data version, keyset links (nsp.api.pagination)
    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    etag_ignore = frozenset(PROGRESS_FIELDS)

    def annotate(self, queryset):
        return progress.annotate_indicators(queryset, as_of=timezone.localdate())

    def create_object(self, data: dict[str, Any]) -> Indicator:
        return services.indicator_create(actor=self.request.user, **data)

    def update_object(self, instance: Indicator, changes: dict[str, Any]) -> Indicator:
        return services.indicator_update(actor=self.request.user, indicator=instance, **changes)

    def delete_object(self, instance: Indicator) -> None:
        services.indicator_delete(actor=self.request.user, indicator=instance)


@extend_schema_view(**WRITE_DOCS)
class MeasurementViewSet(RestrictedModelViewSet):
    """Measured values of indicators, one per period; recorded on approved plans."""

    national_list = True  # count cached on the data version, keyset links (nsp.api.pagination)
    queryset = Measurement.objects.all()
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilterSet
    list_select_related = ("recorded_by",)
    drop_unchanged = ("indicator",)

    def create_object(self, data: dict[str, Any]) -> Measurement:
        return services.measurement_record(actor=self.request.user, **data)

    def update_object(self, instance: Measurement, changes: dict[str, Any]) -> Measurement:
        return services.measurement_update(actor=self.request.user, measurement=instance, **changes)

    def delete_object(self, instance: Measurement) -> None:
        services.measurement_delete(actor=self.request.user, measurement=instance)


@extend_schema_view(
    partial_update=extend_schema(
        description=(
            "A PATCH of `status` and/or `percent_complete` alone records progress (allowed on an approved plan "
            "to those who record measurements); any other field changes the plan's structure. " + IF_MATCH_POLICY
        )
    ),
    update=extend_schema(description=IF_MATCH_POLICY),
    destroy=extend_schema(description=IF_MATCH_POLICY),
)
class ActionViewSet(RestrictedModelViewSet):
    """Actions of an objective: owner, dates, status, percent complete; `late` when past due and not done."""

    national_list = True  # count cached on the data version, keyset links (nsp.api.pagination)
    queryset = Action.objects.all()
    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet
    etag_ignore = frozenset(PROGRESS_FIELDS)
    drop_unchanged = ("objective", "title", "description", "owner", "start_date", "due_date", "weight", "position")

    def annotate(self, queryset):
        return progress.annotate_actions(queryset, as_of=timezone.localdate())

    def create_object(self, data: dict[str, Any]) -> Action:
        return services.action_create(actor=self.request.user, **data)

    def update_object(self, instance: Action, changes: dict[str, Any]) -> Action:
        return services.action_update(actor=self.request.user, action=instance, **changes)

    def delete_object(self, instance: Action) -> None:
        services.action_delete(actor=self.request.user, action=instance)


@extend_schema_view(**WRITE_DOCS)
class CommentViewSet(RestrictedModelViewSet):
    """Remarks on a plan or on one of its objectives, indicators or actions; anyone who reads the plan may write one."""

    queryset = Comment.objects.all()
    serializer_class = CommentSerializer
    filterset_class = CommentFilterSet
    list_select_related = ("author",)
    drop_unchanged = ("plan", "objective", "indicator", "action")

    def create_object(self, data: dict[str, Any]) -> Comment:
        return services.comment_create(actor=self.request.user, **data)

    def update_object(self, instance: Comment, changes: dict[str, Any]) -> Comment:
        services.apply_changes(instance, changes, {"body"})  # a comment stays where it was written
        return services.comment_update(actor=self.request.user, comment=instance, body=instance.body)

    def delete_object(self, instance: Comment) -> None:
        services.comment_delete(actor=self.request.user, comment=instance)


class DeletedItemViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """What was deleted from a plan (`?plan=<id>`), with how much went with it; listed to those who may delete
    or restore in the plan. Purged after `DELETED_RETENTION_DAYS`."""

    queryset = DeletedItem.objects.select_related("deleted_by").defer("rows", "links")
    serializer_class = DeletedItemSerializer
    filterset_class = DeletedItemFilterSet

    @extend_schema(
        request=None,
        responses={200: RestoredSerializer},
        summary="Restore a deleted item, with everything deleted with it",
        description=(
            "Puts the rows back with the same keys and values and removes the item from the list. The zone's "
            "chief (for programmes and the regional plan: their keepers) and administrators, while the plan "
            "takes the change (its structure in draft; measurements once it records progress): 403 otherwise. "
            "400 when a row it belonged to is gone since (restore that first)."
        ),
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None) -> Response:
        item = self.get_object()
        with transaction.atomic():
            restored = services.deleted_item_restore(actor=request.user, item=item)
        return Response({"model": restored._meta.label_lower, "id": restored.pk})
