"""Values that make sense: an indicator's kind of value (count, percentage, rate, other number) and its own
optional bounds decide what a measurement may be, through one rule (``nsp.models.value_problem``) in every
channel: the measurement form, the upload, the API and the quarter grid (``measurements_upsert``)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from nsp import bulk, services
from nsp.api.testing import API, assert_error, client_for
from nsp.exceptions import DomainError
from nsp.models import Indicator, Measurement, Scale, value_problem, value_rule_text
from tests.factories import IndicatorFactory, ObjectiveFactory, ZonalSecurityPlanFactory, user_with_role

D = Decimal


@pytest.mark.parametrize(
    ("scale", "value", "fragment"),
    [
        (Scale.COUNT, "-5", "cannot be negative"),
        (Scale.COUNT, "2.5", "whole number"),
        (Scale.PERCENTAGE, "100.5", "between 0 and 100"),
        (Scale.PERCENTAGE, "-1", "between 0 and 100"),
        (Scale.RATE, "-0.1", "cannot be negative"),
    ],
)
def test_a_value_outside_its_scale_is_refused_in_words(scale, value, fragment):
    assert fragment in value_problem(D(value), scale=scale)


@pytest.mark.parametrize(
    ("scale", "value"),
    [
        (Scale.COUNT, "0"),
        (Scale.COUNT, "12.0000"),
        (Scale.PERCENTAGE, "0"),
        (Scale.PERCENTAGE, "100"),
        (Scale.PERCENTAGE, "57.25"),
        (Scale.RATE, "3.75"),
        (Scale.NUMBER, "-5"),
    ],
)
def test_a_value_inside_its_scale_is_accepted(scale, value):
    assert value_problem(D(value), scale=scale) == ""


def test_the_indicators_own_bounds_narrow_the_scale():
    assert "lowest value this indicator accepts is 10" in value_problem(D(9), scale=Scale.COUNT, minimum=D(10))
    assert "highest value this indicator accepts is 250" in value_problem(D(251), scale=Scale.RATE, maximum=D(250))
    assert value_problem(D(50), scale=Scale.PERCENTAGE, minimum=D(10), maximum=D(120)) == ""
    # A bound wider than the scale does not widen it.
    assert "between 0 and 100" in value_problem(D(110), scale=Scale.PERCENTAGE, maximum=D(120))
    assert value_rule_text(scale=Scale.COUNT) == "A whole number, 0 or more"
    assert value_rule_text(scale=Scale.PERCENTAGE, minimum=D(20)) == "A number from 20 to 100"
    assert value_rule_text(scale=Scale.NUMBER) == "A number"


# --- the channels ---------------------------------------------------------------------------------------


@pytest.fixture
def plan():
    return ZonalSecurityPlanFactory(
        status="approved", approved_on=dt.date(2020, 6, 1), council_adopted_on=dt.date(2020, 3, 1)
    )


@pytest.fixture
def planner(plan):
    return user_with_role("zone_planner", zone=plan.zone)


@pytest.fixture
def investigations(plan):
    return IndicatorFactory(
        objective=ObjectiveFactory(plan=plan),
        name="Drug-dealing investigations opened",
        unit="investigations",
        scale=Scale.COUNT,
        baseline_value=D(40),
        target_value=D(60),
        direction=Indicator.Direction.INCREASE,
    )


@pytest.fixture
def share(plan):
    return IndicatorFactory(
        objective=ObjectiveFactory(plan=plan),
        name="Residents who feel safe",
        unit="%",
        scale=Scale.PERCENTAGE,
        baseline_value=D(60),
        target_value=D(70),
        direction=Indicator.Direction.INCREASE,
    )


@pytest.mark.django_db
def test_service_refuses_a_negative_count_on_the_value_field(planner, investigations):
    with pytest.raises(DomainError) as refused:
        services.measurement_record(actor=planner, indicator=investigations, period="2021-Q2", value=D(-5))
    assert refused.value.extra["fields"]["value"] == ["A count cannot be negative."]
    measurement = services.measurement_record(actor=planner, indicator=investigations, period="2021-Q2", value=D(45))
    with pytest.raises(DomainError) as refused:
        services.measurement_update(actor=planner, measurement=measurement, value=D("45.5"))
    assert "whole number" in refused.value.extra["fields"]["value"][0]
    assert Measurement.objects.get().value == D(45)


@pytest.mark.django_db
def test_measurement_form_shows_the_rule_and_refuses_beside_the_value(client, planner, investigations):
    client.force_login(planner)
    add = reverse("nsp:measurement-add", kwargs={"pk": investigations.pk})
    page = client.get(reverse("nsp:indicator", kwargs={"pk": investigations.pk})).content.decode()
    assert "A whole number, 0 or more" in page
    response = client.post(add, {"period": "2021-Q2", "value": "-5"})
    html = response.content.decode()
    assert response.status_code == 200 and "A count cannot be negative." in html
    assert 'aria-invalid="true"' in html and not Measurement.objects.exists()
    assert client.post(add, {"period": "2021-Q2", "value": "5"}).status_code == 302


@pytest.mark.django_db
def test_upload_lists_every_value_out_of_range_and_writes_nothing(planner, investigations, share):
    text = (
        "indicator,period,value,note\n"
        f"{investigations.pk},2021-Q2,-5,\n"
        f"{share.pk},2021-Q2,140,\n"
        f"{investigations.pk},2021-Q3,7,\n"
    )
    with pytest.raises(DomainError) as refused:
        bulk.measurements_import(
            actor=planner, plan=investigations.plan, file=io.BytesIO(text.encode()), filename="q.csv"
        )
    problems = refused.value.extra["problems"]
    assert [(p["row"], p["field"]) for p in problems] == [(2, "value"), (3, "value")]
    assert "cannot be negative" in problems[0]["message"] and "between 0 and 100" in problems[1]["message"]
    assert not Measurement.objects.exists()


@pytest.mark.django_db
def test_upsert_refuses_a_value_above_the_indicators_own_maximum(planner, share):
    share.maximum_value = D(90)
    share.save()
    with pytest.raises(DomainError) as refused:
        services.measurements_upsert(plan=share.plan, rows=[(share, "2021-Q2", D(95), "")], actor=planner)
    assert "highest value this indicator accepts is 90" in refused.value.extra["problems"][0]["message"]
    result = services.measurements_upsert(plan=share.plan, rows=[(share, "2021-Q2", D(85), "")], actor=planner)
    assert result.created == 1


@pytest.mark.django_db
def test_api_refuses_values_that_make_no_sense_with_a_field_error(planner, investigations, share):
    client = client_for(planner)
    bad = client.post(f"{API}measurements/", {"indicator": investigations.pk, "period": "2021-Q2", "value": "-5"})
    assert_error(bad, 400, field="value")
    assert "A count cannot be negative." in str(bad.json())
    bad = client.post(f"{API}measurements/", {"indicator": share.pk, "period": "2021-Q2", "value": "101"})
    assert_error(bad, 400, field="value")
    good = client.post(f"{API}measurements/", {"indicator": share.pk, "period": "2021-Q2", "value": "64.5"})
    assert good.status_code == 201, good.json()
    patched = client.patch(f"{API}measurements/{good.json()['id']}/", {"value": "-2"})
    assert_error(patched, 400, field="value")
    assert Measurement.objects.get().value == D("64.5")


@pytest.mark.django_db
def test_indicator_baseline_target_and_bounds_follow_the_same_rule():
    plan = ZonalSecurityPlanFactory()
    chief = user_with_role("zone_chief", zone=plan.zone)
    objective = ObjectiveFactory(plan=plan)
    fields = {
        "name": "Share solved",
        "unit": "%",
        "scale": Scale.PERCENTAGE,
        "baseline_value": D(60),
        "baseline_date": dt.date(2020, 1, 1),
        "target_value": D(120),
        "target_date": dt.date(2025, 12, 31),
        "direction": "increase",
    }
    with pytest.raises(DomainError) as refused:
        services.indicator_create(actor=chief, objective=objective, **fields)
    assert "between 0 and 100" in refused.value.extra["fields"].get("target_value", [""])[0], refused.value.extra
    with pytest.raises(DomainError) as refused:
        services.indicator_create(
            actor=chief,
            objective=objective,
            **{**fields, "target_value": D(80)},
            minimum_value=D(50),
            maximum_value=D(40),
        )
    assert "cannot exceed" in refused.value.extra["fields"]["maximum_value"][0]
    indicator = services.indicator_create(actor=chief, objective=objective, **{**fields, "target_value": D(80)})
    assert indicator.scale == Scale.PERCENTAGE
    response = client_for(chief).get(f"{API}indicators/{indicator.pk}/")
    assert response.json()["scale"] == "percentage" and response.json()["maximum_value"] is None


@pytest.mark.django_db
def test_a_new_kind_of_value_must_accept_what_is_recorded(planner, investigations):
    services.measurement_record(actor=planner, indicator=investigations, period="2021-Q2", value=D(140))
    plan = investigations.plan
    plan.status = "draft"
    plan.save()
    chief = user_with_role("zone_chief", zone=plan.zone)
    with pytest.raises(DomainError) as refused:
        services.indicator_update(actor=chief, indicator=investigations, scale=Scale.PERCENTAGE, target_value=D(60))
    assert "2021-Q2 is recorded as 140" in refused.value.message
    investigations.refresh_from_db()
    assert investigations.scale == Scale.COUNT
