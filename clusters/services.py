"""Writes to the NSP reference: editions, ambitions, clusters, phenomena, themes."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from nsp.permissions import ensure
from nsp.services import apply_changes, save_validated

REFERENCE_FIELDS = {
    "NationalSecurityPlan": {"title", "motto", "summary", "period_start", "period_end", "extended_to", "status"},
    "Ambition": {"number", "title", "text"},
    "SecurityCluster": {"number", "name"},
    "SecurityPhenomenon": {"number", "cluster", "name", "key_point", "is_national_priority"},
    "CrossCuttingTheme": {"number", "name", "key_point", "is_national_priority"},
}
_TRANSLATED = {"title", "motto", "summary", "text", "name", "key_point"}


def _allowed(model: type[models.Model]) -> set[str]:
    base = REFERENCE_FIELDS[model.__name__]
    languages = ("en", "fr", "nl", "de")
    translated = {f"{name}_{code}" for name in base & _TRANSLATED for code in languages}
    return base | translated | {"unofficial_languages"}


@transaction.atomic
def reference_update(*, actor, item: models.Model, **changes: Any) -> models.Model:
    """Change a reference row with the actor in history; federal planners and administrators only."""
    locked = type(item)._default_manager.select_for_update().get(pk=item.pk)
    ensure(actor, "change", locked)
    apply_changes(locked, changes, _allowed(type(item)))
    save_validated(locked, actor=actor)
    return locked
