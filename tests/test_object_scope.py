"""Nobody writes into a plan outside their scope, nor moves a row into another plan.

- Creating in another zone's plan (page POST and API POST) is refused: 404 (or the API's 400 "does not
  exist" on the parent) when that plan is unreadable, 403 when it is readable; nothing is written.
- A row of one's own plan pointing into another plan (a parent, an objective, an indicator, the plan or
  the zone itself) is refused with a message that names the problem, whether the other plan belongs to
  another zone or to the same zone; counts and values stay as they were. Administrators included: rows
  never change plan.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from nsp import services
from nsp.exceptions import DomainError
from nsp.models import Action, Comment, Indicator, Measurement, Objective
from tests.permission_matrix.effects import Unchanged
from tests.permission_matrix.specs import csv_upload
from tests.permission_matrix.world import World, world_in_transaction
from zones.models import Expectation, MatrixCandidate, NationalAlignment, ZonalSecurityPlan

API = "/api/v1/"
CONTENT_MODELS = (Objective, Indicator, Measurement, Action, Comment, Expectation, MatrixCandidate, NationalAlignment)
# The other plan a row is pointed at: another zone's, unreadable to the zone chief (a draft) or readable but
# not theirs to change (adopted); and another plan of the same zone (adopted).
ELSEWHERE = {
    "other zone, draft": ("other", "draft"),
    "other zone, adopted": ("other", "adopted"),
    "same zone, adopted": ("own", "adopted"),
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from world_in_transaction(django_db_blocker, tmp_path_factory.mktemp("scope-media"))


def error_message(response) -> tuple[str, dict]:
    body = response.json()
    return body.get("message", ""), body.get("extra", {}).get("fields", {})


# --- creating in another zone's plan -----------------------------------------------------------------


OBJECTIVE = {"level": "strategic", "title": "Smuggled", "kind": "priority", "weight": "1", "position": "0"}
INDICATOR = {
    "name": "Smuggled",
    "unit": "cases",
    "source": "internal",
    "baseline_value": "10",
    "baseline_date": "2016-01-01",
    "target_value": "5",
    "target_date": "2019-12-31",
    "direction": "decrease",
    "frequency": "quarterly",
    "weight": "1",
    "position": "0",
}
ACTION = {"title": "Smuggled", "owner": "Unit", "start_date": "2016-01-01", "due_date": "2016-12-31", "weight": "1"}
MEASUREMENT = {"period": "2016-Q2", "value": "4"}
EXPECTATION = {"source": "partners", "text": "Smuggled", "position": "0"}


def page_creations(w: World, relation: str, state: str) -> list[tuple[str, dict, bool]]:
    """(page, what it posts, whether its GET is refused too). The alignment page shows every reader the
    alignment; only its POST changes it. Anyone who reads a plan may comment, so only an unreadable one
    refuses a comment."""
    c = w.plans[(relation, state)]
    key = f"theme-{w.priority_theme.pk}"
    alignment = {"priority": key, f"{key}-adopted": "no", f"{key}-justification": "Smuggled"}
    creations = [
        (reverse("nsp:objective-add", kwargs={"pk": c.plan.pk}), OBJECTIVE, True),
        (reverse("nsp:indicator-add", kwargs={"pk": c.objective.pk}), INDICATOR, True),
        (reverse("nsp:action-add", kwargs={"pk": c.objective.pk}), {**ACTION, "position": "0"}, True),
        (reverse("nsp:measurement-add", kwargs={"pk": c.indicator.pk}), MEASUREMENT, True),
        (reverse("nsp:measurement-upload", kwargs={"pk": c.plan.pk}), {"file": csv_upload(c.indicator)}, True),
        (reverse("zones:expectation-add", kwargs={"pk": c.plan.pk}), EXPECTATION, True),
        (reverse("zones:candidate-add", kwargs={"pk": c.plan.pk}), {"label": "Smuggled"}, True),
        (reverse("zones:plan-alignment", kwargs={"pk": c.plan.pk}), alignment, REFUSED[(relation, state)] == 404),
    ]
    if REFUSED[(relation, state)] == 404:
        creations.append((reverse("nsp:plan-comment-add", kwargs={"pk": c.plan.pk}), {"body": "Smuggled"}, True))
    return creations


def api_creations(w: World, relation: str, state: str) -> list[tuple[str, dict, str]]:
    c = w.plans[(relation, state)]
    alignment = {"plan": c.plan.pk, "theme": w.free_theme.pk, "adopted": False, "justification": "Smuggled"}
    creations = [
        ("objectives/", {"plan": c.plan.pk, "level": "strategic", "title": "Smuggled"}, "plan"),
        ("indicators/", {**INDICATOR, "objective": c.objective.pk}, "objective"),
        ("actions/", {**ACTION, "objective": c.objective.pk}, "objective"),
        ("measurements/", {**MEASUREMENT, "indicator": c.indicator.pk}, "indicator"),
        ("expectations/", {**EXPECTATION, "plan": c.plan.pk}, "plan"),
        ("matrix-candidates/", {"plan": c.plan.pk, "label": "Smuggled"}, "plan"),
        ("alignments/", alignment, "plan"),
    ]
    if REFUSED[(relation, state)] == 404:
        creations.append(("comments/", {"plan": c.plan.pk, "body": "Smuggled"}, "plan"))
    return creations


# An unreadable plan answers 404; a readable one 403. The approved plan records measurements (only its
# zone's editors may), so it is where a measurement is refused with 403.
REFUSED = {("other", "draft"): 404, ("other", "adopted"): 403, ("other", "approved"): 403}


@pytest.mark.parametrize(("relation", "state"), list(REFUSED), ids=[f"{r}-{s}" for r, s in REFUSED])
def test_pages_refuse_creating_in_another_zones_plan(world, db, relation, state):
    client, expected = world.pages["zone_chief"], REFUSED[(relation, state)]
    for path, data, get_refused in page_creations(world, relation, state):
        unchanged = Unchanged(CONTENT_MODELS, (world.plans[(relation, state)].plan,))
        before = unchanged.snapshot()
        if get_refused:
            assert client.get(path).status_code == expected, path
        response = client.post(path, data)
        assert response.status_code == expected, (path, response.status_code)
        assert unchanged.differences(before) is None, path


@pytest.mark.parametrize(("relation", "state"), list(REFUSED), ids=[f"{r}-{s}" for r, s in REFUSED])
def test_api_refuses_creating_in_another_zones_plan(world, db, relation, state):
    client, expected = world.api["zone_chief"], REFUSED[(relation, state)]
    plan = world.plans[(relation, state)].plan
    calls = [(f"{API}{path}", data, field, "json") for path, data, field in api_creations(world, relation, state)]
    upload = {"file": csv_upload(world.plans[(relation, state)].indicator)}
    calls.append((f"{API}zonal-plans/{plan.pk}/measurements/import/", upload, "", "multipart"))
    for path, data, field, format in calls:
        unchanged = Unchanged(CONTENT_MODELS, (plan,))
        before = unchanged.snapshot()
        response = client.post(path, data, format=format)
        message, fields = error_message(response)
        if expected == 404 and response.status_code == 400:
            # The API does not say whether a row it hides exists: "does not exist" on the parent.
            assert "does not exist" in " ".join(fields.get(field, [])), (path, message, fields)
        else:
            assert response.status_code == expected, (path, response.status_code, message)
        assert message, path
        assert unchanged.differences(before) is None, path


# --- pointing a row of one's own plan into another plan --------------------------------------------------


def moves(w: World, relation: str, state: str) -> list[tuple[str, str, object, str, object]]:
    """(endpoint, field, own row, field, value in the other plan) for every foreign key a row can be moved by."""
    own, own_approved, there = w.plans[("own", "draft")], w.plans[("own", "approved")], w.plans[(relation, state)]
    chief_comment = w.comments["zone_chief"]
    return [
        ("objectives", own.objective, "plan", there.plan.pk),
        ("objectives", own.child, "parent", there.objective.pk),
        ("indicators", own.indicator, "objective", there.objective.pk),
        ("actions", own.action, "objective", there.objective.pk),
        ("measurements", own_approved.measurement, "indicator", there.indicator.pk),
        ("expectations", own.expectation, "plan", there.plan.pk),
        ("matrix-candidates", own.candidate, "plan", there.plan.pk),
        ("alignments", own.justified, "plan", there.plan.pk),
        ("comments", chief_comment, "plan", there.plan.pk),
        ("comments", chief_comment, "objective", there.objective.pk),
        ("zonal-plans", own.plan, "zone", there.plan.zone_id),
    ]


def read_only_plan_moves(w: World, relation: str, state: str) -> list[tuple[str, str, object, str, object]]:
    """Rows whose ``plan`` the API shows read-only (it follows the objective or the indicator)."""
    own, own_approved, there = w.plans[("own", "draft")], w.plans[("own", "approved")], w.plans[(relation, state)]
    return [
        ("indicators", own.indicator, "plan", there.plan.pk),
        ("actions", own.action, "plan", there.plan.pk),
        ("measurements", own_approved.measurement, "plan", there.plan.pk),
    ]


def refused_moves(world: World, actor: str, elsewhere: str, cases) -> list[str]:
    """What went wrong when ``actor`` points each row of ``cases`` into the other plan (empty: all refused)."""
    relation, state = ELSEWHERE[elsewhere]
    client = world.api[actor]
    problems = []
    for resource, row, field, value in cases(world, relation, state):
        if resource == "zonal-plans" and relation == "own":
            continue  # a plan's zone is its own zone
        unchanged = Unchanged((*CONTENT_MODELS, ZonalSecurityPlan), (row,))
        before = unchanged.snapshot()
        response = client.patch(f"{API}{resource}/{row.pk}/", {field: value}, format="json")
        message, fields = error_message(response) if response.status_code >= 400 else ("", {})
        if response.status_code not in (400, 403, 404):
            problems.append(f"{resource}.{field} -> {elsewhere}: {response.status_code}, expected a refusal")
        elif not (message and fields.get(field)):
            # A clear refusal: a message, and the field it is about among the field errors.
            problems.append(f"{resource}.{field} -> {elsewhere}: the refusal does not say why: {message} {fields}")
        if (difference := unchanged.differences(before)) is not None:
            problems.append(f"{resource}.{field} -> {elsewhere}: {difference}")
    return problems


@pytest.mark.parametrize("actor", ["zone_chief", "admin"])
@pytest.mark.parametrize("elsewhere", list(ELSEWHERE))
def test_api_refuses_pointing_a_row_into_another_plan(world, db, actor, elsewhere):
    assert not refused_moves(world, actor, elsewhere, moves)


@pytest.mark.parametrize("elsewhere", list(ELSEWHERE))
def test_api_refuses_naming_another_plan_where_the_plan_is_read_only(world, db, elsewhere):
    assert not refused_moves(world, "zone_chief", elsewhere, read_only_plan_moves)


@pytest.mark.parametrize("elsewhere", list(ELSEWHERE))
def test_pages_refuse_pointing_a_row_into_another_plan(world, db, elsewhere):
    """The edit pages offer only the plan's own objectives; posting another plan's is refused with a message."""
    relation, state = ELSEWHERE[elsewhere]
    own, there = world.plans[("own", "draft")], world.plans[(relation, state)]
    client = world.pages["zone_chief"]
    child, candidate = own.child, own.candidate
    moved_child = {**OBJECTIVE, "level": "tactical", "parent": there.objective.pk, "title": child.title}
    chosen = {"label": candidate.label, "chosen": "on", "objective": there.objective.pk}
    cases = [
        (reverse("nsp:objective-edit", kwargs={"pk": child.pk}), moved_child, child),
        (reverse("zones:candidate-edit", kwargs={"pk": candidate.pk}), chosen, candidate),
    ]
    for path, data, row in cases:
        unchanged = Unchanged(CONTENT_MODELS, (row,))
        before = unchanged.snapshot()
        response = client.post(path, data)
        assert response.status_code == 200, (path, response.status_code)
        assert "Select a valid choice" in response.content.decode(), path
        assert unchanged.differences(before) is None, path


@pytest.mark.parametrize("elsewhere", list(ELSEWHERE))
def test_creating_in_ones_own_plan_cannot_point_into_another(world, db, elsewhere):
    """A new row of one's own draft naming a parent, an objective or an item of another plan is refused."""
    relation, state = ELSEWHERE[elsewhere]
    own, there = world.plans[("own", "draft")], world.plans[(relation, state)]
    client = world.api["zone_chief"]
    plan, theirs = own.plan.pk, there.objective.pk
    calls = [
        ("objectives/", {"plan": plan, "parent": theirs, "level": "tactical", "title": "Mixed"}),
        ("matrix-candidates/", {"plan": plan, "label": "Mixed", "chosen": True, "objective": theirs}),
        ("alignments/", {"plan": plan, "theme": world.free_theme.pk, "adopted": True, "objectives": [theirs]}),
        ("comments/", {"plan": plan, "objective": theirs, "body": "Mixed"}),
    ]
    for path, data in calls:
        unchanged = Unchanged(CONTENT_MODELS, ())
        before = unchanged.snapshot()
        response = client.post(f"{API}{path}", data, format="json")
        assert response.status_code in (400, 403, 404), (path, response.status_code, response.content[:300])
        message, _fields = error_message(response)
        assert message, path
        assert unchanged.differences(before) is None, path


@pytest.mark.parametrize("elsewhere", list(ELSEWHERE))
def test_moving_an_objective_to_another_plan_is_refused_even_for_an_administrator(world, db, elsewhere):
    relation, state = ELSEWHERE[elsewhere]
    objective, there = world.plans[("own", "draft")].objective, world.plans[(relation, state)].plan
    admin = world.users["admin"]
    with pytest.raises(DomainError, match="cannot move to another plan"):
        services.objective_update(actor=admin, objective=objective, plan=there)
    response = world.api["admin"].patch(f"{API}objectives/{objective.pk}/", {"plan": there.pk}, format="json")
    assert response.status_code == 400, response.content[:300]
    assert "cannot move to another plan" in response.json()["message"]
    objective.refresh_from_db()
    assert objective.plan_id == world.plans[("own", "draft")].plan.pk
    assert not Objective.objects.filter(plan=there, title=objective.title).exists()
