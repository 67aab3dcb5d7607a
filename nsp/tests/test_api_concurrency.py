"""Two writers at once (PostgreSQL row locks): If-Match is compared under the lock, so no update is lost."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from nsp import services
from nsp.api.testing import API, client_for
from nsp.models import Objective
from tests.factories import ObjectiveFactory, ZonalSecurityPlanFactory, user_with_role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def objective():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite serialises whole transactions)")
    return ObjectiveFactory(plan=ZonalSecurityPlanFactory(), title="Original")


def race(objective, monkeypatch, *, send_if_match: bool) -> dict:
    """The first writer holds the lock inside the service while the second one arrives."""
    planner = user_with_role("zone_planner", zone=objective.plan.zone)
    url = f"{API}objectives/{objective.pk}/"
    etag = client_for(planner).get(url)["ETag"]
    inside, release = threading.Event(), threading.Event()
    real_update = services.objective_update

    def held_update(**kwargs):
        result = real_update(**kwargs)
        if threading.current_thread().name == "first":
            inside.set()
            release.wait(10)
        return result

    monkeypatch.setattr(services, "objective_update", held_update)
    answers: dict = {}

    def write(title: str) -> None:
        headers = {"HTTP_IF_MATCH": etag} if send_if_match else {}
        try:
            answers[threading.current_thread().name] = client_for(planner).patch(
                url, {"title": title}, format="json", **headers
            )
        finally:
            connection.close()

    first = threading.Thread(target=write, args=("First",), name="first")
    first.start()
    assert inside.wait(10)
    second = threading.Thread(target=write, args=("Second",), name="second")
    second.start()
    time.sleep(0.5)
    waited = second.is_alive()  # blocked on the plan's row lock
    release.set()
    first.join(10)
    second.join(10)
    assert waited
    return answers


def test_same_etag_twice_the_second_gets_412(objective, monkeypatch):
    answers = race(objective, monkeypatch, send_if_match=True)
    assert answers["first"].status_code == 200
    assert answers["second"].status_code == 412
    assert answers["second"].json()["extra"]["etag"] == answers["first"]["ETag"]
    assert Objective.objects.get(pk=objective.pk).title == "First"


def test_without_if_match_the_writes_are_serialised_last_wins(objective, monkeypatch):
    answers = race(objective, monkeypatch, send_if_match=False)
    assert answers["first"].status_code == answers["second"].status_code == 200
    assert Objective.objects.get(pk=objective.pk).title == "Second"
