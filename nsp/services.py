"""Writes to the planning core: objectives, indicators, measurements, actions, comments.

Every function takes the acting user, runs in one transaction, locks the plan row, checks the
permission matrix through ``restrict`` on the locked plan, validates with ``full_clean``, saves with
the actor recorded in history, and re-checks that the saved row is still inside the actor's scope.
Pages and the API call these and nothing else; so there is one validation path and one set of rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from modeltranslation.translator import translator

from nsp import data_version, db_rules, figures, periods
from nsp.exceptions import DomainError
from nsp.languages import translated_fields
from nsp.models import Action, Comment, DeletedItem, Indicator, Measurement, Objective, Plan
from nsp.permissions import can, ensure

# --- shared mechanics (other apps' services use these too) ----------------------------------------


@contextmanager
def readable_integrity_errors() -> Iterator[None]:
    """Turn a database refusal into a DomainError that says which rule refused and why."""
    try:
        yield
    except IntegrityError as exc:
        message = db_rules.rule_message(exc) or _constraint_message(exc)
        raise DomainError(message, extra={"constraint": str(exc).splitlines()[0][:200]}) from exc


def _constraint_message(exc: IntegrityError) -> str:
    from django.apps import apps

    text = str(exc)
    # SQLite names a unique constraint by its columns ("UNIQUE constraint failed: t.a, t.b"), not its name.
    unique = re.search(r"UNIQUE constraint failed: (.+)$", text.splitlines()[0] if text else "")
    columns = {part.strip() for part in unique.group(1).split(",")} if unique else set()
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name in text:
                return str(constraint.get_violation_error_message())
            if columns and isinstance(constraint, models.UniqueConstraint):
                table = model._meta.db_table
                named = {f"{table}.{model._meta.get_field(name).column}" for name in constraint.fields}
                if named == columns:
                    return str(constraint.get_violation_error_message())
    return _("The database refused this change because it conflicts with existing data.")


def lock_plan(plan_id: int) -> Plan:
    """Lock the plan row for the rest of the transaction: workflow steps and content writes serialise."""
    return Plan.objects.select_for_update().get(pk=plan_id)


def text_bounds_errors(obj: models.Model) -> dict[str, list[str]]:
    """Free-text fields (TextField) longer than ``TEXT_MAX_LENGTH``: the one upper bound of every text a
    person types, enforced here, so pages and the API refuse with the same message."""
    limit = settings.TEXT_MAX_LENGTH
    errors: dict[str, list[str]] = {}
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.TextField):
            value = getattr(obj, field.attname, None)
            if isinstance(value, str) and len(value) > limit:
                errors[field.name] = [text_too_long(limit, len(value))]
    return errors


def save_validated(obj: models.Model, *, actor, exclude: list[str] | None = None, reason: str = "") -> None:
    """full_clean (and the free-text bound), then save with the actor and reason recorded in history."""
    too_long = text_bounds_errors(obj)
    if too_long:
        raise DomainError.from_validation_error(ValidationError(too_long))
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc) from exc
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    with readable_integrity_errors():
        obj.save()


def delete_recorded(obj: models.Model, *, actor, reason: str = "") -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    with readable_integrity_errors():
        obj.delete()


# --- deletes that can be undone: the plan's "Deleted items" ----------------------------------------------

RESTORED = "restored from the deleted items"


def delete_to_trash(obj: models.Model, *, actor, reason: str = "") -> DeletedItem:
    """Delete ``obj`` with everything that goes with it, and keep it all in its plan's "Deleted items".

    The caller has locked the plan and checked the right to delete. Every deleted row is serialised with every
    column (``nsp.selectors.deletion_collector``, the same cascade the delete follows); so are the references the
    delete clears in rows that stay. Each deleted row's history records the delete by ``actor``.
    """
    import json

    from django.core import serializers as django_serializers
    from django.utils import timezone

    from nsp.selectors import collected_rows, deletion_collector, kind_counts

    collector = deletion_collector(obj)
    rows = collected_rows(collector)
    serialised: list[dict] = []
    for instances in rows.values():
        # Django's JSON encoder cuts datetimes to milliseconds: keep every digit (isoformat), then plain JSON.
        python = django_serializers.serialize("python", instances)
        serialised.extend(json.loads(json.dumps(python, default=_exact_json)))
    links: list[dict] = []
    for (field, _value), instances_list in collector.field_updates.items():
        for instances in instances_list:
            if isinstance(instances, models.QuerySet):
                pairs = list(instances.values_list("pk", field.attname))
            else:
                pairs = [(row.pk, getattr(row, field.attname)) for row in instances]
            label = field.model._meta.label_lower
            links.extend({"model": label, "field": field.attname, "pk": pk, "value": value} for pk, value in pairs)
    item = DeletedItem.objects.create(
        plan_id=obj.pk if isinstance(obj, Plan) else obj.plan_id,
        model=obj._meta.label_lower,
        object_id=obj.pk,
        label=f"{capfirst(obj._meta.verbose_name)} {obj}"[:400],
        summary=json.dumps(kind_counts(rows, type(obj))),
        rows=serialised,
        links=links,
        deleted_by=actor if getattr(actor, "pk", None) else None,
        deleted_at=timezone.now(),
    )
    for instances in collector.data.values():
        for instance in instances:
            instance._history_user = actor
            if reason:
                instance._change_reason = reason
    with readable_integrity_errors():
        collector.delete()
    _record_cleared(links, actor)
    return item


def _exact_json(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _record_cleared(links: list[dict], actor, reason: str = "reference cleared by a delete") -> None:
    """The delete cleared these references with one UPDATE: record the rows' new state in their history."""
    from django.apps import apps

    by_model: dict[str, set] = {}
    for link in links:
        by_model.setdefault(link["model"], set()).add(link["pk"])
    for label, pks in by_model.items():
        model = apps.get_model(label)
        if hasattr(model, "history"):
            rows = list(model._base_manager.filter(pk__in=pks))
            model.history.bulk_history_create(rows, update=True, default_user=actor, default_change_reason=reason)
            data_version.changed()


def _parents_first(objects: list, restored: set) -> list:
    """The deserialized rows in an order where each row comes after the restored rows it points to (a
    sub-objective after its parent), so the database's rules (a parent in the same plan) hold at every insert."""
    key_of = {(obj.object._meta.label_lower, obj.object.pk): obj for obj in objects}
    ordered, seen = [], set()

    def targets(obj):
        for field in obj.object._meta.concrete_fields:
            if field.is_relation and field.related_model is not None:
                key = (field.related_model._meta.label_lower, getattr(obj.object, field.attname))
                if key in restored and key in key_of:
                    yield key

    def visit(key, path: frozenset):
        if key in seen or key in path:
            return
        for target in targets(key_of[key]):
            visit(target, path | {key})
        seen.add(key)
        ordered.append(key_of[key])

    for obj in objects:
        visit((obj.object._meta.label_lower, obj.object.pk), frozenset())
    return ordered


@transaction.atomic
def deleted_item_restore(*, actor, item: DeletedItem) -> models.Model:
    """Put a deleted subtree back with the same keys and values; the item leaves the plan's "Deleted items".

    The zone's chief (a programme's or the regional plan's keepers) and administrators, while the plan may take
    the change the delete was (its structure in draft; measurements once it records progress). Refused, with
    nothing written, when a row it points to is gone since (its parent objective deleted, say: restore that
    first). The restored rows' history records the restore by ``actor``.
    """

    from django.apps import apps
    from django.core import serializers as django_serializers

    lock_plan(item.plan_id)
    item = DeletedItem.objects.select_for_update().filter(pk=item.pk).first() or item
    ensure(actor, "restore", item)
    objects = list(django_serializers.deserialize("python", item.rows, ignorenonexistent=True))
    restored = {(obj.object._meta.label_lower, obj.object.pk) for obj in objects}
    missing = _missing_targets(objects, restored)
    kept = []
    for deserialized in objects:
        gone = missing.get(id(deserialized))
        if gone and deserialized.object._meta.auto_created:
            continue  # a link to a row deleted since (an alignment): nothing to link to
        if gone:
            raise DomainError(
                _("%(item)s cannot be restored: %(what)s it belonged to is gone. Restore that first.")
                % {"item": item.label, "what": gone}
            )
        kept.append(deserialized)
    with readable_integrity_errors():
        for deserialized in _parents_first(kept, restored):
            deserialized.save(force_insert=True)
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for deserialized in kept:
        by_model.setdefault(type(deserialized.object), []).append(deserialized.object)
    for model, instances in by_model.items():
        if hasattr(model, "history") and not model._meta.auto_created:
            model.history.bulk_history_create(instances, default_user=actor, default_change_reason=RESTORED)
            data_version.changed()
    for link in item.links:
        model = apps.get_model(link["model"])
        row = model._base_manager.filter(pk=link["pk"], **{f"{link['field']}__isnull": True}).first()
        if row is not None:
            setattr(row, link["field"], link["value"])
            row._history_user, row._change_reason = actor, RESTORED
            with readable_integrity_errors():
                row.save(update_fields=[link["field"]])
    root_model = apps.get_model(item.model)
    root = root_model._base_manager.get(pk=item.object_id)
    item.delete()
    return root


def _missing_targets(objects: list, restored: set) -> dict[int, str]:
    """For each row to restore that points to a row neither restored with it nor in the database: what is gone."""
    wanted: dict[type[models.Model], set] = {}
    pointers: list[tuple[Any, type[models.Model], Any, str]] = []
    for deserialized in objects:
        obj = deserialized.object
        for field in obj._meta.concrete_fields:
            if not field.is_relation or not field.many_to_one:
                continue
            value = getattr(obj, field.attname)
            target = field.related_model
            if value is None or (target._meta.label_lower, value) in restored:
                continue
            wanted.setdefault(target, set()).add(value)
            pointers.append((deserialized, target, value, str(target._meta.verbose_name)))
    existing = {
        model: set(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True)) for model, pks in wanted.items()
    }
    return {id(d): f"{what} #{value}" for d, target, value, what in pointers if value not in existing[target]}


def deleted_items_purge(*, now=None) -> int:
    """Delete for good the deleted items older than ``DELETED_RETENTION_DAYS``; how many were purged."""
    from django.utils import timezone

    now = now or timezone.now()
    limit = now - dt.timedelta(days=settings.DELETED_RETENTION_DAYS)
    count, _per_model = DeletedItem.objects.filter(deleted_at__lt=limit).delete()
    return count


def apply_changes(obj: models.Model, changes: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            extra={"fields": {name: [_("This field cannot be changed here.")] for name in sorted(unknown)}},
        )
    for name, value in changes.items():
        setattr(obj, name, value)


def ensure_plan(actor, action: str, plan_id: int) -> Plan:
    """Lock the plan and check ``action`` on it: 404 when unreadable, 403 when readable only."""
    plan = lock_plan(plan_id)
    ensure(actor, action, plan)
    return plan


def refuse_plan_move(obj: models.Model, changes: dict[str, Any], field: str) -> None:
    new = changes.get(field)
    if new is not None and getattr(new, "plan_id", None) != obj.plan_id:
        raise DomainError(
            _("%(item)s cannot move to another plan. Copy it there instead (export the plan and import it).")
            % {"item": obj._meta.verbose_name.capitalize()},
            extra={"fields": {field: [_("Choose one of the same plan.")]}},
        )


# --- the NSP reference (editions, ambitions, clusters, phenomena, themes) ----------------------------

REFERENCE_FIELDS = {
    # An extension is recorded through ``edition_extend`` (with its decision date), not as a plain correction.
    "NationalSecurityPlan": {"title", "motto", "summary", "period_start", "period_end", "status"},
    "Ambition": {"number", "title", "text"},
    "SecurityCluster": {"number", "name", "previous", "previous_inferred"},
    "SecurityPhenomenon": {
        "number",
        "cluster",
        "cluster_inferred",
        "name",
        "key_point",
        "is_national_priority",
        "previous",
        "previous_inferred",
    },
    "CrossCuttingTheme": {"number", "name", "key_point", "is_national_priority", "previous", "previous_inferred"},
}


def _reference_fields(model: type[models.Model]) -> set[str]:
    """The fields a reference update may change, with the per-language columns of those modeltranslation
    translates."""
    base = REFERENCE_FIELDS[model.__name__]
    registered = set(translator.get_options_for_model(model).fields)
    return base | set(translated_fields(*sorted(base & registered))) | {"unofficial_languages"}


def _check_previous(item: models.Model, previous: list[models.Model]) -> None:
    """Rows of the same kind in an earlier edition: what this row continues."""
    wrong = [
        str(row)
        for row in previous
        if type(row) is not type(item) or row.nsp_id == item.nsp_id or row.nsp.period_start >= item.nsp.period_start
    ]
    if wrong:
        message = _("Choose what this continues among the %(kind)s of an earlier NSP edition.") % {
            "kind": item._meta.verbose_name_plural
        }
        raise DomainError(message, extra={"fields": {"previous": [message, *wrong]}})


@transaction.atomic
def reference_update(*, actor, item: models.Model, **changes: Any) -> models.Model:
    """Correct a reference row (names, texts, the cluster, the mapping to the previous edition) with the actor in
    history; federal planners and administrators only. The loader keeps what is corrected here."""
    locked = type(item)._default_manager.select_for_update().get(pk=item.pk)
    ensure(actor, "change", locked)
    allowed = _reference_fields(type(item))
    previous = changes.pop("previous", None)
    if previous is not None:
        previous = list(previous)
        if "previous" not in allowed:
            apply_changes(locked, {"previous": previous}, allowed)  # refuses it: this row has no mapping
        _check_previous(locked, previous)
        if {row.pk for row in previous} != set(locked.previous.values_list("pk", flat=True)):
            changes.setdefault("previous_inferred", False)
        else:
            previous = None
    if "cluster" in changes and "cluster_inferred" in allowed and changes["cluster"] != locked.cluster:
        changes.setdefault("cluster_inferred", False)
    apply_changes(locked, changes, allowed)
    save_validated(locked, actor=actor)
    if previous is not None:
        locked._history_user = actor
        locked.previous.set(previous)
    return locked


@transaction.atomic
def edition_extend(
    *, actor, edition: models.Model, extended_to: dt.date | None, decided_on: dt.date | None = None, reason: str = ""
) -> models.Model:
    """Record (or withdraw, with ``extended_to=None``) the extension of an edition's period, as decided on a date.

    "In force on a date" (``nsp.models.EditionQuerySet.in_force_on``) follows it at once. Federal planners only;
    the history keeps who recorded it, when, and why.
    """
    locked = type(edition)._default_manager.select_for_update().get(pk=edition.pk)
    ensure(actor, "change", locked)
    errors: dict[str, list[str]] = {}
    if extended_to is not None and extended_to <= locked.period_end:
        errors["extended_to"] = [
            _("An extension ends after the original period (%(end)s).") % {"end": locked.period_end.isoformat()}
        ]
    if extended_to is None and decided_on is not None:
        errors["decided_on"] = [_("A decision date belongs to an extension; give its end as well.")]
    if decided_on is not None and decided_on > dt.date.today():
        errors["decided_on"] = [_("The decision cannot lie in the future.")]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], extra={"fields": errors})
    locked.extended_to, locked.extension_decided_on = extended_to, decided_on
    label = "extension" if extended_to else "extension withdrawn"
    save_validated(locked, actor=actor, reason=f"{label}: {reason.strip()}" if reason.strip() else label)
    return locked


# --- objectives -----------------------------------------------------------------------------------

OBJECTIVE_FIELDS = {"parent", "level", "kind", "domain", "code", "title", "description", "year", "weight", "position"}


def next_position(queryset: models.QuerySet) -> int:
    """One past the last of ``queryset`` (siblings): a new item goes at the end of its list, not the top."""
    last = queryset.aggregate(last=models.Max("position"))["last"]
    return 0 if last is None else last + 1


def at_end(fields: dict[str, Any], siblings: models.QuerySet) -> None:
    """No position given (or left empty in a form): the end of the siblings' list."""
    if fields.get("position") is None:
        fields["position"] = next_position(siblings)


@transaction.atomic
def objective_create(*, actor, plan: Plan, **fields: Any) -> Objective:
    plan = ensure_plan(actor, "change", plan.pk)
    objective = Objective(plan=plan)
    parent = fields.get("parent")
    at_end(fields, Objective.objects.filter(plan=plan, parent=getattr(parent, "pk", None)))
    apply_changes(objective, fields, OBJECTIVE_FIELDS)
    save_validated(objective, actor=actor)
    ensure(actor, "change", objective)
    return objective


@transaction.atomic
def objective_create_after(*, actor, sibling: Objective, **fields: Any) -> Objective:
    """Add an objective right after ``sibling``: the same parent and level, the next position; the siblings
    after it move one down (each recorded in history). "Add an objective after this one" in the tree."""
    plan = ensure_plan(actor, "change", sibling.plan_id)
    sibling = Objective.objects.select_for_update().get(pk=sibling.pk)
    siblings = _siblings(plan.pk, sibling.parent_id)
    at = next(i for i, o in enumerate(siblings) if o.pk == sibling.pk) + 1
    objective = Objective(plan=plan)
    fields.update(parent=sibling.parent, level=sibling.level, position=at)
    apply_changes(objective, fields, OBJECTIVE_FIELDS)
    save_validated(objective, actor=actor)
    siblings.insert(at, objective)
    _renumber(siblings, actor=actor, reason="made room for a new objective")
    ensure(actor, "change", objective)
    return objective


@transaction.atomic
def objective_update(*, actor, objective: Objective, **changes: Any) -> Objective:
    if "plan" in changes and changes["plan"].pk != objective.plan_id:
        refuse_plan_move(objective, {"plan": changes["plan"]}, "plan")
    changes.pop("plan", None)
    ensure_plan(actor, "change", objective.plan_id)
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    refuse_plan_move(objective, changes, "parent")
    apply_changes(objective, changes, OBJECTIVE_FIELDS)
    save_validated(objective, actor=actor)
    ensure(actor, "change", objective)
    return objective


LEVELS = (Objective.Level.STRATEGIC, Objective.Level.TACTICAL, Objective.Level.OPERATIONAL)
MOVES = ("up", "down", "indent", "outdent")


def _siblings(plan_id: int, parent_id: int | None) -> list[Objective]:
    return list(
        Objective.objects.select_for_update()
        .filter(plan_id=plan_id, parent_id=parent_id)
        .order_by("position", "code", "pk")
    )


def _renumber(objectives: list[Objective], *, actor, reason: str) -> None:
    """Positions 0, 1, 2... in this order; only the rows whose position changes are saved (and recorded)."""
    for index, objective in enumerate(objectives):
        if objective.position != index:
            objective.position = index
            save_validated(objective, actor=actor, reason=reason)


def _subtree(objective: Objective) -> list[Objective]:
    """The objective and everything under it, each parent before its children."""
    found, frontier = [objective], [objective]
    while frontier:
        children = list(Objective.objects.select_for_update().filter(parent__in=frontier).order_by("position", "pk"))
        found.extend(children)
        frontier = children
    return found


def _shift_levels(objective: Objective, *, by: int, parent: Objective | None, actor, reason: str) -> None:
    """Move ``objective`` under ``parent`` and every objective of its branch ``by`` levels (1 deeper, -1 higher)."""
    branch = _subtree(objective)
    if any(LEVELS.index(o.level) + by not in range(len(LEVELS)) for o in branch):
        if by > 0:
            raise DomainError(
                _("It cannot go deeper: an operational objective is the last level, and it or one under it is one.")
            )
        raise DomainError(_("A strategic objective is already at the top of the tree."))
    by_pk = {o.pk: o for o in branch}
    for o in branch:
        o.level = LEVELS[LEVELS.index(o.level) + by]
        if o is objective:
            o.parent = parent
        else:
            o.parent = by_pk[o.parent_id]  # the saved instance, with its new level
        save_validated(o, actor=actor, reason=reason)


def _place(objective: Objective, *, parent: Objective | None, index: int, actor, reason: str) -> None:
    """The one placement rule of the tree: ``objective`` with its branch goes under ``parent`` (``None``: the top)
    at ``index`` among its new siblings (clamped to their list), its branch's levels following the new depth;
    both lists of siblings are renumbered. Refused when ``parent`` is the objective or lies under it, belongs to
    another plan, or when the levels would leave strategic..operational."""
    if parent is not None:
        if parent.plan_id != objective.plan_id:
            raise DomainError(_("An objective moves inside its own plan only."))
        ancestor: Objective | None = parent
        while ancestor is not None:
            if ancestor.pk == objective.pk:
                raise DomainError(_("An objective cannot go under itself or under one of its own sub-objectives."))
            ancestor = Objective.objects.get(pk=ancestor.parent_id) if ancestor.parent_id else None
    old_parent_id, new_parent_id = objective.parent_id, getattr(parent, "pk", None)
    new_siblings = [o for o in _siblings(objective.plan_id, new_parent_id) if o.pk != objective.pk]
    index = max(0, min(index, len(new_siblings)))
    new_siblings.insert(index, objective)
    by = (0 if parent is None else LEVELS.index(parent.level) + 1) - LEVELS.index(objective.level)
    if by or new_parent_id != old_parent_id:
        objective.position = index  # saved with its new parent: one history row for the move
        if by:
            _shift_levels(objective, by=by, parent=parent, actor=actor, reason=reason)
        else:
            objective.parent = parent
            save_validated(objective, actor=actor, reason=reason)
    _renumber(new_siblings, actor=actor, reason=reason)
    if new_parent_id != old_parent_id:
        _renumber(
            [o for o in _siblings(objective.plan_id, old_parent_id) if o.pk != objective.pk], actor=actor, reason=reason
        )


@transaction.atomic
def objective_move(*, actor, objective: Objective, direction: str) -> Objective:
    """Move an objective in its plan's tree, with everything under it: ``up``/``down`` among its siblings;
    ``indent``: under the sibling before it (at the end of its children), one level deeper; ``outdent``: just
    after its parent, one level higher. Refused with a message when the tree's levels forbid it (nothing under
    an operational objective, nothing above a strategic one). Each is a placement (``_place``)."""
    if direction not in MOVES:
        raise DomainError(_("Unknown move: %(move)s.") % {"move": direction})
    ensure_plan(actor, "change", objective.plan_id)
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    reason = f"moved {direction}"
    siblings = _siblings(objective.plan_id, objective.parent_id)
    index = next(i for i, o in enumerate(siblings) if o.pk == objective.pk)
    parent = Objective.objects.get(pk=objective.parent_id) if objective.parent_id else None
    if direction in ("up", "down"):
        other = index - 1 if direction == "up" else index + 1
        if other not in range(len(siblings)):
            first = direction == "up"
            raise DomainError(
                _("It is already the first of its list.") if first else _("It is already the last of its list.")
            )
        _place(objective, parent=parent, index=other, actor=actor, reason=reason)
    elif direction == "indent":
        if index == 0:
            raise DomainError(_("There is no objective before it at its level to go under."))
        new_parent = siblings[index - 1]
        _place(objective, parent=new_parent, index=len(siblings), actor=actor, reason=reason)
    else:
        if parent is None:
            raise DomainError(_("A strategic objective is already at the top of the tree."))
        grandparent = Objective.objects.get(pk=parent.parent_id) if parent.parent_id else None
        # Just after its old parent; the parent's later siblings move one down.
        at = next(i for i, o in enumerate(_siblings(objective.plan_id, parent.parent_id)) if o.pk == parent.pk) + 1
        _place(objective, parent=grandparent, index=at, actor=actor, reason=reason)
    ensure(actor, "change", objective)
    return objective


@transaction.atomic
def objective_place(
    *, actor, objective: Objective, parent: Objective | None, position: int, tree_version: str | None = None
) -> Objective:
    """Put an objective (with its branch) under ``parent`` (``None``: at the top) as the ``position``-th of its
    new siblings, counted without it (0: first; past the end: last): what dragging a row in the tree does.

    ``tree_version`` is the shape of the tree the person saw (``selectors.tree_version``); when the tree has
    changed since, nothing moves and the refusal says so (code ``stale``), so a drop never lands on a stale spot.
    """
    from nsp.selectors import tree_version as current_tree_version

    ensure_plan(actor, "change", objective.plan_id)
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    if tree_version is not None and tree_version != current_tree_version(objective.plan_id):
        raise DomainError(
            _("The tree changed since this page showed it; here it is as it stands now: move it again."),
            code="stale",
        )
    if parent is not None:
        parent = Objective.objects.select_for_update().get(pk=parent.pk)
    if position < 0:
        raise DomainError(_("A position counts from 0."))
    _place(objective, parent=parent, index=position, actor=actor, reason="placed")
    ensure(actor, "change", objective)
    return objective


@transaction.atomic
def objective_delete(*, actor, objective: Objective) -> DeletedItem:
    """Delete it with everything under it; it waits in the plan's "Deleted items" (``deleted_item_restore``)."""
    ensure_plan(actor, "change", objective.plan_id)
    return delete_to_trash(Objective.objects.get(pk=objective.pk), actor=actor)


# --- indicators -----------------------------------------------------------------------------------

INDICATOR_FIELDS = {
    "objective",
    "name",
    "description",
    "unit",
    "scale",
    "minimum_value",
    "maximum_value",
    "source",
    "source_detail",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "direction",
    "frequency",
    "weight",
    "position",
}


@transaction.atomic
def indicator_create(*, actor, objective: Objective, **fields: Any) -> Indicator:
    ensure_plan(actor, "change", objective.plan_id)
    indicator = Indicator(plan_id=objective.plan_id, objective=objective)
    at_end(fields, Indicator.objects.filter(objective_id=objective.pk))
    apply_changes(indicator, fields, INDICATOR_FIELDS - {"objective"})
    save_validated(indicator, actor=actor)
    ensure(actor, "change", indicator)
    return indicator


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, **changes: Any) -> Indicator:
    ensure_plan(actor, "change", indicator.plan_id)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    refuse_plan_move(indicator, changes, "objective")
    if "frequency" in changes and changes["frequency"] != indicator.frequency and indicator.measurements.exists():
        raise DomainError(
            _("The frequency cannot change once measurements are recorded."),
            extra={"fields": {"frequency": [_("Delete the measurements first, or keep the frequency.")]}},
        )
    apply_changes(indicator, changes, INDICATOR_FIELDS)
    _refuse_recorded_values_outside(indicator, changes)
    save_validated(indicator, actor=actor)
    ensure(actor, "change", indicator)
    return indicator


def _refuse_recorded_values_outside(indicator: Indicator, changes: dict[str, Any]) -> None:
    """A new kind of value or bound must still accept what is already recorded."""
    rule = {"scale", "minimum_value", "maximum_value"} & set(changes)
    if not rule:
        return
    for period, value in indicator.measurements.order_by("period_end").values_list("period", "value"):
        problem = indicator.value_problem(value)
        if problem:
            message = _("%(period)s is recorded as %(value)s, which this would no longer accept: %(problem)s") % {
                "period": period,
                "value": figures.number_text(value, places=4),
                "problem": problem,
            }
            raise DomainError(message, extra={"fields": {sorted(rule)[-1]: [message]}})


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator) -> DeletedItem:
    """Delete it with everything under it; it waits in the plan's "Deleted items" (``deleted_item_restore``)."""
    ensure_plan(actor, "change", indicator.plan_id)
    return delete_to_trash(Indicator.objects.get(pk=indicator.pk), actor=actor)


# --- measurements ---------------------------------------------------------------------------------


def _clean_period(indicator: Indicator, period: str, today: dt.date | None = None) -> periods.Period:
    if len(period or "") > 20:
        message = _("Write a period such as 2018-Q2, 2018-H1, 2018-05 or 2018.")
        raise DomainError(message, extra={"fields": {"period": [message]}})
    try:
        parsed = periods.parse(period)
    except ValueError as exc:
        raise DomainError(str(exc), extra={"fields": {"period": [str(exc)]}}) from exc
    if parsed.frequency != indicator.frequency:
        message = _("This indicator is measured %(frequency)s; write a period like %(example)s.") % {
            "frequency": indicator.get_frequency_display().lower(),
            "example": periods.example(indicator.frequency),
        }
        raise DomainError(message, extra={"fields": {"period": [message]}})
    if parsed.start > (today or dt.date.today()):
        message = _("%(period)s has not started yet; record it once it has.") % {"period": parsed.label}
        raise DomainError(message, extra={"fields": {"period": [message]}})
    return parsed


@transaction.atomic
def measurement_record(*, actor, indicator: Indicator, period: str, value: Decimal, note: str = "") -> Measurement:
    """Record the value of an indicator for one period (a quarter, usually)."""
    ensure_plan(actor, "record", indicator.plan_id)
    parsed = _clean_period(indicator, period)
    if Measurement.objects.filter(indicator=indicator, period=parsed.label).exists():
        message = _("%(period)s is already recorded for this indicator; change that measurement instead.") % {
            "period": parsed.label
        }
        raise DomainError(message, extra={"fields": {"period": [message]}}, code="duplicate")
    measurement = Measurement(
        plan_id=indicator.plan_id,
        indicator=indicator,
        period=parsed.label,
        value=value,
        note=note,
        recorded_by=actor,
    )
    save_validated(measurement, actor=actor)
    ensure(actor, "change", measurement)
    return measurement


@transaction.atomic
def measurement_update(*, actor, measurement: Measurement, **changes: Any) -> Measurement:
    ensure_plan(actor, "record", measurement.plan_id)
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    refuse_plan_move(measurement, changes, "indicator")
    indicator = changes.get("indicator", measurement.indicator)
    if "period" in changes:
        changes["period"] = _clean_period(indicator, changes["period"]).label
    apply_changes(measurement, changes, {"indicator", "period", "value", "note"})
    measurement.recorded_by = actor
    save_validated(measurement, actor=actor)
    ensure(actor, "change", measurement)
    return measurement


@transaction.atomic
def measurement_delete(*, actor, measurement: Measurement) -> DeletedItem:
    """Delete it with everything under it; it waits in the plan's "Deleted items" (``deleted_item_restore``)."""
    ensure_plan(actor, "record", measurement.plan_id)
    return delete_to_trash(Measurement.objects.get(pk=measurement.pk), actor=actor)


# --- many measurements at once: the bulk upload and the quarter grid -------------------------------

# Measurement.value: 16 digits, 4 of them decimals.
MAX_DECIMALS = 4
MAX_INTEGER_DIGITS = 12


class MeasurementRow(NamedTuple):
    """One value to record: ``where`` names it in a refusal ("row 3", "Burglaries 2024-Q2")."""

    indicator: Indicator
    period: str
    value: Decimal
    note: str = ""
    where: str = ""
    row: int | None = None


@dataclass(frozen=True)
class UpsertResult:
    rows: int
    created: int
    updated: int
    unchanged: int = 0


def ensure_recording(actor, plan: Plan) -> None:
    """404 when unreadable; 403 unless the plan records progress (a draft does not, yet), said in words."""
    ensure(actor, "view", plan)
    if can(actor, "record", plan):
        return
    if can(actor, "change", plan):
        # The editor of a draft: the matrix's 403, said in words they can act on.
        raise PermissionDenied(
            _("This plan does not record progress yet: measurements are recorded once it is approved.")
        )
    ensure(actor, "record", plan)


def value_problem(value: Any) -> str:
    """Why a measured value cannot be stored ("" when it can): a finite number of at most 12 + 4 digits."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return _("Give a number.")
    exponent = value.as_tuple().exponent
    if value != 0 and value.adjusted() + 1 > MAX_INTEGER_DIGITS:
        return _("The value is too large (at most %(digits)d digits before the decimal mark).") % {
            "digits": MAX_INTEGER_DIGITS
        }
    # 1.50000 is 1.5: only significant places count.
    places = Decimal(1).scaleb(-MAX_DECIMALS)
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS and value != value.quantize(places, rounding=ROUND_DOWN):
        return _("Use at most %(places)s decimals.") % {"places": MAX_DECIMALS}
    return ""


def measurement_problems(*, plan: Plan, rows: Sequence[MeasurementRow], today: dt.date | None = None) -> list[dict]:
    """Every problem of every row, in the one refusal shape (``nsp.intake.problem``); reads only."""
    from nsp.intake import problem

    today = today or dt.date.today()
    problems: list[dict] = []
    first_seen: dict[tuple[int, str], str] = {}
    for row in rows:
        where = {"where": row.where, "row": row.row}

        def refuse(field: str, message: str, where=where) -> None:
            problems.append(problem(message, field=field, **where))

        indicator = row.indicator
        if not isinstance(indicator, Indicator) or indicator.plan_id != plan.pk:
            refuse("indicator", _("This indicator is not one of this plan's."))
            indicator = None
        try:
            period = _clean_period(indicator, row.period, today) if indicator else periods.parse(row.period[:20])
        except (DomainError, ValueError) as exc:
            refuse("period", getattr(exc, "message", None) or str(exc))
            period = None
        message = value_problem(row.value) or (indicator.value_problem(row.value) if indicator else "")
        if message:
            refuse("value", message)
        if len(row.note or "") > settings.TEXT_MAX_LENGTH:
            refuse("note", text_too_long(settings.TEXT_MAX_LENGTH, len(row.note)))
        if indicator is not None and period is not None:
            key = (indicator.pk, period.label)
            if key in first_seen:
                refuse(
                    "period",
                    _("%(earlier)s already gives %(period)s for this indicator.")
                    % {"earlier": capfirst(first_seen[key]), "period": period.label},
                )
            else:
                first_seen[key] = row.where or str(row.row or "")
    return problems


def text_too_long(limit: int, length: int) -> str:
    return _("Ensure this text has at most %(limit)d characters (it has %(length)d).") % {
        "limit": limit,
        "length": length,
    }


@transaction.atomic
def measurements_upsert(*, plan: Plan, rows: Iterable[MeasurementRow | tuple], actor, reason: str = "") -> UpsertResult:
    """Record many values of one plan, all or nothing: a new period is created, a recorded one updated.

    ``rows`` are ``(indicator, period, value, note)`` (a ``MeasurementRow`` may add ``where``/``row`` for
    the refusal). Any problem refuses the whole call with ``nsp.intake.IntakeError``: ``extra.problems``
    lists ``{"where", "field", "message"}`` for every bad row; nothing is written. Rows equal to what is
    recorded are counted ``unchanged`` and leave no history.
    """
    from nsp.intake import problem, problems_error

    items = [row if isinstance(row, MeasurementRow) else MeasurementRow(*row) for row in rows]
    ensure_recording(actor, plan)
    plan = lock_plan(plan.pk)
    ensure_recording(actor, plan)
    problems = measurement_problems(plan=plan, rows=items)
    if problems:
        raise problems_error(problems)
    indicators = {row.indicator.pk for row in items}
    existing = {
        (m.indicator_id, m.period): m
        for m in Measurement.objects.select_for_update().filter(plan=plan, indicator_id__in=indicators)
    }
    created = updated = unchanged = 0
    failures: list[dict] = []
    for row in items:
        label = periods.parse(row.period).label
        measurement = existing.get((row.indicator.pk, label))
        note = row.note or ""
        if measurement is None:
            measurement = Measurement(plan=plan, indicator=row.indicator, period=label)
            created += 1
        elif measurement.value == row.value and measurement.note == note:
            unchanged += 1
            continue
        else:
            updated += 1
        measurement.value, measurement.note, measurement.recorded_by = row.value, note, actor
        try:
            save_validated(measurement, actor=actor, reason=reason)
        except DomainError as error:
            fields = error.extra.get("fields") or {"value": [error.message]}
            for field, messages in fields.items():
                for message in messages:
                    failures.append(problem(message, field=field, where=row.where, row=row.row))
    if failures:
        raise problems_error(failures)
    return UpsertResult(rows=len(items), created=created, updated=updated, unchanged=unchanged)


# --- actions --------------------------------------------------------------------------------------

ACTION_STRUCTURE_FIELDS = {"objective", "title", "description", "owner", "start_date", "due_date", "weight", "position"}
ACTION_PROGRESS_FIELDS = {"status", "percent_complete"}


@transaction.atomic
def action_create(*, actor, objective: Objective, **fields: Any) -> Action:
    ensure_plan(actor, "change", objective.plan_id)
    action = Action(plan_id=objective.plan_id, objective=objective)
    at_end(fields, Action.objects.filter(objective_id=objective.pk))
    apply_changes(action, fields, (ACTION_STRUCTURE_FIELDS | ACTION_PROGRESS_FIELDS) - {"objective"})
    _complete_when_done(action)
    save_validated(action, actor=actor)
    ensure(actor, "change", action)
    return action


@transaction.atomic
def action_update(*, actor, action: Action, **changes: Any) -> Action:
    """Structure fields need the right to change the plan; status and percent the right to record."""
    if set(changes) & ACTION_STRUCTURE_FIELDS or not changes:
        ensure_plan(actor, "change", action.plan_id)
    else:
        # Progress alone: recording on an approved plan, or setting it up while the plan is a draft.
        plan = lock_plan(action.plan_id)
        if not can(actor, "change", plan):
            ensure(actor, "record", plan)
    action = Action.objects.select_for_update().get(pk=action.pk)
    refuse_plan_move(action, changes, "objective")
    apply_changes(action, changes, ACTION_STRUCTURE_FIELDS | ACTION_PROGRESS_FIELDS)
    _complete_when_done(action)
    save_validated(action, actor=actor)
    return action


def action_record_progress(*, actor, action: Action, status: str | None = None, percent_complete=None) -> Action:
    changes: dict[str, Any] = {}
    if status is not None:
        changes["status"] = status
    if percent_complete is not None:
        changes["percent_complete"] = percent_complete
    return action_update(actor=actor, action=action, **changes)


def _complete_when_done(action: Action) -> None:
    # Done means complete; saying "done" at 60 % is a slip, not a second truth.
    if action.status == Action.Status.DONE:
        action.percent_complete = 100
    elif action.percent_complete == 100 and action.status in (Action.Status.PLANNED, Action.Status.IN_PROGRESS):
        action.status = Action.Status.DONE


@transaction.atomic
def action_delete(*, actor, action: Action) -> DeletedItem:
    """Delete it with everything under it; it waits in the plan's "Deleted items" (``deleted_item_restore``)."""
    ensure_plan(actor, "change", action.plan_id)
    return delete_to_trash(Action.objects.get(pk=action.pk), actor=actor)


# --- comments -------------------------------------------------------------------------------------


@transaction.atomic
def comment_create(
    *,
    actor,
    plan: Plan,
    body: str,
    objective: Objective | None = None,
    indicator: Indicator | None = None,
    action: Action | None = None,
) -> Comment:
    """Anyone who can read a plan can comment on it or on one of its items."""
    ensure_plan(actor, "view", plan.pk)
    comment = Comment(plan=plan, objective=objective, indicator=indicator, action=action, author=actor, body=body)
    for target in (objective, indicator, action):
        if target is not None and target.plan_id != plan.pk:
            raise DomainError(_("Comment on an item of this plan."))
    save_validated(comment, actor=actor)
    return comment


@transaction.atomic
def comment_update(*, actor, comment: Comment, body: str) -> Comment:
    ensure(actor, "change", comment)
    comment.body = body
    save_validated(comment, actor=actor)
    return comment


@transaction.atomic
def comment_delete(*, actor, comment: Comment) -> None:
    ensure(actor, "delete", comment)
    delete_recorded(comment, actor=actor)
