"""The API follows the permission matrix (tests/permission_matrix.csv), row by row.

One world per object type: two zones in two districts, a plan in every workflow state in each, with
content; programmes, the regional plan, comments, reports; one user per role. Each row becomes the
API request that does its action, inside a savepoint that is rolled back, so rows do not disturb each
other. Expected outcomes map to the API as: allow → 2xx, 403 → 403, login → 401, and 404 → 404 on the
object's own address, or 400 "does not exist" on the foreign key of a create (the API does not say
whether a row it hides exists). Rows about what the API does not write (reference data, zones, the
local-police vision: the admin site) are left out.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction

from nsp.api.testing import API, client_for
from reporting.models import ReportRun
from tests.factories import (
    ActionFactory,
    CommentFactory,
    CrossCuttingThemeFactory,
    DistrictFactory,
    IndicatorFactory,
    MeasurementFactory,
    NationalAlignmentFactory,
    NationalSecurityPlanFactory,
    ObjectiveFactory,
    PoliceZoneFactory,
    ProgrammeFactory,
    SecurityPhenomenonFactory,
    UserFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)
from zones.models import Expectation, MatrixCandidate, RegionalSecurityPlan

pytestmark = pytest.mark.django_db

MATRIX = Path(settings.BASE_DIR, "tests", "permission_matrix.csv")
NOT_IN_THE_API = {("nsp_edition", "change"), ("cluster", "change"), ("phenomenon", "change"), ("theme", "change")}
NOT_IN_THE_API |= {("zone", "change"), ("vision", "view"), ("vision", "change"), ("vision", "create")}

STATES = {
    "draft": {"period": (2020, 2025)},
    "adopted": {"period": (2026, 2031), "council_adopted_on": dt.date(2019, 3, 1)},
    "submitted": {"period": (2032, 2037), "council_adopted_on": dt.date(2019, 3, 1)},
    "approved": {"period": (2014, 2019), "council_adopted_on": dt.date(2014, 3, 1), "approved_on": dt.date(2014, 6, 1)},
    "closed": {
        "period": (2008, 2013),
        "council_adopted_on": dt.date(2008, 3, 1),
        "approved_on": dt.date(2008, 6, 1),
        "closed_on": dt.date(2014, 1, 1),
    },
}
ROLES = (
    "admin",
    "federal_planner",
    "programme_manager",
    "federal_reviewer",
    "zone_chief",
    "zone_planner",
    "cppl_member",
    "committee_member",
)


@dataclass(frozen=True)
class Row:
    role: str
    object: str
    state: str
    relation: str
    action: str
    expected: str

    def __str__(self) -> str:
        return ",".join((self.role, self.object, self.state, self.relation, self.action, self.expected))


def matrix_rows() -> list[Row]:
    lines = [line for line in MATRIX.read_text().splitlines() if line and not line.startswith("#")]
    return [Row(*(cell.strip() for cell in cells)) for cells in csv.reader(lines[1:])]


# --- the world ------------------------------------------------------------------------------------


def zonal_plan(w, zone, state: str):
    spec = dict(STATES[state])
    first, last = spec.pop("period")
    plan = ZonalSecurityPlanFactory(
        zone=zone,
        nsp=w.nsp,
        status=state,
        period_start=dt.date(first, 1, 1),
        period_end=dt.date(last, 12, 31),
        **spec,
    )
    content = SimpleNamespace(plan=plan)
    content.objective = ObjectiveFactory(plan=plan, level="strategic", code="S1")
    content.indicator = IndicatorFactory(objective=content.objective)
    content.measurement = MeasurementFactory(indicator=content.indicator, period="2016-Q1")
    content.action = ActionFactory(objective=content.objective)
    content.alignment = NationalAlignmentFactory(plan=plan, phenomenon=w.priority, adopted=True, justification="")
    content.alignment.objectives.add(content.objective)
    content.justified = NationalAlignmentFactory(plan=plan, phenomenon=None, theme=w.theme)
    content.expectation = Expectation.objects.create(plan=plan, source="mayors", text="Less nuisance")
    content.candidate = MatrixCandidate.objects.create(plan=plan, label="Burglaries")
    return content


def programme_content(w, programme):
    content = SimpleNamespace(plan=programme)
    content.objective = ObjectiveFactory(plan=programme)
    content.indicator = IndicatorFactory(objective=content.objective)
    content.measurement = MeasurementFactory(indicator=content.indicator, period="2016-Q1")
    return content


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.nsp = NationalSecurityPlanFactory()
    w.priority = SecurityPhenomenonFactory(nsp=w.nsp, cluster__nsp=w.nsp)
    w.unanswered = SecurityPhenomenonFactory(nsp=w.nsp, cluster__nsp=w.nsp, is_national_priority=False)
    w.theme = CrossCuttingThemeFactory(nsp=w.nsp)
    w.zones = {
        "own": PoliceZoneFactory(district=DistrictFactory()),
        "other": PoliceZoneFactory(district=DistrictFactory()),
    }
    w.plans = {(rel, state): zonal_plan(w, zone, state) for rel, zone in w.zones.items() for state in STATES}
    w.programmes = {rel: programme_content(w, ProgrammeFactory(nsp=w.nsp)) for rel in ("own", "other")}
    w.regional = RegionalSecurityPlan.objects.create(
        nsp=w.nsp, title="Regional plan", period_start=dt.date(2021, 1, 1), period_end=dt.date(2024, 12, 31)
    )
    scopes = {
        "programme_manager": {"programme": w.programmes["own"].plan},
        "federal_reviewer": {"district": w.zones["own"].district},
        "zone_chief": {"zone": w.zones["own"]},
        "zone_planner": {"zone": w.zones["own"]},
    }
    w.users = {role: user_with_role(role, **scopes.get(role, {})) for role in ROLES}
    w.users["no_role"] = UserFactory()
    w.stranger = UserFactory()
    commented = w.plans[("own", "approved")].plan
    w.comments = {role: CommentFactory(plan=commented, author=user) for role, user in w.users.items()}
    w.comments["other"] = CommentFactory(plan=commented, author=w.stranger)
    w.reports = {
        role: ReportRun.objects.create(kind="national_overview", scope="national", requested_by=user)
        for role, user in w.users.items()
    }
    w.reports["other"] = ReportRun.objects.create(kind="national_overview", scope="national", requested_by=w.stranger)
    w.clients = {role: client_for(user) for role, user in w.users.items()}
    w.clients["anonymous"] = client_for(None)
    return w


# --- each row as a request ------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    data: Any = None
    creates_with: str | None = None  # the foreign key a create names (a hidden one answers 400 there)


TRANSITIONS = {
    "adopt": {"to_status": "adopted", "on_date": "2019-01-01"},
    "submit": {"to_status": "submitted"},
    "withdraw": {"to_status": "draft", "reason": "More consultation"},
    "approve": {"to_status": "approved", "on_date": "2019-06-01"},
    "return": {"to_status": "draft", "reason": "Baselines missing"},
    "reopen": {"to_status": "draft", "reason": "Addendum"},
    "close": {"to_status": "closed"},
}
DETAIL = {"view": "GET", "change": "PATCH", "delete": "DELETE"}
CHANGES = {
    "zonal_plan": ("zonal-plans", {"mission": "Changed"}),
    "objective": ("objectives", {"title": "Changed"}),
    "indicator": ("indicators", {"name": "Changed"}),
    "measurement": ("measurements", {"value": "3"}),
    "action": ("actions", {"title": "Changed"}),
    "alignment": ("alignments", {"justification": "Changed", "adopted": False}),
    "expectation": ("expectations", {"text": "Changed"}),
    "matrix_candidate": ("matrix-candidates", {"note": "Changed"}),
}
ATTRIBUTE = {"measurement": "measurement", "alignment": "justified", "matrix_candidate": "candidate"}


def _relation(row: Row) -> str:
    return "other" if row.relation == "other" else "own"


def creation(obj: str, content) -> Call:
    plan = content.plan.pk
    payloads = {
        "objective": ("objectives", {"plan": plan, "level": "strategic", "title": "New"}, "plan"),
        "indicator": (
            "indicators",
            {
                "objective": content.objective.pk,
                "name": "New",
                "unit": "cases",
                "baseline_value": "10",
                "baseline_date": "2016-01-01",
                "target_value": "5",
                "target_date": "2019-12-31",
                "direction": "decrease",
            },
            "objective",
        ),
        "measurement": (
            "measurements",
            {"indicator": content.indicator.pk, "period": "2016-Q2", "value": "4"},
            "indicator",
        ),
        "action": (
            "actions",
            {
                "objective": content.objective.pk,
                "title": "New",
                "owner": "Unit",
                "start_date": "2016-01-01",
                "due_date": "2016-12-31",
            },
            "objective",
        ),
        "alignment": (
            "alignments",
            {"plan": plan, "phenomenon": None, "adopted": False, "justification": "Rare"},
            "plan",
        ),
        "expectation": ("expectations", {"plan": plan, "source": "partners", "text": "New"}, "plan"),
        "matrix_candidate": ("matrix-candidates", {"plan": plan, "label": "New candidate"}, "plan"),
    }
    endpoint, data, fk = payloads[obj]
    return Call("POST", f"{API}{endpoint}/", data, creates_with=fk)


def call_for(w, row: Row) -> Call:
    obj, action = row.object, row.action
    if obj.startswith("programme_"):
        content, obj = w.programmes[_relation(row)], obj.removeprefix("programme_")
    elif obj in CHANGES or obj == "zonal_plan":
        content = w.plans[(_relation(row), row.state)]
    else:
        content = None

    if obj == "zonal_plan" and action in TRANSITIONS:
        return Call("POST", f"{API}zonal-plans/{content.plan.pk}/transition/", TRANSITIONS[action])
    if obj == "zonal_plan" and action == "comment":
        return Call("POST", f"{API}comments/", {"plan": content.plan.pk, "body": "A remark"}, creates_with="plan")
    if action == "record":
        return Call("PATCH", f"{API}actions/{content.action.pk}/", {"percent_complete": 50})
    if action == "create" and obj in CHANGES:
        call = creation(obj, content)
        if obj == "alignment":
            call.data["phenomenon"] = w.unanswered.pk
        return call
    if obj in CHANGES:
        endpoint, changes = CHANGES[obj]
        target = content.plan if obj == "zonal_plan" else getattr(content, ATTRIBUTE.get(obj, obj))
        return Call(DETAIL[action], f"{API}{endpoint}/{target.pk}/", changes if action == "change" else None)

    if obj == "programme":
        programme = w.programmes[_relation(row)].plan
        if action == "create":
            data = {
                "nsp": w.nsp.pk,
                "code": "new-programme",
                "title": "New",
                "owning_unit": "DGA",
                "period_start": "2016-01-01",
                "period_end": "2019-12-31",
            }
            return Call("POST", f"{API}programmes/", data, creates_with="nsp")
        return Call(DETAIL[action], f"{API}programmes/{programme.pk}/", {"description": "Changed"})
    if obj == "regional_plan":
        if action == "create":
            data = {"nsp": w.nsp.pk, "title": "Next", "period_start": "2025-01-01", "period_end": "2028-12-31"}
            return Call("POST", f"{API}regional-plans/", data, creates_with="nsp")
        return Call(DETAIL[action], f"{API}regional-plans/{w.regional.pk}/", {"summary": "Changed"})
    if obj == "comment":
        comment = w.comments[row.role if row.relation == "own" and row.role in w.comments else "other"]
        return Call(DETAIL[action], f"{API}comments/{comment.pk}/")
    if obj == "report":
        if action == "create":
            plan = w.plans[("own", "approved")].plan
            data = {"kind": "plan_progress", "scope": "plan", "plan": plan.pk, "format": "json"}
            return Call("POST", f"{API}reports/", data, creates_with="plan")
        report = w.reports[row.role if row.relation == "own" and row.role in w.reports else "other"]
        return Call("GET", f"{API}reports/{report.pk}/")
    if obj == "zone":
        zone = w.zones[_relation(row)]
        if action == "create_plan":
            data = {
                "zone": zone.pk,
                "nsp": w.nsp.pk,
                "title": "Next plan",
                "period_start": "2040-01-01",
                "period_end": "2045-12-31",
            }
            return Call("POST", f"{API}zonal-plans/", data, creates_with="zone")
        return Call("GET", f"{API}zones/{zone.pk}/")
    reference = {"nsp_edition": "nsp-editions", "cluster": "clusters", "phenomenon": "phenomena", "theme": "themes"}
    if obj in reference:
        target = {"nsp_edition": w.nsp, "cluster": w.priority.cluster, "phenomenon": w.priority, "theme": w.theme}[obj]
        return Call("GET", f"{API}{reference[obj]}/{target.pk}/")
    raise AssertionError(f"No API call for {row}")


def outcome(w, row: Row) -> str | None:
    """None when the API answered as the matrix expects, else what went wrong."""
    call = call_for(w, row)
    send = getattr(w.clients[row.role], call.method.lower())
    with transaction.atomic():
        response = send(call.url, call.data, format="json") if call.data is not None else send(call.url)
        transaction.set_rollback(True)
    status = response.status_code
    expected = row.expected
    if expected == "allow" and 200 <= status < 300:
        return None
    if expected == "login" and status == 401:
        return None
    if expected == "403" and status == 403:
        return None
    if expected == "404":
        if call.creates_with is None and status == 404:
            return None
        fields = response.json().get("extra", {}).get("fields", {}) if status == 400 else {}
        if call.creates_with and any("does not exist" in m for m in fields.get(call.creates_with, [])):
            return None
    body = response.json() if response.get("Content-Type", "").startswith("application/json") else ""
    return f"{row}: {call.method} {call.url} answered {status} {body}"


OBJECTS = sorted({row.object for row in matrix_rows() if (row.object, row.action) not in NOT_IN_THE_API})


@pytest.mark.parametrize("obj", OBJECTS)
def test_api_follows_the_permission_matrix(obj):
    rows = [row for row in matrix_rows() if row.object == obj and (row.object, row.action) not in NOT_IN_THE_API]
    world = build_world()
    failures = [failure for row in rows if (failure := outcome(world, row))]
    assert not failures, f"{len(failures)} of {len(rows)} rows differ:\n" + "\n".join(failures)
