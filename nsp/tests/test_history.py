"""History in people's words: numbers in the reader's format, names instead of ids, labels instead of codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from nsp import services
from nsp.history import history_entries, number_text
from nsp.models import Indicator, Measurement, Objective
from tests.factories import IndicatorFactory, MeasurementFactory, ObjectiveFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "language", "text"),
    [
        (Decimal("-5.0000"), "en", "-5"),
        (Decimal("57.0000"), "en", "57"),
        (Decimal("12.5000"), "en", "12.5"),
        (Decimal("12.5000"), "fr", "12,5"),
        (Decimal("12.5000"), "nl", "12,5"),
        (Decimal("1E+2"), "en", "100"),
        (0.25, "de", "0,25"),
        (7, "en", "7"),
    ],
)
def test_numbers_read_as_the_reader_writes_them(value, language, text):
    with translation.override(language):
        assert number_text(value) == text


def changes_of(queryset):
    return {c.field: (c.old, c.new) for entry in history_entries(queryset) for c in entry.changes}


def test_a_changed_value_reads_without_trailing_zeros():
    measurement = MeasurementFactory(
        value=Decimal("-5"),
        indicator__objective__plan__status="approved",
        indicator__objective__plan__approved_on=dt.date(2020, 3, 1),
    )
    chief = user_with_role("zone_chief", zone=measurement.plan.zone)
    services.measurement_update(actor=chief, measurement=measurement, value=Decimal("57"))
    with translation.override("en"):
        assert changes_of(Measurement.history.filter(id=measurement.pk))["value"] == ("-5", "57")


def test_a_row_pointed_at_is_named_and_a_choice_reads_as_its_label():
    indicator = IndicatorFactory(direction=Indicator.Direction.DECREASE)
    chief = user_with_role("zone_chief", zone=indicator.plan.zone)
    other = ObjectiveFactory(plan=indicator.plan, code="S9", title="Safer roads")
    services.indicator_update(actor=chief, indicator=indicator, objective=other, frequency="yearly")
    with translation.override("en"):
        changes = changes_of(Indicator.history.filter(id=indicator.pk))
    assert changes["objective"] == (str(indicator.objective), "S9 Safer roads")
    assert changes["frequency"] == ("Quarterly", "Yearly")
    assert not any(text.startswith("#") for pair in changes.values() for text in pair)


def test_a_row_that_no_longer_exists_says_so():
    indicator = IndicatorFactory()
    chief = user_with_role("zone_chief", zone=indicator.plan.zone)
    first, second = indicator.objective, ObjectiveFactory(plan=indicator.plan, code="S8")
    services.indicator_update(actor=chief, indicator=indicator, objective=second)
    first_pk = first.pk
    Objective.objects.filter(pk=first_pk).delete()  # its versions stay in the history; the row goes
    old, new = changes_of(Indicator.history.filter(id=indicator.pk))["objective"]
    assert old == f"#{first_pk} (deleted)"
    assert new == str(second)


@pytest.mark.parametrize("versions", [2, 10])
def test_names_cost_one_query_per_model_whatever_the_number_of_changes(versions):
    indicator = IndicatorFactory()
    chief = user_with_role("zone_chief", zone=indicator.plan.zone)
    objectives = [ObjectiveFactory(plan=indicator.plan, code=f"S{n}") for n in range(versions)]
    for objective in objectives:
        services.indicator_update(actor=chief, indicator=indicator, objective=objective)
    with CaptureQueriesContext(connection) as queries:
        entries = history_entries(Indicator.history.filter(id=indicator.pk))
    # the versions, the people who made the changes shown, the objectives' names
    assert len(queries) == 3, [q["sql"] for q in queries]
    moved = [c for entry in entries for c in entry.changes if c.field == "objective"]
    assert len(moved) == versions
    assert moved[0].new == str(objectives[-1])


def test_only_the_entries_shown_are_put_into_words():
    """Versions beyond ``limit`` are read (to compare with) but neither labelled nor compared: the entries are
    the latest ``limit`` of all querysets together, latest first, each with who made it."""
    indicator = IndicatorFactory()
    chief = user_with_role("zone_chief", zone=indicator.plan.zone)
    objectives = [ObjectiveFactory(plan=indicator.plan, code=f"S{n}") for n in range(4)]
    for objective in objectives:
        services.indicator_update(actor=chief, indicator=indicator, objective=objective)
    entries = history_entries(Indicator.history.filter(id=indicator.pk), Objective.history.all(), limit=3)
    assert len(entries) == 3
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    assert entries[0].item.startswith(str(Indicator._meta.verbose_name).capitalize())
    assert entries[0].who == chief
    assert [c.new for c in entries[0].changes if c.field == "objective"] == [str(objectives[-1])]
