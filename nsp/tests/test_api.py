"""The API's common ground: authentication, the root, the error shape, pagination, ETag / If-Match."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from nsp.api.testing import API, RESOURCES, assert_error, client_for
from nsp.models import Objective
from tests.factories import (
    ObjectiveFactory,
    UserFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return ZonalSecurityPlanFactory()


@pytest.fixture
def planner(plan):
    return user_with_role("zone_planner", zone=plan.zone)


# --- authentication -------------------------------------------------------------------------------


def test_anonymous_gets_401_with_token_challenge():
    response = APIClient().get(f"{API}objectives/")
    body = assert_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Token")
    assert body["extra"]["code"] == "not_authenticated"


def test_token_obtain_use_and_revoke(planner):
    client = APIClient()
    response = client.post(f"{API}auth/token/", {"username": planner.username, "password": "demo"}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=planner).key == key
    # The same token until revoked.
    again = client.post(f"{API}auth/token/", {"username": planner.username, "password": "demo"}, format="json")
    assert again.json()["token"] == key

    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(f"{API}objectives/").status_code == 200
    assert client.delete(f"{API}auth/token/").status_code == 204
    assert not Token.objects.filter(user=planner).exists()
    assert_error(client.get(f"{API}objectives/"), 401)


def test_token_with_wrong_password_is_a_400_in_the_error_shape(planner):
    response = APIClient().post(f"{API}auth/token/", {"username": planner.username, "password": "nope"}, format="json")
    body = assert_error(response, 400)
    assert "credentials" in body["message"]
    assert not Token.objects.exists()


def test_token_request_missing_fields_lists_them():
    body = assert_error(APIClient().post(f"{API}auth/token/", {}, format="json"), 400)
    assert set(body["extra"]["fields"]) == {"username", "password"}


def test_inactive_user_gets_no_token():
    user = UserFactory(is_active=False)
    assert_error(APIClient().post(f"{API}auth/token/", {"username": user.username, "password": "demo"}), 400)


def test_session_auth_enforces_csrf_on_writes(plan, planner):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(planner)
    assert client.get(f"{API}objectives/").status_code == 200
    response = client.post(f"{API}objectives/", {"plan": plan.pk, "level": "strategic", "title": "x"}, format="json")
    body = assert_error(response, 403)
    assert "CSRF" in body["message"]
    assert not Objective.objects.exists()


def test_session_auth_with_csrf_token_writes(plan, planner):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(planner)
    client.get("/api/docs/")  # any page: the CSRF cookie
    token = client.cookies.get("csrftoken")
    if token is None:
        from django.middleware.csrf import _get_new_csrf_string

        token_value = _get_new_csrf_string()
        client.cookies["csrftoken"] = token_value
    else:
        token_value = token.value
    response = client.post(
        f"{API}objectives/",
        {"plan": plan.pk, "level": "strategic", "title": "Fewer burglaries"},
        format="json",
        HTTP_X_CSRFTOKEN=token_value,
    )
    assert response.status_code == 201, response.content


# --- the root, pagination, the error shape ---------------------------------------------------------


def test_root_lists_every_resource(planner):
    body = client_for(planner).get(API).json()
    assert set(RESOURCES) <= set(body)
    assert body["zonal-plans"].endswith("/api/v1/zonal-plans/")


def test_lists_are_paginated(plan, planner):
    ObjectiveFactory.create_batch(3, plan=plan)
    client = client_for(planner)
    body = client.get(f"{API}objectives/", {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2 and body["previous"] is None
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None


@pytest.mark.parametrize("size", ["0", "501", "many"])
def test_bad_page_size_is_a_400(planner, size):
    assert_error(client_for(planner).get(f"{API}objectives/", {"page_size": size}), 400, field="page_size")


def test_page_past_the_end_is_a_404(planner):
    assert_error(client_for(planner).get(f"{API}objectives/", {"page": 9}), 404)


def test_bad_filter_value_is_a_400_with_the_field(planner):
    assert_error(client_for(planner).get(f"{API}objectives/", {"plan": "abc"}), 400, field="plan")
    assert_error(client_for(planner).get(f"{API}objectives/", {"ordering": "secret"}), 400, field="ordering")


def test_malformed_json_is_a_400(plan, planner):
    response = client_for(planner).post(f"{API}objectives/", "{not json", content_type="application/json")
    assert_error(response, 400)


def test_field_errors_are_listed(plan, planner):
    response = client_for(planner).post(f"{API}objectives/", {"plan": plan.pk, "level": "cosmic"}, format="json")
    body = assert_error(response, 400)
    assert set(body["extra"]["fields"]) == {"level", "title"}
    assert body["message"] == "Please correct the errors below."


def test_domain_error_carries_its_fields(plan, planner):
    strategic = ObjectiveFactory(plan=plan)
    payload = {"plan": plan.pk, "level": "strategic", "title": "x", "parent": strategic.pk}
    body = assert_error(client_for(planner).post(f"{API}objectives/", payload, format="json"), 400, field="parent")
    assert "strategic objective has no parent" in body["message"]


def test_unreadable_object_is_a_404_in_the_error_shape(plan):
    outsider = user_with_role("zone_chief", zone=ZonalSecurityPlanFactory().zone)
    objective = ObjectiveFactory(plan=plan)
    body = assert_error(client_for(outsider).get(f"{API}objectives/{objective.pk}/"), 404)
    assert "objective" in body["message"].lower()
    assert_error(client_for(outsider).get(f"{API}objectives/not-a-number/"), 404)


def test_unreadable_foreign_key_answers_does_not_exist(plan):
    outsider = user_with_role("zone_chief", zone=ZonalSecurityPlanFactory().zone)
    response = client_for(outsider).post(
        f"{API}objectives/", {"plan": plan.pk, "level": "strategic", "title": "x"}, format="json"
    )
    body = assert_error(response, 400, field="plan")
    missing = client_for(outsider).post(
        f"{API}objectives/", {"plan": 987654, "level": "strategic", "title": "x"}, format="json"
    )
    # The same answer as for an id that does not exist: nothing leaks.
    assert body["extra"]["fields"]["plan"][0].replace(str(plan.pk), "N") == assert_error(missing, 400)["extra"][
        "fields"
    ]["plan"][0].replace("987654", "N")
    assert not Objective.objects.exists()


# --- ETag / If-Match -------------------------------------------------------------------------------


def test_detail_sends_an_etag_that_changes_with_the_object(plan, planner):
    objective = ObjectiveFactory(plan=plan)
    client = client_for(planner)
    first = client.get(f"{API}objectives/{objective.pk}/")
    assert first["ETag"].startswith('"') and first["ETag"] == client.get(f"{API}objectives/{objective.pk}/")["ETag"]
    changed = client.patch(f"{API}objectives/{objective.pk}/", {"title": "New"}, format="json")
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert changed["ETag"] == client.get(f"{API}objectives/{objective.pk}/")["ETag"]


def test_etag_does_not_depend_on_the_language(plan, planner):
    objective = ObjectiveFactory(plan=plan)
    client = client_for(planner)
    english = client.get(f"{API}objectives/{objective.pk}/", HTTP_ACCEPT_LANGUAGE="en")["ETag"]
    assert client.get(f"{API}objectives/{objective.pk}/", HTTP_ACCEPT_LANGUAGE="fr")["ETag"] == english


def test_stale_if_match_answers_412_and_writes_nothing(plan, planner):
    objective = ObjectiveFactory(plan=plan, title="Old")
    client, other = client_for(planner), client_for(user_with_role("zone_chief", zone=plan.zone))
    etag = client.get(f"{API}objectives/{objective.pk}/")["ETag"]
    assert other.patch(f"{API}objectives/{objective.pk}/", {"title": "Theirs"}, format="json").status_code == 200
    response = client.patch(f"{API}objectives/{objective.pk}/", {"title": "Mine"}, format="json", HTTP_IF_MATCH=etag)
    body = assert_error(response, 412)
    assert body["extra"]["code"] == "stale" and body["extra"]["etag"] != etag
    objective.refresh_from_db()
    assert objective.title == "Theirs"
    # PUT and DELETE are held to the same rule.
    put = {"plan": plan.pk, "level": "strategic", "title": "Mine"}
    assert_error(client.put(f"{API}objectives/{objective.pk}/", put, format="json", HTTP_IF_MATCH=etag), 412)
    assert_error(client.delete(f"{API}objectives/{objective.pk}/", HTTP_IF_MATCH=etag), 412)
    assert Objective.objects.filter(pk=objective.pk).exists()


def test_current_if_match_and_star_pass(plan, planner):
    objective = ObjectiveFactory(plan=plan)
    client = client_for(planner)
    etag = client.get(f"{API}objectives/{objective.pk}/")["ETag"]
    response = client.patch(f"{API}objectives/{objective.pk}/", {"title": "A"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    # A compressing proxy may weaken the tag; a list of tags matches if one does.
    weak = f'"other", W/{response["ETag"]}'
    assert client.patch(f"{API}objectives/{objective.pk}/", {"title": "B"}, HTTP_IF_MATCH=weak).status_code == 200
    assert client.patch(f"{API}objectives/{objective.pk}/", {"title": "C"}, HTTP_IF_MATCH="*").status_code == 200
    assert client.delete(f"{API}objectives/{objective.pk}/", HTTP_IF_MATCH="*").status_code == 204


def test_without_if_match_last_write_wins_and_answers_the_new_etag(plan, planner):
    objective = ObjectiveFactory(plan=plan)
    client = client_for(planner)
    response = client.patch(f"{API}objectives/{objective.pk}/", {"title": "Last"}, format="json")
    assert response.status_code == 200 and response["ETag"]
    assert response.json()["title"] == "Last"


def test_progress_fields_are_outside_the_etag(plan, planner):
    from tests.factories import IndicatorFactory, MeasurementFactory

    objective = ObjectiveFactory(plan=plan)
    indicator = IndicatorFactory(objective=objective)
    client = client_for(planner)
    before = client.get(f"{API}indicators/{indicator.pk}/")
    MeasurementFactory(indicator=indicator, period="2021-Q1", value=90)
    after = client.get(f"{API}indicators/{indicator.pk}/")
    assert before.json()["progress"] is None and after.json()["progress"] is not None
    assert before["ETag"] == after["ETag"]


def test_created_object_answers_201_with_its_etag(plan, planner):
    response = client_for(planner).post(
        f"{API}objectives/", {"plan": plan.pk, "level": "strategic", "title": "Safer roads"}, format="json"
    )
    assert response.status_code == 201 and response["ETag"]
    assert response.json()["progress_status"] == "no_data"
    objective = Objective.objects.get()
    assert objective.history.first().history_user == planner


def test_approved_plan_refuses_structure_changes_with_403(planner, plan):
    plan.status, plan.approved_on, plan.council_adopted_on = "approved", dt.date(2020, 6, 1), dt.date(2020, 3, 1)
    plan.save()
    objective = ObjectiveFactory(plan=plan)
    body = assert_error(client_for(planner).patch(f"{API}objectives/{objective.pk}/", {"title": "x"}), 403)
    assert "may not change" in body["message"]
