"""The confirmation before a delete says how much goes with it (issue 13, L5): one selector counts the subtree."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nsp.selectors import count_phrase, deletion_counts
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    ZonalSecurityPlanFactory,
    sign_in,
)

pytestmark = pytest.mark.django_db

QUARTERS = [f"{year}-Q{quarter}" for year in range(2013, 2019) for quarter in range(1, 5)]  # 24


def objective_tree(measurements_per_indicator: int = 24):
    """The objective of the issue: 5 objectives, 3 indicators, 72 measurements, 2 actions under one root."""
    plan = ZonalSecurityPlanFactory()
    root = ObjectiveFactory(plan=plan, code="S1")
    tactical = [ObjectiveFactory(plan=plan, parent=root, level="tactical", code=f"T1.{n}") for n in (1, 2)]
    operational = [
        ObjectiveFactory(plan=plan, parent=tactical[0], level="operational", code=f"O1.1.{n}") for n in (1, 2)
    ]
    indicators = [IndicatorFactory(objective=objective) for objective in (root, tactical[1], operational[0])]
    for indicator in indicators:
        for period in QUARTERS[:measurements_per_indicator]:
            MeasurementFactory(indicator=indicator, period=period, value=Decimal("3.5"))
    ActionFactory(objective=root)
    ActionFactory(objective=operational[1])
    ObjectiveFactory(plan=plan, code="S2")  # a sibling: not part of the subtree
    return plan, root


def test_the_delete_page_says_how_much_goes_with_it(client):
    plan, root = objective_tree()
    sign_in(client, "zone_planner", zone=plan.zone)
    response = client.get(reverse("nsp:objective-delete", kwargs={"pk": root.pk}))
    assert response.status_code == 200
    assert "5 objectives, 3 indicators, 72 measurements, 2 actions" in response.content.decode()


def test_one_of_a_kind_is_named_in_the_singular():
    _, root = objective_tree()
    indicator = root.indicators.get()
    measurement = indicator.measurements.first()
    assert count_phrase(deletion_counts(measurement)) == "1 measurement"
    assert count_phrase(deletion_counts(indicator)) == "1 indicator, 24 measurements"


def test_counting_asks_once_per_kind_whatever_the_size():
    _, small = objective_tree(measurements_per_indicator=1)
    with CaptureQueriesContext(connection) as few:
        deletion_counts(small)
    _, large = objective_tree(measurements_per_indicator=24)
    with CaptureQueriesContext(connection) as many:
        deletion_counts(large)
    assert len(many) == len(few)
