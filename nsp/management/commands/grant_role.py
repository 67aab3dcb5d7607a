"""``manage.py grant_role USER ROLE [--zone N | --programme ID | --district CODE]``; ``grant_role --list USER``."""

from __future__ import annotations

from nsp.management.roles import RoleCommand


class Command(RoleCommand):
    help = "Give a user a role in its scope (through nsp.grants), or list the user's roles with --list."
    operation = "grant"
