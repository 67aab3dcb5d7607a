"""Reads for zones and zonal plans. Every list starts from ``restrict(user, action)``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from clusters.models import CrossCuttingTheme, SecurityPhenomenon
from nsp.history import history_entries
from nsp.models import Action, Indicator, NationalSecurityPlan, Objective, PlanStatus
from nsp.permissions import get_for, may_column
from nsp.selectors import comments_of, objective_rows
from zones.models import (
    Addendum,
    Chapter,
    Expectation,
    MatrixCandidate,
    NationalAlignment,
    PlanSection,
    PlanTransition,
    PoliceZone,
    ZonalSecurityPlan,
)

# What a zonal plan's page asks of its reader: the buttons it shows.
PLAN_RIGHTS = ("change", "delete", "workflow", "review", "record")


@dataclass(frozen=True)
class AlignmentRow:
    """One national priority of the plan's NSP edition and how the plan answers it."""

    kind: str  # "phenomenon" or "theme"
    priority: SecurityPhenomenon | CrossCuttingTheme
    alignment: NationalAlignment | None

    @property
    def decided(self) -> bool:
        a = self.alignment
        if a is None:
            return False
        if a.to_confirm:  # carried by a re-alignment: the editor confirms it first
            return False
        return bool(a.justification.strip()) if not a.adopted else bool(a.objective_count)


def alignment_rows(plan: ZonalSecurityPlan) -> list[AlignmentRow]:
    """Every national priority (phenomena, then themes) with the plan's answer, in four queries."""
    own_objectives = Objective.objects.filter(plan=plan).order_by("position", "code", "pk")
    alignments = {
        (("phenomenon", a.phenomenon_id) if a.phenomenon_id else ("theme", a.theme_id)): a
        for a in NationalAlignment.objects.filter(plan=plan)
        .annotate(objective_count=Count("objectives"))
        # The plan's own objectives, ordered among themselves: not through the plan (a join for nothing).
        .prefetch_related(Prefetch("objectives", queryset=own_objectives))
    }
    rows = [
        AlignmentRow("phenomenon", p, alignments.get(("phenomenon", p.pk)))
        for p in SecurityPhenomenon.objects.filter(nsp_id=plan.nsp_id, is_national_priority=True)
        .select_related("cluster")
        .order_by("number")
    ]
    rows += [
        AlignmentRow("theme", t, alignments.get(("theme", t.pk)))
        for t in CrossCuttingTheme.objects.filter(nsp_id=plan.nsp_id, is_national_priority=True).order_by("number")
    ]
    return rows


def alignment_gaps(plan: ZonalSecurityPlan, rows: list[AlignmentRow] | None = None) -> list[AlignmentRow]:
    """National priorities with neither an adopting objective nor a justification (of ``rows`` when given)."""
    return [row for row in (alignment_rows(plan) if rows is None else rows) if not row.decided]


def zonal_plan_list(*, user, filters: dict | None = None) -> QuerySet[ZonalSecurityPlan]:
    qs = ZonalSecurityPlan.objects.restrict(user, "view").select_related("zone", "zone__district", "nsp")
    return qs.filter(**(filters or {}))


def zone_list(*, user) -> QuerySet[PoliceZone]:
    return (
        PoliceZone.objects.restrict(user, "view")
        .select_related("district", "merged_into")
        .prefetch_related(Prefetch("municipalities"))
    )


def zones_incomplete(*, user) -> QuerySet[PoliceZone]:
    return zone_list(user=user).filter(Q(number__isnull=True) | Q(district__isnull=True, status="active"))


# --- a zonal plan's page ---------------------------------------------------------------------------------


def plan_page(user, *, pk: int, as_of: dt.date, rights: tuple[str, ...] = PLAN_RIGHTS) -> dict[str, Any]:
    """Everything a zonal plan's page shows, as ``user`` may read it (404 when they may not read the plan), in a
    fixed number of queries whatever the plan's size.

    ``object``: the plan, with ``progress``, ``expected`` and ``progress_status`` (the weighted mean of its
    objectives, ``progress.group_progress``, from the same totals as its tree); ``may``: the user's ``rights``
    on it (read with the plan, ``permissions.may_column``); ``tree``: its objectives as rows
    (``nsp.selectors.objective_rows``); the plan document (``plan_document``); the alignment and its gaps, the
    matrix candidates, expectations, addenda, comments, workflow transitions, the return notice, and the history
    of the plan and its parts.
    """
    queryset = ZonalSecurityPlan.objects.select_related("zone", "zone__district", "nsp").annotate(
        **{f"may_{action}": may_column(ZonalSecurityPlan, user, action) for action in rights}
    )
    plan = get_for(user, "view", queryset, pk=pk)
    may = {action: bool(getattr(plan, f"may_{action}")) for action in rights}
    tree, summary = objective_rows(plan, as_of=as_of)
    plan.progress, plan.expected, plan.progress_status = summary.progress, summary.expected, summary.status.value
    rows = alignment_rows(plan)
    transitions = list(PlanTransition.objects.filter(plan=plan).select_related("by").order_by("-at", "-pk"))
    candidates = (
        MatrixCandidate.objects.filter(plan=plan)
        .annotate(total=Sum("scores__score"))
        .select_related("objective")
        .order_by("-chosen", "-total", "label")
    )
    return {
        "object": plan,
        "may": may,
        "document": plan_document(user=user, plan=plan),
        "tree": tree,
        "alignment_rows": rows,
        "alignment_missing": alignment_gaps(plan, rows),
        "candidates": list(candidates),
        "expectations": list(Expectation.objects.filter(plan=plan).order_by("source", "position", "pk")),
        "addenda": list(plan.addenda.select_related("opened_by").order_by("number")),
        "comments": list(comments_of(user, plan_id=plan.pk).select_related("objective", "indicator", "action", "plan")),
        "transitions": transitions,
        "returned": return_notice(plan, transitions),
        "history": history_entries(
            ZonalSecurityPlan.history.filter(plan_ptr_id=plan.pk),
            Objective.history.filter(plan_id=plan.pk),
            Indicator.history.filter(plan_id=plan.pk),
            Action.history.filter(plan_id=plan.pk),
            NationalAlignment.history.filter(plan_id=plan.pk).select_related("phenomenon", "theme"),
            PlanSection.history.filter(plan_id=plan.pk),
        ),
    }


# --- a plan returned by its reviewer: the reason where the zone works ---------------------------------


def _latest_returns(plans: QuerySet[ZonalSecurityPlan]) -> QuerySet[PlanTransition]:
    """The latest transition of each of these plans, kept only where it returned the plan to the zone."""
    latest = PlanTransition.objects.filter(plan=OuterRef("plan")).order_by("-at", "-pk").values("pk")[:1]
    return (
        PlanTransition.objects.filter(plan__in=plans.filter(status=PlanStatus.DRAFT).values("pk"))
        .filter(pk=Subquery(latest), from_status=PlanStatus.SUBMITTED, to_status=PlanStatus.DRAFT)
        .select_related("plan", "plan__zone", "by")
    )


def return_notice(plan: ZonalSecurityPlan, transitions: list[PlanTransition]) -> PlanTransition | None:
    """The return that sent this draft back to the zone, while it has not been resubmitted: the same rule as
    ``_latest_returns``, on the plan's transitions as its page has read them (latest first)."""
    latest = transitions[0] if transitions else None
    if plan.status != PlanStatus.DRAFT or latest is None:
        return None
    returned = (latest.from_status, latest.to_status) == (PlanStatus.SUBMITTED, PlanStatus.DRAFT)
    return latest if returned else None


def returned_plans(user) -> list[PlanTransition]:
    """The drafts the user may take through the workflow that their reviewer returned, with who, when and why."""
    plans = ZonalSecurityPlan.objects.restrict(user, "workflow")
    return list(_latest_returns(plans).order_by("-at", "-pk"))


# --- re-alignment to a successor edition ------------------------------------------------------------


def successor_edition(nsp: NationalSecurityPlan) -> NationalSecurityPlan | None:
    """The next edition that continues ``nsp``: the first, by period, whose phenomena or themes map onto it."""
    return (
        NationalSecurityPlan.objects.filter(period_start__gt=nsp.period_start)
        .filter(Q(phenomena__previous__nsp=nsp) | Q(themes__previous__nsp=nsp))
        .exclude(status=NationalSecurityPlan.Status.PREPARATION)
        .distinct()
        .order_by("period_start", "pk")
        .first()
    )


CARRY_ADOPTED, CARRY_JUSTIFICATION, CARRY_NEW = "adopted", "justification", "new"


@dataclass(frozen=True)
class CarriedAnswer:
    """What a re-alignment makes of one priority of the successor edition, from the plan's previous answers."""

    kind: str  # "phenomenon" or "theme"
    priority: SecurityPhenomenon | CrossCuttingTheme
    previous: tuple  # the previous edition's priorities it continues
    carry: str  # CARRY_ADOPTED, CARRY_JUSTIFICATION or CARRY_NEW (needs an answer)
    objectives: tuple = ()
    justification: str = ""

    @property
    def needs_answer(self) -> bool:
        return self.carry != CARRY_ADOPTED


def realignment_carry(plan: ZonalSecurityPlan, successor: NationalSecurityPlan) -> list[CarriedAnswer]:
    """Each national priority of ``successor`` with the plan's answer carried through the previous-edition mapping.

    Adopted when a priority it continues was adopted (by the same objectives); else not adopted with the
    previous justifications, to confirm; else new, needing an answer. Four queries.
    """
    answers = {
        (("phenomenon", a.phenomenon_id) if a.phenomenon_id else ("theme", a.theme_id)): a
        for a in NationalAlignment.objects.filter(plan=plan).prefetch_related("objectives")
    }
    carried = []
    for kind, model in (("phenomenon", SecurityPhenomenon), ("theme", CrossCuttingTheme)):
        items = model.objects.filter(nsp=successor, is_national_priority=True).prefetch_related("previous")
        for item in items.order_by("number"):
            previous = tuple(p for p in item.previous.all() if p.nsp_id == plan.nsp_id)
            found = [answers[(kind, p.pk)] for p in previous if (kind, p.pk) in answers]
            adopted = [a for a in found if a.adopted and a.objectives.all()]
            if adopted:
                objectives = {o.pk: o for a in adopted for o in a.objectives.all()}
                carried.append(
                    CarriedAnswer(kind, item, previous, CARRY_ADOPTED, objectives=tuple(objectives.values()))
                )
                continue
            reasons = list(dict.fromkeys(a.justification.strip() for a in found if a.justification.strip()))
            if reasons:
                joined = " ".join(reasons)
                carried.append(CarriedAnswer(kind, item, previous, CARRY_JUSTIFICATION, justification=joined))
            else:
                carried.append(CarriedAnswer(kind, item, previous, CARRY_NEW))
    return carried


def realignments(plan: ZonalSecurityPlan) -> list[Addendum]:
    return list(plan.addenda.filter(realigned_to__isnull=False).select_related("realigned_from", "realigned_to"))


def edition_id_on(plan: ZonalSecurityPlan, day: dt.date, realigning: list[Addendum]) -> int:
    """The edition the plan is aligned with on ``day``: a re-alignment counts from its addendum's approval."""
    if not realigning:
        return plan.nsp_id
    edition = realigning[0].realigned_from_id
    for addendum in realigning:
        if addendum.approved_on is not None and addendum.approved_on <= day:
            edition = addendum.realigned_to_id
    return edition


def plans_aligned_with(nsp: NationalSecurityPlan | int, day: dt.date) -> Q:
    """A filter on plans (``nsp.Plan`` or ``ZonalSecurityPlan``): those aligned with ``nsp`` on ``day``.

    A plan answers the edition it names, unless an addendum re-aligned it: then its former edition until the
    addendum's approval, the new one from then on (``edition_id_on``). One query over the re-aligning addenda."""
    nsp_id = getattr(nsp, "pk", nsp)
    touching = Addendum.objects.filter(realigned_to__isnull=False).filter(
        Q(realigned_from=nsp_id) | Q(realigned_to=nsp_id)
    )
    rows = (
        Addendum.objects.filter(realigned_to__isnull=False, plan__in=touching.values("plan"))
        .order_by("plan_id", "number")
        .values_list("plan_id", "realigned_from_id", "realigned_to_id", "approved_on")
    )
    per_plan: dict[int, list[tuple[int, int, dt.date | None]]] = {}
    for plan_id, old, new, approved_on in rows:
        per_plan.setdefault(plan_id, []).append((old, new, approved_on))
    here, away = [], []
    for plan_id, steps in per_plan.items():
        edition = steps[0][0]
        for _old, new, approved_on in steps:
            if approved_on is not None and approved_on <= day:
                edition = new
        (here if edition == nsp_id else away).append(plan_id)
    return (Q(nsp=nsp_id) & ~Q(pk__in=away)) | Q(pk__in=here)


def previous_alignment(plan: ZonalSecurityPlan, addendum: Addendum) -> list[NationalAlignment]:
    """The plan's answers to the edition an addendum re-aligned it from: kept, readable, no longer changed."""
    rows = (
        NationalAlignment.objects.filter(plan=plan)
        .filter(Q(phenomenon__nsp=addendum.realigned_from_id) | Q(theme__nsp=addendum.realigned_from_id))
        .select_related("phenomenon", "theme")
        .prefetch_related("objectives")
    )
    return sorted(rows, key=lambda a: (a.theme_id is not None, a.priority.number))


# --- the plan document ---------------------------------------------------------------------------------

# Chapters that show what the plan's other parts generate: the argumentation matrix, the objectives
# (all of them in "priorities", or split by domain into its two sub-chapters) and the expectations with
# the national alignment.
GENERATED = {
    Chapter.MATRIX: "matrix",
    Chapter.EXPECTATIONS: "alignment",
    Chapter.PRIORITIES: "objectives",
    Chapter.PRIORITIES_SECURITY: "objectives:security",
    Chapter.PRIORITIES_MANAGEMENT: "objectives:management",
}


@dataclass
class DocumentSection:
    """A section of the plan document, numbered ("2", "2.1"), with its sub-headings."""

    section: PlanSection
    number: str
    children: list[DocumentSection]
    first: bool = False
    last: bool = False
    generated: str = ""  # "matrix", "alignment", "objectives", "objectives:<domain>" or ""

    @property
    def anchor(self) -> str:
        return f"section-{self.section.pk}"

    @property
    def depth(self) -> int:
        return 1 if self.section.parent_id is None else 2


def plan_document(*, user, plan: ZonalSecurityPlan) -> list[DocumentSection]:
    """The plan's chapters in order, each with its sub-headings, numbered as printed (one query)."""
    rows = list(PlanSection.objects.restrict(user, "view").filter(plan_id=plan.pk).order_by("position", "pk"))
    below: dict[int, list[PlanSection]] = {}
    for row in rows:
        if row.parent_id is not None:
            below.setdefault(row.parent_id, []).append(row)
    chapters = [row for row in rows if row.parent_id is None]
    present = {row.key for row in rows if row.key}
    document = []
    for i, chapter in enumerate(chapters, start=1):
        children = [
            DocumentSection(
                child, f"{i}.{j}", [], j == 1, j == len(below.get(chapter.pk, [])), _generated(child, present)
            )
            for j, child in enumerate(below.get(chapter.pk, []), start=1)
        ]
        document.append(
            DocumentSection(chapter, str(i), children, i == 1, i == len(chapters), _generated(chapter, present))
        )
    return document


def _generated(section: PlanSection, present: set[str]) -> str:
    kind = GENERATED.get(section.key, "")
    split = {Chapter.PRIORITIES_SECURITY, Chapter.PRIORITIES_MANAGEMENT} <= present
    if kind == "objectives" and split:
        return "objectives:other"  # the two domains have their sub-chapters; the rest stays here
    if kind.startswith("objectives:") and not split:
        return ""  # one domain's sub-chapter alone: every objective stays in "priorities"
    return kind


def document_sections(document: list[DocumentSection]) -> list[DocumentSection]:
    """The document's sections in reading order (chapters, each followed by its sub-headings)."""
    return [item for chapter in document for item in (chapter, *chapter.children)]


def missing_generated(document: list[DocumentSection]) -> list[str]:
    """Generated parts whose chapter the zone removed: the printed plan adds them at the end."""
    shown = {item.generated.split(":")[0] for item in document_sections(document) if item.generated}
    return [kind for kind in ("alignment", "matrix", "objectives") if kind not in shown]
