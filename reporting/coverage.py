"""Selectors of the coverage matrix: which zones took up which national priority of an NSP edition.

Rows are the edition's national priorities (phenomena, then cross-cutting themes), columns the police zones
grouped by province and district; a cell is the answer of the zone's plan for the edition: adopted (by how
many objectives, with their mean progress and status), not adopted (with the justification), undecided, or no
plan (none the user may read). Every query starts from ``restrict(user, "view")``; progress comes from
``nsp.progress`` through ``reporting.selectors.objective_results``; "decided" is the rule of
``zones.as_at.answer_state``. The answers and the plans' states are
read as at the matrix's day (``zones.as_at``). Nine queries whatever the number of zones and priorities (eleven
as at a past day); the cells are built from flat rows (``zones.as_at.answers``, ``CellBuilder``), no model
instance per cell.
Results are plain, JSON-ready dicts: the page, the CSV/XLSX and the national report show the same cells.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusters.models import CrossCuttingTheme, SecurityPhenomenon
from nsp import figures, progress
from nsp.models import NationalSecurityPlan, Objective, PlanStatus
from reporting import selectors
from zones import as_at
from zones import selectors as zone_selectors
from zones.models import Addendum, District, PoliceZone, Region, ZonalSecurityPlan

ADOPTED, NOT_ADOPTED, UNDECIDED, NO_PLAN = "adopted", "not_adopted", "undecided", "no_plan"
STATES = (ADOPTED, NOT_ADOPTED, UNDECIDED, NO_PLAN)
NO_PLAN_FILTER = "none"  # the plan-status filter's value for zones without a (readable) plan
PRIORITY_KINDS = ("phenomenon", "theme")


def state_labels() -> dict[str, str]:
    return {
        ADOPTED: _("Adopted"),
        NOT_ADOPTED: _("Not adopted"),
        UNDECIDED: _("Undecided"),
        NO_PLAN: _("No plan"),
    }


def province_label(zone: PoliceZone) -> str:
    """The province a zone is grouped under; the Brussels-Capital region has none, so its name stands in."""
    return zone.province or zone.get_region_display() or _("No province")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _zone_order(zone: PoliceZone) -> tuple:
    # Zones without a district come last in their province.
    return (province_label(zone), zone.district.name if zone.district_id else "\uffff", zone.number or "", zone.key)


def _zones(
    user, *, region: str = "", province: str = "", district: District | None = None, zone: PoliceZone | None = None
) -> list[PoliceZone]:
    zones = PoliceZone.objects.restrict(user, "view").filter(status=PoliceZone.Status.ACTIVE).select_related("district")
    if zone is not None:
        zones = zones.filter(pk=zone.pk)
    if region:
        zones = zones.filter(region=region)
    if province:
        zones = zones.filter(province=province)
    if district is not None:
        zones = zones.filter(district=district)
    listed = list(zones)
    listed.sort(key=_zone_order)
    return listed


def zone_plans(*, user, nsp: NationalSecurityPlan, zones: list[PoliceZone], as_of: dt.date) -> dict[int, Any]:
    """Per zone, its readable plan answering ``nsp`` on ``as_of``: the one running then, else the latest begun by
    then, else the first to come, among the plans that existed then (``zones.as_at.existed``). A plan re-aligned
    by an addendum answers its former edition until the addendum's approval and the new one from then on
    (``zones.selectors.edition_id_on``)."""
    realigning = Addendum.objects.filter(realigned_to__isnull=False).order_by("number")
    plans = (
        ZonalSecurityPlan.objects.restrict(user, "view")
        .filter(as_at.existed(as_of))
        .filter(Q(nsp=nsp) | Q(addenda__realigned_from=nsp) | Q(addenda__realigned_to=nsp))
        .filter(zone__in=[z.pk for z in zones])
        .distinct()
        .order_by("zone_id", "period_start", "pk")
        .only("pk", "zone_id", "title", "status", "period_start", "period_end", "nsp_id")
        .prefetch_related(Prefetch("addenda", queryset=realigning, to_attr="realignments"))
    )
    per_zone: dict[int, list[ZonalSecurityPlan]] = {}
    for plan in plans:
        if zone_selectors.edition_id_on(plan, as_of, plan.realignments) == nsp.pk:
            per_zone.setdefault(plan.zone_id, []).append(plan)
    chosen = {}
    for zone_id, candidates in per_zone.items():
        running = [p for p in candidates if p.period_start <= as_of <= p.period_end]
        begun = [p for p in candidates if p.period_start <= as_of]
        chosen[zone_id] = (running or begun or candidates[:1])[-1]
    return chosen


def priorities(nsp: NationalSecurityPlan) -> list[tuple[str, Any]]:
    """The edition's national priorities: phenomena by number, then cross-cutting themes by number."""
    rows: list[tuple[str, Any]] = [
        ("phenomenon", p)
        for p in SecurityPhenomenon.objects.filter(nsp=nsp, is_national_priority=True).order_by("number")
    ]
    rows += [
        ("theme", t) for t in CrossCuttingTheme.objects.filter(nsp=nsp, is_national_priority=True).order_by("number")
    ]
    return rows


def priority_fields(kind: str, priority) -> dict[str, Any]:
    prefix = {"phenomenon": _("Phenomenon"), "theme": _("Cross-cutting theme")}[kind]
    short = {"phenomenon": "P", "theme": "T"}[kind]
    return {
        "kind": kind,
        "id": priority.pk,
        "number": priority.number,
        "code": f"{short}{priority.number}",
        "name": priority.name,
        "label": f"{priority.number}. {priority.name}",
        "type_label": str(prefix),
    }


def _objective_results(user, answers: dict, *, as_of: dt.date):
    """The progress of the objectives that adopt a priority in ``answers`` (as at the matrix's day)."""
    adopting = {pk for answer in answers.values() for pk in answer.objective_ids}
    objectives = Objective.objects.restrict(user, "view").filter(pk__in=adopting)
    return selectors.objective_results(objectives, as_of=as_of)


class CellBuilder:
    """Builds the cells of one matrix from flat answers: the words of each state and status are looked up once,
    and the cells that do not depend on progress are copies of one prepared dict."""

    def __init__(self, results: dict[int, Any], labels: dict[str, str]):
        self.results = results
        self.labels = labels
        self.status_labels = {s: str(s.label) for s in progress.ProgressStatus}
        blank = {"objectives": 0, "objective_codes": "", "progress": None, "progress_status": ""}
        self.plain = {
            state: {"state": state, "state_label": labels[state], **blank, "progress_status_label": ""}
            for state in STATES
        }

    def cell(self, answer: as_at.AnswerAt | None, plan_id: int | None) -> dict:
        if plan_id is None:
            return {**self.plain[NO_PLAN], "plan_id": None, "justification": ""}
        state = as_at.answer_state(answer)
        if state == NOT_ADOPTED:
            return {**self.plain[NOT_ADOPTED], "plan_id": plan_id, "justification": answer.justification}
        if state == UNDECIDED:
            return {**self.plain[UNDECIDED], "plan_id": plan_id, "justification": ""}
        results = self.results
        mean = progress.weighted_mean([results[o].part for o in answer.objective_ids if o in results])
        status = mean.status
        return {
            "state": ADOPTED,
            "state_label": self.labels[ADOPTED],
            "objectives": len(answer.objective_ids),
            "objective_codes": answer.objective_codes,
            "progress": progress.rounded(mean.progress),
            "progress_status": status,
            "progress_status_label": self.status_labels[status],
            "plan_id": plan_id,
            "justification": "",
        }


def adopted_words(count: int) -> str:
    return ngettext("Adopted by %(count)s objective", "Adopted by %(count)s objectives", count) % {"count": count}


def cell_text(c: dict, *, adopted=adopted_words, percent=figures.percent_text) -> str:
    """A cell in words (the CSV/XLSX cell, the page cell's accessible name): answer, objectives, progress."""
    if c["state"] == ADOPTED:
        text = adopted(c["objectives"])
        if c["progress"] is None:
            return f"{text}, {c['progress_status_label']}"
        return f"{text}, {percent(c['progress'])}, {c['progress_status_label']}"
    if c["state"] == NOT_ADOPTED:
        return f"{c['state_label']}: {c['justification']}"
    return c["state_label"]


def cell_texts() -> Any:
    """``cell_text`` remembered per distinct cell (answer, count, progress, justification), and its words per
    count and per progress: a matrix of thousands of cells has far fewer distinct texts. For one rendering, in
    one language."""
    memo: dict[tuple, str] = {}
    adopted = functools.cache(adopted_words)
    # The words of a share depend only on its whole percentage: 0.8012 and 0.7987 both read "80 %".
    whole_text = functools.cache(lambda whole: figures.percent_text(whole / 100))

    def percent(share: float) -> str:
        return whole_text(figures.percent(share))

    def text(c: dict) -> str:
        key = (c["state"], c["objectives"], c["progress"], c["progress_status"], c["justification"])
        found = memo.get(key)
        if found is None:
            found = memo[key] = cell_text(c, adopted=adopted, percent=percent)
        return found

    return text


def _counts(cells: list[dict]) -> dict[str, int]:
    counts = {state: 0 for state in STATES}
    for c in cells:
        counts[c["state"]] += 1
    return counts


def coverage_matrix(
    *,
    user,
    nsp: NationalSecurityPlan | None,
    as_of: dt.date,
    region: str = "",
    province: str = "",
    district: District | None = None,
    plan_status: str = "",
    zone: PoliceZone | None = None,
    with_progress: bool = True,
) -> dict[str, Any]:
    """The coverage matrix of ``nsp`` for the zones the user may read, filtered; totals per row and column.

    ``with_progress=False`` leaves out the adopting objectives' progress (the costly read) where only the
    answers are wanted (the home page's summary)."""
    labels = state_labels()
    empty = {"nsp": None, "priorities": [], "zones": [], "groups": [], "totals": _counts([]), "labels": labels}
    if nsp is None:
        return empty
    zones = _zones(user, region=region, province=province, district=district, zone=zone)
    plans = zone_plans(user=user, nsp=nsp, zones=zones, as_of=as_of)
    status_of = as_at.plan_statuses({p.pk: p.status for p in plans.values()}, as_of)
    if plan_status == NO_PLAN_FILTER:
        zones = [z for z in zones if z.pk not in plans]
    elif plan_status:
        zones = [z for z in zones if z.pk in plans and status_of[plans[z.pk].pk] == plan_status]
    chosen = [plans[z.pk] for z in zones if z.pk in plans]
    answers = as_at.answers([p.pk for p in chosen], as_of)
    results = _objective_results(user, answers, as_of=as_of) if with_progress else {}
    statuses = dict(PlanStatus.choices)
    zone_rows = []
    for zone in zones:
        plan = plans.get(zone.pk)
        zone_rows.append(
            {
                "key": zone.key,
                "number": zone.number or "",
                "name": zone.name,
                "label": str(zone),
                "short": zone.number or _clip(zone.name, 10),
                "region": zone.region,
                "province": province_label(zone),
                "district": zone.district.name if zone.district_id else _("No district"),
                "district_id": zone.district_id,
                "plan_id": plan.pk if plan else None,
                "plan": plan.title if plan else "",
                "plan_status": status_of[plan.pk] if plan else NO_PLAN_FILTER,
                "plan_status_label": str(statuses[status_of[plan.pk]]) if plan else labels[NO_PLAN],
            }
        )
    rows = []
    build = CellBuilder(results, labels).cell
    columns = [(zone.key, plans[zone.pk].pk if zone.pk in plans else None) for zone in zones]
    for kind, priority in priorities(nsp):
        cells = [{"zone": key, **build(answers.get((plan_id, kind, priority.pk)), plan_id)} for key, plan_id in columns]
        rows.append({**priority_fields(kind, priority), "cells": cells, "totals": _counts(cells)})
    for index, zone_row in enumerate(zone_rows):
        zone_row["totals"] = _counts([row["cells"][index] for row in rows])
    return {
        "nsp": {"id": nsp.pk, "code": nsp.code, "title": nsp.title},
        "as_of": as_of.isoformat(),
        "priorities": rows,
        "zones": zone_rows,
        "groups": header_groups(zone_rows),
        "totals": _counts([c for row in rows for c in row["cells"]]),
        "labels": labels,
    }


def header_groups(zones: list[dict]) -> list[dict[str, Any]]:
    """The column groups over the zones, in their order: provinces, each with its districts and their spans."""
    groups: list[dict[str, Any]] = []
    for zone in zones:
        if not groups or groups[-1]["label"] != zone["province"]:
            groups.append({"label": zone["province"], "span": 0, "districts": []})
        province = groups[-1]
        province["span"] += 1
        if not province["districts"] or province["districts"][-1]["label"] != zone["district"]:
            province["districts"].append({"label": zone["district"], "span": 0})
        province["districts"][-1]["span"] += 1
    return groups


def filter_choices(*, user) -> dict[str, list[tuple[str, str]]]:
    """What the matrix's filters offer: regions, the provinces of readable zones, plan states (and "no plan")."""
    provinces = (
        PoliceZone.objects.restrict(user, "view")
        .filter(status=PoliceZone.Status.ACTIVE)
        .exclude(province="")
        .order_by("province")
        .values_list("province", flat=True)
        .distinct()
    )
    return {
        "regions": list(Region.choices),
        "provinces": [(p, p) for p in provinces],
        "plan_statuses": [*PlanStatus.choices, (NO_PLAN_FILTER, state_labels()[NO_PLAN])],
    }


# --- drill-downs --------------------------------------------------------------------------------------


def priority_for(*, nsp: NationalSecurityPlan, kind: str, pk: int):
    """The national priority of the edition (404-able: raises ``LookupError``)."""
    model = {"phenomenon": SecurityPhenomenon, "theme": CrossCuttingTheme}.get(kind)
    found = model.objects.filter(nsp=nsp, pk=pk, is_national_priority=True).first() if model else None
    if found is None:
        raise LookupError(kind)
    return found


def _status_label(plan: ZonalSecurityPlan, as_of: dt.date) -> str:
    return str(dict(PlanStatus.choices)[as_at.plan_statuses({plan.pk: plan.status}, as_of)[plan.pk]])


def priority_across_zones(*, user, nsp: NationalSecurityPlan, kind: str, priority, as_of: dt.date, **filters) -> dict:
    """One priority (a row): every zone's answer, with the adopting objectives and their progress."""
    matrix = coverage_matrix(user=user, nsp=nsp, as_of=as_of, **filters)
    row = next(r for r in matrix["priorities"] if r["kind"] == kind and r["id"] == priority.pk)
    zones = [{**zone, **c} for zone, c in zip(matrix["zones"], row["cells"], strict=True)]
    return {"nsp": matrix["nsp"], "priority": {k: v for k, v in row.items() if k != "cells"}, "zones": zones}


def zone_answer(*, user, nsp: NationalSecurityPlan, kind: str, priority, zone: PoliceZone, as_of: dt.date) -> dict:
    """One cell: the zone's plan, its answer to the priority and the adopting objectives with their progress."""
    labels = state_labels()
    plan = zone_plans(user=user, nsp=nsp, zones=[zone], as_of=as_of).get(zone.pk)
    answer = None
    objectives: list[dict] = []
    if plan is not None:
        answer = as_at.answers([plan.pk], as_of).get((plan.pk, kind, priority.pk))
    c = CellBuilder({}, labels).cell(answer, plan.pk if plan is not None else None)
    if plan is not None and c["state"] == ADOPTED:
        readable = Objective.objects.restrict(user, "view").filter(pk__in=answer.objective_ids)
        objectives = [
            {
                "id": o.pk,
                "code": o.code,
                "title": o.title,
                "level_label": o.get_level_display(),
                **selectors.progress_fields(o.progress, o.progress_status),
            }
            for o in progress.annotate_objectives(readable, as_of=as_of).order_by("position", "code", "pk")
        ]
        c = CellBuilder(selectors.objective_results(readable, as_of=as_of), labels).cell(answer, plan.pk)
    return {
        "nsp": {"id": nsp.pk, "code": nsp.code, "title": nsp.title},
        "zone": {"key": zone.key, "label": str(zone)},
        "priority": priority_fields(kind, priority),
        "plan": {"id": plan.pk, "title": plan.title, "status_label": _status_label(plan, as_of)} if plan else None,
        "cell": c,
        "objectives": objectives,
    }
