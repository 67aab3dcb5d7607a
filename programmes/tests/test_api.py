"""Federal programmes and improvement projects through the API."""

import datetime as dt

import pytest

from nsp.api.testing import API, assert_error, client_for
from programmes.models import Programme
from tests.factories import (
    IndicatorFactory,
    MeasurementFactory,
    NationalSecurityPlanFactory,
    ObjectiveFactory,
    ProgrammeFactory,
    SecurityPhenomenonFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory(code="road-safety", title="Road safety")


def payload(nsp, **changes):
    return {
        "nsp": nsp.pk,
        "code": "cyber",
        "title": "Cybercrime programme",
        "owning_unit": "DGJ/DJSOC",
        "period_start": "2016-01-01",
        "period_end": "2019-12-31",
        **changes,
    }


def test_federal_planner_creates_programmes_with_links(programme):
    nsp = programme.nsp
    phenomenon = SecurityPhenomenonFactory(nsp=nsp, cluster__nsp=nsp)
    client = client_for(user_with_role("federal_planner"))
    response = client.post(f"{API}programmes/", payload(nsp, phenomena=[phenomenon.pk]), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["phenomena"] == [phenomenon.pk] and response.json()["programme_type"] == "programme"
    assert_error(client.post(f"{API}programmes/", payload(nsp), format="json"), 400)  # the code is taken
    foreign = SecurityPhenomenonFactory()
    body = assert_error(client.post(f"{API}programmes/", payload(nsp, code="x", phenomena=[foreign.pk])), 400)
    assert "phenomena" in body["extra"]["fields"]


def test_manager_changes_own_programme_only(programme):
    other = ProgrammeFactory()
    manager = client_for(user_with_role("programme_manager", programme=programme))
    assert manager.patch(f"{API}programmes/{programme.pk}/", {"description": "Fewer deaths"}).status_code == 200
    assert_error(manager.patch(f"{API}programmes/{other.pk}/", {"description": "x"}), 403)
    assert_error(manager.delete(f"{API}programmes/{programme.pk}/"), 403)
    assert_error(manager.post(f"{API}programmes/", payload(programme.nsp), format="json"), 403)
    assert_error(manager.patch(f"{API}programmes/{programme.pk}/", {"nsp": NationalSecurityPlanFactory().pk}), 400)
    programme.refresh_from_db()
    assert programme.description == "Fewer deaths"


def test_every_role_reads_programmes_with_progress(programme):
    indicator = IndicatorFactory(
        objective=ObjectiveFactory(plan=programme),
        baseline_date=dt.date(2016, 1, 1),
        target_date=dt.date(2019, 12, 31),
    )
    MeasurementFactory(indicator=indicator, period="2017-Q4", value=90)
    client = client_for(user_with_role("committee_member"))
    body = client.get(f"{API}programmes/{programme.pk}/").json()
    assert body["progress"] == 0.5 and body["progress_status"] in {"on_track", "at_risk", "off_track"}
    assert client.get(f"{API}programmes/", {"search": "road"}).json()["count"] == 1
    assert client.get(f"{API}programmes/", {"programme_type": "improvement_project"}).json()["count"] == 0


def test_delete_by_federal_planner(programme):
    assert client_for(user_with_role("federal_planner")).delete(f"{API}programmes/{programme.pk}/").status_code == 204
    assert not Programme.objects.exists()


def test_manager_records_programme_measurements(programme):
    indicator = IndicatorFactory(objective=ObjectiveFactory(plan=programme))
    manager = client_for(user_with_role("programme_manager", programme=programme))
    response = manager.post(
        f"{API}measurements/", {"indicator": indicator.pk, "period": "2018-Q1", "value": "3"}, format="json"
    )
    assert response.status_code == 201
    other_manager = client_for(user_with_role("programme_manager", programme=ProgrammeFactory()))
    refused = other_manager.post(f"{API}measurements/", {"indicator": indicator.pk, "period": "2018-Q2", "value": "3"})
    assert_error(refused, 403)
