"""``manage.py revoke_role USER ROLE [--zone N | --programme ID | --district CODE]``; ``revoke_role --list USER``."""

from __future__ import annotations

from nsp.management.roles import RoleCommand


class Command(RoleCommand):
    help = "Take a role in its scope away from a user (through nsp.grants), or list the user's roles with --list."
    operation = "revoke"
