"""Report runs: request one, follow it, download its file, cancel or delete it (``reporting.services``).

One sees one's own runs (administrators: all). What a report contains is decided by its job, which
reads as the requester, so a report never shows more than its requester may read.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from nsp.api.base import RestrictedQuerysetMixin
from nsp.api.schema import ErrorSerializer
from reporting import services
from reporting.api.serializers import ReportRequestSerializer, ReportRunSerializer
from reporting.filtersets import ReportRunFilterSet
from reporting.models import ReportRun

CONTENT_TYPES = {
    ReportRun.Format.PDF: "application/pdf",
    ReportRun.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportRun.Format.CSV: "text/csv",
    ReportRun.Format.JSON: "application/json",
}


class NotReady(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The report has no file yet."
    default_code = "not_ready"


class ReportRunViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your report runs: kind, scope, status, progress, log, and the file once done."""

    queryset = ReportRun.objects.all()
    serializer_class = ReportRunSerializer
    filterset_class = ReportRunFilterSet
    list_select_related = ("requested_by",)

    @extend_schema(
        request=ReportRequestSerializer,
        responses={202: ReportRunSerializer},
        summary="Request a report on something you may read",
        description=(
            "Accepted: the run is queued and produced by a worker (also while the task queue cannot be reached: "
            "it is sent once the queue answers again); follow `status` and `progress`, then fetch `download`."
        ),
    )
    def create(self, request, *args, **kwargs) -> Response:
        data = ReportRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        run = services.report_request(actor=request.user, **data.validated_data)
        return Response(self.get_serializer(self.reload(run)).data, status=status.HTTP_202_ACCEPTED)

    def perform_destroy(self, instance: ReportRun) -> None:
        services.report_delete(actor=self.request.user, run=instance)

    @extend_schema(request=None, responses={200: ReportRunSerializer}, summary="Cancel a queued or running report")
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request, pk=None) -> Response:
        run = services.report_cancel(actor=request.user, run=self.get_object())
        return Response(self.get_serializer(self.reload(run)).data)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES[ReportRun.Format.XLSX]): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/json"): OpenApiTypes.BINARY,
            409: OpenApiResponse(ErrorSerializer, description="The report is not done (yet)."),
        },
        summary="The report's file",
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request, pk=None) -> FileResponse:
        run = self.get_object()
        if run.status != ReportRun.Status.DONE or not run.file:
            raise NotReady(
                _("The report is %(status)s; it has no file yet.") % {"status": run.get_status_display().lower()}
            )
        name = f"report-{run.pk}.{run.format}"
        return FileResponse(
            run.file.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[run.format]
        )

    def perform_content_negotiation(self, request, force: bool = False) -> Any:
        # A download asked for with Accept: application/pdf still gets the file (or a JSON error).
        return super().perform_content_negotiation(request, force=force or self.action == "download")
