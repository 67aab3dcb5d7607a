"""Schemathesis over the whole OpenAPI schema, as a zone chief and as a Coordinating Committee member.

Checks: no server error, every status and body as the schema documents them, and data outside the
schema refused. The data comes from tests/factories.py, built once for the module inside a transaction
that is rolled back at the end; each generated request runs in a savepoint that is rolled back too, so
a DELETE in one example does not take the object away from the next. Valid (positive) cases aim their
ids at real objects — readable ones and one the caller may not read — so the services run, not only the
serializers. Runtime is bounded: a few examples per operation and phase.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from types import SimpleNamespace

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction

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
    ZonalSecurityPlanFactory,
    user_with_role,
)

MAX_EXAMPLES = 15
# "coverage" adds Schemathesis's boundary and negative cases for every parameter: clean too, but it takes
# about four times as long; add it here for a deeper run.
PHASES = ["examples", "fuzzing"]
# Which real object a valid case names: reproducible from run to run, like the generated data.
CHOOSE = random.Random(5339)
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
]
# Foreign keys in bodies and the resource each one names.
BODY_KEYS = {
    "plan": "zonal-plans",
    "objective": "objectives",
    "indicator": "indicators",
    "action": "actions",
    "parent": "objectives",
    "zone": "zones",
    "nsp": "nsp-editions",
    "phenomenon": "phenomena",
    "theme": "themes",
}


def build_world() -> SimpleNamespace:
    """Two zones: the chief's own, with a draft and an approved plan with content, and another zone's."""
    w = SimpleNamespace()
    nsp = NationalSecurityPlanFactory()
    phenomenon = SecurityPhenomenonFactory(nsp=nsp, cluster__nsp=nsp)
    theme = CrossCuttingThemeFactory(nsp=nsp)
    own, other = PoliceZoneFactory(), PoliceZoneFactory()
    draft = ZonalSecurityPlanFactory(zone=own, nsp=nsp)
    approved = ZonalSecurityPlanFactory(
        zone=own,
        nsp=nsp,
        status="approved",
        council_adopted_on=dt.date(2014, 3, 1),
        approved_on=dt.date(2014, 6, 1),
        period_start=dt.date(2014, 1, 1),
        period_end=dt.date(2019, 12, 31),
    )
    hidden = ZonalSecurityPlanFactory(zone=other, nsp=nsp)
    ids: dict[str, list[int]] = {}
    for plan in (draft, approved, hidden):
        objective = ObjectiveFactory(plan=plan)
        indicator = IndicatorFactory(objective=objective)
        measurement = MeasurementFactory(indicator=indicator, period="2016-Q1")
        action = ActionFactory(objective=objective)
        alignment = NationalAlignmentFactory(plan=plan, phenomenon=phenomenon)
        comment = CommentFactory(plan=plan)
        for resource, obj in (
            ("zonal-plans", plan),
            ("objectives", objective),
            ("indicators", indicator),
            ("measurements", measurement),
            ("actions", action),
            ("alignments", alignment),
            ("comments", comment),
        ):
            ids.setdefault(resource, []).append(obj.pk)
    programme = ProgrammeFactory(nsp=nsp)
    ids.update(
        {
            "programmes": [programme.pk],
            "zones": [own.pk, other.pk],
            "districts": [own.district_id],
            "nsp-editions": [nsp.pk],
            "phenomena": [phenomenon.pk],
            "clusters": [phenomenon.cluster_id],
            "themes": [theme.pk],
        }
    )
    w.ids = ids
    w.cycles = {resource: itertools.cycle(values) for resource, values in ids.items()}
    w.users = {
        "zone_chief": user_with_role("zone_chief", zone=own),
        "committee_member": user_with_role("committee_member"),
    }
    from rest_framework.authtoken.models import Token

    w.headers = {role: {"Authorization": f"Token {Token.objects.create(user=u).key}"} for role, u in w.users.items()}
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The module's data, in a transaction rolled back once the module is done."""
    # Requests go through the WSGI handler, which closes the connection after each request (and with it
    # the transaction holding the data); Django's own test client turns that off the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def api_schema(world, django_db_blocker):
    from nsp.wsgi import application

    with django_db_blocker.unblock():
        loaded = schemathesis.openapi.from_wsgi("/api/schema/", application)
    loaded.config.phases.update(phases=PHASES)
    loaded.config.generation.update(modes=["positive", "negative"], max_examples=MAX_EXAMPLES, deterministic=True)
    loaded.config.checks.update(included_check_names=CHECKS)
    # 412: a negative If-Match is still a precondition that fails.
    loaded.config.checks.negative_data_rejection.expected_statuses = [
        *loaded.config.checks.negative_data_rejection.expected_statuses,
        "412",
    ]
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


def aim_at_real_objects(case, world) -> None:
    """Valid cases name existing objects (readable or not) instead of random ids."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return
    resource = case.operation.path.split("/")[3]
    if "id" in (case.path_parameters or {}) and resource in world.cycles:
        case.path_parameters["id"] = next(world.cycles[resource])
    if isinstance(case.body, dict):
        for key, target in BODY_KEYS.items():
            if isinstance(case.body.get(key), int) and target in world.ids and CHOOSE.random() < 0.8:
                case.body[key] = CHOOSE.choice(world.ids[target])


def run(case, world, role: str) -> None:
    aim_at_real_objects(case, world)
    with transaction.atomic():
        case.call_and_validate(headers=world.headers[role])
        transaction.set_rollback(True)


@pytest.mark.django_db
@schema.parametrize()
def test_api_as_a_zone_chief(case, world):
    run(case, world, "zone_chief")


@pytest.mark.django_db
@schema.parametrize()
def test_api_as_a_committee_member(case, world):
    run(case, world, "committee_member")
