"""A zonal plan as one JSON document, and its re-import as a new draft (carry a plan into the next period).

``plan_export`` writes the plan, its objectives (with their hierarchy, by reference), indicators (with
their measurements), actions and national alignment. ``plan_import`` reads such a document and drafts
a new plan for a zone and period through the services (permission: ``add_plan`` on the zone), in one
transaction: every object or none. What is carried forward:

- the plan document: every section (standard chapters and the zone's own headings and sub-headings) in
  order, with its text (a document from before sections were kept brings its four texts, environment
  analysis, mission, vision and values, into the standard chapters); and the plan's tolerance;
- every objective, under the same parent;
- every indicator, with its target value; the new baseline is the last measured value (at the end of
  that period) when there is one and the target still lies ahead of it, otherwise the old baseline;
  the target date becomes the new plan's end when the old one falls before it;
- the actions not done (planned or in progress); an action whose due date lies before the new period
  is moved to start with it, keeping its duration;
- the national alignment, on the new plan's NSP edition: the same priority when the edition is the
  same, else the priorities that name the old one as their ``previous``; what cannot be mapped is
  reported in the notes.

Measurements stay with the plan they measured: they inform the baselines, they are not copied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import CrossCuttingTheme, SecurityPhenomenon
from nsp import intake, periods
from nsp import services as core
from nsp.exceptions import DomainError
from nsp.models import Action, Indicator, NationalSecurityPlan, Objective
from nsp.permissions import get_for
from zones import selectors, services
from zones.models import Chapter, PoliceZone, ZonalSecurityPlan

FORMAT = "nsp-planner/zonal-plan"
VERSION = 1
LEVEL_ORDER = {Objective.Level.STRATEGIC: 0, Objective.Level.TACTICAL: 1, Objective.Level.OPERATIONAL: 2}
CARRIED_ACTION_STATUSES = {Action.Status.PLANNED, Action.Status.IN_PROGRESS}


# --- export ---------------------------------------------------------------------------------------


def _decimal(value: Decimal | None) -> str | None:
    # Strings, not JSON numbers: a document keeps the exact value.
    return None if value is None else str(value)


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _priority(item) -> dict[str, Any] | None:
    if item is None:
        return None
    return {"number": item.number, "name": item.name, "nsp": item.nsp.code}


def objective_ref(objective_id: int) -> str:
    return f"o{objective_id}"


def section_ref(section_id: int) -> str:
    return f"s{section_id}"


def plan_export(*, actor, plan: ZonalSecurityPlan) -> dict[str, Any]:
    """The plan as one JSON-ready document; 404 unless the actor may read the plan."""
    plan = get_for(actor, "view", ZonalSecurityPlan.objects.select_related("zone", "nsp"), pk=plan.pk)
    objectives = sorted(plan.objectives.all(), key=lambda o: (LEVEL_ORDER.get(o.level, 9), o.position, o.pk))
    indicators = plan.indicators.order_by("objective_id", "position", "pk").prefetch_related("measurements")
    actions = plan.actions.order_by("objective_id", "position", "pk")
    alignments = plan.alignments.select_related("phenomenon__nsp", "theme__nsp").prefetch_related("objectives")
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "zone": {"key": plan.zone.key, "number": plan.zone.number, "name": plan.zone.name},
            "nsp": {"code": plan.nsp.code, "title": plan.nsp.title},
            "period_start": _date(plan.period_start),
            "period_end": _date(plan.period_end),
            "status": plan.status,
            "keep_tolerance": _decimal(plan.keep_tolerance),
        },
        "sections": [
            {
                "ref": section_ref(item.section.pk),
                "parent": section_ref(item.section.parent_id) if item.section.parent_id else None,
                "key": item.section.key,
                "title": item.section.title,
                "body": item.section.body,
            }
            for item in selectors.document_sections(selectors.plan_document(user=actor, plan=plan))
        ],
        "objectives": [
            {
                "ref": objective_ref(o.pk),
                "parent": objective_ref(o.parent_id) if o.parent_id else None,
                "level": o.level,
                "kind": o.kind,
                "domain": o.domain,
                "code": o.code,
                "title": o.title,
                "description": o.description,
                "year": o.year,
                "weight": _decimal(o.weight),
                "position": o.position,
            }
            for o in objectives
        ],
        "indicators": [
            {
                "objective": objective_ref(i.objective_id),
                "name": i.name,
                "description": i.description,
                "unit": i.unit,
                "source": i.source,
                "source_detail": i.source_detail,
                "baseline_value": _decimal(i.baseline_value),
                "baseline_date": _date(i.baseline_date),
                "target_value": _decimal(i.target_value),
                "target_date": _date(i.target_date),
                "direction": i.direction,
                "frequency": i.frequency,
                "weight": _decimal(i.weight),
                "position": i.position,
                "measurements": [
                    {"period": m.period, "value": _decimal(m.value), "note": m.note}
                    for m in sorted(i.measurements.all(), key=lambda m: m.period_end)
                ],
            }
            for i in indicators
        ],
        "actions": [
            {
                "objective": objective_ref(a.objective_id),
                "title": a.title,
                "description": a.description,
                "owner": a.owner,
                "start_date": _date(a.start_date),
                "due_date": _date(a.due_date),
                "status": a.status,
                "percent_complete": a.percent_complete,
                "weight": _decimal(a.weight),
                "position": a.position,
            }
            for a in actions
        ],
        "alignments": [
            {
                "phenomenon": _priority(a.phenomenon),
                "theme": _priority(a.theme),
                "adopted": a.adopted,
                "objectives": sorted(objective_ref(o.pk) for o in a.objectives.all()),
                "justification": a.justification,
            }
            for a in alignments
        ],
    }


# --- reading a document ---------------------------------------------------------------------------


class _Reader:
    """Reads untrusted JSON into typed values, collecting every problem with its path."""

    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append({"path": path, "message": str(message)})

    def mapping(self, value: Any, path: str) -> dict:
        if isinstance(value, dict):
            return value
        self.fail(path, _("Expected an object."))
        return {}

    def items(self, parent: dict, key: str, path: str) -> list[tuple[str, dict]]:
        value = parent.get(key, [])
        if not isinstance(value, list):
            self.fail(f"{path}{key}", _("Expected a list."))
            return []
        return [(f"{path}{key}[{i}]", self.mapping(item, f"{path}{key}[{i}]")) for i, item in enumerate(value)]

    def text(self, obj: dict, key: str, path: str, *, required: bool = False) -> str:
        value = obj.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", _("Expected text."))
            return ""
        if required and not value.strip():
            self.fail(f"{path}.{key}", _("This field is required."))
        return value

    def choice(self, obj: dict, key: str, path: str, choices, default: str | None = None) -> str:
        value = obj.get(key, default)
        if value not in choices.values:
            self.fail(f"{path}.{key}", _("Expected one of: %(choices)s.") % {"choices": ", ".join(choices.values)})
            return default or ""
        return value

    def number(self, obj: dict, key: str, path: str, *, default: Decimal | None = None) -> Decimal | None:
        value = obj.get(key)
        if value is None and default is not None:
            return default
        try:
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise InvalidOperation
            number = Decimal(str(value))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.fail(f"{path}.{key}", _("Expected a number."))
            return None
        return number

    def integer(self, obj: dict, key: str, path: str, *, default: int | None = 0, low: int = 0, high: int = 2**31 - 1):
        value = obj.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(
                f"{path}.{key}", _("Expected a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
            )
            return default
        return value

    def date(self, obj: dict, key: str, path: str, *, required: bool = True) -> dt.date | None:
        value = obj.get(key)
        if value is None and not required:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{path}.{key}", _("Expected a date (YYYY-MM-DD)."))
            return None

    def boolean(self, obj: dict, key: str, path: str) -> bool:
        value = obj.get(key)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", _("Expected true or false."))
            return False
        return value


@dataclass
class _Objective:
    path: str
    ref: str
    parent: str | None
    fields: dict[str, Any]


@dataclass
class _Indicator:
    path: str
    objective: str
    fields: dict[str, Any]
    measurements: list[tuple[periods.Period, Decimal]] = field(default_factory=list)


@dataclass
class _Action:
    path: str
    objective: str
    fields: dict[str, Any]


@dataclass
class _Alignment:
    path: str
    kind: str  # "phenomenon" or "theme"
    number: int
    nsp_code: str
    adopted: bool
    objectives: list[str]
    justification: str


@dataclass
class _Section:
    path: str
    ref: str
    parent: str | None
    key: str
    title: str
    body: str


@dataclass
class Document:
    title: str
    nsp_code: str
    period: tuple[dt.date, dt.date] | None
    texts: dict[str, Any]
    objectives: list[_Objective]
    indicators: list[_Indicator]
    actions: list[_Action]
    alignments: list[_Alignment]
    sections: list[_Section] | None = None  # None: a document from before sections (its four texts instead)


# The standard chapters the four texts of an older document go into.
OLD_TEXTS = {"environment_analysis": Chapter.ENVIRONMENT, "mission": Chapter.MISSION}
OLD_TEXTS |= {"vision": Chapter.VISION, "values": Chapter.VALUES}


def _read_sections(r: _Reader, doc: dict) -> list[_Section] | None:
    if "sections" not in doc:
        return None
    sections: list[_Section] = []
    refs: dict[str, _Section] = {}
    keys: set[str] = set()
    for path, item in r.items(doc, "sections", ""):
        ref = r.text(item, "ref", path, required=True)
        parent = item.get("parent")
        key = r.text(item, "key", path)
        if key and key not in Chapter.values:
            r.fail(f"{path}.key", _("Expected one of: %(choices)s.") % {"choices": ", ".join(Chapter.values)})
            key = ""
        if key and key in keys:
            r.fail(f"{path}.key", _("The plan has this standard chapter already."))
        keys.add(key)
        title = r.text(item, "title", path, required=not key)
        body = r.text(item, "body", path)
        if parent is not None:
            parent = str(parent)
            above = refs.get(parent)
            if above is None:
                r.fail(f"{path}.parent", _("No earlier section has the reference '%(ref)s'.") % {"ref": parent})
                parent = None
            elif above.parent is not None:
                r.fail(f"{path}.parent", _("A sub-heading goes under a chapter, not under another sub-heading."))
                parent = None
        if ref in refs:
            r.fail(f"{path}.ref", _("Two sections have the reference '%(ref)s'.") % {"ref": ref})
        section = _Section(path, ref, parent, key, "" if key else title, body)
        refs[ref] = section
        sections.append(section)
    return sections


def _read_objectives(r: _Reader, doc: dict) -> list[_Objective]:
    objectives = []
    for path, item in r.items(doc, "objectives", ""):
        ref = item.get("ref")
        if not isinstance(ref, str | int) or isinstance(ref, bool) or str(ref) == "":
            r.fail(f"{path}.ref", _("Give each objective a reference."))
            continue
        parent = item.get("parent")
        if parent is not None and (isinstance(parent, bool) or not isinstance(parent, str | int)):
            r.fail(f"{path}.parent", _("Expected the reference of another objective."))
            parent = None
        fields = {
            "level": r.choice(item, "level", path, Objective.Level),
            "kind": r.choice(item, "kind", path, Objective.Kind, Objective.Kind.PRIORITY),
            "domain": item.get("domain") or "",
            "code": r.text(item, "code", path),
            "title": r.text(item, "title", path, required=True),
            "description": r.text(item, "description", path),
            "year": r.integer(item, "year", path, default=None, low=1900, high=9999),
            "weight": r.number(item, "weight", path, default=Decimal(1)),
            "position": r.integer(item, "position", path),
        }
        if fields["domain"] not in ("", *Objective.Domain.values):
            r.fail(
                f"{path}.domain", _("Expected one of: %(choices)s.") % {"choices": ", ".join(Objective.Domain.values)}
            )
        objectives.append(_Objective(path, str(ref), None if parent is None else str(parent), fields))
    refs = [o.ref for o in objectives]
    for o in objectives:
        if refs.count(o.ref) > 1:
            r.fail(f"{o.path}.ref", _("Another objective has the reference '%(ref)s'.") % {"ref": o.ref})
        if o.parent is not None and o.parent not in refs:
            r.fail(f"{o.path}.parent", _("No objective has the reference '%(ref)s'.") % {"ref": o.parent})
    return objectives


def _read_indicators(r: _Reader, doc: dict, refs: set[str]) -> list[_Indicator]:
    indicators = []
    for path, item in r.items(doc, "indicators", ""):
        objective = str(item.get("objective", ""))
        if objective not in refs:
            r.fail(f"{path}.objective", _("No objective has the reference '%(ref)s'.") % {"ref": objective})
        fields = {
            "name": r.text(item, "name", path, required=True),
            "description": r.text(item, "description", path),
            "unit": r.text(item, "unit", path, required=True),
            "source": r.choice(item, "source", path, Indicator.Source, Indicator.Source.INTERNAL),
            "source_detail": r.text(item, "source_detail", path),
            "baseline_value": r.number(item, "baseline_value", path),
            "baseline_date": r.date(item, "baseline_date", path),
            "target_value": r.number(item, "target_value", path),
            "target_date": r.date(item, "target_date", path),
            "direction": r.choice(item, "direction", path, Indicator.Direction),
            "frequency": r.choice(item, "frequency", path, periods.Frequency, periods.Frequency.QUARTERLY),
            "weight": r.number(item, "weight", path, default=Decimal(1)),
            "position": r.integer(item, "position", path),
        }
        measured = []
        for m_path, m in r.items(item, "measurements", f"{path}."):
            value = r.number(m, "value", m_path)
            label = m.get("period")
            try:
                period = periods.parse(label if isinstance(label, str) else "")
            except ValueError as exc:
                r.fail(f"{m_path}.period", str(exc))
                continue
            if value is not None:
                measured.append((period, value))
        indicators.append(_Indicator(path, objective, fields, measured))
    return indicators


def _read_actions(r: _Reader, doc: dict, refs: set[str]) -> list[_Action]:
    actions = []
    for path, item in r.items(doc, "actions", ""):
        objective = str(item.get("objective", ""))
        if objective not in refs:
            r.fail(f"{path}.objective", _("No objective has the reference '%(ref)s'.") % {"ref": objective})
        fields = {
            "title": r.text(item, "title", path, required=True),
            "description": r.text(item, "description", path),
            "owner": r.text(item, "owner", path, required=True),
            "start_date": r.date(item, "start_date", path),
            "due_date": r.date(item, "due_date", path),
            "status": r.choice(item, "status", path, Action.Status, Action.Status.PLANNED),
            "percent_complete": r.integer(item, "percent_complete", path, high=100),
            "weight": r.number(item, "weight", path, default=Decimal(1)),
            "position": r.integer(item, "position", path),
        }
        actions.append(_Action(path, objective, fields))
    return actions


def _read_alignments(r: _Reader, doc: dict, refs: set[str], nsp_code: str) -> list[_Alignment]:
    alignments = []
    for path, item in r.items(doc, "alignments", ""):
        given = [kind for kind in ("phenomenon", "theme") if item.get(kind) is not None]
        if len(given) != 1:
            r.fail(path, _("An alignment answers exactly one phenomenon or one theme."))
            continue
        kind = given[0]
        priority = r.mapping(item[kind], f"{path}.{kind}")
        number = r.integer(priority, "number", f"{path}.{kind}", default=None, low=1, high=32767)
        code = priority.get("nsp", nsp_code)
        objectives = item.get("objectives", [])
        if not isinstance(objectives, list):
            r.fail(f"{path}.objectives", _("Expected a list."))
            objectives = []
        unknown = [str(ref) for ref in objectives if str(ref) not in refs]
        if unknown:
            r.fail(f"{path}.objectives", _("No objective has the reference '%(ref)s'.") % {"ref": unknown[0]})
        adopted = r.boolean(item, "adopted", path)
        justification = r.text(item, "justification", path)
        if number is not None and isinstance(code, str):
            refs_kept = [str(ref) for ref in objectives if str(ref) in refs]
            alignments.append(_Alignment(path, kind, number, code, adopted, refs_kept, justification))
    return alignments


def read_document(document: Any) -> Document:
    """The document checked as a whole: one DomainError lists every problem with its path."""
    intake.check_depth(document, what="document")
    r = _Reader()
    doc = r.mapping(document, "document")
    if doc and doc.get("format") != FORMAT:
        r.fail("format", _("Not a plan document (format must be '%(format)s').") % {"format": FORMAT})
    if doc and doc.get("version") != VERSION:
        r.fail("version", _("This application reads version %(version)s of the document.") % {"version": VERSION})
    plan = r.mapping(doc.get("plan", {}), "plan")
    nsp = plan.get("nsp") if isinstance(plan.get("nsp"), dict) else {}
    nsp_code = nsp.get("code") if isinstance(nsp.get("code"), str) else ""
    start = r.date(plan, "period_start", "plan", required=False)
    end = r.date(plan, "period_end", "plan", required=False)
    texts = {name: r.text(plan, name, "plan") for name in ("environment_analysis", "mission", "vision", "values")}
    if plan.get("keep_tolerance") is not None:
        texts["keep_tolerance"] = r.number(plan, "keep_tolerance", "plan")
    title = r.text(plan, "title", "plan")
    objectives = _read_objectives(r, doc)
    refs = {o.ref for o in objectives}
    indicators = _read_indicators(r, doc, refs)
    actions = _read_actions(r, doc, refs)
    alignments = _read_alignments(r, doc, refs, nsp_code)
    sections = _read_sections(r, doc)
    _check_hierarchy(r, objectives)
    if r.errors:
        raise DomainError(
            _("The plan document has %(count)s problems; nothing was imported.") % {"count": len(r.errors)}
            if len(r.errors) > 1
            else _("The plan document has a problem at %(path)s: %(message)s")
            % {"path": r.errors[0]["path"], "message": r.errors[0]["message"]},
            extra={"document": r.errors, "problems": _problems(r.errors)},
            code="invalid_document",
        )
    return Document(
        title=title,
        nsp_code=nsp_code,
        period=(start, end) if start and end else None,
        texts=texts,
        objectives=objectives,
        indicators=indicators,
        actions=actions,
        alignments=alignments,
        sections=sections,
    )


def _check_hierarchy(r: _Reader, objectives: list[_Objective]) -> None:
    parents = {o.ref: o.parent for o in objectives}
    for o in objectives:
        seen, ref = {o.ref}, o.parent
        while ref is not None and ref in parents:
            if ref in seen:
                r.fail(f"{o.path}.parent", _("The objectives' parents form a loop."))
                break
            seen.add(ref)
            ref = parents[ref]


# --- import ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    plan: ZonalSecurityPlan
    notes: list[str]


def _problems(errors: list[dict[str, str]]) -> list[dict]:
    """The document's problems in the one refusal shape of ``nsp.intake``."""
    return [intake.problem(error["message"], where=error["path"], field="document") for error in errors]


@contextmanager
def _at(path: str) -> Iterator[None]:
    """Run a service for the document item at ``path``; its refusal names the item."""
    try:
        yield
    except DomainError as exc:
        raise DomainError(
            f"{path}: {exc.message}",
            extra={
                **exc.extra,
                "document": [{"path": path, "message": exc.message}],
                "problems": _problems([{"path": path, "message": exc.message}]),
            },
            code=exc.code,
        ) from exc


def _new_title(document: Document, start: dt.date, end: dt.date, zone: PoliceZone) -> str:
    if document.title and document.period:
        old = f"{document.period[0].year}-{document.period[1].year}"
        if old in document.title:
            return document.title.replace(old, f"{start.year}-{end.year}")
    return _("Zonal security plan %(zone)s %(start)s-%(end)s") % {
        "zone": zone.number or zone.key,
        "start": start.year,
        "end": end.year,
    }


def carried_baseline(
    fields: dict[str, Any], measurements: list[tuple[periods.Period, Decimal]], target_date: dt.date
) -> tuple[Decimal, dt.date, bool]:
    """(baseline value, baseline date, whether the old baseline was kept although there are measurements)."""
    if not measurements:
        return fields["baseline_value"], fields["baseline_date"], False
    period, value = max(measurements, key=lambda pair: pair[0].end)
    target, direction = fields["target_value"], fields["direction"]
    ahead = {
        Indicator.Direction.INCREASE: target is not None and target > value,
        Indicator.Direction.DECREASE: target is not None and target < value,
    }.get(direction, True)
    if not ahead or period.end >= target_date:
        return fields["baseline_value"], fields["baseline_date"], True
    return value, period.end, False


def _edition(document: Document, nsp: NationalSecurityPlan | None) -> NationalSecurityPlan:
    if nsp is not None:
        return nsp
    found = NationalSecurityPlan.objects.filter(code=document.nsp_code).first() if document.nsp_code else None
    if found is None:
        message = _("Name the NSP edition the new plan answers.")
        raise DomainError(message, extra={"fields": {"nsp": [message]}})
    return found


def _import_sections(actor, plan: ZonalSecurityPlan, doc: Document) -> None:
    """The document's sections in order; an older document's four texts into the standard chapters."""
    if doc.sections is None:
        chapters = {section.key: section for section in plan.sections.exclude(key="")}
        for name, key in OLD_TEXTS.items():
            if doc.texts.get(name) and key in chapters:
                with _at(f"plan.{name}"):
                    services.section_update(actor=actor, section=chapters[key], body=doc.texts[name])
        return
    created = {}
    for item in doc.sections:
        with _at(item.path):
            created[item.ref] = services.section_create(
                actor=actor,
                plan=plan,
                key=item.key,
                title=item.title,
                body=item.body,
                parent=created.get(item.parent) if item.parent else None,
            )


def _mapped_priorities(alignment: _Alignment, nsp: NationalSecurityPlan) -> list:
    model = SecurityPhenomenon if alignment.kind == "phenomenon" else CrossCuttingTheme
    if alignment.nsp_code == nsp.code:
        return list(model.objects.filter(nsp=nsp, number=alignment.number))
    return list(
        model.objects.filter(nsp=nsp, previous__nsp__code=alignment.nsp_code, previous__number=alignment.number)
    )


@transaction.atomic
def plan_import(
    *,
    actor,
    document: Any,
    zone: PoliceZone,
    period_start: dt.date,
    period_end: dt.date,
    title: str = "",
    nsp: NationalSecurityPlan | None = None,
) -> ImportOutcome:
    """Draft a new plan for ``zone`` and the period from a plan document (see the module's docstring)."""
    doc = read_document(document)
    edition = _edition(doc, nsp)
    texts = {k: v for k, v in doc.texts.items() if v is not None and k not in OLD_TEXTS}
    plan = services.zonal_plan_create(
        actor=actor,
        zone=zone,
        nsp=edition,
        title=title or _new_title(doc, period_start, period_end, zone),
        period_start=period_start,
        period_end=period_end,
        standard_chapters=doc.sections is None,
        **texts,
    )
    _import_sections(actor, plan, doc)
    notes: list[str] = []
    created: dict[str, Objective] = {}
    pending = list(doc.objectives)
    while pending:
        ready = [o for o in pending if o.parent is None or o.parent in created]
        for o in ready:
            with _at(o.path):
                created[o.ref] = core.objective_create(
                    actor=actor, plan=plan, parent=created.get(o.parent) if o.parent else None, **o.fields
                )
        pending = [o for o in pending if o not in ready]

    for i in doc.indicators:
        fields = dict(i.fields)
        fields["target_date"] = max(fields["target_date"], plan.period_end)
        value, day, kept = carried_baseline(fields, i.measurements, fields["target_date"])
        fields["baseline_value"], fields["baseline_date"] = value, day
        if kept:
            notes.append(
                _(
                    "%(indicator)s keeps its old baseline: its last measured value is not short of the target; "
                    "review the target."
                )
                % {"indicator": fields["name"]}
            )
        with _at(i.path):
            core.indicator_create(actor=actor, objective=created[i.objective], **fields)

    for a in doc.actions:
        fields = dict(a.fields)
        if fields["status"] not in CARRIED_ACTION_STATUSES:
            continue
        start, due = fields["start_date"], fields["due_date"]
        if start and due and due < plan.period_start:
            fields["start_date"], fields["due_date"] = plan.period_start, plan.period_start + (due - start)
        with _at(a.path):
            core.action_create(actor=actor, objective=created[a.objective], **fields)

    for al in doc.alignments:
        priorities = _mapped_priorities(al, edition)
        if not priorities:
            notes.append(
                _("%(path)s: no national priority of %(nsp)s matches %(kind)s %(number)s of %(old)s; answer it again.")
                % {"path": al.path, "nsp": edition.code, "kind": al.kind, "number": al.number, "old": al.nsp_code}
            )
            continue
        for priority in priorities:
            with _at(al.path):
                services.alignment_set(
                    actor=actor,
                    plan=plan,
                    adopted=al.adopted,
                    objectives=[created[ref] for ref in al.objectives],
                    justification=al.justification,
                    **{al.kind: priority},
                )
    return ImportOutcome(plan=plan, notes=notes)
