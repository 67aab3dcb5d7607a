"""A plan as one JSON document and its re-import as a new draft (zones.transfer)."""

import copy
import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404

from nsp.exceptions import DomainError
from nsp.models import Action, Indicator, Objective
from tests.factories import (
    ActionFactory,
    CrossCuttingThemeFactory,
    IndicatorFactory,
    MeasurementFactory,
    NationalAlignmentFactory,
    NationalSecurityPlanFactory,
    ObjectiveFactory,
    PlanSectionFactory,
    PoliceZoneFactory,
    SecurityPhenomenonFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)
from zones import transfer
from zones.models import NationalAlignment, ZonalSecurityPlan

pytestmark = pytest.mark.django_db
NEW_PERIOD = {"period_start": dt.date(2026, 1, 1), "period_end": dt.date(2031, 12, 31)}


@pytest.fixture
def source():
    """An approved 2020-2025 plan with a hierarchy, measured indicators, actions and its alignment."""
    nsp = NationalSecurityPlanFactory(code="nsp-2016-2019")
    phenomenon = SecurityPhenomenonFactory(nsp=nsp, cluster__nsp=nsp, number=4, name="Burglaries")
    theme = CrossCuttingThemeFactory(nsp=nsp, number=2, name="Cybercrime")
    plan = ZonalSecurityPlanFactory(
        nsp=nsp,
        title="Zonal security plan 5339 2020-2025",
        status="approved",
        council_adopted_on=dt.date(2020, 3, 1),
        approved_on=dt.date(2020, 6, 1),
    )
    environment = PlanSectionFactory(plan=plan, key="environment", title="", body="The zone", position=1)
    PlanSectionFactory(plan=plan, parent=environment, title="Night life", body="Bars *close* at 3", position=1)
    PlanSectionFactory(plan=plan, key="mission", title="", body="Serve the city", position=2)
    strategic = ObjectiveFactory(plan=plan, level="strategic", code="S1", title="Fewer burglaries")
    tactical = ObjectiveFactory(plan=plan, level="tactical", parent=strategic, code="T1.1", title="Prevention")
    ObjectiveFactory(
        plan=plan, level="operational", parent=tactical, code="O1.1.1", title="Techno-prevention", year=2024
    )
    measured = IndicatorFactory(objective=strategic, name="Burglaries reported", baseline_value=100, target_value=80)
    MeasurementFactory(indicator=measured, period="2023-Q4", value=Decimal("91"))
    MeasurementFactory(indicator=measured, period="2024-Q2", value=Decimal("88"))
    achieved = IndicatorFactory(objective=strategic, name="Already there", baseline_value=100, target_value=80)
    MeasurementFactory(indicator=achieved, period="2024-Q1", value=Decimal("75"))
    IndicatorFactory(objective=tactical, name="Never measured", baseline_value=10, target_value=5)
    ActionFactory(objective=tactical, title="Campaign", status="in_progress", percent_complete=40)
    ActionFactory(objective=tactical, title="Finished", status="done", percent_complete=100)
    ActionFactory(objective=tactical, title="Dropped", status="cancelled")
    alignment = NationalAlignmentFactory(plan=plan, phenomenon=phenomenon, adopted=True, justification="")
    alignment.objectives.add(strategic)
    NationalAlignmentFactory(plan=plan, phenomenon=None, theme=theme, justification="A federal matter.")
    return plan


@pytest.fixture
def chief(source):
    return user_with_role("zone_chief", zone=source.zone)


def test_export_is_one_json_document(source, chief):
    document = transfer.plan_export(actor=chief, plan=source)
    assert json.loads(json.dumps(document)) == document
    assert document["format"] == transfer.FORMAT and document["version"] == transfer.VERSION
    assert document["plan"]["nsp"]["code"] == "nsp-2016-2019" and [
        (x["key"], x["title"], x["body"]) for x in document["sections"]
    ] == [("environment", "", "The zone"), ("", "Night life", "Bars *close* at 3"), ("mission", "", "Serve the city")]
    assert document["sections"][1]["parent"] == document["sections"][0]["ref"]
    levels = [o["level"] for o in document["objectives"]]
    assert levels == ["strategic", "tactical", "operational"]
    refs = {o["code"]: o["ref"] for o in document["objectives"]}
    parents = {o["code"]: o["parent"] for o in document["objectives"]}
    assert parents == {"S1": None, "T1.1": refs["S1"], "O1.1.1": refs["T1.1"]}
    measured = next(i for i in document["indicators"] if i["name"] == "Burglaries reported")
    assert [m["period"] for m in measured["measurements"]] == ["2023-Q4", "2024-Q2"]
    assert measured["baseline_value"] == "100.0000"
    assert len(document["actions"]) == 3
    alignments = {(a["phenomenon"] or a["theme"])["name"]: a for a in document["alignments"]}
    assert alignments["Burglaries"]["objectives"] == [refs["S1"]]
    assert alignments["Cybercrime"]["justification"] == "A federal matter."


def test_export_needs_read_access(source):
    draft = ZonalSecurityPlanFactory()
    with pytest.raises(Http404):
        transfer.plan_export(actor=user_with_role("committee_member"), plan=draft)
    assert transfer.plan_export(actor=user_with_role("committee_member"), plan=source)["plan"]["id"] == source.pk


def test_carry_forward_drafts_a_new_plan(source, chief):
    document = transfer.plan_export(actor=chief, plan=source)
    outcome = transfer.plan_import(actor=chief, document=document, zone=source.zone, **NEW_PERIOD)
    plan = outcome.plan
    assert plan.status == "draft" and plan.pk != source.pk and plan.nsp_id == source.nsp_id
    assert plan.title == "Zonal security plan 5339 2026-2031"
    sections = list(
        plan.sections.order_by(F("parent_id").asc(nulls_first=True), "position").values_list(
            "key", "title", "body", "parent__key"
        )
    )
    assert sections == [
        ("environment", "", "The zone", None),
        ("mission", "", "Serve the city", None),
        ("", "Night life", "Bars *close* at 3", "environment"),
    ]
    objectives = {o.code: o for o in Objective.objects.filter(plan=plan)}
    assert set(objectives) == {"S1", "T1.1", "O1.1.1"}
    assert objectives["T1.1"].parent == objectives["S1"] and objectives["O1.1.1"].parent == objectives["T1.1"]

    indicators = {i.name: i for i in Indicator.objects.filter(plan=plan)}
    # The last measured value becomes the baseline, dated at the end of its period.
    assert indicators["Burglaries reported"].baseline_value == Decimal("88")
    assert indicators["Burglaries reported"].baseline_date == dt.date(2024, 6, 30)
    assert indicators["Burglaries reported"].target_date == dt.date(2031, 12, 31)
    # A target already met keeps the old baseline, and the import says so.
    assert indicators["Already there"].baseline_value == Decimal("100")
    assert any("Already there" in note for note in outcome.notes)
    assert indicators["Never measured"].baseline_value == Decimal("10")
    assert not plan.measurements.exists()

    actions = Action.objects.filter(plan=plan)
    assert [a.title for a in actions] == ["Campaign"]
    # Due before the new period: moved to its start, keeping the duration.
    assert actions[0].start_date == dt.date(2026, 1, 1) and actions[0].percent_complete == 40

    alignments = NationalAlignment.objects.filter(plan=plan)
    adopted = alignments.get(phenomenon__isnull=False)
    assert adopted.adopted and list(adopted.objectives.all()) == [objectives["S1"]]
    assert alignments.get(theme__isnull=False).justification == "A federal matter."
    assert plan.history.first().history_user == chief
    assert objectives["S1"].history.first().history_user == chief


def test_carry_forward_into_a_new_edition_maps_priorities_through_previous(source, chief):
    document = transfer.plan_export(actor=chief, plan=source)
    old_phenomenon = source.alignments.get(phenomenon__isnull=False).phenomenon
    new_edition = NationalSecurityPlanFactory(
        code="nsp-2022-2025", period_start=dt.date(2022, 1, 1), period_end=dt.date(2025, 12, 31)
    )
    successor = SecurityPhenomenonFactory(nsp=new_edition, cluster__nsp=new_edition, number=7, name="Property crime")
    successor.previous.add(old_phenomenon)
    outcome = transfer.plan_import(actor=chief, document=document, zone=source.zone, nsp=new_edition, **NEW_PERIOD)
    alignment = outcome.plan.alignments.get()
    assert alignment.phenomenon == successor
    assert any("theme 2" in note for note in outcome.notes)


def test_import_needs_the_right_to_draft_for_the_zone(source, chief):
    document = transfer.plan_export(actor=chief, plan=source)
    planner = user_with_role("zone_planner", zone=source.zone)
    with pytest.raises(PermissionDenied):
        transfer.plan_import(actor=planner, document=document, zone=source.zone, **NEW_PERIOD)
    with pytest.raises(PermissionDenied):
        transfer.plan_import(actor=chief, document=document, zone=PoliceZoneFactory(), **NEW_PERIOD)
    assert ZonalSecurityPlan.objects.count() == 1


def test_a_failure_midway_leaves_nothing(source, chief):
    document = transfer.plan_export(actor=chief, plan=source)
    broken = copy.deepcopy(document)
    broken["actions"][0]["due_date"] = "2010-01-01"  # before its start date: the service refuses it
    broken["actions"][0]["start_date"] = "2011-01-01"
    with pytest.raises(DomainError) as exc:
        transfer.plan_import(actor=chief, document=broken, zone=source.zone, **NEW_PERIOD)
    assert exc.value.extra["document"][0]["path"] == "actions[0]"
    assert ZonalSecurityPlan.objects.count() == 1 and Objective.objects.exclude(plan=source).count() == 0


def test_import_overlapping_the_old_plan_is_refused(source, chief):
    document = transfer.plan_export(actor=chief, plan=source)
    with pytest.raises(DomainError):
        transfer.plan_import(
            actor=chief,
            document=document,
            zone=source.zone,
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2029, 12, 31),
        )
    assert ZonalSecurityPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.update(format="something else"), "format"),
        (lambda d: d.update(version=2), "version"),
        (lambda d: d["objectives"][1].update(parent="nowhere"), "objectives[1].parent"),
        (lambda d: d["objectives"][0].update(parent=d["objectives"][2]["ref"]), "objectives[0].parent"),
        (lambda d: d["objectives"][0].update(level="galactic"), "objectives[0].level"),
        (lambda d: d["objectives"][1].update(ref=d["objectives"][0]["ref"]), "objectives[1].ref"),
        (lambda d: d["indicators"][0].update(baseline_value="many"), "indicators[0].baseline_value"),
        (lambda d: d["indicators"][0].update(target_date="31/12/2025"), "indicators[0].target_date"),
        (lambda d: d["indicators"][0]["measurements"][0].update(period="Q9"), "indicators[0].measurements[0].period"),
        (lambda d: d["actions"][0].update(percent_complete=140), "actions[0].percent_complete"),
        (lambda d: d["alignments"][0].update(adopted="yes"), "alignments[0].adopted"),
        (lambda d: d.update(objectives="none"), "objectives"),
    ],
)
def test_a_bad_document_is_refused_with_paths(source, chief, mutate, path):
    document = transfer.plan_export(actor=chief, plan=source)
    mutate(document)
    with pytest.raises(DomainError) as exc:
        transfer.plan_import(actor=chief, document=document, zone=source.zone, **NEW_PERIOD)
    assert path in {problem["path"] for problem in exc.value.extra["document"]}
    assert ZonalSecurityPlan.objects.count() == 1


@pytest.mark.parametrize("document", [None, [], "plan", 42, {"format": transfer.FORMAT}])
def test_anything_that_is_not_a_document_is_a_domain_error(source, chief, document):
    with pytest.raises(DomainError):
        transfer.plan_import(actor=chief, document=document, zone=source.zone, **NEW_PERIOD)


def test_carried_baseline_rules():
    from nsp import periods

    fields = {
        "baseline_value": Decimal("100"),
        "baseline_date": dt.date(2020, 1, 1),
        "target_value": Decimal("80"),
        "direction": "decrease",
    }
    target_date = dt.date(2031, 12, 31)
    assert transfer.carried_baseline(fields, [], target_date) == (Decimal("100"), dt.date(2020, 1, 1), False)
    measured = [(periods.parse("2024-Q2"), Decimal("90")), (periods.parse("2023-Q1"), Decimal("95"))]
    assert transfer.carried_baseline(fields, measured, target_date) == (Decimal("90"), dt.date(2024, 6, 30), False)
    met = [(periods.parse("2024-Q2"), Decimal("80"))]
    assert transfer.carried_baseline(fields, met, target_date)[2] is True
    keep = {**fields, "direction": "keep"}
    assert transfer.carried_baseline(keep, met, target_date)[0] == Decimal("80")
