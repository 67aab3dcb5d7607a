"""The OpenAPI document: valid and warning-free, complete, and served with local documentation assets."""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from nsp.api.testing import RESOURCES


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    # Raises (and fails the test) on any error or warning of drf-spectacular or the validator.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_schema_is_openapi_3_and_lists_every_resource(schema):
    assert schema["openapi"].startswith("3.")
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in schema["paths"], resource
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/zonal-plans/{id}/transition/",
        "/api/v1/zonal-plans/{id}/alignment-status/",
        "/api/v1/zonal-plans/{id}/export/",
        "/api/v1/zonal-plans/import/",
        "/api/v1/zonal-plans/{id}/measurements/import/",
        "/api/v1/reports/{id}/download/",
    ):
        assert path in schema["paths"], path
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_every_operation_documents_the_error_shape(schema):
    error = {"$ref": "#/components/schemas/Error"}
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"message", "extra"}
    for path, method, operation in operations(schema):
        codes = operation["responses"]
        assert codes["400"]["content"]["application/json"]["schema"] == error, (method, path)
        if operation.get("security") != [{}]:
            assert {"401", "403"} <= set(codes), (method, path)
        if "{id}" in path:
            assert "404" in codes, (method, path)


def test_writes_document_if_match_and_412(schema):
    for path, method, operation in operations(schema):
        # Every object that can be changed or deleted (report runs are only deleted: no versions).
        if method not in {"put", "patch", "delete"} or not path.endswith("{id}/") or "/reports/" in path:
            continue
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert "If-Match" in headers and "412" in operation["responses"], (method, path)
        assert "last write wins" in operation["description"], (method, path)
    detail = schema["paths"]["/api/v1/objectives/{id}/"]["get"]["responses"]["200"]
    assert "ETag" in detail["headers"]
    assert "If-Match" in schema["info"]["description"] and "412" in schema["info"]["description"]


def test_lists_are_paginated_filtered_and_ordered(schema):
    listing = schema["paths"]["/api/v1/zonal-plans/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"page", "page_size", "search", "ordering", "zone", "status", "period", "phenomenon", "cluster"} <= names
    assert all(p.get("allowEmptyValue") for p in listing["parameters"] if p["in"] == "query")
    page = listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][page]["properties"]) == {"count", "next", "previous", "results"}


def test_integer_bounds_do_not_depend_on_the_database(schema):
    """The schema is the same on SQLite and PostgreSQL: no integer is documented beyond PostgreSQL's integer."""
    too_wide = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, spec in component.get("properties", {}).items()
        if spec.get("type") == "integer" and not -(2**31) <= spec.get("maximum", 0) <= 2**31 - 1
    ]
    assert too_wide == []
    assert schema["components"]["schemas"]["ObjectiveRequest"]["properties"]["year"]["maximum"] == 2100


def test_schema_and_docs_are_served_without_a_cdn(db):
    client = Client()
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "NSP Planner API"
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    # The page's configuration (the schema's address) is a script of its own, for the Content-Security-Policy.
    assert "/api/schema/" in client.get("/api/docs/?script=").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and not [a for a in assets if re.match(r"^(https?:)?//", a)], assets
    sidecar = [a for a in assets if "drf_spectacular_sidecar" in a]
    assert sidecar
    for asset in sidecar:
        assert finders.find(asset.split("/static/", 1)[1]), asset
