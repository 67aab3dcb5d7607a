"""The national lists' pages (nsp.api.pagination): an exact count cached on the data version, keyset links that walk
every row once, ``?page=`` as before; and the view rule's draft grants read once per request (nsp.permissions)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nsp import grants, services
from nsp.api.testing import API, assert_error, client_for
from nsp.models import Measurement
from nsp.permissions import draft_zone_ids, user_roles
from tests.factories import (
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PoliceZoneFactory,
    UserFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)
from zones.models import ZonalSecurityPlan

pytestmark = pytest.mark.django_db

APPROVED = {"status": "approved", "approved_on": dt.date(2020, 6, 1), "council_adopted_on": dt.date(2020, 3, 1)}
URL = f"{API}measurements/"
# Periods of one indicator ending on the same day (a quarter, a half-year, a year): the order needs the id to be total.
PERIODS = ["2021-Q4", "2021-H2", "2021", "2021-Q1", "2021-H1", "2022-Q2", "2021-11", "2021-12"]


def national_data(plans: int = 3, indicators: int = 3) -> list[int]:
    """Measurements of several zones' plans (and a draft's, hidden from the reader); the readable ids."""
    readable = []
    for p in range(plans):
        plan = ZonalSecurityPlanFactory(**APPROVED)
        objective = ObjectiveFactory(plan=plan)
        for i in range(indicators):
            indicator = IndicatorFactory(objective=objective, frequency="monthly")
            for period in PERIODS[: 3 + (p + i) % 6]:
                readable.append(MeasurementFactory(indicator=indicator, period=period, value=Decimal(p * 10 + i)).pk)
    draft = ZonalSecurityPlanFactory(status=ZonalSecurityPlan.Status.DRAFT)
    MeasurementFactory(indicator=IndicatorFactory(objective=ObjectiveFactory(plan=draft)))
    return readable


def walk(client, url: str, params: dict) -> tuple[list[int], list[dict]]:
    """Every id the list gives by following its next links from the first page; and the pages."""
    pages = [client.get(url, params).json()]
    while pages[-1]["next"]:
        assert len(pages) < 500
        pages.append(client.get(pages[-1]["next"]).json())
    return [row["id"] for page in pages for row in page["results"]], pages


@pytest.fixture
def reader():
    return user_with_role("committee_member")


def test_count_is_exact_after_writes(reader):
    readable = national_data()
    client = client_for(reader)
    assert client.get(URL).json()["count"] == len(readable)
    assert client.get(URL).json()["count"] == len(readable)  # from the cache
    plan = ZonalSecurityPlanFactory(**APPROVED)
    indicator = IndicatorFactory(objective=ObjectiveFactory(plan=plan))
    chief = user_with_role("zone_chief", zone=plan.zone)
    measurement = services.measurement_record(actor=chief, indicator=indicator, period="2021-Q1", value=Decimal(1))
    assert client.get(URL).json()["count"] == len(readable) + 1
    assert client.get(URL, {"plan": plan.pk}).json()["count"] == 1
    services.measurement_delete(actor=chief, measurement=measurement)
    assert client.get(URL).json()["count"] == len(readable)
    assert client.get(URL, {"plan": plan.pk}).json()["count"] == 0
    assert client.get(URL).json()["count"] == Measurement.objects.restrict(reader, "view").count()


def test_count_follows_the_reader_scope():
    """Two readers whose scopes differ never share a count: a zone's chief also counts their draft's rows."""
    national_data(plans=1)
    draft = ZonalSecurityPlanFactory(status=ZonalSecurityPlan.Status.DRAFT)
    MeasurementFactory(indicator=IndicatorFactory(objective=ObjectiveFactory(plan=draft)))
    committee = user_with_role("committee_member")
    chief = user_with_role("zone_chief", zone=draft.zone)
    for user in (committee, chief):
        count = client_for(user).get(URL).json()["count"]
        assert count == Measurement.objects.restrict(user, "view").count()
    assert client_for(chief).get(URL).json()["count"] == client_for(committee).get(URL).json()["count"] + 1


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    page_size=st.integers(min_value=2, max_value=12),
    ordering=st.sampled_from(["", "period_end", "-period_end", "value", "-value", "recorded_at"]),
    filtered=st.booleans(),
)
def test_keyset_links_walk_every_row_once_in_order(reader, page_size, ordering, filtered):
    if not Measurement.objects.exists():
        national_data()
    client = client_for(reader)
    params = {"page_size": page_size, **({"ordering": ordering} if ordering else {})}
    expected = Measurement.objects.restrict(reader, "view")
    if filtered:
        plan_id = expected.order_by("plan_id").values_list("plan_id", flat=True).first()
        params["plan"] = plan_id
        expected = expected.filter(plan_id=plan_id)
    ids, pages = walk(client, URL, params)
    # The order: the list's, then the id; every readable row once, none twice, none missing.
    assert len(ids) == len(set(ids))
    order = [ordering or "indicator_id", *([] if ordering else ["period_end"]), "pk"]
    assert ids == list(expected.order_by(*order).values_list("pk", flat=True))
    assert {page["count"] for page in pages} == {len(ids)}
    assert all("cursor=" in page["next"] for page in pages[:-1])
    # Back from the last page by the previous links: the same pages, the other way.
    back = [pages[-1]]
    while back[-1]["previous"]:
        back.append(client.get(back[-1]["previous"]).json())
    assert [row["id"] for page in reversed(back) for row in page["results"]] == ids
    # ?page= answers the same rows, page by page, with page-number links.
    numbered = [client.get(URL, {**params, "page": n}).json() for n in range(1, len(pages) + 1)]
    assert [row["id"] for page in numbered for row in page["results"]] == ids
    assert all(page["next"] is None or "page=" in page["next"] for page in numbered)


def test_a_bad_cursor_is_the_clients_mistake(reader):
    national_data(plans=1, indicators=1)
    client = client_for(reader)
    nxt = client.get(URL, {"page_size": 1}).json()["next"]
    cursor = nxt.split("cursor=")[1].split("&")[0]
    for bad in ("xyz", "e30", cursor[:-3], "W10"):
        assert_error(client.get(URL, {"cursor": bad}), 400, field="cursor")
    # A cursor made for another order, with a page number, or on a list ordered through relations.
    assert_error(client.get(URL, {"cursor": cursor, "ordering": "value"}), 400, field="cursor")
    assert_error(client.get(URL, {"cursor": cursor, "page": 2}), 400, field="cursor")
    assert_error(client.get(f"{API}indicators/", {"cursor": cursor}), 400, field="cursor")
    assert client.get(URL, {"cursor": cursor}).status_code == 200


def test_lists_ordered_through_relations_link_by_page(reader):
    national_data(plans=1)
    body = client_for(reader).get(f"{API}indicators/", {"page_size": 1}).json()
    assert body["next"].endswith("page=2&page_size=1") or "page=2" in body["next"]
    assert body["count"] == 3


def test_the_schema_describes_the_cursor(reader):
    schema = client_for(reader).get("/api/schema/", {"format": "json"}).json()
    measurements = {p["name"] for p in schema["paths"]["/api/v1/measurements/"]["get"]["parameters"]}
    zones = {p["name"] for p in schema["paths"]["/api/v1/zones/"]["get"]["parameters"]}
    assert {"cursor", "page", "page_size"} <= measurements
    assert "cursor" not in zones and "page" in zones


# --- restrict's draft grants, read once per request ---------------------------------------------------------------


def test_restrict_memo_is_dropped_by_a_grant_and_a_revoke():
    zone = PoliceZoneFactory()
    draft = ZonalSecurityPlanFactory(zone=zone, status=ZonalSecurityPlan.Status.DRAFT)
    user = user_with_role("committee_member")
    visible = lambda: ZonalSecurityPlan.objects.restrict(user, "view").filter(pk=draft.pk).exists()  # noqa: E731
    assert not visible()
    assert draft_zone_ids(user) == ()
    grants.role_grant(user=user, role="zone_planner", zone=zone)
    assert draft_zone_ids(user) == (zone.pk,)
    assert user_roles(user) == {"committee_member", "zone_planner"}
    assert visible()
    grants.role_revoke(user=user, role="zone_planner", zone=zone)
    assert not visible()
    assert draft_zone_ids(user) == ()


def test_draft_grants_come_with_the_roles_in_one_query(django_assert_num_queries):
    zone, other = PoliceZoneFactory(), PoliceZoneFactory()
    user = user_with_role("zone_chief", zone=zone)
    grants.role_grant(user=user, role="zone_planner", zone=other)
    grants.role_grant(user=user, role="federal_reviewer", district=zone.district)
    fresh = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert user_roles(fresh) == {"zone_chief", "zone_planner", "federal_reviewer"}
        assert draft_zone_ids(fresh) == tuple(sorted({zone.pk, other.pk}))
        ZonalSecurityPlan.objects.restrict(fresh, "view").query.get_compiler("default").as_sql()
    assert draft_zone_ids(UserFactory()) == ()
