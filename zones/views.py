"""Pages for police zones, zonal security plans and their parts (workflow, alignment, argumentation matrix,
expectations), the Brussels regional plan and the local-police vision.

Declarations over ``nsp.viewmixins``: every page fetches through ``get_for`` (404/403), writes through
one service of ``zones.services``, and reads progress from the ``nsp.progress`` annotations.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Sum
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from nsp import progress
from nsp.exceptions import DomainError
from nsp.forms import CommentForm
from nsp.history import history_entries
from nsp.models import NationalSecurityPlan, Objective, PlanStatus
from nsp.permissions import PERM_REGIONAL, PERM_VISION, get_for, has_global
from nsp.selectors import comments_of, objective_rows
from nsp.viewmixins import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    ServiceFormView,
    apply_domain_error,
    rights_for,
)
from nsp.views import plan_crumbs, today
from zones import selectors, services
from zones.filtersets import PoliceZoneFilterSet, ZonalPlanFilterSet
from zones.forms import (
    AlignmentForm,
    ExpectationForm,
    MatrixCandidateForm,
    MatrixScoresForm,
    RealignmentForm,
    RegionalPlanForm,
    TransitionForm,
    VisionForm,
    ZonalPlanCreateForm,
    ZonalPlanEditForm,
)
from zones.models import (
    District,
    Expectation,
    LocalPoliceVision,
    MatrixCandidate,
    MatrixScore,
    NationalAlignment,
    PoliceZone,
    RegionalSecurityPlan,
    StakeholderSource,
    ZonalSecurityPlan,
)


def zone_crumbs(zone: PoliceZone) -> list[tuple[str, str]]:
    return [(_("Zones"), reverse("zones:zone-list")), (str(zone), zone.get_absolute_url())]


def zonal_plan_crumbs(plan: ZonalSecurityPlan) -> list[tuple[str, str]]:
    return [(_("Zonal plans"), reverse("zones:plan-list")), (plan.title, plan.get_absolute_url())]


class ZonalPlanMixin:
    """Pages about one zonal plan: breadcrumbs down to it and the "plans" navigation entry."""

    section = "plans"

    def get_breadcrumbs(self, obj=None):
        plan = obj if isinstance(obj, ZonalSecurityPlan) else obj.plan
        return zonal_plan_crumbs(plan)


# --- zones -----------------------------------------------------------------------------------------------


def district_choices(user) -> list[tuple[str, str]]:
    """The districts as (code, name), for a select in place of a code to type."""
    districts = District.objects.restrict(user, "view").order_by("name").values_list("code", "name")
    return [("", _("All districts")), *districts]


class ZoneListView(ObjectListView):
    queryset = PoliceZone.objects.select_related("district", "merged_into").order_by("number", "key")
    filterset_class = PoliceZoneFilterSet
    filter_fields = ("search", "region", "province", "district", "status", "incomplete")
    template_name = "zones/zone_list.html"
    partial_template_name = "zones/partials/zone_rows.html"
    title = gettext_lazy("Police zones")
    section = "zones"
    paginate_by = 50

    def adapt_filter_form(self, form) -> None:
        form.fields["search"].help_text = _("Number, name or municipality.")
        form.fields["district"].widget = forms.Select(choices=district_choices(self.request.user))
        form.fields["district"].label = _("District")


class ZoneDetailView(ObjectView):
    queryset = PoliceZone.objects.select_related("district", "merged_into")
    lookup = "key"
    template_name = "zones/zone_detail.html"
    rights = ("add_plan",)
    section = "zones"

    def get_breadcrumbs(self, obj=None):
        return zone_crumbs(obj)[:1]

    def get_extra_context(self, zone) -> dict[str, Any]:
        plans = ZonalSecurityPlan.objects.restrict(self.request.user, "view").filter(zone=zone).select_related("nsp")
        return {
            "municipalities": zone.municipalities.order_by("name"),
            "merged_from": zone.merged_from.order_by("number", "key"),
            "plans": progress.annotate_plans(plans, as_of=today()).order_by("-period_start"),
        }


# --- zonal plans: list, detail, create, edit, delete -----------------------------------------------------


class ZonalPlanListView(ObjectListView):
    queryset = ZonalSecurityPlan.objects.select_related("zone", "zone__district", "nsp")
    filterset_class = ZonalPlanFilterSet
    filter_fields = ("search", "zone", "district", "status", "period", "progress_status", "ordering")
    template_name = "zones/plan_list.html"
    partial_template_name = "zones/partials/plan_rows.html"
    title = gettext_lazy("Zonal security plans")
    section = "plans"

    def annotate(self, queryset):
        ordered = queryset.order_by("zone__number", "zone__key", "-period_start")
        if progress.progress_asked(self.request.GET):
            return progress.annotate_plans(ordered, as_of=today())
        return ordered

    def finish_rows(self, rows):
        # Not filtered or sorted on progress: each plan of the page is totalled once, after paginating.
        if progress.progress_asked(self.request.GET):
            return rows
        return progress.attach_plan_progress(rows, as_of=today())

    def adapt_filter_form(self, form) -> None:
        form.fields["search"].help_text = _("Title, zone number or zone name.")
        form.fields["zone"].label = _("Zone number")
        form.fields["district"].widget = forms.Select(choices=district_choices(self.request.user))
        form.fields["district"].label = _("District")
        form.fields["status"].widget = forms.CheckboxSelectMultiple(choices=form.fields["status"].choices)
        form.fields["period"].label = _("Period")
        form.fields["period"].help_text = _("A year (2024) or years (2020-2025).")

    def get_extra_context(self) -> dict[str, Any]:
        # The zones where this user drafts plans (their own, not every zone an administrator could).
        user = self.request.user
        own = PoliceZone.objects.restrict(user, "add_plan").filter(role_groups__group__user=user).distinct()
        return {"draft_zones": list(own.order_by("number")[:5])}


class ZonalPlanDetailView(ZonalPlanMixin, ObjectView):
    """The plan's header, workflow buttons, and every part of the plan in tabs (``selectors.plan_page``)."""

    template_name = "zones/plan_detail.html"

    def get_breadcrumbs(self, obj=None):
        return zonal_plan_crumbs(obj)[:1]

    def get(self, request, *args, **kwargs):
        context = selectors.plan_page(request.user, pk=kwargs["pk"], as_of=today())
        self.may = context["may"]
        plan = context["object"]
        context["steps"] = workflow_steps(plan, self.may, context["alignment_missing"])
        context["comment_form"] = CommentForm()
        context["comment_url"] = reverse("nsp:plan-comment-add", kwargs={"pk": plan.pk})
        return self.render(context, obj=plan)


def workflow_steps(plan: ZonalSecurityPlan, may: dict[str, bool], gaps: list) -> list[dict[str, Any]]:
    """The steps from the plan's status that this user may take, each with the form it needs and what blocks it
    (``gaps``: the plan's alignment gaps, read once for the page)."""
    steps = []
    for step in services.steps_from(plan.status):
        if may.get(step.permission):
            form = TransitionForm(step=step, auto_id=f"id_{step.name}_%s")
            steps.append(
                {
                    "step": step,
                    "form": form,
                    "plain": not (step.needs_reason or step.needs_date),
                    "blocker": services.step_blocker(plan, step, gaps=gaps),
                }
            )
    return steps


class ZonalPlanCreateView(ObjectCreateView):
    """A zone chief drafts a plan for their zone."""

    form_class = ZonalPlanCreateForm
    target_queryset = PoliceZone.objects.select_related("district")
    target_lookup = "key"
    target_action = "add_plan"
    service = services.zonal_plan_create
    target_kwarg = "zone"
    title = gettext_lazy("Draft a zonal security plan")
    section = "plans"
    success_message = gettext_lazy("Drafted %(object)s.")

    def get_form_kwargs(self, zone) -> dict[str, Any]:
        # The unsaved plan knows its zone, so the form's model checks see what the service will save.
        return {"user": self.request.user, "initial": self.request.GET.dict(), "instance": ZonalSecurityPlan(zone=zone)}

    def get_breadcrumbs(self, obj=None):
        return zone_crumbs(obj)


class ZonalPlanEditView(ZonalPlanMixin, ObjectEditView):
    form_class = ZonalPlanEditForm
    target_queryset = ZonalSecurityPlan.objects.select_related("zone", "nsp")
    service = services.zonal_plan_update
    target_kwarg = "plan"


class ZonalPlanDeleteView(ZonalPlanMixin, ObjectDeleteView):
    target_queryset = ZonalSecurityPlan.objects.select_related("zone", "nsp")
    service = services.zonal_plan_delete
    target_kwarg = "plan"

    def get_success_url(self, result, target) -> str:
        return target.zone.get_absolute_url()

    def get_extra_context(self, target, form):
        return {"consequences": [_("Its objectives, indicators, actions, alignment, matrix and expectations too.")]}


class PlanTransitionView(ZonalPlanMixin, ServiceFormView):
    """One workflow step (``step`` names it); the page itself serves the steps that need a reason or a date."""

    form_class = TransitionForm
    target_queryset = ZonalSecurityPlan.objects.select_related("zone", "nsp")
    target_action = "view"
    service = services.plan_transition
    template_name = "zones/plan_transition.html"

    def get_step(self):
        name = self.request.POST.get("step") or self.request.GET.get("step")
        for step in services.STEPS:
            if step.name == name:
                return step
        raise Http404(_("No such workflow step."))

    def get_target(self):
        plan = super().get_target()
        self.step = self.get_step()
        # 403 for a reader who may not take this kind of step; the service checks the edge itself.
        get_for(self.request.user, self.step.permission, ZonalSecurityPlan.objects.all(), pk=plan.pk)
        return plan

    def get_form_kwargs(self, target) -> dict[str, Any]:
        return {"step": self.step}

    def service_kwargs(self, form, target) -> dict[str, Any]:
        return {"plan": target, "to_status": self.step.target, **form.cleaned_data}

    def get_title(self, obj=None) -> str:
        return f"{self.step.label}: {obj}"

    def get_success_url(self, result, target) -> str:
        # A reviewer who returns a plan to draft may no longer read it: send them home, not to a 404.
        if ZonalSecurityPlan.objects.restrict(self.request.user, "view").filter(pk=target.pk).exists():
            return target.get_absolute_url()
        return reverse("nsp:home")

    def get_success_message(self, result, target) -> str:
        return _("%(plan)s is now: %(status)s.") % {"plan": target, "status": result.get_to_status_display()}

    def get_extra_context(self, target, form) -> dict[str, Any]:
        return {"step": self.step, "submit_label": self.step.label, "missing": getattr(form, "missing", None)}

    def post(self, request, *args, **kwargs):
        target = self.get_target()
        form = self.get_form(target, data=request.POST)
        if form.is_valid():
            try:
                result = self.call_service(form, target)
            except DomainError as error:
                form.missing = error.extra.get("missing")
                apply_domain_error(form, error)
            else:
                return self.success(result, target)
        return self.render_form(target, form)


class RealignmentView(ZonalPlanMixin, ServiceFormView):
    """The zone chief re-aligns an approved plan with the successor of its NSP edition, by addendum.

    Before: what each answer becomes through the previous-edition mapping and which priorities are new. After:
    what still needs an answer (carried justifications to confirm, new priorities) and the former alignment.
    """

    form_class = RealignmentForm
    target_queryset = ZonalSecurityPlan.objects.select_related("zone", "nsp")
    target_action = "workflow"
    service = services.realignment_open
    target_kwarg = "plan"
    template_name = "zones/plan_realign.html"
    submit_label = gettext_lazy("Open the re-alignment addendum")

    def get_title(self, obj=None) -> str:
        return _("Re-align with the next NSP edition: %(plan)s") % {"plan": obj}

    def get_success_url(self, result, target) -> str:
        return reverse("zones:plan-realign", kwargs={"pk": target.pk})

    def get_success_message(self, result, target) -> str:
        return ngettext(
            "Addendum %(number)s opened: the plan now answers %(edition)s; %(count)s priority needs an answer.",
            "Addendum %(number)s opened: the plan now answers %(edition)s; %(count)s priorities need an answer.",
            len(result.to_answer),
        ) % {"number": result.addendum.number, "edition": result.addendum.realigned_to, "count": len(result.to_answer)}

    def get_extra_context(self, target, form) -> dict[str, Any]:
        realigning = selectors.realignments(target)
        current = realigning[-1] if realigning and realigning[-1].approved_on is None else None
        successor = selectors.successor_edition(target.nsp) if current is None else None
        rows = selectors.alignment_rows(target) if current is not None else []
        return {
            "successor": successor,
            "can_open": successor is not None and target.status == PlanStatus.APPROVED,
            "carried": selectors.realignment_carry(target, successor) if successor is not None else [],
            "current": current,
            "to_answer": [row for row in rows if not row.decided],
            "realignments": [(a, selectors.previous_alignment(target, a)) for a in realigning],
        }


# --- national alignment ----------------------------------------------------------------------------------


def _row_key(row) -> str:
    return f"{row.kind}-{row.priority.pk}"


class AlignmentView(ZonalPlanMixin, ServiceFormView):
    """Every national priority of the plan's edition, and how the plan answers it; one form per priority."""

    form_class = AlignmentForm
    target_queryset = ZonalSecurityPlan.objects.select_related("zone", "nsp")
    service = services.alignment_set
    template_name = "zones/plan_alignment.html"
    partial_template_name = "zones/partials/alignment_row.html"

    def get_target(self):
        # Everybody who reads the plan sees its alignment; changing it needs the right to change the plan.
        self.target_action = "change" if self.request.method == "POST" else "view"
        return super().get_target()

    def get_title(self, obj=None) -> str:
        return _("National alignment of %(plan)s") % {"plan": obj}

    def row_form(self, plan, row, data=None):
        initial = {}
        if row.alignment is not None:
            initial = {
                "adopted": "yes" if row.alignment.adopted else "no",
                "objectives": list(row.alignment.objectives.all()),
                "justification": row.alignment.justification,
            }
        key = _row_key(row)
        return AlignmentForm(data=data, plan=plan, prefix=key, initial=initial, auto_id=f"id_{key}_%s")

    def page(self, plan, bound: dict[str, Any] | None = None, status: int = 200):
        rows = selectors.alignment_rows(plan)
        may = rights_for(self.request.user, plan, ("change",))
        items = []
        for row in rows:
            key = _row_key(row)
            form = (bound or {}).get(key) or (self.row_form(plan, row) if may["change"] else None)
            items.append({"row": row, "key": key, "form": form})
        context = {
            "object": plan,
            "plan": plan,
            "items": items,
            "rows": rows,
            "missing": [item for item in items if not item["row"].decided],
            "may": may,
        }
        return self.render(context, status=status, obj=plan)

    def get(self, request, *args, **kwargs):
        return self.page(self.get_target())

    def post(self, request, *args, **kwargs):
        plan = self.get_target()
        key = request.POST.get("priority", "")
        row = next((r for r in selectors.alignment_rows(plan) if _row_key(r) == key), None)
        if row is None:
            raise Http404(_("This plan's NSP edition has no such national priority."))
        form = self.row_form(plan, row, data=request.POST)
        if form.is_valid():
            try:
                services.alignment_set(
                    actor=request.user,
                    plan=plan,
                    adopted=form.cleaned_data["adopted"],
                    objectives=form.cleaned_data["objectives"],
                    justification=form.cleaned_data["justification"],
                    **{row.kind: row.priority},
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                if request.htmx:
                    return self.row_response(plan, key)
                messages.success(request, _("Saved how the plan answers %(priority)s.") % {"priority": row.priority})
                return HttpResponseRedirect(reverse("zones:plan-alignment", kwargs={"pk": plan.pk}) + f"#{key}")
        if request.htmx:
            return self.row_response(plan, key, form)
        return self.page(plan, bound={key: form})

    def row_response(self, plan, key, form=None):
        row = next(r for r in selectors.alignment_rows(plan) if _row_key(r) == key)
        item = {"row": row, "key": key, "form": form or self.row_form(plan, row)}
        context = {"plan": plan, "item": item, "may": {"change": True}, "saved": form is None}
        return TemplateResponse(self.request, "zones/partials/alignment_row.html", context)


class AlignmentDeleteView(ZonalPlanMixin, ObjectDeleteView):
    target_queryset = NationalAlignment.objects.select_related("plan", "phenomenon", "theme")
    service = services.alignment_delete
    target_kwarg = "alignment"

    def get_success_url(self, result, target) -> str:
        return reverse("zones:plan-alignment", kwargs={"pk": target.plan_id})

    def get_cancel_url(self, target) -> str:
        return self.get_success_url(None, target)


# --- argumentation matrix --------------------------------------------------------------------------------


class MatrixView(ZonalPlanMixin, ServiceFormView):
    """Candidates by sources, scored 0-5; the whole grid is saved in one form (one transaction)."""

    form_class = MatrixScoresForm
    target_queryset = ZonalSecurityPlan.objects.select_related("zone", "nsp")
    template_name = "zones/plan_matrix.html"
    partial_template_name = "zones/partials/matrix_table.html"
    success_message = gettext_lazy("Scores saved.")

    def get_target(self):
        self.target_action = "change" if self.request.method == "POST" else "view"
        return super().get_target()

    def get_title(self, obj=None) -> str:
        return _("Argumentation matrix of %(plan)s") % {"plan": obj}

    def candidates(self, plan):
        return list(
            MatrixCandidate.objects.filter(plan=plan)
            .annotate(total=Sum("scores__score"))
            .select_related("phenomenon", "objective")
            .prefetch_related(Prefetch("scores", queryset=MatrixScore.objects.order_by("source")))
            .order_by("label")
        )

    def get_form(self, target, data=None, files=None):
        self.rows = self.candidates(target)
        return MatrixScoresForm(data=data, candidates=self.rows)

    def call_service(self, form, plan):
        # One score per cell: what changed is set, what was emptied removed, all or nothing (the service).
        scores = {cell: form.cleaned_data.get(name) for cell, name in form.cells.items()}
        services.matrix_scores_save(actor=self.request.user, plan=plan, scores=scores)
        return plan

    def get_success_url(self, result, target) -> str:
        return reverse("zones:plan-matrix", kwargs={"pk": target.pk})

    def get_extra_context(self, target, form) -> dict[str, Any]:
        may = rights_for(self.request.user, target, ("change",))
        rows = [
            {
                "candidate": c,
                "cells": [form[form.cells[(c.pk, source)]] for source, _label in StakeholderSource.choices],
            }
            for c in self.rows
        ]
        return {
            "plan": target,
            "may": may,
            "rows": rows,
            "sources": StakeholderSource.choices,
            "candidate_form": MatrixCandidateForm(plan=target) if may["change"] else None,
        }

    def success(self, result, target):
        if self.request.htmx:
            form = self.get_form(target)
            context = {"object": target, "form": form, "saved": True, **self.get_extra_context(target, form)}
            return TemplateResponse(self.request, self.partial_template_name, context)
        return super().success(result, target)


class MatrixCandidateCreateView(ZonalPlanMixin, ObjectCreateView):
    form_class = MatrixCandidateForm
    target_queryset = ZonalSecurityPlan.objects.select_related("zone", "nsp")
    service = services.matrix_candidate_create
    target_kwarg = "plan"
    title = gettext_lazy("Add a candidate to the argumentation matrix")

    def get_form_kwargs(self, plan) -> dict[str, Any]:
        return {"plan": plan}

    def get_success_url(self, result, target) -> str:
        return result.get_absolute_url()


class MatrixCandidateEditView(ZonalPlanMixin, ObjectEditView):
    form_class = MatrixCandidateForm
    target_queryset = MatrixCandidate.objects.select_related("plan", "phenomenon", "objective")
    service = services.matrix_candidate_update
    target_kwarg = "candidate"

    def get_cancel_url(self, target) -> str:
        return target.get_absolute_url()


class MatrixCandidateDeleteView(ZonalPlanMixin, ObjectDeleteView):
    restorable = True
    target_queryset = MatrixCandidate.objects.select_related("plan")
    service = services.matrix_candidate_delete
    target_kwarg = "candidate"

    def get_success_url(self, result, target) -> str:
        return reverse("zones:plan-matrix", kwargs={"pk": target.plan_id})

    def get_cancel_url(self, target) -> str:
        return self.get_success_url(None, target)


# --- expectations ----------------------------------------------------------------------------------------


class ExpectationsView(ZonalPlanMixin, ObjectView):
    queryset = ZonalSecurityPlan.objects.select_related("zone", "nsp")
    template_name = "zones/plan_expectations.html"
    rights = ("change",)

    def get_title(self, obj=None) -> str:
        return _("Expectations for %(plan)s") % {"plan": obj}

    def get_extra_context(self, plan) -> dict[str, Any]:
        expectations = Expectation.objects.filter(plan=plan).order_by("source", "position", "pk")
        grouped: dict[str, list] = {}
        for expectation in expectations:
            grouped.setdefault(expectation.source, []).append(expectation)
        groups = [(label, grouped[value]) for value, label in StakeholderSource.choices if value in grouped]
        return {"groups": groups, "plan": plan, "expectation_form": ExpectationForm()}


class ExpectationCreateView(ZonalPlanMixin, ObjectCreateView):
    form_class = ExpectationForm
    target_queryset = ZonalSecurityPlan.objects.select_related("zone", "nsp")
    service = services.expectation_create
    target_kwarg = "plan"
    title = gettext_lazy("Add an expectation")

    def get_success_url(self, result, target) -> str:
        return result.get_absolute_url()

    def get_cancel_url(self, target) -> str:
        return reverse("zones:plan-expectations", kwargs={"pk": target.pk})


class ExpectationEditView(ZonalPlanMixin, ObjectEditView):
    form_class = ExpectationForm
    target_queryset = Expectation.objects.select_related("plan")
    service = services.expectation_update
    target_kwarg = "expectation"


class ExpectationDeleteView(ZonalPlanMixin, ObjectDeleteView):
    restorable = True
    target_queryset = Expectation.objects.select_related("plan")
    service = services.expectation_delete
    target_kwarg = "expectation"

    def get_success_url(self, result, target) -> str:
        return reverse("zones:plan-expectations", kwargs={"pk": target.plan_id})

    def get_cancel_url(self, target) -> str:
        return self.get_success_url(None, target)


# --- the Brussels regional plan ---------------------------------------------------------------------------


class RegionalPlanListView(ObjectListView):
    queryset = RegionalSecurityPlan.objects.select_related("nsp")
    template_name = "zones/regional_plan_list.html"
    title = gettext_lazy("Regional security plans")
    section = "plans"

    def annotate(self, queryset):
        return progress.annotate_plans(queryset, as_of=today()).order_by("-period_start")

    def get_extra_context(self) -> dict[str, Any]:
        return {"may_create": has_global(self.request.user, PERM_REGIONAL)}


class RegionalPlanDetailView(ObjectView):
    queryset = RegionalSecurityPlan.objects.select_related("nsp")
    template_name = "zones/regional_plan_detail.html"
    rights = ("change", "delete", "record")
    section = "plans"

    def get_queryset(self):
        return progress.annotate_plans(super().get_queryset(), as_of=today())

    def get_breadcrumbs(self, obj=None):
        return plan_crumbs(obj)[:1]

    def get_extra_context(self, plan) -> dict[str, Any]:
        return {
            "tree": objective_rows(plan, as_of=today())[0],
            "comments": comments_of(self.request.user, plan_id=plan.pk).select_related(
                "objective", "indicator", "action", "plan"
            ),
            "comment_form": CommentForm(),
            "comment_url": reverse("nsp:plan-comment-add", kwargs={"pk": plan.pk}),
            "history": history_entries(
                RegionalSecurityPlan.history.filter(plan_ptr_id=plan.pk), Objective.history.filter(plan_id=plan.pk)
            ),
        }


class RegionalPlanCreateView(ServiceFormView):
    """Federal planners record the regional plan against an NSP edition (``pk``)."""

    form_class = RegionalPlanForm
    target_queryset = NationalSecurityPlan.objects.all()
    target_action = "view"
    service = services.regional_plan_create
    target_kwarg = "nsp"
    title = gettext_lazy("Add a regional security plan")
    section = "plans"
    success_message = gettext_lazy("Added %(object)s.")

    def get_target(self):
        edition = super().get_target()
        if not has_global(self.request.user, PERM_REGIONAL):
            raise PermissionDenied(_("Only federal planners create the regional security plan."))
        return edition

    def get_breadcrumbs(self, obj=None):
        return [(_("Regional security plans"), reverse("zones:regional-plan-list"))]


class RegionalPlanEditView(ObjectEditView):
    form_class = RegionalPlanForm
    target_queryset = RegionalSecurityPlan.objects.select_related("nsp")
    service = services.regional_plan_update
    target_kwarg = "plan"
    section = "plans"

    def get_breadcrumbs(self, obj=None):
        return plan_crumbs(obj)


# --- the local-police vision -----------------------------------------------------------------------------


class VisionDetailView(ObjectView):
    queryset = LocalPoliceVision.objects.select_related("nsp", "updated_by")
    template_name = "zones/vision_detail.html"
    rights = ("change",)
    section = "reference"

    def get_breadcrumbs(self, obj=None):
        return [
            (_("NSP reference"), reverse("clusters:edition-list")),
            (str(obj.nsp), obj.nsp.get_absolute_url()),
        ]

    def get_extra_context(self, vision) -> dict[str, Any]:
        return {"history": history_entries(LocalPoliceVision.history.filter(id=vision.pk))}


class VisionEditView(ObjectEditView):
    """The CPPL-VCLP rewrites its note on an edition (``vision_save`` writes or rewrites it)."""

    form_class = VisionForm
    target_queryset = LocalPoliceVision.objects.select_related("nsp")
    service = services.vision_save
    section = "reference"

    def service_kwargs(self, form, target) -> dict[str, Any]:
        return {"nsp": target.nsp, "title": form.cleaned_data["title"], "text": form.cleaned_data["text"]}

    def get_breadcrumbs(self, obj=None):
        return [(_("NSP reference"), reverse("clusters:edition-list")), (str(obj.nsp), obj.nsp.get_absolute_url())]


class VisionCreateView(ServiceFormView):
    """The first local-police vision on an edition (``pk``); later ones edit it."""

    form_class = VisionForm
    target_queryset = NationalSecurityPlan.objects.all()
    target_action = "view"
    service = services.vision_save
    target_kwarg = "nsp"
    title = gettext_lazy("Write the local-police vision")
    section = "reference"

    def get_target(self):
        edition = super().get_target()
        if not has_global(self.request.user, PERM_VISION):
            raise PermissionDenied(_("Only members of the CPPL-VCLP change the local-police vision."))
        return edition

    def existing(self) -> LocalPoliceVision | None:
        return LocalPoliceVision.objects.restrict(self.request.user, "view").filter(nsp_id=self.kwargs["pk"]).first()

    def get(self, request, *args, **kwargs):
        vision = self.existing()
        if vision is not None:
            return HttpResponseRedirect(reverse("zones:vision-edit", kwargs={"pk": vision.pk}))
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs(self, obj=None):
        return [(_("NSP reference"), reverse("clusters:edition-list")), (str(obj), obj.get_absolute_url())]
