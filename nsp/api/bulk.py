"""``POST .../{id}/measurements/import/``: a CSV or XLSX file of measurements for a plan (``nsp.bulk``)."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from nsp import bulk, intake


class MeasurementUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=(
            "CSV (`,` or `;` between columns, UTF-8) or XLSX (first sheet). Header row: "
            "`indicator,period,value,note`; the indicator by id or by its name in the plan."
        )
    )


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="Data rows in the file.")
    created = serializers.IntegerField(help_text="New measurements.")
    updated = serializers.IntegerField(help_text="Measurements of a period already recorded, changed.")
    unchanged = serializers.IntegerField(help_text="Rows equal to what was recorded.")


class MeasurementImportMixin:
    """For plan viewsets: import measurements into the plan, all rows or none."""

    @extend_schema(
        request={"multipart/form-data": MeasurementUploadSerializer},
        responses={200: ImportResultSerializer},
        summary="Import measurements from a CSV or XLSX file, all or nothing",
        description=(
            "Every row is checked before anything is written: unknown indicator, bad period or one of another "
            "frequency, a period not started, a value that is not a number, the same indicator and period twice. "
            "Errors answer 400 with `extra.problems` = `[{where, field, message, row}]` (row 1 is the header); "
            "a file over the size limit answers 413. "
            "A period an indicator already has is updated, so uploading the same file again changes nothing."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="measurements/import",
        url_name="measurements-import",
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
    )
    def measurements_import(self, request, pk=None) -> Response:
        plan = self.get_object()
        intake.single_upload(request.FILES)  # two "file" parts are refused, not guessed at
        data = MeasurementUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        result = bulk.measurements_import(actor=request.user, plan=plan, file=upload, filename=upload.name)
        return Response(asdict(result))
