"""Error answers: under ``/api/`` every 400/403/404/413/500 is JSON in the API's error shape, never an
HTML page; elsewhere the site's templates. Also the request body limit, checked before a body is read.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(message: str, code: str, status: int, **extra) -> JsonResponse:
    response = JsonResponse({"message": str(message), "extra": {"code": code, **extra}}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return json_error(_("The request cannot be read."), "bad_request", 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return json_error(str(exception or "") or _("You do not have permission to do this."), "permission_denied", 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return json_error(_("There is nothing at this address; GET /api/v1/ lists the resources."), "not_found", 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return json_error(
            _("The server could not complete the request; nothing was half-saved. Try again later."),
            "server_error",
            500,
        )
    return defaults.server_error(request)


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = _("The request is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)}
    if is_api(request):
        return json_error(message, "too_large", 413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class RequestSizeLimitMiddleware:
    """Refuse a body declared larger than ``MAX_REQUEST_BYTES`` (413) before anything reads it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)
