"""The permission matrix reaches every route, every role and every plan-data model.

Fails naming each named URL pattern (page or API route, custom actions included) that no request of
the matrix's specs (tests/permission_matrix/specs.py) reaches, except the short list of routes that are
tested elsewhere; each role of ``nsp.roles.ROLE_NAMES`` missing from the CSV; each plan-data model no
spec touches; and lists the (object, action) cases a channel has no route for, with the reason.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from nsp.models import Action, Comment, Indicator, Measurement, Objective
from nsp.roles import ROLE_NAMES
from programmes.models import Programme
from tests.permission_matrix.probes import requests_for
from tests.permission_matrix.rows import CHANNELS, matrix_rows
from tests.permission_matrix.specs import SPECS, NoRoute
from tests.permission_matrix.world import ANONYMOUS, NO_ROLE, world_in_transaction
from zones.models import (
    Addendum,
    Expectation,
    MatrixCandidate,
    MatrixScore,
    NationalAlignment,
    PlanSection,
    PlanTransition,
    RegionalSecurityPlan,
    ZonalSecurityPlan,
)

# Routes with tests of their own, not rows of the permission matrix.
EXEMPT = {
    "accounts:login": "signing in: nsp/tests (the one page an anonymous visitor sees)",
    "accounts:logout": "signing out: nsp/tests",
    "accounts:profile": "the signed-in person's own profile, no plan data: nsp/tests/test_accounts.py",
    "accounts:profile-language": "the person's language preference: nsp/tests/test_accounts.py",
    "accounts:profile-token": "the person's own API token: nsp/tests/test_accounts.py",
    "accounts:password_change": "the person's own password: nsp/tests/test_accounts.py",
    "accounts:password_change_done": "the person's own password: nsp/tests/test_accounts.py",
    "accounts:password_reset_confirm": "a reset link handed over by an administrator: nsp/tests/test_accounts.py",
    "accounts:password_reset_complete": "a reset link handed over by an administrator: nsp/tests/test_accounts.py",
    "set_language": "Django's language switch: tests/test_i18n.py",
    "nsp:healthz": "the health check answers without a login: nsp/tests/test_health.py",
    "nsp:measurement-grid-pick": "redirects to measurement-grid after the same check: nsp/tests/test_grid.py",
    "api:schema": "the OpenAPI document: tests/test_schemathesis.py",
    "api:docs": "the Swagger UI page: nsp/tests/test_api.py",
    "api:root": "the list of resources: nsp/tests/test_api.py",
    "api:auth-token": "obtaining and revoking tokens: nsp/tests/test_api.py",
    "reporting:subscription-delete": "one's own subscription only: reporting/tests/test_subscriptions.py",
    "reporting:schedules": "federal planners and administrators, every role: reporting/tests/test_schedules.py",
    "reporting:schedule-edit": "federal planners and administrators, every role: reporting/tests/test_schedules.py",
}
EXEMPT_NAMESPACES = {"admin": "the Django admin site, for administrators only: nsp/tests/test_admin.py"}

# (object, action, channel) the matrix cannot send: the channel has no route for it.
NO_ROUTE = {
    ("zone", "change", "page"),
}

PLAN_DATA_MODELS = (
    Objective,
    Indicator,
    Measurement,
    Action,
    Comment,
    NationalAlignment,
    Expectation,
    PlanSection,
    MatrixCandidate,
    MatrixScore,
    ZonalSecurityPlan,
    Programme,
    RegionalSecurityPlan,
    PlanTransition,
    Addendum,
)


def named_routes(resolver=None, namespace: str = "") -> set[str]:
    """Every named URL pattern of the project, as ``namespace:name``."""
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_routes(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def exempt(name: str) -> bool:
    return name in EXEMPT or name.split(":")[0] in EXEMPT_NAMESPACES


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from world_in_transaction(django_db_blocker, tmp_path_factory.mktemp("coverage-media"))


@pytest.fixture(scope="module")
def sent(world, django_db_blocker):
    """Every request the matrix sends, per channel (one row per object, action, state and relation)."""
    requests = defaultdict(list)
    seen = set()
    with django_db_blocker.unblock():
        for row in matrix_rows():
            key = (row.object, row.action, row.state, row.relation)
            if key in seen:
                continue
            seen.add(key)
            for channel in CHANNELS:
                if not isinstance(SPECS[(row.object, row.action)][channel], NoRoute):
                    requests[channel] += requests_for(world, row, channel)
    return requests


def test_every_route_is_in_the_matrix(sent):
    reached = {resolve(urlsplit(r.url).path).view_name for requests in sent.values() for r in requests}
    missing = sorted(name for name in named_routes() - reached if not exempt(name))
    assert not missing, "Routes no request of the permission matrix reaches:\n" + "\n".join(missing)


def test_exemptions_name_real_routes():
    routes = named_routes()
    assert not [name for name in EXEMPT if name not in routes]
    assert all(any(route.startswith(f"{ns}:") for route in routes) for ns in EXEMPT_NAMESPACES)


def test_every_csv_case_has_a_spec_or_says_why_not():
    cases = {(row.object, row.action) for row in matrix_rows()}
    assert cases == set(SPECS), (
        f"without a spec: {sorted(cases - set(SPECS))}; specs without a row: {sorted(set(SPECS) - cases)}"
    )
    no_route = {
        (obj, action, channel): spec.reason
        for (obj, action), channels in SPECS.items()
        for channel, spec in channels.items()
        if isinstance(spec, NoRoute)
    }
    assert set(no_route) == NO_ROUTE, f"cases without a route changed: {sorted(set(no_route) ^ NO_ROUTE)}"
    assert all(reason.strip() for reason in no_route.values())
    # What a channel cannot send, listed with the reason (shown with -rP).
    for (obj, action, channel), reason in sorted(no_route.items()):
        print(f"{obj} {action} via {channel}: no route, {reason}")


def test_every_role_is_in_every_case():
    roles = {*ROLE_NAMES, NO_ROLE, ANONYMOUS}
    held = defaultdict(set)
    for row in matrix_rows():
        held[(row.object, row.action)].add(row.role)
    unknown = {row.role for row in matrix_rows()} - roles
    assert not unknown, f"roles the product does not know: {unknown}"
    missing = {case: sorted(roles - present) for case, present in held.items() if roles - present}
    assert not missing, f"cases without a row for these roles: {missing}"


def test_every_plan_data_model_is_in_the_matrix(sent):
    touched = set()
    for requests in sent.values():
        for request in requests:
            touched |= set(request.watch) | {type(obj) for obj in request.rows}
            if request.effect is not None:
                touched |= set(request.effect.models)
    missing = [model.__name__ for model in PLAN_DATA_MODELS if model not in touched]
    assert not missing, f"plan-data models no request of the matrix checks: {missing}"
