"""What an allowed write changes in the database, and what a refused one leaves as it was."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models


def history_model(model: type[models.Model]):
    """The model's django-simple-history table (the concrete plan's for plans), or None."""
    history = getattr(model, "history", None)
    return getattr(history, "model", None)


def fingerprint(obj: models.Model) -> dict[str, Any] | None:
    """The row as stored now, column by column (None once it is gone)."""
    fresh = type(obj)._base_manager.filter(pk=obj.pk).first()
    if fresh is None:
        return None
    return {field.attname: getattr(fresh, field.attname) for field in fresh._meta.concrete_fields}


class Effect:
    """Measured before the request, checked after it; ``check`` says what is wrong, or None."""

    def before(self) -> Any:
        return None

    def check(self, before: Any) -> str | None:
        raise NotImplementedError

    @property
    def models(self) -> tuple[type[models.Model], ...]:
        return ()


class Created(Effect):
    """Exactly one more row of ``model`` matching ``lookup``."""

    def __init__(self, model: type[models.Model], **lookup: Any) -> None:
        self.model, self.lookup = model, lookup

    def _count(self) -> int:
        return self.model._base_manager.filter(**self.lookup).count()

    def before(self) -> int:
        return self._count()

    def check(self, before: int) -> str | None:
        after = self._count()
        if after != before + 1:
            return f"expected one new {self.model.__name__} {self.lookup}: {before} before, {after} after"
        return None

    @property
    def models(self):
        return (self.model,)


class Changed(Effect):
    """The row now holds ``values``."""

    def __init__(self, obj: models.Model, **values: Any) -> None:
        self.obj, self.values = obj, values

    def check(self, before: Any) -> str | None:
        row = fingerprint(self.obj)
        if row is None:
            return f"{self.obj!r} is gone, expected it changed to {self.values}"
        wrong = {}
        for name, value in self.values.items():
            stored = row[name] if name in row else row[f"{name}_id"]
            if isinstance(stored, Decimal) and not isinstance(value, Decimal):
                value = Decimal(str(value))
            if stored != value:
                wrong[name] = stored
        return f"{type(self.obj).__name__} {self.obj.pk} holds {wrong}, expected {self.values}" if wrong else None

    @property
    def models(self):
        return (type(self.obj),)


class Deleted(Effect):
    def __init__(self, obj: models.Model) -> None:
        self.obj = obj

    def check(self, before: Any) -> str | None:
        if type(self.obj)._base_manager.filter(pk=self.obj.pk).exists():
            return f"{type(self.obj).__name__} {self.obj.pk} still exists"
        return None

    @property
    def models(self):
        return (type(self.obj),)


class Restored(Effect):
    """The deleted item's row is back (same key) and the item has left the plan's deleted items."""

    def __init__(self, item: models.Model, model: type[models.Model]) -> None:
        self.item, self.model = item, model

    def check(self, before: Any) -> str | None:
        if not self.model._base_manager.filter(pk=self.item.object_id).exists():
            return f"{self.model.__name__} {self.item.object_id} is not back"
        if type(self.item)._base_manager.filter(pk=self.item.pk).exists():
            return f"deleted item {self.item.pk} is still listed"
        return None

    @property
    def models(self):
        return (self.model, type(self.item))


class Moved(Effect):
    """The plan's workflow status is now ``status``."""

    def __init__(self, plan: models.Model, status: str) -> None:
        self.plan, self.status = plan, status

    def check(self, before: Any) -> str | None:
        now = type(self.plan)._base_manager.filter(pk=self.plan.pk).values_list("status", flat=True).first()
        return None if now == self.status else f"the plan is {now}, expected {self.status}"

    @property
    def models(self):
        return (type(self.plan),)


class Every(Effect):
    def __init__(self, *effects: Effect) -> None:
        self.effects = effects

    def before(self) -> list:
        return [effect.before() for effect in self.effects]

    def check(self, before: list) -> str | None:
        wrong = [m for effect, b in zip(self.effects, before, strict=True) if (m := effect.check(b))]
        return "; ".join(wrong) or None

    @property
    def models(self):
        return tuple(m for effect in self.effects for m in effect.models)


def every(*effects: Effect) -> Effect:
    return Every(*effects)


class Unchanged:
    """Row counts of the watched models and of their history tables, and the watched rows' values."""

    def __init__(self, watch: tuple, rows: tuple) -> None:
        tables = []
        for model in watch:
            tables.append(model)
            if (history := history_model(model)) is not None:
                tables.append(history)
        self.tables, self.rows = tables, rows

    def snapshot(self) -> dict[str, Any]:
        state: dict[str, Any] = {f"{m.__name__} rows": m._base_manager.count() for m in self.tables}
        for obj in self.rows:
            state[f"{type(obj).__name__} {obj.pk}"] = fingerprint(obj)
        return state

    def differences(self, before: dict[str, Any]) -> str | None:
        after = self.snapshot()
        changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
        return f"changed (before, after): {changed}" if changed else None
