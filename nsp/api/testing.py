"""Helpers for API tests: a client acting as a user, the error shape, query counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.response import Response
from rest_framework.test import APIClient

API = "/api/v1/"
# The top-level resources of the API: product.md's fixed points, then the rest of the domain.
RESOURCES = (
    "clusters",
    "phenomena",
    "themes",
    "programmes",
    "zones",
    "zonal-plans",
    "objectives",
    "indicators",
    "measurements",
    "actions",
    "alignments",
    "reports",
    "nsp-editions",
    "districts",
    "expectations",
    "matrix-candidates",
    "comments",
    "transitions",
    "regional-plans",
    "deleted-items",
)


def client_for(user=None) -> APIClient:
    """A client authenticated as ``user`` (by token, as outside tools do); anonymous when None."""
    client = APIClient()
    if user is not None:
        from rest_framework.authtoken.models import Token

        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def assert_error(response: Response, status: int, *, field: str | None = None) -> dict[str, Any]:
    """The response is an error of the one shape, with ``status`` (and an error on ``field``)."""
    assert response.status_code == status, (response.status_code, getattr(response, "data", response.content))
    body = response.json()
    assert set(body) == {"message", "extra"}, body
    assert isinstance(body["message"], str) and body["message"], body
    assert isinstance(body["extra"], dict), body
    if field is not None:
        assert field in body["extra"].get("fields", {}), body
    return body


def count_queries(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)
