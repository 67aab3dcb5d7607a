"""Pages of the planning core: home, objectives, indicators, measurements (one and in bulk), actions,
comments. Each as the role that uses it, a reader who may not change it (403), a user who may not read
it (404), and an anonymous visitor (login); every form's happy and error path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nsp.models import Action, Comment, Indicator, Measurement, Objective, PlanStatus
from nsp.tests.test_views_scenario import build, form_data, sql_lines, zonal_plan
from tests.factories import (
    ActionFactory,
    CommentFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PoliceZoneFactory,
    UserFactory,
    sign_in,
    user_with_role,
)

pytestmark = pytest.mark.django_db
S = PlanStatus


def url(name: str, obj) -> str:
    return reverse(name, kwargs={"pk": obj.pk})


def indicator_data(**changes) -> dict:
    data = {
        "name": "Injury accidents",
        "unit": "accidents",
        "source": "crime_statistics",
        "baseline_value": "120",
        "baseline_date": "2019-12-31",
        "target_value": "90",
        "target_date": "2025-12-31",
        "direction": "decrease",
        "frequency": "quarterly",
        "weight": "1",
        "position": "0",
    }
    return {**data, **changes}


def action_data(**changes) -> dict:
    data = {
        "title": "Buy speed cameras",
        "owner": "Traffic service",
        "start_date": "2021-01-01",
        "due_date": "2021-12-31",
        "weight": "1",
        "position": "0",
    }
    return {**data, **changes}


# --- home ------------------------------------------------------------------------------------------------


def test_home_shows_the_chief_their_plans_and_what_waits(client):
    world = build(S.APPROVED)
    overdue = IndicatorFactory(objective=world.objective, name="Burglaries reported")
    late = ActionFactory(objective=world.objective, title="Hire an analyst", due_date=dt.date(2021, 6, 30))
    draft = zonal_plan(
        S.DRAFT, zone=world.zone, nsp=world.nsp, period_start=dt.date(2026, 1, 1), period_end=dt.date(2031, 12, 31)
    )
    sign_in(client, "zone_chief", zone=world.zone)
    response = client.get(reverse("nsp:home"))
    assert response.status_code == 200
    context = response.context
    assert set(context["own_plans"]) == {world.plan.plan_ptr, draft.plan_ptr}
    assert overdue in context["overdue"]
    assert late in context["late"]
    assert draft.plan_ptr in context["awaiting_workflow"]
    assert context["recent_comments"] == [world.comment]
    html = response.content.decode()
    assert "Burglaries reported" in html and "Hire an analyst" in html and "Plans to adopt or submit" in html


def test_home_reads_the_overdue_indicators_of_the_plans_the_user_records_by_their_ids(client):
    """The plans' ids are read first and the indicators (overdue, and due for collection) filtered on them
    (``plan_id IN (5)``): as a subquery, PostgreSQL joined every indicator of the country to its latest measurement
    before keeping the few (docs/performance.md, B4). The page's queries stay as many with more plans in the zone."""
    world = build(S.APPROVED)
    IndicatorFactory(objective=world.objective, name="Burglaries reported")
    sign_in(client, "zone_chief", zone=world.zone)
    client.get(reverse("nsp:home"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("nsp:home")).status_code == 200
    overdue = [q["sql"] for q in queries if 'FROM "nsp_indicator"' in q["sql"] and "_latest" in q["sql"]]
    # The home's overdue indicators and its collection section (reporting.insights.collection_status).
    assert len(overdue) == 2 and all(f'"nsp_indicator"."plan_id" IN ({world.plan.pk})' in sql for sql in overdue)
    zonal_plan(
        S.CLOSED, zone=world.zone, nsp=world.nsp, period_start=dt.date(2014, 1, 1), period_end=dt.date(2019, 12, 31)
    )
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("nsp:home"))
    assert len(more) == len(queries)


def test_recent_comments_are_about_the_plans_the_user_follows(client):
    """Not one national list: the committee member sees comments on the plans they commented on."""
    world = build(S.APPROVED)
    other_zone = PoliceZoneFactory()
    other_plan = zonal_plan(S.APPROVED, zone=other_zone, nsp=world.nsp)
    elsewhere = CommentFactory(plan=other_plan.plan_ptr, body="A remark about another zone")
    member = sign_in(client, "committee_member")
    assert client.get(reverse("nsp:home")).context["recent_comments"] == []
    CommentFactory(plan=world.plan.plan_ptr, author=member, body="Where is road safety?")
    answer = CommentFactory(plan=world.plan.plan_ptr, body="In objective S2.")
    comments = client.get(reverse("nsp:home")).context["recent_comments"]
    assert answer in comments and world.comment in comments and elsewhere not in comments
    # The other zone's chief follows their own plan.
    client.force_login(user_with_role("zone_chief", zone=other_zone))
    assert client.get(reverse("nsp:home")).context["recent_comments"] == [elsewhere]


def test_home_shows_the_reviewer_what_awaits_review(client):
    world = build(S.SUBMITTED)
    sign_in(client, "federal_reviewer", district=world.zone.district)
    response = client.get(reverse("nsp:home"))
    assert [p.pk for p in response.context["awaiting_review"]] == [world.plan.pk]
    assert "Plans awaiting your review" in response.content.decode()
    assert response.context["overdue"] == [] and response.context["late"] == []


def test_home_of_a_user_without_role_says_so(client):
    build()
    client.force_login(UserFactory())
    response = client.get(reverse("nsp:home"))
    assert response.status_code == 200 and "You hold no role yet" in response.content.decode()


def test_home_needs_a_login(client):
    response = client.get(reverse("nsp:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_login_page_is_the_only_page_for_a_visitor(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html and html.count("<h1") == 1 and 'href="#main"' in html
    response = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    user = UserFactory(username="chief")
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "demo"})
    assert response.status_code == 302


def test_layout_has_landmarks_language_switcher_and_logout(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    html = client.get(reverse("nsp:home")).content.decode()
    for fragment in (
        '<main id="main"',
        'aria-label="Main"',
        f'action="{reverse("set_language")}"',
        'name="next" value="/"',
        f'action="{reverse("accounts:logout")}" method="post"',
        'aria-current="page"',
        "vendor/htmx.min.js",
    ):
        assert fragment in html, fragment
    assert "Admin</a>" not in html


def test_language_switch_keeps_the_page_and_translates_the_layout(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    page = url("zones:plan", world.plan)
    response = client.post(reverse("set_language"), {"language": "fr", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert '<html lang="fr">' in client.get(page).content.decode()


# --- objectives ------------------------------------------------------------------------------------------


def test_objective_page_for_the_zone_planner(client):
    world = build()
    sign_in(client, "zone_planner", zone=world.zone)
    response = client.get(url("nsp:objective", world.objective))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (world.indicator.name, world.action.title, world.child.title, world.comment.body, "Add an indicator"):
        assert text in html, text
    assert html.count("<h1") == 1


@pytest.mark.parametrize(
    ("role", "status", "own", "view", "edit"),
    [
        ("zone_chief", S.DRAFT, True, 200, 200),
        ("zone_chief", S.DRAFT, False, 404, 404),
        ("committee_member", S.DRAFT, None, 404, 404),
        ("committee_member", S.ADOPTED, None, 200, 403),
        ("zone_planner", S.APPROVED, True, 200, 403),
        ("federal_planner", S.SUBMITTED, None, 200, 403),
    ],
)
def test_objective_pages_follow_the_matrix(client, role, status, own, view, edit):
    world = build(status)
    zone = world.zone if own else world.other_zone
    sign_in(client, role, **({"zone": zone} if role.startswith("zone_") else {}))
    assert client.get(url("nsp:objective", world.objective)).status_code == view
    assert client.get(url("nsp:objective-edit", world.objective)).status_code == edit
    assert client.get(url("nsp:objective-add", world.plan)).status_code == edit
    if edit != 200:
        assert client.post(url("nsp:objective-edit", world.objective), {"title": "x"}).status_code == edit
        assert client.post(url("nsp:objective-delete", world.objective)).status_code == edit
        assert (
            client.post(url("nsp:objective-add", world.plan), {"title": "x", "level": "strategic"}).status_code == edit
        )
        assert Objective.objects.filter(pk=world.objective.pk, title=world.objective.title).exists()
        assert not Objective.objects.filter(title="x").exists()


def test_objective_pages_need_a_login(client):
    world = build(S.APPROVED)
    for name in ("nsp:objective", "nsp:objective-edit", "nsp:objective-delete"):
        response = client.get(url(name, world.objective))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_add_an_objective_under_a_parent(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    add = url("nsp:objective-add", world.plan)
    form = client.get(add, {"parent": world.objective.pk, "level": "tactical"}).context["form"]
    assert form["parent"].value() == str(world.objective.pk)
    data = {
        "level": "tactical",
        "parent": world.objective.pk,
        "code": "T1.2",
        "title": "Speed checks",
        "kind": "priority",
        "domain": "security",
        "weight": "1",
        "position": "2",
    }
    response = client.post(add, data)
    created = Objective.objects.get(code="T1.2")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.parent == world.objective and created.plan_id == world.plan.pk


def test_objective_errors_come_back_on_the_form(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    data = {
        "level": "strategic",
        "code": "S1",
        "title": "Duplicate code",
        "kind": "priority",
        "weight": "1",
        "position": "0",
    }
    response = client.post(url("nsp:objective-add", world.plan), data)
    assert response.status_code == 200
    assert "Another objective of this plan has this code." in response.content.decode()
    data = {**data, "code": "S9", "level": "operational", "parent": world.objective.pk}
    response = client.post(url("nsp:objective-add", world.plan), data)
    assert response.status_code == 200 and response.context["form"].errors["parent"]
    assert not Objective.objects.filter(title="Duplicate code").exists()


def test_edit_and_delete_an_objective(client):
    world = build()
    sign_in(client, "zone_planner", zone=world.zone)
    form = client.get(url("nsp:objective-edit", world.objective)).context["form"]
    data = form_data(form, title="Safer roads for everyone")
    assert client.post(url("nsp:objective-edit", world.objective), data).status_code == 302
    world.objective.refresh_from_db()
    assert world.objective.title == "Safer roads for everyone"
    response = client.post(url("nsp:objective-edit", world.objective), {**data, "title": "", "weight": "0"})
    assert response.status_code == 200 and set(response.context["form"].errors) >= {"title"}
    world.objective.refresh_from_db()
    assert world.objective.title == "Safer roads for everyone"
    response = client.post(url("nsp:objective-delete", world.child))
    assert response.status_code == 302 and response["Location"] == world.objective.get_absolute_url()
    assert not Objective.objects.filter(pk=world.child.pk).exists()


def test_objectives_work_for_programmes_too(client):
    world = build()
    user = sign_in(client, "programme_manager", programme=world.programme)
    assert client.get(url("nsp:objective", world.programme_objective)).status_code == 200
    data = {
        "level": "strategic",
        "code": "P2",
        "title": "Fewer cyber attacks",
        "kind": "priority",
        "weight": "1",
        "position": "0",
    }
    assert client.post(url("nsp:objective-add", world.programme), data).status_code == 302
    assert Objective.objects.get(code="P2").plan_id == world.programme.pk
    assert user  # the manager of another programme may read but not add
    sign_in(
        client,
        "programme_manager",
        programme=type(world.programme).objects.create(
            nsp=world.nsp,
            code="other",
            title="Other",
            owning_unit="DGA",
            period_start=dt.date(2020, 1, 1),
            period_end=dt.date(2023, 12, 31),
        ),
    )
    assert client.post(url("nsp:objective-add", world.programme), {**data, "code": "P3"}).status_code == 403


# --- indicators and measurements ---------------------------------------------------------------------------


def test_indicator_page_shows_measurements_chart_and_progress(client):
    world = build(S.APPROVED)
    MeasurementFactory(indicator=world.indicator, period="2022-Q1", value=Decimal("90"))
    sign_in(client, "zone_planner", zone=world.zone)
    response = client.get(url("nsp:indicator", world.indicator))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<polyline" in html and "2022-Q1" in html and "2021-Q1" in html
    assert "Record a period" in html
    assert 'class="progress progress--' in html
    # The period to record next is the last due one.
    assert response.context["measurement_form"]["period"].value()
    # A keyboard user reaches the form in one Tab from the top of the measurements, not past every row.
    skip = html.index('href="#h-record"')
    assert skip < html.index('id="measurement-') and 'id="h-record" tabindex="-1"' in html


@pytest.mark.parametrize(("name", "table"), [("indicator", "nsp_indicator"), ("action", "nsp_action")])
def test_indicator_and_action_pages_read_their_row_once_with_its_progress(client, name, table):
    world = build(S.APPROVED)
    MeasurementFactory(indicator=world.indicator, period="2022-Q1", value=Decimal("90"))
    sign_in(client, "zone_planner", zone=world.zone)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(f"nsp:{name}", getattr(world, name)))
    assert response.status_code == 200
    assert response.context["current"].pk == getattr(world, name).pk
    # Queries that load the row itself (the indicator's rights for its buttons come with it, as may_change ...).
    reads = [q["sql"] for q in queries if q["sql"].startswith(f'SELECT "{table}"."id"')]
    assert len(reads) == 1, reads


def test_record_a_quarter_then_refuse_the_same_quarter_again(client):
    world = build(S.APPROVED)
    sign_in(client, "zone_planner", zone=world.zone)
    add = url("nsp:measurement-add", world.indicator)
    response = client.post(add, {"period": "2021-Q2", "value": "92", "note": "Fewer accidents near schools."})
    assert response.status_code == 302 and response["Location"].endswith("#measurements")
    assert Measurement.objects.get(indicator=world.indicator, period="2021-Q2").recorded_by is not None
    response = client.post(add, {"period": "2021-Q2", "value": "80"})
    assert response.status_code == 200
    assert "already recorded" in response.content.decode()
    assert Measurement.objects.get(indicator=world.indicator, period="2021-Q2").value == Decimal("92")


def test_record_with_htmx_swaps_the_measurement_section(client):
    world = build(S.APPROVED)
    sign_in(client, "zone_chief", zone=world.zone)
    add = url("nsp:measurement-add", world.indicator)
    response = client.post(add, {"period": "2021-Q3", "value": "90"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="measurements"')
    assert "Recorded 2021-Q3." in html and "<html" not in html
    response = client.post(add, {"period": "2021-05", "value": "90"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "measured quarterly" in html and 'aria-invalid="true"' in html
    assert not Measurement.objects.filter(period="2021-05").exists()


@pytest.mark.parametrize(
    ("role", "status", "own", "expected"),
    [
        ("zone_chief", S.DRAFT, True, 403),
        ("zone_planner", S.APPROVED, False, 403),
        ("committee_member", S.APPROVED, None, 403),
        ("zone_chief", S.DRAFT, False, 404),
        ("zone_planner", S.CLOSED, True, 403),
    ],
)
def test_recording_is_refused_outside_the_matrix(client, role, status, own, expected):
    world = build(status)
    zone = world.zone if own else world.other_zone
    sign_in(client, role, **({"zone": zone} if role.startswith("zone_") else {}))
    response = client.post(url("nsp:measurement-add", world.indicator), {"period": "2021-Q2", "value": "1"})
    assert response.status_code == expected
    assert (
        client.post(url("nsp:measurement-edit", world.measurement), {"period": "2021-Q1", "value": "1"}).status_code
        == expected
    )
    assert client.post(url("nsp:measurement-delete", world.measurement)).status_code == expected
    assert Measurement.objects.filter(indicator=world.indicator).count() == 1
    if expected == 403:
        assert "Record a period" not in client.get(url("nsp:indicator", world.indicator)).content.decode()


def test_change_and_delete_a_measurement(client):
    world = build(S.APPROVED)
    sign_in(client, "zone_planner", zone=world.zone)
    edit = url("nsp:measurement-edit", world.measurement)
    assert client.post(edit, {"period": "2021-Q1", "value": "97", "note": "Corrected."}).status_code == 302
    world.measurement.refresh_from_db()
    assert world.measurement.value == Decimal("97") and world.measurement.note == "Corrected."
    response = client.post(edit, {"period": "2040-Q1", "value": "1"})
    assert response.status_code == 200 and "has not started yet" in response.content.decode()
    assert client.post(url("nsp:measurement-delete", world.measurement)).status_code == 302
    assert not Measurement.objects.filter(pk=world.measurement.pk).exists()


def test_add_edit_delete_an_indicator(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    response = client.post(url("nsp:indicator-add", world.objective), indicator_data())
    created = Indicator.objects.get(name="Injury accidents")
    assert response.status_code == 302 and created.plan_id == world.plan.pk
    response = client.post(url("nsp:indicator-add", world.objective), indicator_data(name="Wrong", target_value="150"))
    assert response.status_code == 200
    assert "The target must lie above the baseline" in response.content.decode()
    assert not Indicator.objects.filter(name="Wrong").exists()
    response = client.post(url("nsp:indicator-edit", created), indicator_data(name="Injury accidents (all)"))
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.name == "Injury accidents (all)"
    assert client.post(url("nsp:indicator-delete", created)).status_code == 302
    assert not Indicator.objects.filter(pk=created.pk).exists()


def test_indicator_structure_is_frozen_after_approval(client):
    world = build(S.APPROVED)
    sign_in(client, "zone_chief", zone=world.zone)
    assert client.get(url("nsp:indicator-edit", world.indicator)).status_code == 403
    assert client.post(url("nsp:indicator-add", world.objective), indicator_data()).status_code == 403
    html = client.get(url("nsp:indicator", world.indicator)).content.decode()
    assert url("nsp:indicator-edit", world.indicator) not in html


# --- bulk upload -------------------------------------------------------------------------------------------


def csv_file(text: str, name: str = "measurements.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_upload_measurements_of_a_plan(client):
    world = build(S.APPROVED)
    sign_in(client, "zone_planner", zone=world.zone)
    upload = url("nsp:measurement-upload", world.plan)
    assert client.get(upload).status_code == 200
    text = f"indicator,period,value,note\n{world.indicator.pk},2021-Q2,93,\n{world.indicator.pk},2021-Q3,91,ok\n"
    response = client.post(upload, {"file": csv_file(text)})
    assert response.status_code == 302
    assert set(Measurement.objects.filter(indicator=world.indicator).values_list("period", flat=True)) == {
        "2021-Q1",
        "2021-Q2",
        "2021-Q3",
    }


def test_upload_says_what_it_did_and_offers_a_prefilled_template(client):
    world = build(S.APPROVED)
    sign_in(client, "zone_planner", zone=world.zone)
    upload = url("nsp:measurement-upload", world.plan)
    text = f"indicator,period,value\n{world.indicator.pk},2021-Q1,7\n{world.indicator.pk},2021-Q2,93\n"
    response = client.post(upload, {"file": csv_file(text)}, follow=True)
    assert "1 measurement recorded, 1 updated." in response.content.decode()

    import io

    from openpyxl import load_workbook

    response = client.get(upload + "?template=xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("indicator", "name", "period", "value", "note")
    assert (rows[1][0], rows[1][1]) == (world.indicator.pk, world.indicator.name) and rows[1][2]
    csv_text = client.get(upload + "?template=csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith(f"{world.indicator.pk};")
    # The template, uploaded as it is (no value filled in), records nothing and says so.
    response = client.post(upload, {"file": csv_file(csv_text)})
    assert "No row of the file gives a value" in response.content.decode()


def test_upload_with_bad_rows_lists_them_and_saves_nothing(client):
    world = build(S.APPROVED)
    sign_in(client, "zone_planner", zone=world.zone)
    text = f"indicator,period,value\n{world.indicator.pk},2021-Q2,93\n{world.indicator.pk},2021-13,abc\n"
    response = client.post(url("nsp:measurement-upload", world.plan), {"file": csv_file(text)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Problems (nothing was saved)" in html and "nothing was imported" in html
    assert response.context["problems"][0]["row"] == 3
    assert '<th scope="row">row 3</th>' in html
    assert Measurement.objects.filter(indicator=world.indicator).count() == 1


def test_upload_is_refused_to_readers_and_before_approval(client):
    world = build(S.APPROVED)
    sign_in(client, "committee_member")
    assert client.get(url("nsp:measurement-upload", world.plan)).status_code == 403
    draft = build(S.DRAFT)
    sign_in(client, "zone_chief", zone=draft.zone)
    assert client.get(url("nsp:measurement-upload", draft.plan)).status_code == 403


# --- actions ----------------------------------------------------------------------------------------------


def test_action_page_and_progress_recording(client):
    world = build(S.APPROVED)
    sign_in(client, "zone_planner", zone=world.zone)
    response = client.get(url("nsp:action", world.action))
    assert response.status_code == 200 and "Record progress" in response.content.decode()
    assert url("nsp:action-edit", world.action) not in response.content.decode()
    progress = url("nsp:action-progress", world.action)
    assert client.post(progress, {"status": "in_progress", "percent_complete": "40"}).status_code == 302
    world.action.refresh_from_db()
    assert world.action.percent_complete == 40
    response = client.post(progress, {"status": "in_progress", "percent_complete": "140"})
    assert response.status_code == 200 and response.context["form"].errors["percent_complete"]
    world.action.refresh_from_db()
    assert world.action.percent_complete == 40


def test_action_structure_add_edit_delete_in_a_draft(client):
    world = build()
    sign_in(client, "zone_chief", zone=world.zone)
    response = client.post(url("nsp:action-add", world.objective), action_data())
    assert response.status_code == 302
    created = Action.objects.get(title="Buy speed cameras")
    response = client.post(url("nsp:action-edit", created), action_data(due_date="2020-01-01"))
    assert response.status_code == 200
    assert "The due date cannot come before the start date." in response.content.decode()
    assert client.post(url("nsp:action-edit", created), action_data(owner="Road police")).status_code == 302
    created.refresh_from_db()
    assert created.owner == "Road police"
    assert client.post(url("nsp:action-delete", created)).status_code == 302
    assert not Action.objects.filter(pk=created.pk).exists()


@pytest.mark.parametrize(
    ("role", "status", "expected"), [("committee_member", S.APPROVED, 403), ("committee_member", S.DRAFT, 404)]
)
def test_actions_are_refused_to_readers(client, role, status, expected):
    world = build(status)
    sign_in(client, role)
    assert client.post(url("nsp:action-progress", world.action), {"status": "done"}).status_code == expected
    assert client.post(url("nsp:action-edit", world.action), action_data()).status_code == expected
    world.action.refresh_from_db()
    assert world.action.status == "planned"


# --- comments ---------------------------------------------------------------------------------------------


def test_any_reader_comments_and_deletes_only_their_own(client):
    world = build(S.APPROVED)
    user = sign_in(client, "committee_member")
    response = client.post(url("nsp:objective-comment-add", world.objective), {"body": "Good progress."})
    comment = Comment.objects.get(body="Good progress.")
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.author == user and comment.objective == world.objective
    response = client.post(url("nsp:plan-comment-add", world.plan), {"body": ""})
    assert response.status_code == 200 and response.context["form"].errors["body"]
    assert client.post(url("nsp:comment-delete", world.comment)).status_code == 403
    assert client.post(url("nsp:comment-delete", comment)).status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_comment_buttons_show_only_on_own_comments(client):
    world = build(S.APPROVED)
    user = sign_in(client, "committee_member")
    mine = CommentFactory(plan=world.plan, objective=world.objective, author=user, body="Mine.")
    html = client.get(url("nsp:objective", world.objective)).content.decode()
    assert url("nsp:comment-delete", mine) in html and url("nsp:comment-delete", world.comment) not in html


@pytest.mark.parametrize("name", ["nsp:indicator-comment-add", "nsp:action-comment-add"])
def test_comments_on_indicators_and_actions(client, name):
    world = build(S.APPROVED)
    sign_in(client, "federal_reviewer", district=world.zone.district)
    target = world.indicator if name.startswith("nsp:indicator") else world.action
    assert client.post(url(name, target), {"body": "Please explain."}).status_code == 302
    assert Comment.objects.get(body="Please explain.").plan_id == world.plan.pk


def test_commenting_on_an_unreadable_draft_is_not_found(client):
    world = build(S.DRAFT)
    sign_in(client, "committee_member")
    assert client.post(url("nsp:plan-comment-add", world.plan), {"body": "x"}).status_code == 404
    assert not Comment.objects.filter(body="x").exists()


# --- query counts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 50])
def test_objective_page_runs_a_fixed_number_of_queries(client, count):
    world = build(S.APPROVED)
    for n in range(count):
        MeasurementFactory(indicator=IndicatorFactory(objective=world.objective), period="2021-Q2")
        ActionFactory(objective=world.objective)
        ObjectiveFactory(plan=world.plan, parent=world.objective, level="tactical", code=f"T{n}")
    sign_in(client, "zone_planner", zone=world.zone)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("nsp:objective", world.objective))
    assert response.status_code == 200 and len(response.context["indicators"]) == count + 1
    assert len(queries) == 13, sql_lines(queries)


def test_home_runs_the_same_number_of_queries_for_a_small_and_a_large_plan(client):
    """A zone chief's home reads their plans' ids once, then the lists: never a query per plan or indicator."""
    world = build(S.APPROVED)
    sign_in(client, "zone_chief", zone=world.zone)

    def home_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("nsp:home")).status_code == 200
        return len(queries)

    small = home_queries()
    for n in range(20):
        indicator = IndicatorFactory(objective=world.objective)
        MeasurementFactory(indicator=indicator, period="2021-Q2")
        ActionFactory(objective=world.objective)
        ObjectiveFactory(plan=world.plan, parent=world.objective, level="tactical", code=f"T{n}")
    assert home_queries() == small
