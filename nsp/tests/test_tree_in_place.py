"""The objective tree built where it stands: new items at the end, inline forms (htmx) on the plan page."""

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from nsp import services
from nsp.exceptions import DomainError
from nsp.forms import ActionForm, IndicatorForm, ObjectiveForm
from nsp.models import Action, Indicator, Objective
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    ObjectiveFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

INDICATOR = {
    "name": "Burglaries",
    "unit": "reports",
    "baseline_value": Decimal("10"),
    "baseline_date": dt.date(2020, 1, 1),
    "target_value": Decimal("5"),
    "target_date": dt.date(2025, 12, 31),
    "direction": "decrease",
}
ACTION = {"title": "Patrol", "owner": "Team A", "start_date": dt.date(2021, 1, 1), "due_date": dt.date(2021, 12, 31)}


# --- new items at the end ----------------------------------------------------------------------------


def test_new_objectives_go_at_the_end_of_their_siblings():
    plan = ZonalSecurityPlanFactory()
    chief = user_with_role("zone_chief", zone=plan.zone)
    first = services.objective_create(actor=chief, plan=plan, level="strategic", title="First")
    second = services.objective_create(actor=chief, plan=plan, level="strategic", title="Second")
    child = services.objective_create(actor=chief, plan=plan, level="tactical", title="Child", parent=first)
    later = services.objective_create(actor=chief, plan=plan, level="tactical", title="Later", parent=first)
    assert (first.position, second.position) == (0, 1)
    assert (child.position, later.position) == (0, 1)
    assert list(Objective.objects.filter(plan=plan, parent=None).values_list("title", flat=True)) == ["First", "Second"]


def test_a_given_position_is_kept():
    plan = ZonalSecurityPlanFactory()
    chief = user_with_role("zone_chief", zone=plan.zone)
    services.objective_create(actor=chief, plan=plan, level="strategic", title="First")
    top = services.objective_create(actor=chief, plan=plan, level="strategic", title="Top", position=0)
    assert top.position == 0


def test_new_indicators_and_actions_go_at_the_end():
    objective = ObjectiveFactory()
    chief = user_with_role("zone_chief", zone=objective.plan.zone)
    IndicatorFactory(objective=objective, position=4)
    ActionFactory(objective=objective, position=7)
    indicator = services.indicator_create(actor=chief, objective=objective, **INDICATOR)
    action = services.action_create(actor=chief, objective=objective, **ACTION)
    assert indicator.position == 5
    assert action.position == 8
    assert list(objective.indicators.all())[-1] == indicator
    assert list(objective.actions.order_by("position", "pk"))[-1] == action


@pytest.mark.parametrize("form_class", [ObjectiveForm, IndicatorForm, ActionForm])
def test_the_add_forms_leave_the_position_empty(form_class):
    plan = ZonalSecurityPlanFactory()
    form = form_class(plan=plan) if form_class is ObjectiveForm else form_class()
    assert not form.fields["position"].required
    assert form["position"].value() in (None, "")


def test_the_add_page_puts_a_new_objective_at_the_end(client):
    plan = ZonalSecurityPlanFactory()
    chief = user_with_role("zone_chief", zone=plan.zone)
    ObjectiveFactory(plan=plan, level="strategic", title="Old", position=3)
    client.force_login(chief)
    data = {"level": "strategic", "kind": "priority", "title": "New", "weight": "1", "position": ""}
    response = client.post(reverse("nsp:objective-add", kwargs={"pk": plan.pk}), data)
    assert response.status_code == 302
    assert Objective.objects.get(title="New").position == 4


# --- the inline forms (htmx) -------------------------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


def chief_on_draft(client):
    plan = ZonalSecurityPlanFactory()
    chief = user_with_role("zone_chief", zone=plan.zone)
    client.force_login(chief)
    return plan, chief


def test_the_plan_page_offers_the_inline_links_to_a_chief(client):
    plan, _ = chief_on_draft(client)
    root = ObjectiveFactory(plan=plan, level="strategic", title="Root")
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert 'id="objective-tree"' in page
    assert f'hx-get="/plans/{plan.pk}/objectives/add/?parent={root.pk}&amp;level=tactical"' in page
    assert f'href="/objectives/{root.pk}/indicators/add/"' in page  # without JavaScript: the add page


def approved_plan():
    return ZonalSecurityPlanFactory(
        status="approved", approved_on=dt.date(2020, 6, 1), council_adopted_on=dt.date(2020, 3, 1)
    )


def test_a_frozen_plan_shows_the_tree_without_tools(client):
    plan = approved_plan()
    ObjectiveFactory(plan=plan, level="strategic", title="Root")
    client.force_login(user_with_role("zone_chief", zone=plan.zone))
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Root" in page
    assert 'id="objective-tree"' not in page and "hx-get" not in page


def test_htmx_get_answers_the_small_form_and_the_plain_get_the_page(client):
    plan, _ = chief_on_draft(client)
    path = reverse("nsp:objective-add", kwargs={"pk": plan.pk}) + "?level=strategic"
    small = client.get(path, **HTMX)
    assert small.status_code == 200
    body = small.content.decode()
    assert body.lstrip().startswith("{%") is False and "<html" not in body
    assert 'class="tree__form"' in body and 'name="title"' in body and 'name="description"' not in body
    full = client.get(path).content.decode()
    assert "<html" in full and 'name="description"' in full


def test_htmx_post_creates_the_branch_and_answers_the_tree_with_the_focus_on_the_new_row(client):
    plan, chief = chief_on_draft(client)
    add = reverse("nsp:objective-add", kwargs={"pk": plan.pk})
    response = client.post(add + "?level=strategic", {"level": "strategic", "title": "Safer roads"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#objective-tree" and response["HX-Reswap"] == "outerHTML"
    root = Objective.objects.get(title="Safer roads")
    assert root.history.first().history_user == chief
    assert f'href="{root.get_absolute_url()}" data-focus-after-swap' in response.content.decode()
    response = client.post(add, {"level": "tactical", "parent": root.pk, "title": "Fewer accidents"}, **HTMX)
    sub = Objective.objects.get(title="Fewer accidents")
    assert sub.parent == root and sub.level == "tactical"
    data = {
        "name": "Accidents",
        "unit": "accidents",
        "direction": "decrease",
        "baseline_value": "40",
        "target_value": "30",
    }
    response = client.post(reverse("nsp:indicator-add", kwargs={"pk": sub.pk}), data, **HTMX)
    indicator = Indicator.objects.get(name="Accidents")
    assert (indicator.baseline_date, indicator.target_date) == (plan.period_start, plan.period_end)
    assert f'id="indicator-{indicator.pk}"' in response.content.decode()
    response = client.post(
        reverse("nsp:action-add", kwargs={"pk": sub.pk}), {"title": "Speed checks", "owner": "Traffic"}, **HTMX
    )
    action = Action.objects.get(title="Speed checks")
    assert (action.start_date, action.due_date) == (plan.period_start, plan.period_end)
    assert f'href="{action.get_absolute_url()}" data-focus-after-swap' in response.content.decode()


def test_htmx_post_refused_answers_the_form_with_its_message_in_place(client):
    plan, _ = chief_on_draft(client)
    root = ObjectiveFactory(plan=plan, level="strategic")
    response = client.post(reverse("nsp:indicator-add", kwargs={"pk": root.pk}), {"name": ""}, **HTMX)
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert 'class="tree__form"' in response.content.decode() and "error-summary" in response.content.decode()
    assert not Indicator.objects.exists()


def test_the_level_the_link_chose_is_checked_by_the_service(client):
    plan, _ = chief_on_draft(client)
    root = ObjectiveFactory(plan=plan, level="strategic")
    response = client.post(
        reverse("nsp:objective-add", kwargs={"pk": plan.pk}),
        {"level": "operational", "parent": root.pk, "title": "x"},
        **HTMX,
    )
    assert "error-summary" in response.content.decode()
    assert not Objective.objects.filter(title="x").exists()


@pytest.mark.parametrize("case,status", [("frozen plan", 403), ("other zone", 404)])
def test_others_cannot_open_or_post_the_inline_forms(client, case, status):
    plan = approved_plan() if case == "frozen plan" else ZonalSecurityPlanFactory()
    root = ObjectiveFactory(plan=plan, level="strategic")
    zone = ZonalSecurityPlanFactory().zone if case == "other zone" else plan.zone
    client.force_login(user_with_role("zone_chief", zone=zone))
    path = reverse("nsp:action-add", kwargs={"pk": root.pk})
    assert client.get(path, **HTMX).status_code == status
    assert client.post(path, {"title": "t", "owner": "o"}, **HTMX).status_code == status
    assert not Action.objects.exists()


def test_action_progress_in_the_row_keeps_the_version_check(client):
    plan, _chief = chief_on_draft(client)
    action = ActionFactory(objective=ObjectiveFactory(plan=plan))
    path = reverse("nsp:action-progress", kwargs={"pk": action.pk})
    form = client.get(path, **HTMX).content.decode()
    assert 'name="_version"' in form and 'name="status"' in form
    version = html.unescape(form.split('name="_version" value="')[1].split('"')[0])
    response = client.post(path, {"status": "in_progress", "percent_complete": "40", "_version": version}, **HTMX)
    assert response["HX-Retarget"] == "#objective-tree"
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == ("in_progress", 40)
    # The same form posted again carries a version that is no longer current: nothing written, told in place.
    response = client.post(path, {"status": "done", "percent_complete": "100", "_version": version}, **HTMX)
    assert "save-conflict" in response.content.decode() and "HX-Retarget" not in response
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_objective_title_edited_in_place(client):
    plan, _ = chief_on_draft(client)
    objective = ObjectiveFactory(plan=plan, level="strategic", title="Old", code="S1")
    path = reverse("nsp:objective-edit", kwargs={"pk": objective.pk})
    form = client.get(path, **HTMX).content.decode()
    version = html.unescape(form.split('name="_version" value="')[1].split('"')[0])
    response = client.post(path, {"title": "New", "_version": version}, **HTMX)
    assert response.status_code == 200 and response["HX-Retarget"] == "#objective-tree"
    objective.refresh_from_db()
    assert (objective.title, objective.code, objective.level) == ("New", "S1", "strategic")


# --- moves: up, down, indent, outdent ---------------------------------------------------------------


def titles(plan, parent=None):
    return list(
        Objective.objects.filter(plan=plan, parent=parent)
        .order_by("position", "code", "pk")
        .values_list("title", flat=True)
    )


def three_roots():
    plan = ZonalSecurityPlanFactory()
    chief = user_with_role("zone_chief", zone=plan.zone)
    roots = [services.objective_create(actor=chief, plan=plan, level="strategic", title=t) for t in "ABC"]
    return plan, chief, roots


def test_up_and_down_swap_with_the_neighbour_and_record_history():
    plan, chief, (a, _b, c) = three_roots()
    services.objective_move(actor=chief, objective=c, direction="up")
    assert titles(plan) == ["A", "C", "B"]
    services.objective_move(actor=chief, objective=a, direction="down")
    assert titles(plan) == ["C", "A", "B"]
    last = Objective.history.filter(id=a.pk).first()
    assert last.history_user == chief and last.history_change_reason == "moved down"


def test_the_first_cannot_go_up_nor_the_last_down():
    _plan, chief, (a, _b, c) = three_roots()
    with pytest.raises(DomainError, match="already the first"):
        services.objective_move(actor=chief, objective=a, direction="up")
    with pytest.raises(DomainError, match="already the last"):
        services.objective_move(actor=chief, objective=c, direction="down")


def test_indent_puts_the_branch_under_the_sibling_before_one_level_deeper():
    plan, chief, (a, b, _c) = three_roots()
    child = services.objective_create(actor=chief, plan=plan, level="tactical", title="B1", parent=b)
    services.objective_create(actor=chief, plan=plan, level="tactical", title="A1", parent=a)
    services.objective_move(actor=chief, objective=b, direction="indent")
    b.refresh_from_db()
    child.refresh_from_db()
    assert (b.parent, b.level, child.level) == (a, "tactical", "operational")
    assert titles(plan) == ["A", "C"] and titles(plan, a) == ["A1", "B"]
    assert Objective.history.filter(id=child.pk).first().history_user == chief


def test_indent_refused_past_operational_and_for_the_first():
    plan, chief, (a, b, _c) = three_roots()
    t = services.objective_create(actor=chief, plan=plan, level="tactical", title="B1", parent=b)
    services.objective_create(actor=chief, plan=plan, level="operational", title="B11", parent=t)
    with pytest.raises(DomainError, match="cannot go deeper"):
        services.objective_move(actor=chief, objective=b, direction="indent")
    with pytest.raises(DomainError, match="no objective before it"):
        services.objective_move(actor=chief, objective=a, direction="indent")
    assert Objective.objects.get(pk=b.pk).level == "strategic"


def test_outdent_puts_it_after_its_parent_one_level_higher():
    plan, chief, (a, _b, _c) = three_roots()
    t1 = services.objective_create(actor=chief, plan=plan, level="tactical", title="A1", parent=a)
    t2 = services.objective_create(actor=chief, plan=plan, level="tactical", title="A2", parent=a)
    o = services.objective_create(actor=chief, plan=plan, level="operational", title="A11", parent=t1)
    services.objective_move(actor=chief, objective=t1, direction="outdent")
    t1.refresh_from_db()
    o.refresh_from_db()
    assert (t1.parent, t1.level, o.level, o.parent) == (None, "strategic", "tactical", t1)
    assert titles(plan) == ["A", "A1", "B", "C"] and titles(plan, a) == ["A2"]
    with pytest.raises(DomainError, match="already at the top"):
        services.objective_move(actor=chief, objective=t1, direction="outdent")
    assert t2.parent == a


def test_moves_are_refused_on_a_frozen_plan_and_to_others():
    plan = approved_plan()
    a, b = ObjectiveFactory(plan=plan, title="A"), ObjectiveFactory(plan=plan, title="B")
    with pytest.raises(PermissionDenied):
        services.objective_move(actor=user_with_role("zone_chief", zone=plan.zone), objective=b, direction="up")
    assert Objective.objects.get(pk=a.pk).position == Objective.objects.get(pk=b.pk).position == 0
    draft, _chief, (_a, draft_b, _c) = three_roots()
    other = user_with_role("zone_chief", zone=ZonalSecurityPlanFactory().zone)
    with pytest.raises(Http404):
        services.objective_move(actor=other, objective=draft_b, direction="up")
    assert titles(draft) == ["A", "B", "C"]


def test_move_by_htmx_answers_the_tree_with_the_focus_on_the_same_button(client):
    plan, _chief = chief_on_draft(client)
    a = ObjectiveFactory(plan=plan, title="A", position=0)
    b = ObjectiveFactory(plan=plan, title="B", position=1)
    response = client.post(reverse("nsp:objective-move", kwargs={"pk": b.pk}), {"direction": "up"}, **HTMX)
    assert response.status_code == 200 and response["HX-Retarget"] == "#objective-tree"
    assert titles(plan) == ["B", "A"]
    body = response.content.decode()
    row = body[body.index(f'id="objective-{b.pk}"') : body.index(f'id="objective-{a.pk}"')]
    assert 'value="up" aria-keyshortcuts="Alt+ArrowUp" data-focus-after-swap' in row
    assert body.count("data-focus-after-swap") == 1


def test_move_refused_by_htmx_says_why_in_the_tree(client):
    plan, _ = chief_on_draft(client)
    a = ObjectiveFactory(plan=plan, title="A")
    response = client.post(reverse("nsp:objective-move", kwargs={"pk": a.pk}), {"direction": "up"}, **HTMX)
    assert response.status_code == 200
    assert 'role="alert">It is already the first of its list.' in response.content.decode()


def test_move_without_javascript_goes_back_to_the_plan_page(client):
    plan, _ = chief_on_draft(client)
    a = ObjectiveFactory(plan=plan, title="A", position=0)
    b = ObjectiveFactory(plan=plan, title="B", position=1)
    response = client.post(reverse("nsp:objective-move", kwargs={"pk": a.pk}), {"direction": "down"})
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/#objective-{a.pk}"
    assert titles(plan) == ["B", "A"]
    refused = client.post(reverse("nsp:objective-move", kwargs={"pk": b.pk}), {"direction": "outdent"})
    assert refused.status_code == 200 and "already at the top" in refused.content.decode()


@pytest.mark.parametrize("case,status", [("frozen plan", 403), ("other zone", 404)])
def test_others_cannot_move(client, case, status):
    plan = approved_plan() if case == "frozen plan" else ZonalSecurityPlanFactory()
    ObjectiveFactory(plan=plan, title="A", position=0)
    b = ObjectiveFactory(plan=plan, title="B", position=1)
    zone = ZonalSecurityPlanFactory().zone if case == "other zone" else plan.zone
    client.force_login(user_with_role("zone_chief", zone=zone))
    path = reverse("nsp:objective-move", kwargs={"pk": b.pk})
    assert client.post(path, {"direction": "up"}, **HTMX).status_code == status
    assert client.post(path, {"direction": "up"}).status_code == status
    assert titles(plan) == ["A", "B"]


def test_a_programme_tree_is_built_in_place_by_its_manager(client):
    from nsp.tests.test_views_scenario import build

    world = build()
    client.force_login(user_with_role("programme_manager", programme=world.programme))
    page = client.get(reverse("programmes:programme", kwargs={"pk": world.programme.pk})).content.decode()
    assert 'id="objective-tree"' in page
    objective = world.programme_objective
    response = client.post(
        reverse("nsp:action-add", kwargs={"pk": objective.pk}), {"title": "Programme step", "owner": "Unit"}, **HTMX
    )
    assert response["HX-Retarget"] == "#objective-tree"
    assert Action.objects.get(title="Programme step").objective == objective


@pytest.mark.parametrize("kind", ["indicator", "action"])
def test_indicators_and_actions_edited_in_place_with_the_version_check(client, kind):
    plan, _ = chief_on_draft(client)
    objective = ObjectiveFactory(plan=plan)
    row = IndicatorFactory(objective=objective) if kind == "indicator" else ActionFactory(objective=objective)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    path = reverse(f"nsp:{kind}-edit", kwargs={"pk": row.pk})
    assert f'hx-get="{path}"' in page
    form = client.get(path, **HTMX).content.decode()
    assert 'class="tree__form"' in form and 'name="description"' not in form
    version = html.unescape(form.split('name="_version" value="')[1].split('"')[0])
    data = (
        {"name": "Renamed", "unit": "cases", "direction": "decrease", "baseline_value": "100", "target_value": "80"}
        if kind == "indicator"
        else {"title": "Renamed", "owner": "Traffic service"}
    )
    response = client.post(path, {**data, "_version": version}, **HTMX)
    assert response["HX-Retarget"] == "#objective-tree"
    row.refresh_from_db()
    assert (row.name if kind == "indicator" else row.title) == "Renamed"
    stale = client.post(
        path, {**data, "_version": version, **({"unit": "x"} if kind == "indicator" else {"owner": "x"})}, **HTMX
    )
    assert "save-conflict" in stale.content.decode()


# --- add an objective right after a row --------------------------------------------------------------


def test_create_after_puts_a_sibling_right_after_and_renumbers_with_history():
    plan, chief, (a, b, _c) = three_roots()
    child = services.objective_create(actor=chief, plan=plan, level="tactical", title="A1", parent=a)
    new = services.objective_create_after(actor=chief, sibling=a, title="A+", level="operational", parent=child)
    assert (new.parent, new.level, new.position) == (None, "strategic", 1)
    assert titles(plan) == ["A", "A+", "B", "C"]
    assert list(
        Objective.objects.filter(plan=plan, parent=None).order_by("position").values_list("position", flat=True)
    ) == [0, 1, 2, 3]
    moved = Objective.history.filter(id=b.pk).first()
    assert moved.history_user == chief and moved.history_change_reason == "made room for a new objective"
    assert new.history.first().history_user == chief
    sub = services.objective_create_after(actor=chief, sibling=child, title="A2")
    assert (sub.parent, sub.level) == (a, "tactical") and titles(plan, a) == ["A1", "A2"]


def test_create_after_is_refused_on_a_frozen_plan_and_to_others():
    plan = approved_plan()
    a = ObjectiveFactory(plan=plan, title="A")
    with pytest.raises(PermissionDenied):
        services.objective_create_after(actor=user_with_role("zone_chief", zone=plan.zone), sibling=a, title="x")
    _draft, _chief, (draft_a, _b, _c) = three_roots()
    with pytest.raises(Http404):
        services.objective_create_after(
            actor=user_with_role("zone_chief", zone=ZonalSecurityPlanFactory().zone), sibling=draft_a, title="x"
        )
    assert not Objective.objects.filter(title="x").exists()


def test_the_tree_offers_add_after_on_each_row_and_it_works_by_htmx_and_without(client):
    plan, chief = chief_on_draft(client)
    a = ObjectiveFactory(plan=plan, title="A", position=0, level="strategic")
    ObjectiveFactory(plan=plan, title="B", position=1, level="strategic")
    path = reverse("nsp:objective-add-after", kwargs={"pk": a.pk})
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert f'href="{path}" hx-get="{path}" hx-target="#tree-slot-{a.pk}"' in page
    small = client.get(path, **HTMX).content.decode()
    assert 'class="tree__form"' in small and 'name="title"' in small and 'name="parent"' not in small
    response = client.post(path, {"title": "After A"}, **HTMX)
    assert response["HX-Retarget"] == "#objective-tree"
    new = Objective.objects.get(title="After A")
    assert f'href="{new.get_absolute_url()}" data-focus-after-swap' in response.content.decode()
    assert titles(plan) == ["A", "After A", "B"]
    full = client.get(path).content.decode()
    assert "<html" in full and 'name="description"' in full
    data = {"kind": "priority", "title": "Plain", "weight": "1"}
    response = client.post(path, data)
    assert response.status_code == 302
    assert titles(plan) == ["A", "Plain", "After A", "B"]
    assert Objective.objects.get(title="Plain").history.first().history_user == chief


@pytest.mark.parametrize("case,status", [("frozen plan", 403), ("other zone", 404)])
def test_others_cannot_add_after(client, case, status):
    plan = approved_plan() if case == "frozen plan" else ZonalSecurityPlanFactory()
    a = ObjectiveFactory(plan=plan, title="A")
    zone = ZonalSecurityPlanFactory().zone if case == "other zone" else plan.zone
    client.force_login(user_with_role("zone_chief", zone=zone))
    path = reverse("nsp:objective-add-after", kwargs={"pk": a.pk})
    assert client.get(path, **HTMX).status_code == status
    assert client.post(path, {"title": "x"}, **HTMX).status_code == status
    assert client.post(path, {"title": "x", "kind": "priority", "weight": "1"}).status_code == status
    assert not Objective.objects.filter(title="x").exists()


# --- placing (what dragging a row does) ---------------------------------------------------------------


def test_place_before_after_and_into_with_levels_following():
    plan, chief, (a, b, c) = three_roots()
    b1 = services.objective_create(actor=chief, plan=plan, level="tactical", title="B1", parent=b)
    services.objective_place(actor=chief, objective=c, parent=None, position=0)
    assert titles(plan) == ["C", "A", "B"]
    services.objective_place(actor=chief, objective=c, parent=None, position=99)
    assert titles(plan) == ["A", "B", "C"]
    services.objective_place(actor=chief, objective=b, parent=a, position=0)
    b.refresh_from_db()
    b1.refresh_from_db()
    assert (b.parent, b.level, b1.level, b1.parent) == (a, "tactical", "operational", b)
    assert titles(plan) == ["A", "C"] and titles(plan, a) == ["B"]
    services.objective_place(actor=chief, objective=b1, parent=None, position=1)
    b1.refresh_from_db()
    assert (b1.parent, b1.level) == (None, "strategic") and titles(plan) == ["A", "B1", "C"]
    last = Objective.history.filter(id=b1.pk).first()
    assert last.history_user == chief and last.history_change_reason == "placed"
    assert list(
        Objective.objects.filter(plan=plan, parent=None).order_by("position").values_list("position", flat=True)
    ) == [0, 1, 2]


def test_place_at_the_same_depth_under_another_parent_changes_only_the_parent():
    plan, chief, (a, b, _c) = three_roots()
    a1 = services.objective_create(actor=chief, plan=plan, level="tactical", title="A1", parent=a)
    a2 = services.objective_create(actor=chief, plan=plan, level="tactical", title="A2", parent=a)
    services.objective_place(actor=chief, objective=a1, parent=b, position=0)
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert (a1.parent, a1.level, a1.position, a2.position) == (b, "tactical", 0, 0)


def test_place_refuses_under_itself_across_plans_and_too_deep():
    plan, chief, (a, b, _c) = three_roots()
    a1 = services.objective_create(actor=chief, plan=plan, level="tactical", title="A1", parent=a)
    a11 = services.objective_create(actor=chief, plan=plan, level="operational", title="A11", parent=a1)
    with pytest.raises(DomainError, match="under itself"):
        services.objective_place(actor=chief, objective=a, parent=a11, position=0)
    with pytest.raises(DomainError, match="under itself"):
        services.objective_place(actor=chief, objective=a, parent=a, position=0)
    with pytest.raises(DomainError, match="cannot go deeper"):
        services.objective_place(actor=chief, objective=a, parent=b, position=0)
    with pytest.raises(DomainError, match="cannot go deeper"):
        services.objective_place(actor=chief, objective=b, parent=a11, position=0)
    elsewhere = ObjectiveFactory(
        plan=ZonalSecurityPlanFactory(
            zone=plan.zone, period_start=dt.date(2026, 1, 1), period_end=dt.date(2031, 12, 31)
        ),
        level="strategic",
    )
    with pytest.raises(DomainError, match="inside its own plan"):
        services.objective_place(actor=chief, objective=b, parent=elsewhere, position=0)
    with pytest.raises(DomainError, match="counts from 0"):
        services.objective_place(actor=chief, objective=b, parent=None, position=-1)
    assert titles(plan) == ["A", "B", "C"] and Objective.objects.get(pk=a.pk).level == "strategic"


def test_place_refuses_a_stale_tree_and_others():
    from nsp.selectors import tree_version

    plan, chief, (a, _b, c) = three_roots()
    seen = tree_version(plan.pk)
    services.objective_move(actor=chief, objective=c, direction="up")
    with pytest.raises(DomainError, match="tree changed") as refused:
        services.objective_place(actor=chief, objective=a, parent=None, position=2, tree_version=seen)
    assert refused.value.code == "stale" and titles(plan) == ["A", "C", "B"]
    services.objective_place(actor=chief, objective=a, parent=None, position=2, tree_version=tree_version(plan.pk))
    assert titles(plan) == ["C", "B", "A"]
    other = user_with_role("zone_chief", zone=ZonalSecurityPlanFactory().zone)
    with pytest.raises(Http404):
        services.objective_place(actor=other, objective=a, parent=None, position=0)
    frozen = approved_plan()
    f = ObjectiveFactory(plan=frozen, title="F")
    with pytest.raises(PermissionDenied):
        services.objective_place(
            actor=user_with_role("zone_chief", zone=frozen.zone), objective=f, parent=None, position=0
        )


def test_without_javascript_every_tool_of_a_row_is_a_tab_stop(client):
    plan, _ = chief_on_draft(client)
    a = ObjectiveFactory(plan=plan, title="A", level="strategic")
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    tools = page[page.index(f'id="objective-{a.pk}"') : page.index(f'id="tree-slot-{a.pk}"')]
    assert 'data-toolbar aria-label="Build under A"' in tools and 'role="group"' in tools  # a toolbar from JS only
    assert "tabindex" not in tools
    assert f'data-place-url="/objectives/{a.pk}/place/"' in page and "data-tree-version=" in page


def test_a_drop_by_htmx_places_the_row_and_a_stale_tree_is_refused_in_place(client):
    from nsp.selectors import tree_version

    plan, chief = chief_on_draft(client)
    a = ObjectiveFactory(plan=plan, title="A", position=0, level="strategic")
    b = ObjectiveFactory(plan=plan, title="B", position=1, level="strategic")
    seen = tree_version(plan.pk)
    path = reverse("nsp:objective-place", kwargs={"pk": b.pk})
    response = client.post(path, {"parent": a.pk, "position": "0", "tree": seen}, **HTMX)
    assert response.status_code == 200 and response["HX-Retarget"] == "#objective-tree"
    b.refresh_from_db()
    assert (b.parent, b.level) == (a, "tactical")
    assert f'href="{b.get_absolute_url()}" data-focus-after-swap' in response.content.decode()
    assert Objective.history.filter(id=b.pk).first().history_user == chief
    stale = client.post(path, {"parent": "", "position": "0", "tree": seen}, **HTMX)
    assert 'role="alert">The tree changed since this page showed it' in stale.content.decode()
    assert Objective.objects.get(pk=b.pk).parent == a
    refused = client.post(
        reverse("nsp:objective-place", kwargs={"pk": a.pk}), {"parent": b.pk, "position": "0"}, **HTMX
    )
    assert "under itself" in refused.content.decode() and Objective.objects.get(pk=a.pk).parent is None


@pytest.mark.parametrize("case,status", [("frozen plan", 403), ("other zone", 404)])
def test_others_cannot_place(client, case, status):
    plan = approved_plan() if case == "frozen plan" else ZonalSecurityPlanFactory()
    ObjectiveFactory(plan=plan, title="A", position=0)
    b = ObjectiveFactory(plan=plan, title="B", position=1)
    zone = ZonalSecurityPlanFactory().zone if case == "other zone" else plan.zone
    client.force_login(user_with_role("zone_chief", zone=zone))
    path = reverse("nsp:objective-place", kwargs={"pk": b.pk})
    assert client.post(path, {"parent": "", "position": "0"}, **HTMX).status_code == status
    assert titles(plan) == ["A", "B"]
