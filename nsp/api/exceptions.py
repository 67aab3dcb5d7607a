"""One error shape for the whole API: ``{"message": ..., "extra": ...}``.

Services raise ``Http404`` (not readable), ``PermissionDenied`` (readable, not changeable) and
``DomainError`` (a rule refused the request; ``Conflict`` answers 412); serializers raise DRF's
``ValidationError``. All of them leave the API in this shape, field errors under ``extra.fields``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from nsp.exceptions import DomainError


def error_body(message: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"message": force_str(message), "extra": extra or {}}


def _strings(detail: Any) -> Any:
    """DRF's ErrorDetail tree as plain strings (lists and dicts kept)."""
    if isinstance(detail, dict):
        return {str(key): _strings(value) for key, value in detail.items()}
    if isinstance(detail, list | tuple):
        return [_strings(item) for item in detail]
    return force_str(detail)


def _first_message(detail: Any) -> str | None:
    if isinstance(detail, dict):
        for value in detail.values():
            found = _first_message(value)
            if found:
                return found
        return None
    if isinstance(detail, list | tuple):
        return next((m for m in map(_first_message, detail) if m), None)
    return force_str(detail) if detail else None


def validation_body(detail: Any) -> dict[str, Any]:
    """A serializer's errors: one field → its message; several → a general one; all under extra."""
    if not isinstance(detail, dict):
        errors = _strings(detail if isinstance(detail, list) else [detail])
        return error_body(_first_message(errors) or _("Invalid input."), {"errors": errors})
    fields = _strings(detail)
    extra: dict[str, Any] = {}
    general = fields.pop("non_field_errors", None)
    if general:
        extra["errors"] = general
    if fields:
        extra["fields"] = fields
    only_one = len(fields) + (1 if general else 0) == 1
    message = _first_message(detail) if only_one else _("Please correct the errors below.")
    return error_body(message or _("Invalid input."), extra)


def domain_body(exc: DomainError) -> dict[str, Any]:
    extra = dict(exc.extra)
    if exc.code != "invalid":
        extra.setdefault("code", exc.code)
    return error_body(exc.message, extra)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = DomainError.from_validation_error(exc)
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(domain_body(exc), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(force_str(exc) or exceptions.NotFound.default_detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(force_str(exc) or exceptions.PermissionDenied.default_detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django answers 500 and logs it
    if isinstance(exc, exceptions.ValidationError):
        response.data = validation_body(exc.detail)
        return response
    detail = getattr(exc, "detail", "")
    extra: dict[str, Any] = {}
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(codes, str):
            extra["code"] = codes
    if isinstance(detail, dict | list):
        response.data = validation_body(detail)
        response.data["extra"].update(extra)
    else:
        response.data = error_body(detail, extra)
    return response
