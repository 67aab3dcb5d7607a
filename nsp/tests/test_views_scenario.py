"""A small world with one row of every kind the pages show, and a smoke test over the whole URL map.

Other page tests build on ``build``: a zonal plan of a zone (with objective, indicator, measurement,
action, comment, alignment, expectation, matrix candidate), a second zone, a programme, a regional plan
and the local-police vision, for an NSP edition with two national priorities.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from nsp import services
from nsp.models import Ambition, PlanStatus
from tests.factories import (
    ActionFactory,
    CommentFactory,
    CrossCuttingThemeFactory,
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
)
from zones.models import (
    Expectation,
    LocalPoliceVision,
    MatrixCandidate,
    MatrixScore,
    PlanSection,
    RegionalSecurityPlan,
)

PLAN_DATES = {
    PlanStatus.DRAFT: {},
    PlanStatus.ADOPTED: {"council_adopted_on": dt.date(2020, 3, 1)},
    PlanStatus.SUBMITTED: {"council_adopted_on": dt.date(2020, 3, 1)},
    PlanStatus.APPROVED: {"council_adopted_on": dt.date(2020, 3, 1), "approved_on": dt.date(2020, 5, 1)},
    PlanStatus.CLOSED: {
        "council_adopted_on": dt.date(2020, 3, 1),
        "approved_on": dt.date(2020, 5, 1),
        "closed_on": dt.date(2026, 1, 2),
    },
}


@dataclass
class World:
    nsp: object
    phenomena: list
    theme: object
    zone: object
    other_zone: object
    plan: object
    objective: object
    child: object
    indicator: object
    measurement: object
    action: object
    comment: object
    alignment: object
    expectation: object
    candidate: object
    section: object
    programme: object
    programme_objective: object
    regional_plan: object
    vision: object
    ambition: object


def zonal_plan(status: str = PlanStatus.DRAFT, **kwargs):
    """A zonal plan in a workflow state, with the dates that state implies."""
    return ZonalSecurityPlanFactory(status=status, **PLAN_DATES[status], **kwargs)


def build(status: str = PlanStatus.DRAFT) -> World:
    nsp = NationalSecurityPlanFactory()
    phenomena = [SecurityPhenomenonFactory(nsp=nsp, cluster__nsp=nsp) for _ in range(2)]
    theme = CrossCuttingThemeFactory(nsp=nsp)
    zone = PoliceZoneFactory()
    plan = zonal_plan(status, zone=zone, nsp=nsp)
    objective = ObjectiveFactory(plan=plan, code="S1", domain="security")
    child = ObjectiveFactory(plan=plan, parent=objective, level="tactical", code="T1.1")
    indicator = IndicatorFactory(objective=objective)
    measurement = MeasurementFactory(indicator=indicator, period="2021-Q1", value=Decimal("95"))
    action = ActionFactory(objective=objective)
    author = UserFactory()
    comment = CommentFactory(plan=plan, objective=objective, author=author)
    alignment = NationalAlignmentFactory(plan=plan, phenomenon=phenomena[0])
    expectation = Expectation.objects.create(plan=plan, source="mayors", text="Fewer burglaries.")
    candidate = MatrixCandidate.objects.create(plan=plan, label="Burglaries", phenomenon=phenomena[1])
    MatrixScore.objects.create(plan=plan, candidate=candidate, source="mayors", score=4)
    section = PlanSection.objects.create(plan=plan, key="mission", body="Serve *the zone*.")
    programme = ProgrammeFactory(nsp=nsp)
    programme.phenomena.add(phenomena[0])
    programme_objective = ObjectiveFactory(plan=programme, code="P1")
    regional = RegionalSecurityPlan.objects.create(
        nsp=nsp,
        title="Brussels regional security plan",
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2024, 12, 31),
    )
    vision = LocalPoliceVision.objects.create(nsp=nsp, title="The local police view", text="Work together.")
    ambition = Ambition.objects.create(nsp=nsp, number=1, title="Quality", text="A quality service.")
    return World(
        nsp=nsp,
        phenomena=phenomena,
        theme=theme,
        zone=zone,
        other_zone=PoliceZoneFactory(),
        plan=plan,
        objective=objective,
        child=child,
        indicator=indicator,
        measurement=measurement,
        action=action,
        comment=comment,
        alignment=alignment,
        expectation=expectation,
        candidate=candidate,
        section=section,
        programme=programme,
        programme_objective=programme_objective,
        regional_plan=regional,
        vision=vision,
        ambition=ambition,
    )


def form_data(form, **changes) -> dict:
    """What a browser would post back for a form as rendered (its initial values), with some changes."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return {**data, **changes}


def sql_lines(queries) -> str:
    """The captured queries, one short line each (for the message of a failed query-count assertion)."""
    return "\n" + "\n".join(f"{n}. {q['sql'][:160]}" for n, q in enumerate(queries.captured_queries, 1))


def page_patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(name, route) of every page pattern (admin, API, i18n and the health check left out)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin",) or str(pattern.pattern).startswith(("api/", "i18n/", "admin/")):
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from page_patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name and f"{namespace}{pattern.name}" not in NOT_PAGES:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


# Named routes that are not pages an administrator GETs (full names, namespace included).
NOT_PAGES = (
    "nsp:healthz",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset_confirm",  # needs a reset token: test_accounts walks it
)


# Which row of the world each page's ``pk`` (or ``key``) names.
ROUTE_OBJECTS = {
    "nsp:objective-add": "plan",
    "nsp:objective": "objective",
    "nsp:objective-edit": "objective",
    "nsp:objective-delete": "objective",
    "nsp:objective-move": "objective",
    "nsp:objective-place": "objective",
    "nsp:objective-add-after": "objective",
    "nsp:indicator-add": "objective",
    "nsp:indicator": "indicator",
    "nsp:indicator-edit": "indicator",
    "nsp:indicator-delete": "indicator",
    "nsp:measurement-add": "indicator",
    "nsp:measurement-edit": "measurement",
    "nsp:measurement-delete": "measurement",
    "nsp:measurement-upload": "plan",
    "nsp:action-add": "objective",
    "nsp:action": "action",
    "nsp:action-edit": "action",
    "nsp:action-progress": "action",
    "nsp:action-delete": "action",
    "nsp:plan-comment-add": "plan",
    "nsp:objective-comment-add": "objective",
    "nsp:indicator-comment-add": "indicator",
    "nsp:action-comment-add": "action",
    "nsp:comment-delete": "comment",
    "zones:zone": "zone",
    "zones:plan-create": "zone",
    "zones:plan": "plan",
    "zones:plan-edit": "plan",
    "zones:plan-delete": "plan",
    "zones:plan-transition": "plan",
    "zones:plan-realign": "plan",
    "zones:plan-alignment": "plan",
    "zones:alignment-delete": "alignment",
    "zones:plan-matrix": "plan",
    "zones:candidate-add": "plan",
    "zones:candidate-edit": "candidate",
    "zones:candidate-delete": "candidate",
    "zones:plan-expectations": "plan",
    "zones:expectation-add": "plan",
    "zones:expectation-edit": "expectation",
    "zones:expectation-delete": "expectation",
    "zones:plan-document": "plan",
    "zones:section-add": "plan",
    "zones:section-preview": "plan",
    "zones:section-edit": "section",
    "zones:section-move": "section",
    "zones:section-delete": "section",
    "zones:regional-plan": "regional_plan",
    "zones:regional-plan-edit": "regional_plan",
    "zones:regional-plan-create": "nsp",
    "zones:vision": "vision",
    "zones:vision-edit": "vision",
    "zones:vision-create": "nsp",
    "clusters:edition": "nsp",
    "clusters:edition-edit": "nsp",
    "clusters:edition-extend": "nsp",
    "clusters:edition-mapping": "nsp",
    "clusters:ambition-edit": "ambition",
    "clusters:cluster": "cluster",
    "clusters:cluster-edit": "cluster",
    "clusters:phenomenon": "phenomenon",
    "clusters:phenomenon-edit": "phenomenon",
    "clusters:theme": "theme",
    "clusters:theme-edit": "theme",
    "programmes:programme": "programme",
    "programmes:programme-edit": "programme",
    "programmes:programme-delete": "programme",
    "nsp:plan-deleted-items": "plan",
    "nsp:measurement-grid": "plan",
    "nsp:deleted-item-restore": "deleted_item",
}
# Pages that need a query string to say which step or row they serve.
ROUTE_QUERIES = {"zones:plan-transition": "?step=adopt"}


def url_for(world: World, name: str, route: str) -> str:
    if "<" not in route:
        return reverse(name)
    target = {
        "cluster": world.phenomena[0].cluster,
        "phenomenon": world.phenomena[0],
    }.get(ROUTE_OBJECTS[name]) or getattr(world, ROUTE_OBJECTS[name])
    kwargs = {"key": target.key} if "<slug:key>" in route else {"pk": target.pk}
    return reverse(name, kwargs=kwargs) + ROUTE_QUERIES.get(name, "")


# A draft plan records nothing yet (403 rather than a form); the world's edition already has its vision.
EXPECTED_STATUS = {
    "nsp:measurement-add": 403,
    "nsp:measurement-edit": 403,
    "nsp:measurement-delete": 403,
    "nsp:measurement-upload": 403,
    "nsp:measurement-grid": 403,  # the world's plan is a draft: nothing is recorded on it
    "zones:vision-create": 302,
    # Forms of the profile page that only take a POST.
    "accounts:profile-language": 405,
    "accounts:profile-token": 405,
    "zones:section-preview": 405,  # htmx posts the text being written; a GET has nothing to preview
}


@pytest.mark.django_db
def test_every_page_answers_an_administrator(client):
    """Every named page of the URL map renders for an administrator (GET), on a draft plan's world."""
    world = build()
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    world.deleted_item = services.delete_to_trash(ObjectiveFactory(plan=world.plan, code="S9"), actor=admin)
    pages = [(name, route) for name, route in page_patterns() if not name.startswith("reporting:")]
    assert len(pages) > 50
    for name, route in pages:
        url = url_for(world, name, route)
        response = client.get(url)
        expected = EXPECTED_STATUS.get(name, 200)
        assert response.status_code == expected, f"{name} {url}: {response.status_code}"
