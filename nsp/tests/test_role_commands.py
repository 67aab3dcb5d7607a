"""``manage.py grant_role`` / ``revoke_role``: every role with its scope, and bad input that changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from nsp.models import RoleGroup
from programmes.models import ProgrammeGroupObjectPermission
from tests.factories import DistrictFactory, PoliceZoneFactory, ProgrammeFactory, UserFactory
from zones.models import ZoneGroupObjectPermission

pytestmark = pytest.mark.django_db

User = get_user_model()


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def state() -> tuple:
    """Everything a grant or revoke could change."""
    return (
        Group.objects.count(),
        RoleGroup.objects.count(),
        User.groups.through.objects.count(),
        Group.permissions.through.objects.count(),
        ZoneGroupObjectPermission.objects.count(),
        ProgrammeGroupObjectPermission.objects.count(),
        tuple(User.objects.order_by("pk").values_list("is_superuser", "is_staff")),
    )


@pytest.fixture
def world():
    district = DistrictFactory(code="brussel-bruxelles", name="Brussel/Bruxelles")
    zone = PoliceZoneFactory(
        number="5339",
        key="5339",
        name_nl="Brussel-Hoofdstad/Elsene",
        name_fr="Bruxelles-Capitale/Ixelles",
        district=district,
    )
    unnumbered = PoliceZoneFactory(number=None, key="pz-zonder-nummer", district=district)
    programme = ProgrammeFactory(code="cybercrime")
    user = UserFactory(username="alice")
    return {"district": district, "zone": zone, "unnumbered": unnumbered, "programme": programme, "user": user}


def scope_args(world, kind: str | None, by: str = "") -> list[str]:
    if kind == "zone":
        return ["--zone", world["unnumbered"].key] if by == "key" else ["--zone", "5339"]
    if kind == "programme":
        return ["--programme", "cybercrime" if by == "code" else str(world["programme"].pk)]
    if kind == "district":
        return ["--district", "brussel-bruxelles"]
    return []


CASES = [
    ("admin", None, ""),
    ("federal_planner", None, ""),
    ("programme_manager", "programme", "id"),
    ("programme_manager", "programme", "code"),
    ("federal_reviewer", "district", ""),
    ("zone_chief", "zone", "number"),
    ("zone_chief", "zone", "key"),
    ("zone_planner", "zone", "number"),
    ("cppl_member", None, ""),
    ("committee_member", None, ""),
]


@pytest.mark.parametrize(("role", "kind", "by"), CASES)
def test_grant_list_revoke(world, role, kind, by):
    user = world["user"]
    args = ["alice", role, *scope_args(world, kind, by)]

    out = run("grant_role", *args)
    assert "Granted" in out and role in out
    user.refresh_from_db()
    if role == "admin":
        assert user.is_superuser and user.is_staff
    else:
        role_group = RoleGroup.objects.get(group__user=user)
        assert role_group.role == role
        expected_scope = {"zone": world["unnumbered"] if by == "key" else world["zone"]}.get(kind) or world.get(kind)
        assert role_group.scope == expected_scope

    listed = run("grant_role", "--list", "alice")
    assert role in listed
    if kind == "zone":
        assert (world["unnumbered"] if by == "key" else world["zone"]).key in listed

    # Granting again is harmless.
    before = state()
    run("grant_role", *args)
    assert state() == before

    out = run("revoke_role", *args)
    assert "Revoked" in out
    user.refresh_from_db()
    assert not user.is_superuser and not user.groups.exists()
    assert "holds no role" in run("grant_role", "--list", "alice")

    assert "did not hold" in run("revoke_role", *args)


def test_list_shows_every_role_and_scope(world):
    run("grant_role", "alice", "zone_chief", "--zone", "5339")
    run("grant_role", "alice", "federal_reviewer", "--district", "brussel-bruxelles")
    run("grant_role", "alice", "programme_manager", "--programme", "cybercrime")
    run("grant_role", "alice", "admin")
    listed = run("revoke_role", "--list", "alice")
    assert "admin (Administrator)" in listed
    assert "zone_chief (Zone chief) in 5339 Brussel-Hoofdstad/Elsene [zone:5339:zone_chief]" in listed
    assert "federal_reviewer (Federal reviewer (DirCo)) in Brussel/Bruxelles" in listed
    assert f"[programme:{world['programme'].pk}:programme_manager]" in listed


def test_revoke_leaves_the_other_scopes(world):
    other = PoliceZoneFactory(number="5415", key="5415")
    run("grant_role", "alice", "zone_planner", "--zone", "5339")
    run("grant_role", "alice", "zone_planner", "--zone", "5415")
    run("revoke_role", "alice", "zone_planner", "--zone", "5339")
    assert [rg.zone for rg in RoleGroup.objects.filter(group__user=world["user"])] == [other]


BAD_INPUT = [
    (["bob", "zone_chief", "--zone", "5339"], "No user named 'bob'"),
    (["alice", "chief", "--zone", "5339"], "Unknown role 'chief'. Roles: admin, federal_planner"),
    (["alice"], "Name a role: admin, federal_planner"),
    (["alice", "zone_chief", "--zone", "9999"], "No police zone with number or key '9999'"),
    (["alice", "zone_chief", "--zone", "pz-nergens"], "No police zone with number or key 'pz-nergens'"),
    (["alice", "programme_manager", "--programme", "424242"], "No programme with id or code '424242'"),
    (["alice", "programme_manager", "--programme", "drugs"], "No programme with id or code 'drugs'"),
    (["alice", "federal_reviewer", "--district", "atlantis"], "No district with code 'atlantis'. District codes: "),
    (["alice", "zone_chief"], "The role zone_chief needs a zone"),
    (["alice", "zone_planner"], "The role zone_planner needs a zone"),
    (["alice", "programme_manager"], "The role programme_manager needs a programme"),
    (["alice", "federal_reviewer"], "The role federal_reviewer needs a district"),
    (["alice", "federal_planner", "--zone", "5339"], "The role federal_planner takes no zone"),
    (["alice", "committee_member", "--district", "brussel-bruxelles"], "The role committee_member takes no district"),
    (["alice", "zone_chief", "--district", "brussel-bruxelles"], "The role zone_chief takes no district"),
    (["alice", "federal_reviewer", "--zone", "5339"], "The role federal_reviewer takes no zone"),
    (["alice", "programme_manager", "--zone", "5339"], "The role programme_manager takes no zone"),
    (["alice", "admin", "--zone", "5339"], "The role admin takes no scope"),
    (["alice", "zone_chief", "--zone", "5339", "--district", "brussel-bruxelles"], "not allowed with argument"),
    (["--list", "alice", "zone_chief"], "--list takes a user only"),
    (["--list", "bob"], "No user named 'bob'"),
]


@pytest.mark.parametrize("command", ["grant_role", "revoke_role"])
@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_is_refused_and_changes_nothing(world, command, args, message):
    if command == "revoke_role":
        # Something to lose, so a wrongly accepted revoke would show.
        run("grant_role", "alice", "zone_chief", "--zone", "5339")
        run("grant_role", "alice", "admin")
    before = state()
    with pytest.raises(CommandError) as refused:
        run(command, *args)
    assert message in str(refused.value)
    assert state() == before


def test_the_district_error_lists_the_codes(world):
    DistrictFactory(code="gent", name="Gent")
    with pytest.raises(CommandError, match=r"District codes: brussel-bruxelles, gent\."):
        run("grant_role", "alice", "federal_reviewer", "--district", "atlantis")
