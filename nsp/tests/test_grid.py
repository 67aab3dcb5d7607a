"""The quarter grid (nsp.grid, nsp.views.MeasurementGridView): a quarter of a plan in one form, grouped by
objective, saved all or nothing through ``measurements_upsert``, each refused cell with its message beside it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nsp import grid as grids
from nsp import periods
from nsp.models import Indicator, Measurement, Scale
from tests.factories import (
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
D = Decimal
Q = "2021-Q2"
PINNED = 12  # the grid page's queries (see the last test)


@pytest.fixture
def plan():
    return ZonalSecurityPlanFactory(
        status="approved", approved_on=dt.date(2020, 6, 1), council_adopted_on=dt.date(2020, 3, 1)
    )


@pytest.fixture
def planner(plan):
    return user_with_role("zone_planner", zone=plan.zone)


@pytest.fixture
def world(plan):
    road = ObjectiveFactory(plan=plan, code="S1", title="Safer roads", position=1)
    speed = ObjectiveFactory(plan=plan, code="T1.1", title="Fewer speeding drivers", parent=road, level="tactical")
    burglary = ObjectiveFactory(plan=plan, code="S2", title="Fewer burglaries", position=2)
    accidents = IndicatorFactory(objective=road, name="Injury accidents", unit="accidents", scale=Scale.COUNT)
    checks = IndicatorFactory(
        objective=speed,
        name="Speed checks",
        unit="checks",
        scale=Scale.COUNT,
        direction=Indicator.Direction.INCREASE,
        baseline_value=D(40),
        target_value=D(100),
    )
    survey = IndicatorFactory(
        objective=burglary,
        name="Residents feeling safe",
        unit="%",
        scale=Scale.PERCENTAGE,
        frequency="yearly",
        baseline_value=D(60),
        target_value=D(70),
        direction=Indicator.Direction.INCREASE,
    )
    MeasurementFactory(indicator=accidents, period="2021-Q1", value=D(96))
    return {"accidents": accidents, "checks": checks, "survey": survey}


def url(plan, period=Q) -> str:
    return reverse("nsp:measurement-grid", kwargs={"pk": plan.pk}) + (f"?period={period}" if period else "")


def key(indicator, period=Q) -> str:
    return f"{indicator.pk}-{period}"


def test_every_indicator_of_the_quarter_grouped_by_objective(client, planner, plan, world):
    client.force_login(planner)
    response = client.get(url(plan))
    html = response.content.decode()
    assert response.status_code == 200
    # In the order of the tree: S1, its sub-objective T1.1, then S2.
    assert html.index("Safer roads") < html.index("Fewer speeding drivers") < html.index("Fewer burglaries")
    assert f'name="value-{key(world["accidents"])}"' in html and f'name="note-{key(world["checks"])}"' in html
    # A yearly indicator is not due in the second quarter: said so, with its next period.
    assert f"value-{world['survey'].pk}-" not in html
    assert "Not due this quarter." in html and "next due for 2021." in html
    # Recent values as a sparkline with its values in words; baseline, target and the expected value.
    assert "Recent values of Injury accidents: 2021-Q1 96" in html and 'class="sparkline"' in html
    row = html[html.index(f'id="row-{world["accidents"].pk}"') :]
    assert "A whole number, 0 or more" in row[:2000]
    expected = grids.expected_value(world["accidents"], periods.parse(Q).end)
    assert D("80") < expected < D("100")


def test_a_yearly_indicator_is_due_in_the_fourth_quarter(client, planner, plan, world):
    client.force_login(planner)
    html = client.get(url(plan, "2021-Q4")).content.decode()
    assert f'name="value-{key(world["survey"], "2021")}"' in html


def test_one_bad_cell_refuses_the_whole_quarter_with_the_message_beside_it(client, planner, plan, world):
    client.force_login(planner)
    data = {
        "period": Q,
        f"value-{key(world['accidents'])}": "90",
        f"note-{key(world['accidents'])}": "School campaign",
        f"value-{key(world['checks'])}": "-5",
    }
    response = client.post(url(plan, None), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Measurement.objects.filter(period=Q).exists()  # all or nothing
    bad = key(world["checks"])
    assert re.search(rf'id="value-{bad}"[^>]*aria-describedby="err-{bad} rule-', html.replace("\n", " "))
    assert f'<p class="field-error" id="err-{bad}">A count cannot be negative.</p>' in html
    assert "1 value needs attention; nothing was saved." in html
    # What was typed stays in the cells.
    assert 'value="90"' in html and 'value="School campaign"' in html and 'value="-5"' in html


def test_not_a_number_and_a_rule_are_both_shown_at_once(client, planner, plan, world):
    client.force_login(planner)
    data = {"period": Q, f"value-{key(world['accidents'])}": "ninety", f"value-{key(world['checks'])}": "4.5"}
    html = client.post(url(plan, None), data).content.decode()
    assert "Give a number, such as 12 or 12,5." in html and "A count is a whole number: 4,5 has decimals." not in html
    assert "A count is a whole number" in html and "2 values need attention" in html


def test_a_fixed_quarter_is_saved_in_one_go_and_the_statuses_move(client, planner, plan, world):
    client.force_login(planner)
    before = client.get(url(plan)).content.decode()
    assert before.count("No data") >= 1
    data = {
        "period": Q,
        f"value-{key(world['accidents'])}": "95",  # an update of nothing: 2021-Q2 is new
        f"value-{key(world['checks'])}": "1 00",
        f"note-{key(world['checks'])}": "Two radar vans",
    }
    response = client.post(url(plan, None), data)
    assert response.status_code == 302 and response["Location"].endswith(f"?period={Q}")
    checks = Measurement.objects.get(indicator=world["checks"], period=Q)
    assert (checks.value, checks.note, checks.recorded_by) == (D(100), "Two radar vans", planner)
    assert checks.history.first().history_change_reason == "Recorded in the quarter grid"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "2 measurements recorded" in html
    # Speed checks reached their target: achieved, where there was no data before.
    row = html[html.index(f'id="row-{world["checks"].pk}"') :]
    assert "Achieved" in row[:3000]
    # Saving the same again writes nothing: no new history.
    history = checks.history.count()
    assert client.post(url(plan, None), {**data, f"value-{key(world['checks'])}": "100"}).status_code == 302
    assert checks.history.count() == history and Measurement.objects.count() == 3
    # A correction says so, not "0 measurements recorded".
    client.post(url(plan, None), {**data, f"value-{key(world['checks'])}": "99"})
    assert "1 measurement updated, 1 already up to date." in client.get(url(plan)).content.decode()


def test_an_empty_cell_keeps_what_is_recorded_and_a_note_needs_a_value(client, planner, plan, world):
    client.force_login(planner)
    MeasurementFactory(indicator=world["checks"], period=Q, value=D(50))
    html = client.post(url(plan, None), {"period": Q, f"note-{key(world['accidents'])}": "why"}).content.decode()
    assert "Give a value with the note, or clear the note." in html
    response = client.post(url(plan, None), {"period": Q, f"value-{key(world['checks'])}": ""})
    assert response.status_code == 302
    assert Measurement.objects.get(indicator=world["checks"], period=Q).value == D(50)


@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [
        ("own_planner", "approved", 200),
        ("own_planner", "draft", 403),
        ("other_chief", "approved", 403),
        ("cppl_member", "approved", 403),
        ("other_chief", "draft", 404),
    ],
)
def test_who_may_open_the_grid(client, who, status, expected):
    plan = ZonalSecurityPlanFactory(
        status=status,
        **(
            {"approved_on": dt.date(2020, 6, 1), "council_adopted_on": dt.date(2020, 3, 1)}
            if status == "approved"
            else {}
        ),
    )
    IndicatorFactory(objective=ObjectiveFactory(plan=plan))
    user = {
        "own_planner": lambda: user_with_role("zone_planner", zone=plan.zone),
        "other_chief": lambda: user_with_role("zone_chief", zone=ZonalSecurityPlanFactory().zone),
        "cppl_member": lambda: user_with_role("cppl_member"),
    }[who]()
    client.force_login(user)
    assert client.get(url(plan)).status_code == expected
    assert client.post(url(plan, None), {"period": Q}).status_code in {expected, 302}
    assert not Measurement.objects.exists()


def test_the_picker_goes_to_the_chosen_plan_and_quarter(client, planner, plan, world):
    client.force_login(planner)
    response = client.get(reverse("nsp:measurement-grid-pick"), {"plan": plan.pk, "period": "2021-Q3"})
    assert response.status_code == 302 and response["Location"] == url(plan, "2021-Q3")
    listing = client.get(reverse("nsp:measurement-grid-pick")).content.decode()
    assert url(plan, None) in listing
    assert f'href="{url(plan, None)}"' in client.get(plan.get_absolute_url()).content.decode()


def test_an_unknown_quarter_opens_the_last_one_of_the_plan(client, planner, plan, world):
    client.force_login(planner)
    html = client.get(url(plan, "1999-Q1")).content.decode()
    # The plan (2020-2025) has ended: its last quarter.
    assert 'name="period" value="2025-Q4"' in html


def test_the_query_count_does_not_grow_with_the_plan(client, planner, plan, world):
    """Pinned: session and user, the plan (restrict), the plans to pick from, objectives, indicators, measurements."""
    client.force_login(planner)
    client.get(url(plan))  # warm caches (content types, permission groups)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(plan)).status_code == 200
        return len(queries)

    small = count()
    objective = ObjectiveFactory(plan=plan, code="S9", title="Many more")
    for n in range(14):
        indicator = IndicatorFactory(objective=objective, name=f"Extra {n}")
        MeasurementFactory(indicator=indicator, period="2021-Q1")
    assert count() == small
    assert small == PINNED, small


def test_a_programme_manager_records_a_quarter_of_the_programme(client):
    from tests.factories import ProgrammeFactory

    programme = ProgrammeFactory()  # approved, 2016-2019
    manager = user_with_role("programme_manager", programme=programme)
    indicator = IndicatorFactory(
        objective=ObjectiveFactory(plan=programme, code="P1"),
        name="Joint control actions",
        scale=Scale.COUNT,
        baseline_date=dt.date(2016, 1, 1),
        target_date=dt.date(2019, 12, 31),
    )
    client.force_login(manager)
    assert f'href="{url(programme, None)}"' in client.get(programme.get_absolute_url()).content.decode()
    page = url(programme, "2017-Q3")
    assert f'name="value-{indicator.pk}-2017-Q3"' in client.get(page).content.decode()
    bad = client.post(url(programme, None), {"period": "2017-Q3", f"value-{indicator.pk}-2017-Q3": "-1"})
    assert "A count cannot be negative." in bad.content.decode() and not Measurement.objects.exists()
    response = client.post(url(programme, None), {"period": "2017-Q3", f"value-{indicator.pk}-2017-Q3": "7"})
    assert response.status_code == 302
    assert Measurement.objects.get(indicator=indicator, period="2017-Q3").value == D(7)
    # Another programme's manager may read it, not record on it.
    other = user_with_role("programme_manager", programme=ProgrammeFactory())
    client.force_login(other)
    assert client.get(page).status_code == 403


def test_the_regional_plan_is_recorded_by_those_who_keep_it(client):
    from tests.factories import RegionalSecurityPlanFactory

    plan = RegionalSecurityPlanFactory()  # approved, 2021-2024
    indicator = IndicatorFactory(
        objective=ObjectiveFactory(plan=plan, code="R1"),
        baseline_date=dt.date(2021, 1, 1),
        target_date=dt.date(2024, 12, 31),
    )
    federal = user_with_role("federal_planner")
    client.force_login(federal)
    assert f'href="{url(plan, None)}"' in client.get(plan.get_absolute_url()).content.decode()
    response = client.post(url(plan, None), {"period": "2022-Q1", f"value-{indicator.pk}-2022-Q1": "88"})
    assert response.status_code == 302
    assert Measurement.objects.get(indicator=indicator).period == "2022-Q1"
    client.force_login(user_with_role("zone_chief", zone=ZonalSecurityPlanFactory().zone))
    assert client.get(url(plan, "2022-Q1")).status_code == 403
