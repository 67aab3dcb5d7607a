"""API resources of zones: the directory (read-only), zonal and regional plans, and the zonal-plan parts.

Writes go through ``zones.services`` (and ``zones.transfer`` for export/import, ``nsp.bulk`` for bulk
measurements), the same functions the pages call.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from nsp import progress
from nsp import services as core
from nsp.api.base import (
    IF_MATCH_POLICY,
    RestrictedModelViewSet,
    RestrictedReadOnlyViewSet,
    RestrictedUpdatableViewSet,
)
from nsp.api.bulk import MeasurementImportMixin
from nsp.api.serializers import PROGRESS_FIELDS
from nsp.permissions import can
from zones import selectors, services, transfer
from zones.api import serializers as s
from zones.filtersets import (
    DistrictFilterSet,
    ExpectationFilterSet,
    MatrixCandidateFilterSet,
    NationalAlignmentFilterSet,
    PlanSectionFilterSet,
    PlanTransitionFilterSet,
    PoliceZoneFilterSet,
    RegionalPlanFilterSet,
    ZonalPlanFilterSet,
)
from zones.models import (
    District,
    Expectation,
    LocalPoliceVision,
    MatrixCandidate,
    NationalAlignment,
    PlanSection,
    PlanTransition,
    PoliceZone,
    RegionalSecurityPlan,
    ZonalSecurityPlan,
)

WRITE_DOCS = {
    "update": extend_schema(description=IF_MATCH_POLICY),
    "partial_update": extend_schema(description=IF_MATCH_POLICY),
    "destroy": extend_schema(description=IF_MATCH_POLICY),
}


class DistrictViewSet(RestrictedReadOnlyViewSet):
    """Federal coordination and support directorates (CSD), each led by a DirCo."""

    queryset = District.objects.all()
    serializer_class = s.DistrictSerializer
    filterset_class = DistrictFilterSet


@extend_schema_view(**WRITE_DOCS)
class PoliceZoneViewSet(RestrictedUpdatableViewSet):
    """Police zones: number, names, region, district, municipalities, validity and mergers.

    Every role reads them; administrators complete or correct them (reviewer rights follow the district).
    """

    queryset = PoliceZone.objects.all()
    serializer_class = s.PoliceZoneSerializer
    filterset_class = PoliceZoneFilterSet
    list_select_related = ("district",)
    list_prefetch_related = ("municipalities",)

    def update_object(self, instance: PoliceZone, changes: dict[str, Any]) -> PoliceZone:
        return services.zone_update(actor=self.request.user, zone=instance, **changes)


@extend_schema_view(**WRITE_DOCS)
class LocalPoliceVisionViewSet(RestrictedModelViewSet):
    """The CPPL-VCLP's local-police vision on an NSP edition: every role reads it, CPPL-VCLP members write it."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = LocalPoliceVision.objects.select_related("nsp", "updated_by")
    serializer_class = s.LocalPoliceVisionSerializer
    drop_unchanged = ("nsp",)

    def create_object(self, data: dict[str, Any]) -> LocalPoliceVision:
        return services.vision_create(actor=self.request.user, **data)

    def update_object(self, instance: LocalPoliceVision, changes: dict[str, Any]) -> LocalPoliceVision:
        return services.vision_update(actor=self.request.user, vision=instance, **changes)


def next_steps(user, plan: ZonalSecurityPlan) -> list[dict[str, Any]]:
    """The workflow steps from the plan's status that ``user`` may take."""
    return [
        {
            "name": step.name,
            "label": str(step.label),
            "to_status": step.target,
            "needs_reason": step.needs_reason,
            "needs_date": step.needs_date,
        }
        for step in services.steps_from(plan.status)
        if can(user, step.permission, plan)
    ]


@extend_schema_view(**WRITE_DOCS)
class ZonalPlanViewSet(MeasurementImportMixin, RestrictedModelViewSet):
    """Zonal security plans with their workflow, alignment, export/import and bulk measurements."""

    queryset = ZonalSecurityPlan.objects.all()
    serializer_class = s.ZonalPlanSerializer
    filterset_class = ZonalPlanFilterSet
    list_select_related = ("zone",)
    drop_unchanged = ("zone", "nsp")
    etag_ignore = frozenset(PROGRESS_FIELDS)

    def _page_totalled(self) -> bool:
        # A list not filtered or sorted on progress: each plan of the page is totalled once, after paginating.
        return getattr(self, "action", None) == "list" and not progress.progress_asked(self.request.query_params)

    def annotate(self, queryset):
        if self._page_totalled():
            return queryset
        return progress.annotate_plans(queryset, as_of=timezone.localdate())

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self._page_totalled():
            page = progress.attach_plan_progress(page, as_of=timezone.localdate())
        return page

    def create_object(self, data: dict[str, Any]) -> ZonalSecurityPlan:
        return services.zonal_plan_create(actor=self.request.user, **data)

    def update_object(self, instance: ZonalSecurityPlan, changes: dict[str, Any]) -> ZonalSecurityPlan:
        return services.zonal_plan_update(actor=self.request.user, plan=instance, **changes)

    def delete_object(self, instance: ZonalSecurityPlan) -> None:
        services.zonal_plan_delete(actor=self.request.user, plan=instance)

    @extend_schema(
        request=s.TransitionRequestSerializer,
        responses={200: s.TransitionResponseSerializer},
        summary="Move the plan one step through the workflow",
        description=(
            "draft → adopted (`on_date`: the council's date) → submitted → approved (`on_date`: the ministers' "
            "date; federal reviewer of the district) → closed. A reviewer returns a submitted plan to draft and "
            "the zone chief reopens an approved one for an addendum, both with a `reason`. A plan leaves draft "
            "only when every national priority is adopted by an objective or justified (`extra.missing`)."
        ),
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None) -> Response:
        plan = self.get_object()
        data = s.TransitionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.plan_transition(actor=request.user, plan=plan, **data.validated_data)
        plan = ZonalSecurityPlan.objects.get(pk=plan.pk)
        return Response(
            {
                "status": plan.status,
                "transition": s.PlanTransitionSerializer(done).data,
                "next_steps": next_steps(request.user, plan),
            }
        )

    @extend_schema(
        responses={200: s.AlignmentRowSerializer(many=True)},
        summary="How the plan answers each national priority of its NSP edition",
    )
    @action(detail=True, methods=["get"], url_path="alignment-status", pagination_class=None, filter_backends=[])
    def alignment_status(self, request, pk=None) -> Response:
        plan = self.get_object()
        rows = [
            {
                "kind": row.kind,
                "priority": {"id": row.priority.pk, "number": row.priority.number, "name": row.priority.name},
                "alignment": row.alignment.pk if row.alignment else None,
                "adopted": row.alignment.adopted if row.alignment else None,
                "objectives": [o.pk for o in row.alignment.objectives.all()] if row.alignment else [],
                "justification": row.alignment.justification if row.alignment else "",
                "decided": row.decided,
            }
            for row in selectors.alignment_rows(plan)
        ]
        return Response(rows)

    @extend_schema(
        responses={200: s.PlanDocumentSerializer},
        summary="The plan as one JSON document",
        description="Objectives (with their hierarchy by `ref`), indicators with measurements, actions, alignment.",
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def export(self, request, pk=None) -> Response:
        plan = self.get_object()
        document = transfer.plan_export(actor=request.user, plan=plan)
        filename = f"zonal-plan-{plan.zone.number or plan.zone.key}-{plan.period_label}.json"
        return Response(document, headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @extend_schema(
        request=s.PlanImportRequestSerializer,
        responses={201: s.PlanImportResponseSerializer},
        summary="Draft a new plan from a plan document (carry a plan forward)",
        description=(
            "Creates a NEW DRAFT for `zone` and the period, all or nothing: objectives, indicators (new baseline = "
            "the last measured value when the target is still ahead of it), actions not done, alignment. Needs the "
            "right to draft a plan for the zone. `notes` lists what was not carried as it was."
        ),
    )
    @action(detail=False, methods=["post"], url_path="import", filter_backends=[], pagination_class=None)
    def import_plan(self, request) -> Response:
        data = s.PlanImportRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = {name: value for name, value in data.validated_data.items() if name != "document"}
        # The document as sent: transfer reads it itself (pages and commands hand it files, not serializers).
        outcome = transfer.plan_import(actor=request.user, document=request.data.get("document"), **fields)
        plan = self.reload(outcome.plan)
        body = {"plan": self.get_serializer(plan).data, "notes": outcome.notes}
        return Response(body, status=status.HTTP_201_CREATED, headers={"ETag": self.etag(plan)})


@extend_schema_view(**WRITE_DOCS)
class RegionalPlanViewSet(MeasurementImportMixin, RestrictedModelViewSet):
    """The Brussels regional security plan (a plan of its own kind)."""

    queryset = RegionalSecurityPlan.objects.all()
    serializer_class = s.RegionalPlanSerializer
    filterset_class = RegionalPlanFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    drop_unchanged = ("nsp",)
    etag_ignore = frozenset(PROGRESS_FIELDS)

    def annotate(self, queryset):
        return progress.annotate_plans(queryset, as_of=timezone.localdate())

    def create_object(self, data: dict[str, Any]) -> RegionalSecurityPlan:
        return services.regional_plan_create(actor=self.request.user, **data)

    def update_object(self, instance: RegionalSecurityPlan, changes: dict[str, Any]) -> RegionalSecurityPlan:
        return services.regional_plan_update(actor=self.request.user, plan=instance, **changes)


@extend_schema_view(**WRITE_DOCS)
class ExpectationViewSet(RestrictedModelViewSet):
    """Expectations of the authorities and partners (mayors, procureur, NSP, regional plan...) for a zonal plan."""

    queryset = Expectation.objects.all()
    serializer_class = s.ExpectationSerializer
    filterset_class = ExpectationFilterSet
    drop_unchanged = ("plan",)

    def create_object(self, data: dict[str, Any]) -> Expectation:
        return services.expectation_create(actor=self.request.user, **data)

    def update_object(self, instance: Expectation, changes: dict[str, Any]) -> Expectation:
        return services.expectation_update(actor=self.request.user, expectation=instance, **changes)

    def delete_object(self, instance: Expectation) -> None:
        services.expectation_delete(actor=self.request.user, expectation=instance)


@extend_schema_view(**WRITE_DOCS)
class PlanSectionViewSet(RestrictedModelViewSet):
    """The plan document's sections: standard chapters and a zone's own headings, with their Markdown text.

    A new section goes last under its parent (or chapter); a section moved to another parent goes last there;
    `POST .../move/` with `{"direction": "up"}` or `"down"` moves it one place among its siblings."""

    queryset = PlanSection.objects.all()
    serializer_class = s.PlanSectionSerializer
    filterset_class = PlanSectionFilterSet
    drop_unchanged = ("plan", "key")

    def create_object(self, data: dict[str, Any]) -> PlanSection:
        return services.section_create(actor=self.request.user, **data)

    def update_object(self, instance: PlanSection, changes: dict[str, Any]) -> PlanSection:
        return services.section_update(actor=self.request.user, section=instance, **changes)

    def delete_object(self, instance: PlanSection) -> None:
        services.section_delete(actor=self.request.user, section=instance)

    @extend_schema(
        request=s.SectionMoveSerializer,
        responses={200: s.PlanSectionSerializer},
        summary="Move a section one place up or down among its siblings",
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None) -> Response:
        section = self.get_object()
        data = s.SectionMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        moved = services.section_move(actor=request.user, section=section, **data.validated_data)
        return Response(self.get_serializer(PlanSection.objects.get(pk=moved.pk)).data)


@extend_schema_view(**WRITE_DOCS)
class MatrixCandidateViewSet(RestrictedModelViewSet):
    """Rows of the argumentation matrix: candidate phenomena scored against the sources."""

    queryset = MatrixCandidate.objects.all()
    serializer_class = s.MatrixCandidateSerializer
    filterset_class = MatrixCandidateFilterSet
    list_prefetch_related = ("scores",)
    drop_unchanged = ("plan",)

    def create_object(self, data: dict[str, Any]) -> MatrixCandidate:
        return services.matrix_candidate_create(actor=self.request.user, **data)

    def update_object(self, instance: MatrixCandidate, changes: dict[str, Any]) -> MatrixCandidate:
        return services.matrix_candidate_update(actor=self.request.user, candidate=instance, **changes)

    def delete_object(self, instance: MatrixCandidate) -> None:
        services.matrix_candidate_delete(actor=self.request.user, candidate=instance)

    @extend_schema(
        request=s.MatrixScoreRequestSerializer,
        responses={200: s.MatrixCandidateSerializer},
        summary="Score the candidate against one source (0-5); scoring again replaces the score",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def scores(self, request, pk=None) -> Response:
        candidate = self.get_object()
        data = s.MatrixScoreRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.matrix_score_set(actor=request.user, candidate=candidate, **data.validated_data)
        return self.respond(candidate)


@extend_schema_view(
    create=extend_schema(
        summary="Answer a national priority (adopted by objectives, or not adopted with a justification)",
        description="Setting the answer of a priority the plan has already answered replaces it (200).",
        responses={201: s.NationalAlignmentSerializer, 200: s.NationalAlignmentSerializer},
    ),
    **WRITE_DOCS,
)
class NationalAlignmentViewSet(RestrictedModelViewSet):
    """How each zonal plan answers the national priorities of its NSP edition."""

    queryset = NationalAlignment.objects.all()
    serializer_class = s.NationalAlignmentSerializer
    filterset_class = NationalAlignmentFilterSet
    list_prefetch_related = ("objectives",)
    drop_unchanged = ("plan", "phenomenon", "theme")

    def create(self, request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lookup = {"phenomenon": data.get("phenomenon"), "theme": data.get("theme")}
        existed = NationalAlignment.objects.filter(plan=data["plan"], **lookup).exists()
        alignment = self.set_alignment(data)
        return self.respond(alignment, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def set_alignment(self, data: dict[str, Any]) -> NationalAlignment:
        return services.alignment_set(
            actor=self.request.user,
            plan=data["plan"],
            adopted=data.get("adopted"),
            phenomenon=data.get("phenomenon"),
            theme=data.get("theme"),
            objectives=data.get("objectives", []),
            justification=data.get("justification", ""),
        )

    def update_object(self, instance: NationalAlignment, changes: dict[str, Any]) -> NationalAlignment:
        moved = {name: changes[name] for name in ("plan", "phenomenon", "theme") if name in changes}
        if moved:
            core.apply_changes(instance, moved, set())  # refuses: an answer stays with its plan and priority
        current = {
            "plan": instance.plan,
            "phenomenon": instance.phenomenon,
            "theme": instance.theme,
            "adopted": instance.adopted,
            "objectives": list(instance.objectives.all()),
            "justification": instance.justification,
        }
        return self.set_alignment({**current, **changes})

    def delete_object(self, instance: NationalAlignment) -> None:
        services.alignment_delete(actor=self.request.user, alignment=instance)


class PlanTransitionViewSet(RestrictedReadOnlyViewSet):
    """Every workflow step of the zonal plans one may read: who, when, from, to, why."""

    queryset = PlanTransition.objects.all()
    serializer_class = s.PlanTransitionSerializer
    filterset_class = PlanTransitionFilterSet
    list_select_related = ("by",)
