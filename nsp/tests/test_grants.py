"""nsp.grants: role groups, their guardian grants, and reviewer rights that follow the districts."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from nsp import grants
from nsp.exceptions import DomainError
from nsp.models import RoleGroup
from nsp.permissions import ZONE_EDIT_PLANS, ZONE_REVIEW, ZONE_VIEW_DRAFTS, user_roles
from nsp.roles import ROLES
from programmes.models import ProgrammeGroupObjectPermission
from tests.factories import (
    DistrictFactory,
    PoliceZoneFactory,
    ProgrammeFactory,
    UserFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)
from zones.models import PoliceZone, ZonalSecurityPlan, ZoneGroupObjectPermission

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request would load it (``user_roles`` caches on the object)."""
    return get_user_model().objects.get(pk=user.pk)


def reviewed_zone_ids(district) -> set[int]:
    group = Group.objects.get(name=grants.group_name(ROLES["federal_reviewer"], district))
    rows = ZoneGroupObjectPermission.objects.filter(group=group, permission__codename=ZONE_REVIEW)
    return set(rows.values_list("content_object_id", flat=True))


def zone_ids(district) -> set[int]:
    return set(PoliceZone.objects.filter(district=district).values_list("pk", flat=True))


@pytest.fixture
def districts():
    return DistrictFactory(code="brussel-bruxelles", name="Brussel/Bruxelles"), DistrictFactory(
        code="gent", name="Gent"
    )


# --- group naming and the groups' grants -------------------------------------------------------------


def test_group_names_say_role_and_scope(districts):
    zone = PoliceZoneFactory(number="5339", key="5339")
    programme = ProgrammeFactory()
    assert grants.group_name(ROLES["federal_planner"]) == "role:federal_planner"
    assert grants.group_name(ROLES["zone_chief"], zone) == "zone:5339:zone_chief"
    assert grants.group_name(ROLES["programme_manager"], programme) == f"programme:{programme.pk}:programme_manager"
    assert grants.group_name(ROLES["federal_reviewer"], districts[0]) == "district:brussel-bruxelles:federal_reviewer"


def test_zone_without_number_is_named_by_its_key():
    zone = PoliceZoneFactory(number=None, key="pz-voorlopig")
    assert grants.group_name(ROLES["zone_planner"], zone) == "zone:pz-voorlopig:zone_planner"


def test_zone_role_group_holds_the_role_rights_on_its_zone_only():
    zone, other = PoliceZoneFactory(), PoliceZoneFactory()
    user = UserFactory()
    group = grants.role_grant(user=user, role="zone_chief", zone=zone)
    rows = ZoneGroupObjectPermission.objects.filter(group=group)
    assert set(rows.values_list("permission__codename", flat=True)) == set(ROLES["zone_chief"].object_perms)
    assert set(rows.values_list("content_object_id", flat=True)) == {zone.pk}
    assert not ZoneGroupObjectPermission.objects.filter(content_object=other).exists()
    role_group = RoleGroup.objects.get(group=group)
    assert (role_group.role, role_group.zone, role_group.programme, role_group.district) == (
        "zone_chief",
        zone,
        None,
        None,
    )


def test_only_role_groups_grant_a_per_user_permission_gives_nothing():
    """What a user may do is what their roles say: a guardian grant to one user (outside nsp.grants) is ignored."""
    zone, other = PoliceZoneFactory(), PoliceZoneFactory()
    planner = user_with_role("zone_planner", zone=zone)
    draft = ZonalSecurityPlanFactory(zone=other, status=ZonalSecurityPlan.Status.DRAFT)
    assign_perm(ZONE_VIEW_DRAFTS, planner, other)
    assign_perm(ZONE_EDIT_PLANS, planner, other)
    assert UserObjectPermission.objects.filter(user=planner).count() == 2
    for action in ("view", "change", "record"):
        assert not ZonalSecurityPlan.objects.restrict(fresh(planner), action).filter(pk=draft.pk).exists()


def test_programme_manager_group_manages_its_programme():
    programme = ProgrammeFactory()
    group = grants.role_grant(user=UserFactory(), role="programme_manager", programme=programme)
    rows = ProgrammeGroupObjectPermission.objects.filter(group=group)
    assert list(rows.values_list("permission__codename", "content_object_id")) == [("manage_programme", programme.pk)]


def test_global_role_group_holds_the_role_permissions():
    group = grants.role_grant(user=UserFactory(), role="federal_planner")
    codes = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    assert codes == set(ROLES["federal_planner"].global_perms)
    assert RoleGroup.objects.get(group=group).scope is None


def test_the_same_user_object_sees_a_role_granted_or_revoked_at_once():
    """The permission layer caches roles on the user object; granting and revoking drop that cache."""
    zone = PoliceZoneFactory()
    plan = ZonalSecurityPlanFactory(zone=zone)
    user = UserFactory()
    assert user_roles(user) == frozenset()
    grants.role_grant(user=user, role="zone_chief", zone=zone)
    assert user_roles(user) == {"zone_chief"}
    assert ZonalSecurityPlan.objects.restrict(user, "workflow").filter(pk=plan.pk).exists()
    grants.role_revoke(user=user, role="zone_chief", zone=zone)
    assert user_roles(user) == frozenset()
    assert not ZonalSecurityPlan.objects.restrict(user, "workflow").exists()
    grants.role_grant(user=user, role="admin")
    assert "admin" in user_roles(user)


def test_grant_is_idempotent():
    zone = PoliceZoneFactory()
    user = UserFactory()
    first = grants.role_grant(user=user, role="zone_planner", zone=zone)
    counts = (Group.objects.count(), RoleGroup.objects.count(), ZoneGroupObjectPermission.objects.count())
    second = grants.role_grant(user=user, role="zone_planner", zone=zone)
    assert first == second
    assert (Group.objects.count(), RoleGroup.objects.count(), ZoneGroupObjectPermission.objects.count()) == counts
    assert list(user.groups.all()) == [first]


def test_two_users_of_one_role_and_zone_share_one_group():
    zone = PoliceZoneFactory()
    chief_a = user_with_role("zone_chief", zone=zone)
    chief_b = user_with_role("zone_chief", zone=zone)
    assert list(chief_a.groups.all()) == list(chief_b.groups.all())
    assert Group.objects.filter(name__startswith="zone:").count() == 1


def test_admin_role_is_the_superuser_flag():
    user = UserFactory()
    assert grants.role_grant(user=user, role="admin") is None
    user.refresh_from_db()
    assert user.is_superuser and user.is_staff
    assert grants.role_revoke(user=user, role="admin") is True
    user.refresh_from_db()
    assert not user.is_superuser
    assert grants.role_revoke(user=user, role="admin") is False


@pytest.mark.parametrize(
    ("role", "scope", "message"),
    [
        ("chief", {}, "Unknown role 'chief'"),
        ("federal_planner", {"zone": True}, "takes no zone"),
        ("zone_chief", {"district": True}, "takes no district"),
        ("zone_chief", {}, "needs a zone"),
        ("programme_manager", {}, "needs a programme"),
        ("federal_reviewer", {}, "needs a district"),
        ("admin", {"zone": True}, "takes no scope"),
    ],
)
def test_bad_role_or_scope_is_refused_and_changes_nothing(role, scope, message):
    zone = PoliceZoneFactory()
    values = {"zone": zone, "district": zone.district}
    user = UserFactory()
    before = (Group.objects.count(), RoleGroup.objects.count(), ZoneGroupObjectPermission.objects.count())
    with pytest.raises(DomainError, match=message):
        grants.role_grant(user=user, role=role, **{name: values[name] for name in scope})
    assert (Group.objects.count(), RoleGroup.objects.count(), ZoneGroupObjectPermission.objects.count()) == before
    user.refresh_from_db()
    assert not user.groups.exists() and not user.is_superuser


def test_revoke_takes_the_membership_away_and_keeps_the_group():
    zone = PoliceZoneFactory()
    chief, other_chief = user_with_role("zone_chief", zone=zone), user_with_role("zone_chief", zone=zone)
    plan = ZonalSecurityPlanFactory(zone=zone)
    assert ZonalSecurityPlan.objects.restrict(fresh(chief), "workflow").filter(pk=plan.pk).exists()

    assert grants.role_revoke(user=chief, role="zone_chief", zone=zone) is True
    assert not chief.groups.exists()
    assert not ZonalSecurityPlan.objects.restrict(fresh(chief), "workflow").exists()
    assert ZonalSecurityPlan.objects.restrict(fresh(other_chief), "workflow").filter(pk=plan.pk).exists()
    assert grants.role_revoke(user=chief, role="zone_chief", zone=zone) is False


def test_revoke_of_a_role_never_granted_creates_nothing():
    zone = PoliceZoneFactory()
    groups = Group.objects.count()
    assert grants.role_revoke(user=UserFactory(), role="zone_planner", zone=zone) is False
    assert Group.objects.count() == groups


def test_user_role_groups_lists_roles_with_scopes(districts):
    zone, programme = PoliceZoneFactory(), ProgrammeFactory()
    user = user_with_role("zone_chief", zone=zone)
    grants.role_grant(user=user, role="programme_manager", programme=programme)
    grants.role_grant(user=user, role="federal_reviewer", district=districts[1])
    grants.role_grant(user=user, role="committee_member")
    listed = {(rg.role, rg.scope) for rg in grants.user_role_groups(user)}
    assert listed == {
        ("zone_chief", zone),
        ("programme_manager", programme),
        ("federal_reviewer", districts[1]),
        ("committee_member", None),
    }


# --- reviewer rights follow the districts -----------------------------------------------------------


@pytest.fixture
def reviewers(districts):
    brussels, gent = districts
    return user_with_role("federal_reviewer", district=brussels), user_with_role("federal_reviewer", district=gent)


def test_reviewer_group_reviews_exactly_the_zones_of_its_district(districts):
    brussels, gent = districts
    PoliceZoneFactory.create_batch(2, district=brussels)
    PoliceZoneFactory(district=gent)
    PoliceZoneFactory(district=None)
    reviewer = user_with_role("federal_reviewer", district=brussels)
    assert reviewed_zone_ids(brussels) == zone_ids(brussels)
    submitted = [ZonalSecurityPlanFactory(zone=zone, status="submitted") for zone in PoliceZone.objects.all()]
    in_brussels = {plan.pk for plan in submitted if plan.zone.district_id == brussels.pk}
    review = ZonalSecurityPlan.objects.restrict(fresh(reviewer), "review")
    assert set(review.values_list("pk", flat=True)) == in_brussels


def test_a_new_zone_is_reviewed_once_announced(districts, reviewers):
    brussels, _gent = districts
    zone = PoliceZoneFactory(district=brussels)
    assert zone.pk not in reviewed_zone_ids(brussels)  # created behind the service's back
    grants.zones_changed([zone])
    assert reviewed_zone_ids(brussels) == zone_ids(brussels) == {zone.pk}


def test_moving_a_zone_moves_its_review(districts, reviewers):
    brussels, gent = districts
    zone, staying = PoliceZoneFactory(district=brussels), PoliceZoneFactory(district=brussels)
    grants.zones_changed([zone, staying])
    plan = ZonalSecurityPlanFactory(zone=zone, status="submitted")

    zone.district = gent
    zone.save()
    grants.zones_changed([zone], previous_districts=[brussels])

    assert reviewed_zone_ids(brussels) == {staying.pk}
    assert reviewed_zone_ids(gent) == {zone.pk}
    reviewer_brussels, reviewer_gent = (fresh(user) for user in reviewers)
    assert not ZonalSecurityPlan.objects.restrict(reviewer_brussels, "review").filter(pk=plan.pk).exists()
    assert ZonalSecurityPlan.objects.restrict(reviewer_gent, "review").filter(pk=plan.pk).exists()


def test_a_zone_leaving_every_district_loses_its_reviewers(districts, reviewers):
    brussels, _gent = districts
    zone = PoliceZoneFactory(district=brussels)
    grants.zones_changed([zone])
    zone.district = None
    zone.status = PoliceZone.Status.MERGED
    zone.save()
    grants.zones_changed([zone], previous_districts=[brussels])
    assert reviewed_zone_ids(brussels) == set()


def test_merged_zones_and_their_successor(districts, reviewers):
    brussels, gent = districts
    old_a, old_b = PoliceZoneFactory(district=brussels), PoliceZoneFactory(district=gent)
    grants.zones_changed([old_a, old_b])
    # The successor lies in Gent; the merged zones keep their history but move with it.
    merged = PoliceZoneFactory(number="5853", key="5853", district=gent)
    for old in (old_a, old_b):
        old.status, old.merged_into, old.district = PoliceZone.Status.MERGED, merged, gent
        old.save()
    grants.zones_changed([merged, old_a, old_b], previous_districts=[brussels, gent])
    assert reviewed_zone_ids(brussels) == zone_ids(brussels) == set()
    assert reviewed_zone_ids(gent) == zone_ids(gent) == {old_a.pk, old_b.pk, merged.pk}


def test_a_reviewer_group_created_later_starts_with_the_district_zones(districts):
    brussels, _gent = districts
    zones = PoliceZoneFactory.create_batch(3, district=brussels)
    user_with_role("federal_reviewer", district=brussels)
    assert reviewed_zone_ids(brussels) == {zone.pk for zone in zones}


def test_sync_all_repairs_drift(districts, reviewers):
    brussels, gent = districts
    zone_a, zone_b = PoliceZoneFactory(district=brussels), PoliceZoneFactory(district=brussels)
    grants.zones_changed([zone_a, zone_b])
    # Moved by a bulk update, which tells nobody.
    PoliceZone.objects.filter(pk=zone_b.pk).update(district=gent)
    assert reviewed_zone_ids(brussels) == {zone_a.pk, zone_b.pk}
    grants.sync_all()
    assert reviewed_zone_ids(brussels) == {zone_a.pk}
    assert reviewed_zone_ids(gent) == {zone_b.pk}
    # Running it again changes nothing.
    rows = ZoneGroupObjectPermission.objects.count()
    grants.sync_all()
    assert ZoneGroupObjectPermission.objects.count() == rows


def test_sync_leaves_other_zone_grants_alone(districts, reviewers):
    brussels, _gent = districts
    zone = PoliceZoneFactory(district=brussels)
    user_with_role("zone_chief", zone=zone)
    chief_rows = ZoneGroupObjectPermission.objects.exclude(permission__codename=ZONE_REVIEW).count()
    grants.sync_all()
    assert ZoneGroupObjectPermission.objects.exclude(permission__codename=ZONE_REVIEW).count() == chief_rows
