"""The dashboard, the coverage matrix and report snapshots come from the cache keyed on the data version
(``nsp.data_version``): a write shows on the very next load, readers of another scope never see each other's
figures, and an unchanged report is not read again."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nsp import data_version, grants, services
from nsp.api.testing import API, client_for
from nsp.models import Measurement
from reporting import selectors, snapshots
from reporting.models import ReportRun
from reporting.tests.conftest import PERIOD, build_world
from reporting.tests.test_views import DASHBOARD_QUERIES
from tests.factories import NationalAlignmentFactory, user_with_role

# The page computing its figures: the count reporting/tests/test_views.py pins (DASHBOARD_QUERIES, imported).
# From the cache: session and user (2), roles with the zones whose drafts they read (1: the reader's scope too), the
# data version (1). Neither the edition,
# the overview nor the filter's choices: the page's choices, figures and their HTML come from the cache.
DASHBOARD_QUERIES_CACHED = 4


def load(client, user, headers=None, **params):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reporting:dashboard"), params, headers=headers)
    assert response.status_code == 200
    return response, len(queries)


def traffic(data) -> dict:
    return next(row for row in data["clusters"] if row["label"] == "1. Traffic safety")


def fresh(user) -> dict:
    nsp = selectors.edition_for(user=user, as_of=timezone.localdate())
    return selectors.overview(user=user, as_of=timezone.localdate(), nsp=nsp)


def record_q4(world, value="80"):
    return services.measurement_record(
        actor=world.planner_a, indicator=world.road_indicator, period="2021-Q4", value=Decimal(value)
    )


def answer_every_priority(world):
    """Zone B's draft says why it takes up none of the national priorities, so it may leave draft."""
    for priority in (world.phenomenon, world.drugs):
        NationalAlignmentFactory(plan=world.draft_b, phenomenon=priority, adopted=False, justification="Not here.")
    NationalAlignmentFactory(
        plan=world.draft_b, phenomenon=None, theme=world.theme, adopted=False, justification="Not here."
    )


def test_a_second_load_comes_from_the_cache(client, world):
    first, queries = load(client, world.committee)
    assert queries == DASHBOARD_QUERIES
    second, cached_queries = load(client, world.committee)
    assert cached_queries == DASHBOARD_QUERIES_CACHED
    assert second.context["data"] == first.context["data"]


def test_a_measurement_saved_through_the_service_shows_on_the_next_load(client, world):
    before, _ = load(client, world.committee)
    assert traffic(before.context["data"])["progress"] == 0.9
    record_q4(world)
    after, queries = load(client, world.committee)
    assert queries == DASHBOARD_QUERIES  # computed again, not read from the cache
    assert traffic(after.context["data"])["progress"] == 1.0
    assert after.context["data"] == {**fresh(world.committee), **_urls(after.context["data"])}


def _urls(data) -> dict:
    """The rows as the page shows them: the view adds each row's link to the selector's figures."""
    return {"off_track_plans": data["off_track_plans"], "overdue_indicators": data["overdue_indicators"]}


def test_a_measurement_posted_to_the_api_shows_on_the_next_load(client, world):
    before, _ = load(client, world.committee)
    posted = client_for(world.planner_a).post(
        f"{API}measurements/",
        {"indicator": world.road_indicator.pk, "period": "2021-Q4", "value": "80"},
        format="json",
    )
    assert posted.status_code == 201, posted.json()
    after, _ = load(client, world.committee)
    assert traffic(before.context["data"])["progress"] == 0.9
    assert traffic(after.context["data"])["progress"] == 1.0


def test_a_change_and_a_delete_show_on_the_next_load(client, world):
    measurement = record_q4(world)
    load(client, world.committee)
    services.measurement_update(actor=world.planner_a, measurement=measurement, value=Decimal("84"))
    changed, _ = load(client, world.committee)
    assert traffic(changed.context["data"])["progress"] == 0.9
    services.measurement_delete(actor=world.planner_a, measurement=measurement)
    deleted, _ = load(client, world.committee)
    assert deleted.context["data"] == {**fresh(world.committee), **_urls(deleted.context["data"])}


def test_readers_of_another_scope_never_see_each_others_figures(client, world):
    # Zone B's chief reads zone B's draft; zone A's chief, loading next on the same data, must not.
    chief_b, _ = load(client, world.chief_b)
    assert {r["status"]: r["count"] for r in chief_b.context["data"]["plans_by_status"]}["draft"] == 1
    chief_a, queries = load(client, world.chief_a)
    assert queries == DASHBOARD_QUERIES
    assert {r["status"]: r["count"] for r in chief_a.context["data"]["plans_by_status"]}["draft"] == 0
    assert b"Secret draft of Gent" not in chief_a.content
    nobody, _ = load(client, world.nobody)
    assert sum(r["count"] for r in nobody.context["data"]["plans_by_status"]) == 0


def test_readers_of_the_same_scope_share_the_figures(client, world):
    load(client, world.committee)
    colleague = user_with_role("committee_member", "another.member")
    _, queries = load(client, colleague)
    assert queries == DASHBOARD_QUERIES_CACHED


def test_a_grant_and_a_revoke_show_on_the_next_load(client, world):
    drafts = lambda response: {r["status"]: r["count"] for r in response.context["data"]["plans_by_status"]}["draft"]  # noqa: E731
    assert drafts(load(client, world.chief_a)[0]) == 0
    grants.role_grant(user=world.chief_a, role="zone_planner", zone=world.zone_b)
    assert drafts(load(client, world.chief_a)[0]) == 1
    grants.role_revoke(user=world.chief_a, role="zone_planner", zone=world.zone_b)
    assert drafts(load(client, world.chief_a)[0]) == 0
    world.chief_a.is_active = False
    world.chief_a.save()
    assert data_version.view_scope(world.chief_a) == ("anonymous",)


def test_a_workflow_step_shows_on_the_next_load(client, world):
    from zones import services as zone_services

    counts = lambda response: {r["status"]: r["count"] for r in response.context["data"]["plans_by_status"]}  # noqa: E731
    assert counts(load(client, world.chief_b)[0])["draft"] == 1
    chief = world.chief_b
    answer_every_priority(world)
    zone_services.plan_transition(actor=chief, plan=world.draft_b, to_status="adopted", on_date=dt.date(2021, 1, 15))
    after = counts(load(client, chief)[0])
    assert (after["draft"], after["adopted"]) == (0, 1)


def test_each_language_has_its_own_entry(client, world):
    english, _ = load(client, world.committee)
    french, queries = load(client, world.committee, headers={"accept-language": "fr"})
    assert queries == DASHBOARD_QUERIES
    labels = lambda response: [r["label"] for r in response.context["data"]["plans_by_status"]]  # noqa: E731
    assert labels(english) != labels(french)


def test_the_filters_have_their_own_entries(client, world):
    load(client, world.committee)
    _, queries = load(client, world.committee, district=world.district_b.pk, nsp=world.nsp.pk)
    assert queries > DASHBOARD_QUERIES_CACHED


def test_a_filter_that_does_not_validate_is_not_kept(client, world):
    wrong = {"district": "999999"}
    first, _ = load(client, world.committee, **wrong)
    second, queries = load(client, world.committee, **wrong)
    assert b"errorlist" in first.content and b"errorlist" in second.content
    # The page is made again (its figures, valid, come from their own entry): the filters with their error are not kept.
    assert queries > DASHBOARD_QUERIES_CACHED


# --- the coverage matrix ----------------------------------------------------------------------------------


def coverage(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reporting:coverage"), {"nsp": _edition_pk()})
    assert response.status_code == 200
    return response.context["matrix"], len(queries)


def _edition_pk():
    from nsp.models import NationalSecurityPlan

    return NationalSecurityPlan.objects.get().pk


def test_the_coverage_matrix_is_cached_and_moves_with_a_workflow_step(client, world):
    from zones import services as zone_services

    first, queries = coverage(client, world.chief_b)
    second, cached_queries = coverage(client, world.chief_b)
    assert second == first and cached_queries < queries
    status = lambda matrix: next(z for z in matrix["zones"] if z["key"] == world.zone_b.key)["plan_status"]  # noqa: E731
    assert status(first) == "draft"
    answer_every_priority(world)
    zone_services.plan_transition(
        actor=world.chief_b, plan=world.draft_b, to_status="adopted", on_date=dt.date(2021, 1, 15)
    )
    assert status(coverage(client, world.chief_b)[0]) == "adopted"
    # Zone A's chief, of another scope, never reads zone B's draft from zone B's entry.
    assert status(coverage(client, world.chief_a)[0]) != "draft"


# --- report snapshots -------------------------------------------------------------------------------------


def overview_run(world) -> ReportRun:
    return ReportRun.objects.create(
        kind="national_overview", scope="national", format="json", period=PERIOD, requested_by=world.committee
    )


def build(run) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as queries:
        snapshot = snapshots.build(run)
    return snapshot, len(queries)


def test_an_unchanged_snapshot_is_reused_and_a_changed_one_rebuilt(world):
    first, queries = build(overview_run(world))
    again, cached_queries = build(overview_run(world))
    # Only the header differs (it names the run); the body is read from the cache.
    assert {k: v for k, v in again.items() if k != "report"} == {k: v for k, v in first.items() if k != "report"}
    assert again["report"]["id"] != first["report"]["id"]
    assert cached_queries < queries / 3
    record_q4(world)
    changed, rebuilt_queries = build(overview_run(world))
    assert rebuilt_queries > cached_queries
    assert changed["districts"] != first["districts"]


def test_a_snapshot_is_built_for_its_requesters_scope(world):
    chief_b = ReportRun.objects.create(
        kind="national_overview", scope="national", format="json", period=PERIOD, requested_by=world.chief_b
    )
    chief_a = ReportRun.objects.create(
        kind="national_overview", scope="national", format="json", period=PERIOD, requested_by=world.chief_a
    )
    drafts = lambda snapshot: {r["status"]: r["count"] for r in snapshot["plans_by_status"]}["draft"]  # noqa: E731
    assert drafts(build(chief_b)[0]) == 1
    assert drafts(build(chief_a)[0]) == 0


# --- the version ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_version_moves_with_a_write_and_its_token_once_per_commit(monkeypatch):
    world = build_world()
    before, token = data_version.history_high_water(), data_version.token()
    record_q4(world)  # its own transaction, committed
    assert data_version.history_high_water() != before
    assert data_version.token() != token
    bumps = []
    monkeypatch.setattr(data_version, "bump", lambda using="default": bumps.append(using))
    with transaction.atomic():
        services.measurement_record(
            actor=world.planner_a, indicator=world.burglary_indicator, period="2021-Q4", value=Decimal("150")
        )
        services.measurement_record(
            actor=world.planner_a, indicator=world.burglary_indicator, period="2021-Q3", value=Decimal("160")
        )
        assert bumps == []  # not before the commit: a reader could cache the old figures under the new token
    assert bumps == ["default"]  # once, however many rows the transaction wrote
    with contextlib.suppress(RuntimeError), transaction.atomic():
        services.measurement_update(
            actor=world.planner_a,
            measurement=Measurement.objects.get(indicator=world.burglary_indicator, period="2021-Q3"),
            value=Decimal("1"),
        )
        raise RuntimeError("undo")
    assert bumps == ["default"]  # nothing committed, nothing moved


def test_a_commit_moves_the_version_even_when_the_highest_id_does_not(world):
    """Transactions commit out of the order of their ids: the token covers the commit that adds no higher id."""
    version = data_version.data_version()
    data_version.bump()
    assert data_version.data_version() != version
    assert data_version.data_version().split(".")[0] == version.split(".")[0]


def test_the_token_is_the_database_s_own(world, monkeypatch):
    """Processes on other databases sharing the cache (the suite's parallel workers, each on its own test database;
    a bench's second database) never move this database's version."""
    from django.db import connection

    version = data_version.data_version()
    monkeypatch.setitem(connection.settings_dict, "NAME", f"{connection.settings_dict['NAME']}-another")
    data_version.bump()
    monkeypatch.undo()
    assert data_version.data_version() == version


def test_every_history_table_counts():
    """A model given history later is counted without a change to the version: the tables come from the models."""
    tables = {m._meta.db_table for m in data_version.history_models()}
    assert Measurement.history.model._meta.db_table in tables
    # The m2m history too (a programme's phenomena: the coverage and the clusters' progress read them).
    assert any(t.endswith("historicalprogramme_phenomena") for t in tables)
    sql = data_version._version_sql("default")
    assert sql.count("SELECT MAX") == len(tables) and all(f'"{t}"' in sql for t in tables)
