"""Deletes can be undone (issue 13, L5): a deleted objective, indicator, measurement, action, expectation or
matrix candidate (with everything under it) waits in the plan's "Deleted items"; the zone's chief and
administrators restore it with identical values; after DELETED_RETENTION_DAYS the beat task purges it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nsp import services, tasks
from nsp.api.testing import API, assert_error, client_for
from nsp.models import Action, Comment, DeletedItem, Indicator, Measurement, Objective, PlanStatus
from nsp.tests.test_delete_counts import objective_tree
from nsp.tests.test_views_scenario import build
from tests.factories import (
    CommentFactory,
    NationalAlignmentFactory,
    PoliceZoneFactory,
    UserFactory,
    sign_in,
    user_with_role,
)
from zones.models import Expectation, MatrixCandidate, MatrixScore, NationalAlignment

pytestmark = pytest.mark.django_db

CONTENT = (Objective, Indicator, Measurement, Action, Comment, Expectation, MatrixCandidate, MatrixScore)


def snapshot(plan) -> dict:
    """Every column of every content row of the plan (the measurement series included), and the links."""
    rows = {}
    for model in CONTENT:
        fields = [field.attname for field in model._meta.concrete_fields]
        rows[model.__name__] = {
            row["id"]: row for row in model._base_manager.filter(plan_id=plan.pk).order_by("pk").values(*fields)
        }
    rows["alignment links"] = sorted(
        NationalAlignment.objectives.through.objects.filter(nationalalignment__plan_id=plan.pk).values_list(
            "nationalalignment_id", "objective_id"
        )
    )
    return rows


def rich_tree():
    """The issue's objective (5 objectives, 3 indicators, 72 measurements, 2 actions), commented on, adopted by
    an alignment and chosen in the matrix."""
    plan, root = objective_tree()
    child = root.children.first()
    CommentFactory(plan=plan, objective=root, body="Keep it.")
    CommentFactory(plan=plan, indicator=Indicator.objects.filter(objective=root).first(), body="Source?")
    alignment = NationalAlignmentFactory(plan=plan, adopted=True, justification="")
    alignment.objectives.add(root, child)
    candidate = MatrixCandidate.objects.create(plan=plan, label="Burglaries", chosen=True, objective=root)
    MatrixScore.objects.create(plan=plan, candidate=candidate, source="mayors", score=4)
    # A year and a long text: every value must come back.
    Objective.objects.filter(pk=root.pk).update(year=2021, description="Long text.\nTwo lines.")
    return plan, Objective.objects.get(pk=root.pk), candidate


def test_delete_then_restore_an_objective_brings_back_every_value():
    plan, root, candidate = rich_tree()
    before = snapshot(plan)
    planner, chief = Client(), Client()
    sign_in(planner, "zone_planner", zone=plan.zone)
    sign_in(chief, "zone_chief", zone=plan.zone)

    deleted = planner.post(reverse("nsp:objective-delete", kwargs={"pk": root.pk}))
    assert deleted.status_code == 302
    assert not Objective.objects.filter(pk=root.pk).exists()
    assert Measurement.objects.filter(plan=plan).count() == 0
    candidate.refresh_from_db()
    assert candidate.objective_id is None

    page = chief.get(reverse("nsp:plan-deleted-items", kwargs={"pk": plan.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "5 objectives, 3 indicators, 72 measurements, 2 actions, 2 comments" in text
    [item] = page.context["items"]
    assert item.may_restore

    restored = chief.post(reverse("nsp:deleted-item-restore", kwargs={"pk": item.pk}))
    assert restored.status_code == 302 and restored["Location"] == root.get_absolute_url()
    assert snapshot(plan) == before
    assert not DeletedItem.objects.exists()


def test_history_keeps_the_delete_and_the_restore():
    plan, root, candidate = rich_tree()
    chief = user_with_role("zone_chief", zone=plan.zone)
    measurement = Measurement.objects.filter(indicator__objective=root).first()
    item = services.objective_delete(actor=chief, objective=root)
    services.deleted_item_restore(actor=chief, item=item)
    for model, pk in ((Objective, root.pk), (Measurement, measurement.pk)):
        records = list(model.history.filter(id=pk).order_by("history_date", "history_id"))
        assert [r.history_type for r in records] == ["+", "-", "+"], model
        assert records[1].history_user == chief and records[2].history_user == chief
        assert records[2].history_change_reason == services.RESTORED
    cleared, put_back = MatrixCandidate.history.filter(id=candidate.pk).order_by("history_date", "history_id")[1:]
    assert (cleared.objective_id, put_back.objective_id) == (None, root.pk)


def test_a_planner_deletes_but_only_the_chief_or_an_administrator_restores():
    plan, root, _ = rich_tree()
    planner = Client()
    sign_in(planner, "zone_planner", zone=plan.zone)
    planner.post(reverse("nsp:objective-delete", kwargs={"pk": root.pk}))
    item = DeletedItem.objects.get()
    listed = planner.get(reverse("nsp:plan-deleted-items", kwargs={"pk": plan.pk}))
    assert listed.status_code == 200 and not listed.context["items"][0].may_restore
    assert planner.post(reverse("nsp:deleted-item-restore", kwargs={"pk": item.pk})).status_code == 403
    reader = Client()
    sign_in(reader, "committee_member")
    assert reader.get(reverse("nsp:plan-deleted-items", kwargs={"pk": plan.pk})).status_code == 404  # a draft
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert admin.post(reverse("nsp:deleted-item-restore", kwargs={"pk": item.pk})).status_code == 302
    assert Objective.objects.filter(pk=root.pk).exists()


def test_a_child_waits_for_its_deleted_parent():
    plan, root, _ = rich_tree()
    chief = user_with_role("zone_chief", zone=plan.zone)
    child = root.children.first()
    child_item = services.objective_delete(actor=chief, objective=child)
    root_item = services.objective_delete(actor=chief, objective=Objective.objects.get(pk=root.pk))
    with pytest.raises(services.DomainError, match="Restore that first"):
        services.deleted_item_restore(actor=chief, item=child_item)
    assert not Objective.objects.filter(pk=child.pk).exists()
    services.deleted_item_restore(actor=chief, item=root_item)
    services.deleted_item_restore(actor=chief, item=DeletedItem.objects.get(pk=child_item.pk))
    assert set(Objective.objects.filter(pk__in=[root.pk, child.pk]).values_list("pk", flat=True)) == {root.pk, child.pk}


@pytest.mark.parametrize(
    ("page", "attr", "model"),
    [
        ("nsp:indicator-delete", "indicator", Indicator),
        ("nsp:action-delete", "action", Action),
        ("zones:expectation-delete", "expectation", Expectation),
        ("zones:candidate-delete", "candidate", MatrixCandidate),
    ],
)
def test_every_kind_of_the_draft_comes_back(page, attr, model):
    world = build()
    before = snapshot(world.plan)
    chief = Client()
    sign_in(chief, "zone_chief", zone=world.zone)
    row = getattr(world, attr)
    confirm = chief.get(reverse(page, kwargs={"pk": row.pk}))
    assert "deleted items" in confirm.content.decode()
    assert chief.post(reverse(page, kwargs={"pk": row.pk})).status_code == 302
    assert not model.objects.filter(pk=row.pk).exists()
    item = DeletedItem.objects.get(plan=world.plan, model=model._meta.label_lower)
    assert chief.post(reverse("nsp:deleted-item-restore", kwargs={"pk": item.pk})).status_code == 302
    assert snapshot(world.plan) == before


def test_a_measurement_of_an_approved_plan_through_the_api():
    world = build(PlanStatus.APPROVED)
    before = snapshot(world.plan)
    planner = user_with_role("zone_planner", zone=world.zone)
    chief = user_with_role("zone_chief", zone=world.zone)
    assert client_for(planner).delete(f"{API}measurements/{world.measurement.pk}/").status_code == 204
    listed = client_for(planner).get(f"{API}deleted-items/", {"plan": world.plan.pk})
    assert listed.status_code == 200
    [item] = listed.json()["results"]
    assert item["deleted_with_it"] == "1 measurement" and item["counts"] == {"nsp.measurement": 1}
    assert item["deleted_by"] == planner.username
    assert_error(client_for(planner).post(f"{API}deleted-items/{item['id']}/restore/"), 403)
    answer = client_for(chief).post(f"{API}deleted-items/{item['id']}/restore/")
    assert answer.status_code == 200 and answer.json() == {"model": "nsp.measurement", "id": world.measurement.pk}
    assert snapshot(world.plan) == before
    assert client_for(chief).get(f"{API}deleted-items/", {"plan": world.plan.pk}).json()["count"] == 0


def test_an_unreadable_plan_lists_nothing_and_restores_nothing():
    plan, root, _ = rich_tree()
    item = services.objective_delete(actor=user_with_role("zone_chief", zone=plan.zone), objective=root)
    stranger = user_with_role("zone_chief", zone=PoliceZoneFactory())  # another zone
    assert client_for(stranger).get(f"{API}deleted-items/", {"plan": plan.pk}).json()["count"] == 0
    assert_error(client_for(stranger).post(f"{API}deleted-items/{item.pk}/restore/"), 404)


def test_items_past_the_retention_are_purged_by_the_beat_task(settings):
    settings.DELETED_RETENTION_DAYS = 10
    plan, root, _ = rich_tree()
    chief = user_with_role("zone_chief", zone=plan.zone)
    old = services.objective_delete(actor=chief, objective=root)
    DeletedItem.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - dt.timedelta(days=11))
    recent = services.objective_delete(actor=chief, objective=Objective.objects.get(plan=plan, code="S2"))
    assert tasks.purge_deleted_items() == 1
    assert list(DeletedItem.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_purge_is_in_the_beat_schedule():
    from nsp.schedule import DEFAULTS

    (entry,) = [d for d in DEFAULTS if d.name == "deleted-items-purge"]
    assert entry.task == tasks.purge_deleted_items.name and entry.enabled
    assert settings.DELETED_RETENTION_DAYS == 90  # the default


def test_values_come_back_exactly(django_assert_max_num_queries):
    """Decimals, dates and the translated columns round-trip through the stored JSON."""
    plan, root, _ = rich_tree()
    indicator = Indicator.objects.filter(objective=root).first()
    Measurement.objects.filter(indicator=indicator).update(value=Decimal("123456789012.3456"))
    before = snapshot(plan)
    chief = user_with_role("zone_chief", zone=plan.zone)
    item = services.objective_delete(actor=chief, objective=root)
    services.deleted_item_restore(actor=chief, item=item)
    after = snapshot(plan)
    assert after == before
    assert isinstance(next(iter(after["Measurement"].values()))["value"], Decimal)
    assert all(isinstance(field, models.Field) for field in Measurement._meta.concrete_fields)


def test_a_programme_manager_restores_in_their_programme():
    world = build()
    manager = Client()
    sign_in(manager, "programme_manager", programme=world.programme)
    objective = world.programme_objective
    before = snapshot(world.programme)
    assert manager.post(reverse("nsp:objective-delete", kwargs={"pk": objective.pk})).status_code == 302
    page = manager.get(reverse("nsp:plan-deleted-items", kwargs={"pk": world.programme.pk}))
    [item] = page.context["items"]
    assert item.may_restore
    assert manager.post(reverse("nsp:deleted-item-restore", kwargs={"pk": item.pk})).status_code == 302
    assert snapshot(world.programme) == before
