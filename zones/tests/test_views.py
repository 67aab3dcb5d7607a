"""Pages of zones and zonal plans: who sees what, every form's happy and error path, workflow buttons per
role and state, and the query counts of the lists and the plan page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nsp.models import Objective, PlanStatus
from nsp.tests.test_views_scenario import build, form_data, sql_lines, zonal_plan
from tests.factories import (
    ActionFactory,
    DistrictFactory,
    IndicatorFactory,
    MeasurementFactory,
    NationalSecurityPlanFactory,
    ObjectiveFactory,
    PoliceZoneFactory,
    sign_in,
    user_with_role,
)
from zones import services
from zones.models import (
    Expectation,
    LocalPoliceVision,
    MatrixCandidate,
    MatrixScore,
    NationalAlignment,
    PlanSection,
    PlanTransition,
    RegionalSecurityPlan,
    ZonalSecurityPlan,
)

pytestmark = pytest.mark.django_db
S = PlanStatus


def scope_for(role: str, zone) -> dict:
    """The scope a role takes for a zone: the zone itself, its district, or none."""
    if role.startswith("zone_"):
        return {"zone": zone}
    if role == "federal_reviewer":
        return {"district": zone.district}
    return {}


def plan_url(name: str, plan) -> str:
    return reverse(f"zones:{name}", kwargs={"pk": plan.pk})


def align_everything(world) -> None:
    """Answer every national priority of the world's edition, so the draft may leave draft."""
    NationalAlignment.objects.create(
        plan=world.plan, phenomenon=world.phenomena[1], adopted=False, justification="Rare here."
    )
    NationalAlignment.objects.create(plan=world.plan, theme=world.theme, adopted=False, justification="Federal.")


# --- zones -----------------------------------------------------------------------------------------------


def test_zone_list_searches_and_filters(client):
    world = build()
    world.zone.name_nl = "PZ Gent"
    world.zone.save()
    incomplete = PoliceZoneFactory(number=None, key="pz-nameless", district=None)
    sign_in(client, "committee_member")
    response = client.get(reverse("zones:zone-list"), {"search": "Gent"})
    assert response.status_code == 200
    assert list(response.context["rows"]) == [world.zone]
    response = client.get(reverse("zones:zone-list"), {"incomplete": "true"})
    assert list(response.context["rows"]) == [incomplete]
    assert "Incomplete data" in response.content.decode()
    response = client.get(reverse("zones:zone-list"), {"district": world.zone.district.code})
    assert list(response.context["rows"]) == [world.zone]


def test_zone_list_answers_htmx_with_the_rows_only(client):
    build()
    sign_in(client, "committee_member")
    response = client.get(reverse("zones:zone-list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results"') and "<html" not in html


@pytest.mark.parametrize("count", [5, 50])
def test_zone_list_runs_a_fixed_number_of_queries(client, count):
    district = DistrictFactory()
    for _ in range(count):
        PoliceZoneFactory(district=district)
    sign_in(client, "committee_member")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("zones:zone-list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == count
    # session, user, roles, districts (filter form), count, rows
    assert len(queries) == 6, sql_lines(queries)


def test_zone_detail_shows_the_plans_the_user_may_read(client):
    world = build()
    sign_in(client, "committee_member")
    response = client.get(reverse("zones:zone", kwargs={"key": world.zone.key}))
    assert response.status_code == 200
    assert world.plan.title not in response.content.decode()  # a draft: not for the committee
    assert "Draft a zonal plan" not in response.content.decode()
    sign_in(client, "zone_chief", zone=world.zone)
    html = client.get(reverse("zones:zone", kwargs={"key": world.zone.key})).content.decode()
    assert world.plan.title in html and "Draft a zonal plan" in html


def test_zone_pages_need_a_role_and_a_login(client):
    world = build()
    url = reverse("zones:zone", kwargs={"key": world.zone.key})
    assert client.get(url).status_code == 302
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(user_with_role("committee_member"))
    assert client.get(reverse("zones:zone", kwargs={"key": "no-such-zone"})).status_code == 404


# --- zonal plan list ---------------------------------------------------------------------------------------


def test_plan_list_filters_by_status_zone_district_and_search(client):
    world = build(S.APPROVED)
    other = zonal_plan(S.SUBMITTED, zone=world.other_zone, nsp=world.nsp)
    sign_in(client, "committee_member")
    url = reverse("zones:plan-list")
    assert set(client.get(url).context["rows"]) == {world.plan, other}
    assert list(client.get(url, {"status": "submitted"}).context["rows"]) == [other]
    assert list(client.get(url, {"zone": world.zone.number}).context["rows"]) == [world.plan]
    assert list(client.get(url, {"district": world.other_zone.district.code}).context["rows"]) == [other]
    assert list(client.get(url, {"search": world.other_zone.number}).context["rows"]) == [other]
    assert list(client.get(url, {"period": "2019"}).context["rows"]) == []
    assert set(client.get(url, {"progress_status": "no_data"}).context["rows"]) == {other}
    ordered = list(client.get(url, {"ordering": "-zone"}).context["rows"])
    assert ordered == sorted([world.plan, other], key=lambda p: p.zone.number, reverse=True)


def test_plan_list_hides_drafts_of_other_zones_and_shows_progress(client):
    world = build()
    other_draft = zonal_plan(S.DRAFT, zone=world.other_zone, nsp=world.nsp)
    sign_in(client, "zone_chief", zone=world.zone)
    response = client.get(reverse("zones:plan-list"))
    rows = list(response.context["rows"])
    assert rows == [world.plan] and other_draft not in rows
    html = response.content.decode()
    assert "Draft a plan for" in html
    assert 'class="progress progress--' in html and "Draft" in html


@pytest.mark.parametrize("count", [5, 50])
def test_plan_list_runs_a_fixed_number_of_queries(client, count):
    nsp = NationalSecurityPlanFactory()
    for _ in range(count):
        plan = zonal_plan(S.APPROVED, nsp=nsp)
        objective = ObjectiveFactory(plan=plan)
        MeasurementFactory(indicator=IndicatorFactory(objective=objective))
        ActionFactory(objective=objective)
    sign_in(client, "committee_member")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("zones:plan-list"), {"status": "approved"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(count, 25)
    # session, user, roles, user and group permissions, count, draft zones, districts (filter form), rows,
    # the page's progress (each plan of the page totalled once, after paginating)
    assert len(queries) == 8, sql_lines(queries)


# --- zonal plan page ---------------------------------------------------------------------------------------


def test_plan_page_shows_every_part_to_the_zone_chief(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    response = client.get(plan_url("plan", world.plan))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        world.plan.title,
        world.objective.title,
        world.child.title,
        "Fewer burglaries.",
        "Burglaries",
        world.comment.body,
        "Record council adoption",
        "Edit the plan details",
        "Write the plan document",
        "national priorities still need an answer",
    ):
        assert text in html, text
    assert html.count("<h1") == 1


@pytest.mark.parametrize(
    ("role", "status", "own", "expected"),
    [
        ("zone_chief", S.DRAFT, True, 200),
        ("zone_planner", S.DRAFT, True, 200),
        ("zone_chief", S.DRAFT, False, 404),
        ("federal_reviewer", S.DRAFT, True, 404),
        ("committee_member", S.DRAFT, None, 404),
        ("committee_member", S.ADOPTED, None, 200),
        ("cppl_member", S.CLOSED, None, 200),
        ("federal_reviewer", S.SUBMITTED, False, 200),
    ],
)
def test_plan_page_is_read_by_whom_the_matrix_says(client, role, status, own, expected):
    world = build(status)
    zone = world.zone if own else world.other_zone
    sign_in(client, role, **scope_for(role, zone))
    assert client.get(plan_url("plan", world.plan)).status_code == expected


def test_plan_page_needs_a_login(client):
    world = build(S.APPROVED)
    response = client.get(plan_url("plan", world.plan))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


STEP_BUTTONS = {
    "adopt": "Record council adoption",
    "submit": "Submit for approval",
    "withdraw": "Reopen the adopted draft",
    "approve": "Approve",
    "return": "Return to the zone",
    "reopen": "Reopen for an addendum",
    "close": "Close at the end of the period",
}


@pytest.mark.parametrize(
    ("role", "status", "steps"),
    [
        ("zone_chief", S.DRAFT, {"adopt"}),
        ("zone_planner", S.DRAFT, set()),
        ("zone_chief", S.ADOPTED, {"submit", "withdraw"}),
        ("zone_chief", S.SUBMITTED, set()),
        ("federal_reviewer", S.SUBMITTED, {"approve", "return"}),
        ("federal_reviewer", S.APPROVED, set()),
        ("zone_chief", S.APPROVED, {"reopen", "close"}),
        ("committee_member", S.SUBMITTED, set()),
        ("zone_chief", S.CLOSED, set()),
    ],
)
def test_workflow_buttons_per_role_and_state(client, role, status, steps):
    world = build(status)
    sign_in(client, role, **scope_for(role, world.zone))
    response = client.get(plan_url("plan", world.plan))
    shown = {item["step"].name for item in response.context["steps"]}
    assert shown == steps
    html = response.content.decode()
    for name, label in STEP_BUTTONS.items():
        if name in steps:
            assert f'value="{name}"' in html
        else:
            assert f'name="step" value="{name}"' not in html, label


@pytest.mark.parametrize("count", [5, 50])
def test_plan_page_runs_a_fixed_number_of_queries(client, count):
    world = build(S.APPROVED)
    for n in range(count):
        objective = ObjectiveFactory(plan=world.plan, parent=world.objective, level="tactical", code=f"T{n}")
        MeasurementFactory(indicator=IndicatorFactory(objective=objective))
        ActionFactory(objective=objective)
        Expectation.objects.create(plan=world.plan, source="partners", text=f"Expectation {n}")
        MatrixCandidate.objects.create(plan=world.plan, label=f"Candidate {n}")
        PlanSection.objects.create(plan=world.plan, title=f"Heading {n}", body=f"*Text* {n}", position=n)
    user = sign_in(client, "zone_chief", zone=world.zone)
    from nsp.services import comment_create

    for n in range(count):
        comment_create(actor=user, plan=world.plan, objective=world.objective, body=f"Comment {n}")
    Objective.history.filter(plan_id=world.plan.pk).update(history_user=user)  # the History names its people
    with CaptureQueriesContext(connection) as queries:
        response = client.get(plan_url("plan", world.plan))
    assert response.status_code == 200
    assert [row.depth for row in response.context["tree"]].count(1) == count + 1
    assert len(response.context["document"]) == count + 1  # and the world's mission chapter
    # The plan document adds two queries, whatever its size: its sections and their history; the tree's
    # indicators and actions two more.
    assert len(queries) == 26, sql_lines(queries)


def _rows_rendered(response) -> int:
    return sum(1 for t in response.templates if t.name == "includes/objective_row.html")


@pytest.mark.parametrize(
    ("role", "status", "renders_per_objective"),
    [("committee_member", S.APPROVED, 1), ("zone_chief", S.DRAFT, 2)],
)
def test_plan_page_renders_each_objective_row_once_per_look(client, role, status, renders_per_objective):
    """The tree tab and the document's priorities chapter show the same rows: a reader's page renders each row
    once and shows it in both; an editor's tab carries the tools the document has not, so both are rendered."""
    world = build(status)
    PlanSection.objects.create(plan=world.plan, key="priorities", position=5)
    IndicatorFactory(objective=world.child, name="Break-ins per 1,000 homes")
    sign_in(client, role, **scope_for(role, world.zone))
    response = client.get(plan_url("plan", world.plan))
    assert response.status_code == 200
    objectives = len(response.context["tree"])
    assert objectives >= 2
    assert _rows_rendered(response) == renders_per_objective * objectives
    html = response.content.decode()
    indicator = world.child.indicators.get(name="Break-ins per 1,000 homes")
    assert html.count(f'id="indicator-{indicator.pk}"') == 1  # the tab's row is its anchor, the chapter's has no id
    assert html.count('<li><span class="tree__part">') >= 2  # the chapter's copy: the same part, without its id
    assert html.count('data-toolbar aria-label="Build under') == (objectives if status == S.DRAFT else 0)
    ids = re.findall(r' id="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []  # every id names one element of the page


# --- create, edit, delete ----------------------------------------------------------------------------------


def test_zone_chief_drafts_a_plan(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    url = reverse("zones:plan-create", kwargs={"key": world.zone.key})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"nsp": world.nsp.pk, "title": "Plan 2026-2031", "period_start": "2026-01-01", "period_end": "2031-12-31"},
    )
    plan = ZonalSecurityPlan.objects.get(title="Plan 2026-2031")
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.zone == world.zone and plan.status == S.DRAFT


def test_drafting_an_overlapping_plan_shows_the_reason_and_saves_nothing(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    response = client.post(
        reverse("zones:plan-create", kwargs={"key": world.zone.key}),
        {"nsp": world.nsp.pk, "title": "Overlap", "period_start": "2022-01-01", "period_end": "2027-12-31"},
    )
    assert response.status_code == 200
    assert "overlapping period" in response.content.decode()
    assert response.context["form"].errors["period_start"]
    assert not ZonalSecurityPlan.objects.filter(title="Overlap").exists()


@pytest.mark.parametrize(("role", "own", "expected"), [("zone_planner", True, 403), ("zone_chief", False, 403)])
def test_only_the_zone_chief_drafts_a_plan(client, role, own, expected):
    world = build()
    sign_in(client, role, zone=world.zone)
    zone = world.zone if own else world.other_zone
    url = reverse("zones:plan-create", kwargs={"key": zone.key})
    assert client.get(url).status_code == expected
    assert client.post(url, {"title": "x"}).status_code == expected


def test_plan_text_edit_happy_and_error_paths(client):
    world = build()
    sign_in(client, "zone_planner", zone=world.zone)
    url = plan_url("plan-edit", world.plan)
    form = client.get(url).context["form"]
    data = form_data(form, title="Serve and protect.")
    response = client.post(url, data)
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.title == "Serve and protect."
    data.update(period_end="2019-01-01", title="Changed again")
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors
    world.plan.refresh_from_db()
    assert world.plan.title == "Serve and protect."


def test_plan_edit_is_refused_once_adopted_and_hidden_for_drafts_of_others(client):
    world = build(S.ADOPTED)
    sign_in(client, "zone_chief", zone=world.zone)
    assert client.get(plan_url("plan-edit", world.plan)).status_code == 403
    assert client.post(plan_url("plan-edit", world.plan), {"title": "x"}).status_code == 403
    other = zonal_plan(S.DRAFT, zone=world.other_zone, nsp=world.nsp)
    assert client.get(plan_url("plan-edit", other)).status_code == 404


def test_zone_chief_deletes_a_draft_but_a_planner_may_not(client):
    world = build()
    sign_in(client, "zone_planner", zone=world.zone)
    assert client.post(plan_url("plan-delete", world.plan)).status_code == 403
    sign_in(client, "zone_chief", zone=world.zone)
    assert "Delete" in client.get(plan_url("plan-delete", world.plan)).content.decode()
    response = client.post(plan_url("plan-delete", world.plan))
    assert response.status_code == 302 and response["Location"] == world.zone.get_absolute_url()
    assert not ZonalSecurityPlan.objects.filter(pk=world.plan.pk).exists()


# --- the workflow ------------------------------------------------------------------------------------------


def test_chief_records_the_council_adoption(client):
    world = build()
    align_everything(world)
    sign_in(client, "zone_chief", zone=world.zone)
    url = plan_url("plan-transition", world.plan)
    assert client.get(url, {"step": "adopt"}).status_code == 200
    response = client.post(url, {"step": "adopt", "on_date": "2020-03-01"})
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.status == S.ADOPTED and world.plan.council_adopted_on == dt.date(2020, 3, 1)
    assert PlanTransition.objects.filter(plan=world.plan, to_status=S.ADOPTED).exists()


def test_leaving_draft_with_missing_priorities_lists_them(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    response = client.post(plan_url("plan-transition", world.plan), {"step": "adopt", "on_date": "2020-03-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot leave draft" in html and str(world.theme) in html
    assert "Complete the national alignment" in html
    world.plan.refresh_from_db()
    assert world.plan.status == S.DRAFT and not PlanTransition.objects.exists()


def test_a_step_without_its_date_is_refused_on_the_date_field(client):
    world = build()
    align_everything(world)
    sign_in(client, "zone_chief", zone=world.zone)
    response = client.post(plan_url("plan-transition", world.plan), {"step": "adopt", "on_date": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["on_date"]
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(plan_url("plan-transition", world.plan), {"step": "adopt", "on_date": future})
    assert "future" in response.content.decode()
    world.plan.refresh_from_db()
    assert world.plan.status == S.DRAFT


def test_reviewer_returns_a_plan_with_a_reason(client):
    world = build(S.SUBMITTED)
    sign_in(client, "federal_reviewer", district=world.zone.district)
    url = plan_url("plan-transition", world.plan)
    response = client.post(url, {"step": "return", "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    response = client.post(url, {"step": "return", "reason": "Road safety is missing."})
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.status == S.DRAFT
    assert PlanTransition.objects.get(plan=world.plan).reason == "Road safety is missing."


def test_the_return_reason_waits_for_the_zone_on_its_plan_and_home_until_resubmitted(client):
    world = build(S.SUBMITTED)
    reviewer = user_with_role("federal_reviewer", district=world.zone.district)
    services.plan_transition(actor=reviewer, plan=world.plan, to_status=S.DRAFT, reason="Road safety is missing.")
    chief = sign_in(client, "zone_chief", zone=world.zone)
    plan_page = client.get(world.plan.get_absolute_url()).content.decode()
    assert "Road safety is missing." in plan_page and "returned to the zone by" in plan_page
    home = client.get(reverse("nsp:home")).content.decode()
    assert "Plans returned to your zone" in home and "Road safety is missing." in home
    # Another zone's chief is not told; once the plan moves on, the notice goes.
    other = PoliceZoneFactory()
    client.force_login(user_with_role("zone_chief", zone=other))
    assert "Road safety is missing." not in client.get(reverse("nsp:home")).content.decode()
    align_everything(world)
    services.plan_transition(actor=chief, plan=world.plan, to_status=S.ADOPTED, on_date=dt.date.today())
    client.force_login(chief)
    assert "Road safety is missing." not in client.get(reverse("nsp:home")).content.decode()
    assert "returned to the zone by" not in client.get(world.plan.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("role", "status", "step", "expected"),
    [
        ("zone_planner", S.DRAFT, "adopt", 403),
        ("zone_chief", S.SUBMITTED, "approve", 403),
        ("committee_member", S.SUBMITTED, "approve", 403),
        ("committee_member", S.DRAFT, "adopt", 404),
        ("zone_chief", S.DRAFT, "no-such-step", 404),
    ],
)
def test_workflow_steps_are_refused_to_whom_the_matrix_refuses(client, role, status, step, expected):
    world = build(status)
    sign_in(client, role, **scope_for(role, world.zone))
    response = client.post(plan_url("plan-transition", world.plan), {"step": step, "on_date": "2020-05-01"})
    assert response.status_code == expected
    world.plan.refresh_from_db()
    assert world.plan.status == status


# --- alignment ---------------------------------------------------------------------------------------------


def test_alignment_page_lists_every_priority_and_what_is_missing(client):
    world = build()
    sign_in(client, "zone_planner", zone=world.zone)
    response = client.get(plan_url("plan-alignment", world.plan))
    assert response.status_code == 200
    assert len(response.context["items"]) == 3
    assert {str(item["row"].priority) for item in response.context["missing"]} == {
        str(world.phenomena[1]),
        str(world.theme),
    }
    assert response.content.decode().count('name="priority"') == 3


def test_alignment_adopt_with_objectives_and_refuse_without_justification(client):
    world = build()
    sign_in(client, "zone_planner", zone=world.zone)
    url = plan_url("plan-alignment", world.plan)
    key = f"theme-{world.theme.pk}"
    response = client.post(url, {"priority": key, f"{key}-adopted": "yes", f"{key}-objectives": [world.objective.pk]})
    assert response.status_code == 302 and response["Location"].endswith(f"#{key}")
    alignment = NationalAlignment.objects.get(plan=world.plan, theme=world.theme)
    assert alignment.adopted and list(alignment.objectives.all()) == [world.objective]
    key = f"phenomenon-{world.phenomena[1].pk}"
    response = client.post(url, {"priority": key, f"{key}-adopted": "no", f"{key}-justification": ""})
    assert response.status_code == 200
    assert "Say why the plan does not adopt" in response.content.decode()
    assert not NationalAlignment.objects.filter(plan=world.plan, phenomenon=world.phenomena[1]).exists()


def test_alignment_row_saves_through_htmx(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    key = f"phenomenon-{world.phenomena[1].pk}"
    response = client.post(
        plan_url("plan-alignment", world.plan),
        {"priority": key, f"{key}-adopted": "no", f"{key}-justification": "Handled federally."},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith(f'<section id="{key}"')
    assert "Saved." in html and "Handled federally." in html


def test_alignment_is_read_only_after_adoption(client):
    world = build(S.ADOPTED)
    sign_in(client, "committee_member")
    response = client.get(plan_url("plan-alignment", world.plan))
    assert response.status_code == 200 and 'name="priority"' not in response.content.decode()
    key = f"theme-{world.theme.pk}"
    assert client.post(plan_url("plan-alignment", world.plan), {"priority": key}).status_code == 403


def test_alignment_answer_can_be_cleared(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    url = reverse("zones:alignment-delete", kwargs={"pk": world.alignment.pk})
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not NationalAlignment.objects.filter(pk=world.alignment.pk).exists()


# --- argumentation matrix ----------------------------------------------------------------------------------


def test_matrix_scores_are_saved_changed_and_cleared_in_one_form(client):
    world = build()
    sign_in(client, "zone_planner", zone=world.zone)
    url = plan_url("plan-matrix", world.plan)
    c = world.candidate.pk
    response = client.post(url, {f"score-{c}-mayors": "", f"score-{c}-prosecutor": "3", f"score-{c}-population": "5"})
    assert response.status_code == 302
    scores = dict(MatrixScore.objects.filter(candidate=world.candidate).values_list("source", "score"))
    assert scores == {"prosecutor": 3, "population": 5}
    page = client.get(url)
    assert page.context["rows"][0]["candidate"].total == 8


def test_matrix_grid_is_saved_by_one_service_call(client, monkeypatch):
    world = build()
    sign_in(client, "zone_planner", zone=world.zone)
    calls = []
    save = services.matrix_scores_save

    def counted(**kwargs):
        calls.append(kwargs)
        return save(**kwargs)

    monkeypatch.setattr(services, "matrix_scores_save", counted)
    c = world.candidate.pk
    response = client.post(plan_url("plan-matrix", world.plan), {f"score-{c}-mayors": "2", f"score-{c}-partners": "1"})
    assert response.status_code == 302
    assert len(calls) == 1 and calls[0]["plan"].pk == world.plan.pk
    assert calls[0]["scores"][(c, "mayors")] == 2
    assert MatrixScore.objects.get(candidate=world.candidate, source="mayors").history.latest().history_user is not None


def test_matrix_refuses_a_score_out_of_range_and_keeps_the_old_ones(client):
    world = build()
    sign_in(client, "zone_planner", zone=world.zone)
    c = world.candidate.pk
    response = client.post(plan_url("plan-matrix", world.plan), {f"score-{c}-mayors": "9"})
    assert response.status_code == 200 and response.context["form"].errors
    assert MatrixScore.objects.get(candidate=world.candidate).score == 4


def test_matrix_candidates_add_edit_and_delete(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    add = reverse("zones:candidate-add", kwargs={"pk": world.plan.pk})
    assert client.post(add, {"label": "Incivilities"}).status_code == 302
    response = client.post(add, {"label": "Burglaries"})
    assert response.status_code == 200 and MatrixCandidate.objects.filter(label="Burglaries").count() == 1
    candidate = MatrixCandidate.objects.get(label="Incivilities")
    edit = reverse("zones:candidate-edit", kwargs={"pk": candidate.pk})
    response = client.post(edit, {"label": "Incivilities", "chosen": "on", "objective": world.objective.pk})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.chosen and candidate.objective == world.objective
    response = client.post(edit, {"label": "Incivilities", "objective": world.objective.pk})
    assert response.status_code == 200 and "Only a chosen candidate" in response.content.decode()
    assert client.post(reverse("zones:candidate-delete", kwargs={"pk": candidate.pk})).status_code == 302
    assert not MatrixCandidate.objects.filter(pk=candidate.pk).exists()


def test_matrix_is_read_only_for_readers(client):
    world = build(S.SUBMITTED)
    sign_in(client, "federal_reviewer", district=world.zone.district)
    response = client.get(plan_url("plan-matrix", world.plan))
    assert response.status_code == 200 and 'name="score-' not in response.content.decode()
    c = world.candidate.pk
    assert client.post(plan_url("plan-matrix", world.plan), {f"score-{c}-mayors": "1"}).status_code == 403
    assert client.post(reverse("zones:candidate-add", kwargs={"pk": world.plan.pk}), {"label": "x"}).status_code == 403
    assert MatrixScore.objects.get(candidate=world.candidate).score == 4


# --- expectations ------------------------------------------------------------------------------------------


def test_expectations_by_source_with_add_edit_delete(client):
    world = build()
    sign_in(client, "zone_planner", zone=world.zone)
    page = client.get(plan_url("plan-expectations", world.plan))
    assert page.status_code == 200 and "Mayors" in page.content.decode()
    add = plan_url("expectation-add", world.plan)
    assert (
        client.post(add, {"source": "prosecutor", "text": "Intrafamily violence first.", "position": 0}).status_code
        == 302
    )
    response = client.post(add, {"source": "prosecutor", "text": "", "position": 0})
    assert response.status_code == 200 and response.context["form"].errors["text"]
    assert Expectation.objects.filter(plan=world.plan).count() == 2
    edit = reverse("zones:expectation-edit", kwargs={"pk": world.expectation.pk})
    assert client.post(edit, {"source": "mayors", "text": "Calm nights.", "position": 1}).status_code == 302
    world.expectation.refresh_from_db()
    assert world.expectation.text == "Calm nights."
    assert client.post(reverse("zones:expectation-delete", kwargs={"pk": world.expectation.pk})).status_code == 302
    assert not Expectation.objects.filter(pk=world.expectation.pk).exists()


def test_expectations_cannot_change_after_approval(client):
    world = build(S.APPROVED)
    sign_in(client, "zone_chief", zone=world.zone)
    page = client.get(plan_url("plan-expectations", world.plan))
    assert page.status_code == 200 and "Add an expectation" not in page.content.decode()
    edit = reverse("zones:expectation-edit", kwargs={"pk": world.expectation.pk})
    assert client.post(edit, {"source": "mayors", "text": "x", "position": 0}).status_code == 403


# --- regional plan and vision ------------------------------------------------------------------------------


def test_federal_planner_keeps_the_regional_plan(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    assert client.get(reverse("zones:regional-plan", kwargs={"pk": world.regional_plan.pk})).status_code == 200
    edit = reverse("zones:regional-plan-edit", kwargs={"pk": world.regional_plan.pk})
    assert client.get(edit).status_code == 403
    sign_in(client, "federal_planner")
    form = client.get(edit).context["form"]
    data = form_data(form, summary="Brussels priorities.")
    assert client.post(edit, data).status_code == 302
    world.regional_plan.refresh_from_db()
    assert world.regional_plan.summary == "Brussels priorities."
    data["period_end"] = "2000-01-01"
    response = client.post(edit, data)
    assert response.status_code == 200 and response.context["form"].errors


def test_federal_planner_adds_a_regional_plan_and_others_may_not(client):
    world = build()
    url = reverse("zones:regional-plan-create", kwargs={"pk": world.nsp.pk})
    sign_in(client, "cppl_member")
    assert client.get(url).status_code == 403
    sign_in(client, "federal_planner")
    data = {"title": "Plan 2025", "period_start": "2025-01-01", "period_end": "2028-12-31", "status": "draft"}
    response = client.post(url, {**data, "keep_tolerance": "0.05"})
    assert response.status_code == 302
    assert RegionalSecurityPlan.objects.filter(title="Plan 2025").exists()
    response = client.post(url, {**data, "title": "Backwards", "period_end": "2020-01-01", "keep_tolerance": "0.05"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not RegionalSecurityPlan.objects.filter(title="Backwards").exists()
    assert list(client.get(reverse("zones:regional-plan-list")).context["rows"])


def test_cppl_member_writes_the_local_police_vision(client):
    world = build()
    url = reverse("zones:vision-edit", kwargs={"pk": world.vision.pk})
    sign_in(client, "zone_chief", zone=world.zone)
    assert client.get(reverse("zones:vision", kwargs={"pk": world.vision.pk})).status_code == 200
    assert client.post(url, {"title": "x", "text": "y"}).status_code == 403
    sign_in(client, "cppl_member")
    assert client.post(url, {"title": "Our view", "text": "Local first."}).status_code == 302
    world.vision.refresh_from_db()
    assert world.vision.text == "Local first."
    response = client.post(url, {"title": "Our view", "text": ""})
    assert response.status_code == 200 and response.context["form"].errors["text"]


def test_vision_create_writes_the_first_note_or_leads_to_the_existing_one(client):
    world = build()
    other_edition = NationalSecurityPlanFactory()
    sign_in(client, "cppl_member")
    existing = client.get(reverse("zones:vision-create", kwargs={"pk": world.nsp.pk}))
    assert existing.status_code == 302
    assert existing["Location"] == reverse("zones:vision-edit", kwargs={"pk": world.vision.pk})
    url = reverse("zones:vision-create", kwargs={"pk": other_edition.pk})
    assert client.post(url, {"title": "On 2022-2025", "text": "Together."}).status_code == 302
    assert LocalPoliceVision.objects.get(nsp=other_edition).title == "On 2022-2025"
    sign_in(client, "committee_member")
    assert (
        client.get(reverse("zones:vision-create", kwargs={"pk": NationalSecurityPlanFactory().pk})).status_code == 403
    )


def test_objective_tree_orders_strategic_tactical_operational(client):
    world = build()
    operational = ObjectiveFactory(plan=world.plan, parent=world.child, level=Objective.Level.OPERATIONAL, code="O1")
    sign_in(client, "zone_chief", zone=world.zone)
    sibling = ObjectiveFactory(plan=world.plan, code="S9", position=9)
    response = client.get(plan_url("plan", world.plan))
    rows = response.context["tree"]
    assert [(row.objective, row.depth) for row in rows] == [
        (world.objective, 0),
        (world.child, 1),
        (operational, 2),
        (sibling, 0),
    ]
    # One loop renders the nested lists: each child list opens under its parent and closes after its last row.
    assert [(row.has_children, len(row.closes)) for row in rows] == [(True, 0), (True, 0), (False, 2), (False, 0)]
    html = response.content.decode()
    tree = html[html.index('<ul class="tree"') : html.index(f'id="objective-{sibling.pk}"')]
    parts = tree.count('<ul class="tree__parts">')  # an objective's indicators and actions, closed in its row
    assert tree.count('<ul class="tree"') == 3 and tree.count("</ul>") - parts == 2


@pytest.mark.parametrize("count", [5, 50])
def test_draft_plan_page_reads_the_alignment_once(client, count):
    """The page lists the alignment gaps and shows what blocks "adopt": one reading serves both."""
    world = build(S.DRAFT)
    for n in range(count):
        ObjectiveFactory(plan=world.plan, parent=world.objective, level="tactical", code=f"T{n}")
    user = sign_in(client, "zone_chief", zone=world.zone)
    Objective.history.filter(plan_id=world.plan.pk).update(history_user=user)  # the History names its people
    with CaptureQueriesContext(connection) as queries:
        response = client.get(plan_url("plan", world.plan))
    assert response.status_code == 200
    assert [step["step"].name for step in response.context["steps"] if step["blocker"]] == ["adopt"]
    alignment_reads = [q["sql"] for q in queries if 'FROM "zones_nationalalignment"' in q["sql"]]
    assert len(alignment_reads) == 1, alignment_reads
    assert len(queries) == 26, sql_lines(queries)  # with the plan document (2), the tree's indicators and actions (2)


def test_plan_list_progress_is_the_same_totalled_after_paginating_or_annotated(client):
    nsp = NationalSecurityPlanFactory()
    for n in range(4):
        plan = zonal_plan(S.APPROVED, nsp=nsp)
        objective = ObjectiveFactory(plan=plan)
        MeasurementFactory(indicator=IndicatorFactory(objective=objective), value=90 - 5 * n)
        ActionFactory(objective=objective, percent_complete=20 * n)
    zonal_plan(S.APPROVED, nsp=nsp)  # no objectives: no data
    sign_in(client, "committee_member")

    page = client.get(reverse("zones:plan-list"), {"status": "approved"}).context["rows"]
    sorted_on_progress = client.get(reverse("zones:plan-list"), {"status": "approved", "ordering": "progress"})

    annotated = {p.pk: p for p in sorted_on_progress.context["rows"]}
    assert len(page) == 5 and any(p.progress_status == "no_data" for p in page)
    for plan in page:
        expected = annotated[plan.pk]
        assert plan.progress_status == expected.progress_status
        assert plan.progress == (None if expected.progress is None else pytest.approx(expected.progress, abs=1e-12))
        assert plan.expected == (None if expected.expected is None else pytest.approx(expected.expected, abs=1e-12))
