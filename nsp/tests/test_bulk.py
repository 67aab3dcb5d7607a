"""Bulk measurements (nsp.bulk): the whole file checked, then written all at once or not at all."""

import dataclasses
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from openpyxl import Workbook

from nsp import bulk, services
from nsp.exceptions import DomainError
from nsp.models import Measurement
from tests.factories import (
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PoliceZoneFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return ZonalSecurityPlanFactory(
        status="approved",
        approved_on=dt.date(2020, 6, 1),
        council_adopted_on=dt.date(2020, 3, 1),
    )


@pytest.fixture
def planner(plan):
    return user_with_role("zone_planner", zone=plan.zone)


@pytest.fixture
def indicators(plan):
    objective = ObjectiveFactory(plan=plan)
    burglaries = IndicatorFactory(objective=objective, name="Burglaries", frequency="quarterly")
    survey = IndicatorFactory(objective=objective, name="Feeling of safety", frequency="yearly")
    return burglaries, survey


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())


def xlsx_file(rows: list[list]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    return data


def run(actor, plan, data, filename="measurements.csv"):
    return bulk.measurements_import(actor=actor, plan=plan, file=data, filename=filename)


def test_good_csv_by_id_and_name(plan, planner, indicators):
    burglaries, survey = indicators
    data = csv_file(
        "indicator,period,value,note\n"
        f"{burglaries.pk},2021-Q1,98,\n"
        "burglaries ,2021-q2,96.5,After the campaign\n"
        "Feeling of safety,2021,61,\n"
    )
    result = run(planner, plan, data)
    assert result == bulk.ImportResult(rows=3, created=3, updated=0, unchanged=0)
    recorded = {(m.indicator_id, m.period): m for m in Measurement.objects.all()}
    assert recorded[(burglaries.pk, "2021-Q2")].value == Decimal("96.5")
    assert recorded[(burglaries.pk, "2021-Q2")].note == "After the campaign"
    assert recorded[(survey.pk, "2021")].recorded_by == planner
    assert recorded[(burglaries.pk, "2021-Q1")].history.first().history_user == planner


def test_same_file_twice_changes_nothing_and_a_new_value_updates(plan, planner, indicators):
    burglaries, _survey = indicators
    text = f"indicator,period,value\n{burglaries.pk},2021-Q1,98\n"
    run(planner, plan, csv_file(text))
    assert run(planner, plan, csv_file(text)) == bulk.ImportResult(rows=1, created=0, updated=0, unchanged=1)
    assert Measurement.objects.get().history.count() == 1
    changed = run(planner, plan, csv_file(f"indicator,period,value\n{burglaries.pk},2021-Q1,97\n"))
    assert changed.updated == 1 and Measurement.objects.get().value == Decimal("97")


def test_semicolon_csv_with_decimal_commas_and_a_byte_order_mark(plan, planner, indicators):
    _burglaries, _survey = indicators
    text = "\ufeffIndicator;Period;Value;Note\nBurglaries;2021-Q3;1 234,5;été\n"
    result = run(planner, plan, io.BytesIO(text.encode("utf-8")))
    assert result.created == 1
    measurement = Measurement.objects.get()
    assert measurement.value == Decimal("1234.5") and measurement.note == "été"


def test_xlsx_with_numbers_and_dates_as_the_spreadsheet_stores_them(plan, planner, indicators):
    burglaries, survey = indicators
    monthly = IndicatorFactory(objective=burglaries.objective, name="Patrols", frequency="monthly")
    data = xlsx_file(
        [
            ["indicator", "period", "value", "note"],
            [burglaries.pk, "2021-Q4", 0.1 + 0.2, None],
            ["Feeling of safety", 2021, 64, "Survey"],
            ["Patrols", dt.datetime(2021, 5, 1), 12, None],
            [None, None, None, None],
        ]
    )
    result = run(planner, plan, data, filename="Q4.xlsx")
    assert result.created == 3
    values = {m.indicator_id: (m.period, m.value) for m in Measurement.objects.all()}
    assert values[burglaries.pk] == ("2021-Q4", Decimal("0.3"))
    assert values[survey.pk] == ("2021", Decimal("64"))
    assert values[monthly.pk] == ("2021-05", Decimal("12"))


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_written(plan, planner, indicators):
    burglaries, survey = indicators
    IndicatorFactory(objective=burglaries.objective, name="Twin")
    IndicatorFactory(objective=burglaries.objective, name="twin")
    data = csv_file(
        "indicator,period,value,note\n"
        f"{burglaries.pk},2021-Q1,98,fine\n"  # row 2: good
        "Thefts,2021-Q1,5,\n"  # row 3: unknown indicator
        f"{burglaries.pk},2021-13,5,\n"  # row 4: not a period
        f"{survey.pk},2021-Q1,5,\n"  # row 5: yearly indicator, quarterly period
        f"{burglaries.pk},2999-Q1,5,\n"  # row 6: not started
        f"{burglaries.pk},2021-Q2,lots,\n"  # row 7: not a number
        f"{burglaries.pk},2021-Q1,97,\n"  # row 8: same period as row 2
        "Twin,2021-Q1,1,\n"  # row 9: ambiguous name
        f"{burglaries.pk},2021-Q3,1.23456,\n"  # row 10: too many decimals
        ",,,\n"  # an empty row is skipped, not an error
        f"{burglaries.pk},,,\n"  # row 12: period and value missing
    )
    with pytest.raises(DomainError) as exc:
        run(planner, plan, data)
    rows: dict[int, dict[str, list[str]]] = {}
    for entry in exc.value.extra["problems"]:
        assert entry["where"] == f"row {entry['row']}"
        rows.setdefault(entry["row"], {}).setdefault(entry["field"], []).append(entry["message"])
    assert list(rows) == [3, 4, 5, 6, 7, 8, 9, 10, 12]  # in file order
    assert set(rows[3]) == {"indicator"} and set(rows[5]) == {"period"} and set(rows[7]) == {"value"}
    assert "Row 2" in rows[8]["period"][0]
    assert "use the id" in rows[9]["indicator"][0]
    assert set(rows[12]) == {"period", "value"}
    assert exc.value.message == "9 rows have errors; nothing was imported."
    assert not Measurement.objects.exists()


def test_a_failure_midway_leaves_nothing(plan, planner, indicators, monkeypatch):
    burglaries, _survey = indicators
    MeasurementFactory(indicator=burglaries, period="2021-Q1", value=Decimal("100"))
    calls = []
    real_save = services.save_validated

    def failing_save(obj, **kwargs):
        calls.append(obj)
        if len(calls) == 3:
            raise DomainError("The database went away.")
        real_save(obj, **kwargs)

    monkeypatch.setattr(services, "save_validated", failing_save)
    data = csv_file(
        f"indicator,period,value\n{burglaries.pk},2021-Q1,90\n{burglaries.pk},2021-Q2,91\n{burglaries.pk},2021-Q3,92\n"
    )
    with pytest.raises(DomainError):
        run(planner, plan, data)
    assert len(calls) == 3
    assert list(Measurement.objects.values_list("period", "value")) == [("2021-Q1", Decimal("100.0000"))]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "m.csv", "empty"),
        (b"indicator,value\n1,2\n", "m.csv", "missing: period"),
        (b"indicator,period,value\n", "m.csv", "no rows"),
        (b"PK\x03\x04 not really a workbook", "m.xlsx", "cannot be read"),
        (b"anything", "m.xls", "CSV or an XLSX"),
    ],
)
def test_unusable_files_are_refused_as_a_whole(plan, planner, content, filename, message):
    with pytest.raises(DomainError) as exc:
        run(planner, plan, io.BytesIO(content), filename)
    assert message in exc.value.message


def test_too_many_rows(plan, planner, indicators, monkeypatch):
    monkeypatch.setattr(bulk, "LIMITS", dataclasses.replace(bulk.LIMITS, max_rows=2))
    burglaries, _survey = indicators
    data = csv_file("indicator,period,value\n" + "".join(f"{burglaries.pk},2021-Q{q},1\n" for q in (1, 2, 3)))
    with pytest.raises(DomainError, match="more than 2 rows"):
        run(planner, plan, data)


def test_a_draft_does_not_record_yet(planner, plan):
    draft = ZonalSecurityPlanFactory(zone=plan.zone, period_start=dt.date(2026, 1, 1), period_end=dt.date(2031, 12, 31))
    with pytest.raises(PermissionDenied, match="does not record progress yet"):
        run(planner, draft, csv_file("indicator,period,value\n1,2021-Q1,1\n"))


def test_permission_is_checked_before_the_file_is_read(plan, indicators):
    cppl = user_with_role("cppl_member")
    with pytest.raises(PermissionDenied):
        run(cppl, plan, csv_file("garbage"))
    draft = ZonalSecurityPlanFactory()
    outsider = user_with_role("zone_chief", zone=PoliceZoneFactory())
    with pytest.raises(Http404):
        run(outsider, draft, csv_file("garbage"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", Decimal("12")),
        ("12,5", Decimal("12.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("1\u00a0234", Decimal("1234")),
        (7, Decimal("7")),
        (2.5, Decimal("2.5")),
    ],
)
def test_parse_value(raw, expected):
    assert bulk.parse_value(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "NaN", "inf", True, None, "1,2,3.4.5"])
def test_parse_value_refuses(raw):
    with pytest.raises(ValueError):
        bulk.parse_value(raw)


def test_an_import_writes_only_through_the_upsert_service_with_history(plan, planner, indicators, monkeypatch):
    burglaries, _survey = indicators
    calls = []
    upsert = services.measurements_upsert

    def counted(**kwargs):
        calls.append(kwargs)
        return upsert(**kwargs)

    monkeypatch.setattr(services, "measurements_upsert", counted)
    run(planner, plan, csv_file(f"indicator,period,value\n{burglaries.pk},2021-Q1,98\n{burglaries.pk},2021-Q2,97\n"))
    assert len(calls) == 1 and len(list(calls[0]["rows"])) == 2
    measurement = Measurement.objects.get(indicator=burglaries, period="2021-Q2")
    assert measurement.history.latest().history_user == planner
