"""``GET /api/v1/``: every resource of the API with its address."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import get_resolver
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from nsp.api.exceptions import error_body

NAMESPACE = "api"
RESOURCES = {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}


def resource_names() -> list[str]:
    """The list routes registered under the API namespace (each app includes its own router)."""
    _prefix, resolver = get_resolver().namespace_dict[NAMESPACE]
    names = {name for name in resolver.reverse_dict if isinstance(name, str) and name.endswith("-list")}
    return sorted(name.removesuffix("-list") for name in names)


class ApiRootView(APIView):
    """The resources of the API, each with its address."""

    @extend_schema(responses={200: RESOURCES}, summary="List the resources")
    def get(self, request) -> Response:
        return Response({name: reverse(f"{NAMESPACE}:{name}-list", request=request) for name in resource_names()})


@csrf_exempt  # it writes nothing; a write to a wrong address must still read "not found"
def not_found(request: HttpRequest) -> JsonResponse:
    message = _("There is nothing at this address; GET /api/v1/ lists the resources.")
    return JsonResponse(error_body(message, {"code": "not_found"}), status=404)
