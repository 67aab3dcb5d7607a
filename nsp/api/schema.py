"""OpenAPI: the error shape on every operation, ETag and If-Match where the API uses them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

from nsp.api.base import IF_MATCH_POLICY

ERROR_DESCRIPTIONS = {
    "400": "Invalid input, or a rule of the domain refused the request (field errors under `extra.fields`).",
    "401": "Not authenticated: send `Authorization: Token <key>` or log in (session, with CSRF).",
    "403": "You may read this but not do this.",
    "404": "Not found, or not readable by you.",
    "412": "`If-Match` does not match the current `ETag`: the object changed since you read it.",
    "413": "The body (or the uploaded file) is over its size limit.",
    "415": "The body's `Content-Type` is not one this operation reads.",
}
ETAG_HEADER = {
    "ETag": {
        "description": "The version of this representation; send it back as `If-Match` to change the object.",
        "schema": {"type": "string"},
    }
}
WRITE_METHODS = {"PUT", "PATCH", "DELETE"}


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    message = serializers.CharField(help_text="What went wrong, for a person to read.")
    extra = serializers.DictField(
        help_text=(
            "Details: `fields` (field name → messages), `errors` (general messages), `problems` (a refused file "
            "or document: `[{where, field, message}]`), `code` (a stable reason for programs), and others."
        )
    )


class AutoSchema(SpectacularAutoSchema):
    def _has_etag(self) -> bool:
        return bool(getattr(self.view, "etag_enabled", False)) and getattr(self.view, "action", None) in {
            "retrieve",
            "update",
            "partial_update",
            "destroy",
            "create",
        }

    def get_override_parameters(self) -> list:
        parameters = super().get_override_parameters()
        if self._has_etag() and self.method in WRITE_METHODS:
            from drf_spectacular.utils import OpenApiParameter

            parameters = [
                *parameters,
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=False,
                    description=IF_MATCH_POLICY,
                ),
            ]
        return parameters

    def get_operation(self, path, path_regex, path_prefix, method, registry) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                # As in a GET form: an empty filter, page or ordering means "not given".
                parameter["allowEmptyValue"] = True
        responses = operation["responses"]
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        for code in self._error_codes():
            responses.setdefault(
                code,
                {"description": ERROR_DESCRIPTIONS[code], "content": {"application/json": {"schema": error}}},
            )
        if self._has_etag():
            for code in ("200", "201"):
                if code in responses and "content" in responses[code]:
                    responses[code].setdefault("headers", {}).update(ETAG_HEADER)
        return operation

    def _error_codes(self) -> list[str]:
        codes = ["400"]
        if self.get_auth():
            codes += ["401", "403"]
        if self._is_list_view() or "{" in self.path:
            codes.append("404")  # a page past the end, or an id one may not read
        if self._has_etag() and self.method in WRITE_METHODS:
            codes.append("412")
        if self.method in {"POST", "PUT", "PATCH"}:
            codes += ["413", "415"]
        return codes
