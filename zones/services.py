"""Writes for zonal security plans: the plan itself, its workflow, alignment, expectations, matrix.

Same mechanics as ``nsp.services``: one transaction, the plan row locked, the permission matrix checked
on the locked row, ``full_clean``, history with the actor, scope re-checked after the write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters.models import CrossCuttingTheme, SecurityPhenomenon
from nsp import grants
from nsp.exceptions import DomainError
from nsp.models import NationalSecurityPlan, Objective, PlanStatus
from nsp.permissions import PERM_REGIONAL, PERM_VISION, ensure, has_global
from nsp.selectors import edition_default
from nsp.services import (
    apply_changes,
    delete_recorded,
    delete_to_trash,
    ensure_plan,
    readable_integrity_errors,
    save_validated,
)
from zones import selectors
from zones.models import (
    STANDARD_CHAPTERS,
    Addendum,
    Chapter,
    Expectation,
    LocalPoliceVision,
    MatrixCandidate,
    MatrixScore,
    NationalAlignment,
    PlanSection,
    PlanTransition,
    PoliceZone,
    RegionalSecurityPlan,
    ZonalSecurityPlan,
)

S = PlanStatus

# --- police zones ---------------------------------------------------------------------------------

ZONE_FIELDS = {
    "number",
    "name_nl",
    "name_fr",
    "name_de",
    "region",
    "province",
    "district",
    "status",
    "valid_from",
    "valid_to",
    "merged_into",
    "merged_into_name",
    "number_basis",
    "notes",
    "source",
}


@transaction.atomic
def zone_update(*, actor, zone: PoliceZone, **changes: Any) -> PoliceZone:
    """An administrator completes or corrects a zone; reviewer rights follow a change of district."""
    locked = PoliceZone.objects.select_for_update().get(pk=zone.pk)
    ensure(actor, "change", locked)
    previous_district = locked.district
    apply_changes(locked, changes, ZONE_FIELDS)
    save_validated(locked, actor=actor)
    if locked.district_id != getattr(previous_district, "pk", None):
        grants.zones_changed([locked], previous_districts=[previous_district])
    return locked


# --- the plan ---------------------------------------------------------------------------------------

# The plan's texts are its sections (``section_*`` below); the four fixed text columns are retired.
PLAN_TEXT_FIELDS = {"title", "period_start", "period_end", "keep_tolerance"}


@transaction.atomic
def zonal_plan_create(
    *,
    actor,
    zone: PoliceZone,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    nsp: NationalSecurityPlan | None = None,
    standard_chapters: bool = True,
    **fields: Any,
) -> ZonalSecurityPlan:
    """A zone chief drafts the zone's plan for a period, against ``nsp`` or else the edition in force today.

    The plan starts with the standard chapters (``standard_chapters=False``: with none, for an import that
    brings its own)."""
    zone = PoliceZone.objects.select_for_update().get(pk=zone.pk)
    ensure(actor, "add_plan", zone)
    nsp = nsp or edition_default(on=timezone.localdate())
    if nsp is None:
        raise DomainError(
            _("No NSP edition is loaded yet (manage.py load_reference): a plan needs one to answer."),
            extra={"fields": {"nsp": [_("No NSP edition is loaded yet.")]}},
        )
    plan = ZonalSecurityPlan(
        zone=zone, nsp=nsp, title=title, period_start=period_start, period_end=period_end, status=S.DRAFT
    )
    apply_changes(plan, fields, PLAN_TEXT_FIELDS - {"title", "period_start", "period_end"})
    overlapping = ZonalSecurityPlan.objects.filter(
        zone=zone, period_start__lt=period_end, period_end__gt=period_start
    ).first()
    if overlapping is not None:
        raise DomainError(
            _("This zone already has a plan for an overlapping period: %(plan)s.") % {"plan": overlapping},
            extra={"fields": {"period_start": [_("Choose a period that does not overlap another plan.")]}},
        )
    save_validated(plan, actor=actor)
    ensure(actor, "change", plan)
    if standard_chapters:
        _create_standard_chapters(plan, actor=actor)
    return plan


@transaction.atomic
def zonal_plan_update(*, actor, plan: ZonalSecurityPlan, **changes: Any) -> ZonalSecurityPlan:
    ensure_plan(actor, "change", plan.pk)
    plan = ZonalSecurityPlan.objects.get(pk=plan.pk)
    apply_changes(plan, changes, PLAN_TEXT_FIELDS)
    if {"period_start", "period_end"} & set(changes):
        overlapping = (
            ZonalSecurityPlan.objects.filter(
                zone_id=plan.zone_id, period_start__lt=plan.period_end, period_end__gt=plan.period_start
            )
            .exclude(pk=plan.pk)
            .first()
        )
        if overlapping is not None:
            raise DomainError(
                _("This zone already has a plan for an overlapping period: %(plan)s.") % {"plan": overlapping},
                extra={"fields": {"period_start": [_("Choose a period that does not overlap another plan.")]}},
            )
    save_validated(plan, actor=actor)
    return plan


@transaction.atomic
def zonal_plan_delete(*, actor, plan: ZonalSecurityPlan) -> None:
    """Only a draft that was never approved, by the zone chief."""
    ensure_plan(actor, "delete", plan.pk)
    delete_recorded(ZonalSecurityPlan.objects.get(pk=plan.pk), actor=actor)


# --- the workflow -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    label: Any
    source: str
    target: str
    permission: str  # "workflow" (zone chief) or "review" (federal reviewer)
    needs_reason: bool = False
    needs_date: bool = False


STEPS: tuple[Step, ...] = (
    Step("adopt", gettext_lazy("Record council adoption"), S.DRAFT, S.ADOPTED, "workflow", needs_date=True),
    Step("submit", gettext_lazy("Submit for approval"), S.ADOPTED, S.SUBMITTED, "workflow"),
    Step("withdraw", gettext_lazy("Reopen the adopted draft"), S.ADOPTED, S.DRAFT, "workflow", needs_reason=True),
    Step("approve", gettext_lazy("Approve"), S.SUBMITTED, S.APPROVED, "review", needs_date=True),
    Step("return", gettext_lazy("Return to the zone"), S.SUBMITTED, S.DRAFT, "review", needs_reason=True),
    Step("reopen", gettext_lazy("Reopen for an addendum"), S.APPROVED, S.DRAFT, "workflow", needs_reason=True),
    Step("close", gettext_lazy("Close at the end of the period"), S.APPROVED, S.CLOSED, "workflow"),
)
STEP_BY_EDGE = {(step.source, step.target): step for step in STEPS}


def steps_from(status: str) -> list[Step]:
    return [step for step in STEPS if step.source == status]


@transaction.atomic
def plan_transition(
    *, actor, plan: ZonalSecurityPlan, to_status: str, reason: str = "", on_date: dt.date | None = None
) -> PlanTransition:
    """Move a zonal plan one step through draft → adopted → submitted → approved → closed (or back)."""
    locked = ensure_plan(actor, "view", plan.pk)
    plan = ZonalSecurityPlan.objects.get(pk=locked.pk)
    step = STEP_BY_EDGE.get((plan.status, to_status))
    if step is None:
        allowed = ", ".join(str(s.target) for s in steps_from(plan.status)) or _("none")
        raise DomainError(
            _("A plan cannot go from %(source)s to %(target)s. From %(source)s it can go to: %(allowed)s.")
            % {"source": plan.status, "target": to_status, "allowed": allowed},
            extra={"fields": {"to_status": [_("Not a step from the current status.")]}},
            code="invalid_transition",
        )
    ensure(actor, step.permission, plan)
    reason = (reason or "").strip()
    if step.needs_reason and not reason:
        raise DomainError(_("Say why."), extra={"fields": {"reason": [_("A reason is required for this step.")]}})
    today = timezone.localdate()
    if step.needs_date and on_date is None:
        raise DomainError(
            _("Give the date of the decision."), extra={"fields": {"on_date": [_("This step needs a date.")]}}
        )
    if on_date is not None and on_date > today:
        raise DomainError(
            _("The date cannot lie in the future."), extra={"fields": {"on_date": [_("Not after today.")]}}
        )
    _check_step(plan, step, today=today, on_date=on_date)

    if step.name == "adopt":
        plan.council_adopted_on = on_date
    elif step.name == "approve":
        plan.approved_on = on_date
        Addendum.objects.filter(plan=plan, approved_on__isnull=True).update(approved_on=on_date)
    elif step.name == "reopen":
        number = (plan.addenda.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        addendum = Addendum(plan=plan, number=number, reason=reason, opened_by=actor)
        save_validated(addendum, actor=actor)
    elif step.name == "close":
        plan.closed_on = on_date or today
    plan.status = step.target
    save_validated(plan, actor=actor, reason=f"{step.name}: {reason}" if reason else step.name)
    transition = PlanTransition(
        plan=plan, from_status=step.source, to_status=step.target, on_date=on_date, reason=reason, by=actor
    )
    with readable_integrity_errors():
        transition.save()
    return transition


def step_blocker(
    plan: ZonalSecurityPlan, step: Step, *, today: dt.date | None = None, gaps: list | None = None
) -> str | None:
    """Why the step cannot be taken now (the same checks ``plan_transition`` makes), or None.

    ``gaps``: the plan's alignment gaps when the caller has read them already (a page showing them)."""
    try:
        _check_step(plan, step, today=today or timezone.localdate(), on_date=None, gaps=gaps)
    except DomainError as exc:
        return exc.message
    return None


def _check_step(
    plan: ZonalSecurityPlan, step: Step, *, today: dt.date, on_date: dt.date | None, gaps: list | None = None
) -> None:
    if step.source == S.DRAFT:
        gaps = selectors.alignment_gaps(plan) if gaps is None else gaps
        if gaps:
            raise DomainError(
                _(
                    "The plan cannot leave draft: %(count)s national priorities have neither an adopting "
                    "objective nor a justification (%(names)s)."
                )
                % {"count": len(gaps), "names": "; ".join(str(g.priority) for g in gaps[:5])},
                extra={"missing": [{"type": g.kind, "id": g.priority.pk, "name": str(g.priority)} for g in gaps]},
                code="alignment_incomplete",
            )
        if not plan.objectives.filter(level=Objective.Level.STRATEGIC).exists():
            raise DomainError(_("The plan cannot leave draft without a strategic objective."), code="empty_plan")
    if step.name == "approve" and plan.council_adopted_on and on_date and on_date < plan.council_adopted_on:
        raise DomainError(
            _("Approval cannot come before the council adopted the plan (%(date)s).")
            % {"date": plan.council_adopted_on},
            extra={"fields": {"on_date": [_("Not before the adoption date.")]}},
        )
    if step.name == "close" and plan.period_end > today:
        raise DomainError(
            _("The plan runs until %(end)s; it can be closed once its period has ended.") % {"end": plan.period_end},
            code="period_not_ended",
        )


# --- national alignment -----------------------------------------------------------------------------


@transaction.atomic
def alignment_set(
    *,
    actor,
    plan: ZonalSecurityPlan,
    adopted: bool,
    phenomenon: SecurityPhenomenon | None = None,
    theme: CrossCuttingTheme | None = None,
    objectives: Iterable[Objective] = (),
    justification: str = "",
) -> NationalAlignment:
    """Say how the plan answers one national priority: adopted by these objectives, or not, and why."""
    ensure_plan(actor, "change", plan.pk)
    if (phenomenon is None) == (theme is None):
        raise DomainError(_("Name exactly one phenomenon or one theme."))
    priority = phenomenon or theme
    if priority.nsp_id != plan.nsp_id:
        raise DomainError(
            _("%(priority)s belongs to another NSP edition than the plan.") % {"priority": priority},
            extra={"fields": {"phenomenon" if phenomenon else "theme": [_("Choose one of the plan's NSP edition.")]}},
        )
    objectives = list(objectives)
    foreign = [o for o in objectives if o.plan_id != plan.pk]
    if foreign:
        raise DomainError(
            _("Only objectives of this plan can adopt a national priority."),
            extra={"fields": {"objectives": [str(o) for o in foreign]}},
        )
    if not adopted and not (justification or "").strip():
        raise DomainError(
            _("Say why the plan does not adopt this national priority."),
            extra={"fields": {"justification": [_("A justification is required when not adopting.")]}},
        )
    lookup = {"plan": plan, "phenomenon": phenomenon} if phenomenon else {"plan": plan, "theme": theme}
    alignment = NationalAlignment.objects.filter(**lookup).first() or NationalAlignment(**lookup)
    alignment.adopted = adopted
    alignment.justification = "" if adopted else justification.strip()
    alignment.to_confirm = False  # the editor's answer: a carried draft is confirmed
    save_validated(alignment, actor=actor)
    with readable_integrity_errors():
        alignment.objectives.set(objectives if adopted else [])
    return alignment


@dataclass(frozen=True)
class Realignment:
    addendum: Addendum
    carried: list  # zones.selectors.CarriedAnswer, one per priority of the new edition

    @property
    def to_answer(self) -> list:
        return [c for c in self.carried if c.needs_answer]


@transaction.atomic
def realignment_open(*, actor, plan: ZonalSecurityPlan, reason: str) -> Realignment:
    """Open an addendum that re-aligns an approved plan with the successor of its NSP edition.

    The plan goes back to draft through the usual "reopen" step (so it needs adoption and approval again) and
    answers the new edition from then on: each answer is carried through the previous-edition mapping (adopted
    stays adopted by the same objectives; justifications come as drafts to confirm); the new priorities wait for
    an answer. The answers to the previous edition stay as they were, readable in the plan and in reports as at
    a date before the addendum's approval.
    """
    locked = ensure_plan(actor, "workflow", plan.pk)
    plan = ZonalSecurityPlan.objects.select_related("nsp").get(pk=locked.pk)
    successor = selectors.successor_edition(plan.nsp)
    if successor is None:
        raise DomainError(
            _("No later NSP edition continues %(edition)s: there is nothing to re-align the plan with.")
            % {"edition": plan.nsp},
            code="no_successor",
        )
    if plan.status != S.APPROVED:
        raise DomainError(
            _("A plan is re-aligned by an addendum to its approved version; this plan is %(status)s.")
            % {"status": plan.get_status_display()},
            code="invalid_transition",
        )
    carried = selectors.realignment_carry(plan, successor)
    previous = plan.nsp
    plan_transition(actor=actor, plan=plan, to_status=S.DRAFT, reason=reason)
    addendum = plan.addenda.order_by("-number").first()
    addendum.realigned_from, addendum.realigned_to = previous, successor
    save_validated(addendum, actor=actor)
    plan = ZonalSecurityPlan.objects.get(pk=plan.pk)
    plan.nsp = successor
    save_validated(plan, actor=actor, reason=f"realign: {previous.code} -> {successor.code}")
    for answer in carried:
        if answer.carry == selectors.CARRY_NEW:
            continue
        alignment = NationalAlignment(
            plan=plan,
            adopted=answer.carry == selectors.CARRY_ADOPTED,
            justification=answer.justification,
            to_confirm=answer.carry == selectors.CARRY_JUSTIFICATION,
            **{answer.kind: answer.priority},
        )
        save_validated(alignment, actor=actor, reason=f"realign: carried from {previous.code}")
        if answer.objectives:
            with readable_integrity_errors():
                alignment.objectives.set(answer.objectives)
    return Realignment(addendum=addendum, carried=carried)


@transaction.atomic
def alignment_delete(*, actor, alignment: NationalAlignment) -> None:
    ensure_plan(actor, "change", alignment.plan_id)
    delete_recorded(alignment, actor=actor)


# --- expectations -----------------------------------------------------------------------------------

EXPECTATION_FIELDS = {"source", "stakeholder", "text", "position"}


@transaction.atomic
def expectation_create(*, actor, plan: ZonalSecurityPlan, **fields: Any) -> Expectation:
    ensure_plan(actor, "change", plan.pk)
    expectation = Expectation(plan_id=plan.pk)
    apply_changes(expectation, fields, EXPECTATION_FIELDS)
    save_validated(expectation, actor=actor)
    return expectation


@transaction.atomic
def expectation_update(*, actor, expectation: Expectation, **changes: Any) -> Expectation:
    ensure_plan(actor, "change", expectation.plan_id)
    apply_changes(expectation, changes, EXPECTATION_FIELDS)
    save_validated(expectation, actor=actor)
    return expectation


@transaction.atomic
def expectation_delete(*, actor, expectation: Expectation):
    """Delete it (with what goes with it); it waits in the plan's "Deleted items" to be restored."""
    ensure_plan(actor, "change", expectation.plan_id)
    return delete_to_trash(Expectation.objects.get(pk=expectation.pk), actor=actor)


# --- the argumentation matrix -----------------------------------------------------------------------

CANDIDATE_FIELDS = {"phenomenon", "label", "chosen", "objective", "note"}


def _check_candidate(candidate: MatrixCandidate) -> None:
    if candidate.phenomenon_id and not candidate.label:
        candidate.label = candidate.phenomenon.name
    if candidate.phenomenon_id and candidate.phenomenon.nsp_id != candidate.plan.nsp_id:
        raise DomainError(
            _("The phenomenon belongs to another NSP edition than the plan."),
            extra={"fields": {"phenomenon": [_("Choose one of the plan's NSP edition.")]}},
        )
    if candidate.objective_id and candidate.objective.plan_id != candidate.plan_id:
        raise DomainError(
            _("The priority objective must belong to this plan."),
            extra={"fields": {"objective": [_("Choose an objective of this plan.")]}},
        )
    if not candidate.chosen:
        candidate.objective = None


@transaction.atomic
def matrix_candidate_create(*, actor, plan: ZonalSecurityPlan, **fields: Any) -> MatrixCandidate:
    ensure_plan(actor, "change", plan.pk)
    candidate = MatrixCandidate(plan=ZonalSecurityPlan.objects.get(pk=plan.pk))
    apply_changes(candidate, fields, CANDIDATE_FIELDS)
    _check_candidate(candidate)
    save_validated(candidate, actor=actor)
    return candidate


@transaction.atomic
def matrix_candidate_update(*, actor, candidate: MatrixCandidate, **changes: Any) -> MatrixCandidate:
    ensure_plan(actor, "change", candidate.plan_id)
    apply_changes(candidate, changes, CANDIDATE_FIELDS)
    _check_candidate(candidate)
    save_validated(candidate, actor=actor)
    return candidate


@transaction.atomic
def matrix_candidate_delete(*, actor, candidate: MatrixCandidate):
    """Delete it (with what goes with it); it waits in the plan's "Deleted items" to be restored."""
    ensure_plan(actor, "change", candidate.plan_id)
    return delete_to_trash(MatrixCandidate.objects.get(pk=candidate.pk), actor=actor)


@transaction.atomic
def matrix_score_set(*, actor, candidate: MatrixCandidate, source: str, score: int) -> MatrixScore:
    """Score a candidate against one source (0-5); setting it again replaces the score."""
    ensure_plan(actor, "change", candidate.plan_id)
    existing = MatrixScore.objects.filter(candidate=candidate, source=source).first()
    row = existing or MatrixScore(plan_id=candidate.plan_id, candidate=candidate, source=source)
    row.score = score
    save_validated(row, actor=actor)
    return row


@transaction.atomic
def matrix_score_delete(*, actor, score: MatrixScore) -> None:
    ensure_plan(actor, "change", score.plan_id)
    delete_recorded(score, actor=actor)


# --- the plan document: its sections -----------------------------------------------------------------


def _create_standard_chapters(plan: ZonalSecurityPlan, *, actor) -> None:
    for position, (key, children) in enumerate(STANDARD_CHAPTERS, start=1):
        chapter = PlanSection(plan=plan, key=key, position=position)
        save_validated(chapter, actor=actor)
        for child_position, child_key in enumerate(children, start=1):
            save_validated(PlanSection(plan=plan, parent=chapter, key=child_key, position=child_position), actor=actor)


def _siblings(plan_id: int, parent_id: int | None):
    return PlanSection.objects.filter(plan_id=plan_id, parent_id=parent_id).order_by("position", "pk")


def _check_parent(section: PlanSection, parent: PlanSection | None) -> None:
    if parent is None:
        return
    if parent.plan_id != section.plan_id:
        raise DomainError(
            _("A sub-heading goes under a chapter of the same plan."),
            extra={"fields": {"parent": [_("Choose a chapter of this plan.")]}},
        )
    if parent.parent_id is not None or parent.pk == section.pk:
        raise DomainError(
            _("A sub-heading goes under a chapter, not under another sub-heading."),
            extra={"fields": {"parent": [_("Choose a chapter (a top-level heading).")]}},
        )
    if section.pk and PlanSection.objects.filter(parent_id=section.pk).exists():
        raise DomainError(
            _("This chapter has sub-headings of its own; it cannot become a sub-heading."),
            extra={"fields": {"parent": [_("Move its sub-headings first.")]}},
        )


def _next_position(plan_id: int, parent_id: int | None) -> int:
    last = _siblings(plan_id, parent_id).order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def section_create(
    *,
    actor,
    plan: ZonalSecurityPlan,
    title: str = "",
    body: str = "",
    parent: PlanSection | None = None,
    key: str = "",
) -> PlanSection:
    """A heading of the zone's own (``title``) or a standard chapter (``key``), at the end of its siblings."""
    ensure_plan(actor, "change", plan.pk)
    section = PlanSection(plan_id=plan.pk, title=(title or "").strip(), body=body or "", key=key or "")
    if key and section.title:
        raise DomainError(
            _("A standard chapter takes its heading from its kind; leave the heading empty."),
            extra={"fields": {"title": [_("Leave empty for a standard chapter.")]}},
        )
    if key and PlanSection.objects.filter(plan_id=plan.pk, key=key).exists():
        raise DomainError(
            _("The plan has the chapter %(chapter)s already.") % {"chapter": Chapter(key).label},
            extra={"fields": {"key": [_("The plan has this standard chapter already.")]}},
        )
    _check_parent(section, parent)
    section.parent = parent
    section.position = _next_position(plan.pk, parent.pk if parent else None)
    save_validated(section, actor=actor)
    return section


SECTION_FIELDS = {"title", "body", "parent"}


@transaction.atomic
def section_update(*, actor, section: PlanSection, **changes: Any) -> PlanSection:
    """Change a section's text, its heading (a zone's own section), or the chapter it sits under (it goes last)."""
    ensure_plan(actor, "change", section.plan_id)
    locked = PlanSection.objects.select_for_update().get(pk=section.pk)
    if set(changes) - SECTION_FIELDS:
        apply_changes(locked, changes, SECTION_FIELDS)  # refuses, naming the fields
    if "title" in changes:
        title = (changes["title"] or "").strip()
        if locked.key and title:
            raise DomainError(
                _("A standard chapter takes its heading from its kind, in the reader's language."),
                extra={"fields": {"title": [_("A standard chapter's heading cannot be changed.")]}},
            )
        locked.title = title
    if "body" in changes:
        locked.body = changes["body"] or ""
    if "parent" in changes:
        parent = changes["parent"]
        if (parent.pk if parent else None) != locked.parent_id:
            _check_parent(locked, parent)
            locked.parent = parent
            locked.position = _next_position(locked.plan_id, parent.pk if parent else None)
    save_validated(locked, actor=actor)
    return locked


@transaction.atomic
def section_move(*, actor, section: PlanSection, direction: str) -> PlanSection:
    """Move a section one place up or down among its siblings (a chapter moves with its sub-headings)."""
    if direction not in ("up", "down"):
        raise DomainError(_("Move up or down."), extra={"fields": {"direction": [_("Choose up or down.")]}})
    ensure_plan(actor, "change", section.plan_id)
    siblings = list(_siblings(section.plan_id, section.parent_id).select_for_update())
    index = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return siblings[index]
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, row in enumerate(siblings, start=1):
        if row.position != position:
            row.position = position
            save_validated(row, actor=actor, reason=f"moved {direction}" if row.pk == section.pk else "")
    return next(s for s in siblings if s.pk == section.pk)


@transaction.atomic
def section_delete(*, actor, section: PlanSection):
    """Delete it with its sub-headings; it waits in the plan's "Deleted items" to be restored."""
    ensure_plan(actor, "change", section.plan_id)
    return delete_to_trash(PlanSection.objects.get(pk=section.pk), actor=actor)


@dataclass(frozen=True)
class ScoresSaved:
    set: int
    cleared: int


@transaction.atomic
def matrix_scores_save(*, actor, plan: ZonalSecurityPlan, scores: Mapping[tuple[int, str], int | None]) -> ScoresSaved:
    """Save a plan's argumentation matrix at once, all or nothing: ``scores`` maps (candidate, source) to a
    score (0-5, set when it differs) or ``None`` (the cell emptied: its score is removed). Each changed cell
    leaves its history row; a candidate of another plan refuses the whole grid."""
    ensure_plan(actor, "change", plan.pk)
    candidates = {c.pk: c for c in MatrixCandidate.objects.filter(plan_id=plan.pk)}
    foreign = sorted({pk for pk, _source in scores} - set(candidates))
    if foreign:
        raise DomainError(_("Score only the candidates of this plan's matrix."), extra={"candidates": foreign})
    existing = {
        (s.candidate_id, s.source): s
        for s in MatrixScore.objects.select_for_update().filter(candidate_id__in=list(candidates))
    }
    set_count = cleared = 0
    for (candidate_pk, source), score in scores.items():
        current = existing.get((candidate_pk, source))
        if score is None and current is not None:
            delete_recorded(current, actor=actor)
            cleared += 1
        elif score is not None and (current is None or current.score != score):
            row = current or MatrixScore(plan_id=plan.pk, candidate=candidates[candidate_pk], source=source)
            row.score = score
            save_validated(row, actor=actor)
            set_count += 1
    return ScoresSaved(set=set_count, cleared=cleared)


# --- the Brussels regional plan and the local-police vision -----------------------------------------

REGIONAL_FIELDS = {"title", "period_start", "period_end", "keep_tolerance", "authority", "summary", "status"}


@transaction.atomic
def regional_plan_create(*, actor, nsp: NationalSecurityPlan, **fields: Any) -> RegionalSecurityPlan:
    if not has_global(actor, PERM_REGIONAL):
        raise PermissionDenied(_("Only federal planners create the regional security plan."))
    plan = RegionalSecurityPlan(nsp=nsp)
    apply_changes(plan, fields, REGIONAL_FIELDS)
    save_validated(plan, actor=actor)
    return plan


@transaction.atomic
def regional_plan_update(*, actor, plan: RegionalSecurityPlan, **changes: Any) -> RegionalSecurityPlan:
    ensure_plan(actor, "change", plan.pk)
    plan = RegionalSecurityPlan.objects.get(pk=plan.pk)
    apply_changes(plan, changes, REGIONAL_FIELDS)
    save_validated(plan, actor=actor)
    return plan


@transaction.atomic
def vision_create(*, actor, nsp: NationalSecurityPlan, title: str, text: str) -> LocalPoliceVision:
    """The first vision note on an edition; there is one per edition."""
    if LocalPoliceVision.objects.filter(nsp=nsp).exists():
        raise DomainError(
            _("%(edition)s already has a local-police vision; change that one.") % {"edition": nsp},
            extra={"fields": {"nsp": [_("This edition already has a vision note.")]}},
        )
    return vision_save(actor=actor, nsp=nsp, title=title, text=text)


def _ensure_vision_writer(actor) -> None:
    if not has_global(actor, PERM_VISION):
        raise PermissionDenied(_("Only members of the CPPL-VCLP change the local-police vision."))


@transaction.atomic
def vision_save(*, actor, nsp: NationalSecurityPlan, title: str, text: str) -> LocalPoliceVision:
    """The CPPL-VCLP writes (or rewrites) the local-police vision on an NSP edition."""
    _ensure_vision_writer(actor)
    vision = LocalPoliceVision.objects.select_for_update().filter(nsp=nsp).first() or LocalPoliceVision(nsp=nsp)
    vision.title, vision.text, vision.updated_by = title, text, actor
    save_validated(vision, actor=actor)
    return vision


VISION_FIELDS = {"title", "text"}


@transaction.atomic
def vision_update(*, actor, vision: LocalPoliceVision, **changes: Any) -> LocalPoliceVision:
    """Change a vision note's title or text; it stays with its NSP edition."""
    _ensure_vision_writer(actor)
    locked = LocalPoliceVision.objects.select_for_update().get(pk=vision.pk)
    apply_changes(locked, changes, VISION_FIELDS)
    locked.updated_by = actor
    save_validated(locked, actor=actor)
    return locked
