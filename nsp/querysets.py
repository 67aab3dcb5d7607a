"""The queryset every model uses. ``restrict(user, action)`` is the one permission chokepoint."""

from __future__ import annotations

from django.db import models


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> RestrictedQuerySet:
        """Only the rows ``user`` may ``action`` (view, add, change, delete, record, workflow, review...)."""
        from nsp.permissions import restrict_queryset

        return restrict_queryset(self, user, action)
