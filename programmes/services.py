"""Writes for federal programmes and improvement projects (their objectives go through nsp.services)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.models import CrossCuttingTheme, SecurityPhenomenon
from nsp.exceptions import DomainError
from nsp.models import NationalSecurityPlan
from nsp.permissions import PERM_ANY_PROGRAMME, has_global
from nsp.services import apply_changes, delete_recorded, ensure_plan, readable_integrity_errors, save_validated
from programmes.models import Programme

PROGRAMME_FIELDS = {
    "title",
    "code",
    "programme_type",
    "owning_unit",
    "description",
    "period_start",
    "period_end",
    "status",
    "keep_tolerance",
}


def _set_links(programme: Programme, phenomena, themes) -> None:
    for items, label in ((phenomena, "phenomena"), (themes, "themes")):
        if items is None:
            continue
        items = list(items)
        foreign = [i for i in items if i.nsp_id != programme.nsp_id]
        if foreign:
            raise DomainError(
                _("Link only phenomena and themes of the programme's NSP edition."),
                extra={"fields": {label: [str(i) for i in foreign]}},
            )
        with readable_integrity_errors():
            getattr(programme, label).set(items)


@transaction.atomic
def programme_create(
    *,
    actor,
    nsp: NationalSecurityPlan,
    phenomena: Iterable[SecurityPhenomenon] | None = None,
    themes: Iterable[CrossCuttingTheme] | None = None,
    **fields: Any,
) -> Programme:
    """Federal planners create programmes; a programme manager then runs one."""
    if not has_global(actor, PERM_ANY_PROGRAMME):
        raise PermissionDenied(_("Only federal planners create programmes."))
    programme = Programme(nsp=nsp)
    apply_changes(programme, fields, PROGRAMME_FIELDS)
    save_validated(programme, actor=actor)
    _set_links(programme, phenomena, themes)
    return programme


@transaction.atomic
def programme_update(
    *,
    actor,
    programme: Programme,
    phenomena: Iterable[SecurityPhenomenon] | None = None,
    themes: Iterable[CrossCuttingTheme] | None = None,
    **changes: Any,
) -> Programme:
    ensure_plan(actor, "change", programme.pk)
    programme = Programme.objects.get(pk=programme.pk)
    apply_changes(programme, changes, PROGRAMME_FIELDS)
    save_validated(programme, actor=actor)
    _set_links(programme, phenomena, themes)
    return programme


@transaction.atomic
def programme_delete(*, actor, programme: Programme) -> None:
    ensure_plan(actor, "delete", programme.pk)
    delete_recorded(Programme.objects.get(pk=programme.pk), actor=actor)
