"""Role groups and their guardian grants. The only module that writes permissions.

One Django group per role and scope (``zone:5339:zone_chief``, ``programme:7:programme_manager``,
``district:brussel-bruxelles:federal_reviewer``, ``role:federal_planner``); users join groups. A
reviewer group holds ``review_zone_plans`` on every zone of its district; ``district_sync_reviewers``
keeps that true when zones are added, moved between districts or merged.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from nsp.exceptions import DomainError
from nsp.permissions import forget_cached
from nsp.roles import ADMIN, ROLES, Role


def _zone_model():
    return apps.get_model("zones", "PoliceZone")


def group_name(role: Role, scope=None) -> str:
    if role.scope is None:
        return f"role:{role.name}"
    key = {"zone": lambda z: z.key, "programme": lambda p: str(p.pk), "district": lambda d: d.code}[role.scope]
    return f"{role.scope}:{key(scope)}:{role.name}"


def _resolve(role_name: str, *, zone=None, programme=None, district=None) -> tuple[Role, object]:
    role = ROLES.get(role_name)
    if role is None:
        raise DomainError(
            _("Unknown role '%(role)s'. Roles: %(roles)s.") % {"role": role_name, "roles": ", ".join([ADMIN, *ROLES])}
        )
    given = {"zone": zone, "programme": programme, "district": district}
    extra = [name for name, value in given.items() if value is not None and name != role.scope]
    if extra:
        raise DomainError(_("The role %(role)s takes no %(scope)s.") % {"role": role.name, "scope": " / ".join(extra)})
    scope = given.get(role.scope) if role.scope else None
    if role.scope and scope is None:
        raise DomainError(_("The role %(role)s needs a %(scope)s.") % {"role": role.name, "scope": role.scope})
    return role, scope


def _global_permissions(codes: Iterable[str]) -> list[Permission]:
    perms = []
    for code in codes:
        app_label, codename = code.split(".")
        perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return perms


@transaction.atomic
def role_group(role: Role, scope=None) -> Group:
    """The group of a role in a scope, created with its grants when missing."""
    role_group_model = apps.get_model("nsp", "RoleGroup")
    group, created = Group.objects.get_or_create(name=group_name(role, scope))
    if created or not hasattr(group, "role"):
        role_group_model.objects.update_or_create(
            group=group, defaults={"role": role.name, role.scope: scope} if role.scope else {"role": role.name}
        )
        group.permissions.set(_global_permissions(role.global_perms))
        if role.scope in ("zone", "programme"):
            for codename in role.object_perms:
                assign_perm(codename, group, scope)
        elif role.scope == "district":
            district_sync_reviewers(scope)
    return group


@transaction.atomic
def role_grant(*, user, role: str, zone=None, programme=None, district=None) -> Group | None:
    """Give ``user`` the role in the scope. Idempotent. Returns the group (None for admin)."""
    if role == ADMIN:
        if any(v is not None for v in (zone, programme, district)):
            raise DomainError(_("The role admin takes no scope."))
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
        forget_cached(user)
        return None
    role_def, scope = _resolve(role, zone=zone, programme=programme, district=district)
    group = role_group(role_def, scope)
    user.groups.add(group)
    forget_cached(user)
    return group


@transaction.atomic
def role_revoke(*, user, role: str, zone=None, programme=None, district=None) -> bool:
    """Take the role away. Returns whether the user held it."""
    if role == ADMIN:
        if any(v is not None for v in (zone, programme, district)):
            raise DomainError(_("The role admin takes no scope."))
        held = user.is_superuser
        # A former administrator keeps no way into the admin site either.
        user.is_superuser = user.is_staff = False
        user.save(update_fields=["is_superuser", "is_staff"])
        forget_cached(user)
        return held
    role_def, scope = _resolve(role, zone=zone, programme=programme, district=district)
    group = Group.objects.filter(name=group_name(role_def, scope)).first()
    if group is None or not user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.remove(group)
    forget_cached(user)
    return True


@transaction.atomic
def district_sync_reviewers(district) -> None:
    """Give the district's reviewer group review rights on exactly the zones of the district."""
    group = Group.objects.filter(name=group_name(ROLES["federal_reviewer"], district)).first()
    if group is None:
        return
    zone_model = _zone_model()
    grant_model = apps.get_model("zones", "ZoneGroupObjectPermission")
    codename = ROLES["federal_reviewer"].object_perms[0]
    held = grant_model.objects.filter(group=group, permission__codename=codename)
    held.exclude(content_object__district=district).delete()
    missing = zone_model.objects.filter(district=district).exclude(pk__in=held.values("content_object_id"))
    if missing.exists():
        assign_perm(codename, group, missing)


def zones_changed(zones: Iterable, previous_districts: Iterable = ()) -> None:
    """Call after zones were created, moved to another district or merged."""
    districts = {z.district for z in zones if z.district_id} | {d for d in previous_districts if d}
    for district in districts:
        district_sync_reviewers(district)


def sync_all() -> None:
    """Repair: re-derive every reviewer group's grants from the districts."""
    district_model = apps.get_model("zones", "District")
    for district in district_model.objects.all():
        district_sync_reviewers(district)


def user_role_groups(user):
    """The role groups a user belongs to, with their scopes (for the admin and `grant_role --list`)."""
    role_group_model = apps.get_model("nsp", "RoleGroup")
    return role_group_model.objects.filter(group__user=user).select_related("group", "zone", "programme", "district")
