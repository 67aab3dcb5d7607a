"""What ``grant_role`` and ``revoke_role`` share: arguments, look-ups and the listing of a user's roles.

Every look-up and every check runs before ``nsp.grants`` writes anything, so bad input changes nothing.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from nsp import grants
from nsp.exceptions import DomainError
from nsp.roles import ADMIN, ROLE_NAMES, ROLES


def find_user(name: str):
    user_model = get_user_model()
    try:
        return user_model.objects.get(**{user_model.USERNAME_FIELD: name})
    except user_model.DoesNotExist:
        raise CommandError(_("No user named '%(name)s'.") % {"name": name}) from None


def find_zone(value: str):
    """A police zone by its number (5339) or its key."""
    zone_model = apps.get_model("zones", "PoliceZone")
    zone = zone_model.objects.filter(number=value).first() or zone_model.objects.filter(key=value).first()
    if zone is None:
        raise CommandError(_("No police zone with number or key '%(value)s'.") % {"value": value})
    return zone


def find_programme(value: str):
    """A programme or improvement project by its id or its code."""
    programme_model = apps.get_model("programmes", "Programme")
    programme = programme_model.objects.filter(pk=int(value)).first() if value.isdigit() else None
    programme = programme or programme_model.objects.filter(code=value).first()
    if programme is None:
        raise CommandError(_("No programme with id or code '%(value)s'.") % {"value": value})
    return programme


def find_district(value: str):
    district_model = apps.get_model("zones", "District")
    district = district_model.objects.filter(code=value).first()
    if district is None:
        codes = ", ".join(district_model.objects.order_by("code").values_list("code", flat=True)) or "-"
        raise CommandError(
            _("No district with code '%(value)s'. District codes: %(codes)s.") % {"value": value, "codes": codes}
        )
    return district


def role_label(name: str) -> str:
    return _("Administrator") if name == ADMIN else str(ROLES[name].label)


def describe(role: str, scope=None) -> str:
    """``zone_chief (Zone chief) in 5339 Ixelles``: the role's name, its label and its scope."""
    text = f"{role} ({role_label(role)})"
    return f"{text} {_('in')} {scope}" if scope is not None else text


class RoleCommand(BaseCommand):
    """``<command> USER ROLE [--zone N | --programme ID | --district CODE]`` and ``<command> --list USER``."""

    operation = ""  # "grant" or "revoke"

    def add_arguments(self, parser) -> None:
        parser.add_argument("user", help="The user's username.")
        parser.add_argument("role", nargs="?", help=f"One of: {', '.join(ROLE_NAMES)}.")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--zone", help="Zone roles: the police zone's number (5339) or key.")
        scope.add_argument("--programme", help="programme_manager: the programme's id or code.")
        scope.add_argument("--district", help="federal_reviewer: the district's code (e.g. brussel-bruxelles).")
        parser.add_argument(
            "--list", dest="listing", action="store_true", help="Print the user's roles and their scopes."
        )

    def handle(self, *args, user: str, role: str | None, listing: bool = False, **options) -> None:
        account = find_user(user)
        if listing:
            if role or any(options.get(name) for name in ("zone", "programme", "district")):
                raise CommandError(_("--list takes a user only."))
            self.list_roles(account)
            return
        if not role:
            raise CommandError(_("Name a role: %(roles)s.") % {"roles": ", ".join(ROLE_NAMES)})
        if role not in ROLE_NAMES:
            raise CommandError(
                _("Unknown role '%(role)s'. Roles: %(roles)s.") % {"role": role, "roles": ", ".join(ROLE_NAMES)}
            )
        finders = {"zone": find_zone, "programme": find_programme, "district": find_district}
        scope = {name: finders[name](options[name]) for name in finders if options.get(name)}
        # grants.role_revoke does not check the scope of "admin"; refuse it here for both commands.
        if role == ADMIN and scope:
            raise CommandError(_("The role admin takes no scope."))
        try:
            self.apply(account, role, scope)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def apply(self, user, role: str, scope: dict) -> None:
        target = next(iter(scope.values()), None)
        if self.operation == "grant":
            group = grants.role_grant(user=user, role=role, **scope)
            message = _("Granted %(role)s to %(user)s.") % {"role": describe(role, target), "user": user}
            if group is not None:
                message += " " + _("Group: %(group)s.") % {"group": group.name}
            self.stdout.write(self.style.SUCCESS(message))
            return
        held = grants.role_revoke(user=user, role=role, **scope)
        if held:
            message = _("Revoked %(role)s from %(user)s.")
            self.stdout.write(self.style.SUCCESS(message % {"role": describe(role, target), "user": user}))
        else:
            message = _("%(user)s did not hold %(role)s; nothing changed.")
            self.stdout.write(message % {"role": describe(role, target), "user": user})

    def list_roles(self, user) -> None:
        lines = [describe(ADMIN)] if user.is_superuser else []
        lines += [f"{describe(rg.role, rg.scope)} [{rg.group.name}]" for rg in grants.user_role_groups(user)]
        if not lines:
            self.stdout.write(_("%(user)s holds no role.") % {"user": user})
            return
        self.stdout.write(_("%(user)s holds:") % {"user": user})
        for line in lines:
            self.stdout.write(f"  {line}")
