"""Plan export/import and bulk measurements through the API."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from nsp.api.testing import API, assert_error, client_for
from nsp.models import Measurement
from tests.factories import (
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PoliceZoneFactory,
    ProgrammeFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)
from zones.models import ZonalSecurityPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = ZonalSecurityPlanFactory(
        status="approved", approved_on=dt.date(2020, 6, 1), council_adopted_on=dt.date(2020, 3, 1)
    )
    indicator = IndicatorFactory(objective=ObjectiveFactory(plan=plan, code="S1"), name="Burglaries")
    MeasurementFactory(indicator=indicator, period="2024-Q1", value=Decimal("90"))
    return plan


@pytest.fixture
def chief(plan):
    return user_with_role("zone_chief", zone=plan.zone)


def upload(client, plan, content: bytes, name: str, resource: str = "zonal-plans"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(f"{API}{resource}/{plan.pk}/measurements/import/", {"file": file}, format="multipart")


# --- export / import ------------------------------------------------------------------------------


def test_export_answers_the_document_as_an_attachment(plan, chief):
    response = client_for(chief).get(f"{API}zonal-plans/{plan.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="zonal-plan-')
    document = response.json()
    assert document["plan"]["id"] == plan.pk and document["indicators"][0]["measurements"][0]["value"] == "90.0000"


def test_export_of_an_unreadable_plan_is_a_404(plan):
    draft = ZonalSecurityPlanFactory()
    assert_error(client_for(user_with_role("committee_member")).get(f"{API}zonal-plans/{draft.pk}/export/"), 404)


def test_import_drafts_a_new_plan(plan, chief):
    client = client_for(chief)
    document = client.get(f"{API}zonal-plans/{plan.pk}/export/").json()
    payload = {"document": document, "zone": plan.zone.pk, "period_start": "2026-01-01", "period_end": "2031-12-31"}
    response = client.post(f"{API}zonal-plans/import/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["plan"]["status"] == "draft" and body["plan"]["period_start"] == "2026-01-01"
    assert response["ETag"]
    new_plan = ZonalSecurityPlan.objects.get(pk=body["plan"]["id"])
    assert new_plan.indicators.get().baseline_value == Decimal("90")


def test_import_refusals(plan, chief):
    client = client_for(chief)
    document = client.get(f"{API}zonal-plans/{plan.pk}/export/").json()
    payload = {"document": document, "zone": plan.zone.pk, "period_start": "2026-01-01", "period_end": "2031-12-31"}
    assert_error(client.post(f"{API}zonal-plans/import/", {**payload, "document": {"x": 1}}, format="json"), 400)
    assert_error(client.post(f"{API}zonal-plans/import/", {**payload, "document": "x"}, format="json"), 400)
    assert_error(
        client.post(f"{API}zonal-plans/import/", {**payload, "zone": 999999}, format="json"), 400, field="zone"
    )
    other_zone = {**payload, "zone": PoliceZoneFactory().pk}
    assert_error(client.post(f"{API}zonal-plans/import/", other_zone, format="json"), 403)
    planner = user_with_role("zone_planner", zone=plan.zone)
    assert_error(client_for(planner).post(f"{API}zonal-plans/import/", payload, format="json"), 403)
    assert ZonalSecurityPlan.objects.count() == 1


# --- bulk measurements ----------------------------------------------------------------------------


def test_csv_upload(plan, chief):
    indicator = plan.indicators.get()
    content = f"indicator,period,value,note\n{indicator.pk},2024-Q2,85,\nBurglaries,2024-Q1,89,Corrected\n".encode()
    response = upload(client_for(chief), plan, content, "q2.csv")
    assert response.status_code == 200, response.json()
    assert response.json() == {"rows": 2, "created": 1, "updated": 1, "unchanged": 0}
    assert Measurement.objects.get(period="2024-Q1").note == "Corrected"


def test_xlsx_upload(plan, chief):
    workbook = Workbook()
    workbook.active.append(["indicator", "period", "value"])
    workbook.active.append(["Burglaries", "2024-Q2", 84])
    data = io.BytesIO()
    workbook.save(data)
    response = upload(client_for(chief), plan, data.getvalue(), "q2.xlsx")
    assert response.status_code == 200 and response.json()["created"] == 1


def test_bad_rows_answer_400_with_row_numbers(plan, chief):
    content = b"indicator,period,value\nBurglaries,2024-Q2,84\nNope,2024-Q2,1\nBurglaries,2024-Q3,x\n"
    body = assert_error(upload(client_for(chief), plan, content, "bad.csv"), 400)
    assert [(p["where"], p["field"]) for p in body["extra"]["problems"]] == [("row 3", "indicator"), ("row 4", "value")]
    assert body["extra"]["code"] == "invalid_rows"
    assert Measurement.objects.count() == 1


def test_upload_needs_a_file_and_the_right_to_record(plan, chief):
    client = client_for(chief)
    assert_error(
        client.post(f"{API}zonal-plans/{plan.pk}/measurements/import/", {}, format="multipart"), 400, field="file"
    )
    cppl = client_for(user_with_role("cppl_member"))
    assert_error(upload(cppl, plan, b"indicator,period,value\n", "m.csv"), 403)
    draft = ZonalSecurityPlanFactory()
    assert_error(upload(client, draft, b"indicator,period,value\n", "m.csv"), 404)


def test_programmes_take_bulk_measurements_too():
    programme = ProgrammeFactory()
    indicator = IndicatorFactory(objective=ObjectiveFactory(plan=programme), name="Seizures")
    manager = user_with_role("programme_manager", programme=programme)
    content = f"indicator,period,value\n{indicator.pk},2019-Q1,12\n".encode()
    response = upload(client_for(manager), programme, content, "m.csv", resource="programmes")
    assert response.status_code == 200 and response.json()["created"] == 1
