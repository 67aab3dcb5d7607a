"""History (django-simple-history) in people's words: who changed what, when, from which value to which.

``history_entries`` reads the latest versions of one or more historical querysets and compares each change with
the same row's previous version. Values are shown the way the rest of the page shows them: numbers in the
reader's number format without trailing zeros ("57", "12,5"), dates and times localised, choices by their
label, yes/no in words, and a row another one points at by its name, not its id ("Objective S1 Fewer
burglaries"; "#46 (deleted)" only when that row no longer exists). Names are read in one query per model
pointed at, whatever the number of entries.

Used by the detail pages of objectives, indicators, actions, plans, editions, programmes and visions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

EMPTY = "\u2014"


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    when: Any
    who: Any
    kind: str  # "created", "changed" or "deleted"
    item: str
    changes: tuple[Change, ...]
    reason: str


_HISTORY_KINDS = {"+": "created", "~": "changed", "-": "deleted"}
_LABEL_FIELDS = ("code", "title", "name", "period", "label", "text")
# Bookkeeping columns nobody needs to read in a history.
_SILENT_FIELDS = {"updated_at", "created_at", "recorded_at", "period_start", "period_end", "kind"}


@dataclass(frozen=True)
class _Ref:
    """A row another row points at, named once every entry is read (``_Names``)."""

    model: Any
    pk: Any


class _Names:
    """The names of the rows the compared versions point at: one query per model pointed at."""

    def __init__(self) -> None:
        self.wanted: dict[Any, set] = defaultdict(set)
        self.names: dict[tuple[Any, Any], str] = {}

    def want(self, ref: _Ref) -> _Ref:
        self.wanted[ref.model].add(ref.pk)
        return ref

    def read(self) -> None:
        for model, pks in self.wanted.items():
            for pk, row in model._base_manager.in_bulk(sorted(pks)).items():
                self.names[(model, pk)] = str(row)

    def text(self, value) -> str:
        if isinstance(value, frozenset):
            return ", ".join(sorted(self.text(ref) for ref in value)) or EMPTY
        if isinstance(value, _Ref):
            name = self.names.get((value.model, value.pk))
            return name if name is not None else _("#%(id)s (deleted)") % {"id": value.pk}
        return value


def number_text(value: Decimal | float | int) -> str:
    """A number as the reader writes it: their decimal separator, no trailing zeros, no exponent."""
    if isinstance(value, Decimal):
        normal = value.normalize()
        text = format(normal, "f")
        places = len(text.split(".")[1]) if "." in text else 0
        return formats.number_format(normal, decimal_pos=places, use_l10n=True)
    if isinstance(value, float):
        return number_text(Decimal(repr(value)))
    return formats.number_format(value, use_l10n=True)


def _display(field, value, names: _Names):
    if value in (None, ""):
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return names.want(_Ref(field.related_model, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal | float | int):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT", use_l10n=True)
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT", use_l10n=True)
    return value


def _item_label(record) -> str:
    model = record.instance_type
    parts = [str(getattr(record, name)) for name in _LABEL_FIELDS if getattr(record, name, "")]
    if not parts:
        # Rows named by what they point at (an alignment names its national priority).
        target = getattr(record, "phenomenon", None) or getattr(record, "theme", None)
        parts = [str(target)] if target else []
    text = " ".join(parts[:2])
    return f"{str(model._meta.verbose_name).capitalize()} {text[:80]}".strip()


def _m2m_versions(history_model, rows: list) -> dict[str, dict[int, frozenset]]:
    """For each many-to-many field the history records: history id -> the ids it linked, in one query per field.

    django-simple-history's ``diff_against`` would read them with two queries per compared pair of versions.
    """
    versions: dict[str, dict[int, frozenset]] = {}
    history_ids = [row.history_id for row in rows]
    for field in getattr(history_model, "_history_m2m_fields", ()) if history_ids else ():
        through = history_model.__dict__[field.name].model
        target = field.m2m_reverse_field_name()
        links: dict[int, set] = {history_id: set() for history_id in history_ids}
        pairs = through.objects.filter(history_id__in=history_ids).values_list("history_id", f"{target}_id")
        for history_id, target_id in pairs:
            links[history_id].add(target_id)
        versions[field.name] = {history_id: frozenset(ids) for history_id, ids in links.items()}
    return versions


def _changes(newer, older, m2m: dict[str, dict[int, frozenset]], names: _Names) -> tuple[Change, ...]:
    if older is None or newer.history_type != "~":
        return ()
    meta = newer.instance_type._meta
    delta = newer.diff_against(older, excluded_fields=_SILENT_FIELDS | set(m2m))
    changes = []
    for change in delta.changes:
        field = meta.get_field(change.field)
        changes.append(
            Change(str(field.verbose_name), _display(field, change.old, names), _display(field, change.new, names))
        )
    for name, links in m2m.items():
        old, new = links[older.history_id], links[newer.history_id]
        if old != new:
            field = meta.get_field(name)
            model = field.related_model
            changes.append(
                Change(
                    str(field.verbose_name),
                    frozenset(names.want(_Ref(model, pk)) for pk in old),
                    frozenset(names.want(_Ref(model, pk)) for pk in new),
                )
            )
    return tuple(changes)


def history_entries(*querysets: QuerySet, limit: int = 50) -> list[HistoryEntry]:
    """The latest changes recorded in these historical querysets: who, when, what (field: old → new).

    One query per queryset, one for the people who made the changes shown, one per many-to-many field it records
    when versions shown are compared, and one per model the changed values point at; a change is compared with
    the same row's previous version when that version is among the rows read. Only the ``limit`` entries shown
    are labelled and compared, however many versions were read.
    """
    names = _Names()
    # Every version read, paired with the same row's previous one; only the latest ``limit`` pairs are put into
    # words (their labels, their compared fields), whatever the number of versions read.
    pairs: list[tuple[Any, Any, Any]] = []
    for queryset in querysets:
        rows = list(queryset.order_by("-history_date", "-history_id")[: limit * 4])
        by_object: dict[Any, list] = {}
        for row in rows:
            key = getattr(row, row.instance_type._meta.pk.attname)
            by_object.setdefault(key, []).append(row)
        pairs += [
            (newer, older, queryset.model)
            for versions in by_object.values()
            for newer, older in zip(versions, [*versions[1:], None], strict=True)
        ]
    # The same order as sorting every entry by its date (a stable sort keeps each queryset's order among equals).
    pairs.sort(key=lambda pair: pair[0].history_date, reverse=True)
    pairs = pairs[:limit]
    # Who made the kept changes: one query for their people, not a join for every version read.
    people = get_user_model()._base_manager.in_bulk({newer.history_user_id for newer, _, _ in pairs} - {None})
    m2m_of: dict[Any, dict[str, dict[int, frozenset]]] = {}
    for queryset in querysets:
        if queryset.model in m2m_of:
            continue
        compared = [
            row
            for newer, older, model in pairs
            if model is queryset.model and older is not None and newer.history_type == "~"
            for row in (newer, older)
        ]
        m2m_of[queryset.model] = _m2m_versions(queryset.model, compared)
    raw = [
        HistoryEntry(
            when=newer.history_date,
            who=people.get(newer.history_user_id),
            kind=_HISTORY_KINDS.get(newer.history_type, "changed"),
            item=_item_label(newer),
            changes=_changes(newer, older, m2m_of[model], names),
            reason=newer.history_change_reason or "",
        )
        for newer, older, model in pairs
    ]
    names.read()
    return [
        HistoryEntry(
            when=entry.when,
            who=entry.who,
            kind=entry.kind,
            item=entry.item,
            changes=tuple(Change(c.field, names.text(c.old), names.text(c.new)) for c in entry.changes),
            reason=entry.reason,
        )
        for entry in raw
    ]
