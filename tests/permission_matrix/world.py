"""One world for the permission matrix: a row of every kind, in every workflow state, for every role.

Zone OWN (district OWN) and zone OTHER (district OTHER) each have one zonal plan per workflow state,
each with the full content (objectives, indicator, measurement, action, alignment for every national
priority, expectation, matrix candidate and score, comment, workflow history); two programmes with
content; the regional plan; the local-police vision; a user per role with a comment and report runs of
their own; logged-in page clients and API token clients per role.

``world_in_transaction`` builds it inside a transaction that stays open while a test module runs and is
rolled back at its end: every test runs in a savepoint inside it (the ``db`` fixture), so an allowed
write never leaks into the next test, and no other test suite ever sees these rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from rest_framework.test import APIClient

from nsp import services
from nsp.models import Ambition
from nsp.roles import ROLE_NAMES
from reporting.models import ReportRun
from tests.factories import (
    ActionFactory,
    AddendumFactory,
    CommentFactory,
    CrossCuttingThemeFactory,
    DistrictFactory,
    ExpectationFactory,
    IndicatorFactory,
    LocalPoliceVisionFactory,
    MatrixCandidateFactory,
    MatrixScoreFactory,
    MeasurementFactory,
    NationalAlignmentFactory,
    NationalSecurityPlanFactory,
    ObjectiveFactory,
    PlanSectionFactory,
    PlanTransitionFactory,
    PoliceZoneFactory,
    ProgrammeFactory,
    RegionalSecurityPlanFactory,
    SecurityClusterFactory,
    SecurityPhenomenonFactory,
    UserFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)

STATES = ("draft", "adopted", "submitted", "approved", "closed")
RELATIONS = ("own", "other")
# Pseudo-roles of the matrix besides nsp.roles.ROLE_NAMES: signed in without a role, and not signed in.
NO_ROLE = "no_role"
ANONYMOUS = "anonymous"
SIGNED_IN = (*ROLE_NAMES, NO_ROLE)

ADOPTED_ON = dt.date(2019, 3, 1)
# Periods per state: one plan per zone and period start, none overlapping; the approved plan's period
# has ended, so it can be closed; a new plan (2040-2045) overlaps none of them.
PERIODS = {
    "draft": (2020, 2025),
    "adopted": (2026, 2031),
    "submitted": (2032, 2037),
    "approved": (2014, 2019),
    "closed": (2008, 2013),
}
STATE_DATES: dict[str, dict[str, dt.date]] = {
    "draft": {},
    "adopted": {"council_adopted_on": ADOPTED_ON},
    "submitted": {"council_adopted_on": ADOPTED_ON},
    "approved": {"council_adopted_on": dt.date(2014, 3, 1), "approved_on": dt.date(2014, 6, 1)},
    "closed": {
        "council_adopted_on": dt.date(2008, 3, 1),
        "approved_on": dt.date(2008, 6, 1),
        "closed_on": dt.date(2014, 1, 1),
    },
}
# The steps each state's plan went through (recorded as PlanTransition rows). The draft was adopted once
# and reopened, so every plan has a history to read.
HISTORY = {
    "draft": (("draft", "adopted"), ("adopted", "draft")),
    "adopted": (("draft", "adopted"),),
    "submitted": (("draft", "adopted"), ("adopted", "submitted")),
    "approved": (("draft", "adopted"), ("adopted", "submitted"), ("submitted", "approved")),
    "closed": (("draft", "adopted"), ("adopted", "submitted"), ("submitted", "approved"), ("approved", "closed")),
}


@dataclass
class Content:
    """A plan and one row of each kind of its content."""

    plan: Any
    objective: Any
    indicator: Any
    measurement: Any
    action: Any
    comment: Any
    child: Any = None
    alignment: Any = None  # the national priority phenomenon, adopted by the strategic objective
    justified: Any = None  # the national priority theme, not adopted, with a justification
    expectation: Any = None
    section: Any = None  # a heading of the zone's own, second among the plan document's chapters
    candidate: Any = None
    score: Any = None
    transition: Any = None  # the plan's latest workflow step
    transitions: list = field(default_factory=list)
    addendum: Any = None
    deleted: Any = None  # a deleted objective waiting in the plan's "Deleted items"


@dataclass
class World:
    nsp: Any
    spare_nsp: Any  # an edition with no vision and no regional plan yet (for the "create" pages)
    ambition: Any
    cluster: Any
    priority: Any  # the national priority phenomenon
    priority_theme: Any  # the national priority theme
    free_theme: Any  # a theme that is not a national priority: no plan answers it yet
    districts: dict[str, Any]
    zones: dict[str, Any]
    plans: dict[tuple[str, str], Content]
    programmes: dict[str, Content]
    regional: Content
    vision: Any
    users: dict[str, Any]
    stranger: Any  # the author of the "other" comment and report runs
    comments: dict[str, Any]  # per role, and "other"
    reports: dict[str, Any]  # done runs with a file, per role, and "other"
    queued: dict[str, Any]  # queued runs, per role, and "other"
    document: dict  # an exported plan, for the carry-forward import
    pages: dict[str, Client] = field(default_factory=dict)
    api: dict[str, APIClient] = field(default_factory=dict)


def zonal_content(w: dict, zone, state: str) -> Content:
    first, last = PERIODS[state]
    plan = ZonalSecurityPlanFactory(
        zone=zone,
        nsp=w["nsp"],
        status=state,
        title=f"Plan {zone.number} {state}",
        period_start=dt.date(first, 1, 1),
        period_end=dt.date(last, 12, 31),
        **STATE_DATES[state],
    )
    objective = ObjectiveFactory(plan=plan, code="S1", title=f"Road safety {zone.number} {state}", domain="security")
    child = ObjectiveFactory(plan=plan, parent=objective, level="tactical", code="T1.1", domain="security")
    indicator = IndicatorFactory(objective=objective, name=f"Accidents {zone.number} {state}")
    measurement = MeasurementFactory(indicator=indicator, period="2016-Q1", value=Decimal("95"))
    action = ActionFactory(objective=objective, title=f"Speed checks {zone.number} {state}")
    alignment = NationalAlignmentFactory(plan=plan, phenomenon=w["priority"], adopted=True, justification="")
    alignment.objectives.add(objective)
    justified = NationalAlignmentFactory(plan=plan, phenomenon=None, theme=w["priority_theme"], adopted=False)
    expectation = ExpectationFactory(plan=plan, text=f"More patrols {zone.number} {state}")
    PlanSectionFactory(plan=plan, key="mission", title="", body="Safety for everyone.", position=1)
    section = PlanSectionFactory(plan=plan, title=f"Night life {zone.number} {state}", body="Bars.", position=2)
    candidate = MatrixCandidateFactory(plan=plan, label="Burglaries", phenomenon=w["priority"])
    score = MatrixScoreFactory(candidate=candidate, source="mayors", score=4)
    comment = CommentFactory(plan=plan, objective=objective, author=w["stranger"], body="Check the baseline.")
    spare = ObjectiveFactory(plan=plan, code="S9", title=f"Deleted objective {zone.number} {state}")
    deleted = services.delete_to_trash(spare, actor=w["stranger"])
    transitions = [
        PlanTransitionFactory(
            plan=plan, from_status=source, to_status=target, on_date=None, reason="", by=w["stranger"]
        )
        for source, target in HISTORY[state]
    ]
    addendum = None
    if state == "approved":
        addendum = AddendumFactory(plan=plan, number=1, opened_by=w["stranger"], approved_on=plan.approved_on)
    return Content(
        plan=plan,
        objective=objective,
        child=child,
        indicator=indicator,
        measurement=measurement,
        action=action,
        comment=comment,
        alignment=alignment,
        justified=justified,
        expectation=expectation,
        section=section,
        candidate=candidate,
        score=score,
        transition=transitions[-1],
        transitions=transitions,
        addendum=addendum,
        deleted=deleted,
    )


def plan_content(plan, author) -> Content:
    """A programme's or the regional plan's content: objective, indicator, measurement, action, comment."""
    objective = ObjectiveFactory(plan=plan, code="P1", title=f"Objective of {plan.title}")
    indicator = IndicatorFactory(
        objective=objective, baseline_date=dt.date(2016, 1, 1), target_date=dt.date(2019, 12, 31)
    )
    measurement = MeasurementFactory(indicator=indicator, period="2016-Q1", value=Decimal("95"))
    action = ActionFactory(objective=objective)
    comment = CommentFactory(plan=plan, author=author, body="A remark on the programme.")
    return Content(plan, objective, indicator, measurement, action, comment)


def report_run(user, plan, status: str, *, with_file: bool) -> ReportRun:
    run = ReportRun.objects.create(
        kind=ReportRun.Kind.PLAN_PROGRESS,
        scope=ReportRun.Scope.PLAN,
        plan=plan,
        format=ReportRun.Format.JSON,
        requested_by=user,
        status=status,
    )
    if with_file:
        run.file.save(f"run-{run.pk}.json", ContentFile(b'{"plans": []}'), save=True)
    return run


def build_world() -> World:
    from zones import transfer

    stranger = UserFactory(username="pm-stranger")
    nsp = NationalSecurityPlanFactory(code="pm-nsp-2016-2019", title="NSP 2016-2019 (matrix)")
    spare = NationalSecurityPlanFactory(
        code="pm-nsp-2022-2025",
        title="NSP 2022-2025 (matrix)",
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2025, 12, 31),
    )
    cluster = SecurityClusterFactory(nsp=nsp, number=1, name="Violent crime")
    priority = SecurityPhenomenonFactory(nsp=nsp, cluster=cluster, number=1, name="Burglaries")
    priority_theme = CrossCuttingThemeFactory(nsp=nsp, number=1, name="Information position")
    free_theme = CrossCuttingThemeFactory(nsp=nsp, number=2, name="Cybercrime", is_national_priority=False)
    districts = {rel: DistrictFactory(code=f"pm-district-{rel}", name=f"District {rel.upper()}") for rel in RELATIONS}
    zones = {
        "own": PoliceZoneFactory(number="5901", key="5901", name_nl="PZ Eigen", district=districts["own"]),
        "other": PoliceZoneFactory(number="5902", key="5902", name_nl="PZ Ander", district=districts["other"]),
    }
    shared = {"nsp": nsp, "priority": priority, "priority_theme": priority_theme, "stranger": stranger}
    plans = {(rel, state): zonal_content(shared, zones[rel], state) for rel in RELATIONS for state in STATES}
    programmes = {
        rel: plan_content(
            ProgrammeFactory(nsp=nsp, code=f"pm-programme-{rel}", title=f"Programme {rel.upper()}"), stranger
        )
        for rel in RELATIONS
    }
    regional = plan_content(RegionalSecurityPlanFactory(nsp=nsp, status="approved"), stranger)
    scopes = {
        "programme_manager": {"programme": programmes["own"].plan},
        "federal_reviewer": {"district": districts["own"]},
        "zone_chief": {"zone": zones["own"]},
        "zone_planner": {"zone": zones["own"]},
    }
    users = {role: user_with_role(role, f"pm-{role}", **scopes.get(role, {})) for role in ROLE_NAMES}
    users[NO_ROLE] = UserFactory(username=f"pm-{NO_ROLE}")
    readable = plans[("own", "approved")].plan
    comments = {
        role: CommentFactory(plan=readable, author=user, body=f"Remark by {role}.") for role, user in users.items()
    }
    comments["other"] = CommentFactory(plan=readable, author=stranger, body="Remark by someone else.")
    reports = {role: report_run(user, readable, "done", with_file=True) for role, user in users.items()}
    reports["other"] = report_run(stranger, readable, "done", with_file=True)
    queued = {role: report_run(user, readable, "queued", with_file=False) for role, user in users.items()}
    queued["other"] = report_run(stranger, readable, "queued", with_file=False)
    world = World(
        nsp=nsp,
        spare_nsp=spare,
        ambition=Ambition.objects.create(nsp=nsp, number=1, title="Quality", text="A quality police service."),
        cluster=cluster,
        priority=priority,
        priority_theme=priority_theme,
        free_theme=free_theme,
        districts=districts,
        zones=zones,
        plans=plans,
        programmes=programmes,
        regional=regional,
        vision=LocalPoliceVisionFactory(nsp=nsp),
        users=users,
        stranger=stranger,
        comments=comments,
        reports=reports,
        queued=queued,
        document=transfer.plan_export(actor=users["admin"], plan=plans[("own", "approved")].plan),
    )
    for role, user in users.items():
        world.pages[role] = Client()
        world.pages[role].force_login(user)
        world.api[role] = api_client(user)
    world.pages[ANONYMOUS] = Client()
    world.api[ANONYMOUS] = APIClient()
    return world


def api_client(user) -> APIClient:
    from rest_framework.authtoken.models import Token

    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def world_in_transaction(django_db_blocker, media_root) -> Iterator[World]:
    """Build the world in a transaction that is rolled back when the caller (a module fixture) ends.

    Report files go to ``media_root`` (a temporary folder), so they leave nothing behind either.
    """
    with override_settings(MEDIA_ROOT=str(media_root)):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                world = build_world()
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        try:
            yield world
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
