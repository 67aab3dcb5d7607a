"""Every list endpoint and list page shows each role exactly what it may read, in a fixed number of queries.

The ids a list returns are compared with ``Model.objects.restrict(user, "view")`` and with an expectation
built from the world alone (which plans each role reads follows product.md: drafts by their own zone's
chief and planner only, everything else by every role; report runs by their requester). Then the zone
chief's plan list page, plan list endpoint and objective list endpoint answer in as many queries with 50
zones as with 5.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from nsp.models import Action, Comment, Indicator, Measurement, NationalSecurityPlan, Objective
from programmes.models import Programme
from reporting.models import ReportRun
from tests.factories import ObjectiveFactory, PoliceZoneFactory, ZonalSecurityPlanFactory
from tests.permission_matrix.world import NO_ROLE, SIGNED_IN, World, world_in_transaction
from zones.models import (
    District,
    Expectation,
    MatrixCandidate,
    NationalAlignment,
    PlanTransition,
    PoliceZone,
    RegionalSecurityPlan,
    ZonalSecurityPlan,
)

ZONE_ROLES = ("zone_chief", "zone_planner")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from world_in_transaction(django_db_blocker, tmp_path_factory.mktemp("lists-media"))


# --- what each role reads, from the world alone ----------------------------------------------------


def readable_contents(w: World, role: str) -> list:
    """The contents (plan and its rows) of the plans the role reads."""
    if role == NO_ROLE:
        return []
    zonal = [
        content
        for (relation, state), content in w.plans.items()
        if role == "admin" or state != "draft" or (role in ZONE_ROLES and relation == "own")
    ]
    return [*zonal, *w.programmes.values(), w.regional]


def pks(*rows) -> set[int]:
    return {row.pk for row in rows if row is not None}


def expected_ids(w: World, role: str, resource: str) -> set[int]:
    contents = readable_contents(w, role)
    zonal = [c for c in contents if isinstance(c.plan, ZonalSecurityPlan)]
    plans = {c.plan.pk for c in contents}
    signed_with_role = role != NO_ROLE
    everything = {
        "zonal-plans": pks(*(c.plan for c in zonal)),
        "programmes": pks(*(c.plan for c in contents if isinstance(c.plan, Programme))),
        "regional-plans": pks(*(c.plan for c in contents if isinstance(c.plan, RegionalSecurityPlan))),
        "objectives": pks(*(c.objective for c in contents), *(c.child for c in contents)),
        "indicators": pks(*(c.indicator for c in contents)),
        "measurements": pks(*(c.measurement for c in contents)),
        "actions": pks(*(c.action for c in contents)),
        "comments": pks(*(c.comment for c in contents), *(c for c in w.comments.values() if c.plan_id in plans)),
        "expectations": pks(*(c.expectation for c in zonal)),
        "matrix-candidates": pks(*(c.candidate for c in zonal)),
        "alignments": pks(*(c.alignment for c in zonal), *(c.justified for c in zonal)),
        "transitions": pks(*(t for c in zonal for t in c.transitions)),
        "zones": pks(*w.zones.values()) if signed_with_role else set(),
        "districts": pks(*w.districts.values()) if signed_with_role else set(),
        "nsp-editions": pks(w.nsp, w.spare_nsp) if signed_with_role else set(),
        "clusters": pks(w.cluster) if signed_with_role else set(),
        "phenomena": pks(w.priority) if signed_with_role else set(),
        "themes": pks(w.priority_theme, w.free_theme) if signed_with_role else set(),
    }
    if resource == "reports":
        runs = [*w.reports.values(), *w.queued.values()]
        if role == "admin":
            return pks(*runs)
        return pks(*(r for r in runs if r.requested_by_id == w.users[role].pk)) if signed_with_role else set()
    return everything[resource]


# --- the endpoints and pages -------------------------------------------------------------------------

ENDPOINTS = {
    "zonal-plans": ZonalSecurityPlan,
    "programmes": Programme,
    "regional-plans": RegionalSecurityPlan,
    "objectives": Objective,
    "indicators": Indicator,
    "measurements": Measurement,
    "actions": Action,
    "comments": Comment,
    "expectations": Expectation,
    "matrix-candidates": MatrixCandidate,
    "alignments": NationalAlignment,
    "transitions": PlanTransition,
    "zones": PoliceZone,
    "districts": District,
    "nsp-editions": NationalSecurityPlan,
    "clusters": SecurityCluster,
    "phenomena": SecurityPhenomenon,
    "themes": CrossCuttingTheme,
    "reports": ReportRun,
}
# List page -> (resource, the link each row carries to its detail page).
PAGES = {
    "zones:plan-list": ("zonal-plans", r'href="/plans/(\d+)/"'),
    "zones:zone-list": ("zones", r'href="/zones/([\w-]+)/"'),
    "zones:regional-plan-list": ("regional-plans", r'href="/regional-plans/(\d+)/"'),
    "programmes:programme-list": ("programmes", r'href="/programmes/(\d+)/"'),
    "clusters:edition-list": ("nsp-editions", r'href="/reference/editions/(\d+)/"'),
    "reporting:run-list": ("reports", r'href="/reports/(\d+)/"'),
}


def endpoint_ids(client, resource: str) -> set[int]:
    response = client.get(f"/api/v1/{resource}/?page_size=500")
    assert response.status_code == 200, (resource, response.status_code, response.content[:300])
    body = response.json()
    assert body["next"] is None, f"{resource}: more than one page"
    return {item["id"] for item in body["results"]}


def page_ids(client, name: str) -> set[int]:
    resource, link = PAGES[name]
    response = client.get(reverse(name))
    assert response.status_code == 200, (name, response.status_code)
    found = set(re.findall(link, response.content.decode()))
    if resource == "zones":
        return set(PoliceZone.objects.filter(key__in=found).values_list("pk", flat=True))
    return {int(pk) for pk in found}


CASES = [(role, resource) for role in SIGNED_IN for resource in ENDPOINTS]


@pytest.mark.parametrize(("role", "resource"), CASES, ids=[f"{role}-{resource}" for role, resource in CASES])
def test_list_endpoint_returns_exactly_the_permitted_ids(world, db, role, resource):
    got = endpoint_ids(world.api[role], resource)
    restricted = set(ENDPOINTS[resource].objects.restrict(world.users[role], "view").values_list("pk", flat=True))
    expected = expected_ids(world, role, resource)
    assert got == restricted, f"{role} {resource}: endpoint {sorted(got)}, restrict {sorted(restricted)}"
    assert got == expected, f"{role} {resource}: endpoint {sorted(got)}, the world says {sorted(expected)}"


PAGE_CASES = [(role, name) for role in SIGNED_IN for name in PAGES]


@pytest.mark.parametrize(("role", "name"), PAGE_CASES, ids=[f"{role}-{name}" for role, name in PAGE_CASES])
def test_list_page_shows_exactly_the_permitted_rows(world, db, role, name):
    resource = PAGES[name][0]
    got = page_ids(world.pages[role], name)
    model = ENDPOINTS[resource]
    restricted = set(model.objects.restrict(world.users[role], "view").values_list("pk", flat=True))
    expected = expected_ids(world, role, resource)
    assert got == restricted, f"{role} {name}: page {sorted(got)}, restrict {sorted(restricted)}"
    assert got == expected, f"{role} {name}: page {sorted(got)}, the world says {sorted(expected)}"


def test_the_expectation_is_not_everything(world):
    """The independent expectation tells roles apart (a guard against comparing a list with itself)."""
    chief, committee = (
        expected_ids(world, "zone_chief", "zonal-plans"),
        expected_ids(world, "committee_member", "zonal-plans"),
    )
    own_draft, other_draft = world.plans[("own", "draft")].plan.pk, world.plans[("other", "draft")].plan.pk
    assert own_draft in chief and other_draft not in chief
    assert own_draft not in committee and other_draft not in committee
    assert len(expected_ids(world, "admin", "zonal-plans")) == 10
    assert expected_ids(world, NO_ROLE, "objectives") == set()


# --- query counts: 5 zones and 50 ----------------------------------------------------------------------


def add_zones(world: World, count: int) -> None:
    """More zones, each with a draft the chief may not read and an adopted plan with an objective they may."""
    for _ in range(count):
        zone = PoliceZoneFactory(district=world.districts["other"])
        for state, start in (("draft", 2020), ("adopted", 2026)):
            plan = ZonalSecurityPlanFactory(
                zone=zone,
                nsp=world.nsp,
                status=state,
                period_start=dt.date(start, 1, 1),
                period_end=dt.date(start + 5, 12, 31),
                council_adopted_on=dt.date(2019, 3, 1) if state == "adopted" else None,
            )
            ObjectiveFactory(plan=plan, code="S1")


def query_count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


LISTS = {
    "plan list page": ("pages", "/plans/"),
    "plan list endpoint": ("api", "/api/v1/zonal-plans/"),
    "objective list endpoint": ("api", "/api/v1/objectives/"),
}


@pytest.mark.parametrize("name", LISTS)
def test_zone_chief_list_costs_the_same_queries_for_5_and_50_zones(world, db, name):
    channel, path = LISTS[name]
    client = getattr(world, channel)["zone_chief"]
    add_zones(world, 3)  # with the world's two zones: 5
    client.get(path)  # warm up: caches (content types, sessions) are not what is measured
    five = query_count(client, path)
    add_zones(world, 45)
    client.get(path)  # again: the national lists' count is cached on the data version, which the zones moved
    fifty = query_count(client, path)
    assert PoliceZone.objects.count() == 50
    assert five == fifty, f"{name}: {five} queries with 5 zones, {fifty} with 50"
