"""docs/permissions.md says what the code does: roles, groups, codenames, actions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from nsp import permissions
from nsp.roles import ADMIN, ROLES

DOC = Path(settings.BASE_DIR, "docs", "permissions.md").read_text()


def _table(section: str, first_column: str) -> list[list[str]]:
    """The rows of the first table in ``## section`` whose header starts with ``first_column``."""
    lines = DOC.splitlines()
    begin = lines.index(f"## {section}")
    start = next(i for i in range(begin, len(lines)) if lines[i].startswith(f"| {first_column} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _codes(cell: str) -> set[str]:
    return set(re.findall(r"`([a-z_.]+)`", cell))


def test_roles_table_matches_code():
    rows = {row[0].strip("`"): row for row in _table("Roles, codenames and groups", "role")}
    assert set(rows) == {ADMIN, *ROLES}
    for name, role in ROLES.items():
        _, scope, group, global_perms, object_perms = rows[name]
        assert scope == (role.scope or "\u2013"), name
        assert _codes(global_perms) == set(role.global_perms), name
        assert _codes(object_perms) == set(role.object_perms), name
        expected_group = f"role:{name}" if role.scope is None else f"{role.scope}:<"
        assert group.strip("`").startswith(expected_group), name


def test_codenames_table_matches_models():
    documented = {row[0].strip("`"): row[1].strip("`") for row in _table("Roles, codenames and groups", "codename")}
    declared = {}
    for model in apps.get_models():
        for codename, _label in model._meta.permissions:
            declared[codename] = f"{model._meta.app_label}.{model.__name__}"
    assert documented == declared


def test_actions_table_matches_code():
    documented = [row[0].strip("`") for row in _table("Actions", "action") if row[0].startswith("`")]
    assert tuple(documented) == permissions.ACTIONS


@pytest.mark.parametrize(
    "codename",
    [
        permissions.ZONE_VIEW_DRAFTS,
        permissions.ZONE_EDIT_PLANS,
        permissions.ZONE_WORKFLOW,
        permissions.ZONE_REVIEW,
        permissions.PROGRAMME_MANAGE,
    ],
)
def test_object_codenames_used_by_the_matrix_are_documented(codename):
    assert f"`{codename}`" in DOC


def test_every_model_of_ours_is_in_the_matrix():
    ours = {"nsp", "clusters", "zones", "programmes", "reporting"}
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in ours or model.__name__.startswith("Historical"):
            continue
        if model.__name__.endswith("ObjectPermission"):
            continue
        try:
            permissions.rule_for(model)
        except LookupError:
            missing.append(model._meta.label)
    assert not missing, f"models without a rule in nsp.permissions.FAMILIES: {missing}"
